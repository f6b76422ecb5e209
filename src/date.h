/* date.h - calendar dates as day numbers, and calendar arithmetic.
 *
 * A date is the number of days since 1970-01-01 (proleptic Gregorian).
 * Month arithmetic clamps to the end of the month: 31 March minus one month
 * is 28 February (29 in a leap year), as a reviewer counting on a calendar
 * would.
 */
#ifndef MRSPC_DATE_H
#define MRSPC_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"

/* Parses exactly "YYYY-MM-DD" (length bytes, not NUL-terminated); false if
 * it is not that shape or not a real calendar date (2026-02-30). */
bool date_parse(const char *text, size_t length, int32_t *day);

/* Why text is not a date, as a phrase ("February 2026 has 28 days"). */
const char *date_problem(const char *text, size_t length);

int32_t date_from_civil(int year, int month, int day);
void date_to_civil(int32_t day, int *year, int *month, int *day_of_month);
bool date_is_leap_year(int year);
int date_days_in_month(int year, int month);

/* day shifted by amount units (negative: earlier), months and years clamped
 * to the end of the month. */
int32_t date_add(int32_t day, int amount, TimeUnit unit);

/* "YYYY-MM-DD" into buffer (at least 11 bytes). */
void date_format(int32_t day, char *buffer);

#endif
