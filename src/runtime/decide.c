/* decide.c - node values to a decision: stages, missing facts, notes.
 *
 * The stages are tried in precedence order until one fires.  mrsp_decide
 * evaluates the notes' part of the plan, then each stage's part when it
 * tries the stage, so a case decided early never evaluates the later
 * stages' conditions; mrsp_evaluate evaluates every part first.  Only an
 * undetermined decision looks further: at the later stages, up to the
 * first that surely fires, for the decisions still possible, and down from
 * the unknown rules of the unresolved stage through unknown nodes, for the
 * facts that would settle it.
 *
 * mrsp_decide_only runs the decision program instead (MrspTest in
 * mrsp_runtime.h): tests of one fact each, written by decision_program.c in
 * the order a decision needs them, so that it stops at the first test that
 * settles its group, rule or stage, and at the first stage that fires or is
 * left unknown; it computes neither missing facts nor possible decisions
 * nor notes.  Tables without a program are decided by the plan's parts, a
 * stage's when it is tried, and no further.
 */
#include <string.h>

#include "internal.h"

/* ---- working memory --------------------------------------------------------- */

size_t mrsp_work_size(const MrspPolicy *policy) {
  return MRSP_WORK_SIZE(policy->node_count, policy->kid_count, policy->rule_count,
                        policy->fact_count, policy->note_count);
}

/* Takes bytes (rounded up to a multiple of 8) from *next. */
static void *take(unsigned char **next, size_t bytes) {
  void *start = *next;
  *next += MRSP_ROUND8(bytes);
  return start;
}

MrspWork *mrsp_work_init(const MrspPolicy *policy, void *memory, size_t size) {
  size_t nodes = (size_t)policy->node_count + 1;
  size_t seen_words = ((size_t)policy->fact_count + 64) / 64;
  unsigned char *next = (unsigned char *)memory;
  MrspWork *work;
  if (policy->format != MRSP_TABLE_FORMAT || !memory || size < mrsp_work_size(policy) ||
      (uintptr_t)memory % 8 != 0)
    return NULL;
  work = (MrspWork *)take(&next, sizeof *work);
  memset(work, 0, sizeof *work);
  work->policy = policy;
  work->visited = (uint32_t *)take(&next, 4 * nodes);
  work->stack = (int32_t *)take(&next, 4 * ((size_t)policy->kid_count + policy->rule_count + 1));
  work->missing = (int32_t *)take(&next, 4 * ((size_t)policy->fact_count + 1));
  work->missing_seen = (uint64_t *)take(&next, 8 * seen_words);
  work->notes = (int32_t *)take(&next, 4 * ((size_t)policy->note_count + 1));
  work->values = (MrspTruth *)take(&next, nodes);
  memset(work->visited, 0, 4 * nodes);
  memset(work->missing_seen, 0, 8 * seen_words);
  memset(work->values, MRSP_UNKNOWN, nodes);
  work->result.values = work->values;
  work->result.missing = work->missing;
  work->result.notes = work->notes;
  return work;
}

/* ---- stages ----------------------------------------------------------------- */

/* Stage s, its part evaluated: applicability is all of its rules (their
 * AND), the others any (their OR); *settling is the first rule whose value
 * settles the stage, or -1.  No branch on the values. */
static MrspTruth stage_value(const MrspWork *work, int s, int32_t *settling) {
  const MrspPolicy *policy = work->policy;
  unsigned all = s == MRSP_STAGE_APPLIES;
  unsigned settled = all ? MRSP_FALSE : MRSP_TRUE;
  unsigned value = all ? MRSP_TRUE : MRSP_FALSE;
  int32_t r, end = policy->stage_first[s] + policy->stage_count[s], first = -1;
  if (s == MRSP_STAGE_OTHERWISE) {
    *settling = -1;
    return MRSP_TRUE;
  }
  for (r = end - 1; r >= policy->stage_first[s]; r--) {
    unsigned rule = work->values[policy->rules[r].root];
    value = all ? value & rule : value | rule;
    first = rule == settled ? r : first;
  }
  *settling = first;
  return (MrspTruth)value;
}

/* Whether stage s, with value v, decides: applicability when false. */
static MrspTruth fires(int s, MrspTruth v) {
  return s == MRSP_STAGE_APPLIES ? mrsp_internal_negation[v] : v;
}

