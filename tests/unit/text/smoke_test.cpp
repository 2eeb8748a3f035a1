#include <doctest/doctest.h>
TEST_CASE("smoke") { CHECK(true); }
