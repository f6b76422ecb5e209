/* check.c - loading modules, resolving names, checking types.
 *
 * Takes the source index of a root file and produces a Program (check.h):
 *   1. load: the root, the fact schema ('facts' on the search path) and
 *      every module named by 'use', each parsed once;
 *   2. declare: enums, facts, criteria, references, rules and tests into
 *      their tables, reporting duplicates;
 *   3. resolve: fact types, the policy block (what it governs:
 *      check_policy.c), every condition (names, types, literals,
 *      citations), every test (check_tests.c);
 *   4. whole-program checks: cyclic criteria, unused criteria and
 *      references.
 * Each step reports all it finds and the next step runs only if the
 * previous one found no error, so one mistake is not reported five times.
 */
#include "check.h"

#include <gc.h>
#include <stdint.h>
#include <string.h>

#include "check_internal.h"
#include "date.h"
#include "diag.h"
#include "mrsp_runtime.h"
#include "parse.h"
#include "source.h"
#include "text.h"

/* ---- a string-keyed hash table ---------------------------------------- */

static uint64_t hash_string(const char *text) {
  uint64_t hash = 1469598103934665603ull;
  for (const unsigned char *p = (const unsigned char *)text; *p; p++)
    hash = (hash ^ *p) * 1099511628211ull;
  return hash;
}

void *check_map_get(const StrMap *map, const char *key) {
  if (map->capacity == 0)
    return NULL;
  size_t mask = map->capacity - 1;
  for (size_t i = hash_string(key) & mask;; i = (i + 1) & mask) {
    if (!map->keys[i])
      return NULL;
    if (strcmp(map->keys[i], key) == 0)
      return map->values[i];
  }
}

static void map_grow(StrMap *map) {
  StrMap bigger = {0};
  bigger.capacity = map->capacity ? map->capacity * 2 : 64;
  bigger.keys = GC_MALLOC(bigger.capacity * sizeof *bigger.keys);
  bigger.values = GC_MALLOC(bigger.capacity * sizeof *bigger.values);
  for (size_t i = 0; i < map->capacity; i++)
    if (map->keys[i])
      check_map_put(&bigger, map->keys[i], map->values[i]);
  *map = bigger;
}

void check_map_put(StrMap *map, const char *key, void *value) {
  if ((map->count + 1) * 2 > map->capacity)
    map_grow(map);
  size_t mask = map->capacity - 1;
  size_t i = hash_string(key) & mask;
  while (map->keys[i] && strcmp(map->keys[i], key) != 0)
    i = (i + 1) & mask;
  if (!map->keys[i])
    map->count++;
  map->keys[i] = key;
  map->values[i] = value;
}

/* ---- the checker's state ---------------------------------------------- */

/* A criterion's reference to another, for the cycle check. */
typedef struct Edge {
  Criterion *target;
  Span span;
} Edge;

/* No error since this check began (earlier files' errors do not count). */
static bool still_clean(const Checker *c) {
  return diag_hard_error_count() == c->errors_at_start;
}

static LoadedModule *module_at(Checker *c, int index) {
  return c->modules.items[index];
}

/* ---- 1. loading --------------------------------------------------------- */

static int load_module(Checker *c, const char *path, Span *use_span) {
  const char *canonical = loader_canonical(path);
  intptr_t known = (intptr_t)check_map_get(&c->module_paths, canonical);
  if (known)
    return (int)known - 1;
  const char *error = NULL;
  int file = source_load(path, &error);
  if (file < 0) {
    if (use_span)
      diag_error(*use_span, "%s", error);
    else
      diag_error_at_file(path, "%s", error);
    return -1;
  }
  LoadedModule *loaded = GC_NEW(LoadedModule);
  loaded->module = parse_module(file);
  loaded->path = source_get(file)->path;
  ast_list_push(&c->modules, loaded);
  check_map_put(&c->module_paths, canonical, (void *)(intptr_t)c->modules.count);
  return c->modules.count - 1;
}

static void report_missing_module(Checker *c, UseDecl *use, const char *dir) {
  Diagnostic *d = diag_error(use->span, "cannot find module '%s'", use->path);
  int count = 0;
  const char **available = loader_available(c->path, dir, &count);
  const char *suggestion = text_suggest(use->path, available, count);
  if (suggestion)
    diag_note_plain(d, "did you mean '%s'?", suggestion);
  TextBuffer where = {0};
  for (int i = 0; i < c->path->count; i++)
    text_appendf(&where, "%s, ", c->path->dirs[i]);
  text_appendf(&where, "%s", dir);
  if (c->path->stdlib)
    text_appendf(&where, ", %s", c->path->stdlib);
  diag_note_plain(d, "looked for '%s.mrsp' in %s", use->path, text_finish(&where));
}

static void load_uses(Checker *c, int index) {
  LoadedModule *loaded = module_at(c, index);
  const char *dir = loader_dirname(loaded->path);
  for (int i = 0; i < loaded->module->count; i++) {
    Decl *decl = loaded->module->decls[i];
    if (decl->kind != DECL_USE)
      continue;
    UseDecl *use = decl->as.use;
    const char *found = loader_find(c->path, use->path, use->quoted, dir);
    if (!found) {
      report_missing_module(c, use, dir);
      continue;
    }
    use->module = load_module(c, found, &use->span);
  }
}

