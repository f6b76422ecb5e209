/* lsp_complete.c - completion: what fits where the cursor is.
 *
 * Takes an open document (lsp_internal.h) and the cursor; reads where the
 * cursor is from the text before it, which need not parse, and produces
 * the completion items that fit there: keywords, facts, criteria, enum
 * members, values, operators, modules, rule and note names.
 */
#include <gc.h>
#include <string.h>

#include "decision.h"
#include "loader.h"
#include "lsp_internal.h"
#include "text.h"

/* LSP's numbers for the kinds of things it shows. */
enum {
  ITEM_FUNCTION = 3,     /* criterion */
  ITEM_VARIABLE = 6,     /* fact */
  ITEM_MODULE = 9,       /* module for 'use' */
  ITEM_UNIT = 11,        /* time unit */
  ITEM_VALUE = 12,       /* true, false, unknown, a decision */
  ITEM_KEYWORD = 14,     /* keyword */
  ITEM_ENUM_MEMBER = 20, /* enum member */
  ITEM_EVENT = 23,       /* rule or note name */
  ITEM_OPERATOR = 24,    /* 'is', 'at least', ... */
};
enum { TRIGGER_CHARACTER = 2 };

/* ---- completion: where the cursor is, read from the text ----------------- */

typedef enum LexKind { LEX_WORD, LEX_NUMBER, LEX_STRING, LEX_PUNCT } LexKind;

typedef struct LexToken {
  LexKind kind;
  uint32_t begin, end;
  int line;
} LexToken;

/* The tokens before the cursor: enough of the scanner (grammar/mrsp.l) to
 * know where strings and comments are, and what the last words were, in
 * text that may not parse. */
typedef struct LexScan {
  const char *text;
  LexToken *tokens;
  int count, capacity;
  int line;          /* the cursor's line */
  bool in_string;    /* the cursor is inside a string */
  bool in_comment;   /* ... or a comment */
} LexScan;

static void lex_push(LexScan *scan, LexKind kind, uint32_t begin, uint32_t end) {
  if (scan->count == scan->capacity) {
    scan->capacity = scan->capacity ? scan->capacity * 2 : 256;
    scan->tokens = GC_REALLOC(scan->tokens, (size_t)scan->capacity * sizeof *scan->tokens);
  }
  LexToken token = {kind, begin, end, scan->line};
  scan->tokens[scan->count++] = token;
}

/* A string from its opening quote; false if the cursor comes first. */
static bool lex_string(LexScan *scan, uint32_t *at, uint32_t end) {
  const char *text = scan->text;
  uint32_t begin = (*at)++;
  int line = scan->line;
  while (*at < end && text[*at] != '"') {
    if (text[*at] == '\\' && *at + 1 < end)
      ++*at;
    scan->line += text[*at] == '\n';
    ++*at;
  }
  if (*at >= end)
    return false;
  ++*at;
  int after = scan->line;
  scan->line = line;
  lex_push(scan, LEX_STRING, begin, *at);
  scan->line = after;
  return true;
}

static void lex_scan(LexScan *scan, const char *text, uint32_t end) {
  scan->text = text;
  uint32_t at = 0;
  while (at < end) {
    char c = text[at];
    uint32_t begin = at;
    if (c == '\n') {
      scan->line++;
      at++;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      at++;
    } else if (c == '#') {
      while (at < end && text[at] != '\n')
        at++;
      scan->in_comment = at == end;
    } else if (c == '"') {
      if (!lex_string(scan, &at, end)) {
        scan->in_string = true;
        return;
      }
    } else if (lsp_is_word_char(c)) {
      bool number = c >= '0' && c <= '9';
      while (at < end && (lsp_is_word_char(text[at]) || (number && text[at] == '-')))
        at++;
      lex_push(scan, number ? LEX_NUMBER : LEX_WORD, begin, at);
    } else {
      lex_push(scan, LEX_PUNCT, begin, ++at);
    }
  }
}

static const char *const reserved_words[] = {
    "policy", "references", "use",   "enum",    "fact",   "criterion", "applies",
    "refer",  "investigational", "exclude", "require", "note", "when",   "to",
    "test",   "expect", "missing", "notes",  "rule",   "all",    "any",  "not",
    "at",     "least",  "most",  "of",      "in",     "has",    "is",   "between",
    "and",    "within", "before", "after",  "on",     "or",     "more", "less",
    "than",   "set",    "true",  "false",   "unknown", "day",   "days", "week",
    "weeks",  "month",  "months", "year",   "years",
};

