# A plugin in wasm calls back into Ruby (a host block that reads the plugin's memory through its
# Orca::Caller), and a guest that never returns is stopped by Timeout.
#
#   ruby -I ruby/lib examples/ruby/plugin.rb        # prints three lines, see the end
require "orca"
require "timeout"

engine = Orca::Engine.new
mod = Orca::Module.from_wat(engine, File.read(File.join(__dir__, "..", "plugin.wat")))

store = Orca::Store.new(engine)
linker = Orca::Linker.new(store)
linker.define_func("host", "log", [:i32, :i32], [], caller: true) do |caller, ptr, len|
  puts "plugin says: #{caller.export("memory").read(ptr, len)}"
end
plugin = linker.instantiate(mod)
plugin.exports.run.call

begin
  Timeout.timeout(0.1) { plugin.exports.spin.call }
rescue Timeout::Error
  puts "stopped by Timeout"
end
store.close
puts "done"
# Output:
# plugin says: hello from the plugin
# stopped by Timeout
# done
