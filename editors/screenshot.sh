#!/usr/bin/env bash
# screenshot.sh [MRSPC] - makes editors/screenshot.png: Neovim in a real
# xterm (under Xvfb) editing policies/cohere.mrsp with a misspelt fact,
# showing the highlighting, the error the server reports as you type, and
# a hover on a criterion.  Needs Debian's xvfb, xterm, imagemagick,
# fonts-dejavu-core and neovim; not part of the test suite.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
mrspc=$(cd "$(dirname "${1:-$repo/build/mrspc}")" && pwd)/$(basename "${1:-$repo/build/mrspc}")
work=$(mktemp -d)
trap 'kill $xvfb 2> /dev/null || true; rm -rf "$work"' EXIT

# the policy, with one mistake an author could make
mkdir -p "$work/policies"
sed '0,/^              conventional_imaging_inconclusive;/s//              conventinal_imaging_inconclusive;/' \
  "$repo/policies/cohere.mrsp" > "$work/policies/cohere.mrsp"
line=$(grep -n 'conventinal_imaging_inconclusive' "$work/policies/cohere.mrsp" | cut -d: -f1)

cat > "$work/init.lua" <<LUA
vim.opt.runtimepath:prepend('$here/vim')
vim.cmd('filetype plugin indent on | syntax on')
vim.opt.termguicolors = true
vim.opt.background = 'dark'
vim.cmd('colorscheme desert')
vim.cmd('highlight NormalFloat guibg=#202020 guifg=#e0e0e0')
vim.cmd('highlight FloatBorder guibg=#202020 guifg=#909090')
vim.lsp.handlers['textDocument/hover'] = vim.lsp.with(vim.lsp.handlers.hover,
  { border = 'rounded', max_width = 84, max_height = 9 })
vim.opt.number = true
vim.opt.signcolumn = 'yes'
vim.opt.shortmess:append('I')
vim.diagnostic.config({ underline = true, signs = true, virtual_text = {
  format = function(d) return (d.message:gsub('\nnote: ', '; ')) end } })
require('mrsp.lsp').setup({ cmd = { '$mrspc', 'lsp' } })
vim.api.nvim_create_autocmd('FileType', { pattern = 'mrsp', callback = function(args)
  vim.defer_fn(function()
    vim.wait(5000, function() return #vim.diagnostic.get(args.buf) > 0 end, 50)
    local target = vim.fn.search('neoplastic; neonatal_hie', 'w')
    vim.api.nvim_win_set_cursor(0, { target, vim.fn.col('.') + 1 })
    vim.lsp.buf.hover()
  end, 500)
end })
LUA

Xvfb :77 -screen 0 1560x760x24 -nolisten tcp > /dev/null 2>&1 &
xvfb=$!
sleep 1
DISPLAY=:77 xterm -geometry 173x38+0+0 -fa 'DejaVu Sans Mono' -fs 11 -bg '#333333' \
  -fg '#e0e0e0' -e env TERM=xterm-256color XDG_CONFIG_HOME=$work/config \
  XDG_STATE_HOME=$work/state XDG_DATA_HOME=$work/data \
  nvim -u "$work/init.lua" -i NONE -n "+$((line - 6))" '+normal! zt' \
  "$work/policies/cohere.mrsp" &
sleep 6
DISPLAY=:77 import -window root -crop "$(DISPLAY=:77 xwininfo -root -tree | \
  awk '/xterm/ {print $(NF-1); exit}')" +repage "$here/screenshot.png"
kill %2 2> /dev/null || true
echo "wrote $here/screenshot.png"
