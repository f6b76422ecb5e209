/* case.h - the facts of one request: case files and test blocks to a Case.
 *
 * Takes a case file (one JSON object keyed by fact names) or a policy's
 * test block, and the Lowered program whose facts it gives; produces a
 * Case: per fact a known bit, and its value words at the fact's slot
 * (lower.h): a bool as 0 or 1, an int, a date as a day number, a code
 * packed by code_pack, an enum member's index, a set as a bit mask of
 * member indices.  An absent fact, or one given as null, is unknown.
 *
 * Reading is strict: a key that is not a fact, a key given twice, a value
 * of the wrong kind, an int outside the fact's range, a malformed date or
 * code, an unknown enum member are errors naming the key and what it must
 * be, with a "did you mean" where one is close.  Each error is one line.
 * Once the reader has seen its largest document, reading a case allocates
 * nothing: a batch of a million cases runs in constant memory.
 */
#ifndef MRSPC_CASE_H
#define MRSPC_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "lower.h"

typedef struct Case {
  uint64_t *known;       /* bit per fact */
  uint64_t *values;      /* value words, by LowFact.slot */
} Case;

/* A Case sized for program's facts, all unknown. */
Case *case_new(const Lowered *program);
void case_clear(const Lowered *program, Case *facts);

static inline bool case_known(const Case *facts, int fact) {
  return (facts->known[fact >> 6] >> (fact & 63)) & 1;
}

/* One problem in a case file: where (1-based, the column in characters)
 * and what, as a sentence without a trailing period. */
typedef struct CaseError {
  int line, column;
  const char *message;
} CaseError;

enum { CASE_MAX_ERRORS = 20 };

typedef struct CaseReader CaseReader;

CaseReader *case_reader_new(const Lowered *program);
/* Releases the JSON parser's buffers (outside the collected heap). */
void case_reader_free(CaseReader *reader);

/* Reads the JSON document text[0..length) into *out.  Returns the number of
 * errors (0 on success), at most max_errors of them (a batch wants only the
 * first); case_reader_error gives each.  An empty document (only white
 * space) is one error. */
int case_read_json(CaseReader *reader, const char *text, size_t length, Case *out,
                   int max_errors);
const CaseError *case_reader_error(const CaseReader *reader, int index);

/* case_read_json without copying the document: text[length ..
 * length + CASE_JSON_PADDING) must be readable (any bytes). */
int case_read_padded(CaseReader *reader, const char *text, size_t length, Case *out,
                     int max_errors);

/* The facts a test block gives, into *out (the checker has converted its
 * literals). */
void case_from_test(const Lowered *program, const TestDecl *test, Case *out);

/* The phrase for what a fact's value must be ("true or false", "a date
 * written YYYY-MM-DD", ...). */
const char *case_expected_phrase(const Lowered *program, int fact);

#endif
