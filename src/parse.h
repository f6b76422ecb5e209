/* parse.h - the parser driver: one source file to one Module.
 *
 * Runs the flex scanner and bison parser (grammar/) over a file already in
 * the source table.  Syntax errors are reported through diag.h; the module
 * holds every declaration that parsed, so later phases can still check the
 * rest of a file with a typo in it.
 */
#ifndef MRSPC_PARSE_H
#define MRSPC_PARSE_H

#include "ast.h"

/* Parses source file `file`; never returns NULL. */
Module *parse_module(int file);

#endif
