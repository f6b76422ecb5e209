/* text.c - UTF-8, printable renderings, GC strings, edit distance.
 *
 * See text.h.  All returned strings live on the collected heap.
 */
#include "text.h"

#include <gc.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

size_t text_decode_utf8(const char *bytes, size_t length, uint32_t *code_point) {
  const unsigned char *s = (const unsigned char *)bytes;
  if (length == 0)
    return 0;
  if (s[0] < 0x80) {
    *code_point = s[0];
    return 1;
  }
  size_t need;
  uint32_t value, minimum;
  if ((s[0] & 0xE0) == 0xC0) {
    need = 2, value = s[0] & 0x1F, minimum = 0x80;
  } else if ((s[0] & 0xF0) == 0xE0) {
    need = 3, value = s[0] & 0x0F, minimum = 0x800;
  } else if ((s[0] & 0xF8) == 0xF0) {
    need = 4, value = s[0] & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (length < need)
    return 0;
  for (size_t i = 1; i < need; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    value = (value << 6) | (s[i] & 0x3F);
  }
  /* overlong forms, surrogates and values past Unicode are not UTF-8 */
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
    return 0;
  *code_point = value;
  return need;
}

static bool is_control(uint32_t c) {
  return (c < 0x20 && c != '\t') || c == 0x7F;
}

size_t text_find_invalid_utf8(const char *bytes, size_t length, size_t *bad_length) {
  size_t i = 0;
  while (i < length) {
    uint32_t c;
    size_t n = text_decode_utf8(bytes + i, length - i, &c);
    if (n == 0 || is_control(c)) {
      *bad_length = 1;
      return i;
    }
    i += n;
  }
  *bad_length = 0;
  return length;
}

size_t text_char_count(const char *bytes, size_t length) {
  size_t count = 0, i = 0;
  while (i < length) {
    uint32_t c;
    size_t n = text_decode_utf8(bytes + i, length - i, &c);
    i += n ? n : 1;
    count++;
  }
  return count;
}

const char *text_printable(const char *bytes, size_t length) {
  TextBuffer out = {0};
  size_t i = 0;
  while (i < length) {
    uint32_t c;
    size_t n = text_decode_utf8(bytes + i, length - i, &c);
    if (n == 0 || is_control(c)) {
      text_appendf(&out, "\\x%02X", (unsigned)(unsigned char)bytes[i]);
      i++;
    } else {
      text_append(&out, bytes + i, n);
      i += n;
    }
  }
  return text_finish(&out);
}

/* Characters a word processor puts where the language wants ASCII. */
static const char *ascii_hint(uint32_t c) {
  switch (c) {
  case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB:
    return "write strings between straight double quotes (\"...\")";
  case 0x2018: case 0x2019:
    return "quotes around text must be straight double quotes (\"...\")";
  case 0x2013: case 0x2014: case 0x2212:
    return "a range is written with a plain '-', as in [2-4]";
  case 0x00A0:
    return "this is a no-break space; use a plain space";
  default:
    return NULL;
  }
}

const char *text_describe_stray(const char *bytes, size_t length) {
  const unsigned char first = (unsigned char)bytes[0];
  if (first == 0)
    return "unexpected NUL byte (a policy is a text file)";
  if (first < 0x80) {
    if (first < 0x20 || first == 0x7F)
      return text_format("unexpected control character 0x%02X", first);
    if (first == '\'')
      return "unexpected \"'\": strings are written between double quotes";
    return text_format("unexpected character '%c'", first);
  }
  uint32_t c;
  size_t n = text_decode_utf8(bytes, length, &c);
  if (n == 0)
    return text_format("invalid UTF-8 (byte 0x%02X); is this a policy file, saved as UTF-8?",
                       first);
  const char *hint = ascii_hint(c);
  const char *shown = text_format("%.*s", (int)n, bytes);
  if (hint)
    return text_format("unexpected character '%s' (U+%04X); %s", shown, (unsigned)c, hint);
  return text_format("unexpected character '%s' (U+%04X) outside a string", shown,
                     (unsigned)c);
}

const char *text_vformat(const char *format, va_list args) {
  va_list copy;
  va_copy(copy, args);
  int length = vsnprintf(NULL, 0, format, copy);
  va_end(copy);
  char *result = GC_MALLOC_ATOMIC((size_t)length + 1);
  vsnprintf(result, (size_t)length + 1, format, args);
  return result;
}

const char *text_format(const char *format, ...) {
  va_list args;
  va_start(args, format);
  const char *result = text_vformat(format, args);
  va_end(args);
  return result;
}

int text_edit_distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  /* three rows suffice for the adjacent-swap rule */
  int *rows = GC_MALLOC_ATOMIC(3 * (m + 1) * sizeof *rows);
  int *two_back = rows, *previous = rows + (m + 1), *current = rows + 2 * (m + 1);
  for (size_t j = 0; j <= m; j++)
    previous[j] = (int)j;
  for (size_t i = 1; i <= n; i++) {
    current[0] = (int)i;
    for (size_t j = 1; j <= m; j++) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int best = previous[j] + 1;
      if (current[j - 1] + 1 < best)
        best = current[j - 1] + 1;
      if (previous[j - 1] + cost < best)
        best = previous[j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          two_back[j - 2] + 1 < best)
        best = two_back[j - 2] + 1;
      current[j] = best;
    }
    int *rotate = two_back;
    two_back = previous;
    previous = current;
    current = rotate;
  }
  return previous[m];
}

const char *text_suggest(const char *name, const char *const *candidates, int count) {
  const char *best = NULL;
  int best_distance = 0;
  size_t length = strlen(name);
  /* a third of the name's length, at least one edit, at most four */
  int limit = (int)(length / 3);
  if (limit < 1)
    limit = 1;
  if (limit > 4)
    limit = 4;
  for (int i = 0; i < count; i++) {
    if (!candidates[i] || strcmp(candidates[i], name) == 0)
      continue;
    int distance = text_edit_distance(name, candidates[i]);
    /* a word cut short or run on ("boolean" for "bool") counts as close */
    size_t other = strlen(candidates[i]);
    size_t shorter = other < length ? other : length;
    if (shorter >= 3 && strncmp(name, candidates[i], shorter) == 0 && distance > limit)
      distance = limit;
    if (distance <= limit && (!best || distance < best_distance)) {
      best = candidates[i];
      best_distance = distance;
    }
  }
  return best;
}

void text_append(TextBuffer *buffer, const char *bytes, size_t length) {
  if (buffer->length + length + 1 > buffer->capacity) {
    size_t capacity = buffer->capacity ? buffer->capacity * 2 : 64;
    while (capacity < buffer->length + length + 1)
      capacity *= 2;
    buffer->data = GC_REALLOC(buffer->data, capacity);
    buffer->capacity = capacity;
  }
  if (length)
    memcpy(buffer->data + buffer->length, bytes, length);
  buffer->length += length;
  buffer->data[buffer->length] = '\0';
}

void text_appendf(TextBuffer *buffer, const char *format, ...) {
  va_list args;
  va_start(args, format);
  const char *formatted = text_vformat(format, args);
  va_end(args);
  text_append(buffer, formatted, strlen(formatted));
}

const char *text_finish(TextBuffer *buffer) {
  if (!buffer->data)
    return "";
  return buffer->data;
}
