/* mrsp_runtime.h - the embeddable evaluator of mrspc policies.
 *
 * `mrspc emit-c` writes a policy as constant tables (an MrspPolicy, below);
 * this runtime decides a request (an MrspCase) against them with exactly
 * the meaning of `mrspc eval`, whose evaluator is this same code over the
 * same tables built in memory:
 *
 *   - logic is Kleene's: a condition on an unknown fact is unknown; 'all'
 *     is false if any item is false, true if all are true, else unknown;
 *     'any' dually; 'not' swaps true and false; 'at least N of' is true
 *     once N items are true, false once fewer than N can be;
 *   - the stages are tried in precedence order (MrspStage); the first that
 *     fires decides (applicability fires when false, the others when true;
 *     with none firing, not_medically_necessary); a stage that is unknown
 *     before one fires makes the decision undetermined, and then `missing`
 *     lists the unknown facts that would settle it and `possible` the
 *     decisions still open;
 *   - notes whose condition is true come with any decision.
 *
 * The tables hold the policy three times over: its nodes as written, with
 * the policy's words and citations (for a host's own explanations); an
 * evaluation plan, the nodes as steps grouped by the stage that first
 * needs them and by kind, so that evaluating is a few tight loops with no
 * branch on the case's values (nodes.c says more); and a decision
 * program, the rules as tests of one fact each in the order a decision
 * needs them, for the decision alone (mrsp_decide_only, MrspTest).
 *
 * C99, usable from C++.  No allocation, no global state, no I/O: every
 * function works only on the tables, the case and the working memory it is
 * given, so calls are reentrant and threads can share a policy, each with
 * its own MrspWork.
 *
 * A host:
 *
 *     uint64_t known[P_KNOWN_WORDS], values[P_VALUE_WORDS];
 *     static uint64_t memory[P_WORK_WORDS];
 *     MrspCase request = {known, values};
 *     MrspWork *work = mrsp_work_init(&P_policy, memory, sizeof memory);
 *     mrsp_case_clear(&P_policy, &request);
 *     mrsp_case_set_int(&P_policy, &request, P_FACT_AGE_YEARS, 47);
 *     const MrspResult *result = mrsp_decide(work, &request);
 *     puts(mrsp_decision_name(result->decision));
 *
 * where P is the prefix of the header `mrspc emit-c --header` wrote.  A
 * host that needs only the decision (its stage and rule), not the facts
 * that would settle an undetermined one nor the notes, calls
 * mrsp_decide_only, several times faster.
 */
#ifndef MRSP_RUNTIME_H
#define MRSP_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The layout of the tables; a policy emitted for another layout is
 * refused by mrsp_work_init. */
#define MRSP_TABLE_FORMAT 2

/* ---- values -------------------------------------------------------------- */

/* Kleene values as two bits, "may be true" (1) and "is true" (2), so that
 * 'all' is the bitwise AND of its items and 'any' the OR (2 is no
 * value). */
typedef unsigned char MrspTruth;
enum { MRSP_FALSE = 0, MRSP_UNKNOWN = 1, MRSP_TRUE = 3 };

#define MRSP_TYPE_LIST(X)                                                       \
  X(BOOL, "bool")   /* 0 or 1 */                                                \
  X(INT, "int")                                                                 \
  X(DATE, "date")   /* days since 1970-01-01 (mrsp_date) */                     \
  X(CODE, "code")   /* a procedure code packed by mrsp_code_pack */             \
  X(ENUM, "enum")   /* a member's index */                                      \
  X(SET, "set")     /* a bit mask of members, words of 64 bits */

typedef enum MrspType {
#define MRSP_X(kind, name) MRSP_TYPE_##kind,
  MRSP_TYPE_LIST(MRSP_X)
#undef MRSP_X
  MRSP_TYPE_COUNT
} MrspType;

#define MRSP_UNIT_LIST(X)                                                       \
  X(DAYS, "days")                                                               \
  X(WEEKS, "weeks")                                                             \
  X(MONTHS, "months")                                                           \
  X(YEARS, "years")

