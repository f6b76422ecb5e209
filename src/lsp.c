/* lsp.c - the language server: LSP messages on stdio to the front end.
 *
 * Takes Language Server Protocol messages on standard input and answers on
 * standard output, in this order of layers:
 *   transport    Content-Length framing, with bounded headers and bodies;
 *   dispatch     JSON-RPC requests and notifications, the lifecycle
 *                (initialize, shutdown, exit) and the error replies;
 *   documents    open documents, full-text sync, one check per change;
 *   positions    byte offsets <-> LSP positions (0-based lines, UTF-16 units);
 *   diagnostics  the checker's reports as textDocument/publishDiagnostics;
 *   queries      hover, definition, completion and document symbols.
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
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "decision.h"
#include "diag.h"
#include "loader.h"
#include "source.h"
#include "text.h"

enum {
  HEADER_LINE_MAX = 1024,  /* bytes kept of one header line */
  HEADER_LINES_MAX = 32,   /* header lines in one message */
  LENGTH_DIGITS_MAX = 12,  /* digits of a Content-Length */
  BODY_MAX = 64 << 20,     /* bytes of one message body */
  CITED_MAX = 12,          /* references quoted in one hover */
  LISTED_MEMBERS_MAX = 24, /* enum members named in one hover */
  DETAIL_MAX = 80,         /* characters of a doc string in a symbol's detail */
};

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
enum {
  SYMBOL_MODULE = 2,       /* use */
  SYMBOL_NAMESPACE = 3,    /* policy */
  SYMBOL_METHOD = 6,       /* test */
  SYMBOL_ENUM = 10,        /* enum */
  SYMBOL_FUNCTION = 12,    /* criterion */
  SYMBOL_VARIABLE = 13,    /* fact */
  SYMBOL_STRING = 15,      /* note */
  SYMBOL_NUMBER = 16,      /* one reference */
  SYMBOL_ARRAY = 18,       /* references */
  SYMBOL_ENUM_MEMBER = 22, /* enum member */
  SYMBOL_EVENT = 24,       /* decision rule */
};
enum {
  ITEM_FUNCTION = 3,     /* criterion */
  ITEM_VARIABLE = 6,     /* fact */
  ITEM_MODULE = 9,       /* module for 'use' */
  ITEM_UNIT = 11,        /* time unit */
  ITEM_VALUE = 12,       /* true, false, unknown, a decision */
  ITEM_KEYWORD = 14,     /* keyword */
  ITEM_ENUM_MEMBER = 20, /* enum member */
  ITEM_EVENT = 23,       /* rule or note name */
  ITEM_OPERATOR = 24,    /* 'is', 'at least', ... */
};
enum { SYNC_FULL = 1 };
enum { TRIGGER_CHARACTER = 2 };

/* ---- state --------------------------------------------------------------- */

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

static json_t *fail(RpcError *error, int code, const char *message) {
  error->code = code;
  error->message = message;
  return NULL;
}

/* A line on standard error, which editors keep as the server's log. */
static void log_line(const char *format, ...) __attribute__((format(printf, 1, 2)));

static void log_line(const char *format, ...) {
  va_list args;
  va_start(args, format);
  fputs("mrspc lsp: ", stderr);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
}

/* ---- JSON helpers -------------------------------------------------------- */

/* A JSON string; jansson refuses bytes that are not UTF-8, and a message may
 * quote such bytes from a policy. */
static json_t *json_text(const char *text) {
  json_t *value = json_string(text);
  return value ? value : json_string(text_printable(text, strlen(text)));
}

static json_t *field(json_t *object, const char *key) {
  return json_is_object(object) ? json_object_get(object, key) : NULL;
}

static const char *string_field(json_t *object, const char *key) {
  json_t *value = field(object, key);
  return json_is_string(value) ? json_string_value(value) : NULL;
}

/* A non-negative integer field; -1 when missing or of another type. */
static json_int_t count_field(json_t *object, const char *key) {
  json_t *value = field(object, key);
  if (!json_is_integer(value) || json_integer_value(value) < 0)
    return -1;
  return json_integer_value(value);
}

static bool array_has_string(json_t *array, const char *wanted) {
  size_t i;
  json_t *item;
  json_array_foreach(array, i, item) {
    if (json_is_string(item) && strcmp(json_string_value(item), wanted) == 0)
      return true;
  }
  return false;
}

/* ---- transport: Content-Length framing ----------------------------------- */

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

typedef struct Header {
  long long content_length; /* -1 until given */
  int lines;
  const char *problem;
  bool skipped;
} Header;

/* Reads one header line, without its line break, into line (which holds
 * HEADER_LINE_MAX + 1 bytes).  Of a longer line it keeps the end, because
 * the next message's header can follow a runaway body on the same line.
 * false at the end of input. */
static bool read_header_line(FILE *in, char *line, size_t *length, bool *too_long) {
  size_t n = 0;
  int c = EOF;
  bool any = false;
  *too_long = false;
  while ((c = getc(in)) != EOF) {
    any = true;
    if (c == '\n')
      break;
    if (n == HEADER_LINE_MAX) {
      memmove(line, line + HEADER_LINE_MAX / 2, HEADER_LINE_MAX / 2);
      n = HEADER_LINE_MAX / 2;
      *too_long = true;
    }
    line[n++] = (char)c;
  }
  if (!any || c == EOF)
    return false;
  if (n > 0 && line[n - 1] == '\r')
    n--;
  line[n] = '\0';
  *length = n;
  return true;
}

static char lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The one header that matters (the other, Content-Type, has one value). */
static const char length_header[] = "content-length:";
enum { LENGTH_HEADER_SIZE = sizeof length_header - 1 };

/* Where "content-length:" starts in line (any case), or -1. */
static long find_length_header(const char *line, size_t length) {
  for (size_t at = 0; at + LENGTH_HEADER_SIZE <= length; at++) {
    size_t i = 0;
    while (i < LENGTH_HEADER_SIZE && lower(line[at + i]) == length_header[i])
      i++;
    if (i == LENGTH_HEADER_SIZE)
      return (long)at;
  }
  return -1;
}

static const char *parse_length(Header *header, const char *value, size_t length) {
  size_t i = 0;
  while (i < length && (value[i] == ' ' || value[i] == '\t'))
    i++;
  long long number = 0;
  size_t digits = 0;
  while (i < length && value[i] >= '0' && value[i] <= '9' && digits < LENGTH_DIGITS_MAX) {
    number = number * 10 + (value[i++] - '0');
    digits++;
  }
  while (i < length && (value[i] == ' ' || value[i] == '\t'))
    i++;
  if (digits == 0 || i != length)
    return "the Content-Length is not a number of bytes";
  header->content_length = number;
  return NULL;
}

/* A header field name is a token: letters, digits and '-'. */
static bool is_header_field(const char *line, size_t length) {
  size_t i = 0;
  while (i < length && line[i] != ':') {
    char c = lower(line[i]);
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      return false;
    i++;
  }
  return i > 0 && i < length;
}

static void header_line(Header *header, const char *line, size_t length, bool too_long) {
  long at = find_length_header(line, length);
  if (too_long || at > 0 || !is_header_field(line, length)) {
    header->skipped = true;
    if (at < 0)
      return;
    /* junk, then a header: start the header afresh where it starts */
    line += at;
    length -= (size_t)at;
    header->content_length = -1;
    header->problem = NULL;
    header->lines = 1;
    at = 0;
  }
  if (header->lines > HEADER_LINES_MAX && !header->problem)
    header->problem = text_format("the message header has more than %d lines", HEADER_LINES_MAX);
  if (at == 0 && !header->problem)
    header->problem = parse_length(header, line + LENGTH_HEADER_SIZE,
                                   length - LENGTH_HEADER_SIZE);
}

static bool skip_bytes(FILE *in, long long count) {
  static char sink[65536];
  while (count > 0) {
    size_t want = count < (long long)sizeof sink ? (size_t)count : sizeof sink;
    size_t got = fread(sink, 1, want, in);
    if (got == 0)
      return false;
    count -= (long long)got;
  }
  return true;
}

static ReadStatus read_body(FILE *in, const Header *header, Incoming *message) {
  if (header->content_length > BODY_MAX) {
    if (!skip_bytes(in, header->content_length))
      return READ_END;
    message->problem = text_format("a message of %lld bytes is over the limit of %d bytes; "
                                   "it was skipped",
                                   header->content_length, BODY_MAX);
    return READ_TOO_LARGE;
  }
  size_t length = (size_t)header->content_length;
  message->body = malloc(length + 1);
  if (!message->body || fread(message->body, 1, length, in) != length) {
    free(message->body);
    message->body = NULL;
    return READ_END;
  }
  message->body[length] = '\0';
  message->length = length;
  return READ_MESSAGE;
}

static ReadStatus read_message(Server *server, Incoming *message) {
  Header header = {-1, 0, NULL, false};
  char line[HEADER_LINE_MAX + 1];
  for (;;) {
    size_t length = 0;
    bool too_long = false;
    if (!read_header_line(server->in, line, &length, &too_long))
      return READ_END;
    if (length == 0 && !too_long) {
      if (header.lines == 0 && !header.skipped)
        continue; /* blank lines between messages */
      break;
    }
    header.lines++;
    header_line(&header, line, length, too_long);
  }
  message->skipped = header.skipped;
  if (header.problem || header.content_length < 0) {
    message->problem = header.problem ? header.problem
                                      : "the message header has no Content-Length";
    return READ_BAD_HEADER;
  }
  return read_body(server->in, &header, message);
}

static void send_message(Server *server, json_t *message) {
  json_object_set_new(message, "jsonrpc", json_string("2.0"));
  char *body = json_dumps(message, JSON_COMPACT);
  json_decref(message);
  if (!body) {
    log_line("could not encode a reply");
    return;
  }
  size_t length = strlen(body);
  fprintf(server->out, "Content-Length: %zu\r\n\r\n", length);
  fwrite(body, 1, length, server->out);
  free(body);
  if (fflush(server->out) != 0 || ferror(server->out))
    server->exiting = true; /* the client has gone */
}

