/* lower.c - a checked Program to the flat Lowered form (lower.h).
 *
 * Criteria are lowered before the first rule that uses them, in dependency
 * order found with an explicit stack (a chain of 100,000 criteria must not
 * overflow the C stack); each body is then lowered by a recursion no deeper
 * than the parser allows groups to nest.  A reference to a criterion
 * becomes its own OP_CRITERION node, whose one child is the criterion's
 * shared body, so the words and citations written at each use stay with
 * that use.
 *
 * lower_table then copies the nodes, one for one, into the runtime's
 * tables and adds the evaluation plan: each node a step, grouped by the
 * part that first needs it (the notes, then each stage in precedence
 * order, then nothing), and within a part by kind, conditions first; and
 * the decision program (mrsp_decide_only): the rules as tests of one fact
 * each, in the order a decision needs them, criteria written out or called
 * (a queue, not a recursion, writes the called ones); the policy's words,
 * citations and source lines go with them, for hosts and for the comments
 * of emitted C.
 */
#include "lower.h"

#include <gc.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "text.h"

typedef struct Lowering {
  Lowered *out;
  int node_capacity, kid_capacity, range_capacity, mask_capacity;
  int criterion_capacity, rule_capacity, note_capacity;
  int *criterion_body;   /* by Criterion.index: its LowCriterion, or -1 */
} Lowering;

/* ---- names --------------------------------------------------------------- */

const char *low_type_name(LowType type) {
  static const char *const names[] = {
#define X(kind, name) name,
      LOW_TYPE_LIST(X)
#undef X
  };
  return names[type];
}

const char *low_op_name(LowOp op) {
  static const char *const names[] = {
#define X(kind, name) name,
      LOW_OP_LIST(X)
#undef X
  };
  return names[op];
}

static const char *const stage_names[] = {
#define X(kind, name, decision) name,
    LOW_STAGE_LIST(X)
#undef X
};

const char *low_stage_name(LowStage stage) {
  return stage_names[stage];
}

Decision low_stage_decision(LowStage stage) {
  static const Decision decisions[] = {
#define X(kind, name, decision) decision,
      LOW_STAGE_LIST(X)
#undef X
  };
  return decisions[stage];
}

int low_stage_lookup(const char *name) {
  for (int i = 0; i < STAGE_COUNT; i++)
    if (strcmp(stage_names[i], name) == 0)
      return i;
  return -1;
}

/* ---- codes --------------------------------------------------------------- */

/* The runtime packs codes (its calendar.c says how), so a code in a case
 * file, in a policy and in an emitted table is the same integer. */
int64_t code_pack(const char *text, size_t length) {
  return mrsp_code_pack(text, length);
}

void code_unpack(int64_t code, char *buffer) {
  mrsp_code_unpack(code, buffer);
}

/* ---- growing the arrays -------------------------------------------------- */

static void *grow(void *items, int *capacity, int needed, size_t size, bool atomic) {
  if (needed <= *capacity)
    return items;
  int next = *capacity ? *capacity * 2 : 16;
  while (next < needed)
    next *= 2;
  void *bigger = atomic ? GC_MALLOC_ATOMIC((size_t)next * size) : GC_MALLOC((size_t)next * size);
  if (*capacity)
    memcpy(bigger, items, (size_t)*capacity * size);
  *capacity = next;
  return bigger;
}

static int add_node(Lowering *l, LowNode node, const Node *syntax, const char *label) {
  Lowered *out = l->out;
  int capacity = l->node_capacity;
  out->nodes = grow(out->nodes, &l->node_capacity, out->node_count + 1, sizeof *out->nodes, true);
  out->info = grow(out->info, &capacity, out->node_count + 1, sizeof *out->info, false);
  if (node.subject >= 0)
    node.slot = out->facts[node.subject].slot;
  out->nodes[out->node_count] = node;
  out->info[out->node_count] = (LowNodeInfo){syntax, label};
  return out->node_count++;
}

static LowNode blank_node(LowOp op, int subject) {
  LowNode node;
  memset(&node, 0, sizeof node);
  node.op = op;
  node.subject = subject;
  node.rhs.fact = node.high.fact = -1;
  return node;
}

