/* main.c - a host program deciding a request with an emitted policy.
 *
 * The Cohere MR spectroscopy policy, emitted by `mrspc emit-c
 * policies/cohere.mrsp --prefix cohere -o cohere.c --header cohere.h`, is
 * linked in as constant tables; the runtime (mrsp_runtime.h) decides.  The
 * case is filled by fact and member index from the generated header: no
 * names are looked up, nothing is allocated, no file is read.
 *
 *   cc -std=c99 main.c cohere.c $(pkg-config --cflags --libs mrsp-runtime)
 */
#include <stdio.h>

#include "cohere.h"

/* A treated glioma, recurrence versus radiation necrosis; the documentation
 * is complete but whether it is consistent is not known yet. */
static int fill(MrspCase *request) {
  const MrspPolicy *p = &cohere_policy;
  int failed = 0;
  mrsp_case_clear(p, request);
  failed |= mrsp_case_set_code(p, request, COHERE_FACT_PROCEDURE_CODE, "76390");
  failed |= mrsp_case_set_date(p, request, COHERE_FACT_REQUEST_DATE, 2026, 2, 10);
  failed |= mrsp_case_set_int(p, request, COHERE_FACT_AGE_YEARS, 47);
  failed |= mrsp_case_set_member(p, request, COHERE_FACT_SETTING, COHERE_SETTING_OUTPATIENT);
  failed |= mrsp_case_set_member(p, request, COHERE_FACT_INDICATION, COHERE_CONDITION_GLIOMA);
  failed |= mrsp_case_set_member(p, request, COHERE_FACT_CLINICAL_QUESTION,
                                 COHERE_QUESTION_RECURRENCE_VS_TREATMENT_EFFECT);
  failed |= mrsp_case_set_bool(p, request, COHERE_FACT_CONVENTIONAL_IMAGING_INCONCLUSIVE, 1);
  failed |= mrsp_case_set_bool(p, request, COHERE_FACT_DOCUMENTATION_COMPLETE, 1);
  failed |= mrsp_case_set_bool(p, request, COHERE_FACT_REPEAT_REQUEST, 0);
  failed |= mrsp_case_set_date(p, request, COHERE_FACT_PRIOR_ADVANCED_IMAGING_DATE, 2025, 9, 1);
  failed |= mrsp_case_set_bool(p, request, COHERE_FACT_TREATMENT_SINCE_PRIOR_IMAGING, 0);
  failed |= mrsp_case_set_bool(p, request, COHERE_FACT_NEW_OR_WORSENING_SYMPTOMS, 0);
  failed |= mrsp_case_set_bool(p, request, COHERE_FACT_CLAUSTROPHOBIA, 1);
  return failed;
}

static void print_result(const MrspResult *result) {
  const MrspPolicy *p = &cohere_policy;
  int32_t i;
  printf("%s: %s\n", p->name, mrsp_decision_name(result->decision));
  if (result->rule >= 0)
    printf("  decided by: %s rule %s\n", mrsp_stage_name(result->stage),
           p->rules[result->rule].name);
  for (i = 0; i < result->missing_count; i++)
    printf("  missing: %s\n", p->facts[result->missing[i]].name);
  for (i = 0; i < result->note_count; i++)
    printf("  note %s: %s\n", p->notes[result->notes[i]].name, p->notes[result->notes[i]].text);
}

int main(void) {
  uint64_t known[COHERE_KNOWN_WORDS], values[COHERE_VALUE_WORDS];
  static uint64_t memory[COHERE_WORK_WORDS];
  MrspCase request;
  MrspWork *work = mrsp_work_init(&cohere_policy, memory, sizeof memory);
  const MrspResult *result;
  request.known = known;
  request.values = values;
  if (!work || fill(&request) != 0) {
    fputs("embed: the case does not fit the policy\n", stderr);
    return 1;
  }
  print_result(mrsp_decide(work, &request));

  /* The missing fact arrives: decide again, with every criterion's value. */
  mrsp_case_set_bool(&cohere_policy, &request, COHERE_FACT_DOCUMENTATION_CONSISTENT, 1);
  result = mrsp_evaluate(work, &request);
  print_result(result);
  printf("  criterion neoplastic: %s\n",
         mrsp_truth_name(
             result->values[cohere_policy.criteria[COHERE_CRITERION_NEOPLASTIC].body]));
  return 0;
}