static void send_result(Server *server, json_t *id, json_t *result) {
  json_t *message = json_object();
  json_object_set(message, "id", id);
  json_object_set_new(message, "result", result ? result : json_null());
  send_message(server, message);
}

static void send_error(Server *server, json_t *id, int code, const char *text) {
  json_t *error = json_object();
  json_object_set_new(error, "code", json_integer(code));
  json_object_set_new(error, "message", json_text(text));
  json_t *message = json_object();
  json_object_set_new(message, "id", id ? json_incref(id) : json_null());
  json_object_set_new(message, "error", error);
  send_message(server, message);
}

static void send_notification(Server *server, const char *method, json_t *params) {
  json_t *message = json_object();
  json_object_set_new(message, "method", json_string(method));
  json_object_set_new(message, "params", params);
  send_message(server, message);
}

/* ---- positions: byte offsets <-> LSP positions --------------------------- */

static LineIndex *line_index(const char *text, uint32_t length) {
  LineIndex *index = GC_NEW(LineIndex);
  int count = 1;
  for (uint32_t i = 0; i < length; i++)
    count += text[i] == '\n';
  index->starts = GC_MALLOC_ATOMIC((size_t)count * sizeof *index->starts);
  index->starts[0] = 0;
  int line = 1;
  for (uint32_t i = 0; i < length; i++)
    if (text[i] == '\n')
      index->starts[line++] = i + 1;
  index->text = text;
  index->length = length;
  index->count = count;
  return index;
}

static int line_of(const LineIndex *index, uint32_t offset) {
  int low = 0, high = index->count - 1;
  while (low < high) {
    int middle = (low + high + 1) / 2;
    if (index->starts[middle] <= offset)
      low = middle;
    else
      high = middle - 1;
  }
  return low;
}

/* The end of a line's text: before its '\n' (and a '\r' before that). */
static uint32_t line_end(const LineIndex *index, int line) {
  uint32_t end = line + 1 < index->count ? index->starts[line + 1] - 1 : index->length;
  if (end > index->starts[line] && index->text[end - 1] == '\r')
    end--;
  return end;
}

/* Decodes the character at text[at, end); an invalid byte is one unit. */
static uint32_t next_char(const char *text, uint32_t at, uint32_t end, uint32_t *code_point) {
  size_t n = text_decode_utf8(text + at, end - at, code_point);
  if (n == 0) {
    *code_point = 0xFFFD;
    return 1;
  }
  return (uint32_t)n;
}

static json_t *position_json(const LineIndex *index, uint32_t offset) {
  if (offset > index->length)
    offset = index->length;
  int line = line_of(index, offset);
  long units = 0;
  for (uint32_t at = index->starts[line]; at < offset;) {
    uint32_t c;
    at += next_char(index->text, at, offset, &c);
    units += c >= 0x10000 ? 2 : 1;
  }
  return json_pack("{s:i,s:I}", "line", line, "character", (json_int_t)units);
}

static uint32_t position_offset(const LineIndex *index, json_int_t line, json_int_t character) {
  if (line >= index->count)
    return index->length;
  uint32_t at = index->starts[line], end = line_end(index, (int)line);
  json_int_t units = 0;
  while (at < end && units < character) {
    uint32_t c;
    at += next_char(index->text, at, end, &c);
    units += c >= 0x10000 ? 2 : 1;
  }
  return at;
}

/* ---- URIs ---------------------------------------------------------------- */

static int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = lower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The path of a file: URI, percent-decoded; any other URI is kept as the
 * document's name (an unsaved buffer has no file). */
static const char *uri_to_path(const char *uri) {
  if (strncmp(uri, "file://", 7) != 0)
    return GC_STRDUP(uri);
  const char *p = strchr(uri + 7, '/'); /* past an authority, if any */
  if (!p)
    return GC_STRDUP(uri);
  TextBuffer path = {0};
  for (; *p; p++) {
    int high = p[0] == '%' ? hex_digit(p[1]) : -1;
    int low = high >= 0 ? hex_digit(p[2]) : -1;
    if (low >= 0 && (high || low)) { /* %00 stays as written: no path holds a NUL */
      char c = (char)(high * 16 + low);
      text_append(&path, &c, 1);
      p += 2;
    } else {
      text_append(&path, p, 1);
    }
  }
  return text_finish(&path);
}

static const char *path_to_uri(const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  const char *absolute = loader_canonical(path);
  TextBuffer uri = {0};
  text_append(&uri, "file://", 7);
  for (const unsigned char *p = (const unsigned char *)absolute; *p; p++) {
    bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                 (*p >= '0' && *p <= '9') || strchr("-._~/", *p);
    if (plain) {
      text_append(&uri, (const char *)p, 1);
    } else {
      char escaped[3] = {'%', hex[*p >> 4], hex[*p & 15]};
      text_append(&uri, escaped, 3);
    }
  }
  return text_finish(&uri);
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

static Module *root_module(const Analysis *analysis) {
  return analysis->program->modules[0].module;
}

static LineIndex *lines_of(const Analysis *analysis, int file) {
  if (file < 0 || file >= analysis->file_count)
    return NULL;
  if (!analysis->lines[file])
    analysis->lines[file] = line_index(analysis->files[file]->text, analysis->files[file]->length);
  return analysis->lines[file];
}

/* What answers for names when the document never declared any: the schema
 * alone, as an empty policy sees it. */
static const Analysis *schema_analysis(Server *server) {
  if (!server->schema)
    server->schema = analyse(server, "<schema>", "", 0);
  return server->schema;
}

static const Analysis *known_analysis(Server *server, const Document *document) {
  if (document->known)
    return document->known;
  return schema_analysis(server);
}

static json_t *range_json(const Analysis *analysis, Span span) {
  LineIndex *index = lines_of(analysis, span.file);
  if (!index)
    index = lines_of(analysis, analysis->root);
  uint32_t end = span.end < span.begin ? span.begin : span.end;
  return json_pack("{s:o,s:o}", "start", position_json(index, span.begin), "end",
                   position_json(index, end));
}

static const char *file_uri(const Document *document, const Analysis *analysis, int file) {
  if (file == analysis->root)
    return document->uri;
  return path_to_uri(analysis->files[file]->path);
}

static json_t *location_json(const Document *document, const Analysis *analysis, Span span) {
  if (span.file < 0 || span.file >= analysis->file_count)
    return json_null();
  return json_pack("{s:o,s:o}", "uri", json_text(file_uri(document, analysis, span.file)),
                   "range", range_json(analysis, span));
}

/* "facts.mrsp:12:3", as 'mrspc check' writes a place (column in characters). */
static const char *place_text(const Analysis *analysis, Span span) {
  LineIndex *index = lines_of(analysis, span.file);
  if (!index)
    return "?";
  uint32_t offset = span.begin > index->length ? index->length : span.begin;
  int line = line_of(index, offset);
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
  const Module *root = root_module(analysis);
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
  return json_pack("{s:o,s:o}", "location", location_json(document, analysis, span), "message",
                   json_text(message));
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
  json_t *out = json_pack("{s:o,s:i,s:s,s:o}", "range", range_json(analysis, where), "severity",
                          severity_number(diagnostic->severity), "source", "mrspc", "message",
                          json_text(text_finish(&message)));
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
                                          range_json(analysis, last), "severity",
                                          SEVERITY_ERROR, "source", "mrspc", "message",
                                          message));
  }
  json_t *params = json_pack("{s:s,s:o}", "uri", document->uri, "diagnostics", list);
  if (document->version >= 0)
    json_object_set_new(params, "version", json_integer(document->version));
  send_notification(server, "textDocument/publishDiagnostics", params);
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
static Document *param_document(Server *server, json_t *params, bool *unknown,
                                RpcError *error) {
  const char *uri = string_field(field(params, "textDocument"), "uri");
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
  Document *document = param_document(server, params, &unknown, error);
  if (unknown)
    fail(error, RPC_INVALID_PARAMS, "the document is not open");
  return document;
}

static json_t *handle_did_open(Server *server, json_t *params, RpcError *error) {
  json_t *item = field(params, "textDocument");
  const char *uri = string_field(item, "uri");
  json_t *text = field(item, "text");
  if (!uri || !json_is_string(text))
    return fail(error, RPC_INVALID_PARAMS,
                "didOpen needs params.textDocument.uri and params.textDocument.text");
  Document *document = find_document(server, uri);
  if (!document) {
    document = GC_NEW(Document);
    document->uri = GC_STRDUP(uri);
    document->path = uri_to_path(uri);
    ast_list_push(&server->documents, document);
  }
  set_text(document, json_string_value(text), json_string_length(text));
  document->version = count_field(item, "version");
  check_document(server, document);
  return NULL;
}

/* One change: the whole text, or (from a client that sends ranges anyway)
 * a range replaced. */
static bool apply_change(Document *document, json_t *change) {
  json_t *text = field(change, "text");
  if (!json_is_string(text))
    return false;
  json_t *range = field(change, "range");
  if (!range) {
    set_text(document, json_string_value(text), json_string_length(text));
    return true;
  }
  json_t *start = field(range, "start"), *end = field(range, "end");
  json_int_t lines[2] = {count_field(start, "line"), count_field(end, "line")};
  json_int_t characters[2] = {count_field(start, "character"), count_field(end, "character")};
  if (lines[0] < 0 || lines[1] < 0 || characters[0] < 0 || characters[1] < 0)
    return false;
  LineIndex *index = line_index(document->text, document->length);
  uint32_t from = position_offset(index, lines[0], characters[0]);
  uint32_t to = position_offset(index, lines[1], characters[1]);
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
  json_t *changes = field(params, "contentChanges");
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
  document->version = count_field(field(params, "textDocument"), "version");
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
  send_notification(server, "textDocument/publishDiagnostics",
                    json_pack("{s:s,s:[]}", "uri", document->uri, "diagnostics"));
  return NULL;
}

