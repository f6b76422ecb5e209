/* lsp_query.c - what is at the cursor in a document, and what it means.
 *
 * Takes an open document (lsp_internal.h) and a request's position;
 * produces the answers to hover, go to definition and document symbols.
 * Also the conversions the other lsp files share: byte offsets <-> LSP
 * positions, paths <-> URIs, and a name's meaning in a document.
 */
#include <gc.h>
#include <string.h>

#include "lsp_internal.h"
#include "text.h"

enum {
  CITED_MAX = 12,          /* references quoted in one hover */
  LISTED_MEMBERS_MAX = 24, /* enum members named in one hover */
  DETAIL_MAX = 80,         /* characters of a doc string in a symbol's detail */
};

/* LSP's numbers for the kinds of things it shows. */
enum {
  SYMBOL_MODULE = 2,       /* use */
  SYMBOL_NAMESPACE = 3,    /* policy */
  SYMBOL_METHOD = 6,       /* test */
  SYMBOL_ENUM = 10,        /* enum */
  SYMBOL_FUNCTION = 12,    /* criterion */
  SYMBOL_VARIABLE = 13,    /* fact */
  SYMBOL_STRING = 15,      /* note */
  SYMBOL_NUMBER = 16,      /* one reference */
  SYMBOL_ARRAY = 18,       /* references */
  SYMBOL_ENUM_MEMBER = 22, /* enum member */
  SYMBOL_EVENT = 24,       /* decision rule */
};

/* ---- positions: byte offsets <-> LSP positions --------------------------- */

LineIndex *lsp_line_index(const char *text, uint32_t length) {
  LineIndex *index = GC_NEW(LineIndex);
  int count = 1;
  for (uint32_t i = 0; i < length; i++)
    count += text[i] == '\n';
  index->starts = GC_MALLOC_ATOMIC((size_t)count * sizeof *index->starts);
  index->starts[0] = 0;
  int line = 1;
  for (uint32_t i = 0; i < length; i++)
    if (text[i] == '\n')
      index->starts[line++] = i + 1;
  index->text = text;
  index->length = length;
  index->count = count;
  return index;
}

int lsp_line_of(const LineIndex *index, uint32_t offset) {
  int low = 0, high = index->count - 1;
  while (low < high) {
    int middle = (low + high + 1) / 2;
    if (index->starts[middle] <= offset)
      low = middle;
    else
      high = middle - 1;
  }
  return low;
}

/* The end of a line's text: before its '\n' (and a '\r' before that). */
static uint32_t line_end(const LineIndex *index, int line) {
  uint32_t end = line + 1 < index->count ? index->starts[line + 1] - 1 : index->length;
  if (end > index->starts[line] && index->text[end - 1] == '\r')
    end--;
  return end;
}

/* Decodes the character at text[at, end); an invalid byte is one unit. */
static uint32_t next_char(const char *text, uint32_t at, uint32_t end, uint32_t *code_point) {
  size_t n = text_decode_utf8(text + at, end - at, code_point);
  if (n == 0) {
    *code_point = 0xFFFD;
    return 1;
  }
  return (uint32_t)n;
}

json_t *lsp_position_json(const LineIndex *index, uint32_t offset) {
  if (offset > index->length)
    offset = index->length;
  int line = lsp_line_of(index, offset);
  long units = 0;
  for (uint32_t at = index->starts[line]; at < offset;) {
    uint32_t c;
    at += next_char(index->text, at, offset, &c);
    units += c >= 0x10000 ? 2 : 1;
  }
  return json_pack("{s:i,s:I}", "line", line, "character", (json_int_t)units);
}

uint32_t lsp_position_offset(const LineIndex *index, json_int_t line, json_int_t character) {
  if (line >= index->count)
    return index->length;
  uint32_t at = index->starts[line], end = line_end(index, (int)line);
  json_int_t units = 0;
  while (at < end && units < character) {
    uint32_t c;
    at += next_char(index->text, at, end, &c);
    units += c >= 0x10000 ? 2 : 1;
  }
  return at;
}

/* ---- URIs ---------------------------------------------------------------- */

static int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = lsp_lower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The path of a file: URI, percent-decoded; any other URI is kept as the
 * document's name (an unsaved buffer has no file). */
const char *lsp_uri_to_path(const char *uri) {
  if (strncmp(uri, "file://", 7) != 0)
    return GC_STRDUP(uri);
  const char *p = strchr(uri + 7, '/'); /* past an authority, if any */
  if (!p)
    return GC_STRDUP(uri);
  TextBuffer path = {0};
  for (; *p; p++) {
    int high = p[0] == '%' ? hex_digit(p[1]) : -1;
    int low = high >= 0 ? hex_digit(p[2]) : -1;
    if (low >= 0 && (high || low)) { /* %00 stays as written: no path holds a NUL */
      char c = (char)(high * 16 + low);
      text_append(&path, &c, 1);
      p += 2;
    } else {
      text_append(&path, p, 1);
    }
  }
  return text_finish(&path);
}

