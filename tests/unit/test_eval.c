/* test_eval.c - three-valued logic, conditions, date windows, decisions.
 *
 * Programs are built by hand (eval_program.h), so each test states exactly
 * the policy shape it exercises.  Every result is checked through both
 * evaluations (every node, and the batch's stage by stage), which must
 * agree on everything a user sees.
 */
#include <gc.h>

#include "eval_program.h"
#include "unit.h"

static const Truth truths[3] = {TRUTH_FALSE, TRUTH_UNKNOWN, TRUTH_TRUE};

/* The value of node `root` for a case, through a rule so that both
 * evaluations compute it. */
static Truth value_of(Lowered *p, int root, const Case *c) {
  Evaluator *e = eval_new(p);
  Truth all = eval_run_all(e, c)->values[root];
  return all;
}

static Case *fresh(const Lowered *p) {
  return case_new(p);
}

/* ---- Kleene truth tables -------------------------------------------------- */

static void all_any_not_follow_kleene(void) {
  /* expected[x][y] with x, y in F, U, T */
  static const Truth all[3][3] = {{TRUTH_FALSE, TRUTH_FALSE, TRUTH_FALSE},
                                  {TRUTH_FALSE, TRUTH_UNKNOWN, TRUTH_UNKNOWN},
                                  {TRUTH_FALSE, TRUTH_UNKNOWN, TRUTH_TRUE}};
  static const Truth any[3][3] = {{TRUTH_FALSE, TRUTH_UNKNOWN, TRUTH_TRUE},
                                  {TRUTH_UNKNOWN, TRUTH_UNKNOWN, TRUTH_TRUE},
                                  {TRUTH_TRUE, TRUTH_TRUE, TRUTH_TRUE}};
  static const Truth negation[3] = {TRUTH_TRUE, TRUTH_UNKNOWN, TRUTH_FALSE};
  Lowered *p = program_new();
  int a = leaf_bool(p, F_A), b = leaf_bool(p, F_B);
  int both = all2(p, a, b), either = any2(p, a, b), not_a = not1(p, a);
  rules_done(p);
  for (int x = 0; x < 3; x++) {
    for (int y = 0; y < 3; y++) {
      Case *c = fresh(p);
      set_truth(p, c, F_A, truths[x]);
      set_truth(p, c, F_B, truths[y]);
      CHECK_INT(value_of(p, both, c), all[x][y]);
      CHECK_INT(value_of(p, either, c), any[x][y]);
      CHECK_INT(value_of(p, not_a, c), negation[x]);
    }
  }
}

static Truth at_least_expected(int n, const Truth *items, int count) {
  int t = 0, u = 0;
  for (int i = 0; i < count; i++)
    t += items[i] == TRUTH_TRUE, u += items[i] == TRUTH_UNKNOWN;
  return t >= n ? TRUTH_TRUE : t + u >= n ? TRUTH_UNKNOWN : TRUTH_FALSE;
}

static void at_least_counts_true_and_possible(void) {
  Lowered *p = program_new();
  int items[3] = {leaf_bool(p, F_A), leaf_bool(p, F_B), leaf_bool(p, F_C)};
  int two = group(p, OP_AT_LEAST, 2, items, 3);
  rule_add(p, STAGE_REQUIRE, two, "two");
  rules_done(p);
  for (int x = 0; x < 27; x++) {
    Truth given[3] = {truths[x % 3], truths[x / 3 % 3], truths[x / 9]};
    Case *c = fresh(p);
    for (int i = 0; i < 3; i++)
      set_truth(p, c, F_A + i, given[i]);
    Truth expected = at_least_expected(2, given, 3);
    CHECK_INT(value_of(p, two, c), expected);
    Evaluator *lazy = eval_new(p);
    const EvalResult *r = eval_run(lazy, c);
    CHECK_INT(r->decision, expected == TRUTH_TRUE      ? DECISION_MEDICALLY_NECESSARY
                           : expected == TRUTH_FALSE ? DECISION_NOT_MEDICALLY_NECESSARY
                                                     : DECISION_UNDETERMINED);
  }
}

/* ---- conditions ----------------------------------------------------------- */

