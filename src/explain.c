/* explain.c - text and JSON explanations, and the table of payers (explain.h).
 *
 * The text is laid out for a terminal 80 columns wide and for pasting into
 * a letter: a value column (true, false, unknown), then the tree indented
 * two spaces a level, each condition followed by the policy's words and
 * the facts it read.  A criterion used twice is expanded once; a tree
 * nested deeper than MAX_DEPTH is cut, so no policy can exhaust the stack.
 */
#include "explain.h"

#include <gc.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "source.h"
#include "text.h"

enum { WIDTH = 80, MAX_DEPTH = 64, TAG_WIDTH = 11 };

/* ---- facts and names ------------------------------------------------------ */

const char *explain_fact_value(const Lowered *program, const Case *facts, int fact) {
  if (!case_known(facts, fact))
    return "unknown";
  const LowFact *f = &program->facts[fact];
  int64_t value = (int64_t)facts->values[f->slot];
  char buffer[16];
  switch (f->type) {
  case LOW_BOOL:
    return value ? "true" : "false";
  case LOW_INT:
    return text_format("%lld", (long long)value);
  case LOW_DATE:
    date_format((int32_t)value, buffer);
    return text_format("%s", buffer);
  case LOW_CODE:
    code_unpack(value, buffer);
    return text_format("%s", buffer);
  case LOW_ENUM:
    return program->enums[f->enumeration].members[value];
  case LOW_SET:
    break;
  }
  const LowEnum *e = &program->enums[f->enumeration];
  const uint64_t *mask = facts->values + f->slot;
  TextBuffer out = {0};
  text_appendf(&out, "{");
  int shown = 0;
  for (int m = 0; m < e->count; m++)
    if (mask[m >> 6] >> (m & 63) & 1)
      text_appendf(&out, "%s%s", shown++ ? ", " : "", e->members[m]);
  text_appendf(&out, "}");
  return text_finish(&out);
}

const char *explain_rule_name(const Lowered *program, const EvalResult *result) {
  return result->rule >= 0 ? program->rules[result->rule].name : NULL;
}

const char *explain_note_name(const Lowered *program, int note) {
  if (program->notes[note].name)
    return program->notes[note].name;
  return text_format("note#%d", note + 1);
}

/* The facts a condition node reads, as "fact: value" pairs. */
static const char *node_facts(const Lowered *program, const Case *facts, const LowNode *node) {
  int read[3] = {node->subject, node->rhs.fact, node->high.fact};
  TextBuffer out = {0};
  int shown = 0;
  for (int i = 0; i < 3; i++) {
    if (read[i] < 0 || (i == 2 && read[2] == read[1]))
      continue;
    text_appendf(&out, "%s%s: %s", shown++ ? ", " : "", program->facts[read[i]].name,
                 explain_fact_value(program, facts, read[i]));
  }
  return shown ? text_finish(&out) : NULL;
}

static bool is_group(LowOp op) {
  return op == OP_ALL || op == OP_ANY || op == OP_AT_LEAST || op == OP_NOT || op == OP_CRITERION;
}

static const char *group_words(const LowNode *node) {
  switch (node->op) {
  case OP_ALL:
    return "all of:";
  case OP_ANY:
    return "any of:";
  case OP_AT_LEAST:
    return text_format("at least %d of:", node->amount);
  default:
    return "not:";
  }
}

static const char *cites_text(CiteList cites) {
  if (cites.count == 0)
    return NULL;
  TextBuffer out = {0};
  text_appendf(&out, "[");
  for (int i = 0; i < cites.count; i++) {
    const Cite *cite = cites.items[i];
    text_appendf(&out, "%s%d", i ? ", " : "", cite->first);
    if (cite->last != cite->first)
      text_appendf(&out, "-%d", cite->last);
  }
  text_appendf(&out, "]");
  return text_finish(&out);
}

/* Where a rule is written, as "file:line". */
static const char *rule_place(const LowRule *rule) {
  Span span;
  if (rule->section)
    span = rule->section->span;
  else if (rule->entry)
    span = rule->entry->span;
  else
    return NULL;
  SourcePosition at = source_position(span.file, span.begin);
  return text_format("%s:%d", source_get(span.file)->path, at.line);
}

