# frozen_string_literal: true

require_relative "test_helper"
require "tmpdir"

class ModuleTest < Minitest::Test
  include OrcaTestHelper

  def test_add_through_exports
    instance = instantiate(ADD_WAT)
    assert_equal 42, instance.exports.add.call(40, 2)
    assert_equal 3, instance.export("add").call(1, 2)
    assert_equal 5, instance.exports["add"].call(2, 3)
    assert_equal ["add"], instance.exports.names
    assert_nil instance.export("missing")
  end

  def test_binary_module
    bytes = Orca.wat2wasm(ADD_WAT)
    assert bytes.start_with?("\0asm".b)
    instance = Orca::Instance.new(store, Orca::Module.new(engine, bytes))
    assert_equal 7, instance.exports.add.call(3, 4)
  end

  def test_malformed_bytes_raise_error_with_kind
    error = assert_raises(Orca::Error) { Orca::Module.new(engine, "\0asm\x01".b) }
    assert_equal :malformed, error.kind
    refute_kind_of Orca::Trap, error
  end

  def test_invalid_module_raises_invalid
    bytes = Orca.wat2wasm('(module (func (result i32) i64.const 1))')
    error = assert_raises(Orca::Error) { Orca::Module.new(engine, bytes) }
    assert_equal :invalid, error.kind
    assert_match(/type mismatch/, error.message)
    assert_raises(Orca::Error) { Orca::Module.validate(engine, bytes) }
    assert Orca::Module.validate(engine, Orca.wat2wasm(ADD_WAT))
  end

  def test_bad_text_raises_malformed
    error = assert_raises(Orca::Error) { Orca.wat2wasm("(module (func") }
    assert_equal :malformed, error.kind
  end

  def test_imports_and_exports
    mod = Orca::Module.from_wat(engine, <<~WAT)
      (module
        (import "env" "log" (func (param i32)))
        (import "env" "mem" (memory 1 2))
        (global (export "g") (mut i64) (i64.const 0))
        (table (export "t") 2 funcref)
        (func (export "f") (param f32) (result f64 i32) f64.const 0 i32.const 0))
    WAT
    imports = mod.imports
    assert_equal [%w[env log], %w[env mem]], imports.map { [_1.module, _1.name] }
    assert_equal Orca::FuncType.new([:i32], []), imports[0].type
    assert_equal Orca::MemoryType.new(1, 2), imports[1].type
    exports = mod.exports.to_h { [_1.name, _1.type] }
    assert_equal Orca::GlobalType.new(:i64, true), exports["g"]
    assert_equal Orca::TableType.new(:funcref, 2, nil), exports["t"]
    assert_equal Orca::FuncType.new([:f32], %i[f64 i32]), exports["f"]
  end

  def test_serialize_and_deserialize
    artifact = Orca::Module.from_wat(engine, ADD_WAT).serialize
    assert artifact.start_with?("\0orcamod".b)
    mod = Orca::Module.deserialize(engine, artifact)
    assert_equal 9, Orca::Instance.new(store, mod).exports.add.call(4, 5)
    damaged = artifact.dup
    damaged.setbyte(damaged.bytesize / 2, damaged.getbyte(damaged.bytesize / 2) ^ 0xff)
    error = assert_raises(Orca::Error) { Orca::Module.deserialize(engine, damaged) }
    assert_equal :malformed, error.kind
  end

  def test_engine_options
    assert_raises(ArgumentError) { Orca::Engine.new(features: { no_such: true }) }
    assert_raises(ArgumentError) { Orca::Engine.new(opt_level: 4) }
    error = assert_raises(Orca::Error) { Orca::Engine.new(features: { gc: true }) }
    assert_equal :unsupported, error.kind
    no_simd = Orca::Engine.new(cache: false, features: { simd: false }, opt_level: 0, bounds_checks: true)
    error = assert_raises(Orca::Error) do
      Orca::Module.from_wat(no_simd, '(module (func (result v128) v128.const i64x2 0 0))')
    end
    assert_equal :invalid, error.kind
    assert_equal 42, Orca::Instance.new(Orca::Store.new(no_simd), Orca::Module.from_wat(no_simd, ADD_WAT))
                                   .exports.add.call(40, 2)
  end

  def test_cache_dir
    Dir.mktmpdir do |dir|
      cached = Orca::Engine.new(cache_dir: dir)
      Orca::Module.from_wat(cached, ADD_WAT)
      Orca::Module.from_wat(cached, ADD_WAT)
      stats = cached.cache_stats
      assert_equal 1, stats[:misses]
      assert_equal 1, stats[:hits]
      refute_empty Dir.children(dir)
    end
  end

  def test_module_of_another_engine_is_refused
    other = Orca::Engine.new(cache: false)
    mod = Orca::Module.from_wat(other, ADD_WAT)
    error = assert_raises(Orca::Error) { Orca::Instance.new(store, mod) }
    assert_equal :unlinkable, error.kind
  end
end