static bool token_is(const LexScan *scan, int i, const char *word) {
  if (i < 0 || i >= scan->count || scan->tokens[i].kind != LEX_WORD)
    return false;
  const LexToken *token = &scan->tokens[i];
  size_t length = strlen(word);
  return token->end - token->begin == length &&
         memcmp(scan->text + token->begin, word, length) == 0;
}

static bool token_punct(const LexScan *scan, int i, char c) {
  return i >= 0 && i < scan->count && scan->tokens[i].kind == LEX_PUNCT &&
         scan->text[scan->tokens[i].begin] == c;
}

static bool token_kind(const LexScan *scan, int i, LexKind kind) {
  return i >= 0 && i < scan->count && scan->tokens[i].kind == kind;
}

static bool token_reserved(const LexScan *scan, int i) {
  for (size_t k = 0; k < sizeof reserved_words / sizeof reserved_words[0]; k++)
    if (token_is(scan, i, reserved_words[k]))
      return true;
  return false;
}

/* A name: a word that is not a keyword. */
static bool token_name(const LexScan *scan, int i) {
  return token_kind(scan, i, LEX_WORD) && !token_reserved(scan, i);
}

static const char *token_text(const LexScan *scan, int i) {
  const LexToken *token = &scan->tokens[i];
  return text_format("%.*s", (int)(token->end - token->begin), scan->text + token->begin);
}

static bool token_unit(const LexScan *scan, int i) {
  static const char *const units[] = {"day", "days", "week", "weeks",
                                      "month", "months", "year", "years"};
  for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
    if (token_is(scan, i, units[k]))
      return true;
  return false;
}

typedef enum CompletionKind {
  COMPLETE_NOTHING,
  COMPLETE_DECLARATIONS,  /* top level: the declaration keywords */
  COMPLETE_CONDITIONS,    /* a condition: facts, criteria, group keywords */
  COMPLETE_VALUES,        /* a value of subject: members, true/false, facts of its type */
  COMPLETE_TEST_VALUES,   /* the same in a test, and 'unknown' */
  COMPLETE_MEMBERS,       /* after 'has': members, and 'any', 'all' */
  COMPLETE_OPERATORS,     /* after a fact: the words that compare it */
  COMPLETE_DATE_FACTS,    /* after 'before', 'after' */
  COMPLETE_INT_FACTS,     /* after 'at least', 'more than', ... */
  COMPLETE_UNITS,         /* within 3 _ */
  COMPLETE_DIRECTIONS,    /* within 3 months _ */
  COMPLETE_MODULES,       /* use _ */
  COMPLETE_TEST_ITEMS,    /* a line of a test: facts and 'expect' */
  COMPLETE_EXPECTATIONS,  /* expect _ */
  COMPLETE_FACTS,         /* expect missing { _ } */
  COMPLETE_RULES,         /* expect rule _ */
  COMPLETE_NOTES,         /* expect notes { _ } */
  COMPLETE_POLICY_FIELDS, /* a field of the policy block */
} CompletionKind;

typedef struct CompletionContext {
  CompletionKind kind;
  const char *subject; /* the fact the values are for */
} CompletionContext;

static CompletionContext context(CompletionKind kind, const char *subject) {
  CompletionContext result = {kind, subject};
  return result;
}

/* Inside a test block that opened at token b; last is the last token. */
static CompletionContext test_context(const LexScan *scan, int b, int last) {
  if (last == b || token_punct(scan, last, ';'))
    return context(COMPLETE_TEST_ITEMS, NULL);
  if (token_is(scan, last, "expect"))
    return context(COMPLETE_EXPECTATIONS, NULL);
  if (token_is(scan, last, "rule") && token_is(scan, last - 1, "expect"))
    return context(COMPLETE_RULES, NULL);
  if (token_punct(scan, last, ':') && token_name(scan, last - 1))
    return context(COMPLETE_TEST_VALUES, token_text(scan, last - 1));
  return context(COMPLETE_NOTHING, NULL);
}

/* Inside the policy block that opened at token b: a field name at the start
 * of a line, else the values of the line's field. */
