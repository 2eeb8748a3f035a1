// The reference runner of the conformance suite: runs every case of tests/conformance over the
// public C API (wasm.h, orca.h, wasi.h) and nothing else. Every binding's runner is held to what
// this one does; README.md in the suite describes the format.
//
//   conformance_c SUITE_DIR [NAME_SUBSTRING]
//
// Prints "ok NAME" or "FAIL NAME: reason" per case and ends with "N passed, N failed".
#include <wasi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A check that failed; the case stops there and reports it.
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& why) { throw Failure(why); }

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string hexOf(const uint8_t* data, size_t size) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

std::vector<uint8_t> bytesOfHex(const std::string& hex) {
  if (hex.size() % 2) fail("odd hex string " + hex);
  std::vector<uint8_t> out;
  for (size_t i = 0; i < hex.size(); i += 2) out.push_back(uint8_t(std::stoul(hex.substr(i, 2), nullptr, 16)));
  return out;
}

std::string messageOf(wasm_message_t& m) {
  std::string s(m.data ? m.data : "", m.size);
  while (!s.empty() && s.back() == '\0') s.pop_back();
  wasm_byte_vec_delete(&m);
  return s;
}

std::string trapMessage(const wasm_trap_t* trap) {
  wasm_message_t m;
  wasm_trap_message(trap, &m);
  return messageOf(m);
}

std::string errorMessage(const orca_error_t* error) {
  wasm_message_t m;
  orca_error_message(error, &m);
  return messageOf(m);
}

const char* errorKindName(orca_error_kind_t kind) {
  static const char* names[] = {"malformed", "invalid",    "unlinkable",  "uninstantiable", "trap",
                                "exhaustion", "io",        "unsupported", "exit",           "internal"};
  return kind < sizeof names / sizeof *names ? names[kind] : "unknown";
}

const char* trapCodeName(orca_trap_code_t code) {
  static const char* names[] = {"unreachable",         "memory_out_of_bounds", "table_out_of_bounds",
                                "undefined_element",   "uninitialized_element",
                                "indirect_call_type_mismatch", "integer_divide_by_zero",
                                "integer_overflow",    "invalid_conversion",   "stack_exhausted",
                                "out_of_fuel",         "interrupted",          "host_error",
                                "exit"};
  return code < sizeof names / sizeof *names ? names[code] : "unknown";
}

wasm_valkind_t kindOf(const std::string& name) {
  if (name == "i32") return WASM_I32;
  if (name == "i64") return WASM_I64;
  if (name == "f32") return WASM_F32;
  if (name == "f64") return WASM_F64;
  if (name == "v128") return WASM_V128;
  if (name == "funcref") return WASM_FUNCREF;
  if (name == "externref") return WASM_EXTERNREF;
  fail("unknown value type " + name);
}

const char* kindName(wasm_valkind_t kind) {
  switch (kind) {
    case WASM_I32: return "i32";
    case WASM_I64: return "i64";
    case WASM_F32: return "f32";
    case WASM_F64: return "f64";
    case WASM_V128: return "v128";
    case WASM_FUNCREF: return "funcref";
    case WASM_EXTERNREF: return "externref";
    default: return "?";
  }
}

const char* externKindName(wasm_externkind_t kind) {
  switch (kind) {
    case WASM_EXTERN_FUNC: return "func";
    case WASM_EXTERN_GLOBAL: return "global";
    case WASM_EXTERN_TABLE: return "table";
    case WASM_EXTERN_MEMORY: return "memory";
    default: return "?";
  }
}

bool isRef(wasm_valkind_t k) { return k == WASM_FUNCREF || k == WASM_EXTERNREF; }

// A value as the suite writes it: "i32:-1", "f32:0x7fc00000" (bits), "v128:0x..." (a 128-bit
// number, lane 0 in the low bits), "funcref:null" / "funcref:EXPORT" / "funcref:nonnull",
// "externref:null" / "externref:ID".
struct Value {
  wasm_valkind_t kind = WASM_I32;
  uint64_t lo = 0, hi = 0;  // numbers (bits), v128
  std::string ref;          // "null", an export name, "nonnull", or an externref id
};

Value parseValue(const std::string& text) {
  auto colon = text.find(':');
  if (colon == std::string::npos) fail("bad value " + text);
  Value v;
  v.kind = kindOf(text.substr(0, colon));
  std::string rest = text.substr(colon + 1);
  switch (v.kind) {
    case WASM_I32: v.lo = uint32_t(std::stoll(rest)); break;
    case WASM_I64: v.lo = rest[0] == '-' ? uint64_t(std::stoll(rest)) : std::stoull(rest); break;
    case WASM_F32:
    case WASM_F64: v.lo = std::stoull(rest, nullptr, 16); break;
    case WASM_V128: {
      std::string h = rest.substr(0, 2) == "0x" ? rest.substr(2) : rest;
      if (h.size() > 32) fail("v128 too long: " + text);
      h = std::string(32 - h.size(), '0') + h;
      v.hi = std::stoull(h.substr(0, 16), nullptr, 16);
      v.lo = std::stoull(h.substr(16), nullptr, 16);
      break;
    }
    default: v.ref = rest;
  }
  return v;
}

std::string hex64(uint64_t x, int digits) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(x));
  return buf;
}

struct Case;

// A host function made from a "do" list of the behaviour vocabulary.
struct HostFunc {
  Case* owner;
  std::string name;  // "module.name", as the log records it
  json actions;
  std::vector<wasm_valkind_t> params, results;
  bool withCaller = false;           // made by orca_func_new_with_caller ("caller": true)
  orca_caller_t* caller = nullptr;   // during a call of such a function
};

struct Case {
  fs::path suite;
  json spec;
  wasm_engine_t* engine = nullptr;
  wasm_store_t* store = nullptr;
  wasm_module_t* module = nullptr;
  orca_linker_t* linker = nullptr;
  wasm_instance_t* instance = nullptr;
  wasi_env_t* wasi = nullptr;
  std::vector<std::string> log;
  std::vector<std::unique_ptr<HostFunc>> hosts;
  std::vector<wasm_foreign_t*> foreigns;  // externref objects the runner made (references to delete)
  std::vector<wasm_module_t*> extraModules;
  std::vector<wasm_extern_t*> extraExterns;  // host objects defined in the linker

  ~Case() {
    for (auto* f : foreigns) wasm_foreign_delete(f);
    for (auto* e : extraExterns) wasm_extern_delete(e);
    if (instance) wasm_instance_delete(instance);
    if (linker) orca_linker_delete(linker);
    if (module) wasm_module_delete(module);
    for (auto* m : extraModules) wasm_module_delete(m);
    if (store) wasm_store_delete(store);
    if (engine) wasm_engine_delete(engine);
  }

