// orca.h: Orca's extensions to wasm.h.
#include "orca.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>

#include "internal.h"
#include "orca/runtime/module_cache.h"
#include "orca/text/wat.h"

using namespace orca;
using namespace orca::capi;

static_assert(ORCA_ERROR_MALFORMED == uint8_t(ErrorKind::Malformed) && ORCA_ERROR_INVALID == uint8_t(ErrorKind::Invalid) &&
                  ORCA_ERROR_UNLINKABLE == uint8_t(ErrorKind::Unlinkable) &&
                  ORCA_ERROR_UNINSTANTIABLE == uint8_t(ErrorKind::Uninstantiable) &&
                  ORCA_ERROR_TRAP == uint8_t(ErrorKind::Trap) && ORCA_ERROR_EXHAUSTION == uint8_t(ErrorKind::Exhaustion) &&
                  ORCA_ERROR_IO == uint8_t(ErrorKind::Io) && ORCA_ERROR_UNSUPPORTED == uint8_t(ErrorKind::Unsupported) &&
                  ORCA_ERROR_EXIT == uint8_t(ErrorKind::Exit) && ORCA_ERROR_INTERNAL == uint8_t(ErrorKind::Internal),
              "orca.h error kinds mirror orca::ErrorKind");
static_assert(ORCA_TRAP_UNREACHABLE == uint32_t(TrapCode::Unreachable) &&
                  ORCA_TRAP_MEMORY_OUT_OF_BOUNDS == uint32_t(TrapCode::MemoryOutOfBounds) &&
                  ORCA_TRAP_TABLE_OUT_OF_BOUNDS == uint32_t(TrapCode::TableOutOfBounds) &&
                  ORCA_TRAP_UNDEFINED_ELEMENT == uint32_t(TrapCode::UndefinedElement) &&
                  ORCA_TRAP_UNINITIALIZED_ELEMENT == uint32_t(TrapCode::UninitializedElement) &&
                  ORCA_TRAP_INDIRECT_CALL_TYPE_MISMATCH == uint32_t(TrapCode::IndirectCallTypeMismatch) &&
                  ORCA_TRAP_INTEGER_DIVIDE_BY_ZERO == uint32_t(TrapCode::IntegerDivideByZero) &&
                  ORCA_TRAP_INTEGER_OVERFLOW == uint32_t(TrapCode::IntegerOverflow) &&
                  ORCA_TRAP_INVALID_CONVERSION == uint32_t(TrapCode::InvalidConversion) &&
                  ORCA_TRAP_STACK_EXHAUSTED == uint32_t(TrapCode::StackExhausted) &&
                  ORCA_TRAP_OUT_OF_FUEL == uint32_t(TrapCode::OutOfFuel) &&
                  ORCA_TRAP_INTERRUPTED == uint32_t(TrapCode::Interrupted) &&
                  ORCA_TRAP_HOST_ERROR == uint32_t(TrapCode::HostError) && ORCA_TRAP_EXIT == uint32_t(TrapCode::Exit),
              "orca.h trap codes mirror orca::TrapCode");

namespace orca::capi {

orca_error_t* newError(Error error, wasm_trap_t* trap) {
  auto* e = new orca_error_t{std::move(error), nullptr};
  if (trap) {
    e->trap = trap->keep;
    wasm_trap_delete(trap);
  }
  return e;
}

orca_error_t* newError(orca_error_kind_t kind, std::string message) {
  return newError(makeError(static_cast<ErrorKind>(kind), std::move(message)));
}

}  // namespace orca::capi

extern "C" void orca_error_delete(orca_error_t* e) { delete e; }
extern "C" orca_error_kind_t orca_error_kind(const orca_error_t* e) {
  return e ? static_cast<orca_error_kind_t>(e->error.kind) : orca_error_kind_t(ORCA_ERROR_UNSUPPORTED);
}
extern "C" void orca_error_message(const orca_error_t* e, wasm_message_t* out) {
  if (!out) return;
  if (!e) return wasm_byte_vec_new_empty(out);
  wasm_byte_vec_new(out, e->error.message.size() + 1, e->error.message.c_str());
}
extern "C" bool orca_error_offset(const orca_error_t* e, size_t* offset) {
  if (!e || !e->error.offset) return false;
  if (offset) *offset = *e->error.offset;
  return true;
}
extern "C" bool orca_error_position(const orca_error_t* e, uint32_t* line, uint32_t* column) {
  if (!e || !e->error.position) return false;
  if (line) *line = e->error.position->line;
  if (column) *column = e->error.position->column;
  return true;
}
extern "C" bool orca_error_exit_status(const orca_error_t* e, int* status) {
  if (!e || e->error.kind != ErrorKind::Exit) return false;
  if (status) *status = e->error.exitCode;
  return true;
}
extern "C" wasm_trap_t* orca_error_trap(const orca_error_t* e) {
  if (!e || !e->trap) return nullptr;
  return static_cast<wasm_trap_t*>(newHandle(e->trap));
}