const char *lsp_path_to_uri(const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  const char *absolute = loader_canonical(path);
  TextBuffer uri = {0};
  text_append(&uri, "file://", 7);
  for (const unsigned char *p = (const unsigned char *)absolute; *p; p++) {
    bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                 (*p >= '0' && *p <= '9') || strchr("-._~/", *p);
    if (plain) {
      text_append(&uri, (const char *)p, 1);
    } else {
      char escaped[3] = {'%', hex[*p >> 4], hex[*p & 15]};
      text_append(&uri, escaped, 3);
    }
  }
  return text_finish(&uri);
}

/* ---- names: what a name means in a document ------------------------------ */

static const char *decl_name(const Decl *decl) {
  switch (decl->kind) {
  case DECL_ENUM:
    return decl->as.enumeration->name.text;
  case DECL_FACT:
    return decl->as.fact->name.text;
  case DECL_CRITERION:
    return decl->as.criterion->name.text;
  case DECL_SECTION:
    return decl->as.section->name.text;
  case DECL_TEST:
    return decl->as.test->name.text;
  default:
    return NULL;
  }
}

/* A declaration in the document's latest syntax tree. */
Decl *lsp_root_decl(const Analysis *analysis, DeclKind kind, const char *name) {
  const Module *root = lsp_root_module(analysis);
  for (int i = 0; i < root->count; i++) {
    Decl *decl = root->decls[i];
    const char *text = decl->kind == kind ? decl_name(decl) : NULL;
    if (text && strcmp(text, name) == 0)
      return decl;
  }
  return NULL;
}

/* A declaration from an older text of the document itself: its place is
 * no longer right, and the current text no longer has it. */
bool lsp_stale(const Document *document, const Analysis *analysis, Span span) {
  return analysis != document->current && span.file == analysis->root;
}

Meaning lsp_find_fact(Server *server, const Document *document, const char *name) {
  Meaning meaning = {0};
  Decl *decl = lsp_root_decl(document->current, DECL_FACT, name);
  const Analysis *known = lsp_known_analysis(server, document);
  FactDecl *fact = decl ? decl->as.fact : check_find_fact(known->program, name);
  if (!fact || (!decl && lsp_stale(document, known, fact->name.span)))
    return meaning;
  meaning.kind = MEANS_FACT;
  meaning.where = decl ? document->current : known;
  meaning.fact = fact;
  return meaning;
}

static Meaning find_criterion(Server *server, const Document *document, const char *name) {
  Meaning meaning = {0};
  Decl *decl = lsp_root_decl(document->current, DECL_CRITERION, name);
  const Analysis *known = lsp_known_analysis(server, document);
  Criterion *criterion = decl ? decl->as.criterion : check_find_criterion(known->program, name);
  if (!criterion || (!decl && lsp_stale(document, known, criterion->name.span)))
    return meaning;
  meaning.kind = MEANS_CRITERION;
  meaning.where = decl ? document->current : known;
  meaning.criterion = criterion;
  return meaning;
}

static Meaning find_enum(Server *server, const Document *document, const char *name) {
  Meaning meaning = {0};
  Decl *decl = lsp_root_decl(document->current, DECL_ENUM, name);
  const Analysis *known = lsp_known_analysis(server, document);
  EnumDecl *enumeration = decl ? decl->as.enumeration : check_find_enum(known->program, name);
  if (!enumeration || (!decl && lsp_stale(document, known, enumeration->name.span)))
    return meaning;
  meaning.kind = MEANS_ENUM;
  meaning.where = decl ? document->current : known;
  meaning.enumeration = enumeration;
  return meaning;
}

static Meaning find_section(const Document *document, const char *name) {
  Meaning meaning = {0};
  Decl *decl = lsp_root_decl(document->current, DECL_SECTION, name);
  if (decl) {
    meaning.kind = MEANS_SECTION;
    meaning.where = document->current;
    meaning.section = decl->as.section;
  }
  return meaning;
}

static Meaning member_of(Meaning enumeration, const char *name) {
  Meaning meaning = {0};
  if (enumeration.kind != MEANS_ENUM)
    return meaning;
  for (int i = 0; i < enumeration.enumeration->count; i++) {
    EnumMember *member = enumeration.enumeration->members[i];
    if (strcmp(member->name.text, name) == 0) {
      meaning = enumeration;
      meaning.kind = MEANS_MEMBER;
      meaning.member = member;
      break;
    }
  }
  return meaning;
}

/* A fact's type, also for a fact of a file whose check stopped early. */
TypeKind lsp_fact_kind(const FactDecl *fact) {
  static const struct {
    const char *name;
    TypeKind kind;
  } builtin[] = {{"bool", TY_BOOL}, {"int", TY_INT}, {"date", TY_DATE}, {"code", TY_CODE}};
  if (fact->type.kind != TY_ERROR)
    return fact->type.kind;
  for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
    if (!fact->is_set && strcmp(fact->type_name.text, builtin[i].name) == 0)
      return builtin[i].kind;
  return fact->is_set ? TY_SET : TY_ENUM;
}