/* The document and byte offset of a request's textDocument and position.
 * NULL with no error for a document that is not open. */
static Document *param_cursor(Server *server, json_t *params, uint32_t *offset, RpcError *error) {
  const char *uri = string_field(field(params, "textDocument"), "uri");
  json_t *position = field(params, "position");
  json_int_t line = count_field(position, "line");
  json_int_t character = count_field(position, "character");
  if (!uri || line < 0 || character < 0) {
    fail(error, RPC_INVALID_PARAMS,
         "params needs textDocument.uri and a position with a line and a character "
         "(numbers from 0)");
    return NULL;
  }
  Document *document = find_document(server, uri);
  if (!document)
    return NULL;
  *offset = position_offset(lines_of(document->current, document->current->root), line,
                            character);
  return document;
}

/* ---- names: what a name means in a document ------------------------------ */

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

static const char *decl_name(const Decl *decl) {
  switch (decl->kind) {
  case DECL_ENUM:
    return decl->as.enumeration->name.text;
  case DECL_FACT:
    return decl->as.fact->name.text;
  case DECL_CRITERION:
    return decl->as.criterion->name.text;
  case DECL_SECTION:
    return decl->as.section->name.text;
  case DECL_TEST:
    return decl->as.test->name.text;
  default:
    return NULL;
  }
}

/* A declaration in the document's latest syntax tree. */
static Decl *root_decl(const Analysis *analysis, DeclKind kind, const char *name) {
  const Module *root = root_module(analysis);
  for (int i = 0; i < root->count; i++) {
    Decl *decl = root->decls[i];
    const char *text = decl->kind == kind ? decl_name(decl) : NULL;
    if (text && strcmp(text, name) == 0)
      return decl;
  }
  return NULL;
}

/* A declaration from an older text of the document itself: its place is
 * no longer right, and the current text no longer has it. */
static bool stale(const Document *document, const Analysis *analysis, Span span) {
  return analysis != document->current && span.file == analysis->root;
}

static Meaning find_fact(Server *server, const Document *document, const char *name) {
  Meaning meaning = {0};
  Decl *decl = root_decl(document->current, DECL_FACT, name);
  const Analysis *known = known_analysis(server, document);
  FactDecl *fact = decl ? decl->as.fact : check_find_fact(known->program, name);
  if (!fact || (!decl && stale(document, known, fact->name.span)))
    return meaning;
  meaning.kind = MEANS_FACT;
  meaning.where = decl ? document->current : known;
  meaning.fact = fact;
  return meaning;
}

static Meaning find_criterion(Server *server, const Document *document, const char *name) {
  Meaning meaning = {0};
  Decl *decl = root_decl(document->current, DECL_CRITERION, name);
  const Analysis *known = known_analysis(server, document);
  Criterion *criterion = decl ? decl->as.criterion : check_find_criterion(known->program, name);
  if (!criterion || (!decl && stale(document, known, criterion->name.span)))
    return meaning;
  meaning.kind = MEANS_CRITERION;
  meaning.where = decl ? document->current : known;
  meaning.criterion = criterion;
  return meaning;
}

static Meaning find_enum(Server *server, const Document *document, const char *name) {
  Meaning meaning = {0};
  Decl *decl = root_decl(document->current, DECL_ENUM, name);
  const Analysis *known = known_analysis(server, document);
  EnumDecl *enumeration = decl ? decl->as.enumeration : check_find_enum(known->program, name);
  if (!enumeration || (!decl && stale(document, known, enumeration->name.span)))
    return meaning;
  meaning.kind = MEANS_ENUM;
  meaning.where = decl ? document->current : known;
  meaning.enumeration = enumeration;
  return meaning;
}

static Meaning find_section(const Document *document, const char *name) {
  Meaning meaning = {0};
  Decl *decl = root_decl(document->current, DECL_SECTION, name);
  if (decl) {
    meaning.kind = MEANS_SECTION;
    meaning.where = document->current;
    meaning.section = decl->as.section;
  }
  return meaning;
}

static Meaning member_of(Meaning enumeration, const char *name) {
  Meaning meaning = {0};
  if (enumeration.kind != MEANS_ENUM)
    return meaning;
  for (int i = 0; i < enumeration.enumeration->count; i++) {
    EnumMember *member = enumeration.enumeration->members[i];
    if (strcmp(member->name.text, name) == 0) {
      meaning = enumeration;
      meaning.kind = MEANS_MEMBER;
      meaning.member = member;
      break;
    }
  }
  return meaning;
}

/* A fact's type, also for a fact of a file whose check stopped early. */
static TypeKind fact_kind(const FactDecl *fact) {
  static const struct {
    const char *name;
    TypeKind kind;
  } builtin[] = {{"bool", TY_BOOL}, {"int", TY_INT}, {"date", TY_DATE}, {"code", TY_CODE}};
  if (fact->type.kind != TY_ERROR)
    return fact->type.kind;
  for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
    if (!fact->is_set && strcmp(fact->type_name.text, builtin[i].name) == 0)
      return builtin[i].kind;
  return fact->is_set ? TY_SET : TY_ENUM;
}

static Meaning fact_enum(Server *server, const Document *document, Meaning fact) {
  Meaning meaning = {0};
  if (fact.kind != MEANS_FACT)
    return meaning;
  if (fact.fact->type.enumeration) {
    meaning.kind = MEANS_ENUM;
    meaning.where = fact.where;
    meaning.enumeration = fact.fact->type.enumeration;
    return meaning;
  }
  TypeKind kind = fact_kind(fact.fact);
  if (kind != TY_ENUM && kind != TY_SET)
    return meaning;
  return find_enum(server, document, fact.fact->type_name.text);
}

/* A member by name in any enum in scope, for a word with no context. */
static Meaning find_any_member(Server *server, const Document *document, const char *name) {
  const Analysis *known = known_analysis(server, document);
  for (int i = 0; i < known->program->enum_count; i++) {
    Meaning enumeration = find_enum(server, document, known->program->enums[i]->name.text);
    Meaning member = member_of(enumeration, name);
    if (member.kind == MEANS_MEMBER)
      return member;
  }
  Meaning nothing = {0};
  return nothing;
}

/* ---- what is at the cursor ----------------------------------------------- */

typedef enum HitKind {
  HIT_NONE,
  HIT_NAME,    /* a condition naming a criterion or a yes/no fact; a criterion's name */
  HIT_FACT,    /* a fact's name */
  HIT_VALUE,   /* a name on the right of a condition on fact_name: a member or a fact */
  HIT_MEMBER,  /* a member of enum_name where the enum declares it */
  HIT_ENUM,    /* an enum's name */
  HIT_SECTION, /* a rule or note (its keyword or name), or a name in 'expect' */
  HIT_CITE,    /* a citation */
  HIT_USE,     /* the module of a 'use' */
  HIT_POLICY,  /* the policy's name */
  HIT_WORD,    /* a name in text that did not parse */
} HitKind;

typedef struct Hit {
  HitKind kind;
  const char *name;
  Span span;
  const char *fact_name; /* HIT_VALUE */
  const char *enum_name; /* HIT_MEMBER */
  const Cite *cite;
  const UseDecl *use;
  const Section *section;
  const PolicyDecl *policy;
} Hit;

/* Whether the cursor is on span, its end included (the cursor just after a
 * word is on it). */
static bool touches(Span span, uint32_t at) {
  return span.end > span.begin && span.begin <= at && at <= span.end;
}

static bool hit_name(Hit *hit, HitKind kind, Name name, uint32_t at) {
  if (!name.text || !touches(name.span, at))
    return false;
  hit->kind = kind;
  hit->name = name.text;
  hit->span = name.span;
  return true;
}

static bool hit_cites(Hit *hit, CiteList cites, uint32_t at) {
  for (int i = 0; i < cites.count; i++) {
    if (touches(cites.items[i]->span, at)) {
      hit->kind = HIT_CITE;
      hit->cite = cites.items[i];
      hit->span = cites.items[i]->span;
      return true;
    }
  }
  return false;
}

static bool hit_literal(Hit *hit, const Literal *literal, const char *fact_name, uint32_t at) {
  if (!literal || !touches(literal->span, at))
    return false;
  if (literal->kind == LIT_SET || literal->kind == LIT_RANGE) {
    for (int i = 0; i < literal->count; i++)
      if (hit_literal(hit, literal->items[i], fact_name, at))
        return true;
    return false;
  }
  if (literal->kind != LIT_NAME)
    return false;
  hit->kind = HIT_VALUE;
  hit->name = literal->text;
  hit->span = literal->span;
  hit->fact_name = fact_name;
  return true;
}

static bool hit_node(Hit *hit, const Node *node, uint32_t at) {
  if (!node)
    return false;
  if (hit_cites(hit, node->cites, at))
    return true;
  if (!touches(node->span, at))
    return false;
  switch (node->kind) {
  case ND_ALL:
  case ND_ANY:
  case ND_AT_LEAST:
    for (int i = 0; i < node->count; i++)
      if (hit_node(hit, node->items[i], at))
        return true;
    return false;
  case ND_NOT:
    return hit_node(hit, node->operand, at);
  case ND_REF:
    return hit_name(hit, HIT_NAME, node->subject, at);
  case ND_CONST:
    return false;
  default:
    break;
  }
  const char *subject = node->subject.text;
  return hit_name(hit, HIT_FACT, node->subject, at) ||
         hit_literal(hit, node->rhs.literal, subject, at) ||
         hit_literal(hit, node->high.literal, subject, at) ||
         hit_literal(hit, node->set, subject, at);
}

/* Policy block: its name, citations, and the members in 'lines' and
 * 'settings' (of the facts line_of_business and setting). */
