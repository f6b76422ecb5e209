/* mrsp.y - the grammar of .mrsp files: tokens to declarations.
 *
 * Takes the token stream of grammar/mrsp.l and appends one Decl per
 * top-level declaration to the LexState's list.  Actions only build the
 * syntax tree (ast.h); names are resolved and types checked later, in
 * check.c.  The grammar is LALR(1) with no conflicts (%expect 0).
 *
 * '<' and '>' only ever bracket groups (all < a; b >); comparisons are
 * worded (age_years at least 18, request_date before 2026-01-01), so the
 * two uses never meet.
 */

%code top {
/* One parser in the program, but its entry point gets the scanner's prefix. */
#define yyparse mrsp_parse
}

%code requires {
#include "ast.h"
#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif
}

%code provides {
int mrsp_lex(YYSTYPE *value, YYLTYPE *location, yyscan_t scanner);
}

%code {
#include <gc.h>
#include <string.h>

#include "diag.h"
#include "lexstate.h"

/* Past its initial depth bison moves its stacks to YYMALLOC; they hold the
 * only pointers to half-built nodes, so the collector must scan them. */
#define YYMALLOC GC_MALLOC
#define YYFREE GC_FREE
/* Legitimate policies nest a few levels; 2000 stack entries is far more than
 * any needs, and bounds the depth of every tree the parser can build. */
#define YYMAXDEPTH 2000

#define yylex mrsp_lex
LexState *mrsp_get_extra(yyscan_t scanner);
#define STATE (mrsp_get_extra(scanner))

/* A nonterminal spans from its first symbol to its last; an empty one is
 * an empty range where the previous symbol ended. */
#define YYLLOC_DEFAULT(Current, Rhs, N)                         \
  do {                                                          \
    if (N) {                                                    \
      (Current).file = YYRHSLOC(Rhs, 1).file;                   \
      (Current).begin = YYRHSLOC(Rhs, 1).begin;                 \
      (Current).end = YYRHSLOC(Rhs, N).end;                     \
    } else {                                                    \
      (Current).file = YYRHSLOC(Rhs, 0).file;                   \
      (Current).begin = (Current).end = YYRHSLOC(Rhs, 0).end;   \
    }                                                           \
  } while (0)

static void yyerror(YYLTYPE *location, yyscan_t scanner, const char *message);
static Name name_of(char *text, Span span);
static void **array_of(PtrList list);
static Node *group_node(NodeKind kind, Span span, PtrList items);
static Node *condition(NodeKind kind, Span span, char *subject, Span subject_span);
static Literal *set_literal(Span span, PtrList items);
static Literal *range_literal(Span span, Literal *low, Literal *high);
static Literal *word_literal(LiteralKind kind, Span span, const char *text);
static Decl *section_decl(SectionKind kind, Span span, Section *head, Node *body);
static void add_decl(yyscan_t scanner, Decl *decl);
static Expectation *keyword_decision(const char *name, Span span);
}

/* Pure (reentrant) parser: no globals, so the language server can parse
 * many documents in one process. */
%define api.pure full
/* Every node records its source range; a Span is a byte range. */
%locations
%define api.location.type {Span}
/* Each token and nonterminal declares its own C type. */
%define api.value.type union
/* Syntax errors are worded by yyreport_syntax_error below, not by bison. */
%define parse.error custom
/* Look-ahead correction, so the list of expected tokens is exact. */
%define parse.lac full
/* The grammar has no conflicts; any new one is a build failure. */
%expect 0

%param {yyscan_t scanner}

%initial-action {
  @$.file = STATE->file;
  @$.begin = @$.end = 0;
}

%token YYEOF 0 "end of file"
%token <char *> IDENT "name"
%token <char *> STRING "string"
%token <Literal *> INT "number"
%token <Literal *> DATE "date"
%token <Literal *> CODE "code"
%token <TimeUnit> TK_UNIT "time unit"

