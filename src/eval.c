/* eval.c - three-valued evaluation and the decision (eval.h).
 *
 * One pass over the nodes, first to last, computes every node's value from
 * its children's, which come before it (lower.h).  The decision then reads
 * the rules' root values stage by stage.  For batches the pass is cut into
 * parts, one per stage (after the notes' part), each holding the nodes
 * that stage needs and no earlier one does; the parts of the stages after
 * the deciding one are skipped.  Only an undetermined decision walks the
 * graph again, from the unknown rules of the unresolved stage down through
 * unknown nodes, to name the facts that would settle it.
 */
#include "eval.h"

#include <gc.h>
#include <string.h>

#include "date.h"

struct Evaluator {
  const Lowered *program;
  Truth *values;
  int *missing;
  uint64_t *missing_seen;  /* bit per fact: already in missing */
  int *notes;
  int *stack;              /* the walk for missing facts */
  uint32_t *visited;       /* per node: the walk's generation */
  uint32_t generation;
  /* The nodes each part of the decision needs and no earlier part does,
   * in dependency order: the notes' first, then each stage's, in
   * precedence order.  Part p is order[part_first[p] .. part_first[p+1]). */
  int *order;
  int part_first[STAGE_COUNT + 2];
  EvalResult result;
};

const char *truth_name(Truth value) {
  static const char *const names[] = {"false", "unknown", "true"};
  return names[value];
}

enum { PART_NOTES = 0 }; /* then part 1 + s for stage s */

/* Marks with `part` every unmarked node reachable from root. */
static void mark_reachable(Evaluator *e, unsigned char *part_of, int root, unsigned char part) {
  const Lowered *program = e->program;
  int depth = 0;
  e->stack[depth++] = root;
  while (depth > 0) {
    int n = e->stack[--depth];
    if (part_of[n])
      continue;
    part_of[n] = part;
    const LowNode *node = &program->nodes[n];
    if (node->op >= OP_ALL && node->op <= OP_CRITERION)
      for (int i = 0; i < node->count; i++)
        if (!part_of[program->kids[node->first + i]])
          e->stack[depth++] = program->kids[node->first + i];
  }
}

static void order_parts(Evaluator *e) {
  const Lowered *program = e->program;
  unsigned char *part_of = GC_MALLOC_ATOMIC((size_t)program->node_count + 1);
  memset(part_of, 0, (size_t)program->node_count + 1);
  for (int i = 0; i < program->note_count; i++)
    if (program->notes[i].root >= 0)
      mark_reachable(e, part_of, program->notes[i].root, PART_NOTES + 1);
  for (int r = 0; r < program->rule_count; r++)
    mark_reachable(e, part_of, program->rules[r].root, (unsigned char)(2 + program->rules[r].stage));
  e->order = GC_MALLOC_ATOMIC(((size_t)program->node_count + 1) * sizeof *e->order);
  int count = 0;
  for (int part = 0; part < STAGE_COUNT + 1; part++) {
    e->part_first[part] = count;
    for (int n = 0; n < program->node_count; n++)
      if (part_of[n] == part + 1)
        e->order[count++] = n;
  }
  e->part_first[STAGE_COUNT + 1] = count;
}

Evaluator *eval_new(const Lowered *program) {
  Evaluator *e = GC_NEW(Evaluator);
  size_t nodes = (size_t)program->node_count + 1;
  e->program = program;
  e->values = GC_MALLOC_ATOMIC(nodes * sizeof *e->values);
  memset(e->values, TRUTH_UNKNOWN, nodes * sizeof *e->values);
  e->missing = GC_MALLOC_ATOMIC(((size_t)program->fact_count + 1) * sizeof *e->missing);
  e->missing_seen = GC_MALLOC_ATOMIC((size_t)program->known_words * sizeof *e->missing_seen);
  memset(e->missing_seen, 0, (size_t)program->known_words * sizeof *e->missing_seen);
  e->notes = GC_MALLOC_ATOMIC(((size_t)program->note_count + 1) * sizeof *e->notes);
  e->stack = GC_MALLOC_ATOMIC(((size_t)program->kid_count + (size_t)program->rule_count + 1) *
                              sizeof *e->stack);
  e->visited = GC_MALLOC_ATOMIC(nodes * sizeof *e->visited);
  memset(e->visited, 0, nodes * sizeof *e->visited);
  order_parts(e);
  return e;
}

/* ---- nodes ---------------------------------------------------------------- */