static int add_kids(Lowering *l, const int *kids, int count) {
  Lowered *out = l->out;
  out->kids = grow(out->kids, &l->kid_capacity, out->kid_count + count, sizeof *out->kids, true);
  memcpy(out->kids + out->kid_count, kids, (size_t)count * sizeof *kids);
  int first = out->kid_count;
  out->kid_count += count;
  return first;
}

static int add_range(Lowering *l, int64_t low, int64_t high) {
  Lowered *out = l->out;
  out->ranges = grow(out->ranges, &l->range_capacity, 2 * (out->range_count + 1),
                     sizeof *out->ranges, true);
  out->ranges[2 * out->range_count] = low;
  out->ranges[2 * out->range_count + 1] = high;
  return out->range_count++;
}

/* A zeroed mask of the enum's width; returns its first word. */
static int add_mask(Lowering *l, int enumeration) {
  Lowered *out = l->out;
  int words = out->enums[enumeration].words;
  out->masks = grow(out->masks, &l->mask_capacity, out->mask_count + words, sizeof *out->masks,
                    true);
  memset(out->masks + out->mask_count, 0, (size_t)words * sizeof *out->masks);
  int first = out->mask_count;
  out->mask_count += words;
  return first;
}

static void mask_set(Lowering *l, int first, int member) {
  l->out->masks[first + member / 64] |= (uint64_t)1 << (member % 64);
}

/* ---- the schema ---------------------------------------------------------- */

static void lower_enums(Lowering *l, const Program *program) {
  Lowered *out = l->out;
  out->enum_count = program->enum_count;
  out->enums = GC_MALLOC(((size_t)program->enum_count + 1) * sizeof *out->enums);
  for (int i = 0; i < program->enum_count; i++) {
    const EnumDecl *decl = program->enums[i];
    const char **members = GC_MALLOC(((size_t)decl->count + 1) * sizeof *members);
    for (int j = 0; j < decl->count; j++)
      members[j] = decl->members[j]->name.text;
    out->enums[i] = (LowEnum){decl->name.text, members, decl->count, (decl->count + 63) / 64};
    if (out->enums[i].words == 0)
      out->enums[i].words = 1;
  }
}

static LowType low_type(TypeKind kind) {
  switch (kind) {
  case TY_INT:
    return LOW_INT;
  case TY_DATE:
    return LOW_DATE;
  case TY_CODE:
    return LOW_CODE;
  case TY_ENUM:
    return LOW_ENUM;
  case TY_SET:
    return LOW_SET;
  case TY_BOOL:
  case TY_ERROR:
    break;
  }
  return LOW_BOOL;
}

static void lower_facts(Lowering *l, const Program *program) {
  Lowered *out = l->out;
  out->fact_count = program->fact_count;
  out->facts = GC_MALLOC(((size_t)program->fact_count + 1) * sizeof *out->facts);
  int slot = 0;
  for (int i = 0; i < program->fact_count; i++) {
    const FactDecl *decl = program->facts[i];
    LowFact *fact = &out->facts[i];
    fact->name = decl->name.text;
    fact->type = low_type(decl->type.kind);
    fact->enumeration = decl->type.enumeration ? decl->type.enumeration->index : -1;
    fact->slot = slot;
    fact->words = fact->type == LOW_SET ? out->enums[fact->enumeration].words : 1;
    fact->ranged = fact->type == LOW_INT && decl->range != NULL;
    fact->low = fact->ranged ? decl->range->items[0]->number : INT64_MIN;
    fact->high = fact->ranged ? decl->range->items[1]->number : INT64_MAX;
    slot += fact->words;
  }
  out->value_words = slot;
  out->known_words = (program->fact_count + 63) / 64;
  if (out->known_words == 0)
    out->known_words = 1;
}

/* ---- literals ------------------------------------------------------------ */

int64_t lower_literal(const Literal *literal, LowType type) {
  switch (type) {
  case LOW_DATE:
    return literal->day;
  case LOW_CODE:
    return code_pack(literal->text, strlen(literal->text));
  case LOW_ENUM:
  case LOW_SET:
    return literal->member;
  case LOW_BOOL:
  case LOW_INT:
    break;
  }
  return literal->number;
}