static void load_prelude(Checker *c) {
  const char *schema = c->path->stdlib ? text_format("%s/facts.mrsp", c->path->stdlib) : NULL;
  const char *found = loader_find(c->path, "facts", false, NULL);
  if (!found)
    found = schema;
  if (!found) {
    Diagnostic *d = diag_error_at_file(NULL, "cannot find the fact schema 'facts.mrsp'");
    diag_note_plain(d, "set MRSPC_STDLIB to the standard library directory, or pass -I DIR");
    return;
  }
  load_module(c, found, NULL);
}

static bool load_all(Checker *c, int root_file) {
  LoadedModule *root = GC_NEW(LoadedModule);
  root->module = parse_module(root_file);
  root->path = source_get(root_file)->path;
  ast_list_push(&c->modules, root);
  check_map_put(&c->module_paths, loader_canonical(root->path), (void *)(intptr_t)1);
  load_prelude(c);
  for (int i = 0; i < c->modules.count; i++)
    load_uses(c, i);
  for (int i = 0; i < c->modules.count; i++)
    if (!module_at(c, i)->module->syntax_ok)
      return false;
  return still_clean(c);
}

/* ---- 2. declaring -------------------------------------------------------- */

static void report_duplicate(const char *what, Name name, Span first) {
  Diagnostic *d = diag_error(name.span, "duplicate definition of %s '%s'", what, name.text);
  diag_note(d, first, "'%s' was first defined here", name.text);
}

static void declare_enum(Checker *c, EnumDecl *enumeration) {
  EnumDecl *first = check_map_get(&c->enums, enumeration->name.text);
  if (first) {
    report_duplicate("enum", enumeration->name, first->name.span);
    return;
  }
  StrMap members = {0};
  for (int i = 0; i < enumeration->count; i++) {
    EnumMember *member = enumeration->members[i];
    EnumMember *earlier = check_map_get(&members, member->name.text);
    if (earlier) {
      Diagnostic *d = diag_error(member->name.span, "duplicate member '%s' in enum '%s'",
                                 member->name.text, enumeration->name.text);
      diag_note(d, earlier->name.span, "'%s' was first defined here", member->name.text);
    } else
      check_map_put(&members, member->name.text, member);
  }
  enumeration->index = c->enum_list.count;
  ast_list_push(&c->enum_list, enumeration);
  check_map_put(&c->enums, enumeration->name.text, enumeration);
}

static void declare_fact(Checker *c, FactDecl *fact) {
  FactDecl *first = check_map_get(&c->facts, fact->name.text);
  if (first) {
    report_duplicate("fact", fact->name, first->name.span);
    return;
  }
  fact->index = c->fact_list.count;
  ast_list_push(&c->fact_list, fact);
  check_map_put(&c->facts, fact->name.text, fact);
}

static void declare_criterion(Checker *c, Criterion *criterion) {
  Criterion *first = check_map_get(&c->criteria, criterion->name.text);
  if (first) {
    report_duplicate("criterion", criterion->name, first->name.span);
    return;
  }
  criterion->index = c->criterion_list.count;
  criterion->module = c->module;
  ast_list_push(&c->criterion_list, criterion);
  check_map_put(&c->criteria, criterion->name.text, criterion);
}

static void declare_references(Checker *c, Decl *decl) {
  LoadedModule *loaded = module_at(c, c->module);
  if (loaded->references_span.end > 0) {
    Span keyword = {decl->span.file, decl->span.begin, decl->span.begin + 10};
    Diagnostic *d = diag_error(keyword, "a file has one references block");
    diag_note(d, loaded->references_span, "the first references block starts here");
    return;
  }
  StrMap numbers = {0};
  for (int i = 0; i < decl->as.references.count; i++) {
    Reference *reference = decl->as.references.items[i];
    const char *key = text_format("%d", reference->number);
    Reference *earlier = check_map_get(&numbers, key);
    if (reference->number < 1) {
      diag_error(reference->span, "reference numbers start at 1");
    } else if (earlier) {
      Diagnostic *d = diag_error(reference->span, "duplicate reference [%d]", reference->number);
      diag_note(d, earlier->span, "[%d] was first defined here", reference->number);
    } else {
      check_map_put(&numbers, key, reference);
    }
  }
  loaded->references = decl->as.references.items;
  loaded->reference_count = decl->as.references.count;
  loaded->references_span = (Span){decl->span.file, decl->span.begin, decl->span.begin + 10};
}

static void declare_section(Checker *c, Section *section) {
  section->module = c->module;
  if (section->name.text) {
    Section *first = check_map_get(&c->sections, section->name.text);
    if (first) {
      report_duplicate("rule", section->name, first->name.span);
      return;
    }
    check_map_put(&c->sections, section->name.text, section);
  }
  ast_list_push(&c->section_list, section);
}

static void declare_test(Checker *c, TestDecl *test) {
  TestDecl *first = check_map_get(&c->tests, test->name.text);
  if (first) {
    report_duplicate("test", test->name, first->name.span);
    return;
  }
  check_map_put(&c->tests, test->name.text, test);
  ast_list_push(&c->test_list, test);
}

/* Rules, tests and the policy block belong to the file being checked; a
 * module brought in with 'use' only lends definitions. */
