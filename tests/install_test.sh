#!/usr/bin/env bash
# install_test.sh BUILD_DIR PREFIX - installs mrspc into PREFIX and checks
# that the installed binary finds its installed standard library, with the
# source tree's copy out of reach.
set -eu
build=$1
prefix=$2
rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" > /dev/null
test -f "$prefix/share/mrspc/stdlib/facts.mrsp"
# a copy of the binary elsewhere has no stdlib; the installed one must.
env -u MRSPC_STDLIB "$prefix/bin/mrspc" --version | grep -q "^standard library: $(cd "$prefix" && pwd -P)/share/mrspc/stdlib\$"
env -u MRSPC_STDLIB "$prefix/bin/mrspc" schema | grep -q '^procedure_code: code$'
env -u MRSPC_STDLIB "$prefix/bin/mrspc" check "$prefix/share/mrspc/stdlib/facts.mrsp"
echo "installed mrspc finds $prefix/share/mrspc/stdlib"
