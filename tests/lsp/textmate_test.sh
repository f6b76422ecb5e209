#!/usr/bin/env bash
# textmate_test.sh WORK_DIR - tokenises the policies with the VS Code
# TextMate grammar under vscode-textmate and vscode-oniguruma
# (textmate/textmate_test.js).  The two npm packages are installed with
# 'npm ci' from textmate/package-lock.json into WORK_DIR (in the build
# tree), once per lock file.  Fails, not skips, without node and npm:
# tests/lsp/install-test-deps.sh installs them.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$1
for tool in node npm; do
  if ! command -v "$tool" > /dev/null; then
    echo "FAIL: $tool is not installed (run tests/lsp/install-test-deps.sh)"
    exit 1
  fi
done
mkdir -p "$work"
if ! cmp -s "$here/textmate/package-lock.json" "$work/package-lock.json" ||
   [ ! -d "$work/node_modules/vscode-textmate" ]; then
  cp "$here/textmate/package.json" "$here/textmate/package-lock.json" "$work/"
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error) || {
    echo "FAIL: npm ci could not install vscode-textmate and vscode-oniguruma"
    rm -f "$work/package-lock.json"
    exit 1
  }
fi
exec node "$here/textmate/textmate_test.js" "$work" "$repo"
