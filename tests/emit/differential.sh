#!/usr/bin/env bash
# differential.sh MRSPC DRIVER POLICY COUNT - the runtime and mrspc agree.
#
# DRIVER (differential.c, linked with POLICY's emitted tables and the
# runtime) writes COUNT random cases and, for each, the result line its
# mrsp_decide gives, in the form of `mrspc eval --batch` (and checks that
# mrsp_evaluate and mrsp_decide_only agree with it); mrspc then decides
# the same cases from the NDJSON.  Every line must be the same: decision,
# stage, rule, missing facts, possible decisions, notes.  On a mismatch the
# first differing lines are shown with their cases.
set -u
mrspc=$1
driver=$2
policy=$3
count=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$driver" "$count" "$work/cases.ndjson" "$work/runtime.ndjson" || {
  echo "differential: the driver failed"
  exit 1
}
"$mrspc" eval "$policy" --batch "$work/cases.ndjson" > "$work/mrspc.ndjson" 2> "$work/summary.txt"
status=$?
if ! cmp -s "$work/runtime.ndjson" "$work/mrspc.ndjson"; then
  echo "differential: the runtime and mrspc eval differ on $(basename "$policy"):"
  diff "$work/runtime.ndjson" "$work/mrspc.ndjson" | head -n 20
  line=$(diff "$work/runtime.ndjson" "$work/mrspc.ndjson" | grep -m1 -o '^[0-9]*')
  echo "first differing case (line $line):"
  sed -n "${line}p" "$work/cases.ndjson"
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "differential: mrspc eval --batch exited $status"
  cat "$work/summary.txt"
  exit 1
fi
echo "$count cases of $(basename "$policy"): the runtime and mrspc eval agree"
sed 's/^/  /' "$work/summary.txt" | grep -v '^  time:'