static bool allowed_in_module(Checker *c, Decl *decl) {
  if (c->module == 0)
    return true;
  if (decl->kind != DECL_POLICY && decl->kind != DECL_SECTION && decl->kind != DECL_TEST)
    return true;
  Diagnostic *d = diag_error(decl->span, "a module brought in with 'use' cannot hold %s",
                             decl->kind == DECL_POLICY  ? "a policy block"
                             : decl->kind == DECL_TEST ? "tests"
                                                       : "decision rules or notes");
  diag_note_plain(d, "'use' imports only facts, enums and criteria; move this into the policy");
  return false;
}

static void declare(Checker *c, Decl *decl) {
  if (!allowed_in_module(c, decl))
    return;
  switch (decl->kind) {
  case DECL_POLICY:
    if (c->program->policy) {
      Diagnostic *d = diag_error(decl->as.policy->name.span, "a file has one policy block");
      diag_note(d, c->program->policy->name.span, "the first policy block is here");
    } else {
      c->program->policy = decl->as.policy;
    }
    break;
  case DECL_REFERENCES:
    declare_references(c, decl);
    break;
  case DECL_USE:
    break;
  case DECL_ENUM:
    declare_enum(c, decl->as.enumeration);
    break;
  case DECL_FACT:
    declare_fact(c, decl->as.fact);
    break;
  case DECL_CRITERION:
    declare_criterion(c, decl->as.criterion);
    break;
  case DECL_SECTION:
    declare_section(c, decl->as.section);
    break;
  case DECL_TEST:
    declare_test(c, decl->as.test);
    break;
  }
}

/* A criterion may not share a name with a fact: 'name' alone must mean one
 * thing. */
static void check_name_clashes(Checker *c) {
  for (int i = 0; i < c->criterion_list.count; i++) {
    Criterion *criterion = c->criterion_list.items[i];
    FactDecl *fact = check_map_get(&c->facts, criterion->name.text);
    if (!fact)
      continue;
    Diagnostic *d = diag_error(criterion->name.span,
                               "criterion '%s' has the same name as a fact", criterion->name.text);
    diag_note(d, fact->name.span, "the fact '%s' is declared here", fact->name.text);
  }
}

/* Modules brought in first, the root file last: when a name is defined
 * twice, the root's definition is the one reported. */
static bool declare_all(Checker *c) {
  for (int step = 1; step <= c->modules.count; step++) {
    c->module = step % c->modules.count;
    Module *module = module_at(c, c->module)->module;
    for (int i = 0; i < module->count; i++)
      declare(c, module->decls[i]);
  }
  check_name_clashes(c);
  return still_clean(c);
}

/* ---- suggestions -------------------------------------------------------- */

static const char **map_keys(const StrMap *map, int *count) {
  const char **keys = GC_MALLOC((map->count + 1) * sizeof *keys);
  int n = 0;
  for (size_t i = 0; i < map->capacity; i++)
    if (map->keys[i])
      keys[n++] = map->keys[i];
  *count = n;
  return keys;
}

void check_suggest_from(Diagnostic *d, const char *name, const StrMap *first,
                        const StrMap *second) {
  int n1 = 0, n2 = 0;
  const char **a = map_keys(first, &n1);
  const char **b = second ? map_keys(second, &n2) : NULL;
  const char **all = GC_MALLOC((size_t)(n1 + n2 + 1) * sizeof *all);
  memcpy(all, a, (size_t)n1 * sizeof *all);
  if (n2)
    memcpy(all + n1, b, (size_t)n2 * sizeof *all);
  const char *suggestion = text_suggest(name, all, n1 + n2);
  if (suggestion)
    diag_note_plain(d, "did you mean '%s'?", suggestion);
}

/* "did you mean", or for a short enum the whole list of its members. */
static void suggest_member(Diagnostic *d, const char *name, const EnumDecl *enumeration) {
  enum { LISTED = 12 };
  const char **names = GC_MALLOC((size_t)(enumeration->count + 1) * sizeof *names);
  for (int i = 0; i < enumeration->count; i++)
    names[i] = enumeration->members[i]->name.text;
  const char *suggestion = text_suggest(name, names, enumeration->count);
  if (suggestion) {
    diag_note_plain(d, "did you mean '%s'?", suggestion);
    return;
  }
  if (enumeration->count > LISTED)
    return;
  TextBuffer list = {0};
  for (int i = 0; i < enumeration->count; i++)
    text_appendf(&list, "%s%s", i == 0 ? "" : i == enumeration->count - 1 ? " and " : ", ",
                 names[i]);
  diag_note_plain(d, "the members of '%s' are %s", enumeration->name.text, text_finish(&list));
}

/* ---- 3a. fact types ------------------------------------------------------ */

const char *check_type_phrase(const FactDecl *fact) {
  switch (fact->type.kind) {
  case TY_BOOL:
    return "a yes/no fact (bool)";
  case TY_INT:
    return "a number (int)";
  case TY_DATE:
    return "a date";
  case TY_CODE:
    return "a procedure code";
  case TY_ENUM:
    return text_format("one '%s' value (enum)", fact->type.enumeration->name.text);
  case TY_SET:
    return text_format("a set of '%s' values", fact->type.enumeration->name.text);
  case TY_ERROR:
    break;
  }
  return "of unknown type";
}

