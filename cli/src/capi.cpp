#include "capi.h"

#include <algorithm>
#include <cstdio>

#include "orca/ir/error.h"

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
    case ORCA_ERROR_INTERNAL: return "internal error";
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

namespace {

// The source line that holds byte `offset` of `source`, and under it a caret at that byte. The
// caret's indentation copies the line's tabs, so that it lines up however wide a terminal shows a
// tab, and counts a multi-byte UTF-8 character once. A long line is cut to the part around the
// caret. Empty when the line holds control characters: the file is then no text to show.
std::string sourceExcerpt(std::string_view source, size_t offset) {
  constexpr size_t kContext = 80;  // bytes shown on each side of the caret in a long line
  auto isContinuation = [&](size_t i) { return (static_cast<unsigned char>(source[i]) & 0xC0) == 0x80; };
  offset = std::min(offset, source.size());
  size_t begin = offset;
  while (begin > 0 && source[begin - 1] != '\n' && source[begin - 1] != '\r' && offset - begin < kContext) --begin;
  while (begin < offset && isContinuation(begin)) ++begin;
  size_t end = offset;
  while (end < source.size() && source[end] != '\n' && source[end] != '\r' && end - offset < kContext) ++end;
  while (end > offset && end < source.size() && isContinuation(end)) --end;
  std::string line(source.substr(begin, end - begin));
  std::string caret;
  for (size_t i = begin; i < end; ++i) {
    auto c = static_cast<unsigned char>(source[i]);
    if ((c < 0x20 && c != '\t') || c == 0x7F) return {};
    if (i >= offset) continue;
    if (c == '\t') caret += '\t';
    else if (!isContinuation(i)) caret += ' ';
  }
  return "\n" + line + "\n" + caret + "^";
}

}  // namespace

std::string ErrorInfo::describe() const {
  // The place is worded by core's one formatter, so the command and C++ callers agree.
  Error placed;
  placed.offset = offset;
  if (position) placed.position = orca::TextPosition{position->line, position->column};
  return std::string(errorKindName(kind)) + ": " + message + placed.describePlace();
}

std::string ErrorInfo::describeFile(const std::string& path, std::string_view source) const {
  if (!position) return path + ": " + describe();
  std::string text = path + ":" + std::to_string(position->line) + ":" + std::to_string(position->column) + ": " +
                     errorKindName(kind) + ": " + message;
  if (offset) text += sourceExcerpt(source, *offset);
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
  TextPosition position;
  if (orca_error_position(error, &position.line, &position.column)) info.position = position;
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