  // An export of the current instance.
  wasm_extern_t* exportNamed(const std::string& name) {
    if (!instance) fail("no instance");
    wasm_extern_t* e = orca_instance_export(instance, name.c_str());
    if (!e) fail("no export " + name);
    return e;
  }

  // A reference the suite names, as a new reference (null for "null").
  wasm_ref_t* makeRef(const Value& v) {
    if (v.ref == "null") return nullptr;
    if (v.kind == WASM_FUNCREF) {
      wasm_extern_t* e = exportNamed(v.ref);
      wasm_func_t* f = wasm_extern_as_func(e);
      if (!f) fail(v.ref + " is not a function");
      wasm_ref_t* r = wasm_ref_copy(wasm_func_as_ref(f));
      wasm_extern_delete(e);
      return r;
    }
    wasm_foreign_t* f = wasm_foreign_new(store);
    wasm_foreign_set_host_info(f, reinterpret_cast<void*>(static_cast<intptr_t>(std::stoll(v.ref))));
    foreigns.push_back(f);
    return wasm_ref_copy(wasm_foreign_as_ref(f));
  }

  wasm_val_t toVal(const Value& v) {
    wasm_val_t out;
    out.kind = v.kind;
    switch (v.kind) {
      case WASM_I32: out.of.i32 = int32_t(uint32_t(v.lo)); break;
      case WASM_I64: out.of.i64 = int64_t(v.lo); break;
      case WASM_F32: { uint32_t b = uint32_t(v.lo); std::memcpy(&out.of.f32, &b, 4); break; }
      case WASM_F64: std::memcpy(&out.of.f64, &v.lo, 8); break;
      case WASM_FUNCREF:
      case WASM_EXTERNREF: out.of.ref = makeRef(v); break;
      default: fail("a wasm_val_t cannot carry " + std::string(kindName(v.kind)));
    }
    return out;
  }

  std::string refText(wasm_valkind_t kind, const wasm_ref_t* r) {
    if (!r) return std::string(kindName(kind)) + ":null";
    if (kind == WASM_EXTERNREF) {
      return "externref:" + std::to_string(reinterpret_cast<intptr_t>(wasm_ref_get_host_info(r)));
    }
    return "funcref:nonnull";
  }

  std::string valText(const wasm_val_t& v) {
    switch (v.kind) {
      case WASM_I32: return "i32:" + std::to_string(v.of.i32);
      case WASM_I64: return "i64:" + std::to_string(v.of.i64);
      case WASM_F32: { uint32_t b; std::memcpy(&b, &v.of.f32, 4); return "f32:" + hex64(b, 8); }
      case WASM_F64: { uint64_t b; std::memcpy(&b, &v.of.f64, 8); return "f64:" + hex64(b, 16); }
      default: return refText(v.kind, v.of.ref);
    }
  }

  // Whether a reference result is the one the suite names.
  bool refMatches(const Value& want, const wasm_ref_t* got) {
    if (want.ref == "null") return got == nullptr;
    if (!got) return false;
    if (want.ref == "nonnull") return true;
    if (want.kind == WASM_EXTERNREF) return refText(WASM_EXTERNREF, got) == "externref:" + want.ref;
    wasm_extern_t* e = exportNamed(want.ref);
    bool same = wasm_ref_same(got, wasm_func_as_ref(wasm_extern_as_func(e)));
    wasm_extern_delete(e);
    return same;
  }

  void checkVal(const std::string& what, const std::string& wantText, const wasm_val_t& got) {
    Value want = parseValue(wantText);
    if (got.kind != want.kind) fail(what + ": expected " + wantText + ", got " + valText(got));
    bool ok;
    if (isRef(want.kind)) {
      ok = refMatches(want, got.of.ref);
    } else {
      ok = valText(got) == valText(toVal(want));
    }
    if (!ok) fail(what + ": expected " + wantText + ", got " + valText(got));
  }

  // Raw slots: the fast path.
  void toRaw(const Value& v, orca_val_raw_t& slot) {
    std::memset(&slot, 0, sizeof slot);
    if (v.kind == WASM_V128) {
      std::memcpy(slot.v128, &v.lo, 8);
      std::memcpy(slot.v128 + 8, &v.hi, 8);
    } else if (isRef(v.kind)) {
      wasm_ref_t* r = makeRef(v);
      if (!orca_ref_to_raw(store, r, v.kind, &slot.ref)) fail("orca_ref_to_raw refused " + v.ref);
      if (r) wasm_ref_delete(r);
    } else {
      wasm_val_t w = toVal(v);
      switch (v.kind) {
        case WASM_I32: slot.i32 = w.of.i32; break;
        case WASM_I64: slot.i64 = w.of.i64; break;
        case WASM_F32: slot.f32 = w.of.f32; break;
        default: slot.f64 = w.of.f64; break;
      }
    }
  }

  void checkRaw(const std::string& what, const std::string& wantText, const orca_val_raw_t& slot) {
    Value want = parseValue(wantText);
    if (want.kind == WASM_V128) {
      uint64_t lo, hi;
      std::memcpy(&lo, slot.v128, 8);
      std::memcpy(&hi, slot.v128 + 8, 8);
      if (lo != want.lo || hi != want.hi)
        fail(what + ": expected " + wantText + ", got v128:" + hex64(hi, 16) + hex64(lo, 16).substr(2));
      return;
    }
    wasm_val_t got;
    got.kind = want.kind;
    switch (want.kind) {
      case WASM_I32: got.of.i32 = slot.i32; break;
      case WASM_I64: got.of.i64 = slot.i64; break;
      case WASM_F32: got.of.f32 = slot.f32; break;
      case WASM_F64: got.of.f64 = slot.f64; break;
      default: got.of.ref = orca_ref_from_raw(store, slot.ref, want.kind); break;
    }
    try {
      checkVal(what, wantText, got);
    } catch (...) {
      wasm_val_delete(&got);
      throw;
    }
    wasm_val_delete(&got);
  }
};

// ---------------------------------------------------------------------------------------------
// Host functions: the behaviour vocabulary

wasm_trap_t* newTrap(wasm_store_t* store, const std::string& text) {
  wasm_message_t m;
  wasm_name_new_from_string_nt(&m, text.c_str());
  wasm_trap_t* t = wasm_trap_new(store, &m);
  wasm_name_delete(&m);
  return t;
}

// An export the host function reaches: the calling instance's through its caller, or else the
// case's instance. Null for a caller without an instance.
wasm_extern_t* hostExport(HostFunc& h, const std::string& name) {
  if (!h.withCaller) return h.owner->exportNamed(name);
  wasm_extern_t* e = orca_caller_export(h.caller, name.c_str());
  if (!e) {
    wasm_instance_t* instance = orca_caller_instance(h.caller);
    bool fromWasm = instance != nullptr;
    wasm_instance_delete(instance);
    if (fromWasm) fail("no export " + name);
  }
  return e;
}