extern "C" orca_trap_code_t orca_trap_code(const wasm_trap_t* t) {
  return t ? static_cast<const TrapEntity*>(t->entity)->code : orca_trap_code_t(ORCA_TRAP_HOST_ERROR);
}
extern "C" bool orca_trap_exit_status(const wasm_trap_t* t, int* status) {
  if (!t) return false;
  auto* entity = static_cast<const TrapEntity*>(t->entity);
  if (entity->code != ORCA_TRAP_EXIT) return false;
  if (status) *status = entity->exitCode;
  return true;
}

extern "C" void orca_config_opt_level_set(wasm_config_t* c, uint8_t level) {
  if (c) c->config.compile.optLevel = level > 3 ? 3 : level;
}
extern "C" void orca_config_compile_strategy_set(wasm_config_t* c, orca_compile_strategy_t strategy) {
  if (!c) return;
  c->config.compileStrategy = strategy == ORCA_COMPILE_LAZY     ? runtime::CompileStrategy::Lazy
                              : strategy == ORCA_COMPILE_TIERED ? runtime::CompileStrategy::Tiered
                                                                : runtime::CompileStrategy::Eager;
}
extern "C" void orca_config_tier_up_threshold_set(wasm_config_t* c, uint32_t count) {
  if (c) c->config.tierUpThreshold = count ? count : 1;
}
extern "C" void orca_config_bounds_checks_set(wasm_config_t* c, bool enable) {
  if (c) c->config.memoryMode = enable ? runtime::MemoryMode::BoundsChecked : runtime::MemoryMode::Guarded;
}
extern "C" void orca_config_consume_fuel_set(wasm_config_t* c, bool enable) {
  if (c) c->config.compile.fuel = enable;
}
extern "C" void orca_config_interruptible_set(wasm_config_t* c, bool enable) {
  if (c) c->config.compile.interruptible = enable;
}

extern "C" orca_error_t* orca_config_feature_set(wasm_config_t* c, orca_feature_t feature, bool enable) {
  if (!c) return newError(ORCA_ERROR_UNSUPPORTED, "null config");
  validate::Features& f = c->config.features;
  bool* flag = nullptr;
  const char* name = "this";
  switch (feature) {
    case ORCA_FEATURE_MUTABLE_GLOBALS: flag = &f.mutableGlobals; break;
    case ORCA_FEATURE_SATURATING_FLOAT_TO_INT: flag = &f.saturatingFloatToInt; break;
    case ORCA_FEATURE_SIGN_EXTENSION: flag = &f.signExtension; break;
    case ORCA_FEATURE_MULTI_VALUE: flag = &f.multiValue; break;
    case ORCA_FEATURE_BULK_MEMORY: flag = &f.bulkMemory; break;
    case ORCA_FEATURE_REFERENCE_TYPES: flag = &f.referenceTypes; break;
    case ORCA_FEATURE_SIMD: flag = &f.simd; break;
    case ORCA_FEATURE_THREADS: name = "threads"; break;
    case ORCA_FEATURE_MEMORY64: name = "memory64"; break;
    case ORCA_FEATURE_TAIL_CALL: name = "tail-call"; break;
    case ORCA_FEATURE_EXCEPTIONS: name = "exceptions"; break;
    case ORCA_FEATURE_GC: name = "gc"; break;
    default: return newError(ORCA_ERROR_UNSUPPORTED, "unknown feature " + std::to_string(feature));
  }
  if (flag) {
    *flag = enable;
    return nullptr;
  }
  if (!enable) return nullptr;  // off is what it is
  return newError(ORCA_ERROR_UNSUPPORTED, std::string("the ") + name + " feature is not implemented");
}

