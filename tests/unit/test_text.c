/* test_text.c - UTF-8 handling, "did you mean" and CPT/HCPCS code shapes. */
#include <gc.h>

#include "check.h"
#include "text.h"
#include "unit.h"

static void edit_distance_counts_edits_and_swaps(void) {
  CHECK_INT(text_edit_distance("glioma", "glioma"), 0);
  CHECK_INT(text_edit_distance("gliom", "glioma"), 1);
  CHECK_INT(text_edit_distance("giloma", "glioma"), 1); /* adjacent swap */
  CHECK_INT(text_edit_distance("", "abc"), 3);
  CHECK_INT(text_edit_distance("kitten", "sitting"), 3);
}

static void suggestions_are_close_or_none(void) {
  const char *facts[] = {"conventional_imaging_inconclusive", "indication", "pregnant",
                         "age_years"};
  CHECK_STR(text_suggest("conventinal_imaging_inconclusive", facts, 4),
            "conventional_imaging_inconclusive");
  CHECK_STR(text_suggest("indicaton", facts, 4), "indication");
  CHECK_STR(text_suggest("age", facts, 4), "age_years"); /* cut short */
  CHECK_STR(text_suggest("claustrophobia", facts, 4), NULL);
  const char *types[] = {"bool", "int", "date", "code"};
  CHECK_STR(text_suggest("boolean", types, 4), "bool"); /* run on */
  CHECK_STR(text_suggest("x", types, 4), NULL);
}

static void utf8_validation_finds_the_first_bad_byte(void) {
  size_t bad = 0;
  const char good[] = "Bl\xc3\xbcml \xe2\x80\x93 MRS";
  CHECK_INT(text_find_invalid_utf8(good, sizeof good - 1, &bad), sizeof good - 1);
  const char broken[] = "ab\xff" "cd";
  CHECK_INT(text_find_invalid_utf8(broken, 5, &bad), 2);
  const char overlong[] = "\xc0\xaf";
  CHECK_INT(text_find_invalid_utf8(overlong, 2, &bad), 0);
  const char surrogate[] = "\xed\xa0\x80";
  CHECK_INT(text_find_invalid_utf8(surrogate, 3, &bad), 0);
  const char control[] = "a\x01";
  CHECK_INT(text_find_invalid_utf8(control, 2, &bad), 1);
  CHECK_INT(text_find_invalid_utf8("tab\there", 8, &bad), 8);
  CHECK_INT(text_char_count("\xc3\xbc\xe2\x80\x93x", 6), 3);
}

static void printable_escapes_bytes_that_are_not_text(void) {
  CHECK_STR(text_printable("a\x01\xff" "b", 4), "a\\x01\\xFFb");
  CHECK_STR(text_printable("\xc3\xbc", 2), "\xc3\xbc");
}

static void stray_characters_get_a_hint(void) {
  CHECK_STR(text_describe_stray("\xe2\x80\x9c", 3),
            "unexpected character '\xe2\x80\x9c' (U+201C); write strings between straight "
            "double quotes (\"...\")");
  CHECK_STR(text_describe_stray("$", 1), "unexpected character '$'");
  CHECK_STR(text_describe_stray("", 1), "unexpected NUL byte (a policy is a text file)");
}

static void code_shapes(void) {
  CHECK(check_code_shape("76390"));
  CHECK(check_code_shape("0698T"));
  CHECK(check_code_shape("G0123"));
  CHECK(!check_code_shape("7639"));
  CHECK(!check_code_shape("763901"));
  CHECK(!check_code_shape("0698t"));
  CHECK(!check_code_shape("06A8T"));
  CHECK(!check_code_shape("ABCDE"));
}

int main(void) {
  GC_INIT();
  UNIT_RUN(edit_distance_counts_edits_and_swaps);
  UNIT_RUN(suggestions_are_close_or_none);
  UNIT_RUN(utf8_validation_finds_the_first_bad_byte);
  UNIT_RUN(printable_escapes_bytes_that_are_not_text);
  UNIT_RUN(stray_characters_get_a_hint);
  UNIT_RUN(code_shapes);
  return unit_finish();
}
