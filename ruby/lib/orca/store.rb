# frozen_string_literal: true

module Orca
  # Holds instances and their functions, memories, globals and tables; one thread at a time.
  class Store
    # Same as deadline=: interrupts running code `seconds` from now (0 clears it).
    def set_deadline(seconds)
      self.deadline = seconds
    end

    # Caps what the store may hold; nil leaves a limit unchanged.
    def limits(memory_bytes: nil, table_elements: nil, instances: nil, tables: nil, memories: nil)
      __set_limits(memory_bytes, table_elements, instances, tables, memories)
      self
    end
  end
end