static LowOperand lower_operand(Lowering *l, const Operand *operand, LowType type) {
  (void)l;
  LowOperand low = {-1, 0};
  if (operand->fact)
    low.fact = operand->fact->index;
  else
    low.value = lower_literal(operand->literal, type);
  return low;
}

/* ---- labels: a condition in words ---------------------------------------- */

static void append_literal(TextBuffer *out, const Literal *literal) {
  switch (literal->kind) {
  case LIT_RANGE:
    append_literal(out, literal->items[0]);
    text_appendf(out, " to ");
    append_literal(out, literal->items[1]);
    return;
  case LIT_SET:
    text_appendf(out, "{");
    for (int i = 0; i < literal->count; i++) {
      text_appendf(out, "%s", i ? ", " : "");
      append_literal(out, literal->items[i]);
    }
    text_appendf(out, "}");
    return;
  case LIT_STRING:
    text_appendf(out, "\"%s\"", literal->text);
    return;
  case LIT_BOOL:
    text_appendf(out, "%s", literal->number ? "true" : "false");
    return;
  case LIT_CODE:
    text_appendf(out, "%s%s", literal->add_on ? "+" : "", literal->text);
    return;
  default:
    text_appendf(out, "%s", literal->text ? literal->text : "");
    return;
  }
}

static void append_operand(TextBuffer *out, const Operand *operand) {
  if (operand->fact)
    text_appendf(out, "%s", operand->fact->name.text);
  else
    append_literal(out, operand->literal);
}

static const char *condition_label(const Node *node) {
  TextBuffer out = {0};
  const char *subject = node->subject.text;
  switch (node->kind) {
  case ND_REF:
    text_appendf(&out, "%s", subject);
    break;
  case ND_IS:
    text_appendf(&out, "%s is ", subject);
    append_operand(&out, &node->rhs);
    break;
  case ND_IN:
    text_appendf(&out, "%s in ", subject);
    append_literal(&out, node->set);
    break;
  case ND_HAS:
    text_appendf(&out, "%s has ", subject);
    append_literal(&out, node->rhs.literal);
    break;
  case ND_HAS_ANY:
  case ND_HAS_ALL:
    text_appendf(&out, "%s %s ", subject, ast_node_kind_name(node->kind));
    append_literal(&out, node->set);
    break;
  case ND_COMPARE:
    text_appendf(&out, "%s %s ", subject, ast_compare_op_words(node->compare));
    append_operand(&out, &node->rhs);
    break;
  case ND_BETWEEN:
    text_appendf(&out, "%s between ", subject);
    append_operand(&out, &node->rhs);
    text_appendf(&out, " and ");
    append_operand(&out, &node->high);
    break;
  case ND_WITHIN:
    text_appendf(&out, "%s within %d %s %s ", subject, node->amount,
                 ast_time_unit_word(node->unit), node->after ? "after" : "before");
    append_operand(&out, &node->rhs);
    break;
  case ND_CONST:
    text_appendf(&out, "%s", node->value ? "true" : "false");
    break;
  default:
    return NULL;
  }
  return text_finish(&out);
}

/* ---- conditions ---------------------------------------------------------- */

static int lower_node(Lowering *l, const Node *node);

static LowOp compare_op(CompareOp op) {
  switch (op) {
  case CMP_AT_LEAST:
  case CMP_ON_OR_AFTER:
    return OP_GREATER_EQUAL;
  case CMP_AT_MOST:
  case CMP_ON_OR_BEFORE:
    return OP_LESS_EQUAL;
  case CMP_MORE_THAN:
  case CMP_AFTER:
    return OP_GREATER;
  case CMP_LESS_THAN:
  case CMP_BEFORE:
    break;
  }
  return OP_LESS;
}

/* fact in { members } of an enum fact, or has / has any / has all. */
static LowNode mask_node(Lowering *l, LowOp op, int subject, const Literal *set,
                         const Literal *single) {
  LowNode low = blank_node(op, subject);
  low.first = add_mask(l, l->out->facts[subject].enumeration);
  low.count = l->out->enums[l->out->facts[subject].enumeration].words;
  if (single)
    mask_set(l, low.first, single->member);
  for (int i = 0; set && i < set->count; i++)
    mask_set(l, low.first, set->items[i]->member);
  return low;
}