static bool hit_policy(Hit *hit, const PolicyDecl *policy, uint32_t at) {
  if (hit_name(hit, HIT_POLICY, policy->name, at)) {
    hit->policy = policy;
    return true;
  }
  for (int i = 0; i < policy->count; i++) {
    const MetaEntry *entry = policy->entries[i];
    if (hit_cites(hit, entry->cites, at))
      return true;
    const char *fact = strcmp(entry->key.text, "lines") == 0      ? "line_of_business"
                       : strcmp(entry->key.text, "settings") == 0 ? "setting"
                                                                   : NULL;
    for (int j = 0; fact && j < entry->count; j++)
      if (hit_literal(hit, entry->values[j], fact, at))
        return true;
  }
  return false;
}

static bool hit_section(Hit *hit, const Section *section, uint32_t at) {
  const char *keyword = ast_section_keyword(section->kind);
  Span head = {section->span.file, section->span.begin,
               section->span.begin + (uint32_t)strlen(keyword)};
  if (touches(head, at) || hit_name(hit, HIT_SECTION, section->name, at)) {
    hit->kind = HIT_SECTION;
    hit->name = section->name.text ? section->name.text : keyword;
    hit->span = touches(head, at) ? head : section->name.span;
    hit->section = section;
    return true;
  }
  return hit_cites(hit, section->cites, at) || hit_node(hit, section->condition, at);
}

static bool hit_expectation(Hit *hit, const Expectation *expect, uint32_t at) {
  switch (expect->kind) {
  case EXPECT_DECISION:
    return false;
  case EXPECT_RULE:
    return hit_name(hit, HIT_SECTION, expect->decision, at);
  case EXPECT_MISSING:
  case EXPECT_NOTES:
    for (int i = 0; i < expect->count; i++)
      if (hit_name(hit, expect->kind == EXPECT_MISSING ? HIT_FACT : HIT_SECTION,
                   *expect->names[i], at))
        return true;
    return false;
  }
  return false;
}

static bool hit_test(Hit *hit, const TestDecl *test, uint32_t at) {
  for (int i = 0; i < test->nfacts; i++) {
    const TestFact *given = test->facts[i];
    if (hit_name(hit, HIT_FACT, given->name, at) ||
        hit_literal(hit, given->value, given->name.text, at))
      return true;
  }
  for (int i = 0; i < test->nexpects; i++)
    if (hit_expectation(hit, test->expects[i], at))
      return true;
  return false;
}

static bool hit_enum(Hit *hit, const EnumDecl *enumeration, uint32_t at) {
  if (hit_name(hit, HIT_ENUM, enumeration->name, at))
    return true;
  for (int i = 0; i < enumeration->count; i++) {
    if (hit_name(hit, HIT_MEMBER, enumeration->members[i]->name, at)) {
      hit->enum_name = enumeration->name.text;
      return true;
    }
  }
  return false;
}

static bool is_builtin_type(const char *name) {
  return strcmp(name, "bool") == 0 || strcmp(name, "int") == 0 || strcmp(name, "date") == 0 ||
         strcmp(name, "code") == 0;
}

static bool hit_decl(Hit *hit, const Decl *decl, uint32_t at) {
  if (!touches(decl->span, at))
    return false;
  switch (decl->kind) {
  case DECL_POLICY:
    return hit_policy(hit, decl->as.policy, at);
  case DECL_REFERENCES:
    return false;
  case DECL_USE:
    if (!touches(decl->as.use->span, at))
      return false;
    hit->kind = HIT_USE;
    hit->use = decl->as.use;
    hit->name = decl->as.use->path;
    hit->span = decl->as.use->span;
    return true;
  case DECL_ENUM:
    return hit_enum(hit, decl->as.enumeration, at);
  case DECL_FACT:
    return hit_name(hit, HIT_FACT, decl->as.fact->name, at) ||
           (!is_builtin_type(decl->as.fact->type_name.text) &&
            hit_name(hit, HIT_ENUM, decl->as.fact->type_name, at));
  case DECL_CRITERION:
    return hit_name(hit, HIT_NAME, decl->as.criterion->name, at) ||
           hit_cites(hit, decl->as.criterion->cites, at) ||
           hit_node(hit, decl->as.criterion->body, at);
  case DECL_SECTION:
    return hit_section(hit, decl->as.section, at);
  case DECL_TEST:
    return hit_test(hit, decl->as.test, at);
  }
  return false;
}

static bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The name around the cursor in the text itself, for text that did not
 * parse into a declaration. */
static bool hit_word(Hit *hit, const Document *document, uint32_t at) {
  const char *text = document->text;
  uint32_t begin = at, end = at;
  while (begin > 0 && is_word_char(text[begin - 1]))
    begin--;
  while (end < document->length && is_word_char(text[end]))
    end++;
  if (begin == end || (text[begin] >= '0' && text[begin] <= '9'))
    return false;
  hit->kind = HIT_WORD;
  hit->name = text_format("%.*s", (int)(end - begin), text + begin);
  hit->span = (Span){document->current->root, begin, end};
  return true;
}

static Hit hit_at(const Document *document, uint32_t at) {
  Hit hit = {0};
  const Module *root = root_module(document->current);
  for (int i = 0; i < root->count; i++)
    if (hit_decl(&hit, root->decls[i], at))
      return hit;
  hit_word(&hit, document, at);
  return hit;
}

static Meaning resolve_value(Server *server, const Document *document, const Hit *hit) {
  Meaning subject = find_fact(server, document, hit->fact_name);
  if (subject.kind == MEANS_FACT) {
    TypeKind kind = fact_kind(subject.fact);
    if (kind == TY_ENUM || kind == TY_SET)
      return member_of(fact_enum(server, document, subject), hit->name);
  }
  return find_fact(server, document, hit->name);
}

static Meaning resolve_word(Server *server, const Document *document, const char *name) {
  Meaning meaning = find_criterion(server, document, name);
  if (meaning.kind == MEANS_NOTHING)
    meaning = find_fact(server, document, name);
  if (meaning.kind == MEANS_NOTHING)
    meaning = find_enum(server, document, name);
  if (meaning.kind == MEANS_NOTHING)
    meaning = find_section(document, name);
  if (meaning.kind == MEANS_NOTHING)
    meaning = find_any_member(server, document, name);
  return meaning;
}

static Meaning resolve(Server *server, const Document *document, const Hit *hit) {
  Meaning nothing = {0};
  switch (hit->kind) {
  case HIT_NAME: {
    Meaning meaning = find_criterion(server, document, hit->name);
    return meaning.kind ? meaning : find_fact(server, document, hit->name);
  }
  case HIT_FACT:
    return find_fact(server, document, hit->name);
  case HIT_VALUE:
    return resolve_value(server, document, hit);
  case HIT_MEMBER:
    return member_of(find_enum(server, document, hit->enum_name), hit->name);
  case HIT_ENUM:
    return find_enum(server, document, hit->name);
  case HIT_SECTION:
    if (hit->section) {
      Meaning meaning = {.kind = MEANS_SECTION, .where = document->current,
                         .section = (Section *)hit->section};
      return meaning;
    }
    return find_section(document, hit->name);
  case HIT_WORD:
    return resolve_word(server, document, hit->name);
  default:
    return nothing;
  }
}

/* ---- hover --------------------------------------------------------------- */

/* Hover text: Markdown, or plain text for a client that asks for it. */
typedef struct Markup {
  TextBuffer text;
  bool markdown;
} Markup;

static void markup_raw(Markup *markup, const char *text) {
  text_appendf(&markup->text, "%s", text);
}

/* Words from the policy, with Markdown's special characters escaped. */
static void markup_words(Markup *markup, const char *text) {
  for (const char *p = text; *p; p++) {
    if (markup->markdown && strchr("\\`*_[]<>#|", *p))
      text_append(&markup->text, "\\", 1);
    text_append(&markup->text, p, 1);
  }
}

static void markup_code(Markup *markup, const char *code) {
  text_appendf(&markup->text, markup->markdown ? "`%s`" : "%s", code);
}

static void markup_bold(Markup *markup, const char *word) {
  text_appendf(&markup->text, markup->markdown ? "**%s**" : "%s", word);
}

static void markup_paragraph(Markup *markup, const char *words) {
  if (!words || !*words)
    return;
  markup_raw(markup, "\n\n");
  markup_words(markup, words);
}

/* "int 0 to 130", "set of question", "indication" */
static const char *fact_type_text(const FactDecl *fact) {
  if (fact->is_set)
    return text_format("set of %s", fact->type_name.text);
  if (fact->range && fact->range->count == 2)
    return text_format("%s %lld to %lld", fact->type_name.text, fact->range->items[0]->number,
                       fact->range->items[1]->number);
  return fact->type_name.text;
}

static void hover_fact(Markup *markup, const FactDecl *fact) {
  markup_bold(markup, "fact");
  markup_raw(markup, " ");
  markup_code(markup, fact->name.text);
  markup_raw(markup, ": ");
  markup_code(markup, fact_type_text(fact));
  markup_paragraph(markup, fact->doc);
}

static void hover_member(Markup *markup, const EnumDecl *enumeration, const EnumMember *member) {
  markup_code(markup, member->name.text);
  markup_raw(markup, ": a member of enum ");
  markup_code(markup, enumeration->name.text);
  markup_paragraph(markup, member->doc);
  markup_paragraph(markup, enumeration->doc);
}

static void hover_enum(Markup *markup, const EnumDecl *enumeration) {
  markup_bold(markup, "enum");
  markup_raw(markup, " ");
  markup_code(markup, enumeration->name.text);
  text_appendf(&markup->text, ": %d members", enumeration->count);
  markup_paragraph(markup, enumeration->doc);
  markup_raw(markup, "\n\n");
  for (int i = 0; i < enumeration->count && i < LISTED_MEMBERS_MAX; i++) {
    markup_raw(markup, i ? ", " : "");
    markup_code(markup, enumeration->members[i]->name.text);
  }
  if (enumeration->count > LISTED_MEMBERS_MAX)
    text_appendf(&markup->text, " and %d more", enumeration->count - LISTED_MEMBERS_MAX);
}

