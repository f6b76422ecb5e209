/* loader.h - where 'use' finds modules, and where the stdlib is.
 *
 * The search path for 'use NAME;' is, in order: each -I directory, each
 * directory of the MRSPC_PATH environment variable (colon-separated), the
 * importing file's own directory, then the standard library.  The standard
 * library is $MRSPC_STDLIB if set, else the installed copy next to the
 * executable (PREFIX/share/mrspc/stdlib), else the source tree's stdlib/
 * (a build that was never installed).
 */
#ifndef MRSPC_LOADER_H
#define MRSPC_LOADER_H

#include <stdbool.h>

typedef struct SearchPath {
  const char **dirs;   /* -I and MRSPC_PATH directories */
  int count;
  const char *stdlib;  /* the standard library directory, or NULL */
} SearchPath;

/* The search path for these -I directories (the environment is read here). */
SearchPath *loader_search_path(const char *const *include_dirs, int count);

/* The file 'use name;' (or 'use "name";' when quoted) in a file in
 * importing_dir refers to, or NULL if there is none. */
const char *loader_find(const SearchPath *path, const char *name, bool quoted,
                        const char *importing_dir);

/* Module names available on the path (for "did you mean"); GC array. */
const char **loader_available(const SearchPath *path, const char *importing_dir, int *count);

/* The directory part of a file path ("." for a bare name). */
const char *loader_dirname(const char *path);

/* The file name without directory and ".mrsp" (a policy's default name). */
const char *loader_stem(const char *path);

/* A canonical spelling of path, to recognise a module loaded twice. */
const char *loader_canonical(const char *path);

#endif