static CompletionContext policy_context(const LexScan *scan, int b, int last) {
  const LexToken *tokens = scan->tokens;
  if (last == b || token_punct(scan, last, ';') ||
      (tokens[last].line < scan->line && !token_punct(scan, last, ',')))
    return context(COMPLETE_POLICY_FIELDS, NULL);
  int key = last;
  while (key > b + 1 && !(tokens[key].line > tokens[key - 1].line &&
                          !token_punct(scan, key - 1, ',')))
    key--;
  if (token_is(scan, key, "lines"))
    return context(COMPLETE_VALUES, "line_of_business");
  if (token_is(scan, key, "settings"))
    return context(COMPLETE_VALUES, "setting");
  return context(COMPLETE_NOTHING, NULL);
}

/* Inside braces opened at token b: what the braces belong to decides. */
static CompletionContext brace_context(const LexScan *scan, int b, int last) {
  if (token_is(scan, b - 1, "in") && token_name(scan, b - 2))
    return context(COMPLETE_VALUES, token_text(scan, b - 2));
  if ((token_is(scan, b - 1, "any") || token_is(scan, b - 1, "all")) &&
      token_is(scan, b - 2, "has") && token_name(scan, b - 3))
    return context(COMPLETE_VALUES, token_text(scan, b - 3));
  if (token_punct(scan, b - 1, ':') && token_name(scan, b - 2))
    return context(COMPLETE_TEST_VALUES, token_text(scan, b - 2));
  if (token_is(scan, b - 1, "missing"))
    return context(COMPLETE_FACTS, NULL);
  if (token_is(scan, b - 1, "notes"))
    return context(COMPLETE_NOTES, NULL);
  if (token_is(scan, b - 2, "policy"))
    return policy_context(scan, b, last);
  if (token_is(scan, b - 2, "test") ||
      (token_kind(scan, b - 1, LEX_STRING) && token_is(scan, b - 3, "test")))
    return test_context(scan, b, last);
  return context(COMPLETE_NOTHING, NULL);
}

static bool starts_condition(const LexScan *scan, int last) {
  static const char *const words[] = {"not",     "when",    "applies", "investigational",
                                      "exclude", "require", "refer"};
  for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
    if (token_is(scan, last, words[k]))
      return true;
  return token_punct(scan, last, '=') || token_punct(scan, last, '<') ||
         token_kind(scan, last, LEX_STRING);
}

/* Outside braces; depth is the number of groups open. */
static CompletionContext free_context(const LexScan *scan, int last, int depth) {
  if (last < 0)
    return context(COMPLETE_DECLARATIONS, NULL);
  if (token_punct(scan, last, ';') || token_punct(scan, last, '}'))
    return context(depth > 0 ? COMPLETE_CONDITIONS : COMPLETE_DECLARATIONS, NULL);
  if (token_is(scan, last, "use"))
    return context(COMPLETE_MODULES, NULL);
  if (token_is(scan, last, "is") && token_name(scan, last - 1))
    return context(COMPLETE_VALUES, token_text(scan, last - 1));
  if (token_is(scan, last, "has") && token_name(scan, last - 1))
    return context(COMPLETE_MEMBERS, token_text(scan, last - 1));
  if (token_is(scan, last, "before") || token_is(scan, last, "after"))
    return context(COMPLETE_DATE_FACTS, NULL);
  if ((token_is(scan, last, "least") || token_is(scan, last, "most")) &&
      token_name(scan, last - 2))
    return context(COMPLETE_INT_FACTS, NULL);
  if (token_is(scan, last, "than"))
    return context(COMPLETE_INT_FACTS, NULL);
  if (token_kind(scan, last, LEX_NUMBER) && token_is(scan, last - 1, "within"))
    return context(COMPLETE_UNITS, NULL);
  if (token_unit(scan, last) && token_is(scan, last - 2, "within"))
    return context(COMPLETE_DIRECTIONS, NULL);
  if (token_name(scan, last) && !token_is(scan, last - 1, "criterion") &&
      !token_is(scan, last - 1, "fact") && !token_is(scan, last - 1, "enum"))
    return context(COMPLETE_OPERATORS, token_text(scan, last));
  if (starts_condition(scan, last))
    return context(COMPLETE_CONDITIONS, NULL);
  return context(COMPLETE_NOTHING, NULL);
}

