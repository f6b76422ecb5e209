/* cmd_test.c - mrspc test: run the test blocks of policy files.
 *
 * Takes policy files; checks and lowers each, turns each test block into a
 * Case, evaluates it, and compares the decision (and the rule, the missing
 * facts and the notes, where the test expects them) with what the test
 * says.  A failure shows expected and actual side by side.  The last line
 * is "N passed, N failed".  With --coverage, it then lists, per policy, the
 * criteria and conditions that no test made true, or none made false.
 */
#include <gc.h>
#include <string.h>

#include "case.h"
#include "cli.h"
#include "eval.h"
#include "explain.h"
#include "lower.h"
#include "source.h"
#include "text.h"

static const char *const test_help =
    "usage: mrspc test [OPTIONS] FILE...\n"
    "\n"
    "Runs the test blocks of each policy file: every test gives facts and the\n"
    "decision it expects (and, where it says so, the deciding rule, the\n"
    "missing facts or the notes).  A failing test shows what was expected and\n"
    "what came out.  The last line is 'N passed, N failed'.\n"
    "\n"
    "options:\n"
    "  --coverage          list, per policy, the criteria and conditions that\n"
    "                      no test made true, or no test made false\n"
    "  -I DIR              look for 'use' modules in DIR first (repeatable)\n"
    "  --color=WHEN        colour: auto (a terminal), always, never\n"
    "  --help              show this help\n"
    "\n"
    "exit status: 0 every test passed, 1 a test failed or a file has errors,\n"
    "2 usage or I/O error\n";

typedef struct Tally {
  int passed, failed;
  bool io_error;
  bool color;
} Tally;

/* Per node: made true (bit 0), made false (bit 1) by some test. */
typedef struct Coverage {
  unsigned char *seen;
} Coverage;

static const char *paint(const Tally *t, const char *code, const char *text) {
  return t->color ? text_format("\033[%sm%s\033[0m", code, text) : text;
}

/* ---- comparing ------------------------------------------------------------ */

static bool in_names(const char *name, Name **names, int count) {
  for (int i = 0; i < count; i++)
    if (strcmp(names[i]->text, name) == 0)
      return true;
  return false;
}

static bool in_list(const char *name, const char **list, int count) {
  for (int i = 0; i < count; i++)
    if (strcmp(list[i], name) == 0)
      return true;
  return false;
}

static const char *braced(const char **list, int count) {
  TextBuffer out = {0};
  text_appendf(&out, "{");
  for (int i = 0; i < count; i++)
    text_appendf(&out, "%s%s", i ? ", " : "", list[i]);
  text_appendf(&out, "}");
  return text_finish(&out);
}

static const char *expected_braced(Name **names, int count) {
  const char **list = GC_MALLOC(((size_t)count + 1) * sizeof *list);
  for (int i = 0; i < count; i++)
    list[i] = names[i]->text;
  return braced(list, count);
}

/* A difference between two name sets, written under the expectation. */
static bool compare_sets(TextBuffer *report, const char *what, const Expectation *expect,
                         const char **actual, int actual_count) {
  bool same = actual_count == expect->count;
  for (int i = 0; i < expect->count && same; i++)
    same = in_list(expect->names[i]->text, actual, actual_count);
  if (same)
    return true;
  text_appendf(report, "      %-9s expected: %s\n", what, expected_braced(expect->names, expect->count));
  text_appendf(report, "      %-9s actual:   %s\n", "", braced(actual, actual_count));
  for (int i = 0; i < expect->count; i++)
    if (!in_list(expect->names[i]->text, actual, actual_count))
      text_appendf(report, "      %-9s - expected but absent: %s\n", "", expect->names[i]->text);
  for (int i = 0; i < actual_count; i++)
    if (!in_names(actual[i], expect->names, expect->count))
      text_appendf(report, "      %-9s + present but not expected: %s\n", "", actual[i]);
  return false;
}