/* The decisions open when stage s is unknown: its own, and those of the
 * later stages up to the first that surely fires, each evaluated when
 * lazily is set. */
static unsigned possible_decisions(MrspWork *work, const MrspCase *request, int s, int lazily) {
  unsigned possible = 1u << mrsp_stage_decision((MrspStage)s);
  int later;
  for (later = s + 1; later < MRSP_STAGE_COUNT; later++) {
    int32_t settling;
    MrspTruth v;
    if (lazily)
      mrsp_internal_evaluate_part(work, request, 1 + later);
    work->result.stages[later] = stage_value(work, later, &settling);
    v = fires(later, work->result.stages[later]);
    if (v != MRSP_FALSE)
      possible |= 1u << mrsp_stage_decision((MrspStage)later);
    if (v == MRSP_TRUE)
      break;
  }
  return possible;
}

/* ---- missing facts ------------------------------------------------------------- */

static void add_missing(MrspWork *work, const MrspCase *request, int32_t fact) {
  if (fact < 0 || mrsp_internal_known(request, fact) ||
      (work->missing_seen[fact >> 6] >> (fact & 63) & 1))
    return;
  work->missing_seen[fact >> 6] |= (uint64_t)1 << (fact & 63);
  work->missing[work->result.missing_count++] = fact;
}

static int is_group(int op) {
  return op >= MRSP_OP_ALL && op <= MRSP_OP_CRITERION;
}

/* A new mark for the walk: no node is visited in it yet. */
static void next_generation(MrspWork *work) {
  if (++work->generation == 0) {
    memset(work->visited, 0, 4 * ((size_t)work->policy->node_count + 1));
    work->generation = 1;
  }
}

/* The unknown facts under the unknown rules of stage s, reached through
 * unknown nodes only (a fact under a node already true or false cannot
 * change it), depth first in policy order. */
static void find_missing(MrspWork *work, const MrspCase *request, int s) {
  const MrspPolicy *policy = work->policy;
  const MrspTruth *values = work->values;
  int32_t depth = 0, r, i;
  next_generation(work);
  for (r = policy->stage_first[s] + policy->stage_count[s] - 1; r >= policy->stage_first[s]; r--)
    if (values[policy->rules[r].root] == MRSP_UNKNOWN)
      work->stack[depth++] = policy->rules[r].root;
  while (depth > 0) {
    int32_t n = work->stack[--depth];
    const MrspNode *node = &policy->nodes[n];
    if (work->visited[n] == work->generation)
      continue;
    work->visited[n] = work->generation;
    if (is_group(node->op)) {
      for (i = node->count - 1; i >= 0; i--) {
        int32_t kid = policy->kids[node->first + i];
        if (values[kid] == MRSP_UNKNOWN)
          work->stack[depth++] = kid;
      }
      continue;
    }
    add_missing(work, request, node->subject);
    add_missing(work, request, node->rhs_fact);
    add_missing(work, request, node->high_fact);
  }
  for (i = 0; i < work->result.missing_count; i++)
    work->missing_seen[work->missing[i] >> 6] &= ~((uint64_t)1 << (work->missing[i] & 63));
}

/* ---- the decision ------------------------------------------------------------- */

/* Tries the stages in order until one decides; lazily, each stage's part
 * is evaluated when the stage is tried; alone, an undetermined decision
 * looks no further (no possible decisions, no missing facts). */
static void decide(MrspWork *work, const MrspCase *request, int lazily, int alone) {
  MrspResult *result = &work->result;
  int s;
  result->decision = MRSP_DECISION_NOT_MEDICALLY_NECESSARY;
  result->stage = MRSP_STAGE_OTHERWISE;
  result->rule = -1;
  result->possible = 0;
  result->missing_count = 0;
  for (s = 0; s < MRSP_STAGE_COUNT; s++) {
    int32_t settling;
    result->stages[s] = lazily && s != MRSP_STAGE_OTHERWISE ? MRSP_UNKNOWN
                                                           : stage_value(work, s, &settling);
  }
  for (s = 0; s < MRSP_STAGE_OTHERWISE; s++) {
    int32_t settling;
    MrspTruth v;
    if (lazily)
      mrsp_internal_evaluate_part(work, request, 1 + s);
    result->stages[s] = stage_value(work, s, &settling);
    v = fires(s, result->stages[s]);
    if (v == MRSP_TRUE) {
      result->decision = mrsp_stage_decision((MrspStage)s);
      result->stage = (MrspStage)s;
      result->rule = settling;
      return;
    }
    if (v == MRSP_UNKNOWN) {
      result->decision = MRSP_DECISION_UNDETERMINED;
      result->stage = (MrspStage)s;
      if (alone)
        return;
      result->possible = possible_decisions(work, request, s, lazily);
      find_missing(work, request, s);
      return;
    }
  }
}

