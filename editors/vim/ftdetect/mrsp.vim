" ftdetect/mrsp.vim - .mrsp files are coverage policies for mrspc.
autocmd BufRead,BufNewFile *.mrsp setfiletype mrsp
