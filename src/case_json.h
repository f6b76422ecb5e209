/* case_json.h - the JSON tokenizer behind case files: simdjson, from C.
 *
 * Takes the text of one JSON document; produces the members of its top
 * object as a flat list of items: a key, then its value, and for an array
 * the array item followed by its elements.  Nested objects and arrays
 * inside an array are one item each (a case file never needs them; the
 * case reader reports them as wrong types).  Strings are unescaped and
 * validated UTF-8; they live in the parser until its next document.
 *
 * simdjson is behind this thin C++ shim because it reads case files two
 * to ten times faster than the C libraries (bench/README.md).  It says what
 * went wrong in a document but not on which line and column, so a document
 * it rejects is parsed again by jansson for those (case.c).  Nothing here allocates per document once the parser has seen
 * its largest one.
 */
#ifndef MRSPC_CASE_JSON_H
#define MRSPC_CASE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes that must be readable after a document's last byte. */
enum { CASE_JSON_PADDING = 64 };

#define JSON_ITEM_KIND_LIST(X)                                            \
  X(ITEM_KEY, "key")                                                      \
  X(ITEM_NULL, "null")                                                    \
  X(ITEM_FALSE, "false")                                                  \
  X(ITEM_TRUE, "true")                                                    \
  X(ITEM_INTEGER, "integer")       /* fits in 64 bits */                  \
  X(ITEM_NUMBER, "number")         /* a fraction, exponent or huge */     \
  X(ITEM_STRING, "string")                                                \
  X(ITEM_ARRAY, "array")           /* length: the elements that follow */ \
  X(ITEM_OBJECT, "object")

typedef enum JsonItemKind {
#define X(kind, name) kind,
  JSON_ITEM_KIND_LIST(X)
#undef X
} JsonItemKind;

typedef struct JsonItem {
  JsonItemKind kind;
  uint32_t offset;       /* byte offset of the key or value in the document */
  uint32_t length;       /* bytes of text; an array's element count */
  const char *text;      /* a key or string, unescaped; a number as written */
  int64_t integer;       /* ITEM_INTEGER */
} JsonItem;

#define JSON_STATUS_LIST(X)                                               \
  X(JSON_OK, "ok")                                                        \
  X(JSON_INVALID, "invalid JSON")                                         \
  X(JSON_NOT_OBJECT, "not an object")                                     \
  X(JSON_EMPTY, "empty")

typedef enum JsonStatus {
#define X(kind, name) kind,
  JSON_STATUS_LIST(X)
#undef X
} JsonStatus;

typedef struct JsonParser JsonParser;

JsonParser *case_json_new(void);
void case_json_free(JsonParser *parser);

/* Parses text[0..length), which must be followed by CASE_JSON_PADDING
 * readable bytes.  On JSON_OK, *items and *count hold the top object's
 * members; their offsets are 0 unless `located` (which is slower: the
 * reader asks for it only to say where an error is).  On JSON_INVALID,
 * *message says what simdjson found wrong and *offset roughly where.
 * JSON_NOT_OBJECT: *message names what the document is instead ("an
 * array"). */
JsonStatus case_json_parse(JsonParser *parser, const char *text, size_t length, bool located,
                           const JsonItem **items, int *count, const char **message,
                           size_t *offset);

#ifdef __cplusplus
}
#endif

#endif
