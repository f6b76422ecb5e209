# The language server (src/lsp.c: 'mrspc lsp'), added to mrspc_core.  It
# uses only the front end and jansson, both already linked there.
target_sources(mrspc_core PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src/lsp.c)
set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/src/lsp.c
  PROPERTIES COMPILE_OPTIONS "${MRSPC_WARNINGS}")
