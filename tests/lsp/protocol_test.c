/* protocol_test.c - drives 'mrspc lsp' through whole sessions, as an editor.
 *
 * usage: lsp_protocol_test MRSPC FIXTURES_DIR
 *
 * Starts the server on pipes, speaks LSP to it (Content-Length framing,
 * JSON-RPC) and checks what an author would see: the diagnostics of
 * 'mrspc check' at the same places (ranges in UTF-16 units), hover text,
 * definitions, completions and outline symbols; that it keeps answering
 * while the text has syntax errors; and that every malformed message gets
 * the JSON-RPC error it should, with the server still serving after it.
 * Positions are found by searching the fixture text, so the fixtures can
 * change without renumbering the test.  Prints one line per check and ends
 * with "N passed, N failed"; exits 1 on any failure.
 */
#define _DEFAULT_SOURCE /* realpath */
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { REPLY_TIMEOUT_MS = 30000, QUEUE_MAX = 64, LINE_MAX_BYTES = 4096 };
#define BODY_LIMIT (64 << 20) /* the server's limit on a message body */

static const char *mrspc_path;
static const char *fixtures;
static int passed, failed;

/* ---- checks ----------------------------------------------------------------- */

static bool check(bool ok, const char *format, ...) __attribute__((format(printf, 2, 3)));

static bool check(bool ok, const char *format, ...) {
  va_list args;
  va_start(args, format);
  printf("%s - ", ok ? "ok" : "FAIL");
  vprintf(format, args);
  putchar('\n');
  va_end(args);
  fflush(stdout);
  if (ok)
    passed++;
  else
    failed++;
  return ok;
}

static char *read_file(const char *path) {
  FILE *file = fopen(path, "rb");
  if (!file) {
    fprintf(stderr, "cannot read %s: %s\n", path, strerror(errno));
    exit(2);
  }
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  char *text = malloc((size_t)size + 1);
  size_t got = fread(text, 1, (size_t)size, file);
  text[got] = '\0';
  fclose(file);
  return text;
}

static char *fixture_path(const char *name) {
  char *path = malloc(strlen(fixtures) + strlen(name) + 2);
  sprintf(path, "%s/%s", fixtures, name);
  return path;
}

static char *file_uri(const char *path) {
  char *uri = malloc(strlen(path) + 8);
  sprintf(uri, "file://%s", path);
  return uri;
}

/* ---- the server process ---------------------------------------------------------- */

typedef struct Server {
  pid_t pid;
  int to_server, from_server;
  char *buffer; /* bytes read but not yet parsed */
  size_t length, capacity;
  json_t *queue[QUEUE_MAX]; /* notifications read while waiting for a reply */
  int queued;
  int next_id;
} Server;

static void start_server(Server *server) {
  int in[2], out[2];
  if (pipe(in) != 0 || pipe(out) != 0) {
    perror("pipe");
    exit(2);
  }
  memset(server, 0, sizeof *server);
  server->next_id = 1;
  server->pid = fork();
  if (server->pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[0]), close(in[1]), close(out[0]), close(out[1]);
    execl(mrspc_path, mrspc_path, "lsp", (char *)NULL);
    perror("exec");
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  server->to_server = in[1];
  server->from_server = out[0];
}

static void write_all(Server *server, const char *bytes, size_t length) {
  while (length > 0) {
    ssize_t n = write(server->to_server, bytes, length);
    if (n <= 0) {
      check(false, "the server stopped reading (write: %s)", strerror(errno));
      return;
    }
    bytes += n;
    length -= (size_t)n;
  }
}

static void send_raw(Server *server, const char *body, size_t length) {
  char header[64];
  int n = snprintf(header, sizeof header, "Content-Length: %zu\r\n\r\n", length);
  write_all(server, header, (size_t)n);
  write_all(server, body, length);
}

static void send_json(Server *server, json_t *message) {
  char *body = json_dumps(message, JSON_COMPACT);
  send_raw(server, body, strlen(body));
  free(body);
  json_decref(message);
}

static int request(Server *server, const char *method, json_t *params) {
  int id = server->next_id++;
  json_t *message = json_pack("{s:s,s:i,s:s}", "jsonrpc", "2.0", "id", id, "method", method);
  if (params)
    json_object_set_new(message, "params", params);
  send_json(server, message);
  return id;
}

static void notify(Server *server, const char *method, json_t *params) {
  json_t *message = json_pack("{s:s,s:s}", "jsonrpc", "2.0", "method", method);
  if (params)
    json_object_set_new(message, "params", params);
  send_json(server, message);
}

/* Reads more bytes from the server; false on end of output or time-out. */
static bool fill(Server *server) {
  struct pollfd wait = {server->from_server, POLLIN, 0};
  if (poll(&wait, 1, REPLY_TIMEOUT_MS) <= 0)
    return false;
  if (server->length + 65536 > server->capacity) {
    server->capacity = server->capacity * 2 + 65536;
    server->buffer = realloc(server->buffer, server->capacity);
  }
  ssize_t n = read(server->from_server, server->buffer + server->length, 65536);
  if (n <= 0)
    return false;
  server->length += (size_t)n;
  return true;
}

/* One framed message from the server, or NULL (after a failed check). */
static json_t *read_message(Server *server) {
  for (;;) {
    char *end = server->length ? strstr(server->buffer, "\r\n\r\n") : NULL;
    if (end && strncmp(server->buffer, "Content-Length: ", 16) == 0) {
      size_t header = (size_t)(end - server->buffer) + 4;
      size_t body = strtoul(server->buffer + 16, NULL, 10);
      if (server->length >= header + body) {
        json_error_t error;
        json_t *message = json_loadb(server->buffer + header, body, 0, &error);
        memmove(server->buffer, server->buffer + header + body, server->length - header - body);
        server->length -= header + body;
        server->buffer[server->length] = '\0';
        if (!message)
          check(false, "the server's message is JSON (%s)", error.text);
        return message;
      }
    } else if (server->length > 0 && !end && server->length > 64) {
      check(false, "the server's output starts with a Content-Length header");
      return NULL;
    }
    if (server->length + 1 >= server->capacity) {
      server->capacity = server->capacity * 2 + 65536;
      server->buffer = realloc(server->buffer, server->capacity);
    }
    server->buffer[server->length] = '\0';
    if (!fill(server)) {
      check(false, "the server answers (it ended or timed out)");
      return NULL;
    }
    server->buffer[server->length] = '\0';
  }
}

