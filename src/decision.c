/* decision.c - names of decisions (decision.h). */
#include "decision.h"

#include <string.h>

static const char *const names[] = {
#define X(kind, name) name,
    DECISION_LIST(X)
#undef X
};

const char *decision_name(Decision decision) {
  return names[decision];
}

int decision_lookup(const char *name) {
  for (int i = 0; i < DECISION_COUNT; i++)
    if (strcmp(names[i], name) == 0)
      return i;
  return -1;
}