static inline Truth truth(bool value) {
  return value ? TRUTH_TRUE : TRUTH_FALSE;
}

static inline int64_t fact_value(const Lowered *program, const Case *facts, int fact) {
  return (int64_t)facts->values[program->facts[fact].slot];
}

/* An operand's value; false when it is an unknown fact. */
static inline bool operand(const Lowered *program, const Case *facts, LowOperand o,
                           int64_t *value) {
  if (o.fact < 0) {
    *value = o.value;
    return true;
  }
  if (!case_known(facts, o.fact))
    return false;
  *value = fact_value(program, facts, o.fact);
  return true;
}

static Truth group(const LowNode *node, const int *kids, const Truth *values) {
  Truth result = node->op == OP_ALL ? TRUTH_TRUE : TRUTH_FALSE;
  for (int i = 0; i < node->count; i++) {
    Truth item = values[kids[node->first + i]];
    if (node->op == OP_ALL ? item < result : item > result)
      result = item;
  }
  return result;
}

static Truth at_least(const LowNode *node, const int *kids, const Truth *values) {
  int true_count = 0, unknown_count = 0;
  for (int i = 0; i < node->count; i++) {
    Truth item = values[kids[node->first + i]];
    true_count += item == TRUTH_TRUE;
    unknown_count += item == TRUTH_UNKNOWN;
  }
  if (true_count >= node->amount)
    return TRUTH_TRUE;
  return true_count + unknown_count >= node->amount ? TRUTH_UNKNOWN : TRUTH_FALSE;
}

static Truth compare(LowOp op, int64_t left, int64_t right) {
  switch (op) {
  case OP_EQUAL:
    return truth(left == right);
  case OP_LESS:
    return truth(left < right);
  case OP_LESS_EQUAL:
    return truth(left <= right);
  case OP_GREATER:
    return truth(left > right);
  default:
    return truth(left >= right);
  }
}

static Truth in_ranges(const Lowered *program, const LowNode *node, int64_t value) {
  const int64_t *pair = program->ranges + 2 * node->first;
  for (int i = 0; i < node->count; i++, pair += 2)
    if (pair[0] <= value && value <= pair[1])
      return TRUTH_TRUE;
  return TRUTH_FALSE;
}

static Truth masks(const Lowered *program, const LowNode *node, const Case *facts) {
  const uint64_t *mask = program->masks + node->first;
  if (node->op == OP_IN_MASK) {
    int64_t member = (int64_t)facts->values[node->slot];
    return truth(mask[member >> 6] >> (member & 63) & 1);
  }
  const uint64_t *set = facts->values + node->slot;
  bool any = false, all = true;
  for (int w = 0; w < node->count; w++) {
    any |= (set[w] & mask[w]) != 0;
    all &= (set[w] & mask[w]) == mask[w];
  }
  return truth(node->op == OP_HAS_ANY ? any : all);
}

/* subject within amount units before (or after) reference.  N calendar
 * months span 28N to 31N days and N years 365N to 366N (the unit tests
 * check every date from 1990 to 2060), so most dates are settled without
 * converting to the calendar. */
static Truth within(const LowNode *node, int64_t subject, int64_t reference) {
  bool before = node->op == OP_WITHIN_BEFORE;
  int64_t distance = before ? reference - subject : subject - reference;
  int64_t amount = node->amount, shortest, longest;
  if (distance < 0)
    return TRUTH_FALSE;
  switch (node->unit) {
  case UNIT_DAYS:
    shortest = longest = amount;
    break;
  case UNIT_WEEKS:
    shortest = longest = 7 * amount;
    break;
  case UNIT_MONTHS:
    shortest = 28 * amount, longest = 31 * amount;
    break;
  default:
    shortest = 365 * amount, longest = 366 * amount;
    break;
  }
  if (distance <= shortest)
    return TRUTH_TRUE;
  if (distance > longest)
    return TRUTH_FALSE;
  int32_t bound = date_add((int32_t)reference, before ? -node->amount : node->amount, node->unit);
  return truth(before ? bound <= subject : subject <= bound);
}