typedef enum MrspUnit {
#define MRSP_X(kind, name) MRSP_UNIT_##kind,
  MRSP_UNIT_LIST(MRSP_X)
#undef MRSP_X
  MRSP_UNIT_COUNT
} MrspUnit;

/* The decisions, the one list of their names: in the language, in JSON
 * output, in emitted tables.  Each entry is the suffix of its constant
 * (MRSP_DECISION_REFER here; mrspc's own code calls it DECISION_REFER) and
 * its name. */
#define MRSP_DECISION_LIST(X)                                                   \
  X(MEDICALLY_NECESSARY, "medically_necessary")                                 \
  X(NOT_MEDICALLY_NECESSARY, "not_medically_necessary")                         \
  X(INVESTIGATIONAL, "investigational")                                         \
  X(NOT_APPLICABLE, "not_applicable")                                           \
  X(REFER, "refer")                                                             \
  X(UNDETERMINED, "undetermined")

typedef enum MrspDecision {
#define MRSP_X(kind, name) MRSP_DECISION_##kind,
  MRSP_DECISION_LIST(MRSP_X)
#undef MRSP_X
  MRSP_DECISION_COUNT
} MrspDecision;

/* The decision stages in precedence order, with the decision each gives
 * when it fires (the suffix of its MRSP_DECISION_ constant).  Each entry's
 * first field is the suffix of its constant, MRSP_STAGE_APPLIES here and
 * STAGE_APPLIES in mrspc's own code. */
#define MRSP_STAGE_LIST(X)                                                      \
  X(APPLIES, "applicability", NOT_APPLICABLE)                                   \
  X(REFER, "refer", REFER)                                                      \
  X(INVESTIGATIONAL, "investigational", INVESTIGATIONAL)                        \
  X(EXCLUDE, "exclude", NOT_MEDICALLY_NECESSARY)                                \
  X(REQUIRE, "require", MEDICALLY_NECESSARY)                                    \
  X(OTHERWISE, "otherwise", NOT_MEDICALLY_NECESSARY)

typedef enum MrspStage {
#define MRSP_X(kind, name, decision) MRSP_STAGE_##kind,
  MRSP_STAGE_LIST(MRSP_X)
#undef MRSP_X
  MRSP_STAGE_COUNT
} MrspStage;

/* ---- the tables ----------------------------------------------------------- */

/* The operations of nodes.  "subject" is the fact a condition tests; a
 * condition on an unknown subject (or operand fact) is unknown. */
#define MRSP_OP_LIST(X)                                                         \
  X(CONST, "constant")      /* rhs: 0 false, 1 true */                          \
  X(ALL, "all")             /* items kids[first .. first+count) */              \
  X(ANY, "any")                                                                 \
  X(AT_LEAST, "at least")   /* amount: N */                                     \
  X(NOT, "not")             /* operand kids[first] */                           \
  X(CRITERION, "criterion") /* the value of the shared tree rooted              \
                                       at kids[first]; amount: the criterion's  \
                                       index, or -1 */                          \
  X(BOOL, "bool fact")      /* subject is true */                               \
  X(EQUAL, "is")            /* subject == rhs */                                \
  X(LESS, "less than")      /* subject < rhs */                                 \
  X(LESS_EQUAL, "at most")  /* subject <= rhs */                                \
  X(GREATER, "more than")   /* subject > rhs */                                 \
  X(GREATER_EQUAL, "at least") /* subject >= rhs */                             \
  X(BETWEEN, "between")     /* rhs <= subject <= high */                        \
  X(WITHIN_BEFORE, "within before") /* rhs - amount unit <= subject             \
                                               <= rhs */                        \
  X(WITHIN_AFTER, "within after")   /* rhs <= subject <= rhs + amount           \
                                               unit */                          \
  X(IN_RANGES, "in")        /* low <= subject <= high for one of the            \
                                       count pairs at ranges[2*first] */        \
  X(IN_MASK, "in")          /* subject's bit set in masks[first ..] */          \
  X(HAS_ANY, "has any")     /* subject & masks[first ..] != 0 */                \
  X(HAS_ALL, "has all")     /* subject & masks[first ..] == mask */

