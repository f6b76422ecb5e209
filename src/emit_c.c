/* emit_c.c - the runtime's tables as C99 source and header (emit_c.h).
 *
 * The source is written in two buffers: the tables, in the order the
 * runtime's header declares their types, and the strings too long for a
 * C99 literal, hoisted above the tables as byte arrays as they are met.
 * Every table row carries a comment saying what it is; a node's names the
 * tree it belongs to (a criterion, a rule, a note) and where it is
 * written.  Nothing depends on the machine or the moment: the same tables
 * give the same bytes.
 */
#include "emit_c.h"

#include <gc.h>
#include <inttypes.h>
#include <string.h>

#include "text.h"

/* C99 promises string literals of 4095 characters; a literal is cut into
 * pieces of about PIECE characters of source, and a comment is cut at
 * COMMENT_MAX characters. */
enum { LITERAL_MAX = 4095, PIECE = 64, COMMENT_MAX = 68 };

typedef struct Emitter {
  const MrspPolicy *policy;
  const EmitOptions *options;
  TextBuffer hoisted;    /* byte arrays of long strings */
  TextBuffer out;        /* the tables */
  int long_strings;
  const char **owner;    /* per node: the tree it belongs to, in words */
  const MrspSource **owner_source; /* per node: where that tree is written */
} Emitter;

/* ---- identifiers ------------------------------------------------------------ */

static bool is_alnum(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* text as letters, digits and single underscores, none at either end
 * (so no identifier made from it is reserved: no "__", no leading "_");
 * in capitals when upper; "x" when nothing is left. */
static const char *identifier_part(const char *text, bool upper) {
  TextBuffer out = {0};
  bool gap = false;
  for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
    if (!is_alnum(*s)) {
      gap = out.length > 0;
      continue;
    }
    if (gap)
      text_append(&out, "_", 1);
    gap = false;
    char c = (char)*s;
    if (upper && c >= 'a' && c <= 'z')
      c = (char)(c - 'a' + 'A');
    text_append(&out, &c, 1);
  }
  return out.length ? text_finish(&out) : "x";
}

const char *emit_prefix(const char *requested, const char *policy_name) {
  const char *prefix = identifier_part(requested ? requested : policy_name, false);
  if (prefix[0] >= '0' && prefix[0] <= '9')
    prefix = text_format("p_%s", prefix);
  return prefix;
}

bool emit_header_name_ok(const char *name) {
  if (!*name)
    return false;
  for (const unsigned char *s = (const unsigned char *)name; *s; s++)
    if (!is_alnum(*s) && *s != '.' && *s != '_' && *s != '-' && *s != '+')
      return false;
  return true;
}

/* The identifiers a header has used: a name made twice gets _2, _3, ... */
typedef struct NameSet {
  const char **slots;
  size_t mask, count;
} NameSet;

static uint64_t name_hash(const char *text) {
  uint64_t hash = 1469598103934665603u;
  for (const unsigned char *s = (const unsigned char *)text; *s; s++)
    hash = (hash ^ *s) * 1099511628211u;
  return hash;
}

static bool name_set_add(NameSet *set, const char *name) {
  if (2 * (set->count + 1) > set->mask) {
    NameSet bigger = {NULL, set->mask ? 2 * set->mask + 1 : 255, 0};
    bigger.slots = GC_MALLOC((bigger.mask + 1) * sizeof *bigger.slots);
    for (size_t i = 0; set->slots && i <= set->mask; i++)
      if (set->slots[i])
        name_set_add(&bigger, set->slots[i]);
    *set = bigger;
  }
  size_t slot = (size_t)name_hash(name) & set->mask;
  for (; set->slots[slot]; slot = (slot + 1) & set->mask)
    if (strcmp(set->slots[slot], name) == 0)
      return false;
  set->slots[slot] = name;
  set->count++;
  return true;
}

static const char *unique_name(NameSet *set, const char *name) {
  const char *candidate = name;
  for (int n = 2; !name_set_add(set, candidate); n++)
    candidate = text_format("%s_%d", name, n);
  return candidate;
}

/* ---- strings and comments ----------------------------------------------------- */

/* The escape sequence (or character) for byte i of text. */
static const char *escaped_byte(const char *text, size_t i, char buffer[8]) {
  unsigned char c = (unsigned char)text[i];
  switch (c) {
  case '"':
    return "\\\"";
  case '\\':
    return "\\\\";
  case '\n':
    return "\\n";
  case '\t':
    return "\\t";
  case '?': /* "??" would start a trigraph */
    return i > 0 && text[i - 1] == '?' ? "\\?" : "?";
  default:
    break;
  }
  if (c < 0x20 || c >= 0x7F) { /* three digits: the escape cannot take the next character */
    buffer[0] = '\\';
    buffer[1] = (char)('0' + (c >> 6));
    buffer[2] = (char)('0' + (c >> 3 & 7));
    buffer[3] = (char)('0' + (c & 7));
    buffer[4] = '\0';
  } else {
    buffer[0] = (char)c;
    buffer[1] = '\0';
  }
  return buffer;
}

/* text as string literals of about PIECE characters each (a piece also
 * ends after a newline), the later ones on lines indented by indent; in
 * parentheses when there are several, so that in a table of strings they
 * plainly make one (clang warns of a missing comma otherwise). */