Meaning lsp_fact_enum(Server *server, const Document *document, Meaning fact) {
  Meaning meaning = {0};
  if (fact.kind != MEANS_FACT)
    return meaning;
  if (fact.fact->type.enumeration) {
    meaning.kind = MEANS_ENUM;
    meaning.where = fact.where;
    meaning.enumeration = fact.fact->type.enumeration;
    return meaning;
  }
  TypeKind kind = lsp_fact_kind(fact.fact);
  if (kind != TY_ENUM && kind != TY_SET)
    return meaning;
  return find_enum(server, document, fact.fact->type_name.text);
}

/* A member by name in any enum in scope, for a word with no context. */
static Meaning find_any_member(Server *server, const Document *document, const char *name) {
  const Analysis *known = lsp_known_analysis(server, document);
  for (int i = 0; i < known->program->enum_count; i++) {
    Meaning enumeration = find_enum(server, document, known->program->enums[i]->name.text);
    Meaning member = member_of(enumeration, name);
    if (member.kind == MEANS_MEMBER)
      return member;
  }
  Meaning nothing = {0};
  return nothing;
}

/* ---- what is at the cursor ----------------------------------------------- */

typedef enum HitKind {
  HIT_NONE,
  HIT_NAME,    /* a condition naming a criterion or a yes/no fact; a criterion's name */
  HIT_FACT,    /* a fact's name */
  HIT_VALUE,   /* a name on the right of a condition on fact_name: a member or a fact */
  HIT_MEMBER,  /* a member of enum_name where the enum declares it */
  HIT_ENUM,    /* an enum's name */
  HIT_SECTION, /* a rule or note (its keyword or name), or a name in 'expect' */
  HIT_CITE,    /* a citation */
  HIT_USE,     /* the module of a 'use' */
  HIT_POLICY,  /* the policy's name */
  HIT_WORD,    /* a name in text that did not parse */
} HitKind;

typedef struct Hit {
  HitKind kind;
  const char *name;
  Span span;
  const char *fact_name; /* HIT_VALUE */
  const char *enum_name; /* HIT_MEMBER */
  const Cite *cite;
  const UseDecl *use;
  const Section *section;
  const PolicyDecl *policy;
} Hit;

/* Whether the cursor is on span, its end included (the cursor just after a
 * word is on it). */
static bool touches(Span span, uint32_t at) {
  return span.end > span.begin && span.begin <= at && at <= span.end;
}

static bool hit_name(Hit *hit, HitKind kind, Name name, uint32_t at) {
  if (!name.text || !touches(name.span, at))
    return false;
  hit->kind = kind;
  hit->name = name.text;
  hit->span = name.span;
  return true;
}

static bool hit_cites(Hit *hit, CiteList cites, uint32_t at) {
  for (int i = 0; i < cites.count; i++) {
    if (touches(cites.items[i]->span, at)) {
      hit->kind = HIT_CITE;
      hit->cite = cites.items[i];
      hit->span = cites.items[i]->span;
      return true;
    }
  }
  return false;
}

static bool hit_literal(Hit *hit, const Literal *literal, const char *fact_name, uint32_t at) {
  if (!literal || !touches(literal->span, at))
    return false;
  if (literal->kind == LIT_SET || literal->kind == LIT_RANGE) {
    for (int i = 0; i < literal->count; i++)
      if (hit_literal(hit, literal->items[i], fact_name, at))
        return true;
    return false;
  }
  if (literal->kind != LIT_NAME)
    return false;
  hit->kind = HIT_VALUE;
  hit->name = literal->text;
  hit->span = literal->span;
  hit->fact_name = fact_name;
  return true;
}

static bool hit_node(Hit *hit, const Node *node, uint32_t at) {
  if (!node)
    return false;
  if (hit_cites(hit, node->cites, at))
    return true;
  if (!touches(node->span, at))
    return false;
  switch (node->kind) {
  case ND_ALL:
  case ND_ANY:
  case ND_AT_LEAST:
    for (int i = 0; i < node->count; i++)
      if (hit_node(hit, node->items[i], at))
        return true;
    return false;
  case ND_NOT:
    return hit_node(hit, node->operand, at);
  case ND_REF:
    return hit_name(hit, HIT_NAME, node->subject, at);
  case ND_CONST:
    return false;
  default:
    break;
  }
  const char *subject = node->subject.text;
  return hit_name(hit, HIT_FACT, node->subject, at) ||
         hit_literal(hit, node->rhs.literal, subject, at) ||
         hit_literal(hit, node->high.literal, subject, at) ||
         hit_literal(hit, node->set, subject, at);
}