/* fact in { values and ranges } of an int or code fact. */
static LowNode ranges_node(Lowering *l, int subject, const Literal *set) {
  LowType type = l->out->facts[subject].type;
  LowNode low = blank_node(OP_IN_RANGES, subject);
  low.first = l->out->range_count;
  low.count = set->count;
  for (int i = 0; i < set->count; i++) {
    const Literal *item = set->items[i];
    if (item->kind == LIT_RANGE)
      add_range(l, lower_literal(item->items[0], type), lower_literal(item->items[1], type));
    else
      add_range(l, lower_literal(item, type), lower_literal(item, type));
  }
  return low;
}

/* date within N units before|after reference; against a fixed date the
 * window is computed here, once. */
static LowNode within_node(Lowering *l, const Node *node, int subject) {
  LowOperand reference = lower_operand(l, &node->rhs, LOW_DATE);
  if (reference.fact >= 0) {
    LowNode low = blank_node(node->after ? OP_WITHIN_AFTER : OP_WITHIN_BEFORE, subject);
    low.rhs = reference;
    low.amount = node->amount;
    low.unit = node->unit;
    return low;
  }
  int32_t day = (int32_t)reference.value;
  int32_t other = mrsp_date_add(day, node->after ? node->amount : -node->amount,
                                (MrspUnit)node->unit);
  LowNode low = blank_node(OP_BETWEEN, subject);
  low.rhs.value = node->after ? day : other;
  low.high.value = node->after ? other : day;
  return low;
}

static LowNode condition_node(Lowering *l, const Node *node) {
  int subject = node->fact->index;
  LowType type = l->out->facts[subject].type;
  LowNode low = blank_node(OP_EQUAL, subject);
  switch (node->kind) {
  case ND_IS:
    low.rhs = lower_operand(l, &node->rhs, type);
    return low;
  case ND_IN:
    if (type == LOW_ENUM)
      return mask_node(l, OP_IN_MASK, subject, node->set, NULL);
    return ranges_node(l, subject, node->set);
  case ND_HAS:
    return mask_node(l, OP_HAS_ANY, subject, NULL, node->rhs.literal);
  case ND_HAS_ANY:
    return mask_node(l, OP_HAS_ANY, subject, node->set, NULL);
  case ND_HAS_ALL:
    return mask_node(l, OP_HAS_ALL, subject, node->set, NULL);
  case ND_COMPARE:
    low.op = compare_op(node->compare);
    low.rhs = lower_operand(l, &node->rhs, type);
    return low;
  case ND_BETWEEN:
    low.op = OP_BETWEEN;
    low.rhs = lower_operand(l, &node->rhs, type);
    low.high = lower_operand(l, &node->high, type);
    return low;
  case ND_WITHIN:
    return within_node(l, node, subject);
  default:
    return low;
  }
}

/* group -> all | any | at least N of < items > */
static int lower_group(Lowering *l, const Node *node) {
  int *kids = GC_MALLOC_ATOMIC(((size_t)node->count + 1) * sizeof *kids);
  for (int i = 0; i < node->count; i++)
    kids[i] = lower_node(l, node->items[i]);
  LowOp op = node->kind == ND_ALL ? OP_ALL : node->kind == ND_ANY ? OP_ANY : OP_AT_LEAST;
  LowNode low = blank_node(op, -1);
  low.first = add_kids(l, kids, node->count);
  low.count = node->count;
  low.amount = node->at_least;
  return add_node(l, low, node, NULL);
}

/* reference -> criterion_name: a node of its own over the shared body */
static int lower_criterion_use(Lowering *l, const Node *node) {
  int index = l->criterion_body[node->criterion->index];
  int body = l->out->criteria[index].body;
  LowNode low = blank_node(OP_CRITERION, -1);
  low.first = add_kids(l, &body, 1);
  low.count = 1;
  low.amount = index;
  return add_node(l, low, node, node->subject.text);
}