/* The next reply (a message with an id), keeping notifications queued. */
static json_t *next_reply(Server *server) {
  for (;;) {
    json_t *message = read_message(server);
    if (!message)
      return NULL;
    if (json_object_get(message, "id"))
      return message;
    if (server->queued == QUEUE_MAX) { /* the oldest goes */
      json_decref(server->queue[0]);
      memmove(server->queue, server->queue + 1, (size_t)--server->queued * sizeof *server->queue);
    }
    server->queue[server->queued++] = message;
  }
}

/* The reply to request id, or NULL (after a failed check) if the next
 * reply answers another. */
static json_t *reply_to_quietly(Server *server, int id) {
  json_t *reply = next_reply(server);
  json_t *got = json_object_get(reply, "id");
  if (json_is_integer(got) && json_integer_value(got) == id)
    return reply;
  check(false, "the next reply answers request %d", id);
  json_decref(reply);
  return NULL;
}

static json_t *reply_to(Server *server, int id) {
  json_t *reply = next_reply(server);
  json_t *got = json_object_get(reply, "id");
  check(json_is_integer(got) && json_integer_value(got) == id,
        "the next reply answers request %d", id);
  return reply;
}

static json_t *result_of(Server *server, int id) {
  json_t *reply = reply_to(server, id);
  json_t *result = json_incref(json_object_get(reply, "result"));
  check(result != NULL, "request %d has a result, not an error", id);
  json_decref(reply);
  return result;
}

/* The diagnostics published for version of uri (earlier ones are passed
 * over: each change publishes its own). */
static json_t *diagnostics_for(Server *server, const char *uri, int version) {
  for (;;) {
    json_t *message = NULL;
    if (server->queued > 0) {
      message = server->queue[0];
      memmove(server->queue, server->queue + 1, (size_t)--server->queued * sizeof *server->queue);
    } else {
      message = read_message(server);
    }
    if (!message)
      return json_array();
    json_t *params = json_object_get(message, "params");
    const char *method = json_string_value(json_object_get(message, "method"));
    const char *about = json_string_value(json_object_get(params, "uri"));
    json_t *published = json_object_get(params, "version");
    bool same_version = version < 0 || (json_is_integer(published) &&
                                        json_integer_value(published) == version);
    if (method && strcmp(method, "textDocument/publishDiagnostics") == 0 && about &&
        strcmp(about, uri) == 0 && same_version) {
      json_t *list = json_incref(json_object_get(params, "diagnostics"));
      json_decref(message);
      return list;
    }
    json_decref(message);
  }
}

