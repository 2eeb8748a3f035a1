# frozen_string_literal: true

require_relative "test_helper"
require "tmpdir"

class WasiTest < Minitest::Test
  include OrcaTestHelper

  # Writes its stdin, then "<argc> <first env byte>", then exits with status 3.
  WAT = <<~WAT
    (module
      (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func (export "_start")
        ;; iovec at 0: buffer 100, length 64; count read at 8
        (i32.store (i32.const 0) (i32.const 100))
        (i32.store (i32.const 4) (i32.const 64))
        (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
        (i32.store (i32.const 4) (i32.load (i32.const 8)))
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        ;; argc as one digit to stderr
        (drop (call $args_sizes (i32.const 16) (i32.const 20)))
        (i32.store8 (i32.const 200) (i32.add (i32.const 48) (i32.load (i32.const 16))))
        (i32.store (i32.const 0) (i32.const 200))
        (i32.store (i32.const 4) (i32.const 1))
        (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))
        (call $exit (i32.const 3))))
  WAT

  def test_stdio_args_and_exit
    linker = Orca::Linker.new(store)
    linker.define_wasi(args: %w[app one two], env: { "LANG" => "C" }, stdin: "from stdin")
    instance = linker.instantiate(Orca::Module.from_wat(engine, WAT))
    exit = assert_raises(Orca::Exit) { instance.exports._start.call }
    assert_equal 3, exit.status
    assert_equal :exit, exit.kind
    assert_equal "from stdin", linker.stdout
    assert_equal "3", linker.stderr
  end

  def test_missing_preopen_directory_is_an_io_error
    linker = Orca::Linker.new(store)
    error = assert_raises(Orca::Error) { linker.define_wasi(preopens: { "/data" => "/no/such/dir/for/orca" }) }
    assert_equal :io, error.kind
  end

  def test_preopen_and_stdout_before_wasi
    linker = Orca::Linker.new(store)
    assert_raises(Orca::Error) { linker.stdout }
    Dir.mktmpdir { |dir| linker.define_wasi(preopens: { "/data" => dir }) }
    assert_equal "", linker.stdout
  end
end