/* A condition on the subject fact, known here. */
static Truth condition(const Lowered *program, const LowNode *node, const Case *facts) {
  int64_t subject = (int64_t)facts->values[node->slot], right, high;
  switch (node->op) {
  case OP_BOOL:
    return truth(subject != 0);
  case OP_IN_RANGES:
    return in_ranges(program, node, subject);
  case OP_IN_MASK:
  case OP_HAS_ANY:
  case OP_HAS_ALL:
    return masks(program, node, facts);
  default:
    break;
  }
  if (!operand(program, facts, node->rhs, &right))
    return TRUTH_UNKNOWN;
  switch (node->op) {
  case OP_BETWEEN:
    if (!operand(program, facts, node->high, &high))
      return TRUTH_UNKNOWN;
    return truth(right <= subject && subject <= high);
  case OP_WITHIN_BEFORE:
  case OP_WITHIN_AFTER:
    return within(node, subject, right);
  default:
    return compare(node->op, subject, right);
  }
}

static inline Truth node_value(const Lowered *program, const LowNode *node, const Truth *values,
                               const Case *facts) {
  switch (node->op) {
  case OP_CONST:
    return truth(node->rhs.value != 0);
  case OP_ALL:
  case OP_ANY:
    return group(node, program->kids, values);
  case OP_AT_LEAST:
    return at_least(node, program->kids, values);
  case OP_NOT:
    return (Truth)(TRUTH_TRUE - values[program->kids[node->first]]);
  case OP_CRITERION:
    return values[program->kids[node->first]];
  default: {
    /* Computed before knowing whether the subject is known, so the choice
     * below is a conditional move, not a branch the processor must guess:
     * an unknown fact's value words hold an earlier case's value or zero,
     * always in range. */
    Truth value = condition(program, node, facts);
    return case_known(facts, node->subject) ? value : TRUTH_UNKNOWN;
  }
  }
}

/* ---- the decision --------------------------------------------------------- */

/* Whether stage s, with value v, decides: applicability when false. */
static Truth fires(LowStage s, Truth v) {
  return s == STAGE_APPLIES ? (Truth)(TRUTH_TRUE - v) : v;
}

/* ---- every node, first to last -------------------------------------------- */

static void evaluate_all(Evaluator *e, const Case *facts) {
  const Lowered *program = e->program;
  for (int i = 0; i < program->node_count; i++)
    e->values[i] = node_value(program, &program->nodes[i], e->values, facts);
}

/* ---- only what the decision needs: part by part ---------------------------- */

static void evaluate_part(Evaluator *e, const Case *facts, int part) {
  const Lowered *program = e->program;
  for (int i = e->part_first[part]; i < e->part_first[part + 1]; i++) {
    int n = e->order[i];
    e->values[n] = node_value(program, &program->nodes[n], e->values, facts);
  }
}

/* ---- stages ----------------------------------------------------------------- */

/* Stage s: applicability is all of its rules, the others any. */
static Truth stage_value(const Evaluator *e, LowStage s) {
  const Lowered *program = e->program;
  if (s == STAGE_OTHERWISE)
    return TRUTH_TRUE;
  Truth settled = s == STAGE_APPLIES ? TRUTH_FALSE : TRUTH_TRUE;
  Truth v = s == STAGE_APPLIES ? TRUTH_TRUE : TRUTH_FALSE;
  for (int r = program->stage_first[s]; r < program->stage_first[s] + program->stage_count[s];
       r++) {
    Truth rule = e->values[program->rules[r].root];
    if (rule == settled)
      return settled;
    if (rule == TRUTH_UNKNOWN)
      v = TRUTH_UNKNOWN;
  }
  return v;
}

/* The first rule of a firing stage that fires. */
static int deciding_rule(const Lowered *program, const Truth *values, LowStage s) {
  for (int r = program->stage_first[s]; r < program->stage_first[s] + program->stage_count[s];
       r++)
    if (fires(s, values[program->rules[r].root]) == TRUTH_TRUE)
      return r;
  return -1;
}

/* The decisions reachable when stage s is unknown: its own, and those of
 * the later stages up to the first that surely fires. */
static unsigned possible_decisions(const EvalResult *result, LowStage s) {
  unsigned possible = 1u << low_stage_decision(s);
  for (int later = s + 1; later < STAGE_COUNT; later++) {
    Truth v = fires((LowStage)later, result->stages[later]);
    if (v != TRUTH_FALSE)
      possible |= 1u << low_stage_decision((LowStage)later);
    if (v == TRUTH_TRUE)
      break;
  }
  return possible;
}

static void add_missing(Evaluator *e, const Case *facts, int fact) {
  if (fact < 0 || case_known(facts, fact) || (e->missing_seen[fact >> 6] >> (fact & 63) & 1))
    return;
  e->missing_seen[fact >> 6] |= (uint64_t)1 << (fact & 63);
  e->missing[e->result.missing_count++] = fact;
}

