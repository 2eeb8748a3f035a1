;; Well-formed but invalid: the body leaves an i64 where the type says i32.
(module (func (export "f") (result i32) (i64.const 1)))
