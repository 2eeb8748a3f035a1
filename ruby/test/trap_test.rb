# frozen_string_literal: true

require_relative "test_helper"

class TrapTest < Minitest::Test
  include OrcaTestHelper

  TRAPS_WAT = <<~WAT
    (module
      (func $inner (export "unreachable") unreachable)
      (func $outer (export "outer") call $inner)
      (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
      (func $deep (export "deep") call $deep)
      (memory 1)
      (func (export "load") (param i32) (result i32) local.get 0 i32.load))
  WAT

  def setup
    @exports = instantiate(TRAPS_WAT).exports
  end

  def test_unreachable_with_frames
    trap = assert_raises(Orca::Trap) { @exports.outer.call }
    assert_equal :unreachable, trap.code
    assert_equal :trap, trap.kind
    assert_equal "unreachable", trap.message
    assert_equal [0, 1], trap.frames.map(&:func_index)
    assert_equal %w[inner outer], trap.frames.map(&:func_name)
    assert trap.frames.all? { _1.module_offset.positive? }
  end

  def test_trap_codes
    assert_equal :integer_divide_by_zero, assert_raises(Orca::Trap) { @exports.div.call(1, 0) }.code
    assert_equal :integer_overflow, assert_raises(Orca::Trap) { @exports.div.call(-2**31, -1) }.code
    assert_equal :stack_exhausted, assert_raises(Orca::Trap) { @exports.deep.call }.code
    assert_equal :memory_out_of_bounds, assert_raises(Orca::Trap) { @exports.load.call(65_536) }.code
    assert_equal 2, @exports.div.call(4, 2)
  end

  def test_start_function_trap
    mod = Orca::Module.from_wat(engine, '(module (func $s unreachable) (start $s))')
    trap = assert_raises(Orca::Trap) { Orca::Instance.new(store, mod) }
    assert_equal :unreachable, trap.code
  end

  def test_missing_import_is_a_link_error
    mod = Orca::Module.from_wat(engine, '(module (import "env" "log" (func (param i32))))')
    error = assert_raises(Orca::LinkError) { Orca::Linker.new(store).instantiate(mod) }
    assert_equal :unlinkable, error.kind
    assert_match(/unknown import.*env.*log/, error.message)
  end
end
