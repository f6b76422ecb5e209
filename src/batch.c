/* batch.c - NDJSON cases in, one JSON result line out per line (batch.h).
 *
 * The input is read into a block buffer; complete lines are decided in
 * place and the partial last line moves to the front before the next read.
 * A line longer than the buffer grows it, up to BATCH_MAX_LINE; a longer
 * line is an error line and is skipped to its end.  Results are written
 * into an output block from fragments quoted once at the start, and the
 * block is written out whenever it fills or before the input is read
 * again, so a pipe sees each result as soon as its line is decided.
 */
#define _POSIX_C_SOURCE 200809L
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <gc.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "case.h"
#include "case_json.h"
#include "eval.h"
#include "explain.h"
#include "text.h"

enum { BLOCK = 1 << 20, OUT_BLOCK = 1 << 20 };
#define BATCH_MAX_LINE (64u * 1024u * 1024u)

typedef struct Output {
  FILE *stream;
  char *data;
  size_t length;
} Output;

/* A piece of output, its length known. */
typedef struct Fragment {
  const char *text;
  size_t length;
} Fragment;

/* The JSON fragments of results, quoted once. */
typedef struct Fragments {
  Fragment policy;                   /* ,"policy":"P" */
  Fragment decided[DECISION_COUNT];  /* ,"decision":"D" */
  Fragment decision[DECISION_COUNT]; /* "D" */
  Fragment stage[STAGE_COUNT];       /* ,"stage":"S" */
  Fragment *rule;                    /* ,"rule":"R" per rule */
  Fragment possible[DECISION_COUNT]; /* ,"possible":["D"] for decided */
  Fragment *fact;                    /* "name" per fact */
  Fragment *note;                    /* "name" per note */
} Fragments;

typedef struct Batch {
  const Lowered *program;
  CaseReader *reader;
  Evaluator *evaluator;
  Case *facts;
  Fragments fragments;
  Output out;
  /* counts for the summary */
  long long lines, blank, errors, decided[DECISION_COUNT];
  /* progress */
  bool progress;
  long long total_bytes, read_bytes;
  double started, last_progress;
} Batch;

/* ---- output ---------------------------------------------------------------- */

static void flush_output(Output *out) {
  if (out->length)
    fwrite(out->data, 1, out->length, out->stream);
  out->length = 0;
  fflush(out->stream);
}

static inline void put(Output *out, const char *bytes, size_t length) {
  if (out->length + length > OUT_BLOCK) {
    fwrite(out->data, 1, out->length, out->stream);
    out->length = 0;
    if (length > OUT_BLOCK) {
      fwrite(bytes, 1, length, out->stream);
      return;
    }
  }
  memcpy(out->data + out->length, bytes, length);
  out->length += length;
}

static inline void put_string(Output *out, const char *text) {
  put(out, text, strlen(text));
}

static void put_number(Output *out, long long number) {
  char digits[24];
  int length = 0;
  do {
    digits[sizeof digits - 1 - length++] = (char)('0' + number % 10);
    number /= 10;
  } while (number > 0);
  put(out, digits + sizeof digits - length, (size_t)length);
}

/* text as a JSON string, quotes included. */
static const char *json_quote(const char *text) {
  TextBuffer out = {0};
  text_append(&out, "\"", 1);
  for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
    if (*s == '"' || *s == '\\')
      text_appendf(&out, "\\%c", *s);
    else if (*s < 0x20)
      text_appendf(&out, "\\u%04x", *s);
    else
      text_append(&out, (const char *)s, 1);
  }
  text_append(&out, "\"", 1);
  return text_finish(&out);
}

static Fragment fragment(const char *text) {
  return (Fragment){text, strlen(text)};
}

static inline void put_fragment(Output *out, Fragment f) {
  put(out, f.text, f.length);
}

