" compiler/mrsp.vim - ':make' runs 'mrspc check' on the current file.
"
" mrspc prints FILE:LINE:COL: error: MESSAGE, then the source line and a
" caret, then notes.  A note with its own place ('declared here') becomes an
" entry of its own; a plain note ('did you mean ...?') joins its error's
" message.  The column counts characters, as Vim's screen columns do.
" Set g:mrsp_mrspc to the executable if it is not on $PATH.
if exists('current_compiler')
  finish
endif
let current_compiler = 'mrsp'

if exists(':CompilerSet') != 2
  command -nargs=* CompilerSet setlocal <args>
endif

let s:mrspc = escape(get(g:, 'mrsp_mrspc', 'mrspc'), ' \|"')
execute 'CompilerSet makeprg=' . s:mrspc . '\ check\ --color=never\ %:S'
CompilerSet errorformat=
      \%E%f:%l:%v:\ error:\ %m,
      \%W%f:%l:%v:\ warning:\ %m,
      \%I%f:%l:%v:\ note:\ %m,
      \%-C%*\\s%*\\d\ \|%.%#,
      \%-C%*\\s\|%.%#,
      \%Cnote:\ %m,
      \%Emrspc:\ fatal\ error:\ %m,
      \%-G%.%#
