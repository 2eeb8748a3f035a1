# frozen_string_literal: true

module Orca
  # An instantiated module: its exports by name.
  class Instance
    # Instantiates a module that has no imports (Linker#instantiate resolves imports).
    def self.new(store, mod)
      Linker.new(store).instantiate(mod)
    end

    attr_reader :module

    # instance.exports.add.call(1, 2), instance.exports["add"], instance.exports.to_h
    def exports
      Exports.new(self)
    end

    def __module=(mod) # :nodoc:
      @module = mod
    end
  end

  # The exports of an instance as methods and by name. An export whose name is a method every
  # object has (class, hash, send, ...) is reached with exports["name"] only.
  class Exports
    def initialize(instance)
      @instance = instance
    end

    def [](name)
      @instance.export(name.to_s)
    end

    def names
      @instance.module.exports.map(&:name)
    end

    def each
      return enum_for(:each) unless block_given?

      names.each { |name| yield name, self[name] }
    end

    def to_h
      names.to_h { |name| [name, self[name]] }
    end

    def respond_to_missing?(name, include_private = false)
      names.include?(name.to_s) || super
    end

    def method_missing(name, *args)
      return super unless args.empty? && names.include?(name.to_s)

      self[name]
    end
  end
end
