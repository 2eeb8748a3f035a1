# frozen_string_literal: true

# The Ruby runner of the shared conformance suite (tests/conformance, described in its README.md):
# every case runs through the Orca:: API the way the C reference runner runs it through the C API.
# It prints "ok NAME" / "FAIL NAME: reason" per case and "N passed, N failed" at the end.
#
#   ruby -I ruby/lib tests/conformance/ruby/runner.rb tests/conformance [FILTER]
#
# Where Ruby differs from the vocabulary's reference languages, the runner says so here:
# - a host function's "error" raises a RuntimeError (a StandardError, what Ruby code raises
#   normally) and "panic" raises HostPanic, an Exception outside StandardError that a bare
#   `rescue` does not catch; either way the caller gets Orca::Trap (:host_error) whose `cause`
#   is that very exception ("from_host", and "panic": the host's own exception reaches the caller);
# - "error" steps (a call refused before it runs) are ArgumentError, TypeError or RangeError;
# - "raw" calls use Func#call too: Ruby has one call path;
# - "threads" are Ruby threads (each with its own store and instance, sharing the engine and the
#   module); wasm runs without the GVL, so they run at once;
# - "interrupt_after_ms" is a Ruby thread that calls Store#interrupt that long after the call
#   starts (Timeout.timeout would stop the call too, but raises Timeout::Error rather than the
#   trap the case checks; ruby/test/threads_test.rb checks Timeout);
# - an Integer does not say whether it is an i32 or an i64, so global.set passes an Orca::Val
#   (the value with its type), as the C runner passes a wasm_val_t;
# - f32 values are Floats; Orca.f32_bits / Orca.f32_from_bits give their exact bits.
# With ORCA_GC_COMPACT=1 the runner runs GC.compact after every case (ruby/test/stress_test.rb).
require "json"
require "orca"

class CaseFailure < StandardError; end

# What a "panic" host action raises: outside StandardError, as Go's panic is outside its errors.
class HostPanic < Exception; end # rubocop:disable Lint/InheritException

# The Ruby value behind "externref:N": an object, so that identity is checked, not equality.
Ext = Struct.new(:n)

def fail!(why)
  raise CaseFailure, why
end

