# frozen_string_literal: true

module Orca
  # Value types are Symbols: :i32, :i64, :f32, :f64, :v128, :funcref, :externref.
  FuncType = Struct.new(:params, :results)
  GlobalType = Struct.new(:content, :mutable)
  # min and max count elements (tables) or 64 KiB pages (memories); max is nil when absent.
  TableType = Struct.new(:element, :min, :max)
  MemoryType = Struct.new(:min, :max)
  ImportType = Struct.new(:module, :name, :type)
  ExportType = Struct.new(:name, :type)
end
