/* lexstate.h - state shared by the scanner and the parser of one file.
 *
 * Lives in the scanner's yyextra, so both are reentrant: nothing here is
 * global.  The parser driver (parse.c) creates it, runs the parser, and takes
 * the finished declarations from it.
 */
#ifndef MRSPC_LEXSTATE_H
#define MRSPC_LEXSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"

/* Groups nested deeper than this are refused: no policy comes near it, and
 * the limit keeps every later phase's recursion shallow. */
#define PARSE_MAX_GROUP_DEPTH 100

typedef struct LexState {
  int file;                 /* source index of the file being read */
  uint32_t offset;          /* byte offset of the next token */

  /* the string being read (STR start condition) */
  char *string;
  size_t string_length, string_capacity;
  uint32_t string_begin;

  /* open '<' of groups, innermost last, for "unterminated group" notes */
  Span open_groups[PARSE_MAX_GROUP_DEPTH];
  int group_depth;
  bool stop;                /* a fatal error was reported: read no further */

  PtrList decls;            /* the declarations parsed so far */
  int syntax_errors;        /* syntax errors reported for this file */
} LexState;

/* Words a syntax error (parse.c): what was found at span, by its token name
 * ("'any'", "name", "end of file"), and the names of the tokens expected. */
/* Reports a ';' missing before the item at span, in a group. */
void parse_report_missing_separator(LexState *state, Span span);

void parse_report_syntax_error(LexState *state, Span span, const char *found,
                               const char *const *expected, int count);

#endif
