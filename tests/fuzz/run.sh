#!/usr/bin/env bash
# run.sh [SECONDS] - coverage-guided fuzzing of the checker and the case
# reader with libFuzzer, under ASan and UBSan (clang).  Not part of ctest:
# its run time and findings are open-ended.  Each target starts from the
# project's own inputs (tests/check, policies, stdlib; examples/cases,
# tests/eval/cases) and runs SECONDS (default 120); a crash leaves its
# input as build-fuzz/crash-* and the script fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-120}
build=build-fuzz
cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DMRSPC_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DBUILD_TESTING=OFF \
  -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link > /dev/null
cmake --build "$build" -j2 --target mrspc_core mrsp_runtime
flags=(-g -O1 -fsanitize=fuzzer,address,undefined -Isrc -Igrammar -Iinclude -I"$build/generated")
libs=("$build/libmrspc_core.a" "$build/libmrsp_runtime.a" $(pkg-config --libs bdw-gc jansson simdjson))
clang++ "${flags[@]}" -x c tests/fuzz/fuzz_check.c -x none "${libs[@]}" -o "$build/fuzz_check"
clang++ "${flags[@]}" -DFUZZ_POLICY="\"$PWD/policies/cohere.mrsp\"" \
  -x c tests/fuzz/fuzz_case.c -x none "${libs[@]}" -o "$build/fuzz_case"

fuzz() { # fuzz TARGET CORPUS_DIR SOURCES...
  local target=$1 corpus=$2
  shift 2
  mkdir -p "$corpus"
  cp "$@" "$corpus"/ 2> /dev/null || true
  (cd "$build" && ASAN_OPTIONS=detect_leaks=0 MRSPC_STDLIB="$PWD/../stdlib" \
    "./$target" "../$corpus" -max_total_time="$seconds" -max_len=16384 -timeout=10 \
    -print_final_stats=1)
}
fuzz fuzz_check "$build/corpus-check" tests/check/*.mrsp policies/*.mrsp stdlib/*.mrsp
fuzz fuzz_case "$build/corpus-case" examples/cases/*.json examples/cases/cross_payer/*.json \
  tests/eval/cases/*.json
echo "fuzz: no crash in ${seconds} s per target"
