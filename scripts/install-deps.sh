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
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: the build dependencies are installed"
else
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The editors the editor-support tests drive (Neovim, Vim, Emacs, Node.js).
"$(dirname "$0")/../tests/lsp/install-test-deps.sh"
