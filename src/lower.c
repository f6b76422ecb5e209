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
 * The runtime's tables are built from a Lowered by table.c.
 */
#include "lower.h"

#include <gc.h>
#include <string.h>

#include "lower_internal.h"
#include "text.h"

typedef struct Lowering {
  Lowered *out;
  int node_capacity, kid_capacity, range_capacity, mask_capacity;
  int criterion_capacity, rule_capacity, note_capacity;
  int *criterion_body;   /* by Criterion.index: its LowCriterion, or -1 */
} Lowering;

/* ---- names --------------------------------------------------------------- */


const char *low_op_name(LowOp op) {
  return mrsp_op_name((MrspOp)op);
}

const char *low_stage_name(LowStage stage) {
  return mrsp_stage_name((MrspStage)stage);
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

void *lower_grow(void *items, int *capacity, int needed, size_t size, bool atomic) {
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
  out->nodes = lower_grow(out->nodes, &l->node_capacity, out->node_count + 1, sizeof *out->nodes,
                          true);
  out->info = lower_grow(out->info, &capacity, out->node_count + 1, sizeof *out->info, false);
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
  out->kids = lower_grow(out->kids, &l->kid_capacity, out->kid_count + count, sizeof *out->kids,
                         true);
  memcpy(out->kids + out->kid_count, kids, (size_t)count * sizeof *kids);
  int first = out->kid_count;
  out->kid_count += count;
  return first;
}

static int add_range(Lowering *l, int64_t low, int64_t high) {
  Lowered *out = l->out;
  out->ranges = lower_grow(out->ranges, &l->range_capacity, 2 * (out->range_count + 1),
                           sizeof *out->ranges, true);
  out->ranges[2 * out->range_count] = low;
  out->ranges[2 * out->range_count + 1] = high;
  return out->range_count++;
}

/* A zeroed mask of the enum's width; returns its first word. */
static int add_mask(Lowering *l, int enumeration) {
  Lowered *out = l->out;
  int words = out->enums[enumeration].words;
  out->masks = lower_grow(out->masks, &l->mask_capacity, out->mask_count + words,
                          sizeof *out->masks, true);
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

void lower_append_literal(TextBuffer *out, const Literal *literal) {
  switch (literal->kind) {
  case LIT_RANGE:
    lower_append_literal(out, literal->items[0]);
    text_appendf(out, " to ");
    lower_append_literal(out, literal->items[1]);
    return;
  case LIT_SET:
    text_appendf(out, "{");
    for (int i = 0; i < literal->count; i++) {
      text_appendf(out, "%s", i ? ", " : "");
      lower_append_literal(out, literal->items[i]);
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
    lower_append_literal(out, operand->literal);
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
    lower_append_literal(&out, node->set);
    break;
  case ND_HAS:
    text_appendf(&out, "%s has ", subject);
    lower_append_literal(&out, node->rhs.literal);
    break;
  case ND_HAS_ANY:
  case ND_HAS_ALL:
    text_appendf(&out, "%s %s ", subject, ast_node_kind_name(node->kind));
    lower_append_literal(&out, node->set);
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
  out->criteria = lower_grow(out->criteria, &l->criterion_capacity, out->criterion_count + 1,
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
    stack = lower_grow(stack, &capacity, depth + 1, sizeof *stack, false);
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
      stack = lower_grow(stack, &capacity, depth + 1, sizeof *stack, false);
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
  out->rules = lower_grow(out->rules, &l->rule_capacity, out->rule_count + 1, sizeof *out->rules,
                          false);
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
  out->notes = lower_grow(out->notes, &l->note_capacity, out->note_count + 1, sizeof *out->notes,
                          false);
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
