// Vectors, type objects and their conversions to and from the runtime's types.
#include <cstdlib>
#include <cstring>

#include "internal.h"

using namespace orca;
using namespace orca::capi;

// ---------------------------------------------------------------------------------------------
// Vectors. The element operations differ per family: bytes are plain, values may own a
// reference, pointer vectors own their objects (copied with wasm_<name>_copy).

namespace {

template <typename Vec, typename T>
void vecInit(Vec* out, size_t size) {
  out->size = size;
  out->data = size ? static_cast<T*>(std::calloc(size, sizeof(T))) : nullptr;
  if (size && !out->data) out->size = 0;
}

template <typename Vec>
void vecFree(Vec* v) {
  std::free(v->data);
  v->data = nullptr;
  v->size = 0;
}

}  // namespace

#define ORCA_VEC_COMMON(name, elem)                                                           \
  extern "C" void wasm_##name##_vec_new_empty(wasm_##name##_vec_t* out) {                     \
    if (!out) return;                                                                         \
    out->size = 0;                                                                            \
    out->data = nullptr;                                                                      \
  }                                                                                           \
  extern "C" void wasm_##name##_vec_new_uninitialized(wasm_##name##_vec_t* out, size_t size) { \
    if (!out) return;                                                                         \
    vecInit<wasm_##name##_vec_t, elem>(out, size);                                            \
  }                                                                                           \
  extern "C" void wasm_##name##_vec_new(wasm_##name##_vec_t* out, size_t size, elem const src[]) { \
    if (!out) return;                                                                         \
    vecInit<wasm_##name##_vec_t, elem>(out, size);                                            \
    if (out->size && src) std::memcpy(static_cast<void*>(out->data), src, size * sizeof(elem)); \
  }

// Plain elements (bytes).
#define ORCA_VEC_PLAIN(name, elem)                                                              \
  ORCA_VEC_COMMON(name, elem)                                                                   \
  extern "C" void wasm_##name##_vec_copy(wasm_##name##_vec_t* out, const wasm_##name##_vec_t* src) { \
    if (!out) return;                                                                           \
    if (!src) return wasm_##name##_vec_new_empty(out);                                          \
    wasm_##name##_vec_new(out, src->size, src->data);                                           \
  }                                                                                             \
  extern "C" void wasm_##name##_vec_delete(wasm_##name##_vec_t* v) {                            \
    if (v) vecFree(v);                                                                          \
  }

// Owned pointers.
#define ORCA_VEC_OWNED(name)                                                                      \
  ORCA_VEC_COMMON(name, wasm_##name##_t*)                                                         \
  extern "C" void wasm_##name##_vec_copy(wasm_##name##_vec_t* out, const wasm_##name##_vec_t* src) { \
    if (!out) return;                                                                             \
    if (!src) return wasm_##name##_vec_new_empty(out);                                            \
    vecInit<wasm_##name##_vec_t, wasm_##name##_t*>(out, src->size);                               \
    for (size_t i = 0; i < out->size; ++i)                                                        \
      out->data[i] = src->data[i] ? wasm_##name##_copy(src->data[i]) : nullptr;                   \
  }                                                                                               \
  extern "C" void wasm_##name##_vec_delete(wasm_##name##_vec_t* v) {                              \
    if (!v) return;                                                                               \
    for (size_t i = 0; i < v->size; ++i)                                                          \
      if (v->data[i]) wasm_##name##_delete(v->data[i]);                                           \
    vecFree(v);                                                                                   \
  }

ORCA_VEC_PLAIN(byte, wasm_byte_t)
ORCA_VEC_OWNED(valtype)
ORCA_VEC_OWNED(functype)
ORCA_VEC_OWNED(globaltype)
ORCA_VEC_OWNED(tabletype)
ORCA_VEC_OWNED(memorytype)
ORCA_VEC_OWNED(externtype)
ORCA_VEC_OWNED(importtype)
ORCA_VEC_OWNED(exporttype)
ORCA_VEC_OWNED(frame)
ORCA_VEC_OWNED(extern)

// Values own their reference.
ORCA_VEC_COMMON(val, wasm_val_t)
extern "C" void wasm_val_vec_copy(wasm_val_vec_t* out, const wasm_val_vec_t* src) {
  if (!out) return;
  if (!src) return wasm_val_vec_new_empty(out);
  vecInit<wasm_val_vec_t, wasm_val_t>(out, src->size);
  for (size_t i = 0; i < out->size; ++i) wasm_val_copy(&out->data[i], &src->data[i]);
}
extern "C" void wasm_val_vec_delete(wasm_val_vec_t* v) {
  if (!v) return;
  for (size_t i = 0; i < v->size; ++i) wasm_val_delete(&v->data[i]);
  vecFree(v);
}

