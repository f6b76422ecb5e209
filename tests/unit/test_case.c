/* test_case.c - reading case files: values, unknowns, and every error.
 *
 * The schema is eval_program.h's: bools a, b, c; n an int from 0 to 130;
 * dates d, r; e a color (red, green, blue); s a set of colors; a code.
 * Each error is checked word for word, with its line and column.
 */
#include <gc.h>

#include "eval_program.h"
#include "unit.h"

static CaseReader *reader;
static Lowered *program;
static Case *facts;

static int read(const char *text) {
  return case_read_json(reader, text, strlen(text), facts, CASE_MAX_ERRORS);
}

/* The only error reading text, as "LINE:COLUMN: MESSAGE". */
static const char *error_of(const char *text) {
  int count = read(text);
  if (count != 1)
    return count ? "more than one error" : "no error";
  const CaseError *error = case_reader_error(reader, 0);
  static char buffer[512];
  snprintf(buffer, sizeof buffer, "%d:%d: %s", error->line, error->column, error->message);
  return buffer;
}

static void values_are_read_by_type(void) {
  CHECK_INT(read("{\"a\": true, \"b\": false, \"n\": 47, \"d\": \"2024-02-29\", "
                 "\"e\": \"blue\", \"s\": [\"red\", \"blue\", \"red\"], \"code\": \"0698T\"}"),
            0);
  CHECK(case_known(facts, F_A) && facts->values[F_A] == 1);
  CHECK(case_known(facts, F_B) && facts->values[F_B] == 0);
  CHECK_INT(facts->values[F_N], 47);
  CHECK_INT(facts->values[F_D], day_of(2024, 2, 29));
  CHECK_INT(facts->values[F_E], 2);
  CHECK_INT(facts->values[F_S], 5); /* red and blue; duplicates do not matter */
  CHECK_INT(facts->values[F_CODE], code_pack("0698T", 5));
  CHECK(!case_known(facts, F_C) && !case_known(facts, F_R));
}

static void absent_and_null_are_unknown(void) {
  CHECK_INT(read("{\"a\": true}"), 0);
  CHECK(case_known(facts, F_A));
  CHECK_INT(read("{\"a\": null, \"s\": null}"), 0);
  CHECK(!case_known(facts, F_A)); /* nothing carries over from the last case */
  CHECK(!case_known(facts, F_S));
  CHECK_INT(read("{}"), 0);
  CHECK_INT(read(" \n{ \"s\" : [ ] }\n"), 0);
  CHECK(case_known(facts, F_S) && facts->values[F_S] == 0);
  CHECK_INT(read("{\"e\": \"gr\\u0065en\"}"), 0); /* escapes are read */
  CHECK_INT(facts->values[F_E], 1);
}

static void keys_must_be_facts(void) {
  CHECK_STR(error_of("{\"age\": 4, \"n\": 4}"), "1:2: 'age' is not a fact");
  CHECK_STR(error_of("{\"a\": true,\n \"cde\": \"76390\"}"),
            "2:2: 'cde' is not a fact; did you mean 'code'?");
  CHECK_STR(error_of("{\"a\": true, \"a\": null}"), "1:13: 'a' is given twice");
}

static void values_must_have_the_fact_type(void) {
  CHECK_STR(error_of("{\"a\": \"yes\"}"), "1:7: 'a' must be true or false, not \"yes\"");
  CHECK_STR(error_of("{\"a\": 1}"), "1:7: 'a' must be true or false, not the number 1");
  CHECK_STR(error_of("{\"n\": \"47\"}"),
            "1:7: 'n' must be a whole number from 0 to 130, not \"47\"");
  CHECK_STR(error_of("{\"n\": 47.5}"),
            "1:7: 'n' must be a whole number from 0 to 130, not the number 47.5");
  CHECK_STR(error_of("{\"n\": 131}"),
            "1:7: 'n' must be a whole number from 0 to 130, not the number 131");
  CHECK_STR(error_of("{\"n\": -1}"),
            "1:7: 'n' must be a whole number from 0 to 130, not the number -1");
  CHECK_STR(error_of("{\"n\": [1]}"), "1:7: 'n' must be a whole number from 0 to 130, not a list");
  CHECK_STR(error_of("{\"n\": {\"x\": 1}}"),
            "1:7: 'n' must be a whole number from 0 to 130, not an object");
}