typedef enum MrspOp {
#define MRSP_X(kind, name) MRSP_OP_##kind,
  MRSP_OP_LIST(MRSP_X)
#undef MRSP_X
  MRSP_OP_COUNT
} MrspOp;

/* One node of a condition, as the policy wrote it.  Nodes are in
 * dependency order: a node's items, and the body of a criterion it uses,
 * come before it, so one pass from first to last evaluates every node. */
typedef struct MrspNode {
  unsigned char op;      /* MrspOp */
  unsigned char unit;    /* MrspUnit, of a date window */
  int32_t subject;       /* fact index, or -1 */
  int32_t slot;          /* the subject's first value word */
  int32_t first, count;  /* items in kids[], pairs in ranges[], or words in
                            masks[] */
  int32_t amount;        /* at least N; within N units; criterion index */
  int32_t rhs_fact;      /* the right-hand side's fact, or -1 for rhs */
  int32_t rhs_slot;
  int32_t high_fact;     /* 'between': the high end's fact, or -1 for high */
  int32_t high_slot;
  int64_t rhs, high;
} MrspNode;

/* The evaluation plan: the nodes again, as steps of a few kinds cheap to
 * compute.  The steps of part 0 compute what the notes need; those of part
 * 1 + s what stage s needs and no earlier part does; the last part, every
 * other node.  A part is a few runs: one per kind of condition, each a
 * tight loop over steps of that kind, then one run of the groups (and
 * criterion uses) in dependency order, each step by its own kind. */
#define MRSP_STEP_LIST(X)                                                       \
  X(MRSP_STEP_BOOL, "bool")         /* the subject's word is not 0 */           \
  X(MRSP_STEP_RANGE, "range")       /* subject - base <= bound, unsigned: a     \
                                       comparison with constants */             \
  X(MRSP_STEP_MEMBER, "member")     /* the subject, a member below 64, is a bit \
                                       of the mask bound */                     \
  X(MRSP_STEP_HAS_ANY, "has any")   /* subject & bound != 0 */                  \
  X(MRSP_STEP_HAS_ALL, "has all")   /* subject & bound == bound */              \
  X(MRSP_STEP_NODE, "node")         /* any other node, from its MrspNode */     \
  X(MRSP_STEP_ALL, "all")           /* the AND of kids[word .. word+count) */   \
  X(MRSP_STEP_ANY, "any")           /* their OR */                              \
  X(MRSP_STEP_NOT, "not")           /* node word negated */                     \
  X(MRSP_STEP_COPY, "copy")         /* node word's value: a criterion's use */  \
  X(MRSP_STEP_GROUPS, "groups")     /* (a run) each step by its own kind */

typedef enum MrspStepKind {
#define MRSP_X(kind, name) kind,
  MRSP_STEP_LIST(MRSP_X)
#undef MRSP_X
  MRSP_STEP_COUNT
} MrspStepKind;

typedef struct MrspStep {
  int32_t kind;          /* MrspStepKind */
  int32_t node;          /* the node whose value the step computes */
  int32_t word;          /* a condition: its subject's value word; a group:
                            its first item in kids[]; not, copy: the node */
  int32_t count;         /* a group: its items */
  int32_t known_word;    /* a condition: the word of its subject's known bit */
  uint64_t known_bit;    /* and the bit */
  uint64_t base, bound;  /* see MRSP_STEP_LIST */
} MrspStep;

typedef struct MrspRun {
  int32_t kind;          /* MrspStepKind: a condition's, or MRSP_STEP_GROUPS */
  int32_t first, count;  /* steps[first .. first + count) */
} MrspRun;

