/* cmd_eval.c - mrspc eval: decide a request, or a batch of them.
 *
 * Takes policy files and a case file (or --batch and an NDJSON file);
 * checks and lowers each policy, reads the case against it, evaluates, and
 * writes the explanation (text or JSON), the side-by-side table for
 * several policies, or the batch's result lines.  Case-file errors go to
 * stderr, one line each, as FILE:LINE:COL: error: MESSAGE.
 */
#include <gc.h>
#include <jansson.h>
#include <string.h>

#include "batch.h"
#include "case.h"
#include "cli.h"
#include "eval.h"
#include "explain.h"
#include "lower.h"
#include "source.h"
#include "text.h"

static const char *const eval_help =
    "usage: mrspc eval [OPTIONS] POLICY... CASE.json\n"
    "       mrspc eval [OPTIONS] POLICY --batch FILE.ndjson\n"
    "\n"
    "Decides a prior-authorization request with each policy and explains the\n"
    "decision in the policy's words: the stage and rule that decided, and the\n"
    "criteria tree of that rule with every condition marked true, false or\n"
    "unknown.  CASE.json is one JSON object keyed by fact names ('-' reads\n"
    "standard input); an absent or null fact is unknown.  With several\n"
    "policies, a table shows each payer's decision side by side.\n"
    "\n"
    "The decisions: medically_necessary, not_medically_necessary,\n"
    "investigational, not_applicable, refer, and undetermined when unknown\n"
    "facts keep the policy from deciding (it then lists the missing facts).\n"
    "\n"
    "options:\n"
    "  --format=json       one JSON object per policy, one per line, with the\n"
    "                      keys policy, decision, stage, rule, missing,\n"
    "                      possible, notes, trace and references\n"
    "  --explain=full      show every stage and rule, not only the deciding one\n"
    "  --explain=rule      show the deciding rule (the default for one policy;\n"
    "                      with several, adds each explanation to the table)\n"
    "  --batch FILE        decide every line of an NDJSON file ('-' reads\n"
    "                      standard input): one JSON result line per input\n"
    "                      line, in order; a summary goes to stderr\n"
    "  -I DIR              look for 'use' modules in DIR first (repeatable)\n"
    "  --color=WHEN        colour: auto (a terminal), always, never\n"
    "  --help              show this help\n"
    "\n"
    "exit status: 0 decided (whatever the decision), 1 errors in a policy or\n"
    "a case (in a batch: any bad line), 2 usage or I/O error\n";

typedef enum ExplainLevel { EXPLAIN_DEFAULT, EXPLAIN_RULE, EXPLAIN_FULL } ExplainLevel;

typedef struct EvalOptions {
  CommonOptions common;
  ExplainLevel explain;
  const char *batch;
  PtrList files;         /* policies, then the case file last */
} EvalOptions;

/* eval's own options: --explain=rule|full, --batch FILE */
static int eval_option(void *context, int argc, char **argv, int *index) {
  EvalOptions *options = context;
  const char *arg = argv[*index];
  if (strcmp(arg, "--explain=full") == 0) {
    options->explain = EXPLAIN_FULL;
  } else if (strcmp(arg, "--explain=rule") == 0) {
    options->explain = EXPLAIN_RULE;
  } else if (strncmp(arg, "--explain", 9) == 0) {
    return -cli_usage_error("eval", "--explain takes rule or full, as in --explain=full");
  } else if (strcmp(arg, "--batch") == 0) {
    if (*index + 1 >= argc)
      return -cli_usage_error("eval", "--batch needs a file ('-' for standard input)");
    options->batch = argv[++*index];
  } else if (strncmp(arg, "--batch=", 8) == 0) {
    options->batch = arg + 8;
  } else {
    return 0;
  }
  return 1;
}

