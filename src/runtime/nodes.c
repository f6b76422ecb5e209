/* nodes.c - the values of nodes: the runs of the evaluation plan.
 *
 * A part of the plan (mrsp_runtime.h) is a list of runs, each a tight
 * loop over steps of one kind: a condition is a load, a compare and a
 * select with the known bit; a group an AND or OR of its items.  These
 * steps do not branch on the case's values, so the processor has nothing
 * to guess, and values are bit patterns (MrspTruth) for that reason: 'all'
 * is an AND, 'any' an OR, and a condition on an unknown fact is its result
 * with the bits of "unknown" forced in.  The nodes that fit no quick kind
 * (date windows, comparisons with another fact, sets of more than 64
 * members, several ranges, 'at least') are computed from their node, by
 * the one switch over operations here.
 *
 * The case's value words are read whether or not the fact is known, so
 * they must hold what mrsp_case_set_* (or mrspc's case reader) writes: a
 * host writing other words gets no undefined behaviour from the quick
 * steps, but a date window computes with the words it finds.
 */
#include "internal.h"

static inline MrspTruth truth(int value) {
  return (MrspTruth)(-(value != 0) & MRSP_TRUE);
}

static inline int is_known(const uint64_t *restrict known, int32_t fact) {
  return (int)(known[fact >> 6] >> (fact & 63) & 1);
}

/* A condition's value: result (0 or 1) where the fact is known (known is 0
 * or 1), else unknown: "is true" is both, "may be true" either the result
 * or not known. */
static inline MrspTruth condition(unsigned known, unsigned result) {
  return (MrspTruth)((known & result) << 1 | result | (known ^ 1));
}

/* A condition's value computed as a truth (true or false), where the fact
 * is known. */
static inline MrspTruth if_known_truth(int known, MrspTruth value) {
  return known ? value : MRSP_UNKNOWN;
}

/* subject within amount units before (or after) reference.  N calendar
 * months span 28N to 31N days and N years 365N to 366N, so most dates are
 * settled without converting to the calendar. */
static MrspTruth within(const MrspNode *node, int64_t subject, int64_t reference) {
  int before = node->op == MRSP_OP_WITHIN_BEFORE;
  int64_t distance = before ? reference - subject : subject - reference;
  int64_t amount = node->amount, shortest, longest;
  int32_t bound;
  if (distance < 0)
    return MRSP_FALSE;
  switch (node->unit) {
  case MRSP_UNIT_DAYS:
    shortest = longest = amount;
    break;
  case MRSP_UNIT_WEEKS:
    shortest = longest = 7 * amount;
    break;
  case MRSP_UNIT_MONTHS:
    shortest = 28 * amount, longest = 31 * amount;
    break;
  default:
    shortest = 365 * amount, longest = 366 * amount;
    break;
  }
  if (distance <= shortest)
    return MRSP_TRUE;
  if (distance > longest)
    return MRSP_FALSE;
  bound = mrsp_date_add((int32_t)reference, before ? -node->amount : node->amount,
                        (MrspUnit)node->unit);
  return truth(before ? bound <= subject : subject <= bound);
}

/* A condition with another fact on its right (or 'between' a fact), or a
 * date window: unknown unless both facts are. */
static MrspTruth against_facts(const MrspNode *node, const uint64_t *restrict known,
                               const uint64_t *restrict facts) {
  int64_t subject = (int64_t)facts[node->slot], right = node->rhs, high = node->high;
  if (!is_known(known, node->subject) ||
      (node->rhs_fact >= 0 && !is_known(known, node->rhs_fact)) ||
      (node->high_fact >= 0 && !is_known(known, node->high_fact)))
    return MRSP_UNKNOWN;
  if (node->rhs_fact >= 0)
    right = (int64_t)facts[node->rhs_slot];
  if (node->high_fact >= 0)
    high = (int64_t)facts[node->high_slot];
  switch (node->op) {
  case MRSP_OP_EQUAL:
    return truth(subject == right);
  case MRSP_OP_LESS:
    return truth(subject < right);
  case MRSP_OP_LESS_EQUAL:
    return truth(subject <= right);
  case MRSP_OP_GREATER:
    return truth(subject > right);
  case MRSP_OP_GREATER_EQUAL:
    return truth(subject >= right);
  case MRSP_OP_BETWEEN:
    return truth(right <= subject && subject <= high);
  default:
    return within(node, subject, right);
  }
}

static MrspTruth in_ranges(const MrspNode *node, const int64_t *restrict ranges, int64_t value) {
  const int64_t *pair = ranges + 2 * node->first;
  int32_t i;
  for (i = 0; i < node->count; i++, pair += 2)
    if (pair[0] <= value && value <= pair[1])
      return MRSP_TRUE;
  return MRSP_FALSE;
}

static MrspTruth has(const MrspNode *node, const uint64_t *restrict masks,
                     const uint64_t *restrict set) {
  const uint64_t *mask = masks + node->first;
  int any = 0, all = 1;
  int32_t w;
  for (w = 0; w < node->count; w++) {
    any |= (set[w] & mask[w]) != 0;
    all &= (set[w] & mask[w]) == mask[w];
  }
  return truth(node->op == MRSP_OP_HAS_ANY ? any : all);
}

static MrspTruth at_least(const MrspNode *node, const int32_t *restrict kids,
                          const MrspTruth *restrict values) {
  const int32_t *item = kids + node->first, *end = item + node->count;
  int32_t true_count = 0, unknown_count = 0;
  for (; item < end; item++) {
    true_count += values[*item] == MRSP_TRUE;
    unknown_count += values[*item] == MRSP_UNKNOWN;
  }
  if (true_count >= node->amount)
    return MRSP_TRUE;
  return true_count + unknown_count >= node->amount ? MRSP_UNKNOWN : MRSP_FALSE;
}

