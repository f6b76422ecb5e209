/* table.c - a Lowered policy to the runtime's tables (table.h).
 *
 * Takes a Lowered (lower.h); produces an MrspPolicy (mrsp_runtime.h), the
 * tables the interpreter evaluates and `mrspc emit-c` writes out.
 *
 * lower_table copies the nodes, one for one, into the runtime's tables and
 * adds the evaluation plan: each node a step, grouped by the part that
 * first needs it (the notes, then each stage in precedence order, then
 * nothing), and within a part by kind, conditions first; and the decision
 * program (mrsp_decide_only, decision_program.c): the rules as tests of
 * one fact each, in the order a decision needs them, criteria written out
 * or called (a queue, not a recursion, writes the called ones); the
 * policy's words, citations and source lines go with them, for hosts and
 * for the comments of emitted C.
 */
#include "table.h"

#include <gc.h>
#include <stdlib.h>
#include <string.h>

#include "decision_program.h"
#include "lower_internal.h"
#include "source.h"
#include "text.h"

/* ---- the runtime's tables ------------------------------------------------- */

/* The time units of the syntax tree number their members as the runtime's
 * do, so values pass between them unconverted (the types, operations,
 * stages and decisions of lower.h are the runtime's own lists). */
#define SAME_AS_RUNTIME(kind, ...) \
  _Static_assert((int)kind == (int)MRSP_##kind, #kind " is numbered as in the runtime");
TIME_UNIT_LIST(SAME_AS_RUNTIME)
#undef SAME_AS_RUNTIME

typedef struct TableBuilder {
  const Lowered *in;
  MrspPolicy *out;
  int *module_of_file;     /* per source file: its module, or -1 */
  MrspCite *cites;
  int cite_count, cite_capacity;
} TableBuilder;

static bool low_is_group(LowOp op) {
  return op >= OP_ALL && op <= OP_CRITERION;
}

static MrspNode runtime_node(const Lowered *in, const LowNode *low) {
  MrspNode node;
  memset(&node, 0, sizeof node);
  node.op = (unsigned char)low->op;
  node.unit = (unsigned char)low->unit;
  node.subject = low->subject;
  node.slot = low->subject >= 0 ? in->facts[low->subject].slot : 0;
  node.first = low->first;
  node.count = low->count;
  node.amount = low->amount;
  node.rhs_fact = low->rhs.fact;
  node.rhs_slot = low->rhs.fact >= 0 ? in->facts[low->rhs.fact].slot : 0;
  node.rhs = low->rhs.value;
  node.high_fact = low->high.fact;
  node.high_slot = low->high.fact >= 0 ? in->facts[low->high.fact].slot : 0;
  node.high = low->high.value;
  return node;
}

static void table_nodes(TableBuilder *b) {
  const Lowered *in = b->in;
  MrspNode *nodes = GC_MALLOC_ATOMIC(((size_t)in->node_count + 1) * sizeof *nodes);
  for (int n = 0; n < in->node_count; n++)
    nodes[n] = runtime_node(in, &in->nodes[n]);
  b->out->nodes = nodes;
  b->out->node_count = in->node_count;
  b->out->kids = in->kids;
  b->out->kid_count = in->kid_count;
  b->out->ranges = in->ranges;
  b->out->range_count = in->range_count;
  b->out->masks = in->masks;
  b->out->mask_count = in->mask_count;
}

/* ---- the evaluation plan ----------------------------------------------------- */

enum { PART_NOTES = 0, PART_REST = STAGE_COUNT + 1 };

/* Marks with part (stored plus one: 0 is unmarked) every unmarked node
 * reachable from root. */
static void mark_part(const Lowered *in, unsigned char *part_of, int *stack, int root,
                      int part) {
  int depth = 0;
  stack[depth++] = root;
  while (depth > 0) {
    int n = stack[--depth];
    if (part_of[n])
      continue;
    part_of[n] = (unsigned char)(part + 1);
    const LowNode *node = &in->nodes[n];
    if (low_is_group(node->op))
      for (int i = 0; i < node->count; i++)
        if (!part_of[in->kids[node->first + i]])
          stack[depth++] = in->kids[node->first + i];
  }
}

/* Each node's part: the notes', the first stage whose rules need it, or
 * the rest. */
static unsigned char *find_parts(const Lowered *in) {
  unsigned char *part_of = GC_MALLOC_ATOMIC((size_t)in->node_count + 1);
  int *stack = GC_MALLOC_ATOMIC(((size_t)in->node_count + in->kid_count + 1) * sizeof *stack);
  memset(part_of, 0, (size_t)in->node_count + 1);
  for (int i = 0; i < in->note_count; i++)
    if (in->notes[i].root >= 0)
      mark_part(in, part_of, stack, in->notes[i].root, PART_NOTES);
  for (int r = 0; r < in->rule_count; r++)
    mark_part(in, part_of, stack, in->rules[r].root, 1 + in->rules[r].stage);
  for (int n = 0; n < in->node_count; n++)
    if (!part_of[n])
      part_of[n] = PART_REST + 1;
  return part_of;
}

/* A range step for low <= subject <= high; false if the range is empty. */
static bool range_step(MrspStep *step, int64_t low, int64_t high) {
  if (low > high)
    return false;
  step->base = (uint64_t)low;
  step->bound = (uint64_t)high - (uint64_t)low;
  return true;
}

/* A comparison with constants as a range step; false if it is no range. */
static bool compare_step(const LowNode *node, MrspStep *step) {
  int64_t c = node->rhs.value;
  if (node->rhs.fact >= 0 || node->high.fact >= 0)
    return false;
  switch (node->op) {
  case OP_EQUAL:
    return range_step(step, c, c);
  case OP_LESS:
    return c != INT64_MIN && range_step(step, INT64_MIN, c - 1);
  case OP_LESS_EQUAL:
    return range_step(step, INT64_MIN, c);
  case OP_GREATER:
    return c != INT64_MAX && range_step(step, c + 1, INT64_MAX);
  case OP_GREATER_EQUAL:
    return range_step(step, c, INT64_MAX);
  case OP_BETWEEN:
    return range_step(step, c, node->high.value);
  default:
    return false;
  }
}

/* The step that computes node n, of the quickest kind that fits. */
static MrspStep plan_step(const Lowered *in, int n, MrspStepKind *kind) {
  const LowNode *node = &in->nodes[n];
  MrspStep step;
  memset(&step, 0, sizeof step);
  step.node = n;
  if (node->subject >= 0) {
    step.word = in->facts[node->subject].slot;
    step.known_word = node->subject >> 6;
    step.known_bit = (uint64_t)1 << (node->subject & 63);
  }
  *kind = MRSP_STEP_NODE;
  switch (node->op) {
  case OP_ALL:
  case OP_ANY:
    *kind = node->op == OP_ALL ? MRSP_STEP_ALL : MRSP_STEP_ANY;
    step.word = node->first;
    step.count = node->count;
    break;
  case OP_NOT:
  case OP_CRITERION:
    *kind = node->op == OP_NOT ? MRSP_STEP_NOT : MRSP_STEP_COPY;
    step.word = in->kids[node->first];
    break;
  case OP_BOOL:
    *kind = MRSP_STEP_BOOL;
    break;
  case OP_IN_RANGES:
    if (node->count == 1 &&
        range_step(&step, in->ranges[2 * node->first], in->ranges[2 * node->first + 1]))
      *kind = MRSP_STEP_RANGE;
    break;
  case OP_IN_MASK:
  case OP_HAS_ANY:
  case OP_HAS_ALL:
    if (node->count == 1) {
      *kind = node->op == OP_IN_MASK  ? MRSP_STEP_MEMBER
              : node->op == OP_HAS_ANY ? MRSP_STEP_HAS_ANY
                                       : MRSP_STEP_HAS_ALL;
      step.bound = in->masks[node->first];
    }
    break;
  default:
    if (compare_step(node, &step))
      *kind = MRSP_STEP_RANGE;
    break;
  }
  return step;
}

typedef struct PlanEntry {
  int part, kind, node;
} PlanEntry;

static int compare_entries(const void *a, const void *b) {
  const PlanEntry *x = a, *y = b;
  if (x->part != y->part)
    return x->part - y->part;
  if (x->kind != y->kind)
    return x->kind - y->kind;
  return x->node - y->node;
}

/* The plan: every node a step, sorted by part; within a part, the
 * conditions by kind, so that each kind is one run, then the groups and
 * criterion uses in node order (which is dependency order: their items
 * are conditions, earlier groups of the part, or nodes of earlier parts). */
static void table_plan(TableBuilder *b) {
  const Lowered *in = b->in;
  unsigned char *part_of = find_parts(in);
  PlanEntry *entries = GC_MALLOC_ATOMIC(((size_t)in->node_count + 1) * sizeof *entries);
  MrspStep *steps = GC_MALLOC_ATOMIC(((size_t)in->node_count + 1) * sizeof *steps);
  MrspRun *runs = GC_MALLOC_ATOMIC(((size_t)in->node_count + 1) * sizeof *runs);
  for (int n = 0; n < in->node_count; n++) {
    MrspStepKind kind;
    plan_step(in, n, &kind);
    if (low_is_group(in->nodes[n].op) || in->nodes[n].op == OP_AT_LEAST)
      kind = MRSP_STEP_GROUPS;
    entries[n] = (PlanEntry){part_of[n] - 1, (int)kind, n};
  }
  qsort(entries, (size_t)in->node_count, sizeof *entries, compare_entries);
  MrspPolicy *out = b->out;
  int run_count = 0, part = 0;
  for (int i = 0; i < in->node_count; i++) {
    const PlanEntry *e = &entries[i];
    MrspStepKind kind;
    steps[i] = plan_step(in, e->node, &kind);
    steps[i].kind = (int32_t)kind;
    while (part <= e->part)
      out->part_first[part++] = run_count;
    if (i == 0 || e->part != entries[i - 1].part || e->kind != entries[i - 1].kind)
      runs[run_count++] = (MrspRun){e->kind, i, 0};
    runs[run_count - 1].count++;
  }
  while (part <= MRSP_PART_COUNT)
    out->part_first[part++] = run_count;
  out->steps = steps;
  out->step_count = in->node_count;
  out->runs = runs;
  out->run_count = run_count;
}

/* ---- what the tables say: names, words, places, citations ------------------ */

static int module_of(const TableBuilder *b, int file) {
  return b->module_of_file && file >= 0 && file < source_count() ? b->module_of_file[file] : -1;
}

static MrspSource source_of(TableBuilder *b, Span span, CiteList cites) {
  MrspSource source = {-1, 0, b->cite_count, 0};
  if (!b->module_of_file)
    return source;
  source.file = module_of(b, span.file);
  source.line = source_position(span.file, span.begin).line;
  for (int i = 0; i < cites.count; i++) {
    if (b->cite_count == b->cite_capacity) {
      b->cite_capacity = b->cite_capacity ? 2 * b->cite_capacity : 64;
      b->cites = GC_REALLOC(b->cites, (size_t)b->cite_capacity * sizeof *b->cites);
    }
    const Cite *cite = cites.items[i];
    b->cites[b->cite_count++] = (MrspCite){module_of(b, cite->span.file), cite->first, cite->last};
  }
  source.cite_count = cites.count;
  return source;
}

static MrspSource no_source(void) {
  return (MrspSource){-1, 0, 0, 0};
}

static void describe_nodes(TableBuilder *b) {
  const Lowered *in = b->in;
  MrspNodeInfo *info = GC_MALLOC(((size_t)in->node_count + 1) * sizeof *info);
  for (int n = 0; n < in->node_count; n++) {
    const LowNodeInfo *low = in->info ? &in->info[n] : NULL;
    const Node *syntax = low ? low->node : NULL;
    info[n] = (MrspNodeInfo){low ? low->label : NULL, syntax ? syntax->doc : NULL,
                             syntax ? source_of(b, syntax->span, syntax->cites) : no_source()};
  }
  b->out->node_info = info;
}

static void table_schema(TableBuilder *b) {
  const Lowered *in = b->in;
  const Program *program = in->program;
  MrspEnum *enums = GC_MALLOC(((size_t)in->enum_count + 1) * sizeof *enums);
  for (int i = 0; i < in->enum_count; i++) {
    const LowEnum *e = &in->enums[i];
    const EnumDecl *decl = program ? program->enums[i] : NULL;
    const char **docs = GC_MALLOC(((size_t)e->count + 1) * sizeof *docs);
    for (int m = 0; decl && m < e->count; m++)
      docs[m] = decl->members[m]->doc;
    enums[i] = (MrspEnum){e->name, decl ? decl->doc : NULL, (const char *const *)e->members,
                          docs, e->count, e->words};
  }
  MrspFact *facts = GC_MALLOC(((size_t)in->fact_count + 1) * sizeof *facts);
  for (int i = 0; i < in->fact_count; i++) {
    const LowFact *f = &in->facts[i];
    facts[i] = (MrspFact){f->name, program ? program->facts[i]->doc : NULL, (int32_t)f->type,
                          f->enumeration, f->slot, f->words, f->ranged, f->low, f->high};
  }
  MrspPolicy *policy = b->out;
  policy->enums = enums;
  policy->enum_count = in->enum_count;
  policy->facts = facts;
  policy->fact_count = in->fact_count;
  policy->value_words = in->value_words;
  policy->known_words = in->known_words;
}

static void table_decisions(TableBuilder *b) {
  const Lowered *in = b->in;
  MrspPolicy *policy = b->out;
  MrspCriterion *criteria = GC_MALLOC(((size_t)in->criterion_count + 1) * sizeof *criteria);
  for (int i = 0; i < in->criterion_count; i++) {
    const Criterion *decl = in->criteria[i].criterion;
    criteria[i] = (MrspCriterion){in->criteria[i].name, decl ? decl->doc : NULL,
                                  in->criteria[i].body,
                                  decl ? source_of(b, decl->span, decl->cites) : no_source()};
  }
  MrspRule *rules = GC_MALLOC(((size_t)in->rule_count + 1) * sizeof *rules);
  for (int r = 0; r < in->rule_count; r++) {
    const LowRule *rule = &in->rules[r];
    MrspSource source = rule->section ? source_of(b, rule->section->span, rule->section->cites)
                        : rule->entry ? source_of(b, rule->entry->span, rule->entry->cites)
                                      : no_source();
    rules[r] = (MrspRule){(int32_t)rule->stage, rule->root, rule->name, rule->target,
                          rule->section ? rule->section->doc : NULL, source};
  }
  MrspNote *notes = GC_MALLOC(((size_t)in->note_count + 1) * sizeof *notes);
  for (int i = 0; i < in->note_count; i++) {
    const LowNote *note = &in->notes[i];
    notes[i] = (MrspNote){note->name ? note->name : text_format("note#%d", i + 1), note->text,
                          note->root,
                          note->section ? source_of(b, note->section->span, note->section->cites)
                                        : no_source()};
  }
  policy->criteria = criteria;
  policy->criterion_count = in->criterion_count;
  policy->rules = rules;
  policy->rule_count = in->rule_count;
  for (int s = 0; s < STAGE_COUNT; s++) {
    policy->stage_first[s] = in->stage_first[s];
    policy->stage_count[s] = in->stage_count[s];
  }
  policy->notes = notes;
  policy->note_count = in->note_count;
}

/* A policy-block value as written: strings without their quotes. */
static void append_meta_value(TextBuffer *out, const Literal *literal) {
  if (literal->kind == LIT_STRING)
    text_appendf(out, "%s", literal->text);
  else if (literal->kind == LIT_INT && !literal->text)
    text_appendf(out, "%lld", literal->number);
  else
    lower_append_literal(out, literal);
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* Files (by their names alone, so the tables do not depend on where the
 * policy was checked out), references and the policy block. */
static void table_documents(TableBuilder *b) {
  const Program *program = b->in->program;
  MrspPolicy *policy = b->out;
  if (!program)
    return;
  b->module_of_file = GC_MALLOC_ATOMIC(((size_t)source_count() + 1) * sizeof(int));
  for (int f = 0; f < source_count(); f++)
    b->module_of_file[f] = -1;
  const char **files = GC_MALLOC(((size_t)program->module_count + 1) * sizeof *files);
  int references = 0;
  for (int m = 0; m < program->module_count; m++) {
    b->module_of_file[program->modules[m].module->file] = m;
    files[m] = base_name(program->modules[m].path);
    references += program->modules[m].reference_count;
  }
  MrspReference *list = GC_MALLOC(((size_t)references + 1) * sizeof *list);
  int count = 0;
  for (int m = 0; m < program->module_count; m++)
    for (int i = 0; i < program->modules[m].reference_count; i++)
      list[count++] = (MrspReference){m, program->modules[m].references[i]->number,
                                      program->modules[m].references[i]->text};
  int entries = program->policy ? program->policy->count : 0;
  MrspMeta *meta = GC_MALLOC(((size_t)entries + 1) * sizeof *meta);
  for (int i = 0; i < entries; i++) {
    const MetaEntry *entry = program->policy->entries[i];
    TextBuffer value = {0};
    for (int v = 0; v < entry->count; v++) {
      if (v)
        text_appendf(&value, ", ");
      append_meta_value(&value, entry->values[v]);
    }
    meta[i] = (MrspMeta){entry->key.text, text_finish(&value),
                         source_of(b, entry->span, entry->cites)};
  }
  policy->files = files;
  policy->file_count = program->module_count;
  policy->references = list;
  policy->reference_count = references;
  policy->meta = meta;
  policy->meta_count = entries;
}

const MrspPolicy *lower_table(const Lowered *program, bool decision_program) {
  TableBuilder *b = GC_NEW(TableBuilder);
  b->in = program;
  b->out = GC_NEW(MrspPolicy);
  MrspPolicy *policy = b->out;
  policy->format = MRSP_TABLE_FORMAT;
  policy->name = program->name;
  policy->title = program->title;
  policy->payer = program->payer;
  policy->vendor = program->vendor;
  table_documents(b);
  table_schema(b);
  table_nodes(b);
  table_plan(b);
  if (decision_program)
    decision_program_build(b->in, b->out);
  describe_nodes(b);
  table_decisions(b);
  policy->cites = b->cites;
  policy->cite_count = b->cite_count;
  return policy;
}
