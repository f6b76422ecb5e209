/* test_tables.c - every emitted table holds what mrspc itself evaluates.
 *
 * Linked with the tables `mrspc emit-c` wrote for each policy of policies/
 * and for hostile.mrsp (emitted.inc names them, one POLICY(stem, table,
 * "path") line each) and with mrspc's own code.  Each emitted table is
 * compared, field by field and string by string, with the tables
 * lower_table builds in memory from the same file (the ones `mrspc eval`
 * runs), so every byte of every string came through the C compiler intact;
 * then, on random cases, the emitted table under mrsp_evaluate and the
 * interpreter under eval_run_all give every node the same value, and
 * mrsp_decide_only (with the decision program, and without it, by the
 * plan) gives mrsp_decide's decision, stage and rule.  Also:
 * the runtime's calendar and code checks agree with mrspc's (date.c and
 * check.c), which read case files and policies.
 */
#include <gc.h>
#include <stdlib.h>

#include "../unit/unit.h"
#include "case.h"
#include "check.h"
#include "cli.h"
#include "date.h"
#include "eval.h"
#include "lower.h"
#include "mrsp_runtime.h"
#include "table.h"

#define POLICY(stem, table, path) extern const MrspPolicy table;
#include "emitted.inc"
#undef POLICY

typedef struct Emitted {
  const char *stem;
  const MrspPolicy *table;
  const char *path;
} Emitted;

static const Emitted emitted[] = {
#define POLICY(stem, table, path) {#stem, &table, path},
#include "emitted.inc"
#undef POLICY
};
enum { EMITTED = sizeof emitted / sizeof emitted[0] };

/* ---- comparing tables ---------------------------------------------------- */

static void same_string(const char *what, int index, const char *emitted_text,
                        const char *built) {
  if ((emitted_text == NULL) == (built == NULL) && (!built || strcmp(emitted_text, built) == 0))
    return;
  fprintf(stderr, "%s %d: emitted \"%s\", built \"%s\"\n", what, index,
          emitted_text ? emitted_text : "(null)", built ? built : "(null)");
  unit_checks_failed_in_test++;
}

static void same_bytes(const char *what, const void *a, const void *b, size_t bytes) {
  if (bytes == 0 || memcmp(a, b, bytes) == 0)
    return;
  fprintf(stderr, "%s differ\n", what);
  unit_checks_failed_in_test++;
}

static void same_source(const MrspSource *a, const MrspSource *b) {
  CHECK_INT(a->file, b->file);
  CHECK_INT(a->line, b->line);
  CHECK_INT(a->cite_first, b->cite_first);
  CHECK_INT(a->cite_count, b->cite_count);
}

static void same_documents(const MrspPolicy *e, const MrspPolicy *b) {
  same_string("name", 0, e->name, b->name);
  same_string("title", 0, e->title, b->title);
  same_string("payer", 0, e->payer, b->payer);
  same_string("vendor", 0, e->vendor, b->vendor);
  CHECK_INT(e->meta_count, b->meta_count);
  for (int i = 0; i < e->meta_count && i < b->meta_count; i++) {
    same_string("meta key", i, e->meta[i].key, b->meta[i].key);
    same_string("meta value", i, e->meta[i].value, b->meta[i].value);
    same_source(&e->meta[i].source, &b->meta[i].source);
  }
  CHECK_INT(e->file_count, b->file_count);
  for (int i = 0; i < e->file_count && i < b->file_count; i++)
    same_string("file", i, e->files[i], b->files[i]);
  CHECK_INT(e->reference_count, b->reference_count);
  for (int i = 0; i < e->reference_count && i < b->reference_count; i++) {
    CHECK_INT(e->references[i].file, b->references[i].file);
    CHECK_INT(e->references[i].number, b->references[i].number);
    same_string("reference", i, e->references[i].text, b->references[i].text);
  }
  CHECK_INT(e->cite_count, b->cite_count);
  if (e->cite_count == b->cite_count)
    same_bytes("cites", e->cites, b->cites, (size_t)e->cite_count * sizeof *e->cites);
}

