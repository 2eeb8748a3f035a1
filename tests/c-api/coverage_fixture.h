/* The coverage check's own test (check_coverage.sh runs it first): two library functions and two
 * inline helpers, of which coverage_fixture.c calls one each and only mentions the other. */
#define FIXTURE_API __attribute__((visibility("default")))
FIXTURE_API void orca_fixture_called(void);
FIXTURE_API void orca_fixture_mentioned(void);
static inline int wasm_fixture_inline_called(void) { return 1; }
static inline int wasm_fixture_inline_mentioned(void) { return 2; }