static const char *stage_keyword(LowStage stage) {
  return stage == STAGE_APPLIES ? "applies" : low_stage_name(stage);
}

/* "exclude rule 'recent_imaging'", "the policy's codes", ... */
static const char *rule_phrase(const LowRule *rule) {
  if (rule->entry)
    return text_format("the policy's %s", rule->entry->key.text);
  return text_format("%s rule '%s'", stage_keyword(rule->stage), rule->name);
}

/* ---- the printer ---------------------------------------------------------- */

typedef struct Cited {
  int module, number;
} Cited;

/* The references cited by what an explanation showed, and the module whose
 * reference list the citations being read belong to. */
typedef struct Citations {
  Cited *items;
  int count, capacity;
  int module;
} Citations;

typedef struct Printer {
  FILE *out;
  const Lowered *program;
  const Case *facts;
  const Truth *values;
  bool color;
  bool *expanded;        /* per LowCriterion, in the current rule's tree */
  Citations cited;
} Printer;

static const char *paint(const Printer *p, const char *code, const char *text) {
  if (!p->color)
    return text;
  return text_format("\033[%sm%s\033[0m", code, text);
}

static const char *truth_color(Truth value) {
  return value == TRUTH_TRUE ? "32" : value == TRUTH_FALSE ? "31" : "33";
}

static const char *decision_color(Decision decision) {
  switch (decision) {
  case DECISION_MEDICALLY_NECESSARY:
    return "1;32";
  case DECISION_NOT_MEDICALLY_NECESSARY:
  case DECISION_INVESTIGATIONAL:
    return "1;31";
  case DECISION_UNDETERMINED:
    return "1;33";
  default:
    return "1;36";
  }
}

static void note_cites(Citations *cited, CiteList cites) {
  for (int i = 0; i < cites.count; i++) {
    for (int number = cites.items[i]->first; number <= cites.items[i]->last; number++) {
      bool seen = false;
      for (int j = 0; j < cited->count && !seen; j++)
        seen = cited->items[j].module == cited->module && cited->items[j].number == number;
      if (seen)
        continue;
      if (cited->count == cited->capacity) {
        cited->capacity = cited->capacity ? 2 * cited->capacity : 16;
        cited->items = GC_REALLOC(cited->items, (size_t)cited->capacity * sizeof *cited->items);
      }
      cited->items[cited->count++] = (Cited){cited->module, number};
    }
  }
}

static void cite(Printer *p, CiteList cites) {
  note_cites(&p->cited, cites);
}

static int compare_cited(const void *a, const void *b) {
  const Cited *x = a, *y = b;
  if (x->module != y->module)
    return x->module - y->module;
  return x->number - y->number;
}

static void sort_cited(Citations *cited) {
  if (cited->count > 1)
    qsort(cited->items, (size_t)cited->count, sizeof *cited->items, compare_cited);
}

static const char *reference_text(const Lowered *program, const Cited *cited) {
  const Reference *reference = check_find_reference(program->program, cited->module, cited->number);
  return reference ? reference->text : "(not in the references)";
}

/* Writes text word by word: the first line after `first` columns already
 * used, every line indented by `indent`, none past WIDTH. */
static void wrap(FILE *out, const char *text, int first, int indent) {
  int column = first;
  bool line_empty = true;
  const char *s = text;
  while (*s) {
    while (*s == ' ' || *s == '\n' || *s == '\t')
      s++;
    if (!*s)
      break;
    const char *end = s;
    while (*end && *end != ' ' && *end != '\n' && *end != '\t')
      end++;
    int length = (int)text_char_count(s, (size_t)(end - s));
    if (!line_empty && column + 1 + length > WIDTH) {
      fprintf(out, "\n%*s", indent, "");
      column = indent;
      line_empty = true;
    }
    if (!line_empty) {
      fputc(' ', out);
      column++;
    }
    fwrite(s, 1, (size_t)(end - s), out);
    column += length;
    line_empty = false;
    s = end;
  }
  fputc('\n', out);
}

