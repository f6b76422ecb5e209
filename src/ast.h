/* ast.h - the syntax tree of a .mrsp file.
 *
 * The parser (grammar/mrsp.y) builds these nodes and nothing else; the
 * checker (check.c) fills in the fields marked "resolved" and never changes
 * the shape of the tree.  Every node carries the byte range it came from
 * (Span), so any later phase can point back at the policy text.  All memory
 * comes from the collector (GC_MALLOC): nodes are never freed by hand.
 *
 * Invariants after a successful check:
 *   - every ND_REF names either a bool fact (ref_fact) or a criterion
 *     (ref_criterion), never both;
 *   - every condition's subject has a fact and its literals are converted
 *     (enum member indices, day numbers for dates, integers);
 *   - the criterion graph is acyclic.
 */
#ifndef MRSPC_AST_H
#define MRSPC_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A byte range [begin, end) in one source file. */
typedef struct Span {
  int file;       /* index into the source table (source.h) */
  uint32_t begin; /* first byte */
  uint32_t end;   /* one past the last byte */
} Span;

/* An identifier as written, with where it was written. */
typedef struct Name {
  const char *text;
  Span span;
} Name;

/* A citation: [2] is {2, 2}; [2-4] is {2, 4}. */
typedef struct Cite {
  int first, last;
  Span span;
} Cite;

typedef struct CiteList {
  Cite **items;
  int count;
} CiteList;

/* ---- Literal values (in set literals, metadata, test facts) ---------- */

#define LITERAL_KIND_LIST(X)                                              \
  X(LIT_INT, "number")        /* 18 */                                    \
  X(LIT_DATE, "date")         /* 2026-02-10 (or 2007-04 in metadata) */   \
  X(LIT_CODE, "code")         /* 0698T, +0698T */                         \
  X(LIT_NAME, "name")         /* glioma, commercial */                    \
  X(LIT_STRING, "string")     /* "text" */                                \
  X(LIT_BOOL, "true or false")/* true, false */                           \
  X(LIT_UNKNOWN, "unknown")   /* unknown (test facts only) */             \
  X(LIT_SET, "set")           /* { a, b } */                              \
  X(LIT_RANGE, "range")       /* 0-17, 0609T-0612T */

typedef enum LiteralKind {
#define X(kind, name) kind,
  LITERAL_KIND_LIST(X)
#undef X
} LiteralKind;

typedef struct Literal Literal;
struct Literal {
  LiteralKind kind;
  Span span;
  const char *text;       /* as written (codes keep leading zeros) */
  bool add_on;            /* a code written with a leading '+' */
  long long number;       /* LIT_INT value; LIT_BOOL 0/1 */
  Literal **items;        /* LIT_SET members; LIT_RANGE: items[0..1] */
  int count;
  /* resolved by the checker */
  int member;             /* enum member index for LIT_NAME, else -1 */
  int32_t day;            /* LIT_DATE: days since 1970-01-01 */
};

/* ---- Types of facts --------------------------------------------------- */

#define TYPE_KIND_LIST(X)                                                 \
  X(TY_ERROR, "<error>")  /* after a reported error; matches anything */  \
  X(TY_BOOL, "bool")                                                      \
  X(TY_INT, "int")                                                        \
  X(TY_DATE, "date")                                                      \
  X(TY_CODE, "code")                                                      \
  X(TY_ENUM, "enum")                                                      \
  X(TY_SET, "set")

typedef enum TypeKind {
#define X(kind, name) kind,
  TYPE_KIND_LIST(X)
#undef X
} TypeKind;

typedef struct EnumDecl EnumDecl;

typedef struct Type {
  TypeKind kind;
  EnumDecl *enumeration; /* TY_ENUM, TY_SET: the element enum (resolved) */
} Type;

/* ---- Conditions and groups ------------------------------------------- */

#define NODE_KIND_LIST(X)                                                 \
  X(ND_ALL, "all")             /* all < items > */                        \
  X(ND_ANY, "any")             /* any < items > */                        \
  X(ND_AT_LEAST, "at least")   /* at least N of < items > */              \
  X(ND_NOT, "not")             /* not operand */                          \
  X(ND_REF, "reference")       /* bool_fact | criterion_name */           \
  X(ND_IS, "is")               /* fact is value */                        \
  X(ND_IN, "in")               /* fact in { values } */                   \
  X(ND_HAS, "has")             /* set_fact has member */                  \
  X(ND_HAS_ANY, "has any")     /* set_fact has any { members } */         \
  X(ND_HAS_ALL, "has all")     /* set_fact has all { members } */         \
  X(ND_COMPARE, "comparison")  /* int/date fact <op> operand */           \
  X(ND_BETWEEN, "between")     /* fact between low and high */            \
  X(ND_WITHIN, "within")       /* date within N unit before/after date */ \
  X(ND_CONST, "constant")      /* true | false */

