/* decision_program.c - the decision program behind mrsp_decide_only.
 *
 * Takes a Lowered policy (lower.h) and the tables lower_table is building
 * (table.c); produces their tests (MrspPolicy.tests), or none.
 *
 * The rules as tests that each look at one fact (mrsp_runtime.h, MrspTest):
 * each rule's tree is first rewritten as an expression, 'not' pushed down
 * to the tests (De Morgan's laws hold in Kleene's logic), small criteria
 * written out where they are used, groups in groups of the same kind
 * flattened and tests of one fact in one group merged, the items of each
 * group cheapest first; then each expression is written as tests with the
 * places each value goes to (continuations), from the last stage back to
 * the first, so a test's next places exist when it is made.  A group
 * after an unknown item goes on in a second copy of its later items, in
 * which true and unknown go to the same place; a test whose values all go
 * to one place is left out, and a test made twice with the same places is
 * made once.  The copies make a tree of alternating 'all' and 'any' grow
 * with its depth, so a policy whose program would be much larger than its
 * nodes gets none (mrsp_decide_only then evaluates the plan's parts).
 */
#include "decision_program.h"

#include <gc.h>
#include <string.h>

#include "lower_internal.h"

enum {
  INLINE_SIZE = 16,      /* tests of a criterion used once written out */
  INLINE_ANY_SIZE = 4,   /* tests of a criterion used more often written out */
  INLINE_DEPTH = 8,      /* criteria written out inside one another */
  COST_QUICK = 1,        /* rough costs of evaluating a test, for ordering */
  COST_NODE = 4,
  COST_CALL = 6,
  AT_LEAST_STATES = 4096, /* places of an 'at least', items times counts */
  TEST_BLOCK = 4096
};

typedef enum ExprKind {
  EX_TEST,               /* one test: a condition */
  EX_CALL,               /* a criterion computed once a decision */
  EX_CONST,              /* true or false */
  EX_ALL,
  EX_ANY,
  EX_AT_LEAST
} ExprKind;

/* What tests of one fact can be merged as: ranges of numbers, members of
 * an enum, masks of a set; or nothing. */
typedef enum Family { FAMILY_NONE, FAMILY_RANGE, FAMILY_MEMBER, FAMILY_MASK } Family;

typedef struct Expr Expr;
struct Expr {
  ExprKind kind;
  bool negated;          /* test, call: the value negated */
  int node;              /* the node it comes from; a call: the node called */
  MrspTest test;         /* a test: kind, word, known bit, base, bound */
  Family family;
  int fact;              /* a test's subject, or -1 */
  int64_t low, high;     /* a range: low <= subject <= high */
  MrspTruth value;       /* a constant */
  int amount;            /* at least N */
  Expr **items;
  int count;
  int size;              /* tests when written once */
  int cost;              /* evaluating every test once */
};

/* A test (or group) written for expr with places t, f, u, in the tree
 * being written (generation). */
typedef struct MemoEntry {
  const Expr *expr;
  int32_t t, f, u, label;
  uint32_t generation;
} MemoEntry;

typedef struct ProgramBuilder {
  const Lowered *in;
  bool *inline_criterion;  /* by criterion */
  int *criterion_depth;    /* criteria written out inside it, and itself */
  Expr **body;             /* by criterion: its body, for calls */
  Expr **written_out;      /* by criterion, twice (plain, negated): its
                              expression where it is written out, shared */
  int depth_seen;          /* while building an expression */
  int32_t *call_entry;     /* by node: the first test of a call, or -1 */
  int *queue;              /* nodes whose calls are not written yet */
  int queued;
  Expr **call_expr;        /* by node: what a call computes */
  MrspTest **blocks;       /* the tests written, TEST_BLOCK a block (no copy
                              as they grow: a large policy writes millions) */
  int block_count, block_capacity;
  int test_count, test_limit;
  MemoEntry *memo;         /* what one tree (a rule, a call) has written */
  size_t memo_mask, memo_count;
  uint32_t generation;     /* the tree's; older entries are empty */
  int32_t rule;            /* the rule being written, or -1 */
  bool failed;
} ProgramBuilder;