static void collect_notes(MrspWork *work) {
  const MrspPolicy *policy = work->policy;
  int32_t i, count = 0;
  for (i = 0; i < policy->note_count; i++) {
    int32_t root = policy->notes[i].root;
    work->notes[count] = i; /* kept when the note applies: no branch */
    count += root < 0 || work->values[root] == MRSP_TRUE;
  }
  work->result.note_count = count;
}

const MrspResult *mrsp_decide(MrspWork *work, const MrspCase *request) {
  mrsp_internal_evaluate_part(work, request, MRSP_PART_NOTES);
  decide(work, request, 1, 0);
  collect_notes(work);
  return &work->result;
}

const MrspResult *mrsp_evaluate(MrspWork *work, const MrspCase *request) {
  int part;
  for (part = 0; part < MRSP_PART_COUNT; part++)
    mrsp_internal_evaluate_part(work, request, part);
  decide(work, request, 0, 0);
  collect_notes(work);
  return &work->result;
}

/* ---- the decision alone ------------------------------------------------------- */

/* stage_values[u][s]: the stages' values when stage s decided (u 0) or
 * was left unknown (u 1): the earlier ones passed (applicability true, the
 * others false), s fired or unknown, the later ones not tried; 'otherwise'
 * is true, as in mrsp_decide.  Written out for six stages: */
typedef char mrsp_six_stages[MRSP_STAGE_COUNT == 6 ? 1 : -1];
#define PASSED(s) ((s) == MRSP_STAGE_APPLIES ? MRSP_TRUE : MRSP_FALSE)
#define FIRED(s) ((s) == MRSP_STAGE_APPLIES ? MRSP_FALSE : MRSP_TRUE)
#define STAGE_VALUE(tried, s, own)                                             \
  ((s) == MRSP_STAGE_OTHERWISE ? MRSP_TRUE                                     \
   : (s) < (tried)             ? PASSED(s)                                     \
   : (s) == (tried)            ? (own)                                         \
                               : MRSP_UNKNOWN)
#define STAGE_VALUES(tried, own)                                               \
  {STAGE_VALUE(tried, 0, own), STAGE_VALUE(tried, 1, own),                     \
   STAGE_VALUE(tried, 2, own), STAGE_VALUE(tried, 3, own),                     \
   STAGE_VALUE(tried, 4, own), STAGE_VALUE(tried, 5, own)}
static const MrspTruth stage_values[2][MRSP_STAGE_COUNT][MRSP_STAGE_COUNT] = {
    {STAGE_VALUES(0, FIRED(0)), STAGE_VALUES(1, FIRED(1)), STAGE_VALUES(2, FIRED(2)),
     STAGE_VALUES(3, FIRED(3)), STAGE_VALUES(4, FIRED(4)), STAGE_VALUES(5, MRSP_TRUE)},
    {STAGE_VALUES(0, MRSP_UNKNOWN), STAGE_VALUES(1, MRSP_UNKNOWN),
     STAGE_VALUES(2, MRSP_UNKNOWN), STAGE_VALUES(3, MRSP_UNKNOWN),
     STAGE_VALUES(4, MRSP_UNKNOWN), STAGE_VALUES(5, MRSP_UNKNOWN)}};

