/* internal.h - what the runtime's files share, and nothing a host sees.
 *
 * The runtime (include/mrsp_runtime.h) is C99 with no allocation and no
 * global state.  nodes.c computes node values, part by part of the plan;
 * decide.c turns them into a decision.  The names below cross that
 * boundary, prefixed so they cannot clash with a host's symbols in a
 * static link.
 */
#ifndef MRSP_RUNTIME_INTERNAL_H
#define MRSP_RUNTIME_INTERNAL_H

#include "mrsp_runtime.h"

/* The parts of the plan: the notes', then stage s's at 1 + s, then the
 * nodes no rule or note needs. */
enum { MRSP_PART_NOTES = 0, MRSP_PART_REST = MRSP_STAGE_COUNT + 1 };

/* Whether fact is known in request. */
static inline int mrsp_internal_known(const MrspCase *request, int32_t fact) {
  return (int)(request->known[fact >> 6] >> (fact & 63) & 1);
}

/* 'not': true and false swapped, unknown kept (2 is no value). */
static const MrspTruth mrsp_internal_negation[4] = {MRSP_TRUE, MRSP_UNKNOWN, MRSP_UNKNOWN,
                                                    MRSP_FALSE};

/* Evaluates the nodes of one part of the plan into work->values. */
void mrsp_internal_evaluate_part(MrspWork *work, const MrspCase *request, int part);

/* The value of node n, a condition (no group: it reads no other node). */
MrspTruth mrsp_internal_condition_node(const MrspPolicy *policy, int32_t n,
                                       const uint64_t *known, const uint64_t *facts);

#endif