// orca_limit_t is validate::Limit, value for value.
static_assert(ORCA_LIMIT_BR_TABLE_TARGETS + 1 == validate::kLimitCount);
static_assert(ORCA_LIMIT_MODULE_BYTES == unsigned(validate::Limit::ModuleBytes) &&
              ORCA_LIMIT_TYPES == unsigned(validate::Limit::Types) &&
              ORCA_LIMIT_FUNCTIONS == unsigned(validate::Limit::Functions) &&
              ORCA_LIMIT_IMPORTS == unsigned(validate::Limit::Imports) &&
              ORCA_LIMIT_EXPORTS == unsigned(validate::Limit::Exports) &&
              ORCA_LIMIT_GLOBALS == unsigned(validate::Limit::Globals) &&
              ORCA_LIMIT_TABLES == unsigned(validate::Limit::Tables) &&
              ORCA_LIMIT_DATA_SEGMENTS == unsigned(validate::Limit::DataSegments) &&
              ORCA_LIMIT_PARAMS == unsigned(validate::Limit::Params) &&
              ORCA_LIMIT_RESULTS == unsigned(validate::Limit::Results) &&
              ORCA_LIMIT_FUNCTION_BODY_BYTES == unsigned(validate::Limit::FunctionBodyBytes) &&
              ORCA_LIMIT_LOCALS == unsigned(validate::Limit::Locals) &&
              ORCA_LIMIT_NESTING_DEPTH == unsigned(validate::Limit::NestingDepth) &&
              ORCA_LIMIT_BR_TABLE_TARGETS == unsigned(validate::Limit::BrTableTargets));

extern "C" orca_error_t* orca_config_limit_set(wasm_config_t* c, orca_limit_t limit, uint64_t value) {
  if (!c) return newError(ORCA_ERROR_UNSUPPORTED, "null config");
  if (limit >= validate::kLimitCount) return newError(ORCA_ERROR_UNSUPPORTED, "unknown limit " + std::to_string(limit));
  validate::limitValue(c->config.limits, validate::Limit(limit)) = value;
  return nullptr;
}

extern "C" uint64_t orca_config_limit_get(const wasm_config_t* c, orca_limit_t limit) {
  if (!c || limit >= validate::kLimitCount) return 0;
  return validate::limitValue(c->config.limits, validate::Limit(limit));
}

extern "C" void orca_config_cache_dir_set(wasm_config_t* c, const char* directory) {
  if (c) c->config.cacheDirectory = directory ? directory : "";
}

extern "C" bool orca_config_cache_default(wasm_config_t* c) {
  auto directory = runtime::cache::defaultDirectory();
  if (!c || !directory) return false;
  c->config.cacheDirectory = *directory;
  return true;
}

static_assert(ORCA_CACHE_DEFAULT_MAX_BYTES == runtime::kDefaultCacheMaxBytes);

extern "C" void orca_config_cache_max_bytes_set(wasm_config_t* c, uint64_t maxBytes) {
  if (c) c->config.cacheMaxBytes = maxBytes;
}

extern "C" void orca_engine_cache_stats(const wasm_engine_t* e, uint64_t* hits, uint64_t* misses, uint64_t* rejected,
                                        uint64_t* writeFailures, uint64_t* evicted) {
  runtime::Engine::CacheStats stats = e ? e->engine->cacheStats() : runtime::Engine::CacheStats{};
  if (hits) *hits = stats.hits;
  if (misses) *misses = stats.misses;
  if (rejected) *rejected = stats.rejected;
  if (writeFailures) *writeFailures = stats.writeFailures;
  if (evicted) *evicted = stats.evicted;
}

extern "C" void orca_engine_tier_stats(const wasm_engine_t* e, uint64_t* baseline, uint64_t* optimized) {
  runtime::Engine::TierStats stats = e ? e->engine->tierStats() : runtime::Engine::TierStats{};
  if (baseline) *baseline = stats.baseline;
  if (optimized) *optimized = stats.optimized;
}

extern "C" bool orca_cache_default_dir(wasm_byte_vec_t* out) {
  if (!out) return false;
  auto directory = runtime::cache::defaultDirectory();
  if (!directory) {
    wasm_byte_vec_new_empty(out);
    return false;
  }
  wasm_byte_vec_new(out, directory->size(), directory->data());
  return true;
}