static void resolve_fact_type(Checker *c, FactDecl *fact) {
  static const struct {
    const char *name;
    TypeKind kind;
  } builtin[] = {{"bool", TY_BOOL}, {"int", TY_INT}, {"date", TY_DATE}, {"code", TY_CODE}};
  const char *name = fact->type_name.text;
  fact->type.kind = TY_ERROR;
  for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++) {
    if (strcmp(name, builtin[i].name) == 0 && !fact->is_set) {
      fact->type.kind = builtin[i].kind;
      break;
    }
  }
  if (fact->type.kind == TY_ERROR) {
    EnumDecl *enumeration = check_map_get(&c->enums, name);
    if (enumeration) {
      fact->type.kind = fact->is_set ? TY_SET : TY_ENUM;
      fact->type.enumeration = enumeration;
    } else if (fact->is_set) {
      Diagnostic *d = diag_error(fact->type_name.span, "unknown enum '%s'", name);
      check_suggest_from(d, name, &c->enums, NULL);
      diag_note_plain(d, "a set holds members of an enum: 'set of question'");
      return;
    } else {
      Diagnostic *d = diag_error(fact->type_name.span, "unknown type '%s'", name);
      const char *builtin_names[] = {"bool", "int", "date", "code"};
      const char *suggestion = text_suggest(name, builtin_names, 4);
      if (suggestion)
        diag_note_plain(d, "did you mean '%s'?", suggestion);
      else
        check_suggest_from(d, name, &c->enums, NULL);
      diag_note_plain(d, "a fact's type is bool, int, date, code, an enum, or 'set of' an enum");
      return;
    }
  }
  if (fact->range) {
    if (fact->type.kind != TY_INT) {
      diag_error(fact->range->span, "only an int fact takes a range of values");
    } else if (fact->range->items[0]->number > fact->range->items[1]->number) {
      diag_error(fact->range->span, "the range %lld to %lld is empty",
                 fact->range->items[0]->number, fact->range->items[1]->number);
    }
  }
}

/* ---- 3b. literals -------------------------------------------------------- */

bool check_code_shape(const char *text) {
  return mrsp_code_valid(text, strlen(text)) != 0;
}

bool check_code_literal(Literal *literal) {
  if (literal->kind != LIT_CODE && literal->kind != LIT_INT && literal->kind != LIT_NAME) {
    diag_error(literal->span, "expected a procedure code, found a %s",
               ast_literal_kind_name(literal->kind));
    return false;
  }
  if (check_code_shape(literal->text))
    return true;
  Diagnostic *d = diag_error(literal->span, "'%s' is not a CPT/HCPCS code", literal->text);
  diag_note_plain(d, "a code has five characters: five digits (76390), four digits and a "
                     "letter (0698T), or a letter and four digits (G0123)");
  return false;
}

/* Both codes have the same shape, with the same letter in the same place. */
static bool same_code_kind(const char *a, const char *b) {
  for (int i = 0; i < 5; i++) {
    bool letter_a = a[i] >= 'A' && a[i] <= 'Z', letter_b = b[i] >= 'A' && b[i] <= 'Z';
    if (letter_a != letter_b || (letter_a && a[i] != b[i]))
      return false;
  }
  return true;
}

/* A range's ends, already checked one by one, make a range: codes of one
 * kind, low end first. */
bool check_range_order(const Literal *range, TypeKind kind) {
  const Literal *low = range->items[0], *high = range->items[1];
  if (kind == TY_INT) {
    if (low->number <= high->number)
      return true;
    diag_error(range->span, "the range %lld to %lld runs backwards", low->number, high->number);
    return false;
  }
  if (!same_code_kind(low->text, high->text)) {
    Diagnostic *d = diag_error(range->span, "a code range joins codes of one kind, but %s "
                                            "and %s differ",
                               low->text, high->text);
    diag_note_plain(d, "both ends are five digits (70010 to 76499), or four digits and "
                       "the same letter (0609T to 0612T), or the same letter and four "
                       "digits (G0100 to G0199)");
    return false;
  }
  if (strcmp(low->text, high->text) > 0) {
    diag_error(range->span, "the code range %s to %s runs backwards", low->text, high->text);
    return false;
  }
  return true;
}

static bool check_date_literal(Literal *literal) {
  size_t length = strlen(literal->text);
  const char *problem = date_problem(literal->text, length);
  if (problem) {
    diag_error(literal->span, "'%s' is not a date: %s", literal->text, problem);
    return false;
  }
  date_parse(literal->text, length, &literal->day);
  return true;
}

/* A month such as 2007-04, or a full date; for policy-block dates, which
 * documents often give to the month. */
bool check_meta_date(Literal *literal) {
  if (strlen(literal->text) == 7) {
    /* check the month's first day, which exists exactly when the month does */
    const char *first_day = text_format("%s-01", literal->text);
    const char *problem = date_problem(first_day, 10);
    if (!problem)
      return true;
    diag_error(literal->span, "'%s' is not a date: %s", literal->text, problem);
    return false;
  }
  return check_date_literal(literal);
}

static int find_member(const EnumDecl *enumeration, const char *name) {
  for (int i = 0; i < enumeration->count; i++)
    if (strcmp(enumeration->members[i]->name.text, name) == 0)
      return i;
  return -1;
}

