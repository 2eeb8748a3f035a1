# frozen_string_literal: true

require_relative "test_helper"
require "rbconfig"

# Many short-lived stores in one process, and GC.compact while the conformance suite runs.
class StressTest < Minitest::Test
  include OrcaTestHelper

  CYCLES = Integer(ENV.fetch("ORCA_STRESS_CYCLES", "10000"))
  WARM_UP = CYCLES / 10
  TRAP_EVERY = 10

  STRESS_WAT = <<~WAT
    (module
      (import "env" "twice" (func $twice (param i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "run") (param i32) (result i32) local.get 0 call $twice)
      (func (export "crash") unreachable))
  WAT

  # Resident set size in bytes (Linux: the second field of /proc/self/statm, in pages).
  def resident_bytes
    File.read("/proc/self/statm").split[1].to_i * 4096
  end

  # One cycle: a store, a linker with a host block and WASI, an instance, a call (or, every
  # TRAP_EVERY-th time, a trap: from the host block, then from the guest), and nothing kept.
  def cycle(mod, index)
    store = Orca::Store.new(engine)
    linker = Orca::Linker.new(store)
    linker.define_func("env", "twice", [:i32], [:i32]) do |x|
      raise ArgumentError, "refused #{x}" if x.negative?

      x * 2
    end
    linker.define_wasi(args: ["stress"], env: { "CYCLE" => index.to_s })
    exports = linker.instantiate(mod).exports
    if (index % TRAP_EVERY).zero?
      trap = assert_raises(Orca::Trap) { exports.run.call(-1) }
      assert_instance_of ArgumentError, trap.cause
      assert_equal :unreachable, assert_raises(Orca::Trap) { exports.crash.call }.code
    else
      assert_equal index * 2, exports.run.call(index)
    end
  end

  def test_resident_memory_stays_flat_over_many_cycles
    assert File.exist?("/proc/self/statm"), "no /proc/self/statm to read resident memory from"

    mod = Orca::Module.from_wat(engine, STRESS_WAT)
    WARM_UP.times { |i| cycle(mod, i) }
    GC.start
    before = resident_bytes
    (WARM_UP...CYCLES).each { |i| cycle(mod, i) }
    GC.start
    after = resident_bytes
    assert_operator after, :<=, before * 1.10,
                    "resident memory grew from #{before >> 10} KiB to #{after >> 10} KiB over #{CYCLES - WARM_UP} cycles"
  end

  # Raised into a spinning worker thread by the interrupting thread.
  class StressInterrupt < StandardError; end

  THREAD_WAT = <<~WAT
    (module
      (import "env" "twice" (func $twice (param i32) (result i32)))
      (import "env" "entered" (func $entered))
      (func (export "run") (param i32) (result i32) local.get 0 call $twice i32.const 1 i32.add)
      (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
      (func (export "spin") call $entered (loop br 0)))
  WAT
  SPIN_EVERY = 50

  # One cycle of a worker thread: a division-by-zero trap while the other worker runs and, every
  # SPIN_EVERY-th cycle, a guest that loops until the interrupting thread raises into this one
  # (it is handed the thread by the host function "entered", once the guest runs). The exception
  # usually arrives in the loop, which the store's interruption stops; when it arrives in the
  # host block still, it is the cause of the host function's trap.
  def thread_cycle(mod, index, spinning)
    store = Orca::Store.new(engine)
    linker = Orca::Linker.new(store)
    linker.define_func("env", "twice", [:i32], [:i32]) { |x| x * 2 }
    linker.define_func("env", "entered", [], []) { spinning << Thread.current }
    exports = linker.instantiate(mod).exports
    assert_equal (2 * index) + 1, exports.run.call(index)
    assert_equal :integer_divide_by_zero, assert_raises(Orca::Trap) { exports.div.call(index, 0) }.code
    return unless (index % SPIN_EVERY).zero?

    # A backstop: should the interrupting thread's exception never arrive, the deadline ends the
    # spin with a plain interruption trap, which the assertion below reports, instead of a hang.
    store.deadline = 60
    error = assert_raises(StressInterrupt, Orca::Trap) { exports.spin.call }
    assert error.is_a?(StressInterrupt) || error.cause.is_a?(StressInterrupt), "spin ended by #{error.inspect}"
  end

  def test_two_threads_trap_and_are_interrupted_from_a_third_with_memory_flat
    assert File.exist?("/proc/self/statm"), "no /proc/self/statm to read resident memory from"

    mod = Orca::Module.from_wat(engine, THREAD_WAT)
    spinning = Queue.new
    interrupts = 0
    interrupter = Thread.new do
      while (thread = spinning.pop)
        sleep 0.001 # let the guest loop a while
        thread.raise(StressInterrupt, "stop")
        interrupts += 1
      end
    end
    run = lambda do |range|
      workers = Array.new(2) { Thread.new { range.each { |i| thread_cycle(mod, i, spinning) } } }
      workers.each(&:join) # a failed assertion in a worker is raised here
    end
    run.call(0...WARM_UP)
    GC.start
    before = resident_bytes
    run.call(WARM_UP...CYCLES)
    GC.start
    after = resident_bytes
    spinning.close
    interrupter.join
    if ENV["ORCA_STRESS_VERBOSE"]
      warn format("stress: 2 threads x %d cycles (after %d to warm up), %d interrupted by a third; " \
                  "resident %d KiB after the warm-up, %d KiB at the end (%+.1f%%)",
                  CYCLES - WARM_UP, WARM_UP, interrupts, before >> 10, after >> 10, 100.0 * (after - before) / before)
    end
    assert_equal 2 * ((CYCLES + SPIN_EVERY - 1) / SPIN_EVERY), interrupts
    assert_operator after, :<=, before * 1.10,
                    "resident memory grew from #{before >> 10} KiB to #{after >> 10} KiB over 2 threads x #{CYCLES - WARM_UP} cycles"
  end

  def test_the_conformance_suite_passes_with_gc_compact_after_every_case
    assert GC.respond_to?(:compact), "GC.compact is not available in this Ruby"

    root = File.expand_path("../..", __dir__)
    runner = File.join(root, "tests", "conformance", "ruby", "runner.rb")
    assert File.exist?(runner), "no conformance runner at #{runner}"

    output = IO.popen({ "ORCA_GC_COMPACT" => "1" },
                      [RbConfig.ruby, "-I", File.join(root, "ruby", "lib"), runner, File.join(root, "tests", "conformance")],
                      err: %i[child out], &:read)
    assert_predicate $?, :success?, output.lines.grep(/^FAIL/).join
    assert_match(/^[1-9]\d* passed, 0 failed\n\z/, output)
  end
end
