/* fuzz_check.c - libFuzzer target: any bytes as a policy file, checked.
 *
 * Takes one input as the text of a .mrsp file and runs the scanner, the
 * parser and the checker on it (the fact schema loaded from the standard
 * library, as mrspc check does).  A crash, a hang or a sanitizer report is
 * a bug; diagnostics are the expected outcome.  Built and run by run.sh.
 */
#include <gc.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "diag.h"
#include "loader.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static SearchPath *path;
  if (!path) {
    GC_INIT();
    path = loader_search_path(NULL, 0);
  }
  source_reset();
  diag_reset();
  int file = source_add("fuzz.mrsp", (const char *)data, size);
  check_program(file, path);
  return 0;
}
