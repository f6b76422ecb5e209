/* lsp_transport.c - the language server's messages on stdio.
 *
 * Takes the bytes of standard input; produces the bodies of the messages
 * in them (Content-Length framing, with bounded headers and bodies), and
 * writes replies and notifications to standard output framed the same
 * way.  Also the JSON helpers the other lsp files read params with.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsp_internal.h"
#include "text.h"

enum {
  HEADER_LINE_MAX = 1024,  /* bytes kept of one header line */
  HEADER_LINES_MAX = 32,   /* header lines in one message */
  LENGTH_DIGITS_MAX = 12,  /* digits of a Content-Length */
  BODY_MAX = 64 << 20,     /* bytes of one message body */
};

/* A line on standard error, which editors keep as the server's log. */
void lsp_log_line(const char *format, ...) {
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
json_t *lsp_json_text(const char *text) {
  json_t *value = json_string(text);
  return value ? value : json_string(text_printable(text, strlen(text)));
}

json_t *lsp_field(json_t *object, const char *key) {
  return json_is_object(object) ? json_object_get(object, key) : NULL;
}

const char *lsp_string_field(json_t *object, const char *key) {
  json_t *value = lsp_field(object, key);
  return json_is_string(value) ? json_string_value(value) : NULL;
}

/* A non-negative integer field; -1 when missing or of another type. */
json_int_t lsp_count_field(json_t *object, const char *key) {
  json_t *value = lsp_field(object, key);
  if (!json_is_integer(value) || json_integer_value(value) < 0)
    return -1;
  return json_integer_value(value);
}

bool lsp_array_has_string(json_t *array, const char *wanted) {
  size_t i;
  json_t *item;
  json_array_foreach(array, i, item) {
    if (json_is_string(item) && strcmp(json_string_value(item), wanted) == 0)
      return true;
  }
  return false;
}

/* ---- transport: Content-Length framing ----------------------------------- */

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

char lsp_lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The one header that matters (the other, Content-Type, has one value). */
static const char length_header[] = "content-length:";
enum { LENGTH_HEADER_SIZE = sizeof length_header - 1 };

/* Where "content-length:" starts in line (any case), or -1. */
static long find_length_header(const char *line, size_t length) {
  for (size_t at = 0; at + LENGTH_HEADER_SIZE <= length; at++) {
    size_t i = 0;
    while (i < LENGTH_HEADER_SIZE && lsp_lower(line[at + i]) == length_header[i])
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
    char c = lsp_lower(line[i]);
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

ReadStatus lsp_read_message(Server *server, Incoming *message) {
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
    lsp_log_line("could not encode a reply");
    return;
  }
  size_t length = strlen(body);
  fprintf(server->out, "Content-Length: %zu\r\n\r\n", length);
  fwrite(body, 1, length, server->out);
  free(body);
  if (fflush(server->out) != 0 || ferror(server->out))
    server->exiting = true; /* the client has gone */
}

void lsp_send_result(Server *server, json_t *id, json_t *result) {
  json_t *message = json_object();
  json_object_set(message, "id", id);
  json_object_set_new(message, "result", result ? result : json_null());
  send_message(server, message);
}

void lsp_send_error(Server *server, json_t *id, int code, const char *text) {
  json_t *error = json_object();
  json_object_set_new(error, "code", json_integer(code));
  json_object_set_new(error, "message", lsp_json_text(text));
  json_t *message = json_object();
  json_object_set_new(message, "id", id ? json_incref(id) : json_null());
  json_object_set_new(message, "error", error);
  send_message(server, message);
}

void lsp_send_notification(Server *server, const char *method, json_t *params) {
  json_t *message = json_object();
  json_object_set_new(message, "method", json_string(method));
  json_object_set_new(message, "params", params);
  send_message(server, message);
}