static Expr *new_expr(ExprKind kind, int node) {
  Expr *e = GC_NEW(Expr);
  e->kind = kind;
  e->node = node;
  e->fact = -1;
  e->size = 1;
  e->cost = COST_QUICK;
  return e;
}

static Expr *const_expr(bool value) {
  Expr *e = new_expr(EX_CONST, -1);
  e->value = value ? MRSP_TRUE : MRSP_FALSE;
  e->size = e->cost = 0;
  return e;
}

/* A range test for low <= subject <= high (empty: false when known). */
static void set_range(Expr *e, int64_t low, int64_t high) {
  e->family = FAMILY_RANGE;
  e->low = low;
  e->high = high;
  if (low > high) {
    e->family = FAMILY_NONE;
    e->test.kind = MRSP_TEST_HAS_ANY;
    e->test.base = e->test.bound = 0;
    return;
  }
  e->test.kind = MRSP_TEST_RANGE;
  e->test.base = (uint64_t)low;
  e->test.bound = (uint64_t)high - (uint64_t)low;
}

/* The range a comparison with constants tests; false if it is none. */
static bool compare_range(const LowNode *node, int64_t *low, int64_t *high) {
  int64_t c = node->rhs.value;
  if (node->rhs.fact >= 0 || node->high.fact >= 0)
    return false;
  *low = INT64_MIN, *high = INT64_MAX;
  switch (node->op) {
  case OP_EQUAL:
    *low = *high = c;
    return true;
  case OP_LESS:
    if (c == INT64_MIN)
      *low = 0, *high = -1;
    else
      *high = c - 1;
    return true;
  case OP_LESS_EQUAL:
    *high = c;
    return true;
  case OP_GREATER:
    if (c == INT64_MAX)
      *low = 0, *high = -1;
    else
      *low = c + 1;
    return true;
  case OP_GREATER_EQUAL:
    *low = c;
    return true;
  case OP_BETWEEN:
    *low = c, *high = node->high.value;
    return true;
  default:
    return false;
  }
}

/* A condition as a test of the quickest kind that fits. */
static Expr *test_expr(const Lowered *in, int n, bool negated) {
  const LowNode *node = &in->nodes[n];
  Expr *e = new_expr(EX_TEST, n);
  int64_t low, high;
  e->negated = negated;
  e->test.kind = MRSP_TEST_NODE;
  e->test.node = n;
  e->cost = COST_NODE;
  if (node->subject < 0)
    return e;
  const LowFact *fact = &in->facts[node->subject];
  e->test.word = fact->slot;
  e->test.known_word = node->subject >> 6;
  e->test.known_bit = (uint64_t)1 << (node->subject & 63);
  e->cost = COST_QUICK;
  switch (node->op) {
  case OP_BOOL:
    e->test.kind = MRSP_TEST_RANGE;
    e->test.base = 1;
    e->test.bound = UINT64_MAX - 1;
    return e;
  case OP_IN_RANGES:
    if (node->count != 1)
      break;
    e->fact = node->subject;
    set_range(e, in->ranges[2 * node->first], in->ranges[2 * node->first + 1]);
    return e;
  case OP_IN_MASK:
  case OP_HAS_ANY:
  case OP_HAS_ALL:
    if (node->count != 1)
      break;
    e->fact = node->subject;
    e->family = node->op == OP_IN_MASK ? FAMILY_MEMBER : FAMILY_MASK;
    e->test.kind = node->op == OP_IN_MASK    ? MRSP_TEST_MEMBER
                   : node->op == OP_HAS_ANY ? MRSP_TEST_HAS_ANY
                                            : MRSP_TEST_HAS_ALL;
    e->test.bound = in->masks[node->first];
    return e;
  default:
    if (node->op == OP_EQUAL && fact->type == LOW_ENUM && node->rhs.fact < 0 &&
        node->rhs.value >= 0 && node->rhs.value < 64) {
      e->fact = node->subject;
      e->family = FAMILY_MEMBER;
      e->test.kind = MRSP_TEST_MEMBER;
      e->test.bound = (uint64_t)1 << node->rhs.value;
      return e;
    }
    if (compare_range(node, &low, &high)) {
      e->fact = node->subject;
      set_range(e, low, high);
      return e;
    }
    break;
  }
  e->cost = COST_NODE;
  return e;
}