static CompletionContext completion_context(const char *text, uint32_t at) {
  LexScan scan = {0};
  lex_scan(&scan, text, at);
  if (scan.in_string || scan.in_comment)
    return context(COMPLETE_NOTHING, NULL);
  int count = scan.count;
  if (count > 0 && scan.tokens[count - 1].end == at) {
    LexKind kind = scan.tokens[count - 1].kind;
    if (kind == LEX_NUMBER)
      return context(COMPLETE_NOTHING, NULL);
    if (kind == LEX_WORD)
      count--; /* the word being typed */
  }
  scan.count = count;
  int *braces = GC_MALLOC_ATOMIC((size_t)(count + 1) * sizeof *braces);
  int open = 0, depth = 0;
  for (int i = 0; i < count; i++) {
    if (token_punct(&scan, i, '{'))
      braces[open++] = i;
    else if (token_punct(&scan, i, '}') && open > 0)
      open--;
    else if (token_punct(&scan, i, '<'))
      depth++;
    else if (token_punct(&scan, i, '>') && depth > 0)
      depth--;
    else if (token_is(&scan, i, "criterion") || token_is(&scan, i, "require") ||
             token_is(&scan, i, "exclude") || token_is(&scan, i, "investigational") ||
             token_is(&scan, i, "applies") || token_is(&scan, i, "refer") ||
             token_is(&scan, i, "note") || token_is(&scan, i, "test"))
      depth = 0; /* a new declaration: groups left open before it are errors */
  }
  if (open > 0)
    return brace_context(&scan, braces[open - 1], count - 1);
  return free_context(&scan, count - 1, depth);
}

/* ---- completion: the items ----------------------------------------------- */

static void add_item(json_t *items, const char *label, int kind, const char *detail,
                     const char *documentation) {
  json_t *item = json_pack("{s:o,s:i}", "label", lsp_json_text(label), "kind", kind);
  if (detail)
    json_object_set_new(item, "detail", lsp_json_text(detail));
  if (documentation)
    json_object_set_new(item, "documentation", lsp_json_text(documentation));
  json_array_append_new(items, item);
}

static void add_words(json_t *items, const char *const *words, size_t count, int kind) {
  for (size_t i = 0; i < count; i++)
    add_item(items, words[i], kind, NULL, NULL);
}

/* The facts a document sees: its own declarations, then the schema's and
 * its modules' (as of the last text that declared names). */
static PtrList facts_in_scope(Server *server, const Document *document) {
  PtrList facts = {0};
  const Module *root = lsp_root_module(document->current);
  for (int i = 0; i < root->count; i++)
    if (root->decls[i]->kind == DECL_FACT)
      ast_list_push(&facts, root->decls[i]->as.fact);
  const Analysis *known = lsp_known_analysis(server, document);
  for (int i = 0; i < known->program->fact_count; i++) {
    FactDecl *fact = known->program->facts[i];
    if (!lsp_stale(document, known, fact->name.span) &&
        !lsp_root_decl(document->current, DECL_FACT, fact->name.text))
      ast_list_push(&facts, fact);
  }
  return facts;
}

static PtrList criteria_in_scope(Server *server, const Document *document) {
  PtrList criteria = {0};
  const Module *root = lsp_root_module(document->current);
  for (int i = 0; i < root->count; i++)
    if (root->decls[i]->kind == DECL_CRITERION)
      ast_list_push(&criteria, root->decls[i]->as.criterion);
  const Analysis *known = lsp_known_analysis(server, document);
  for (int i = 0; i < known->program->criterion_count; i++) {
    Criterion *criterion = known->program->criteria[i];
    if (!lsp_stale(document, known, criterion->name.span) &&
        !lsp_root_decl(document->current, DECL_CRITERION, criterion->name.text))
      ast_list_push(&criteria, criterion);
  }
  return criteria;
}

/* Facts, all of them or those of one type (TY_ERROR: any). */
static void add_facts(Server *server, const Document *document, json_t *items, TypeKind only) {
  PtrList facts = facts_in_scope(server, document);
  for (int i = 0; i < facts.count; i++) {
    const FactDecl *fact = facts.items[i];
    if (only == TY_ERROR || lsp_fact_kind(fact) == only)
      add_item(items, fact->name.text, ITEM_VARIABLE, lsp_fact_type_text(fact), fact->doc);
  }
}

