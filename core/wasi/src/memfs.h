// The in-memory filesystem's descriptors (memfs.cpp).
#pragma once

#include <memory>

#include "descriptor.h"
#include "orca/wasi/wasi.h"

namespace orca::wasi {

// A descriptor for the root directory of `fs`, as a preopen.
std::unique_ptr<Descriptor> openMemFsRoot(std::shared_ptr<MemFs> fs);

}  // namespace orca::wasi
