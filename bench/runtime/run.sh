#!/usr/bin/env bash
# run.sh - the embeddable runtime's benchmark: decisions per second.
#
# usage: bench/runtime/run.sh [BUILD_DIR]
#
# Builds the bench_runtime target in BUILD_DIR (default: build; configure
# it RelWithDebInfo or Release, not with the sanitizers), writes 1,000,000
# cases with bench/gen_cases.c (seed 1, the cases of bench/run.sh) under
# ${BENCH_DIR:-/tmp/mrspc-bench}, and runs bench_runtime on them: for each
# policy of policies/, the cases are read once into one array, then decided
# again and again (best of 5 passes) by
#   - decide only: mrsp_decide_only on the tables `mrspc emit-c` wrote (the
#                  decision, its stage and rule: no missing facts, possible
#                  decisions or notes);
#   - runtime:     mrsp_decide on the same tables;
#   - evaluate:    mrsp_evaluate, every node's value (for explanations);
#   - interpreter: eval_run on the policy loaded and lowered in process.
# The four must agree on every decision (mrsp_decide_only with mrsp_decide
# on its stage and rule too).  Not a test: figures depend on the machine;
# bench/README.md records them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
work=${BENCH_DIR:-/tmp/mrspc-bench}
[[ -f $build/CMakeCache.txt ]] || { echo "run.sh: no build in $build; configure it first" >&2; exit 2; }
mkdir -p "$work"
cmake --build "$build" --target bench_runtime > /dev/null
"${CC:-cc}" -O2 -o "$work/gen_cases" "$root/bench/gen_cases.c"
cases=$work/cases_1m.ndjson
[[ -f $cases ]] || "$work/gen_cases" 1000000 1 > "$cases"

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 minutes)"
"$build/bench_runtime" "$cases"