static const Reference *module_reference(const Module *module, int number) {
  for (int i = 0; module && i < module->count; i++) {
    const Decl *decl = module->decls[i];
    if (decl->kind != DECL_REFERENCES)
      continue;
    for (int j = 0; j < decl->as.references.count; j++)
      if (decl->as.references.items[j]->number == number)
        return decl->as.references.items[j];
  }
  return NULL;
}

/* The numbers cited, each once, in order: a set of small numbers. */
typedef struct CitedNumbers {
  int numbers[CITED_MAX];
  int count;
} CitedNumbers;

static void cite_numbers(CitedNumbers *cited, CiteList cites) {
  for (int i = 0; i < cites.count; i++) {
    /* of a range, only its first CITED_MAX numbers can be among those shown
     * (and [1-999999999] must not take a second) */
    long long first = cites.items[i]->first, last = cites.items[i]->last;
    if (last - first >= CITED_MAX)
      last = first + CITED_MAX - 1;
    for (long long number = first; number <= last; number++) {
      int at = 0;
      while (at < cited->count && cited->numbers[at] < number)
        at++;
      if ((at < cited->count && cited->numbers[at] == number) || cited->count == CITED_MAX)
        continue;
      memmove(cited->numbers + at + 1, cited->numbers + at,
              (size_t)(cited->count - at) * sizeof *cited->numbers);
      cited->numbers[at] = (int)number;
      cited->count++;
    }
  }
}

static void cite_node_numbers(CitedNumbers *cited, const Node *node) {
  if (!node)
    return;
  cite_numbers(cited, node->cites);
  for (int i = 0; i < node->count; i++)
    cite_node_numbers(cited, node->items[i]);
  cite_node_numbers(cited, node->operand);
}

static void markup_references(Markup *markup, const CitedNumbers *cited, const Module *module) {
  for (int i = 0; i < cited->count; i++) {
    const Reference *reference = module_reference(module, cited->numbers[i]);
    text_appendf(&markup->text, "\n\n[%d] ", cited->numbers[i]);
    markup_words(markup, reference ? reference->text : "(not in the references)");
  }
}

static const Module *meaning_module(const Meaning *meaning, int module) {
  const Program *program = meaning->where->program;
  return module >= 0 && module < program->module_count ? program->modules[module].module : NULL;
}

static void hover_criterion(Markup *markup, const Meaning *meaning) {
  const Criterion *criterion = meaning->criterion;
  markup_bold(markup, "criterion");
  markup_raw(markup, " ");
  markup_code(markup, criterion->name.text);
  markup_paragraph(markup, criterion->doc);
  CitedNumbers cited = {{0}, 0};
  cite_numbers(&cited, criterion->cites);
  cite_node_numbers(&cited, criterion->body);
  markup_references(markup, &cited, meaning_module(meaning, criterion->module));
}

static const char *section_decision(SectionKind kind) {
  static const char *const decisions[] = {
#define X(kind, keyword, decision) decision,
      SECTION_KIND_LIST(X)
#undef X
  };
  return decisions[kind];
}

static void hover_section(Markup *markup, const Meaning *meaning) {
  const Section *section = meaning->section;
  markup_bold(markup, ast_section_keyword(section->kind));
  if (section->name.text) {
    markup_raw(markup, " ");
    markup_code(markup, section->name.text);
  }
  if (section->kind == SEC_NOTE)
    markup_raw(markup, ": shown with the decision when its condition holds");
  else if (section->kind == SEC_APPLIES)
    markup_raw(markup, ": when it does not hold, the decision is ");
  else
    markup_raw(markup, ": when it holds, the decision is ");
  if (section->kind != SEC_NOTE)
    markup_code(markup, section_decision(section->kind));
  if (section->target) {
    markup_raw(markup, "\n\nrefer to: ");
    markup_words(markup, section->target);
  }
  markup_paragraph(markup, section->doc);
  CitedNumbers cited = {{0}, 0};
  cite_numbers(&cited, section->cites);
  cite_node_numbers(&cited, section->condition);
  markup_references(markup, &cited, root_module(meaning->where));
}

static void hover_cite(Markup *markup, const Document *document, const Cite *cite) {
  CitedNumbers cited = {{0}, 0};
  CiteList one = {(Cite **)&cite, 1};
  cite_numbers(&cited, one);
  markup_bold(markup, cite->first == cite->last ? "reference" : "references");
  markup_references(markup, &cited, root_module(document->current));
}

static void hover_use(Markup *markup, const Document *document, const UseDecl *use) {
  const Program *program = document->current->program;
  markup_bold(markup, "module");
  markup_raw(markup, " ");
  markup_code(markup, use->path);
  if (use->module >= 0 && use->module < program->module_count) {
    markup_raw(markup, "\n\n");
    markup_words(markup, program->modules[use->module].path);
  } else {
    markup_raw(markup, ": not found on the search path");
  }
}

static void hover_policy(Markup *markup, const PolicyDecl *policy) {
  markup_bold(markup, "policy");
  markup_raw(markup, " ");
  markup_code(markup, policy->name.text);
  for (int i = 0; i < policy->count; i++) {
    const MetaEntry *entry = policy->entries[i];
    const char *key = entry->key.text;
    if (entry->count == 0 || (strcmp(key, "title") && strcmp(key, "payer") &&
                              strcmp(key, "version") && strcmp(key, "identifier")))
      continue;
    markup_raw(markup, "\n\n");
    markup_raw(markup, key);
    markup_raw(markup, ": ");
    markup_words(markup, entry->values[0]->text ? entry->values[0]->text : "");
  }
}

static bool hover_meaning(Markup *markup, const Meaning *meaning) {
  switch (meaning->kind) {
  case MEANS_FACT:
    hover_fact(markup, meaning->fact);
    return true;
  case MEANS_CRITERION:
    hover_criterion(markup, meaning);
    return true;
  case MEANS_ENUM:
    hover_enum(markup, meaning->enumeration);
    return true;
  case MEANS_MEMBER:
    hover_member(markup, meaning->enumeration, meaning->member);
    return true;
  case MEANS_SECTION:
    hover_section(markup, meaning);
    return true;
  case MEANS_NOTHING:
    break;
  }
  return false;
}

static json_t *handle_hover(Server *server, json_t *params, RpcError *error) {
  uint32_t at = 0;
  Document *document = param_cursor(server, params, &at, error);
  if (!document)
    return NULL;
  Hit hit = hit_at(document, at);
  Markup markup = {{0}, server->markdown};
  if (hit.kind == HIT_CITE) {
    hover_cite(&markup, document, hit.cite);
  } else if (hit.kind == HIT_USE) {
    hover_use(&markup, document, hit.use);
  } else if (hit.kind == HIT_POLICY) {
    hover_policy(&markup, hit.policy);
  } else {
    Meaning meaning = resolve(server, document, &hit);
    if (!hover_meaning(&markup, &meaning))
      return NULL;
  }
  json_t *contents = json_pack("{s:s,s:o}", "kind", server->markdown ? "markdown" : "plaintext",
                               "value", json_text(text_finish(&markup.text)));
  return json_pack("{s:o,s:o}", "contents", contents, "range",
                   range_json(document->current, hit.span));
}

/* ---- definition ---------------------------------------------------------- */

static Span meaning_span(const Meaning *meaning) {
  switch (meaning->kind) {
  case MEANS_FACT:
    return meaning->fact->name.span;
  case MEANS_CRITERION:
    return meaning->criterion->name.span;
  case MEANS_ENUM:
    return meaning->enumeration->name.span;
  case MEANS_MEMBER:
    return meaning->member->name.span;
  case MEANS_SECTION:
    return meaning->section->name.text ? meaning->section->name.span : meaning->section->span;
  case MEANS_NOTHING:
    break;
  }
  Span none = {-1, 0, 0};
  return none;
}

static json_t *use_location(const Document *document, const UseDecl *use) {
  const Program *program = document->current->program;
  if (use->module < 0 || use->module >= program->module_count)
    return NULL;
  json_t *start = json_pack("{s:i,s:i}", "line", 0, "character", 0);
  json_t *range = json_pack("{s:O,s:o}", "start", start, "end", start);
  return json_pack("{s:o,s:o}", "uri", json_text(path_to_uri(program->modules[use->module].path)),
                   "range", range);
}

static json_t *handle_definition(Server *server, json_t *params, RpcError *error) {
  uint32_t at = 0;
  Document *document = param_cursor(server, params, &at, error);
  if (!document)
    return NULL;
  Hit hit = hit_at(document, at);
  if (hit.kind == HIT_USE)
    return use_location(document, hit.use);
  if (hit.kind == HIT_CITE) {
    const Reference *reference = module_reference(root_module(document->current), hit.cite->first);
    return reference ? location_json(document, document->current, reference->span) : NULL;
  }
  if (hit.kind == HIT_POLICY)
    return location_json(document, document->current, hit.policy->name.span);
  Meaning meaning = resolve(server, document, &hit);
  if (meaning.kind == MEANS_NOTHING)
    return NULL;
  return location_json(document, meaning.where, meaning_span(&meaning));
}

/* ---- completion: where the cursor is, read from the text ----------------- */

typedef enum LexKind { LEX_WORD, LEX_NUMBER, LEX_STRING, LEX_PUNCT } LexKind;

typedef struct LexToken {
  LexKind kind;
  uint32_t begin, end;
  int line;
} LexToken;

/* The tokens before the cursor: enough of the scanner (grammar/mrsp.l) to
 * know where strings and comments are, and what the last words were, in
 * text that may not parse. */
typedef struct LexScan {
  const char *text;
  LexToken *tokens;
  int count, capacity;
  int line;          /* the cursor's line */
  bool in_string;    /* the cursor is inside a string */
  bool in_comment;   /* ... or a comment */
} LexScan;

