/* case.c - case files and test blocks to Cases (case.h).
 *
 * A document is tokenized by simdjson (case_json.h) into a flat list of
 * items, then each key is found among the facts by a hash table and its
 * value converted by the fact's type.  The success path allocates nothing;
 * errors are rare and may take their time: their messages are built on the
 * collected heap, and a document simdjson rejects is parsed again by
 * jansson, whose messages give the line and column.
 */
#include "case.h"

#include <gc.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "case_json.h"
#include "check.h"
#include "date.h"
#include "text.h"

/* ---- name tables ------------------------------------------------------------
 * Open addressing over a power of two of slots, at most a quarter full.
 * The hash is seeded, and the seed chosen when the table is built so that
 * no two names share a first slot where one can be found: then a look-up
 * of a name in the table reads one slot and compares once. */

typedef struct NameSlot {
  const char *name;      /* NULL: empty */
  uint32_t length;
  uint32_t hash;
  int index;
} NameSlot;

typedef struct NameTable {
  NameSlot *slots;
  uint32_t mask;
  uint64_t seed;
} NameTable;

/* Names differ in their length, first eight and last eight bytes often
 * enough for a table that checks every hit in full; reading those as two
 * words is several times faster than hashing byte by byte. */
static uint32_t hash_bytes(const char *text, size_t length, uint64_t seed) {
  uint64_t head = 0, tail = 0;
  if (length >= 8) {
    memcpy(&head, text, 8);
    memcpy(&tail, text + length - 8, 8);
  } else {
    memcpy(&head, text, length);
  }
  uint64_t mixed = (head ^ seed ^ (tail * 0x9E3779B97F4A7C15u) ^ length) * 0xBF58476D1CE4E5B9u;
  return (uint32_t)(mixed >> 32);
}

/* Fills the table with seed; returns how many names missed their first
 * slot. */
static int fill_table(NameTable *table, const char *const *names, int count) {
  memset(table->slots, 0, ((size_t)table->mask + 1) * sizeof *table->slots);
  int displaced = 0;
  for (int i = 0; i < count; i++) {
    uint32_t length = (uint32_t)strlen(names[i]);
    uint32_t hash = hash_bytes(names[i], length, table->seed);
    uint32_t slot = hash & table->mask;
    displaced += table->slots[slot].name != NULL;
    while (table->slots[slot].name)
      slot = (slot + 1) & table->mask;
    table->slots[slot] = (NameSlot){names[i], length, hash, i};
  }
  return displaced;
}

static NameTable table_of(const char *const *names, int count) {
  enum { SEEDS = 64 };
  uint32_t size = 16;
  while (size < 4u * (uint32_t)count)
    size *= 2;
  NameTable table = {GC_MALLOC(size * sizeof(NameSlot)), size - 1, 0};
  uint64_t best_seed = 0;
  int best = count + 1;
  for (uint64_t seed = 0; seed < SEEDS && best > 0; seed++) {
    table.seed = seed * 0x9E3779B97F4A7C15u;
    int displaced = fill_table(&table, names, count);
    if (displaced < best)
      best = displaced, best_seed = table.seed;
  }
  table.seed = best_seed;
  fill_table(&table, names, count);
  return table;
}

static int table_find(const NameTable *table, const char *text, size_t length) {
  uint32_t hash = hash_bytes(text, length, table->seed);
  for (uint32_t slot = hash & table->mask; table->slots[slot].name;
       slot = (slot + 1) & table->mask) {
    const NameSlot *entry = &table->slots[slot];
    if (entry->hash == hash && entry->length == length && memcmp(entry->name, text, length) == 0)
      return entry->index;
  }
  return -1;
}

/* ---- the reader ----------------------------------------------------------- */

struct CaseReader {
  const Lowered *program;
  JsonParser *json;
  NameTable facts;
  NameTable *members;    /* per enum */
  const char **fact_names;
  uint64_t *seen;        /* facts given in this document, known or null */
  char *buffer;          /* the document, copied before simdjson's padding */
  size_t capacity;
  /* the document being read, for error positions */
  const char *text;
  size_t length;
  CaseError errors[CASE_MAX_ERRORS];
  int error_count, max_errors;
};

