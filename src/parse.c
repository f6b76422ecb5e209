/* parse.c - runs the scanner and parser over one file; words syntax errors.
 *
 * Takes a source index, produces a Module (parse.h).  Syntax errors say what
 * was expected in words a policy author knows ("expected ';' or '>' to
 * continue the group, found 'any'"), never bison's token names.
 */
#include "parse.h"

#include <gc.h>
#include <string.h>

#include "diag.h"
#include "lexstate.h"
#include "mrsp.tab.h"
#include "mrsp.lex.h"
#include "source.h"
#include "text.h"

int mrsp_parse(yyscan_t scanner);

/* A file whose first few kilobytes are mostly not text (an image, a PDF, a
 * word processor's file) gets one error instead of one per stray byte. */
static bool looks_binary(const SourceFile *source) {
  enum { SAMPLE = 4096, TOLERATED = 16 };
  uint32_t length = source->length < SAMPLE ? source->length : SAMPLE;
  int bad = 0;
  for (uint32_t i = 0; i < length;) {
    uint32_t c;
    size_t n = text_decode_utf8(source->text + i, length - i, &c);
    if (n == 0 && length == SAMPLE && length - i < 4)
      break; /* a character cut off by the end of the sample */
    bool text = n > 0 && (c >= 0x20 || c == '\t' || c == '\n' || c == '\r' || c == '\f');
    bad += !text;
    i += n ? (uint32_t)n : 1;
  }
  return bad > TOLERATED;
}

Module *parse_module(int file) {
  const SourceFile *source = source_get(file);
  LexState *state = GC_NEW(LexState);
  state->file = file;
  Module *module = GC_NEW(Module);
  module->file = file;
  if (looks_binary(source)) {
    Span start = {file, 0, 0};
    Diagnostic *d = diag_error(start, "this is not a text file: its first bytes are mostly "
                                      "not UTF-8 text");
    diag_note_plain(d, "a policy is a UTF-8 text file; is '%s' the right file?", source->path);
    module->syntax_ok = false;
    return module;
  }
  yyscan_t scanner;
  mrsp_lex_init_extra(state, &scanner);
  mrsp__scan_bytes(source->text, (int)source->length, scanner);
  mrsp_parse(scanner);
  mrsp_lex_destroy(scanner);

  module->decls = (Decl **)state->decls.items;
  module->count = state->decls.count;
  module->syntax_ok = state->syntax_errors == 0 && !state->stop;
  return module;
}

/* ---- wording syntax errors -------------------------------------------- */

static bool has(const char *const *names, int count, const char *name) {
  for (int i = 0; i < count; i++)
    if (strcmp(names[i], name) == 0)
      return true;
  return false;
}

/* A token name as a phrase: "name" -> "a name", "';'" stays "';'". */
static const char *phrase(const char *name) {
  static const struct {
    const char *token, *words;
  } table[] = {
      {"name", "a name"},
      {"string", "a string"},
      {"number", "a number"},
      {"date", "a date"},
      {"code", "a procedure code"},
      {"time unit", "'days', 'weeks', 'months' or 'years'"},
      {"end of file", "the end of the file"},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (strcmp(name, table[i].token) == 0)
      return table[i].words;
  return name;
}

/* What was found, quoting the source text where that helps. */
static const char *describe_found(Span span, const char *found) {
  if (strcmp(found, "end of file") == 0)
    return "the end of the file";
  if (strcmp(found, "string") == 0)
    return "a string";
  const SourceFile *source = source_get(span.file);
  uint32_t length = span.end - span.begin;
  if (length == 0 || length > 40)
    return phrase(found);
  return text_format("'%s'", text_printable(source->text + span.begin, length));
}

/* "a, b or c" */
static const char *join_alternatives(const char *const *names, int count) {
  TextBuffer out = {0};
  for (int i = 0; i < count; i++) {
    if (i > 0)
      text_append(&out, i == count - 1 ? " or " : ", ", i == count - 1 ? 4 : 2);
    const char *words = phrase(names[i]);
    text_append(&out, words, strlen(words));
  }
  return text_finish(&out);
}

/* The expected set, in words: the common sets get a name of their own. */
static const char *describe_expected(const char *const *names, int count) {
  if (has(names, count, "';'") && has(names, count, "'>'"))
    return "';' or '>' to continue the group";
  if (has(names, count, "'all'") && has(names, count, "'any'") && has(names, count, "name"))
    return "a condition (a fact, a criterion, or a group such as 'all < ... >')";
  if (has(names, count, "'policy'") && has(names, count, "'criterion'"))
    return "a declaration ('policy', 'references', 'use', 'criterion', 'applies', "
           "'refer', 'investigational', 'exclude', 'require', 'note', 'test', "
           "'enum' or 'fact')";
  if (has(names, count, "';'") && has(names, count, "'is'") && has(names, count, "'in'"))
    return "';' to end the declaration";
  if (count > 8)
    return NULL;
  return join_alternatives(names, count);
}

void parse_report_missing_separator(LexState *state, Span span) {
  if (state->stop)
    return;
  state->syntax_errors++;
  const SourceFile *source = source_get(span.file);
  uint32_t length = span.end - span.begin;
  Span first = span;
  /* point at the first word of the item, not all of it */
  uint32_t end = span.begin;
  while (end < span.end && end - span.begin < 40 && source->text[end] != ' ' &&
         source->text[end] != '\n' && source->text[end] != '<')
    end++;
  first.end = end > span.begin ? end : span.begin + 1;
  (void)length;
  bool is_string = source->text[span.begin] == '"';
  Diagnostic *d = diag_error(first, "expected ';' or '>' to continue the group, found %s",
                             is_string ? "a string" : describe_found(first, "name"));
  diag_note_plain(d, "items of a group are separated by ';'");
}

/* Whether a token (by its name) begins a top-level declaration. */
static bool starts_declaration(const char *found) {
  static const char *const keywords[] = {
      "'policy'", "'references'", "'use'",     "'enum'",    "'fact'", "'criterion'",
      "'applies'", "'refer'",     "'investigational'", "'exclude'", "'require'",
      "'note'",    "'test'"};
  return has(keywords, (int)(sizeof keywords / sizeof keywords[0]), found);
}

void parse_report_syntax_error(LexState *state, Span span, const char *found,
                               const char *const *expected, int count) {
  const char *wanted = count > 0 ? describe_expected(expected, count) : NULL;
  const char *what = describe_found(span, found);
  Diagnostic *d = wanted ? diag_error(span, "expected %s, found %s", wanted, what)
                         : diag_error(span, "unexpected %s", what);
  bool group_open = has(expected, count, "'>'") && state->group_depth > 0;
  bool declaration = starts_declaration(found);
  if (group_open && (declaration || strcmp(found, "end of file") == 0 ||
                     strcmp(found, "'}'") == 0)) {
    diag_note(d, state->open_groups[state->group_depth - 1],
              "the group opened here is not closed with '>'");
  }
  bool keyword = found[0] == '\'' && found[1] >= 'a' && found[1] <= 'z';
  if (keyword && has(expected, count, "name"))
    diag_note_plain(d, "%s is a reserved word; it cannot be used as a name", found);
  if (declaration && has(expected, count, "';'") && !group_open)
    diag_note_plain(d, "a new declaration starts here; the one before it must end with ';'");
  if (strcmp(found, "string") == 0 && has(expected, count, "'='"))
    diag_note_plain(d, "a rule has at most one string: the policy's words for it");
}