static int stop_server(Server *server) {
  close(server->to_server);
  int status = 0;
  waitpid(server->pid, &status, 0);
  close(server->from_server);
  for (int i = 0; i < server->queued; i++)
    json_decref(server->queue[i]);
  free(server->buffer);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- documents and positions ------------------------------------------------------- */

typedef struct Doc {
  char *uri;
  char *text;
} Doc;

/* The LSP position of the occurrence-th (from 1) match of needle, plus
 * shift bytes (ASCII fixtures: a byte is a UTF-16 unit). */
static json_t *position_in(const char *text, const char *needle, int occurrence, int shift) {
  const char *at = text;
  for (int i = 0; i < occurrence; i++) {
    at = strstr(i ? at + 1 : at, needle);
    if (!at) {
      fprintf(stderr, "fixture has no '%s' (occurrence %d)\n", needle, occurrence);
      exit(2);
    }
  }
  at += shift;
  int line = 0;
  const char *line_start = text;
  for (const char *p = text; p < at; p++)
    if (*p == '\n')
      line++, line_start = p + 1;
  return json_pack("{s:i,s:i}", "line", line, "character", (int)(at - line_start));
}

static int line_of(const char *text, const char *needle) {
  json_t *position = position_in(text, needle, 1, 0);
  int line = (int)json_integer_value(json_object_get(position, "line"));
  json_decref(position);
  return line;
}

static json_t *at_params(const Doc *doc, const char *needle, int occurrence, int shift) {
  return json_pack("{s:{s:s},s:o}", "textDocument", "uri", doc->uri, "position",
                   position_in(doc->text, needle, occurrence, shift));
}

static void open_doc(Server *server, const Doc *doc) {
  notify(server, "textDocument/didOpen",
         json_pack("{s:{s:s,s:s,s:i,s:s}}", "textDocument", "uri", doc->uri, "languageId",
                   "mrsp", "version", 1, "text", doc->text));
}

static void change_doc(Server *server, Doc *doc, const char *text, int version) {
  free(doc->text);
  doc->text = strdup(text);
  notify(server, "textDocument/didChange",
         json_pack("{s:{s:s,s:i},s:[{s:s}]}", "textDocument", "uri", doc->uri, "version",
                   version, "contentChanges", "text", text));
}

static Doc fixture_doc(const char *name) {
  char *path = fixture_path(name);
  Doc doc = {file_uri(path), read_file(path)};
  free(path);
  return doc;
}

/* ---- queries ---------------------------------------------------------------------- */

/* Hover text, with Markdown's backslash escapes removed. */
static char *hover_at(Server *server, const Doc *doc, const char *needle, int occurrence,
                      int shift) {
  json_t *result = result_of(server, request(server, "textDocument/hover",
                                              at_params(doc, needle, occurrence, shift)));
  const char *value = json_string_value(json_object_get(json_object_get(result, "contents"),
                                                        "value"));
  char *text = strdup(value ? value : "");
  char *out = text;
  for (const char *p = text; *p; p++) {
    if (*p == '\\' && p[1])
      p++;
    *out++ = *p;
  }
  *out = '\0';
  json_decref(result);
  return text;
}

/* text on one line, for a check's message. */
static char *one_line(const char *text) {
  char *flat = strdup(text);
  for (char *p = flat; *p; p++)
    if (*p == '\n')
      *p = ' ';
  return flat;
}

static void check_hover(Server *server, const Doc *doc, const char *needle, int occurrence,
                        int shift, const char *const *wanted) {
  char *text = hover_at(server, doc, needle, occurrence, shift);
  char *flat = one_line(text), *where = one_line(needle);
  bool all = true;
  for (const char *const *want = wanted; *want; want++)
    all &= check(strstr(text, *want) != NULL, "hover on '%s' shows \"%s\"", where, *want);
  if (!all)
    printf("   (the hover text was: \"%.300s\")\n", flat);
  free(flat);
  free(where);
  free(text);
}

/* The labels of the completion items at a position, as one string
 * " a b c " so a test can look for " glioma ". */
static char *completion_labels(Server *server, const Doc *doc, const char *needle,
                               int occurrence, int shift) {
  json_t *result = result_of(server, request(server, "textDocument/completion",
                                              at_params(doc, needle, occurrence, shift)));
  json_t *items = json_is_array(result) ? result : json_object_get(result, "items");
  size_t size = 2;
  size_t i;
  json_t *item;
  json_array_foreach(items, i, item) {
    size += strlen(json_string_value(json_object_get(item, "label"))) + 1;
  }
  char *labels = malloc(size);
  strcpy(labels, " ");
  json_array_foreach(items, i, item) {
    strcat(labels, json_string_value(json_object_get(item, "label")));
    strcat(labels, " ");
  }
  json_decref(result);
  return labels;
}

static void check_completion(Server *server, const Doc *doc, const char *needle, int shift,
                             const char *const *wanted, const char *const *unwanted) {
  char *labels = completion_labels(server, doc, needle, 1, shift);
  char *where = one_line(needle);
  char word[256];
  for (const char *const *want = wanted; want && *want; want++) {
    snprintf(word, sizeof word, " %s ", *want);
    check(strstr(labels, word) != NULL, "completion after '%s' offers '%s'", where, *want);
  }
  for (const char *const *reject = unwanted; reject && *reject; reject++) {
    snprintf(word, sizeof word, " %s ", *reject);
    check(strstr(labels, word) == NULL, "completion after '%s' does not offer '%s'", where,
          *reject);
  }
  free(where);
  free(labels);
}

/* The file and line a definition points at; "" and -1 when there is none. */
static void definition_at(Server *server, const Doc *doc, const char *needle, int shift,
                          char *path, size_t size, int *line) {
  json_t *result = result_of(server, request(server, "textDocument/definition",
                                              at_params(doc, needle, 1, shift)));
  if (json_is_array(result))
    result = json_array_get(result, 0);
  const char *uri = json_string_value(json_object_get(result, "uri"));
  json_t *start = json_object_get(json_object_get(result, "range"), "start");
  snprintf(path, size, "%s", uri && strncmp(uri, "file://", 7) == 0 ? uri + 7 : "");
  *line = start ? (int)json_integer_value(json_object_get(start, "line")) : -1;
  json_decref(result);
}

/* Line line (0-based) of the file at path. */
static char *file_line(const char *path, int line) {
  FILE *file = fopen(path, "rb");
  char *text = malloc(LINE_MAX_BYTES);
  text[0] = '\0';
  for (int i = 0; file && i <= line && fgets(text, LINE_MAX_BYTES, file); i++)
    if (i == line)
      break;
  if (file)
    fclose(file);
  return text;
}

static void check_definition(Server *server, const Doc *doc, const char *needle, int shift,
                             const char *file_suffix, const char *line_start) {
  char path[4096];
  int line;
  definition_at(server, doc, needle, shift, path, sizeof path, &line);
  size_t length = strlen(path), suffix = strlen(file_suffix);
  check(length >= suffix && strcmp(path + length - suffix, file_suffix) == 0,
        "definition of '%s' is in %s (got '%s')", needle, file_suffix, path);
  char *text = file_line(path, line);
  text[strcspn(text, "\r\n")] = '\0';
  const char *trimmed = text + strspn(text, " ");
  check(strncmp(trimmed, line_start, strlen(line_start)) == 0,
        "definition of '%s' is the line '%s...' (got '%.60s')", needle, line_start, trimmed);
  free(text);
}

/* ---- the session ------------------------------------------------------------------ */

static void check_error_reply(json_t *reply, int code, json_t *id, const char *what) {
  json_t *error = json_object_get(reply, "error");
  json_int_t got = json_integer_value(json_object_get(error, "code"));
  check(error && got == code, "%s: error %d (got %lld)", what, code, (long long)got);
  json_t *reply_id = json_object_get(reply, "id");
  check(id ? json_equal(reply_id, id) : json_is_null(reply_id), "%s: the error's id is %s",
        what, id ? "the request's" : "null");
  json_decref(reply);
}

static void initialize(Server *server) {
  int early = request(server, "textDocument/hover",
                      json_pack("{s:{s:s},s:{s:i,s:i}}", "textDocument", "uri", "file:///x",
                                "position", "line", 0, "character", 0));
  json_t *id = json_integer(early);
  check_error_reply(reply_to(server, early), -32002, id, "a request before initialize");
  json_decref(id);
  json_t *capabilities = json_pack(
      "{s:{s:{s:b},s:{s:[s,s]}}}", "textDocument", "publishDiagnostics", "relatedInformation",
      1, "hover", "contentFormat", "markdown", "plaintext");
  json_t *result = result_of(server, request(server, "initialize",
                                              json_pack("{s:i,s:o}", "processId", (int)getpid(),
                                                        "capabilities", capabilities)));
  json_t *offered = json_object_get(result, "capabilities");
  check(json_integer_value(json_object_get(json_object_get(offered, "textDocumentSync"),
                                           "change")) == 1,
        "the server asks for full-document sync");
  const char *providers[] = {"hoverProvider", "definitionProvider", "completionProvider",
                             "documentSymbolProvider"};
  for (int i = 0; i < 4; i++)
    check(json_object_get(offered, providers[i]) != NULL, "the server offers %s", providers[i]);
  check(strcmp(json_string_value(json_object_get(json_object_get(result, "serverInfo"),
                                                 "name")),
               "mrspc") == 0,
        "the server names itself mrspc");
  json_decref(result);
  int again = request(server, "initialize", json_pack("{s:{}}", "capabilities"));
  id = json_integer(again);
  check_error_reply(reply_to(server, again), -32600, id, "a second initialize");
  json_decref(id);
  notify(server, "initialized", json_object());
}

/* Every diagnostic as 'mrspc check --format=json' gives it for the file. */
static json_t *check_output(const char *path) {
  char command[8192];
  snprintf(command, sizeof command, "'%s' check --format=json '%s' 2>/dev/null", mrspc_path,
           path);
  FILE *pipe = popen(command, "r");
  json_error_t error;
  json_t *list = json_loadf(pipe, 0, &error);
  pclose(pipe);
  return list ? list : json_array();
}

/* The first line of a message: the checker's own words, notes after. */
static bool same_first_line(const char *message, const char *expected) {
  size_t length = strcspn(message, "\n");
  return strlen(expected) == length && strncmp(message, expected, length) == 0;
}

static json_t *find_note(json_t *diagnostic, const char *file_suffix) {
  size_t i;
  json_t *related;
  json_array_foreach(json_object_get(diagnostic, "relatedInformation"), i, related) {
    const char *uri = json_string_value(json_object_get(json_object_get(related, "location"),
                                                        "uri"));
    size_t length = uri ? strlen(uri) : 0, suffix = strlen(file_suffix);
    if (length >= suffix && strcmp(uri + length - suffix, file_suffix) == 0)
      return related;
  }
  return NULL;
}

static void test_diagnostics_match_check(Server *server) {
  Doc doc = fixture_doc("errors.mrsp");
  char *path = fixture_path("errors.mrsp");
  open_doc(server, &doc);
  json_t *published = diagnostics_for(server, doc.uri, 1);
  json_t *expected = check_output(path);
  check(json_array_size(expected) == 5, "mrspc check finds the 5 mistakes of errors.mrsp");
  check(json_array_size(published) == json_array_size(expected),
        "the editor gets as many diagnostics as mrspc check prints (%zu, %zu)",
        json_array_size(published), json_array_size(expected));
  for (size_t i = 0; i < json_array_size(expected) && i < json_array_size(published); i++) {
    json_t *want = json_array_get(expected, i), *got = json_array_get(published, i);
    json_t *start = json_object_get(json_object_get(got, "range"), "start");
    const char *message = json_string_value(json_object_get(got, "message"));
    const char *words = json_string_value(json_object_get(want, "message"));
    check(same_first_line(message, words), "diagnostic %zu says \"%s\"", i, words);
    check(json_integer_value(json_object_get(start, "line")) ==
                  json_integer_value(json_object_get(want, "line")) - 1 &&
              json_integer_value(json_object_get(start, "character")) ==
                  json_integer_value(json_object_get(want, "column")) - 1,
          "diagnostic %zu is at the line and column mrspc check gives (%lld:%lld)", i,
          (long long)json_integer_value(json_object_get(want, "line")),
          (long long)json_integer_value(json_object_get(want, "column")));
    check(json_integer_value(json_object_get(got, "severity")) == 1, "diagnostic %zu is an error",
          i);
  }
  const char *first = json_string_value(json_object_get(json_array_get(published, 0), "message"));
  check(first && strstr(first, "did you mean 'conventional_imaging_inconclusive'?"),
        "the 'did you mean' note is part of the message");
  json_t *note = find_note(json_array_get(published, 1), "/facts.mrsp");
  check(note && strstr(json_string_value(json_object_get(note, "message")), "declared here"),
        "the note 'declared here' points into facts.mrsp as related information");
  json_decref(published);
  json_decref(expected);
  free(path);
  free(doc.uri);
  free(doc.text);
}

static void test_hover(Server *server, const Doc *doc, const char *age_doc) {
  const char *fact[] = {"fact", "age_years", "int 0 to 130", age_doc, NULL};
  check_hover(server, doc, "age_years: 40", 1, 2, fact);
  const char *member[] = {"glioma_grading", "member of enum", "question", NULL};
  check_hover(server, doc, "glioma_grading", 1, 3, member);
  const char *criterion[] = {"criterion", "tumour", "A known or suspected brain tumour",
                             "[1] First reference, about spectroscopy.",
                             "[2] Second reference, about gliomas.", NULL};
  check_hover(server, doc, "tumour; adult", 1, 1, criterion);
  const char *imported[] = {"adult_patient", "The patient is an adult", NULL};
  check_hover(server, doc, "adult_patient >", 1, 0, imported);
  const char *cite[] = {"[2] Second reference, about gliomas.", NULL};
  check_hover(server, doc, "[2] >", 1, 1, cite);
  const char *rule[] = {"exclude", "recent", "Recent advanced imaging without treatment",
                        "not_medically_necessary", "[1] First reference", NULL};
  check_hover(server, doc, "exclude recent", 1, 2, rule);
  const char *line[] = {"medicaid", "member of enum", "line_of_business", NULL};
  check_hover(server, doc, "medicaid", 1, 1, line);
}

static void test_definition(Server *server, const Doc *doc) {
  check_definition(server, doc, "age_years: 40", 1, "/facts.mrsp", "fact age_years");
  check_definition(server, doc, "tumour; adult", 1, "/session.mrsp", "criterion tumour");
  check_definition(server, doc, "adult_patient >", 2, "/session_module.mrsp",
                   "criterion adult_patient");
  check_definition(server, doc, "session_module", 3, "/session_module.mrsp", "# A module");
  check_definition(server, doc, "request_date", 3, "/facts.mrsp", "fact request_date");
  check_definition(server, doc, "glioma }", 1, "/facts.mrsp", "glioma");
  check_definition(server, doc, "[2] >", 1, "/session.mrsp", "2: \"Second reference");
}

static void test_symbols(Server *server, const Doc *doc) {
  json_t *symbols = result_of(server, request(server, "textDocument/documentSymbol",
                                               json_pack("{s:{s:s}}", "textDocument", "uri",
                                                         doc->uri)));
  const char *names[] = {"lsp_session", "references", "session_module", "tumour",
                         "recent",      "require",    "claustrophobia", "adult_glioma"};
  char all[1024] = " ";
  size_t i;
  json_t *symbol;
  json_array_foreach(symbols, i, symbol) {
    strncat(all, json_string_value(json_object_get(symbol, "name")), 100);
    strcat(all, " ");
  }
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
    char word[128];
    snprintf(word, sizeof word, " %s ", names[k]);
    check(strstr(all, word) != NULL, "the outline lists '%s'", names[k]);
  }
  json_t *references = json_array_get(symbols, 1);
  check(json_array_size(json_object_get(references, "children")) == 2,
        "the outline lists the 2 references under 'references'");
  json_t *range = json_object_get(json_array_get(symbols, 3), "selectionRange");
  check(json_integer_value(json_object_get(json_object_get(range, "start"), "line")) ==
            line_of(doc->text, "criterion tumour"),
        "the outline entry of 'tumour' selects its name's line");
  json_decref(symbols);
}

