/* names.c - the names of decisions, stages, values, types, operations and
 * units, from the lists in mrsp_runtime.h, so they cannot drift from the
 * enumerations.  Constant tables only: no state.
 */
#include "internal.h"

const char *mrsp_decision_name(MrspDecision decision) {
  static const char *const names[] = {
#define MRSP_X(kind, name) name,
      MRSP_DECISION_LIST(MRSP_X)
#undef MRSP_X
  };
  return (unsigned)decision < MRSP_DECISION_COUNT ? names[decision] : "?";
}

const char *mrsp_stage_name(MrspStage stage) {
  static const char *const names[] = {
#define MRSP_X(kind, name, decision) name,
      MRSP_STAGE_LIST(MRSP_X)
#undef MRSP_X
  };
  return (unsigned)stage < MRSP_STAGE_COUNT ? names[stage] : "?";
}

MrspDecision mrsp_stage_decision(MrspStage stage) {
  static const MrspDecision decisions[] = {
#define MRSP_X(kind, name, decision) MRSP_DECISION_##decision,
      MRSP_STAGE_LIST(MRSP_X)
#undef MRSP_X
  };
  return decisions[stage];
}

const char *mrsp_truth_name(MrspTruth value) {
  static const char *const names[] = {"false", "unknown", "?", "true"};
  return value <= MRSP_TRUE ? names[value] : "?";
}

const char *mrsp_type_name(MrspType type) {
  static const char *const names[] = {
#define MRSP_X(kind, name) name,
      MRSP_TYPE_LIST(MRSP_X)
#undef MRSP_X
  };
  return (unsigned)type < MRSP_TYPE_COUNT ? names[type] : "?";
}

const char *mrsp_op_name(MrspOp op) {
  static const char *const names[] = {
#define MRSP_X(kind, name) name,
      MRSP_OP_LIST(MRSP_X)
#undef MRSP_X
  };
  return (unsigned)op < MRSP_OP_COUNT ? names[op] : "?";
}

const char *mrsp_unit_name(MrspUnit unit) {
  static const char *const names[] = {
#define MRSP_X(kind, name) name,
      MRSP_UNIT_LIST(MRSP_X)
#undef MRSP_X
  };
  return (unsigned)unit < MRSP_UNIT_COUNT ? names[unit] : "?";
}
