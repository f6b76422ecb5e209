/* eval.c - three-valued evaluation and the decision (eval.h), through the
 * embeddable runtime.
 *
 * An Evaluator turns its Lowered program into the runtime's tables once
 * (lower_table: the same nodes, and the plan that evaluates them stage by
 * stage) and lays out the runtime's working memory in one block; each
 * evaluation is then the runtime's: mrsp_evaluate for eval_run_all,
 * mrsp_decide (a stage's conditions evaluated when the stage is tried) for
 * eval_run.  So `mrspc eval` and a policy emitted by `mrspc emit-c` are
 * decided by the same code over the same tables.
 */
#include "eval.h"

#include <gc.h>
#include <string.h>

#include "table.h"

/* The runtime's fact and note lists are read as the ints of EvalResult. */
_Static_assert(_Generic((int32_t)0, int: 1, default: 0), "int32_t is int");
_Static_assert(sizeof(Truth) == sizeof(MrspTruth) && (int)TRUTH_FALSE == (int)MRSP_FALSE &&
                   (int)TRUTH_UNKNOWN == (int)MRSP_UNKNOWN && (int)TRUTH_TRUE == (int)MRSP_TRUE,
               "Truth is the runtime's MrspTruth");

struct Evaluator {
  const Lowered *program;
  const MrspPolicy *table;
  MrspWork *work;
  EvalResult result;
};

const char *truth_name(Truth value) {
  return mrsp_truth_name(value);
}

Evaluator *eval_new(const Lowered *program) {
  Evaluator *e = GC_NEW(Evaluator);
  e->program = program;
  e->table = lower_table(program, false);
  size_t size = mrsp_work_size(e->table);
  /* not scanned by the collector: the work points only into itself and to
   * the table, which e->table keeps alive */
  e->work = mrsp_work_init(e->table, GC_MALLOC_ATOMIC(size), size);
  return e;
}

static const EvalResult *result_of(Evaluator *e, const MrspResult *r) {
  EvalResult *out = &e->result;
  out->decision = (Decision)r->decision;
  out->stage = (LowStage)r->stage;
  out->rule = r->rule;
  memcpy(out->stages, r->stages, sizeof out->stages);
  out->possible = r->possible;
  out->missing = r->missing;
  out->missing_count = r->missing_count;
  out->notes = r->notes;
  out->note_count = r->note_count;
  out->values = r->values;
  return out;
}

static MrspCase request_of(const Case *facts) {
  MrspCase request = {facts->known, facts->values};
  return request;
}

const EvalResult *eval_run(Evaluator *e, const Case *facts) {
  MrspCase request = request_of(facts);
  return result_of(e, mrsp_decide(e->work, &request));
}

const EvalResult *eval_run_all(Evaluator *e, const Case *facts) {
  MrspCase request = request_of(facts);
  return result_of(e, mrsp_evaluate(e->work, &request));
}
