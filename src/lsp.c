/* lsp.c - the language server: LSP messages on stdio to the front end.
 *
 * Takes Language Server Protocol messages on standard input and answers on
 * standard output, in this order of layers:
 *   transport    Content-Length framing, with bounded headers and bodies
 *                (lsp_transport.c);
 *   dispatch     JSON-RPC requests and notifications, the lifecycle
 *                (initialize, shutdown, exit) and the error replies;
 *   documents    open documents, full-text sync, one check per change;
 *   positions    byte offsets <-> LSP positions (0-based lines, UTF-16 units;
 *                lsp_query.c);
 *   diagnostics  the checker's reports as textDocument/publishDiagnostics;
 *   queries      hover, definition and document symbols (lsp_query.c),
 *                completion (lsp_complete.c).
 *
 * Every change re-checks the whole document with check_program, after
 * resetting the front end's global tables (source_reset, diag_reset).  The
 * Analysis it produces keeps its own copy of the source table, so its spans
 * stay readable after other documents are checked.  A query reads the
 * document's latest syntax tree to find what is under the cursor (the tree
 * holds every declaration that parsed, even in a file with syntax errors)
 * and the latest program that got as far as declaring names to say what a
 * name means: while the author is mid-edit, the facts, enums and criteria of
 * the last good text still answer.
 *
 * Invariants: only protocol messages go to standard output; a malformed
 * message gets a JSON-RPC error and the server goes on; jansson values are
 * released after each message; everything else is on the collected heap.
 */
#define _POSIX_C_SOURCE 200809L /* signal */
#include "lsp.h"

#include <gc.h>
#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "diag.h"
#include "loader.h"
#include "lsp_internal.h"
#include "source.h"
#include "text.h"

/* JSON-RPC error codes, and LSP's for a request before 'initialize'. */
enum {
  RPC_PARSE_ERROR = -32700,            /* not JSON, or a bad header */
  RPC_INVALID_REQUEST = -32600,        /* JSON, but not a request or notification */
  RPC_METHOD_NOT_FOUND = -32601,       /* a request for a method not served */
  RPC_INVALID_PARAMS = -32602,         /* params missing a field or of a wrong type */
  RPC_SERVER_NOT_INITIALIZED = -32002, /* a request before 'initialize' */
};

/* LSP's numbers for the kinds of things it shows. */
enum { SEVERITY_ERROR = 1, SEVERITY_WARNING = 2, SEVERITY_INFORMATION = 3 };
enum { SYNC_FULL = 1 };

/* ---- state --------------------------------------------------------------- */

/* The server, its documents and their analyses: lsp_internal.h. */

static json_t *fail(RpcError *error, int code, const char *message) {
  error->code = code;
  error->message = message;
  return NULL;
}

/* ---- analyses ------------------------------------------------------------ */

/* Checks text as the file path, with the front end's tables emptied first. */
static Analysis *analyse(const Server *server, const char *path, const char *text,
                         uint32_t length) {
  source_reset();
  diag_reset();
  Analysis *analysis = GC_NEW(Analysis);
  analysis->root = source_add(path, text, length);
  analysis->program = check_program(analysis->root, server->search);
  int files = source_count();
  analysis->file_count = files;
  analysis->files = GC_MALLOC((size_t)(files + 1) * sizeof *analysis->files);
  analysis->lines = GC_MALLOC((size_t)(files + 1) * sizeof *analysis->lines);
  for (int i = 0; i < files; i++)
    analysis->files[i] = source_get(i);
  int count = diag_count();
  analysis->diagnostic_count = count;
  analysis->diagnostics = GC_MALLOC((size_t)(count + 1) * sizeof *analysis->diagnostics);
  for (int i = 0; i < count; i++)
    analysis->diagnostics[i] = diag_get(i);
  analysis->stopped = diag_limit_reached();
  return analysis;
}

