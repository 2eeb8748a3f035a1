#include <doctest/doctest.h>
#include "orca/decode/decode.h"
TEST_CASE("smoke") { uint8_t b[] = {0,'a','s','m',1,0,0,0}; CHECK(orca::decode::decodeModule(b).ok()); }
