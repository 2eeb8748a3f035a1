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
