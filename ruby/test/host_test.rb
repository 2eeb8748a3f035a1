# frozen_string_literal: true

require_relative "test_helper"

class HostTest < Minitest::Test
  include OrcaTestHelper

  CALLS_WAT = <<~WAT
    (module
      (import "env" "add" (func $add (param i32 i32) (result i32)))
      (import "env" "print" (func $print (param i32 i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "hello")
      (func (export "run") (param i32 i32) (result i32) local.get 0 local.get 1 call $add)
      (func (export "greet") i32.const 16 i32.const 5 call $print))
  WAT

  def linker
    @linker ||= Orca::Linker.new(store)
  end

  def instantiate_calls(&add)
    printed = +""
    linker.define_func("env", "add", %i[i32 i32], [:i32], &add)
    linker.define_func("env", "print", %i[i32 i32], [], caller: true) do |caller, ptr, len|
      printed << caller.memory.read(ptr, len)
    end
    [linker.instantiate(Orca::Module.from_wat(engine, CALLS_WAT)), printed]
  end

  def test_block_called_from_wasm_and_caller_memory
    instance, printed = instantiate_calls { |a, b| a + b }
    assert_equal 42, instance.exports.run.call(40, 2)
    instance.exports.greet.call
    assert_equal "hello", printed
  end

  def test_exception_in_block_is_the_trap_cause
    instance, = instantiate_calls { |_a, _b| raise ArgumentError, "bad input" }
    trap = assert_raises(Orca::Trap) { instance.exports.run.call(1, 2) }
    assert_equal :host_error, trap.code
    assert_instance_of ArgumentError, trap.cause
    assert_equal "bad input", trap.cause.message
    assert_match(/ArgumentError: bad input/, trap.message)
  end

  def test_wrong_result_type_is_a_trap_with_type_error
    instance, = instantiate_calls { |_a, _b| "not a number" }
    trap = assert_raises(Orca::Trap) { instance.exports.run.call(1, 2) }
    assert_instance_of TypeError, trap.cause
  end

  def test_store_usable_after_a_host_exception
    calls = 0
    instance, = instantiate_calls do |a, b|
      calls += 1
      raise "first" if calls == 1

      a * b
    end
    assert_raises(Orca::Trap) { instance.exports.run.call(6, 7) }
    assert_equal 42, instance.exports.run.call(6, 7)
  end

  def test_throw_out_of_a_block_passes_through_the_guest
    instance, printed = instantiate_calls { |_a, _b| throw :done, 99 }
    assert_equal 99, catch(:done) { instance.exports.run.call(1, 2) }
    instance.exports.greet.call
    assert_equal "hello", printed
  end

  def test_nested_trap_passes_unchanged
    divide = instantiate('(module (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_u))')
             .exports.div
    instance, = instantiate_calls { |a, b| divide.call(a, b) }
    assert_equal 5, instance.exports.run.call(10, 2)
    trap = assert_raises(Orca::Trap) { instance.exports.run.call(1, 0) }
    assert_equal :integer_divide_by_zero, trap.code
  end

  def test_func_new_and_define
    double = Orca::Func.new(store, [:i64], [:i64]) { |x| x * 2 }
    assert_equal 10, double.call(5)
    pair = Orca::Func.new(store, [], %i[i32 f64], -> { [1, 2.5] })
    assert_equal [1, 2.5], pair.call
    linker.define("env", "double", double)
    mod = Orca::Module.from_wat(engine, <<~WAT)
      (module (import "env" "double" (func $d (param i64) (result i64)))
        (func (export "quad") (param i64) (result i64) local.get 0 call $d call $d))
    WAT
    assert_equal 12, linker.instantiate(mod).exports.quad.call(3)
    assert_instance_of Orca::Func, linker.get("env", "double")
    assert_raises(Orca::LinkError) { linker.define("env", "double", double) }
    linker.allow_shadowing = true
    linker.define("env", "double", pair)
  end

  def test_define_instance
    provider = instantiate(ADD_WAT)
    linker.define_instance("math", provider)
    mod = Orca::Module.from_wat(engine, <<~WAT)
      (module (import "math" "add" (func $add (param i32 i32) (result i32)))
        (func (export "inc") (param i32) (result i32) local.get 0 i32.const 1 call $add))
    WAT
    assert_equal 8, linker.instantiate(mod).exports.inc.call(7)
  end

  def test_caller_is_invalid_after_its_call
    kept = nil
    linker.define_func("env", "add", %i[i32 i32], [:i32], caller: true) do |caller, a, b|
      kept = caller
      a + b
    end
    linker.define_func("env", "print", %i[i32 i32], []) { |_p, _l| nil }
    instance = linker.instantiate(Orca::Module.from_wat(engine, CALLS_WAT))
    assert_equal 3, instance.exports.run.call(1, 2)
    assert_raises(Orca::Error) { kept.memory }
  end

  def test_unknown_value_type_raises
    assert_raises(ArgumentError) { Orca::Func.new(store, [:i8], []) { nil } }
    assert_raises(ArgumentError) { Orca::Func.new(store, [:i32], []) }
  end
end
