#include "orca/ir/trap.h"

namespace orca {

const char* trapMessage(TrapCode code) {
  switch (code) {
    case TrapCode::Unreachable: return "unreachable";
    case TrapCode::MemoryOutOfBounds: return "out of bounds memory access";
    case TrapCode::TableOutOfBounds: return "out of bounds table access";
    case TrapCode::UndefinedElement: return "undefined element";
    case TrapCode::UninitializedElement: return "uninitialized element";
    case TrapCode::IndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapCode::IntegerDivideByZero: return "integer divide by zero";
    case TrapCode::IntegerOverflow: return "integer overflow";
    case TrapCode::InvalidConversion: return "invalid conversion to integer";
    case TrapCode::StackExhausted: return "call stack exhausted";
    case TrapCode::OutOfFuel: return "all fuel consumed";
    case TrapCode::Interrupted: return "interrupted";
    case TrapCode::HostError: return "host error";
    case TrapCode::Exit: return "exit";
    case TrapCode::Count_: break;
  }
  return "trap";
}

}  // namespace orca