/* Whether the check got as far as declaring names (no syntax errors). */
static bool declared(const Analysis *analysis) {
  return analysis->program->fact_count > 0;
}

Module *lsp_root_module(const Analysis *analysis) {
  return analysis->program->modules[0].module;
}

static LineIndex *lines_of(const Analysis *analysis, int file) {
  if (file < 0 || file >= analysis->file_count)
    return NULL;
  if (!analysis->lines[file])
    analysis->lines[file] =
        lsp_line_index(analysis->files[file]->text, analysis->files[file]->length);
  return analysis->lines[file];
}

/* What answers for names when the document never declared any: the schema
 * alone, as an empty policy sees it. */
static const Analysis *schema_analysis(Server *server) {
  if (!server->schema)
    server->schema = analyse(server, "<schema>", "", 0);
  return server->schema;
}

const Analysis *lsp_known_analysis(Server *server, const Document *document) {
  if (document->known)
    return document->known;
  return schema_analysis(server);
}

json_t *lsp_range_json(const Analysis *analysis, Span span) {
  LineIndex *index = lines_of(analysis, span.file);
  if (!index)
    index = lines_of(analysis, analysis->root);
  uint32_t end = span.end < span.begin ? span.begin : span.end;
  return json_pack("{s:o,s:o}", "start", lsp_position_json(index, span.begin), "end",
                   lsp_position_json(index, end));
}

static const char *file_uri(const Document *document, const Analysis *analysis, int file) {
  if (file == analysis->root)
    return document->uri;
  return lsp_path_to_uri(analysis->files[file]->path);
}

json_t *lsp_location_json(const Document *document, const Analysis *analysis, Span span) {
  if (span.file < 0 || span.file >= analysis->file_count)
    return json_null();
  return json_pack("{s:o,s:o}", "uri", lsp_json_text(file_uri(document, analysis, span.file)),
                   "range", lsp_range_json(analysis, span));
}

/* "facts.mrsp:12:3", as 'mrspc check' writes a place (column in characters). */
static const char *place_text(const Analysis *analysis, Span span) {
  LineIndex *index = lines_of(analysis, span.file);
  if (!index)
    return "?";
  uint32_t offset = span.begin > index->length ? index->length : span.begin;
  int line = lsp_line_of(index, offset);
  uint32_t start = index->starts[line];
  return text_format("%s:%d:%zu", analysis->files[span.file]->path, line + 1,
                     text_char_count(index->text + start, offset - start) + 1);
}

/* ---- diagnostics --------------------------------------------------------- */

/* Where in the document to show a problem found in another file: on the
 * 'use' that brings that file in, else at the top. */
static Span anchor_in_root(const Analysis *analysis, const Diagnostic *diagnostic) {
  Span top = {analysis->root, 0, 0};
  if (!diagnostic->has_span)
    return top;
  const Program *program = analysis->program;
  const Module *root = lsp_root_module(analysis);
  for (int i = 0; i < root->count; i++) {
    const Decl *decl = root->decls[i];
    if (decl->kind != DECL_USE)
      continue;
    int module = decl->as.use->module;
    if (module >= 0 && module < program->module_count &&
        program->modules[module].module->file == diagnostic->span.file)
      return decl->as.use->span;
  }
  return top;
}

static json_t *related_json(const Document *document, const Analysis *analysis, Span span,
                            const char *message) {
  return json_pack("{s:o,s:o}", "location", lsp_location_json(document, analysis, span), "message",
                   lsp_json_text(message));
}

static int severity_number(Severity severity) {
  return severity == SEV_ERROR     ? SEVERITY_ERROR
         : severity == SEV_WARNING ? SEVERITY_WARNING
                                   : SEVERITY_INFORMATION;
}

/* Notes: a plain note ("did you mean ...?") is added to the message, as
 * 'mrspc check' prints it; a note with a place is related information, or
 * also part of the message for a client that cannot show related places. */
