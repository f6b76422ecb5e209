/* check_policy.c - the policy block: its fields, and what it governs.
 *
 * Takes the root module's policy block (check_internal.h: step 3 of
 * check.c); checks each field's name and values, and produces the
 * Program's Applicability (check.h): the codes, lines of business, ages and
 * settings the policy governs.
 */
#include <gc.h>
#include <stdint.h>
#include <string.h>

#include "check_internal.h"
#include "diag.h"
#include "text.h"

#define META_KIND_LIST(X)                                                     \
  X(META_TEXT)   /* strings, numbers or codes kept as text */                \
  X(META_DATE)   /* YYYY-MM-DD or YYYY-MM */                                 \
  X(META_CODES)  /* codes and code ranges governed */                        \
  X(META_LINES)  /* lines of business governed */                            \
  X(META_AGES)   /* ages governed, as numbers and ranges */                  \
  X(META_SETTINGS) /* levels of care governed */

typedef enum MetaKind {
#define X(kind) kind,
  META_KIND_LIST(X)
#undef X
} MetaKind;

#define META_KEY_LIST(X)                                                      \
  X("title", META_TEXT, false)                                               \
  X("payer", META_TEXT, false)                                               \
  X("vendor", META_TEXT, false)                                              \
  X("identifier", META_TEXT, true)                                           \
  X("version", META_TEXT, false)                                             \
  X("specialty", META_TEXT, false)                                           \
  X("description", META_TEXT, false)                                         \
  X("evidence", META_TEXT, true)                                             \
  X("original", META_DATE, false)                                            \
  X("revised", META_DATE, false)                                             \
  X("reviewed", META_DATE, false)                                            \
  X("previous_review", META_DATE, false)                                     \
  X("next_review", META_DATE, false)                                         \
  X("approved", META_DATE, false)                                            \
  X("effective", META_DATE, false)                                           \
  X("implemented", META_DATE, false)                                         \
  X("published", META_DATE, false)                                           \
  X("initiated", META_DATE, false)                                           \
  X("codes", META_CODES, true)                                               \
  X("lines", META_LINES, true)                                               \
  X("ages", META_AGES, true)                                                 \
  X("settings", META_SETTINGS, true)

typedef struct MetaKey {
  const char *name;
  MetaKind kind;
  bool repeatable;
} MetaKey;

static const MetaKey meta_keys[] = {
#define X(name, kind, repeatable) {name, kind, repeatable},
    META_KEY_LIST(X)
#undef X
};
enum { META_KEY_COUNT = sizeof meta_keys / sizeof meta_keys[0] };

static const MetaKey *find_meta_key(const char *name) {
  for (int i = 0; i < META_KEY_COUNT; i++)
    if (strcmp(meta_keys[i].name, name) == 0)
      return &meta_keys[i];
  return NULL;
}

static void report_unknown_meta_key(MetaEntry *entry) {
  Diagnostic *d = diag_error(entry->key.span, "unknown policy field '%s'", entry->key.text);
  const char *names[META_KEY_COUNT];
  for (int i = 0; i < META_KEY_COUNT; i++)
    names[i] = meta_keys[i].name;
  const char *suggestion = text_suggest(entry->key.text, names, META_KEY_COUNT);
  if (suggestion)
    diag_note_plain(d, "did you mean '%s'?", suggestion);
  else
    diag_note_plain(d, "the fields are title, payer, vendor, identifier, version, specialty, "
                       "description, evidence, the dates (original, revised, reviewed, "
                       "previous_review, next_review, approved, effective, implemented, "
                       "published, initiated), codes, lines, ages and settings");
}

static const char *code_text(const Literal *literal) {
  return literal->text;
}

static void add_code(Checker *c, Literal *value, PtrList *codes) {
  CodeRange *range = GC_NEW(CodeRange);
  range->span = value->span;
  if (value->kind == LIT_RANGE) {
    Literal *low = value->items[0], *high = value->items[1];
    if (!check_code_literal(low) || !check_code_literal(high))
      return;
    range->low = code_text(low);
    range->high = code_text(high);
    range->add_on = low->add_on;
    if (!check_range_order(value, TY_CODE))
      return;
  } else {
    if (!check_code_literal(value))
      return;
    range->low = range->high = code_text(value);
    range->add_on = value->add_on;
  }
  (void)c;
  ast_list_push(codes, range);
}

static void add_member(Literal *value, const FactDecl *fact, PtrList *members, const char *key) {
  if (!fact) {
    diag_error(value->span, "the schema has no '%s' fact, so '%s' cannot be checked",
               key[0] == 'l' ? "line_of_business" : "setting", key);
    return;
  }
  if (!check_member_literal(value, fact->type.enumeration))
    return;
  ast_list_push(members, (void *)(intptr_t)value->member);
}