/* Policy block: its name, citations, and the members in 'lines' and
 * 'settings' (of the facts line_of_business and setting). */
static bool hit_policy(Hit *hit, const PolicyDecl *policy, uint32_t at) {
  if (hit_name(hit, HIT_POLICY, policy->name, at)) {
    hit->policy = policy;
    return true;
  }
  for (int i = 0; i < policy->count; i++) {
    const MetaEntry *entry = policy->entries[i];
    if (hit_cites(hit, entry->cites, at))
      return true;
    const char *fact = strcmp(entry->key.text, "lines") == 0      ? "line_of_business"
                       : strcmp(entry->key.text, "settings") == 0 ? "setting"
                                                                   : NULL;
    for (int j = 0; fact && j < entry->count; j++)
      if (hit_literal(hit, entry->values[j], fact, at))
        return true;
  }
  return false;
}

static bool hit_section(Hit *hit, const Section *section, uint32_t at) {
  const char *keyword = ast_section_keyword(section->kind);
  Span head = {section->span.file, section->span.begin,
               section->span.begin + (uint32_t)strlen(keyword)};
  if (touches(head, at) || hit_name(hit, HIT_SECTION, section->name, at)) {
    hit->kind = HIT_SECTION;
    hit->name = section->name.text ? section->name.text : keyword;
    hit->span = touches(head, at) ? head : section->name.span;
    hit->section = section;
    return true;
  }
  return hit_cites(hit, section->cites, at) || hit_node(hit, section->condition, at);
}

static bool hit_expectation(Hit *hit, const Expectation *expect, uint32_t at) {
  switch (expect->kind) {
  case EXPECT_DECISION:
    return false;
  case EXPECT_RULE:
    return hit_name(hit, HIT_SECTION, expect->decision, at);
  case EXPECT_MISSING:
  case EXPECT_NOTES:
    for (int i = 0; i < expect->count; i++)
      if (hit_name(hit, expect->kind == EXPECT_MISSING ? HIT_FACT : HIT_SECTION,
                   *expect->names[i], at))
        return true;
    return false;
  }
  return false;
}

static bool hit_test(Hit *hit, const TestDecl *test, uint32_t at) {
  for (int i = 0; i < test->nfacts; i++) {
    const TestFact *given = test->facts[i];
    if (hit_name(hit, HIT_FACT, given->name, at) ||
        hit_literal(hit, given->value, given->name.text, at))
      return true;
  }
  for (int i = 0; i < test->nexpects; i++)
    if (hit_expectation(hit, test->expects[i], at))
      return true;
  return false;
}

static bool hit_enum(Hit *hit, const EnumDecl *enumeration, uint32_t at) {
  if (hit_name(hit, HIT_ENUM, enumeration->name, at))
    return true;
  for (int i = 0; i < enumeration->count; i++) {
    if (hit_name(hit, HIT_MEMBER, enumeration->members[i]->name, at)) {
      hit->enum_name = enumeration->name.text;
      return true;
    }
  }
  return false;
}

static bool is_builtin_type(const char *name) {
  return strcmp(name, "bool") == 0 || strcmp(name, "int") == 0 || strcmp(name, "date") == 0 ||
         strcmp(name, "code") == 0;
}

static bool hit_decl(Hit *hit, const Decl *decl, uint32_t at) {
  if (!touches(decl->span, at))
    return false;
  switch (decl->kind) {
  case DECL_POLICY:
    return hit_policy(hit, decl->as.policy, at);
  case DECL_REFERENCES:
    return false;
  case DECL_USE:
    if (!touches(decl->as.use->span, at))
      return false;
    hit->kind = HIT_USE;
    hit->use = decl->as.use;
    hit->name = decl->as.use->path;
    hit->span = decl->as.use->span;
    return true;
  case DECL_ENUM:
    return hit_enum(hit, decl->as.enumeration, at);
  case DECL_FACT:
    return hit_name(hit, HIT_FACT, decl->as.fact->name, at) ||
           (!is_builtin_type(decl->as.fact->type_name.text) &&
            hit_name(hit, HIT_ENUM, decl->as.fact->type_name, at));
  case DECL_CRITERION:
    return hit_name(hit, HIT_NAME, decl->as.criterion->name, at) ||
           hit_cites(hit, decl->as.criterion->cites, at) ||
           hit_node(hit, decl->as.criterion->body, at);
  case DECL_SECTION:
    return hit_section(hit, decl->as.section, at);
  case DECL_TEST:
    return hit_test(hit, decl->as.test, at);
  }
  return false;
}

bool lsp_is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The name around the cursor in the text itself, for text that did not
 * parse into a declaration. */
static bool hit_word(Hit *hit, const Document *document, uint32_t at) {
  const char *text = document->text;
  uint32_t begin = at, end = at;
  while (begin > 0 && lsp_is_word_char(text[begin - 1]))
    begin--;
  while (end < document->length && lsp_is_word_char(text[end]))
    end++;
  if (begin == end || (text[begin] >= '0' && text[begin] <= '9'))
    return false;
  hit->kind = HIT_WORD;
  hit->name = text_format("%.*s", (int)(end - begin), text + begin);
  hit->span = (Span){document->current->root, begin, end};
  return true;
}