static void dates_codes_and_members_are_checked(void) {
  CHECK_STR(error_of("{\"d\": \"2026-02-30\"}"),
            "1:7: 'd' must be a date written YYYY-MM-DD, not \"2026-02-30\" (February 2026 "
            "has 28 days)");
  CHECK_STR(error_of("{\"d\": \"02/10/2026\"}"),
            "1:7: 'd' must be a date written YYYY-MM-DD, not \"02/10/2026\"");
  CHECK_STR(error_of("{\"d\": 20260210}"),
            "1:7: 'd' must be a date written YYYY-MM-DD, not the number 20260210");
  CHECK_STR(error_of("{\"code\": 76390}"),
            "1:10: 'code' must be a CPT/HCPCS code written as a string, such as \"76390\" or "
            "\"0698T\", not the number 76390 (write codes as strings, so leading zeros stay: "
            "\"76390\")");
  CHECK_STR(error_of("{\"code\": \"+0698T\"}"),
            "1:10: 'code' must be a CPT/HCPCS code written as a string, such as \"76390\" or "
            "\"0698T\", not \"+0698T\" (the '+' add-on marker is not part of the code)");
  CHECK_STR(error_of("{\"code\": \"7639\"}"),
            "1:10: 'code' must be a CPT/HCPCS code written as a string, such as \"76390\" or "
            "\"0698T\", not \"7639\"");
  CHECK_STR(error_of("{\"e\": \"gren\"}"),
            "1:7: 'e' must be a 'color' name, such as \"red\", not \"gren\"; did you mean "
            "\"green\"?");
  CHECK_STR(error_of("{\"e\": [\"red\"]}"),
            "1:7: 'e' must be a 'color' name, such as \"red\", not a list");
  CHECK_STR(error_of("{\"s\": \"red\"}"),
            "1:7: 's' must be a list of 'color' names, such as [\"red\"], not \"red\"");
  CHECK_STR(error_of("{\"s\": [\"red\", \"bleu\"]}"),
            "1:15: 's' must be a list of 'color' names, such as [\"red\"], but item 2 is "
            "\"bleu\"; did you mean \"blue\"?");
  CHECK_STR(error_of("{\"s\": [\"red\", 3]}"),
            "1:15: 's' must be a list of 'color' names, such as [\"red\"], but item 2 is the "
            "number 3");
}

static void a_case_is_one_json_object(void) {
  CHECK_STR(error_of("[1, 2]"), "1:1: a case is one JSON object keyed by fact names, not an array");
  CHECK_STR(error_of("  \n "), "1:1: the case is empty: a case is one JSON object keyed by fact "
                               "names");
  /* invalid JSON: jansson's line, column and words */
  CHECK_STR(error_of("{\"a\": true,\n \"b\": tru}"),
            "2:9: invalid JSON: invalid token near 'tru'");
  CHECK_STR(error_of("{\"a\": true} {\"b\": true}"), "1:13: invalid JSON: end of file expected "
                                                     "near '{'");
  CHECK_STR(error_of("{\"a\": true"), "1:10: invalid JSON: '}' expected near end of file");
  CHECK_STR(error_of("{\"a\": \"\xff\"}"),
            "1:7: invalid JSON: unable to decode byte 0xff near '\"'");
}

static void shown_text_is_safe_and_short(void) {
  CHECK_STR(error_of("{\"e\": \"a\\u0001b\"}"),
            "1:7: 'e' must be a 'color' name, such as \"red\", not \"a\\x01b\"");
  CHECK_STR(error_of("{\"e\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}"),
            "1:7: 'e' must be a 'color' name, such as \"red\", not "
            "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\"");
}

static void several_errors_are_all_reported(void) {
  int count = read("{\"a\": 1,\n \"zz\": true,\n \"n\": 500}");
  CHECK_INT(count, 3);
  CHECK_INT(case_reader_error(reader, 1)->line, 2);
  CHECK_INT(case_reader_error(reader, 2)->line, 3);
  /* a batch asks for the first only */
  CHECK_INT(case_read_json(reader, "{\"a\": 1, \"zz\": 1}", 17, facts, 1), 1);
}

int main(void) {
  GC_INIT();
  program = program_new();
  rules_done(program);
  reader = case_reader_new(program);
  facts = case_new(program);
  UNIT_RUN(values_are_read_by_type);
  UNIT_RUN(absent_and_null_are_unknown);
  UNIT_RUN(keys_must_be_facts);
  UNIT_RUN(values_must_have_the_fact_type);
  UNIT_RUN(dates_codes_and_members_are_checked);
  UNIT_RUN(a_case_is_one_json_object);
  UNIT_RUN(shown_text_is_safe_and_short);
  UNIT_RUN(several_errors_are_all_reported);
  case_reader_free(reader);
  return unit_finish();
}