static void string_literal(TextBuffer *out, const char *text, int indent) {
  size_t length = strlen(text);
  size_t piece = 0;
  bool pieces = false;
  TextBuffer literal = {0};
  text_append(&literal, "\"", 1);
  for (size_t i = 0; i < length; i++) {
    char buffer[8];
    const char *escape = escaped_byte(text, i, buffer);
    size_t width = strlen(escape);
    /* a piece ends after a newline, at a space near its end, or at its end */
    if (piece > 0 && (piece + width > PIECE || text[i - 1] == '\n' ||
                      (piece >= PIECE - 16 && text[i - 1] == ' '))) {
      text_appendf(&literal, "\"\n%*s\"", indent, "");
      piece = 0;
      pieces = true;
    }
    text_append(&literal, escape, width);
    piece += width;
  }
  text_append(&literal, "\"", 1);
  text_appendf(out, pieces ? "(%s)" : "%s", text_finish(&literal));
}

/* text cleaned for a comment, on one line: white space runs become one
 * space, other control characters and each non-ASCII character '~', a
 * backslash '/' (none can end a line and join the next to the comment),
 * and no "*" "/" or "/" "*" or "??" pairs are left; cut at max
 * characters. */
static const char *comment_text(const char *text, size_t max) {
  TextBuffer out = {0};
  char last = ' ';
  for (const unsigned char *s = (const unsigned char *)(text ? text : ""); *s; s++) {
    char c = (char)*s;
    if (*s >= 0x80 && *s < 0xC0)
      continue; /* a continuation byte: its character is written already */
    if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
      c = ' ';
    else if (*s < 0x20 || *s == 0x7F || *s >= 0xC0)
      c = '~';
    else if (*s == '\\')
      c = '/';
    if (c == ' ' && last == ' ')
      continue;
    if ((last == '*' && c == '/') || (last == '/' && c == '*') || (last == '?' && c == '?'))
      text_append(&out, " ", 1);
    if (out.length >= max) {
      text_append(&out, "...", 3);
      break;
    }
    text_append(&out, &c, 1);
    last = c;
  }
  while (out.length && out.data[out.length - 1] == ' ')
    out.data[--out.length] = '\0';
  return text_finish(&out);
}

/* A string for a table: NULL, a literal, or the name of a hoisted byte
 * array when the string is longer than a literal may be. */
static void put_string(Emitter *e, const char *text, int indent) {
  if (!text) {
    text_appendf(&e->out, "NULL");
    return;
  }
  size_t length = strlen(text);
  if (length <= LITERAL_MAX) {
    string_literal(&e->out, text, indent);
    return;
  }
  const char *name = text_format("%s_text_%d", e->options->prefix, e->long_strings++);
  text_appendf(&e->hoisted, "/* %zu bytes: %s */\nstatic const char %s[] = {", length,
               comment_text(text, COMMENT_MAX - 16), name);
  for (size_t i = 0; i < length; i++) {
    unsigned char c = (unsigned char)text[i];
    text_appendf(&e->hoisted, "%s'\\%03o',", i % 12 == 0 ? "\n  " : " ", c);
  }
  text_appendf(&e->hoisted, "\n  0};\n\n");
  text_appendf(&e->out, "%s", name);
}

/* ---- numbers ------------------------------------------------------------------- */

static const char *int64_text(int64_t value) {
  if (value == INT64_MIN)
    return "(-INT64_C(9223372036854775807) - 1)";
  if (value > INT32_MIN && value <= INT32_MAX)
    return text_format("%" PRId64, value);
  if (value < 0)
    return text_format("-INT64_C(%" PRId64 ")", -value);
  return text_format("INT64_C(%" PRId64 ")", value);
}

static const char *mask_text(uint64_t mask) {
  return mask ? text_format("UINT64_C(0x%016" PRIx64 ")", mask) : "0";
}

/* ---- where things are ------------------------------------------------------------ */

static const char *place(const MrspPolicy *p, const MrspSource *source) {
  if (!source || source->line <= 0)
    return NULL;
  const char *file = source->file >= 0 && source->file < p->file_count ? p->files[source->file]
                                                                          : "?";
  return text_format("%s:%d", comment_text(file, COMMENT_MAX), source->line);
}

static void put_source(TextBuffer *out, const MrspSource *source) {
  text_appendf(out, "{%d, %d, %d, %d}", source->file, source->line, source->cite_first,
               source->cite_count);
}

static const char *stage_word(int stage) {
  return stage == MRSP_STAGE_APPLIES ? "applies" : mrsp_stage_name((MrspStage)stage);
}

/* Marks owner on every node of the tree rooted at root not marked yet,
 * stopping at uses of criteria (their bodies have owners of their own). */
static void own_tree(Emitter *e, int32_t *stack, int32_t root, const char *owner,
                     const MrspSource *source) {
  const MrspPolicy *p = e->policy;
  int32_t depth = 0, i;
  stack[depth++] = root;
  while (depth > 0) {
    int32_t n = stack[--depth];
    const MrspNode *node = &p->nodes[n];
    if (e->owner[n])
      continue;
    e->owner[n] = owner;
    e->owner_source[n] = source;
    if (node->op >= MRSP_OP_ALL && node->op < MRSP_OP_CRITERION)
      for (i = 0; i < node->count; i++)
        stack[depth++] = p->kids[node->first + i];
  }
}