static void same_schema(const MrspPolicy *e, const MrspPolicy *b) {
  CHECK_INT(e->enum_count, b->enum_count);
  for (int i = 0; i < e->enum_count && i < b->enum_count; i++) {
    const MrspEnum *x = &e->enums[i], *y = &b->enums[i];
    same_string("enum", i, x->name, y->name);
    same_string("enum doc", i, x->doc, y->doc);
    CHECK_INT(x->member_count, y->member_count);
    CHECK_INT(x->words, y->words);
    for (int m = 0; m < x->member_count && m < y->member_count; m++) {
      same_string("member", m, x->members[m], y->members[m]);
      same_string("member doc", m, x->member_docs[m], y->member_docs[m]);
    }
  }
  CHECK_INT(e->fact_count, b->fact_count);
  for (int i = 0; i < e->fact_count && i < b->fact_count; i++) {
    const MrspFact *x = &e->facts[i], *y = &b->facts[i];
    same_string("fact", i, x->name, y->name);
    same_string("fact doc", i, x->doc, y->doc);
    CHECK(x->type == y->type && x->enumeration == y->enumeration && x->slot == y->slot &&
          x->words == y->words && x->ranged == y->ranged && x->low == y->low &&
          x->high == y->high);
  }
  CHECK_INT(e->value_words, b->value_words);
  CHECK_INT(e->known_words, b->known_words);
}

static void same_nodes(const MrspPolicy *e, const MrspPolicy *b) {
  CHECK_INT(e->node_count, b->node_count);
  for (int n = 0; n < e->node_count && n < b->node_count; n++) {
    const MrspNode *x = &e->nodes[n], *y = &b->nodes[n];
    CHECK(x->op == y->op && x->unit == y->unit && x->subject == y->subject &&
          x->slot == y->slot && x->first == y->first && x->count == y->count &&
          x->amount == y->amount && x->rhs_fact == y->rhs_fact &&
          x->rhs_slot == y->rhs_slot && x->high_fact == y->high_fact &&
          x->high_slot == y->high_slot && x->rhs == y->rhs && x->high == y->high);
    same_string("label", n, e->node_info[n].label, b->node_info[n].label);
    same_string("node doc", n, e->node_info[n].doc, b->node_info[n].doc);
    same_source(&e->node_info[n].source, &b->node_info[n].source);
  }
  CHECK_INT(e->kid_count, b->kid_count);
  CHECK_INT(e->range_count, b->range_count);
  CHECK_INT(e->mask_count, b->mask_count);
  if (e->kid_count == b->kid_count)
    same_bytes("kids", e->kids, b->kids, (size_t)e->kid_count * sizeof *e->kids);
  if (e->range_count == b->range_count)
    same_bytes("ranges", e->ranges, b->ranges, 2 * (size_t)e->range_count * sizeof *e->ranges);
  if (e->mask_count == b->mask_count)
    same_bytes("masks", e->masks, b->masks, (size_t)e->mask_count * sizeof *e->masks);
}

static void same_plan(const MrspPolicy *e, const MrspPolicy *b) {
  CHECK_INT(e->step_count, b->step_count);
  CHECK_INT(e->run_count, b->run_count);
  if (e->step_count == b->step_count)
    same_bytes("steps", e->steps, b->steps, (size_t)e->step_count * sizeof *e->steps);
  if (e->run_count == b->run_count)
    same_bytes("runs", e->runs, b->runs, (size_t)e->run_count * sizeof *e->runs);
  same_bytes("parts", e->part_first, b->part_first, sizeof e->part_first);
}

static void same_program(const MrspPolicy *e, const MrspPolicy *b) {
  CHECK_INT(e->test_count, b->test_count);
  if (e->test_count == b->test_count)
    same_bytes("tests", e->tests, b->tests, (size_t)e->test_count * sizeof *e->tests);
}

static void same_decisions(const MrspPolicy *e, const MrspPolicy *b) {
  CHECK_INT(e->criterion_count, b->criterion_count);
  for (int k = 0; k < e->criterion_count && k < b->criterion_count; k++) {
    same_string("criterion", k, e->criteria[k].name, b->criteria[k].name);
    same_string("criterion doc", k, e->criteria[k].doc, b->criteria[k].doc);
    CHECK_INT(e->criteria[k].body, b->criteria[k].body);
    same_source(&e->criteria[k].source, &b->criteria[k].source);
  }
  CHECK_INT(e->rule_count, b->rule_count);
  for (int r = 0; r < e->rule_count && r < b->rule_count; r++) {
    CHECK_INT(e->rules[r].stage, b->rules[r].stage);
    CHECK_INT(e->rules[r].root, b->rules[r].root);
    same_string("rule", r, e->rules[r].name, b->rules[r].name);
    same_string("rule target", r, e->rules[r].target, b->rules[r].target);
    same_string("rule doc", r, e->rules[r].doc, b->rules[r].doc);
    same_source(&e->rules[r].source, &b->rules[r].source);
  }
  same_bytes("stages", e->stage_first, b->stage_first, sizeof e->stage_first);
  same_bytes("stage counts", e->stage_count, b->stage_count, sizeof e->stage_count);
  CHECK_INT(e->note_count, b->note_count);
  for (int i = 0; i < e->note_count && i < b->note_count; i++) {
    same_string("note", i, e->notes[i].name, b->notes[i].name);
    same_string("note text", i, e->notes[i].text, b->notes[i].text);
    CHECK_INT(e->notes[i].root, b->notes[i].root);
    same_source(&e->notes[i].source, &b->notes[i].source);
  }
}