/* Returns -1 to go on, else the exit status. */
static int parse_options(EvalOptions *options, int argc, char **argv) {
  int status = cli_parse_arguments(argc, argv, eval_help, &options->common, eval_option,
                                   options, &options->files);
  if (status != CLI_CONTINUE)
    return status;
  if (options->batch && options->files.count != 1)
    return cli_usage_error("eval", options->files.count ? "--batch takes one policy"
                                                        : "no policy to decide with");
  if (!options->batch && options->files.count < 2)
    return cli_usage_error("eval", options->files.count ? "no case file after the policy"
                                                        : "no policy and case file");
  return -1;
}

/* ---- one case ------------------------------------------------------------- */

static void print_case_errors(const char *path, const CaseReader *reader, int count, bool color) {
  for (int i = 0; i < count; i++) {
    const CaseError *error = case_reader_error(reader, i);
    fprintf(stderr, "%s%s:%d:%d:%s %serror:%s %s\n", color ? "\033[1m" : "", path, error->line,
            error->column, color ? "\033[0m" : "", color ? "\033[1;31m" : "",
            color ? "\033[0m" : "", error->message);
  }
}

/* Reads the case against one policy; false after printing its errors. */
static bool read_case(const Lowered *program, const SourceFile *source, Case *facts, bool color) {
  CaseReader *reader = case_reader_new(program);
  /* a byte order mark is not JSON, but editors on some systems write one */
  size_t skip = source->length >= 3 && memcmp(source->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  int errors = case_read_json(reader, source->text + skip, source->length - skip, facts,
                              CASE_MAX_ERRORS);
  print_case_errors(source->path, reader, errors, color);
  case_reader_free(reader);
  return errors == 0;
}

static void print_json(const Explained *rows, int count, bool full) {
  for (int i = 0; i < count; i++) {
    json_t *object = explain_json(rows[i], full);
    json_dumpf(object, stdout, JSON_COMPACT);
    fputc('\n', stdout);
    json_decref(object);
  }
}

static void print_text(const Explained *rows, int count, ExplainLevel explain, bool color) {
  if (count > 1) {
    explain_table(stdout, rows, count, color);
    if (explain == EXPLAIN_DEFAULT)
      return;
  }
  for (int i = 0; i < count; i++) {
    if (count > 1 || i > 0)
      fputs("\n", stdout);
    explain_text(stdout, rows[i], explain == EXPLAIN_FULL, color);
  }
}

static int eval_case(EvalOptions *options) {
  int policies = options->files.count - 1;
  const char *case_path = options->files.items[policies];
  Lowered **programs = GC_MALLOC((size_t)policies * sizeof *programs);
  for (int i = 0; i < policies; i++) {
    int status;
    Program *program = cli_load_policy(options->files.items[i], &options->common, &status);
    if (!program)
      return status;
    programs[i] = lower_program(program);
  }
  const char *error = NULL;
  int file = source_load(case_path, &error);
  if (file < 0) {
    fprintf(stderr, "mrspc: %s\n", error);
    return EXIT_USAGE;
  }
  bool error_color = diag_use_color(stderr, options->common.color);
  Explained *rows = GC_MALLOC((size_t)policies * sizeof *rows);
  for (int i = 0; i < policies; i++) {
    Case *facts = case_new(programs[i]);
    if (!read_case(programs[i], source_get(file), facts, error_color))
      return EXIT_PROBLEM;
    rows[i] = (Explained){programs[i], facts, eval_run_all(eval_new(programs[i]), facts)};
  }
  if (options->common.json)
    print_json(rows, policies, options->explain == EXPLAIN_FULL);
  else
    print_text(rows, policies, options->explain,
               diag_use_color(stdout, options->common.color));
  return EXIT_OK;
}

int command_eval(int argc, char **argv) {
  EvalOptions options;
  memset(&options, 0, sizeof options);
  int status = parse_options(&options, argc, argv);
  if (status >= 0)
    return status;
  if (!options.batch)
    return eval_case(&options);
  Program *program = cli_load_policy(options.files.items[0], &options.common, &status);
  if (!program)
    return status;
  return batch_run(lower_program(program), options.batch, stdout);
}