wasm_trap_t* runHost(HostFunc& h, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  Case& c = *h.owner;
  for (const json& a : h.actions) {
    std::string op = a.at("op");
    if (op == "record") {
      std::string line = h.name + "(";
      for (size_t i = 0; i < args->size; ++i) line += (i ? ", " : "") + c.valText(args->data[i]);
      c.log.push_back(line + ")");
    } else if (op == "return") {
      for (size_t i = 0; i < results->size; ++i) results->data[i] = c.toVal(parseValue(a.at("values")[i]));
    } else if (op == "echo") {
      for (size_t i = 0; i < results->size; ++i) wasm_val_copy(&results->data[i], &args->data[i]);
    } else if (op == "add") {
      wasm_val_t sum;
      sum.kind = h.results.at(0);
      sum.of.i64 = 0;
      if (a.contains("value")) sum = c.toVal(parseValue(a["value"]));
      for (size_t i = 0; i < args->size; ++i) {
        const wasm_val_t& x = args->data[i];
        switch (sum.kind) {
          case WASM_I32: sum.of.i32 = int32_t(uint32_t(sum.of.i32) + uint32_t(x.of.i32)); break;
          case WASM_I64: sum.of.i64 = int64_t(uint64_t(sum.of.i64) + uint64_t(x.of.i64)); break;
          case WASM_F32: sum.of.f32 += x.of.f32; break;
          case WASM_F64: sum.of.f64 += x.of.f64; break;
          default: return newTrap(c.store, "add: not a number type");
        }
      }
      results->data[0] = sum;
    } else if (op == "error" || op == "panic") {
      // C has no panics: both are a host error, a trap carrying the message.
      return newTrap(c.store, a.at("message").get<std::string>());
    } else if (op == "call") {
      wasm_extern_t* e = hostExport(h, a.at("func"));
      if (!e) return newTrap(c.store, "host: no calling instance");
      wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(e), args, results);
      wasm_extern_delete(e);
      if (trap) return trap;  // passed on: the guest's trap travels through this host frame
    } else if (op == "read" || op == "write") {
      wasm_extern_t* e = hostExport(h, a.at("memory"));
      if (!e) return newTrap(c.store, "host: no calling instance");
      wasm_memory_t* mem = wasm_extern_as_memory(e);
      size_t size = wasm_memory_data_size(mem);
      uint32_t ptr = uint32_t(args->data[a.at("ptr").get<int>()].of.i32);
      std::vector<uint8_t> bytes;
      size_t len;
      if (op == "read") {
        len = uint32_t(args->data[a.at("len").get<int>()].of.i32);
      } else {
        bytes = bytesOfHex(a.at("hex"));
        len = bytes.size();
      }
      if (size_t(ptr) + len > size) {
        wasm_extern_delete(e);
        return newTrap(c.store, "host: memory access out of bounds");
      }
      uint8_t* data = reinterpret_cast<uint8_t*>(wasm_memory_data(mem));
      if (op == "read") c.log.push_back("read:" + std::string(reinterpret_cast<char*>(data + ptr), len));
      else std::memcpy(data + ptr, bytes.data(), len);
      wasm_extern_delete(e);
    } else {
      return newTrap(c.store, "unknown host action " + op);
    }
  }
  return nullptr;
}

wasm_trap_t* hostCallback(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  HostFunc& h = *static_cast<HostFunc*>(env);
  try {
    return runHost(h, args, results);
  } catch (const std::exception& e) {
    return newTrap(h.owner->store, std::string("runner: ") + e.what());
  }
}

// A host function with a caller: raw slots in and out, around the same vocabulary.
wasm_trap_t* hostCallbackWithCaller(void* env, orca_caller_t* caller, const orca_val_raw_t* rawArgs,
                                    orca_val_raw_t* rawResults) {
  HostFunc& h = *static_cast<HostFunc*>(env);
  Case& c = *h.owner;
  orca_caller_t* outer = h.caller;  // a host function may be re-entered
  h.caller = caller;
  std::vector<wasm_val_t> args(h.params.size()), results(h.results.size());
  for (size_t i = 0; i < args.size(); ++i) {
    args[i].kind = h.params[i];
    switch (h.params[i]) {
      case WASM_I32: args[i].of.i32 = rawArgs[i].i32; break;
      case WASM_I64: args[i].of.i64 = rawArgs[i].i64; break;
      case WASM_F32: args[i].of.f32 = rawArgs[i].f32; break;
      case WASM_F64: args[i].of.f64 = rawArgs[i].f64; break;
      default: args[i].of.ref = orca_ref_from_raw(c.store, rawArgs[i].ref, h.params[i]); break;
    }
  }
  for (size_t i = 0; i < results.size(); ++i) {
    results[i].kind = h.results[i];
    results[i].of.i64 = 0;
  }
  wasm_val_vec_t argVec{args.size(), args.data()}, resultVec{results.size(), results.data()};
  wasm_trap_t* trap = hostCallback(&h, &argVec, &resultVec);
  h.caller = outer;
  for (size_t i = 0; !trap && i < results.size(); ++i) {
    switch (h.results[i]) {
      case WASM_I32: rawResults[i].i32 = results[i].of.i32; break;
      case WASM_I64: rawResults[i].i64 = results[i].of.i64; break;
      case WASM_F32: rawResults[i].f32 = results[i].of.f32; break;
      case WASM_F64: rawResults[i].f64 = results[i].of.f64; break;
      default:
        if (!orca_ref_to_raw(c.store, results[i].of.ref, h.results[i], &rawResults[i].ref))
          trap = newTrap(c.store, "runner: a result reference of another store");
    }
  }
  for (auto& v : args) wasm_val_delete(&v);
  for (auto& v : results) wasm_val_delete(&v);
  return trap;
}

wasm_functype_t* funcType(const json& params, const json& results, HostFunc* h) {
  wasm_valtype_vec_t p, r;
  wasm_valtype_vec_new_uninitialized(&p, params.size());
  wasm_valtype_vec_new_uninitialized(&r, results.size());
  for (size_t i = 0; i < params.size(); ++i) {
    wasm_valkind_t k = kindOf(params[i]);
    p.data[i] = wasm_valtype_new(k);
    if (h) h->params.push_back(k);
  }
  for (size_t i = 0; i < results.size(); ++i) {
    wasm_valkind_t k = kindOf(results[i]);
    r.data[i] = wasm_valtype_new(k);
    if (h) h->results.push_back(k);
  }
  return wasm_functype_new(&p, &r);
}

