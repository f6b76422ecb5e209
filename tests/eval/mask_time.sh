#!/usr/bin/env bash
# mask_time.sh - run mrspc for golden.sh, hiding what differs between runs.
#
# golden.sh runs this in place of mrspc (tests/eval/CMakeLists.txt passes it
# as the binary); the real one is $MRSPC_BINARY.  A batch's summary ends
# with its time and rate, which differ on every run, so that line is
# replaced.  $MRSPC_STDIN, when set, is a file (relative to the test's
# directory) fed to standard input, for '--batch -'.
out=$(
  if [[ -n ${MRSPC_STDIN:-} ]]; then
    "$MRSPC_BINARY" "$@" < "$MRSPC_STDIN" 2>&1
  else
    "$MRSPC_BINARY" "$@" < /dev/null 2>&1
  fi
)
status=$?
printf '%s\n' "$out" | sed -E 's/^time: .*/time: (varies)/'
exit $status