static const char *outcome(const Lowered *program, const EvalResult *result) {
  if (result->decision == DECISION_UNDETERMINED) {
    const char **missing = GC_MALLOC(((size_t)result->missing_count + 1) * sizeof *missing);
    for (int i = 0; i < result->missing_count; i++)
      missing[i] = program->facts[result->missing[i]].name;
    return text_format("undetermined (the %s stage is unknown; missing %s)",
                       low_stage_name(result->stage), braced(missing, result->missing_count));
  }
  const char *rule = explain_rule_name(program, result);
  return text_format("%s (%s%s%s)", decision_name(result->decision),
                     low_stage_name(result->stage), rule ? " " : "", rule ? rule : "");
}

static bool check_expectation(TextBuffer *report, const Lowered *program,
                              const EvalResult *result, const Expectation *expect) {
  switch (expect->kind) {
  case EXPECT_DECISION:
    if ((int)result->decision == expect->decision_value)
      return true;
    text_appendf(report, "      decision  expected: %s\n", expect->decision.text);
    text_appendf(report, "                actual:   %s\n", outcome(program, result));
    return false;
  case EXPECT_RULE: {
    const char *rule = explain_rule_name(program, result);
    if (rule && strcmp(rule, expect->decision.text) == 0)
      return true;
    text_appendf(report, "      rule      expected: %s\n", expect->decision.text);
    text_appendf(report, "                actual:   %s\n",
                 rule ? rule : text_format("none (%s)", outcome(program, result)));
    return false;
  }
  case EXPECT_MISSING: {
    const char **names = GC_MALLOC(((size_t)result->missing_count + 1) * sizeof *names);
    for (int i = 0; i < result->missing_count; i++)
      names[i] = program->facts[result->missing[i]].name;
    return compare_sets(report, "missing", expect, names, result->missing_count);
  }
  case EXPECT_NOTES: {
    const char **names = GC_MALLOC(((size_t)result->note_count + 1) * sizeof *names);
    int count = 0;
    for (int i = 0; i < result->note_count; i++)
      if (program->notes[result->notes[i]].name)
        names[count++] = program->notes[result->notes[i]].name;
    return compare_sets(report, "notes", expect, names, count);
  }
  }
  return true;
}

/* ---- running -------------------------------------------------------------- */

static void cover(Coverage *coverage, const Lowered *program, const EvalResult *result) {
  for (int i = 0; i < program->node_count; i++) {
    if (result->values[i] == TRUTH_TRUE)
      coverage->seen[i] |= 1;
    else if (result->values[i] == TRUTH_FALSE)
      coverage->seen[i] |= 2;
  }
}

static void run_test(Tally *tally, const Lowered *program, Evaluator *evaluator, Case *facts,
                     const TestDecl *test, Coverage *coverage) {
  case_from_test(program, test, facts);
  const EvalResult *result = eval_run_all(evaluator, facts);
  cover(coverage, program, result);
  TextBuffer report = {0};
  bool ok = true;
  for (int i = 0; i < test->nexpects; i++)
    ok &= check_expectation(&report, program, result, test->expects[i]);
  if (ok) {
    tally->passed++;
    printf("  %s  %s\n", paint(tally, "32", "ok  "), test->name.text);
    return;
  }
  tally->failed++;
  SourcePosition at = source_position(test->span.file, test->span.begin);
  printf("  %s  %s   %s:%d\n", paint(tally, "1;31", "FAIL"), test->name.text,
         source_get(test->span.file)->path, at.line);
  if (test->doc)
    printf("      \"%s\"\n", test->doc);
  fputs(text_finish(&report), stdout);
}

static const char *node_place(const Lowered *program, int n) {
  const Node *syntax = program->info[n].node;
  Span span;
  if (syntax) {
    span = syntax->span;
  } else {
    for (int r = 0; r < program->rule_count; r++)
      if (program->rules[r].root == n && program->rules[r].entry) {
        span = program->rules[r].entry->span;
        goto found;
      }
    return "";
  }
found:;
  SourcePosition at = source_position(span.file, span.begin);
  return text_format("%s:%d", source_get(span.file)->path, at.line);
}

