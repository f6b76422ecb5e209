" indent/mrsp.vim - indentation for mrsp coverage policies.
"
" The layout of the shipped policies, as rules:
"   - inside a group or set, an item lines up with the first item, the text
"     just after the open '<' or '{' (all < a;
"                                          b >);
"     when nothing follows the bracket, one level deeper than its line;
"   - a line starting with '>' or '}' goes back to its bracket's line;
"   - at the top level a declaration starts in column 0, and the lines that
"     continue it (its words, its '=' and condition) are one level in;
"   - the continuation lines of a string keep the indentation they have.
if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal indentexpr=MrspIndent(v:lnum)
setlocal indentkeys=0},0>,0#,!^F,o,O,e
setlocal nolisp nosmartindent autoindent

let b:undo_indent = 'setlocal indentexpr< indentkeys< lisp< smartindent< autoindent<'

if exists('*MrspIndent')
  finish
endif

let s:declaration = '^\s*\%(policy\|references\|use\|enum\|fact\|criterion\|applies\|refer\|'
      \ . 'investigational\|exclude\|require\|note\|test\)\>'

function! s:InStringOrComment(lnum, col) abort
  return synIDattr(synID(a:lnum, a:col, 0), 'name') =~# 'mrsp\%(String\|Comment\|Escape\)'
endfunction

" A declaration in column 0 is never inside a bracket: the search for an
" open bracket stops at the nearest one above, so it looks at one
" declaration, not the whole file.
let s:column_zero_declaration = '^\%(policy\|references\|use\|enum\|fact\|criterion\|'
      \ . 'applies\|refer\|investigational\|exclude\|require\|note\|test\)\>'

" The innermost bracket still open at the start of line lnum: [line, col],
" or [0, 0] at the top level.
function! s:OpenBracket(lnum) abort
  if getline(a:lnum) =~# s:column_zero_declaration
    return [0, 0]
  endif
  let save = getpos('.')
  call cursor(a:lnum, 1)
  let stop = search(s:column_zero_declaration, 'bnW')
  let skip = 's:InStringOrComment(line("."), col("."))'
  let found = searchpairpos('[<{[]', '', '[>}\]]', 'bnW', skip, stop)
  call setpos('.', save)
  return found
endfunction

" The last line before lnum that has code (not blank, not only a comment).
function! s:PreviousCode(lnum) abort
  let lnum = prevnonblank(a:lnum - 1)
  while lnum > 0 && getline(lnum) =~# '^\s*#'
    let lnum = prevnonblank(lnum - 1)
  endwhile
  return lnum
endfunction

function! s:TopLevel(lnum) abort
  if s:StartsDeclaration(a:lnum)
    return 0
  endif
  let previous = s:PreviousCode(a:lnum)
  if previous == 0
    return 0
  endif
  " the previous code line without its comment
  let code = substitute(getline(previous), '\s*#[^"]*$', '', '')
  return code =~# '[;}]\s*$' ? 0 : shiftwidth()
endfunction

" The indentation of the statement holding line lnum: the line itself
" inside a bracket; at the top level, the line where its declaration starts
" (the '{' of 'test t "words
"                       over lines" {' belongs to 'test').
function! s:StatementIndent(lnum) abort
  if s:OpenBracket(a:lnum)[0] > 0
    return indent(a:lnum)
  endif
  let lnum = a:lnum
  while lnum > 1 && !s:StartsDeclaration(lnum)
    let lnum -= 1
  endwhile
  return s:StartsDeclaration(lnum) ? indent(lnum) : indent(a:lnum)
endfunction

" Whether line lnum starts a declaration: its first word is a declaration
" keyword, and not a word of a string running over lines.
function! s:StartsDeclaration(lnum) abort
  return getline(a:lnum) =~# s:declaration
        \ && !s:InStringOrComment(a:lnum, indent(a:lnum) + 1)
endfunction

" In the policy block, a field's values that run over lines line up with
" its first value (lines  chip, commercial,
"                         medicare_advantage); -1 elsewhere.
function! s:PolicyFieldIndent(lnum, bracket) abort
  if getline(a:bracket) !~# '^\s*policy\s\+\h\w*\s*{\s*\%(#.*\)\=$'
    return -1
  endif
  let previous = s:PreviousCode(a:lnum)
  if previous <= a:bracket || getline(previous) !~# ',\s*$'
    return -1
  endif
  let entry = previous
  while entry - 1 > a:bracket && getline(s:PreviousCode(entry)) =~# ',\s*$'
    let entry = s:PreviousCode(entry)
  endwhile
  let value = matchend(getline(entry), '^\s*\h\w*\s\+')
  return value > 0 ? value : -1
endfunction

function! MrspIndent(lnum) abort
  " a line that starts inside a string continues the author's paragraph
  if getline(a:lnum) !~# '^"' && synIDattr(synID(a:lnum, 1, 0), 'name') =~# 'mrspString'
    return -1
  endif
  let [line, col] = s:OpenBracket(a:lnum)
  if line == 0
    return s:TopLevel(a:lnum)
  endif
  if getline(a:lnum) =~# '^\s*[>}\]]'
    return s:StatementIndent(line)
  endif
  let field = s:PolicyFieldIndent(a:lnum, line)
  if field >= 0
    return field
  endif
  let after = matchstrpos(getline(line), '\S', col)
  if after[1] >= 0 && after[0] !=# '#'
    return strdisplaywidth(strpart(getline(line), 0, after[1]))
  endif
  return s:StatementIndent(line) + shiftwidth()
endfunction