%token TK_POLICY "'policy'"
%token TK_REFERENCES "'references'"
%token TK_USE "'use'"
%token TK_ENUM "'enum'"
%token TK_FACT "'fact'"
%token TK_CRITERION "'criterion'"
%token TK_APPLIES "'applies'"
%token TK_REFER "'refer'"
%token TK_INVESTIGATIONAL "'investigational'"
%token TK_EXCLUDE "'exclude'"
%token TK_REQUIRE "'require'"
%token TK_NOTE "'note'"
%token TK_WHEN "'when'"
%token TK_TO "'to'"
%token TK_TEST "'test'"
%token TK_EXPECT "'expect'"
%token TK_MISSING "'missing'"
%token TK_NOTES "'notes'"
%token TK_RULE "'rule'"
%token TK_ALL "'all'"
%token TK_ANY "'any'"
%token TK_NOT "'not'"
%token TK_AT "'at'"
%token TK_LEAST "'least'"
%token TK_MOST "'most'"
%token TK_OF "'of'"
%token TK_IN "'in'"
%token TK_HAS "'has'"
%token TK_IS "'is'"
%token TK_BETWEEN "'between'"
%token TK_AND "'and'"
%token TK_WITHIN "'within'"
%token TK_BEFORE "'before'"
%token TK_AFTER "'after'"
%token TK_ON "'on'"
%token TK_OR "'or'"
%token TK_MORE "'more'"
%token TK_LESS "'less'"
%token TK_THAN "'than'"
%token TK_SET "'set'"
%token TK_TRUE "'true'"
%token TK_FALSE "'false'"
%token TK_UNKNOWN "'unknown'"

/* One choice made by precedence rather than by the grammar's shape: in a
 * group with a ';' missing, "a at least 18" is still read as a comparison,
 * not as the item "a" followed by "at least N of < ... >". */
%precedence NAME_ALONE
%precedence TK_AT

%type <Decl *> decl policy_decl references_decl use_decl enum_decl fact_decl
%type <Decl *> criterion_decl section_decl test_decl
%type <PtrList> meta_entries meta_values reference_entries enum_members
%type <PtrList> group_items item_list set_members name_list names test_items
%type <MetaEntry *> meta_entry
%type <Literal *> meta_value atom signed_code set_member set_literal test_value
%type <Reference *> reference_entry
%type <EnumMember *> enum_member
%type <FactDecl *> fact_type
%type <Literal *> opt_int_range
%type <char *> opt_doc
%type <CiteList> opt_cites cites
%type <PtrList> cite_list
%type <Cite *> cite
%type <Section *> rule_head
%type <SectionKind> section_keyword
%type <Node *> expr group item condition opt_when body
%type <Literal *> operand
%type <CompareOp> compare_op
%type <TestDecl *> test_body
%type <TestFact *> test_fact
%type <Expectation *> expectation

%%

file:
  %empty
| file decl                     { if ($2) add_decl(scanner, $2); }
;

decl:
  policy_decl
| references_decl
| use_decl
| enum_decl
| fact_decl
| criterion_decl
| section_decl
| test_decl
| error ';'                     { $$ = NULL; yyerrok; }
| error '}'                     { $$ = NULL; yyerrok; }
;

/* policy_decl -> "policy" name "{" meta_entry* "}" */
policy_decl:
  TK_POLICY IDENT '{' meta_entries '}' {
    $$ = ast_decl(DECL_POLICY, @$);
    PolicyDecl *policy = GC_NEW(PolicyDecl);
    policy->name = name_of($2, @2);
    policy->entries = (MetaEntry **)array_of($4);
    policy->count = $4.count;
    policy->span = @$;
    $$->as.policy = policy;
  }
;

meta_entries:
  %empty                        { memset(&$$, 0, sizeof $$); }
| meta_entries meta_entry       { $$ = $1; ast_list_push(&$$, $2); }
;

/* meta_entry -> name value ("," value)* [cites] [";"] */
meta_entry:
  IDENT meta_values opt_cites opt_semicolon {
    $$ = GC_NEW(MetaEntry);
    $$->key = name_of($1, @1);
    $$->values = (Literal **)array_of($2);
    $$->count = $2.count;
    $$->cites = $3;
    $$->span = @$;
  }
;

opt_semicolon: %empty | ';' ;

meta_values:
  meta_value                    { memset(&$$, 0, sizeof $$); ast_list_push(&$$, $1); }
