/* Compiled (never linked) by check_coverage.sh: orca_fixture_mentioned() and
 * wasm_fixture_inline_mentioned() appear only in comments and strings, so the check must report
 * both as not exercised. */
#include "coverage_fixture.h"

// orca_fixture_mentioned(); wasm_fixture_inline_mentioned();
const char* coverage_fixture_note = "orca_fixture_mentioned(); wasm_fixture_inline_mentioned()";
const char coverage_fixture_quote = '"';

int coverage_fixture_main(void) {
  orca_fixture_called();
  return wasm_fixture_inline_called();
}
