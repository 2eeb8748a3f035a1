# frozen_string_literal: true

# Orca: a WebAssembly runtime. See docs/ruby.md.
module Orca
  VERSION = "0.1.0"
end

require_relative "orca/errors"
require_relative "orca/types"
require "orca/orca.so"
require_relative "orca/engine"
require_relative "orca/store"
require_relative "orca/module"
require_relative "orca/func"
require_relative "orca/externs"
require_relative "orca/instance"
require_relative "orca/linker"