bool check_member_literal(Literal *literal, const EnumDecl *enumeration) {
  if (literal->kind != LIT_NAME) {
    diag_error(literal->span, "expected a member of enum '%s', found a %s",
               enumeration->name.text, ast_literal_kind_name(literal->kind));
    return false;
  }
  literal->member = find_member(enumeration, literal->text);
  if (literal->member >= 0)
    return true;
  Diagnostic *d = diag_error(literal->span, "'%s' is not a member of enum '%s'", literal->text,
                             enumeration->name.text);
  suggest_member(d, literal->text, enumeration);
  return false;
}

void check_note_declared(Diagnostic *d, const FactDecl *fact) {
  diag_note(d, fact->name.span, "'%s' is declared here as %s", fact->name.text,
            check_type_phrase(fact));
}

/* What a value of the fact's type looks like, for messages. */
static const char *value_phrase(const FactDecl *fact) {
  switch (fact->type.kind) {
  case TY_BOOL:
    return "true or false";
  case TY_INT:
    return "a whole number";
  case TY_DATE:
    return "a date (YYYY-MM-DD)";
  case TY_CODE:
    return "a procedure code (76390)";
  case TY_ENUM:
  case TY_SET:
    return text_format("a member of '%s'", fact->type.enumeration->name.text);
  case TY_ERROR:
    break;
  }
  return "a value of its type";
}

/* A single value of the fact's (scalar) type: in 'is', sets, tests. */
bool check_value(Checker *c, Literal *literal, const FactDecl *fact) {
  (void)c;
  switch (fact->type.kind) {
  case TY_ERROR:
    return false;
  case TY_BOOL:
    if (literal->kind == LIT_BOOL)
      return true;
    break;
  case TY_INT:
    if (literal->kind == LIT_INT)
      return true;
    break;
  case TY_DATE:
    if (literal->kind == LIT_DATE)
      return check_date_literal(literal);
    break;
  case TY_CODE:
    if (literal->kind == LIT_CODE || literal->kind == LIT_INT || literal->kind == LIT_NAME)
      return check_code_literal(literal);
    break;
  case TY_ENUM:
  case TY_SET:
    return check_member_literal(literal, fact->type.enumeration);
  }
  Diagnostic *d = diag_error(literal->span, "'%s' is %s, so its value here is %s, not a %s",
                             fact->name.text, check_type_phrase(fact), value_phrase(fact),
                             ast_literal_kind_name(literal->kind));
  check_note_declared(d, fact);
  return false;
}

/* ---- 3c. citations ------------------------------------------------------- */

static Reference *find_reference(LoadedModule *loaded, int number) {
  for (int i = 0; i < loaded->reference_count; i++)
    if (loaded->references[i]->number == number)
      return loaded->references[i];
  return NULL;
}

void check_cites(Checker *c, CiteList cites) {
  LoadedModule *loaded = module_at(c, c->module);
  for (int i = 0; i < cites.count; i++) {
    Cite *cite = cites.items[i];
    if (cite->first > cite->last) {
      diag_error(cite->span, "citation [%d-%d] runs backwards", cite->first, cite->last);
      continue;
    }
    /* a long long, so a range ending at the largest number cannot overflow */
    for (long long next = cite->first; next <= cite->last; next++) {
      int number = (int)next;
      Reference *reference = find_reference(loaded, number);
      if (reference) {
        reference->uses++;
        continue;
      }
      Diagnostic *d = diag_error(cite->span, "citation [%d] is not in the references", number);
      if (loaded->reference_count == 0)
        diag_note_plain(d, "this file has no references block; add one: references { %d: \"...\" }",
                        number);
      else
        diag_note_plain(d, "the references block lists %d reference%s", loaded->reference_count,
                        loaded->reference_count == 1 ? "" : "s");
      break;
    }
  }
}

/* ---- 3d. conditions ------------------------------------------------------ */

static FactDecl *lookup_subject(Checker *c, Node *node) {
  FactDecl *fact = check_map_get(&c->facts, node->subject.text);
  if (fact)
    return fact;
  Criterion *criterion = check_map_get(&c->criteria, node->subject.text);
  if (criterion) {
    Diagnostic *d = diag_error(node->subject.span,
                               "'%s' is a criterion, not a fact; use it alone as a condition",
                               node->subject.text);
    diag_note(d, criterion->name.span, "'%s' is defined here", criterion->name.text);
    return NULL;
  }
  Diagnostic *d = diag_error(node->subject.span, "unknown fact '%s'", node->subject.text);
  check_suggest_from(d, node->subject.text, &c->facts, NULL);
  return NULL;
}

static void type_mismatch(const char *operation, Node *node, const FactDecl *fact,
                          const char *needs) {
  Diagnostic *d = diag_error(node->subject.span, "'%s' needs %s, but '%s' is %s", operation,
                             needs, fact->name.text, check_type_phrase(fact));
  check_note_declared(d, fact);
}

static void add_edge(Checker *c, Criterion *target, Span span) {
  if (!c->owner)
    return;
  Edge *edge = GC_NEW(Edge);
  edge->target = target;
  edge->span = span;
  ast_list_push(&c->edges[c->owner->index], edge);
}