/* The value column, then the indentation of depth. */
static void tag(Printer *p, Truth value, int depth) {
  const char *name = truth_name(value);
  fprintf(p->out, "  %s%*s%*s", paint(p, truth_color(value), name),
          TAG_WIDTH - 2 - (int)strlen(name), "", 2 * depth, "");
}

static void indented(Printer *p, int indent, const char *text) {
  fprintf(p->out, "%*s", indent, "");
  wrap(p->out, text, indent, indent);
}

/* A line of the tree without a value: words, facts. */
static void detail(Printer *p, int depth, const char *text) {
  indented(p, TAG_WIDTH + 2 * depth + 2, text);
}

static void head_line(Printer *p, Truth value, int depth, const char *text, const char *cites) {
  tag(p, value, depth);
  const char *line = cites ? text_format("%s %s", text, cites) : text;
  wrap(p->out, line, TAG_WIDTH + 2 * depth, TAG_WIDTH + 2 * depth + 2);
}

static void words(Printer *p, int depth, const char *doc) {
  if (doc)
    detail(p, depth, text_format("\"%s\"", doc));
}

static void print_node(Printer *p, int n, int depth);

static void print_children(Printer *p, const LowNode *node, int depth) {
  for (int i = 0; i < node->count; i++)
    print_node(p, p->program->kids[node->first + i], depth);
}

static void print_criterion(Printer *p, int n, int depth) {
  const LowNode *node = &p->program->nodes[n];
  const LowCriterion *criterion = &p->program->criteria[node->amount];
  const Node *use = p->program->info[n].node;
  const Criterion *decl = criterion->criterion;
  cite(p, use->cites);
  bool shown = p->expanded[node->amount];
  head_line(p, p->values[n], depth,
            shown ? text_format("%s (shown above)", criterion->name) : criterion->name,
            cites_text(use->cites));
  if (shown)
    return;
  p->expanded[node->amount] = true;
  words(p, depth, use->doc);
  int outer = p->cited.module;
  p->cited.module = decl->module;
  cite(p, decl->cites);
  const char *own = cites_text(decl->cites);
  if (decl->doc)
    detail(p, depth, own ? text_format("\"%s\" %s", decl->doc, own)
                         : text_format("\"%s\"", decl->doc));
  else if (own)
    detail(p, depth, own);
  print_node(p, criterion->body, depth + 1);
  p->cited.module = outer;
}

/* A condition: its words in the policy, its citations, the facts it read
 * (a bool fact alone shows its value in the value column already). */
static void print_leaf(Printer *p, int n, int depth) {
  const LowNode *node = &p->program->nodes[n];
  const LowNodeInfo *info = &p->program->info[n];
  const Node *syntax = info->node;
  if (syntax)
    cite(p, syntax->cites);
  head_line(p, p->values[n], depth, info->label, syntax ? cites_text(syntax->cites) : NULL);
  if (syntax)
    words(p, depth, syntax->doc);
  if (node->op != OP_BOOL && node->op != OP_CONST) {
    const char *read = node_facts(p->program, p->facts, node);
    if (read)
      detail(p, depth, text_format("(%s)", read));
  }
}

/* The citations of a node, or of what it wraps when it has none. */
static CiteList own_cites(const Node *outer, const Node *inner) {
  if (outer && outer->cites.count)
    return outer->cites;
  return inner ? inner->cites : (CiteList){0};
}

/* not <condition>, on one line: the value of the 'not', the facts read. */
static void print_negated_leaf(Printer *p, int n, int depth) {
  const Node *syntax = p->program->info[n].node;
  int child = p->program->kids[p->program->nodes[n].first];
  const LowNodeInfo *info = &p->program->info[child];
  if (syntax)
    cite(p, syntax->cites);
  if (info->node)
    cite(p, info->node->cites);
  head_line(p, p->values[n], depth, text_format("not %s", info->label),
            cites_text(own_cites(syntax, info->node)));
  if (syntax)
    words(p, depth, syntax->doc);
  if (info->node)
    words(p, depth, info->node->doc);
  const char *read = node_facts(p->program, p->facts, &p->program->nodes[child]);
  if (read && p->program->nodes[child].op != OP_CONST)
    detail(p, depth, text_format("(%s)", read));
}

