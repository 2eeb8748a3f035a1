// Trap codes and the spec's messages for them: one table that the runtime, the C API and every
// binding share, so a trap reads the same in C, Go, Ruby, PHP and Java.
#pragma once

#include <cstdint>

namespace orca {

enum class TrapCode : uint32_t {
  Unreachable,             // "unreachable"
  MemoryOutOfBounds,       // "out of bounds memory access"
  TableOutOfBounds,        // "out of bounds table access"
  UndefinedElement,        // "undefined element"          call_indirect index >= table size
  UninitializedElement,    // "uninitialized element"      call_indirect on a null entry
  IndirectCallTypeMismatch,// "indirect call type mismatch"
  IntegerDivideByZero,     // "integer divide by zero"
  IntegerOverflow,         // "integer overflow"
  InvalidConversion,       // "invalid conversion to integer"
  StackExhausted,          // "call stack exhausted"
  OutOfFuel,               // "all fuel consumed"
  Interrupted,             // "interrupted"
  HostError,               // a host function failed; the message is the host's
  Exit,                    // a host function ended the guest (WASI proc_exit): "exit status N"
  Count_
};

// The spec's wording for a trap ("integer divide by zero").
const char* trapMessage(TrapCode code);

}  // namespace orca