/* Which criterion, rule or note each node belongs to, in words. */
static void find_owners(Emitter *e) {
  const MrspPolicy *p = e->policy;
  size_t nodes = (size_t)p->node_count + 1;
  int32_t *stack = GC_MALLOC_ATOMIC((nodes + (size_t)p->kid_count) * sizeof *stack);
  e->owner = GC_MALLOC(nodes * sizeof *e->owner);
  e->owner_source = GC_MALLOC(nodes * sizeof *e->owner_source);
  for (int32_t k = 0; k < p->criterion_count; k++)
    own_tree(e, stack, p->criteria[k].body, text_format("criterion %s", p->criteria[k].name),
             &p->criteria[k].source);
  for (int32_t r = 0; r < p->rule_count; r++) {
    const MrspRule *rule = &p->rules[r];
    own_tree(e, stack, rule->root,
             strncmp(rule->name, "policy ", 7) == 0
                 ? text_format("the %s list", rule->name)
                 : text_format("%s rule %s", stage_word(rule->stage), rule->name),
             &rule->source);
  }
  for (int32_t i = 0; i < p->note_count; i++)
    if (p->notes[i].root >= 0)
      own_tree(e, stack, p->notes[i].root, text_format("note %s", p->notes[i].name),
               &p->notes[i].source);
  for (int32_t n = 0; n < p->node_count; n++)
    if (!e->owner[n])
      e->owner[n] = "no rule";
}

/* What a node is, in words. */
static const char *node_words(const MrspPolicy *p, int32_t n) {
  const MrspNode *node = &p->nodes[n];
  const char *label = p->node_info ? p->node_info[n].label : NULL;
  switch (node->op) {
  case MRSP_OP_ALL:
    return text_format("all of %d", node->count);
  case MRSP_OP_ANY:
    return text_format("any of %d", node->count);
  case MRSP_OP_AT_LEAST:
    return text_format("at least %d of %d", node->amount, node->count);
  case MRSP_OP_NOT:
    return "not";
  case MRSP_OP_CRITERION:
    return text_format("criterion %s", label ? label : "?");
  default:
    return label ? label : mrsp_op_name((MrspOp)node->op);
  }
}

static const char *node_comment(const Emitter *e, int32_t n) {
  const MrspPolicy *p = e->policy;
  const MrspSource *own = p->node_info ? &p->node_info[n].source : NULL;
  const char *where = place(p, own && own->line > 0 ? own : e->owner_source[n]);
  const char *text = text_format("%d: %s%s%s: %s", n, e->owner[n],
                                 where ? ", " : "", where ? where : "", node_words(p, n));
  return comment_text(text, 2 * COMMENT_MAX);
}

/* ---- the tables ------------------------------------------------------------------- */

/* `static const TYPE PREFIX_NAME[] = {` and back the table's name; or,
 * for an empty table, nothing and "NULL" (C has no empty arrays). */
static const char *open_table(Emitter *e, const char *type, const char *name, int32_t count,
                              const char *what) {
  if (count == 0)
    return "NULL";
  const char *symbol = text_format("%s_%s", e->options->prefix, name);
  text_appendf(&e->out, "/* %s */\nstatic const %s %s[] = {\n", what, type, symbol);
  return symbol;
}

static void close_table(Emitter *e, int32_t count) {
  if (count)
    text_appendf(&e->out, "};\n\n");
}

static const char *emit_strings(Emitter *e, const char *name, const char *const *strings,
                                int32_t count, const char *what) {
  const char *symbol = open_table(e, "char *const", name, count, what);
  for (int32_t i = 0; i < count; i++) {
    text_appendf(&e->out, "  ");
    put_string(e, strings[i], 4);
    text_appendf(&e->out, ",\n");
  }
  close_table(e, count);
  return symbol;
}

static const char *emit_enums(Emitter *e) {
  const MrspPolicy *p = e->policy;
  const char **members = GC_MALLOC(((size_t)p->enum_count + 1) * sizeof *members);
  const char **docs = GC_MALLOC(((size_t)p->enum_count + 1) * sizeof *docs);
  for (int32_t i = 0; i < p->enum_count; i++) {
    const MrspEnum *en = &p->enums[i];
    const char *what = comment_text(text_format("enum %s", en->name), COMMENT_MAX);
    members[i] = emit_strings(e, text_format("enum_%d_members", i), en->members,
                              en->member_count, text_format("members of %s", what));
    docs[i] = en->member_docs ? emit_strings(e, text_format("enum_%d_docs", i), en->member_docs,
                                             en->member_count, text_format("their words"))
                              : "NULL";
  }
  const char *symbol =
      open_table(e, "MrspEnum", "enums", p->enum_count,
                 "enums: name, doc, members, member docs, member count, mask words");
  for (int32_t i = 0; i < p->enum_count; i++) {
    const MrspEnum *en = &p->enums[i];
    text_appendf(&e->out, "  /* %d */\n  {", i);
    put_string(e, en->name, 4);
    text_appendf(&e->out, ",\n   ");
    put_string(e, en->doc, 4);
    text_appendf(&e->out, ",\n   %s, %s, %d, %d},\n", members[i], docs[i], en->member_count,
                 en->words);
  }
  close_table(e, p->enum_count);
  return symbol;
}

