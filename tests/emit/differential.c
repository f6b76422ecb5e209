/* differential.c - random cases for an emitted policy, decided by the
 * runtime, to compare with `mrspc eval --batch` (differential.sh).
 *
 * usage: differential COUNT CASES.ndjson EXPECTED.ndjson
 *
 * Built once per policy, with the emitted tables of MRSP_TEST_POLICY (a
 * macro naming the entry symbol) and the runtime only.  Writes COUNT cases,
 * deterministic for the policy, as NDJSON case lines, and for each the
 * result line `mrspc eval --batch` must print for it.  The cases are drawn
 * to reach the edges the policy tests: each fact unknown (absent, or null)
 * one time in 3, 6, 20 or 1000, by case; ints and dates at and beside every constant a
 * condition compares them with; dates exactly N days, weeks, months or
 * years (and a day either side) before or after the date a window counts
 * from; the codes a policy names, and others; enum members and sets,
 * often of the members the conditions name.  The driver also checks that mrsp_decide and
 * mrsp_evaluate agree on everything a host sees, and that mrsp_decide_only
 * gives mrsp_decide's decision, stage, rule and stage values (those up to
 * the deciding stage; all of them unless undetermined), and nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrsp_runtime.h"

extern const MrspPolicy MRSP_TEST_POLICY;

enum { MOST_CHOICES = 64 };

static unsigned long long state = 0x9E3779B97F4A7C15ull;

static unsigned long long next_random(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static int below(int n) {
  return (int)(next_random() % (unsigned long long)n);
}

/* The values a fact is compared with, and a step either side. */
typedef struct Choices {
  int64_t values[MOST_CHOICES];
  int count;
} Choices;

static void add_choice(Choices *c, int64_t value) {
  int i;
  for (i = 0; i < c->count; i++)
    if (c->values[i] == value)
      return;
  if (c->count < MOST_CHOICES)
    c->values[c->count++] = value;
}

static int named(const Choices *c, int64_t value) {
  int i;
  for (i = 0; i < c->count; i++)
    if (c->values[i] == value)
      return 1;
  return 0;
}

static void add_edges(Choices *c, int64_t value) {
  add_choice(c, value - 1);
  add_choice(c, value);
  add_choice(c, value + 1);
}

/* The members a condition on an enum or set fact names. */
static void add_members(const MrspPolicy *p, const MrspNode *node, Choices *c) {
  int32_t w, bit;
  for (w = 0; w < node->count; w++)
    for (bit = 0; bit < 64; bit++)
      if (p->masks[node->first + w] >> bit & 1)
        add_choice(c, 64 * w + bit);
}

/* Constants each fact is compared with in the policy's conditions, and
 * the members they name. */
static void collect_choices(const MrspPolicy *p, Choices *choices) {
  int32_t n, i;
  for (n = 0; n < p->node_count; n++) {
    const MrspNode *node = &p->nodes[n];
    Choices *c;
    if (node->subject < 0 || node->op < MRSP_OP_EQUAL)
      continue;
    c = &choices[node->subject];
    if (node->op >= MRSP_OP_IN_MASK) {
      add_members(p, node, c);
    } else if (p->facts[node->subject].type == MRSP_TYPE_ENUM) {
      add_choice(c, node->rhs);
    } else if (node->op == MRSP_OP_IN_RANGES) {
      for (i = 0; i < node->count; i++) {
        add_edges(c, p->ranges[2 * (node->first + i)]);
        add_edges(c, p->ranges[2 * (node->first + i) + 1]);
      }
    } else if (node->op != MRSP_OP_WITHIN_BEFORE && node->op != MRSP_OP_WITHIN_AFTER) {
      if (node->rhs_fact < 0)
        add_edges(c, node->rhs);
      if (node->op == MRSP_OP_BETWEEN && node->high_fact < 0)
        add_edges(c, node->high);
    }
  }
}

/* ---- one case -------------------------------------------------------------- */

