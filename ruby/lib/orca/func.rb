# frozen_string_literal: true

module Orca
  # A wasm or host function. `call` takes one Ruby value per parameter: Integer (i32, i64), Float
  # or Integer (f32, f64), a String of 16 bytes (v128), an Orca::Func or nil (funcref), any object
  # or nil (externref). It returns nil, the one result, or an Array of the results.
  class Func
    # A host function: the block gets the parameters (an Orca::Caller first with caller: true).
    def self.new(store, params, results, callable = nil, caller: false, &block)
      __new(store, params, results, callable || block, caller)
    end

    def to_proc
      method(:call).to_proc
    end
  end
end
