;; The start function traps: instantiation fails with the trap.
(module
  (func $start (unreachable))
  (start $start)
  (func (export "_start"))
)
