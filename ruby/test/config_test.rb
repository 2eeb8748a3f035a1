# frozen_string_literal: true

require_relative "test_helper"

# The engine's module limits and compile strategy.
class ConfigTest < Minitest::Test
  include OrcaTestHelper

  MANY_LOCALS_WAT = <<~WAT
    (module (func (export "f") (result i32) (local i32 i32 i32 i32 i32 i32 i32 i32) i32.const 3))
  WAT

  FIB_WAT = <<~WAT
    (module
      (func $fib (export "fib") (param i32) (result i32)
        (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
          (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                         (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
      (func (export "trap") unreachable))
  WAT

  def test_a_module_over_a_limit_is_refused_naming_it
    strict = Orca::Engine.new(cache: false, limits: { locals: 4 })
    error = assert_raises(Orca::Error) { Orca::Module.from_wat(strict, MANY_LOCALS_WAT) }
    assert_equal :unsupported, error.kind
    assert_match(/limit locals exceeded/, error.message)
    assert_equal 4, strict.limits[:locals]
  end

  def test_the_same_module_is_accepted_with_the_limit_lifted
    lifted = Orca::Engine.new(cache: false, limits: { "locals" => nil })
    assert_nil lifted.limits[:locals]
    instance = Orca::Instance.new(Orca::Store.new(lifted), Orca::Module.from_wat(lifted, MANY_LOCALS_WAT))
    assert_equal 3, instance.exports.f.call
  end

  def test_limits_keep_their_defaults_unless_set
    assert_equal Orca::Engine.limit_names.sort, engine.limits.keys.sort
    assert_equal 50_000, engine.limits[:locals]
    assert_equal 1 << 30, engine.limits[:module_bytes]
    assert engine.limits.frozen?
  end

  def test_an_unknown_limit_or_a_bad_value_is_an_argument_error
    error = assert_raises(ArgumentError) { Orca::Engine.new(cache: false, limits: { local: 4 }) }
    assert_match(/unknown limit :local/, error.message)
    assert_raises(ArgumentError) { Orca::Engine.new(cache: false, limits: { locals: -1 }) }
    assert_raises(ArgumentError) { Orca::Engine.new(cache: false, limits: { locals: 2**64 }) }
    assert_raises(ArgumentError) { Orca::Engine.new(cache: false, limits: { locals: "4" }) }
    assert_raises(ArgumentError) { Orca::Engine.new(cache: false, limits: { 1 => 4 }) }
    assert_raises(ArgumentError) { Orca::Engine.new(cache: false, limits: [[:locals, 4]]) }
  end

  def test_lazy_compilation_runs_and_traps
    lazy = Orca::Engine.new(cache: false, compile: :lazy)
    exports = Orca::Instance.new(Orca::Store.new(lazy), Orca::Module.from_wat(lazy, FIB_WAT)).exports
    assert_equal 6765, exports.fib.call(20)
    assert_equal :unreachable, assert_raises(Orca::Trap) { exports.trap.call }.code
  end

  def test_an_unknown_compile_strategy_is_an_argument_error
    error = assert_raises(ArgumentError) { Orca::Engine.new(cache: false, compile: :jit) }
    assert_match(/:eager or :lazy/, error.message)
  end
end
