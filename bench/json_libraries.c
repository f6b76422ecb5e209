/* json_libraries.c - how fast each Debian JSON library reads case files.
 *
 * Takes an NDJSON file of cases (gen_cases) and, for each library, parses
 * every line as its own document and converts each member into the fact
 * values an evaluation needs (the sink below: one hash look-up per key,
 * enum members by name, dates to day numbers).  Prints cases per second
 * per library.  This is the measurement behind mrspc's choice of parser;
 * bench/README.md records its figures.
 *
 *   json_libraries cases.ndjson
 */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yajl/yajl_parse.h>

#include "json_sink.h"

/* ---- the sink: fact names, enum members, values ------------------------ */

typedef struct FactName {
  const char *name;
  int type;
} FactName;

static const FactName facts[] = {
    {"procedure_code", SINK_CODE},
    {"request_date", SINK_DATE},
    {"age_years", SINK_INT},
    {"line_of_business", SINK_ENUM},
    {"setting", SINK_ENUM},
    {"indication", SINK_ENUM},
    {"clinical_question", SINK_SET},
    {"conventional_imaging_inconclusive", SINK_BOOL},
    {"prior_advanced_imaging_date", SINK_DATE},
    {"treatment_since_prior_imaging", SINK_BOOL},
    {"new_or_worsening_symptoms", SINK_BOOL},
    {"repeat_request", SINK_BOOL},
    {"established_guidelines_exist", SINK_BOOL},
    {"monitoring_need_established", SINK_BOOL},
    {"documentation_complete", SINK_BOOL},
    {"documentation_consistent", SINK_BOOL},
    {"repeat_due_to_technical_issue", SINK_BOOL},
    {"repeat_for_provider_preference", SINK_BOOL},
    {"claustrophobia", SINK_BOOL},
};
enum { FACT_COUNT = sizeof facts / sizeof facts[0] };

static const char *const members[] = {
    "commercial", "medicaid", "medicare_advantage", "exchange_marketplace", "inpatient",
    "outpatient",
    "federal_employee_program", "glioma", "brain_tumor", "brain_metastasis", "brain_lesion",
    "cns_lymphoma", "neonatal_hypoxic_ischemic_encephalopathy", "canavan_disease",
    "primary_mitochondrial_disorder", "metachromatic_leukodystrophy", "epilepsy",
    "multiple_sclerosis", "stroke", "psychiatric_disorder", "other",
    "recurrence_vs_treatment_effect", "tumor_vs_non_tumor", "glioma_grading",
    "glioma_differential", "intraaxial_tumor_evaluation", "posttreatment_surveillance",
    "treatment_planning", "diagnosis", "monitoring"};
enum { MEMBER_COUNT = sizeof members / sizeof members[0] };

enum { TABLE_SIZE = 256 };
typedef struct Slot {
  const char *name;
  size_t length;
  int index;
} Slot;
static Slot fact_table[TABLE_SIZE], member_table[TABLE_SIZE];

static uint32_t hash(const char *text, size_t length) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < length; i++)
    h = (h ^ (unsigned char)text[i]) * 16777619u;
  return h;
}

static void table_add(Slot *table, const char *name, int index) {
  size_t length = strlen(name);
  uint32_t i = hash(name, length) % TABLE_SIZE;
  while (table[i].name)
    i = (i + 1) % TABLE_SIZE;
  table[i] = (Slot){name, length, index};
}

static int table_find(const Slot *table, const char *text, size_t length) {
  for (uint32_t i = hash(text, length) % TABLE_SIZE; table[i].name; i = (i + 1) % TABLE_SIZE)
    if (table[i].length == length && memcmp(table[i].name, text, length) == 0)
      return table[i].index;
  return -1;
}

static uint64_t known;
static int64_t values[FACT_COUNT];
static long long checksum, errors;

int sink_fact(const char *key, size_t length, int *type) {
  int fact = table_find(fact_table, key, length);
  if (fact >= 0)
    *type = facts[fact].type;
  return fact;
}

void sink_bool(int fact, int value) {
  known |= 1u << fact;
  values[fact] = value;
}

void sink_int(int fact, long long value) {
  known |= 1u << fact;
  values[fact] = value;
}