typedef enum NodeKind {
#define X(kind, name) kind,
  NODE_KIND_LIST(X)
#undef X
} NodeKind;

#define COMPARE_OP_LIST(X)                                                \
  X(CMP_AT_LEAST, "at least")  /* >= (ints) */                            \
  X(CMP_AT_MOST, "at most")    /* <= (ints) */                            \
  X(CMP_MORE_THAN, "more than")/* >  (ints) */                            \
  X(CMP_LESS_THAN, "less than")/* <  (ints) */                            \
  X(CMP_BEFORE, "before")      /* <  (dates) */                           \
  X(CMP_AFTER, "after")        /* >  (dates) */                           \
  X(CMP_ON_OR_BEFORE, "on or before") /* <= (dates) */                    \
  X(CMP_ON_OR_AFTER, "on or after")   /* >= (dates) */

typedef enum CompareOp {
#define X(op, words) op,
  COMPARE_OP_LIST(X)
#undef X
} CompareOp;

#define TIME_UNIT_LIST(X)                                                 \
  X(UNIT_DAYS, "days")                                                    \
  X(UNIT_WEEKS, "weeks")                                                  \
  X(UNIT_MONTHS, "months")                                                \
  X(UNIT_YEARS, "years")

typedef enum TimeUnit {
#define X(unit, word) unit,
  TIME_UNIT_LIST(X)
#undef X
} TimeUnit;

typedef struct FactDecl FactDecl;
typedef struct Criterion Criterion;

/* The right-hand side of a comparison: a literal, or a name that the
 * checker resolves by the subject's type (an enum member, or a fact such as
 * request_date). */
typedef struct Operand {
  Literal *literal;    /* NULL when absent */
  FactDecl *fact;      /* resolved: set when the name is a fact */
} Operand;

typedef struct Node Node;
struct Node {
  NodeKind kind;
  Span span;             /* the whole node, citations excluded */
  const char *doc;       /* an item's own words: "words" cond [cites] */
  Span doc_span;
  CiteList cites;

  /* ND_ALL, ND_ANY, ND_AT_LEAST */
  Node **items;
  int count;
  int at_least;          /* ND_AT_LEAST: N */
  Span at_least_span;

  /* ND_NOT */
  Node *operand;

  /* conditions: the fact (or criterion, for ND_REF) they test */
  Name subject;
  FactDecl *fact;        /* resolved: the subject fact */
  Criterion *criterion;  /* resolved: ND_REF naming a criterion */

  /* ND_IS, ND_HAS, ND_COMPARE, ND_WITHIN (the reference date) */
  Operand rhs;
  /* ND_BETWEEN: rhs is the low end, high the high end */
  Operand high;
  /* ND_IN, ND_HAS_ANY, ND_HAS_ALL: a LIT_SET */
  Literal *set;
  CompareOp compare;

  /* ND_WITHIN: subject within amount unit before|after rhs */
  int amount;
  TimeUnit unit;
  bool after;            /* false: "before", true: "after" */

  /* ND_CONST */
  bool value;
};

/* ---- Declarations ----------------------------------------------------- */

struct EnumMember {
  Name name;
  const char *doc;
  Span doc_span;
};
typedef struct EnumMember EnumMember;

struct EnumDecl {
  Name name;
  const char *doc;
  EnumMember **members;
  int count;
  Span span;
  int index;             /* resolved: position in the schema */
};

struct FactDecl {
  Name name;
  const char *doc;
  Name type_name;        /* bool, int, date, code, or an enum's name */
  bool is_set;           /* "set of E" */
  Literal *range;        /* int facts: optional LIT_RANGE of allowed values */
  Type type;             /* resolved */
  Span span;
  int index;             /* resolved: position in the schema */
};

struct Criterion {
  Name name;
  const char *doc;
  Span doc_span;
  CiteList cites;
  Node *body;
  Span span;
  /* resolved */
  int index;             /* position among all criteria of the program */
  int uses;              /* references to it (for the unused warning) */
  int module;            /* the module that defines it */
};

#define SECTION_KIND_LIST(X)                                              \
  X(SEC_APPLIES, "applies", "not_applicable")                             \
  X(SEC_REFER, "refer", "refer")                                          \
  X(SEC_INVESTIGATIONAL, "investigational", "investigational")            \
  X(SEC_EXCLUDE, "exclude", "not_medically_necessary")                    \
  X(SEC_REQUIRE, "require", "medically_necessary")                        \
  X(SEC_NOTE, "note", "")

