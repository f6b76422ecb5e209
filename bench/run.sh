#!/usr/bin/env bash
# run.sh - the evaluator's benchmark: batch throughput, memory, check time.
#
# usage: bench/run.sh [MRSPC] [--libraries]
#
# MRSPC is the mrspc binary (default: build/mrspc; build it Release or
# RelWithDebInfo, not with the sanitizers).  Writes its work files under
# ${BENCH_DIR:-/tmp/mrspc-bench} and prints:
#   - batch eval of policies/cohere.mrsp on 1,000,000 generated cases
#     (bench/gen_cases.c, seed 1): cases per second end to end (process
#     start to exit, best of 3) and peak resident memory, and the peak for
#     100,000 cases, to show memory does not grow with the batch;
#   - mrspc check of generated policies of 10,000, 50,000 and 100,000
#     criteria (bench/gen_policy.c): seconds and peak memory;
#   - with --libraries, the JSON library comparison behind the choice of
#     simdjson (bench/json_libraries.c).
# Peak memory needs GNU time (/usr/bin/time, Debian package 'time').
# Not a test: figures depend on the machine; bench/README.md records them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
mrspc=$root/build/mrspc
libraries=0
for arg in "$@"; do
  case $arg in
    --libraries) libraries=1 ;;
    *) mrspc=$arg ;;
  esac
done
[[ -x $mrspc ]] || { echo "run.sh: no mrspc at $mrspc; build it first" >&2; exit 2; }
work=${BENCH_DIR:-/tmp/mrspc-bench}
mkdir -p "$work"
cc=${CC:-cc}
"$cc" -O2 -o "$work/gen_cases" "$here/gen_cases.c"
"$cc" -O2 -o "$work/gen_policy" "$here/gen_policy.c"

have_time=0
[[ -x /usr/bin/time ]] && have_time=1

# run COMMAND...: prints "seconds peak_kb" of one run of COMMAND
run() {
  if ((have_time)); then
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > /dev/null 2>&1 || true
    tail -n 1 "$work/time.txt"
  else
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || true
    end=$(date +%s.%N)
    echo "$(echo "$end - $start" | bc) ?"
  fi
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
echo "mrspc:   $mrspc"
echo

cases=$work/cases_1m.ndjson
small=$work/cases_100k.ndjson
[[ -f $cases ]] || "$work/gen_cases" 1000000 1 > "$cases"
head -n 100000 "$cases" > "$small"
bytes=$(wc -c < "$cases")
echo "batch: policies/cohere.mrsp on 1,000,000 cases, $((bytes / 1000000)) bytes per case on average"
best=""
for attempt in 1 2 3; do
  read -r seconds peak < <(run "$mrspc" eval "$root/policies/cohere.mrsp" --batch "$cases")
  if [[ -z $best ]] || (($(echo "$seconds < $best" | bc))); then
    best=$seconds
    best_peak=$peak
  fi
  echo "  run $attempt: $seconds s, peak $peak KB"
done
echo "  best: $(echo "1000000 / $best" | bc) cases/s end to end, peak $best_peak KB"
read -r seconds peak < <(run "$mrspc" eval "$root/policies/cohere.mrsp" --batch "$small")
echo "  100,000 cases: $seconds s, peak $peak KB (flat: the batch streams)"
"$mrspc" eval "$root/policies/cohere.mrsp" --batch "$small" 2>&1 > /dev/null | sed 's/^/  | /'
echo

echo "check: generated policies"
for count in 10000 50000 100000; do
  policy=$work/policy_$count.mrsp
  [[ -f $policy ]] || "$work/gen_policy" "$count" > "$policy"
  read -r seconds peak < <(run "$mrspc" check "$policy")
  echo "  $count criteria: $seconds s, peak $peak KB"
done

if ((libraries)); then
  echo
  echo "JSON libraries: parse each line and convert its members (bench/json_libraries.c)"
  flags=$(pkg-config --cflags jansson json-c yajl libcjson simdjson)
  libs=$(pkg-config --libs jansson json-c yajl libcjson simdjson)
  "$cc" -O2 -std=c11 $flags -c "$here/json_libraries.c" -o "$work/json_libraries.o"
  "$cc" -O2 -std=c11 $flags -c "$here/json_c.c" -o "$work/json_c.o"
  ${CXX:-c++} -O2 -std=c++17 $flags -c "$here/json_simdjson.cpp" -o "$work/json_simdjson.o"
  ${CXX:-c++} -o "$work/json_libraries" "$work/json_libraries.o" "$work/json_c.o" \
    "$work/json_simdjson.o" $libs
  "$work/json_libraries" "$cases"
fi
