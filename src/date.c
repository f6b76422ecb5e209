/* date.c - day numbers and calendar arithmetic (date.h).
 *
 * The civil-from-days conversions are Howard Hinnant's algorithms, exact for
 * every date of the proleptic Gregorian calendar.
 */
#include "date.h"

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

int32_t date_from_civil(int year, int month, int day) {
  year -= month <= 2;
  int era = (year >= 0 ? year : year - 399) / 400;
  int year_of_era = year - era * 400;
  int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

void date_to_civil(int32_t days, int *year, int *month, int *day_of_month) {
  days += 719468;
  int era = (days >= 0 ? days : days - 146096) / 146097;
  int day_of_era = days - era * 146097;
  int year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  int y = year_of_era + era * 400;
  int day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int mp = (5 * day_of_year + 2) / 153;
  int d = day_of_year - (153 * mp + 2) / 5 + 1;
  int m = mp + (mp < 10 ? 3 : -9);
  *year = y + (m <= 2);
  *month = m;
  *day_of_month = d;
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

static int32_t add_months(int32_t day, int months) {
  int year, month, day_of_month;
  date_to_civil(day, &year, &month, &day_of_month);
  int total = year * 12 + (month - 1) + months;
  int new_year = total >= 0 ? total / 12 : (total - 11) / 12;
  int new_month = total - new_year * 12 + 1;
  int last = date_days_in_month(new_year, new_month);
  return date_from_civil(new_year, new_month, day_of_month < last ? day_of_month : last);
}

int32_t date_add(int32_t day, int amount, TimeUnit unit) {
  switch (unit) {
  case UNIT_DAYS:
    return day + amount;
  case UNIT_WEEKS:
    return day + 7 * amount;
  case UNIT_MONTHS:
    return add_months(day, amount);
  case UNIT_YEARS:
    return add_months(day, 12 * amount);
  }
  return day;
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