static void print_node(Printer *p, int n, int depth) {
  const LowNode *node = &p->program->nodes[n];
  const Node *syntax = p->program->info[n].node;
  if (depth > MAX_DEPTH) {
    fprintf(p->out, "%*s(more than %d levels deep: not shown)\n", TAG_WIDTH + 2 * depth, "",
            MAX_DEPTH);
    return;
  }
  if (node->op == OP_CRITERION) {
    print_criterion(p, n, depth);
  } else if (node->op == OP_NOT && !is_group(p->program->nodes[p->program->kids[node->first]].op)) {
    print_negated_leaf(p, n, depth);
  } else if (is_group(node->op)) {
    if (syntax)
      cite(p, syntax->cites);
    head_line(p, p->values[n], depth, group_words(node),
              syntax ? cites_text(syntax->cites) : NULL);
    if (syntax)
      words(p, depth, syntax->doc);
    print_children(p, node, depth + 1);
  } else {
    print_leaf(p, n, depth);
  }
}

/* ---- rules, stages, the whole text ---------------------------------------- */

static void print_rule(Printer *p, int r) {
  const LowRule *rule = &p->program->rules[r];
  Truth value = p->values[rule->root];
  memset(p->expanded, 0, ((size_t)p->program->criterion_count + 1) * sizeof *p->expanded);
  p->cited.module = rule->section ? rule->section->module : 0;
  const char *place = rule_place(rule);
  const char *title = rule->entry ? text_format("policy %s", rule->entry->key.text)
                                  : text_format("%s %s", stage_keyword(rule->stage), rule->name);
  fprintf(p->out, "\n%s: %s%s%s\n", paint(p, "1", title),
          paint(p, truth_color(value), truth_name(value)), place ? "   " : "",
          place ? paint(p, "2", place) : "");
  if (rule->section) {
    cite(p, rule->section->cites);
    const char *cites = cites_text(rule->section->cites);
    if (rule->section->doc)
      indented(p, 2, cites ? text_format("\"%s\" %s", rule->section->doc, cites)
                          : text_format("\"%s\"", rule->section->doc));
    if (rule->target)
      indented(p, 2, text_format("refer to: %s", rule->target));
  }
  print_node(p, rule->root, 0);
}

static const char *stage_summary(LowStage stage, Truth value) {
  if (stage == STAGE_APPLIES)
    return value == TRUTH_TRUE    ? "the policy governs the request"
           : value == TRUTH_FALSE ? "the policy does not govern the request"
                                  : "unknown whether the policy governs the request";
  return value == TRUTH_TRUE    ? "a rule is true"
         : value == TRUTH_FALSE ? "no rule is true"
                                : "no rule is true, and some are unknown";
}

static const char *decided_by(const Lowered *program, const EvalResult *result) {
  if (result->decision == DECISION_UNDETERMINED)
    return text_format("the %s stage is unknown", low_stage_name(result->stage));
  if (result->rule >= 0) {
    const LowRule *rule = &program->rules[result->rule];
    const char *place = rule_place(rule);
    const char *phrase = rule_phrase(rule);
    if (rule->stage == STAGE_APPLIES)
      phrase = text_format("%s (false)", phrase);
    return place ? text_format("%s, %s", phrase, place) : phrase;
  }
  return program->stage_count[STAGE_REQUIRE]
             ? "no require rule is true, so no indication is met"
             : "the policy has no require rule, so no indication is met";
}

static const char *name_list(const char *const *names, int count) {
  TextBuffer out = {0};
  for (int i = 0; i < count; i++)
    text_appendf(&out, "%s%s", i ? ", " : "", names[i]);
  return count ? text_finish(&out) : "";
}

static const char *missing_list(const Lowered *program, const EvalResult *result) {
  const char **names = GC_MALLOC(((size_t)result->missing_count + 1) * sizeof *names);
  for (int i = 0; i < result->missing_count; i++)
    names[i] = program->facts[result->missing[i]].name;
  return name_list(names, result->missing_count);
}

