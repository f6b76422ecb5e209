-- mrsp/lsp.lua - attach the mrsp language server ('mrspc lsp') in Neovim.
--
-- With editors/vim on 'runtimepath', in init.lua:
--
--   require('mrsp.lsp').setup()                               -- mrspc on $PATH
--   require('mrsp.lsp').setup({ cmd = { '/path/to/mrspc', 'lsp' } })
--
-- Every buffer of filetype mrsp is attached to one server per directory.
-- Errors appear as you type; K shows what the name under the cursor means,
-- gd jumps to its definition, and <C-x><C-o> completes facts, enum members
-- and criteria.  Works with Neovim 0.7 (Debian 12) and later.
local M = {}

local clients = {} -- Neovim 0.7: client id by directory

local function directory_of(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return vim.fn.getcwd()
  end
  return vim.fn.fnamemodify(name, ':p:h')
end

-- The keys an author needs, unless the caller brings its own on_attach.
local function default_on_attach(_, bufnr)
  local function map(keys, action)
    vim.keymap.set('n', keys, action, { buffer = bufnr, silent = true })
  end
  map('K', vim.lsp.buf.hover)
  map('gd', vim.lsp.buf.definition)
  vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc'
end

local function config_for(bufnr, opts)
  return {
    name = 'mrspc',
    cmd = opts.cmd or { 'mrspc', 'lsp' },
    root_dir = directory_of(bufnr),
    flags = opts.flags or { debounce_text_changes = 150 },
    on_attach = opts.on_attach or default_on_attach,
  }
end

-- Attaches buffer bufnr (default: the current one); returns the client id.
function M.start(bufnr, opts)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local config = config_for(bufnr, opts or {})
  if vim.lsp.start then -- Neovim 0.8 and later reuse a client by name and root
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients[config.root_dir]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(config)
    clients[config.root_dir] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

-- Starts the server for every mrsp buffer, now and from now on.
function M.setup(opts)
  opts = opts or {}
  local group = vim.api.nvim_create_augroup('mrsp_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'mrsp',
    callback = function(args)
      M.start(args.buf, opts)
    end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.bo[bufnr].filetype == 'mrsp' then
      M.start(bufnr, opts)
    end
  end
end

return M