static char *with_line(const char *text, const char *line) {
  char *out = malloc(strlen(text) + strlen(line) + 2);
  sprintf(out, "%s%s", text, line);
  return out;
}

static void test_completion(Server *server, Doc *doc) {
  const char *members[] = {"glioma", "brain_tumor", "cns_lymphoma", NULL};
  const char *no_facts[] = {"age_years", "tumour", NULL};
  const char *questions[] = {"glioma_grading", "treatment_response", NULL};
  const char *conditions[] = {"tumour", "adult_patient", "age_years", "pregnant", "all", NULL};
  const char *declarations[] = {"criterion", "require", "exclude", "test", NULL};
  const char *int_words[] = {"at least", "between", NULL};
  const char *test_values[] = {"glioma", "unknown", NULL};
  const char *lines[] = {"medicare_advantage", "chip", NULL};
  char *original = strdup(doc->text);
  char *text = with_line(original, "require indication is \n");
  change_doc(server, doc, text, 2);
  check_completion(server, doc, "indication is ", 14, members, no_facts);
  free(text);
  text = with_line(original, "require indication in { glioma, \n");
  change_doc(server, doc, text, 3);
  check_completion(server, doc, "in { glioma, ", 13, members, no_facts);
  free(text);
  text = with_line(original, "require clinical_question has any { \n");
  change_doc(server, doc, text, 4);
  check_completion(server, doc, "has any { ", 10, questions, no_facts);
  free(text);
  text = with_line(original, "require any < \n");
  change_doc(server, doc, text, 5);
  check_completion(server, doc, "require any < ", 14, conditions, members);
  free(text);
  text = with_line(original, "require age_years \n");
  change_doc(server, doc, text, 6);
  check_completion(server, doc, "require age_years ", 18, int_words, members);
  free(text);
  text = with_line(original, "# top\ncri");
  change_doc(server, doc, text, 7);
  check_completion(server, doc, "# top\ncri", 9, declarations, no_facts);
  free(text);
  change_doc(server, doc, original, 8);
  check_completion(server, doc, "indication: ", 12, test_values, no_facts);
  check_completion(server, doc, "commercial, ", 12, lines, no_facts);
  check_completion(server, doc, "Test Payer", 5, NULL, conditions);
  free(original);
}