Case *case_new(const Lowered *program) {
  Case *facts = GC_NEW(Case);
  facts->known = GC_MALLOC_ATOMIC((size_t)program->known_words * sizeof *facts->known);
  facts->values = GC_MALLOC_ATOMIC(((size_t)program->value_words + 1) * sizeof *facts->values);
  memset(facts->values, 0, ((size_t)program->value_words + 1) * sizeof *facts->values);
  case_clear(program, facts);
  return facts;
}

void case_clear(const Lowered *program, Case *facts) {
  memset(facts->known, 0, (size_t)program->known_words * sizeof *facts->known);
}

CaseReader *case_reader_new(const Lowered *program) {
  CaseReader *reader = GC_NEW(CaseReader);
  reader->program = program;
  reader->json = case_json_new();
  reader->fact_names = GC_MALLOC(((size_t)program->fact_count + 1) * sizeof(char *));
  for (int i = 0; i < program->fact_count; i++)
    reader->fact_names[i] = program->facts[i].name;
  reader->facts = table_of(reader->fact_names, program->fact_count);
  reader->members = GC_MALLOC(((size_t)program->enum_count + 1) * sizeof *reader->members);
  for (int i = 0; i < program->enum_count; i++)
    reader->members[i] = table_of(program->enums[i].members, program->enums[i].count);
  reader->seen = GC_MALLOC_ATOMIC((size_t)program->known_words * sizeof *reader->seen);
  return reader;
}

void case_reader_free(CaseReader *reader) {
  case_json_free(reader->json);
  reader->json = NULL;
}

const CaseError *case_reader_error(const CaseReader *reader, int index) {
  return &reader->errors[index];
}

/* ---- errors --------------------------------------------------------------- */

static void position_of(const CaseReader *reader, size_t offset, int *line, int *column) {
  if (offset > reader->length)
    offset = reader->length;
  size_t line_start = 0;
  *line = 1;
  for (size_t i = 0; i < offset; i++) {
    if (reader->text[i] == '\n') {
      ++*line;
      line_start = i + 1;
    }
  }
  *column = (int)text_char_count(reader->text + line_start, offset - line_start) + 1;
}

/* Records an error at offset; false when no more are wanted. */
static bool report(CaseReader *reader, size_t offset, const char *message) {
  if (reader->error_count < reader->max_errors) {
    CaseError *error = &reader->errors[reader->error_count++];
    position_of(reader, offset, &error->line, &error->column);
    error->message = message;
  }
  return reader->error_count < reader->max_errors;
}

/* Text from the document, shown safely: control bytes escaped, cut short. */
static const char *shown(const char *text, size_t length) {
  enum { LONGEST = 48 };
  if (length > LONGEST)
    return text_format("%s...", text_printable(text, LONGEST));
  return text_printable(text, length);
}

static const char *found_phrase(const JsonItem *item) {
  switch (item->kind) {
  case ITEM_NULL:
    return "null";
  case ITEM_FALSE:
    return "false";
  case ITEM_TRUE:
    return "true";
  case ITEM_INTEGER:
  case ITEM_NUMBER:
    return text_format("the number %s", shown(item->text, item->length));
  case ITEM_STRING:
    return text_format("\"%s\"", shown(item->text, item->length));
  case ITEM_ARRAY:
    return "a list";
  case ITEM_OBJECT:
  case ITEM_KEY:
    break;
  }
  return "an object";
}

const char *case_expected_phrase(const Lowered *program, int fact) {
  const LowFact *f = &program->facts[fact];
  const LowEnum *enumeration = f->enumeration >= 0 ? &program->enums[f->enumeration] : NULL;
  switch (f->type) {
  case LOW_BOOL:
    return "true or false";
  case LOW_INT:
    if (f->ranged)
      return text_format("a whole number from %lld to %lld", (long long)f->low,
                         (long long)f->high);
    return "a whole number";
  case LOW_DATE:
    return "a date written YYYY-MM-DD";
  case LOW_CODE:
    return "a CPT/HCPCS code written as a string, such as \"76390\" or \"0698T\"";
  case LOW_ENUM:
    return text_format("a '%s' name, such as \"%s\"", enumeration->name,
                       enumeration->count ? enumeration->members[0] : "");
  case LOW_SET:
    return text_format("a list of '%s' names, such as [\"%s\"]", enumeration->name,
                       enumeration->count ? enumeration->members[0] : "");
  }
  return "a value";
}

static const char *key_text(const JsonItem *key) {
  return shown(key->text, key->length);
}

