# Sources of the evaluator phases (case files, lowering, evaluation,
# explanations, batches, policy tests), added to mrspc_core.
#
# Case files are tokenized by simdjson behind a small C++ shim
# (src/case_json.cpp): bench/README.md has the measurements that chose it.
enable_language(CXX)
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
pkg_check_modules(SIMDJSON REQUIRED IMPORTED_TARGET simdjson)

set(MRSPC_EVALUATOR_SOURCES
  src/lower.c
  src/table.c
  src/decision_program.c
  src/case.c
  src/eval.c
  src/explain.c
  src/batch.c
  src/cmd_eval.c
  src/cmd_test.c
)
target_sources(mrspc_core PRIVATE ${MRSPC_EVALUATOR_SOURCES} src/case_json.cpp)
target_link_libraries(mrspc_core PUBLIC PkgConfig::SIMDJSON)
set_source_files_properties(${MRSPC_EVALUATOR_SOURCES}
  PROPERTIES COMPILE_OPTIONS "${MRSPC_WARNINGS}")
# -Wstrict-prototypes is for C only.
set_source_files_properties(src/case_json.cpp
  PROPERTIES COMPILE_OPTIONS "-Wall;-Wextra;-Werror;-Wshadow")
