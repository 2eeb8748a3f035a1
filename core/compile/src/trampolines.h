// Internal: per-signature entry trampolines and host thunks (abi.h describes both).
#pragma once

#include <string>

#include "emitter.h"

namespace orca::compile {

void emitEntryTrampoline(ModuleEmitter& m, const ir::FuncType& type, const std::string& name);
void emitHostThunk(ModuleEmitter& m, const ir::FuncType& type, const std::string& name);

}  // namespace orca::compile