static void add_notes(const Server *server, const Document *document, const Analysis *analysis,
                      const Diagnostic *diagnostic, TextBuffer *message, json_t *related) {
  for (int i = 0; i < diagnostic->note_count; i++) {
    const DiagNote *note = diagnostic->notes[i];
    if (!note->has_span)
      text_appendf(message, "\nnote: %s", note->message);
    else if (server->related_information)
      json_array_append_new(related, related_json(document, analysis, note->span, note->message));
    else
      text_appendf(message, "\nnote: %s (%s)", note->message, place_text(analysis, note->span));
  }
}

static json_t *diagnostic_json(const Server *server, const Document *document,
                               const Analysis *analysis, const Diagnostic *diagnostic) {
  TextBuffer message = {0};
  json_t *related = json_array();
  Span where = diagnostic->span;
  bool elsewhere = !diagnostic->has_span || diagnostic->span.file != analysis->root;
  if (elsewhere) {
    where = anchor_in_root(analysis, diagnostic);
    if (diagnostic->has_span) {
      text_appendf(&message, "%s: ", place_text(analysis, diagnostic->span));
      json_array_append_new(related, related_json(document, analysis, diagnostic->span,
                                                  diagnostic->message));
    } else if (diagnostic->path) {
      text_appendf(&message, "%s: ", diagnostic->path);
    }
  }
  text_appendf(&message, "%s", diagnostic->message);
  add_notes(server, document, analysis, diagnostic, &message, related);
  json_t *out = json_pack("{s:o,s:i,s:s,s:o}", "range", lsp_range_json(analysis, where), "severity",
                          severity_number(diagnostic->severity), "source", "mrspc", "message",
                          lsp_json_text(text_finish(&message)));
  if (json_array_size(related) > 0 && server->related_information)
    json_object_set(out, "relatedInformation", related);
  json_decref(related);
  return out;
}

static void publish_diagnostics(Server *server, const Document *document) {
  const Analysis *analysis = document->current;
  json_t *list = json_array();
  for (int i = 0; i < analysis->diagnostic_count; i++)
    json_array_append_new(list, diagnostic_json(server, document, analysis,
                                                analysis->diagnostics[i]));
  if (analysis->stopped) {
    Span last = {analysis->root, analysis->files[analysis->root]->length,
                 analysis->files[analysis->root]->length};
    const char *message = text_format("too many errors (%d); mrspc stopped checking here",
                                      DIAG_MAX_ERRORS);
    json_array_append_new(list, json_pack("{s:o,s:i,s:s,s:s}", "range",
                                          lsp_range_json(analysis, last), "severity",
                                          SEVERITY_ERROR, "source", "mrspc", "message",
                                          message));
  }
  json_t *params = json_pack("{s:s,s:o}", "uri", document->uri, "diagnostics", list);
  if (document->version >= 0)
    json_object_set_new(params, "version", json_integer(document->version));
  lsp_send_notification(server, "textDocument/publishDiagnostics", params);
}

/* ---- documents ----------------------------------------------------------- */

static Document *find_document(Server *server, const char *uri) {
  for (int i = 0; i < server->documents.count; i++) {
    Document *document = server->documents.items[i];
    if (strcmp(document->uri, uri) == 0)
      return document;
  }
  return NULL;
}

static void set_text(Document *document, const char *text, size_t length) {
  document->text = GC_MALLOC_ATOMIC(length + 1);
  memcpy(document->text, text, length);
  document->text[length] = '\0';
  document->length = (uint32_t)length;
}

static void check_document(Server *server, Document *document) {
  document->current = analyse(server, document->path, document->text, document->length);
  if (declared(document->current))
    document->known = document->current;
  publish_diagnostics(server, document);
}

/* The open document params.textDocument.uri names.  NULL with an error
 * when params has no URI; NULL and *unknown set when it is not open. */
