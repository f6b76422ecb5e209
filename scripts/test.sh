#!/usr/bin/env bash
# test.sh [--sanitize] - builds mrspc and runs every test with ctest.
# With --sanitize the suite runs on the clang ASan+UBSan build, and any
# sanitizer report fails the test that produced it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh "$@"
dir=build
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:allocator_may_return_null=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
ctest --test-dir "$dir" --output-on-failure -j2
