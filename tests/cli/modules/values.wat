;; Functions for `orca run --invoke`: arguments of every number type, several results, floats
;; that must print in a form that reads back the same.
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "div32") (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))
  (func (export "div64") (param f64 f64) (result f64) (f64.div (local.get 0) (local.get 1)))
  (func (export "swap") (param i32 f64) (result f64 i32) (local.get 1) (local.get 0))
  (func (export "third") (result f64) (f64.div (f64.const 1) (f64.const 3)))
  (func (export "tenth32") (result f32) (f32.const 0.1))
  (func (export "id32") (param f32) (result f32) (local.get 0))
  (func (export "nan_payload") (result f32) (f32.reinterpret_i32 (i32.const 0x7fa00001)))
  (func (export "splat") (param i32) (result v128) (i32x4.splat (local.get 0)))
  (func (export "none"))
)