static Hit hit_at(const Document *document, uint32_t at) {
  Hit hit = {0};
  const Module *root = lsp_root_module(document->current);
  for (int i = 0; i < root->count; i++)
    if (hit_decl(&hit, root->decls[i], at))
      return hit;
  hit_word(&hit, document, at);
  return hit;
}

static Meaning resolve_value(Server *server, const Document *document, const Hit *hit) {
  Meaning subject = lsp_find_fact(server, document, hit->fact_name);
  if (subject.kind == MEANS_FACT) {
    TypeKind kind = lsp_fact_kind(subject.fact);
    if (kind == TY_ENUM || kind == TY_SET)
      return member_of(lsp_fact_enum(server, document, subject), hit->name);
  }
  return lsp_find_fact(server, document, hit->name);
}

static Meaning resolve_word(Server *server, const Document *document, const char *name) {
  Meaning meaning = find_criterion(server, document, name);
  if (meaning.kind == MEANS_NOTHING)
    meaning = lsp_find_fact(server, document, name);
  if (meaning.kind == MEANS_NOTHING)
    meaning = find_enum(server, document, name);
  if (meaning.kind == MEANS_NOTHING)
    meaning = find_section(document, name);
  if (meaning.kind == MEANS_NOTHING)
    meaning = find_any_member(server, document, name);
  return meaning;
}

static Meaning resolve(Server *server, const Document *document, const Hit *hit) {
  Meaning nothing = {0};
  switch (hit->kind) {
  case HIT_NAME: {
    Meaning meaning = find_criterion(server, document, hit->name);
    return meaning.kind ? meaning : lsp_find_fact(server, document, hit->name);
  }
  case HIT_FACT:
    return lsp_find_fact(server, document, hit->name);
  case HIT_VALUE:
    return resolve_value(server, document, hit);
  case HIT_MEMBER:
    return member_of(find_enum(server, document, hit->enum_name), hit->name);
  case HIT_ENUM:
    return find_enum(server, document, hit->name);
  case HIT_SECTION:
    if (hit->section) {
      Meaning meaning = {.kind = MEANS_SECTION, .where = document->current,
                         .section = (Section *)hit->section};
      return meaning;
    }
    return find_section(document, hit->name);
  case HIT_WORD:
    return resolve_word(server, document, hit->name);
  default:
    return nothing;
  }
}

/* ---- hover --------------------------------------------------------------- */

/* Hover text: Markdown, or plain text for a client that asks for it. */
typedef struct Markup {
  TextBuffer text;
  bool markdown;
} Markup;

static void markup_raw(Markup *markup, const char *text) {
  text_appendf(&markup->text, "%s", text);
}

/* Words from the policy, with Markdown's special characters escaped. */
static void markup_words(Markup *markup, const char *text) {
  for (const char *p = text; *p; p++) {
    if (markup->markdown && strchr("\\`*_[]<>#|", *p))
      text_append(&markup->text, "\\", 1);
    text_append(&markup->text, p, 1);
  }
}

static void markup_code(Markup *markup, const char *code) {
  text_appendf(&markup->text, markup->markdown ? "`%s`" : "%s", code);
}

static void markup_bold(Markup *markup, const char *word) {
  text_appendf(&markup->text, markup->markdown ? "**%s**" : "%s", word);
}

static void markup_paragraph(Markup *markup, const char *words) {
  if (!words || !*words)
    return;
  markup_raw(markup, "\n\n");
  markup_words(markup, words);
}

/* "int 0 to 130", "set of question", "indication" */
const char *lsp_fact_type_text(const FactDecl *fact) {
  if (fact->is_set)
    return text_format("set of %s", fact->type_name.text);
  if (fact->range && fact->range->count == 2)
    return text_format("%s %lld to %lld", fact->type_name.text, fact->range->items[0]->number,
                       fact->range->items[1]->number);
  return fact->type_name.text;
}

static void hover_fact(Markup *markup, const FactDecl *fact) {
  markup_bold(markup, "fact");
  markup_raw(markup, " ");
  markup_code(markup, fact->name.text);
  markup_raw(markup, ": ");
  markup_code(markup, lsp_fact_type_text(fact));
  markup_paragraph(markup, fact->doc);
}

static void hover_member(Markup *markup, const EnumDecl *enumeration, const EnumMember *member) {
  markup_code(markup, member->name.text);
  markup_raw(markup, ": a member of enum ");
  markup_code(markup, enumeration->name.text);
  markup_paragraph(markup, member->doc);
  markup_paragraph(markup, enumeration->doc);
}

