# The language server (src/lsp.c: 'mrspc lsp'), added to mrspc_core.  It
# uses only the front end and jansson, both already linked there.
set(MRSPC_LSP_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/src/lsp_transport.c
  ${CMAKE_CURRENT_SOURCE_DIR}/src/lsp.c
  ${CMAKE_CURRENT_SOURCE_DIR}/src/lsp_query.c
  ${CMAKE_CURRENT_SOURCE_DIR}/src/lsp_complete.c
)
target_sources(mrspc_core PRIVATE ${MRSPC_LSP_SOURCES})
set_source_files_properties(${MRSPC_LSP_SOURCES}
  PROPERTIES COMPILE_OPTIONS "${MRSPC_WARNINGS}")