/* The parts of the plan: notes, each stage, the rest. */
enum { MRSP_PART_COUNT = MRSP_STAGE_COUNT + 2 };

/* The decision program (mrsp_decide_only): the rules once more, as tests
 * that each look at one fact, or at one node the quick kinds do not cover,
 * and go on to the next test by its value, so that a decision evaluates
 * only what it needs, in this order:
 *
 *   - the stages in precedence order, each rule in order, until a stage
 *     fires or is left unknown;
 *   - in a rule, 'all' stops at its first false item and 'any' at its
 *     first true one; after an unknown item they go on looking for one
 *     (an unknown 'all' item and no false one leave it unknown); the
 *     items of a group are tried cheapest first, which cannot change its
 *     value (Kleene's AND and OR commute); 'not' costs nothing (it swaps
 *     the places its operand goes to) and 'at least N of' counts in the
 *     places it goes through;
 *   - criteria are written out where they are used when small (a few
 *     tests if used more than once, not nested too deep); another is
 *     called: its tests run the first time a decision needs it, and later
 *     uses read its value;
 *   - tests on one fact in one group are merged: 'any' of members of one
 *     enum is one test of the union of their masks, 'all' of ranges of
 *     one fact one test of their intersection, and so on.
 *
 * A test's next[v] for its value v (MrspTruth) is the next test's index,
 * or an end (below 0): a call returns a value, or the decision is made.
 * The program starts at test 0.  A policy too large for the program to
 * stay small has none (test_count 0), and mrsp_decide_only then tries the
 * stages' parts of the plan. */
#define MRSP_TEST_LIST(X)                                                       \
  X(MRSP_TEST_RANGE, "range")       /* subject - base <= bound, unsigned: a     \
                                       bool fact is 'not 0', [1, 2^64 - 1] */   \
  X(MRSP_TEST_MEMBER, "member")     /* the subject, a member below 64, is a bit \
                                       of the mask bound */                     \
  X(MRSP_TEST_HAS_ANY, "has any")   /* subject & bound != 0 */                  \
  X(MRSP_TEST_HAS_ALL, "has all")   /* subject & bound == bound */              \
  X(MRSP_TEST_NODE, "node")         /* node's value, from its MrspNode (a       \
                                       condition of no quick kind) */           \
  X(MRSP_TEST_CALL, "call")         /* node's value, computed by the tests from \
                                       base the first time in a decision */     \
  X(MRSP_TEST_TRUE, "true")         /* no test: true */

typedef enum MrspTestKind {
#define MRSP_X(kind, name) kind,
  MRSP_TEST_LIST(MRSP_X)
#undef MRSP_X
  MRSP_TEST_COUNT
} MrspTestKind;

typedef struct MrspTest {
  int32_t kind;          /* MrspTestKind */
  int32_t word;          /* a test of a fact: its subject's value word */
  int32_t known_word;    /* and the word of its known bit */
  int32_t node;          /* node, call: the node; else the node the test
                            comes from (the first of those merged) */
  int32_t next[4];       /* by value: false, unknown, (unused), true */
  uint64_t known_bit;    /* the subject's known bit in its word */
  uint64_t base, bound;  /* see MRSP_TEST_LIST */
  int32_t merged;        /* how many other nodes were merged into it */
  int32_t rule;          /* the rule whose condition it tests, or -1 (a
                            call's tests; and a test is 64 bytes, so an
                            index scales by a shift) */
} MrspTest;

/* The ends of the program, in MrspTest.next: a call's value, and the
 * decisions (rule -1: none, as for 'otherwise'). */
#define MRSP_END_RETURN(truth) (-1 - (int32_t)(truth))
#define MRSP_END_DECIDED(stage, rule) (-5 - 16 * ((int32_t)(rule) + 1) - (int32_t)(stage))
#define MRSP_END_UNDETERMINED(stage) (-5 - 8 - (int32_t)(stage))

