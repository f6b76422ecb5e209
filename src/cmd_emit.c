/* cmd_emit.c - mrspc emit-c: a policy as C tables for the embeddable runtime.
 *
 * Takes a policy file; checks and lowers it, builds the runtime's tables
 * (lower_table, the ones `mrspc eval` runs) and writes them as a C99
 * source file (emit_c.h), with a header of its entry symbol and
 * enumerations when asked.  A file is written only when the policy is
 * free of errors.
 */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "emit_c.h"
#include "lower.h"
#include "table.h"

static const char *const emit_help =
    "usage: mrspc emit-c [OPTIONS] POLICY -o FILE.c [--header FILE.h]\n"
    "\n"
    "Writes the policy as constant C99 tables for the mrsp runtime (the\n"
    "library mrsp_runtime, header mrsp_runtime.h, pkg-config mrsp-runtime),\n"
    "which decides requests as 'mrspc eval' does, with no allocation, no\n"
    "global state and no I/O.  The source defines PREFIX_policy; the header\n"
    "declares it with the sizes a host needs and enumerations of the facts,\n"
    "enum members, criteria, rules and notes.  The same policy always gives\n"
    "the same bytes.\n"
    "\n"
    "options:\n"
    "  -o FILE.c           the source to write ('-' or none: standard output)\n"
    "  --header FILE.h     also write the header, which the source includes\n"
    "  --prefix NAME       prefix of the identifiers (default: the policy's\n"
    "                      name), made a C identifier\n"
    "  -I DIR              look for 'use' modules in DIR first (repeatable)\n"
    "  --color=WHEN        colour diagnostics: auto (a terminal), always, never\n"
    "  --help              show this help\n"
    "\n"
    "exit status: 0 written, 1 errors in the policy, 2 usage or I/O error\n";

typedef struct EmitCommand {
  const char *output;
  const char *header;
  const char *prefix;
} EmitCommand;

/* The value of an option written "--name VALUE" or "--name=VALUE"; NULL
 * when argv[*index] is not that option. */
static const char *option_value(int argc, char **argv, int *index, const char *name, bool *bad) {
  const char *arg = argv[*index];
  size_t length = strlen(name);
  if (strncmp(arg, name, length) != 0)
    return NULL;
  if (arg[length] == '=')
    return arg + length + 1;
  if (arg[length] != '\0')
    return NULL;
  if (*index + 1 >= argc) {
    *bad = true;
    cli_usage_error("emit-c", "%s needs a value", name);
    return NULL;
  }
  return argv[++*index];
}

static int emit_option(void *context, int argc, char **argv, int *index) {
  EmitCommand *command = context;
  bool bad = false;
  const char *value;
  if ((value = option_value(argc, argv, index, "-o", &bad)) ||
      (value = option_value(argc, argv, index, "--output", &bad)))
    command->output = value;
  else if ((value = option_value(argc, argv, index, "--header", &bad)))
    command->header = value;
  else if ((value = option_value(argc, argv, index, "--prefix", &bad)))
    command->prefix = value;
  if (bad)
    return -1;
  return value ? 1 : 0;
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

typedef bool (*Writer)(FILE *out, const MrspPolicy *table, const EmitOptions *options);

/* Writes one file ("-": standard output); false after saying why not. */
static bool write_file(const char *path, Writer writer, const MrspPolicy *table,
                       const EmitOptions *options) {
  bool to_stdout = strcmp(path, "-") == 0;
  FILE *out = to_stdout ? stdout : fopen(path, "w");
  if (!out) {
    fprintf(stderr, "mrspc emit-c: cannot write '%s': %s\n", path, strerror(errno));
    return false;
  }
  bool written = writer(out, table, options);
  written = (to_stdout ? fflush(out) == 0 : fclose(out) == 0) && written;
  if (!written)
    fprintf(stderr, "mrspc emit-c: error writing '%s'\n", path);
  return written;
}

int command_emit_c(int argc, char **argv) {
  CommonOptions common = {0};
  EmitCommand command = {"-", NULL, NULL};
  PtrList files = {0};
  int status = cli_parse_arguments(argc, argv, emit_help, &common, emit_option, &command, &files);
  if (status != CLI_CONTINUE)
    return status;
  if (files.count != 1)
    return cli_usage_error("emit-c", files.count
                                         ? "one policy at a time: emit each to its own file"
                                         : "no policy to emit");
  if (common.json)
    return cli_usage_error("emit-c", "--format=json does not apply: emit-c writes C");
  if (command.header && !emit_header_name_ok(base_name(command.header)))
    return cli_usage_error("emit-c",
                           "the header's name '%s' must be letters, digits, '.', '_', '-' or '+'",
                           base_name(command.header));
  const char *path = files.items[0];
  Program *program = cli_load_policy(path, &common, &status);
  if (!program)
    return status;
  Lowered *lowered = lower_program(program);
  const MrspPolicy *table = lower_table(lowered, true);
  EmitOptions options = {emit_prefix(command.prefix, lowered->name),
                         command.header ? base_name(command.header) : NULL,
                         strcmp(command.output, "-") == 0 ? "policy.c"
                                                          : base_name(command.output),
                         base_name(path)};
  if (!write_file(command.output, emit_c_source, table, &options))
    return EXIT_USAGE;
  if (command.header) {
    options.source_name = base_name(command.header);
    if (!write_file(command.header, emit_c_header, table, &options))
      return EXIT_USAGE;
  }
  return EXIT_OK;
}
