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
 * is evaluated when the stage is tried. */
static void decide(MrspWork *work, const MrspCase *request, int lazily) {
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
  decide(work, request, 1);
  collect_notes(work);
  return &work->result;
}

const MrspResult *mrsp_evaluate(MrspWork *work, const MrspCase *request) {
  int part;
  for (part = 0; part < MRSP_PART_COUNT; part++)
    mrsp_internal_evaluate_part(work, request, part);
  decide(work, request, 0);
  collect_notes(work);
  return &work->result;
}
