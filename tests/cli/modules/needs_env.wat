;; Imports a function nobody defines: a link error.
(module
  (import "env" "log" (func (param i32)))
  (func (export "_start"))
)
