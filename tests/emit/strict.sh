#!/usr/bin/env bash
# strict.sh MRSPC POLICY INCLUDE_DIR - emitted C is deterministic and clean.
#
# Emits POLICY twice: the two sources, and the two headers, must be the
# same bytes.  Then compiles the source with gcc and with clang as C99
# with every warning an error, and a C++ file including the header with
# g++ and clang++, so the header's extern "C" and enumerations hold.
set -u
mrspc=$1
policy=$2
include=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
  echo "strict: $*"
  exit 1
}

for run in first second; do
  mkdir -p "$work/$run"
  "$mrspc" emit-c "$policy" -o "$work/$run/policy.c" --header "$work/$run/policy.h" ||
    fail "mrspc emit-c failed"
done
cmp -s "$work/first/policy.c" "$work/second/policy.c" || fail "two emissions of the source differ"
cmp -s "$work/first/policy.h" "$work/second/policy.h" || fail "two emissions of the header differ"

for cc in gcc clang; do
  command -v "$cc" > /dev/null || fail "no $cc to compile with"
  "$cc" -std=c99 -pedantic -Wall -Wextra -Werror -I"$include" \
    -c "$work/first/policy.c" -o "$work/$cc.o" || fail "$cc rejects the source"
done
printf '#include "policy.h"\nint main() { return mrsp_work_size(0) == 0; }\n' > "$work/first/host.cpp"
for cxx in g++ clang++; do
  command -v "$cxx" > /dev/null || fail "no $cxx to compile with"
  "$cxx" -std=c++11 -pedantic -Wall -Wextra -Werror -I"$include" \
    -fsyntax-only "$work/first/host.cpp" || fail "$cxx rejects the header"
done
echo "$(basename "$policy"): the same bytes twice; clean under gcc, clang, g++ and clang++"
