/* emit_c.h - a policy's runtime tables as C99 source (mrspc emit-c).
 *
 * Takes the tables lower_table built (table.h), the very ones `mrspc eval`
 * evaluates; produces a self-contained C99 translation unit defining them
 * as constants for the embeddable runtime (include/mrsp_runtime.h), and a
 * header declaring its entry symbol with enumerations of the policy's
 * facts, enum members, criteria, rules and notes.
 *
 * The output is deterministic (the same tables give the same bytes: no
 * dates, no absolute paths) and compiles with -std=c99 -pedantic -Wall
 * -Wextra -Werror: every string of the policy is escaped for C (quotes,
 * backslashes, '??' trigraph sequences, control characters, non-ASCII
 * bytes as three-digit octal escapes, so no escape runs into the next
 * character), strings longer than C99 promises a literal can be become
 * arrays of bytes, comments are cleaned of '*' '/' pairs, and identifiers
 * are made from letters, digits and single underscores, unique within
 * the header.
 */
#ifndef MRSPC_EMIT_C_H
#define MRSPC_EMIT_C_H

#include <stdio.h>

#include "lower.h"

typedef struct EmitOptions {
  const char *prefix;      /* identifiers' prefix, already an identifier
                              (emit_prefix) */
  const char *header_name; /* the header's file name, which the source
                              includes; NULL without a header */
  const char *source_name; /* the source's file name, for its comment */
  const char *policy_file; /* the policy's file name, for the comments */
} EmitOptions;

/* A prefix for identifiers: requested (NULL for the policy's name) made an
 * identifier. */
const char *emit_prefix(const char *requested, const char *policy_name);

/* Whether name can be written in #include "name": letters, digits, '.',
 * '_', '-' and '+' only. */
bool emit_header_name_ok(const char *name);

/* The translation unit; returns false on a write error. */
bool emit_c_source(FILE *out, const MrspPolicy *table, const EmitOptions *options);

/* The header; returns false on a write error. */
bool emit_c_header(FILE *out, const MrspPolicy *table, const EmitOptions *options);

#endif
