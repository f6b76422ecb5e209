/* diag.h - diagnostics: errors, warnings and their notes.
 *
 * Phases report through diag_error / diag_warning and attach notes; the
 * reports are collected, in order, and rendered by the driver either in the
 * GCC form editors parse (file:line:col: error: message, the source line, a
 * caret under the range, then notes) or as JSON.  After DIAG_MAX_ERRORS
 * errors further reports are dropped and diag_limit_reached() turns true, so
 * a phase can stop early; the renderer says that it stopped.
 */
#ifndef MRSPC_DIAG_H
#define MRSPC_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "ast.h"

#define DIAG_MAX_ERRORS 20

#define SEVERITY_LIST(X)                                                  \
  X(SEV_ERROR, "error")                                                   \
  X(SEV_WARNING, "warning")                                               \
  X(SEV_NOTE, "note")

typedef enum Severity {
#define X(kind, word) kind,
  SEVERITY_LIST(X)
#undef X
} Severity;

typedef struct DiagNote {
  bool has_span;
  Span span;
  const char *message;
} DiagNote;

typedef struct Diagnostic {
  Severity severity;
  bool has_span;     /* false for whole-file problems (cannot read it) */
  Span span;
  const char *path;  /* when !has_span: the file it is about, or NULL */
  const char *message;
  DiagNote **notes;
  int note_count;
} Diagnostic;

Diagnostic *diag_error(Span span, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
Diagnostic *diag_warning(Span span, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
/* A problem with a whole file (path may be NULL for a usage problem). */
Diagnostic *diag_error_at_file(const char *path, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
/* Notes: with a place (shown with its own excerpt) or plain. */
void diag_note(Diagnostic *diagnostic, Span span, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
void diag_note_plain(Diagnostic *diagnostic, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Warnings become errors (check --werror). */
void diag_set_warnings_are_errors(bool on);

int diag_error_count(void);
/* Errors not counting warnings promoted by --werror: a phase that stops on
 * errors does not stop on those. */
int diag_hard_error_count(void);
bool diag_limit_reached(void);

/* The collected diagnostics, in the order reported. */
int diag_count(void);
Diagnostic *diag_get(int index);

/* Forgets everything collected (per document, in the language server). */
void diag_reset(void);

typedef enum ColorMode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } ColorMode;

/* Whether to colour output for stream under mode (auto: a terminal, and
 * NO_COLOR unset, and TERM not "dumb"). */
bool diag_use_color(FILE *stream, ColorMode mode);

/* Renders diagnostics [from, diag_count()) in the GCC form. */
void diag_render_text(FILE *stream, int from, bool color);

/* Renders all diagnostics as a JSON array (one line). */
void diag_render_json(FILE *stream);

/* One diagnostic as a jansson object (for the language server). */
struct json_t;
struct json_t *diag_to_json(const Diagnostic *diagnostic);

#endif