static void comparisons_with_an_unknown_operand_are_unknown(void) {
  Lowered *p = program_new();
  int at_least_18 = compare_const(p, OP_GREATER_EQUAL, F_N, 18);
  int less_than_18 = compare_const(p, OP_LESS, F_N, 18);
  int is_green = compare_const(p, OP_EQUAL, F_E, 1);
  int d_before_r = compare_fact(p, OP_LESS, F_D, F_R);
  int yes = constant(p, true), no = constant(p, false);
  int64_t ages[] = {0, 17, 65, 130};
  int in_ages = ranges_node(p, F_N, ages, 2);
  rules_done(p);
  Case *c = fresh(p);
  CHECK_INT(value_of(p, yes, c), TRUTH_TRUE);
  CHECK_INT(value_of(p, no, c), TRUTH_FALSE);
  CHECK_INT(value_of(p, at_least_18, c), TRUTH_UNKNOWN);
  CHECK_INT(value_of(p, is_green, c), TRUTH_UNKNOWN);
  CHECK_INT(value_of(p, in_ages, c), TRUTH_UNKNOWN);
  set_fact(p, c, F_N, 18);
  CHECK_INT(value_of(p, at_least_18, c), TRUTH_TRUE);
  CHECK_INT(value_of(p, less_than_18, c), TRUTH_FALSE);
  CHECK_INT(value_of(p, in_ages, c), TRUTH_FALSE);
  set_fact(p, c, F_N, 17);
  CHECK_INT(value_of(p, in_ages, c), TRUTH_TRUE);
  set_fact(p, c, F_E, 2);
  CHECK_INT(value_of(p, is_green, c), TRUTH_FALSE);
  set_fact(p, c, F_D, day_of(2026, 1, 1));
  CHECK_INT(value_of(p, d_before_r, c), TRUTH_UNKNOWN); /* r unknown */
  set_fact(p, c, F_R, day_of(2026, 1, 2));
  CHECK_INT(value_of(p, d_before_r, c), TRUTH_TRUE);
}

static void sets_have_any_and_all(void) {
  Lowered *p = program_new();
  int red_blue[] = {0, 2, -1}, green[] = {1, -1};
  int has_any = mask_node(p, OP_HAS_ANY, F_S, red_blue);
  int has_all = mask_node(p, OP_HAS_ALL, F_S, red_blue);
  int has_green = mask_node(p, OP_HAS_ANY, F_S, green);
  int in_red_blue = mask_node(p, OP_IN_MASK, F_E, red_blue);
  rules_done(p);
  Case *c = fresh(p);
  CHECK_INT(value_of(p, has_any, c), TRUTH_UNKNOWN);
  set_fact(p, c, F_S, 1 << 2); /* {blue} */
  CHECK_INT(value_of(p, has_any, c), TRUTH_TRUE);
  CHECK_INT(value_of(p, has_all, c), TRUTH_FALSE);
  CHECK_INT(value_of(p, has_green, c), TRUTH_FALSE);
  set_fact(p, c, F_S, 0); /* {} */
  CHECK_INT(value_of(p, has_any, c), TRUTH_FALSE);
  set_fact(p, c, F_S, 7);
  CHECK_INT(value_of(p, has_all, c), TRUTH_TRUE);
  set_fact(p, c, F_E, 1);
  CHECK_INT(value_of(p, in_red_blue, c), TRUTH_FALSE);
  set_fact(p, c, F_E, 2);
  CHECK_INT(value_of(p, in_red_blue, c), TRUTH_TRUE);
}

/* ---- date windows: calendar months, clamped to the month's end ----------- */

static Truth window(int after, int amount, TimeUnit unit, int64_t d, int64_t r) {
  Lowered *p = program_new();
  int node = within_fact(p, after, F_D, amount, unit, F_R);
  rules_done(p);
  Case *c = fresh(p);
  set_fact(p, c, F_D, d);
  set_fact(p, c, F_R, r);
  return value_of(p, node, c);
}