| meta_values ',' meta_value    { $$ = $1; ast_list_push(&$$, $3); }
;

meta_value:
  set_member
| STRING                        { $$ = word_literal(LIT_STRING, @1, $1); }
;

/* references_decl -> "references" "{" (number ":" string [";"])* "}" */
references_decl:
  TK_REFERENCES '{' reference_entries '}' {
    $$ = ast_decl(DECL_REFERENCES, @$);
    $$->as.references.items = (Reference **)array_of($3);
    $$->as.references.count = $3.count;
  }
;

reference_entries:
  %empty                           { memset(&$$, 0, sizeof $$); }
| reference_entries reference_entry { $$ = $1; ast_list_push(&$$, $2); }
;

reference_entry:
  INT ':' STRING opt_semicolon {
    $$ = GC_NEW(Reference);
    $$->number = (int)$1->number;
    $$->text = $3;
    $$->span = @$;
  }
;

/* use_decl -> "use" (name | string) ";" */
use_decl:
  TK_USE IDENT ';'  {
    $$ = ast_decl(DECL_USE, @$);
    $$->as.use = GC_NEW(UseDecl);
    $$->as.use->path = $2;
    $$->as.use->span = @2;
    $$->as.use->module = -1;
  }
| TK_USE STRING ';' {
    $$ = ast_decl(DECL_USE, @$);
    $$->as.use = GC_NEW(UseDecl);
    $$->as.use->path = $2;
    $$->as.use->quoted = true;
    $$->as.use->span = @2;
    $$->as.use->module = -1;
  }
;

/* enum_decl -> "enum" name [string] "{" member ("," member)* [","] "}" */
enum_decl:
  TK_ENUM IDENT opt_doc '{' enum_members opt_comma '}' {
    $$ = ast_decl(DECL_ENUM, @$);
    EnumDecl *enumeration = GC_NEW(EnumDecl);
    enumeration->name = name_of($2, @2);
    enumeration->doc = $3;
    enumeration->members = (EnumMember **)array_of($5);
    enumeration->count = $5.count;
    enumeration->span = @$;
    $$->as.enumeration = enumeration;
  }
;

enum_members:
  enum_member                   { memset(&$$, 0, sizeof $$); ast_list_push(&$$, $1); }
| enum_members ',' enum_member  { $$ = $1; ast_list_push(&$$, $3); }
;

enum_member:
  IDENT opt_doc {
    $$ = GC_NEW(EnumMember);
    $$->name = name_of($1, @1);
    $$->doc = $2;
    $$->doc_span = @2;
  }
;

opt_comma: %empty | ',' ;

/* fact_decl -> "fact" name ":" type [string] ";"
 * type      -> name [number "to" number] | "set" "of" name | "enum" name */
fact_decl:
  TK_FACT IDENT ':' fact_type opt_doc ';' {
    $$ = ast_decl(DECL_FACT, @$);
    $4->name = name_of($2, @2);
    $4->doc = $5;
    $4->span = @$;
    $$->as.fact = $4;
  }
;

fact_type:
  IDENT opt_int_range {
    $$ = GC_NEW(FactDecl);
    $$->type_name = name_of($1, @1);
    $$->range = $2;
  }
| TK_SET TK_OF IDENT {
    $$ = GC_NEW(FactDecl);
    $$->type_name = name_of($3, @3);
    $$->is_set = true;
  }
| TK_ENUM IDENT {
    $$ = GC_NEW(FactDecl);
    $$->type_name = name_of($2, @2);
  }
;

opt_int_range:
  %empty                        { $$ = NULL; }
| INT TK_TO INT                 { $$ = range_literal(@$, $1, $3); }
;

/* criterion_decl -> "criterion" name [string] [cites] "=" expr ";" */
criterion_decl:
  TK_CRITERION IDENT opt_doc opt_cites '=' body ';' {
    $$ = ast_decl(DECL_CRITERION, @$);
    Criterion *criterion = GC_NEW(Criterion);
    criterion->name = name_of($2, @2);
    criterion->doc = $3;
    criterion->doc_span = @3;
    criterion->cites = $4;
    criterion->body = $6;
    criterion->span = @$;
    $$->as.criterion = criterion;
  }