/* A citation of references number first to last of one file's reference
 * list. */
typedef struct MrspCite {
  int32_t file;
  int32_t first, last;
} MrspCite;

/* Where something is written, and what it cites: cites[cite_first ..
 * cite_first + cite_count).  file is an index in MrspPolicy.files, or -1
 * (line 0) when it has no place in a file. */
typedef struct MrspSource {
  int32_t file, line;
  int32_t cite_first, cite_count;
} MrspSource;

/* What a node says, for explanations: never read by the evaluation. */
typedef struct MrspNodeInfo {
  const char *label;     /* the condition in words ("age_years at least 18"),
                            the criterion's name, or NULL for a group */
  const char *doc;       /* the policy's words at this node, or NULL */
  MrspSource source;
} MrspNodeInfo;

typedef struct MrspEnum {
  const char *name;
  const char *doc;
  const char *const *members;
  const char *const *member_docs; /* NULL entries where undocumented */
  int32_t member_count;
  int32_t words;         /* words of a mask of its members */
} MrspEnum;

typedef struct MrspFact {
  const char *name;
  const char *doc;
  int32_t type;          /* MrspType */
  int32_t enumeration;   /* MrspEnum index of an enum or set fact, else -1 */
  int32_t slot;          /* first value word in a case */
  int32_t words;         /* value words: 1, or the set's mask words */
  int32_t ranged;        /* an int fact with a declared range low..high */
  int64_t low, high;
} MrspFact;

typedef struct MrspCriterion {
  const char *name;
  const char *doc;
  int32_t body;          /* the root node of its body */
  MrspSource source;
} MrspCriterion;

typedef struct MrspRule {
  int32_t stage;         /* MrspStage */
  int32_t root;          /* the root node of its condition */
  const char *name;      /* "exclude#2" for the second unnamed exclude rule,
                            "policy codes" for a policy-block list */
  const char *target;    /* refer: where the request goes, else NULL */
  const char *doc;
  MrspSource source;
} MrspRule;

typedef struct MrspNote {
  const char *name;      /* its own, or "note#N" for the Nth note */
  const char *text;
  int32_t root;          /* its condition, or -1 when always */
  MrspSource source;
} MrspNote;

typedef struct MrspReference {
  int32_t file;
  int32_t number;
  const char *text;
} MrspReference;

/* One entry of the policy block: "approved" and "2025-08-28". */
typedef struct MrspMeta {
  const char *key;
  const char *value;     /* the values as written, separated by ", " */
  MrspSource source;
} MrspMeta;

typedef struct MrspPolicy {
  int32_t format;        /* MRSP_TABLE_FORMAT */
  const char *name;      /* the policy's name */
  const char *title;     /* or NULL, as the payer and vendor */
  const char *payer;
  const char *vendor;
  const MrspMeta *meta;
  int32_t meta_count;
  const char *const *files; /* the policy's file, then the modules it uses */
  int32_t file_count;
  const MrspReference *references;
  int32_t reference_count;
  const MrspCite *cites;
  int32_t cite_count;

  const MrspEnum *enums;
  int32_t enum_count;
  const MrspFact *facts;
  int32_t fact_count;
  int32_t value_words;   /* words of a case's values */
  int32_t known_words;   /* words of a case's known bits */

  const MrspNode *nodes;
  const MrspNodeInfo *node_info; /* parallel to nodes */
  int32_t node_count;
  const int32_t *kids;
  int32_t kid_count;
  const int64_t *ranges; /* pairs low, high */
  int32_t range_count;
  const uint64_t *masks;
  int32_t mask_count;

  const MrspStep *steps;
  int32_t step_count;
  const MrspRun *runs;
  int32_t run_count;
  int32_t part_first[MRSP_PART_COUNT + 1]; /* part p: runs [part_first[p],
                                             part_first[p + 1]) */
  const MrspTest *tests; /* the decision program */
  int32_t test_count;

  const MrspCriterion *criteria;
  int32_t criterion_count;
  const MrspRule *rules; /* by stage, in precedence order */
  int32_t rule_count;
  int32_t stage_first[MRSP_STAGE_COUNT]; /* stage s: rules [first, first+count) */
  int32_t stage_count[MRSP_STAGE_COUNT];
  const MrspNote *notes;
  int32_t note_count;
} MrspPolicy;

