" vim_test.vim - Vim with editors/vim: filetype, highlighting, indentation
" and ':make' with the mrsp compiler, as an author would see them.
"
" Run by vim_test.sh in Ex mode; reads $FIXTURES and $MRSPC, writes one line
" per check and "N passed, N failed" to $RESULTS, and exits non-zero (cquit)
" on any failure.
let s:results = []
let s:passed = 0
let s:failed = 0

function! s:Check(ok, what) abort
  call add(s:results, (a:ok ? 'ok - ' : 'FAIL - ') . a:what)
  if a:ok
    let s:passed += 1
  else
    let s:failed += 1
  endif
  return a:ok
endfunction

" The highlight group at the first match of pattern, shift characters in:
" [the syntax file's own group, the standard group it is linked to].
function! s:GroupAt(pattern, shift) abort
  call cursor(1, 1)
  let [line, col] = searchpos(a:pattern, 'cW')
  if line == 0
    return ['(no match)', '']
  endif
  let id = synID(line, col + a:shift, 1)
  return [synIDattr(id, 'name'), synIDattr(synIDtrans(id), 'name')]
endfunction

function! s:CheckGroup(pattern, shift, group, standard) abort
  let [own, linked] = s:GroupAt(a:pattern, a:shift)
  call s:Check(own ==# a:group && linked ==# a:standard,
        \ printf("'%s' is %s (%s), got %s (%s)", a:pattern, a:group, a:standard, own, linked))
endfunction

function! s:TestHighlighting() abort
  execute 'edit' fnameescape($FIXTURES . '/session.mrsp')
  call s:Check(&filetype ==# 'mrsp', 'a .mrsp file gets filetype mrsp (got ' . &filetype . ')')
  call s:Check(&commentstring ==# '# %s', "comments are '# '")
  call s:CheckGroup('^# A small', 0, 'mrspComment', 'Comment')
  call s:CheckGroup('"Language server session"', 3, 'mrspString', 'Constant')
  call s:CheckGroup('^criterion tumour', 0, 'mrspDeclaration', 'Statement')
  call s:CheckGroup('^criterion tumour', 10, 'mrspDefinition', 'Identifier')
  call s:CheckGroup('^exclude recent', 0, 'mrspRule', 'Statement')
  call s:CheckGroup('^exclude recent', 8, 'mrspDefinition', 'Identifier')
  call s:CheckGroup('^policy lsp_session', 7, 'mrspDefinition', 'Identifier')
  call s:CheckGroup('any < indication', 0, 'mrspGroup', 'Statement')
  call s:CheckGroup('any < indication', 4, 'mrspBracket', 'Special')
  call s:CheckGroup('within 3 months', 0, 'mrspOperator', 'Statement')
  call s:CheckGroup('within 3 months', 7, 'mrspNumber', 'Constant')
  call s:CheckGroup('within 3 months', 9, 'mrspUnit', 'Type')
  call s:CheckGroup('2025-08-28', 6, 'mrspDate', 'Constant')
  call s:CheckGroup('+0698T', 3, 'mrspCode', 'Constant')
  call s:CheckGroup('glioma_grading \[2\]', 16, 'mrspCitation', 'Special')
  call s:CheckGroup('inconclusive: true', 14, 'mrspBoolean', 'Constant')
  call s:CheckGroup('expect medically', 0, 'mrspTest', 'Statement')
  " names are not keywords, even when a keyword starts them
  call s:CheckGroup('indication in', 0, '', '')
  call s:CheckGroup('indication in', 11, 'mrspOperator', 'Statement')
  call s:CheckGroup('has glioma_grading', 4, '', '')
  call s:CheckGroup('\<all < conventional', 0, 'mrspGroup', 'Statement')
endfunction

" Re-indenting (gg=G) a policy written in the house layout changes no line;
" and the layout comes back from text with every indentation removed.
function! s:TestIndentation() abort
  for name in ['layout.mrsp', 'session.mrsp']
    execute 'edit!' fnameescape($FIXTURES . '/' . name)
    let before = getline(1, '$')
    normal! gg=G
    let changed = filter(range(len(before)), 'before[v:val] !=# getline(v:val + 1)')
    call s:Check(empty(changed), printf('gg=G keeps the layout of %s (%d lines changed%s)',
          \ name, len(changed), empty(changed) ? '' : ', first ' . (changed[0] + 1)))
  endfor
  execute 'edit!' fnameescape($FIXTURES . '/session.mrsp')
  let before = getline(1, '$')
  silent %s/^\s\+//e
  normal! gg=G
  let changed = filter(range(len(before)), 'before[v:val] !=# getline(v:val + 1)')
  call s:Check(empty(changed), printf('gg=G re-indents a flattened session.mrsp (%d lines differ%s)',
        \ len(changed), empty(changed) ? '' : ', first ' . (changed[0] + 1)))
  edit!
endfunction

" ':make' runs mrspc check; each error lands where mrspc says, also after
" a non-ASCII character, with the plain notes in its text.
function! s:TestMake() abort
  let file = $FIXTURES . '/errors.mrsp'
  execute 'edit!' fnameescape(file)
  call s:Check(&makeprg =~# 'check', "makeprg runs 'mrspc check' (" . &makeprg . ')')
  silent make!
  let entries = filter(getqflist(), 'v:val.valid')
  let expected = json_decode(system(shellescape($MRSPC) . ' check --format=json '
        \ . shellescape(file)))
  call s:Check(len(expected) == 5, 'mrspc check reports the 5 mistakes')
  let errors = filter(copy(entries), 'v:val.type ==# "E"')
  call s:Check(len(errors) == len(expected),
        \ printf(':make lists %d errors (mrspc check: %d)', len(errors), len(expected)))
  for i in range(min([len(errors), len(expected)]))
    let want = expected[i]
    let got = errors[i]
    call s:Check(got.lnum == want.line && got.col == want.column && got.vcol,
          \ printf('error %d is at %d:%d (got %d:%d)', i, want.line, want.column,
          \ got.lnum, got.col))
    call s:Check(stridx(got.text, want.message) == 0,
          \ printf('error %d says "%s"', i, want.message))
  endfor
  call s:Check(len(errors) > 0 && errors[0].text =~# "did you mean 'conventional_imaging_inconclusive'",
        \ "the 'did you mean' note is in the error's text")
  call s:Check(len(filter(copy(entries), 'v:val.type ==# "I"')) == 1,
        \ "the note 'declared here' is an entry of its own")
  " jump to the last error: the cursor lands on the name after 'Vérifier'
  execute 'cc' index(entries, errors[-1]) + 1
  call s:Check(strpart(getline('.'), col('.') - 1) =~# '^claustrofobia',
        \ 'after a non-ASCII character :cc lands on the mistake (' . string(strpart(getline('.'), col('.') - 1, 12)) . ')')
endfunction

try
  call s:TestHighlighting()
  call s:TestIndentation()
  call s:TestMake()
catch
  call s:Check(0, 'no Vim error: ' . v:exception . ' at ' . v:throwpoint)
endtry
call add(s:results, printf('%d passed, %d failed', s:passed, s:failed))
call writefile(s:results, $RESULTS)
if s:failed
  cquit
endif
qall!