HostFunc* newHost(Case& c, const json& spec, const std::string& name) {
  c.hosts.push_back(std::make_unique<HostFunc>());
  HostFunc* h = c.hosts.back().get();
  h->owner = &c;
  h->name = name;
  h->actions = spec.value("do", json::array());
  return h;
}

// The host function a spec (an import, or a host.call step) describes, in the form it asks for.
wasm_func_t* newHostFunc(Case& c, const json& spec, HostFunc* h) {
  wasm_functype_t* t = funcType(spec.at("params"), spec.at("results"), h);
  h->withCaller = spec.value("caller", false);
  wasm_func_t* f = h->withCaller ? orca_func_new_with_caller(c.store, t, hostCallbackWithCaller, h, nullptr)
                                 : wasm_func_new_with_env(c.store, t, hostCallback, h, nullptr);
  wasm_functype_delete(t);
  if (!f) fail("cannot make host function " + h->name);
  return f;
}

// ---------------------------------------------------------------------------------------------
// Modules, linking, instantiation

std::vector<uint8_t> moduleBytes(Case& c, const json& spec) {
  std::string text;
  if (spec.contains("wasm_hex")) return bytesOfHex(spec["wasm_hex"]);
  if (spec.contains("wat")) {
    std::string wat = spec["wat"];
    text = wat.find('(') == std::string::npos ? readFile(c.suite / "modules" / wat) : wat;
  } else if (spec.contains("module")) {
    text = readFile(c.suite / "modules" / spec["module"].get<std::string>());
  } else {
    fail("case names no module");
  }
  wasm_byte_vec_t in, out;
  wasm_byte_vec_new(&in, text.size(), text.data());
  orca_error_t* err = orca_wat2wasm(&in, &out);
  wasm_byte_vec_delete(&in);
  if (err) {
    std::string m = errorMessage(err);
    orca_error_delete(err);
    fail("wat2wasm: " + m);
  }
  std::vector<uint8_t> bytes(out.data, out.data + out.size);
  wasm_byte_vec_delete(&out);
  return bytes;
}

// Compiles; returns the error (kind, message) or null with *out set.
orca_error_t* compile(Case& c, const std::vector<uint8_t>& bytes, wasm_module_t** out) {
  wasm_byte_vec_t v;
  wasm_byte_vec_new(&v, bytes.size(), reinterpret_cast<const char*>(bytes.data()));
  orca_error_t* err = orca_module_new(c.engine, &v, out);
  wasm_byte_vec_delete(&v);
  return err;
}

void checkOk(orca_error_t* err, const std::string& what) {
  if (!err) return;
  std::string m = errorMessage(err);
  orca_error_delete(err);
  fail(what + ": " + m);
}

void defineImports(Case& c, const json& imports) {
  for (const json& imp : imports) {
    std::string kind = imp.at("kind"), mod = imp.at("module");
    if (kind == "instance") {
      Case& cc = c;
      wasm_module_t* m = nullptr;
      checkOk(compile(cc, moduleBytes(c, imp), &m), "compile " + mod);
      c.extraModules.push_back(m);
      wasm_instance_t* inst = nullptr;
      checkOk(orca_linker_instantiate(c.linker, m, &inst), "instantiate " + mod);
      orca_error_t* err = orca_linker_define_instance(c.linker, mod.c_str(), inst);
      wasm_instance_delete(inst);
      checkOk(err, "define instance " + mod);
      continue;
    }
    std::string name = imp.at("name");
    wasm_extern_t* ext = nullptr;
    if (kind == "func" && imp.value("caller", false)) {
      ext = wasm_func_as_extern(newHostFunc(c, imp, newHost(c, imp, mod + "." + name)));
    } else if (kind == "func") {
      HostFunc* h = newHost(c, imp, mod + "." + name);
      wasm_functype_t* t = funcType(imp.at("params"), imp.at("results"), h);
      checkOk(orca_linker_define_func(c.linker, mod.c_str(), name.c_str(), t, hostCallback, h, nullptr),
              "define " + name);
      wasm_functype_delete(t);
      continue;
    } else if (kind == "global") {
      wasm_globaltype_t* t = wasm_globaltype_new(wasm_valtype_new(kindOf(imp.at("type"))),
                                                 imp.value("mutable", false) ? WASM_VAR : WASM_CONST);
      wasm_val_t v = c.toVal(parseValue(imp.at("value")));
      wasm_global_t* g = wasm_global_new(c.store, t, &v);
      wasm_globaltype_delete(t);
      if (!g) fail("wasm_global_new failed");
      ext = wasm_global_as_extern(g);
    } else if (kind == "memory") {
      wasm_limits_t limits = {imp.at("min").get<uint32_t>(), imp.value("max", wasm_limits_max_default)};
      wasm_memorytype_t* t = wasm_memorytype_new(&limits);
      wasm_memory_t* m = wasm_memory_new(c.store, t);
      wasm_memorytype_delete(t);
      if (!m) fail("wasm_memory_new failed");
      ext = wasm_memory_as_extern(m);
    } else if (kind == "table") {
      wasm_limits_t limits = {imp.at("min").get<uint32_t>(), imp.value("max", wasm_limits_max_default)};
      wasm_tabletype_t* t = wasm_tabletype_new(wasm_valtype_new(kindOf(imp.at("elem"))), &limits);
      wasm_table_t* tab = wasm_table_new(c.store, t, nullptr);
      wasm_tabletype_delete(t);
      if (!tab) fail("wasm_table_new failed");
      ext = wasm_table_as_extern(tab);
    } else {
      fail("unknown import kind " + kind);
    }
    c.extraExterns.push_back(ext);
    checkOk(orca_linker_define(c.linker, mod.c_str(), name.c_str(), ext), "define " + name);
  }
}

void defineWasi(Case& c, const json& spec) {
  wasi_config_t* config = wasi_config_new();
  std::vector<std::string> args = spec.value("args", std::vector<std::string>{});
  std::vector<const char*> argv;
  for (auto& a : args) argv.push_back(a.c_str());
  wasi_config_set_argv(config, argv.size(), argv.data());
  std::vector<std::string> names, values;
  for (const json& kv : spec.value("env", json::array())) {
    names.push_back(kv[0]);
    values.push_back(kv[1]);
  }
  std::vector<const char*> np, vp;
  for (size_t i = 0; i < names.size(); ++i) {
    np.push_back(names[i].c_str());
    vp.push_back(values[i].c_str());
  }
  wasi_config_set_env(config, np.size(), np.data(), vp.data());
  for (const json& p : spec.value("preopens", json::array())) {
    std::string host = (c.suite / p.at("host").get<std::string>()).string();
    wasi_config_preopen_dir(config, host.c_str(), p.at("guest").get<std::string>().c_str());
  }
  if (spec.contains("stdin")) {
    std::string in = spec["stdin"];
    wasm_byte_vec_t bytes;
    wasm_byte_vec_new(&bytes, in.size(), in.data());
    wasi_config_set_stdin_bytes(config, &bytes);
    wasm_byte_vec_delete(&bytes);
  }
  wasi_config_capture_stdout(config);
  wasi_config_capture_stderr(config);
  checkOk(orca_linker_define_wasi(c.linker, config, &c.wasi), "define wasi");
}