/* ND_REF -> name: a criterion, or a bool fact */
static void check_reference(Checker *c, Node *node) {
  Criterion *criterion = check_map_get(&c->criteria, node->subject.text);
  if (criterion) {
    node->criterion = criterion;
    criterion->uses++;
    add_edge(c, criterion, node->subject.span);
    return;
  }
  FactDecl *fact = check_map_get(&c->facts, node->subject.text);
  if (fact) {
    node->fact = fact;
    if (fact->type.kind == TY_BOOL || fact->type.kind == TY_ERROR)
      return;
    Diagnostic *d = diag_error(node->subject.span,
                               "'%s' is %s, not a yes/no fact, so it cannot stand alone as "
                               "a condition",
                               fact->name.text, check_type_phrase(fact));
    check_note_declared(d, fact);
    switch (fact->type.kind) {
    case TY_INT:
      diag_note_plain(d, "compare it, as in '%s at least 18'", fact->name.text);
      break;
    case TY_DATE:
      diag_note_plain(d, "compare it, as in '%s within 3 months before request_date'",
                      fact->name.text);
      break;
    case TY_SET:
      diag_note_plain(d, "test a member, as in '%s has %s'", fact->name.text,
                      fact->type.enumeration->members[0]->name.text);
      break;
    default:
      diag_note_plain(d, "test its value, as in '%s is ...' or '%s in { ... }'", fact->name.text,
                      fact->name.text);
      break;
    }
    return;
  }
  Diagnostic *d = diag_error(node->subject.span, "unknown fact or criterion '%s'",
                             node->subject.text);
  check_suggest_from(d, node->subject.text, &c->facts, &c->criteria);
}

/* The right side of 'is', a comparison or a date window: a literal of the
 * subject's type, or another fact of that type. */
static void check_operand(Checker *c, Operand *operand, const FactDecl *subject,
                          const char *operation) {
  Literal *literal = operand->literal;
  bool scalar_name = subject->type.kind == TY_INT || subject->type.kind == TY_DATE ||
                     subject->type.kind == TY_BOOL;
  if (literal->kind == LIT_NAME && scalar_name) {
    FactDecl *fact = check_map_get(&c->facts, literal->text);
    if (!fact) {
      Diagnostic *d = diag_error(literal->span, "unknown fact '%s'", literal->text);
      check_suggest_from(d, literal->text, &c->facts, NULL);
      return;
    }
    operand->fact = fact;
    if (fact->type.kind != subject->type.kind && fact->type.kind != TY_ERROR) {
      Diagnostic *d = diag_error(literal->span,
                                 "'%s' compares '%s' (%s) with another %s, but '%s' is %s",
                                 operation, subject->name.text, check_type_phrase(subject),
                                 ast_type_kind_name(subject->type.kind), fact->name.text,
                                 check_type_phrase(fact));
      check_note_declared(d, fact);
    }
    return;
  }
  check_value(c, literal, subject);
}

/* A warning for int comparisons outside the fact's declared range. */
static void check_never_true(Node *node, const FactDecl *fact) {
  if (fact->type.kind != TY_INT || !fact->range || !node->rhs.literal ||
      node->rhs.literal->kind != LIT_INT)
    return;
  long long low = fact->range->items[0]->number, high = fact->range->items[1]->number;
  long long value = node->rhs.literal->number;
  bool never = (node->compare == CMP_AT_LEAST && value > high) ||
               (node->compare == CMP_MORE_THAN && value >= high) ||
               (node->compare == CMP_AT_MOST && value < low) ||
               (node->compare == CMP_LESS_THAN && value <= low);
  if (never)
    diag_warning(node->span, "this condition can never be true: '%s' is between %lld and %lld",
                 fact->name.text, low, high);
}

static bool is_date_op(CompareOp op) {
  return op == CMP_BEFORE || op == CMP_AFTER || op == CMP_ON_OR_BEFORE || op == CMP_ON_OR_AFTER;
}

static void check_compare(Checker *c, Node *node, FactDecl *fact) {
  const char *words = ast_compare_op_words(node->compare);
  if (is_date_op(node->compare)) {
    if (fact->type.kind != TY_DATE) {
      type_mismatch(words, node, fact, "a date");
      return;
    }
  } else if (fact->type.kind != TY_INT) {
    type_mismatch(words, node, fact, "a number (int)");
    if (fact->type.kind == TY_DATE)
      diag_note_plain(diag_get(diag_count() - 1),
                      "dates are compared with 'before', 'after', 'on or before', "
                      "'on or after' and 'within'");
    return;
  }
  check_operand(c, &node->rhs, fact, words);
  check_never_true(node, fact);
}

/* ND_IN -> fact in { values }: an enum, a code or an int fact */
static void check_in(Checker *c, Node *node, FactDecl *fact) {
  TypeKind kind = fact->type.kind;
  if (kind != TY_ENUM && kind != TY_CODE && kind != TY_INT) {
    type_mismatch("in", node, fact, "one value (an enum, a code or an int)");
    if (kind == TY_SET)
      diag_note_plain(diag_get(diag_count() - 1), "for a set, write '%s has any { ... }'",
                      fact->name.text);
    return;
  }
  if (node->set->count == 0)
    diag_warning(node->set->span, "the set is empty, so this condition is never true");
  for (int i = 0; i < node->set->count; i++) {
    Literal *item = node->set->items[i];
    if (item->kind == LIT_RANGE) {
      if (kind != TY_CODE && kind != TY_INT) {
        diag_error(item->span, "a range of values needs a code or int fact");
        continue;
      }
      if (check_value(c, item->items[0], fact) && check_value(c, item->items[1], fact))
        check_range_order(item, kind);
      continue;
    }
    check_value(c, item, fact);
  }
}