/* Syntax errors: diagnostics say so, and hover and completion go on. */
static void test_syntax_errors(Server *server, Doc *doc, const char *age_doc) {
  char *original = strdup(doc->text);
  char *broken = with_line(original, "criterion half_written = all < tumour; age_years at ");
  change_doc(server, doc, broken, 9);
  json_t *list = diagnostics_for(server, doc->uri, 9);
  const char *message = json_string_value(json_object_get(json_array_get(list, 0), "message"));
  check(json_array_size(list) >= 1 && message && strstr(message, "expected"),
        "a syntax error is published (\"%s\")", message ? message : "");
  json_decref(list);
  const char *member[] = {"member of enum", "question", NULL};
  check_hover(server, doc, "glioma_grading", 1, 3, member);
  const char *fact[] = {"int 0 to 130", age_doc, NULL};
  check_hover(server, doc, "age_years at ", 1, 1, fact);
  const char *criterion[] = {"A known or suspected brain tumour", NULL};
  check_hover(server, doc, "tumour; age", 1, 2, criterion);
  const char *members[] = {"glioma", NULL};
  char *more = with_line(broken, "\nrequire indication is ");
  change_doc(server, doc, more, 10);
  check_completion(server, doc, "indication is ", 14, members, NULL);
  change_doc(server, doc, original, 11);
  list = diagnostics_for(server, doc->uri, 11);
  check(json_array_size(list) == 0, "fixing the text clears the diagnostics");
  json_decref(list);
  free(more);
  free(broken);
  free(original);
}

/* A client that sends ranges (though the server asks for whole texts),
 * and a save, which checks every open document again. */
static void test_ranged_change_and_save(Server *server, Doc *doc) {
  json_t *start = position_in(doc->text, "glioma_grading", 1, 13);
  json_t *end = position_in(doc->text, "glioma_grading", 1, 14);
  notify(server, "textDocument/didChange",
         json_pack("{s:{s:s,s:i},s:[{s:{s:o,s:o},s:s}]}", "textDocument", "uri", doc->uri,
                   "version", 12, "contentChanges", "range", "start", start, "end", end, "text",
                   ""));
  json_t *list = diagnostics_for(server, doc->uri, 12);
  const char *message = json_string_value(json_object_get(json_array_get(list, 0), "message"));
  check(message && strstr(message, "'glioma_gradin' is not a member of enum 'question'"),
        "a ranged change edits the text where it says");
  json_decref(list);
  char *original = strdup(doc->text); /* the server's copy was edited, not this one */
  change_doc(server, doc, original, 13);
  free(original);
  json_decref(diagnostics_for(server, doc->uri, 13));
  notify(server, "textDocument/didSave", json_pack("{s:{s:s}}", "textDocument", "uri", doc->uri));
  list = diagnostics_for(server, doc->uri, 13);
  check(json_array_size(list) == 0, "saving checks the document again (and it is clean)");
  json_decref(list);
  const char *use[] = {"module", "session_module.mrsp", NULL};
  check_hover(server, doc, "use session_module", 1, 6, use);
  const char *policy[] = {"policy", "Language server session", "Test Payer", NULL};
  check_hover(server, doc, "lsp_session", 1, 2, policy);
}