/* 'key' must be EXPECTED, not FOUND[; extra] */
static bool wrong_value(CaseReader *reader, const JsonItem *key, int fact, const JsonItem *value,
                        const char *extra) {
  return report(reader, value->offset,
                text_format("'%s' must be %s, not %s%s", key_text(key),
                            case_expected_phrase(reader->program, fact), found_phrase(value),
                            extra ? extra : ""));
}

static const char *member_suggestion(const CaseReader *reader, int enumeration,
                                     const JsonItem *value) {
  const LowEnum *e = &reader->program->enums[enumeration];
  char *name = GC_MALLOC_ATOMIC(value->length + 1);
  memcpy(name, value->text, value->length);
  name[value->length] = '\0';
  const char *suggestion = text_suggest(name, e->members, e->count);
  return suggestion ? text_format("; did you mean \"%s\"?", suggestion) : NULL;
}

static bool unknown_key(CaseReader *reader, const JsonItem *key) {
  char *name = GC_MALLOC_ATOMIC(key->length + 1);
  memcpy(name, key->text, key->length);
  name[key->length] = '\0';
  const char *suggestion =
      text_suggest(name, reader->fact_names, reader->program->fact_count);
  return report(reader, key->offset,
                text_format("'%s' is not a fact%s", key_text(key),
                            suggestion ? text_format("; did you mean '%s'?", suggestion) : ""));
}

