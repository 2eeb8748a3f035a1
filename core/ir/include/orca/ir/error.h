// Errors as values. Untrusted input never throws through the stages: each stage returns a
// Result<T> and passes the Error up, carrying the spec's kind and message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace orca {

// The kinds of failure the spec names (appendix "embedding" and the .wast assertions). Bindings
// map these to their own exception / error types, so the list is shared and stable: a new kind
// goes at the end.
enum class ErrorKind : uint8_t {
  Malformed,       // bytes or text that do not parse as a module
  Invalid,         // a module that parses but does not validate
  Unlinkable,      // imports that cannot be resolved or do not match
  Uninstantiable,  // instantiation failed (segment out of bounds, start trapped)
  Trap,            // execution trapped
  Exhaustion,      // call stack or resources exhausted
  Io,              // file not found, unreadable
  Unsupported,     // a feature Orca does not implement
  Exit,            // the guest asked to end the program (WASI proc_exit); Error::exitCode says how
  Internal,        // Orca failed itself (LLVM could not verify, compile or link its own output): a bug
};

const char* errorKindName(ErrorKind kind);

// A place in a source text: 1-based line, and 1-based column counted in characters (UTF-8 code
// points), so that a caret drawn under the line lands on the character.
struct TextPosition {
  uint32_t line = 1;
  uint32_t column = 1;
};

struct Error {
  ErrorKind kind = ErrorKind::Malformed;
  // The spec's wording first ("unexpected end", "type mismatch"), so a caller can match it; detail
  // after the wording where it helps ("type mismatch: expected i32, got f64"). The message never
  // holds the position: offset and position do, and whoever prints the error adds them once.
  std::string message;
  // Byte offset in the binary, or in the source text, when known.
  std::optional<size_t> offset;
  // For an error in the text format: where `offset` lies in the text (core/text sets it).
  std::optional<TextPosition> position;
  // The guest's exit status, for ErrorKind::Exit.
  int32_t exitCode = 0;
  // For ErrorKind::Trap or Exhaustion from a call: the TrapCode (as its number), so that a host
  // function that passes on a trap of a nested call keeps what the trap was. -1: none.
  int32_t trapCode = -1;

  // "kind: message" and the place, for one-line diagnostics: "invalid: type mismatch (at offset
  // 0x1f)" for a binary, "malformed: unknown operator (at line 3, column 12)" for a text.
  std::string describe() const;
  // The place alone, as describe() ends: " (at line 3, column 12)", " (at offset 0x1f)", or empty
  // when it is not known. The one formatter of places; the command uses it too.
  std::string describePlace() const;
};

Error makeError(ErrorKind kind, std::string message, std::optional<size_t> offset = std::nullopt);
// ErrorKind::Exit with the message "exit status N". A host function returns it to end the guest:
// the call unwinds like a trap but reaches the host as an exit, not a failure of the code.
Error makeExitError(int32_t exitCode);

// A small expected<T, Error>. (std::expected is C++23; we build as C++20.)
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : storage_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : storage_(std::in_place_index<1>, std::move(error)) {}

  explicit operator bool() const { return storage_.index() == 0; }
  bool ok() const { return storage_.index() == 0; }

  T& value() & { return std::get<0>(storage_); }
  const T& value() const& { return std::get<0>(storage_); }
  T&& value() && { return std::get<0>(std::move(storage_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(storage_); }
  Error&& takeError() { return std::get<1>(std::move(storage_)); }

 private:
  std::variant<T, Error> storage_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}

  explicit operator bool() const { return !error_; }
  bool ok() const { return !error_; }
  const Error& error() const { return *error_; }
  Error&& takeError() { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace orca

// Propagate an error from an expression returning Result<...>.
#define ORCA_TRY(expr)                                  \
  do {                                                  \
    auto orcaTryResult_ = (expr);                       \
    if (!orcaTryResult_) return orcaTryResult_.takeError(); \
  } while (0)
