/* check_tests.c - test blocks: the facts they give, what they expect.
 *
 * Takes one test block of the root module (check_internal.h: step 3 of
 * check.c); checks its facts and values against the schema, and its
 * expectations against the decisions, rules and notes, setting each
 * expected decision's value.
 */
#include "check_internal.h"
#include "decision.h"
#include "diag.h"
#include "text.h"

static bool check_test_value(Checker *c, TestFact *given) {
  FactDecl *fact = given->fact;
  Literal *value = given->value;
  if (value->kind == LIT_UNKNOWN || fact->type.kind == TY_ERROR)
    return true;
  if (fact->type.kind == TY_SET) {
    if (value->kind != LIT_SET) {
      Diagnostic *d = diag_error(value->span, "'%s' is %s; give its members as { ... }",
                                 fact->name.text, check_type_phrase(fact));
      check_note_declared(d, fact);
      return false;
    }
    bool ok = true;
    for (int i = 0; i < value->count; i++)
      ok &= check_value(c, value->items[i], fact);
    return ok;
  }
  if (value->kind == LIT_SET || value->kind == LIT_RANGE) {
    Diagnostic *d = diag_error(value->span, "'%s' is %s, but the test gives it a %s",
                               fact->name.text, check_type_phrase(fact),
                               ast_literal_kind_name(value->kind));
    check_note_declared(d, fact);
    return false;
  }
  if (!check_value(c, value, fact))
    return false;
  if (fact->type.kind == TY_INT && fact->range &&
      (value->number < fact->range->items[0]->number ||
       value->number > fact->range->items[1]->number)) {
    diag_error(value->span, "%lld is outside the range of '%s' (%lld to %lld)", value->number,
               fact->name.text, fact->range->items[0]->number, fact->range->items[1]->number);
    return false;
  }
  return true;
}

static void check_test_facts(Checker *c, TestDecl *test) {
  StrMap given = {0};
  for (int i = 0; i < test->nfacts; i++) {
    TestFact *fact = test->facts[i];
    TestFact *earlier = check_map_get(&given, fact->name.text);
    if (earlier) {
      Diagnostic *d = diag_error(fact->name.span, "'%s' is given twice in test '%s'",
                                 fact->name.text, test->name.text);
      diag_note(d, earlier->name.span, "first given here");
      continue;
    }
    check_map_put(&given, fact->name.text, fact);
    fact->fact = check_map_get(&c->facts, fact->name.text);
    if (!fact->fact) {
      Diagnostic *d = diag_error(fact->name.span, "unknown fact '%s' in test '%s'",
                                 fact->name.text, test->name.text);
      check_suggest_from(d, fact->name.text, &c->facts, NULL);
      continue;
    }
    check_test_value(c, fact);
  }
}

static void check_expect_names(Checker *c, Expectation *expect) {
  for (int i = 0; i < expect->count; i++) {
    Name *name = expect->names[i];
    if (expect->kind == EXPECT_MISSING) {
      if (check_map_get(&c->facts, name->text))
        continue;
      Diagnostic *d = diag_error(name->span, "unknown fact '%s'", name->text);
      check_suggest_from(d, name->text, &c->facts, NULL);
    } else {
      Section *note = check_map_get(&c->sections, name->text);
      if (note && note->kind == SEC_NOTE)
        continue;
      Diagnostic *d = diag_error(name->span, "no note is named '%s'", name->text);
      if (note)
        diag_note(d, note->name.span, "'%s' is a rule, not a note", name->text);
      else
        check_suggest_from(d, name->text, &c->sections, NULL);
    }
  }
}

static void check_expectation(Checker *c, Expectation *expect) {
  switch (expect->kind) {
  case EXPECT_DECISION: {
    expect->decision_value = decision_lookup(expect->decision.text);
    if (expect->decision_value >= 0)
      return;
    Diagnostic *d = diag_error(expect->decision.span, "unknown decision '%s'",
                               expect->decision.text);
    const char *names[DECISION_COUNT];
    for (int i = 0; i < DECISION_COUNT; i++)
      names[i] = decision_name((Decision)i);
    const char *suggestion = text_suggest(expect->decision.text, names, DECISION_COUNT);
    if (suggestion)
      diag_note_plain(d, "did you mean '%s'?", suggestion);
    else
      diag_note_plain(d, "the decisions are medically_necessary, not_medically_necessary, "
                         "investigational, not_applicable, refer and undetermined");
    return;
  }
  case EXPECT_RULE: {
    Section *rule = check_map_get(&c->sections, expect->decision.text);
    if (rule && rule->kind != SEC_NOTE)
      return;
    Diagnostic *d = diag_error(expect->decision.span, "no rule is named '%s'",
                               expect->decision.text);
    if (rule)
      diag_note(d, rule->name.span, "'%s' is a note, which never decides; use "
                                    "'expect notes { %s }'",
                rule->name.text, rule->name.text);
    else
      check_suggest_from(d, expect->decision.text, &c->sections, NULL);
    return;
  }
  case EXPECT_MISSING:
  case EXPECT_NOTES:
    check_expect_names(c, expect);
    return;
  }
}

void check_test(Checker *c, TestDecl *test) {
  check_test_facts(c, test);
  bool decides = false;
  for (int i = 0; i < test->nexpects; i++) {
    check_expectation(c, test->expects[i]);
    decides |= test->expects[i]->kind == EXPECT_DECISION;
  }
  if (!decides) {
    Diagnostic *d = diag_error(test->name.span, "test '%s' expects no decision", test->name.text);
    diag_note_plain(d, "add the decision it should reach, as in 'expect medically_necessary;'");
  }
}
