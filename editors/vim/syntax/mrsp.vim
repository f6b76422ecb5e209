" syntax/mrsp.vim - highlighting for mrsp coverage policies (mrspc).
"
" The words are those of the scanner, grammar/mrsp.l: every keyword is
" reserved and lower case.  Strings may span lines; '#' starts a comment.
" Names being defined (criteria, facts, enums, rules, tests, the policy)
" are highlighted as definitions; citations [2-4] stand out from numbers.
if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match
syn sync fromstart

syn keyword mrspDeclaration policy references use enum fact criterion test
syn keyword mrspRule        applies refer investigational exclude require note
syn keyword mrspGroup       all any not
syn keyword mrspOperator    at least most of in has is between and within before after
syn keyword mrspOperator    on or more less than to when
syn keyword mrspTest        expect missing notes rule
syn keyword mrspBoolean     true false
syn keyword mrspUnknown     unknown
syn keyword mrspUnit        day days week weeks month months year years
syn keyword mrspType        bool int date code set

" Definitions: the name after the keyword that introduces it.  An enum is
" declared at the start of a line ('fact f: enum E' only names one).
syn match mrspDefinition /\%(\<\%(criterion\|fact\|policy\|test\)\s\+\)\@<=\h\w*/
syn match mrspDefinition /\%(^\s*enum\s\+\)\@<=\h\w*/
" A rule's or note's name is followed by its words or '='; a name followed
" by ';' is a condition (exclude recent_imaging;).
syn match mrspDefinition
      \ /\%(\<\%(applies\|refer\|investigational\|exclude\|require\|note\)\s\+\)\@<=\h\w*\ze\_s*["=]/

syn match  mrspNumber   /\<\d\+\>/
syn match  mrspDate     /\<\d\{4}-\d\{2}\%(-\d\{2}\)\?\>/
syn match  mrspCode     /+\?\<\d\+\a\w*\>/
syn match  mrspCitation /\[\s*\d\+\%(\s*-\s*\d\+\)\?\%(\s*,\s*\d\+\%(\s*-\s*\d\+\)\?\)*\s*\]/
syn match  mrspBracket  /[<>{}]/
syn match  mrspDelimiter /[;,:=]/

syn match  mrspEscape   /\\[\\"nt]/ contained
syn match  mrspBadEscape /\\[^\\"nt]/ contained
syn region mrspString   start=/"/ skip=/\\\\\|\\"/ end=/"/ contains=mrspEscape,mrspBadEscape,@Spell

syn keyword mrspTodo    TODO FIXME XXX NOTE contained
syn match  mrspComment  /#.*$/ contains=mrspTodo,@Spell

hi def link mrspDeclaration Keyword
hi def link mrspRule        Statement
hi def link mrspGroup       Conditional
hi def link mrspOperator    Operator
hi def link mrspTest        Keyword
hi def link mrspBoolean     Boolean
hi def link mrspUnknown     Constant
hi def link mrspUnit        Type
hi def link mrspType        Type
hi def link mrspDefinition  Function
hi def link mrspNumber      Number
hi def link mrspDate        Constant
hi def link mrspCode        Constant
hi def link mrspCitation    Special
hi def link mrspBracket     Delimiter
hi def link mrspDelimiter   Delimiter
hi def link mrspEscape      SpecialChar
hi def link mrspBadEscape   Error
hi def link mrspString      String
hi def link mrspTodo        Todo
hi def link mrspComment     Comment

let b:current_syntax = 'mrsp'

let &cpo = s:cpo_save
unlet s:cpo_save