static void month_windows_clamp_to_the_end_of_the_month(void) {
  /* 31 March 2024 minus one month is 29 February (a leap year) */
  CHECK_INT(window(0, 1, UNIT_MONTHS, day_of(2024, 2, 29), day_of(2024, 3, 31)), TRUTH_TRUE);
  CHECK_INT(window(0, 1, UNIT_MONTHS, day_of(2024, 2, 28), day_of(2024, 3, 31)), TRUTH_FALSE);
  /* ... and 28 February in 2023 */
  CHECK_INT(window(0, 1, UNIT_MONTHS, day_of(2023, 2, 28), day_of(2023, 3, 31)), TRUTH_TRUE);
  CHECK_INT(window(0, 1, UNIT_MONTHS, day_of(2023, 2, 27), day_of(2023, 3, 31)), TRUTH_FALSE);
  /* the window includes both ends, and nothing after the reference */
  CHECK_INT(window(0, 3, UNIT_MONTHS, day_of(2025, 11, 10), day_of(2026, 2, 10)), TRUTH_TRUE);
  CHECK_INT(window(0, 3, UNIT_MONTHS, day_of(2025, 11, 9), day_of(2026, 2, 10)), TRUTH_FALSE);
  CHECK_INT(window(0, 3, UNIT_MONTHS, day_of(2026, 2, 10), day_of(2026, 2, 10)), TRUTH_TRUE);
  CHECK_INT(window(0, 3, UNIT_MONTHS, day_of(2026, 2, 11), day_of(2026, 2, 10)), TRUTH_FALSE);
  /* 31 May minus three months is 29 February 2024 */
  CHECK_INT(window(0, 3, UNIT_MONTHS, day_of(2024, 2, 29), day_of(2024, 5, 31)), TRUTH_TRUE);
  CHECK_INT(window(0, 3, UNIT_MONTHS, day_of(2024, 2, 28), day_of(2024, 5, 31)), TRUTH_FALSE);
  /* after: 31 January 2024 plus one month is 29 February */
  CHECK_INT(window(1, 1, UNIT_MONTHS, day_of(2024, 2, 29), day_of(2024, 1, 31)), TRUTH_TRUE);
  CHECK_INT(window(1, 1, UNIT_MONTHS, day_of(2024, 3, 1), day_of(2024, 1, 31)), TRUTH_FALSE);
  CHECK_INT(window(1, 1, UNIT_MONTHS, day_of(2024, 1, 30), day_of(2024, 1, 31)), TRUTH_FALSE);
  /* years: 29 February 2024 minus one year is 28 February 2023 */
  CHECK_INT(window(0, 1, UNIT_YEARS, day_of(2023, 2, 28), day_of(2024, 2, 29)), TRUTH_TRUE);
  CHECK_INT(window(0, 1, UNIT_YEARS, day_of(2023, 2, 27), day_of(2024, 2, 29)), TRUTH_FALSE);
  /* weeks and days are exact */
  CHECK_INT(window(0, 6, UNIT_WEEKS, day_of(2026, 1, 1), day_of(2026, 2, 12)), TRUTH_TRUE);
  CHECK_INT(window(0, 6, UNIT_WEEKS, day_of(2025, 12, 31), day_of(2026, 2, 12)), TRUTH_FALSE);
  CHECK_INT(window(1, 10, UNIT_DAYS, day_of(2026, 3, 10), day_of(2026, 2, 28)), TRUTH_TRUE);
  CHECK_INT(window(1, 10, UNIT_DAYS, day_of(2026, 3, 11), day_of(2026, 2, 28)), TRUTH_FALSE);
}

/* The evaluator settles most windows by day counts; every date of 1990 to
 * 2060, against a window of 1 to 36 months or years, must agree with the
 * calendar. */
static void day_count_shortcut_agrees_with_the_calendar(void) {
  Lowered *p = program_new();
  int nodes[4];
  int amounts[4] = {1, 3, 13, 36};
  for (int i = 0; i < 4; i++)
    nodes[i] = within_fact(p, 0, F_D, amounts[i], i < 2 ? UNIT_MONTHS : UNIT_YEARS, F_R);
  rules_done(p);
  Evaluator *e = eval_new(p);
  Case *c = fresh(p);
  int wrong = 0;
  for (int32_t r = date_from_civil(1990, 1, 1); r < date_from_civil(2060, 1, 1); r += 7) {
    for (int i = 0; i < 4; i++) {
      TimeUnit unit = i < 2 ? UNIT_MONTHS : UNIT_YEARS;
      int32_t bound = date_add(r, -amounts[i], unit);
      for (int32_t d = bound - 2; d <= bound + 2; d++) {
        set_fact(p, c, F_D, d);
        set_fact(p, c, F_R, r);
        Truth v = eval_run_all(e, c)->values[nodes[i]];
        wrong += v != (d >= bound ? TRUTH_TRUE : TRUTH_FALSE);
      }
    }
  }
  CHECK_INT(wrong, 0);
}

