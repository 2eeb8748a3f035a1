# frozen_string_literal: true

require_relative "test_helper"

class FuncTest < Minitest::Test
  include OrcaTestHelper

  VALUES_WAT = <<~WAT
    (module
      (func (export "i32") (param i32) (result i32) local.get 0)
      (func (export "i64") (param i64) (result i64) local.get 0)
      (func (export "f32") (param f32) (result f32) local.get 0)
      (func (export "f64") (param f64) (result f64) local.get 0)
      (func (export "v128") (param v128) (result v128) local.get 0)
      (func (export "funcref") (param funcref) (result funcref) local.get 0)
      (func (export "externref") (param externref) (result externref) local.get 0)
      (func (export "swap") (param i32 i64) (result i64 i32) local.get 1 local.get 0)
      (func (export "nothing")))
  WAT

  def setup
    @exports = instantiate(VALUES_WAT).exports
  end

  def test_integers
    assert_equal(-1, @exports.i32.call(0xffff_ffff))
    assert_equal(-2**31, @exports.i32.call(-2**31))
    assert_equal(-1, @exports.i64.call(2**64 - 1))
    assert_equal(2**63 - 1, @exports.i64.call(2**63 - 1))
    assert_raises(RangeError) { @exports.i32.call(2**32) }
    assert_raises(RangeError) { @exports.i64.call(-2**63 - 1) }
  end

  def test_floats
    assert_equal 1.5, @exports.f32.call(1.5)
    assert_equal 2.0, @exports.f64.call(2)
    assert_in_delta 0.1, @exports.f32.call(0.1), 1e-7
    assert @exports.f64.call(Float::NAN).nan?
  end

  def test_v128_is_a_16_byte_string
    bytes = (0..15).to_a.pack("C*")
    assert_equal bytes, @exports.v128.call(bytes)
    assert_raises(TypeError) { @exports.v128.call("short") }
  end

  def test_references
    add = instantiate(ADD_WAT).exports.add
    returned = @exports.funcref.call(add)
    assert_instance_of Orca::Func, returned
    assert_equal 3, returned.call(1, 2)
    assert_nil @exports.funcref.call(nil)
    object = Object.new
    assert_same object, @exports.externref.call(object)
    assert_same object, @exports.externref.call(object)
    assert_equal "text", @exports.externref.call("text")
    assert_nil @exports.externref.call(nil)
  end

  def test_several_and_no_results
    assert_equal [7, 3], @exports.swap.call(3, 7)
    assert_nil @exports.nothing.call
  end

  def test_wrong_arguments_raise_before_the_call
    assert_raises(ArgumentError) { @exports.i32.call }
    assert_raises(ArgumentError) { @exports.i32.call(1, 2) }
    error = assert_raises(TypeError) { @exports.swap.call(1, "two") }
    assert_match(/value 2 must be i64/, error.message)
    assert_raises(TypeError) { @exports.f64.call("1.0") }
    assert_raises(TypeError) { @exports.funcref.call(Object.new) }
  end

  def test_func_of_another_store_is_refused
    other = Orca::Store.new(engine)
    add = instantiate(ADD_WAT, store: other).exports.add
    assert_raises(Orca::Error) { @exports.funcref.call(add) }
  end

  def test_type_and_arity
    assert_equal Orca::FuncType.new(%i[i32 i64], %i[i64 i32]), @exports.swap.type
    assert_equal 2, @exports.swap.param_count
    assert_equal 2, @exports.swap.result_count
  end
end
