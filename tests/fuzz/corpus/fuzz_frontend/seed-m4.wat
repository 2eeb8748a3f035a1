(module
  (type (;0;) (func (param f32) (result v128 f32 externref i32)))
  (table (;0;) 45 funcref)
  (memory (;0;) 1)
  (global (;0;) (mut externref) ref.null extern)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i32) i32.const 0)
  (global (;3;) (mut i64) i64.const 0)
  (global (;4;) (mut v128) v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  (global (;5;) (mut i64) i64.const 0)
  (export "" (func 0))
  (export "1" (table 0))
  (export "2" (memory 0))
  (export "3" (global 0))
  (export "\u{5af},\u{6}" (global 1))
  (export "5" (global 2))
  (export "6" (global 3))
  (export "m*>" (global 4))
  (export "u" (global 5))
  (elem (;0;) declare externref)
  (func (;0;) (type 0) (param f32) (result v128 f32 externref i32)
    block ;; label = @1
      i64.const 2305843009213693951
      i64.extend8_s
      memory.size
      memory.size
      br_table 0 (;@1;) 0 (;@1;)
      v128.load16x4_s offset=9508 align=1
      f64x2.convert_low_i32x4_s
      f64x2.promote_low_f32x4
      f64x2.floor
      i8x16.popcnt
      f64.const -0x1p+993 (;=-83711609936427130000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
      f64.nearest
      i32.trunc_sat_f64_s
      f32.const -0x1.c73f1ep+116 (;=-147735950000000000000000000000000000;)
      local.get 0
      f32.ne
      if ;; label = @2
        ref.null func
        memory.size
        table.size 0
        i32.ge_s
        block ;; label = @3
          i32.const 2047
          i32.load8_u offset=961
          i64.load8_s offset=27942
          f32.convert_i64_s
          f32.trunc
          br 0 (;@3;)
          f32.nearest
          i32.reinterpret_f32
          i32.ctz
          f64.load offset=7576 align=1
          f64.ceil
          f64.trunc
          f64.abs
          local.get 0
          i64.trunc_f32_s
          f32.convert_i64_s
          f32.ceil
          loop ;; label = @4
          end
          f32.ceil
          br 2 (;@1;)
          loop (result v128) ;; label = @4
            i64.const -576460752303423488
            f32.const -0x1.fffffep+112 (;=-10384593000000000000000000000000000;)
            f64.const -0x1.fffffffffffffp+1008 (;=-5486124068793688000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
            i32.trunc_f64_s
            i16x8.splat
            i64x2.extend_low_i32x4_u
            i8x16.neg
            i16x8.extadd_pairwise_i8x16_u
            f64.const 0x1.03de368fa63f1p+381 (;=4999668620963868000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
            i64.reinterpret_f64
            memory.size
            i32.ctz
            if (result i64) ;; label = @5
              i64.const -65
              block ;; label = @6
                nop
              end
              f32.convert_i64_u
              f32.sqrt
              local.tee 0
              memory.size
              i32.extend16_s
              f32.reinterpret_i32
              f32.abs
              f32.const 0x1.41faecp+45 (;=44252617000000;)
              f32.eq
              global.get 1
              i32.xor
              global.set 1
              i32.reinterpret_f32
              global.get 2
              i32.xor
              global.set 2
              i64.const 134217727
            else
              i64.const 511
            end
            global.get 3
            i64.xor
            global.set 3
            global.get 3
            i64.xor
            global.set 3
            global.get 4
            v128.xor
            global.set 4
            i32.reinterpret_f32
            global.get 2
            i32.xor
            global.set 2
            global.get 3
            i64.xor
            global.set 3
            v128.const i32x4 0x1a3e3490 0xd9c4a73b 0xec8aedbc 0x0ba0aa3e
          end
          global.get 4
          v128.xor
          global.set 4
          i32.reinterpret_f32
          global.get 2
          i32.xor
          global.set 2
          i64.reinterpret_f64
          global.get 5
          i64.xor
          global.set 5
        end
        global.get 1
        i32.xor
        global.set 1
        drop
      end
      global.get 1
      i32.xor
      global.set 1
      global.get 4
      v128.xor
      global.set 4
      global.get 3
      i64.xor
      global.set 3
    end
    v128.const i32x4 0x00000000 0xfffffe00 0x00000000 0x00000800
    f32.const -nan:0x7effff (;=NaN;)
    ref.null extern
    i32.const 16383
  )
)