static void add_age(Literal *value, const FactDecl *age, PtrList *ages) {
  IntRange *range = GC_NEW(IntRange);
  range->span = value->span;
  if (value->kind == LIT_INT) {
    range->low = range->high = (int)value->number;
  } else if (value->kind == LIT_RANGE && value->items[0]->kind == LIT_INT &&
             value->items[1]->kind == LIT_INT) {
    range->low = (int)value->items[0]->number;
    range->high = (int)value->items[1]->number;
  } else {
    diag_error(value->span, "ages are whole numbers or ranges, as in 'ages 0 to 17'");
    return;
  }
  if (range->low > range->high) {
    diag_error(value->span, "the age range %d to %d runs backwards", range->low, range->high);
    return;
  }
  if (age && age->range && (range->low < age->range->items[0]->number ||
                            range->high > age->range->items[1]->number)) {
    diag_error(value->span, "ages run from %lld to %lld", age->range->items[0]->number,
               age->range->items[1]->number);
    return;
  }
  ast_list_push(ages, range);
}

static void check_meta_value(Checker *c, const MetaKey *key, Literal *value, PtrList lists[4]) {
  Program *program = c->program;
  switch (key->kind) {
  case META_TEXT:
    if (value->kind == LIT_RANGE || value->kind == LIT_SET)
      diag_error(value->span, "'%s' takes text: write it as a string", key->name);
    break;
  case META_DATE:
    if (value->kind != LIT_DATE)
      diag_error(value->span, "'%s' takes a date, written YYYY-MM-DD (or YYYY-MM)", key->name);
    else
      check_meta_date(value);
    break;
  case META_CODES:
    add_code(c, value, &lists[0]);
    break;
  case META_LINES:
    add_member(value, program->line_of_business, &lists[1], "lines");
    break;
  case META_AGES:
    add_age(value, program->age_years, &lists[2]);
    break;
  case META_SETTINGS:
    add_member(value, program->setting, &lists[3], "settings");
    break;
  }
}

static int *int_array(PtrList list) {
  int *values = GC_MALLOC_ATOMIC((size_t)(list.count + 1) * sizeof *values);
  for (int i = 0; i < list.count; i++)
    values[i] = (int)(intptr_t)list.items[i];
  return values;
}

void check_policy_block(Checker *c) {
  Program *program = c->program;
  PolicyDecl *policy = program->policy;
  if (!policy)
    return;
  PtrList lists[4] = {{0}, {0}, {0}, {0}};
  StrMap seen = {0};
  for (int i = 0; i < policy->count; i++) {
    MetaEntry *entry = policy->entries[i];
    const MetaKey *key = find_meta_key(entry->key.text);
    if (!key) {
      report_unknown_meta_key(entry);
      continue;
    }
    MetaEntry *earlier = check_map_get(&seen, key->name);
    if (earlier && !key->repeatable) {
      Diagnostic *d = diag_error(entry->key.span, "'%s' is given twice", key->name);
      diag_note(d, earlier->key.span, "first given here");
      continue;
    }
    check_map_put(&seen, key->name, entry);
    check_cites(c, entry->cites);
    if (!key->repeatable && entry->count > 1) {
      diag_error(entry->values[1]->span, "'%s' takes one value", key->name);
      continue;
    }
    for (int j = 0; j < entry->count; j++)
      check_meta_value(c, key, entry->values[j], lists);
  }
  Applicability *applies = &program->applies;
  applies->code_count = lists[0].count;
  applies->codes = GC_MALLOC((size_t)(lists[0].count + 1) * sizeof *applies->codes);
  for (int i = 0; i < lists[0].count; i++)
    applies->codes[i] = *(CodeRange *)lists[0].items[i];
  applies->lines = int_array(lists[1]);
  applies->line_count = lists[1].count;
  applies->settings = int_array(lists[3]);
  applies->setting_count = lists[3].count;
  applies->age_count = lists[2].count;
  applies->ages = GC_MALLOC_ATOMIC((size_t)(lists[2].count + 1) * sizeof *applies->ages);
  for (int i = 0; i < lists[2].count; i++)
    applies->ages[i] = *(IntRange *)lists[2].items[i];
  if (applies->code_count && !program->procedure_code)
    diag_error(policy->name.span, "the schema has no 'procedure_code' fact for 'codes'");
  if (applies->age_count && !program->age_years)
    diag_error(policy->name.span, "the schema has no 'age_years' fact for 'ages'");
}