/* ---- a case --------------------------------------------------------------- */

/* The facts of one request: fact f is known when bit f % 64 of known[f / 64]
 * is set, and its value is in values[] from word facts[f].slot, as the
 * mrsp_case_set_* functions write it (a value no setter would write, such
 * as a date far outside the calendar, is the host's to avoid). */
typedef struct MrspCase {
  uint64_t *known;       /* policy->known_words words */
  uint64_t *values;      /* policy->value_words words */
} MrspCase;

/* Every fact unknown (and every value word zero). */
void mrsp_case_clear(const MrspPolicy *policy, MrspCase *request);

/* Setting a fact makes it known.  Each returns 0, or -1 (leaving the case
 * as it was) when the fact is not of that type or the value is not one it
 * can take: an int outside the fact's range, a date that is not on the
 * calendar or is before 1900, a code that is not five characters of a
 * CPT/HCPCS shape, a member the fact's enum does not have. */
int mrsp_case_set_bool(const MrspPolicy *policy, MrspCase *request, int fact, int value);
int mrsp_case_set_int(const MrspPolicy *policy, MrspCase *request, int fact, int64_t value);
int mrsp_case_set_date(const MrspPolicy *policy, MrspCase *request, int fact, int year,
                       int month, int day);
/* "76390", "0698T", "G0123": five characters, no '+'. */
int mrsp_case_set_code(const MrspPolicy *policy, MrspCase *request, int fact, const char *code);
/* An enum fact: its value.  A set fact: adds the member (a set fact set to
 * no member at all is the empty set: mrsp_case_set_empty). */
int mrsp_case_set_member(const MrspPolicy *policy, MrspCase *request, int fact, int member);
int mrsp_case_set_empty(const MrspPolicy *policy, MrspCase *request, int fact);
void mrsp_case_set_unknown(const MrspPolicy *policy, MrspCase *request, int fact);
int mrsp_case_known(const MrspPolicy *policy, const MrspCase *request, int fact);

/* ---- deciding --------------------------------------------------------------- */

typedef struct MrspResult {
  MrspDecision decision;
  MrspStage stage;       /* the stage that decided, or was left unknown */
  int32_t rule;          /* the rule that decided, or -1 (otherwise,
                            undetermined) */
  MrspTruth stages[MRSP_STAGE_COUNT]; /* each stage's value (applicability:
                            whether the policy governs the request; the
                            others: whether a rule is true); mrsp_decide
                            leaves those it did not need unknown */
  unsigned possible;     /* undetermined: bit 1 << d per MrspDecision d */
  const int32_t *missing; /* undetermined: fact indices, in policy order */
  int32_t missing_count;
  const int32_t *notes;  /* note indices whose condition is true */
  int32_t note_count;
  const MrspTruth *values; /* every node's value (mrsp_evaluate): criterion
                              k's is values[criteria[k].body] */
} MrspResult;

/* Working memory for evaluations of one policy: the runtime's, laid out in
 * the memory given to mrsp_work_init. */
typedef struct MrspWork {
  const MrspPolicy *policy;
  uint32_t generation;   /* this evaluation's mark */
  MrspTruth *values;     /* per node */
  uint32_t *visited;     /* per node: the walk for missing facts */
  int32_t *stack;
  int32_t *missing;
  uint64_t *missing_seen; /* bit per fact */
  int32_t *notes;
  MrspResult result;
} MrspWork;

#define MRSP_ROUND8(bytes) (((bytes) + 7) / 8 * 8)
/* Bytes of working memory for a policy of these counts (the emitted header
 * gives them for its policy as P_WORK_WORDS, in uint64_t words). */