// ---------------------------------------------------------------------------------------------
// Calls and their expectations

void checkTrap(Case& c, const json& step, wasm_trap_t* trap) {
  if (step.contains("exit")) {
    if (!trap) fail("expected exit " + step["exit"].dump() + ", call returned");
    int status = -1;
    bool exited = orca_trap_exit_status(trap, &status);
    std::string m = trapMessage(trap);
    wasm_trap_delete(trap);
    if (!exited) fail("expected exit, got trap: " + m);
    if (status != step["exit"].get<int>()) fail("exit status " + std::to_string(status));
    return;
  }
  if (step.contains("error")) {
    if (!trap) fail("expected an error, call returned");
    std::string m = trapMessage(trap);
    wasm_trap_delete(trap);
    if (m.find(step["error"].get<std::string>()) == std::string::npos) fail("error message: " + m);
    return;
  }
  const json& want = step.at("trap");
  if (!trap) fail("expected trap " + want.dump() + ", call returned");
  std::string m = trapMessage(trap);
  std::string code = trapCodeName(orca_trap_code(trap));
  wasm_frame_vec_t frames;
  wasm_trap_trace(trap, &frames);
  std::vector<uint32_t> trace;
  std::vector<size_t> offsets;
  for (size_t i = 0; i < frames.size; ++i) {
    trace.push_back(wasm_frame_func_index(frames.data[i]));
    offsets.push_back(wasm_frame_module_offset(frames.data[i]));
  }
  wasm_frame_vec_delete(&frames);
  wasm_trap_delete(trap);
  if (m.find(want.at("message").get<std::string>()) == std::string::npos) fail("trap message: " + m);
  if (want.contains("code") && code != want["code"].get<std::string>()) fail("trap code " + code + " (" + m + ")");
  if (want.value("from_host", false) && code != "host_error") fail("not a host error: " + code);
  if (want.contains("trace")) {
    std::vector<uint32_t> expected = want["trace"];
    if (trace != expected) fail("trace " + json(trace).dump() + ", expected " + json(expected).dump());
  }
  if (want.contains("module_offsets")) {
    std::vector<size_t> expected = want["module_offsets"];
    if (offsets != expected)
      fail("module offsets " + json(offsets).dump() + ", expected " + json(expected).dump());
  }
}

// Calls func once as the step says, checking the outcome.
void callOnce(Case& c, wasm_func_t* func, const json& step) {
  const json& args = step.value("args", json::array());
  wasm_functype_t* type = wasm_func_type(func);
  const wasm_valtype_vec_t* params = wasm_functype_params(type);
  const wasm_valtype_vec_t* results = wasm_functype_results(type);
  bool hasV128 = false;
  for (size_t i = 0; i < params->size; ++i) hasV128 |= wasm_valtype_kind(params->data[i]) == WASM_V128;
  for (size_t i = 0; i < results->size; ++i) hasV128 |= wasm_valtype_kind(results->data[i]) == WASM_V128;
  size_t nresults = results->size, nparams = params->size;
  std::vector<wasm_valkind_t> resultKinds;
  for (size_t i = 0; i < nresults; ++i) resultKinds.push_back(wasm_valtype_kind(results->data[i]));
  wasm_functype_delete(type);
  bool expectValues = step.contains("expect");

  // wasm_val_t cannot carry a v128, so v128 signatures always take the raw path.
  if (step.value("raw", false) || hasV128) {
    if (args.size() != nparams) fail("raw call: argument count");
    std::vector<orca_val_raw_t> slots(std::max<size_t>({nparams, nresults, 1}));
    for (size_t i = 0; i < args.size(); ++i) c.toRaw(parseValue(args[i]), slots[i]);
    wasm_trap_t* trap = orca_func_call_unchecked(func, slots.data(), slots.size());
    if (!expectValues) return checkTrap(c, step, trap);
    if (trap) {
      std::string m = trapMessage(trap);
      wasm_trap_delete(trap);
      fail("unexpected trap: " + m);
    }
    const json& want = step["expect"];
    if (want.size() != nresults) fail("result count");
    for (size_t i = 0; i < nresults; ++i) c.checkRaw("result " + std::to_string(i), want[i], slots[i]);
    return;
  }

  std::vector<wasm_val_t> argv;
  for (const json& a : args) argv.push_back(c.toVal(parseValue(a)));
  std::vector<wasm_val_t> resv(nresults);
  for (auto& r : resv) { r.kind = WASM_I32; r.of.i64 = 0; }
  wasm_val_vec_t av = {argv.size(), argv.data()}, rv = {resv.size(), resv.data()};
  wasm_trap_t* trap = wasm_func_call(func, &av, &rv);
  for (auto& a : argv) wasm_val_delete(&a);
  if (!expectValues) return checkTrap(c, step, trap);
  if (trap) {
    std::string m = trapMessage(trap);
    wasm_trap_delete(trap);
    fail("unexpected trap: " + m);
  }
  const json& want = step["expect"];
  std::string problem;
  if (want.size() != nresults) problem = "result count";
  for (size_t i = 0; i < nresults && problem.empty(); ++i) {
    try {
      c.checkVal("result " + std::to_string(i), want[i], resv[i]);
    } catch (const Failure& f) {
      problem = f.what();
    }
  }
  for (size_t i = 0; i < nresults; ++i) if (isRef(resultKinds[i])) wasm_val_delete(&resv[i]);
  if (!problem.empty()) fail(problem);
}

// A timer that interrupts the store unless cancelled first.
struct Interrupter {
  std::mutex mu;
  std::condition_variable cv;
  bool cancelled = false;
  std::thread thread;
  Interrupter(wasm_store_t* store, int ms) {
    thread = std::thread([this, store, ms] {
      std::unique_lock lock(mu);
      if (!cv.wait_for(lock, std::chrono::milliseconds(ms), [this] { return cancelled; })) {
        orca_error_t* err = orca_store_interrupt(store);
        if (err) orca_error_delete(err);
      }
    });
  }
  ~Interrupter() {
    { std::lock_guard lock(mu); cancelled = true; }
    cv.notify_all();
    thread.join();
  }
};

