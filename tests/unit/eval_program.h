/* eval_program.h - building Lowered programs by hand for the evaluator's tests.
 *
 * A fixed schema (the facts below) and helpers that append nodes, rules and
 * notes, so a test states the policy it needs in a few lines, with no
 * parser or checker involved.  Cases are set fact by fact.
 */
#ifndef MRSPC_TESTS_EVAL_PROGRAM_H
#define MRSPC_TESTS_EVAL_PROGRAM_H

#include <gc.h>
#include <string.h>

#include "case.h"
#include "date.h"
#include "eval.h"
#include "lower.h"

enum { F_A, F_B, F_C, F_N, F_D, F_R, F_E, F_S, F_CODE, FACT_TOTAL };

static const char *const test_members[] = {"red", "green", "blue"};

static inline Lowered *program_new(void) {
  Lowered *p = GC_NEW(Lowered);
  static LowEnum colors = {"color", test_members, 3, 1};
  p->name = "test";
  p->enums = &colors;
  p->enum_count = 1;
  p->facts = GC_MALLOC(FACT_TOTAL * sizeof *p->facts);
  static const struct {
    const char *name;
    LowType type;
  } schema[FACT_TOTAL] = {{"a", LOW_BOOL}, {"b", LOW_BOOL},     {"c", LOW_BOOL},
                          {"n", LOW_INT},  {"d", LOW_DATE},     {"r", LOW_DATE},
                          {"e", LOW_ENUM}, {"s", LOW_SET},      {"code", LOW_CODE}};
  for (int i = 0; i < FACT_TOTAL; i++) {
    LowFact *f = &p->facts[i];
    f->name = schema[i].name;
    f->type = schema[i].type;
    f->enumeration = f->type == LOW_ENUM || f->type == LOW_SET ? 0 : -1;
    f->slot = i;
    f->words = 1;
    f->low = INT64_MIN;
    f->high = INT64_MAX;
  }
  p->facts[F_N].ranged = true;
  p->facts[F_N].low = 0;
  p->facts[F_N].high = 130;
  p->fact_count = FACT_TOTAL;
  p->value_words = FACT_TOTAL;
  p->known_words = 1;
  p->nodes = GC_MALLOC(256 * sizeof *p->nodes);
  p->info = GC_MALLOC(256 * sizeof *p->info);
  p->kids = GC_MALLOC(512 * sizeof *p->kids);
  p->ranges = GC_MALLOC(64 * sizeof *p->ranges);
  p->masks = GC_MALLOC(64 * sizeof *p->masks);
  p->rules = GC_MALLOC(64 * sizeof *p->rules);
  p->notes = GC_MALLOC(16 * sizeof *p->notes);
  return p;
}

static inline int node_add(Lowered *p, LowNode node) {
  if (node.subject >= 0)
    node.slot = p->facts[node.subject].slot;
  p->nodes[p->node_count] = node;
  return p->node_count++;
}

static inline LowNode node_of(LowOp op, int subject) {
  LowNode node;
  memset(&node, 0, sizeof node);
  node.op = op;
  node.subject = subject;
  node.rhs.fact = node.high.fact = -1;
  return node;
}

static inline int leaf_bool(Lowered *p, int fact) {
  return node_add(p, node_of(OP_BOOL, fact));
}

static inline int constant(Lowered *p, bool value) {
  LowNode node = node_of(OP_CONST, -1);
  node.rhs.value = value;
  return node_add(p, node);
}

/* subject <op> constant */
static inline int compare_const(Lowered *p, LowOp op, int fact, int64_t value) {
  LowNode node = node_of(op, fact);
  node.rhs.value = value;
  return node_add(p, node);
}

/* subject <op> other fact */
static inline int compare_fact(Lowered *p, LowOp op, int fact, int other) {
  LowNode node = node_of(op, fact);
  node.rhs.fact = other;
  return node_add(p, node);
}

static inline int within_fact(Lowered *p, bool after, int fact, int amount, TimeUnit unit, int reference) {
  LowNode node = node_of(after ? OP_WITHIN_AFTER : OP_WITHIN_BEFORE, fact);
  node.rhs.fact = reference;
  node.amount = amount;
  node.unit = unit;
  return node_add(p, node);
}

/* op over a mask of members (a -1 terminated list) */
static inline int mask_node(Lowered *p, LowOp op, int fact, const int *members) {
  LowNode node = node_of(op, fact);
  node.first = p->mask_count;
  node.count = 1;
  p->masks[p->mask_count] = 0;
  for (int i = 0; members[i] >= 0; i++)
    p->masks[p->mask_count] |= (uint64_t)1 << members[i];
  p->mask_count++;
  return node_add(p, node);
}

static inline int ranges_node(Lowered *p, int fact, const int64_t *pairs, int count) {
  LowNode node = node_of(OP_IN_RANGES, fact);
  node.first = p->range_count;
  node.count = count;
  memcpy(p->ranges + 2 * p->range_count, pairs, 2 * (size_t)count * sizeof *pairs);
  p->range_count += count;
  return node_add(p, node);
}

static inline int group(Lowered *p, LowOp op, int amount, const int *items, int count) {
  LowNode node = node_of(op, -1);
  node.first = p->kid_count;
  node.count = count;
  node.amount = amount;
  memcpy(p->kids + p->kid_count, items, (size_t)count * sizeof *items);
  p->kid_count += count;
  return node_add(p, node);
}

static inline int all2(Lowered *p, int x, int y) {
  int items[] = {x, y};
  return group(p, OP_ALL, 0, items, 2);
}

static inline int any2(Lowered *p, int x, int y) {
  int items[] = {x, y};
  return group(p, OP_ANY, 0, items, 2);
}

static inline int not1(Lowered *p, int x) {
  return group(p, OP_NOT, 0, &x, 1);
}

/* Rules must be added stage by stage, in precedence order. */
static inline void rule_add(Lowered *p, LowStage stage, int root, const char *name) {
  if (p->stage_count[stage] == 0)
    p->stage_first[stage] = p->rule_count;
  p->rules[p->rule_count] = (LowRule){stage, root, name, NULL, NULL, NULL};
  p->rule_count++;
  p->stage_count[stage]++;
}

/* After the last rule: stages without rules start where the rules end. */
static inline void rules_done(Lowered *p) {
  for (int s = 0; s < STAGE_COUNT; s++)
    if (p->stage_count[s] == 0)
      p->stage_first[s] = p->rule_count;
}

static inline void note_add(Lowered *p, const char *name, int root) {
  p->notes[p->note_count++] = (LowNote){name, "note text", root, NULL};
}

static inline void set_fact(const Lowered *p, Case *c, int fact, int64_t value) {
  c->values[p->facts[fact].slot] = (uint64_t)value;
  c->known[fact >> 6] |= (uint64_t)1 << (fact & 63);
}

/* Truth t given to bool fact: TRUTH_UNKNOWN leaves it unknown. */
static inline void set_truth(const Lowered *p, Case *c, int fact, Truth t) {
  if (t != TRUTH_UNKNOWN)
    set_fact(p, c, fact, t == TRUTH_TRUE);
}

static inline int64_t day_of(int year, int month, int day) {
  return date_from_civil(year, month, day);
}

#endif