static void add_criteria(Server *server, const Document *document, json_t *items) {
  PtrList criteria = criteria_in_scope(server, document);
  for (int i = 0; i < criteria.count; i++) {
    const Criterion *criterion = criteria.items[i];
    add_item(items, criterion->name.text, ITEM_FUNCTION, "criterion", criterion->doc);
  }
}

static void add_members(json_t *items, const EnumDecl *enumeration) {
  const char *detail = text_format("%s member", enumeration->name.text);
  for (int i = 0; i < enumeration->count; i++)
    add_item(items, enumeration->members[i]->name.text, ITEM_ENUM_MEMBER, detail,
             enumeration->members[i]->doc);
}

static void add_sections(const Document *document, json_t *items, bool notes) {
  const Module *root = lsp_root_module(document->current);
  for (int i = 0; i < root->count; i++) {
    const Decl *decl = root->decls[i];
    if (decl->kind != DECL_SECTION || !decl->as.section->name.text ||
        (decl->as.section->kind == SEC_NOTE) != notes)
      continue;
    add_item(items, decl->as.section->name.text, ITEM_EVENT,
             ast_section_keyword(decl->as.section->kind), decl->as.section->doc);
  }
}

static void add_modules(Server *server, const Document *document, json_t *items) {
  int count = 0;
  const char **names = loader_available(server->search, loader_dirname(document->path), &count);
  for (int i = 0; i < count; i++) {
    bool seen = false;
    for (int j = 0; j < i && !seen; j++)
      seen = strcmp(names[i], names[j]) == 0;
    if (!seen)
      add_item(items, names[i], ITEM_MODULE, "module", NULL);
  }
}

static void add_values(Server *server, const Document *document, json_t *items,
                       const char *subject, bool in_test) {
  static const char *const truth[] = {"true", "false"};
  Meaning fact = lsp_find_fact(server, document, subject);
  if (fact.kind != MEANS_FACT)
    return;
  TypeKind kind = lsp_fact_kind(fact.fact);
  Meaning enumeration = lsp_fact_enum(server, document, fact);
  if (enumeration.kind == MEANS_ENUM)
    add_members(items, enumeration.enumeration);
  else if (kind == TY_BOOL)
    add_words(items, truth, 2, ITEM_VALUE);
  else if ((kind == TY_INT || kind == TY_DATE) && !in_test)
    add_facts(server, document, items, kind);
  if (in_test)
    add_item(items, "unknown", ITEM_VALUE, "the fact is not known", NULL);
}

static void add_operators(Server *server, const Document *document, json_t *items,
                          const char *subject) {
  static const char *const for_bool[] = {"is"};
  static const char *const for_int[] = {"at least",  "at most", "more than", "less than",
                                        "between", "is",      "in"};
  static const char *const for_date[] = {"before", "after",   "on or before", "on or after",
                                         "within", "between", "is"};
  static const char *const for_value[] = {"is", "in"};
  static const char *const for_set[] = {"has", "has any", "has all"};
  Meaning fact = lsp_find_fact(server, document, subject);
  if (fact.kind != MEANS_FACT)
    return;
  switch (lsp_fact_kind(fact.fact)) {
  case TY_BOOL:
    add_words(items, for_bool, 1, ITEM_OPERATOR);
    break;
  case TY_INT:
    add_words(items, for_int, sizeof for_int / sizeof *for_int, ITEM_OPERATOR);
    break;
  case TY_DATE:
    add_words(items, for_date, sizeof for_date / sizeof *for_date, ITEM_OPERATOR);
    break;
  case TY_SET:
    add_words(items, for_set, sizeof for_set / sizeof *for_set, ITEM_OPERATOR);
    break;
  default:
    add_words(items, for_value, sizeof for_value / sizeof *for_value, ITEM_OPERATOR);
    break;
  }
}

static void add_policy_fields(json_t *items) {
  static const char *const fields[] = {
      "title",    "payer",    "vendor",          "identifier",  "version",  "specialty",
      "description", "evidence", "original",     "revised",     "reviewed", "previous_review",
      "next_review", "approved", "effective",    "implemented", "published", "initiated",
      "codes",    "lines",    "ages",            "settings"};
  add_words(items, fields, sizeof fields / sizeof *fields, ITEM_KEYWORD);
}