static bool single_bit(uint64_t mask) {
  return mask && !(mask & (mask - 1));
}

/* Merges test b into test a, both of one fact and family and negated
 * alike, in a group that is their OR when either is set (an 'any' of
 * plain tests, an 'all' of negated ones: not x and not y is not (x or
 * y)), else their AND; false if they do not merge. */
static bool merge_tests(Expr *a, const Expr *b, bool either) {
  a->test.merged += 1 + b->test.merged;
  switch (a->family) {
  case FAMILY_MEMBER:
    a->test.bound = either ? a->test.bound | b->test.bound : a->test.bound & b->test.bound;
    return true;
  case FAMILY_RANGE:
    if (!either) {
      set_range(a, a->low > b->low ? a->low : b->low, a->high < b->high ? a->high : b->high);
      return true;
    }
    if ((a->high != INT64_MAX && b->low > a->high + 1) ||
        (b->high != INT64_MAX && a->low > b->high + 1))
      return false; /* a gap between them */
    set_range(a, a->low < b->low ? a->low : b->low, a->high > b->high ? a->high : b->high);
    return true;
  case FAMILY_MASK: {
    /* a one-member mask is 'has any' and 'has all' alike */
    MrspTestKind kind = either ? MRSP_TEST_HAS_ANY : MRSP_TEST_HAS_ALL;
    if ((a->test.kind != (int32_t)kind && !single_bit(a->test.bound)) ||
        (b->test.kind != (int32_t)kind && !single_bit(b->test.bound)))
      return false;
    a->test.kind = kind;
    a->test.bound |= b->test.bound;
    return true;
  }
  default:
    return false;
  }
}

static int compare_costs(const void *a, const void *b) {
  const Expr *x = *(const Expr *const *)a, *y = *(const Expr *const *)b;
  return (x->cost > y->cost) - (x->cost < y->cost);
}

static Expr *expr_of(ProgramBuilder *pb, int n, bool negated);

/* 'all' or 'any' (as kind) of nodes kids[first .. first + count), each
 * negated when negated is set: groups of the same kind flattened,
 * constants folded, tests of one fact merged, cheapest first. */
