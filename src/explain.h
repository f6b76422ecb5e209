/* explain.h - a decision in words: text, JSON, and a table of payers.
 *
 * Takes a Lowered program, the Case and its EvalResult; produces what a
 * reviewer reads: the decision, the stage and rule that reached it, the
 * criteria tree of that rule with every node marked true, false or
 * unknown, the facts each condition read, the policy's own words and
 * citations (resolved to the reference list), then the notes.  The full
 * explanation shows every stage and rule.  The JSON object carries the same
 * tree for tools; the table lines up several policies on one case.
 */
#ifndef MRSPC_EXPLAIN_H
#define MRSPC_EXPLAIN_H

#include <stdbool.h>
#include <stdio.h>

#include "case.h"
#include "eval.h"
#include "lower.h"

struct json_t;

typedef struct Explained {
  const Lowered *program;
  const Case *facts;
  const EvalResult *result;
} Explained;

/* The explanation as text; colour is for a terminal. */
void explain_text(FILE *out, Explained e, bool full, bool color);

/* The explanation as one JSON object: policy, title, payer, decision,
 * stage, rule, missing, possible, notes, trace, and the references the
 * trace cites. */
struct json_t *explain_json(Explained e, bool full);

/* One row per policy: policy, payer, decision, deciding rule. */
void explain_table(FILE *out, const Explained *rows, int count, bool color);

/* A fact's value in a case as text ("glioma", "2026-02-10", "{a, b}",
 * "unknown"). */
const char *explain_fact_value(const Lowered *program, const Case *facts, int fact);

/* The name of the rule that decided, or a phrase when none did. */
const char *explain_rule_name(const Lowered *program, const EvalResult *result);

/* The note's name for tools: its own, or "note#N" (the Nth note). */
const char *explain_note_name(const Lowered *program, int note);

#endif
