/* lsp_internal.h - the language server's state, shared by its files.
 *
 * lsp.c (documents, diagnostics, dispatch) keeps the state below;
 * lsp_transport.c reads and writes the messages, lsp_query.c and
 * lsp_complete.c answer the requests about a document.  Not for other
 * phases: they see lsp.h.
 */
#ifndef MRSPC_LSP_INTERNAL_H
#define MRSPC_LSP_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ast.h"
#include "check.h"
#include "diag.h"
#include "loader.h"
#include "source.h"

/* Line starts of one text, for offset <-> position conversions. */
typedef struct LineIndex {
  const char *text;
  uint32_t length;
  uint32_t *starts; /* byte offset of each line's first byte */
  int count;
} LineIndex;

/* One check of one document, with the source table as it was after it. */
typedef struct Analysis {
  Program *program;
  int root;                 /* the document's source index */
  const SourceFile **files; /* the source table, by index */
  LineIndex **lines;        /* per file, built on first use */
  int file_count;
  Diagnostic **diagnostics;
  int diagnostic_count;
  bool stopped;             /* the error limit was reached */
} Analysis;

typedef struct Document {
  const char *uri;
  const char *path;  /* the file the URI names: where 'use' looks first */
  char *text;
  uint32_t length;
  json_int_t version;
  Analysis *current; /* the check of text */
  Analysis *known;   /* the latest check that declared names, or NULL */
} Document;

typedef enum Phase {
  PHASE_STARTING,      /* before 'initialize' */
  PHASE_RUNNING,       /* after it */
  PHASE_SHUTTING_DOWN, /* after 'shutdown': only 'exit' is served */
} Phase;

typedef struct Server {
  FILE *in, *out;
  Phase phase;
  bool exiting;
  const SearchPath *search;
  bool related_information; /* the client shows notes at their own places */
  bool markdown;            /* the client renders Markdown hovers */
  PtrList documents;        /* Document * */
  Analysis *schema;         /* the schema alone, checked on first need */
} Server;

typedef struct RpcError {
  int code; /* 0: no error */
  const char *message;
} RpcError;

typedef enum ReadStatus {
  READ_MESSAGE,    /* a body was read */
  READ_END,        /* end of input */
  READ_BAD_HEADER, /* the header block was malformed */
  READ_TOO_LARGE,  /* the body was over BODY_MAX and was skipped */
} ReadStatus;

typedef struct Incoming {
  char *body; /* malloc'd, NUL-terminated */
  size_t length;
  const char *problem; /* READ_BAD_HEADER, READ_TOO_LARGE: why */
  bool skipped;        /* bytes before the header were not a header */
} Incoming;

typedef enum MeaningKind {
  MEANS_NOTHING,
  MEANS_FACT,
  MEANS_CRITERION,
  MEANS_ENUM,
  MEANS_MEMBER,
  MEANS_SECTION,
} MeaningKind;

typedef struct Meaning {
  MeaningKind kind;
  const Analysis *where; /* the analysis whose source table holds its spans */
  FactDecl *fact;
  Criterion *criterion;
  EnumDecl *enumeration; /* MEANS_ENUM, and MEANS_MEMBER's enum */
  EnumMember *member;
  Section *section;
} Meaning;

/* ---- lsp_transport.c: JSON helpers, framing, replies --------------------- */

void lsp_log_line(const char *format, ...) __attribute__((format(printf, 1, 2)));
json_t *lsp_json_text(const char *text);
json_t *lsp_field(json_t *object, const char *key);
const char *lsp_string_field(json_t *object, const char *key);
json_int_t lsp_count_field(json_t *object, const char *key);
bool lsp_array_has_string(json_t *array, const char *wanted);
char lsp_lower(char c);
ReadStatus lsp_read_message(Server *server, Incoming *message);
void lsp_send_result(Server *server, json_t *id, json_t *result);
void lsp_send_error(Server *server, json_t *id, int code, const char *text);
void lsp_send_notification(Server *server, const char *method, json_t *params);

/* ---- lsp.c: analyses and documents --------------------------------------- */

Module *lsp_root_module(const Analysis *analysis);
const Analysis *lsp_known_analysis(Server *server, const Document *document);
json_t *lsp_range_json(const Analysis *analysis, Span span);
json_t *lsp_location_json(const Document *document, const Analysis *analysis, Span span);
Document *lsp_param_document(Server *server, json_t *params, bool *unknown, RpcError *error);
Document *lsp_param_cursor(Server *server, json_t *params, uint32_t *offset, RpcError *error);

/* ---- lsp_query.c: positions, URIs, names, hover, definition, symbols ----- */

LineIndex *lsp_line_index(const char *text, uint32_t length);
int lsp_line_of(const LineIndex *index, uint32_t offset);
json_t *lsp_position_json(const LineIndex *index, uint32_t offset);
uint32_t lsp_position_offset(const LineIndex *index, json_int_t line, json_int_t character);
const char *lsp_uri_to_path(const char *uri);
const char *lsp_path_to_uri(const char *path);
Decl *lsp_root_decl(const Analysis *analysis, DeclKind kind, const char *name);
bool lsp_stale(const Document *document, const Analysis *analysis, Span span);
Meaning lsp_find_fact(Server *server, const Document *document, const char *name);
TypeKind lsp_fact_kind(const FactDecl *fact);
Meaning lsp_fact_enum(Server *server, const Document *document, Meaning fact);
bool lsp_is_word_char(char c);
const char *lsp_fact_type_text(const FactDecl *fact);
json_t *lsp_handle_hover(Server *server, json_t *params, RpcError *error);
json_t *lsp_handle_definition(Server *server, json_t *params, RpcError *error);
json_t *lsp_handle_document_symbol(Server *server, json_t *params, RpcError *error);

/* ---- lsp_complete.c ------------------------------------------------------ */

json_t *lsp_handle_completion(Server *server, json_t *params, RpcError *error);

#endif
