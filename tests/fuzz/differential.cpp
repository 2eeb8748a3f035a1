// Differential test of the compiler: every module given (valid modules from `wasm-tools smith`)
// is compiled at opt level 0 and at 2, instantiated with stub imports, and each exported function
// is called with zero arguments under fuel. Both builds must agree on every result (bit for bit),
// every trap message and backtrace (function and module offset of each frame) and the final
// bytes of every exported memory; a module that validates but does not compile is a failure
// too. Running out of stack and running out of fuel count as one outcome, and the comparison
// stops there: frames are larger at O0, so deep recursion may exhaust the stack in one build
// where the other exhausts its fuel first. Only the public C API.
// Usage: differential FILE.wasm... ; ends with "differential: N passed, N failed".
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "orca.h"

namespace {

constexpr uint64_t kFuel = 200000;

std::vector<char> readFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string errorText(orca_error_t* error) {
  wasm_message_t message;
  orca_error_message(error, &message);
  std::string text(message.data ? message.data : "");
  wasm_byte_vec_delete(&message);
  orca_error_delete(error);
  return text;
}

// A trap's frames as " at function@module_offset ...", innermost first: both builds must name
// the same instructions, whatever LLVM inlined at O2.
std::string framesText(const wasm_trap_t* trap) {
  wasm_frame_vec_t frames;
  wasm_trap_trace(trap, &frames);
  std::string text = " at";
  for (size_t i = 0; i < frames.size; ++i) {
    text += " " + std::to_string(wasm_frame_func_index(frames.data[i]));
    text += "@" + std::to_string(wasm_frame_module_offset(frames.data[i]));
  }
  wasm_frame_vec_delete(&frames);
  return text;
}

wasm_trap_t* zeroResults(void*, const wasm_val_vec_t*, wasm_val_vec_t* results) {
  for (size_t i = 0; i < results->size; ++i) results->data[i].of.i64 = 0;  // kinds are preset
  return nullptr;
}

// A stub for every import: functions return zeros, the rest are fresh objects of the import's type.
bool defineStubs(wasm_store_t* store, orca_linker_t* linker, const wasm_module_t* module, std::string& why) {
  wasm_importtype_vec_t imports;
  wasm_module_imports(module, &imports);
  bool ok = true;
  for (size_t i = 0; i < imports.size && ok; ++i) {
    const wasm_importtype_t* import = imports.data[i];
    std::string moduleName(wasm_importtype_module(import)->data, wasm_importtype_module(import)->size);
    std::string name(wasm_importtype_name(import)->data, wasm_importtype_name(import)->size);
    const wasm_externtype_t* type = wasm_importtype_type(import);
    wasm_extern_t* item = nullptr;
    switch (wasm_externtype_kind(type)) {
      case WASM_EXTERN_FUNC: {
        const wasm_functype_t* ft = wasm_externtype_as_functype_const(type);
        const wasm_valtype_vec_t* results = wasm_functype_results(ft);
        bool v128 = false;
        for (size_t r = 0; r < results->size; ++r) v128 |= wasm_valtype_kind(results->data[r]) == WASM_V128;
        if (v128) break;  // a wasm.h host function cannot return a v128: skip the module
        item = wasm_func_as_extern(wasm_func_new_with_env(store, ft, zeroResults, nullptr, nullptr));
        break;
      }
      case WASM_EXTERN_GLOBAL: {
        const wasm_globaltype_t* gt = wasm_externtype_as_globaltype_const(type);
        wasm_val_t zero{};
        zero.kind = wasm_valtype_kind(wasm_globaltype_content(gt));
        if (zero.kind == WASM_V128) break;  // wasm_val_t carries no v128: skip the module
        item = wasm_global_as_extern(wasm_global_new(store, gt, &zero));
        break;
      }
      case WASM_EXTERN_TABLE:
        item = wasm_table_as_extern(wasm_table_new(store, wasm_externtype_as_tabletype_const(type), nullptr));
        break;
      case WASM_EXTERN_MEMORY:
        item = wasm_memory_as_extern(wasm_memory_new(store, wasm_externtype_as_memorytype_const(type)));
        break;
    }
    if (!item) {
      why = "cannot make a stub for " + moduleName + "." + name;
      ok = false;
      break;
    }
    orca_linker_allow_shadowing(linker, true);
    if (orca_error_t* error = orca_linker_define(linker, moduleName.c_str(), name.c_str(), item)) {
      why = errorText(error);
      ok = false;
    }
    wasm_extern_delete(item);
  }
  wasm_importtype_vec_delete(&imports);
  return ok;
}

// Everything observable of one run, as text.
std::string runAll(uint8_t optLevel, const std::vector<char>& bytes, bool& skipped, std::string& failure) {
  wasm_config_t* config = wasm_config_new();
  orca_config_opt_level_set(config, optLevel);
  orca_config_consume_fuel_set(config, true);
  wasm_engine_t* engine = wasm_engine_new_with_config(config);
  wasm_store_t* store = wasm_store_new(engine);
  std::string out;
  wasm_byte_vec_t binary;
  wasm_byte_vec_new(&binary, bytes.size(), bytes.data());
  wasm_module_t* module = nullptr;
  orca_error_t* error = orca_module_new(engine, &binary, &module);
  wasm_byte_vec_delete(&binary);
  orca_linker_t* linker = orca_linker_new(store);
  wasm_instance_t* instance = nullptr;
  if (error) {
    failure = "does not compile at O" + std::to_string(optLevel) + ": " + errorText(error);
  } else if (std::string why; !defineStubs(store, linker, module, why)) {
    skipped = true;
  } else {
    orca_store_fuel_set(store, kFuel);
    if (orca_error_t* instError = orca_linker_instantiate(linker, module, &instance)) {
      out += "instantiate: " + errorText(instError) + "\n";
    }
  }
  if (instance) {
    wasm_exporttype_vec_t exportTypes;
    wasm_module_exports(module, &exportTypes);
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    bool stopped = false;
    for (size_t i = 0; i < exports.size; ++i) {
      std::string name(wasm_exporttype_name(exportTypes.data[i])->data, wasm_exporttype_name(exportTypes.data[i])->size);
      if (wasm_func_t* func = wasm_extern_as_func(exports.data[i])) {
        size_t params = wasm_func_param_arity(func), results = wasm_func_result_arity(func);
        std::vector<orca_val_raw_t> slots(std::max<size_t>(1, std::max(params, results)));
        std::memset(slots.data(), 0, slots.size() * sizeof(orca_val_raw_t));
        orca_store_fuel_set(store, kFuel);
        out += "call " + name + ": ";
        if (wasm_trap_t* trap = orca_func_call_unchecked(func, slots.data(), slots.size())) {
          orca_trap_code_t code = orca_trap_code(trap);
          wasm_message_t message;
          wasm_trap_message(trap, &message);
          bool exhausted = code == ORCA_TRAP_STACK_EXHAUSTED || code == ORCA_TRAP_OUT_OF_FUEL;
          out += exhausted ? std::string("exhausted") : std::string("trap ") + (message.data ? message.data : "");
          wasm_byte_vec_delete(&message);
          if (!exhausted) out += framesText(trap);
          wasm_trap_delete(trap);
          if (exhausted) {
            stopped = true;
            out += "\n";
            break;
          }
        } else {
          // Results as raw bytes; references are addresses and differ between stores.
          wasm_functype_t* type = wasm_func_type(func);
          const wasm_valtype_vec_t* kinds = wasm_functype_results(type);
          for (size_t r = 0; r < results; ++r) {
            wasm_valkind_t kind = wasm_valtype_kind(kinds->data[r]);
            char buf[64];
            if (kind == WASM_FUNCREF || kind == WASM_ANYREF) {
              std::snprintf(buf, sizeof buf, " ref%s", slots[r].ref ? "" : ".null");
            } else {
              uint64_t lo, hi;
              std::memcpy(&lo, slots[r].v128, 8);
              std::memcpy(&hi, slots[r].v128 + 8, 8);
              if (kind != WASM_V128) hi = 0;
              if (kind == WASM_I32 || kind == WASM_F32) lo &= 0xffffffffu;
              std::snprintf(buf, sizeof buf, " %016llx%016llx", (unsigned long long)hi, (unsigned long long)lo);
            }
            out += buf;
          }
          wasm_functype_delete(type);
        }
        out += "\n";
      }
    }
    for (size_t i = 0; i < exports.size && !stopped; ++i) {
      if (wasm_memory_t* memory = wasm_extern_as_memory(exports.data[i])) {
        // FNV-1a of the contents: a store that one build performs and the other drops shows here.
        uint64_t hash = 1469598103934665603ull;
        const char* data = wasm_memory_data(memory);
        for (size_t b = 0, n = wasm_memory_data_size(memory); b < n; ++b) hash = (hash ^ uint8_t(data[b])) * 1099511628211ull;
        out += "memory " + std::to_string(i) + " " + std::to_string(hash) + "\n";
      }
    }
    wasm_extern_vec_delete(&exports);
    wasm_exporttype_vec_delete(&exportTypes);
    wasm_instance_delete(instance);
  }
  orca_linker_delete(linker);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int passed = 0, failed = 0, skipped = 0;
  for (int i = 1; i < argc; ++i) {
    std::vector<char> bytes = readFile(argv[i]);
    bool skip0 = false, skip2 = false;
    std::string failure0, failure2;
    std::string o0 = runAll(0, bytes, skip0, failure0);
    std::string o2 = runAll(2, bytes, skip2, failure2);
    if (!failure0.empty() || !failure2.empty()) {
      std::printf("FAIL %s: %s\n", argv[i], (failure0.empty() ? failure2 : failure0).c_str());
      ++failed;
    } else if (skip0 || skip2) {
      ++skipped;
    } else if (o0 != o2) {
      std::printf("FAIL %s: O0 and O2 differ\n--- O0\n%s--- O2\n%s", argv[i], o0.c_str(), o2.c_str());
      ++failed;
    } else {
      ++passed;
    }
  }
  std::printf("differential: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
  return failed ? 1 : 0;
}
