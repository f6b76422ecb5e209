/* loader.c - the module search path and the standard library's location.
 *
 * See loader.h for the order of the search.  Only paths are computed here;
 * reading and parsing are source.c's and parse.c's.
 */
#define _DEFAULT_SOURCE /* realpath, readlink */
#include "loader.h"

#include <dirent.h>
#include <gc.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ast.h"
#include "text.h"

static bool is_directory(const char *path) {
  struct stat info;
  return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

static bool is_file(const char *path) {
  struct stat info;
  return stat(path, &info) == 0 && S_ISREG(info.st_mode);
}

const char *loader_dirname(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash)
    return ".";
  if (slash == path)
    return "/";
  return text_format("%.*s", (int)(slash - path), path);
}

const char *loader_stem(const char *path) {
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  size_t length = strlen(base);
  if (length > 5 && strcmp(base + length - 5, ".mrsp") == 0)
    length -= 5;
  return text_format("%.*s", (int)length, base);
}

const char *loader_canonical(const char *path) {
  char resolved[PATH_MAX];
  if (realpath(path, resolved))
    return GC_STRDUP(resolved);
  return path;
}

/* The directory of the running executable, or NULL. */
static const char *executable_dir(void) {
  char buffer[PATH_MAX];
  ssize_t length = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (length <= 0)
    return NULL;
  buffer[length] = '\0';
  return loader_dirname(GC_STRDUP(buffer));
}

/* $MRSPC_STDLIB, else PREFIX/share/mrspc/stdlib beside an installed
 * PREFIX/bin/mrspc, else the source tree's stdlib/. */
static const char *find_stdlib(void) {
  const char *from_environment = getenv("MRSPC_STDLIB");
  if (from_environment && *from_environment)
    return GC_STRDUP(from_environment);
  const char *bin = executable_dir();
  if (bin) {
    const char *installed = text_format("%s/../%s", bin, MRSPC_INSTALL_STDLIB_REL);
    if (is_file(text_format("%s/facts.mrsp", installed)))
      return loader_canonical(installed);
  }
  if (is_directory(MRSPC_SOURCE_STDLIB))
    return MRSPC_SOURCE_STDLIB;
  return NULL;
}

SearchPath *loader_search_path(const char *const *include_dirs, int count) {
  SearchPath *path = GC_NEW(SearchPath);
  PtrList dirs = {0};
  for (int i = 0; i < count; i++)
    ast_list_push(&dirs, (void *)include_dirs[i]);
  const char *environment = getenv("MRSPC_PATH");
  if (environment) {
    const char *start = environment;
    for (;;) {
      const char *colon = strchr(start, ':');
      size_t length = colon ? (size_t)(colon - start) : strlen(start);
      if (length > 0)
        ast_list_push(&dirs, (void *)text_format("%.*s", (int)length, start));
      if (!colon)
        break;
      start = colon + 1;
    }
  }
  path->dirs = (const char **)dirs.items;
  path->count = dirs.count;
  path->stdlib = find_stdlib();
  return path;
}

static const char *file_name_for(const char *name, bool quoted) {
  size_t length = strlen(name);
  if (quoted && length > 5 && strcmp(name + length - 5, ".mrsp") == 0)
    return name;
  return text_format("%s.mrsp", name);
}

const char *loader_find(const SearchPath *path, const char *name, bool quoted,
                        const char *importing_dir) {
  const char *file = file_name_for(name, quoted);
  if (file[0] == '/')
    return is_file(file) ? file : NULL;
  for (int i = 0; i < path->count; i++) {
    const char *candidate = text_format("%s/%s", path->dirs[i], file);
    if (is_file(candidate))
      return candidate;
  }
  if (importing_dir) {
    const char *candidate = strcmp(importing_dir, ".") == 0
                                ? file
                                : text_format("%s/%s", importing_dir, file);
    if (is_file(candidate))
      return candidate;
  }
  if (path->stdlib) {
    const char *candidate = text_format("%s/%s", path->stdlib, file);
    if (is_file(candidate))
      return candidate;
  }
  return NULL;
}

static void list_modules(PtrList *names, const char *dir) {
  DIR *stream = opendir(dir);
  if (!stream)
    return;
  struct dirent *entry;
  while ((entry = readdir(stream)) != NULL) {
    size_t length = strlen(entry->d_name);
    if (length > 5 && strcmp(entry->d_name + length - 5, ".mrsp") == 0)
      ast_list_push(names, (void *)text_format("%.*s", (int)(length - 5), entry->d_name));
  }
  closedir(stream);
}

const char **loader_available(const SearchPath *path, const char *importing_dir, int *count) {
  PtrList names = {0};
  for (int i = 0; i < path->count; i++)
    list_modules(&names, path->dirs[i]);
  if (importing_dir)
    list_modules(&names, importing_dir);
  if (path->stdlib)
    list_modules(&names, path->stdlib);
  *count = names.count;
  return (const char **)names.items;
}
