/* cli.c - the command line: dispatch, shared options, 'check' and 'schema'.
 *
 * Takes argv, produces an exit status (cli.h).  Each command parses its own
 * options; the options shared by every command that reads policies are
 * parsed by cli_common_option.
 */
#include "cli.h"

#include <gc.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "schema.h"
#include "source.h"
#include "text.h"

typedef struct Command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
    {"check", command_check, "parse and type-check policies"},
    {"eval", command_eval, "decide a request from a case file, or a batch of them"},
    {"test", command_test, "run the test blocks of policies"},
    {"schema", command_schema, "print the clinical fact schema"},
    {"emit-c", command_emit_c, "write a policy as C tables for the embeddable runtime"},
    {"lsp", command_lsp, "run the language server (for editors)"},
};
enum { COMMAND_COUNT = sizeof commands / sizeof commands[0] };

static const char *const main_help =
    "usage: mrspc COMMAND [OPTIONS] ARGS...\n"
    "\n"
    "mrspc makes clinical coverage policies executable: it checks .mrsp policy\n"
    "files, decides prior-authorization requests with them, and explains each\n"
    "decision in the policy's own words.\n"
    "\n"
    "commands:\n";

static void print_main_help(FILE *out) {
  fputs(main_help, out);
  for (int i = 0; i < COMMAND_COUNT; i++)
    fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fputs("\n"
        "Run 'mrspc COMMAND --help' for a command's options.\n"
        "  --help     show this help\n"
        "  --version  show the version\n",
        out);
}

int cli_usage_error(const char *command, const char *format, ...) {
  va_list args;
  va_start(args, format);
  fprintf(stderr, "mrspc%s%s: ", command ? " " : "", command ? command : "");
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
  if (command)
    fprintf(stderr, "Run 'mrspc %s --help' for its options.\n", command);
  else
    fputs("Run 'mrspc --help' for the commands.\n", stderr);
  return EXIT_USAGE;
}

int cli_main(int argc, char **argv) {
  GC_INIT();
  if (argc < 2) {
    print_main_help(stderr);
    return EXIT_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
    if (argc > 2 && strcmp(name, "help") == 0) {
      char *help_argv[] = {argv[2], (char *)"--help", NULL};
      for (int i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(commands[i].name, argv[2]) == 0)
          return commands[i].run(2, help_argv);
    }
    print_main_help(stdout);
    return EXIT_OK;
  }
  if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
    printf("mrspc %s\n", MRSPC_VERSION);
    SearchPath *search = loader_search_path(NULL, 0);
    printf("standard library: %s\n", search->stdlib ? search->stdlib : "(not found)");
    return EXIT_OK;
  }
  for (int i = 0; i < COMMAND_COUNT; i++)
    if (strcmp(commands[i].name, name) == 0)
      return commands[i].run(argc - 1, argv + 1);
  const char *names[COMMAND_COUNT];
  for (int i = 0; i < COMMAND_COUNT; i++)
    names[i] = commands[i].name;
  const char *suggestion = text_suggest(name, names, COMMAND_COUNT);
  if (suggestion)
    return cli_usage_error(NULL, "unknown command '%s'; did you mean '%s'?", name, suggestion);
  return cli_usage_error(NULL, "unknown command '%s'", name);
}

/* ---- shared options ------------------------------------------------------ */

static void add_include(CommonOptions *options, const char *dir) {
  options->include_dirs = GC_REALLOC(options->include_dirs,
                                     (size_t)(options->include_count + 1) * sizeof(char *));
  options->include_dirs[options->include_count++] = dir;
}

int cli_common_option(CommonOptions *options, int argc, char **argv, int *index) {
  const char *arg = argv[*index];
  const char *command = argv[0];
  if (strcmp(arg, "-I") == 0) {
    if (*index + 1 >= argc)
      return cli_usage_error(command, "-I needs a directory"), -1;
    add_include(options, argv[++*index]);
    return 1;
  }
  if (strncmp(arg, "-I", 2) == 0) {
    add_include(options, arg + 2);
    return 1;
  }
  if (strncmp(arg, "--include=", 10) == 0) {
    add_include(options, arg + 10);
    return 1;
  }
  if (strncmp(arg, "--color=", 8) == 0 || strncmp(arg, "--colour=", 9) == 0) {
    const char *value = strchr(arg, '=') + 1;
    if (strcmp(value, "auto") == 0)
      options->color = COLOR_AUTO;
    else if (strcmp(value, "always") == 0)
      options->color = COLOR_ALWAYS;
    else if (strcmp(value, "never") == 0)
      options->color = COLOR_NEVER;
    else
      return cli_usage_error(command, "--color takes auto, always or never, not '%s'", value), -1;
    return 1;
  }
  if (strncmp(arg, "--format=", 9) == 0) {
    const char *value = arg + 9;
    if (strcmp(value, "json") == 0)
      options->json = true;
    else if (strcmp(value, "text") == 0)
      options->json = false;
    else
      return cli_usage_error(command, "--format takes text or json, not '%s'", value), -1;
    return 1;
  }
  return 0;
}