static int64_t day_number(const char *t) {
  int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
  int m = (t[5] - '0') * 10 + (t[6] - '0'), d = (t[8] - '0') * 10 + (t[9] - '0');
  return (int64_t)y * 372 + m * 31 + d;
}

void sink_string(int fact, const char *text, size_t length) {
  known |= 1u << fact;
  switch (facts[fact].type) {
  case SINK_DATE:
    values[fact] = length == 10 ? day_number(text) : 0;
    break;
  case SINK_CODE: {
    int64_t code = 0;
    for (size_t i = 0; i < length && i < 5; i++)
      code = code << 8 | (unsigned char)text[i];
    values[fact] = code;
    break;
  }
  default:
    values[fact] = table_find(member_table, text, length);
  }
}

void sink_member(int fact, const char *text, size_t length) {
  known |= 1u << fact;
  int member = table_find(member_table, text, length);
  if (member >= 0)
    values[fact] |= (int64_t)1 << member;
}

void sink_null(int fact) {
  (void)fact;
}

void sink_error(void) {
  errors++;
}

void sink_case_done(void) {
  checksum += (long long)known;
  for (int i = 0; i < FACT_COUNT; i++)
    checksum += values[i];
  known = 0;
  memset(values, 0, sizeof values);
}

/* ---- the libraries ------------------------------------------------------ */

typedef long (*Runner)(const char *buffer, size_t length);

#define EACH_LINE(buffer, length, line, size, body)                                  \
  for (const char *line = buffer, *end_ = buffer + length; line < end_;) {           \
    const char *newline_ = memchr(line, '\n', (size_t)(end_ - line));                \
    size_t size = newline_ ? (size_t)(newline_ - line) : (size_t)(end_ - line);      \
    body;                                                                            \
    line += size + 1;                                                                \
  }

static void jansson_value(int fact, json_t *value) {
  switch (json_typeof(value)) {
  case JSON_TRUE: sink_bool(fact, 1); break;
  case JSON_FALSE: sink_bool(fact, 0); break;
  case JSON_NULL: sink_null(fact); break;
  case JSON_INTEGER: sink_int(fact, json_integer_value(value)); break;
  case JSON_STRING:
    sink_string(fact, json_string_value(value), json_string_length(value));
    break;
  case JSON_ARRAY: {
    size_t i;
    json_t *element;
    json_array_foreach(value, i, element) {
      if (!json_is_string(element)) {
        sink_error();
        return;
      }
      sink_member(fact, json_string_value(element), json_string_length(element));
    }
    break;
  }
  default: sink_error();
  }
}

static long run_jansson(const char *buffer, size_t length) {
  long cases = 0;
  EACH_LINE(buffer, length, line, size, {
    json_error_t error;
    json_t *root = json_loadb(line, size, 0, &error);
    if (!json_is_object(root)) {
      sink_error();
    } else {
      const char *key;
      json_t *value;
      json_object_foreach(root, key, value) {
        int type;
        int fact = sink_fact(key, strlen(key), &type);
        if (fact < 0)
          sink_error();
        else
          jansson_value(fact, value);
      }
    }
    json_decref(root);
    sink_case_done();
    cases++;
  });
  return cases;
}

static long run_cjson(const char *buffer, size_t length) {
  long cases = 0;
  EACH_LINE(buffer, length, line, size, {
    cJSON *root = cJSON_ParseWithLength(line, size);
    if (!cJSON_IsObject(root)) {
      sink_error();
    } else {
      for (cJSON *item = root->child; item; item = item->next) {
        int type;
        int fact = sink_fact(item->string, strlen(item->string), &type);
        if (fact < 0) {
          sink_error();
        } else if (cJSON_IsBool(item)) {
          sink_bool(fact, cJSON_IsTrue(item));
        } else if (cJSON_IsNull(item)) {
          sink_null(fact);
        } else if (cJSON_IsNumber(item)) {
          sink_int(fact, (long long)item->valuedouble);
        } else if (cJSON_IsString(item)) {
          sink_string(fact, item->valuestring, strlen(item->valuestring));
        } else if (cJSON_IsArray(item)) {
          for (cJSON *e = item->child; e; e = e->next)
            sink_member(fact, e->valuestring, strlen(e->valuestring));
        }
      }
    }
    cJSON_Delete(root);
    sink_case_done();
    cases++;
  });
  return cases;
}