static Expr *group_expr(ProgramBuilder *pb, ExprKind kind, int node, int first, int count,
                        bool negated) {
  const Lowered *in = pb->in;
  Expr *e = new_expr(kind, node);
  int capacity = count + 1, total = 0;
  e->items = GC_MALLOC(((size_t)capacity) * sizeof *e->items);
  bool either = kind == EX_ANY;
  for (int i = 0; i < count; i++) {
    Expr *item = expr_of(pb, in->kids[first + i], negated);
    int parts = item->kind == kind ? item->count : 1;
    for (int p = 0; p < parts; p++) {
      Expr *part = item->kind == kind ? item->items[p] : item;
      if (part->kind == EX_CONST) {
        if ((part->value == MRSP_TRUE) == either)
          return part; /* true in 'any', false in 'all' */
        continue;
      }
      bool merged = false;
      for (int j = 0; j < total && part->family != FAMILY_NONE && !merged; j++) {
        Expr *other = e->items[j];
        if (other->kind == EX_TEST && other->fact == part->fact &&
            other->family == part->family && other->negated == part->negated) {
          Expr copy = *other; /* merge into a copy: other may be shared */
          if (merge_tests(&copy, part, either != part->negated)) {
            e->items[j] = GC_NEW(Expr);
            *e->items[j] = copy;
            merged = true;
          }
        }
      }
      if (merged)
        continue;
      if (total == capacity) {
        capacity *= 2;
        e->items = GC_REALLOC(e->items, (size_t)capacity * sizeof *e->items);
      }
      e->items[total++] = part;
    }
  }
  if (total == 0)
    return const_expr(!either);
  if (total == 1)
    return e->items[0];
  /* a stable sort by cost: qsort is not stable, so ties keep their order
   * by an insertion sort, the groups being small */
  for (int i = 1; i < total; i++)
    for (int j = i; j > 0 && compare_costs(&e->items[j - 1], &e->items[j]) > 0; j--) {
      Expr *swap = e->items[j];
      e->items[j] = e->items[j - 1];
      e->items[j - 1] = swap;
    }
  e->count = total;
  e->size = e->cost = 0;
  for (int i = 0; i < total; i++) {
    e->size += e->items[i]->size;
    e->cost += e->items[i]->cost;
  }
  return e;
}

/* The expression of node n (negated when negated is set). */
static Expr *expr_of(ProgramBuilder *pb, int n, bool negated) {
  const Lowered *in = pb->in;
  const LowNode *node = &in->nodes[n];
  switch (node->op) {
  case OP_CONST:
    return const_expr((node->rhs.value != 0) != negated);
  case OP_NOT:
    return expr_of(pb, in->kids[node->first], !negated);
  case OP_CRITERION: {
    int k = node->amount, body = in->kids[node->first];
    if (pb->inline_criterion[k]) {
      Expr **shared = &pb->written_out[2 * k + negated];
      if (pb->criterion_depth[k] > pb->depth_seen)
        pb->depth_seen = pb->criterion_depth[k];
      if (!*shared) /* expressions are not changed once made: one serves every use */
        *shared = expr_of(pb, body, negated);
      return *shared;
    }
    Expr *e = new_expr(EX_CALL, body);
    e->negated = negated;
    e->cost = COST_CALL;
    return e;
  }
  case OP_ALL:
  case OP_ANY: {
    /* not all = any not; not any = all not */
    ExprKind kind = (node->op == OP_ALL) != negated ? EX_ALL : EX_ANY;
    return group_expr(pb, kind, n, node->first, node->count, negated);
  }
  case OP_AT_LEAST: {
    /* not (at least N of k) = at least k - N + 1 of their negations */
    Expr *e = new_expr(EX_AT_LEAST, n);
    e->amount = negated ? node->count - node->amount + 1 : node->amount;
    e->items = GC_MALLOC(((size_t)node->count + 1) * sizeof *e->items);
    e->count = node->count;
    e->size = e->cost = 0;
    for (int i = 0; i < node->count; i++) {
      e->items[i] = expr_of(pb, in->kids[node->first + i], negated);
      e->size += e->items[i]->size;
      e->cost += e->items[i]->cost;
    }
    return e;
  }
  default:
    return test_expr(in, n, negated);
  }
}

/* ---- writing tests ---- */

/* splitmix64's finaliser over the key's words: every bit of the key moves
 * the low bits the table is indexed by (pointers have none of their own) */
static uint64_t memo_hash(const Expr *e, int32_t t, int32_t f, int32_t u) {
  uint64_t words[2] = {(uint64_t)(uintptr_t)e ^ (uint64_t)(uint32_t)t << 32,
                       (uint64_t)(uint32_t)f | (uint64_t)(uint32_t)u << 32};
  uint64_t h = 0;
  for (int i = 0; i < 2; i++) {
    h ^= words[i] + 0x9E3779B97F4A7C15u;
    h = (h ^ h >> 30) * 0xBF58476D1CE4E5B9u;
    h = (h ^ h >> 27) * 0x94D049BB133111EBu;
    h ^= h >> 31;
  }
  return h;
}