typedef enum SectionKind {
#define X(kind, keyword, decision) kind,
  SECTION_KIND_LIST(X)
#undef X
} SectionKind;

/* A decision rule: applies, refer, investigational, exclude, require, note. */
typedef struct Section {
  SectionKind kind;
  Name name;             /* optional (text == NULL when absent) */
  const char *doc;       /* the policy's words; for a note, its text */
  Span doc_span;
  CiteList cites;
  const char *target;    /* refer: where the request is referred */
  Span target_span;
  Node *condition;       /* NULL for an unconditional note */
  Span span;
  int module;            /* the module it was written in */
} Section;

/* One metadata entry of a policy block: title "...", codes 76390, +0698T */
typedef struct MetaEntry {
  Name key;
  Literal **values;
  int count;
  CiteList cites;
  Span span;
} MetaEntry;

typedef struct PolicyDecl {
  Name name;
  MetaEntry **entries;
  int count;
  Span span;
} PolicyDecl;

typedef struct Reference {
  int number;
  const char *text;
  Span span;
  int uses;              /* resolved: citations of it */
} Reference;

typedef struct UseDecl {
  const char *path;      /* as written: a module name or a quoted path */
  bool quoted;
  Span span;
  int module;            /* resolved: the imported module, or -1 */
} UseDecl;

/* fact: value; inside a test block */
typedef struct TestFact {
  Name name;
  Literal *value;
  FactDecl *fact;        /* resolved */
  Span span;
} TestFact;

#define EXPECT_KIND_LIST(X)                                               \
  X(EXPECT_DECISION, "decision") /* expect medically_necessary; */        \
  X(EXPECT_MISSING, "missing")   /* expect missing { fact, ... }; */      \
  X(EXPECT_NOTES, "notes")       /* expect notes { note_name, ... }; */   \
  X(EXPECT_RULE, "rule")         /* expect rule rule_name; */

typedef enum ExpectKind {
#define X(kind, word) kind,
  EXPECT_KIND_LIST(X)
#undef X
} ExpectKind;

typedef struct Expectation {
  ExpectKind kind;
  Name decision;          /* EXPECT_DECISION, EXPECT_RULE */
  Name **names;           /* EXPECT_MISSING, EXPECT_NOTES */
  int count;
  Span span;
  int decision_value;     /* resolved: a Decision (decision.h) */
} Expectation;

typedef struct TestDecl {
  Name name;
  const char *doc;
  TestFact **facts;
  int nfacts;
  Expectation **expects;
  int nexpects;
  Span span;
} TestDecl;

#define DECL_KIND_LIST(X)                                                 \
  X(DECL_POLICY, "policy")                                                \
  X(DECL_REFERENCES, "references")                                        \
  X(DECL_USE, "use")                                                      \
  X(DECL_ENUM, "enum")                                                    \
  X(DECL_FACT, "fact")                                                    \
  X(DECL_CRITERION, "criterion")                                          \
  X(DECL_SECTION, "section")                                              \
  X(DECL_TEST, "test")

typedef enum DeclKind {
#define X(kind, word) kind,
  DECL_KIND_LIST(X)
#undef X
} DeclKind;

typedef struct Decl {
  DeclKind kind;
  Span span;
  union {
    PolicyDecl *policy;
    struct {
      Reference **items;
      int count;
    } references;
    UseDecl *use;
    EnumDecl *enumeration;
    FactDecl *fact;
    Criterion *criterion;
    Section *section;
    TestDecl *test;
  } as;
} Decl;

/* One parsed file. */
typedef struct Module {
  int file;              /* source index */
  Decl **decls;
  int count;
  bool syntax_ok;        /* false if the parser reported an error */
} Module;

/* Names for the kinds above (for messages and dumps). */
const char *ast_node_kind_name(NodeKind kind);
const char *ast_literal_kind_name(LiteralKind kind);
const char *ast_type_kind_name(TypeKind kind);
const char *ast_compare_op_words(CompareOp op);
const char *ast_time_unit_word(TimeUnit unit);
const char *ast_section_keyword(SectionKind kind);

/* Constructors used by the grammar actions. */
Node *ast_node(NodeKind kind, Span span);
Literal *ast_literal(LiteralKind kind, Span span, const char *text);
Decl *ast_decl(DeclKind kind, Span span);

/* A growable array of pointers, for lists built by the grammar. */
typedef struct PtrList {
  void **items;
  int count, capacity;
} PtrList;
void ast_list_push(PtrList *list, void *item);

#endif