/* A document declaring its own enum and fact: outline, hover, definition
 * and completion know them. */
static void test_own_declarations(Server *server) {
  Doc doc = {strdup("file:///nonexistent/own.mrsp"),
             strdup("enum colour \"Colours of a test\" { red \"Like a cherry\", green }\n"
                    "fact favourite: colour \"The colour the patient likes\";\n"
                    "require favourite is red [1-2147483647];\n"
                    "references { 1: \"The only one\" }\n")};
  open_doc(server, &doc);
  json_t *list = diagnostics_for(server, doc.uri, 1);
  check(json_array_size(list) == 1, "a document with its own enum and fact checks (one error)");
  json_decref(list);
  json_t *symbols = result_of(server, request(server, "textDocument/documentSymbol",
                                               json_pack("{s:{s:s}}", "textDocument", "uri",
                                                         doc.uri)));
  json_t *colour = json_array_get(symbols, 0), *favourite = json_array_get(symbols, 1);
  check(json_integer_value(json_object_get(colour, "kind")) == 10 &&
            json_array_size(json_object_get(colour, "children")) == 2,
        "the outline has the enum with its 2 members");
  check(json_integer_value(json_object_get(favourite, "kind")) == 13 &&
            strcmp(json_string_value(json_object_get(favourite, "name")), "favourite") == 0,
        "the outline has the fact");
  json_decref(symbols);
  const char *enumeration[] = {"enum", "colour", "2 members", "Colours of a test", NULL};
  check_hover(server, &doc, "colour \"The", 1, 1, enumeration);
  const char *member[] = {"red", "member of enum", "colour", "Like a cherry", NULL};
  check_hover(server, &doc, "is red", 1, 4, member);
  const char *fact[] = {"fact", "favourite", "colour", "The colour the patient likes", NULL};
  check_hover(server, &doc, "require favourite", 1, 9, fact);
  const char *huge[] = {"[1] The only one", "[2] (not in the references)", NULL};
  check_hover(server, &doc, "1-2147483647", 1, 3, huge);
  json_t *result = result_of(server, request(server, "textDocument/definition",
                                              at_params(&doc, "colour \"The", 1, 1)));
  json_t *line = json_object_get(json_object_get(json_object_get(result, "range"), "start"),
                                 "line");
  check(json_integer_value(line) == 0, "go to definition of the fact's type reaches the enum");
  json_decref(result);
  free(doc.uri);
  free(doc.text);
}

/* A document that never parsed still gets hover from the schema. */
static void test_never_parsed(Server *server) {
  Doc doc = {strdup("file:///nonexistent/never_parsed.mrsp"),
             strdup("criterion c = all < age_years at least 18 ; ; ; >\nrequire = = ;\n")};
  open_doc(server, &doc);
  json_t *list = diagnostics_for(server, doc.uri, 1);
  check(json_array_size(list) >= 1, "a document full of syntax errors gets diagnostics");
  json_decref(list);
  const char *fact[] = {"int 0 to 130", NULL};
  check_hover(server, &doc, "age_years", 1, 1, fact);
  free(doc.uri);
  free(doc.text);
}

/* Columns count UTF-16 units: a string with an emoji and an accent before
 * the mistake shifts it by 17, not by its 20 bytes or 16 characters. */
static void test_utf16_columns(Server *server) {
  Doc doc = {strdup("file:///nonexistent/utf16.mrsp"),
             strdup("note \"\xF0\x9F\x98\x80 \xC3\xA9\" when claustrofobia;\n")};
  open_doc(server, &doc);
  json_t *list = diagnostics_for(server, doc.uri, 1);
  json_t *start = json_object_get(json_object_get(json_array_get(list, 0), "range"), "start");
  json_t *end = json_object_get(json_object_get(json_array_get(list, 0), "range"), "end");
  check(json_integer_value(json_object_get(start, "character")) == 17 &&
            json_integer_value(json_object_get(end, "character")) == 30,
        "a range after an emoji is counted in UTF-16 units (17 to 30)");
  json_decref(list);
  json_t *params = json_pack("{s:{s:s},s:{s:i,s:i}}", "textDocument", "uri", doc.uri, "position",
                             "line", 0, "character", 20);
  json_t *result = result_of(server, request(server, "textDocument/hover", params));
  check(json_is_null(result), "hover on an unknown name answers null");
  json_decref(result);
  notify(server, "textDocument/didClose", json_pack("{s:{s:s}}", "textDocument", "uri", doc.uri));
  list = diagnostics_for(server, doc.uri, -1);
  check(json_array_size(list) == 0, "closing a document clears its diagnostics");
  json_decref(list);
  free(doc.uri);
  free(doc.text);
}

static void test_warning(Server *server) {
  Doc doc = {strdup("file:///nonexistent/warning.mrsp"),
             strdup("policy p { codes 76390 }\ncriterion spare = pregnant;\n"
                    "require claustrophobia;\n")};
  open_doc(server, &doc);
  json_t *list = diagnostics_for(server, doc.uri, 1);
  json_t *first = json_array_get(list, 0);
  check(json_array_size(list) == 1 &&
            json_integer_value(json_object_get(first, "severity")) == 2 &&
            strstr(json_string_value(json_object_get(first, "message")), "never used"),
        "an unused criterion is a warning");
  json_decref(list);
  free(doc.uri);
  free(doc.text);
}

/* ---- everywhere in a real policy ---------------------------------------------------- */

/* UTF-16 units in text[0, length): what an LSP position counts. */
static int utf16_units(const char *text, size_t length) {
  int units = 0;
  for (size_t i = 0; i < length; i++) {
    unsigned char c = (unsigned char)text[i];
    units += (c & 0xC0) != 0x80;
    units += c >= 0xF0; /* four bytes: a surrogate pair */
  }
  return units;
}

