/* diag.c - collecting and rendering diagnostics.
 *
 * See diag.h.  Rendering never writes a raw control byte to the terminal:
 * excerpts of binary or very long lines are cleaned and windowed around the
 * reported range.
 */
#define _POSIX_C_SOURCE 200809L /* fileno, isatty */
#include "diag.h"

#include <gc.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"
#include "text.h"

static Diagnostic **diagnostics;
static int count, capacity;
static int errors;
static int promoted; /* warnings reported as errors (--werror) */
static bool limit_reached;
static bool warnings_are_errors;

/* Reports past the error limit go here, so callers need no NULL checks. */
static Diagnostic discarded;

static const char *severity_word(Severity severity) {
  static const char *const words[] = {
#define X(kind, word) word,
      SEVERITY_LIST(X)
#undef X
  };
  return words[severity];
}

static Diagnostic *record(Severity severity, bool has_span, Span span,
                          const char *path, const char *message) {
  bool promote = severity == SEV_WARNING && warnings_are_errors;
  if (promote)
    severity = SEV_ERROR;
  if (limit_reached) {
    memset(&discarded, 0, sizeof discarded);
    return &discarded;
  }
  if (severity == SEV_ERROR && errors == DIAG_MAX_ERRORS) {
    limit_reached = true;
    memset(&discarded, 0, sizeof discarded);
    return &discarded;
  }
  if (count == capacity) {
    capacity = capacity ? capacity * 2 : 32;
    diagnostics = GC_REALLOC(diagnostics, (size_t)capacity * sizeof *diagnostics);
  }
  Diagnostic *diagnostic = GC_NEW(Diagnostic);
  diagnostic->severity = severity;
  diagnostic->has_span = has_span;
  diagnostic->span = span;
  diagnostic->path = path;
  diagnostic->message = message;
  diagnostics[count++] = diagnostic;
  errors += severity == SEV_ERROR;
  promoted += promote;
  return diagnostic;
}

Diagnostic *diag_error(Span span, const char *format, ...) {
  va_list args;
  va_start(args, format);
  const char *message = text_vformat(format, args);
  va_end(args);
  return record(SEV_ERROR, true, span, NULL, message);
}

Diagnostic *diag_warning(Span span, const char *format, ...) {
  va_list args;
  va_start(args, format);
  const char *message = text_vformat(format, args);
  va_end(args);
  return record(SEV_WARNING, true, span, NULL, message);
}

Diagnostic *diag_error_at_file(const char *path, const char *format, ...) {
  va_list args;
  va_start(args, format);
  const char *message = text_vformat(format, args);
  va_end(args);
  Span none = {-1, 0, 0};
  return record(SEV_ERROR, false, none, path, message);
}

static void add_note(Diagnostic *diagnostic, bool has_span, Span span, const char *message) {
  if (diagnostic == &discarded || !diagnostic)
    return;
  DiagNote *note = GC_NEW(DiagNote);
  note->has_span = has_span;
  note->span = span;
  note->message = message;
  diagnostic->notes = GC_REALLOC(diagnostic->notes,
                                 (size_t)(diagnostic->note_count + 1) * sizeof *diagnostic->notes);
  diagnostic->notes[diagnostic->note_count++] = note;
}

void diag_note(Diagnostic *diagnostic, Span span, const char *format, ...) {
  va_list args;
  va_start(args, format);
  const char *message = text_vformat(format, args);
  va_end(args);
  add_note(diagnostic, true, span, message);
}

void diag_note_plain(Diagnostic *diagnostic, const char *format, ...) {
  va_list args;
  va_start(args, format);
  const char *message = text_vformat(format, args);
  va_end(args);
  Span none = {-1, 0, 0};
  add_note(diagnostic, false, none, message);
}

void diag_set_warnings_are_errors(bool on) {
  warnings_are_errors = on;
}

int diag_error_count(void) {
  return errors;
}


int diag_hard_error_count(void) {
  return errors - promoted;
}

bool diag_limit_reached(void) {
  return limit_reached;
}

int diag_count(void) {
  return count;
}

