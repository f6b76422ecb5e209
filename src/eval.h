/* eval.h - three-valued evaluation of a Lowered program against a Case.
 *
 * Takes a Lowered program and a Case; produces the decision, the stage and
 * rule that reached it, the notes that apply, and the value of every node
 * (for explanations).  Logic is Kleene's: a comparison or membership test
 * with an unknown operand is unknown; 'all' is false if any item is false,
 * true if all are true, else unknown; 'any' dually; 'not' swaps true and
 * false; 'at least N of' is true once N items are true, false once fewer
 * than N can be.  Nothing unknown is ever taken as false.
 *
 * The decision: the stages are tried in precedence order (lower.h); the
 * first that fires decides (applicability fires when false, the others
 * when true; with none firing, not_medically_necessary).  If a stage is
 * unknown before one fires, the decision is undetermined; then `missing`
 * lists the unknown facts that stage depends on through unknown nodes
 * only (a fact under a node already true or false cannot change it), and
 * `possible` the decisions three-valued evaluation does not rule out.
 *
 * The evaluation itself is the embeddable runtime's (include/mrsp_runtime.h)
 * over the tables lower_table builds, so it is the very code a policy
 * emitted by `mrspc emit-c` runs.  An Evaluator owns all its working
 * memory; eval_run allocates nothing.
 */
#ifndef MRSPC_EVAL_H
#define MRSPC_EVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "case.h"
#include "decision.h"
#include "lower.h"

/* Kleene values: the runtime's MrspTruth, bit patterns such that 'all' is
 * the bitwise AND of its items and 'any' the OR. */
typedef uint8_t Truth;
enum { TRUTH_FALSE = 0, TRUTH_UNKNOWN = 1, TRUTH_TRUE = 3 };

const char *truth_name(Truth value);

typedef struct EvalResult {
  Decision decision;
  LowStage stage;        /* the stage that decided, or was left unknown */
  int rule;              /* the rule that decided, or -1 (otherwise,
                            undetermined) */
  Truth stages[STAGE_COUNT]; /* each stage's value: for applicability
                                whether the policy governs the request, for
                                the others whether any rule is true
                                (eval_run: unknown past the deciding one) */
  unsigned possible;     /* undetermined: bit 1 << d per Decision d */
  const int *missing;    /* undetermined: fact indices, in policy order */
  int missing_count;
  const int *notes;      /* note indices whose condition is true */
  int note_count;
  const Truth *values;   /* every node's value */
} EvalResult;

typedef struct Evaluator Evaluator;

Evaluator *eval_new(const Lowered *program);

/* Evaluates facts, every node; the result stays valid until the next run.
 * For explanations and test coverage. */
const EvalResult *eval_run_all(Evaluator *evaluator, const Case *facts);

/* The same decision, notes, missing and possible facts, but the nodes
 * only the stages after the deciding one need are not evaluated: their
 * values (and those stages' values) are stale.  For batches. */
const EvalResult *eval_run(Evaluator *evaluator, const Case *facts);

#endif