static const char *emit_facts(Emitter *e) {
  const MrspPolicy *p = e->policy;
  static const char *const types[] = {
#define MRSP_X(kind, name) "MRSP_TYPE_" #kind,
      MRSP_TYPE_LIST(MRSP_X)
#undef MRSP_X
  };
  const char *symbol = open_table(
      e, "MrspFact", "facts", p->fact_count,
      "facts: name, doc, type, enum, slot, words, ranged, low, high");
  for (int32_t i = 0; i < p->fact_count; i++) {
    const MrspFact *f = &p->facts[i];
    text_appendf(&e->out, "  /* %d */\n  {", i);
    put_string(e, f->name, 4);
    text_appendf(&e->out, ",\n   ");
    put_string(e, f->doc, 4);
    text_appendf(&e->out, ",\n   %s, %d, %d, %d, %d, %s, %s},\n",
                 f->type >= 0 && f->type < MRSP_TYPE_COUNT ? types[f->type] : "-1",
                 f->enumeration, f->slot, f->words, f->ranged, int64_text(f->low),
                 int64_text(f->high));
  }
  close_table(e, p->fact_count);
  return symbol;
}

static const char *emit_nodes(Emitter *e) {
  const MrspPolicy *p = e->policy;
  static const char *const ops[] = {
#define MRSP_X(kind, name) "MRSP_OP_" #kind,
      MRSP_OP_LIST(MRSP_X)
#undef MRSP_X
  };
  static const char *const units[] = {
#define MRSP_X(kind, name) "MRSP_UNIT_" #kind,
      MRSP_UNIT_LIST(MRSP_X)
#undef MRSP_X
  };
  const char *symbol = open_table(
      e, "MrspNode", "nodes", p->node_count,
      "nodes, items first: op, unit, subject, slot, first, count, amount,\n"
      "   rhs fact, rhs slot, high fact, high slot, rhs, high");
  for (int32_t n = 0; n < p->node_count; n++) {
    const MrspNode *node = &p->nodes[n];
    text_appendf(&e->out, "  /* %s */\n", node_comment(e, n));
    text_appendf(&e->out, "  {%s, %s, %d, %d, %d, %d, %d, %d, %d, %d, %d, %s, %s},\n",
                 node->op < MRSP_OP_COUNT ? ops[node->op] : "0",
                 node->unit < MRSP_UNIT_COUNT ? units[node->unit] : "0", node->subject,
                 node->slot, node->first, node->count, node->amount, node->rhs_fact,
                 node->rhs_slot, node->high_fact, node->high_slot, int64_text(node->rhs),
                 int64_text(node->high));
  }
  close_table(e, p->node_count);
  return symbol;
}

static const char *emit_node_info(Emitter *e) {
  const MrspPolicy *p = e->policy;
  int32_t count = p->node_info ? p->node_count : 0;
  const char *symbol = open_table(e, "MrspNodeInfo", "node_info", count,
                                  "what each node says: label, doc, {file, line, cites}");
  for (int32_t n = 0; n < count; n++) {
    const MrspNodeInfo *info = &p->node_info[n];
    text_appendf(&e->out, "  /* %d */\n  {", n);
    put_string(e, info->label, 4);
    text_appendf(&e->out, ",\n   ");
    put_string(e, info->doc, 4);
    text_appendf(&e->out, ",\n   ");
    put_source(&e->out, &info->source);
    text_appendf(&e->out, "},\n");
  }
  close_table(e, count);
  return symbol;
}

/* numbers, a few to a line */
static const char *emit_numbers(Emitter *e, const char *type, const char *name,
                                const void *items, int32_t count, int kind, const char *what) {
  const char *symbol = open_table(e, type, name, count, what);
  for (int32_t i = 0; i < count; i++) {
    const char *text = kind == 0   ? text_format("%d", ((const int32_t *)items)[i])
                       : kind == 1 ? int64_text(((const int64_t *)items)[i])
                                   : mask_text(((const uint64_t *)items)[i]);
    text_appendf(&e->out, "%s%s,", i % 8 == 0 ? (i ? "\n  " : "  ") : " ", text);
  }
  if (count)
    text_appendf(&e->out, "\n");
  close_table(e, count);
  return symbol;
}

static const char *step_kind_name(int32_t kind) {
  static const char *const kinds[] = {
#define MRSP_X(kind, name) #kind,
      MRSP_STEP_LIST(MRSP_X)
#undef MRSP_X
  };
  return kind >= 0 && kind < MRSP_STEP_COUNT ? kinds[kind] : "0";
}

/* The plan: steps, then runs, each run with a comment naming its part. */
static const char *emit_steps(Emitter *e) {
  const MrspPolicy *p = e->policy;
  const char *symbol = open_table(
      e, "MrspStep", "steps", p->step_count,
      "the plan's steps: kind, node, word, count, known word, known bit, base,\n"
      "   bound");
  for (int32_t i = 0; i < p->step_count; i++) {
    const MrspStep *step = &p->steps[i];
    text_appendf(&e->out, "  {%s, %d, %d, %d, %d, %s, %s, %s},\n", step_kind_name(step->kind),
                 step->node, step->word, step->count, step->known_word,
                 mask_text(step->known_bit), mask_text(step->base), mask_text(step->bound));
  }
  close_table(e, p->step_count);
  return symbol;
}