static bool memo_used(const ProgramBuilder *pb, size_t i) {
  return pb->memo[i].generation == pb->generation;
}

static MemoEntry *memo_slot(ProgramBuilder *pb, const Expr *e, int32_t t, int32_t f, int32_t u) {
  if (2 * (pb->memo_count + 1) > pb->memo_mask) {
    MemoEntry *old = pb->memo;
    size_t old_mask = pb->memo_mask;
    pb->memo_mask = old_mask ? 2 * old_mask + 1 : 255;
    pb->memo = GC_MALLOC_ATOMIC((pb->memo_mask + 1) * sizeof *pb->memo);
    memset(pb->memo, 0, (pb->memo_mask + 1) * sizeof *pb->memo);
    pb->memo_count = 0;
    for (size_t i = 0; old && i <= old_mask; i++)
      if (old[i].generation == pb->generation) {
        *memo_slot(pb, old[i].expr, old[i].t, old[i].f, old[i].u) = old[i];
        pb->memo_count++;
      }
    GC_FREE(old);
  }
  size_t i = (size_t)memo_hash(e, t, f, u) & pb->memo_mask;
  for (; memo_used(pb, i); i = (i + 1) & pb->memo_mask)
    if (pb->memo[i].expr == e && pb->memo[i].t == t && pb->memo[i].f == f && pb->memo[i].u == u)
      break;
  return &pb->memo[i];
}

/* A new tree: nothing in the memo (whose expressions need not be kept
 * alive, being those of the tree being written). */
static void memo_clear(ProgramBuilder *pb) {
  pb->generation++;
  pb->memo_count = 0;
}

static MrspTest *written_test(const ProgramBuilder *pb, int32_t i) {
  return &pb->blocks[i / TEST_BLOCK][i % TEST_BLOCK];
}

static int32_t add_test(ProgramBuilder *pb, MrspTest test) {
  if (pb->test_count >= pb->test_limit) {
    pb->failed = true;
    return 0;
  }
  if (pb->test_count == pb->block_count * TEST_BLOCK) {
    pb->blocks = lower_grow(pb->blocks, &pb->block_capacity, pb->block_count + 1,
                            sizeof *pb->blocks, false);
    pb->blocks[pb->block_count++] = GC_MALLOC_ATOMIC(TEST_BLOCK * sizeof **pb->blocks);
  }
  test.rule = pb->rule;
  *written_test(pb, pb->test_count) = test;
  return pb->test_count++;
}

static int32_t write_expr(ProgramBuilder *pb, const Expr *e, int32_t t, int32_t f, int32_t u);

/* 'all' (dual: 'any'): an item false (true) decides; after an unknown one
 * the later items are tried in their second copy, where true (false) and
 * unknown both go on, and at the end lead to unknown. */
static int32_t write_group(ProgramBuilder *pb, const Expr *e, int32_t t, int32_t f, int32_t u) {
  bool all = e->kind == EX_ALL;
  int32_t plain = all ? t : f, unknown = u;
  for (int i = e->count - 1; i >= 0 && !pb->failed; i--) {
    const Expr *item = e->items[i];
    int32_t later_unknown = unknown;
    if (i > 0) /* the copy first, so that the tests are laid out plain copy first */
      unknown = all ? write_expr(pb, item, later_unknown, f, later_unknown)
                    : write_expr(pb, item, t, later_unknown, later_unknown);
    plain = all ? write_expr(pb, item, plain, f, later_unknown)
                : write_expr(pb, item, t, plain, later_unknown);
  }
  return plain;
}

/* 'at least N of' k items: the place after item j, for trues so far (below
 * N) and unknowns so far (counted up to what N still needs). */