static bool date_shaped(const char *text, size_t length) {
  if (length != 10 || text[4] != '-' || text[7] != '-')
    return false;
  for (size_t i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9'))
      return false;
  return true;
}

/* ---- values --------------------------------------------------------------- */

static inline void set_known(Case *out, int fact) {
  out->known[fact >> 6] |= (uint64_t)1 << (fact & 63);
}

/* date_parse, without its wording of problems: the common case is valid. */
static bool quick_date(const char *text, size_t length, int32_t *day) {
  if (!date_shaped(text, length))
    return false;
  int year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  int month = (text[5] - '0') * 10 + (text[6] - '0');
  int day_of_month = (text[8] - '0') * 10 + (text[9] - '0');
  if (year < 1900 || month < 1 || month > 12 || day_of_month < 1 ||
      day_of_month > date_days_in_month(year, month))
    return false;
  *day = date_from_civil(year, month, day_of_month);
  return true;
}

static bool read_date(CaseReader *reader, const JsonItem *key, int fact, const JsonItem *value,
                      Case *out) {
  int32_t day;
  if (value->kind == ITEM_STRING && quick_date(value->text, value->length, &day)) {
    out->values[reader->program->facts[fact].slot] = (uint64_t)(int64_t)day;
    set_known(out, fact);
    return true;
  }
  const char *extra = NULL;
  if (value->kind == ITEM_STRING && date_shaped(value->text, value->length))
    extra = text_format(" (%s)", date_problem(value->text, value->length));
  return wrong_value(reader, key, fact, value, extra);
}

static bool code_text_ok(const char *text, size_t length) {
  char code[6];
  if (length != 5)
    return false;
  memcpy(code, text, 5);
  code[5] = '\0';
  return check_code_shape(code);
}

static bool read_code(CaseReader *reader, const JsonItem *key, int fact, const JsonItem *value,
                      Case *out) {
  if (value->kind == ITEM_STRING && code_text_ok(value->text, value->length)) {
    out->values[reader->program->facts[fact].slot] = (uint64_t)code_pack(value->text, 5);
    set_known(out, fact);
    return true;
  }
  const char *extra = NULL;
  if (value->kind == ITEM_INTEGER)
    extra = text_format(" (write codes as strings, so leading zeros stay: \"%s\")",
                        shown(value->text, value->length));
  else if (value->kind == ITEM_STRING && value->length > 0 && value->text[0] == '+')
    extra = " (the '+' add-on marker is not part of the code)";
  return wrong_value(reader, key, fact, value, extra);
}

static bool read_int(CaseReader *reader, const JsonItem *key, int fact, const JsonItem *value,
                     Case *out) {
  const LowFact *f = &reader->program->facts[fact];
  if (value->kind == ITEM_INTEGER && value->integer >= f->low && value->integer <= f->high) {
    out->values[f->slot] = (uint64_t)value->integer;
    set_known(out, fact);
    return true;
  }
  return wrong_value(reader, key, fact, value, NULL);
}

static bool read_member(CaseReader *reader, const JsonItem *key, int fact, const JsonItem *value,
                        Case *out) {
  const LowFact *f = &reader->program->facts[fact];
  int member = value->kind == ITEM_STRING
                   ? table_find(&reader->members[f->enumeration], value->text, value->length)
                   : -1;
  if (member >= 0) {
    out->values[f->slot] = (uint64_t)member;
    set_known(out, fact);
    return true;
  }
  const char *extra =
      value->kind == ITEM_STRING ? member_suggestion(reader, f->enumeration, value) : NULL;
  return wrong_value(reader, key, fact, value, extra);
}

/* A set: an array of member names; returns how many items it used. */
static int read_set(CaseReader *reader, const JsonItem *key, int fact, const JsonItem *value,
                    Case *out, bool *go_on) {
  const LowFact *f = &reader->program->facts[fact];
  if (value->kind != ITEM_ARRAY) {
    *go_on = wrong_value(reader, key, fact, value, NULL);
    return 1;
  }
  uint64_t *mask = out->values + f->slot;
  memset(mask, 0, (size_t)f->words * sizeof *mask);
  const NameTable *members = &reader->members[f->enumeration];
  for (uint32_t i = 0; i < value->length; i++) {
    const JsonItem *element = value + 1 + i;
    int member = element->kind == ITEM_STRING
                     ? table_find(members, element->text, element->length)
                     : -1;
    if (member < 0) {
      const char *extra =
          element->kind == ITEM_STRING ? member_suggestion(reader, f->enumeration, element) : NULL;
      *go_on = report(reader, element->offset,
                      text_format("'%s' must be %s, but item %u is %s%s", key_text(key),
                                  case_expected_phrase(reader->program, fact), i + 1,
                                  found_phrase(element), extra ? extra : ""));
      return 1 + (int)value->length;
    }
    mask[member >> 6] |= (uint64_t)1 << (member & 63);
  }
  set_known(out, fact);
  *go_on = true;
  return 1 + (int)value->length;
}

static bool read_scalar(CaseReader *reader, const JsonItem *key, int fact, const JsonItem *value,
                        Case *out) {
  const LowFact *f = &reader->program->facts[fact];
  switch (f->type) {
  case LOW_BOOL:
    if (value->kind != ITEM_TRUE && value->kind != ITEM_FALSE)
      return wrong_value(reader, key, fact, value, NULL);
    out->values[f->slot] = value->kind == ITEM_TRUE;
    set_known(out, fact);
    return true;
  case LOW_INT:
    return read_int(reader, key, fact, value, out);
  case LOW_DATE:
    return read_date(reader, key, fact, value, out);
  case LOW_CODE:
    return read_code(reader, key, fact, value, out);
  case LOW_ENUM:
    return read_member(reader, key, fact, value, out);
  case LOW_SET:
    break;
  }
  return true;
}

/* The members of the top object, as items: key, value (+ elements). */
static void read_members(CaseReader *reader, const JsonItem *items, int count, Case *out) {
  const Lowered *program = reader->program;
  int i = 0;
  bool go_on = true;
  while (i < count && go_on) {
    const JsonItem *key = &items[i], *value = &items[i + 1];
    int used = 1 + (value->kind == ITEM_ARRAY ? 1 + (int)value->length : 1);
    int fact = table_find(&reader->facts, key->text, key->length);
    if (fact < 0) {
      go_on = unknown_key(reader, key);
    } else if (reader->seen[fact >> 6] >> (fact & 63) & 1) {
      go_on = report(reader, key->offset, text_format("'%s' is given twice", key_text(key)));
    } else {
      reader->seen[fact >> 6] |= (uint64_t)1 << (fact & 63);
      if (value->kind == ITEM_NULL)
        ; /* unknown */
      else if (program->facts[fact].type == LOW_SET)
        read_set(reader, key, fact, value, out, &go_on);
      else
        go_on = read_scalar(reader, key, fact, value, out);
    }
    i += used;
  }
}

/* simdjson rejected the document: ask jansson where and why. */
static void report_invalid(CaseReader *reader, const char *simdjson_message, size_t offset) {
  json_error_t error;
  json_t *parsed = json_loadb(reader->text, reader->length, JSON_DECODE_ANY | JSON_ALLOW_NUL,
                              &error);
  if (!parsed) {
    CaseError *slot = &reader->errors[reader->error_count++];
    slot->line = error.line > 0 ? error.line : 1;
    slot->column = error.column > 0 ? error.column : 1;
    slot->message = text_format("invalid JSON: %s", error.text);
    return;
  }
  json_decref(parsed);
  report(reader, offset, text_format("invalid JSON: %s", simdjson_message));
}

static void copy_document(CaseReader *reader, const char *text, size_t length) {
  if (length + CASE_JSON_PADDING > reader->capacity) {
    size_t capacity = reader->capacity ? reader->capacity : 4096;
    while (capacity < length + CASE_JSON_PADDING)
      capacity *= 2;
    reader->buffer = GC_MALLOC_ATOMIC(capacity);
    reader->capacity = capacity;
  }
  memcpy(reader->buffer, text, length);
  memset(reader->buffer + length, ' ', CASE_JSON_PADDING);
}

/* The fast pass found errors: read again with positions for the messages
 * (should the located pass see the document differently, which it should
 * not, the fast pass's errors stand, at line 1, column 1). */
static void read_located(CaseReader *reader, const char *text, size_t length, Case *out) {
  const Lowered *program = reader->program;
  const JsonItem *items;
  int count;
  const char *message;
  size_t offset;
  int fast_errors = reader->error_count;
  CaseError saved[CASE_MAX_ERRORS];
  memcpy(saved, reader->errors, (size_t)fast_errors * sizeof *saved);
  reader->error_count = 0;
  memset(out->known, 0, (size_t)program->known_words * sizeof *out->known);
  memset(reader->seen, 0, (size_t)program->known_words * sizeof *reader->seen);
  if (case_json_parse(reader->json, text, length, true, &items, &count, &message, &offset) ==
      JSON_OK)
    read_members(reader, items, count, out);
  if (reader->error_count == 0) {
    memcpy(reader->errors, saved, (size_t)fast_errors * sizeof *saved);
    reader->error_count = fast_errors;
  }
}

static int read_document(CaseReader *reader, const char *text, size_t length, Case *out,
                         int max_errors) {
  const Lowered *program = reader->program;
  reader->text = text;
  reader->length = length;
  reader->error_count = 0;
  reader->max_errors = max_errors < 1 ? 1 : max_errors > CASE_MAX_ERRORS ? CASE_MAX_ERRORS
                                                                         : max_errors;
  memset(out->known, 0, (size_t)program->known_words * sizeof *out->known);
  memset(reader->seen, 0, (size_t)program->known_words * sizeof *reader->seen);
  const JsonItem *items;
  int count;
  const char *message;
  size_t offset;
  switch (case_json_parse(reader->json, text, length, false, &items, &count, &message,
                          &offset)) {
  case JSON_OK:
    read_members(reader, items, count, out);
    if (reader->error_count > 0)
      read_located(reader, text, length, out);
    break;
  case JSON_INVALID:
    report_invalid(reader, message, offset);
    break;
  case JSON_NOT_OBJECT:
    report(reader, 0,
           text_format("a case is one JSON object keyed by fact names, not %s", message));
    break;
  case JSON_EMPTY:
    report(reader, 0, "the case is empty: a case is one JSON object keyed by fact names");
    break;
  }
  return reader->error_count;
}

int case_read_json(CaseReader *reader, const char *text, size_t length, Case *out,
                   int max_errors) {
  copy_document(reader, text, length);
  return read_document(reader, reader->buffer, length, out, max_errors);
}

int case_read_padded(CaseReader *reader, const char *text, size_t length, Case *out,
                     int max_errors) {
  return read_document(reader, text, length, out, max_errors);
}

/* ---- test blocks ---------------------------------------------------------- */

void case_from_test(const Lowered *program, const TestDecl *test, Case *out) {
  case_clear(program, out);
  for (int i = 0; i < test->nfacts; i++) {
    const TestFact *given = test->facts[i];
    if (!given->fact || given->value->kind == LIT_UNKNOWN)
      continue;
    int fact = given->fact->index;
    const LowFact *f = &program->facts[fact];
    if (f->type == LOW_SET) {
      uint64_t *mask = out->values + f->slot;
      memset(mask, 0, (size_t)f->words * sizeof *mask);
      for (int j = 0; j < given->value->count; j++) {
        int member = given->value->items[j]->member;
        mask[member >> 6] |= (uint64_t)1 << (member & 63);
      }
    } else {
      out->values[f->slot] = (uint64_t)lower_literal(given->value, f->type);
    }
    set_known(out, fact);
  }
}
