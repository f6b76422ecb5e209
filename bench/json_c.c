/* json_c.c - json-c for json_libraries.c (apart: json-c and jansson both
 * declare json_object_iter, so one file cannot include both). */
#include <json-c/json.h>
#include <string.h>

#include "json_sink.h"

#define EACH_LINE(buffer, length, line, size, body)                                  \
  for (const char *line = buffer, *end_ = buffer + length; line < end_;) {           \
    const char *newline_ = memchr(line, '\n', (size_t)(end_ - line));                \
    size_t size = newline_ ? (size_t)(newline_ - line) : (size_t)(end_ - line);      \
    body;                                                                            \
    line += size + 1;                                                                \
  }

static void json_c_value(int fact, struct json_object *value) {
  switch (json_object_get_type(value)) {
  case json_type_boolean: sink_bool(fact, json_object_get_boolean(value)); break;
  case json_type_null: sink_null(fact); break;
  case json_type_int: sink_int(fact, json_object_get_int64(value)); break;
  case json_type_string:
    sink_string(fact, json_object_get_string(value), (size_t)json_object_get_string_len(value));
    break;
  case json_type_array: {
    size_t n = json_object_array_length(value);
    for (size_t i = 0; i < n; i++) {
      struct json_object *element = json_object_array_get_idx(value, i);
      sink_member(fact, json_object_get_string(element),
                  (size_t)json_object_get_string_len(element));
    }
    break;
  }
  default: sink_error();
  }
}

long json_c_run(const char *buffer, size_t length) {
  long cases = 0;
  struct json_tokener *tokener = json_tokener_new();
  EACH_LINE(buffer, length, line, size, {
    json_tokener_reset(tokener);
    struct json_object *root = json_tokener_parse_ex(tokener, line, (int)size);
    if (!root || !json_object_is_type(root, json_type_object)) {
      sink_error();
    } else {
      json_object_object_foreach(root, key, value) {
        int type;
        int fact = sink_fact(key, strlen(key), &type);
        if (fact < 0)
          sink_error();
        else
          json_c_value(fact, value);
      }
    }
    json_object_put(root);
    sink_case_done();
    cases++;
  });
  json_tokener_free(tokener);
  return cases;
}

