# frozen_string_literal: true

require_relative "test_helper"

# Instance#close and Store#collect: a long-lived store with an instance per request stays bounded.
class InstanceCloseTest < Minitest::Test
  include OrcaTestHelper

  REQUEST_WAT = <<~WAT
    (module (memory (export "memory") 1)
      (func (export "handle") (param i32) (result i32)
        (i32.store (i32.const 0) (local.get 0))
        (i32.add (i32.load (i32.const 0)) (i32.const 1))))
  WAT

  def test_a_request_per_instance_leaves_the_store_bounded
    request = Orca::Module.from_wat(engine, REQUEST_WAT)
    highest = 0
    20_000.times do |i|
      instance = Orca::Instance.new(store, request)
      assert_equal i + 1, instance.exports.handle.call(i) if (i % 1000).zero?
      instance.exports.handle.call(i)
      instance.close
      highest = [highest, store.instance_count].max
    end
    store.collect
    assert_equal 0, store.instance_count
    # Instantiation collects by itself once the store doubles: it never held all 20,000.
    assert_operator highest, :<, 100
  end

  def test_exports_of_a_closed_instance_raise
    instance = instantiate(REQUEST_WAT)
    handle = instance.exports.handle
    memory = instance.exports.memory
    data = memory.read(0, 4)
    instance.close
    instance.close
    assert instance.closed?
    assert_equal 1, store.collect
    [-> { handle.call(1) }, -> { memory.read(0, 4) }, -> { instance.exports.handle }].each do |use|
      assert_match(/the instance is closed/, assert_raises(Orca::Error) { use.call }.message)
    end
    assert_equal "\0\0\0\0".b, data # a read is a copy: it outlives the memory
  end

  def test_an_instance_kept_through_an_importer_stays_usable
    counter = instantiate(<<~WAT)
      (module (global $n (mut i32) (i32.const 0)) (memory (export "memory") 1)
        (func (export "next") (result i32)
          (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))
    WAT
    linker = Orca::Linker.new(store)
    linker.define("counter", "next", counter.exports.next)
    user = linker.instantiate(Orca::Module.from_wat(engine, <<~WAT))
      (module (import "counter" "next" (func $next (result i32)))
        (func (export "twice") (result i32) (drop (call $next)) (call $next)))
    WAT
    linker.close
    counter.close
    assert_equal 0, store.collect
    assert_equal 2, store.instance_count
    assert_equal 2, user.exports.twice.call
    assert_equal 4, user.exports.twice.call
    user.close
    assert_equal 2, store.collect
  end

  def test_a_host_block_may_close_its_own_instance
    linker = Orca::Linker.new(store)
    instance = nil
    linker.define_func("host", "done", [], []) do
      instance.close
      assert_equal 0, store.collect # wasm frames run: nothing is collected
    end
    instance = linker.instantiate(Orca::Module.from_wat(engine, <<~WAT))
      (module (import "host" "done" (func $done))
        (func (export "run") (result i32) (call $done) (i32.const 7)))
    WAT
    run = instance.exports.run
    assert_equal 7, run.call
    assert_raises(Orca::Error) { run.call }
    linker.close
    assert_equal 1, store.collect
    assert_raises(Orca::Error) { linker.define_instance("x", instance) }
  end

  def test_without_close_gc_frees_the_handles
    request = Orca::Module.from_wat(engine, REQUEST_WAT)
    200.times { |i| Orca::Instance.new(store, request).exports.handle.call(i) }
    GC.start(full_mark: true, immediate_sweep: true)
    store.collect
    # Ruby's GC scans the C stack conservatively, so a few may still look reachable.
    assert_operator store.instance_count, :<, 20
  end

  def test_collect_and_count_of_a_closed_store_raise
    s = Orca::Store.new(engine)
    s.close
    assert_raises(Orca::Error) { s.collect }
    assert_raises(Orca::Error) { s.instance_count }
  end
end