static void hover_enum(Markup *markup, const EnumDecl *enumeration) {
  markup_bold(markup, "enum");
  markup_raw(markup, " ");
  markup_code(markup, enumeration->name.text);
  text_appendf(&markup->text, ": %d members", enumeration->count);
  markup_paragraph(markup, enumeration->doc);
  markup_raw(markup, "\n\n");
  for (int i = 0; i < enumeration->count && i < LISTED_MEMBERS_MAX; i++) {
    markup_raw(markup, i ? ", " : "");
    markup_code(markup, enumeration->members[i]->name.text);
  }
  if (enumeration->count > LISTED_MEMBERS_MAX)
    text_appendf(&markup->text, " and %d more", enumeration->count - LISTED_MEMBERS_MAX);
}

static const Reference *module_reference(const Module *module, int number) {
  for (int i = 0; module && i < module->count; i++) {
    const Decl *decl = module->decls[i];
    if (decl->kind != DECL_REFERENCES)
      continue;
    for (int j = 0; j < decl->as.references.count; j++)
      if (decl->as.references.items[j]->number == number)
        return decl->as.references.items[j];
  }
  return NULL;
}

/* The numbers cited, each once, in order: a set of small numbers. */
typedef struct CitedNumbers {
  int numbers[CITED_MAX];
  int count;
} CitedNumbers;

static void cite_numbers(CitedNumbers *cited, CiteList cites) {
  for (int i = 0; i < cites.count; i++) {
    /* of a range, only its first CITED_MAX numbers can be among those shown
     * (and [1-999999999] must not take a second) */
    long long first = cites.items[i]->first, last = cites.items[i]->last;
    if (last - first >= CITED_MAX)
      last = first + CITED_MAX - 1;
    for (long long number = first; number <= last; number++) {
      int at = 0;
      while (at < cited->count && cited->numbers[at] < number)
        at++;
      if ((at < cited->count && cited->numbers[at] == number) || cited->count == CITED_MAX)
        continue;
      memmove(cited->numbers + at + 1, cited->numbers + at,
              (size_t)(cited->count - at) * sizeof *cited->numbers);
      cited->numbers[at] = (int)number;
      cited->count++;
    }
  }
}

static void cite_node_numbers(CitedNumbers *cited, const Node *node) {
  if (!node)
    return;
  cite_numbers(cited, node->cites);
  for (int i = 0; i < node->count; i++)
    cite_node_numbers(cited, node->items[i]);
  cite_node_numbers(cited, node->operand);
}

static void markup_references(Markup *markup, const CitedNumbers *cited, const Module *module) {
  for (int i = 0; i < cited->count; i++) {
    const Reference *reference = module_reference(module, cited->numbers[i]);
    text_appendf(&markup->text, "\n\n[%d] ", cited->numbers[i]);
    markup_words(markup, reference ? reference->text : "(not in the references)");
  }
}

static const Module *meaning_module(const Meaning *meaning, int module) {
  const Program *program = meaning->where->program;
  return module >= 0 && module < program->module_count ? program->modules[module].module : NULL;
}

static void hover_criterion(Markup *markup, const Meaning *meaning) {
  const Criterion *criterion = meaning->criterion;
  markup_bold(markup, "criterion");
  markup_raw(markup, " ");
  markup_code(markup, criterion->name.text);
  markup_paragraph(markup, criterion->doc);
  CitedNumbers cited = {{0}, 0};
  cite_numbers(&cited, criterion->cites);
  cite_node_numbers(&cited, criterion->body);
  markup_references(markup, &cited, meaning_module(meaning, criterion->module));
}

static const char *section_decision(SectionKind kind) {
  static const char *const decisions[] = {
#define X(kind, keyword, decision) decision,
      SECTION_KIND_LIST(X)
#undef X
  };
  return decisions[kind];
}

static void hover_section(Markup *markup, const Meaning *meaning) {
  const Section *section = meaning->section;
  markup_bold(markup, ast_section_keyword(section->kind));
  if (section->name.text) {
    markup_raw(markup, " ");
    markup_code(markup, section->name.text);
  }
  if (section->kind == SEC_NOTE)
    markup_raw(markup, ": shown with the decision when its condition holds");
  else if (section->kind == SEC_APPLIES)
    markup_raw(markup, ": when it does not hold, the decision is ");
  else
    markup_raw(markup, ": when it holds, the decision is ");
  if (section->kind != SEC_NOTE)
    markup_code(markup, section_decision(section->kind));
  if (section->target) {
    markup_raw(markup, "\n\nrefer to: ");
    markup_words(markup, section->target);
  }
  markup_paragraph(markup, section->doc);
  CitedNumbers cited = {{0}, 0};
  cite_numbers(&cited, section->cites);
  cite_node_numbers(&cited, section->condition);
  markup_references(markup, &cited, lsp_root_module(meaning->where));
}

