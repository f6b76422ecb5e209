/* cli.h - the command line: dispatch, shared options, loading a policy.
 *
 * main.c calls cli_main.  Each command is a function taking its own argv
 * (argv[0] is the command's name) and returning the process exit status:
 * 0 success, 1 a problem in the input (errors in a policy or case, a failed
 * test), 2 a usage or I/O error.
 */
#ifndef MRSPC_CLI_H
#define MRSPC_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "check.h"
#include "diag.h"
#include "loader.h"

enum { EXIT_OK = 0, EXIT_PROBLEM = 1, EXIT_USAGE = 2 };

int cli_main(int argc, char **argv);

/* Options every command that reads policies accepts. */
typedef struct CommonOptions {
  const char **include_dirs; /* -I DIR, in order */
  int include_count;
  ColorMode color;           /* --color=auto|always|never */
  bool json;                 /* --format=json */
} CommonOptions;

/* If argv[*index] is a common option (-I DIR, -IDIR, --include=DIR,
 * --color=..., --format=text|json), consumes it (and its argument) and
 * returns 1; returns 0 if it is not one; returns -1 after printing a usage
 * error. */
int cli_common_option(CommonOptions *options, int argc, char **argv, int *index);

/* A command's own options: returns 1 if argv[*index] is one (consuming its
 * argument, if any, by advancing *index), 0 if it is not, or a negative
 * number after printing a usage error. */
typedef int (*CliOptionHandler)(void *context, int argc, char **argv, int *index);

/* The value cli_parse_arguments returns when the command should go on. */
enum { CLI_CONTINUE = -1 };

/* Parses argv[1..]: the common options, --help (prints help), the
 * command's own options through handler (may be NULL), and the operands,
 * pushed onto operands in order.  Returns CLI_CONTINUE, or the exit status
 * the command returns at once (EXIT_OK after --help, EXIT_USAGE after a
 * usage error). */
int cli_parse_arguments(int argc, char **argv, const char *help, CommonOptions *options,
                        CliOptionHandler handler, void *context, PtrList *operands);

/* Loads and checks a policy file; prints its diagnostics to stderr (text,
 * coloured per options) and returns NULL if it has errors or cannot be read
 * (*status is then EXIT_PROBLEM or EXIT_USAGE). */
Program *cli_load_policy(const char *path, const CommonOptions *options, int *status);

/* "mrspc: message" on stderr, for usage errors; returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* The commands. */
int command_check(int argc, char **argv);
int command_schema(int argc, char **argv);
int command_eval(int argc, char **argv);
int command_test(int argc, char **argv);
int command_emit_c(int argc, char **argv);
int command_lsp(int argc, char **argv);

#endif
