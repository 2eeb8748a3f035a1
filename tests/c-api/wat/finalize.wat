(module
  (func (export "f"))
  (func (export "g"))
  (global (export "x") (mut i32) (i32.const 1)))
