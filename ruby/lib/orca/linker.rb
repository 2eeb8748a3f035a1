# frozen_string_literal: true

module Orca
  # Defines imports by module and name and instantiates modules in its store.
  class Linker
    # Defines a host function; the block gets the parameters (an Orca::Caller first with
    # caller: true) and returns nil/anything (no results), the value, or an Array of the values.
    def define_func(module_name, name, params, results, callable = nil, caller: false, &block)
      __define_func(module_name.to_s, name.to_s, params, results, callable || block, caller)
    end

    # Defines every WASI preview1 function. args: argv, program name first; env: { "NAME" => "value" };
    # preopens: { "/guest/path" => "/host/dir" }; stdin: the bytes the guest reads (nil: empty);
    # capture_output: keep stdout/stderr for #stdout/#stderr instead of writing to the process's.
    def define_wasi(args: [], env: {}, preopens: {}, stdin: nil, capture_output: true)
      __define_wasi(args.map(&:to_s), env.to_h { |k, v| [k.to_s, v.to_s] },
                    preopens.to_h { |k, v| [k.to_s, v.to_s] }, stdin&.to_str, capture_output)
    end

    def instantiate(mod)
      __instantiate(mod).tap { |instance| instance.__module = mod }
    end
  end
end
