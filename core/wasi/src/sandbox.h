// Path resolution that stays beneath a directory (host.cpp).
#pragma once

#include <sys/types.h>

#include <string_view>

#include "descriptor.h"

namespace orca::wasi {

// Opens `path` relative to `dirfd` with open(2) `flags`, refusing any resolution that leaves
// `dirfd`'s tree: ".." above it, an absolute path, an absolute symlink, a symlink leading out
// (ENOTCAPABLE); more than 40 symlinks is ELOOP. O_NOFOLLOW applies to the last component, as in
// open(2). Uses openat2 RESOLVE_BENEATH when the kernel has it, a component walk otherwise (or
// when ORCA_WASI_FORCE_WALK is set in the environment, which the tests use to check the walk).
Errno openBeneath(int dirfd, std::string_view path, int flags, mode_t mode, int* outFd);

// The host descriptor behind `d`, or -1 when it is not a host descriptor.
int hostFdOf(Descriptor& d);

}  // namespace orca::wasi
