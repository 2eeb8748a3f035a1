# frozen_string_literal: true

module Orca
  # Compiles modules with one configuration; threads may share it.
  class Engine
    COMPILE_STRATEGIES = %i[eager lazy].freeze
    private_constant :COMPILE_STRATEGIES

    # The module limits this engine compiles under, by name (Engine.limit_names), nil for none.
    attr_reader :limits

    # consume_fuel: meter fuel (stores then start with none; Store#fuel=).
    # interruptible: compile the checks that Store#interrupt, deadlines, Timeout and Thread#kill
    #   need; off makes a running guest unstoppable from Ruby.
    # cache / cache_dir: keep compiled code on disk (in cache_dir, else the user's cache directory).
    # opt_level: 0..3. bounds_checks: compare every memory access instead of guard pages.
    # features: { simd: false, ... } (Engine.feature_names lists them).
    # compile: :eager (the default) compiles and optimises a whole module in Module.new; :lazy
    #   compiles each function, fast and less optimised, when it is first called.
    # limits: { locals: 1000, ... } bounds what a module may declare (Engine.limit_names lists
    #   them; nil lifts one); a module over a limit is refused with Orca::Error (kind
    #   :unsupported) naming the limit. Limits left out keep Orca's defaults (Engine#limits).
    def initialize(consume_fuel: false, interruptible: true, cache: true, cache_dir: nil, opt_level: 2,
                   bounds_checks: false, features: {}, compile: :eager, limits: {})
      raise ArgumentError, "opt_level is 0..3, not #{opt_level.inspect}" unless (0..3).cover?(opt_level)

      unknown = features.keys.map(&:to_sym) - Engine.feature_names
      raise ArgumentError, "unknown features #{unknown.inspect} (known: #{Engine.feature_names.join(', ')})" if unknown.any?
      unless COMPILE_STRATEGIES.include?(compile)
        raise ArgumentError, "compile is :eager or :lazy, not #{compile.inspect}"
      end

      @limits = __setup(consume_fuel, interruptible, cache, cache_dir&.to_s, opt_level, bounds_checks, features,
                        compile == :lazy, check_limits(limits))
    end

    private

    # limits with symbol keys, each a known limit whose value is nil or an Integer in 0...2**64.
    def check_limits(limits)
      raise ArgumentError, "limits is a Hash, not #{limits.inspect}" unless limits.is_a?(Hash)

      limits.to_h do |name, value|
        name = name.to_sym if name.is_a?(String)
        unless Engine.limit_names.include?(name)
          raise ArgumentError, "unknown limit #{name.inspect} (known: #{Engine.limit_names.join(', ')})"
        end
        unless value.nil? || (value.is_a?(Integer) && value >= 0 && value < 2**64)
          raise ArgumentError, "the limit #{name} is nil (none) or an Integer from 0, not #{value.inspect}"
        end

        [name, value]
      end
    end
  end
end
