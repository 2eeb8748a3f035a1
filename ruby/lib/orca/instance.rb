# frozen_string_literal: true

module Orca
  # An instantiated module: its exports by name.
  class Instance
    # Instantiates a module that has no imports (Linker#instantiate resolves imports).
    def self.new(store, mod)
      Linker.new(store).instantiate(mod)
    end

    attr_reader :module

    # The export called name (an Orca::Func, Memory, Global or Table), or nil. Each name gives
    # one object, which #close releases.
    def export(name)
      name = name.to_s
      cached = @exports&.[](name)
      # A cached export answers only while the store is open, as a lookup would.
      return cached if cached && !store.closed?

      (@exports ||= {})[name] = __export(name)
    end

    # Lets the store free the instance, with its memories and tables, at its next collection
    # (Store#collect, or the one instantiation makes by itself), unless something else keeps it:
    # an instance that imports what it defined, a linker that defines its exports
    # (Linker#define_instance), a table or global holding one of its functions, or an export
    # Ruby took from it otherwise (a funcref a call returned, Caller#export) that GC has not
    # freed yet. Its exports taken through #export raise Orca::Error from then on. Without close,
    # an instance lives until GC frees its Ruby objects. A host block may close its own instance:
    # the references go when the outermost call returns. Safe twice.
    def close
      @exports&.each_value { |export| export&.send(:__release) }
      @exports = nil
      __release
      nil
    end

    def closed?
      __released?
    end

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