static const char *part_name(int part) {
  if (part == 0)
    return "the notes";
  if (part == MRSP_PART_COUNT - 1)
    return "no rule";
  return text_format("stage %s", mrsp_stage_name((MrspStage)(part - 1)));
}

static const char *emit_runs(Emitter *e) {
  const MrspPolicy *p = e->policy;
  const char *symbol = open_table(e, "MrspRun", "runs", p->run_count,
                                  "the plan's runs: kind, first step, steps");
  for (int part = 0; part < MRSP_PART_COUNT; part++) {
    if (p->part_first[part] < p->part_first[part + 1])
      text_appendf(&e->out, "  /* part %d: %s */\n", part, part_name(part));
    for (int32_t r = p->part_first[part]; r < p->part_first[part + 1]; r++)
      text_appendf(&e->out, "  {%s, %d, %d},\n", step_kind_name(p->runs[r].kind),
                   p->runs[r].first, p->runs[r].count);
  }
  close_table(e, p->run_count);
  return symbol;
}

/* A test's next place: a test, or an end by its macro. */
static const char *next_text(int32_t next) {
  static const char *const stages[] = {
#define MRSP_X(kind, name, decision) "MRSP_STAGE_" #kind,
      MRSP_STAGE_LIST(MRSP_X)
#undef MRSP_X
  };
  if (next >= 0)
    return text_format("%d", next);
  if (next == MRSP_END_RETURN(MRSP_FALSE))
    return "MRSP_END_RETURN(MRSP_FALSE)";
  if (next == MRSP_END_RETURN(MRSP_UNKNOWN))
    return "MRSP_END_RETURN(MRSP_UNKNOWN)";
  if (next == MRSP_END_RETURN(MRSP_TRUE))
    return "MRSP_END_RETURN(MRSP_TRUE)";
  int32_t code = -5 - next, stage = code & 7;
  if (next > -5 || stage >= MRSP_STAGE_COUNT || (code >> 3 & 1 && code >> 4))
    return text_format("%d", next); /* no end the runtime knows */
  if (code >> 3 & 1)
    return text_format("MRSP_END_UNDETERMINED(%s)", stages[stage]);
  return text_format("MRSP_END_DECIDED(%s, %d)", stages[stage], (code >> 4) - 1);
}

/* The decision program: a test a row, with a comment naming the node it
 * comes from. */
static const char *emit_tests(Emitter *e) {
  static const char *const kinds[] = {
#define MRSP_X(kind, name) #kind,
      MRSP_TEST_LIST(MRSP_X)
#undef MRSP_X
  };
  const MrspPolicy *p = e->policy;
  const char *symbol = open_table(
      e, "MrspTest", "tests", p->test_count,
      "the decision program: kind, word, known word, node, next by value\n"
      "   {false, unknown, -, true}, known bit, base, bound, merged, rule");
  for (int32_t i = 0; i < p->test_count; i++) {
    const MrspTest *test = &p->tests[i];
    bool node = test->node >= 0 && test->node < p->node_count;
    const char *what =
        !node ? text_format("%d: start", i)
        : test->kind == MRSP_TEST_CALL
            ? text_format("%d: call node %s", i, node_comment(e, test->node))
        : test->merged
            ? text_format("%d: node %s, and %d merged", i, node_comment(e, test->node),
                          test->merged)
            : text_format("%d: node %s", i, node_comment(e, test->node));
    text_appendf(&e->out, "  /* %s */\n", comment_text(what, 2 * COMMENT_MAX));
    text_appendf(&e->out, "  {%s, %d, %d, %d, {%s, %s, %s, %s}, %s, %s, %s, %d, %d},\n",
                 test->kind >= 0 && test->kind < MRSP_TEST_COUNT ? kinds[test->kind] : "0",
                 test->word, test->known_word, test->node, next_text(test->next[0]),
                 next_text(test->next[1]), next_text(test->next[2]), next_text(test->next[3]),
                 mask_text(test->known_bit), mask_text(test->base), mask_text(test->bound),
                 test->merged, test->rule);
  }
  close_table(e, p->test_count);
  return symbol;
}

static const char *emit_criteria(Emitter *e) {
  const MrspPolicy *p = e->policy;
  const char *symbol = open_table(e, "MrspCriterion", "criteria", p->criterion_count,
                                  "criteria: name, doc, body, {file, line, cites}");
  for (int32_t k = 0; k < p->criterion_count; k++) {
    const MrspCriterion *c = &p->criteria[k];
    text_appendf(&e->out, "  /* %d */\n  {", k);
    put_string(e, c->name, 4);
    text_appendf(&e->out, ",\n   ");
    put_string(e, c->doc, 4);
    text_appendf(&e->out, ",\n   %d, ", c->body);
    put_source(&e->out, &c->source);
    text_appendf(&e->out, "},\n");
  }
  close_table(e, p->criterion_count);
  return symbol;
}