typedef struct Output {
  FILE *out;
  int first;
} Output;

static void key(Output *o, const char *name) {
  fprintf(o->out, "%s\"%s\":", o->first ? "" : ",", name);
  o->first = 0;
}

static int64_t random_date(void) {
  return mrsp_date(2024 + below(3), 1 + below(12), 1 + below(28));
}

static void write_date(FILE *out, int64_t date) {
  int year, month, day;
  mrsp_date_civil((int32_t)date, &year, &month, &day);
  fprintf(out, "\"%04d-%02d-%02d\"", year, month, day);
}

/* A value for an int, date or code fact: a constant of the policy (or
 * beside one) most of the time, else anything plausible. */
static int64_t scalar(const MrspFact *f, const Choices *c) {
  if (c->count > 0 && below(4) != 0)
    return c->values[below(c->count)];
  switch (f->type) {
  case MRSP_TYPE_DATE:
    return random_date();
  case MRSP_TYPE_CODE:
    return mrsp_code_pack(below(2) ? "76390" : "70553", 5);
  default:
    return f->ranged ? f->low + below((int)(f->high - f->low + 1)) : below(200) - 20;
  }
}

/* Sets a known fact other than a date in request and writes it; 0 if the
 * value is not one the fact can take (the fact is then left out). */
static int give(const MrspPolicy *p, MrspCase *request, Output *o, int fact, const Choices *c) {
  const MrspFact *f = &p->facts[fact];
  const MrspEnum *e = f->enumeration >= 0 ? &p->enums[f->enumeration] : NULL;
  int64_t value;
  char code[6];
  int m, any = 0;
  switch (f->type) {
  case MRSP_TYPE_BOOL:
    value = below(2);
    mrsp_case_set_bool(p, request, fact, (int)value);
    key(o, f->name);
    fputs(value ? "true" : "false", o->out);
    return 1;
  case MRSP_TYPE_ENUM:
    if (e->member_count == 0)
      return 0;
    m = c->count && below(2) ? (int)c->values[below(c->count)] : below(e->member_count);
    mrsp_case_set_member(p, request, fact, m);
    key(o, f->name);
    fprintf(o->out, "\"%s\"", e->members[m]);
    return 1;
  case MRSP_TYPE_SET:
    mrsp_case_set_empty(p, request, fact);
    key(o, f->name);
    fputc('[', o->out);
    for (m = 0; m < e->member_count; m++) {
      if (below(e->member_count < 8 ? 3 : 8) != 0 && (c->count == 0 || below(c->count * 2) != 0 ||
                                                      !named(c, m)))
        continue;
      mrsp_case_set_member(p, request, fact, m);
      fprintf(o->out, "%s\"%s\"", any++ ? "," : "", e->members[m]);
    }
    fputc(']', o->out);
    return 1;
  case MRSP_TYPE_CODE:
    value = scalar(f, c);
    mrsp_code_unpack(value, code);
    if (mrsp_case_set_code(p, request, fact, code) != 0)
      return 0;
    key(o, f->name);
    fprintf(o->out, "\"%s\"", code);
    return 1;
  default:
    value = scalar(f, c);
    if (mrsp_case_set_int(p, request, fact, value) != 0)
      return 0;
    key(o, f->name);
    fprintf(o->out, "%lld", (long long)value);
    return 1;
  }
}

/* A date: one of the policy's constants, or, for the subject of a window,
 * the window's edge from its reference date (given already), a day either
 * side, or anything. */
