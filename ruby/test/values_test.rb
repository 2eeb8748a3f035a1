# frozen_string_literal: true

require_relative "test_helper"

# What the shared conformance suite needed of the API: typed values, exact f32 NaNs, function
# identity and host-made tables.
class ValuesTest < Minitest::Test
  include OrcaTestHelper

  VALUES_WAT = <<~WAT
    (module
      (func (export "id_f32") (param f32) (result f32) local.get 0)
      (func (export "bits_f32") (param f32) (result i32) local.get 0 i32.reinterpret_f32)
      (func $f (export "f"))
      (table (export "table") 2 funcref)
      (elem (i32.const 0) $f)
      (global (export "g") (mut i32) (i32.const 0)))
  WAT

  def exports
    @exports ||= instantiate(VALUES_WAT).exports
  end

  def test_a_signalling_f32_nan_keeps_its_bits_through_calls
    nan = Orca.f32_from_bits(0x7fa00001)
    assert_predicate nan, :nan?
    assert_equal 0x7fa00001, exports.bits_f32.call(nan)
    assert_equal 0x7fa00001, Orca.f32_bits(exports.id_f32.call(nan))
    assert_equal 0xffc00000, Orca.f32_bits(Orca.f32_from_bits(0xffc00000))
    assert_equal 0x3fc00000, Orca.f32_bits(1.5)
  end

  def test_a_typed_value_must_have_the_wanted_type
    global = exports.g
    global.set(Orca::Val.i32(-9))
    assert_equal(-9, global.get)
    error = assert_raises(TypeError) { global.set(Orca::Val.i64(1)) }
    assert_match(/must be i32/, error.message)
    assert_equal(-9, global.get)
    assert_raises(TypeError) { exports.bits_f32.call(Orca::Val.f64(1.0)) }
    assert_equal 0x3f800000, exports.bits_f32.call(Orca::Val.f32(1.0))
  end

  def test_functions_are_equal_when_they_are_the_same_wasm_function
    from_table = exports.table.get(0)
    refute_same exports.f, from_table
    assert_equal exports.f, from_table
    refute_equal exports.id_f32, from_table
    refute_equal exports.f, "f"
  end

  def test_a_table_made_by_the_host
    table = Orca::Table.new(store, :externref, 2, 4, "x")
    assert_equal Orca::TableType.new(:externref, 2, 4), table.type
    assert_same table.get(1), table.get(0)
    assert_equal "x", table.get(1)
    assert_equal 2, table.grow(2)
    assert_raises(Orca::Error) { table.grow(1) }
    funcs = Orca::Table.new(store, :funcref, 1, nil, exports.f)
    assert_equal exports.f, funcs.get(0)
    assert_nil funcs.type.max
    assert_raises(ArgumentError) { Orca::Table.new(store, :i32, 1) }
  end
end