static const char *emit_rules(Emitter *e) {
  const MrspPolicy *p = e->policy;
  static const char *const stages[] = {
#define MRSP_X(kind, name, decision) "MRSP_STAGE_" #kind,
      MRSP_STAGE_LIST(MRSP_X)
#undef MRSP_X
  };
  const char *symbol =
      open_table(e, "MrspRule", "rules", p->rule_count,
                 "rules by stage: stage, root, name, refer target, doc, {file, line, cites}");
  for (int32_t r = 0; r < p->rule_count; r++) {
    const MrspRule *rule = &p->rules[r];
    text_appendf(&e->out, "  /* %d */\n  {%s, %d, ", r,
                 rule->stage >= 0 && rule->stage < MRSP_STAGE_COUNT ? stages[rule->stage] : "0",
                 rule->root);
    put_string(e, rule->name, 4);
    text_appendf(&e->out, ",\n   ");
    put_string(e, rule->target, 4);
    text_appendf(&e->out, ",\n   ");
    put_string(e, rule->doc, 4);
    text_appendf(&e->out, ",\n   ");
    put_source(&e->out, &rule->source);
    text_appendf(&e->out, "},\n");
  }
  close_table(e, p->rule_count);
  return symbol;
}

static const char *emit_notes(Emitter *e) {
  const MrspPolicy *p = e->policy;
  const char *symbol = open_table(e, "MrspNote", "notes", p->note_count,
                                  "notes: name, text, condition, {file, line, cites}");
  for (int32_t i = 0; i < p->note_count; i++) {
    const MrspNote *note = &p->notes[i];
    text_appendf(&e->out, "  /* %d */\n  {", i);
    put_string(e, note->name, 4);
    text_appendf(&e->out, ",\n   ");
    put_string(e, note->text, 4);
    text_appendf(&e->out, ",\n   %d, ", note->root);
    put_source(&e->out, &note->source);
    text_appendf(&e->out, "},\n");
  }
  close_table(e, p->note_count);
  return symbol;
}

static const char *emit_cites(Emitter *e) {
  const MrspPolicy *p = e->policy;
  const char *symbol = open_table(e, "MrspCite", "cites", p->cite_count,
                                  "citations: file, first and last reference");
  for (int32_t i = 0; i < p->cite_count; i++)
    text_appendf(&e->out, "%s{%d, %d, %d},", i % 6 == 0 ? (i ? "\n  " : "  ") : " ",
                 p->cites[i].file, p->cites[i].first, p->cites[i].last);
  if (p->cite_count)
    text_appendf(&e->out, "\n");
  close_table(e, p->cite_count);
  return symbol;
}

static const char *emit_references(Emitter *e) {
  const MrspPolicy *p = e->policy;
  const char *symbol = open_table(e, "MrspReference", "references", p->reference_count,
                                  "references: file, number, text");
  for (int32_t i = 0; i < p->reference_count; i++) {
    text_appendf(&e->out, "  {%d, %d,\n   ", p->references[i].file, p->references[i].number);
    put_string(e, p->references[i].text, 4);
    text_appendf(&e->out, "},\n");
  }
  close_table(e, p->reference_count);
  return symbol;
}

static const char *emit_meta(Emitter *e) {
  const MrspPolicy *p = e->policy;
  const char *symbol = open_table(e, "MrspMeta", "meta", p->meta_count,
                                  "the policy block: key, value, {file, line, cites}");
  for (int32_t i = 0; i < p->meta_count; i++) {
    text_appendf(&e->out, "  {");
    put_string(e, p->meta[i].key, 4);
    text_appendf(&e->out, ",\n   ");
    put_string(e, p->meta[i].value, 4);
    text_appendf(&e->out, ",\n   ");
    put_source(&e->out, &p->meta[i].source);
    text_appendf(&e->out, "},\n");
  }
  close_table(e, p->meta_count);
  return symbol;
}

/* The tables' names, for the policy's own initializer. */
typedef struct Symbols {
  const char *meta, *files, *references, *cites, *enums, *facts, *nodes, *node_info, *kids,
      *ranges, *masks, *steps, *runs, *tests, *criteria, *rules, *notes;
} Symbols;