static void hover_cite(Markup *markup, const Document *document, const Cite *cite) {
  CitedNumbers cited = {{0}, 0};
  CiteList one = {(Cite **)&cite, 1};
  cite_numbers(&cited, one);
  markup_bold(markup, cite->first == cite->last ? "reference" : "references");
  markup_references(markup, &cited, lsp_root_module(document->current));
}

static void hover_use(Markup *markup, const Document *document, const UseDecl *use) {
  const Program *program = document->current->program;
  markup_bold(markup, "module");
  markup_raw(markup, " ");
  markup_code(markup, use->path);
  if (use->module >= 0 && use->module < program->module_count) {
    markup_raw(markup, "\n\n");
    markup_words(markup, program->modules[use->module].path);
  } else {
    markup_raw(markup, ": not found on the search path");
  }
}

static void hover_policy(Markup *markup, const PolicyDecl *policy) {
  markup_bold(markup, "policy");
  markup_raw(markup, " ");
  markup_code(markup, policy->name.text);
  for (int i = 0; i < policy->count; i++) {
    const MetaEntry *entry = policy->entries[i];
    const char *key = entry->key.text;
    if (entry->count == 0 || (strcmp(key, "title") && strcmp(key, "payer") &&
                              strcmp(key, "version") && strcmp(key, "identifier")))
      continue;
    markup_raw(markup, "\n\n");
    markup_raw(markup, key);
    markup_raw(markup, ": ");
    markup_words(markup, entry->values[0]->text ? entry->values[0]->text : "");
  }
}

static bool hover_meaning(Markup *markup, const Meaning *meaning) {
  switch (meaning->kind) {
  case MEANS_FACT:
    hover_fact(markup, meaning->fact);
    return true;
  case MEANS_CRITERION:
    hover_criterion(markup, meaning);
    return true;
  case MEANS_ENUM:
    hover_enum(markup, meaning->enumeration);
    return true;
  case MEANS_MEMBER:
    hover_member(markup, meaning->enumeration, meaning->member);
    return true;
  case MEANS_SECTION:
    hover_section(markup, meaning);
    return true;
  case MEANS_NOTHING:
    break;
  }
  return false;
}

json_t *lsp_handle_hover(Server *server, json_t *params, RpcError *error) {
  uint32_t at = 0;
  Document *document = lsp_param_cursor(server, params, &at, error);
  if (!document)
    return NULL;
  Hit hit = hit_at(document, at);
  Markup markup = {{0}, server->markdown};
  if (hit.kind == HIT_CITE) {
    hover_cite(&markup, document, hit.cite);
  } else if (hit.kind == HIT_USE) {
    hover_use(&markup, document, hit.use);
  } else if (hit.kind == HIT_POLICY) {
    hover_policy(&markup, hit.policy);
  } else {
    Meaning meaning = resolve(server, document, &hit);
    if (!hover_meaning(&markup, &meaning))
      return NULL;
  }
  json_t *contents = json_pack("{s:s,s:o}", "kind", server->markdown ? "markdown" : "plaintext",
                               "value", lsp_json_text(text_finish(&markup.text)));
  return json_pack("{s:o,s:o}", "contents", contents, "range",
                   lsp_range_json(document->current, hit.span));
}

/* ---- definition ---------------------------------------------------------- */

static Span meaning_span(const Meaning *meaning) {
  switch (meaning->kind) {
  case MEANS_FACT:
    return meaning->fact->name.span;
  case MEANS_CRITERION:
    return meaning->criterion->name.span;
  case MEANS_ENUM:
    return meaning->enumeration->name.span;
  case MEANS_MEMBER:
    return meaning->member->name.span;
  case MEANS_SECTION:
    return meaning->section->name.text ? meaning->section->name.span : meaning->section->span;
  case MEANS_NOTHING:
    break;
  }
  Span none = {-1, 0, 0};
  return none;
}

static json_t *use_location(const Document *document, const UseDecl *use) {
  const Program *program = document->current->program;
  if (use->module < 0 || use->module >= program->module_count)
    return NULL;
  json_t *start = json_pack("{s:i,s:i}", "line", 0, "character", 0);
  json_t *range = json_pack("{s:O,s:o}", "start", start, "end", start);
  return json_pack("{s:o,s:o}", "uri",
                   lsp_json_text(lsp_path_to_uri(program->modules[use->module].path)), "range",
                   range);
}

json_t *lsp_handle_definition(Server *server, json_t *params, RpcError *error) {
  uint32_t at = 0;
  Document *document = lsp_param_cursor(server, params, &at, error);
  if (!document)
    return NULL;
  Hit hit = hit_at(document, at);
  if (hit.kind == HIT_USE)
    return use_location(document, hit.use);
  if (hit.kind == HIT_CITE) {
    const Reference *reference =
        module_reference(lsp_root_module(document->current), hit.cite->first);
    return reference ? lsp_location_json(document, document->current, reference->span) : NULL;
  }
  if (hit.kind == HIT_POLICY)
    return lsp_location_json(document, document->current, hit.policy->name.span);
  Meaning meaning = resolve(server, document, &hit);
  if (meaning.kind == MEANS_NOTHING)
    return NULL;
  return lsp_location_json(document, meaning.where, meaning_span(&meaning));
}