Document *lsp_param_document(Server *server, json_t *params, bool *unknown,
                             RpcError *error) {
  const char *uri = lsp_string_field(lsp_field(params, "textDocument"), "uri");
  *unknown = false;
  if (!uri) {
    fail(error, RPC_INVALID_PARAMS, "params.textDocument.uri must be a string");
    return NULL;
  }
  Document *document = find_document(server, uri);
  *unknown = document == NULL;
  return document;
}

/* The same for a notification, where a document that is not open is a
 * mistake worth a line in the log. */
static Document *notified_document(Server *server, json_t *params, RpcError *error) {
  bool unknown = false;
  Document *document = lsp_param_document(server, params, &unknown, error);
  if (unknown)
    fail(error, RPC_INVALID_PARAMS, "the document is not open");
  return document;
}

static json_t *handle_did_open(Server *server, json_t *params, RpcError *error) {
  json_t *item = lsp_field(params, "textDocument");
  const char *uri = lsp_string_field(item, "uri");
  json_t *text = lsp_field(item, "text");
  if (!uri || !json_is_string(text))
    return fail(error, RPC_INVALID_PARAMS,
                "didOpen needs params.textDocument.uri and params.textDocument.text");
  Document *document = find_document(server, uri);
  if (!document) {
    document = GC_NEW(Document);
    document->uri = GC_STRDUP(uri);
    document->path = lsp_uri_to_path(uri);
    ast_list_push(&server->documents, document);
  }
  set_text(document, json_string_value(text), json_string_length(text));
  document->version = lsp_count_field(item, "version");
  check_document(server, document);
  return NULL;
}

/* One change: the whole text, or (from a client that sends ranges anyway)
 * a range replaced. */
static bool apply_change(Document *document, json_t *change) {
  json_t *text = lsp_field(change, "text");
  if (!json_is_string(text))
    return false;
  json_t *range = lsp_field(change, "range");
  if (!range) {
    set_text(document, json_string_value(text), json_string_length(text));
    return true;
  }
  json_t *start = lsp_field(range, "start"), *end = lsp_field(range, "end");
  json_int_t lines[2] = {lsp_count_field(start, "line"), lsp_count_field(end, "line")};
  json_int_t characters[2] = {lsp_count_field(start, "character"),
                              lsp_count_field(end, "character")};
  if (lines[0] < 0 || lines[1] < 0 || characters[0] < 0 || characters[1] < 0)
    return false;
  LineIndex *index = lsp_line_index(document->text, document->length);
  uint32_t from = lsp_position_offset(index, lines[0], characters[0]);
  uint32_t to = lsp_position_offset(index, lines[1], characters[1]);
  if (to < from)
    to = from;
  TextBuffer edited = {0};
  text_append(&edited, document->text, from);
  text_append(&edited, json_string_value(text), json_string_length(text));
  text_append(&edited, document->text + to, document->length - to);
  set_text(document, edited.data ? edited.data : "", edited.length);
  return true;
}

static json_t *handle_did_change(Server *server, json_t *params, RpcError *error) {
  Document *document = notified_document(server, params, error);
  json_t *changes = lsp_field(params, "contentChanges");
  if (!document)
    return NULL;
  if (!json_is_array(changes))
    return fail(error, RPC_INVALID_PARAMS, "params.contentChanges must be an array");
  size_t i;
  json_t *change;
  json_array_foreach(changes, i, change) {
    if (!apply_change(document, change)) {
      fail(error, RPC_INVALID_PARAMS, "a content change needs a text (and a valid range)");
      break;
    }
  }
  document->version = lsp_count_field(lsp_field(params, "textDocument"), "version");
  /* even after a bad change: queries read the text at the analysis's offsets */
  check_document(server, document);
  return NULL;
}

/* A saved file may be a module other documents use: check them all again. */
static json_t *handle_did_save(Server *server, json_t *params, RpcError *error) {
  if (!notified_document(server, params, error))
    return NULL;
  for (int i = 0; i < server->documents.count; i++)
    check_document(server, server->documents.items[i]);
  return NULL;
}