static void lex_push(LexScan *scan, LexKind kind, uint32_t begin, uint32_t end) {
  if (scan->count == scan->capacity) {
    scan->capacity = scan->capacity ? scan->capacity * 2 : 256;
    scan->tokens = GC_REALLOC(scan->tokens, (size_t)scan->capacity * sizeof *scan->tokens);
  }
  LexToken token = {kind, begin, end, scan->line};
  scan->tokens[scan->count++] = token;
}

/* A string from its opening quote; false if the cursor comes first. */
static bool lex_string(LexScan *scan, uint32_t *at, uint32_t end) {
  const char *text = scan->text;
  uint32_t begin = (*at)++;
  int line = scan->line;
  while (*at < end && text[*at] != '"') {
    if (text[*at] == '\\' && *at + 1 < end)
      ++*at;
    scan->line += text[*at] == '\n';
    ++*at;
  }
  if (*at >= end)
    return false;
  ++*at;
  int after = scan->line;
  scan->line = line;
  lex_push(scan, LEX_STRING, begin, *at);
  scan->line = after;
  return true;
}

static void lex_scan(LexScan *scan, const char *text, uint32_t end) {
  scan->text = text;
  uint32_t at = 0;
  while (at < end) {
    char c = text[at];
    uint32_t begin = at;
    if (c == '\n') {
      scan->line++;
      at++;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      at++;
    } else if (c == '#') {
      while (at < end && text[at] != '\n')
        at++;
      scan->in_comment = at == end;
    } else if (c == '"') {
      if (!lex_string(scan, &at, end)) {
        scan->in_string = true;
        return;
      }
    } else if (is_word_char(c)) {
      bool number = c >= '0' && c <= '9';
      while (at < end && (is_word_char(text[at]) || (number && text[at] == '-')))
        at++;
      lex_push(scan, number ? LEX_NUMBER : LEX_WORD, begin, at);
    } else {
      lex_push(scan, LEX_PUNCT, begin, ++at);
    }
  }
}

static const char *const reserved_words[] = {
    "policy", "references", "use",   "enum",    "fact",   "criterion", "applies",
    "refer",  "investigational", "exclude", "require", "note", "when",   "to",
    "test",   "expect", "missing", "notes",  "rule",   "all",    "any",  "not",
    "at",     "least",  "most",  "of",      "in",     "has",    "is",   "between",
    "and",    "within", "before", "after",  "on",     "or",     "more", "less",
    "than",   "set",    "true",  "false",   "unknown", "day",   "days", "week",
    "weeks",  "month",  "months", "year",   "years",
};

static bool token_is(const LexScan *scan, int i, const char *word) {
  if (i < 0 || i >= scan->count || scan->tokens[i].kind != LEX_WORD)
    return false;
  const LexToken *token = &scan->tokens[i];
  size_t length = strlen(word);
  return token->end - token->begin == length &&
         memcmp(scan->text + token->begin, word, length) == 0;
}

static bool token_punct(const LexScan *scan, int i, char c) {
  return i >= 0 && i < scan->count && scan->tokens[i].kind == LEX_PUNCT &&
         scan->text[scan->tokens[i].begin] == c;
}

static bool token_kind(const LexScan *scan, int i, LexKind kind) {
  return i >= 0 && i < scan->count && scan->tokens[i].kind == kind;
}

static bool token_reserved(const LexScan *scan, int i) {
  for (size_t k = 0; k < sizeof reserved_words / sizeof reserved_words[0]; k++)
    if (token_is(scan, i, reserved_words[k]))
      return true;
  return false;
}

/* A name: a word that is not a keyword. */
static bool token_name(const LexScan *scan, int i) {
  return token_kind(scan, i, LEX_WORD) && !token_reserved(scan, i);
}

static const char *token_text(const LexScan *scan, int i) {
  const LexToken *token = &scan->tokens[i];
  return text_format("%.*s", (int)(token->end - token->begin), scan->text + token->begin);
}

static bool token_unit(const LexScan *scan, int i) {
  static const char *const units[] = {"day", "days", "week", "weeks",
                                      "month", "months", "year", "years"};
  for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
    if (token_is(scan, i, units[k]))
      return true;
  return false;
}

typedef enum CompletionKind {
  COMPLETE_NOTHING,
  COMPLETE_DECLARATIONS,  /* top level: the declaration keywords */
  COMPLETE_CONDITIONS,    /* a condition: facts, criteria, group keywords */
  COMPLETE_VALUES,        /* a value of subject: members, true/false, facts of its type */
  COMPLETE_TEST_VALUES,   /* the same in a test, and 'unknown' */
  COMPLETE_MEMBERS,       /* after 'has': members, and 'any', 'all' */
  COMPLETE_OPERATORS,     /* after a fact: the words that compare it */
  COMPLETE_DATE_FACTS,    /* after 'before', 'after' */
  COMPLETE_INT_FACTS,     /* after 'at least', 'more than', ... */
  COMPLETE_UNITS,         /* within 3 _ */
  COMPLETE_DIRECTIONS,    /* within 3 months _ */
  COMPLETE_MODULES,       /* use _ */
  COMPLETE_TEST_ITEMS,    /* a line of a test: facts and 'expect' */
  COMPLETE_EXPECTATIONS,  /* expect _ */
  COMPLETE_FACTS,         /* expect missing { _ } */
  COMPLETE_RULES,         /* expect rule _ */
  COMPLETE_NOTES,         /* expect notes { _ } */
  COMPLETE_POLICY_FIELDS, /* a field of the policy block */
} CompletionKind;

typedef struct CompletionContext {
  CompletionKind kind;
  const char *subject; /* the fact the values are for */
} CompletionContext;

static CompletionContext context(CompletionKind kind, const char *subject) {
  CompletionContext result = {kind, subject};
  return result;
}

/* Inside a test block that opened at token b; last is the last token. */
static CompletionContext test_context(const LexScan *scan, int b, int last) {
  if (last == b || token_punct(scan, last, ';'))
    return context(COMPLETE_TEST_ITEMS, NULL);
  if (token_is(scan, last, "expect"))
    return context(COMPLETE_EXPECTATIONS, NULL);
  if (token_is(scan, last, "rule") && token_is(scan, last - 1, "expect"))
    return context(COMPLETE_RULES, NULL);
  if (token_punct(scan, last, ':') && token_name(scan, last - 1))
    return context(COMPLETE_TEST_VALUES, token_text(scan, last - 1));
  return context(COMPLETE_NOTHING, NULL);
}

/* Inside the policy block that opened at token b: a field name at the start
 * of a line, else the values of the line's field. */
static CompletionContext policy_context(const LexScan *scan, int b, int last) {
  const LexToken *tokens = scan->tokens;
  if (last == b || token_punct(scan, last, ';') ||
      (tokens[last].line < scan->line && !token_punct(scan, last, ',')))
    return context(COMPLETE_POLICY_FIELDS, NULL);
  int key = last;
  while (key > b + 1 && !(tokens[key].line > tokens[key - 1].line &&
                          !token_punct(scan, key - 1, ',')))
    key--;
  if (token_is(scan, key, "lines"))
    return context(COMPLETE_VALUES, "line_of_business");
  if (token_is(scan, key, "settings"))
    return context(COMPLETE_VALUES, "setting");
  return context(COMPLETE_NOTHING, NULL);
}

/* Inside braces opened at token b: what the braces belong to decides. */
static CompletionContext brace_context(const LexScan *scan, int b, int last) {
  if (token_is(scan, b - 1, "in") && token_name(scan, b - 2))
    return context(COMPLETE_VALUES, token_text(scan, b - 2));
  if ((token_is(scan, b - 1, "any") || token_is(scan, b - 1, "all")) &&
      token_is(scan, b - 2, "has") && token_name(scan, b - 3))
    return context(COMPLETE_VALUES, token_text(scan, b - 3));
  if (token_punct(scan, b - 1, ':') && token_name(scan, b - 2))
    return context(COMPLETE_TEST_VALUES, token_text(scan, b - 2));
  if (token_is(scan, b - 1, "missing"))
    return context(COMPLETE_FACTS, NULL);
  if (token_is(scan, b - 1, "notes"))
    return context(COMPLETE_NOTES, NULL);
  if (token_is(scan, b - 2, "policy"))
    return policy_context(scan, b, last);
  if (token_is(scan, b - 2, "test") ||
      (token_kind(scan, b - 1, LEX_STRING) && token_is(scan, b - 3, "test")))
    return test_context(scan, b, last);
  return context(COMPLETE_NOTHING, NULL);
}

static bool starts_condition(const LexScan *scan, int last) {
  static const char *const words[] = {"not",     "when",    "applies", "investigational",
                                      "exclude", "require", "refer"};
  for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
    if (token_is(scan, last, words[k]))
      return true;
  return token_punct(scan, last, '=') || token_punct(scan, last, '<') ||
         token_kind(scan, last, LEX_STRING);
}

/* Outside braces; depth is the number of groups open. */
static CompletionContext free_context(const LexScan *scan, int last, int depth) {
  if (last < 0)
    return context(COMPLETE_DECLARATIONS, NULL);
  if (token_punct(scan, last, ';') || token_punct(scan, last, '}'))
    return context(depth > 0 ? COMPLETE_CONDITIONS : COMPLETE_DECLARATIONS, NULL);
  if (token_is(scan, last, "use"))
    return context(COMPLETE_MODULES, NULL);
  if (token_is(scan, last, "is") && token_name(scan, last - 1))
    return context(COMPLETE_VALUES, token_text(scan, last - 1));
  if (token_is(scan, last, "has") && token_name(scan, last - 1))
    return context(COMPLETE_MEMBERS, token_text(scan, last - 1));
  if (token_is(scan, last, "before") || token_is(scan, last, "after"))
    return context(COMPLETE_DATE_FACTS, NULL);
  if ((token_is(scan, last, "least") || token_is(scan, last, "most")) &&
      token_name(scan, last - 2))
    return context(COMPLETE_INT_FACTS, NULL);
  if (token_is(scan, last, "than"))
    return context(COMPLETE_INT_FACTS, NULL);
  if (token_kind(scan, last, LEX_NUMBER) && token_is(scan, last - 1, "within"))
    return context(COMPLETE_UNITS, NULL);
  if (token_unit(scan, last) && token_is(scan, last - 2, "within"))
    return context(COMPLETE_DIRECTIONS, NULL);
  if (token_name(scan, last) && !token_is(scan, last - 1, "criterion") &&
      !token_is(scan, last - 1, "fact") && !token_is(scan, last - 1, "enum"))
    return context(COMPLETE_OPERATORS, token_text(scan, last));
  if (starts_condition(scan, last))
    return context(COMPLETE_CONDITIONS, NULL);
  return context(COMPLETE_NOTHING, NULL);
}

