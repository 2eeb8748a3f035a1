(module
  (func (export "id") (param v128) (result v128) (local.get 0))
  (func (export "make") (result v128) (v128.const i32x4 1 2 3 4)))