extern "C" void wasm_val_delete(wasm_val_t* v) {
  if (!v) return;
  if (wasm_valkind_is_ref(v->kind) && v->of.ref) {
    wasm_ref_delete(v->of.ref);
    v->of.ref = nullptr;
  }
}

extern "C" void wasm_val_copy(wasm_val_t* out, const wasm_val_t* src) {
  if (!out) return;
  if (!src) {
    out->kind = WASM_I32;
    out->of.i64 = 0;
    return;
  }
  *out = *src;
  if (wasm_valkind_is_ref(src->kind) && src->of.ref) out->of.ref = wasm_ref_copy(src->of.ref);
}

// ---------------------------------------------------------------------------------------------
// Conversions

namespace orca::capi {

bool fromC(wasm_valkind_t k, ir::ValType* out) {
  switch (k) {
    case WASM_I32: *out = ir::ValType::I32; return true;
    case WASM_I64: *out = ir::ValType::I64; return true;
    case WASM_F32: *out = ir::ValType::F32; return true;
    case WASM_F64: *out = ir::ValType::F64; return true;
    case WASM_V128: *out = ir::ValType::V128; return true;
    case WASM_FUNCREF: *out = ir::ValType::FuncRef; return true;
    case WASM_EXTERNREF: *out = ir::ValType::ExternRef; return true;
    default: return false;
  }
}

static wasm_valtype_t* newValType(ir::ValType t) { return new wasm_valtype_t{toC(t)}; }

wasm_limits_t toC(const ir::Limits& limits) {
  wasm_limits_t l;
  l.min = static_cast<uint32_t>(limits.min);
  l.max = limits.max ? static_cast<uint32_t>(*limits.max) : wasm_limits_max_default;
  return l;
}

ir::Limits fromC(const wasm_limits_t& limits) {
  ir::Limits l;
  l.min = limits.min;
  if (limits.max != wasm_limits_max_default) l.max = limits.max;
  return l;
}

wasm_functype_t* newFuncType(const ir::FuncType& type) {
  auto* f = new wasm_functype_t();
  wasm_valtype_vec_new_uninitialized(&f->params, type.params.size());
  for (size_t i = 0; i < type.params.size(); ++i) f->params.data[i] = newValType(type.params[i]);
  wasm_valtype_vec_new_uninitialized(&f->results, type.results.size());
  for (size_t i = 0; i < type.results.size(); ++i) f->results.data[i] = newValType(type.results[i]);
  return f;
}

wasm_globaltype_t* newGlobalType(const ir::GlobalType& type) {
  auto* g = new wasm_globaltype_t();
  g->content = newValType(type.type);
  g->mutability = type.mut == ir::Mutability::Var ? WASM_VAR : WASM_CONST;
  return g;
}

wasm_tabletype_t* newTableType(const ir::TableType& type) {
  auto* t = new wasm_tabletype_t();
  t->element = newValType(type.elem);
  t->limits = toC(type.limits);
  return t;
}

wasm_memorytype_t* newMemoryType(const ir::MemoryType& type) {
  auto* m = new wasm_memorytype_t();
  m->limits = toC(type.limits);
  return m;
}

wasm_externtype_t* newExternType(const runtime::ExternType& type) {
  switch (type.kind) {
    case ir::ExternKind::Func: return newFuncType(type.func);
    case ir::ExternKind::Global: return newGlobalType(type.global);
    case ir::ExternKind::Table: return newTableType(type.table);
    case ir::ExternKind::Memory: return newMemoryType(type.memory);
  }
  return nullptr;
}

bool toFuncType(const wasm_functype_t* t, ir::FuncType* out) {
  if (!t) return false;
  out->params.clear();
  out->results.clear();
  for (size_t i = 0; i < t->params.size; ++i) {
    ir::ValType v;
    if (!t->params.data[i] || !fromC(t->params.data[i]->kind, &v)) return false;
    out->params.push_back(v);
  }
  for (size_t i = 0; i < t->results.size; ++i) {
    ir::ValType v;
    if (!t->results.data[i] || !fromC(t->results.data[i]->kind, &v)) return false;
    out->results.push_back(v);
  }
  return true;
}

void nameFrom(wasm_name_t* out, const std::string& s) { wasm_byte_vec_new(out, s.size(), s.data()); }

}  // namespace orca::capi

// ---------------------------------------------------------------------------------------------
// valtype

extern "C" wasm_valtype_t* wasm_valtype_new(wasm_valkind_t kind) {
  ir::ValType t;
  if (!fromC(kind, &t)) return nullptr;
  return new wasm_valtype_t{kind};
}
extern "C" void wasm_valtype_delete(wasm_valtype_t* t) { delete t; }
extern "C" wasm_valtype_t* wasm_valtype_copy(const wasm_valtype_t* t) {
  return t ? new wasm_valtype_t{t->kind} : nullptr;
}
extern "C" wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t* t) { return t ? t->kind : wasm_valkind_t(WASM_I32); }

