/* decision.h - the decisions an evaluation can end in.
 *
 * The list is the runtime's (MRSP_DECISION_LIST in mrsp_runtime.h), so the
 * names in the language, in JSON output and in the emitted C tables are one
 * list, numbered alike: DECISION_REFER here is MRSP_DECISION_REFER there.
 * The order of the decision stages (which stage decides first) is in check.h.
 */
#ifndef MRSPC_DECISION_H
#define MRSPC_DECISION_H

#include "mrsp_runtime.h"

typedef enum Decision {
#define X(kind, name) DECISION_##kind,
  MRSP_DECISION_LIST(X)
#undef X
  DECISION_COUNT
} Decision;

/* The decision's name ("medically_necessary"). */
const char *decision_name(Decision decision);

/* The decision named name, or -1. */
int decision_lookup(const char *name);

#endif
