/* decision.c - decisions by name (decision.h); the names are the runtime's. */
#include "decision.h"

#include <string.h>

const char *decision_name(Decision decision) {
  return mrsp_decision_name((MrspDecision)decision);
}

int decision_lookup(const char *name) {
  for (int i = 0; i < DECISION_COUNT; i++)
    if (strcmp(decision_name((Decision)i), name) == 0)
      return i;
  return -1;
}
