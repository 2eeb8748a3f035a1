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
  return text + describePlace();
}

std::string Error::describePlace() const {
  char buf[64];
  if (position) {
    std::snprintf(buf, sizeof buf, " (at line %u, column %u)", static_cast<unsigned>(position->line),
                  static_cast<unsigned>(position->column));
  } else if (offset) {
    std::snprintf(buf, sizeof buf, " (at offset 0x%zx)", *offset);
  } else {
    return {};
  }
  return buf;
}

Error makeError(ErrorKind kind, std::string message, std::optional<size_t> offset) {
  Error error;
  error.kind = kind;
  error.message = std::move(message);
  error.offset = offset;
  return error;
}

Error makeExitError(int32_t exitCode) {
  Error error = makeError(ErrorKind::Exit, "exit status " + std::to_string(exitCode));
  error.exitCode = exitCode;
  return error;
}

}  // namespace orca
