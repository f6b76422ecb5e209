#!/usr/bin/env bash
# build.sh [--sanitize] - configures and builds mrspc.
#   build/       the normal build (gcc)
#   build-asan/  with --sanitize: clang, AddressSanitizer and UBSan
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  config=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DMRSPC_SANITIZE=ON
          -DCMAKE_BUILD_TYPE=Debug)
else
  dir=build
  config=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
fi
generator=()
if [ ! -f "$dir/CMakeCache.txt" ] && command -v ninja > /dev/null; then
  generator=(-G Ninja)
fi
cmake -S . -B "$dir" "${generator[@]}" "${config[@]}" > /dev/null
cmake --build "$dir" -j2
