/* unit.h - a minimal unit-test harness for the tests in this directory.
 *
 * Each test_*.c is one executable (registered by CMakeLists.txt) whose main
 * calls UNIT_RUN on its test functions and returns unit_finish().  A failed
 * check prints file:line and both values, and the run goes on; the last
 * line is "N passed, N failed".
 */
#ifndef MRSPC_UNIT_H
#define MRSPC_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed;
static int unit_checks_failed_in_test;

#define CHECK(condition)                                                     \
  do {                                                                       \
    if (!(condition)) {                                                      \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,       \
              #condition);                                                   \
      unit_checks_failed_in_test++;                                          \
    }                                                                        \
  } while (0)

#define CHECK_INT(actual, expected)                                          \
  do {                                                                       \
    long long unit_a = (long long)(actual), unit_e = (long long)(expected);  \
    if (unit_a != unit_e) {                                                  \
      fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n", __FILE__,        \
              __LINE__, #actual, unit_a, unit_e);                            \
      unit_checks_failed_in_test++;                                          \
    }                                                                        \
  } while (0)

#define CHECK_STR(actual, expected)                                          \
  do {                                                                       \
    const char *unit_a = (actual), *unit_e = (expected);                     \
    if ((unit_a == NULL) != (unit_e == NULL) ||                              \
        (unit_a && strcmp(unit_a, unit_e) != 0)) {                           \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__,    \
              __LINE__, #actual, unit_a ? unit_a : "(null)",                 \
              unit_e ? unit_e : "(null)");                                   \
      unit_checks_failed_in_test++;                                          \
    }                                                                        \
  } while (0)

#define UNIT_RUN(test)                                                       \
  do {                                                                       \
    unit_checks_failed_in_test = 0;                                          \
    test();                                                                  \
    if (unit_checks_failed_in_test) {                                        \
      fprintf(stderr, "FAIL %s\n", #test);                                   \
      unit_failed++;                                                         \
    } else {                                                                 \
      unit_passed++;                                                         \
    }                                                                        \
  } while (0)

static inline int unit_finish(void) {
  printf("%d passed, %d failed\n", unit_passed, unit_failed);
  return unit_failed ? 1 : 0;
}

#endif