static int32_t write_at_least(ProgramBuilder *pb, const Expr *e, int32_t t, int32_t f,
                              int32_t u) {
  int k = e->count, n = e->amount;
  if (n <= 0)
    return t;
  if (n > k)
    return f; /* not even with every item true */
  if ((int64_t)(k + 1) * (n + 1) * (n + 1) > AT_LEAST_STATES) {
    pb->failed = true;
    return 0;
  }
  /* place[trues][unknowns] after item j, from the last item back */
  int32_t *place = GC_MALLOC_ATOMIC((size_t)(n + 1) * (size_t)(n + 1) * sizeof *place);
  int32_t *before = GC_MALLOC_ATOMIC((size_t)(n + 1) * (size_t)(n + 1) * sizeof *before);
#define PLACE(array, trues, unknowns) array[(trues) * (n + 1) + (unknowns)]
  for (int trues = 0; trues < n; trues++)
    for (int unknowns = 0; unknowns <= n - trues; unknowns++)
      PLACE(place, trues, unknowns) = trues + unknowns >= n ? u : f;
  for (int j = k - 1; j >= 0 && !pb->failed; j--) {
    for (int trues = 0; trues < n; trues++)
      for (int unknowns = 0; unknowns <= n - trues; unknowns++) {
        if (trues + unknowns > j || trues + unknowns + (k - j) < n) {
          /* not reached; or too few items left to reach N */
          PLACE(before, trues, unknowns) = f;
          continue;
        }
        int room = n - trues - 1; /* unknowns that count after one more true */
        int32_t on_true =
            trues + 1 >= n ? t : PLACE(place, trues + 1, unknowns < room ? unknowns : room);
        int32_t on_unknown = PLACE(place, trues, unknowns < room + 1 ? unknowns + 1 : room + 1);
        PLACE(before, trues, unknowns) =
            write_expr(pb, e->items[j], on_true, PLACE(place, trues, unknowns), on_unknown);
      }
    int32_t *swap = place;
    place = before;
    before = swap;
  }
#undef PLACE
  return place[0];
}

/* The first test of e written to go to t, f or u by its value (a test
 * already written to the same places is used again). */
static int32_t write_expr(ProgramBuilder *pb, const Expr *e, int32_t t, int32_t f, int32_t u) {
  if (pb->failed)
    return 0;
  if (e->kind == EX_CONST)
    return e->value == MRSP_TRUE ? t : f;
  if (e->negated) {
    int32_t swap = t;
    t = f;
    f = swap;
  }
  if (t == f && f == u)
    return t; /* the test cannot change where the decision goes */
  MemoEntry *slot = memo_slot(pb, e, t, f, u);
  if (slot->generation == pb->generation)
    return slot->label;
  int32_t label;
  switch (e->kind) {
  case EX_TEST:
  case EX_CALL: {
    MrspTest test = e->test;
    if (e->kind == EX_CALL) {
      memset(&test, 0, sizeof test);
      test.kind = MRSP_TEST_CALL;
      test.node = e->node;
      if (pb->call_entry[e->node] == -2) {
        pb->call_entry[e->node] = -1; /* queued */
        pb->queue[pb->queued++] = e->node;
      }
    }
    test.next[MRSP_FALSE] = f;
    test.next[MRSP_UNKNOWN] = test.next[2] = u;
    test.next[MRSP_TRUE] = t;
    label = add_test(pb, test);
    break;
  }
  case EX_AT_LEAST:
    label = write_at_least(pb, e, t, f, u);
    break;
  default:
    label = write_group(pb, e, t, f, u);
    break;
  }
  /* the slot may have moved while the items were written */
  slot = memo_slot(pb, e, t, f, u);
  if (slot->generation != pb->generation)
    pb->memo_count++;
  *slot = (MemoEntry){e, t, f, u, label, pb->generation};
  return label;
}

/* Which criteria are written where they are used: those of few tests
 * (the fewer the more uses they have, each a copy), not too deep in one
 * another (criteria come after those they use). */