;

/* section_decl -> keyword [name] [string] [cites] "=" expr ";"
 *               | keyword expr ";"
 *               | "refer" [name] [string] [cites] "to" string "=" expr ";"
 *               | "note" [name] string [cites] ["when" expr] ";" */
section_decl:
  section_keyword rule_head '=' body ';' {
    $$ = section_decl($1, @$, $2, $4);
  }
| section_keyword body ';' {
    $$ = section_decl($1, @$, GC_NEW(Section), $2);
  }
| TK_REFER rule_head TK_TO STRING '=' body ';' {
    $2->target = $4;
    $2->target_span = @4;
    $$ = section_decl(SEC_REFER, @$, $2, $6);
  }
| TK_NOTE IDENT STRING opt_cites opt_when ';' {
    Section *head = GC_NEW(Section);
    head->name = name_of($2, @2);
    head->doc = $3;
    head->doc_span = @3;
    head->cites = $4;
    $$ = section_decl(SEC_NOTE, @$, head, $5);
  }
| TK_NOTE STRING opt_cites opt_when ';' {
    Section *head = GC_NEW(Section);
    head->doc = $2;
    head->doc_span = @2;
    head->cites = $3;
    $$ = section_decl(SEC_NOTE, @$, head, $4);
  }
;

section_keyword:
  TK_APPLIES                    { $$ = SEC_APPLIES; }
| TK_INVESTIGATIONAL            { $$ = SEC_INVESTIGATIONAL; }
| TK_EXCLUDE                    { $$ = SEC_EXCLUDE; }
| TK_REQUIRE                    { $$ = SEC_REQUIRE; }
;

/* rule_head -> [name [string [cites]]] | string [cites] | cites
 * A name is followed by a string or by '=': that is how it differs from a
 * condition naming a criterion ('exclude recent;' or 'exclude recent [9];'). */
rule_head:
  %empty                        { $$ = GC_NEW(Section); }
| IDENT {
    $$ = GC_NEW(Section);
    $$->name = name_of($1, @1);
  }
| IDENT STRING opt_cites {
    $$ = GC_NEW(Section);
    $$->name = name_of($1, @1);
    $$->doc = $2;
    $$->doc_span = @2;
    $$->cites = $3;
  }
| STRING opt_cites {
    $$ = GC_NEW(Section);
    $$->doc = $1;
    $$->doc_span = @1;
    $$->cites = $2;
  }
| cites {
    $$ = GC_NEW(Section);
    $$->cites = $1;
  }
;

opt_when:
  %empty                        { $$ = NULL; }
| TK_WHEN body                  { $$ = $2; }
;

/* body -> expr [cites]: a rule's condition, with the citations for it */
body:
  expr opt_cites                { $$ = $1; $$->cites = $2; }
;

opt_doc:
  %empty                        { $$ = NULL; }
| STRING                        { $$ = $1; }
;

/* cites -> "[" cite ("," cite)* "]";  cite -> number ["-" number] */
opt_cites:
  %empty                        { memset(&$$, 0, sizeof $$); }
| cites
;

cites:
  '[' cite_list ']' {
    $$.items = (Cite **)array_of($2);
    $$.count = $2.count;
  }
;

cite_list:
  cite                          { memset(&$$, 0, sizeof $$); ast_list_push(&$$, $1); }
| cite_list ',' cite            { $$ = $1; ast_list_push(&$$, $3); }
;

cite:
  INT {
    $$ = GC_NEW(Cite);
    $$->first = $$->last = (int)$1->number;
    $$->span = @$;
  }
| INT '-' INT {
    $$ = GC_NEW(Cite);
    $$->first = (int)$1->number;
    $$->last = (int)$3->number;
    $$->span = @$;
  }
;

/* expr -> group | "not" expr | condition */
expr:
  group
| TK_NOT expr {
    $$ = ast_node(ND_NOT, @$);
    $$->operand = $2;
  }
| condition
;

/* group -> "all" "<" items ">" | "any" "<" items ">"
 *        | "at" "least" number "of" "<" items ">" */