static CompletionContext completion_context(const char *text, uint32_t at) {
  LexScan scan = {0};
  lex_scan(&scan, text, at);
  if (scan.in_string || scan.in_comment)
    return context(COMPLETE_NOTHING, NULL);
  int count = scan.count;
  if (count > 0 && scan.tokens[count - 1].end == at) {
    LexKind kind = scan.tokens[count - 1].kind;
    if (kind == LEX_NUMBER)
      return context(COMPLETE_NOTHING, NULL);
    if (kind == LEX_WORD)
      count--; /* the word being typed */
  }
  scan.count = count;
  int *braces = GC_MALLOC_ATOMIC((size_t)(count + 1) * sizeof *braces);
  int open = 0, depth = 0;
  for (int i = 0; i < count; i++) {
    if (token_punct(&scan, i, '{'))
      braces[open++] = i;
    else if (token_punct(&scan, i, '}') && open > 0)
      open--;
    else if (token_punct(&scan, i, '<'))
      depth++;
    else if (token_punct(&scan, i, '>') && depth > 0)
      depth--;
    else if (token_is(&scan, i, "criterion") || token_is(&scan, i, "require") ||
             token_is(&scan, i, "exclude") || token_is(&scan, i, "investigational") ||
             token_is(&scan, i, "applies") || token_is(&scan, i, "refer") ||
             token_is(&scan, i, "note") || token_is(&scan, i, "test"))
      depth = 0; /* a new declaration: groups left open before it are errors */
  }
  if (open > 0)
    return brace_context(&scan, braces[open - 1], count - 1);
  return free_context(&scan, count - 1, depth);
}

/* ---- completion: the items ----------------------------------------------- */

static void add_item(json_t *items, const char *label, int kind, const char *detail,
                     const char *documentation) {
  json_t *item = json_pack("{s:o,s:i}", "label", json_text(label), "kind", kind);
  if (detail)
    json_object_set_new(item, "detail", json_text(detail));
  if (documentation)
    json_object_set_new(item, "documentation", json_text(documentation));
  json_array_append_new(items, item);
}

static void add_words(json_t *items, const char *const *words, size_t count, int kind) {
  for (size_t i = 0; i < count; i++)
    add_item(items, words[i], kind, NULL, NULL);
}

/* The facts a document sees: its own declarations, then the schema's and
 * its modules' (as of the last text that declared names). */
static PtrList facts_in_scope(Server *server, const Document *document) {
  PtrList facts = {0};
  const Module *root = root_module(document->current);
  for (int i = 0; i < root->count; i++)
    if (root->decls[i]->kind == DECL_FACT)
      ast_list_push(&facts, root->decls[i]->as.fact);
  const Analysis *known = known_analysis(server, document);
  for (int i = 0; i < known->program->fact_count; i++) {
    FactDecl *fact = known->program->facts[i];
    if (!stale(document, known, fact->name.span) &&
        !root_decl(document->current, DECL_FACT, fact->name.text))
      ast_list_push(&facts, fact);
  }
  return facts;
}

static PtrList criteria_in_scope(Server *server, const Document *document) {
  PtrList criteria = {0};
  const Module *root = root_module(document->current);
  for (int i = 0; i < root->count; i++)
    if (root->decls[i]->kind == DECL_CRITERION)
      ast_list_push(&criteria, root->decls[i]->as.criterion);
  const Analysis *known = known_analysis(server, document);
  for (int i = 0; i < known->program->criterion_count; i++) {
    Criterion *criterion = known->program->criteria[i];
    if (!stale(document, known, criterion->name.span) &&
        !root_decl(document->current, DECL_CRITERION, criterion->name.text))
      ast_list_push(&criteria, criterion);
  }
  return criteria;
}

/* Facts, all of them or those of one type (TY_ERROR: any). */
static void add_facts(Server *server, const Document *document, json_t *items, TypeKind only) {
  PtrList facts = facts_in_scope(server, document);
  for (int i = 0; i < facts.count; i++) {
    const FactDecl *fact = facts.items[i];
    if (only == TY_ERROR || fact_kind(fact) == only)
      add_item(items, fact->name.text, ITEM_VARIABLE, fact_type_text(fact), fact->doc);
  }
}

static void add_criteria(Server *server, const Document *document, json_t *items) {
  PtrList criteria = criteria_in_scope(server, document);
  for (int i = 0; i < criteria.count; i++) {
    const Criterion *criterion = criteria.items[i];
    add_item(items, criterion->name.text, ITEM_FUNCTION, "criterion", criterion->doc);
  }
}

static void add_members(json_t *items, const EnumDecl *enumeration) {
  const char *detail = text_format("%s member", enumeration->name.text);
  for (int i = 0; i < enumeration->count; i++)
    add_item(items, enumeration->members[i]->name.text, ITEM_ENUM_MEMBER, detail,
             enumeration->members[i]->doc);
}

static void add_sections(const Document *document, json_t *items, bool notes) {
  const Module *root = root_module(document->current);
  for (int i = 0; i < root->count; i++) {
    const Decl *decl = root->decls[i];
    if (decl->kind != DECL_SECTION || !decl->as.section->name.text ||
        (decl->as.section->kind == SEC_NOTE) != notes)
      continue;
    add_item(items, decl->as.section->name.text, ITEM_EVENT,
             ast_section_keyword(decl->as.section->kind), decl->as.section->doc);
  }
}

static void add_modules(Server *server, const Document *document, json_t *items) {
  int count = 0;
  const char **names = loader_available(server->search, loader_dirname(document->path), &count);
  for (int i = 0; i < count; i++) {
    bool seen = false;
    for (int j = 0; j < i && !seen; j++)
      seen = strcmp(names[i], names[j]) == 0;
    if (!seen)
      add_item(items, names[i], ITEM_MODULE, "module", NULL);
  }
}

static void add_values(Server *server, const Document *document, json_t *items,
                       const char *subject, bool in_test) {
  static const char *const truth[] = {"true", "false"};
  Meaning fact = find_fact(server, document, subject);
  if (fact.kind != MEANS_FACT)
    return;
  TypeKind kind = fact_kind(fact.fact);
  Meaning enumeration = fact_enum(server, document, fact);
  if (enumeration.kind == MEANS_ENUM)
    add_members(items, enumeration.enumeration);
  else if (kind == TY_BOOL)
    add_words(items, truth, 2, ITEM_VALUE);
  else if ((kind == TY_INT || kind == TY_DATE) && !in_test)
    add_facts(server, document, items, kind);
  if (in_test)
    add_item(items, "unknown", ITEM_VALUE, "the fact is not known", NULL);
}

static void add_operators(Server *server, const Document *document, json_t *items,
                          const char *subject) {
  static const char *const for_bool[] = {"is"};
  static const char *const for_int[] = {"at least",  "at most", "more than", "less than",
                                        "between", "is",      "in"};
  static const char *const for_date[] = {"before", "after",   "on or before", "on or after",
                                         "within", "between", "is"};
  static const char *const for_value[] = {"is", "in"};
  static const char *const for_set[] = {"has", "has any", "has all"};
  Meaning fact = find_fact(server, document, subject);
  if (fact.kind != MEANS_FACT)
    return;
  switch (fact_kind(fact.fact)) {
  case TY_BOOL:
    add_words(items, for_bool, 1, ITEM_OPERATOR);
    break;
  case TY_INT:
    add_words(items, for_int, sizeof for_int / sizeof *for_int, ITEM_OPERATOR);
    break;
  case TY_DATE:
    add_words(items, for_date, sizeof for_date / sizeof *for_date, ITEM_OPERATOR);
    break;
  case TY_SET:
    add_words(items, for_set, sizeof for_set / sizeof *for_set, ITEM_OPERATOR);
    break;
  default:
    add_words(items, for_value, sizeof for_value / sizeof *for_value, ITEM_OPERATOR);
    break;
  }
}

static void add_policy_fields(json_t *items) {
  static const char *const fields[] = {
      "title",    "payer",    "vendor",          "identifier",  "version",  "specialty",
      "description", "evidence", "original",     "revised",     "reviewed", "previous_review",
      "next_review", "approved", "effective",    "implemented", "published", "initiated",
      "codes",    "lines",    "ages",            "settings"};
  add_words(items, fields, sizeof fields / sizeof *fields, ITEM_KEYWORD);
}

static void add_expectations(json_t *items) {
  static const char *const words[] = {"missing", "notes", "rule"};
  for (int i = 0; i < DECISION_COUNT; i++)
    add_item(items, decision_name((Decision)i), ITEM_VALUE, "decision", NULL);
  add_words(items, words, 3, ITEM_KEYWORD);
}