static void choose_inlined(ProgramBuilder *pb) {
  const Lowered *in = pb->in;
  int *uses = GC_MALLOC_ATOMIC(((size_t)in->criterion_count + 1) * sizeof *uses);
  memset(uses, 0, ((size_t)in->criterion_count + 1) * sizeof *uses);
  for (int n = 0; n < in->node_count; n++)
    if (in->nodes[n].op == OP_CRITERION)
      uses[in->nodes[n].amount]++;
  for (int k = 0; k < in->criterion_count; k++) {
    pb->depth_seen = 0;
    pb->body[k] = expr_of(pb, in->criteria[k].body, false);
    pb->criterion_depth[k] = pb->depth_seen + 1;
    pb->inline_criterion[k] =
        pb->body[k]->size <= (uses[k] > 1 ? INLINE_ANY_SIZE : INLINE_SIZE) &&
        pb->criterion_depth[k] <= INLINE_DEPTH;
    if (pb->inline_criterion[k])
      pb->written_out[2 * k] = pb->body[k];
  }
}

/* The stages from the last back to the first: in the applicability stage
 * (the AND of its rules) a false rule decides, elsewhere (an OR) a true
 * one; an unknown rule sends the stage's later rules to their second
 * copy, which ends in the stage left unknown. */
static int32_t write_stages(ProgramBuilder *pb) {
  const Lowered *in = pb->in;
  int32_t next_stage = MRSP_END_DECIDED(MRSP_STAGE_OTHERWISE, -1);
  for (int s = MRSP_STAGE_OTHERWISE - 1; s >= 0; s--) {
    int32_t plain = next_stage, unknown = MRSP_END_UNDETERMINED(s);
    for (int r = in->stage_first[s] + in->stage_count[s] - 1; r >= in->stage_first[s]; r--) {
      const Expr *rule = expr_of(pb, in->rules[r].root, false);
      int32_t decided = MRSP_END_DECIDED(s, r), first;
      pb->rule = r;
      memo_clear(pb);
      if (s == MRSP_STAGE_APPLIES) {
        first = write_expr(pb, rule, plain, decided, unknown);
        if (r > in->stage_first[s])
          unknown = write_expr(pb, rule, unknown, decided, unknown);
      } else {
        first = write_expr(pb, rule, decided, plain, unknown);
        if (r > in->stage_first[s])
          unknown = write_expr(pb, rule, decided, unknown, unknown);
      }
      plain = first;
    }
    next_stage = plain;
  }
  pb->rule = -1;
  return next_stage;
}

/* Numbers the tests reachable from the start in the order they are met
 * going forward (the reverse of the order they were written in), the
 * decision's first, then the calls'; the start becomes test 0. */
static void renumber_tests(ProgramBuilder *pb, int32_t start, int32_t main_count,
                           MrspPolicy *out) {
  int count = pb->test_count;
  int32_t *number = GC_MALLOC_ATOMIC(((size_t)count + 1) * sizeof *number);
  int32_t *stack = GC_MALLOC_ATOMIC(((size_t)5 * count + 2) * sizeof *stack);
  int depth = 0;
  for (int i = 0; i < count; i++)
    number[i] = -1;
  stack[depth++] = start;
  while (depth > 0) {
    int32_t i = stack[--depth];
    if (number[i] != -1)
      continue;
    number[i] = 0; /* reached */
    const MrspTest *test = written_test(pb, i);
    for (int v = 0; v < 4; v++)
      if (test->next[v] >= 0 && number[test->next[v]] == -1)
        stack[depth++] = test->next[v];
    if (test->kind == MRSP_TEST_CALL && number[pb->call_entry[test->node]] == -1)
      stack[depth++] = pb->call_entry[test->node];
  }
  int32_t kept = 1;
  number[start] = 0;
  for (int32_t i = main_count - 1; i >= 0; i--)
    if (number[i] == 0 && i != start)
      number[i] = kept++;
  for (int32_t i = count - 1; i >= main_count; i--)
    if (number[i] == 0)
      number[i] = kept++;
  MrspTest *tests = GC_MALLOC_ATOMIC(((size_t)kept + 1) * sizeof *tests);
  for (int32_t i = 0; i < count; i++) {
    if (number[i] < 0)
      continue;
    MrspTest test = *written_test(pb, i);
    for (int v = 0; v < 4; v++)
      if (test.next[v] >= 0)
        test.next[v] = number[test.next[v]];
    if (test.kind == MRSP_TEST_CALL)
      test.base = (uint64_t)number[pb->call_entry[test.node]];
    tests[number[i]] = test;
  }
  out->tests = tests;
  out->test_count = kept;
  GC_FREE(number);
  GC_FREE(stack);
}

