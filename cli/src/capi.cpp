#include "capi.h"

#include <cstdio>

namespace orca::cli {

const char* errorKindName(orca_error_kind_t kind) {
  switch (kind) {
    case ORCA_ERROR_MALFORMED: return "malformed";
    case ORCA_ERROR_INVALID: return "invalid";
    case ORCA_ERROR_UNLINKABLE: return "unlinkable";
    case ORCA_ERROR_UNINSTANTIABLE: return "uninstantiable";
    case ORCA_ERROR_TRAP: return "trap";
    case ORCA_ERROR_EXHAUSTION: return "exhaustion";
    case ORCA_ERROR_IO: return "I/O error";
    case ORCA_ERROR_UNSUPPORTED: return "unsupported";
    case ORCA_ERROR_EXIT: return "exit";
  }
  return "error";
}

const char* valKindName(wasm_valkind_t kind) {
  switch (kind) {
    case WASM_I32: return "i32";
    case WASM_I64: return "i64";
    case WASM_F32: return "f32";
    case WASM_F64: return "f64";
    case WASM_V128: return "v128";
    case WASM_FUNCREF: return "funcref";
    case WASM_EXTERNREF: return "externref";
  }
  return "?";
}

std::string ErrorInfo::describe() const {
  std::string text = std::string(errorKindName(kind)) + ": " + message;
  if (offset) {
    char at[40];
    std::snprintf(at, sizeof at, " (at offset 0x%zx)", *offset);
    text += at;
  }
  return text;
}

std::string nameString(const wasm_name_t* name) {
  if (!name || !name->data) return {};
  return std::string(name->data, name->size);
}

std::string messageString(const wasm_message_t* message) {
  std::string text = nameString(message);
  if (!text.empty() && text.back() == '\0') text.pop_back();
  return text;
}

ErrorInfo readError(const orca_error_t* error) {
  ErrorInfo info;
  info.kind = orca_error_kind(error);
  wasm_message_t message;
  orca_error_message(error, &message);
  info.message = messageString(&message);
  wasm_byte_vec_delete(&message);
  size_t offset = 0;
  if (orca_error_offset(error, &offset)) info.offset = offset;
  return info;
}

std::string trapMessage(const wasm_trap_t* trap) {
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  std::string text = messageString(&message);
  wasm_byte_vec_delete(&message);
  return text;
}

std::vector<std::string> trapFrames(const wasm_trap_t* trap) {
  std::vector<std::string> lines;
  wasm_frame_vec_t frames;
  wasm_trap_trace(trap, &frames);
  for (size_t i = 0; i < frames.size; ++i) {
    uint32_t index = wasm_frame_func_index(frames.data[i]);
    wasm_name_t name;
    orca_frame_func_name(frames.data[i], &name);
    std::string funcName = nameString(&name);
    wasm_byte_vec_delete(&name);
    char offset[80];
    std::snprintf(offset, sizeof offset, " (module offset 0x%zx, function offset 0x%zx)",
                  wasm_frame_module_offset(frames.data[i]), wasm_frame_func_offset(frames.data[i]));
    lines.push_back("#" + std::to_string(i) + " wasm function " + std::to_string(index) +
                    (funcName.empty() ? "" : " " + funcName) + offset);
  }
  wasm_frame_vec_delete(&frames);
  return lines;
}

}  // namespace orca::cli
