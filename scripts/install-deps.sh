#!/usr/bin/env bash
# install-deps.sh - installs what mrspc needs to build and test, from
# Debian's packages.  Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(
  build-essential clang cmake ninja-build pkg-config   # compilers and build
  flex bison                                           # the front end
  libgc-dev                                            # the collector
  libjansson-dev                                       # JSON output, JSON errors
  libsimdjson-dev                                      # case files, fast path
  time                                                 # peak memory in bench/
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$package")
done
"$(dirname "$0")/apt-install.sh" install-deps "${missing[@]}"

# The editors the editor-support tests drive (Neovim, Vim, Emacs, Node.js).
"$(dirname "$0")/../tests/lsp/install-test-deps.sh"
