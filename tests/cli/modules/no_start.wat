;; No _start: only --invoke can run it.
(module (func (export "f") (result i32) (i32.const 7)))