group:
  TK_ALL '<' group_items '>'    { $$ = group_node(ND_ALL, @$, $3); }
| TK_ANY '<' group_items '>'    { $$ = group_node(ND_ANY, @$, $3); }
| TK_AT TK_LEAST INT TK_OF '<' group_items '>' {
    $$ = group_node(ND_AT_LEAST, @$, $6);
    $$->at_least = (int)$3->number;
    $$->at_least_span = @3;
  }
;

/* items -> item (";" item)* [";"] */
group_items:
  item_list
| item_list ';'
;

item_list:
  item                          { memset(&$$, 0, sizeof $$); if ($1) ast_list_push(&$$, $1); }
| item_list ';' item            { $$ = $1; if ($3) ast_list_push(&$$, $3); }
/* Two items side by side: a ';' is missing.  Said once, and the group is
 * read as if it were there, so the rest of it is not misreported. */
| item_list item {
    $$ = $1;
    if ($2) {
      ast_list_push(&$$, $2);
      parse_report_missing_separator(STATE, @2);
    }
  }
;

/* item -> [string] expr [cites] */
item:
  expr opt_cites                { $$ = $1; $$->cites = $2; }
| STRING expr opt_cites {
    $$ = $2;
    $$->doc = $1;
    $$->doc_span = @1;
    $$->cites = $3;
  }
| error                         { $$ = NULL; }
;

/* condition -> name                       (a bool fact or a criterion)
 *            | name "is" operand | name "in" set
 *            | name "has" member | name "has" ("any" | "all") set
 *            | name compare_op operand | name "between" operand "and" operand
 *            | name "within" number unit ("before" | "after") operand
 *            | "true" | "false" */
condition:
  IDENT %prec NAME_ALONE         { $$ = condition(ND_REF, @$, $1, @1); }
| IDENT TK_IS operand {
    $$ = condition(ND_IS, @$, $1, @1);
    $$->rhs.literal = $3;
  }
| IDENT TK_IN set_literal {
    $$ = condition(ND_IN, @$, $1, @1);
    $$->set = $3;
  }
| IDENT TK_HAS atom {
    $$ = condition(ND_HAS, @$, $1, @1);
    $$->rhs.literal = $3;
  }
| IDENT TK_HAS TK_ANY set_literal {
    $$ = condition(ND_HAS_ANY, @$, $1, @1);
    $$->set = $4;
  }
| IDENT TK_HAS TK_ALL set_literal {
    $$ = condition(ND_HAS_ALL, @$, $1, @1);
    $$->set = $4;
  }
| IDENT compare_op operand {
    $$ = condition(ND_COMPARE, @$, $1, @1);
    $$->compare = $2;
    $$->rhs.literal = $3;
  }
| IDENT TK_BETWEEN operand TK_AND operand {
    $$ = condition(ND_BETWEEN, @$, $1, @1);
    $$->rhs.literal = $3;
    $$->high.literal = $5;
  }
| IDENT TK_WITHIN INT TK_UNIT TK_BEFORE operand {
    $$ = condition(ND_WITHIN, @$, $1, @1);
    $$->amount = (int)$3->number;
    $$->unit = $4;
    $$->rhs.literal = $6;
  }
| IDENT TK_WITHIN INT TK_UNIT TK_AFTER operand {
    $$ = condition(ND_WITHIN, @$, $1, @1);
    $$->amount = (int)$3->number;
    $$->unit = $4;
    $$->after = true;
    $$->rhs.literal = $6;
  }
| TK_TRUE                       { $$ = ast_node(ND_CONST, @$); $$->value = true; }
| TK_FALSE                      { $$ = ast_node(ND_CONST, @$); $$->value = false; }
;

compare_op:
  TK_AT TK_LEAST                { $$ = CMP_AT_LEAST; }
| TK_AT TK_MOST                 { $$ = CMP_AT_MOST; }
| TK_MORE TK_THAN               { $$ = CMP_MORE_THAN; }
| TK_LESS TK_THAN               { $$ = CMP_LESS_THAN; }
| TK_BEFORE                     { $$ = CMP_BEFORE; }
| TK_AFTER                      { $$ = CMP_AFTER; }
| TK_ON TK_OR TK_BEFORE         { $$ = CMP_ON_OR_BEFORE; }
| TK_ON TK_OR TK_AFTER          { $$ = CMP_ON_OR_AFTER; }
;