// ---------------------------------------------------------------------------------------------
// functype

wasm_functype_t::~wasm_functype_t() {
  wasm_valtype_vec_delete(&params);
  wasm_valtype_vec_delete(&results);
}

extern "C" wasm_functype_t* wasm_functype_new(wasm_valtype_vec_t* params, wasm_valtype_vec_t* results) {
  auto* f = new wasm_functype_t();
  // The vectors' storage moves into the type; the caller's vectors are left empty.
  if (params) {
    f->params = *params;
    params->size = 0;
    params->data = nullptr;
  }
  if (results) {
    f->results = *results;
    results->size = 0;
    results->data = nullptr;
  }
  return f;
}
extern "C" void wasm_functype_delete(wasm_functype_t* t) { delete t; }
extern "C" wasm_functype_t* wasm_functype_copy(const wasm_functype_t* t) {
  if (!t) return nullptr;
  auto* f = new wasm_functype_t();
  wasm_valtype_vec_copy(&f->params, &t->params);
  wasm_valtype_vec_copy(&f->results, &t->results);
  return f;
}
extern "C" const wasm_valtype_vec_t* wasm_functype_params(const wasm_functype_t* t) {
  static const wasm_valtype_vec_t empty{0, nullptr};
  return t ? &t->params : &empty;
}
extern "C" const wasm_valtype_vec_t* wasm_functype_results(const wasm_functype_t* t) {
  static const wasm_valtype_vec_t empty{0, nullptr};
  return t ? &t->results : &empty;
}

// ---------------------------------------------------------------------------------------------
// globaltype, tabletype, memorytype

extern "C" wasm_globaltype_t* wasm_globaltype_new(wasm_valtype_t* content, wasm_mutability_t mut) {
  if (!content || (mut != WASM_CONST && mut != WASM_VAR)) {
    delete content;
    return nullptr;
  }
  auto* g = new wasm_globaltype_t();
  g->content = content;
  g->mutability = mut;
  return g;
}
extern "C" void wasm_globaltype_delete(wasm_globaltype_t* t) { delete t; }
extern "C" wasm_globaltype_t* wasm_globaltype_copy(const wasm_globaltype_t* t) {
  if (!t) return nullptr;
  return wasm_globaltype_new(wasm_valtype_copy(t->content), t->mutability);
}
extern "C" const wasm_valtype_t* wasm_globaltype_content(const wasm_globaltype_t* t) {
  return t ? t->content : nullptr;
}
extern "C" wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t* t) {
  return t ? t->mutability : wasm_mutability_t(WASM_CONST);
}

extern "C" wasm_tabletype_t* wasm_tabletype_new(wasm_valtype_t* elem, const wasm_limits_t* limits) {
  if (!elem || !limits || !wasm_valkind_is_ref(elem->kind)) {
    delete elem;
    return nullptr;
  }
  auto* t = new wasm_tabletype_t();
  t->element = elem;
  t->limits = *limits;
  return t;
}
extern "C" void wasm_tabletype_delete(wasm_tabletype_t* t) { delete t; }
extern "C" wasm_tabletype_t* wasm_tabletype_copy(const wasm_tabletype_t* t) {
  if (!t) return nullptr;
  return wasm_tabletype_new(wasm_valtype_copy(t->element), &t->limits);
}
extern "C" const wasm_valtype_t* wasm_tabletype_element(const wasm_tabletype_t* t) {
  return t ? t->element : nullptr;
}
extern "C" const wasm_limits_t* wasm_tabletype_limits(const wasm_tabletype_t* t) {
  return t ? &t->limits : nullptr;
}

extern "C" wasm_memorytype_t* wasm_memorytype_new(const wasm_limits_t* limits) {
  if (!limits) return nullptr;
  auto* m = new wasm_memorytype_t();
  m->limits = *limits;
  return m;
}
extern "C" void wasm_memorytype_delete(wasm_memorytype_t* t) { delete t; }
extern "C" wasm_memorytype_t* wasm_memorytype_copy(const wasm_memorytype_t* t) {
  return t ? wasm_memorytype_new(&t->limits) : nullptr;
}
extern "C" const wasm_limits_t* wasm_memorytype_limits(const wasm_memorytype_t* t) {
  return t ? &t->limits : nullptr;
}

// ---------------------------------------------------------------------------------------------
// externtype

