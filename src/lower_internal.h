/* lower_internal.h - what lower.c lends table.c and decision_program.c.
 *
 * Not for other phases: they see lower.h, table.h and decision_program.h.
 */
#ifndef MRSPC_LOWER_INTERNAL_H
#define MRSPC_LOWER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "text.h"

/* items, or a copy of them with room for needed (capacity doubled until it
 * fits; atomic: the items hold no pointers). */
void *lower_grow(void *items, int *capacity, int needed, size_t size, bool atomic);

/* A literal as it is written in a policy. */
void lower_append_literal(TextBuffer *out, const Literal *literal);

#endif