static void check_set_members(Checker *c, Node *node, FactDecl *fact, const char *operation) {
  if (fact->type.kind != TY_SET) {
    type_mismatch(operation, node, fact, "a fact holding a set");
    if (fact->type.kind == TY_ENUM)
      diag_note_plain(diag_get(diag_count() - 1), "for one value, write '%s is ...' or "
                                                   "'%s in { ... }'",
                      fact->name.text, fact->name.text);
    return;
  }
  if (node->set) {
    if (node->set->count == 0)
      diag_warning(node->set->span, "the set is empty");
    for (int i = 0; i < node->set->count; i++)
      check_value(c, node->set->items[i], fact);
  } else {
    check_value(c, node->rhs.literal, fact);
  }
}

static void check_node(Checker *c, Node *node);

static void check_condition(Checker *c, Node *node) {
  FactDecl *fact = lookup_subject(c, node);
  if (!fact)
    return;
  node->fact = fact;
  if (fact->type.kind == TY_ERROR)
    return;
  switch (node->kind) {
  case ND_IS:
    if (fact->type.kind == TY_SET) {
      type_mismatch("is", node, fact, "one value");
      diag_note_plain(diag_get(diag_count() - 1), "for a set, write '%s has ...'",
                      fact->name.text);
      return;
    }
    check_operand(c, &node->rhs, fact, "is");
    break;
  case ND_IN:
    check_in(c, node, fact);
    break;
  case ND_HAS:
    check_set_members(c, node, fact, "has");
    break;
  case ND_HAS_ANY:
    check_set_members(c, node, fact, "has any");
    break;
  case ND_HAS_ALL:
    check_set_members(c, node, fact, "has all");
    break;
  case ND_COMPARE:
    check_compare(c, node, fact);
    break;
  case ND_BETWEEN:
    if (fact->type.kind != TY_INT && fact->type.kind != TY_DATE) {
      type_mismatch("between", node, fact, "a number (int) or a date");
      return;
    }
    check_operand(c, &node->rhs, fact, "between");
    check_operand(c, &node->high, fact, "between");
    break;
  case ND_WITHIN:
    if (fact->type.kind != TY_DATE) {
      type_mismatch("within", node, fact, "a date");
      return;
    }
    check_operand(c, &node->rhs, fact, node->after ? "within ... after" : "within ... before");
    break;
  default:
    break;
  }
}

static void check_group(Checker *c, Node *node) {
  if (node->kind == ND_AT_LEAST && (node->at_least < 1 || node->at_least > node->count)) {
    Diagnostic *d = diag_error(node->at_least_span,
                               "'at least %d of' a group of %d item%s can never be true",
                               node->at_least, node->count, node->count == 1 ? "" : "s");
    if (node->at_least < 1)
      d->message = text_format("'at least %d of' is always true; write a number from 1 to %d",
                               node->at_least, node->count);
  }
  for (int i = 0; i < node->count; i++)
    check_node(c, node->items[i]);
}

static void check_node(Checker *c, Node *node) {
  check_cites(c, node->cites);
  switch (node->kind) {
  case ND_ALL:
  case ND_ANY:
  case ND_AT_LEAST:
    check_group(c, node);
    break;
  case ND_NOT:
    check_node(c, node->operand);
    break;
  case ND_REF:
    check_reference(c, node);
    break;
  case ND_CONST:
    break;
  default:
    check_condition(c, node);
    break;
  }
}

/* ---- 3f. rules ------------------------------------------------------- */

static void check_section(Checker *c, Section *section) {
  check_cites(c, section->cites);
  if (section->kind == SEC_REFER && section->target && section->target[0] == '\0')
    diag_error(section->target_span, "the target of 'refer' is empty: name where the request goes");
  if (section->condition)
    check_node(c, section->condition);
}

/* ---- 4. whole-program checks -------------------------------------------- */

enum { WHITE, GREY, BLACK };

static void report_cycle(Checker *c, Criterion **path, Edge **edges, int length) {
  TextBuffer chain = {0};
  for (int i = 0; i < length; i++)
    text_appendf(&chain, "%s -> ", path[i]->name.text);
  text_appendf(&chain, "%s", path[0]->name.text);
  Diagnostic *d = diag_error(path[0]->name.span, "criterion '%s' is defined in terms of itself: %s",
                             path[0]->name.text, text_finish(&chain));
  for (int i = 0; i < length; i++)
    diag_note(d, edges[i]->span, "'%s' uses '%s' here", path[i]->name.text,
              edges[i]->target->name.text);
  (void)c;
}

/* Depth-first search with an explicit stack: a chain of 100,000 criteria
 * must not overflow the C stack. */
