# frozen_string_literal: true

module Orca
  # Linear memory. Offsets and sizes are in bytes except `size` and `grow`, which count 64 KiB pages.
  class Memory
    def self.new(store, min:, max: nil)
      __new(store, min, max)
    end
  end

  class Global
    def self.new(store, type, value, mutable: false)
      __new(store, type, mutable, value)
    end

    alias value get
    alias value= set
  end

  class Table
    # A table of :funcref or :externref elements, `min` of them set to `init`; max nil: no maximum.
    def self.new(store, element, min, max = nil, init = nil)
      __new(store, element, min, max, init)
    end

    # Grows by `delta` elements set to `init`; returns the previous size.
    def grow(delta, init = nil)
      __grow(delta, init)
    end
  end

  # What a host block declared with caller: true gets first: the calling instance's exports.
  # Valid during that call only.
  class Caller
    def memory(name = "memory")
      export(name)
    end
  end
end