Diagnostic *diag_get(int index) {
  return diagnostics[index];
}

void diag_reset(void) {
  diagnostics = NULL;
  count = capacity = errors = promoted = 0;
  limit_reached = false;
}

bool diag_use_color(FILE *stream, ColorMode mode) {
  if (mode != COLOR_AUTO)
    return mode == COLOR_ALWAYS;
  const char *no_color = getenv("NO_COLOR");
  if (no_color && *no_color)
    return false;
  const char *term = getenv("TERM");
  if (term && strcmp(term, "dumb") == 0)
    return false;
  return isatty(fileno(stream));
}

/* ---- text rendering --------------------------------------------------- */

enum { EXCERPT_WIDTH = 160, EXCERPT_LEAD = 60 };

typedef struct Palette {
  const char *bold, *error, *warning, *note, *caret, *reset;
} Palette;

static Palette palette(bool color) {
  Palette p = {"", "", "", "", "", ""};
  if (color) {
    p.bold = "\033[1m";
    p.error = "\033[1;31m";
    p.warning = "\033[1;35m";
    p.note = "\033[1;36m";
    p.caret = "\033[1;32m";
    p.reset = "\033[0m";
  }
  return p;
}

static const char *severity_color(const Palette *p, Severity severity) {
  return severity == SEV_ERROR ? p->error : severity == SEV_WARNING ? p->warning : p->note;
}

static void print_location(FILE *out, const Palette *p, Span span) {
  const SourceFile *file = source_get(span.file);
  SourcePosition position = source_position(span.file, span.begin);
  fprintf(out, "%s%s:%d:%d:%s ", p->bold, file ? file->path : "<unknown>", position.line,
          position.column, p->reset);
}

/* Moves a byte index back to the start of the UTF-8 character holding it. */
static uint32_t char_start(const char *line, uint32_t index) {
  while (index > 0 && ((unsigned char)line[index] & 0xC0) == 0x80)
    index--;
  return index;
}

/* The source line holding span.begin, cleaned and windowed, with a caret
 * line under the range. */
static void print_excerpt(FILE *out, const Palette *p, Span span) {
  const SourceFile *file = source_get(span.file);
  if (!file)
    return;
  SourcePosition position = source_position(span.file, span.begin);
  uint32_t length;
  const char *line = source_line(span.file, position.line, &length);
  uint32_t line_offset = (uint32_t)(line - file->text);
  uint32_t start = span.begin - line_offset;
  uint32_t end = span.end > span.begin ? span.end - line_offset : start;
  if (start > length)
    start = length;
  if (end > length)
    end = length;

  uint32_t window_begin = 0, window_end = length;
  if (length > EXCERPT_WIDTH) {
    window_begin = start > EXCERPT_LEAD ? char_start(line, start - EXCERPT_LEAD) : 0;
    window_end = window_begin + EXCERPT_WIDTH < length
                     ? char_start(line, window_begin + EXCERPT_WIDTH)
                     : length;
    if (end > window_end)
      end = window_end;
  }

  TextBuffer shown = {0}, marks = {0};
  if (window_begin > 0) {
    text_append(&shown, "...", 3);
    text_append(&marks, "   ", 3);
  }
  uint32_t i = window_begin;
  while (i < window_end) {
    uint32_t c;
    size_t n = text_decode_utf8(line + i, window_end - i, &c);
    bool clean = n > 0 && c >= 0x20 && c != 0x7F;
    if (clean)
      text_append(&shown, line + i, n);
    else
      text_append(&shown, n > 0 && c == '\t' ? " " : "?", 1);
    const char *mark = i < start ? " " : i == start ? "^" : i < end ? "~" : NULL;
    if (mark)
      text_append(&marks, mark, 1);
    i += n > 0 ? (uint32_t)n : 1;
  }
  if (start >= window_end)
    text_append(&marks, "^", 1);
  if (window_end < length)
    text_append(&shown, "...", 3);

  char number[16];
  int digits = snprintf(number, sizeof number, "%d", position.line);
  int width = digits < 5 ? 5 : digits + 1;
  fprintf(out, "%*s | %s\n", width, number, text_finish(&shown));
  /* trailing spaces of the caret line are not printed */
  const char *caret = text_finish(&marks);
  size_t caret_length = strlen(caret);
  while (caret_length > 0 && caret[caret_length - 1] == ' ')
    caret_length--;
  fprintf(out, "%*s | %s%.*s%s\n", width, "", p->caret, (int)caret_length, caret, p->reset);
}