static json_t *cursor_at(const Doc *doc, int line, int character) {
  return json_pack("{s:{s:s},s:{s:i,s:i}}", "textDocument", "uri", doc->uri, "position", "line",
                   line, "character", character);
}

/* Sends a request and counts whether it got a result (not an error). */
static void count_answer(Server *server, const char *method, json_t *params, int *answered,
                         int *asked) {
  json_t *reply = reply_to_quietly(server, request(server, method, params));
  *asked += 1;
  *answered += reply && json_object_get(reply, "result") != NULL;
  json_decref(reply);
}

/* Hover, definition and completion at every third character of a real
 * policy, and at the end of 60 broken copies of it (cut anywhere, as while
 * typing): each gets an answer, never an error, and the server lives. */
static void test_everywhere(Server *server) {
  static const char *const methods[] = {"textDocument/hover", "textDocument/definition",
                                        "textDocument/completion"};
  Doc doc = fixture_doc("layout.mrsp");
  open_doc(server, &doc);
  int answered = 0, asked = 0, line = 0;
  for (const char *start = doc.text; *start; line++) {
    size_t length = strcspn(start, "\n");
    for (int character = 0; character <= utf16_units(start, length); character += 3)
      for (int m = 0; m < 3; m++)
        count_answer(server, methods[m], cursor_at(&doc, line, character), &answered, &asked);
    start += length + (start[length] == '\n');
  }
  check(answered == asked, "all %d queries over layout.mrsp are answered (%d)", asked, answered);
  char *whole = strdup(doc.text);
  size_t size = strlen(whole);
  answered = asked = 0;
  for (int cut_number = 1; cut_number <= 60; cut_number++) {
    size_t cut = size * (size_t)cut_number / 61;
    while (cut > 0 && ((unsigned char)whole[cut] & 0xC0) == 0x80)
      cut--; /* not inside a character */
    char saved = whole[cut];
    whole[cut] = '\0';
    change_doc(server, &doc, whole, cut_number + 1);
    const char *last_line = strrchr(whole, '\n');
    last_line = last_line ? last_line + 1 : whole;
    int lines = 0;
    for (const char *p = whole; *p; p++)
      lines += *p == '\n';
    int character = utf16_units(last_line, strlen(last_line));
    for (int m = 0; m < 3; m++)
      count_answer(server, methods[m], cursor_at(&doc, lines, character), &answered, &asked);
    whole[cut] = saved;
  }
  check(answered == asked, "all %d queries at the cut of 60 broken copies are answered (%d)",
        asked, answered);
  const char *const odd_texts[] = {"{", "{ ", "{\"", "#", "\"", "<", "[", "test {", "x: {",
                                   "policy p { lines ", "expect rule ", "within 3 days "};
  answered = asked = 0;
  for (size_t i = 0; i < sizeof odd_texts / sizeof odd_texts[0]; i++) {
    change_doc(server, &doc, odd_texts[i], 100 + (int)i);
    int end = utf16_units(odd_texts[i], strlen(odd_texts[i]));
    for (int character = 0; character <= end; character++)
      for (int m = 0; m < 3; m++)
        count_answer(server, methods[m], cursor_at(&doc, 0, character), &answered, &asked);
  }
  check(answered == asked, "all %d queries on one-line fragments ('{', '\"', ...) are answered",
        asked);
  json_t *list = diagnostics_for(server, doc.uri, 100);
  check(json_array_size(list) > 0, "a document that is only '{' has diagnostics");
  json_decref(list);
  free(whole);
  free(doc.uri);
  free(doc.text);
}

/* ---- malformed input --------------------------------------------------------------- */

static void expect_error(Server *server, int code, json_t *id, const char *what) {
  check_error_reply(next_reply(server), code, id, what);
}

static void send_text(Server *server, const char *body) {
  send_raw(server, body, strlen(body));
}

/* The server still answers: a request right after gets its own reply, so
 * nothing was answered for a notification in between. */
static void still_serving(Server *server, const char *after) {
  json_t *reply = reply_to(server, request(server, "textDocument/documentSymbol",
                                           json_pack("{s:{s:s}}", "textDocument", "uri",
                                                     "file:///not/open.mrsp")));
  check(json_object_get(reply, "result") != NULL, "the server still serves after %s", after);
  json_decref(reply);
}

static void test_bad_bodies(Server *server) {
  json_t *seven = json_integer(7), *eight = json_integer(8), *nine = json_integer(9);
  send_text(server, "{not json");
  expect_error(server, -32700, NULL, "a body that is not JSON");
  send_text(server, "[1,2]");
  expect_error(server, -32600, NULL, "a batch");
  send_text(server, "42");
  expect_error(server, -32600, NULL, "a number for a message");
  send_text(server, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":5}");
  expect_error(server, -32600, seven, "a method that is not a string");
  send_text(server, "{\"jsonrpc\":\"1.0\",\"id\":8,\"method\":\"shutdown\"}");
  expect_error(server, -32600, eight, "a message of JSON-RPC 1.0");
  send_text(server, "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"shutdown\"}");
  expect_error(server, -32600, NULL, "an id that is an object");
  send_text(server, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"textDocument/hover\","
                    "\"params\":\"here\"}");
  expect_error(server, -32602, nine, "params that are a string");
  send_text(server, "\xff\xfe{}");
  expect_error(server, -32700, NULL, "a body that is not UTF-8");
  char *deep = malloc(200002);
  memset(deep, '[', 100000);
  memset(deep + 100000, ']', 100000);
  deep[200000] = '\0';
  send_text(server, deep);
  free(deep);
  expect_error(server, -32700, NULL, "100,000 nested arrays");
  json_decref(seven), json_decref(eight), json_decref(nine);
  still_serving(server, "bad bodies");
}

