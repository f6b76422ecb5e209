#!/usr/bin/env bash
# neovim_test.sh MRSPC - Neovim (Debian's neovim) attaches 'mrspc lsp' to
# the fixtures with editors/vim/lua/mrsp/lsp.lua and checks diagnostics,
# hover, definition and completion (neovim_test.lua).  Fails, not skips,
# when nvim is missing: tests/lsp/install-test-deps.sh installs it.
set -u
mrspc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
editors=$(cd "$here/../../editors" && pwd)
if ! command -v nvim > /dev/null; then
  echo "FAIL: nvim is not installed (run tests/lsp/install-test-deps.sh)"
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# a private home: no user configuration, and Neovim's LSP log goes here
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data XDG_STATE_HOME=$work/state
export XDG_CACHE_HOME=$work/cache
MRSPC=$mrspc FIXTURES=$here/fixtures RESULTS=$work/results \
  timeout 180 nvim --headless -u NONE -i NONE -n \
    --cmd "set rtp^=$editors/vim" --cmd 'filetype plugin indent on' --cmd 'syntax on' \
    -c "luafile $here/neovim_test.lua" < /dev/null
status=$?
cat "$work/results" 2> /dev/null || echo "FAIL: nvim wrote no results (exit $status)"
if [ "$status" -ne 0 ]; then
  cat "$work"/cache/nvim/lsp.log "$work"/state/nvim/lsp.log 2> /dev/null | tail -20
fi
exit $status
