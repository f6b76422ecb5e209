#!/usr/bin/env bash
# install-test-deps.sh - installs what the editor tests (tests/lsp) need,
# from Debian's packages: Neovim, Vim and Emacs to run the real editors,
# Node.js and npm for the VS Code grammar and extension tests (their npm
# packages are installed by the tests themselves, with 'npm ci').  Safe to
# run again: it installs only what is missing.
set -euo pipefail

packages=()
command -v nvim > /dev/null || packages+=(neovim)
# 'vim' may be Neovim (an alternative) or vim-tiny, without syntax highlighting
vim --version 2> /dev/null | grep -q '+syntax' || packages+=(vim)
command -v emacs > /dev/null || packages+=(emacs-nox)
# a machine may already have Node.js from elsewhere, with its own npm
command -v node > /dev/null || packages+=(nodejs)
command -v npm > /dev/null || packages+=(npm)

"$(dirname "$0")/../../scripts/apt-install.sh" install-test-deps "${packages[@]}"
