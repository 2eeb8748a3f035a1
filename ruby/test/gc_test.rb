# frozen_string_literal: true

require_relative "test_helper"

class GCTest < Minitest::Test
  include OrcaTestHelper

  HOST_WAT = <<~WAT
    (module (import "env" "id" (func $id (param externref) (result externref)))
      (func (export "run") (param externref) (result externref) local.get 0 call $id))
  WAT

  def build
    gc_store = Orca::Store.new(engine)
    linker = Orca::Linker.new(gc_store)
    linker.define_func("env", "id", [:externref], [:externref]) { |value| value }
    [linker.instantiate(Orca::Module.from_wat(engine, HOST_WAT)).exports.run, instantiate(ADD_WAT, store: gc_store)]
  end

  def test_compaction_between_calls
    assert GC.respond_to?(:compact), "GC.compact is not available in this Ruby"

    run, instance = build
    values = Array.new(50) { |i| "value #{i}" }
    values.each { |value| assert_same value, run.call(value) }
    GC.compact
    values.each { |value| assert_same value, run.call(value) }
    assert_equal 42, instance.exports.add.call(40, 2)
    GC.verify_compaction_references(double_heap: true, toward: :empty) if GC.respond_to?(:verify_compaction_references)
    values.each { |value| assert_same value, run.call(value) }
    assert_equal 42, instance.exports.add.call(40, 2)
  end

  def test_objects_dying_together_in_any_order
    200.times do
      e = Orca::Engine.new(cache: false, opt_level: 0)
      s = Orca::Store.new(e)
      Orca::Instance.new(s, Orca::Module.from_wat(e, ADD_WAT)).exports.add
      Orca::Linker.new(s).define_func("env", "f", [], []) { nil }
    end
    GC.start
    assert_equal 42, build.last.exports.add.call(40, 2)
  end

  def test_a_function_keeps_its_store_alive
    add = instantiate(ADD_WAT, store: Orca::Store.new(engine)).exports.add
    GC.start
    GC.compact if GC.respond_to?(:compact)
    assert_equal 42, add.call(40, 2)
  end
end