void stepCall(Case& c, const json& step) {
  wasm_extern_t* e = c.exportNamed(step.at("func"));
  wasm_func_t* f = wasm_extern_as_func(e);
  struct Guard { wasm_extern_t* e; ~Guard() { wasm_extern_delete(e); } } guard{e};
  if (!f) fail(step["func"].get<std::string>() + " is not a function");
  int repeat = step.value("repeat", 1);
  std::unique_ptr<Interrupter> timer;
  if (step.contains("interrupt_after_ms")) timer = std::make_unique<Interrupter>(c.store, step["interrupt_after_ms"]);
  for (int i = 0; i < repeat; ++i) callOnce(c, f, step);
}

// ---------------------------------------------------------------------------------------------
// The other steps

std::vector<std::vector<std::string>> listExterns(const wasm_module_t* m, bool imports) {
  std::vector<std::vector<std::string>> out;
  if (imports) {
    wasm_importtype_vec_t v;
    wasm_module_imports(m, &v);
    for (size_t i = 0; i < v.size; ++i) {
      const wasm_name_t* mod = wasm_importtype_module(v.data[i]);
      const wasm_name_t* name = wasm_importtype_name(v.data[i]);
      out.push_back({std::string(mod->data, mod->size), std::string(name->data, name->size),
                     externKindName(wasm_externtype_kind(wasm_importtype_type(v.data[i])))});
    }
    wasm_importtype_vec_delete(&v);
  } else {
    wasm_exporttype_vec_t v;
    wasm_module_exports(m, &v);
    for (size_t i = 0; i < v.size; ++i) {
      const wasm_name_t* name = wasm_exporttype_name(v.data[i]);
      out.push_back({std::string(name->data, name->size),
                     externKindName(wasm_externtype_kind(wasm_exporttype_type(v.data[i])))});
    }
    wasm_exporttype_vec_delete(&v);
  }
  return out;
}

std::vector<std::string> kindNames(const wasm_valtype_vec_t* v) {
  std::vector<std::string> out;
  for (size_t i = 0; i < v->size; ++i) out.push_back(kindName(wasm_valtype_kind(v->data[i])));
  return out;
}

void expectEq(const std::string& what, const json& got, const json& want) {
  if (got != want) fail(what + ": got " + got.dump() + ", expected " + want.dump());
}

void instantiate(Case& c, wasm_instance_t** out, orca_error_t** error) {
  *error = orca_linker_instantiate(c.linker, c.module, out);
}

