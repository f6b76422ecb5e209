/* test_date.c - calendar arithmetic behind date windows: month ends, leap
 * years, and the dates a case file may hold. */
#include <gc.h>

#include "date.h"
#include "unit.h"

static const char *shown(int32_t day) {
  static char buffer[16];
  date_format(day, buffer);
  return buffer;
}

static int32_t on(int year, int month, int day) {
  return date_from_civil(year, month, day);
}

static void months_clamp_to_the_end_of_the_month(void) {
  CHECK_STR(shown(date_add(on(2024, 3, 31), -1, UNIT_MONTHS)), "2024-02-29");
  CHECK_STR(shown(date_add(on(2023, 3, 31), -1, UNIT_MONTHS)), "2023-02-28");
  CHECK_STR(shown(date_add(on(2026, 5, 31), -3, UNIT_MONTHS)), "2026-02-28");
  CHECK_STR(shown(date_add(on(2026, 1, 31), 1, UNIT_MONTHS)), "2026-02-28");
  CHECK_STR(shown(date_add(on(2026, 8, 31), 1, UNIT_MONTHS)), "2026-09-30");
  CHECK_STR(shown(date_add(on(2026, 2, 10), -3, UNIT_MONTHS)), "2025-11-10");
  CHECK_STR(shown(date_add(on(2026, 1, 15), -13, UNIT_MONTHS)), "2024-12-15");
}

static void years_and_leap_days(void) {
  CHECK_STR(shown(date_add(on(2024, 2, 29), -1, UNIT_YEARS)), "2023-02-28");
  CHECK_STR(shown(date_add(on(2024, 2, 29), 4, UNIT_YEARS)), "2028-02-29");
  CHECK_STR(shown(date_add(on(2000, 2, 29), 100, UNIT_YEARS)), "2100-02-28");
  CHECK(date_is_leap_year(2000));
  CHECK(!date_is_leap_year(1900));
  CHECK(date_is_leap_year(2024));
  CHECK(!date_is_leap_year(2026));
}

static void days_and_weeks_are_exact(void) {
  CHECK_STR(shown(date_add(on(2026, 2, 28), 1, UNIT_DAYS)), "2026-03-01");
  CHECK_STR(shown(date_add(on(2024, 2, 28), 1, UNIT_DAYS)), "2024-02-29");
  CHECK_STR(shown(date_add(on(2026, 1, 1), -6, UNIT_WEEKS)), "2025-11-20");
  CHECK_INT(on(1970, 1, 1), 0);
  CHECK_INT(on(2026, 2, 10) - on(2025, 2, 10), 365);
}

static void case_dates_are_real_calendar_dates(void) {
  int32_t day;
  CHECK(date_parse("2024-02-29", 10, &day) && day == on(2024, 2, 29));
  CHECK(!date_parse("2023-02-29", 10, &day));
  CHECK(!date_parse("2026-13-01", 10, &day));
  CHECK(!date_parse("2026-2-1", 8, &day));
  CHECK_STR(date_problem("2026-02-30", 10), "February 2026 has 28 days");
  CHECK_STR(date_problem("2026-04-31", 10), "April 2026 has 30 days");
  CHECK_STR(date_problem("2026-13-01", 10), "there is no month 13");
  CHECK_STR(date_problem("10/02/2026", 10), "a date is written YYYY-MM-DD");
}

int main(void) {
  GC_INIT();
  UNIT_RUN(months_clamp_to_the_end_of_the_month);
  UNIT_RUN(years_and_leap_days);
  UNIT_RUN(days_and_weeks_are_exact);
  UNIT_RUN(case_dates_are_real_calendar_dates);
  return unit_finish();
}