/* ---- decisions ------------------------------------------------------------ */

/* applicability: a; refer: b; exclude: any < c; all < n >= 18; d before r > >;
 * require: e is green.  Note "always" and note "when a". */
static Lowered *staged_program(void) {
  Lowered *p = program_new();
  note_add(p, "always", -1);
  int note_a = leaf_bool(p, F_A);
  note_add(p, "when_a", note_a);
  int applies = leaf_bool(p, F_A);
  rule_add(p, STAGE_APPLIES, applies, "governed");
  rule_add(p, STAGE_REFER, leaf_bool(p, F_B), "fep");
  int adult = compare_const(p, OP_GREATER_EQUAL, F_N, 18);
  int early = compare_fact(p, OP_LESS, F_D, F_R);
  int exclude = any2(p, leaf_bool(p, F_C), all2(p, adult, early));
  rule_add(p, STAGE_EXCLUDE, exclude, "excluded");
  rule_add(p, STAGE_REQUIRE, compare_const(p, OP_EQUAL, F_E, 1), "green");
  rules_done(p);
  return p;
}

typedef struct Expected {
  Decision decision;
  int rule;              /* -1: none */
  const char *missing;   /* fact names, comma-separated */
  unsigned possible;
  const char *notes;
} Expected;

static const char *joined(const Lowered *p, const int *items, int count, bool notes) {
  static char buffer[256];
  buffer[0] = '\0';
  for (int i = 0; i < count; i++) {
    if (i)
      strcat(buffer, ",");
    strcat(buffer, notes ? p->notes[items[i]].name : p->facts[items[i]].name);
  }
  return buffer;
}

static void check_result(const Lowered *p, const EvalResult *r, Expected x) {
  CHECK_INT(r->decision, x.decision);
  CHECK_INT(r->rule, x.rule);
  CHECK_STR(joined(p, r->missing, r->missing_count, false), x.missing);
  CHECK_INT(r->possible, x.possible);
  CHECK_STR(joined(p, r->notes, r->note_count, true), x.notes);
}

static void decide_both_ways(Lowered *p, const Case *c, Expected x) {
  check_result(p, eval_run_all(eval_new(p), c), x);
  check_result(p, eval_run(eval_new(p), c), x);
}

#define BIT(d) (1u << (d))

static void the_first_stage_that_fires_decides(void) {
  Lowered *p = staged_program();
  Case *c = fresh(p);
  set_fact(p, c, F_A, 0);
  set_fact(p, c, F_B, 1); /* refer is true, but the policy does not govern */
  decide_both_ways(p, c, (Expected){DECISION_NOT_APPLICABLE, 0, "", 0, "always"});
  set_fact(p, c, F_A, 1);
  decide_both_ways(p, c, (Expected){DECISION_REFER, 1, "", 0, "always,when_a"});
  set_fact(p, c, F_B, 0);
  set_fact(p, c, F_C, 1);
  decide_both_ways(p, c, (Expected){DECISION_NOT_MEDICALLY_NECESSARY, 2, "", 0, "always,when_a"});
  set_fact(p, c, F_C, 0);
  set_fact(p, c, F_N, 10);
  set_fact(p, c, F_E, 1);
  decide_both_ways(p, c, (Expected){DECISION_MEDICALLY_NECESSARY, 3, "", 0, "always,when_a"});
  set_fact(p, c, F_E, 0);
  decide_both_ways(p, c,
                   (Expected){DECISION_NOT_MEDICALLY_NECESSARY, -1, "", 0, "always,when_a"});
}

