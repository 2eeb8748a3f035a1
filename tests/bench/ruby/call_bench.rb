# frozen_string_literal: true

# Calls across the Ruby/wasm boundary, in ns per call: Ruby calling an exported function
# (Orca::Func#call), wasm calling a Ruby host block from a loop inside wasm, and plain Ruby calls
# for comparison. Each figure is measured ROUNDS times over CALLS calls; the script prints the
# median and the fastest round. The Ruby loop is included in the Ruby-side figures; the "empty
# loop" row says what it costs.
#
#   ruby -I ruby/lib tests/bench/ruby/call_bench.rb [CALLS] [ROUNDS]   # default 1000000 5
require "orca"

calls = Integer(ARGV[0] || 1_000_000)
rounds = Integer(ARGV[1] || 5)

engine = Orca::Engine.new(cache: false)
store = Orca::Store.new(engine)
linker = Orca::Linker.new(store)
linker.define_func("env", "add", %i[i32 i32], [:i32]) { |a, b| a + b }
linker.define_func("env", "nop", [], []) { nil }
exports = linker.instantiate(Orca::Module.from_wat(engine, File.read(File.join(__dir__, "..", "call_bench.wat")))).exports
add = exports.add
nop = exports.nop
add_loop = exports.add_loop
nop_loop = exports.nop_loop

# Median and fastest of `rounds` runs of the block (given the call count), in ns per call. Each
# block returns its last result, checked, so that a broken call cannot pass for a fast one.
measure = lambda do |name, want, &body|
  per_call = Array.new(rounds) do
    start = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)
    got = body.call(calls)
    elapsed = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond) - start
    raise "#{name.strip} gave #{got.inspect}, not #{want.inspect}" unless got == want

    elapsed.fdiv(calls)
  end.sort
  puts format("%-56s %8.1f ns median %8.1f ns fastest", name, per_call[rounds / 2], per_call.first)
end

def ruby_add(a, b)
  a + b
end

sum = (calls * (calls + 1) / 2) & 0xffff_ffff
wrapped_sum = sum >= 1 << 31 ? sum - (1 << 32) : sum # add_loop sums in i32 arithmetic, which wraps
puts "Ruby #{RUBY_VERSION}, #{calls} calls a round, #{rounds} rounds"
puts "Ruby -> wasm"
measure.call("  add.call(2, 40)  (Orca::Func#call, i32 add)", 42) do |n|
  r = nil
  n.times { r = add.call(2, 40) }
  r
end
measure.call("  nop.call  (no arguments, no results)", nil) do |n|
  r = 0
  n.times { r = nop.call }
  r
end
puts "wasm -> Ruby (a loop in wasm calling a host block defined with define_func)"
measure.call("  env.add(i32, i32) -> i32, a block { |a, b| a + b }", wrapped_sum) { |n| add_loop.call(n) }
measure.call("  env.nop(), no arguments, no results", nil) { |n| nop_loop.call(n) }
puts "Ruby -> Ruby, for comparison"
measure.call("  ruby_add(2, 40)  (a plain method)", 42) do |n|
  r = nil
  n.times { r = ruby_add(2, 40) }
  r
end
block = proc { |a, b| a + b }
measure.call("  block.call(2, 40)  (a Proc)", 42) do |n|
  r = nil
  n.times { r = block.call(2, 40) }
  r
end
measure.call("  empty loop  (n.times { })", nil) do |n|
  n.times { nil }
  nil
end