/* The result of the program's end: the decision, its stage and rule. */
static const MrspResult *program_end(MrspWork *work, int32_t end) {
  static const MrspDecision decisions[2][MRSP_STAGE_COUNT] = {
      {
#define MRSP_X(kind, name, decision) MRSP_DECISION_##decision,
          MRSP_STAGE_LIST(MRSP_X)
#undef MRSP_X
      },
#define MRSP_X(kind, name, decision) MRSP_DECISION_UNDETERMINED,
      {MRSP_STAGE_LIST(MRSP_X)}
#undef MRSP_X
  };
  MrspResult *result = &work->result;
  int32_t code = -5 - end;
  int stage = code & 7, undetermined = code >> 3 & 1;
  result->stage = (MrspStage)stage;
  result->rule = (code >> 4) - 1;
  result->decision = decisions[undetermined][stage];
  result->possible = 0;
  result->missing_count = 0;
  result->note_count = 0;
  memcpy(result->stages, stage_values[undetermined][stage], sizeof result->stages);
  return result;
}

/* Without a program: the plan's parts, a stage's when it is tried. */
static const MrspResult *decide_by_parts(MrspWork *work, const MrspCase *request) {
  mrsp_internal_evaluate_part(work, request, MRSP_PART_NOTES);
  decide(work, request, 1, 1);
  work->result.note_count = 0;
  return &work->result;
}

/* Goes to the next test by a condition's result where its fact is known
 * (is_known), else by unknown.  These are branches, not a load of
 * next[value] (nor a conditional move): with a load, the next test's loads
 * cannot start before this test's value is computed, so a decision is a
 * chain of dependent loads; with branches the processor guesses the way
 * and runs ahead, and a wrong guess costs less than the chain does even
 * on coin-flip facts (bench/README.md has the figures). */
#define GO(test, is_known, result)                                             \
  do {                                                                         \
    if (!(is_known))                                                           \
      next = (test)->next[MRSP_UNKNOWN];                                       \
    else if (result)                                                           \
      next = (test)->next[MRSP_TRUE];                                          \
    else                                                                       \
      next = (test)->next[MRSP_FALSE];                                         \
  } while (0)
#define GO_BY(test, value) GO(test, (value) != MRSP_UNKNOWN, (value) == MRSP_TRUE)
#define KNOWN(test) ((known[(test)->known_word] & (test)->known_bit) != 0)

/* Runs the decision program from test 0 to an end: each test goes to its
 * next place by its value; a call runs the called tests, unless their
 * value is known from this decision already, and goes on from the call
 * with their value. */
const MrspResult *mrsp_decide_only(MrspWork *work, const MrspCase *request) {
  const MrspPolicy *policy = work->policy;
  const MrspTest *restrict tests = policy->tests;
  const uint64_t *restrict known = request->known;
  const uint64_t *restrict facts = request->values;
  int32_t next = 0, depth = 0;
  if (policy->test_count == 0)
    return decide_by_parts(work, request);
  next_generation(work);
  for (;;) {
    const MrspTest *test = tests + next;
    MrspTruth value;
    uint64_t word;
    switch (test->kind) {
    case MRSP_TEST_RANGE:
      GO(test, KNOWN(test), facts[test->word] - test->base <= test->bound);
      break;
    case MRSP_TEST_MEMBER:
      word = facts[test->word];
      GO(test, KNOWN(test), word < 64 && (test->bound >> (word & 63) & 1));
      break;
    case MRSP_TEST_HAS_ANY:
      GO(test, KNOWN(test), (facts[test->word] & test->bound) != 0);
      break;
    case MRSP_TEST_HAS_ALL:
      GO(test, KNOWN(test), (facts[test->word] & test->bound) == test->bound);
      break;
    case MRSP_TEST_NODE:
      value = mrsp_internal_condition_node(policy, test->node, known, facts);
      GO_BY(test, value);
      break;
    case MRSP_TEST_CALL:
      if (work->visited[test->node] == work->generation) {
        value = work->values[test->node];
        GO_BY(test, value);
        break;
      }
      work->stack[depth++] = next;
      next = (int32_t)test->base;
      continue;
    default:
      next = test->next[MRSP_TRUE];
      break;
    }
    while (next < 0) {
      if (next < MRSP_END_RETURN(MRSP_TRUE))
        return program_end(work, next);
      /* a call returns: its value is kept for later uses */
      value = (MrspTruth)(-1 - next);
      test = tests + work->stack[--depth];
      work->visited[test->node] = work->generation;
      work->values[test->node] = value;
      GO_BY(test, value);
    }
  }
}
