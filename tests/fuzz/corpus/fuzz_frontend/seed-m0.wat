(module
  (type (;0;) (func))
  (table (;0;) 0 funcref)
  (memory (;0;) 0)
  (global (;0;) v128 v128.const i32x4 0x7f9ee672 0xd605d401 0xa8b2a668 0x5f68b6da)
  (export "\u{6}1\u{4}" (table 0))
  (export "" (memory 0))
  (export "2" (global 0))
)