static void prepare_fragments(Batch *b) {
  const Lowered *program = b->program;
  Fragments *f = &b->fragments;
  f->policy = fragment(text_format(",\"policy\":%s", json_quote(program->name)));
  for (int d = 0; d < DECISION_COUNT; d++) {
    const char *name = json_quote(decision_name((Decision)d));
    f->decision[d] = fragment(name);
    f->decided[d] = fragment(text_format(",\"decision\":%s", name));
    f->possible[d] = fragment(text_format(",\"possible\":[%s]", name));
  }
  for (int s = 0; s < STAGE_COUNT; s++)
    f->stage[s] = fragment(text_format(",\"stage\":%s", json_quote(low_stage_name((LowStage)s))));
  f->rule = GC_MALLOC(((size_t)program->rule_count + 1) * sizeof *f->rule);
  for (int r = 0; r < program->rule_count; r++)
    f->rule[r] = fragment(text_format(",\"rule\":%s", json_quote(program->rules[r].name)));
  f->fact = GC_MALLOC(((size_t)program->fact_count + 1) * sizeof *f->fact);
  for (int i = 0; i < program->fact_count; i++)
    f->fact[i] = fragment(json_quote(program->facts[i].name));
  f->note = GC_MALLOC(((size_t)program->note_count + 1) * sizeof *f->note);
  for (int i = 0; i < program->note_count; i++)
    f->note[i] = fragment(json_quote(explain_note_name(program, i)));
}

static void put_list(Output *out, const Fragment *names, const int *indices, int count) {
  put(out, "[", 1);
  for (int i = 0; i < count; i++) {
    if (i)
      put(out, ",", 1);
    put_fragment(out, names[indices[i]]);
  }
  put(out, "]", 1);
}

#define PUT_LITERAL(out, text) put(out, text, sizeof text - 1)

static void write_result(Batch *b, long long line, const EvalResult *result) {
  Output *out = &b->out;
  const Fragments *f = &b->fragments;
  PUT_LITERAL(out, "{\"line\":");
  put_number(out, line);
  put_fragment(out, f->policy);
  put_fragment(out, f->decided[result->decision]);
  put_fragment(out, f->stage[result->stage]);
  if (result->rule >= 0)
    put_fragment(out, f->rule[result->rule]);
  else
    PUT_LITERAL(out, ",\"rule\":null");
  PUT_LITERAL(out, ",\"missing\":");
  put_list(out, f->fact, result->missing, result->missing_count);
  if (result->decision == DECISION_UNDETERMINED) {
    PUT_LITERAL(out, ",\"possible\":[");
    bool first = true;
    for (int d = 0; d < DECISION_COUNT; d++) {
      if (!(result->possible >> d & 1))
        continue;
      if (!first)
        put(out, ",", 1);
      first = false;
      put_fragment(out, f->decision[d]);
    }
    put(out, "]", 1);
  } else {
    put_fragment(out, f->possible[result->decision]);
  }
  PUT_LITERAL(out, ",\"notes\":");
  put_list(out, f->note, result->notes, result->note_count);
  PUT_LITERAL(out, "}\n");
}

static void write_error(Batch *b, long long line, int column, const char *message) {
  Output *out = &b->out;
  PUT_LITERAL(out, "{\"line\":");
  put_number(out, line);
  put_fragment(out, b->fragments.policy);
  PUT_LITERAL(out, ",\"error\":");
  put_string(out, json_quote(text_format("line %lld, column %d: %s", line, column, message)));
  PUT_LITERAL(out, "}\n");
  b->errors++;
}

/* ---- lines ----------------------------------------------------------------- */

static bool blank(const char *text, size_t length) {
  for (size_t i = 0; i < length; i++)
    if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r')
      return false;
  return true;
}

static void decide_line(Batch *b, const char *text, size_t length) {
  long long line = ++b->lines;
  if (length && text[length - 1] == '\r')
    length--;
  if (length == 0 || (text[0] != '{' && blank(text, length))) {
    b->blank++;
    return;
  }
  /* the input block is allocated with CASE_JSON_PADDING bytes to spare */
  if (case_read_padded(b->reader, text, length, b->facts, 1)) {
    const CaseError *error = case_reader_error(b->reader, 0);
    write_error(b, line, error->column, error->message);
    return;
  }
  const EvalResult *result = eval_run(b->evaluator, b->facts);
  b->decided[result->decision]++;
  write_result(b, line, result);
}

/* ---- time and progress ----------------------------------------------------- */

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void show_progress(Batch *b) {
  double t = now();
  if (t - b->last_progress < 0.25)
    return;
  b->last_progress = t;
  double elapsed = t - b->started;
  fprintf(stderr, "\r%3d%%  %lld lines  %.0f cases/s ",
          (int)(100.0 * (double)b->read_bytes / (double)b->total_bytes), b->lines,
          elapsed > 0 ? (double)b->lines / elapsed : 0.0);
  fflush(stderr);
}