static void add_expectations(json_t *items) {
  static const char *const words[] = {"missing", "notes", "rule"};
  for (int i = 0; i < DECISION_COUNT; i++)
    add_item(items, decision_name((Decision)i), ITEM_VALUE, "decision", NULL);
  add_words(items, words, 3, ITEM_KEYWORD);
}

static void add_completions(Server *server, const Document *document, json_t *items,
                            CompletionContext where) {
  static const char *const declarations[] = {
      "policy", "references",      "use",     "enum",    "fact", "criterion", "applies",
      "refer",  "investigational", "exclude", "require", "note", "test"};
  static const char *const groups[] = {"all", "any", "not", "at least", "true", "false"};
  static const char *const units[] = {"days", "weeks", "months", "years"};
  static const char *const directions[] = {"before", "after"};
  static const char *const set_words[] = {"any", "all"};
  switch (where.kind) {
  case COMPLETE_NOTHING:
    break;
  case COMPLETE_DECLARATIONS:
    add_words(items, declarations, sizeof declarations / sizeof *declarations, ITEM_KEYWORD);
    break;
  case COMPLETE_CONDITIONS:
    add_criteria(server, document, items);
    add_facts(server, document, items, TY_ERROR);
    add_words(items, groups, sizeof groups / sizeof *groups, ITEM_KEYWORD);
    break;
  case COMPLETE_VALUES:
  case COMPLETE_TEST_VALUES:
    add_values(server, document, items, where.subject, where.kind == COMPLETE_TEST_VALUES);
    break;
  case COMPLETE_MEMBERS:
    add_values(server, document, items, where.subject, false);
    add_words(items, set_words, 2, ITEM_KEYWORD);
    break;
  case COMPLETE_OPERATORS:
    add_operators(server, document, items, where.subject);
    break;
  case COMPLETE_DATE_FACTS:
    add_facts(server, document, items, TY_DATE);
    break;
  case COMPLETE_INT_FACTS:
    add_facts(server, document, items, TY_INT);
    break;
  case COMPLETE_UNITS:
    add_words(items, units, 4, ITEM_UNIT);
    break;
  case COMPLETE_DIRECTIONS:
    add_words(items, directions, 2, ITEM_KEYWORD);
    break;
  case COMPLETE_MODULES:
    add_modules(server, document, items);
    break;
  case COMPLETE_TEST_ITEMS:
    add_facts(server, document, items, TY_ERROR);
    add_item(items, "expect", ITEM_KEYWORD, NULL, NULL);
    break;
  case COMPLETE_EXPECTATIONS:
    add_expectations(items);
    break;
  case COMPLETE_FACTS:
    add_facts(server, document, items, TY_ERROR);
    break;
  case COMPLETE_RULES:
    add_sections(document, items, false);
    break;
  case COMPLETE_NOTES:
    add_sections(document, items, true);
    break;
  case COMPLETE_POLICY_FIELDS:
    add_policy_fields(items);
    break;
  }
}

/* A space typed in the middle of a sentence should not pop up every fact;
 * after 'is', 'has', 'use' or a fact's name it is an invitation. */
static bool answers_space(CompletionKind kind) {
  return kind != COMPLETE_DECLARATIONS && kind != COMPLETE_CONDITIONS &&
         kind != COMPLETE_TEST_ITEMS && kind != COMPLETE_POLICY_FIELDS;
}

json_t *lsp_handle_completion(Server *server, json_t *params, RpcError *error) {
  uint32_t at = 0;
  Document *document = lsp_param_cursor(server, params, &at, error);
  if (!document)
    return NULL;
  CompletionContext where = completion_context(document->text, at);
  json_t *trigger = lsp_field(params, "context");
  const char *character = lsp_string_field(trigger, "triggerCharacter");
  json_t *items = json_array();
  bool by_space = lsp_count_field(trigger, "triggerKind") == TRIGGER_CHARACTER && character &&
                  strcmp(character, " ") == 0;
  if (!by_space || answers_space(where.kind))
    add_completions(server, document, items, where);
  return json_pack("{s:b,s:o}", "isIncomplete", 0, "items", items);
}
