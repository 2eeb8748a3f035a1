#include "orca/ir/error.h"

#include <cstdio>
#include <string>

namespace orca {

const char* errorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Malformed: return "malformed";
    case ErrorKind::Invalid: return "invalid";
    case ErrorKind::Unlinkable: return "unlinkable";
    case ErrorKind::Uninstantiable: return "uninstantiable";
    case ErrorKind::Trap: return "trap";
    case ErrorKind::Exhaustion: return "exhaustion";
    case ErrorKind::Io: return "io";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::Exit: return "exit";
    case ErrorKind::Internal: return "internal";
  }
  return "error";
}

std::string Error::describe() const {
  std::string text = errorKindName(kind);
  text += ": ";
  text += message;
  if (offset) {
    char buf[48];
    std::snprintf(buf, sizeof buf, " (at offset 0x%zx)", *offset);
    text += buf;
  }
  return text;
}

Error makeError(ErrorKind kind, std::string message, std::optional<size_t> offset) {
  return Error{kind, std::move(message), offset};
}

Error makeExitError(int32_t exitCode) {
  Error error{ErrorKind::Exit, "exit status " + std::to_string(exitCode), std::nullopt};
  error.exitCode = exitCode;
  return error;
}

}  // namespace orca