// Runs `count` threads, each with its own store over the shared module, calling func `iterations` times.
void stepThreads(Case& c, const json& step) {
  int count = step.at("count"), iterations = step.at("iterations");
  std::atomic<int> failures{0};
  std::mutex mu;
  std::string firstProblem;
  std::vector<std::thread> threads;
  for (int t = 0; t < count; ++t) {
    wasm_shared_module_t* shared = wasm_module_share(c.module);
    threads.emplace_back([&, shared] {
      Case local;
      local.suite = c.suite;
      local.store = wasm_store_new(c.engine);
      local.module = wasm_module_obtain(local.store, shared);
      wasm_shared_module_delete(shared);
      try {
        if (!local.module) fail("wasm_module_obtain failed");
        local.linker = orca_linker_new(local.store);
        orca_error_t* err = nullptr;
        instantiate(local, &local.instance, &err);
        checkOk(err, "instantiate");
        json call = step;
        call["op"] = "call";
        for (int i = 0; i < iterations; ++i) stepCall(local, call);
      } catch (const std::exception& e) {
        ++failures;
        std::lock_guard lock(mu);
        if (firstProblem.empty()) firstProblem = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  if (failures) fail(std::to_string(failures.load()) + " threads failed: " + firstProblem);
}

void runStep(Case& c, const json& step) {
  std::string op = step.at("op");
  if (op == "call") return stepCall(c, step);
  if (op == "log") {
    std::vector<std::string> want = step.at("expect");
    std::vector<std::string> got = c.log;
    c.log.clear();
    return expectEq("log", got, want);
  }
  if (op == "exports" || op == "imports") {
    auto got = listExterns(c.module, op == "imports");
    return expectEq(op, got, step.at("expect"));
  }
  if (op == "func.type") {
    wasm_extern_t* e = c.exportNamed(step.at("func"));
    wasm_functype_t* t = wasm_func_type(wasm_extern_as_func(e));
    auto params = kindNames(wasm_functype_params(t)), results = kindNames(wasm_functype_results(t));
    wasm_functype_delete(t);
    wasm_extern_delete(e);
    expectEq("params", params, step.at("params"));
    return expectEq("results", results, step.at("results"));
  }
  if (op == "host.call") {
    wasm_func_t* f = newHostFunc(c, step, newHost(c, step, "host"));
    try {
      callOnce(c, f, step);
    } catch (...) {
      wasm_func_delete(f);
      throw;
    }
    wasm_func_delete(f);
    return;
  }
  if (op.rfind("memory.", 0) == 0) {
    wasm_extern_t* e = c.exportNamed(step.at("export"));
    struct Guard { wasm_extern_t* e; ~Guard() { wasm_extern_delete(e); } } guard{e};
    wasm_memory_t* mem = wasm_extern_as_memory(e);
    if (!mem) fail("not a memory");
    size_t size = wasm_memory_data_size(mem);
    auto* data = reinterpret_cast<uint8_t*>(wasm_memory_data(mem));
    bool wantOk = step.value("ok", true);
    if (op == "memory.read" || op == "memory.write") {
      size_t offset = step.at("offset");
      std::vector<uint8_t> bytes = step.contains("hex") ? bytesOfHex(step["hex"]) : std::vector<uint8_t>();
      size_t len = step.contains("length") ? step["length"].get<size_t>() : bytes.size();
      // A view of the memory: an access past its end is refused, as a slice's bounds would.
      bool inBounds = offset + len <= size;
      if (inBounds != wantOk) fail(op + " at " + std::to_string(offset) + (inBounds ? " was allowed" : " was refused"));
      if (!inBounds) return;
      if (op == "memory.write") { std::memcpy(data + offset, bytes.data(), len); return; }
      return expectEq("bytes", hexOf(data + offset, len), step["hex"]);
    }
    if (op == "memory.size") return expectEq("pages", wasm_memory_size(mem), step.at("pages"));
    if (op == "memory.data_size") return expectEq("bytes", size, step.at("bytes"));
    if (op == "memory.grow") return expectEq("grow", wasm_memory_grow(mem, step.at("delta")), step.at("ok"));
    if (op == "memory.type") {
      wasm_memorytype_t* t = wasm_memory_type(mem);
      const wasm_limits_t* l = wasm_memorytype_limits(t);
      json got = {{"min", l->min}, {"max", l->max}};
      wasm_memorytype_delete(t);
      return expectEq("limits", got, json{{"min", step.at("min")}, {"max", step.value("max", wasm_limits_max_default)}});
    }
  }
  if (op.rfind("global.", 0) == 0) {
    wasm_extern_t* e = c.exportNamed(step.at("export"));
    struct Guard { wasm_extern_t* e; ~Guard() { wasm_extern_delete(e); } } guard{e};
    wasm_global_t* g = wasm_extern_as_global(e);
    if (!g) fail("not a global");
    wasm_globaltype_t* t = wasm_global_type(g);
    wasm_valkind_t kind = wasm_valtype_kind(wasm_globaltype_content(t));
    bool mut = wasm_globaltype_mutability(t) == WASM_VAR;
    wasm_globaltype_delete(t);
    if (op == "global.type") {
      expectEq("type", kindName(kind), step.at("type"));
      return expectEq("mutable", mut, step.at("mutable"));
    }
    if (op == "global.get") {
      wasm_val_t v;
      wasm_global_get(g, &v);
      try { c.checkVal("global", step.at("expect"), v); } catch (...) { wasm_val_delete(&v); throw; }
      wasm_val_delete(&v);
      return;
    }
    if (op == "global.set") {
      Value want = parseValue(step.at("value"));
      // wasm_global_set has no way to fail; a binding refuses a const global or a value of another
      // type before calling it, and so does this runner.
      bool allowed = mut && want.kind == kind;
      if (allowed != step.value("ok", true)) fail(allowed ? "set was allowed" : "set was refused");
      if (!allowed) return;
      wasm_val_t v = c.toVal(want);
      wasm_global_set(g, &v);
      wasm_val_delete(&v);
      return;
    }
  }
  if (op.rfind("table.", 0) == 0) {
    wasm_extern_t* e = c.exportNamed(step.at("export"));
    struct Guard { wasm_extern_t* e; ~Guard() { wasm_extern_delete(e); } } guard{e};
    wasm_table_t* tab = wasm_extern_as_table(e);
    if (!tab) fail("not a table");
    wasm_tabletype_t* t = wasm_table_type(tab);
    wasm_valkind_t elem = wasm_valtype_kind(wasm_tabletype_element(t));
    wasm_limits_t limits = *wasm_tabletype_limits(t);
    wasm_tabletype_delete(t);
    bool wantOk = step.value("ok", true);
    if (op == "table.type") {
      expectEq("elem", kindName(elem), step.at("elem"));
      return expectEq("limits", json{{"min", limits.min}, {"max", limits.max}},
                      json{{"min", step.at("min")}, {"max", step.value("max", wasm_limits_max_default)}});
    }
    if (op == "table.size") return expectEq("size", wasm_table_size(tab), step.at("size"));
    if (op == "table.get") {
      uint32_t index = step.at("index");
      // wasm_table_get returns null both for a null element and out of bounds: the size decides.
      bool inBounds = index < wasm_table_size(tab);
      if (inBounds != wantOk) fail(inBounds ? "get was allowed" : "get was refused");
      if (!inBounds) return;
      wasm_ref_t* r = wasm_table_get(tab, index);
      bool ok = c.refMatches(parseValue(step.at("expect")), r);
      std::string text = c.refText(elem, r);
      if (r) wasm_ref_delete(r);
      if (!ok) fail("element " + text + ", expected " + step["expect"].get<std::string>());
      return;
    }
    if (op == "table.set" || op == "table.grow") {
      wasm_ref_t* r = c.makeRef(parseValue(step.at(op == "table.set" ? "value" : "init")));
      bool ok = op == "table.set" ? wasm_table_set(tab, step.at("index"), r) : wasm_table_grow(tab, step.at("delta"), r);
      if (r) wasm_ref_delete(r);
      return expectEq(op, ok, wantOk);
    }
  }
  if (op == "serialize") {
    wasm_byte_vec_t bytes;
    wasm_module_serialize(c.module, &bytes);
    wasm_module_t* again = wasm_module_deserialize(c.store, &bytes);
    wasm_byte_vec_delete(&bytes);
    if (!again) fail("deserialize of a serialized module failed");
    wasm_instance_t* inst = nullptr;
    orca_error_t* err = orca_linker_instantiate(c.linker, again, &inst);
    if (err) { wasm_module_delete(again); checkOk(err, "instantiate deserialized"); }
    wasm_instance_delete(c.instance);
    wasm_module_delete(c.module);
    c.instance = inst;
    c.module = again;
    return;
  }
  if (op == "deserialize") {
    std::vector<uint8_t> raw = bytesOfHex(step.at("hex"));
    wasm_byte_vec_t bytes;
    wasm_byte_vec_new(&bytes, raw.size(), reinterpret_cast<const char*>(raw.data()));
    wasm_module_t* m = nullptr;
    orca_error_t* err = orca_module_deserialize(c.engine, &bytes, &m);
    wasm_byte_vec_delete(&bytes);
    std::string kind = err ? errorKindName(orca_error_kind(err)) : "";
    if (err) orca_error_delete(err);
    if (m) wasm_module_delete(m);
    expectEq("deserialize", err == nullptr, step.at("ok"));
    if (step.contains("kind")) expectEq("error kind", kind, step["kind"]);
    return;
  }
  if (op == "deadline") {
    return expectEq("deadline", [&] {
      orca_error_t* err = orca_store_deadline_set(c.store, step.at("ms").get<uint64_t>() * 1000000);
      if (err) orca_error_delete(err);
      return err == nullptr;
    }(), step.value("ok", true));
  }
  if (op == "instances") {
    int count = step.at("count");
    bool wantOk = step.value("ok", true);
    for (int i = 0; i < count; ++i) {
      wasm_instance_t* inst = nullptr;
      orca_error_t* err = nullptr;
      instantiate(c, &inst, &err);
      if (!wantOk) {
        if (!err) { wasm_instance_delete(inst); fail("instantiation past the limit succeeded"); }
        orca_error_delete(err);
        continue;
      }
      checkOk(err, "instance " + std::to_string(i));
      std::swap(inst, c.instance);
      try {
        if (step.contains("func")) stepCall(c, step);
      } catch (...) {
        std::swap(inst, c.instance);
        wasm_instance_delete(inst);
        throw;
      }
      std::swap(inst, c.instance);
      wasm_instance_delete(inst);
    }
    return;
  }
  if (op == "threads") return stepThreads(c, step);
  if (op == "fuel.get") {
    uint64_t fuel = 0;
    checkOk(orca_store_fuel_get(c.store, &fuel), "fuel");
    if (!(double(fuel) < step.at("below").get<double>() && double(fuel) > step.at("above").get<double>()))
      fail("fuel " + std::to_string(fuel));
    return;
  }
  if (op == "fuel.set" || op == "interrupt") {
    orca_error_t* err = op == "interrupt" ? orca_store_interrupt(c.store) : orca_store_fuel_set(c.store, step.at("value"));
    bool ok = err == nullptr;
    if (err) orca_error_delete(err);
    return expectEq(op, ok, step.value("ok", true));
  }
  if (op == "stdout" || op == "stderr") {
    if (!c.wasi) fail("no WASI in this case");
    wasm_byte_vec_t out;
    (op == "stdout" ? wasi_env_stdout : wasi_env_stderr)(c.wasi, &out);
    std::string text(out.data ? out.data : "", out.size);
    wasm_byte_vec_delete(&out);
    return expectEq(op, text, step.at("expect"));
  }
  fail("unknown step " + op);
}

void runCase(Case& c, const json& imports) {
  const json& spec = c.spec;
  wasm_config_t* config = wasm_config_new();
  const json& cfg = spec.value("config", json::object());
  if (cfg.value("consume_fuel", false)) orca_config_consume_fuel_set(config, true);
  if (cfg.value("interruptible", false)) orca_config_interruptible_set(config, true);
  if (cfg.value("bounds_checks", false)) orca_config_bounds_checks_set(config, true);
  if (cfg.contains("opt_level")) orca_config_opt_level_set(config, cfg["opt_level"].get<uint8_t>());
  std::string configError;
  const json features = cfg.value("features", json::object());
  for (auto& [name, on] : features.items()) {
    static const std::map<std::string, orca_feature_t> featureIds = {
        {"mutable_globals", ORCA_FEATURE_MUTABLE_GLOBALS}, {"saturating_float_to_int", ORCA_FEATURE_SATURATING_FLOAT_TO_INT},
        {"sign_extension", ORCA_FEATURE_SIGN_EXTENSION},   {"multi_value", ORCA_FEATURE_MULTI_VALUE},
        {"bulk_memory", ORCA_FEATURE_BULK_MEMORY},         {"reference_types", ORCA_FEATURE_REFERENCE_TYPES},
        {"simd", ORCA_FEATURE_SIMD},                       {"threads", ORCA_FEATURE_THREADS},
        {"memory64", ORCA_FEATURE_MEMORY64},               {"tail_call", ORCA_FEATURE_TAIL_CALL},
        {"exceptions", ORCA_FEATURE_EXCEPTIONS},           {"gc", ORCA_FEATURE_GC}};
    auto it = featureIds.find(name);
    if (it == featureIds.end()) {
      wasm_config_delete(config);
      fail("unknown feature " + name);
    }
    if (orca_error_t* err = orca_config_feature_set(config, it->second, on.get<bool>())) {
      if (configError.empty()) configError = std::string(errorKindName(orca_error_kind(err))) + ": " + errorMessage(err);
      orca_error_delete(err);
    }
  }
  if (spec.contains("config_error")) {
    wasm_config_delete(config);
    const json& want = spec["config_error"];
    if (configError.empty()) fail("the configuration was accepted");
    if (configError.rfind(want.at("kind").get<std::string>() + ": ", 0) != 0 ||
        configError.find(want.at("message").get<std::string>()) == std::string::npos)
      fail("configuration error " + configError);
    return;
  }
  if (!configError.empty()) {
    wasm_config_delete(config);
    fail("configuration: " + configError);
  }
  c.engine = wasm_engine_new_with_config(config);
  c.store = wasm_store_new(c.engine);
  if (spec.contains("fuel")) checkOk(orca_store_fuel_set(c.store, spec["fuel"]), "fuel");
  if (spec.contains("limits")) {
    const json& l = spec["limits"];
    orca_store_limits_set(c.store, l.value("memory_bytes", -1), l.value("table_elements", -1),
                          l.value("instances", -1), l.value("tables", -1), l.value("memories", -1));
  }

  orca_error_t* err = compile(c, moduleBytes(c, spec), &c.module);
  if (spec.contains("compile_error")) {
    const json& want = spec["compile_error"];
    if (!err) fail("module compiled");
    std::string kind = errorKindName(orca_error_kind(err)), m = errorMessage(err);
    orca_error_delete(err);
    if (kind != want.at("kind").get<std::string>()) fail("error kind " + kind + ": " + m);
    if (m.find(want.at("message").get<std::string>()) == std::string::npos) fail("error message: " + m);
    return;
  }
  checkOk(err, "compile");

  c.linker = orca_linker_new(c.store);
  if (spec.contains("imports")) {
    const json& list = spec["imports"].is_string() ? imports.at(spec["imports"].get<std::string>()) : spec["imports"];
    defineImports(c, list);
  }
  if (spec.contains("wasi")) defineWasi(c, spec["wasi"]);

  instantiate(c, &c.instance, &err);
  if (spec.contains("instantiate_error")) {
    const json& want = spec["instantiate_error"];
    if (!err) fail("module instantiated");
    std::string kind = errorKindName(orca_error_kind(err)), m = errorMessage(err);
    std::string code;
    if (wasm_trap_t* trap = orca_error_trap(err)) {
      code = trapCodeName(orca_trap_code(trap));
      wasm_trap_delete(trap);
    }
    orca_error_delete(err);
    if (kind != want.at("kind").get<std::string>()) fail("error kind " + kind + ": " + m);
    if (m.find(want.at("message").get<std::string>()) == std::string::npos) fail("error message: " + m);
    if (want.contains("code") && code != want["code"].get<std::string>()) fail("trap code '" + code + "'");
    return;
  }
  checkOk(err, "instantiate");
  for (const json& step : spec.value("steps", json::array())) {
    try {
      runStep(c, step);
    } catch (const Failure& f) {
      fail(step.at("op").get<std::string>() + " " + step.value("func", step.value("export", "")) + ": " + f.what());
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SUITE_DIR [NAME_SUBSTRING]\n", argv[0]);
    return 2;
  }
  fs::path suite = argv[1];
  std::string filter = argc > 2 ? argv[2] : "";
  std::vector<fs::path> files;
  for (auto& entry : fs::directory_iterator(suite / "cases"))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  json imports = json::parse(readFile(suite / "imports.json"));

  int passed = 0, failed = 0;
  for (const auto& file : files) {
    json doc = json::parse(readFile(file));
    for (const json& spec : doc.at("cases")) {
      std::string name = spec.at("name");
      if (!filter.empty() && name.find(filter) == std::string::npos) continue;
      std::string problem;
      {
        Case c;
        c.suite = suite;
        c.spec = spec;
        try {
          runCase(c, imports);
        } catch (const std::exception& e) {
          problem = e.what();
        }
      }
      if (problem.empty()) {
        ++passed;
        std::printf("ok %s\n", name.c_str());
      } else {
        ++failed;
        std::printf("FAIL %s: %s\n", name.c_str(), problem.c_str());
      }
      std::fflush(stdout);
    }
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
