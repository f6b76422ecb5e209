/* ast.c - constructors and kind names for the syntax tree (ast.h).
 *
 * The name tables are generated from the X-macro lists in ast.h, so a kind
 * and its name cannot drift apart.
 */
#include "ast.h"

#include <gc.h>
#include <string.h>

const char *ast_node_kind_name(NodeKind kind) {
  static const char *const names[] = {
#define X(kind, name) name,
      NODE_KIND_LIST(X)
#undef X
  };
  return names[kind];
}

const char *ast_literal_kind_name(LiteralKind kind) {
  static const char *const names[] = {
#define X(kind, name) name,
      LITERAL_KIND_LIST(X)
#undef X
  };
  return names[kind];
}

const char *ast_type_kind_name(TypeKind kind) {
  static const char *const names[] = {
#define X(kind, name) name,
      TYPE_KIND_LIST(X)
#undef X
  };
  return names[kind];
}

const char *ast_compare_op_words(CompareOp op) {
  static const char *const words[] = {
#define X(op, words) words,
      COMPARE_OP_LIST(X)
#undef X
  };
  return words[op];
}

const char *ast_time_unit_word(TimeUnit unit) {
  static const char *const words[] = {
#define X(unit, word) word,
      TIME_UNIT_LIST(X)
#undef X
  };
  return words[unit];
}

const char *ast_section_keyword(SectionKind kind) {
  static const char *const words[] = {
#define X(kind, keyword, decision) keyword,
      SECTION_KIND_LIST(X)
#undef X
  };
  return words[kind];
}



Node *ast_node(NodeKind kind, Span span) {
  Node *node = GC_NEW(Node);
  node->kind = kind;
  node->span = span;
  return node;
}

Literal *ast_literal(LiteralKind kind, Span span, const char *text) {
  Literal *literal = GC_NEW(Literal);
  literal->kind = kind;
  literal->span = span;
  literal->text = text;
  literal->member = -1;
  return literal;
}

Decl *ast_decl(DeclKind kind, Span span) {
  Decl *decl = GC_NEW(Decl);
  decl->kind = kind;
  decl->span = span;
  return decl;
}

void ast_list_push(PtrList *list, void *item) {
  if (list->count == list->capacity) {
    list->capacity = list->capacity ? list->capacity * 2 : 4;
    list->items = GC_REALLOC(list->items, (size_t)list->capacity * sizeof *list->items);
  }
  list->items[list->count++] = item;
}