extern "C" void wasm_externtype_delete(wasm_externtype_t* t) { delete t; }
extern "C" wasm_externtype_t* wasm_externtype_copy(const wasm_externtype_t* t) {
  if (!t) return nullptr;
  switch (t->kind) {
    case WASM_EXTERN_FUNC: return wasm_functype_copy(static_cast<const wasm_functype_t*>(t));
    case WASM_EXTERN_GLOBAL: return wasm_globaltype_copy(static_cast<const wasm_globaltype_t*>(t));
    case WASM_EXTERN_TABLE: return wasm_tabletype_copy(static_cast<const wasm_tabletype_t*>(t));
    case WASM_EXTERN_MEMORY: return wasm_memorytype_copy(static_cast<const wasm_memorytype_t*>(t));
  }
  return nullptr;
}
extern "C" wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t* t) {
  return t ? t->kind : wasm_externkind_t(WASM_EXTERN_FUNC);
}

#define ORCA_EXTERNTYPE_CASTS(name, KIND)                                                            \
  extern "C" wasm_externtype_t* wasm_##name##_as_externtype(wasm_##name##_t* t) { return t; }        \
  extern "C" const wasm_externtype_t* wasm_##name##_as_externtype_const(const wasm_##name##_t* t) {  \
    return t;                                                                                        \
  }                                                                                                  \
  extern "C" wasm_##name##_t* wasm_externtype_as_##name(wasm_externtype_t* t) {                      \
    return t && t->kind == KIND ? static_cast<wasm_##name##_t*>(t) : nullptr;                        \
  }                                                                                                  \
  extern "C" const wasm_##name##_t* wasm_externtype_as_##name##_const(const wasm_externtype_t* t) {  \
    return t && t->kind == KIND ? static_cast<const wasm_##name##_t*>(t) : nullptr;                  \
  }

ORCA_EXTERNTYPE_CASTS(functype, WASM_EXTERN_FUNC)
ORCA_EXTERNTYPE_CASTS(globaltype, WASM_EXTERN_GLOBAL)
ORCA_EXTERNTYPE_CASTS(tabletype, WASM_EXTERN_TABLE)
ORCA_EXTERNTYPE_CASTS(memorytype, WASM_EXTERN_MEMORY)

// ---------------------------------------------------------------------------------------------
// importtype, exporttype

wasm_importtype_t::~wasm_importtype_t() {
  wasm_byte_vec_delete(&module);
  wasm_byte_vec_delete(&name);
  delete type;
}

extern "C" wasm_importtype_t* wasm_importtype_new(wasm_name_t* module, wasm_name_t* name, wasm_externtype_t* type) {
  auto* t = new wasm_importtype_t();
  if (module) {
    t->module = *module;
    *module = {0, nullptr};
  }
  if (name) {
    t->name = *name;
    *name = {0, nullptr};
  }
  t->type = type;
  return t;
}
extern "C" void wasm_importtype_delete(wasm_importtype_t* t) { delete t; }
extern "C" wasm_importtype_t* wasm_importtype_copy(const wasm_importtype_t* t) {
  if (!t) return nullptr;
  wasm_name_t module, name;
  wasm_byte_vec_copy(&module, &t->module);
  wasm_byte_vec_copy(&name, &t->name);
  return wasm_importtype_new(&module, &name, wasm_externtype_copy(t->type));
}
extern "C" const wasm_name_t* wasm_importtype_module(const wasm_importtype_t* t) { return t ? &t->module : nullptr; }
extern "C" const wasm_name_t* wasm_importtype_name(const wasm_importtype_t* t) { return t ? &t->name : nullptr; }
extern "C" const wasm_externtype_t* wasm_importtype_type(const wasm_importtype_t* t) { return t ? t->type : nullptr; }

wasm_exporttype_t::~wasm_exporttype_t() {
  wasm_byte_vec_delete(&name);
  delete type;
}

extern "C" wasm_exporttype_t* wasm_exporttype_new(wasm_name_t* name, wasm_externtype_t* type) {
  auto* t = new wasm_exporttype_t();
  if (name) {
    t->name = *name;
    *name = {0, nullptr};
  }
  t->type = type;
  return t;
}
extern "C" void wasm_exporttype_delete(wasm_exporttype_t* t) { delete t; }
extern "C" wasm_exporttype_t* wasm_exporttype_copy(const wasm_exporttype_t* t) {
  if (!t) return nullptr;
  wasm_name_t name;
  wasm_byte_vec_copy(&name, &t->name);
  return wasm_exporttype_new(&name, wasm_externtype_copy(t->type));
}
extern "C" const wasm_name_t* wasm_exporttype_name(const wasm_exporttype_t* t) { return t ? &t->name : nullptr; }
extern "C" const wasm_externtype_t* wasm_exporttype_type(const wasm_exporttype_t* t) { return t ? t->type : nullptr; }
