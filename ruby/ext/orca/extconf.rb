# frozen_string_literal: true

# Makes the Makefile of Orca's C extension. It links Orca's self-contained static library
# (liborca.a) by path, so the built orca.so needs no liborca.so at run time. Where it looks:
#
#   ruby extconf.rb --with-orca-dir=DIR   # DIR/lib/liborca.a and DIR/include (an Orca release)
#   ruby extconf.rb                       # the libdir and includedir that `pkg-config orca` names
#
# `gem install orca -- --with-orca-dir=DIR` passes the option through.
require "mkmf"

def orca_from_dir(dir)
  dir = File.expand_path(dir)
  [File.join(dir, "lib", "liborca.a"), File.join(dir, "include")]
end

def orca_from_pkg_config
  return nil unless find_executable0("pkg-config") && system("pkg-config --exists orca")

  libdir = `pkg-config --variable=libdir orca`.strip
  includedir = `pkg-config --variable=includedir orca`.strip
  [File.join(libdir, "liborca.a"), includedir]
end

option_dir = with_config("orca-dir")
archive, include_dir = option_dir ? orca_from_dir(option_dir) : orca_from_pkg_config
unless archive && File.file?(archive) && File.file?(File.join(include_dir, "orca.h"))
  where = archive ? "(looked for #{archive} and #{File.join(include_dir, 'orca.h')})" : "(pkg-config knows no orca)"
  abort <<~MSG
    Cannot find Orca's static library liborca.a #{where}.
    Pass the directory of an Orca release or install prefix: --with-orca-dir=DIR (DIR/lib/liborca.a,
    DIR/include), or make `pkg-config orca` find it (PKG_CONFIG_PATH=DIR/lib/pkgconfig).
  MSG
end

$INCFLAGS << " -I#{include_dir}"
$CFLAGS << " -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -fvisibility=hidden"
# The archive's own symbols (LLVM's among them) stay inside orca.so; only Init_orca is exported.
$LOCAL_LIBS << " #{archive}"
$LDFLAGS << " -Wl,--exclude-libs,ALL"
$libs << " -lstdc++ -lm -lpthread -ldl"

abort "Ruby's thread API (rb_nogvl) is missing: Ruby 2.7 or later is needed" unless have_func("rb_nogvl", "ruby/thread.h")
abort "liborca.a does not link (a wrong or foreign archive): #{archive}" unless have_func("orca_version", "orca.h")

create_makefile("orca/orca")
