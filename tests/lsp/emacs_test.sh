#!/usr/bin/env bash
# emacs_test.sh MRSPC - Emacs (Debian's emacs-nox) loads
# editors/emacs/mrsp-mode.el and checks highlighting, indentation and the
# Flymake backend on the fixtures (emacs_test.el).  Fails, not skips, when
# emacs is missing: tests/lsp/install-test-deps.sh installs it.
set -u
mrspc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
editors=$(cd "$here/../../editors" && pwd)
if ! command -v emacs > /dev/null; then
  echo "FAIL: emacs is not installed (run tests/lsp/install-test-deps.sh)"
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# a private home: no user init file, no auto-save or lock files left behind
HOME=$work MRSPC=$mrspc FIXTURES=$here/fixtures \
  timeout 180 emacs --batch -Q -L "$editors/emacs" \
    --eval '(setq create-lockfiles nil make-backup-files nil)' \
    --eval "(require 'cl-lib)" -l "$here/emacs_test.el" 2>&1