static const char *possible_list(unsigned possible) {
  const char *names[DECISION_COUNT];
  int count = 0;
  for (int d = 0; d < DECISION_COUNT; d++)
    if (possible >> d & 1)
      names[count++] = decision_name((Decision)d);
  return name_list(names, count);
}

/* "  label:      text", the text wrapped under itself. */
static void header_line(Printer *p, const char *label, const char *text) {
  enum { LABEL_WIDTH = 14 };
  fprintf(p->out, "  %-*s", LABEL_WIDTH - 2, label);
  wrap(p->out, text, LABEL_WIDTH, LABEL_WIDTH);
}

static void print_header(Printer *p, Explained e) {
  const Lowered *program = e.program;
  const EvalResult *result = e.result;
  fprintf(p->out, "%s: %s\n", paint(p, "1", program->name),
          paint(p, decision_color(result->decision), decision_name(result->decision)));
  if (program->title)
    header_line(p, "policy:", program->title);
  if (program->payer)
    header_line(p, "payer:", program->payer);
  if (program->vendor)
    header_line(p, "vendor:", program->vendor);
  if (result->decision != DECISION_UNDETERMINED) {
    header_line(p, "decided by:", decided_by(program, result));
    if (result->rule >= 0 && program->rules[result->rule].target)
      header_line(p, "refer to:", program->rules[result->rule].target);
    return;
  }
  header_line(p, "why:", decided_by(program, result));
  header_line(p, "missing:", missing_list(program, result));
  header_line(p, "possible:", possible_list(result->possible));
}

/* The rules shown by default: the one that decided; with none, the
 * require rules (all false); undetermined, the unknown rules of the stage. */
static void print_deciding_rules(Printer *p, const EvalResult *result) {
  const Lowered *program = p->program;
  if (result->rule >= 0) {
    print_rule(p, result->rule);
    return;
  }
  LowStage stage = result->decision == DECISION_UNDETERMINED ? result->stage : STAGE_REQUIRE;
  for (int r = program->stage_first[stage];
       r < program->stage_first[stage] + program->stage_count[stage]; r++)
    if (result->decision != DECISION_UNDETERMINED || p->values[program->rules[r].root] ==
                                                         TRUTH_UNKNOWN)
      print_rule(p, r);
}

static void print_all_rules(Printer *p, const EvalResult *result) {
  const Lowered *program = p->program;
  for (int s = 0; s < STAGE_OTHERWISE; s++) {
    fprintf(p->out, "\n%s %s: %s (%s)\n", paint(p, "1", "=="),
            paint(p, "1", low_stage_name((LowStage)s)),
            paint(p, truth_color(result->stages[s]), truth_name(result->stages[s])),
            stage_summary((LowStage)s, result->stages[s]));
    if (program->stage_count[s] == 0)
      fprintf(p->out, "  (no rules)\n");
    for (int r = program->stage_first[s]; r < program->stage_first[s] + program->stage_count[s];
         r++)
      print_rule(p, r);
  }
}

static void print_references(Printer *p) {
  if (p->cited.count == 0)
    return;
  sort_cited(&p->cited);
  fprintf(p->out, "\n%s\n", paint(p, "1", "references:"));
  for (int i = 0; i < p->cited.count; i++) {
    const char *number = text_format("[%d]", p->cited.items[i].number);
    fprintf(p->out, "  %-5s ", number);
    const Cited *cited = &p->cited.items[i];
    const char *text = reference_text(p->program, cited);
    if (cited->module > 0) /* a module's numbers are its own */
      text = text_format("%s (in %s)", text, p->program->program->modules[cited->module].path);
    wrap(p->out, text, 8, 8);
  }
}

static void print_notes(Printer *p, const EvalResult *result) {
  if (result->note_count == 0)
    return;
  fprintf(p->out, "\n%s\n", paint(p, "1", "notes:"));
  for (int i = 0; i < result->note_count; i++) {
    const LowNote *note = &p->program->notes[result->notes[i]];
    fprintf(p->out, "  - ");
    const char *cites = note->section ? cites_text(note->section->cites) : NULL;
    if (note->section) {
      p->cited.module = note->section->module;
      cite(p, note->section->cites);
    }
    wrap(p->out, cites ? text_format("%s %s", note->text, cites) : note->text, 4, 4);
  }
}

