/* json_sink.h - the work every JSON library does in json_libraries.c.
 *
 * Each library parses one case line and hands the sink what it found: a key
 * (looked up among the fact names by one hash table, the same for every
 * library), then the value converted by the fact's type.  So the figures
 * compare the libraries, not five different lookup schemes.
 */
#ifndef JSON_SINK_H
#define JSON_SINK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { SINK_BOOL, SINK_INT, SINK_DATE, SINK_CODE, SINK_ENUM, SINK_SET };

/* fact index of key, or -1; *type gets its SINK_ type */
int sink_fact(const char *key, size_t length, int *type);
void sink_bool(int fact, int value);
void sink_int(int fact, long long value);
void sink_string(int fact, const char *text, size_t length);
void sink_member(int fact, const char *text, size_t length);
void sink_null(int fact);
void sink_error(void);

/* simdjson through its C++ API: parses each line of buffer (lines end in
 * '\n'; the buffer has simdjson's padding after length); returns cases. */
long simdjson_run(const char *buffer, size_t length);
/* The same with simdjson's DOM API (the whole document parsed to a tape). */
long simdjson_dom_run(const char *buffer, size_t length);
/* The whole input as one stream of documents (iterate_many): no line can be
 * told from the next when one is malformed, so mrspc cannot use it as is. */
long simdjson_many_run(const char *buffer, size_t length);

/* json-c, in json_c.c; calls sink_case_done after each line. */
long json_c_run(const char *buffer, size_t length);
void sink_case_done(void);

#ifdef __cplusplus
}
#endif

#endif
