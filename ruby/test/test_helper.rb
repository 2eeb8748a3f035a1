# frozen_string_literal: true

require "minitest/autorun"
require "orca"

module OrcaTestHelper
  ADD_WAT = <<~WAT
    (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
  WAT

  # A loop that never ends unless interrupted; `spin` is its export.
  SPIN_WAT = <<~WAT
    (module (func (export "spin") (loop (br 0))))
  WAT

  # One engine for the whole run: compiling is the slow part, and an engine is shareable.
  def self.engine
    @engine ||= Orca::Engine.new(cache: false)
  end

  def engine
    OrcaTestHelper.engine
  end

  def store
    @store ||= Orca::Store.new(engine)
  end

  def instantiate(wat, store: self.store)
    Orca::Instance.new(store, Orca::Module.from_wat(engine, wat))
  end
end