void explain_text(FILE *out, Explained e, bool full, bool color) {
  Printer p = {out, e.program, e.facts, e.result->values, color, NULL, {NULL, 0, 0, 0}};
  p.expanded = GC_MALLOC_ATOMIC(((size_t)e.program->criterion_count + 1) * sizeof *p.expanded);
  print_header(&p, e);
  if (full)
    print_all_rules(&p, e.result);
  else
    print_deciding_rules(&p, e.result);
  print_notes(&p, e.result);
  print_references(&p);
}

/* ---- JSON ----------------------------------------------------------------- */

typedef struct JsonTrace {
  const Lowered *program;
  const Case *facts;
  const Truth *values;
  bool *expanded;
  Citations cited;
} JsonTrace;

static json_t *cites_json(CiteList cites) {
  json_t *list = json_array();
  for (int i = 0; i < cites.count; i++) {
    const Cite *c = cites.items[i];
    json_array_append_new(list, c->first == c->last
                                    ? json_sprintf("%d", c->first)
                                    : json_sprintf("%d-%d", c->first, c->last));
  }
  return list;
}

static void add_words(JsonTrace *t, json_t *object, const Node *syntax) {
  if (!syntax)
    return;
  note_cites(&t->cited, syntax->cites);
  if (syntax->doc)
    json_object_set_new(object, "doc", json_string(syntax->doc));
  if (syntax->cites.count)
    json_object_set_new(object, "cites", cites_json(syntax->cites));
}

/* A fact's value as JSON: null when unknown, a set as an array of names. */
static json_t *fact_json(const Lowered *program, const Case *facts, int fact) {
  const LowFact *f = &program->facts[fact];
  if (!case_known(facts, fact))
    return json_null();
  int64_t value = (int64_t)facts->values[f->slot];
  switch (f->type) {
  case LOW_BOOL:
    return json_boolean(value);
  case LOW_INT:
    return json_integer((json_int_t)value);
  case LOW_SET: {
    const LowEnum *e = &program->enums[f->enumeration];
    json_t *members = json_array();
    for (int m = 0; m < e->count; m++)
      if (facts->values[f->slot + m / 64] >> (m % 64) & 1)
        json_array_append_new(members, json_string(e->members[m]));
    return members;
  }
  default:
    return json_string(explain_fact_value(program, facts, fact));
  }
}

static json_t *facts_json(const JsonTrace *t, const LowNode *node) {
  json_t *read = json_object();
  int facts[3] = {node->subject, node->rhs.fact, node->high.fact};
  for (int i = 0; i < 3; i++)
    if (facts[i] >= 0)
      json_object_set_new(read, t->program->facts[facts[i]].name,
                          fact_json(t->program, t->facts, facts[i]));
  return read;
}

static json_t *node_json(JsonTrace *t, int n, int depth) {
  const LowNode *node = &t->program->nodes[n];
  const LowNodeInfo *info = &t->program->info[n];
  json_t *object = json_object();
  json_object_set_new(object, "value", json_string(truth_name(t->values[n])));
  if (depth > MAX_DEPTH) {
    json_object_set_new(object, "truncated", json_true());
    return object;
  }
  switch (node->op) {
  case OP_ALL:
  case OP_ANY:
  case OP_AT_LEAST:
  case OP_NOT: {
    json_object_set_new(object, "node", json_string(low_op_name(node->op)));
    if (node->op == OP_AT_LEAST)
      json_object_set_new(object, "at_least", json_integer(node->amount));
    add_words(t, object, info->node);
    json_t *items = json_array();
    for (int i = 0; i < node->count; i++)
      json_array_append_new(items, node_json(t, t->program->kids[node->first + i], depth + 1));
    json_object_set_new(object, "items", items);
    return object;
  }
  case OP_CRITERION: {
    const LowCriterion *criterion = &t->program->criteria[node->amount];
    json_object_set_new(object, "node", json_string("criterion"));
    json_object_set_new(object, "criterion", json_string(criterion->name));
    add_words(t, object, info->node);
    int outer = t->cited.module;
    t->cited.module = criterion->criterion->module;
    if (criterion->criterion->doc)
      json_object_set_new(object, "criterion_doc", json_string(criterion->criterion->doc));
    if (criterion->criterion->cites.count) {
      note_cites(&t->cited, criterion->criterion->cites);
      json_object_set_new(object, "criterion_cites", cites_json(criterion->criterion->cites));
    }
    if (t->expanded[node->amount])
      json_object_set_new(object, "shown_above", json_true());
    else
      json_object_set_new(object, "body", node_json(t, criterion->body, depth + 1));
    t->expanded[node->amount] = true;
    t->cited.module = outer;
    return object;
  }
  default:
    json_object_set_new(object, "node", json_string("condition"));
    json_object_set_new(object, "condition", json_string(info->label));
    add_words(t, object, info->node);
    if (node->subject >= 0)
      json_object_set_new(object, "facts", facts_json(t, node));
    return object;
  }
}