static json_t *handle_did_close(Server *server, json_t *params, RpcError *error) {
  Document *document = notified_document(server, params, error);
  if (!document)
    return NULL;
  PtrList *documents = &server->documents;
  for (int i = 0; i < documents->count; i++) {
    if (documents->items[i] == document)
      documents->items[i] = documents->items[--documents->count];
  }
  lsp_send_notification(server, "textDocument/publishDiagnostics",
                        json_pack("{s:s,s:[]}", "uri", document->uri, "diagnostics"));
  return NULL;
}

/* The document and byte offset of a request's textDocument and position.
 * NULL with no error for a document that is not open. */
Document *lsp_param_cursor(Server *server, json_t *params, uint32_t *offset, RpcError *error) {
  const char *uri = lsp_string_field(lsp_field(params, "textDocument"), "uri");
  json_t *position = lsp_field(params, "position");
  json_int_t line = lsp_count_field(position, "line");
  json_int_t character = lsp_count_field(position, "character");
  if (!uri || line < 0 || character < 0) {
    fail(error, RPC_INVALID_PARAMS,
         "params needs textDocument.uri and a position with a line and a character "
         "(numbers from 0)");
    return NULL;
  }
  Document *document = find_document(server, uri);
  if (!document)
    return NULL;
  *offset = lsp_position_offset(lines_of(document->current, document->current->root), line,
                            character);
  return document;
}

/* ---- lifecycle ----------------------------------------------------------- */

static void read_client_capabilities(Server *server, json_t *params) {
  json_t *text = lsp_field(lsp_field(params, "capabilities"), "textDocument");
  server->related_information =
      json_is_true(lsp_field(lsp_field(text, "publishDiagnostics"), "relatedInformation"));
  json_t *formats = lsp_field(lsp_field(text, "hover"), "contentFormat");
  server->markdown = !json_is_array(formats) || lsp_array_has_string(formats, "markdown");
}

static json_t *handle_initialize(Server *server, json_t *params, RpcError *error) {
  if (!json_is_object(params))
    return fail(error, RPC_INVALID_PARAMS, "initialize needs params (an object)");
  read_client_capabilities(server, params);
  server->phase = PHASE_RUNNING;
  json_t *sync = json_pack("{s:b,s:i,s:{s:b}}", "openClose", 1, "change", SYNC_FULL, "save",
                           "includeText", 0);
  json_t *completion = json_pack("{s:[s,s,s]}", "triggerCharacters", " ", "{", ",");
  json_t *capabilities =
      json_pack("{s:s,s:o,s:b,s:b,s:o,s:b}", "positionEncoding", "utf-16", "textDocumentSync",
                sync, "hoverProvider", 1, "definitionProvider", 1, "completionProvider",
                completion, "documentSymbolProvider", 1);
  return json_pack("{s:o,s:{s:s,s:s}}", "capabilities", capabilities, "serverInfo", "name",
                   "mrspc", "version", MRSPC_VERSION);
}

static json_t *handle_initialized(Server *server, json_t *params, RpcError *error) {
  (void)server, (void)params, (void)error;
  return NULL;
}

static json_t *handle_shutdown(Server *server, json_t *params, RpcError *error) {
  (void)params, (void)error;
  server->phase = PHASE_SHUTTING_DOWN;
  return json_null();
}

static json_t *handle_exit(Server *server, json_t *params, RpcError *error) {
  (void)params, (void)error;
  server->exiting = true;
  return NULL;
}

/* ---- dispatch ------------------------------------------------------------ */

typedef json_t *Handler(Server *server, json_t *params, RpcError *error);

typedef struct Method {
  const char *name;
  bool request; /* answered; else a notification */
  Handler *run;
} Method;

