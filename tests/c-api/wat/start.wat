(module
  (func $started (import "" "started"))
  (global $flag (export "flag") (mut i32) (i32.const 0))
  (func $start (call $started) (global.set $flag (i32.const 1)))
  (start $start))
