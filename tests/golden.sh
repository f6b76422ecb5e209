#!/usr/bin/env bash
# golden.sh - run mrspc on one test input and compare with its golden file.
#
# usage: golden.sh MRSPC INPUT
#
# INPUT is a .mrsp file, a .gen script whose standard output is the .mrsp
# text (for inputs too large or too strange to keep in the tree), or an
# .args file that only holds a command line (its inputs live elsewhere,
# such as a case file under examples/).  The first line may say how to run
# mrspc, relative to INPUT's directory:
#     # args: check --format=json
# (default: "check"; the input's own file name is appended unless the
# line contains {input}, which is replaced by it, or the input is .args).
# The combined stdout and stderr, then a line "[exit N]", must equal INPUT with its extension
# replaced by ".expected".  On a mismatch a unified diff is printed.
#
# UPDATE_GOLDEN=1 rewrites the .expected file instead of comparing.
set -u
mrspc=$1
input=$2
dir=$(cd "$(dirname "$input")" && pwd)
base=$(basename "$input")
stem=${base%.*}
expected="$dir/$stem.expected"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ $base == *.gen ]]; then
  run_dir=$work
  bash "$dir/$base" > "$work/$stem.mrsp" || { echo "generator $base failed"; exit 1; }
  target="$stem.mrsp"
  header=$(head -n 1 "$dir/$base")
else
  run_dir=$dir
  target=$base
  header=$(head -n 1 "$input")
fi

args="check"
if [[ $header =~ ^#\ args:\ (.*)$ ]]; then
  args=${BASH_REMATCH[1]}
fi
if [[ $base == *.args ]]; then
  :
elif [[ $args == *"{input}"* ]]; then
  args=${args//\{input\}/$target}
else
  args="$args $target"
fi

actual="$work/actual"
(
  cd "$run_dir" || exit 2
  # shellcheck disable=SC2086 # the args line is split like a command line
  NO_COLOR=1 MRSPC_PATH= timeout 60 "$mrspc" $args > "$actual.out" 2>&1
  echo "[exit $?]" >> "$actual.out"
)
# The standard library's absolute path differs between checkouts.
stdlib=$(cd "$(dirname "$0")/../stdlib" && pwd -P)
sed -e "s|$stdlib|<stdlib>|g" "$actual.out" > "$actual"

if [[ ${UPDATE_GOLDEN:-} == 1 ]]; then
  cp "$actual" "$expected"
  echo "updated $expected"
  exit 0
fi
if [[ ! -f $expected ]]; then
  echo "no golden file $expected; run with UPDATE_GOLDEN=1 to create it"
  cat "$actual"
  exit 1
fi
if ! diff -u --label "expected: $stem.expected" --label "actual" "$expected" "$actual"; then
  echo "golden mismatch for $input (UPDATE_GOLDEN=1 rewrites it after review)"
  exit 1
fi
