// case_json.cpp - simdjson behind a C interface (case_json.h).
//
// Walks the top object of one document once, in order, and records each
// member as JsonItems; the case reader (case.c) gives them meaning.  Two
// ways: the DOM API (fast: the whole parse runs in simdjson's library,
// compiled for the processor it finds) without positions, and the On
// Demand API, which points into the text, so errors can say where.  With
// On Demand, every value a case may hold is read (so validated) here, and
// the contents of a nested object, or of an array inside an array, are
// skipped, since the reader rejects those values by their kind alone.
#include "case_json.h"

#include <string_view>
#include <vector>

#include <simdjson.h>

using namespace simdjson;

static_assert(CASE_JSON_PADDING >= SIMDJSON_PADDING, "case buffers need simdjson's padding");

struct JsonParser {
  dom::parser dom;
  ondemand::parser parser;
  std::vector<JsonItem> items;
  const char *document;
  const char *end;       /* one past its last byte */
  const char *message;
  size_t offset;
};

extern "C" JsonParser *case_json_new(void) {
  return new JsonParser();
}

extern "C" void case_json_free(JsonParser *parser) {
  delete parser;
}

static uint32_t offset_of(const JsonParser *parser, const char *at) {
  return static_cast<uint32_t>(at - parser->document);
}

static void push(JsonParser *parser, JsonItemKind kind, const char *at, std::string_view text,
                 int64_t integer = 0) {
  JsonItem item;
  item.kind = kind;
  item.offset = offset_of(parser, at);
  item.length = static_cast<uint32_t>(text.size());
  item.text = text.data();
  item.integer = integer;
  parser->items.push_back(item);
}

/* false after recording why the document is not valid JSON */
static bool fail(JsonParser *parser, error_code error, const char *at) {
  parser->message = error_message(error);
  parser->offset = at ? offset_of(parser, at) : 0;
  return false;
}

static std::string_view trimmed(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                            token.back() == '\r'))
    token.remove_suffix(1);
  return token;
}

static bool number(JsonParser *parser, ondemand::value &value, const char *at) {
  ondemand::number_type type;
  error_code error = value.get_number_type().get(type);
  if (error)
    return fail(parser, error, at);
  std::string_view token = trimmed(value.raw_json_token());
  if (type == ondemand::number_type::signed_integer) {
    int64_t integer;
    if ((error = value.get_int64().get(integer)))
      return fail(parser, error, at);
    push(parser, ITEM_INTEGER, at, token, integer);
    return true;
  }
  double ignored; /* validates the number */
  if ((error = value.get_double().get(ignored)))
    return fail(parser, error, at);
  push(parser, ITEM_NUMBER, at, token);
  return true;
}

/* The text of a string token (its opening quote at `at`) when it has no
 * escapes: then it can be used where it stands, unescaped and already
 * validated by simdjson's first stage.  Empty data() when it has some. */
static std::string_view plain_string(const char *at, const char *end) {
  /* names and dates are short: a plain loop beats two library calls */
  for (const char *s = at + 1; s < end; s++) {
    if (*s == '"')
      return std::string_view(at + 1, size_t(s - at - 1));
    if (*s == '\\')
      break;
  }
  return std::string_view();
}

static bool string(JsonParser *parser, ondemand::value &value, std::string_view token) {
  const char *at = token.data();
  std::string_view text = plain_string(at, at + token.size());
  if (!text.data()) {
    error_code error = value.get_string().get(text);
    if (error)
      return fail(parser, error, at);
  }
  push(parser, ITEM_STRING, at, text);
  return true;
}

/* A scalar, told by its first byte; a nested array or object is recorded
 * by its kind and skipped. */
static bool scalar(JsonParser *parser, ondemand::value &value) {
  std::string_view token = value.raw_json_token();
  const char *at = token.data();
  error_code error;
  switch (*at) {
  case '"':
    return string(parser, value, token);
  case 't':
  case 'f': {
    bool flag;
    if ((error = value.get_bool().get(flag)))
      return fail(parser, error, at);
    push(parser, flag ? ITEM_TRUE : ITEM_FALSE, at, std::string_view());
    return true;
  }
  case 'n': {
    bool is_null;
    if ((error = value.is_null().get(is_null)) || !is_null)
      return fail(parser, error ? error : N_ATOM_ERROR, at);
    push(parser, ITEM_NULL, at, std::string_view());
    return true;
  }
  case '[':
    push(parser, ITEM_ARRAY, at, std::string_view());
    return true;
  case '{':
    push(parser, ITEM_OBJECT, at, std::string_view());
    return true;
  default:
    return number(parser, value, at);
  }
}

static bool array(JsonParser *parser, ondemand::value &value) {
  const char *at = value.raw_json_token().data();
  ondemand::array elements;
  error_code error = value.get_array().get(elements);
  if (error)
    return fail(parser, error, at);
  size_t index = parser->items.size();
  push(parser, ITEM_ARRAY, at, std::string_view());
  uint32_t count = 0;
  for (auto result : elements) {
    if ((error = result.error()))
      return fail(parser, error, at);
    ondemand::value element = std::move(result).value_unsafe();
    if (!scalar(parser, element))
      return false;
    count++;
  }
  parser->items[index].length = count;
  return true;
}