static json_t *rule_json(JsonTrace *t, int r) {
  const LowRule *rule = &t->program->rules[r];
  memset(t->expanded, 0, ((size_t)t->program->criterion_count + 1) * sizeof *t->expanded);
  json_t *object = json_object();
  json_object_set_new(object, "stage", json_string(low_stage_name(rule->stage)));
  json_object_set_new(object, "rule", json_string(rule->name));
  json_object_set_new(object, "value", json_string(truth_name(t->values[rule->root])));
  t->cited.module = rule->section ? rule->section->module : 0;
  if (rule->section && rule->section->doc)
    json_object_set_new(object, "doc", json_string(rule->section->doc));
  if (rule->section && rule->section->cites.count) {
    note_cites(&t->cited, rule->section->cites);
    json_object_set_new(object, "cites", cites_json(rule->section->cites));
  }
  if (rule->target)
    json_object_set_new(object, "refer_to", json_string(rule->target));
  const char *place = rule_place(rule);
  if (place)
    json_object_set_new(object, "at", json_string(place));
  json_object_set_new(object, "tree", node_json(t, rule->root, 0));
  return object;
}

static json_t *trace_json(JsonTrace *t, Explained e, bool full) {
  const Lowered *program = e.program;
  const EvalResult *result = e.result;
  json_t *trace = json_array();
  if (full || result->rule < 0) {
    for (int r = 0; r < program->rule_count; r++) {
      LowStage stage = program->rules[r].stage;
      bool shown = full ||
                   (result->decision == DECISION_UNDETERMINED
                        ? stage == result->stage && result->values[program->rules[r].root] ==
                                                        TRUTH_UNKNOWN
                        : stage == STAGE_REQUIRE);
      if (shown)
        json_array_append_new(trace, rule_json(t, r));
    }
  } else {
    json_array_append_new(trace, rule_json(t, result->rule));
  }
  return trace;
}

/* The references the trace cites: [{"cite": 2, "text": ...}], with the
 * module's file for a module other than the policy's own. */
static json_t *references_json(JsonTrace *t) {
  sort_cited(&t->cited);
  json_t *list = json_array();
  for (int i = 0; i < t->cited.count; i++) {
    const Cited *cited = &t->cited.items[i];
    json_t *reference = json_object();
    json_object_set_new(reference, "cite", json_integer(cited->number));
    json_object_set_new(reference, "text", json_string(reference_text(t->program, cited)));
    if (cited->module > 0)
      json_object_set_new(reference, "file",
                          json_string(t->program->program->modules[cited->module].path));
    json_array_append_new(list, reference);
  }
  return list;
}

