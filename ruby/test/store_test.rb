# frozen_string_literal: true

require_relative "test_helper"

class StoreTest < Minitest::Test
  include OrcaTestHelper

  COUNT_WAT = <<~WAT
    (module (func (export "count") (param i32) (result i32) (local i32)
      (block (loop
        (br_if 1 (i32.ge_u (local.get 1) (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br 0)))
      local.get 1))
  WAT

  def test_fuel
    fuel_engine = Orca::Engine.new(cache: false, consume_fuel: true)
    fuel_store = Orca::Store.new(fuel_engine)
    count = Orca::Instance.new(fuel_store, Orca::Module.from_wat(fuel_engine, COUNT_WAT)).exports.count
    assert_equal 0, fuel_store.fuel
    assert_equal :out_of_fuel, assert_raises(Orca::Trap) { count.call(10) }.code
    fuel_store.fuel = 1_000_000
    assert_equal 100, count.call(100)
    assert_operator fuel_store.fuel, :<, 1_000_000
    error = assert_raises(Orca::Error) { store.fuel = 10 }
    assert_equal :unsupported, error.kind
  end

  def test_deadline_and_interrupt
    spin = instantiate(SPIN_WAT).exports.spin
    store.deadline = 0.05
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    assert_equal :interrupted, assert_raises(Orca::Trap) { spin.call }.code
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - started, :<, 5
    store.set_deadline(0)
    store.interrupt
    assert_equal :interrupted, assert_raises(Orca::Trap) { spin.call }.code
    assert_raises(ArgumentError) { store.deadline = -1 }
  end

  def test_not_interruptible_engine
    plain = Orca::Engine.new(cache: false, interruptible: false)
    refute plain.interruptible?
    error = assert_raises(Orca::Error) { Orca::Store.new(plain).interrupt }
    assert_equal :unsupported, error.kind
  end

  def test_limits
    grow = instantiate(<<~WAT).exports.grow
      (module (memory 1) (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))
    WAT
    store.limits(memory_bytes: 2 * 65_536)
    assert_equal 1, grow.call(1)
    assert_equal(-1, grow.call(1))
    store.limits(instances: 1)
    assert_raises(Orca::Error) { instantiate(ADD_WAT) }
    assert_raises(ArgumentError) { store.limits(tables: -1) }
  end

  def test_use_after_close_raises
    instance = instantiate(<<~WAT)
      (module (memory (export "memory") 1) (global (export "g") (mut i32) (i32.const 1))
        (table (export "t") 1 funcref)
        (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
    WAT
    add = instance.exports.add
    memory = instance.exports.memory
    global = instance.exports.g
    table = instance.exports.t
    linker = Orca::Linker.new(store)
    store.close
    assert store.closed?
    store.close
    [-> { add.call(1, 2) }, -> { memory.read(0, 1) }, -> { memory.size }, -> { global.get }, -> { table.size },
     -> { instance.export("add") }, -> { linker.define_func("a", "b", [], []) { nil } }, -> { store.fuel },
     -> { store.interrupt }, -> { Orca::Linker.new(store) }, -> { Orca::Func.new(store, [], []) { nil } }].each do |use|
      error = assert_raises(Orca::Error) { use.call }
      assert_match(/closed/, error.message)
    end
  end

  def test_close_inside_a_host_call_is_refused
    linker = Orca::Linker.new(store)
    linker.define_func("env", "close", [], []) { store.close }
    instance = linker.instantiate(Orca::Module.from_wat(engine, <<~WAT))
      (module (import "env" "close" (func $close)) (func (export "run") call $close))
    WAT
    trap = assert_raises(Orca::Trap) { instance.exports.run.call }
    assert_instance_of Orca::Error, trap.cause
    assert_match(/while a call/, trap.cause.message)
    refute store.closed?
  end
end
