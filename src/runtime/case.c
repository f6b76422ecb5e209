/* case.c - filling a case: facts by index, values checked as mrspc's case
 * reader checks them (src/case.c), so a host cannot build a case that a
 * case file could not give.
 */
#include <string.h>

#include "internal.h"

void mrsp_case_clear(const MrspPolicy *policy, MrspCase *request) {
  memset(request->known, 0, (size_t)policy->known_words * sizeof *request->known);
  memset(request->values, 0, (size_t)policy->value_words * sizeof *request->values);
}

/* The fact, if fact is an index of one of type; else NULL. */
static const MrspFact *fact_of(const MrspPolicy *policy, int fact, MrspType type) {
  if (fact < 0 || fact >= policy->fact_count || policy->facts[fact].type != (int32_t)type)
    return NULL;
  return &policy->facts[fact];
}

static void mark_known(MrspCase *request, int fact) {
  request->known[fact >> 6] |= (uint64_t)1 << (fact & 63);
}

static int set_word(const MrspPolicy *policy, MrspCase *request, int fact, MrspType type,
                    int64_t value) {
  const MrspFact *f = fact_of(policy, fact, type);
  if (!f)
    return -1;
  request->values[f->slot] = (uint64_t)value;
  mark_known(request, fact);
  return 0;
}

int mrsp_case_set_bool(const MrspPolicy *policy, MrspCase *request, int fact, int value) {
  return set_word(policy, request, fact, MRSP_TYPE_BOOL, value != 0);
}

int mrsp_case_set_int(const MrspPolicy *policy, MrspCase *request, int fact, int64_t value) {
  const MrspFact *f = fact_of(policy, fact, MRSP_TYPE_INT);
  if (!f || (f->ranged && (value < f->low || value > f->high)))
    return -1;
  return set_word(policy, request, fact, MRSP_TYPE_INT, value);
}

int mrsp_case_set_date(const MrspPolicy *policy, MrspCase *request, int fact, int year,
                       int month, int day) {
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int32_t date;
  int y, m, d;
  /* case files take 1900-01-01 to 9999-12-31 (four-digit years) */
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1 || day > days[month - 1])
    return -1;
  date = mrsp_date(year, month, day);
  mrsp_date_civil(date, &y, &m, &d);
  if (m != month) /* 29 February of a common year */
    return -1;
  return set_word(policy, request, fact, MRSP_TYPE_DATE, date);
}

int mrsp_case_set_code(const MrspPolicy *policy, MrspCase *request, int fact, const char *code) {
  size_t length = code ? strlen(code) : 0;
  if (!mrsp_code_valid(code, length))
    return -1;
  return set_word(policy, request, fact, MRSP_TYPE_CODE, mrsp_code_pack(code, length));
}

int mrsp_case_set_member(const MrspPolicy *policy, MrspCase *request, int fact, int member) {
  const MrspFact *f;
  if (fact < 0 || fact >= policy->fact_count)
    return -1;
  f = &policy->facts[fact];
  if ((f->type != MRSP_TYPE_ENUM && f->type != MRSP_TYPE_SET) || member < 0 ||
      member >= policy->enums[f->enumeration].member_count)
    return -1;
  if (f->type == MRSP_TYPE_ENUM)
    return set_word(policy, request, fact, MRSP_TYPE_ENUM, member);
  if (!mrsp_case_known(policy, request, fact))
    memset(request->values + f->slot, 0, (size_t)f->words * sizeof *request->values);
  request->values[f->slot + member / 64] |= (uint64_t)1 << (member % 64);
  mark_known(request, fact);
  return 0;
}

int mrsp_case_set_empty(const MrspPolicy *policy, MrspCase *request, int fact) {
  const MrspFact *f = fact_of(policy, fact, MRSP_TYPE_SET);
  if (!f)
    return -1;
  memset(request->values + f->slot, 0, (size_t)f->words * sizeof *request->values);
  mark_known(request, fact);
  return 0;
}

void mrsp_case_set_unknown(const MrspPolicy *policy, MrspCase *request, int fact) {
  if (fact >= 0 && fact < policy->fact_count)
    request->known[fact >> 6] &= ~((uint64_t)1 << (fact & 63));
}

int mrsp_case_known(const MrspPolicy *policy, const MrspCase *request, int fact) {
  return fact >= 0 && fact < policy->fact_count && mrsp_internal_known(request, fact);
}
