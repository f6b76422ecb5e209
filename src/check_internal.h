/* check_internal.h - the checker's state and the helpers its files share.
 *
 * check.c drives the check (loading, declaring, conditions, whole-program
 * checks) and lends these to check_policy.c (the policy block) and
 * check_tests.c (test blocks).  Not for other phases: they see check.h.
 */
#ifndef MRSPC_CHECK_INTERNAL_H
#define MRSPC_CHECK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "check.h"
#include "diag.h"
#include "loader.h"

/* A string-keyed hash table. */
typedef struct StrMap {
  const char **keys;
  void **values;
  size_t capacity, count;
} StrMap;

typedef struct Checker {
  Program *program;
  const SearchPath *path;
  PtrList modules;        /* LoadedModule * */
  StrMap module_paths;    /* canonical path -> module index + 1 */
  StrMap enums, facts, criteria, sections, tests;
  PtrList enum_list, fact_list, criterion_list, section_list, test_list;
  PtrList *edges;         /* per criterion index: Edge * */
  int module;             /* module whose declarations are being checked */
  Criterion *owner;       /* criterion whose body is being checked */
  int errors_at_start;    /* diag_hard_error_count() when the check began */
} Checker;

/* check.c */
void *check_map_get(const StrMap *map, const char *key);
void check_map_put(StrMap *map, const char *key, void *value);
void check_suggest_from(Diagnostic *d, const char *name, const StrMap *first,
                        const StrMap *second);
void check_note_declared(Diagnostic *d, const FactDecl *fact);
bool check_code_literal(Literal *literal);
bool check_range_order(const Literal *range, TypeKind kind);
bool check_meta_date(Literal *literal);
bool check_member_literal(Literal *literal, const EnumDecl *enumeration);
bool check_value(Checker *c, Literal *literal, const FactDecl *fact);
void check_cites(Checker *c, CiteList cites);

/* check_policy.c: the policy block, into program->applies. */
void check_policy_block(Checker *c);

/* check_tests.c: one test block. */
void check_test(Checker *c, TestDecl *test);

#endif
