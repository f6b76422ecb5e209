#!/usr/bin/env bash
# vim_test.sh MRSPC - Vim (Debian's vim) loads editors/vim and checks
# highlighting, indentation and ':make' on the fixtures (vim_test.vim).
# Fails, not skips, when vim is missing: tests/lsp/install-test-deps.sh
# installs it.
set -u
mrspc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
editors=$(cd "$here/../../editors" && pwd)
if ! vim --version 2> /dev/null | grep -q '+syntax'; then
  echo "FAIL: Vim with syntax highlighting is not installed (run tests/lsp/install-test-deps.sh)"
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# ':make' runs mrspc check in the fixtures' directory, as an author would
cd "$here/fixtures"
MRSPC=$mrspc FIXTURES=$here/fixtures RESULTS=$work/results \
  timeout 120 vim -N -u NONE -i NONE -n -es \
    --cmd "set rtp^=$editors/vim" --cmd "let g:mrsp_mrspc = '$mrspc'" \
    --cmd 'filetype plugin indent on' --cmd 'syntax on' \
    -S "$here/vim_test.vim" < /dev/null
status=$?
cat "$work/results" 2> /dev/null || echo "FAIL: vim wrote no results (exit $status)"
exit $status
