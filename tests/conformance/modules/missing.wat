;; Imports the host does not define.
(module
  (import "env" "missing" (func (param i32)))
  (func (export "f") (result i32) (i32.const 1)))