static void emit_policy(Emitter *e, const Symbols *s) {
  const MrspPolicy *p = e->policy;
  TextBuffer *out = &e->out;
  text_appendf(out, "const MrspPolicy %s_policy = {\n  .format = MRSP_TABLE_FORMAT,\n  .name = ",
               e->options->prefix);
  put_string(e, p->name, 4);
  text_appendf(out, ",\n  .title = ");
  put_string(e, p->title, 4);
  text_appendf(out, ",\n  .payer = ");
  put_string(e, p->payer, 4);
  text_appendf(out, ",\n  .vendor = ");
  put_string(e, p->vendor, 4);
  text_appendf(out,
               ",\n  .meta = %s, .meta_count = %d,\n"
               "  .files = %s, .file_count = %d,\n"
               "  .references = %s, .reference_count = %d,\n"
               "  .cites = %s, .cite_count = %d,\n"
               "  .enums = %s, .enum_count = %d,\n"
               "  .facts = %s, .fact_count = %d,\n"
               "  .value_words = %d, .known_words = %d,\n"
               "  .nodes = %s, .node_info = %s, .node_count = %d,\n"
               "  .kids = %s, .kid_count = %d,\n"
               "  .ranges = %s, .range_count = %d,\n"
               "  .masks = %s, .mask_count = %d,\n"
               "  .steps = %s, .step_count = %d,\n"
               "  .runs = %s, .run_count = %d,\n"
               "  .tests = %s, .test_count = %d,\n"
               "  .criteria = %s, .criterion_count = %d,\n"
               "  .rules = %s, .rule_count = %d,\n",
               s->meta, p->meta_count, s->files, p->file_count, s->references,
               p->reference_count, s->cites, p->cite_count, s->enums, p->enum_count, s->facts,
               p->fact_count, p->value_words, p->known_words, s->nodes, s->node_info,
               p->node_count, s->kids, p->kid_count, s->ranges, p->range_count, s->masks,
               p->mask_count, s->steps, p->step_count, s->runs, p->run_count, s->tests,
               p->test_count, s->criteria, p->criterion_count, s->rules, p->rule_count);
  text_appendf(out, "  .part_first = {");
  for (int part = 0; part <= MRSP_PART_COUNT; part++)
    text_appendf(out, "%s%d", part ? ", " : "", p->part_first[part]);
  text_appendf(out, "},\n");
  const char *names[2] = {"stage_first", "stage_count"};
  const int32_t *values[2] = {p->stage_first, p->stage_count};
  for (int i = 0; i < 2; i++) {
    text_appendf(out, "  .%s = {", names[i]);
    for (int st = 0; st < MRSP_STAGE_COUNT; st++)
      text_appendf(out, "%s%d", st ? ", " : "", values[i][st]);
    text_appendf(out, "},\n");
  }
  text_appendf(out, "  .notes = %s, .note_count = %d,\n};\n", s->notes, p->note_count);
}

static bool write_all(FILE *out, const char *text, size_t length) {
  return fwrite(text, 1, length, out) == length;
}

/* ---- the source --------------------------------------------------------------------- */

static void opening_comment(TextBuffer *out, const MrspPolicy *p, const EmitOptions *o,
                            const char *what) {
  text_appendf(out, "/* %s - %s\n *\n", comment_text(o->source_name, COMMENT_MAX), what);
  text_appendf(out, " * Policy %s, from %s", comment_text(p->name, COMMENT_MAX),
               comment_text(o->policy_file, COMMENT_MAX));
  text_appendf(out, ",\n * written by mrspc emit-c (mrspc %s): do not edit; emit it again.\n",
               MRSPC_VERSION);
  const char *labels[3] = {"title", "payer", "vendor"};
  const char *values[3] = {p->title, p->payer, p->vendor};
  for (int i = 0; i < 3; i++)
    if (values[i])
      text_appendf(out, " * %s: %s\n", labels[i], comment_text(values[i], COMMENT_MAX));
}

bool emit_c_source(FILE *file, const MrspPolicy *table, const EmitOptions *options) {
  Emitter e = {table, options, {0}, {0}, 0, NULL, NULL};
  const MrspPolicy *p = e.policy;
  find_owners(&e);
  Symbols s;
  s.files = emit_strings(&e, "files", p->files, p->file_count, "the policy's files");
  s.meta = emit_meta(&e);
  s.references = emit_references(&e);
  s.cites = emit_cites(&e);
  s.enums = emit_enums(&e);
  s.facts = emit_facts(&e);
  s.nodes = emit_nodes(&e);
  s.node_info = emit_node_info(&e);
  s.kids = emit_numbers(&e, "int32_t", "kids", p->kids, p->kid_count, 0,
                        "items of groups, in node order");
  s.ranges = emit_numbers(&e, "int64_t", "ranges", p->ranges, 2 * p->range_count, 1,
                          "ranges: low, high pairs");
  s.masks = emit_numbers(&e, "uint64_t", "masks", p->masks, p->mask_count, 2,
                         "member masks, 64 members a word");
  s.steps = emit_steps(&e);
  s.runs = emit_runs(&e);
  s.tests = emit_tests(&e);
  s.criteria = emit_criteria(&e);
  s.rules = emit_rules(&e);
  s.notes = emit_notes(&e);
  emit_policy(&e, &s);

  TextBuffer head = {0};
  opening_comment(&head, p, options, "a policy as tables for the mrsp runtime.");
  text_appendf(&head,
               " *\n * The entry symbol is %s_policy; build with the runtime:\n"
               " *   cc -c %s $(pkg-config --cflags mrsp-runtime)\n */\n",
               options->prefix, comment_text(options->source_name, COMMENT_MAX));
  if (options->header_name)
    text_appendf(&head, "#include \"%s\"\n", options->header_name);
  else
    text_appendf(&head, "#include \"mrsp_runtime.h\"\n");
  text_appendf(&head, "\n#if MRSP_TABLE_FORMAT != %d\n#error \"these tables are for another "
                      "version of the mrsp runtime\"\n#endif\n\n",
               MRSP_TABLE_FORMAT);
  return write_all(file, text_finish(&head), head.length) &&
         write_all(file, text_finish(&e.hoisted), e.hoisted.length) &&
         write_all(file, text_finish(&e.out), e.out.length);
}

/* ---- the header ----------------------------------------------------------------------- */

