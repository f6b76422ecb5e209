/* decision_program.h - the rules as the decision program of mrsp_decide_only.
 *
 * For table.c: lower_table asks for the program only when it is to be
 * written out (decision_program.c says how it is made).
 */
#ifndef MRSPC_DECISION_PROGRAM_H
#define MRSPC_DECISION_PROGRAM_H

#include "lower.h"
#include "mrsp_runtime.h"

/* Sets out->tests and out->test_count to the program of in's rules; leaves
 * them alone when the program would be much larger than in's nodes. */
void decision_program_build(const Lowered *in, MrspPolicy *out);

#endif