static const MrspPolicy *built_table(const Emitted *policy, const Lowered **lowered) {
  CommonOptions options = {0};
  int status;
  Program *program = cli_load_policy(policy->path, &options, &status);
  if (!program)
    return NULL;
  *lowered = lower_program(program);
  return lower_table(*lowered, true);
}

static void emitted_tables_equal_the_built_ones(void) {
  for (int i = 0; i < EMITTED; i++) {
    const Lowered *lowered;
    const MrspPolicy *b = built_table(&emitted[i], &lowered);
    CHECK(b != NULL);
    if (!b)
      continue;
    const MrspPolicy *e = emitted[i].table;
    CHECK_INT(e->format, MRSP_TABLE_FORMAT);
    same_documents(e, b);
    same_schema(e, b);
    same_nodes(e, b);
    same_plan(e, b);
    same_program(e, b);
    same_decisions(e, b);
  }
}

/* ---- evaluating ------------------------------------------------------------- */

static uint64_t seed = 0x2545F4914F6CDD1Du;

static int below(int n) {
  seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
  return (int)(seed % (uint64_t)n);
}

static void random_case(const MrspPolicy *p, MrspCase *request) {
  static const char *const codes[] = {"76390", "0609T", "0611T", "G0123", "70553", "0698T"};
  mrsp_case_clear(p, request);
  for (int f = 0; f < p->fact_count; f++) {
    const MrspFact *fact = &p->facts[f];
    int members = fact->enumeration >= 0 ? p->enums[fact->enumeration].member_count : 0;
    if (below(6) == 0)
      continue;
    switch (fact->type) {
    case MRSP_TYPE_BOOL:
      mrsp_case_set_bool(p, request, f, below(2));
      break;
    case MRSP_TYPE_INT: /* a range's ends and middle, a step either side */
      mrsp_case_set_int(p, request, f,
                        fact->ranged ? fact->low + below(3) * (fact->high - fact->low) / 2 +
                                           below(3) - 1
                                     : below(3000));
      break;
    case MRSP_TYPE_DATE:
      mrsp_case_set_date(p, request, f, 2025 + below(2), 1 + below(12), 1 + below(31));
      break;
    case MRSP_TYPE_CODE:
      mrsp_case_set_code(p, request, f, codes[below(6)]);
      break;
    case MRSP_TYPE_ENUM:
      if (members)
        mrsp_case_set_member(p, request, f, below(members));
      break;
    default:
      mrsp_case_set_empty(p, request, f);
      for (int m = 0; m < members; m++)
        if (below(6) == 0)
          mrsp_case_set_member(p, request, f, m);
      break;
    }
  }
}

static bool same_result(const MrspResult *r, const EvalResult *x, int node_count) {
  return (int)r->decision == (int)x->decision && (int)r->stage == (int)x->stage &&
         r->rule == x->rule && r->possible == x->possible &&
         r->missing_count == x->missing_count && r->note_count == x->note_count &&
         memcmp(r->missing, x->missing, (size_t)r->missing_count * sizeof *r->missing) == 0 &&
         memcmp(r->notes, x->notes, (size_t)r->note_count * sizeof *r->notes) == 0 &&
         memcmp(r->values, x->values, (size_t)node_count) == 0;
}

/* Every node's value, and the decision, from the emitted table and from
 * the interpreter, on the same words. */