/* Any node, its items evaluated (MRSP_STEP_NODE). */
static MrspTruth node_value(const MrspPolicy *policy, const MrspNode *node,
                            const uint64_t *restrict known, const uint64_t *restrict facts,
                            const MrspTruth *restrict values) {
  /* only groups have items: a policy with none has no kids[] at all */
  const int32_t *item, *end;
  unsigned result;
  switch (node->op) {
  case MRSP_OP_CONST:
    return truth(node->rhs != 0);
  case MRSP_OP_ALL:
    item = policy->kids + node->first, end = item + node->count;
    for (result = MRSP_TRUE; item < end; item++)
      result &= values[*item];
    return (MrspTruth)result;
  case MRSP_OP_ANY:
    item = policy->kids + node->first, end = item + node->count;
    for (result = MRSP_FALSE; item < end; item++)
      result |= values[*item];
    return (MrspTruth)result;
  case MRSP_OP_AT_LEAST:
    return at_least(node, policy->kids, values);
  case MRSP_OP_NOT:
  case MRSP_OP_CRITERION: {
    MrspTruth operand = values[policy->kids[node->first]];
    return node->op == MRSP_OP_NOT ? mrsp_internal_negation[operand] : operand;
  }
  case MRSP_OP_BOOL:
    result = facts[node->slot] != 0;
    break;
  case MRSP_OP_IN_MASK: {
    uint64_t member = facts[node->slot];
    /* a member past the enum is in no set (a host may write any word) */
    result = member < (uint64_t)node->count * 64 &&
             (policy->masks[node->first + (int32_t)(member >> 6)] >> (member & 63) & 1);
    break;
  }
  case MRSP_OP_HAS_ANY:
  case MRSP_OP_HAS_ALL:
    return if_known_truth(is_known(known, node->subject),
                          has(node, policy->masks, facts + node->slot));
  case MRSP_OP_IN_RANGES:
    return if_known_truth(is_known(known, node->subject),
                          in_ranges(node, policy->ranges, (int64_t)facts[node->slot]));
  default: /* comparisons and date windows */
    return against_facts(node, known, facts);
  }
  return condition((unsigned)is_known(known, node->subject), result);
}

#define KNOWN(step) ((known[(step)->known_word] & (step)->known_bit) != 0)

/* A run of the groups and criterion uses of a part, in dependency order:
 * the sequence of kinds is the same for every case, so the processor
 * learns where each step's switch goes. */
static void groups(const MrspPolicy *policy, const MrspStep *step, const MrspStep *end,
                   const uint64_t *restrict known, const uint64_t *restrict facts,
                   MrspTruth *restrict values) {
  const int32_t *restrict kids = policy->kids;
  for (; step < end; step++) {
    const int32_t *item = kids + step->word, *last = item + step->count;
    unsigned result;
    switch (step->kind) {
    case MRSP_STEP_ALL:
      for (result = MRSP_TRUE; item < last; item++)
        result &= values[*item];
      break;
    case MRSP_STEP_ANY:
      for (result = MRSP_FALSE; item < last; item++)
        result |= values[*item];
      break;
    case MRSP_STEP_NOT:
      result = mrsp_internal_negation[values[step->word]];
      break;
    case MRSP_STEP_COPY:
      result = values[step->word];
      break;
    default:
      result = node_value(policy, &policy->nodes[step->node], known, facts, values);
      break;
    }
    values[step->node] = (MrspTruth)result;
  }
}

/* One run: a loop over its steps, the same kind of condition each, or the
 * groups. */
static void run(const MrspPolicy *policy, const MrspRun *r, const uint64_t *restrict known,
                const uint64_t *restrict facts, MrspTruth *restrict values) {
  const MrspStep *step = policy->steps + r->first, *end = step + r->count;
  switch (r->kind) {
  case MRSP_STEP_BOOL:
    for (; step < end; step++)
      values[step->node] = condition(KNOWN(step), facts[step->word] != 0);
    break;
  case MRSP_STEP_RANGE:
    for (; step < end; step++)
      values[step->node] = condition(KNOWN(step), facts[step->word] - step->base <= step->bound);
    break;
  case MRSP_STEP_MEMBER:
    for (; step < end; step++) {
      uint64_t member = facts[step->word];
      values[step->node] =
          condition(KNOWN(step), (member < 64) & (unsigned)(step->bound >> (member & 63) & 1));
    }
    break;
  case MRSP_STEP_HAS_ANY:
    for (; step < end; step++)
      values[step->node] = condition(KNOWN(step), (facts[step->word] & step->bound) != 0);
    break;
  case MRSP_STEP_HAS_ALL:
    for (; step < end; step++)
      values[step->node] =
          condition(KNOWN(step), (facts[step->word] & step->bound) == step->bound);
    break;
  case MRSP_STEP_GROUPS:
    groups(policy, step, end, known, facts, values);
    break;
  default:
    for (; step < end; step++)
      values[step->node] =
          node_value(policy, &policy->nodes[step->node], known, facts, values);
    break;
  }
}

void mrsp_internal_evaluate_part(MrspWork *work, const MrspCase *request, int part) {
  const MrspPolicy *policy = work->policy;
  int32_t r;
  for (r = policy->part_first[part]; r < policy->part_first[part + 1]; r++)
    run(policy, &policy->runs[r], request->known, request->values, work->values);
}

MrspTruth mrsp_internal_condition_node(const MrspPolicy *policy, int32_t n,
                                       const uint64_t *known, const uint64_t *facts) {
  return node_value(policy, &policy->nodes[n], known, facts, NULL);
}