static void summary(Batch *b, double seconds) {
  if (b->progress)
    fprintf(stderr, "\r%*s\r", 60, "");
  long long cases = b->lines - b->blank - b->errors;
  fprintf(stderr, "batch %s: %lld lines: %lld decided, %lld errors, %lld blank\n",
          b->program->name, b->lines, cases, b->errors, b->blank);
  for (int d = 0; d < DECISION_COUNT; d++)
    fprintf(stderr, "  %-24s %lld\n", decision_name((Decision)d), b->decided[d]);
  fprintf(stderr, "time: %.3f s, %.0f cases/s\n", seconds,
          seconds > 0 ? (double)(b->lines - b->blank) / seconds : 0.0);
}

/* ---- the input ------------------------------------------------------------- */

typedef struct Input {
  int fd;
  char *data;
  size_t capacity, length;   /* bytes held */
  bool eof;
} Input;

/* Appends what the next read gives; false on a read error. */
static bool fill(Batch *b, Input *in) {
  flush_output(&b->out);
  for (;;) {
    ssize_t got = read(in->fd, in->data + in->length, in->capacity - in->length);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return false;
    if (got == 0)
      in->eof = true;
    in->length += (size_t)got;
    b->read_bytes += got;
    return true;
  }
}

/* The buffer is full of one unfinished line: grow it, or give up on the
 * line (an error line; its rest is skipped). */
static bool make_room(Batch *b, Input *in, bool *skipping) {
  if (in->capacity < BATCH_MAX_LINE) {
    size_t capacity = in->capacity * 2;
    char *bigger = GC_MALLOC_ATOMIC(capacity + CASE_JSON_PADDING);
    memcpy(bigger, in->data, in->length);
    in->data = bigger;
    in->capacity = capacity;
    return true;
  }
  if (!*skipping) {
    long long line = b->lines + 1;
    write_error(b, line, 1, text_format("the line is longer than %u MiB", BATCH_MAX_LINE >> 20));
  }
  *skipping = true;
  in->length = 0;
  return false;
}

/* Decides every complete line held; keeps the unfinished rest. */
static void drain(Batch *b, Input *in, bool *skipping) {
  size_t start = 0;
  for (;;) {
    char *newline = memchr(in->data + start, '\n', in->length - start);
    if (!newline)
      break;
    size_t end = (size_t)(newline - in->data);
    if (*skipping) {
      b->lines++;
      *skipping = false;
    } else {
      decide_line(b, in->data + start, end - start);
    }
    start = end + 1;
    if (b->progress && (b->lines & 0xFFFF) == 0)
      show_progress(b);
  }
  memmove(in->data, in->data + start, in->length - start);
  in->length -= start;
}

static int open_input(const char *path, Batch *b) {
  if (strcmp(path, "-") == 0)
    return STDIN_FILENO;
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return -1;
  struct stat info;
  if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
    b->total_bytes = (long long)info.st_size;
    b->progress = isatty(STDERR_FILENO) && info.st_size > (off_t)BATCH_PROGRESS_BYTES;
  }
  return fd;
}

int batch_run(const Lowered *program, const char *path, FILE *out) {
  Batch *b = GC_NEW(Batch);
  b->program = program;
  b->reader = case_reader_new(program);
  b->evaluator = eval_new(program);
  b->facts = case_new(program);
  b->out = (Output){out, GC_MALLOC_ATOMIC(OUT_BLOCK), 0};
  prepare_fragments(b);
  Input in = {open_input(path, b), GC_MALLOC_ATOMIC(BLOCK + CASE_JSON_PADDING), BLOCK, 0, false};
  if (in.fd < 0) {
    fprintf(stderr, "mrspc eval: cannot read '%s': %s\n", path, strerror(errno));
    case_reader_free(b->reader);
    return 2;
  }
  b->started = now();
  /* the first update comes at the first 65,536 lines, however soon; then at
   * most four a second */
  b->last_progress = b->started - 1.0;
  bool skipping = false;
  while (!in.eof) {
    if (in.length == in.capacity && !make_room(b, &in, &skipping))
      continue;
    if (!fill(b, &in)) {
      fprintf(stderr, "mrspc eval: error reading '%s': %s\n", path, strerror(errno));
      flush_output(&b->out);
      case_reader_free(b->reader);
      return 2;
    }
    drain(b, &in, &skipping);
  }
  if (in.length > 0 && !skipping)
    decide_line(b, in.data, in.length); /* the last line had no newline */
  else if (skipping)
    b->lines++;
  flush_output(&b->out);
  case_reader_free(b->reader);
  if (in.fd != STDIN_FILENO)
    close(in.fd);
  summary(b, now() - b->started);
  return b->errors ? 1 : 0;
}