#define MRSP_WORK_SIZE(nodes, kids, rules, facts, notes)                        \
  (MRSP_ROUND8(sizeof(MrspWork)) + MRSP_ROUND8(4 * ((size_t)(nodes) + 1)) +     \
   MRSP_ROUND8(4 * ((size_t)(kids) + (size_t)(rules) + 1)) +                    \
   MRSP_ROUND8(4 * ((size_t)(facts) + 1)) + 8 * (((size_t)(facts) + 64) / 64) + \
   MRSP_ROUND8(4 * ((size_t)(notes) + 1)) + MRSP_ROUND8((size_t)(nodes) + 1))
#define MRSP_WORK_WORDS(nodes, kids, rules, facts, notes)                       \
  (MRSP_WORK_SIZE(nodes, kids, rules, facts, notes) / 8)

size_t mrsp_work_size(const MrspPolicy *policy);

/* Lays out working memory for policy in memory (size bytes, aligned for
 * uint64_t); NULL if it is too small or misaligned, or the tables are of
 * another format. */
MrspWork *mrsp_work_init(const MrspPolicy *policy, void *memory, size_t size);

/* Decides the request.  Evaluates the notes' part of the plan, then each
 * stage's part when it tries the stage, so the conditions of the stages
 * after the deciding one are not evaluated (their nodes keep the values of
 * an earlier call).  The result lives in work until its next use. */
const MrspResult *mrsp_decide(MrspWork *work, const MrspCase *request);

/* The same decision, with every node evaluated: for explanations. */
const MrspResult *mrsp_evaluate(MrspWork *work, const MrspCase *request);

/* The decision alone, as quickly as the tables allow: decision, stage and
 * rule are mrsp_decide's, and stages[] holds the values of the stages up
 * to the one that decided or was left unknown (the later ones unknown,
 * 'otherwise' true).  Nothing else is computed: possible is 0, missing and
 * notes are empty (the notes' conditions would cost about as much again),
 * and values are not the nodes' values.  It runs the decision program
 * (MrspTest), so it evaluates only what the decision needs: no item of a
 * group once one settles it, no later stage once a stage is left unknown
 * (where mrsp_decide goes on, for the possible decisions and the missing
 * facts).  A host that needs those, or the notes, calls mrsp_decide; the
 * two may share one MrspWork.  The result lives in work until its next
 * use. */
const MrspResult *mrsp_decide_only(MrspWork *work, const MrspCase *request);

/* ---- names and values --------------------------------------------------------- */

const char *mrsp_decision_name(MrspDecision decision);
const char *mrsp_stage_name(MrspStage stage);
const char *mrsp_truth_name(MrspTruth value);
const char *mrsp_type_name(MrspType type);
const char *mrsp_op_name(MrspOp op);
const char *mrsp_unit_name(MrspUnit unit);
MrspDecision mrsp_stage_decision(MrspStage stage);

/* Days since 1970-01-01 of a date of the proleptic Gregorian calendar. */
int32_t mrsp_date(int year, int month, int day);
void mrsp_date_civil(int32_t date, int *year, int *month, int *day);
/* date shifted by amount units (negative: earlier); months and years clamp
 * to the end of the month (31 March minus one month is 28 or 29
 * February). */
int32_t mrsp_date_add(int32_t date, int amount, MrspUnit unit);

/* A procedure code's five characters as one integer that orders as the
 * codes do within one kind ("0609T" < "0612T"); -1 if length is not 5. */
int64_t mrsp_code_pack(const char *text, size_t length);
/* The five characters of a packed code and a NUL, into buffer. */
void mrsp_code_unpack(int64_t code, char buffer[6]);
/* Whether text is five characters of a CPT/HCPCS shape: five digits,
 * four digits and a capital letter, or a capital letter and four digits. */
int mrsp_code_valid(const char *text, size_t length);

#ifdef __cplusplus
}
#endif

#endif
