# frozen_string_literal: true

module Orca
  # Value types are Symbols: :i32, :i64, :f32, :f64, :v128, :funcref, :externref.
  FuncType = Struct.new(:params, :results)
  GlobalType = Struct.new(:content, :mutable)
  # min and max count elements (tables) or 64 KiB pages (memories); max is nil when absent.
  TableType = Struct.new(:element, :min, :max)
  MemoryType = Struct.new(:min, :max)
  # A value with its wasm type, accepted wherever a value goes (arguments, results, globals,
  # tables): it is refused with TypeError unless the type is the one wanted, where a bare Integer
  # is taken for i32 and i64 alike. Orca::Val.i64(1), Orca::Val.new(:f32, 0.5).
  Val = Struct.new(:type, :value) do
    %i[i32 i64 f32 f64 v128 funcref externref].each do |type|
      define_singleton_method(type) { |value| new(type, value) }
    end
  end
  ImportType = Struct.new(:module, :name, :type)
  ExportType = Struct.new(:name, :type)
end
