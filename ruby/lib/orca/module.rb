# frozen_string_literal: true

module Orca
  # Compiled code; belongs to its engine, and any store of that engine may instantiate it.
  class Module
    # Compiles the binary `bytes` (without holding the GVL).
    def initialize(engine, bytes)
      __setup(engine, bytes, false)
    end

    def self.from_wat(engine, text)
      new(engine, Orca.wat2wasm(text))
    end

    # Loads what #serialize wrote. An artifact is native code: load only artifacts you made.
    def self.deserialize(engine, artifact)
      allocate.tap { |mod| mod.send(:__setup, engine, artifact, true) }
    end

    # True, or raises Orca::Error (kind :malformed or :invalid) saying why.
    def self.validate(engine, bytes)
      __validate(engine, bytes)
    end
  end
end
