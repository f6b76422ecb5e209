/* fuzz_case.c - libFuzzer target: any bytes as a case file, decided.
 *
 * Loads policies/cohere.mrsp once (FUZZ_POLICY, set by run.sh), then takes
 * each input as a case file: reads it as mrspc eval does and, when it reads
 * without errors, evaluates it.  A crash, a hang or a sanitizer report is a
 * bug; case-file errors are the expected outcome.  Built and run by run.sh.
 */
#include <gc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "case.h"
#include "check.h"
#include "diag.h"
#include "eval.h"
#include "loader.h"
#include "lower.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static CaseReader *reader;
static Case *facts;
static Evaluator *evaluator;

static void load_policy(void) {
  GC_INIT();
  const char *error = NULL;
  int file = source_load(FUZZ_POLICY, &error);
  if (file < 0) {
    fprintf(stderr, "fuzz_case: %s\n", error);
    abort();
  }
  Program *program = check_program(file, loader_search_path(NULL, 0));
  if (diag_error_count() > 0) {
    fprintf(stderr, "fuzz_case: %s has errors\n", FUZZ_POLICY);
    abort();
  }
  const Lowered *lowered = lower_program(program);
  reader = case_reader_new(lowered);
  facts = case_new(lowered);
  evaluator = eval_new(lowered);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!reader)
    load_policy();
  if (case_read_json(reader, (const char *)data, size, facts, 8) == 0)
    eval_run(evaluator, facts);
  return 0;
}