static void give_date(const MrspPolicy *p, MrspCase *request, Output *o, int fact,
                      const Choices *c) {
  int64_t value = scalar(&p->facts[fact], c);
  int32_t n;
  int year, month, day;
  for (n = 0; n < p->node_count && below(3) != 0; n++) {
    const MrspNode *node = &p->nodes[n];
    int before = node->op == MRSP_OP_WITHIN_BEFORE;
    if (node->subject != fact || (!before && node->op != MRSP_OP_WITHIN_AFTER) ||
        !mrsp_case_known(p, request, node->rhs_fact))
      continue;
    value = mrsp_date_add((int32_t)request->values[node->rhs_slot],
                          before ? -node->amount : node->amount, (MrspUnit)node->unit) +
            below(3) - 1;
    break;
  }
  mrsp_date_civil((int32_t)value, &year, &month, &day);
  if (year < 1900 || year > 9999 || mrsp_case_set_date(p, request, fact, year, month, day) != 0)
    return;
  key(o, p->facts[fact].name);
  write_date(o->out, value);
}

/* Dates that are the reference of a window come first, so their subjects
 * can be set from them. */
static int is_reference(const MrspPolicy *p, int fact) {
  int32_t n;
  for (n = 0; n < p->node_count; n++)
    if ((p->nodes[n].op == MRSP_OP_WITHIN_BEFORE || p->nodes[n].op == MRSP_OP_WITHIN_AFTER) &&
        p->nodes[n].rhs_fact == fact)
      return 1;
  return 0;
}

static void random_case(const MrspPolicy *p, MrspCase *request, FILE *out,
                        const Choices *choices) {
  static const int unknown_one_in[] = {3, 6, 20, 1000}; /* a mix of sparse and full cases */
  int one_in = unknown_one_in[below(4)];
  Output o;
  int pass, fact;
  o.out = out;
  o.first = 1;
  mrsp_case_clear(p, request);
  fputc('{', out);
  for (pass = 0; pass < 3; pass++) {
    for (fact = 0; fact < p->fact_count; fact++) {
      int date = p->facts[fact].type == MRSP_TYPE_DATE;
      int wanted = pass == 0 ? !date : pass == 1 ? date && is_reference(p, fact)
                                                 : date && !is_reference(p, fact);
      if (!wanted)
        continue;
      if (below(one_in) == 0) { /* unknown: absent, or null */
        if (below(2)) {
          key(&o, p->facts[fact].name);
          fputs("null", out);
        }
        continue;
      }
      if (date)
        give_date(p, request, &o, fact, &choices[fact]);
      else
        give(p, request, &o, fact, &choices[fact]);
    }
  }
  fputs("}\n", out);
}

/* ---- results ----------------------------------------------------------------- */

static void write_names(FILE *out, const char *key_name, const int32_t *items, int32_t count,
                        const char *(*name)(const MrspPolicy *, int32_t)) {
  int32_t i;
  fprintf(out, ",\"%s\":[", key_name);
  for (i = 0; i < count; i++)
    fprintf(out, "%s\"%s\"", i ? "," : "", name(&MRSP_TEST_POLICY, items[i]));
  fputc(']', out);
}

static const char *fact_name(const MrspPolicy *p, int32_t i) {
  return p->facts[i].name;
}

static const char *note_name(const MrspPolicy *p, int32_t i) {
  return p->notes[i].name;
}

/* The line `mrspc eval --batch` writes for the result. */
static void write_result(FILE *out, long line, const MrspResult *r) {
  const MrspPolicy *p = &MRSP_TEST_POLICY;
  int d, first = 1;
  fprintf(out, "{\"line\":%ld,\"policy\":\"%s\",\"decision\":\"%s\",\"stage\":\"%s\"", line,
          p->name, mrsp_decision_name(r->decision), mrsp_stage_name(r->stage));
  if (r->rule >= 0)
    fprintf(out, ",\"rule\":\"%s\"", p->rules[r->rule].name);
  else
    fputs(",\"rule\":null", out);
  write_names(out, "missing", r->missing, r->missing_count, fact_name);
  fputs(",\"possible\":[", out);
  for (d = 0; d < MRSP_DECISION_COUNT; d++) {
    unsigned bits = r->decision == MRSP_DECISION_UNDETERMINED ? r->possible : 1u << r->decision;
    if (bits >> d & 1) {
      fprintf(out, "%s\"%s\"", first ? "" : ",", mrsp_decision_name((MrspDecision)d));
      first = 0;
    }
  }
  fputc(']', out);
  write_names(out, "notes", r->notes, r->note_count, note_name);
  fputs("}\n", out);
}

