#!/usr/bin/env bash
# progress.sh MRSPC WORKDIR - the batch progress line: on a terminal, for an
# input of more than 8 MB, a line "NN%  N lines  N cases/s" appears on
# stderr and is wiped before the summary; with stderr not a terminal, or a
# smaller input, stderr holds the summary alone.  script(1) gives mrspc a
# terminal.
set -euo pipefail
mrspc=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
big=$work/progress.ndjson
line='{"procedure_code":"76390","request_date":"2026-02-10","age_years":47,"line_of_business":"commercial","indication":"glioma"}'
# 70,000 lines of 124 bytes: 8.3 MB, more than 65,536 lines
awk -v line="$line" 'BEGIN { for (i = 0; i < 70000; i++) print line }' > "$big"

on_terminal=$(script -qec "$mrspc eval $here/mrs.mrsp --batch $big > /dev/null" /dev/null | tr '\r' '\n')
grep -Eq '^ *[0-9]+%  65536 lines  [0-9]+ cases/s' <<< "$on_terminal" ||
  { echo "no progress line on a terminal:"; echo "$on_terminal"; exit 1; }
grep -q '^batch test_mrs: 70000 lines: 70000 decided, 0 errors, 0 blank' <<< "$on_terminal" ||
  { echo "no summary on a terminal:"; echo "$on_terminal"; exit 1; }

not_terminal=$("$mrspc" eval "$here/mrs.mrsp" --batch "$big" 2>&1 > /dev/null)
if grep -q $'\r\\|cases/s $' <<< "$not_terminal"; then
  echo "a progress line was written to a pipe:"; echo "$not_terminal"; exit 1
fi

head -n 1000 "$big" > "$work/small.ndjson"
small=$(script -qec "$mrspc eval $here/mrs.mrsp --batch $work/small.ndjson > /dev/null" /dev/null)
if grep -q '%  ' <<< "$small"; then
  echo "a progress line for a small input:"; echo "$small"; exit 1
fi
echo "progress: shown on a terminal for a large input only"