static void check_cycles(Checker *c) {
  int count = c->criterion_list.count;
  char *color = GC_MALLOC_ATOMIC((size_t)count + 1);
  memset(color, WHITE, (size_t)count + 1);
  int *next_edge = GC_MALLOC_ATOMIC(((size_t)count + 1) * sizeof *next_edge);
  Criterion **stack = GC_MALLOC(((size_t)count + 1) * sizeof *stack);
  Edge **via = GC_MALLOC(((size_t)count + 1) * sizeof *via);
  for (int start = 0; start < count; start++) {
    if (color[start] != WHITE)
      continue;
    int depth = 0;
    stack[depth++] = c->criterion_list.items[start];
    color[start] = GREY;
    next_edge[start] = 0;
    while (depth > 0) {
      Criterion *top = stack[depth - 1];
      PtrList *edges = &c->edges[top->index];
      if (next_edge[top->index] == edges->count) {
        color[top->index] = BLACK;
        depth--;
        continue;
      }
      Edge *edge = edges->items[next_edge[top->index]++];
      int target = edge->target->index;
      via[depth - 1] = edge;
      if (color[target] == WHITE) {
        color[target] = GREY;
        next_edge[target] = 0;
        stack[depth++] = edge->target;
      } else if (color[target] == GREY) {
        int from = depth - 1;
        while (stack[from] != edge->target)
          from--;
        report_cycle(c, stack + from, via + from, depth - from);
      }
    }
  }
}

static void warn_unused(Checker *c) {
  if (!c->program->policy)
    return; /* a library: its criteria are there to be used elsewhere */
  for (int i = 0; i < c->criterion_list.count; i++) {
    Criterion *criterion = c->criterion_list.items[i];
    if (criterion->module == 0 && criterion->uses == 0)
      diag_warning(criterion->name.span, "criterion '%s' is never used", criterion->name.text);
  }
  LoadedModule *root = module_at(c, 0);
  for (int i = 0; i < root->reference_count; i++) {
    Reference *reference = root->references[i];
    if (reference->uses == 0)
      diag_warning(reference->span, "reference [%d] is never cited", reference->number);
  }
}

/* ---- driver -------------------------------------------------------------- */

static void resolve_all(Checker *c) {
  Program *program = c->program;
  for (int i = 0; i < c->fact_list.count; i++)
    resolve_fact_type(c, c->fact_list.items[i]);
  program->procedure_code = check_map_get(&c->facts, "procedure_code");
  program->line_of_business = check_map_get(&c->facts, "line_of_business");
  program->age_years = check_map_get(&c->facts, "age_years");
  program->setting = check_map_get(&c->facts, "setting");
  if (program->line_of_business && program->line_of_business->type.kind != TY_ENUM)
    program->line_of_business = NULL;
  if (program->setting && program->setting->type.kind != TY_ENUM)
    program->setting = NULL;
  if (!still_clean(c))
    return;

  c->module = 0;
  check_policy_block(c);
  c->edges = GC_MALLOC(((size_t)c->criterion_list.count + 1) * sizeof *c->edges);
  for (int i = 0; i < c->criterion_list.count; i++) {
    Criterion *criterion = c->criterion_list.items[i];
    c->module = criterion->module;
    c->owner = criterion;
    check_cites(c, criterion->cites);
    check_node(c, criterion->body);
  }
  c->owner = NULL;
  for (int i = 0; i < c->section_list.count; i++) {
    Section *section = c->section_list.items[i];
    c->module = section->module;
    check_section(c, section);
  }
  c->module = 0;
  for (int i = 0; i < c->test_list.count; i++)
    check_test(c, c->test_list.items[i]);
}

static void fill_program(Checker *c) {
  Program *program = c->program;
  program->module_count = c->modules.count;
  program->modules = GC_MALLOC(((size_t)c->modules.count + 1) * sizeof *program->modules);
  for (int i = 0; i < c->modules.count; i++)
    program->modules[i] = *module_at(c, i);
  program->enums = (EnumDecl **)c->enum_list.items;
  program->enum_count = c->enum_list.count;
  program->facts = (FactDecl **)c->fact_list.items;
  program->fact_count = c->fact_list.count;
  program->criteria = (Criterion **)c->criterion_list.items;
  program->criterion_count = c->criterion_list.count;
  program->sections = (Section **)c->section_list.items;
  program->section_count = c->section_list.count;
  program->tests = (TestDecl **)c->test_list.items;
  program->test_count = c->test_list.count;
  program->name = program->policy ? program->policy->name.text
                                   : loader_stem(module_at(c, 0)->path);
}

Program *check_program(int root_file, const SearchPath *path) {
  Checker *c = GC_NEW(Checker);
  c->program = GC_NEW(Program);
  c->program->checker = c;
  c->path = path;
  c->errors_at_start = diag_hard_error_count();
  if (load_all(c, root_file) && declare_all(c)) {
    resolve_all(c);
    if (still_clean(c)) {
      check_cycles(c);
      if (still_clean(c))
        warn_unused(c);
    }
  }
  fill_program(c);
  return c->program;
}

FactDecl *check_find_fact(const Program *program, const char *name) {
  return check_map_get(&((Checker *)program->checker)->facts, name);
}

EnumDecl *check_find_enum(const Program *program, const char *name) {
  return check_map_get(&((Checker *)program->checker)->enums, name);
}

Criterion *check_find_criterion(const Program *program, const char *name) {
  return check_map_get(&((Checker *)program->checker)->criteria, name);
}

const Reference *check_find_reference(const Program *program, int module, int number) {
  if (module < 0 || module >= program->module_count)
    return NULL;
  return find_reference(&program->modules[module], number);
}

const char *check_meta_text(const Program *program, const char *key) {
  if (!program->policy)
    return NULL;
  for (int i = 0; i < program->policy->count; i++) {
    MetaEntry *entry = program->policy->entries[i];
    if (strcmp(entry->key.text, key) == 0 && entry->count > 0)
      return entry->values[0]->text;
  }
  return NULL;
}
