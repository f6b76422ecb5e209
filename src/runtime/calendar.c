/* calendar.c - dates as day numbers, and procedure codes as integers.
 *
 * A date is the number of days since 1970-01-01 (proleptic Gregorian);
 * the conversions are Howard Hinnant's algorithms, exact for every date.
 * Month arithmetic clamps to the end of the month, as a reviewer counting
 * on a calendar would.  mrspc's case reader and lowering use these same
 * functions (src/lower.c), so a policy's windows and codes mean the same
 * in the interpreter and in an emitted table.
 */
#include <string.h>

#include "internal.h"

int32_t mrsp_date(int year, int month, int day) {
  int era, year_of_era, day_of_year, day_of_era;
  year -= month <= 2;
  era = (year >= 0 ? year : year - 399) / 400;
  year_of_era = year - era * 400;
  day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

void mrsp_date_civil(int32_t date, int *year, int *month, int *day) {
  int32_t days = date + 719468;
  int32_t era = (days >= 0 ? days : days - 146096) / 146097;
  int32_t day_of_era = days - era * 146097;
  int32_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  int32_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int32_t mp = (5 * day_of_year + 2) / 153;
  int32_t m = mp + (mp < 10 ? 3 : -9);
  *day = (int)(day_of_year - (153 * mp + 2) / 5 + 1);
  *month = (int)m;
  *year = (int)(year_of_era + era * 400 + (m <= 2));
}

static int leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap_year(year) ? 29 : days[month - 1];
}

static int32_t add_months(int32_t date, int months) {
  int year, month, day, total, new_year, new_month, last;
  mrsp_date_civil(date, &year, &month, &day);
  total = year * 12 + (month - 1) + months;
  new_year = total >= 0 ? total / 12 : (total - 11) / 12;
  new_month = total - new_year * 12 + 1;
  last = days_in_month(new_year, new_month);
  return mrsp_date(new_year, new_month, day < last ? day : last);
}

int32_t mrsp_date_add(int32_t date, int amount, MrspUnit unit) {
  switch (unit) {
  case MRSP_UNIT_DAYS:
    return date + amount;
  case MRSP_UNIT_WEEKS:
    return date + 7 * amount;
  case MRSP_UNIT_MONTHS:
    return add_months(date, amount);
  case MRSP_UNIT_YEARS:
    return add_months(date, 12 * amount);
  default:
    return date;
  }
}

/* ---- codes --------------------------------------------------------------- */

/* A code as one integer: its shape in the top byte, then its five
 * characters with a letter, if any, moved to the front.  So codes of one
 * shape and one letter order by their digits ("0609T" < "0612T"), and a
 * range such as 0609T to 0612T holds only Category III codes of that
 * letter: not "0610A", and not the HCPCS code "T0610". */
enum { SHAPE_DIGITS = 0, SHAPE_LETTER_LAST = 1, SHAPE_LETTER_FIRST = 2 };

static int is_letter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int64_t mrsp_code_pack(const char *text, size_t length) {
  char chars[5];
  int shape;
  int64_t code;
  size_t i;
  if (length != 5)
    return -1;
  if (is_letter(text[4])) {
    shape = SHAPE_LETTER_LAST;
    chars[0] = text[4];
    memcpy(chars + 1, text, 4);
  } else {
    shape = is_letter(text[0]) ? SHAPE_LETTER_FIRST : SHAPE_DIGITS;
    memcpy(chars, text, 5);
  }
  code = shape;
  for (i = 0; i < 5; i++)
    code = code << 8 | (unsigned char)chars[i];
  return code;
}

void mrsp_code_unpack(int64_t code, char buffer[6]) {
  char chars[5];
  int i;
  for (i = 4; i >= 0; i--) {
    chars[i] = (char)(code & 0xFF);
    code >>= 8;
  }
  if (code == SHAPE_LETTER_LAST) {
    memcpy(buffer, chars + 1, 4);
    buffer[4] = chars[0];
  } else {
    memcpy(buffer, chars, 5);
  }
  buffer[5] = '\0';
}

static int is_capital(char c) {
  return c >= 'A' && c <= 'Z';
}

int mrsp_code_valid(const char *text, size_t length) {
  int digits = 0;
  size_t i;
  if (length != 5)
    return 0;
  for (i = 0; i < 5; i++)
    digits += text[i] >= '0' && text[i] <= '9';
  return digits == 5 || (digits == 4 && (is_capital(text[4]) || is_capital(text[0])));
}