static int lower_node(Lowering *l, const Node *node) {
  switch (node->kind) {
  case ND_ALL:
  case ND_ANY:
  case ND_AT_LEAST:
    return lower_group(l, node);
  case ND_NOT: {
    int operand = lower_node(l, node->operand);
    LowNode low = blank_node(OP_NOT, -1);
    low.first = add_kids(l, &operand, 1);
    low.count = 1;
    return add_node(l, low, node, NULL);
  }
  case ND_REF:
    if (node->criterion)
      return lower_criterion_use(l, node);
    return add_node(l, blank_node(OP_BOOL, node->fact->index), node, condition_label(node));
  case ND_CONST: {
    LowNode low = blank_node(OP_CONST, -1);
    low.rhs.value = node->value;
    return add_node(l, low, node, condition_label(node));
  }
  default:
    return add_node(l, condition_node(l, node), node, condition_label(node));
  }
}

/* ---- criteria in dependency order ---------------------------------------- */

static void collect_references(const Node *node, PtrList *found) {
  switch (node->kind) {
  case ND_ALL:
  case ND_ANY:
  case ND_AT_LEAST:
    for (int i = 0; i < node->count; i++)
      collect_references(node->items[i], found);
    break;
  case ND_NOT:
    collect_references(node->operand, found);
    break;
  case ND_REF:
    if (node->criterion)
      ast_list_push(found, node->criterion);
    break;
  default:
    break;
  }
}

static void lower_criterion_body(Lowering *l, const Criterion *criterion) {
  Lowered *out = l->out;
  int body = lower_node(l, criterion->body);
  out->criteria = grow(out->criteria, &l->criterion_capacity, out->criterion_count + 1,
                       sizeof *out->criteria, false);
  out->criteria[out->criterion_count] = (LowCriterion){criterion->name.text, body, criterion};
  l->criterion_body[criterion->index] = out->criterion_count++;
}

/* Lowers every criterion `root` uses, each after the criteria it uses. */
static void lower_criteria_of(Lowering *l, const Node *root) {
  typedef struct Frame {
    const Criterion *criterion;
    PtrList uses;
    int next;
  } Frame;
  PtrList pending = {0};
  collect_references(root, &pending);
  Frame *stack = NULL;
  int depth = 0, capacity = 0;
  for (int i = 0; i < pending.count; i++) {
    const Criterion *start = pending.items[i];
    if (l->criterion_body[start->index] != -1)
      continue;
    stack = grow(stack, &capacity, depth + 1, sizeof *stack, false);
    stack[depth++] = (Frame){start, {0}, 0};
    collect_references(start->body, &stack[depth - 1].uses);
    l->criterion_body[start->index] = -2; /* in progress */
    while (depth > 0) {
      Frame *top = &stack[depth - 1];
      if (top->next == top->uses.count) {
        lower_criterion_body(l, top->criterion);
        depth--;
        continue;
      }
      const Criterion *used = top->uses.items[top->next++];
      if (l->criterion_body[used->index] != -1)
        continue; /* lowered, or in progress: the checker ruled out cycles */
      l->criterion_body[used->index] = -2;
      stack = grow(stack, &capacity, depth + 1, sizeof *stack, false);
      stack[depth++] = (Frame){used, {0}, 0};
      collect_references(used->body, &stack[depth - 1].uses);
    }
  }
}

static int lower_condition(Lowering *l, const Node *node) {
  lower_criteria_of(l, node);
  return lower_node(l, node);
}

/* ---- rules and notes ----------------------------------------------------- */

static LowStage section_stage(SectionKind kind) {
  switch (kind) {
  case SEC_REFER:
    return STAGE_REFER;
  case SEC_INVESTIGATIONAL:
    return STAGE_INVESTIGATIONAL;
  case SEC_EXCLUDE:
    return STAGE_EXCLUDE;
  case SEC_REQUIRE:
    return STAGE_REQUIRE;
  case SEC_APPLIES:
  case SEC_NOTE:
    break;
  }
  return STAGE_APPLIES;
}