void decision_program_build(const Lowered *in, MrspPolicy *out) {
  ProgramBuilder *pb = GC_NEW(ProgramBuilder);
  pb->in = in;
  pb->rule = -1;
  pb->generation = 1;
  pb->inline_criterion = GC_MALLOC_ATOMIC((size_t)in->criterion_count + 1);
  pb->criterion_depth = GC_MALLOC_ATOMIC(((size_t)in->criterion_count + 1) * sizeof(int));
  pb->body = GC_MALLOC(((size_t)in->criterion_count + 1) * sizeof *pb->body);
  pb->written_out = GC_MALLOC(((size_t)in->criterion_count + 1) * 2 * sizeof *pb->written_out);
  pb->call_entry = GC_MALLOC_ATOMIC(((size_t)in->node_count + 1) * sizeof *pb->call_entry);
  pb->queue = GC_MALLOC_ATOMIC(((size_t)in->node_count + 1) * sizeof *pb->queue);
  pb->call_expr = GC_MALLOC(((size_t)in->node_count + 1) * sizeof *pb->call_expr);
  for (int n = 0; n < in->node_count; n++)
    pb->call_entry[n] = -2; /* not called */
  /* a program much larger than the nodes it tests is not worth its room */
  pb->test_limit = 16 * in->node_count + 256;
  choose_inlined(pb);
  for (int k = 0; k < in->criterion_count; k++)
    pb->call_expr[in->criteria[k].body] = pb->body[k];
  int32_t start = write_stages(pb);
  if (start < 0 || pb->test_count == 0) { /* decided before any test */
    MrspTest always;
    memset(&always, 0, sizeof always);
    always.kind = MRSP_TEST_TRUE;
    always.node = -1;
    for (int v = 0; v < 4; v++)
      always.next[v] = start;
    start = add_test(pb, always);
  }
  int32_t main_count = pb->test_count;
  /* the calls, each written once, to return its value */
  for (int q = 0; q < pb->queued && !pb->failed; q++) {
    int node = pb->queue[q];
    memo_clear(pb);
    pb->call_entry[node] =
        write_expr(pb, pb->call_expr[node], MRSP_END_RETURN(MRSP_TRUE),
                   MRSP_END_RETURN(MRSP_FALSE), MRSP_END_RETURN(MRSP_UNKNOWN));
    if (pb->call_entry[node] < 0 && !pb->failed) { /* a constant body */
      MrspTest always;
      memset(&always, 0, sizeof always);
      always.kind = MRSP_TEST_TRUE;
      always.node = node;
      for (int v = 0; v < 4; v++)
        always.next[v] = pb->call_entry[node];
      pb->call_entry[node] = add_test(pb, always);
    }
  }
  if (!pb->failed)
    renumber_tests(pb, start, main_count, out);
  /* the large parts of the builder, given back at once; and nothing left
   * reachable from it, should a stale copy of its address on the stack
   * keep it alive (the collector is conservative) */
  for (int i = 0; i < pb->block_count; i++)
    GC_FREE(pb->blocks[i]);
  GC_FREE(pb->memo);
  memset(pb, 0, sizeof *pb);
}