static void render_one(FILE *out, const Palette *p, const Diagnostic *d) {
  if (d->has_span)
    print_location(out, p, d->span);
  else if (d->path)
    fprintf(out, "%s%s:%s ", p->bold, d->path, p->reset);
  else
    fprintf(out, "%smrspc:%s ", p->bold, p->reset);
  fprintf(out, "%s%s:%s %s\n", severity_color(p, d->severity), severity_word(d->severity),
          p->reset, d->message);
  if (d->has_span)
    print_excerpt(out, p, d->span);
  for (int i = 0; i < d->note_count; i++) {
    const DiagNote *note = d->notes[i];
    if (note->has_span)
      print_location(out, p, note->span);
    fprintf(out, "%snote:%s %s\n", p->note, p->reset, note->message);
    if (note->has_span)
      print_excerpt(out, p, note->span);
  }
}

void diag_render_text(FILE *stream, int from, bool color) {
  Palette p = palette(color);
  for (int i = from; i < count; i++)
    render_one(stream, &p, diagnostics[i]);
  if (limit_reached && from <= count) {
    fprintf(stream, "%smrspc:%s %sfatal error:%s too many errors (%d); stopping here\n", p.bold,
            p.reset, p.error, p.reset, DIAG_MAX_ERRORS);
  }
}

/* ---- JSON rendering --------------------------------------------------- */

static void put_range(json_t *object, Span span) {
  const SourceFile *file = source_get(span.file);
  SourcePosition begin = source_position(span.file, span.begin);
  SourcePosition end = source_position(span.file, span.end);
  json_object_set_new(object, "file", json_string(file ? file->path : ""));
  json_object_set_new(object, "line", json_integer(begin.line));
  json_object_set_new(object, "column", json_integer(begin.column));
  json_object_set_new(object, "end_line", json_integer(end.line));
  json_object_set_new(object, "end_column", json_integer(end.column));
}

/* jansson refuses strings that are not UTF-8; messages may quote bad bytes. */
static json_t *safe_string(const char *text) {
  json_t *value = json_string(text);
  return value ? value : json_string(text_printable(text, strlen(text)));
}

json_t *diag_to_json(const Diagnostic *d) {
  json_t *object = json_object();
  if (d->has_span)
    put_range(object, d->span);
  else if (d->path)
    json_object_set_new(object, "file", safe_string(d->path));
  json_object_set_new(object, "severity", json_string(severity_word(d->severity)));
  json_object_set_new(object, "message", safe_string(d->message));
  json_t *notes = json_array();
  for (int i = 0; i < d->note_count; i++) {
    json_t *note = json_object();
    if (d->notes[i]->has_span)
      put_range(note, d->notes[i]->span);
    json_object_set_new(note, "message", safe_string(d->notes[i]->message));
    json_array_append_new(notes, note);
  }
  json_object_set_new(object, "notes", notes);
  return object;
}

void diag_render_json(FILE *stream) {
  json_t *array = json_array();
  for (int i = 0; i < count; i++)
    json_array_append_new(array, diag_to_json(diagnostics[i]));
  if (limit_reached) {
    json_t *object = json_object();
    json_object_set_new(object, "severity", json_string("error"));
    json_object_set_new(object, "message",
                        json_string(text_format("too many errors (%d); stopping here",
                                                DIAG_MAX_ERRORS)));
    json_object_set_new(object, "notes", json_array());
    json_array_append_new(array, object);
  }
  json_dumpf(array, stream, JSON_COMPACT | JSON_ENSURE_ASCII);
  fputc('\n', stream);
  json_decref(array);
}
