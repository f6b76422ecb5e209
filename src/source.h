/* source.h - the table of source files and their line tables.
 *
 * Every Span names a file by its index here.  Files are read whole; line
 * starts are computed on first use, so a 50 MB file that never needs a
 * position costs one scan less.  Line and column numbers are 1-based; a
 * column counts characters (UTF-8 code points), a tab counting as one.
 */
#ifndef MRSPC_SOURCE_H
#define MRSPC_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "ast.h"

/* Largest file mrspc reads: offsets are 32 bits, and no policy comes near. */
#define SOURCE_MAX_BYTES (1024u * 1024u * 1024u)

typedef struct SourceFile {
  const char *path;      /* as given, for messages */
  const char *text;      /* the bytes, NUL-terminated (the file may hold NULs) */
  uint32_t length;
  uint32_t *line_starts; /* computed lazily */
  int line_count;
} SourceFile;

typedef struct SourcePosition {
  int line;
  int column;
} SourcePosition;

/* Reads a file into the table; returns its index, or -1 with *error set to
 * a sentence saying why.  "-" reads standard input. */
int source_load(const char *path, const char **error);

/* Adds text already in memory (an editor's buffer); returns its index. */
int source_add(const char *path, const char *text, size_t length);

const SourceFile *source_get(int file);
int source_count(void);

/* Forgets every file (the language server, between documents). */
void source_reset(void);

SourcePosition source_position(int file, uint32_t offset);

/* The text of a 1-based line, without its line break. */
const char *source_line(int file, int line, uint32_t *length);

#endif
