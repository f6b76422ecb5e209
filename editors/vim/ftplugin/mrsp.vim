" ftplugin/mrsp.vim - settings for mrsp coverage policies.
"
" Comments start with '#'; '<' '>' bracket groups, so % jumps between them;
" ':make' runs 'mrspc check' on the file (compiler/mrsp.vim).
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

setlocal comments=:# commentstring=#\ %s
setlocal matchpairs+=<:>
setlocal iskeyword=@,48-57,_
setlocal shiftwidth=2 softtabstop=2 expandtab
compiler mrsp

let b:undo_ftplugin = 'setlocal comments< commentstring< matchpairs< iskeyword<'
      \ . ' shiftwidth< softtabstop< expandtab< makeprg< errorformat<'