extern "C" orca_error_t* orca_cache_usage(const char* directory, uint64_t* entries, uint64_t* bytes) {
  if (!directory) return newError(ORCA_ERROR_UNSUPPORTED, "null directory");
  auto usage = runtime::cache::usage(directory);
  if (!usage) return newError(usage.takeError());
  if (entries) *entries = usage->entries;
  if (bytes) *bytes = usage->bytes;
  return nullptr;
}

extern "C" orca_error_t* orca_cache_clean(const char* directory, uint64_t* removed) {
  if (!directory) return newError(ORCA_ERROR_UNSUPPORTED, "null directory");
  auto cleaned = runtime::cache::clean(directory);
  if (!cleaned) return newError(cleaned.takeError());
  if (removed) *removed = *cleaned;
  return nullptr;
}

extern "C" void orca_store_interrupt_clear(wasm_store_t* s) {
  if (s) s->store->clearInterrupt();
}

extern "C" orca_error_t* orca_store_deadline_set(wasm_store_t* s, uint64_t timeoutNs) {
  if (!s) return newError(ORCA_ERROR_UNSUPPORTED, "null store");
  if (!s->engine->engine->config().compile.interruptible)
    return newError(ORCA_ERROR_UNSUPPORTED, "interruption is not enabled (orca_config_interruptible_set)");
  s->store->setDeadline(std::chrono::nanoseconds(std::min<uint64_t>(timeoutNs, INT64_MAX)));
  return nullptr;
}

extern "C" orca_error_t* orca_store_fuel_set(wasm_store_t* s, uint64_t fuel) {
  if (!s) return newError(ORCA_ERROR_UNSUPPORTED, "null store");
  if (!s->engine->engine->config().compile.fuel)
    return newError(ORCA_ERROR_UNSUPPORTED, "fuel is not enabled (orca_config_consume_fuel_set)");
  s->store->setFuel(fuel);
  return nullptr;
}

extern "C" orca_error_t* orca_store_fuel_get(const wasm_store_t* s, uint64_t* fuel) {
  if (!s || !fuel) return newError(ORCA_ERROR_UNSUPPORTED, "null store or output");
  if (!s->engine->engine->config().compile.fuel)
    return newError(ORCA_ERROR_UNSUPPORTED, "fuel is not enabled (orca_config_consume_fuel_set)");
  *fuel = s->store->fuel();
  return nullptr;
}

extern "C" orca_error_t* orca_store_interrupt(wasm_store_t* s) {
  if (!s) return newError(ORCA_ERROR_UNSUPPORTED, "null store");
  if (!s->engine->engine->config().compile.interruptible)
    return newError(ORCA_ERROR_UNSUPPORTED, "interruption is not enabled (orca_config_interruptible_set)");
  s->store->interrupt();
  return nullptr;
}

extern "C" void orca_store_interrupt_from_signal(wasm_store_t* s) {
  // Only loads and one atomic store: nothing here may allocate or lock inside a signal handler.
  if (s && s->engine->engine->config().compile.interruptible) s->store->interrupt();
}

extern "C" size_t orca_store_collect(wasm_store_t* s) { return s ? s->store->collect() : 0; }

extern "C" size_t orca_store_instance_count(const wasm_store_t* s) { return s ? s->store->instanceCount() : 0; }

extern "C" void orca_store_limits_set(wasm_store_t* s, int64_t memoryBytes, int64_t tableElements, int64_t instances,
                                      int64_t tables, int64_t memories) {
  if (!s) return;
  runtime::StoreLimits& limits = s->store->limits();
  if (memoryBytes >= 0) limits.maxMemoryPages = uint64_t(memoryBytes) / ir::kPageSize;
  if (tableElements >= 0) limits.maxTableElements = uint64_t(tableElements);
  if (instances >= 0) limits.maxInstances = uint64_t(instances);
  if (tables >= 0) limits.maxTables = uint64_t(tables);
  if (memories >= 0) limits.maxMemories = uint64_t(memories);
}

static_assert(sizeof(orca_val_raw_t) == sizeof(runtime::RawValue) && alignof(orca_val_raw_t) == alignof(runtime::RawValue),
              "orca_val_raw_t is the runtime's RawValue slot");

