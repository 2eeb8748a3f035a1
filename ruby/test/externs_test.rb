# frozen_string_literal: true

require_relative "test_helper"

class ExternsTest < Minitest::Test
  include OrcaTestHelper

  WAT = <<~WAT
    (module
      (memory (export "memory") 1 3)
      (global (export "counter") (mut i32) (i32.const 7))
      (global (export "pi") f64 (f64.const 3.5))
      (table (export "table") 2 4 funcref)
      (func $f (export "f") (result i32) i32.const 11)
      (elem (i32.const 0) $f)
      (func (export "call_at") (param i32) (result i32) local.get 0 call_indirect (result i32)))
  WAT

  def setup
    @exports = instantiate(WAT).exports
  end

  def test_memory_read_write_size_grow
    memory = @exports.memory
    assert_equal 1, memory.size
    assert_equal 65_536, memory.data_size
    assert_equal 5, memory.write(100, "hello")
    assert_equal "hello", memory.read(100, 5)
    assert_equal Encoding::BINARY, memory.read(100, 5).encoding
    assert_equal 1, memory.grow(2)
    assert_equal 3, memory.size
    assert_raises(Orca::Error) { memory.grow(1) }
    assert_equal Orca::MemoryType.new(3, 3), memory.type # min is the current size
  end

  def test_memory_bounds
    memory = @exports.memory
    assert_equal "", memory.read(65_536, 0)
    assert_raises(Orca::Error) { memory.read(65_535, 2) }
    assert_raises(Orca::Error) { memory.write(65_535, "ab") }
    assert_raises(Orca::Error) { memory.read(-1, 1) }
    assert_raises(ArgumentError) { memory.read(0, -1) }
    assert_equal "\0", memory.read(65_535, 1)
  end

  def test_host_memory_import
    memory = Orca::Memory.new(store, min: 1, max: 2)
    linker = Orca::Linker.new(store)
    linker.define("env", "memory", memory)
    load = linker.instantiate(Orca::Module.from_wat(engine, <<~WAT)).exports.load
      (module (import "env" "memory" (memory 1))
        (func (export "load") (param i32) (result i32) local.get 0 i32.load8_u))
    WAT
    memory.write(3, "\x2a")
    assert_equal 42, load.call(3)
  end

  def test_globals
    counter = @exports.counter
    assert_equal 7, counter.get
    counter.set(8)
    assert_equal 8, counter.value
    assert_equal Orca::GlobalType.new(:i32, true), counter.type
    assert_equal 3.5, @exports.pi.get
    assert_raises(Orca::Error) { @exports.pi.set(1.0) }
    assert_raises(TypeError) { counter.set(1.5) }
    host = Orca::Global.new(store, :i64, 2**40, mutable: true)
    assert_equal 2**40, host.get
    constant = Orca::Global.new(store, :externref, "ref")
    assert_equal "ref", constant.get
    assert_raises(Orca::Error) { constant.set("other") }
  end

  def test_tables
    table = @exports.table
    assert_equal 2, table.size
    assert_equal 11, table.get(0).call
    assert_nil table.get(1)
    assert_equal :uninitialized_element, assert_raises(Orca::Trap) { @exports.call_at.call(1) }.code
    host = Orca::Func.new(store, [], [:i32]) { 5 }
    table.set(1, host)
    assert_equal 5, @exports.call_at.call(1)
    assert_equal 2, table.grow(1, host)
    assert_equal 3, table.size
    assert_equal 5, @exports.call_at.call(2)
    assert_raises(Orca::Error) { table.grow(5) }
    assert_raises(Orca::Error) { table.get(3) }
    assert_raises(Orca::Error) { table.set(-1, nil) }
    assert_raises(TypeError) { table.set(0, "not a func") }
    assert_equal Orca::TableType.new(:funcref, 3, 4), table.type
  end
end