int cli_parse_arguments(int argc, char **argv, const char *help, CommonOptions *options,
                        CliOptionHandler handler, void *context, PtrList *operands) {
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    int taken = cli_common_option(options, argc, argv, &i);
    if (taken == 0 && handler)
      taken = handler(context, argc, argv, &i);
    if (taken < 0)
      return EXIT_USAGE;
    if (taken > 0)
      continue;
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      fputs(help, stdout);
      return EXIT_OK;
    }
    if (arg[0] == '-' && arg[1] != '\0')
      return cli_usage_error(argv[0], "unknown option '%s'", arg);
    ast_list_push(operands, (void *)arg);
  }
  return CLI_CONTINUE;
}

Program *cli_load_policy(const char *path, const CommonOptions *options, int *status) {
  const char *error = NULL;
  int file = source_load(path, &error);
  if (file < 0) {
    fprintf(stderr, "mrspc: %s\n", error);
    *status = EXIT_USAGE;
    return NULL;
  }
  SearchPath *search = loader_search_path(options->include_dirs, options->include_count);
  int first = diag_count();
  int errors = diag_error_count();
  Program *program = check_program(file, search);
  diag_render_text(stderr, first, diag_use_color(stderr, options->color));
  if (diag_error_count() > errors) {
    *status = EXIT_PROBLEM;
    return NULL;
  }
  *status = EXIT_OK;
  return program;
}

/* ---- mrspc check --------------------------------------------------------- */

static const char *const check_help =
    "usage: mrspc check [OPTIONS] FILE...\n"
    "\n"
    "Parses and type-checks each policy (or library) file against the fact\n"
    "schema, with the modules it brings in with 'use'.  Diagnostics go to\n"
    "stderr as FILE:LINE:COL: error: MESSAGE, with the source line and a\n"
    "caret under the problem.\n"
    "\n"
    "options:\n"
    "  -I DIR              look for 'use' modules in DIR first (repeatable)\n"
    "  --format=json       print the diagnostics as one JSON array on stdout\n"
    "  --werror            treat warnings as errors\n"
    "  --color=WHEN        colour diagnostics: auto (a terminal), always, never\n"
    "  --help              show this help\n"
    "\n"
    "environment:\n"
    "  MRSPC_PATH          more directories for 'use', separated by ':'\n"
    "  MRSPC_STDLIB        the standard library directory\n"
    "  NO_COLOR            when set, never colour\n"
    "\n"
    "exit status: 0 no errors, 1 errors found, 2 usage or I/O error\n";

/* check's own option: --werror */
static int check_option(void *context, int argc, char **argv, int *index) {
  (void)context, (void)argc;
  if (strcmp(argv[*index], "--werror") != 0)
    return 0;
  diag_set_warnings_are_errors(true);
  return 1;
}

int command_check(int argc, char **argv) {
  CommonOptions options = {0};
  PtrList files = {0};
  int status = cli_parse_arguments(argc, argv, check_help, &options, check_option, NULL, &files);
  if (status != CLI_CONTINUE)
    return status;
  if (files.count == 0)
    return cli_usage_error("check", "no files to check");

  SearchPath *search = loader_search_path(options.include_dirs, options.include_count);
  bool color = diag_use_color(stderr, options.color);
  bool io_error = false;
  for (int i = 0; i < files.count && !diag_limit_reached(); i++) {
    const char *path = files.items[i];
    int first = diag_count();
    const char *error = NULL;
    int file = source_load(path, &error);
    if (file < 0) {
      diag_error_at_file(path, "%s", error);
      io_error = true;
    } else {
      check_program(file, search);
    }
    if (!options.json)
      diag_render_text(stderr, first, color);
  }
  if (options.json)
    diag_render_json(stdout);
  if (io_error)
    return EXIT_USAGE;
  return diag_error_count() > 0 ? EXIT_PROBLEM : EXIT_OK;
}

/* ---- mrspc schema -------------------------------------------------------- */

static const char *const schema_help =
    "usage: mrspc schema [OPTIONS] [FILE]\n"
    "\n"
    "Prints the clinical fact schema: every fact with its type and meaning,\n"
    "and every enum with its members.  With FILE, the facts that file sees\n"
    "(the schema and the modules it brings in with 'use').\n"
    "\n"
    "options:\n"
    "  -I DIR              look for 'use' modules in DIR first (repeatable)\n"
    "  --format=json       print the schema as JSON\n"
    "  --help              show this help\n";

int command_schema(int argc, char **argv) {
  CommonOptions options = {0};
  PtrList files = {0};
  int parsed = cli_parse_arguments(argc, argv, schema_help, &options, NULL, NULL, &files);
  if (parsed != CLI_CONTINUE)
    return parsed;
  if (files.count > 1)
    return cli_usage_error("schema", "give at most one file");
  const char *path = files.count ? files.items[0] : NULL;
  Program *program;
  int status;
  if (path) {
    program = cli_load_policy(path, &options, &status);
  } else {
    SearchPath *search = loader_search_path(options.include_dirs, options.include_count);
    const char *facts = loader_find(search, "facts", false, NULL);
    if (!facts) {
      fputs("mrspc schema: cannot find the fact schema 'facts.mrsp'; set MRSPC_STDLIB\n", stderr);
      return EXIT_USAGE;
    }
    program = cli_load_policy(facts, &options, &status);
  }
  if (!program)
    return status;
  if (options.json)
    schema_print_json(stdout, program);
  else
    schema_print_text(stdout, program);
  return EXIT_OK;
}