// The refusals of orca_func_call_unchecked, out of its way.
static __attribute__((noinline, cold)) wasm_trap_t* uncheckedRefused(const wasm_func_t* f, size_t size) {
  if (!f) return newTrap(nullptr, "orca_func_call_unchecked: null function");
  size_t need = static_cast<runtime::Func*>(f->entity->object)->slots();
  return newTrap(f->store, "type mismatch: " + std::to_string(need) + " slots needed, got " + std::to_string(size));
}

static __attribute__((noinline, cold)) wasm_trap_t* uncheckedTrapped(const wasm_func_t* f, const Error& error) {
  return trapFromStore(f->store, error);
}

extern "C" wasm_trap_t* orca_func_call_unchecked(const wasm_func_t* f, orca_val_raw_t* slots, size_t size) {
  if (__builtin_expect(!f, 0)) return uncheckedRefused(f, size);
  auto* func = static_cast<runtime::Func*>(f->entity->object);
  size_t need = func->slots();
  if (__builtin_expect(size < need || (need && !slots), 0)) return uncheckedRefused(f, size);
  runtime::RawValue empty{};
  Status status = func->callInPlace(need ? reinterpret_cast<runtime::RawValue*>(slots) : &empty);
  return __builtin_expect(status.ok(), 1) ? nullptr : uncheckedTrapped(f, status.error());
}

extern "C" bool orca_ref_to_raw(wasm_store_t* store, const wasm_ref_t* ref, wasm_valkind_t kind, void** out) {
  ir::ValType type;
  if (!store || !out || !fromC(kind, &type) || !ir::isRefType(type)) return false;
  return refToRaw(store, ref, type, out);
}

extern "C" wasm_ref_t* orca_ref_from_raw(wasm_store_t* store, void* raw, wasm_valkind_t kind) {
  ir::ValType type;
  if (!store || !fromC(kind, &type) || !ir::isRefType(type)) return nullptr;
  return refFromRaw(store, raw, type);
}

extern "C" orca_error_t* orca_module_new(wasm_engine_t* engine, const wasm_byte_vec_t* binary, wasm_module_t** out) {
  if (out) *out = nullptr;
  if (!engine || !binary || !out || (!binary->data && binary->size))
    return newError(ORCA_ERROR_UNSUPPORTED, "null engine, bytes or output");
  auto module = compileModule(engine, reinterpret_cast<const uint8_t*>(binary->data), binary->size);
  if (!module) return newError(module.error());
  *out = module.value();
  return nullptr;
}

extern "C" orca_error_t* orca_module_deserialize(wasm_engine_t* engine, const wasm_byte_vec_t* artifact,
                                                 wasm_module_t** out) {
  if (out) *out = nullptr;
  if (!engine || !artifact || !out || (!artifact->data && artifact->size))
    return newError(ORCA_ERROR_UNSUPPORTED, "null engine, artifact or output");
  auto module = deserializeModule(engine, reinterpret_cast<const uint8_t*>(artifact->data), artifact->size);
  if (!module) return newError(module.error());
  *out = module.value();
  return nullptr;
}

extern "C" orca_error_t* orca_module_validate(wasm_engine_t* engine, const wasm_byte_vec_t* binary) {
  if (!engine || !binary || (!binary->data && binary->size))
    return newError(ORCA_ERROR_UNSUPPORTED, "null engine or bytes");
  Status status = runtime::Module::validate(*engine->engine, {reinterpret_cast<const uint8_t*>(binary->data), binary->size});
  return status ? nullptr : newError(status.takeError());
}

extern "C" orca_error_t* orca_wat2wasm(const wasm_byte_vec_t* text, wasm_byte_vec_t* out) {
  if (!out) return newError(ORCA_ERROR_UNSUPPORTED, "null output");
  wasm_byte_vec_new_empty(out);
  if (!text || (!text->data && text->size)) return newError(ORCA_ERROR_UNSUPPORTED, "null text");
  auto bytes = text::watToWasm(std::string_view(text->data ? text->data : "", text->size));
  if (!bytes) return newError(bytes.error());
  wasm_byte_vec_new(out, bytes->size(), reinterpret_cast<const wasm_byte_t*>(bytes->data()));
  return nullptr;
}

extern "C" const char* orca_version(void) { return ORCA_VERSION_STRING; }