/* yajl: the event parser, one handle reused per line (yajl_reset is not
 * public, so a handle per line; its allocation is part of the cost). */
static int yajl_fact = -1, yajl_in_array;

static int on_null(void *context) {
  (void)context;
  sink_null(yajl_fact);
  return 1;
}
static int on_boolean(void *context, int value) {
  (void)context;
  sink_bool(yajl_fact, value);
  return 1;
}
static int on_integer(void *context, long long value) {
  (void)context;
  sink_int(yajl_fact, value);
  return 1;
}
static int on_string(void *context, const unsigned char *text, size_t length) {
  (void)context;
  if (yajl_in_array)
    sink_member(yajl_fact, (const char *)text, length);
  else
    sink_string(yajl_fact, (const char *)text, length);
  return 1;
}
static int on_key(void *context, const unsigned char *key, size_t length) {
  (void)context;
  int type;
  yajl_fact = sink_fact((const char *)key, length, &type);
  return yajl_fact >= 0;
}
static int on_start_array(void *context) {
  (void)context;
  yajl_in_array = 1;
  return 1;
}
static int on_end_array(void *context) {
  (void)context;
  yajl_in_array = 0;
  return 1;
}

static const yajl_callbacks callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_integer = on_integer,
    .yajl_string = on_string,
    .yajl_map_key = on_key,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end_array,
};

static long run_yajl(const char *buffer, size_t length) {
  long cases = 0;
  EACH_LINE(buffer, length, line, size, {
    yajl_handle handle = yajl_alloc(&callbacks, NULL, NULL);
    if (yajl_parse(handle, (const unsigned char *)line, size) != yajl_status_ok ||
        yajl_complete_parse(handle) != yajl_status_ok)
      sink_error();
    yajl_free(handle);
    sink_case_done();
    cases++;
  });
  return cases;
}

static long run_simdjson(const char *buffer, size_t length) {
  return simdjson_run(buffer, length);
}

/* ---- driver ------------------------------------------------------------- */

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static char *read_all(const char *path, size_t *length) {
  FILE *file = fopen(path, "rb");
  if (!file) {
    perror(path);
    exit(2);
  }
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  char *buffer = calloc((size_t)size + 64, 1); /* 64: simdjson's padding */
  if (!buffer || fread(buffer, 1, (size_t)size, file) != (size_t)size) {
    perror(path);
    exit(2);
  }
  fclose(file);
  *length = (size_t)size;
  return buffer;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: json_libraries CASES.ndjson\n");
    return 2;
  }
  for (int i = 0; i < FACT_COUNT; i++)
    table_add(fact_table, facts[i].name, i);
  for (int i = 0; i < MEMBER_COUNT; i++)
    table_add(member_table, members[i], i);
  size_t length;
  char *buffer = read_all(argv[1], &length);
  static const struct {
    const char *name;
    Runner run;
  } libraries[] = {
      {"simdjson 3.0.1 (On Demand, C++ shim)", run_simdjson},
      {"simdjson 3.0.1 (DOM, C++ shim)", simdjson_dom_run},
      {"simdjson 3.0.1 (iterate_many, whole file)", simdjson_many_run},
      {"yajl 2.1.0 (event callbacks)", run_yajl},
      {"json-c 0.16 (reused tokener)", json_c_run},
      {"cJSON 1.7.15", run_cjson},
      {"jansson 2.14", run_jansson},
  };
  printf("%-40s %12s %10s %10s\n", "library", "cases/s", "MB/s", "ns/case");
  for (size_t i = 0; i < sizeof libraries / sizeof libraries[0]; i++) {
    checksum = errors = 0;
    double start = now();
    long cases = libraries[i].run(buffer, length);
    double seconds = now() - start;
    printf("%-40s %12.0f %10.0f %10.0f   (checksum %lld, errors %lld)\n", libraries[i].name,
           (double)cases / seconds, (double)length / seconds / 1e6, seconds * 1e9 / (double)cases,
           checksum, errors);
  }
  free(buffer);
  return 0;
}
