// One side of the differential test against Wasmtime: loads a wasm.h implementation with dlopen
// (liborca.so or Wasmtime's libwasmtime.so) and runs every module given through the standard
// wasm.h API only, so the same code drives both engines. For each module it prints what is
// observable: the outcome of instantiation, then of each exported function called with zero
// arguments (results, or the trap's kind), then each exported global's value, table's size and
// memory's contents (a hash). differential_wasmtime.sh runs it once per engine and compares.
// Termination comes from the modules themselves (`wasm-tools smith --ensure-termination` traps
// with `unreachable` when its counter runs out): wasm.h has no fuel.
// Usage: differential_wasmtime LIBRARY FILE.wasm...
#include <dlfcn.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "wasm.h"

namespace {

// The wasm.h functions used, looked up in the library loaded; the types come from the header.
#define WASM_FUNCTIONS(X)                                                                            \
  X(wasm_engine_new) X(wasm_engine_delete) X(wasm_store_new) X(wasm_store_delete)                   \
  X(wasm_byte_vec_new) X(wasm_byte_vec_delete) X(wasm_module_new) X(wasm_module_delete)             \
  X(wasm_module_imports) X(wasm_module_exports) X(wasm_importtype_vec_delete)                       \
  X(wasm_exporttype_vec_delete) X(wasm_importtype_type) X(wasm_exporttype_name) X(wasm_exporttype_type)                     \
  X(wasm_externtype_kind) X(wasm_externtype_as_functype_const)                                      \
  X(wasm_externtype_as_globaltype_const) X(wasm_externtype_as_tabletype_const)                      \
  X(wasm_externtype_as_memorytype_const) X(wasm_functype_params) X(wasm_functype_results)           \
  X(wasm_functype_delete) X(wasm_globaltype_content) X(wasm_valtype_kind)                           \
  X(wasm_func_new_with_env) X(wasm_func_type) X(wasm_func_call) X(wasm_global_new)                  \
  X(wasm_global_get) X(wasm_table_new) X(wasm_table_size) X(wasm_memory_new) X(wasm_memory_data)    \
  X(wasm_memory_data_size) X(wasm_func_as_extern) X(wasm_global_as_extern) X(wasm_table_as_extern)  \
  X(wasm_memory_as_extern) X(wasm_extern_as_func) X(wasm_extern_as_global) X(wasm_extern_as_table)  \
  X(wasm_extern_as_memory) X(wasm_extern_delete) X(wasm_extern_vec_new) X(wasm_extern_vec_delete)   \
  X(wasm_instance_new) X(wasm_instance_delete) X(wasm_instance_exports) X(wasm_trap_message)        \
  X(wasm_trap_delete) X(wasm_val_vec_new) X(wasm_val_vec_delete)

struct Api {
#define DECLARE(name) decltype(&::name) name = nullptr;
  WASM_FUNCTIONS(DECLARE)
#undef DECLARE
};
Api api;

bool loadApi(const char* path) {
  void* lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    std::fprintf(stderr, "differential_wasmtime: cannot load %s: %s\n", path, dlerror());
    return false;
  }
  bool ok = true;
#define RESOLVE(name)                                                                   \
  api.name = reinterpret_cast<decltype(&::name)>(dlsym(lib, #name));                   \
  if (!api.name) {                                                                      \
    std::fprintf(stderr, "differential_wasmtime: %s lacks %s\n", path, #name);         \
    ok = false;                                                                         \
  }
  WASM_FUNCTIONS(RESOLVE)
#undef RESOLVE
  return ok;
}

std::vector<char> readFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A trap as its kind: the engines word their messages differently, but each names the
// specification's condition. Out of stack is its own kind: the comparison stops there, since
// the depth that fits depends on each engine's frame sizes and stack limit.
std::string trapKind(wasm_trap_t* trap) {
  wasm_message_t message;
  api.wasm_trap_message(trap, &message);
  std::string text(message.data ? message.data : "", message.size);
  api.wasm_byte_vec_delete(&message);
  api.wasm_trap_delete(trap);
  static const char* const kinds[][2] = {
      {"unreachable", "unreachable"},
      {"integer divide by zero", "divide-by-zero"},
      {"integer overflow", "integer-overflow"},
      {"invalid conversion to integer", "invalid-conversion"},
      {"out of bounds memory access", "memory-out-of-bounds"},
      {"out of bounds table access", "table-out-of-bounds"},
      {"undefined element", "table-out-of-bounds"},
      {"uninitialized element", "uninitialized-element"},
      {"indirect call type mismatch", "indirect-call-type-mismatch"},
      {"call stack exhausted", "stack-exhausted"},
      {"stack overflow", "stack-exhausted"},
  };
  for (const auto& kind : kinds) {
    if (text.find(kind[0]) != std::string::npos) return kind[1];
  }
  // An unknown message is printed whole: the comparison then fails and shows it.
  while (!text.empty() && (text.back() == '\0' || text.back() == '\n')) text.pop_back();
  for (char& c : text) c = c == '\n' ? ' ' : c;
  return "other(" + text + ")";
}

std::string valueText(const wasm_val_t& value) {
  char buf[64];
  switch (value.kind) {
    case WASM_I32: std::snprintf(buf, sizeof buf, "i32:%08x", uint32_t(value.of.i32)); break;
    case WASM_I64: std::snprintf(buf, sizeof buf, "i64:%016llx", (unsigned long long)value.of.i64); break;
    case WASM_F32: {
      // NaN payloads are nondeterministic in the specification: any NaN is "nan".
      uint32_t bits;
      std::memcpy(&bits, &value.of.f32, 4);
      if (std::isnan(value.of.f32)) std::snprintf(buf, sizeof buf, "f32:nan");
      else std::snprintf(buf, sizeof buf, "f32:%08x", bits);
      break;
    }
    case WASM_F64: {
      uint64_t bits;
      std::memcpy(&bits, &value.of.f64, 8);
      if (std::isnan(value.of.f64)) std::snprintf(buf, sizeof buf, "f64:nan");
      else std::snprintf(buf, sizeof buf, "f64:%016llx", (unsigned long long)bits);
      break;
    }
    default:  // references are addresses that differ between engines: only null or not
      std::snprintf(buf, sizeof buf, "ref:%s", value.of.ref ? "some" : "null");
  }
  return buf;
}

// A zero (or null) of the kind. Not `wasm_val_t{}`: that zeroes only the union's first member,
// an i32, and the engine reads all eight bytes of an i64 or f64.
wasm_val_t zeroValue(wasm_valkind_t kind) {
  wasm_val_t value;
  std::memset(&value, 0, sizeof value);
  value.kind = kind;
  return value;
}

wasm_trap_t* zeroResults(void* env, const wasm_val_vec_t*, wasm_val_vec_t* results) {
  const auto* kinds = static_cast<const std::vector<wasm_valkind_t>*>(env);
  for (size_t i = 0; i < results->size; ++i) results->data[i] = zeroValue((*kinds)[i]);
  return nullptr;
}

// Wasmtime's wasm.h carries no externref in a wasm_val_t (it aborts the process on one): values
// of that type never cross the API, neither as arguments, results, nor global values.
bool hasExternref(const wasm_valtype_vec_t* types) {
  for (size_t i = 0; i < types->size; ++i) {
    if (api.wasm_valtype_kind(types->data[i]) == WASM_EXTERNREF) return true;
  }
  return false;
}

struct Stubs {
  std::vector<wasm_extern_t*> items;  // owned until handed to a wasm_extern_vec_t
  std::vector<std::vector<wasm_valkind_t>*> resultKinds;  // the host functions' environments
  ~Stubs() {
    for (wasm_extern_t* item : items) api.wasm_extern_delete(item);
    for (auto* kinds : resultKinds) delete kinds;
  }
};

// A stub for every import, in order: functions return zeros, the rest are fresh objects of the
// import's type (globals hold zero or null).
bool makeStubs(wasm_store_t* store, const wasm_module_t* module, Stubs& stubs) {
  wasm_importtype_vec_t imports;
  api.wasm_module_imports(module, &imports);
  bool ok = true;
  for (size_t i = 0; i < imports.size && ok; ++i) {
    const wasm_externtype_t* type = api.wasm_importtype_type(imports.data[i]);
    wasm_extern_t* item = nullptr;
    switch (api.wasm_externtype_kind(type)) {
      case WASM_EXTERN_FUNC: {
        const wasm_functype_t* ft = api.wasm_externtype_as_functype_const(type);
        if (hasExternref(api.wasm_functype_params(ft)) || hasExternref(api.wasm_functype_results(ft))) break;
        auto* kinds = new std::vector<wasm_valkind_t>;
        const wasm_valtype_vec_t* results = api.wasm_functype_results(ft);
        for (size_t r = 0; r < results->size; ++r) kinds->push_back(api.wasm_valtype_kind(results->data[r]));
        stubs.resultKinds.push_back(kinds);
        item = api.wasm_func_as_extern(api.wasm_func_new_with_env(store, ft, zeroResults, kinds, nullptr));
        break;
      }
      case WASM_EXTERN_GLOBAL: {
        const wasm_globaltype_t* gt = api.wasm_externtype_as_globaltype_const(type);
        wasm_val_t zero = zeroValue(api.wasm_valtype_kind(api.wasm_globaltype_content(gt)));
        if (zero.kind == WASM_EXTERNREF) break;
        item = api.wasm_global_as_extern(api.wasm_global_new(store, gt, &zero));
        break;
      }
      case WASM_EXTERN_TABLE:
        item = api.wasm_table_as_extern(api.wasm_table_new(store, api.wasm_externtype_as_tabletype_const(type), nullptr));
        break;
      case WASM_EXTERN_MEMORY:
        item = api.wasm_memory_as_extern(api.wasm_memory_new(store, api.wasm_externtype_as_memorytype_const(type)));
        break;
    }
    if (item) stubs.items.push_back(item);
    else ok = false;
  }
  api.wasm_importtype_vec_delete(&imports);
  return ok;
}

// An export's name, printable: names are any UTF-8, NULs and line breaks included.
std::string nameText(const wasm_name_t* name) {
  std::string text;
  for (size_t i = 0; i < name->size; ++i) {
    auto c = static_cast<unsigned char>(name->data[i]);
    char buf[8];
    if (c >= 0x21 && c < 0x7f && c != '\\') text += char(c);
    else std::snprintf(buf, sizeof buf, "\\x%02x", c), text += buf;
  }
  return text;
}

std::string callText(wasm_func_t* func) {
  wasm_functype_t* type = api.wasm_func_type(func);
  const wasm_valtype_vec_t* params = api.wasm_functype_params(type);
  const wasm_valtype_vec_t* resultTypes = api.wasm_functype_results(type);
  if (hasExternref(params) || hasExternref(resultTypes)) {
    api.wasm_functype_delete(type);
    return "not called (externref)";
  }
  std::vector<wasm_val_t> argv;
  for (size_t i = 0; i < params->size; ++i) argv.push_back(zeroValue(api.wasm_valtype_kind(params->data[i])));
  size_t resultCount = resultTypes->size;
  api.wasm_functype_delete(type);
  wasm_val_vec_t args, results;
  api.wasm_val_vec_new(&args, argv.size(), argv.data());
  std::vector<wasm_val_t> resultv(resultCount, zeroValue(WASM_I32));
  api.wasm_val_vec_new(&results, resultv.size(), resultv.data());
  std::string out;
  if (wasm_trap_t* trap = api.wasm_func_call(func, &args, &results)) {
    out = "trap " + trapKind(trap);
  } else {
    out = "returns";
    for (size_t i = 0; i < results.size; ++i) out += " " + valueText(results.data[i]);
  }
  api.wasm_val_vec_delete(&args);
  api.wasm_val_vec_delete(&results);
  return out;
}

// Everything observable of one module, as lines; "skipped" when a stub cannot be made.
std::string runModule(wasm_engine_t* engine, const std::vector<char>& bytes) {
  wasm_store_t* store = api.wasm_store_new(engine);
  wasm_byte_vec_t binary;
  api.wasm_byte_vec_new(&binary, bytes.size(), bytes.data());
  wasm_module_t* module = api.wasm_module_new(store, &binary);
  api.wasm_byte_vec_delete(&binary);
  std::string out;
  if (!module) {
    api.wasm_store_delete(store);
    return "does not compile\n";
  }
  {
    Stubs stubs;
    if (!makeStubs(store, module, stubs)) {
      out = "skipped\n";
    } else {
      wasm_extern_vec_t imports;
      api.wasm_extern_vec_new(&imports, stubs.items.size(), stubs.items.data());
      stubs.items.clear();  // the vector owns them now
      wasm_trap_t* trap = nullptr;
      wasm_instance_t* instance = api.wasm_instance_new(store, module, &imports, &trap);
      if (trap) out += "instantiate: trap " + trapKind(trap) + "\n";
      else if (!instance) out += "instantiate: failed\n";
      else out += "instantiate: ok\n";
      if (instance) {
        wasm_exporttype_vec_t exportTypes;
        api.wasm_module_exports(module, &exportTypes);
        wasm_extern_vec_t exports;
        api.wasm_instance_exports(instance, &exports);
        bool exhausted = false;
        for (size_t i = 0; i < exports.size && !exhausted; ++i) {
          if (wasm_func_t* func = api.wasm_extern_as_func(exports.data[i])) {
            std::string line = "call " + nameText(api.wasm_exporttype_name(exportTypes.data[i])) + ": " + callText(func);
            out += line + "\n";
            exhausted = line.ends_with("stack-exhausted");
          }
        }
        for (size_t i = 0; i < exports.size && !exhausted; ++i) {
          std::string label = nameText(api.wasm_exporttype_name(exportTypes.data[i]));
          if (wasm_global_t* global = api.wasm_extern_as_global(exports.data[i])) {
            wasm_val_t value{};
            // The export's type says the content's kind without reading an externref.
            const wasm_externtype_t* type = api.wasm_exporttype_type(exportTypes.data[i]);
            const wasm_globaltype_t* gt = api.wasm_externtype_as_globaltype_const(type);
            if (api.wasm_valtype_kind(api.wasm_globaltype_content(gt)) == WASM_EXTERNREF) {
              out += "global " + label + " externref\n";
              continue;
            }
            api.wasm_global_get(global, &value);
            out += "global " + label + " " + valueText(value) + "\n";
          } else if (wasm_table_t* table = api.wasm_extern_as_table(exports.data[i])) {
            out += "table " + label + " size " + std::to_string(api.wasm_table_size(table)) + "\n";
          } else if (wasm_memory_t* memory = api.wasm_extern_as_memory(exports.data[i])) {
            // FNV-1a of the contents and the size in bytes.
            uint64_t hash = 1469598103934665603ull;
            const char* data = api.wasm_memory_data(memory);
            size_t size = api.wasm_memory_data_size(memory);
            for (size_t b = 0; b < size; ++b) hash = (hash ^ uint8_t(data[b])) * 1099511628211ull;
            out += "memory " + label + " " + std::to_string(size) + " bytes, hash " + std::to_string(hash) + "\n";
          }
        }
        api.wasm_extern_vec_delete(&exports);
        api.wasm_exporttype_vec_delete(&exportTypes);
        api.wasm_instance_delete(instance);
      }
      api.wasm_extern_vec_delete(&imports);
    }
  }
  api.wasm_module_delete(module);
  api.wasm_store_delete(store);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: differential_wasmtime LIBRARY FILE.wasm...\n");
    return 2;
  }
  if (!loadApi(argv[1])) return 2;
  wasm_engine_t* engine = api.wasm_engine_new();
  for (int i = 2; i < argc; ++i) {
    // The header goes out before the run: if the engine crashes, the last header names the module.
    std::printf("== %s\n", argv[i]);
    std::fflush(stdout);
    std::printf("%s", runModule(engine, readFile(argv[i])).c_str());
    std::fflush(stdout);
  }
  api.wasm_engine_delete(engine);
  std::printf("== end\n");
  return 0;
}