static void add_rule(Lowering *l, LowRule rule) {
  Lowered *out = l->out;
  out->rules = grow(out->rules, &l->rule_capacity, out->rule_count + 1, sizeof *out->rules, false);
  out->rules[out->rule_count++] = rule;
}

static const MetaEntry *find_entry(const Program *program, const char *key) {
  for (int i = 0; program->policy && i < program->policy->count; i++)
    if (strcmp(program->policy->entries[i]->key.text, key) == 0)
      return program->policy->entries[i];
  return NULL;
}

static void add_policy_rule(Lowering *l, const char *key, LowNode node, const char *label) {
  int root = add_node(l, node, NULL, label);
  LowRule rule = {STAGE_APPLIES, root, text_format("policy %s", key), NULL, NULL,
                  find_entry(l->out->program, key)};
  add_rule(l, rule);
}

static const char *members_label(const char *fact, const LowEnum *enumeration, const int *members,
                                 int count) {
  TextBuffer out = {0};
  text_appendf(&out, "%s in {", fact);
  for (int i = 0; i < count; i++)
    text_appendf(&out, "%s%s", i ? ", " : "", enumeration->members[members[i]]);
  text_appendf(&out, "}");
  return text_finish(&out);
}

static void lower_member_list(Lowering *l, const char *key, const FactDecl *fact,
                              const int *members, int count) {
  if (count == 0 || !fact)
    return;
  LowNode node = blank_node(OP_IN_MASK, fact->index);
  int enumeration = l->out->facts[fact->index].enumeration;
  node.first = add_mask(l, enumeration);
  node.count = l->out->enums[enumeration].words;
  for (int i = 0; i < count; i++)
    mask_set(l, node.first, members[i]);
  add_policy_rule(l, key, node,
                  members_label(fact->name.text, &l->out->enums[enumeration], members, count));
}

/* The policy block's codes, lines, ages and settings, as the first rules
 * of the applicability stage. */
static void lower_applicability(Lowering *l, const Program *program) {
  const Applicability *applies = &program->applies;
  if (applies->code_count && program->procedure_code) {
    LowNode node = blank_node(OP_IN_RANGES, program->procedure_code->index);
    node.first = l->out->range_count;
    node.count = applies->code_count;
    TextBuffer label = {0};
    text_appendf(&label, "%s in {", program->procedure_code->name.text);
    for (int i = 0; i < applies->code_count; i++) {
      const CodeRange *range = &applies->codes[i];
      add_range(l, code_pack(range->low, strlen(range->low)),
                code_pack(range->high, strlen(range->high)));
      text_appendf(&label, "%s%s", i ? ", " : "", range->low);
      if (strcmp(range->low, range->high) != 0)
        text_appendf(&label, " to %s", range->high);
    }
    text_appendf(&label, "}");
    add_policy_rule(l, "codes", node, text_finish(&label));
  }
  lower_member_list(l, "lines", program->line_of_business, applies->lines, applies->line_count);
  if (applies->age_count && program->age_years) {
    LowNode node = blank_node(OP_IN_RANGES, program->age_years->index);
    node.first = l->out->range_count;
    node.count = applies->age_count;
    TextBuffer label = {0};
    text_appendf(&label, "%s in {", program->age_years->name.text);
    for (int i = 0; i < applies->age_count; i++) {
      add_range(l, applies->ages[i].low, applies->ages[i].high);
      text_appendf(&label, "%s%d to %d", i ? ", " : "", applies->ages[i].low,
                   applies->ages[i].high);
    }
    text_appendf(&label, "}");
    add_policy_rule(l, "ages", node, text_finish(&label));
  }
  lower_member_list(l, "settings", program->setting, applies->settings, applies->setting_count);
}

static const char *rule_name(const Section *section, int ordinal) {
  if (section->name.text)
    return section->name.text;
  return text_format("%s#%d", ast_section_keyword(section->kind), ordinal);
}

static void lower_note(Lowering *l, const Section *section) {
  Lowered *out = l->out;
  int root = section->condition ? lower_condition(l, section->condition) : -1;
  out->notes = grow(out->notes, &l->note_capacity, out->note_count + 1, sizeof *out->notes, false);
  out->notes[out->note_count++] = (LowNote){section->name.text, section->doc, root, section};
}

