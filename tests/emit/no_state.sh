#!/usr/bin/env bash
# no_state.sh LIBRARY - the runtime keeps no state of its own.
#
# Every object of the static library must have empty .data and .bss
# sections: constants only (read-only data, relocated pointers to
# constants), so a host may call it from any number of threads.
set -u
lib=$1
bad=$(size -A "$lib" | awk '
  / \(ex / { object = $1 }
  ($1 == ".data" || $1 == ".bss" || $1 ~ /^\.(t)?(data|bss)\./) && $1 !~ /\.rel\.ro/ && $2 != 0 {
    print object ": " $1 " holds " $2 " bytes"
  }')
if [ -n "$bad" ]; then
  echo "no_state: the runtime has writable data:"
  echo "$bad"
  exit 1
fi
echo "$(basename "$lib"): no writable data, no thread-local data"
