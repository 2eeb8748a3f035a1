# frozen_string_literal: true

module Orca
  # Compiles modules with one configuration; threads may share it.
  class Engine
    # consume_fuel: meter fuel (stores then start with none; Store#fuel=).
    # interruptible: compile the checks that Store#interrupt, deadlines, Timeout and Thread#kill
    #   need; off makes a running guest unstoppable from Ruby.
    # cache / cache_dir: keep compiled code on disk (in cache_dir, else the user's cache directory).
    # opt_level: 0..3. bounds_checks: compare every memory access instead of guard pages.
    # features: { simd: false, ... } (Engine.feature_names lists them).
    def initialize(consume_fuel: false, interruptible: true, cache: true, cache_dir: nil, opt_level: 2,
                   bounds_checks: false, features: {})
      raise ArgumentError, "opt_level is 0..3, not #{opt_level.inspect}" unless (0..3).cover?(opt_level)

      unknown = features.keys.map(&:to_sym) - Engine.feature_names
      raise ArgumentError, "unknown features #{unknown.inspect} (known: #{Engine.feature_names.join(', ')})" if unknown.any?

      __setup(consume_fuel, interruptible, cache, cache_dir&.to_s, opt_level, bounds_checks, features)
    end
  end
end
