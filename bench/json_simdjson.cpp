// json_simdjson.cpp - simdjson's On Demand API for json_libraries.c.
#include <cstring>

#include <simdjson.h>

#include "json_sink.h"

using namespace simdjson;

static void value_into(int fact, int type, ondemand::value value) {
  ondemand::json_type kind;
  if (value.type().get(kind)) {
    sink_error();
    return;
  }
  switch (kind) {
  case ondemand::json_type::null:
    sink_null(fact);
    return;
  case ondemand::json_type::boolean: {
    bool b;
    if (value.get_bool().get(b)) sink_error(); else sink_bool(fact, b);
    return;
  }
  case ondemand::json_type::number: {
    int64_t n;
    if (value.get_int64().get(n)) sink_error(); else sink_int(fact, n);
    return;
  }
  case ondemand::json_type::string: {
    std::string_view text;
    if (value.get_string().get(text)) sink_error(); else sink_string(fact, text.data(), text.size());
    return;
  }
  case ondemand::json_type::array: {
    ondemand::array array;
    if (value.get_array().get(array)) { sink_error(); return; }
    for (auto element : array) {
      std::string_view text;
      if (element.get_string().get(text)) { sink_error(); return; }
      sink_member(fact, text.data(), text.size());
    }
    (void)type;
    return;
  }
  default:
    sink_error();
  }
}

long simdjson_run(const char *buffer, size_t length) {
  ondemand::parser parser;
  long cases = 0;
  const char *end = buffer + length;
  for (const char *line = buffer; line < end;) {
    const char *newline = static_cast<const char *>(memchr(line, '\n', end - line));
    size_t size = newline ? size_t(newline - line) : size_t(end - line);
    ondemand::document doc;
    if (parser.iterate(line, size, size + SIMDJSON_PADDING).get(doc)) {
      sink_error();
    } else {
      ondemand::object object;
      if (doc.get_object().get(object)) {
        sink_error();
      } else {
        for (auto field : object) {
          std::string_view key;
          if (field.unescaped_key().get(key)) { sink_error(); break; }
          int type;
          int fact = sink_fact(key.data(), key.size(), &type);
          if (fact < 0) { sink_error(); continue; }
          value_into(fact, type, field.value());
        }
      }
    }
    sink_case_done();
    cases++;
    line += size + 1;
  }
  return cases;
}

static void dom_value(int fact, dom::element value) {
  switch (value.type()) {
  case dom::element_type::NULL_VALUE:
    sink_null(fact);
    return;
  case dom::element_type::BOOL:
    sink_bool(fact, bool(value));
    return;
  case dom::element_type::INT64:
    sink_int(fact, int64_t(value));
    return;
  case dom::element_type::STRING: {
    std::string_view text(value);
    sink_string(fact, text.data(), text.size());
    return;
  }
  case dom::element_type::ARRAY:
    for (dom::element element : dom::array(value)) {
      std::string_view text;
      if (element.get_string().get(text)) { sink_error(); return; }
      sink_member(fact, text.data(), text.size());
    }
    return;
  default:
    sink_error();
  }
}

long simdjson_dom_run(const char *buffer, size_t length) {
  dom::parser parser;
  long cases = 0;
  const char *end = buffer + length;
  for (const char *line = buffer; line < end;) {
    const char *newline = static_cast<const char *>(memchr(line, '\n', end - line));
    size_t size = newline ? size_t(newline - line) : size_t(end - line);
    dom::element doc;
    dom::object object;
    if (parser.parse(line, size, false).get(doc) || doc.get_object().get(object)) {
      sink_error();
    } else {
      for (dom::key_value_pair field : object) {
        int type;
        int fact = sink_fact(field.key.data(), field.key.size(), &type);
        if (fact < 0) { sink_error(); continue; }
        dom_value(fact, field.value);
      }
    }
    sink_case_done();
    cases++;
    line += size + 1;
  }
  return cases;
}

long simdjson_many_run(const char *buffer, size_t length) {
  ondemand::parser parser;
  ondemand::document_stream stream;
  long cases = 0;
  if (parser.iterate_many(buffer, length, 1 << 20).get(stream)) {
    sink_error();
    return 0;
  }
  for (auto result : stream) {
    ondemand::document_reference doc;
    ondemand::object object;
    if (std::move(result).get(doc) || doc.get_object().get(object)) {
      sink_error();
    } else {
      for (auto field : object) {
        std::string_view key;
        if (field.unescaped_key().get(key)) { sink_error(); break; }
        int type;
        int fact = sink_fact(key.data(), key.size(), &type);
        if (fact < 0) { sink_error(); continue; }
        value_into(fact, type, field.value());
      }
    }
    sink_case_done();
    cases++;
  }
  return cases;
}