static void test_bad_requests(Server *server) {
  int id = request(server, "textDocument/hover", json_pack("{s:{s:s}}", "textDocument", "uri",
                                                           "file:///x.mrsp"));
  json_t *json_id = json_integer(id);
  check_error_reply(reply_to(server, id), -32602, json_id, "hover without a position");
  json_decref(json_id);
  id = request(server, "textDocument/formatting", json_object());
  json_id = json_integer(id);
  check_error_reply(reply_to(server, id), -32601, json_id, "an unknown request");
  json_decref(json_id);
  id = request(server, "textDocument/didSave", json_object());
  json_id = json_integer(id);
  check_error_reply(reply_to(server, id), -32600, json_id, "a notification sent with an id");
  json_decref(json_id);
  notify(server, "workspace/didChangeConfiguration", json_object());
  notify(server, "$/cancelRequest", json_pack("{s:i}", "id", 1));
  notify(server, "textDocument/didChange",
         json_pack("{s:{s:s},s:[]}", "textDocument", "uri", "file:///not/open.mrsp",
                   "contentChanges"));
  notify(server, "textDocument/didOpen", json_pack("{s:{s:s}}", "textDocument", "uri", "x"));
  still_serving(server, "notifications it ignores (no reply to any of them)");
  json_t *far = json_pack("{s:{s:s},s:{s:i,s:i}}", "textDocument", "uri",
                          "file:///nonexistent/never_parsed.mrsp", "position", "line", 100000,
                          "character", 100000);
  json_t *result = result_of(server, request(server, "textDocument/hover", far));
  check(json_is_null(result), "hover far past the end of a document answers null");
  json_decref(result);
}

static void test_bad_headers(Server *server) {
  const char *no_length = "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n";
  write_all(server, no_length, strlen(no_length));
  expect_error(server, -32700, NULL, "a header without Content-Length");
  const char *bad_length = "Content-Length: twelve\r\n\r\n";
  write_all(server, bad_length, strlen(bad_length));
  expect_error(server, -32700, NULL, "a Content-Length that is not a number");
  still_serving(server, "bad headers");
  /* junk glued before a header: the junk is reported, the message served */
  char junk[3000];
  memset(junk, 'x', sizeof junk);
  write_all(server, junk, sizeof junk);
  send_text(server, "{\"jsonrpc\":\"2.0\",\"id\":\"last\",\"method\":\"shutdown\","
                    "\"params\":null}");
  expect_error(server, -32700, NULL, "3000 bytes of junk before a header");
  json_t *reply = next_reply(server), *last = json_string("last");
  check(json_is_null(json_object_get(reply, "result")) &&
            json_equal(json_object_get(reply, "id"), last),
        "the request after the junk ('shutdown', params null, a string id) is answered");
  json_decref(last);
  json_decref(reply);
}

static void test_body_too_large(Server *server) {
  char header[64];
  int n = snprintf(header, sizeof header, "Content-Length: %d\r\n\r\n", BODY_LIMIT + 1);
  write_all(server, header, (size_t)n);
  char *chunk = malloc(1 << 20);
  memset(chunk, ' ', 1 << 20);
  for (int sent = 0; sent <= BODY_LIMIT; sent += 1 << 20) {
    size_t size = BODY_LIMIT + 1 - sent < (1 << 20) ? (size_t)(BODY_LIMIT + 1 - sent) : 1 << 20;
    write_all(server, chunk, size);
  }
  free(chunk);
  expect_error(server, -32600, NULL, "a body over the 64 MiB limit");
}

/* ---- sessions --------------------------------------------------------------------- */

static char *schema_doc(const char *fact) {
  char command[4096];
  snprintf(command, sizeof command, "'%s' schema --format=json", mrspc_path);
  FILE *pipe = popen(command, "r");
  json_error_t error;
  json_t *schema = json_loadf(pipe, 0, &error);
  pclose(pipe);
  size_t i;
  json_t *item;
  char *doc = strdup("(no doc)");
  json_array_foreach(json_object_get(schema, "facts"), i, item) {
    if (strcmp(json_string_value(json_object_get(item, "name")), fact) == 0) {
      free(doc);
      doc = strdup(json_string_value(json_object_get(item, "doc")));
    }
  }
  json_decref(schema);
  return doc;
}

static void full_session(void) {
  Server server;
  start_server(&server);
  initialize(&server);
  char *age_doc = schema_doc("age_years");
  Doc doc = fixture_doc("session.mrsp");
  open_doc(&server, &doc);
  json_t *list = diagnostics_for(&server, doc.uri, 1);
  check(json_array_size(list) == 0, "a clean policy gets no diagnostics");
  json_decref(list);
  test_diagnostics_match_check(&server);
  test_warning(&server);
  test_hover(&server, &doc, age_doc);
  test_definition(&server, &doc);
  test_symbols(&server, &doc);
  test_completion(&server, &doc);
  test_syntax_errors(&server, &doc, age_doc);
  test_ranged_change_and_save(&server, &doc);
  test_own_declarations(&server);
  test_never_parsed(&server);
  test_utf16_columns(&server);
  test_everywhere(&server);
  test_bad_bodies(&server);
  test_bad_requests(&server);
  test_body_too_large(&server);
  test_bad_headers(&server); /* ends with 'shutdown' */
  int id = request(&server, "textDocument/hover", at_params(&doc, "glioma", 1, 0));
  json_t *json_id = json_integer(id);
  check_error_reply(reply_to(&server, id), -32600, json_id, "a request after shutdown");
  json_decref(json_id);
  notify(&server, "exit", NULL);
  check(stop_server(&server) == 0, "after shutdown and exit the server exits with 0");
  free(age_doc);
  free(doc.uri);
  free(doc.text);
}

static void abandoned_sessions(void) {
  Server server;
  start_server(&server);
  initialize(&server);
  notify(&server, "exit", NULL);
  check(stop_server(&server) == 1, "exit without shutdown exits with 1");
  start_server(&server);
  initialize(&server);
  check(stop_server(&server) == 1, "an editor that closes the pipe ends the server (status 1)");
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s MRSPC FIXTURES_DIR\n", argv[0]);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  mrspc_path = argv[1];
  fixtures = realpath(argv[2], NULL);
  if (!fixtures) {
    perror(argv[2]);
    return 2;
  }
  full_session();
  abandoned_sessions();
  printf("%d passed, %d failed\n", passed, failed);
  free((char *)fixtures);
  return failed ? 1 : 0;
}