static void add_completions(Server *server, const Document *document, json_t *items,
                            CompletionContext where) {
  static const char *const declarations[] = {
      "policy", "references",      "use",     "enum",    "fact", "criterion", "applies",
      "refer",  "investigational", "exclude", "require", "note", "test"};
  static const char *const groups[] = {"all", "any", "not", "at least", "true", "false"};
  static const char *const units[] = {"days", "weeks", "months", "years"};
  static const char *const directions[] = {"before", "after"};
  static const char *const set_words[] = {"any", "all"};
  switch (where.kind) {
  case COMPLETE_NOTHING:
    break;
  case COMPLETE_DECLARATIONS:
    add_words(items, declarations, sizeof declarations / sizeof *declarations, ITEM_KEYWORD);
    break;
  case COMPLETE_CONDITIONS:
    add_criteria(server, document, items);
    add_facts(server, document, items, TY_ERROR);
    add_words(items, groups, sizeof groups / sizeof *groups, ITEM_KEYWORD);
    break;
  case COMPLETE_VALUES:
  case COMPLETE_TEST_VALUES:
    add_values(server, document, items, where.subject, where.kind == COMPLETE_TEST_VALUES);
    break;
  case COMPLETE_MEMBERS:
    add_values(server, document, items, where.subject, false);
    add_words(items, set_words, 2, ITEM_KEYWORD);
    break;
  case COMPLETE_OPERATORS:
    add_operators(server, document, items, where.subject);
    break;
  case COMPLETE_DATE_FACTS:
    add_facts(server, document, items, TY_DATE);
    break;
  case COMPLETE_INT_FACTS:
    add_facts(server, document, items, TY_INT);
    break;
  case COMPLETE_UNITS:
    add_words(items, units, 4, ITEM_UNIT);
    break;
  case COMPLETE_DIRECTIONS:
    add_words(items, directions, 2, ITEM_KEYWORD);
    break;
  case COMPLETE_MODULES:
    add_modules(server, document, items);
    break;
  case COMPLETE_TEST_ITEMS:
    add_facts(server, document, items, TY_ERROR);
    add_item(items, "expect", ITEM_KEYWORD, NULL, NULL);
    break;
  case COMPLETE_EXPECTATIONS:
    add_expectations(items);
    break;
  case COMPLETE_FACTS:
    add_facts(server, document, items, TY_ERROR);
    break;
  case COMPLETE_RULES:
    add_sections(document, items, false);
    break;
  case COMPLETE_NOTES:
    add_sections(document, items, true);
    break;
  case COMPLETE_POLICY_FIELDS:
    add_policy_fields(items);
    break;
  }
}

/* A space typed in the middle of a sentence should not pop up every fact;
 * after 'is', 'has', 'use' or a fact's name it is an invitation. */
static bool answers_space(CompletionKind kind) {
  return kind != COMPLETE_DECLARATIONS && kind != COMPLETE_CONDITIONS &&
         kind != COMPLETE_TEST_ITEMS && kind != COMPLETE_POLICY_FIELDS;
}

static json_t *handle_completion(Server *server, json_t *params, RpcError *error) {
  uint32_t at = 0;
  Document *document = param_cursor(server, params, &at, error);
  if (!document)
    return NULL;
  CompletionContext where = completion_context(document->text, at);
  json_t *trigger = field(params, "context");
  const char *character = string_field(trigger, "triggerCharacter");
  json_t *items = json_array();
  bool by_space = count_field(trigger, "triggerKind") == TRIGGER_CHARACTER && character &&
                  strcmp(character, " ") == 0;
  if (!by_space || answers_space(where.kind))
    add_completions(server, document, items, where);
  return json_pack("{s:b,s:o}", "isIncomplete", 0, "items", items);
}

/* ---- document symbols ---------------------------------------------------- */

/* The first characters of a doc string, for a one-line detail. */
static const char *excerpt(const char *text) {
  if (!text)
    return NULL;
  size_t length = strlen(text), at = 0;
  size_t characters = 0;
  while (at < length && characters < DETAIL_MAX) {
    uint32_t c;
    at += next_char(text, (uint32_t)at, (uint32_t)length, &c);
    characters++;
  }
  return at < length ? text_format("%.*s...", (int)at, text) : text;
}

static json_t *symbol(const Analysis *analysis, const char *name, const char *detail, int kind,
                      Span range, Span selection) {
  json_t *out = json_pack("{s:o,s:i,s:o,s:o,s:[]}", "name", json_text(name), "kind", kind,
                          "range", range_json(analysis, range), "selectionRange",
                          range_json(analysis, selection), "children");
  if (detail)
    json_object_set_new(out, "detail", json_text(detail));
  return out;
}

static void add_child(json_t *parent, json_t *child) {
  json_array_append_new(json_object_get(parent, "children"), child);
}

static json_t *section_symbol(const Analysis *analysis, const Section *section) {
  const char *keyword = ast_section_keyword(section->kind);
  Span head = {section->span.file, section->span.begin,
               section->span.begin + (uint32_t)strlen(keyword)};
  bool named = section->name.text != NULL;
  const char *name = named ? section->name.text : keyword;
  const char *detail = named ? keyword : excerpt(section->doc);
  return symbol(analysis, name, detail, section->kind == SEC_NOTE ? SYMBOL_STRING : SYMBOL_EVENT,
                section->span, named ? section->name.span : head);
}

static json_t *references_symbol(const Analysis *analysis, const Decl *decl) {
  Span head = {decl->span.file, decl->span.begin, decl->span.begin + 10};
  json_t *out = symbol(analysis, "references", NULL, SYMBOL_ARRAY, decl->span, head);
  for (int i = 0; i < decl->as.references.count; i++) {
    const Reference *reference = decl->as.references.items[i];
    add_child(out, symbol(analysis, text_format("[%d]", reference->number),
                          excerpt(reference->text), SYMBOL_NUMBER, reference->span,
                          reference->span));
  }
  return out;
}

static json_t *enum_symbol(const Analysis *analysis, const EnumDecl *enumeration) {
  json_t *out = symbol(analysis, enumeration->name.text, excerpt(enumeration->doc), SYMBOL_ENUM,
                       enumeration->span, enumeration->name.span);
  for (int i = 0; i < enumeration->count; i++) {
    const EnumMember *member = enumeration->members[i];
    add_child(out, symbol(analysis, member->name.text, excerpt(member->doc), SYMBOL_ENUM_MEMBER,
                          member->name.span, member->name.span));
  }
  return out;
}

static json_t *decl_symbol(const Analysis *analysis, const Decl *decl) {
  switch (decl->kind) {
  case DECL_POLICY:
    return symbol(analysis, decl->as.policy->name.text, "policy", SYMBOL_NAMESPACE, decl->span,
                  decl->as.policy->name.span);
  case DECL_REFERENCES:
    return references_symbol(analysis, decl);
  case DECL_USE:
    return symbol(analysis, decl->as.use->path, "use", SYMBOL_MODULE, decl->span,
                  decl->as.use->span);
  case DECL_ENUM:
    return enum_symbol(analysis, decl->as.enumeration);
  case DECL_FACT:
    return symbol(analysis, decl->as.fact->name.text, fact_type_text(decl->as.fact),
                  SYMBOL_VARIABLE, decl->span, decl->as.fact->name.span);
  case DECL_CRITERION:
    return symbol(analysis, decl->as.criterion->name.text, excerpt(decl->as.criterion->doc),
                  SYMBOL_FUNCTION, decl->span, decl->as.criterion->name.span);
  case DECL_SECTION:
    return section_symbol(analysis, decl->as.section);
  case DECL_TEST:
    return symbol(analysis, decl->as.test->name.text, "test", SYMBOL_METHOD, decl->span,
                  decl->as.test->name.span);
  }
  return NULL;
}

static json_t *handle_document_symbol(Server *server, json_t *params, RpcError *error) {
  bool unknown = false;
  Document *document = param_document(server, params, &unknown, error);
  if (!document)
    return NULL; /* a document that is not open has no symbols */
  json_t *symbols = json_array();
  const Module *root = root_module(document->current);
  for (int i = 0; i < root->count; i++)
    json_array_append_new(symbols, decl_symbol(document->current, root->decls[i]));
  return symbols;
}

/* ---- lifecycle ----------------------------------------------------------- */

static void read_client_capabilities(Server *server, json_t *params) {
  json_t *text = field(field(params, "capabilities"), "textDocument");
  server->related_information =
      json_is_true(field(field(text, "publishDiagnostics"), "relatedInformation"));
  json_t *formats = field(field(text, "hover"), "contentFormat");
  server->markdown = !json_is_array(formats) || array_has_string(formats, "markdown");
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
    {"textDocument/hover", true, handle_hover},
    {"textDocument/definition", true, handle_definition},
    {"textDocument/completion", true, handle_completion},
    {"textDocument/documentSymbol", true, handle_document_symbol},
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
    log_line("%s: %s", name, error.message);
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
    send_error(server, id, error.code, error.message);
  } else {
    send_result(server, id, result);
  }
}

/* Why a message is not a request or notification, or NULL if it is one. */
static const char *invalid_request(json_t *message, json_t *id) {
  const char *version = string_field(message, "jsonrpc");
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
    send_error(server, NULL, RPC_INVALID_REQUEST,
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
    send_error(server, valid_id ? id : NULL, RPC_INVALID_REQUEST, problem);
  else if (params && !json_is_object(params) && !json_is_array(params) && id)
    send_error(server, id, RPC_INVALID_PARAMS, "params is an object or an array");
  else if (params && !json_is_object(params) && !json_is_array(params))
    log_line("ignored '%s': params is not an object", json_string_value(method));
  else if (id)
    run_request(server, json_string_value(method), params, id);
  else
    run_notification(server, json_string_value(method), params);
}

static void handle_body(Server *server, const char *body, size_t length) {
  json_error_t error;
  json_t *message = json_loadb(body, length, JSON_DECODE_ANY | JSON_ALLOW_NUL, &error);
  if (!message) {
    send_error(server, NULL, RPC_PARSE_ERROR,
               text_format("the message is not JSON: %s (byte %d)", error.text, error.position));
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
    ReadStatus status = read_message(server, &message);
    if (status == READ_END)
      return exit_status(server);
    if (message.skipped && status != READ_BAD_HEADER)
      send_error(server, NULL, RPC_PARSE_ERROR, "skipped bytes that are not a message header");
    if (status == READ_BAD_HEADER)
      send_error(server, NULL, RPC_PARSE_ERROR, message.problem);
    else if (status == READ_TOO_LARGE)
      send_error(server, NULL, RPC_INVALID_REQUEST, message.problem);
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