static bool member(JsonParser *parser, ondemand::field &field, const char *end) {
  const char *at = field.key().raw() - 1; /* the opening quote */
  std::string_view key = plain_string(at, end);
  if (!key.data()) {
    error_code error = field.unescaped_key().get(key);
    if (error)
      return fail(parser, error, at);
  }
  push(parser, ITEM_KEY, at, key);
  ondemand::value value = field.value();
  if (*value.raw_json_token().data() == '[')
    return array(parser, value);
  return scalar(parser, value);
}

static const char *kind_phrase(ondemand::json_type type) {
  switch (type) {
  case ondemand::json_type::array:
    return "an array";
  case ondemand::json_type::string:
    return "a string";
  case ondemand::json_type::number:
    return "a number";
  case ondemand::json_type::boolean:
    return "true or false";
  case ondemand::json_type::null:
    return "null";
  case ondemand::json_type::object:
    break;
  }
  return "an object";
}

/* Where the document's iterator stands; nullptr past its end. */
static const char *location(ondemand::document &document) {
  const char *at;
  if (document.current_location().get(at))
    return nullptr;
  return at;
}

static JsonStatus object(JsonParser *parser, ondemand::document &document) {
  ondemand::json_type type;
  error_code error = document.type().get(type);
  if (error == EMPTY)
    return JSON_EMPTY;
  if (error)
    return fail(parser, error, nullptr), JSON_INVALID;
  if (type != ondemand::json_type::object) {
    parser->message = kind_phrase(type);
    return JSON_NOT_OBJECT;
  }
  ondemand::object members;
  if ((error = document.get_object().get(members)))
    return fail(parser, error, nullptr), JSON_INVALID;
  for (auto result : members) {
    if ((error = result.error()))
      return fail(parser, error, location(document)), JSON_INVALID;
    ondemand::field field = std::move(result).value_unsafe();
    if (!member(parser, field, parser->end))
      return JSON_INVALID;
  }
  /* the object must end the document */
  const char *rest = location(document);
  if (rest)
    return fail(parser, TRAILING_CONTENT, rest), JSON_INVALID;
  return JSON_OK;
}

/* ---- the DOM API: no positions ------------------------------------------- */

static void dom_scalar(JsonParser *parser, dom::element value) {
  switch (value.type()) {
  case dom::element_type::NULL_VALUE:
    return push(parser, ITEM_NULL, parser->document, std::string_view());
  case dom::element_type::BOOL:
    return push(parser, bool(value) ? ITEM_TRUE : ITEM_FALSE, parser->document,
                std::string_view());
  /* without their text: a message that shows a number comes from the
   * located pass */
  case dom::element_type::INT64:
    return push(parser, ITEM_INTEGER, parser->document, std::string_view(), int64_t(value));
  case dom::element_type::UINT64:
  case dom::element_type::DOUBLE:
    return push(parser, ITEM_NUMBER, parser->document, std::string_view());
  case dom::element_type::STRING:
    return push(parser, ITEM_STRING, parser->document, std::string_view(value));
  case dom::element_type::ARRAY:
    return push(parser, ITEM_ARRAY, parser->document, std::string_view());
  case dom::element_type::OBJECT:
    return push(parser, ITEM_OBJECT, parser->document, std::string_view());
  }
}

static JsonStatus dom_object(JsonParser *parser, const char *text, size_t length) {
  dom::element root;
  error_code error = parser->dom.parse(text, length, false).get(root);
  if (error == EMPTY)
    return JSON_EMPTY;
  if (error)
    return fail(parser, error, nullptr), JSON_INVALID;
  dom::object members;
  if (root.get_object().get(members)) {
    static const char *const phrases[] = {"an array", "a string", "a number", "true or false",
                                          "null"};
    dom::element_type type = root.type();
    parser->message = type == dom::element_type::ARRAY    ? phrases[0]
                      : type == dom::element_type::STRING ? phrases[1]
                      : type == dom::element_type::BOOL   ? phrases[3]
                      : type == dom::element_type::NULL_VALUE ? phrases[4]
                                                              : phrases[2];
    return JSON_NOT_OBJECT;
  }
  for (dom::key_value_pair member : members) {
    push(parser, ITEM_KEY, parser->document, member.key);
    dom::array elements;
    if (member.value.get_array().get(elements)) {
      dom_scalar(parser, member.value);
      continue;
    }
    size_t index = parser->items.size();
    push(parser, ITEM_ARRAY, parser->document, std::string_view());
    for (dom::element element : elements)
      dom_scalar(parser, element);
    parser->items[index].length = uint32_t(parser->items.size() - index - 1);
  }
  return JSON_OK;
}

extern "C" JsonStatus case_json_parse(JsonParser *parser, const char *text, size_t length,
                                      bool located, const JsonItem **items, int *count,
                                      const char **message, size_t *offset) {
  parser->items.clear();
  parser->document = text;
  parser->end = text + length;
  parser->message = nullptr;
  parser->offset = 0;
  JsonStatus status;
  if (located) {
    ondemand::document document;
    error_code error =
        parser->parser.iterate(text, length, length + CASE_JSON_PADDING).get(document);
    if (error == EMPTY)
      status = JSON_EMPTY;
    else if (error)
      status = (fail(parser, error, nullptr), JSON_INVALID);
    else
      status = object(parser, document);
  } else {
    status = dom_object(parser, text, length);
  }
  *items = parser->items.data();
  *count = static_cast<int>(parser->items.size());
  *message = parser->message;
  *offset = parser->offset;
  return status;
}
