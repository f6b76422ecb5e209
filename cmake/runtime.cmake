# The embeddable runtime (include/mrsp_runtime.h, src/runtime/) and
# `mrspc emit-c`.
#
# mrsp_runtime is a C99 static library with no dependency: mrspc's own
# evaluator links it (src/eval.c), and so does a host program with a policy
# emitted as C tables.  It is installed with its header and a pkg-config
# file, mrsp-runtime.pc.
set(MRSP_RUNTIME_SOURCES
  src/runtime/calendar.c
  src/runtime/case.c
  src/runtime/decide.c
  src/runtime/names.c
  src/runtime/nodes.c
)
add_library(mrsp_runtime STATIC ${MRSP_RUNTIME_SOURCES})
target_include_directories(mrsp_runtime PUBLIC
  $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
set_target_properties(mrsp_runtime PROPERTIES
  C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF
  POSITION_INDEPENDENT_CODE ON
  PUBLIC_HEADER include/mrsp_runtime.h)
target_compile_options(mrsp_runtime PRIVATE ${MRSPC_WARNINGS} -pedantic)

target_link_libraries(mrspc_core PUBLIC mrsp_runtime)
set(MRSPC_EMIT_SOURCES src/emit_c.c src/cmd_emit.c)
target_sources(mrspc_core PRIVATE ${MRSPC_EMIT_SOURCES})
set_source_files_properties(${MRSPC_EMIT_SOURCES} PROPERTIES COMPILE_OPTIONS "${MRSPC_WARNINGS}")

install(TARGETS mrsp_runtime
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# pkg-config: `cc host.c policy.c $(pkg-config --cflags --libs mrsp-runtime)`.
# The prefix is found from the file's own place, so `cmake --install
# --prefix DIR` anywhere gives a working file.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(MRSP_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH MRSP_PC_UP "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
  set(MRSP_PC_PREFIX "\${pcfiledir}/${MRSP_PC_UP}")
endif()
file(CONFIGURE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/mrsp-runtime.pc CONTENT [[
prefix=@MRSP_PC_PREFIX@
includedir=${prefix}/@CMAKE_INSTALL_INCLUDEDIR@
libdir=${prefix}/@CMAKE_INSTALL_LIBDIR@

Name: mrsp-runtime
Description: Evaluates mrspc policies emitted as C tables (mrspc emit-c)
Version: @PROJECT_VERSION@
Cflags: -I${includedir}
Libs: -L${libdir} -lmrsp_runtime
]] @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/mrsp-runtime.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# ---- policies emitted at build time ---------------------------------------
file(GLOB MRSP_STDLIB_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/stdlib/*.mrsp)
file(GLOB MRSP_POLICY_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/policies/*.mrsp)

# mrsp_emit_policy(POLICY PREFIX DIR): DIR/PREFIX.c and DIR/PREFIX.h, the
# policy's tables written by the mrspc built here, when it or the policy
# changes.  A target using them must be declared in the same directory.
function(mrsp_emit_policy policy prefix dir)
  add_custom_command(
    OUTPUT ${dir}/${prefix}.c ${dir}/${prefix}.h
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND mrspc emit-c ${policy} --prefix ${prefix}
            -o ${dir}/${prefix}.c --header ${dir}/${prefix}.h
    DEPENDS mrspc ${policy} ${MRSP_STDLIB_FILES}
    COMMENT "Emitting ${prefix} as C tables"
    VERBATIM)
endfunction()

# The example host (examples/embed/): C99 with every warning, as a host
# would build it; run by the tests.
set(MRSP_EMBED_DIR ${CMAKE_CURRENT_BINARY_DIR}/examples/embed)
mrsp_emit_policy(${CMAKE_CURRENT_SOURCE_DIR}/policies/cohere.mrsp cohere ${MRSP_EMBED_DIR})
add_executable(embed_example examples/embed/main.c ${MRSP_EMBED_DIR}/cohere.c)
target_include_directories(embed_example PRIVATE ${MRSP_EMBED_DIR})
target_link_libraries(embed_example PRIVATE mrsp_runtime)
set_target_properties(embed_example PROPERTIES C_STANDARD 99 C_EXTENSIONS OFF)
target_compile_options(embed_example PRIVATE -Wall -Wextra -Werror -pedantic)

# The benchmark (bench/runtime/run.sh builds it): every policy emitted,
# named in policies.inc, with the interpreter linked in to compare.
set(MRSP_BENCH_DIR ${CMAKE_CURRENT_BINARY_DIR}/bench-runtime)
set(MRSP_BENCH_SOURCES bench/runtime/bench_runtime.c)
set(MRSP_BENCH_REGISTRY "")
foreach(policy ${MRSP_POLICY_FILES})
  get_filename_component(stem ${policy} NAME_WE)
  string(MAKE_C_IDENTIFIER ${stem} stem)
  mrsp_emit_policy(${policy} ${stem} ${MRSP_BENCH_DIR})
  list(APPEND MRSP_BENCH_SOURCES ${MRSP_BENCH_DIR}/${stem}.c)
  string(APPEND MRSP_BENCH_REGISTRY "POLICY(${stem}, ${stem}_policy, \"${policy}\")\n")
endforeach()
file(CONFIGURE OUTPUT ${MRSP_BENCH_DIR}/policies.inc CONTENT "${MRSP_BENCH_REGISTRY}")
add_executable(bench_runtime EXCLUDE_FROM_ALL ${MRSP_BENCH_SOURCES})
target_include_directories(bench_runtime PRIVATE ${MRSP_BENCH_DIR})
target_compile_options(bench_runtime PRIVATE ${MRSPC_WARNINGS})
target_link_libraries(bench_runtime PRIVATE mrspc_core)