static const char *never(unsigned char seen) {
  return seen == 0 ? "never true, never false" : seen == 1 ? "never false" : "never true";
}

/* --coverage: criteria (by their bodies) and leaf conditions. */
static void print_coverage(const Lowered *program, const Coverage *coverage, int tests) {
  int conditions = 0, covered = 0, criteria = program->criterion_count, criteria_covered = 0;
  TextBuffer lines = {0};
  for (int c = 0; c < program->criterion_count; c++) {
    unsigned char seen = coverage->seen[program->criteria[c].body];
    criteria_covered += seen == 3;
    if (seen != 3)
      text_appendf(&lines, "  criterion %s: %s   %s\n", program->criteria[c].name, never(seen),
                   node_place(program, program->criteria[c].body));
  }
  for (int n = 0; n < program->node_count; n++) {
    LowOp op = program->nodes[n].op;
    if (op == OP_ALL || op == OP_ANY || op == OP_AT_LEAST || op == OP_NOT || op == OP_CRITERION)
      continue;
    conditions++;
    covered += coverage->seen[n] == 3;
    if (coverage->seen[n] != 3)
      text_appendf(&lines, "  %s: %s   %s\n", program->info[n].label, never(coverage->seen[n]),
                   node_place(program, n));
  }
  printf("coverage of %s (%d test%s): %d of %d criteria and %d of %d conditions were both "
         "true and false\n",
         program->name, tests, tests == 1 ? "" : "s", criteria_covered, criteria, covered,
         conditions);
  fputs(lines.length ? text_finish(&lines) : "", stdout);
}

static void run_file(Tally *tally, const char *path, const CommonOptions *options,
                     bool coverage_wanted) {
  int status;
  /* each file is checked on its own: the checker's phases stop at errors
   * already counted, so an earlier file's must not count */
  diag_reset();
  Program *program = cli_load_policy(path, options, &status);
  if (!program) {
    tally->failed++;
    tally->io_error |= status == EXIT_USAGE;
    printf("%s: %s\n", path, status == EXIT_USAGE ? "cannot be read" : "has errors; no test ran");
    return;
  }
  Lowered *lowered = lower_program(program);
  printf("%s (%s): %d test%s\n", path, lowered->name, program->test_count,
         program->test_count == 1 ? "" : "s");
  Evaluator *evaluator = eval_new(lowered);
  Case *facts = case_new(lowered);
  Coverage coverage = {GC_MALLOC_ATOMIC((size_t)lowered->node_count + 1)};
  memset(coverage.seen, 0, (size_t)lowered->node_count + 1);
  for (int i = 0; i < program->test_count; i++)
    run_test(tally, lowered, evaluator, facts, program->tests[i], &coverage);
  if (coverage_wanted)
    print_coverage(lowered, &coverage, program->test_count);
}

/* test's own option: --coverage */
static int test_option(void *context, int argc, char **argv, int *index) {
  (void)argc;
  if (strcmp(argv[*index], "--coverage") != 0)
    return 0;
  *(bool *)context = true;
  return 1;
}

int command_test(int argc, char **argv) {
  CommonOptions options = {0};
  PtrList files = {0};
  bool coverage = false;
  int status = cli_parse_arguments(argc, argv, test_help, &options, test_option, &coverage, &files);
  if (status != CLI_CONTINUE)
    return status;
  if (files.count == 0)
    return cli_usage_error("test", "no files to test");
  Tally tally = {0, 0, false, diag_use_color(stdout, options.color)};
  for (int i = 0; i < files.count; i++) {
    fflush(stdout);
    run_file(&tally, files.items[i], &options, coverage);
  }
  printf("%d passed, %d failed\n", tally.passed, tally.failed);
  if (tally.io_error)
    return EXIT_USAGE;
  return tally.failed ? EXIT_PROBLEM : EXIT_OK;
}
