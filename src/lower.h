/* lower.h - a checked Program to the flat form that is evaluated.
 *
 * Takes a Program without errors (check.h); produces a Lowered: plain
 * arrays indexed by integers, the form the evaluator (eval.c) runs and the
 * C backend serialises to constant tables.
 *
 *   - facts get an index and a place (slot) among a case's value words: one
 *     64-bit word for a bool, int, date, code or enum member, and one word
 *     per 64 members for a set, which is a bit mask;
 *   - literals are converted once: enum members to indices, sets of members
 *     to masks, dates to day numbers, codes to integers (code_pack), date
 *     windows against a fixed date to a range of day numbers;
 *   - nodes sit in one array in dependency order: a node's children, and the
 *     criteria it refers to, come before it, so one pass from the first node
 *     to the last evaluates every node, with no recursion;
 *   - rules are grouped by decision stage, in precedence order (check.h);
 *     the applicability stage holds one rule per list of the policy block
 *     ('codes', 'lines', 'ages', 'settings') and then every 'applies' rule.
 *
 * Only the criteria that rules and notes use are lowered.  The explain
 * side tables (Lowered.info, LowRule.section, ...) point back into the
 * syntax tree; the evaluator never reads them.
 *
 * The operation, stage, type and unit lists here number their members as
 * the runtime's lists do (checked in table.c).
 */
#ifndef MRSPC_LOWER_H
#define MRSPC_LOWER_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "check.h"
#include "decision.h"
#include "mrsp_runtime.h"

/* The types of facts: the runtime's list, numbered alike (LOW_BOOL here is
 * MRSP_TYPE_BOOL there). */
typedef enum LowType {
#define X(kind, name) LOW_##kind,
  MRSP_TYPE_LIST(X)
#undef X
} LowType;

typedef struct LowEnum {
  const char *name;
  const char *const *members;
  int count;
  int words;             /* 64-bit words of a mask of its members */
} LowEnum;

typedef struct LowFact {
  const char *name;
  LowType type;
  int enumeration;       /* LowEnum index of an enum or set fact, else -1 */
  int slot;              /* first value word in a case */
  int words;             /* value words: 1, or the set's mask words */
  bool ranged;           /* an int fact with a declared range low..high */
  int64_t low, high;
} LowFact;

/* The operations of nodes: the runtime's list (MRSP_OP_LIST, where each
 * is described), numbered alike: OP_ALL here is MRSP_OP_ALL there.
 * "subject" is the fact a condition tests. */
typedef enum LowOp {
#define X(kind, name) OP_##kind,
  MRSP_OP_LIST(X)
#undef X
} LowOp;

/* A right-hand side: a constant, or another fact's value. */
typedef struct LowOperand {
  int fact;              /* -1 for the constant */
  int64_t value;
} LowOperand;

typedef struct LowNode {
  LowOp op;
  TimeUnit unit;         /* date windows */
  int subject;           /* fact index, or -1 */
  int slot;              /* the subject's first value word (LowFact.slot) */
  int first, count;      /* children, or the node's ranges or mask */
  int amount;            /* at least N; within N units; criterion index */
  LowOperand rhs, high;
} LowNode;

/* The decision stages in precedence order (the runtime's list, numbered
 * alike: STAGE_REFER here is MRSP_STAGE_REFER there); see check.h.  The
 * applicability stage decides when it is false, the others when true. */
typedef enum LowStage {
#define X(kind, name, decision) STAGE_##kind,
  MRSP_STAGE_LIST(X)
#undef X
  STAGE_COUNT
} LowStage;

typedef struct LowRule {
  LowStage stage;
  int root;              /* node of its condition */
  const char *name;      /* its name; unnamed rules are "exclude#2" (the
                            second exclude rule), policy-block lists are
                            "policy codes", "policy lines", ... */
  const char *target;    /* refer: where the request goes, else NULL */
  /* for explanations */
  const Section *section;   /* NULL for a policy-block list */
  const MetaEntry *entry;   /* the policy-block entry, else NULL */
} LowRule;

typedef struct LowNote {
  const char *name;      /* NULL when unnamed */
  const char *text;
  int root;              /* its condition's node, or -1 when always */
  const Section *section;
} LowNote;

typedef struct LowCriterion {
  const char *name;
  int body;              /* node of its body */
  const Criterion *criterion;
} LowCriterion;

/* Explanations: what each node came from. */
typedef struct LowNodeInfo {
  const Node *node;      /* the syntax node; NULL for policy-block lists */
  const char *label;     /* the condition in words ("age_years at least 18");
                            NULL for groups */
} LowNodeInfo;

typedef struct Lowered {
  const char *name;      /* the policy's name */
  const char *title;     /* the policy block's title and payer, or NULL */
  const char *payer;
  const char *vendor;    /* the policy block's vendor (a benefit manager
                            writing for several payers), or NULL */

  LowEnum *enums;
  int enum_count;
  LowFact *facts;
  int fact_count;
  int value_words;       /* words of a case's values */
  int known_words;       /* words of a case's known bits (one per fact) */

  LowNode *nodes;
  int node_count;
  int *kids;
  int kid_count;
  int64_t *ranges;       /* pairs low, high */
  int range_count;
  uint64_t *masks;
  int mask_count;

  LowCriterion *criteria;
  int criterion_count;
  LowRule *rules;        /* by stage, in precedence order, then source order */
  int rule_count;
  int stage_first[STAGE_COUNT]; /* the rules of stage s: [first, first+count) */
  int stage_count[STAGE_COUNT];
  LowNote *notes;
  int note_count;

  /* for explanations only */
  const Program *program;
  LowNodeInfo *info;     /* parallel to nodes */
} Lowered;

Lowered *lower_program(const Program *program);

/* A checked literal (a scalar: not a set or range) as the value of a fact
 * of the given type. */
int64_t lower_literal(const Literal *literal, LowType type);

/* A procedure code's five characters as one integer that orders as the
 * text does ("0609T" < "0612T" < "76390"); -1 if text is not five
 * characters. */
int64_t code_pack(const char *text, size_t length);
/* The five characters of a packed code, into buffer (at least 6 bytes). */
void code_unpack(int64_t code, char *buffer);

const char *low_op_name(LowOp op);
const char *low_stage_name(LowStage stage);

#endif