/* What a host sees of a result, to compare the lazy and the full
 * evaluation. */
typedef struct Seen {
  int decision, stage, rule;
  unsigned possible;
  int32_t missing[512], missing_count, notes[512], note_count;
} Seen;

static void see(const MrspResult *r, Seen *s) {
  int32_t i;
  memset(s, 0, sizeof *s);
  s->decision = r->decision;
  s->stage = r->stage;
  s->rule = r->rule;
  s->possible = r->possible;
  s->missing_count = r->missing_count < 512 ? r->missing_count : 512;
  for (i = 0; i < s->missing_count; i++)
    s->missing[i] = r->missing[i];
  s->note_count = r->note_count < 512 ? r->note_count : 512;
  for (i = 0; i < s->note_count; i++)
    s->notes[i] = r->notes[i];
}

/* Whether the decision alone is the full decision's (what
 * mrsp_decide_only promises). */
static int same_decision(const MrspResult *full, const MrspResult *alone) {
  int s, last = full->decision == MRSP_DECISION_UNDETERMINED ? (int)full->stage
                                                             : MRSP_STAGE_COUNT - 1;
  if (alone->decision != full->decision || alone->stage != full->stage ||
      alone->rule != full->rule || alone->possible != 0 || alone->missing_count != 0 ||
      alone->note_count != 0)
    return 0;
  for (s = 0; s <= last; s++)
    if (alone->stages[s] != full->stages[s])
      return 0;
  return 1;
}

int main(int argc, char **argv) {
  const MrspPolicy *p = &MRSP_TEST_POLICY;
  long count, i, disagree = 0;
  FILE *cases, *expected;
  Choices *choices;
  uint64_t *known, *values, *memory;
  size_t size = mrsp_work_size(p);
  MrspWork *work;
  MrspResult alone_result;
  MrspCase request;
  if (argc != 4 || (count = atol(argv[1])) <= 0) {
    fputs("usage: differential COUNT CASES.ndjson EXPECTED.ndjson\n", stderr);
    return 2;
  }
  cases = fopen(argv[2], "w");
  expected = fopen(argv[3], "w");
  choices = calloc((size_t)p->fact_count + 1, sizeof *choices);
  known = calloc((size_t)p->known_words + 1, sizeof *known);
  values = calloc((size_t)p->value_words + 1, sizeof *values);
  memory = malloc(size);
  work = mrsp_work_init(p, memory, size);
  if (!cases || !expected || !choices || !known || !values || !work) {
    fputs("differential: cannot set up\n", stderr);
    return 2;
  }
  collect_choices(p, choices);
  request.known = known;
  request.values = values;
  for (i = 0; i < count; i++) {
    Seen lazy, full;
    random_case(p, &request, cases, choices);
    /* the three in turn on one working memory, as a host may call them */
    alone_result = *mrsp_decide_only(work, &request);
    see(mrsp_decide(work, &request), &lazy);
    write_result(expected, i + 1, &work->result);
    if (!same_decision(&work->result, &alone_result) && disagree++ < 5)
      fprintf(stderr, "differential: line %ld: mrsp_decide and mrsp_decide_only disagree\n",
              i + 1);
    see(mrsp_evaluate(work, &request), &full);
    if (memcmp(&lazy, &full, sizeof lazy) != 0 && disagree++ < 5)
      fprintf(stderr, "differential: line %ld: mrsp_decide and mrsp_evaluate disagree\n", i + 1);
  }
  fclose(cases);
  fclose(expected);
  free(memory);
  free(values);
  free(known);
  free(choices);
  return disagree ? 1 : 0;
}
