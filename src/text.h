/* text.h - small text utilities shared by every phase.
 *
 * UTF-8 validation and decoding, printable renderings of arbitrary bytes,
 * formatted strings on the collected heap, and the edit distance behind
 * "did you mean" suggestions.  Nothing here keeps state.
 */
#ifndef MRSPC_TEXT_H
#define MRSPC_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Index of the first byte of bytes[0..length) that is not valid UTF-8 or is
 * a control character other than tab; length if there is none.  *bad_length
 * is the number of bytes of the offending sequence. */
size_t text_find_invalid_utf8(const char *bytes, size_t length, size_t *bad_length);

/* Decodes one UTF-8 sequence at bytes; returns its length (0 if invalid)
 * and stores the code point. */
size_t text_decode_utf8(const char *bytes, size_t length, uint32_t *code_point);

/* Number of characters (code points) in bytes[0..length); an invalid byte
 * counts as one character. */
size_t text_char_count(const char *bytes, size_t length);

/* bytes with every non-printable byte written as \xNN (a GC string). */
const char *text_printable(const char *bytes, size_t length);

/* The message for bytes that cannot start any token. */
const char *text_describe_stray(const char *bytes, size_t length);

/* printf into a new GC string. */
const char *text_format(const char *format, ...)
    __attribute__((format(printf, 1, 2)));
const char *text_vformat(const char *format, va_list args)
    __attribute__((format(printf, 1, 0)));

/* Optimal-string-alignment edit distance (adjacent swaps cost one). */
int text_edit_distance(const char *a, const char *b);

/* The candidate closest to name, if it is close enough to be a plausible
 * typo; NULL otherwise. */
const char *text_suggest(const char *name, const char *const *candidates, int count);

/* Appends to a growable GC buffer. */
typedef struct TextBuffer {
  char *data;
  size_t length, capacity;
} TextBuffer;
void text_append(TextBuffer *buffer, const char *bytes, size_t length);
void text_appendf(TextBuffer *buffer, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
const char *text_finish(TextBuffer *buffer);

#endif
