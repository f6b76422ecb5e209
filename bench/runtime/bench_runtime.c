/* bench_runtime.c - decisions per second of the embeddable runtime, and of
 * the interpreter in process, on the same pre-loaded cases.
 *
 * usage: bench_runtime CASES.ndjson [POLICY_STEM...]
 *
 * For each policy emitted into this program (policies.inc, written by
 * CMake: one POLICY(stem, table, "path") line per policy of policies/), reads
 * every line of CASES.ndjson with mrspc's case reader into one contiguous
 * array of cases, then decides them all, timing the best of ROUNDS passes:
 *   - decide only: mrsp_decide_only on the emitted tables (the decision,
 *     its stage and rule, no missing facts, possible decisions or notes);
 *   - runtime:  mrsp_decide on the emitted tables (what a host does);
 *   - evaluate: mrsp_evaluate, every node's value (for explanations);
 *   - interpreter: eval_run on the policy loaded and lowered in process.
 * The decisions must agree (mrsp_decide_only's and mrsp_decide's case by
 * case, with their stage and rule); the counts of each are printed as a
 * check.
 * Not a test: figures depend on the machine (bench/README.md).
 */
#define _POSIX_C_SOURCE 200809L
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case.h"
#include "cli.h"
#include "eval.h"
#include "lower.h"
#include "mrsp_runtime.h"

#define POLICY(stem, table, path) extern const MrspPolicy table;
#include "policies.inc"
#undef POLICY

typedef struct Emitted {
  const char *stem;
  const MrspPolicy *table;
  const char *path;
} Emitted;

static const Emitted emitted[] = {
#define POLICY(stem, table, path) {#stem, &table, path},
#include "policies.inc"
#undef POLICY
};
enum { EMITTED = sizeof emitted / sizeof emitted[0], ROUNDS = 5 };

typedef struct Cases {
  uint64_t *known, *values;
  size_t count;
  int known_words, value_words;
} Cases;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static char *read_file(const char *path, size_t *length) {
  FILE *in = fopen(path, "rb");
  if (!in)
    return NULL;
  fseek(in, 0, SEEK_END);
  *length = (size_t)ftell(in);
  fseek(in, 0, SEEK_SET);
  char *text = malloc(*length + 1);
  if (fread(text, 1, *length, in) != *length)
    *length = 0;
  text[*length] = '\0';
  fclose(in);
  return text;
}

/* Every valid line of the file, as cases of program. */
static Cases load_cases(const Lowered *program, const char *text, size_t length) {
  size_t lines = 0;
  for (size_t i = 0; i < length; i++)
    lines += text[i] == '\n';
  Cases cases = {NULL, NULL, 0, program->known_words, program->value_words};
  cases.known = calloc(lines + 1, (size_t)cases.known_words * sizeof *cases.known);
  cases.values = calloc(lines + 1, (size_t)cases.value_words * sizeof *cases.values);
  CaseReader *reader = case_reader_new(program);
  for (const char *line = text; line < text + length;) {
    const char *end = memchr(line, '\n', (size_t)(text + length - line));
    if (!end)
      end = text + length;
    Case facts = {cases.known + cases.count * (size_t)cases.known_words,
                  cases.values + cases.count * (size_t)cases.value_words};
    if (end > line && case_read_json(reader, line, (size_t)(end - line), &facts, 1) == 0)
      cases.count++;
    line = end + 1;
  }
  case_reader_free(reader);
  return cases;
}

typedef const MrspResult *(*RuntimeRun)(MrspWork *, const MrspCase *);

/* Seconds of the best pass; counts of each decision into counts. */
static double time_runtime(const MrspPolicy *table, const Cases *cases, RuntimeRun run,
                           long counts[MRSP_DECISION_COUNT]) {
  size_t size = mrsp_work_size(table);
  void *memory = malloc(size);
  MrspWork *work = mrsp_work_init(table, memory, size);
  double best = 1e9;
  for (int round = 0; round < ROUNDS; round++) {
    memset(counts, 0, MRSP_DECISION_COUNT * sizeof *counts);
    double start = now();
    for (size_t i = 0; i < cases->count; i++) {
      MrspCase request = {cases->known + i * (size_t)cases->known_words,
                          cases->values + i * (size_t)cases->value_words};
      counts[run(work, &request)->decision]++;
    }
    double seconds = now() - start;
    best = seconds < best ? seconds : best;
  }
  free(memory);
  return best;
}

/* Whether mrsp_decide_only gives every case mrsp_decide's decision,
 * stage and rule (not timed). */
