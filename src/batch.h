/* batch.h - deciding a stream of cases, one JSON line in, one line out.
 *
 * Takes a Lowered policy and NDJSON input (a file, or "-" for standard
 * input); writes one compact JSON result per input line, in input order:
 *   {"line":N,"policy":P,"decision":D,"stage":S,"rule":R,"missing":[..],
 *    "possible":[..],"notes":[..]}
 * ("possible" is the decision itself unless it is undetermined; "rule" is
 * null when none decided) or, for a line that is not a valid case,
 *   {"line":N,"policy":P,"error":"line N, column C: ..."}
 * Blank lines are skipped and counted.  Memory stays flat however many
 * lines there are: the input is read in blocks, and a case is read,
 * decided and written without allocating.  A summary (counts per
 * decision, errors, blank lines, cases per second) goes to stderr, with a
 * progress line while it runs when stderr is a terminal and the input is a
 * file of more than BATCH_PROGRESS_BYTES.
 */
#ifndef MRSPC_BATCH_H
#define MRSPC_BATCH_H

#include <stdio.h>

#include "lower.h"

#define BATCH_PROGRESS_BYTES (8u * 1024u * 1024u)

/* Runs the batch; returns the exit status: 0, 1 if any line was bad, 2 if
 * the input cannot be read. */
int batch_run(const Lowered *program, const char *path, FILE *out);

#endif