operand:
  atom
| TK_TRUE                       { $$ = word_literal(LIT_BOOL, @1, "true"); $$->number = 1; }
| TK_FALSE                      { $$ = word_literal(LIT_BOOL, @1, "false"); }
;

/* set -> "{" [member ("," member)* [","]] "}";  member -> atom ["to" atom] */
set_literal:
  '{' '}'                       { PtrList none = {0}; $$ = set_literal(@$, none); }
| '{' set_members opt_comma '}' { $$ = set_literal(@$, $2); }
;

set_members:
  set_member                    { memset(&$$, 0, sizeof $$); ast_list_push(&$$, $1); }
| set_members ',' set_member    { $$ = $1; ast_list_push(&$$, $3); }
;

set_member:
  atom
| atom TK_TO atom               { $$ = range_literal(@$, $1, $3); }
;

atom:
  INT
| DATE
| IDENT                         { $$ = word_literal(LIT_NAME, @1, $1); }
| signed_code
;

signed_code:
  CODE
| '+' CODE                      { $$ = $2; $$->add_on = true; $$->span = @$; }
| '+' INT                       { $$ = $2; $$->kind = LIT_CODE; $$->add_on = true; $$->span = @$; }
| '+' IDENT {
    /* an add-on HCPCS Level II code such as +G0123 */
    $$ = word_literal(LIT_CODE, @$, $2);
    $$->add_on = true;
  }
;

/* test_decl -> "test" name [string] "{" (fact ":" value ";" | "expect" ...)* "}" */
test_decl:
  TK_TEST IDENT opt_doc '{' test_body '}' {
    $$ = ast_decl(DECL_TEST, @$);
    $5->name = name_of($2, @2);
    $5->doc = $3;
    $5->span = @$;
    $$->as.test = $5;
  }
;

test_body:
  test_items {
    $$ = GC_NEW(TestDecl);
    PtrList facts = {0}, expects = {0};
    for (int i = 0; i < $1.count; i++) {
      Decl *wrapper = $1.items[i];
      if (wrapper->kind == DECL_FACT)
        ast_list_push(&facts, wrapper->as.fact);
      else
        ast_list_push(&expects, wrapper->as.test);
    }
    $$->facts = (TestFact **)array_of(facts);
    $$->nfacts = facts.count;
    $$->expects = (Expectation **)array_of(expects);
    $$->nexpects = expects.count;
  }
;

test_items:
  %empty                        { memset(&$$, 0, sizeof $$); }
| test_items test_fact ';' {
    $$ = $1;
    Decl *wrapper = ast_decl(DECL_FACT, @2);
    wrapper->as.fact = (FactDecl *)$2;
    ast_list_push(&$$, wrapper);
  }
| test_items TK_EXPECT expectation ';' {
    $$ = $1;
    Decl *wrapper = ast_decl(DECL_TEST, @3);
    wrapper->as.test = (TestDecl *)$3;
    ast_list_push(&$$, wrapper);
  }
| test_items error ';'          { $$ = $1; yyerrok; }
;

test_fact:
  IDENT ':' test_value {
    $$ = GC_NEW(TestFact);
    $$->name = name_of($1, @1);
    $$->value = $3;
    $$->span = @$;
  }
;

test_value:
  operand
| TK_UNKNOWN                    { $$ = word_literal(LIT_UNKNOWN, @1, "unknown"); }
| set_literal
;

expectation:
  IDENT {
    $$ = GC_NEW(Expectation);
    $$->kind = EXPECT_DECISION;
    $$->decision = name_of($1, @1);
    $$->span = @$;
  }
| TK_REFER                      { $$ = keyword_decision("refer", @1); }
| TK_INVESTIGATIONAL            { $$ = keyword_decision("investigational", @1); }
| TK_MISSING '{' name_list '}' {
    $$ = GC_NEW(Expectation);
    $$->kind = EXPECT_MISSING;
    $$->names = (Name **)array_of($3);
    $$->count = $3.count;
    $$->span = @$;
  }