/* ---- document symbols ---------------------------------------------------- */

/* The first characters of a doc string, for a one-line detail. */
static const char *excerpt(const char *text) {
  if (!text)
    return NULL;
  size_t length = strlen(text), at = 0;
  size_t characters = 0;
  while (at < length && characters < DETAIL_MAX) {
    uint32_t c;
    at += next_char(text, (uint32_t)at, (uint32_t)length, &c);
    characters++;
  }
  return at < length ? text_format("%.*s...", (int)at, text) : text;
}

static json_t *symbol(const Analysis *analysis, const char *name, const char *detail, int kind,
                      Span range, Span selection) {
  json_t *out = json_pack("{s:o,s:i,s:o,s:o,s:[]}", "name", lsp_json_text(name), "kind", kind,
                          "range", lsp_range_json(analysis, range), "selectionRange",
                          lsp_range_json(analysis, selection), "children");
  if (detail)
    json_object_set_new(out, "detail", lsp_json_text(detail));
  return out;
}

static void add_child(json_t *parent, json_t *child) {
  json_array_append_new(json_object_get(parent, "children"), child);
}

static json_t *section_symbol(const Analysis *analysis, const Section *section) {
  const char *keyword = ast_section_keyword(section->kind);
  Span head = {section->span.file, section->span.begin,
               section->span.begin + (uint32_t)strlen(keyword)};
  bool named = section->name.text != NULL;
  const char *name = named ? section->name.text : keyword;
  const char *detail = named ? keyword : excerpt(section->doc);
  return symbol(analysis, name, detail, section->kind == SEC_NOTE ? SYMBOL_STRING : SYMBOL_EVENT,
                section->span, named ? section->name.span : head);
}

static json_t *references_symbol(const Analysis *analysis, const Decl *decl) {
  Span head = {decl->span.file, decl->span.begin, decl->span.begin + 10};
  json_t *out = symbol(analysis, "references", NULL, SYMBOL_ARRAY, decl->span, head);
  for (int i = 0; i < decl->as.references.count; i++) {
    const Reference *reference = decl->as.references.items[i];
    add_child(out, symbol(analysis, text_format("[%d]", reference->number),
                          excerpt(reference->text), SYMBOL_NUMBER, reference->span,
                          reference->span));
  }
  return out;
}

static json_t *enum_symbol(const Analysis *analysis, const EnumDecl *enumeration) {
  json_t *out = symbol(analysis, enumeration->name.text, excerpt(enumeration->doc), SYMBOL_ENUM,
                       enumeration->span, enumeration->name.span);
  for (int i = 0; i < enumeration->count; i++) {
    const EnumMember *member = enumeration->members[i];
    add_child(out, symbol(analysis, member->name.text, excerpt(member->doc), SYMBOL_ENUM_MEMBER,
                          member->name.span, member->name.span));
  }
  return out;
}

static json_t *decl_symbol(const Analysis *analysis, const Decl *decl) {
  switch (decl->kind) {
  case DECL_POLICY:
    return symbol(analysis, decl->as.policy->name.text, "policy", SYMBOL_NAMESPACE, decl->span,
                  decl->as.policy->name.span);
  case DECL_REFERENCES:
    return references_symbol(analysis, decl);
  case DECL_USE:
    return symbol(analysis, decl->as.use->path, "use", SYMBOL_MODULE, decl->span,
                  decl->as.use->span);
  case DECL_ENUM:
    return enum_symbol(analysis, decl->as.enumeration);
  case DECL_FACT:
    return symbol(analysis, decl->as.fact->name.text, lsp_fact_type_text(decl->as.fact),
                  SYMBOL_VARIABLE, decl->span, decl->as.fact->name.span);
  case DECL_CRITERION:
    return symbol(analysis, decl->as.criterion->name.text, excerpt(decl->as.criterion->doc),
                  SYMBOL_FUNCTION, decl->span, decl->as.criterion->name.span);
  case DECL_SECTION:
    return section_symbol(analysis, decl->as.section);
  case DECL_TEST:
    return symbol(analysis, decl->as.test->name.text, "test", SYMBOL_METHOD, decl->span,
                  decl->as.test->name.span);
  }
  return NULL;
}

json_t *lsp_handle_document_symbol(Server *server, json_t *params, RpcError *error) {
  bool unknown = false;
  Document *document = lsp_param_document(server, params, &unknown, error);
  if (!document)
    return NULL; /* a document that is not open has no symbols */
  json_t *symbols = json_array();
  const Module *root = lsp_root_module(document->current);
  for (int i = 0; i < root->count; i++)
    json_array_append_new(symbols, decl_symbol(document->current, root->decls[i]));
  return symbols;
}
