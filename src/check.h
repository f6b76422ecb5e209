/* check.h - name resolution and type checking: files to a checked Program.
 *
 * Takes the root file (a policy, or a library of definitions), loads the
 * fact schema (the 'facts' module of the standard library) and every module
 * named by 'use', and checks the whole: names, types, literals, citations,
 * cycles.  Problems are reported through diag.h.  The Program it returns
 * is complete when diag_error_count() is zero; the evaluator and the C
 * backend only ever see such a Program.
 *
 * The decision stages, in order of precedence (the first stage that is
 * true decides):
 *   applicability (codes, lines, ages, settings of the policy block, and
 *     every 'applies' rule)     false -> not_applicable
 *   refer                       true  -> refer
 *   investigational             true  -> investigational
 *   exclude                     true  -> not_medically_necessary
 *   require                     true  -> medically_necessary
 *   otherwise                         -> not_medically_necessary
 */
#ifndef MRSPC_CHECK_H
#define MRSPC_CHECK_H

#include <stdbool.h>

#include "ast.h"
#include "loader.h"

/* A code or an inclusive range of codes from the policy block's 'codes'. */
typedef struct CodeRange {
  const char *low, *high; /* five characters each; equal for one code */
  bool add_on;            /* written with a leading '+' */
  Span span;
} CodeRange;

typedef struct IntRange {
  int low, high;
  Span span;
} IntRange;

/* What the policy governs, from its policy block; an empty list governs
 * everything (a policy that names no lines of business applies to all). */
typedef struct Applicability {
  CodeRange *codes;
  int code_count;
  int *lines;             /* members of enum line_of_business */
  int line_count;
  int *settings;          /* members of enum setting */
  int setting_count;
  IntRange *ages;
  int age_count;
} Applicability;

typedef struct LoadedModule {
  Module *module;
  const char *path;
  Reference **references; /* this module's references block */
  int reference_count;
  Span references_span;   /* where the block starts */
} LoadedModule;

typedef struct Program {
  LoadedModule *modules;  /* [0] is the root file */
  int module_count;

  PolicyDecl *policy;     /* the root's policy block, or NULL */
  const char *name;       /* the policy's name, else the file's stem */

  EnumDecl **enums;       /* every enum of every module; enums[i]->index == i */
  int enum_count;
  FactDecl **facts;       /* every fact; facts[i]->index == i */
  int fact_count;
  Criterion **criteria;   /* every criterion; criteria[i]->index == i */
  int criterion_count;
  Section **sections;     /* the root's rules and notes, in source order */
  int section_count;
  TestDecl **tests;       /* the root's test blocks */
  int test_count;

  Applicability applies;

  /* facts the applicability stage reads (NULL if the schema lacks them) */
  FactDecl *procedure_code, *line_of_business, *age_years, *setting;

  void *checker;          /* the checker's name tables, for the look-ups */
} Program;

/* Checks the file with source index root_file. */
Program *check_program(int root_file, const SearchPath *path);

/* Look-ups on a checked program; NULL when absent. */
FactDecl *check_find_fact(const Program *program, const char *name);
EnumDecl *check_find_enum(const Program *program, const char *name);
Criterion *check_find_criterion(const Program *program, const char *name);
const Reference *check_find_reference(const Program *program, int module, int number);

/* The first value of a policy-block entry, as text ("title", "payer"). */
const char *check_meta_text(const Program *program, const char *key);

/* Whether a code is CPT/HCPCS-shaped: five digits, four digits and a letter
 * (0698T), or a letter and four digits (HCPCS Level II, G0123). */
bool check_code_shape(const char *text);

/* A type for messages: "a bool", "a date", "a 'condition' (enum)", ... */
const char *check_type_phrase(const FactDecl *fact);

#endif