static void header_enum(TextBuffer *out, NameSet *used, const char *prefix, const char *kind,
                        const char *const *names, int32_t count, const char **notes) {
  /* the count's name first, so that a member named "count" moves, not it */
  const char *count_name = unique_name(used, text_format("%s_%s_COUNT", prefix, kind));
  text_appendf(out, "enum {\n");
  for (int32_t i = 0; i < count; i++) {
    const char *name = unique_name(
        used, text_format("%s_%s_%s", prefix, kind, identifier_part(names[i], true)));
    text_appendf(out, "  %s = %d,", name, i);
    if (notes && notes[i])
      text_appendf(out, " /* %s */", notes[i]);
    text_appendf(out, "\n");
  }
  text_appendf(out, "  %s = %d\n};\n\n", count_name, count);
}

static const char *fact_note(const MrspPolicy *p, const MrspFact *f) {
  const char *type = f->type == MRSP_TYPE_ENUM || f->type == MRSP_TYPE_SET
                         ? text_format("%s%s", f->type == MRSP_TYPE_SET ? "set of " : "",
                                       p->enums[f->enumeration].name)
                         : mrsp_type_name((MrspType)f->type);
  if (f->ranged)
    type = text_format("%s %" PRId64 " to %" PRId64, type, f->low, f->high);
  return comment_text(f->doc ? text_format("%s: %s", type, f->doc) : type, COMMENT_MAX);
}

bool emit_c_header(FILE *file, const MrspPolicy *table, const EmitOptions *options) {
  const MrspPolicy *p = table;
  const char *prefix = options->prefix;
  const char *upper = identifier_part(prefix, true);
  NameSet used = {0};
  TextBuffer out = {0};
  opening_comment(&out, p, options, "a policy for the mrsp runtime: its entry symbol.");
  text_appendf(&out,
               " *\n * With the sizes a host needs and enumerations of the policy's facts, enum\n"
               " * members, criteria, rules and notes, so a host fills a case and reads a\n"
               " * result by index, without looking names up.\n */\n");
  const char *guard = unique_name(&used, text_format("%s_H_INCLUDED", upper));
  text_appendf(&out, "#ifndef %s\n#define %s\n\n#include \"mrsp_runtime.h\"\n\n", guard, guard);
  text_appendf(&out, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
  text_appendf(&out, "extern const MrspPolicy %s;\n\n",
               unique_name(&used, text_format("%s_policy", prefix)));
  text_appendf(&out,
               "/* A case's words (MrspCase.known and .values) and the working memory of\n"
               " * mrsp_work_init, in uint64_t words. */\n");
  text_appendf(&out, "#define %s %d\n", unique_name(&used, text_format("%s_KNOWN_WORDS", upper)),
               p->known_words);
  text_appendf(&out, "#define %s %d\n", unique_name(&used, text_format("%s_VALUE_WORDS", upper)),
               p->value_words);
  text_appendf(&out, "#define %s MRSP_WORK_WORDS(%d, %d, %d, %d, %d)\n\n",
               unique_name(&used, text_format("%s_WORK_WORDS", upper)), p->node_count,
               p->kid_count, p->rule_count, p->fact_count, p->note_count);

  const char **names = GC_MALLOC(((size_t)p->fact_count + 1) * sizeof *names);
  const char **notes = GC_MALLOC(((size_t)p->fact_count + 1) * sizeof *notes);
  for (int32_t i = 0; i < p->fact_count; i++) {
    names[i] = p->facts[i].name;
    notes[i] = fact_note(p, &p->facts[i]);
  }
  text_appendf(&out, "/* Facts: the `fact` of mrsp_case_set_*. */\n");
  header_enum(&out, &used, upper, "FACT", names, p->fact_count, notes);
  for (int32_t i = 0; i < p->enum_count; i++) {
    const MrspEnum *en = &p->enums[i];
    text_appendf(&out, "/* Members of enum %s: the `member` of mrsp_case_set_member. */\n",
                 comment_text(en->name, COMMENT_MAX));
    header_enum(&out, &used, upper, identifier_part(en->name, true), en->members,
                en->member_count, NULL);
  }
  names = GC_MALLOC(((size_t)p->criterion_count + 1) * sizeof *names);
  for (int32_t k = 0; k < p->criterion_count; k++)
    names[k] = p->criteria[k].name;
  text_appendf(&out, "/* Criteria: criterion k's value is result->values[%s_policy.criteria[k]"
                     ".body]\n * after mrsp_evaluate. */\n",
               prefix);
  header_enum(&out, &used, upper, "CRITERION", names, p->criterion_count, NULL);
  names = GC_MALLOC(((size_t)p->rule_count + 1) * sizeof *names);
  for (int32_t r = 0; r < p->rule_count; r++)
    names[r] = p->rules[r].name;
  text_appendf(&out, "/* Rules: result->rule. */\n");
  header_enum(&out, &used, upper, "RULE", names, p->rule_count, NULL);
  names = GC_MALLOC(((size_t)p->note_count + 1) * sizeof *names);
  for (int32_t i = 0; i < p->note_count; i++)
    names[i] = p->notes[i].name;
  text_appendf(&out, "/* Notes: the entries of result->notes. */\n");
  header_enum(&out, &used, upper, "NOTE", names, p->note_count, NULL);
  text_appendf(&out, "#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
  return write_all(file, text_finish(&out), out.length);
}