static const Method methods[] = {
    {"initialize", true, handle_initialize},
    {"initialized", false, handle_initialized},
    {"shutdown", true, handle_shutdown},
    {"exit", false, handle_exit},
    {"textDocument/didOpen", false, handle_did_open},
    {"textDocument/didChange", false, handle_did_change},
    {"textDocument/didSave", false, handle_did_save},
    {"textDocument/didClose", false, handle_did_close},
    {"textDocument/hover", true, lsp_handle_hover},
    {"textDocument/definition", true, lsp_handle_definition},
    {"textDocument/completion", true, lsp_handle_completion},
    {"textDocument/documentSymbol", true, lsp_handle_document_symbol},
};

static const Method *find_method(const char *name) {
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
    if (strcmp(methods[i].name, name) == 0)
      return &methods[i];
  return NULL;
}

/* A notification gets no reply, even when it is wrong: the problem is
 * logged on standard error, where editors keep the server's log. */
static void run_notification(Server *server, const char *name, json_t *params) {
  const Method *method = find_method(name);
  bool is_exit = strcmp(name, "exit") == 0;
  if (!method || method->request || (server->phase != PHASE_RUNNING && !is_exit))
    return;
  RpcError error = {0, NULL};
  json_decref(method->run(server, params, &error));
  if (error.code)
    lsp_log_line("%s: %s", name, error.message);
}

static void run_request(Server *server, const char *name, json_t *params, json_t *id) {
  const Method *method = find_method(name);
  bool is_initialize = strcmp(name, "initialize") == 0;
  RpcError error = {0, NULL};
  if (!method)
    fail(&error, RPC_METHOD_NOT_FOUND, text_format("no method '%s'", name));
  else if (!method->request)
    fail(&error, RPC_INVALID_REQUEST,
         text_format("'%s' is a notification: send it without an id", name));
  else if (server->phase == PHASE_STARTING && !is_initialize)
    fail(&error, RPC_SERVER_NOT_INITIALIZED,
         "the server is not initialized: send 'initialize' first");
  else if (server->phase != PHASE_STARTING && is_initialize)
    fail(&error, RPC_INVALID_REQUEST, "'initialize' was already received");
  else if (server->phase == PHASE_SHUTTING_DOWN)
    fail(&error, RPC_INVALID_REQUEST, "the server is shutting down: only 'exit' is accepted");
  json_t *result = error.code ? NULL : method->run(server, params, &error);
  if (error.code) {
    json_decref(result);
    lsp_send_error(server, id, error.code, error.message);
  } else {
    lsp_send_result(server, id, result);
  }
}

/* Why a message is not a request or notification, or NULL if it is one. */
static const char *invalid_request(json_t *message, json_t *id) {
  const char *version = lsp_string_field(message, "jsonrpc");
  if (!version || strcmp(version, "2.0") != 0)
    return "the message needs \"jsonrpc\": \"2.0\"";
  if (id && !json_is_integer(id) && !json_is_string(id))
    return "an id is a number or a string";
  if (!json_is_string(json_object_get(message, "method")))
    return "the message needs a method (a string)";
  return NULL;
}

static void handle_json(Server *server, json_t *message) {
  if (!json_is_object(message)) {
    lsp_send_error(server, NULL, RPC_INVALID_REQUEST,
                   "a message is one JSON object (batches are not used by LSP)");
    return;
  }
  json_t *id = json_object_get(message, "id");
  json_t *method = json_object_get(message, "method");
  if (!method && id && (json_object_get(message, "result") || json_object_get(message, "error")))
    return; /* a reply: this server sends no requests, so nothing waits for it */
  const char *problem = invalid_request(message, id);
  bool valid_id = json_is_integer(id) || json_is_string(id);
  json_t *params = json_object_get(message, "params");
  if (json_is_null(params))
    params = NULL; /* some clients send "params": null for 'shutdown' */
  if (problem)
    lsp_send_error(server, valid_id ? id : NULL, RPC_INVALID_REQUEST, problem);
  else if (params && !json_is_object(params) && !json_is_array(params) && id)
    lsp_send_error(server, id, RPC_INVALID_PARAMS, "params is an object or an array");
  else if (params && !json_is_object(params) && !json_is_array(params))
    lsp_log_line("ignored '%s': params is not an object", json_string_value(method));
  else if (id)
    run_request(server, json_string_value(method), params, id);
  else
    run_notification(server, json_string_value(method), params);
}