static void emitted_tables_evaluate_as_the_interpreter(void) {
  for (int i = 0; i < EMITTED; i++) {
    const Lowered *lowered;
    if (!built_table(&emitted[i], &lowered))
      continue;
    const MrspPolicy *p = emitted[i].table;
    size_t size = mrsp_work_size(p);
    MrspWork *work = mrsp_work_init(p, GC_MALLOC_ATOMIC(size), size);
    Evaluator *evaluator = eval_new(lowered);
    Case *facts = case_new(lowered);
    MrspCase request = {facts->known, facts->values};
    int differ = 0;
    for (int n = 0; n < 3000; n++) {
      random_case(p, &request);
      const MrspResult *r = mrsp_evaluate(work, &request);
      differ += !same_result(r, eval_run_all(evaluator, facts), p->node_count);
    }
    if (differ)
      fprintf(stderr, "%s: %d cases differ\n", emitted[i].stem, differ);
    CHECK_INT(differ, 0);
  }
}

/* The decision alone, on random cases: mrsp_decide's decision, stage and
 * rule, by the program and, for a copy of the table without one, by the
 * plan's parts. */
static void decide_only_decides_as_decide(void) {
  for (int i = 0; i < EMITTED; i++) {
    const MrspPolicy *p = emitted[i].table;
    MrspPolicy without = *p;
    without.tests = NULL;
    without.test_count = 0;
    /* every policy has a program but the one made to have none */
    CHECK((p->test_count == 0) == (strcmp(emitted[i].stem, "no_program") == 0));
    size_t size = mrsp_work_size(p);
    MrspWork *full = mrsp_work_init(p, GC_MALLOC_ATOMIC(size), size);
    MrspWork *alone = mrsp_work_init(p, GC_MALLOC_ATOMIC(size), size);
    MrspWork *by_parts = mrsp_work_init(&without, GC_MALLOC_ATOMIC(size), size);
    uint64_t *known = GC_MALLOC_ATOMIC(((size_t)p->known_words + 1) * sizeof *known);
    uint64_t *values = GC_MALLOC_ATOMIC(((size_t)p->value_words + 1) * sizeof *values);
    MrspCase request = {known, values};
    int differ = 0;
    for (int n = 0; n < 3000; n++) {
      random_case(p, &request);
      const MrspResult *r = mrsp_decide(full, &request);
      for (int way = 0; way < 2; way++) {
        const MrspResult *x = mrsp_decide_only(way ? by_parts : alone, &request);
        differ += x->decision != r->decision || x->stage != r->stage || x->rule != r->rule ||
                  x->possible != 0 || x->missing_count != 0 || x->note_count != 0 ||
                  memcmp(x->stages, r->stages, (size_t)r->stage + 1) != 0;
      }
    }
    if (differ)
      fprintf(stderr, "%s: %d decisions alone differ\n", emitted[i].stem, differ);
    CHECK_INT(differ, 0);
  }
}

/* ---- the runtime's calendar and codes ------------------------------------------ */

/* Day numbers and calendar dates convert both ways for every day from 1900
 * to 2200 (the arithmetic itself is tested in tests/unit/test_date.c). */
static void runtime_dates_round_trip(void) {
  int wrong = 0;
  for (int32_t day = mrsp_date(1900, 1, 1); day <= mrsp_date(2200, 12, 31); day++) {
    int y, m, d;
    mrsp_date_civil(day, &y, &m, &d);
    wrong += mrsp_date(y, m, d) != day || m < 1 || m > 12 || d < 1 || d > 31;
  }
  CHECK_INT(wrong, 0);
}

/* Every valid five-character code over characters that matter to a code's
 * shape packs to an integer and back. */
static void runtime_codes_round_trip(void) {
  static const char alphabet[] = "019AGTZaz+-";
  enum { LETTERS = sizeof alphabet - 1 };
  char code[6] = {0};
  int wrong = 0, valid = 0;
  for (long i = 0; i < (long)LETTERS * LETTERS * LETTERS * LETTERS * LETTERS; i++) {
    long rest = i;
    for (int c = 0; c < 5; c++, rest /= LETTERS)
      code[c] = alphabet[rest % LETTERS];
    if (!mrsp_code_valid(code, 5))
      continue;
    valid++;
    char back[6];
    mrsp_code_unpack(mrsp_code_pack(code, 5), back);
    wrong += strcmp(back, code) != 0;
  }
  CHECK_INT(valid, 243 + 648); /* five digits; four digits and a capital letter */
  CHECK_INT(wrong, 0);
}

int main(void) {
  GC_INIT();
  UNIT_RUN(emitted_tables_equal_the_built_ones);
  UNIT_RUN(emitted_tables_evaluate_as_the_interpreter);
  UNIT_RUN(decide_only_decides_as_decide);
  UNIT_RUN(runtime_dates_round_trip);
  UNIT_RUN(runtime_codes_round_trip);
  return unit_finish();
}
