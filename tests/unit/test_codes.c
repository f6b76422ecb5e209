/* test_codes.c - procedure codes as integers (code_pack in lower.h). */
#include <gc.h>
#include <string.h>

#include "lower.h"
#include "unit.h"

static int64_t pack(const char *code) {
  return code_pack(code, strlen(code));
}

static void codes_of_one_kind_order_by_their_digits(void) {
  CHECK(pack("0609T") < pack("0610T"));
  CHECK(pack("0610T") < pack("0612T"));
  CHECK(pack("70010") < pack("76390"));
  CHECK(pack("G0100") < pack("G0199"));
}

static void a_range_holds_only_codes_of_its_kind(void) {
  /* 0609T to 0612T: neither another letter nor a HCPCS code in between */
  CHECK(!(pack("0609T") <= pack("0610A") && pack("0610A") <= pack("0612T")));
  CHECK(!(pack("0609T") <= pack("T0610") && pack("T0610") <= pack("0612T")));
  CHECK(!(pack("0609T") <= pack("06100") && pack("06100") <= pack("0612T")));
  CHECK(pack("0609T") <= pack("0611T") && pack("0611T") <= pack("0612T"));
}

static void codes_unpack_to_their_text(void) {
  const char *codes[] = {"76390", "0698T", "G0123", "T1015"};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    char buffer[6];
    code_unpack(pack(codes[i]), buffer);
    CHECK_STR(buffer, codes[i]);
  }
  CHECK(pack("1015T") != pack("T1015"));
  CHECK_INT(pack("7639"), -1);
}

int main(void) {
  GC_INIT();
  UNIT_RUN(codes_of_one_kind_order_by_their_digits);
  UNIT_RUN(a_range_holds_only_codes_of_its_kind);
  UNIT_RUN(codes_unpack_to_their_text);
  return unit_finish();
}
