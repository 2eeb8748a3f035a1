;; The plugin of examples/php/plugin.php and examples/ruby/plugin.rb: it logs a string from its
;; memory through the host's log function, and spin never returns.
(module
  (import "host" "log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "hello from the plugin")
  (func (export "run") (call $log (i32.const 0) (i32.const 21)))
  (func (export "spin") (loop (br 0))))
