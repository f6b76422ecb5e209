/* schema.c - the fact schema as text and as JSON (schema.h).
 *
 * Text wraps doc strings at 78 columns under each name, so the output reads
 * as a glossary; JSON keeps every field a tool needs to build a case file.
 */
#include "schema.h"

#include <jansson.h>
#include <string.h>

#include "text.h"

enum { WRAP_WIDTH = 78 };

/* Writes text wrapped at WRAP_WIDTH with every line indented. */
static void print_wrapped(FILE *out, const char *text, int indent) {
  if (!text)
    return;
  int column = 0;
  const char *word = text;
  while (*word) {
    while (*word == ' ')
      word++;
    if (!*word)
      break;
    const char *end = word;
    while (*end && *end != ' ')
      end++;
    int length = (int)(end - word);
    if (column > 0 && column + 1 + length > WRAP_WIDTH) {
      fputc('\n', out);
      column = 0;
    }
    if (column == 0) {
      fprintf(out, "%*s", indent, "");
      column = indent;
    } else {
      fputc(' ', out);
      column++;
    }
    fwrite(word, 1, (size_t)length, out);
    column += length;
    word = end;
  }
  if (column > 0)
    fputc('\n', out);
}

static const char *type_text(const FactDecl *fact) {
  switch (fact->type.kind) {
  case TY_ENUM:
    return fact->type.enumeration->name.text;
  case TY_SET:
    return text_format("set of %s", fact->type.enumeration->name.text);
  case TY_INT:
    if (fact->range)
      return text_format("int %lld to %lld", fact->range->items[0]->number,
                         fact->range->items[1]->number);
    return "int";
  default:
    return ast_type_kind_name(fact->type.kind);
  }
}

void schema_print_text(FILE *out, const Program *program) {
  fputs("Facts\n=====\n", out);
  for (int i = 0; i < program->fact_count; i++) {
    const FactDecl *fact = program->facts[i];
    fprintf(out, "\n%s: %s\n", fact->name.text, type_text(fact));
    print_wrapped(out, fact->doc, 4);
  }
  fputs("\nEnums\n=====\n", out);
  for (int i = 0; i < program->enum_count; i++) {
    const EnumDecl *enumeration = program->enums[i];
    fprintf(out, "\nenum %s\n", enumeration->name.text);
    print_wrapped(out, enumeration->doc, 4);
    for (int j = 0; j < enumeration->count; j++) {
      const EnumMember *member = enumeration->members[j];
      fprintf(out, "  %s\n", member->name.text);
      print_wrapped(out, member->doc, 6);
    }
  }
}

static json_t *doc_json(const char *doc) {
  return doc ? json_string(doc) : json_null();
}

static json_t *fact_json(const FactDecl *fact) {
  json_t *object = json_object();
  json_object_set_new(object, "name", json_string(fact->name.text));
  json_object_set_new(object, "type", json_string(ast_type_kind_name(fact->type.kind)));
  if (fact->type.enumeration)
    json_object_set_new(object, "enum", json_string(fact->type.enumeration->name.text));
  if (fact->range) {
    json_t *range = json_array();
    json_array_append_new(range, json_integer(fact->range->items[0]->number));
    json_array_append_new(range, json_integer(fact->range->items[1]->number));
    json_object_set_new(object, "range", range);
  }
  json_object_set_new(object, "doc", doc_json(fact->doc));
  return object;
}

static json_t *enum_json(const EnumDecl *enumeration) {
  json_t *object = json_object();
  json_object_set_new(object, "name", json_string(enumeration->name.text));
  json_object_set_new(object, "doc", doc_json(enumeration->doc));
  json_t *members = json_array();
  for (int i = 0; i < enumeration->count; i++) {
    json_t *member = json_object();
    json_object_set_new(member, "name", json_string(enumeration->members[i]->name.text));
    json_object_set_new(member, "doc", doc_json(enumeration->members[i]->doc));
    json_array_append_new(members, member);
  }
  json_object_set_new(object, "members", members);
  return object;
}

void schema_print_json(FILE *out, const Program *program) {
  json_t *root = json_object();
  json_t *facts = json_array();
  for (int i = 0; i < program->fact_count; i++)
    json_array_append_new(facts, fact_json(program->facts[i]));
  json_t *enums = json_array();
  for (int i = 0; i < program->enum_count; i++)
    json_array_append_new(enums, enum_json(program->enums[i]));
  json_object_set_new(root, "facts", facts);
  json_object_set_new(root, "enums", enums);
  json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', out);
  json_decref(root);
}
