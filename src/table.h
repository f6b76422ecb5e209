/* table.h - a Lowered policy as the runtime's tables.
 *
 * lower_table turns a Lowered (lower.h) into the runtime's constant tables
 * (include/mrsp_runtime.h): the one form both the interpreter (eval.c)
 * evaluates and `mrspc emit-c` (emit_c.c) writes out, so the two cannot
 * mean different things.
 */
#ifndef MRSPC_TABLE_H
#define MRSPC_TABLE_H

#include <stdbool.h>

#include "lower.h"
#include "mrsp_runtime.h"

/* A Lowered program as the runtime's tables: its nodes one for one (a
 * Lowered node's index is its index there), and the evaluation plan that
 * orders them by decision stage and kind; with decision_program, also the
 * decision program behind mrsp_decide_only (emit-c writes it; the
 * interpreter, which always wants missing facts and notes, does not need
 * it, and on a policy of 100,000 criteria it costs a quarter more memory). */
const MrspPolicy *lower_table(const Lowered *program, bool decision_program);

#endif
