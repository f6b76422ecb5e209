/* date.c - dates in policies: parsing, messages, calendar arithmetic (date.h).
 *
 * The day numbers and the arithmetic come from the runtime's calendar
 * (src/runtime/calendar.c); this file adds what the checker needs around
 * them: validating YYYY-MM-DD text and saying what is wrong with it.
 */
#include "date.h"

#include "mrsp_runtime.h"

#include "text.h"

bool date_is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && date_is_leap_year(year))
    return 29;
  return days[month - 1];
}

/* The conversions and the arithmetic are the runtime's (src/runtime/
 * calendar.c), so the checker, the interpreter and emitted C count days
 * with one piece of code. */
int32_t date_from_civil(int year, int month, int day) {
  return mrsp_date(year, month, day);
}

void date_to_civil(int32_t day, int *year, int *month, int *day_of_month) {
  mrsp_date_civil(day, year, month, day_of_month);
}

static bool digits(const char *text, size_t from, size_t count) {
  for (size_t i = from; i < from + count; i++)
    if (text[i] < '0' || text[i] > '9')
      return false;
  return true;
}

static int number(const char *text, size_t from, size_t count) {
  int value = 0;
  for (size_t i = from; i < from + count; i++)
    value = value * 10 + (text[i] - '0');
  return value;
}

static const char *const month_names[] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};

const char *date_problem(const char *text, size_t length) {
  if (length != 10 || !digits(text, 0, 4) || text[4] != '-' || !digits(text, 5, 2) ||
      text[7] != '-' || !digits(text, 8, 2))
    return "a date is written YYYY-MM-DD";
  int year = number(text, 0, 4), month = number(text, 5, 2), day = number(text, 8, 2);
  if (year < 1900)
    return "dates before 1900 are not accepted";
  if (month < 1 || month > 12)
    return text_format("there is no month %02d", month);
  if (day < 1 || day > date_days_in_month(year, month))
    return text_format("%s %d has %d days", month_names[month - 1], year,
                       date_days_in_month(year, month));
  return NULL;
}

bool date_parse(const char *text, size_t length, int32_t *day) {
  if (date_problem(text, length))
    return false;
  *day = date_from_civil(number(text, 0, 4), number(text, 5, 2), number(text, 8, 2));
  return true;
}

/* TimeUnit (ast.h) and MrspUnit (mrsp_runtime.h) list the units in one
 * order. */
_Static_assert((int)UNIT_DAYS == (int)MRSP_UNIT_DAYS && (int)UNIT_WEEKS == (int)MRSP_UNIT_WEEKS &&
                   (int)UNIT_MONTHS == (int)MRSP_UNIT_MONTHS &&
                   (int)UNIT_YEARS == (int)MRSP_UNIT_YEARS,
               "time units in the same order");

int32_t date_add(int32_t day, int amount, TimeUnit unit) {
  return mrsp_date_add(day, amount, (MrspUnit)unit);
}

void date_format(int32_t day, char *buffer) {
  int year, month, day_of_month;
  date_to_civil(day, &year, &month, &day_of_month);
  /* years stay within 0..9999 for any date mrspc accepts (1900 onwards) */
  year = year < 0 ? 0 : year % 10000;
  buffer[0] = (char)('0' + year / 1000);
  buffer[1] = (char)('0' + year / 100 % 10);
  buffer[2] = (char)('0' + year / 10 % 10);
  buffer[3] = (char)('0' + year % 10);
  buffer[4] = '-';
  buffer[5] = (char)('0' + month / 10);
  buffer[6] = (char)('0' + month % 10);
  buffer[7] = '-';
  buffer[8] = (char)('0' + day_of_month / 10);
  buffer[9] = (char)('0' + day_of_month % 10);
  buffer[10] = '\0';
}
