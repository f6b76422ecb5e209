/* gen_policy.c - a deterministic policy of N criteria, for timing 'check'.
 *
 * Takes a count; writes a policy whose criteria each test a few facts of
 * the schema and use the criterion before them and one about half-way
 * back, so the criteria form one connected graph (no criterion is unused,
 * none is cyclic) as deep as it is long.  One require rule uses the last.
 *
 *   gen_policy 100000 > big.mrsp
 */
#include <stdio.h>
#include <stdlib.h>

static const char *const conditions[] = {
    "indication is glioma",
    "clinical_question has glioma_grading",
    "age_years at least 18",
    "conventional_imaging_inconclusive",
    "prior_advanced_imaging_date within 3 months before request_date",
    "line_of_business in { commercial, medicaid }",
    "not documentation_complete",
    "history has any { glioma, brain_metastasis }",
};
enum { CONDITION_COUNT = sizeof conditions / sizeof conditions[0] };

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: gen_policy COUNT > policy.mrsp\n");
    return 2;
  }
  long count = strtol(argv[1], NULL, 10);
  if (count < 1) {
    fprintf(stderr, "gen_policy: COUNT must be at least 1\n");
    return 2;
  }
  static char buffer[1 << 20];
  setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  printf("# A generated policy of %ld criteria (bench/gen_policy.c).\n", count);
  printf("policy generated {\n  title \"Generated policy\"\n  codes 76390\n}\n\n");
  printf("references {\n  1: \"A generated reference.\"\n}\n\n");
  for (long i = 0; i < count; i++) {
    printf("criterion c%ld \"Generated criterion %ld\"%s =\n", i, i, i % 100 == 0 ? " [1]" : "");
    printf("  %s < %s;\n", i % 2 ? "any" : "all", conditions[i % CONDITION_COUNT]);
    printf("        %s", conditions[(i * 7 + 3) % CONDITION_COUNT]);
    if (i > 0)
      printf(";\n        c%ld", i - 1);
    if (i > 1)
      printf(";\n        not c%ld", i / 2);
    printf(" >;\n\n");
  }
  printf("require c%ld;\n", count - 1);
  return 0;
}