static void an_unknown_stage_before_a_true_one_is_undetermined(void) {
  Lowered *p = staged_program();
  Case *c = fresh(p);
  /* nothing known: applicability is unknown */
  decide_both_ways(p, c,
                   (Expected){DECISION_UNDETERMINED, -1, "a",
                              BIT(DECISION_NOT_APPLICABLE) | BIT(DECISION_REFER) |
                                  BIT(DECISION_NOT_MEDICALLY_NECESSARY) |
                                  BIT(DECISION_MEDICALLY_NECESSARY),
                              "always"});
  set_fact(p, c, F_A, 1);
  set_fact(p, c, F_B, 0);
  set_fact(p, c, F_E, 1); /* require is true, but exclude is unknown first */
  decide_both_ways(p, c,
                   (Expected){DECISION_UNDETERMINED, -1, "c,n,d,r",
                              BIT(DECISION_NOT_MEDICALLY_NECESSARY) |
                                  BIT(DECISION_MEDICALLY_NECESSARY),
                              "always,when_a"});
}

/* Only facts that could change the unresolved stage are missing: those
 * under a node already false (or true) cannot. */
static void missing_lists_only_facts_that_matter(void) {
  Lowered *p = staged_program();
  Case *c = fresh(p);
  set_fact(p, c, F_A, 1);
  set_fact(p, c, F_B, 0);
  set_fact(p, c, F_N, 10); /* not an adult: the all < ... > is false */
  decide_both_ways(p, c,
                   (Expected){DECISION_UNDETERMINED, -1, "c",
                              BIT(DECISION_NOT_MEDICALLY_NECESSARY) |
                                  BIT(DECISION_MEDICALLY_NECESSARY),
                              "always,when_a"});
  set_fact(p, c, F_N, 40);
  set_fact(p, c, F_R, day_of(2026, 2, 10)); /* d is unknown, r is not */
  set_fact(p, c, F_E, 0);                   /* require false: only NMN is possible */
  decide_both_ways(p, c,
                   (Expected){DECISION_UNDETERMINED, -1, "c,d",
                              BIT(DECISION_NOT_MEDICALLY_NECESSARY), "always,when_a"});
}

/* Random cases through both evaluations: the same answers. */
static void both_evaluations_agree(void) {
  Lowered *p = staged_program();
  Evaluator *all = eval_new(p), *lazy = eval_new(p);
  uint64_t seed = 42;
  int differ = 0;
  for (int i = 0; i < 20000; i++) {
    Case *c = fresh(p);
    for (int f = 0; f < FACT_TOTAL; f++) {
      seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
      if (seed % 3 == 0)
        continue;
      int64_t v = f <= F_C ? (int64_t)(seed >> 8 & 1)
                  : f == F_N ? (int64_t)(seed >> 8 & 31)
                  : f == F_E ? (int64_t)(seed >> 8 & 1)
                  : f == F_D || f == F_R ? day_of(2026, 1, 1) + (int64_t)(seed >> 8 & 3)
                             : 0;
      set_fact(p, c, f, v);
    }
    const EvalResult *x = eval_run_all(all, c);
    const EvalResult *y = eval_run(lazy, c);
    differ += x->decision != y->decision || x->rule != y->rule || x->stage != y->stage ||
              x->possible != y->possible || x->missing_count != y->missing_count ||
              x->note_count != y->note_count ||
              memcmp(x->missing, y->missing, (size_t)x->missing_count * sizeof(int)) != 0;
  }
  CHECK_INT(differ, 0);
}

int main(void) {
  GC_INIT();
  UNIT_RUN(all_any_not_follow_kleene);
  UNIT_RUN(at_least_counts_true_and_possible);
  UNIT_RUN(comparisons_with_an_unknown_operand_are_unknown);
  UNIT_RUN(sets_have_any_and_all);
  UNIT_RUN(month_windows_clamp_to_the_end_of_the_month);
  UNIT_RUN(day_count_shortcut_agrees_with_the_calendar);
  UNIT_RUN(the_first_stage_that_fires_decides);
  UNIT_RUN(an_unknown_stage_before_a_true_one_is_undetermined);
  UNIT_RUN(missing_lists_only_facts_that_matter);
  UNIT_RUN(both_evaluations_agree);
  return unit_finish();
}
