/* decision.h - the decisions an evaluation can end in.
 *
 * One X-macro list, so the names in the language, in JSON output and in the
 * emitted C tables are the same strings in the same order.  The order of the
 * decision stages (which stage decides first) is in check.h.
 */
#ifndef MRSPC_DECISION_H
#define MRSPC_DECISION_H

#define DECISION_LIST(X)                                                           \
  X(DECISION_MEDICALLY_NECESSARY, "medically_necessary")                           \
  X(DECISION_NOT_MEDICALLY_NECESSARY, "not_medically_necessary")                   \
  X(DECISION_INVESTIGATIONAL, "investigational")                                   \
  X(DECISION_NOT_APPLICABLE, "not_applicable")                                     \
  X(DECISION_REFER, "refer")                                                       \
  X(DECISION_UNDETERMINED, "undetermined")

typedef enum Decision {
#define X(kind, name) kind,
  DECISION_LIST(X)
#undef X
  DECISION_COUNT
} Decision;

/* The decision's name ("medically_necessary"). */
const char *decision_name(Decision decision);

/* The decision named name, or -1. */
int decision_lookup(const char *name);

#endif