/* The unknown facts under the unknown rules of stage s, reached through
 * unknown nodes only, depth first in policy order. */
static void find_missing(Evaluator *e, const Case *facts, LowStage s) {
  const Lowered *program = e->program;
  const Truth *values = e->values;
  if (++e->generation == 0) {
    memset(e->visited, 0, ((size_t)program->node_count + 1) * sizeof *e->visited);
    e->generation = 1;
  }
  int depth = 0;
  for (int r = program->stage_first[s] + program->stage_count[s] - 1; r >= program->stage_first[s];
       r--)
    if (values[program->rules[r].root] == TRUTH_UNKNOWN)
      e->stack[depth++] = program->rules[r].root;
  while (depth > 0) {
    int n = e->stack[--depth];
    if (e->visited[n] == e->generation)
      continue;
    e->visited[n] = e->generation;
    const LowNode *node = &program->nodes[n];
    if (node->op >= OP_ALL && node->op <= OP_CRITERION) {
      for (int i = node->count - 1; i >= 0; i--) {
        int kid = program->kids[node->first + i];
        if (values[kid] == TRUTH_UNKNOWN)
          e->stack[depth++] = kid;
      }
      continue;
    }
    add_missing(e, facts, node->subject);
    add_missing(e, facts, node->rhs.fact);
    add_missing(e, facts, node->high.fact);
  }
  for (int i = 0; i < e->result.missing_count; i++)
    e->missing_seen[e->missing[i] >> 6] &= ~((uint64_t)1 << (e->missing[i] & 63));
}

/* Tries the stages in order until one decides.  Lazily, each stage's
 * nodes are evaluated when it is tried, so those of the stages after the
 * deciding one are not, unless the decision is undetermined: `possible`
 * needs them. */
static void decide(Evaluator *e, const Case *facts, bool lazily) {
  const Lowered *program = e->program;
  EvalResult *result = &e->result;
  result->decision = DECISION_NOT_MEDICALLY_NECESSARY;
  result->stage = STAGE_OTHERWISE;
  result->rule = -1;
  result->possible = 0;
  result->missing_count = 0;
  for (int s = 0; s < STAGE_COUNT; s++)
    result->stages[s] = lazily && s != STAGE_OTHERWISE ? TRUTH_UNKNOWN
                                                       : stage_value(e, (LowStage)s);
  for (int s = 0; s < STAGE_OTHERWISE; s++) {
    if (lazily) {
      evaluate_part(e, facts, 1 + s);
      result->stages[s] = stage_value(e, (LowStage)s);
    }
    Truth v = fires((LowStage)s, result->stages[s]);
    if (v == TRUTH_TRUE) {
      result->decision = low_stage_decision((LowStage)s);
      result->stage = (LowStage)s;
      result->rule = deciding_rule(program, e->values, (LowStage)s);
      return;
    }
    if (v == TRUTH_UNKNOWN) {
      for (int later = s + 1; lazily && later < STAGE_OTHERWISE; later++) {
        evaluate_part(e, facts, 1 + later);
        result->stages[later] = stage_value(e, (LowStage)later);
      }
      result->decision = DECISION_UNDETERMINED;
      result->stage = (LowStage)s;
      result->possible = possible_decisions(result, (LowStage)s);
      find_missing(e, facts, (LowStage)s);
      return;
    }
  }
}

static void collect_notes(Evaluator *e) {
  const Lowered *program = e->program;
  int count = 0;
  for (int i = 0; i < program->note_count; i++) {
    int root = program->notes[i].root;
    if (root < 0 || e->values[root] == TRUTH_TRUE)
      e->notes[count++] = i;
  }
  e->result.note_count = count;
}

static const EvalResult *run(Evaluator *e, const Case *facts, bool lazily) {
  if (lazily)
    evaluate_part(e, facts, PART_NOTES);
  else
    evaluate_all(e, facts);
  decide(e, facts, lazily);
  collect_notes(e);
  e->result.values = e->values;
  e->result.missing = e->missing;
  e->result.notes = e->notes;
  return &e->result;
}

const EvalResult *eval_run(Evaluator *e, const Case *facts) {
  return run(e, facts, true);
}

const EvalResult *eval_run_all(Evaluator *e, const Case *facts) {
  return run(e, facts, false);
}
