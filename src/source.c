/* source.c - reading files, and byte offsets to lines and columns.
 *
 * See source.h.  The table grows by doubling; entries are never removed
 * except all at once by source_reset.
 */
#define _POSIX_C_SOURCE 200809L /* fileno */
#include "source.h"

#include <errno.h>
#include <gc.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "text.h"

static SourceFile **files;
static int file_count, file_capacity;

static int add_file(const char *path, char *text, uint32_t length) {
  if (file_count == file_capacity) {
    file_capacity = file_capacity ? file_capacity * 2 : 16;
    files = GC_REALLOC(files, (size_t)file_capacity * sizeof *files);
  }
  SourceFile *file = GC_NEW(SourceFile);
  file->path = GC_STRDUP(path);
  file->text = text;
  file->length = length;
  files[file_count] = file;
  return file_count++;
}

static const char *read_error(const char *path, const char *why) {
  return text_format("cannot read '%s': %s", path, why);
}

int source_load(const char *path, const char **error) {
  bool is_stdin = strcmp(path, "-") == 0;
  FILE *stream = is_stdin ? stdin : fopen(path, "rb");
  if (!stream) {
    *error = read_error(path, strerror(errno));
    return -1;
  }
  struct stat info;
  if (fstat(fileno(stream), &info) == 0 && S_ISDIR(info.st_mode)) {
    *error = read_error(path, "it is a directory");
    fclose(stream);
    return -1;
  }
  size_t capacity = 65536, length = 0;
  char *text = GC_MALLOC_ATOMIC(capacity);
  for (;;) {
    if (length + 1 >= capacity) {
      if (capacity >= SOURCE_MAX_BYTES) {
        *error = read_error(path, "the file is larger than 1 GiB");
        if (!is_stdin)
          fclose(stream);
        return -1;
      }
      capacity *= 2;
      text = GC_REALLOC(text, capacity);
    }
    size_t got = fread(text + length, 1, capacity - length - 1, stream);
    length += got;
    if (got == 0) {
      if (ferror(stream)) {
        *error = read_error(path, strerror(errno));
        if (!is_stdin)
          fclose(stream);
        return -1;
      }
      break;
    }
  }
  if (!is_stdin)
    fclose(stream);
  text[length] = '\0';
  return add_file(is_stdin ? "<stdin>" : path, text, (uint32_t)length);
}

int source_add(const char *path, const char *text, size_t length) {
  if (length >= SOURCE_MAX_BYTES)
    length = SOURCE_MAX_BYTES - 1;
  char *copy = GC_MALLOC_ATOMIC(length + 1);
  memcpy(copy, text, length);
  copy[length] = '\0';
  return add_file(path, copy, (uint32_t)length);
}

const SourceFile *source_get(int file) {
  if (file < 0 || file >= file_count)
    return NULL;
  return files[file];
}

int source_count(void) {
  return file_count;
}

void source_reset(void) {
  files = NULL;
  file_count = file_capacity = 0;
}

static void build_line_table(SourceFile *file) {
  int capacity = 1024, count = 0;
  uint32_t *starts = GC_MALLOC_ATOMIC((size_t)capacity * sizeof *starts);
  starts[count++] = 0;
  const char *text = file->text;
  for (uint32_t i = 0; i < file->length; i++) {
    if (text[i] != '\n')
      continue;
    if (count == capacity) {
      capacity *= 2;
      starts = GC_REALLOC(starts, (size_t)capacity * sizeof *starts);
    }
    starts[count++] = i + 1;
  }
  file->line_starts = starts;
  file->line_count = count;
}

SourcePosition source_position(int file_index, uint32_t offset) {
  SourcePosition position = {1, 1};
  SourceFile *file = (SourceFile *)source_get(file_index);
  if (!file)
    return position;
  if (!file->line_starts)
    build_line_table(file);
  if (offset > file->length)
    offset = file->length;
  int low = 0, high = file->line_count - 1;
  while (low < high) {
    int middle = (low + high + 1) / 2;
    if (file->line_starts[middle] <= offset)
      low = middle;
    else
      high = middle - 1;
  }
  uint32_t start = file->line_starts[low];
  position.line = low + 1;
  position.column = (int)text_char_count(file->text + start, offset - start) + 1;
  return position;
}

const char *source_line(int file_index, int line, uint32_t *length) {
  SourceFile *file = (SourceFile *)source_get(file_index);
  *length = 0;
  if (!file)
    return "";
  if (!file->line_starts)
    build_line_table(file);
  if (line < 1 || line > file->line_count)
    return "";
  uint32_t start = file->line_starts[line - 1];
  uint32_t end = line < file->line_count ? file->line_starts[line] - 1 : file->length;
  if (end > start && file->text[end - 1] == '\r')
    end--;
  *length = end - start;
  return file->text + start;
}
