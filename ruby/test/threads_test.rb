# frozen_string_literal: true

require_relative "test_helper"
require "timeout"

class ThreadsTest < Minitest::Test
  include OrcaTestHelper

  def spin
    @spin ||= instantiate(SPIN_WAT).exports.spin
  end

  def test_timeout_stops_a_guest_and_the_store_stays_usable
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    assert_raises(Timeout::Error) { Timeout.timeout(0.1) { spin.call } }
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - started, :<, 5
    add = instantiate(ADD_WAT).exports.add
    assert_equal 42, add.call(40, 2)
    assert_raises(Timeout::Error) { Timeout.timeout(0.05) { spin.call } }
  end

  def test_thread_kill_stops_a_guest
    thread_store = Orca::Store.new(engine)
    looping = instantiate(SPIN_WAT, store: thread_store).exports.spin
    entered = Queue.new
    thread = Thread.new do
      entered << true
      looping.call
    end
    entered.pop
    sleep 0.05
    thread.kill
    assert thread.join(5), "the thread did not end after Thread#kill"
    refute thread.alive?
    assert_equal 5, instantiate(ADD_WAT, store: thread_store).exports.add.call(2, 3)
  end

  def test_thread_raise_reaches_the_caller
    thread = Thread.new { spin.call }
    thread.report_on_exception = false
    sleep 0.05
    thread.raise(IOError, "stop")
    error = assert_raises(IOError) { thread.join(5) }
    assert_equal "stop", error.message
  end

  def test_other_threads_run_while_wasm_runs
    ticks = 0
    ticker = Thread.new { loop { ticks += 1; sleep 0.001 } }
    store.deadline = 0.2
    assert_raises(Orca::Trap) { spin.call }
    ticker.kill
    assert_operator ticks, :>, 10, "the GVL was held during the wasm call"
  end

  def test_timeout_inside_a_host_block
    linker = Orca::Linker.new(store)
    linker.define_func("env", "wait", [], []) { sleep 10 }
    run = linker.instantiate(Orca::Module.from_wat(engine, <<~WAT)).exports.run
      (module (import "env" "wait" (func $wait)) (func (export "run") call $wait))
    WAT
    assert_raises(Timeout::Error) { Timeout.timeout(0.1) { run.call } }
    assert_equal 3, instantiate(ADD_WAT).exports.add.call(1, 2)
  end
end