/* The rules of one stage, in source order. */
static void lower_stage(Lowering *l, const Program *program, LowStage stage) {
  l->out->stage_first[stage] = l->out->rule_count;
  if (stage == STAGE_APPLIES)
    lower_applicability(l, program);
  int ordinal = 0;
  for (int i = 0; i < program->section_count; i++) {
    const Section *section = program->sections[i];
    if (section->kind == SEC_NOTE || section_stage(section->kind) != stage)
      continue;
    ordinal++;
    int root = lower_condition(l, section->condition);
    LowRule rule = {stage, root, rule_name(section, ordinal), section->target, section, NULL};
    add_rule(l, rule);
  }
  l->out->stage_count[stage] = l->out->rule_count - l->out->stage_first[stage];
}

Lowered *lower_program(const Program *program) {
  Lowering *l = GC_NEW(Lowering);
  Lowered *out = GC_NEW(Lowered);
  l->out = out;
  out->program = program;
  out->name = program->name;
  out->title = check_meta_text(program, "title");
  out->payer = check_meta_text(program, "payer");
  out->vendor = check_meta_text(program, "vendor");
  lower_enums(l, program);
  lower_facts(l, program);
  l->criterion_body = GC_MALLOC_ATOMIC(((size_t)program->criterion_count + 1) * sizeof(int));
  for (int i = 0; i < program->criterion_count; i++)
    l->criterion_body[i] = -1;
  for (int stage = 0; stage < STAGE_COUNT; stage++)
    lower_stage(l, program, (LowStage)stage);
  for (int i = 0; i < program->section_count; i++)
    if (program->sections[i]->kind == SEC_NOTE)
      lower_note(l, program->sections[i]);
  return out;
}

/* ---- the runtime's tables ------------------------------------------------- */

/* lower.h's lists and decision.h's number their members as the runtime's
 * do, so values pass between them unconverted. */
#define SAME_AS_RUNTIME(kind, ...) \
  _Static_assert((int)kind == (int)MRSP_##kind, #kind " is numbered as in the runtime");
LOW_OP_LIST(SAME_AS_RUNTIME)
LOW_STAGE_LIST(SAME_AS_RUNTIME)
DECISION_LIST(SAME_AS_RUNTIME)
TIME_UNIT_LIST(SAME_AS_RUNTIME)
#undef SAME_AS_RUNTIME
_Static_assert((int)STAGE_COUNT == (int)MRSP_STAGE_COUNT, "stages");
_Static_assert((int)DECISION_COUNT == (int)MRSP_DECISION_COUNT, "decisions");
_Static_assert((int)LOW_BOOL == (int)MRSP_TYPE_BOOL && (int)LOW_INT == (int)MRSP_TYPE_INT &&
                   (int)LOW_DATE == (int)MRSP_TYPE_DATE && (int)LOW_CODE == (int)MRSP_TYPE_CODE &&
                   (int)LOW_ENUM == (int)MRSP_TYPE_ENUM && (int)LOW_SET == (int)MRSP_TYPE_SET,
               "types");

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

/* ---- the decision program ------------------------------------------------------ */

/* The rules as tests that each look at one fact (mrsp_runtime.h, MrspTest):
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
 * nodes gets none (mrsp_decide_only then evaluates the plan's parts). */

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
    pb->blocks = grow(pb->blocks, &pb->block_capacity, pb->block_count + 1,
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

static void table_program(TableBuilder *b) {
  const Lowered *in = b->in;
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
    renumber_tests(pb, start, main_count, b->out);
  /* the large parts of the builder, given back at once; and nothing left
   * reachable from it, should a stale copy of its address on the stack
   * keep it alive (the collector is conservative) */
  for (int i = 0; i < pb->block_count; i++)
    GC_FREE(pb->blocks[i]);
  GC_FREE(pb->memo);
  memset(pb, 0, sizeof *pb);
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
    append_literal(out, literal);
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
    table_program(b);
  describe_nodes(b);
  table_decisions(b);
  policy->cites = b->cites;
  policy->cite_count = b->cite_count;
  return policy;
}