static void handle_body(Server *server, const char *body, size_t length) {
  json_error_t error;
  json_t *message = json_loadb(body, length, JSON_DECODE_ANY | JSON_ALLOW_NUL, &error);
  if (!message) {
    lsp_send_error(server, NULL, RPC_PARSE_ERROR,
                   text_format("the message is not JSON: %s (byte %d)", error.text,
                               error.position));
    return;
  }
  handle_json(server, message);
  json_decref(message);
}

static int exit_status(const Server *server) {
  return server->phase == PHASE_SHUTTING_DOWN ? EXIT_OK : EXIT_PROBLEM;
}

static int serve(Server *server) {
  for (;;) {
    Incoming message = {NULL, 0, NULL, false};
    ReadStatus status = lsp_read_message(server, &message);
    if (status == READ_END)
      return exit_status(server);
    if (message.skipped && status != READ_BAD_HEADER)
      lsp_send_error(server, NULL, RPC_PARSE_ERROR, "skipped bytes that are not a message header");
    if (status == READ_BAD_HEADER)
      lsp_send_error(server, NULL, RPC_PARSE_ERROR, message.problem);
    else if (status == READ_TOO_LARGE)
      lsp_send_error(server, NULL, RPC_INVALID_REQUEST, message.problem);
    else
      handle_body(server, message.body, message.length);
    free(message.body);
    if (server->exiting)
      return exit_status(server);
  }
}

/* ---- the command --------------------------------------------------------- */

static const char *const lsp_help =
    "usage: mrspc lsp [OPTIONS]\n"
    "\n"
    "Runs the language server for editors: Language Server Protocol messages\n"
    "on standard input and output.  Each open policy is checked as you type,\n"
    "with the diagnostics of 'mrspc check'; hover shows what a fact, enum\n"
    "member, criterion, citation or rule means, and completion offers the\n"
    "facts, enum members and criteria that fit where the cursor is.\n"
    "Editors start it themselves: see editors/README.md.\n"
    "\n"
    "options:\n"
    "  -I DIR              look for 'use' modules in DIR first (repeatable)\n"
    "  --help              show this help\n"
    "\n"
    "environment:\n"
    "  MRSPC_PATH          more directories for 'use', separated by ':'\n"
    "  MRSPC_STDLIB        the standard library directory\n"
    "\n"
    "exit status: 0 after 'shutdown' and 'exit', 1 if the editor went away\n"
    "without 'shutdown', 2 usage error\n";

/* --stdio: what some clients pass to name the transport; it is the only one. */
static int lsp_option(void *context, int argc, char **argv, int *index) {
  (void)context, (void)argc;
  return strcmp(argv[*index], "--stdio") == 0;
}

int command_lsp(int argc, char **argv) {
  CommonOptions options = {0};
  PtrList operands = {0};
  int status = cli_parse_arguments(argc, argv, lsp_help, &options, lsp_option, NULL, &operands);
  if (status != CLI_CONTINUE)
    return status;
  if (operands.count > 0)
    return cli_usage_error("lsp", "unexpected argument '%s': the editor sends the files",
                           (const char *)operands.items[0]);
  signal(SIGPIPE, SIG_IGN); /* a client gone mid-reply is seen as a write error */
  Server *server = GC_NEW(Server);
  server->in = stdin;
  server->out = stdout;
  server->markdown = true;
  server->search = loader_search_path(options.include_dirs, options.include_count);
  return serve(server);
}

