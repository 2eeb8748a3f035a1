# frozen_string_literal: true

module Orca
  # Every failure Orca reports. `kind` is the kind of orca.h as a Symbol (:malformed, :invalid,
  # :unlinkable, :uninstantiable, :trap, :exhaustion, :io, :unsupported, :exit, :internal), or nil
  # for a misuse the Ruby layer found (a closed store, an out-of-bounds access).
  class Error < StandardError
    attr_reader :kind, :offset

    def initialize(message = nil, kind: nil, offset: nil)
      super(message)
      @kind = kind
      @offset = offset
    end
  end

  # The guest trapped, or a host block raised (then `cause` is what it raised and `code` is
  # :host_error). `code` is a Symbol: :unreachable, :memory_out_of_bounds, :table_out_of_bounds,
  # :undefined_element, :uninitialized_element, :indirect_call_type_mismatch,
  # :integer_divide_by_zero, :integer_overflow, :invalid_conversion, :stack_exhausted,
  # :out_of_fuel, :interrupted, :host_error. `frames` are the wasm frames, innermost first.
  class Trap < Error
    attr_reader :code, :frames

    def initialize(message = nil, code: :host_error, frames: [], kind: :trap)
      super(message, kind: kind)
      @code = code
      @frames = frames
    end
  end

  # Imports that do not resolve or do not match.
  class LinkError < Error
    def initialize(message = nil, kind: :unlinkable, offset: nil)
      super
    end
  end

  # The guest exited (WASI proc_exit); `status` is its exit status (0 too).
  class Exit < Error
    attr_reader :status

    def initialize(status)
      super("exit status #{status}", kind: :exit)
      @status = status
    end
  end

  # One wasm frame of a trap: the function's index (and name from the name section, or nil), the
  # byte offset of its instruction in the module and from the function's body.
  Frame = Struct.new(:func_index, :func_name, :module_offset, :func_offset)
end