| TK_NOTES '{' name_list '}' {
    $$ = GC_NEW(Expectation);
    $$->kind = EXPECT_NOTES;
    $$->names = (Name **)array_of($3);
    $$->count = $3.count;
    $$->span = @$;
  }
| TK_RULE IDENT {
    $$ = GC_NEW(Expectation);
    $$->kind = EXPECT_RULE;
    $$->decision = name_of($2, @2);
    $$->span = @$;
  }
;

name_list:
  %empty                        { memset(&$$, 0, sizeof $$); }
| names
;

names:
  IDENT {
    memset(&$$, 0, sizeof $$);
    Name *name = GC_NEW(Name);
    *name = name_of($1, @1);
    ast_list_push(&$$, name);
  }
| names ',' IDENT {
    $$ = $1;
    Name *name = GC_NEW(Name);
    *name = name_of($3, @3);
    ast_list_push(&$$, name);
  }
;

%%

static void yyerror(YYLTYPE *location, yyscan_t scanner, const char *message) {
  LexState *state = STATE;
  if (state->stop)
    return;
  state->syntax_errors++;
  if (strcmp(message, "memory exhausted") == 0) {
    Diagnostic *d = diag_error(*location, "the policy is nested too deeply here");
    diag_note_plain(d, "mrspc stops reading the file here; name inner parts as "
                       "criteria to flatten the policy");
    state->stop = true;
    return;
  }
  diag_error(*location, "%s", message);
}

static int yyreport_syntax_error(const yypcontext_t *context, yyscan_t scanner) {
  LexState *state = STATE;
  if (state->stop)
    return 0;
  state->syntax_errors++;
  enum { MAX_EXPECTED = 64 };
  yysymbol_kind_t expected[MAX_EXPECTED];
  int count = yypcontext_expected_tokens(context, expected, MAX_EXPECTED);
  if (count < 0)
    count = 0;
  const char *names[MAX_EXPECTED];
  for (int i = 0; i < count; i++)
    names[i] = yysymbol_name(expected[i]);
  yysymbol_kind_t found = yypcontext_token(context);
  parse_report_syntax_error(state, *yypcontext_location(context),
                            yysymbol_name(found), names, count);
  return 0;
}

static Name name_of(char *text, Span span) {
  Name name = {text, span};
  return name;
}

static void **array_of(PtrList list) {
  return list.items;
}

static Node *group_node(NodeKind kind, Span span, PtrList items) {
  Node *node = ast_node(kind, span);
  node->items = (Node **)array_of(items);
  node->count = items.count;
  return node;
}

static Node *condition(NodeKind kind, Span span, char *subject, Span subject_span) {
  Node *node = ast_node(kind, span);
  node->subject = name_of(subject, subject_span);
  return node;
}

static Literal *set_literal(Span span, PtrList items) {
  Literal *set = ast_literal(LIT_SET, span, NULL);
  set->items = (Literal **)array_of(items);
  set->count = items.count;
  return set;
}

static Literal *range_literal(Span span, Literal *low, Literal *high) {
  Literal *range = ast_literal(LIT_RANGE, span, NULL);
  range->items = GC_MALLOC(2 * sizeof *range->items);
  range->items[0] = low;
  range->items[1] = high;
  range->count = 2;
  return range;
}

static Literal *word_literal(LiteralKind kind, Span span, const char *text) {
  return ast_literal(kind, span, text);
}

static Decl *section_decl(SectionKind kind, Span span, Section *head, Node *body) {
  Decl *decl = ast_decl(DECL_SECTION, span);
  head->kind = kind;
  head->condition = body;
  head->span = span;
  decl->as.section = head;
  return decl;
}

/* 'refer' and 'investigational' are keywords and also decisions' names. */
static Expectation *keyword_decision(const char *name, Span span) {
  Expectation *expect = GC_NEW(Expectation);
  expect->kind = EXPECT_DECISION;
  expect->decision = name_of((char *)name, span);
  expect->span = span;
  return expect;
}

static void add_decl(yyscan_t scanner, Decl *decl) {
  ast_list_push(&STATE->decls, decl);
}
