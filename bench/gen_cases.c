/* gen_cases.c - a deterministic generator of prior-authorization cases.
 *
 * Takes a count and an optional seed; writes that many case objects as
 * NDJSON (one per line) to standard output.  Every case is schema-valid for
 * stdlib/facts.mrsp and shaped like the requests the Cohere MR spectroscopy
 * policy sees: about a dozen facts, some absent or null (unknown), some
 * requests for other codes or programs.  The same count and seed always
 * give the same bytes (a 64-bit xorshift generator, no libc rand).
 *
 *   gen_cases 1000000 [SEED] > cases.ndjson
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state = 0x9E3779B97F4A7C15u;

static uint64_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

/* true with probability percent/100 */
static int chance(int percent) {
  return (int)(next() % 100) < percent;
}

static const char *pick(const char *const *items, int count) {
  return items[next() % (uint64_t)count];
}

static const char *const codes[] = {"76390", "76390", "76390", "76390", "76390", "0609T"};
static const char *const lines[] = {"commercial", "commercial", "medicaid", "medicare_advantage",
                                    "exchange_marketplace", "federal_employee_program"};
static const char *const conditions[] = {
    "glioma", "brain_tumor", "brain_metastasis", "brain_lesion", "cns_lymphoma",
    "neonatal_hypoxic_ischemic_encephalopathy", "canavan_disease",
    "primary_mitochondrial_disorder", "metachromatic_leukodystrophy", "epilepsy",
    "multiple_sclerosis", "stroke", "psychiatric_disorder", "other"};
static const char *const questions[] = {
    "recurrence_vs_treatment_effect", "tumor_vs_non_tumor", "glioma_grading",
    "glioma_differential", "intraaxial_tumor_evaluation", "posttreatment_surveillance",
    "treatment_planning", "diagnosis", "monitoring"};
static const char *const bools[] = {"true", "false"};

/* a date in 2025 or 2026 as YYYY-MM-DD; day numbers kept valid per month */
static void date(char *buffer, int year_low) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int year = year_low + (int)(next() % 2);
  int month = 1 + (int)(next() % 12);
  int day = 1 + (int)(next() % (uint64_t)days[month - 1]);
  snprintf(buffer, 16, "%04d-%02d-%02d", year % 10000, month % 100, day % 100);
}

/* ,"key":true / false / null (null about one time in twenty) */
static void bool_fact(const char *key, int present_percent) {
  if (!chance(present_percent))
    return;
  if (chance(5))
    printf(",\"%s\":null", key);
  else
    printf(",\"%s\":%s", key, pick(bools, 2));
}

static void one_case(void) {
  char when[16], prior[16];
  date(when, 2025);
  printf("{\"procedure_code\":\"%s\",\"request_date\":\"%s\"", pick(codes, 6), when);
  if (chance(95))
    printf(",\"age_years\":%d", (int)(next() % 91));
  if (chance(95))
    printf(",\"line_of_business\":\"%s\"", pick(lines, 6));
  if (chance(90))
    printf(",\"setting\":\"%s\"", chance(80) ? "outpatient" : "inpatient");
  if (chance(95))
    printf(",\"indication\":\"%s\"", pick(conditions, 14));
  if (chance(70))
    printf(",\"clinical_question\":[\"%s\"]", pick(questions, 9));
  bool_fact("conventional_imaging_inconclusive", 85);
  if (chance(60)) {
    date(prior, 2024);
    printf(",\"prior_advanced_imaging_date\":\"%s\"", prior);
    bool_fact("treatment_since_prior_imaging", 70);
    bool_fact("new_or_worsening_symptoms", 70);
  }
  if (chance(70)) {
    int repeat = chance(10);
    printf(",\"repeat_request\":%s", repeat ? "true" : "false");
    if (repeat)
      printf(",\"repeat_due_to_technical_issue\":%s,\"repeat_for_provider_preference\":false",
             pick(bools, 2));
  }
  if (chance(85))
    printf(",\"documentation_complete\":%s,\"documentation_consistent\":true",
           chance(90) ? "true" : "false");
  bool_fact("claustrophobia", 5);
  printf("}\n");
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: gen_cases COUNT [SEED] > cases.ndjson\n");
    return 2;
  }
  long long count = strtoll(argv[1], NULL, 10);
  if (argc == 3)
    state ^= strtoull(argv[2], NULL, 10) * 0xBF58476D1CE4E5B9u;
  if (state == 0)
    state = 1;
  static char buffer[1 << 20];
  setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  for (long long i = 0; i < count; i++)
    one_case();
  return 0;
}
