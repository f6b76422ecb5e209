#!/usr/bin/env bash
# installed.sh BUILD_DIR PREFIX SOURCE_DIR CC [FLAGS] - the installed
# runtime is usable.
#
# Installs the build into PREFIX, then builds the example host
# (examples/embed/main.c) with a policy emitted by the installed mrspc, the
# way an integrator would: the compiler flags and the library from
# pkg-config's mrsp-runtime.pc, nothing from the build tree.  The host must
# run and decide.  CC is the build's C compiler, FLAGS what the build adds
# to every compilation (the sanitizers, in a sanitizer build).
set -u
build=$1
prefix=$2
source=$3
compiler=$4
extra=${5:-}
rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" > /dev/null || exit 1
pc=$(find "$prefix" -name mrsp-runtime.pc | head -n 1)
[ -n "$pc" ] || { echo "installed: no mrsp-runtime.pc under $prefix"; exit 1; }
export PKG_CONFIG_PATH=$(dirname "$pc")
flags=$(pkg-config --cflags mrsp-runtime) && libs=$(pkg-config --libs mrsp-runtime) || exit 1
case "$flags $libs" in
  *"$prefix/"*) ;;
  *) echo "installed: pkg-config points outside $prefix: $flags $libs"; exit 1 ;;
esac
work=$prefix/host
mkdir -p "$work"
env -u MRSPC_STDLIB "$prefix/bin/mrspc" emit-c "$source/policies/cohere.mrsp" --prefix cohere \
  -o "$work/cohere.c" --header "$work/cohere.h" || exit 1
# shellcheck disable=SC2086 # pkg-config's output and FLAGS are lists of flags
"$compiler" -std=c99 -pedantic -Wall -Wextra -Werror $extra -I"$work" $flags \
  "$source/examples/embed/main.c" "$work/cohere.c" $libs -o "$work/embed" || exit 1
"$work/embed"
