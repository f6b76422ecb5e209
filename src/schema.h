/* schema.h - printing the fact schema a program sees (mrspc schema).
 *
 * Takes a checked Program; writes its enums and facts with their doc
 * strings, as text for a reader or as JSON for tools.
 */
#ifndef MRSPC_SCHEMA_H
#define MRSPC_SCHEMA_H

#include <stdio.h>

#include "check.h"

void schema_print_text(FILE *out, const Program *program);
void schema_print_json(FILE *out, const Program *program);

#endif