json_t *explain_json(Explained e, bool full) {
  const Lowered *program = e.program;
  const EvalResult *result = e.result;
  json_t *object = json_object();
  json_object_set_new(object, "policy", json_string(program->name));
  if (program->title)
    json_object_set_new(object, "title", json_string(program->title));
  if (program->payer)
    json_object_set_new(object, "payer", json_string(program->payer));
  if (program->vendor)
    json_object_set_new(object, "vendor", json_string(program->vendor));
  json_object_set_new(object, "decision", json_string(decision_name(result->decision)));
  json_object_set_new(object, "stage", json_string(low_stage_name(result->stage)));
  const char *rule = explain_rule_name(program, result);
  json_object_set_new(object, "rule", rule ? json_string(rule) : json_null());
  json_t *missing = json_array();
  for (int i = 0; i < result->missing_count; i++)
    json_array_append_new(missing, json_string(program->facts[result->missing[i]].name));
  json_object_set_new(object, "missing", missing);
  json_t *possible = json_array();
  unsigned bits = result->decision == DECISION_UNDETERMINED ? result->possible
                                                             : 1u << result->decision;
  for (int d = 0; d < DECISION_COUNT; d++)
    if (bits >> d & 1)
      json_array_append_new(possible, json_string(decision_name((Decision)d)));
  json_object_set_new(object, "possible", possible);
  json_t *notes = json_array();
  for (int i = 0; i < result->note_count; i++) {
    json_t *note = json_object();
    json_object_set_new(note, "note", json_string(explain_note_name(program, result->notes[i])));
    json_object_set_new(note, "text", json_string(program->notes[result->notes[i]].text));
    json_array_append_new(notes, note);
  }
  json_object_set_new(object, "notes", notes);
  JsonTrace t = {program, e.facts, result->values, NULL, {NULL, 0, 0, 0}};
  t.expanded = GC_MALLOC_ATOMIC(((size_t)program->criterion_count + 1) * sizeof *t.expanded);
  json_object_set_new(object, "trace", trace_json(&t, e, full));
  json_object_set_new(object, "references", references_json(&t));
  return object;
}

/* ---- several policies ----------------------------------------------------- */

static const char *table_rule(const Explained *row) {
  const EvalResult *result = row->result;
  if (result->decision == DECISION_UNDETERMINED)
    return text_format("%s unknown; missing %s", low_stage_name(result->stage),
                       missing_list(row->program, result));
  if (result->rule < 0)
    return "no indication met";
  const LowRule *rule = &row->program->rules[result->rule];
  return text_format("%s %s", stage_keyword(rule->stage), rule->name);
}

void explain_table(FILE *out, const Explained *rows, int count, bool color) {
  const char *headings[4] = {"policy", "payer or vendor", "decision", "decided by"};
  int widths[3] = {6, 5, 8};
  const char **cells = GC_MALLOC((size_t)count * 4 * sizeof *cells);
  for (int i = 0; i < count; i++) {
    cells[4 * i] = rows[i].program->name;
    const Lowered *row = rows[i].program;
    cells[4 * i + 1] = row->payer ? row->payer : row->vendor ? row->vendor : "-";
    cells[4 * i + 2] = decision_name(rows[i].result->decision);
    cells[4 * i + 3] = table_rule(&rows[i]);
    for (int c = 0; c < 3; c++) {
      int width = (int)text_char_count(cells[4 * i + c], strlen(cells[4 * i + c]));
      if (width > widths[c])
        widths[c] = width;
    }
  }
  Printer p = {out, NULL, NULL, NULL, color, NULL, {NULL, 0, 0, 0}};
  fprintf(out, "%s\n",
          paint(&p, "1", text_format("%-*s  %-*s  %-*s  %s", widths[0], headings[0], widths[1],
                                     headings[1], widths[2], headings[2], headings[3])));
  bool disagree = false;
  for (int i = 0; i < count; i++) {
    disagree |= rows[i].result->decision != rows[0].result->decision;
    for (int c = 0; c < 2; c++) {
      int pad = widths[c] - (int)text_char_count(cells[4 * i + c], strlen(cells[4 * i + c]));
      fprintf(out, "%s%*s  ", cells[4 * i + c], pad, "");
    }
    int pad = widths[2] - (int)strlen(cells[4 * i + 2]);
    fprintf(out, "%s%*s  %s\n", paint(&p, decision_color(rows[i].result->decision),
                                      cells[4 * i + 2]),
            pad, "", cells[4 * i + 3]);
  }
  if (count > 1)
    fprintf(out, "\n%s\n", disagree ? "The payers disagree on this case."
                                    : "The payers agree on this case.");
}