# One case: its engine, store, module, linker and instance, and the steps run against them.
class Runner
  TYPES = %i[i32 i64 f32 f64 v128 funcref externref].to_h { |t| [t.to_s, t] }.freeze
  MASK32 = 0xffff_ffff
  MASK64 = 0xffff_ffff_ffff_ffff

  attr_accessor :engine, :store, :mod, :linker, :instance

  def initialize(suite, spec, imports)
    @suite = suite
    @spec = spec
    @imports = imports
    @log = []
    @host_errors = {} # the exceptions host functions raised, by message
    @exts = {}        # one object per number, as the host hands out one reference per value
  end

  def close
    @store&.close
  end

  def self.type(name)
    TYPES.fetch(name) { fail!("unknown type #{name}") }
  end

  def self.types(names)
    names.map { |n| type(n) }
  end

  # ---- values --------------------------------------------------------------------------------

  def ext(n)
    @exts[n] ||= Ext.new(n)
  end

  # The suite's notation as a Ruby value.
  def value(text)
    kind, rest = text.split(":", 2)
    fail!("bad value #{text}") unless rest
    case kind
    when "i32", "i64" then Integer(rest, 10)
    when "f32" then Orca.f32_from_bits(rest.hex)
    when "f64" then [rest.hex].pack("Q<").unpack1("E")
    when "v128" then [rest.delete_prefix("0x").rjust(32, "0")].pack("H*").reverse
    when "funcref"
      return nil if rest == "null"

      @instance&.export(rest) || fail!("no function export #{rest}")
    when "externref" then rest == "null" ? nil : ext(Integer(rest, 10))
    else fail!("bad value #{text}")
    end
  end

  # The suite's notation as an Orca::Val: the value with the type the notation names.
  def typed_value(text)
    Orca::Val.new(Runner.type(text.split(":", 2).first), value(text))
  end

  # A Ruby value of the kind as the suite writes it (funcrefs: null or nonnull).
  def self.format(kind, value)
    case [kind, value]
    in ["i32" | "i64", Integer] then "#{kind}:#{value}"
    in ["f32", Float] then Kernel.format("f32:0x%08x", Orca.f32_bits(value))
    in ["f64", Float] then Kernel.format("f64:0x%016x", [value].pack("E").unpack1("Q<"))
    in ["v128", String] if value.bytesize == 16 then "v128:0x#{value.reverse.unpack1('H*')}"
    in [_, nil] then "#{kind}:null"
    in [_, Orca::Func] then "funcref:nonnull"
    in [_, Ext] then "externref:#{value.n}"
    else "#{kind}:#{value.class}(#{value.inspect})"
    end
  end

  def check(what, want, got)
    kind, rest = want.split(":", 2)
    if kind == "funcref"
      fail!("#{what}: expected #{want}, got #{got.class}") unless got.nil? || got.is_a?(Orca::Func)
      ok = case rest
           when "null" then got.nil?
           when "nonnull" then !got.nil?
           else !got.nil? && got == @instance.export(rest)
           end
      fail!("#{what}: expected #{want}, got #{got.nil? ? 'null' : 'another function'}") unless ok
      return
    end
    if kind == "externref" && rest != "null" && !got.equal?(ext(Integer(rest, 10)))
      fail!("#{what}: expected #{want} (the same object), got #{Runner.format(kind, got)}")
    end
    formatted = Runner.format(kind, got)
    expected = Runner.format(kind, value(want))
    fail!("#{what}: expected #{want}, got #{formatted}") unless formatted == expected
  end

  # ---- host functions ------------------------------------------------------------------------

  # A Ruby host function from the behaviour vocabulary, as a block for define_func / Func.new.
  def host(name, params, results, actions, caller)
    if caller
      ->(calling, *args) { run_host(name, params, results, actions, calling, args) }
    else
      ->(*args) { run_host(name, params, results, actions, nil, args) }
    end
  end

  # Where a host action finds the guest's export: the calling instance (with a caller) or the case's.
  def host_export(caller, name, klass)
    found = caller ? caller.export(name) : @instance&.export(name)
    raise "host: no calling instance" unless found.is_a?(klass)

    found
  end

  def run_host(name, params, results, actions, caller, args)
    out = []
    actions.each do |action|
      case action["op"]
      when "record"
        @log << "#{name}(#{params.zip(args).map { |k, v| Runner.format(k, v) }.join(', ')})"
      when "return" then out = action["values"].map { |v| value(v) }
      when "echo" then out = args
      when "add" then out = [add(results.first, action.key?("value") ? [value(action["value"]), *args] : args)]
      when "error" then raise(@host_errors[action["message"]] ||= RuntimeError.new(action["message"]))
      when "panic" then raise(@host_errors[action["message"]] ||= HostPanic.new(action["message"]))
      when "call"
        func = host_export(caller, action["func"], Orca::Func)
        result = func.call(*args)
        out = func.result_count == 1 ? [result] : Array(result)
      when "read"
        memory = host_export(caller, action["memory"], Orca::Memory)
        @log << "read:#{memory.read(args[action['ptr']] & MASK32, args[action['len']] & MASK32)}"
      when "write"
        host_export(caller, action["memory"], Orca::Memory).write(args[action["ptr"]] & MASK32, [action["hex"]].pack("H*"))
      else raise "unknown host action #{action['op']}"
      end
    end
    results.size == 1 ? out.first : (out unless results.empty?)
  end

  # The sum as wasm's add of that type makes it (integers wrap; the result is signed).
  def add(type, values)
    case type
    when "i32", "i64"
      bits = type == "i32" ? 32 : 64
      sum = values.sum & (type == "i32" ? MASK32 : MASK64)
      sum >= 1 << (bits - 1) ? sum - (1 << bits) : sum
    when "f32" then Orca.f32_from_bits(Orca.f32_bits(values.sum(0.0)))
    else values.sum(0.0)
    end
  end

  # ---- setting up a case ---------------------------------------------------------------------

  def module_bytes(file, wat, wasm_hex)
    return [wasm_hex].pack("H*") if wasm_hex

    text = wat
    if text.nil? || !text.include?("(")
      path = File.join(@suite, "modules", file || wat)
      text = File.read(path) rescue fail!("cannot read #{path}") # rubocop:disable Style/RescueModifier
    end
    Orca.wat2wasm(text)
  rescue Orca::Error => e
    fail!("wat2wasm: #{e.message}")
  end

  def define_imports(list)
    list.each do |import|
      mod_name = import["module"]
      case import["kind"]
      when "instance"
        lib = @linker.instantiate(Orca::Module.new(@engine, module_bytes(nil, import["wat"], nil)))
        @linker.define_instance(mod_name, lib)
      when "func"
        @linker.define_func(mod_name, import["name"], Runner.types(import["params"]), Runner.types(import["results"]),
                            host("#{mod_name}.#{import['name']}", import["params"], import["results"], import["do"],
                                 import["caller"]),
                            caller: import["caller"] || false)
      when "global"
        @linker.define(mod_name, import["name"],
                       Orca::Global.new(@store, Runner.type(import["type"]), value(import["value"]),
                                        mutable: import["mutable"] || false))
      when "memory"
        @linker.define(mod_name, import["name"], Orca::Memory.new(@store, min: import["min"], max: import["max"]))
      when "table"
        table = Orca::Table.new(@store, Runner.type(import["elem"]), import["min"], import["max"])
        @linker.define(mod_name, import["name"], table)
      else fail!("unknown import kind #{import['kind']}")
      end
    end
  end

  def define_wasi(wasi)
    @linker.define_wasi(args: wasi["args"] || [], env: (wasi["env"] || []).to_h,
                        preopens: (wasi["preopens"] || []).to_h { |p| [p["guest"], File.join(@suite, p["host"])] },
                        stdin: wasi["stdin"], capture_output: true)
  end

  def self.expect_error(error, want, what)
    fail!("expected #{what} error, got #{error.class}: #{error.message}") unless error.is_a?(Orca::Error)
    fail!("error kind #{error.kind} (#{error.message}), expected #{want['kind']}") unless error.kind.to_s == want["kind"]
    fail!("error message: #{error.message}") unless error.message.include?(want["message"] || "")
  end

  def run
    config = @spec["config"] || {}
    begin
      @engine = Orca::Engine.new(consume_fuel: config["consume_fuel"] || false,
                                 interruptible: config["interruptible"] || false, cache: false,
                                 bounds_checks: config["bounds_checks"] || false, opt_level: config["opt_level"] || 2,
                                 features: (config["features"] || {}).transform_keys(&:to_sym))
    rescue Orca::Error, ArgumentError => e
      fail!("configuration: #{e.message}") unless @spec["config_error"]
      Runner.expect_error(e, @spec["config_error"], "a configuration")
      return
    end
    fail!("expected a configuration error") if @spec["config_error"]
    @store = Orca::Store.new(@engine)
    @store.fuel = @spec["fuel"] if @spec["fuel"]
    if (limits = @spec["limits"])
      @store.limits(**limits.slice("memory_bytes", "table_elements", "instances", "tables", "memories")
                              .transform_keys(&:to_sym))
    end
    begin
      @mod = Orca::Module.new(@engine, module_bytes(@spec["module"], @spec["wat"], @spec["wasm_hex"]))
    rescue Orca::Error => e
      fail!("compile: #{e.message}") unless @spec["compile_error"]
      Runner.expect_error(e, @spec["compile_error"], "a compile")
      return
    end
    fail!("expected a compile error") if @spec["compile_error"]
    @linker = Orca::Linker.new(@store)
    imports = @spec["imports"]
    define_imports(imports.is_a?(String) ? @imports.fetch(imports) : imports) if imports
    define_wasi(@spec["wasi"]) if @spec["wasi"]
    begin
      @instance = @linker.instantiate(@mod)
    rescue Orca::Error => e
      want = @spec["instantiate_error"] || fail!("instantiate: #{e.message}")
      Runner.expect_error(e, want, "an instantiation")
      if want["code"]
        fail!("no trap behind #{e.message}") unless e.is_a?(Orca::Trap)
        fail!("trap code #{e.code}") unless e.code.to_s == want["code"]
      end
      return
    end
    fail!("expected an instantiation error") if @spec["instantiate_error"]
    (@spec["steps"] || []).each do |step|
      step(step)
    rescue CaseFailure => e
      fail!("#{step['op']} #{step['func'] || step['export']}: #{e.message}")
    end
  end

  # ---- steps ---------------------------------------------------------------------------------

  # Runs the block with an interrupt of the store `ms` milliseconds after it starts (nil: none).
  def interrupting_after(ms)
    return yield unless ms

    interrupter = Thread.new do
      sleep(ms / 1000.0)
      @store.interrupt
    end
    begin
      yield
    ensure
      interrupter.kill.join
      # An interrupt that came after the call returned must not stop the next one.
      @store.clear_interrupt
    end
  end

  def call_once(func, step)
    args = (step["args"] || []).map { |a| value(a) }
    failure = nil
    results = nil
    begin
      result = interrupting_after(step["interrupt_after_ms"]) { func.call(*args) }
      results = func.result_count == 1 ? [result] : Array(result)
    rescue CaseFailure
      raise
    rescue Exception => e # rubocop:disable Lint/RescueException -- a panic is outside StandardError
      failure = e
    end
    return check_failure(step, failure) unless step.key?("expect")

    fail!("unexpected failure: #{failure.class}: #{failure.message}") if failure
    fail!("result count #{results.size}, expected #{step['expect'].size}") unless results.size == step["expect"].size
    step["expect"].each_with_index { |want, i| check("result #{i}", want, results[i]) }
  end

  def check_failure(step, error)
    fail!("expected a failure, call returned") unless error
    if step.key?("exit")
      fail!("expected exit, got #{error.class}: #{error.message}") unless error.is_a?(Orca::Exit)
      fail!("exit status #{error.status}") unless error.status == step["exit"]
      return
    end
    if step.key?("error")
      unless [ArgumentError, TypeError, RangeError].any? { |k| error.is_a?(k) }
        fail!("expected an ArgumentError, TypeError or RangeError before the call, got #{error.class}: #{error.message}")
      end
      return
    end
    check_trap(step["trap"], error)
  end

  def check_trap(trap, error)
    fail!("not a trap: #{error.class}: #{error.message}") unless error.is_a?(Orca::Trap)
    fail!("trap message: #{error.message}") unless error.message.include?(trap["message"] || "")
    fail!("trap code #{error.code} (#{error.message})") if trap["code"] && error.code.to_s != trap["code"]
    if trap["from_host"] || trap["panic"]
      raised = @host_errors[trap["message"]] || fail!("the host raised nothing")
      fail!("cause is #{error.cause.inspect}, not the exception the host raised") unless error.cause.equal?(raised)
    end
    if trap["trace"] && (trace = error.frames.map(&:func_index)) != trap["trace"]
      fail!("trace #{trace}, expected #{trap['trace']}")
    end
    return unless trap["module_offsets"] && (offsets = error.frames.map(&:module_offset)) != trap["module_offsets"]

    fail!("module offsets #{offsets}, expected #{trap['module_offsets']}")
  end

  def call(step)
    func = @instance.export(step["func"])
    fail!("no function export #{step['func']}") unless func.is_a?(Orca::Func)
    [step["repeat"] || 1, 1].max.times { call_once(func, step) }
  end

  def self.same(what, got, want)
    fail!("#{what}: got #{got.to_json}, expected #{want.to_json}") unless got == want
  end

  # Whether the block (a request that may be refused) succeeded.
  def self.allowed
    yield
    true
  rescue Orca::Error, TypeError, RangeError, ArgumentError
    false
  end

  def export_of(step, klass)
    found = @instance.export(step["export"])
    fail!("no #{klass.name.split('::').last.downcase} export #{step['export']}") unless found.is_a?(klass)
    found
  end

  KIND_NAMES = { Orca::FuncType => "func", Orca::GlobalType => "global", Orca::TableType => "table",
                 Orca::MemoryType => "memory" }.freeze

  def step(step)
    ok = step.fetch("ok", true)
    op = step["op"]
    case op
    when "call" then call(step)
    when "host.call"
      func = Orca::Func.new(@store, Runner.types(step["params"]), Runner.types(step["results"]),
                            host("host", step["params"], step["results"], step["do"], step["caller"]),
                            caller: step["caller"] || false)
      call_once(func, step)
    when "log"
      got = @log
      @log = []
      Runner.same("log", got, step["expect"])
    when "exports" then Runner.same("exports", @mod.exports.map { |e| [e.name, KIND_NAMES[e.type.class]] }, step["expect"])
    when "imports"
      Runner.same("imports", @mod.imports.map { |i| [i.module, i.name, KIND_NAMES[i.type.class]] }, step["expect"])
    when "func.type"
      type = export_of(step.merge("export" => step["func"]), Orca::Func).type
      Runner.same("params", type.params.map(&:to_s), step["params"])
      Runner.same("results", type.results.map(&:to_s), step["results"])
    when /\Amemory\./ then memory_step(export_of(step, Orca::Memory), step, ok)
    when /\Aglobal\./ then global_step(export_of(step, Orca::Global), step, ok)
    when /\Atable\./ then table_step(export_of(step, Orca::Table), step, ok)
    else store_step(step, ok)
    end
  end

  def memory_step(memory, step, ok)
    case step["op"]
    when "memory.read"
      bytes = nil
      length = step["length"] || step["hex"].size / 2
      Runner.same("read allowed", Runner.allowed { bytes = memory.read(step["offset"], length) }, ok)
      Runner.same("bytes", bytes.unpack1("H*"), step["hex"]) if bytes
    when "memory.write"
      Runner.same("write allowed", Runner.allowed { memory.write(step["offset"], [step["hex"]].pack("H*")) }, ok)
    when "memory.size" then Runner.same("pages", memory.size, step["pages"])
    when "memory.data_size" then Runner.same("bytes", memory.data_size, step["bytes"])
    when "memory.grow" then Runner.same("grow", Runner.allowed { memory.grow(step["delta"]) }, ok)
    when "memory.type" then Runner.same("type", [memory.type.min, memory.type.max], [step["min"], step["max"]])
    else fail!("unknown step #{step['op']}")
    end
  end

  def global_step(global, step, ok)
    case step["op"]
    when "global.type"
      Runner.same("type", [global.type.content.to_s, global.type.mutable], [step["type"], step["mutable"] || false])
    when "global.get" then check("global", step["expect"], global.get)
    when "global.set"
      typed = typed_value(step["value"])
      Runner.same("set allowed", Runner.allowed { global.set(typed) }, ok)
    else fail!("unknown step #{step['op']}")
    end
  end

  def table_step(table, step, ok)
    case step["op"]
    when "table.type"
      type = table.type
      Runner.same("type", [type.element.to_s, type.min, type.max], [step["elem"], step["min"], step["max"]])
    when "table.size" then Runner.same("size", table.size, step["size"])
    when "table.get"
      element = nil
      Runner.same("get allowed", Runner.allowed { element = table.get(step["index"]) }, ok)
      check("element", step["expect"], element) if ok
    when "table.set"
      element = value(step["value"])
      Runner.same("set allowed", Runner.allowed { table.set(step["index"], element) }, ok)
    when "table.grow"
      init = value(step["init"])
      Runner.same("grow allowed", Runner.allowed { table.grow(step["delta"], init) }, ok)
    else fail!("unknown step #{step['op']}")
    end
  end

  def store_step(step, ok)
    case step["op"]
    when "serialize"
      @mod = Orca::Module.deserialize(@engine, @mod.serialize)
      @instance = @linker.instantiate(@mod)
    when "deserialize"
      begin
        Orca::Module.deserialize(@engine, [step["hex"] || ""].pack("H*"))
        Runner.same("deserialize", true, ok)
      rescue Orca::Error => e
        Runner.same("deserialize", false, ok)
        Runner.same("error kind", e.kind.to_s, step["kind"]) if step["kind"]
      end
    when "deadline" then Runner.same("deadline", Runner.allowed { @store.deadline = step["ms"] / 1000.0 }, ok)
    when "instances" then instances(step, ok)
    when "threads" then threads(step)
    when "fuel.get"
      fuel = @store.fuel
      fail!("fuel #{fuel}") unless fuel < step["below"] && fuel > step["above"]
    when "fuel.set" then Runner.same("fuel.set", Runner.allowed { @store.fuel = step["value"] }, ok)
    when "interrupt" then Runner.same("interrupt", Runner.allowed { @store.interrupt }, ok)
    when "stdout" then Runner.same("stdout", @linker.stdout, step["expect"])
    when "stderr" then Runner.same("stderr", @linker.stderr, step["expect"])
    else fail!("unknown step #{step['op']}")
    end
  end

  def instances(step, ok)
    step["count"].times do
      begin
        instance = @linker.instantiate(@mod)
      rescue Orca::Error => e
        fail!("instance: #{e.message}") if ok
        next
      end
      fail!("instantiation past the limit succeeded") unless ok
      next unless step["func"]

      saved = @instance
      @instance = instance
      begin
        call(step)
      ensure
        @instance = saved
      end
    end
  end

  # Ruby threads, each with a store and instance of its own, sharing the engine and the module.
  def threads(step)
    workers = Array.new(step["count"]) do
      local = Runner.new(@suite, @spec, @imports)
      local.engine = @engine
      local.mod = @mod
      local.store = Orca::Store.new(@engine)
      local.linker = Orca::Linker.new(local.store)
      local.instance = local.linker.instantiate(@mod)
      Thread.new do
        step["iterations"].times { local.call(step.merge("op" => "call")) }
      ensure
        local.close
      end
    end
    workers.each(&:join)
  end
end

suite = ARGV[0] || File.expand_path("..", __dir__)
filter = ARGV[1] || ""
compact = ENV["ORCA_GC_COMPACT"] == "1" && GC.respond_to?(:compact)
files = Dir[File.join(suite, "cases", "*.json")].sort
if files.empty?
  warn "no cases in #{suite}"
  puts "0 passed, 1 failed"
  exit 1
end
imports = JSON.parse(File.read(File.join(suite, "imports.json")))
passed = failed = 0
files.each do |file|
  JSON.parse(File.read(file))["cases"].each do |spec|
    next unless spec["name"].include?(filter)

    runner = Runner.new(suite, spec, imports)
    why = nil
    begin
      runner.run
    rescue CaseFailure => e
      why = e.message
    rescue Exception => e # rubocop:disable Lint/RescueException -- a case's failure of any kind is reported
      why = "#{e.class}: #{e.message}"
    ensure
      runner.close
    end
    GC.compact if compact
    if why
      failed += 1
      puts "FAIL #{spec['name']}: #{why}"
    else
      passed += 1
      puts "ok #{spec['name']}"
    end
  end
end
puts "#{passed} passed, #{failed} failed"
exit(failed.zero? && passed.positive? ? 0 : 1)