static bool decide_only_agrees(const MrspPolicy *table, const Cases *cases) {
  size_t size = mrsp_work_size(table);
  void *full_memory = malloc(size), *alone_memory = malloc(size);
  MrspWork *full = mrsp_work_init(table, full_memory, size);
  MrspWork *alone = mrsp_work_init(table, alone_memory, size);
  size_t differ = 0;
  for (size_t i = 0; i < cases->count; i++) {
    MrspCase request = {cases->known + i * (size_t)cases->known_words,
                        cases->values + i * (size_t)cases->value_words};
    const MrspResult *a = mrsp_decide(full, &request), *b = mrsp_decide_only(alone, &request);
    if (a->decision != b->decision || a->stage != b->stage || a->rule != b->rule)
      if (differ++ < 5)
        fprintf(stderr, "case %zu: mrsp_decide %s (stage %s, rule %d), alone %s (%s, %d)\n",
                i + 1, mrsp_decision_name(a->decision), mrsp_stage_name(a->stage), a->rule,
                mrsp_decision_name(b->decision), mrsp_stage_name(b->stage), b->rule);
  }
  free(full_memory);
  free(alone_memory);
  return differ == 0;
}

static double time_interpreter(const Lowered *program, const Cases *cases,
                               long counts[MRSP_DECISION_COUNT]) {
  Evaluator *evaluator = eval_new(program);
  double best = 1e9;
  for (int round = 0; round < ROUNDS; round++) {
    memset(counts, 0, MRSP_DECISION_COUNT * sizeof *counts);
    double start = now();
    for (size_t i = 0; i < cases->count; i++) {
      Case facts = {cases->known + i * (size_t)cases->known_words,
                    cases->values + i * (size_t)cases->value_words};
      counts[eval_run(evaluator, &facts)->decision]++;
    }
    double seconds = now() - start;
    best = seconds < best ? seconds : best;
  }
  return best;
}

static bool wanted(const char *stem, int argc, char **argv) {
  if (argc <= 2)
    return true;
  for (int i = 2; i < argc; i++)
    if (strcmp(argv[i], stem) == 0)
      return true;
  return false;
}

static void bench_policy(const Emitted *policy, const char *text, size_t length) {
  CommonOptions options = {0};
  int status;
  Program *program = cli_load_policy(policy->path, &options, &status);
  if (!program)
    exit(status);
  Lowered *lowered = lower_program(program);
  Cases cases = load_cases(lowered, text, length);
  long alone_counts[MRSP_DECISION_COUNT], runtime_counts[MRSP_DECISION_COUNT],
      evaluate_counts[MRSP_DECISION_COUNT], interpreter_counts[MRSP_DECISION_COUNT];
  double alone = time_runtime(policy->table, &cases, mrsp_decide_only, alone_counts);
  double runtime = time_runtime(policy->table, &cases, mrsp_decide, runtime_counts);
  double evaluate = time_runtime(policy->table, &cases, mrsp_evaluate, evaluate_counts);
  double interpreter = time_interpreter(lowered, &cases, interpreter_counts);
  bool agree = memcmp(runtime_counts, interpreter_counts, sizeof runtime_counts) == 0 &&
               memcmp(runtime_counts, evaluate_counts, sizeof runtime_counts) == 0 &&
               memcmp(runtime_counts, alone_counts, sizeof runtime_counts) == 0 &&
               decide_only_agrees(policy->table, &cases);
  printf("%-20s %9zu %5d %5d %12.0f %12.0f %12.0f %12.0f  %s\n", policy->stem, cases.count,
         policy->table->node_count, policy->table->test_count, (double)cases.count / alone,
         (double)cases.count / runtime, (double)cases.count / evaluate,
         (double)cases.count / interpreter, agree ? "agree" : "DISAGREE");
  printf("%-20s", "");
  for (int d = 0; d < MRSP_DECISION_COUNT; d++)
    printf(" %s %ld", mrsp_decision_name((MrspDecision)d), runtime_counts[d]);
  printf("\n");
  free(cases.known);
  free(cases.values);
  if (!agree)
    exit(1);
}

int main(int argc, char **argv) {
  GC_INIT();
  if (argc < 2) {
    fputs("usage: bench_runtime CASES.ndjson [POLICY_STEM...]\n", stderr);
    return 2;
  }
  size_t length;
  char *text = read_file(argv[1], &length);
  if (!text) {
    fprintf(stderr, "bench_runtime: cannot read '%s'\n", argv[1]);
    return 2;
  }
  printf("decisions per second, best of %d passes over the pre-loaded cases\n", ROUNDS);
  printf("%-20s %9s %5s %5s %12s %12s %12s %12s\n", "policy", "cases", "nodes", "tests",
         "decide only", "runtime", "evaluate", "interpreter");
  for (int i = 0; i < EMITTED; i++)
    if (wanted(emitted[i].stem, argc, argv))
      bench_policy(&emitted[i], text, length);
  free(text);
  return 0;
}
