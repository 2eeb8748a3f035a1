# frozen_string_literal: true

require "minitest/autorun"
require "open3"
require "rbconfig"

# The type signatures in ruby/sig must stay valid RBS (rbs is one of Ruby's bundled gems): a typo
# or a type that names nothing fails here rather than in a user's type checker.
class SigTest < Minitest::Test
  def test_signatures_validate
    sig = File.expand_path("../sig", __dir__)
    rbs = Gem.bin_path("rbs", "rbs")
    output, status = Open3.capture2e(RbConfig.ruby, rbs, "-I", sig, "validate")
    assert status.success?, "rbs validate failed:\n#{output.lines.last(20).join}"
    assert_match(/Validating class\/module definition: `::Orca::Store`/, output)
  end
end
