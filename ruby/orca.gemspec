# frozen_string_literal: true

Gem::Specification.new do |spec|
  spec.name = "orca"
  spec.version = "0.1.0" # Orca::VERSION, the project's version
  spec.summary = "Orca WebAssembly runtime: engines, modules, instances, host functions and WASI"
  spec.description = "A C extension over Orca's C API (wasm.h, wasi.h, orca.h). Building it needs Orca's " \
                     "static library: gem install orca -- --with-orca-dir=DIR, or pkg-config orca."
  spec.authors = ["The Orca authors"]
  spec.license = "Apache-2.0"
  spec.required_ruby_version = ">= 3.1"
  spec.files = Dir["lib/**/*.rb", "ext/orca/*.{c,h,rb}", "sig/**/*.rbs"]
  spec.extensions = ["ext/orca/extconf.rb"]
  spec.require_paths = ["lib"]
end
