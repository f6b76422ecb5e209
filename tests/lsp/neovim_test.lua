-- neovim_test.lua - Neovim's own LSP client attached to 'mrspc lsp' through
-- editors/vim/lua/mrsp/lsp.lua, as an author uses it: diagnostics where
-- 'mrspc check' puts them, hover, go to definition, completion, and errors
-- that come and go as the text changes.
--
-- Run by neovim_test.sh; reads $MRSPC, $FIXTURES and $RESULTS; writes one
-- line per check and "N passed, N failed", and exits non-zero on failure.
local results, passed, failed = {}, 0, 0

local function check(ok, what)
  table.insert(results, (ok and 'ok - ' or 'FAIL - ') .. what)
  if ok then
    passed = passed + 1
  else
    failed = failed + 1
  end
  return ok
end

local mrspc = os.getenv('MRSPC')
local fixtures = os.getenv('FIXTURES')
local TIMEOUT = 20000

local function open(name)
  vim.cmd('edit ' .. vim.fn.fnameescape(fixtures .. '/' .. name))
  local bufnr = vim.api.nvim_get_current_buf()
  local attached = vim.wait(TIMEOUT, function()
    return next(vim.lsp.buf_get_clients(bufnr)) ~= nil
  end, 20)
  check(attached, 'the server is attached to ' .. name)
  return bufnr
end

-- The 0-based line and UTF-16 column of the first match of text (plain).
local function position_of(bufnr, text, shift)
  for number, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local at = line:find(text, 1, true)
    if at then
      local byte = at - 1 + (shift or 0)
      return { line = number - 1, character = vim.str_utfindex(line, byte) }
    end
  end
  error('no ' .. text .. ' in the buffer')
end

local function request(bufnr, method, position)
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = position }
  local replies = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT) or {}
  for _, reply in pairs(replies) do
    if reply.result then
      return reply.result
    end
  end
  return nil
end

local function test_diagnostics()
  local bufnr = open('errors.mrsp')
  check(vim.bo[bufnr].filetype == 'mrsp', 'errors.mrsp has filetype mrsp')
  local expected = vim.fn.json_decode(vim.fn.system({ mrspc, 'check', '--format=json',
    vim.api.nvim_buf_get_name(bufnr) }))
  check(#expected == 5, 'mrspc check reports 5 mistakes')
  local arrived = vim.wait(TIMEOUT, function()
    return #vim.diagnostic.get(bufnr) >= #expected
  end, 20)
  check(arrived, 'the diagnostics arrive without saving or running anything')
  local diagnostics = vim.diagnostic.get(bufnr)
  table.sort(diagnostics, function(a, b)
    return a.lnum < b.lnum
  end)
  check(#diagnostics == #expected, ('as many diagnostics as mrspc check (%d, %d)'):format(
    #diagnostics, #expected))
  for i, want in ipairs(expected) do
    local got = diagnostics[i] or { lnum = -1, col = -1, message = '' }
    local line = vim.api.nvim_buf_get_lines(bufnr, want.line - 1, want.line, false)[1]
    local byte = vim.str_byteindex(line, want.column - 1)
    check(got.lnum == want.line - 1 and got.col == byte,
      ('diagnostic %d is at line %d, character %d, byte %d (got line %d, byte %d)'):format(i,
        want.line, want.column, byte + 1, got.lnum + 1, got.col + 1))
    check(vim.startswith(got.message, want.message), ('diagnostic %d says "%s"'):format(i,
      want.message))
    check(got.severity == vim.diagnostic.severity.ERROR, ('diagnostic %d is an error'):format(i))
  end
  local last = diagnostics[#diagnostics]
  local text = last and vim.api.nvim_buf_get_lines(bufnr, last.lnum, last.lnum + 1, false)[1]
  check(text and text:sub(last.col + 1):find('^claustrofobia') ~= nil,
    'after a non-ASCII character the mark is on the misspelt name')
end

local function hover_text(bufnr, text, shift)
  local result = request(bufnr, 'textDocument/hover', position_of(bufnr, text, shift))
  local contents = result and result.contents or {}
  return (contents.value or ''):gsub('\\(%p)', '%1')
end

local function test_queries()
  local bufnr = open('session.mrsp')
  check(vim.fn.maparg('K', 'n') ~= '', 'K is mapped to hover in an mrsp buffer')
  check(vim.bo[bufnr].omnifunc == 'v:lua.vim.lsp.omnifunc', 'completion is the omnifunc')
  local fact = hover_text(bufnr, 'age_years: 40', 2)
  check(fact:find('int 0 to 130', 1, true) ~= nil, 'hover on a fact shows its type')
  check(fact:find('whole years', 1, true) ~= nil, 'hover on a fact shows its doc string')
  local criterion = hover_text(bufnr, 'tumour; adult', 1)
  check(criterion:find('A known or suspected brain tumour', 1, true) ~= nil,
    "hover on a criterion shows the policy's words")
  check(criterion:find('[1] First reference', 1, true) ~= nil,
    'hover on a criterion shows its citations')
  local member = hover_text(bufnr, 'glioma_grading', 3)
  check(member:find('member of enum', 1, true) ~= nil and member:find('question', 1, true) ~= nil,
    'hover on an enum member names its enum')
  local definition = request(bufnr, 'textDocument/definition', position_of(bufnr, 'adult_patient >', 2))
  definition = definition and (definition[1] or definition) or {}
  check((definition.uri or ''):find('session_module%.mrsp$') ~= nil,
    'go to definition reaches the module a criterion comes from')
end

local function completion_labels(bufnr, position)
  local result = request(bufnr, 'textDocument/completion', position) or {}
  local labels = {}
  for _, item in ipairs(result.items or result) do
    labels[item.label] = true
  end
  return labels
end

local function test_editing()
  local bufnr = vim.api.nvim_get_current_buf()
  local count = vim.api.nvim_buf_line_count(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, count, count, false, { 'require indication is ' })
  local labels = completion_labels(bufnr, { line = count, character = 22 })
  check(labels.glioma and labels.brain_tumor and not labels.age_years,
    "completion after 'indication is' offers the members of its enum, not facts")
  vim.api.nvim_buf_set_lines(bufnr, count, count + 1, false, { 'require indication is gliomaa;' })
  local flagged = vim.wait(TIMEOUT, function()
    for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
      if diagnostic.message:find("'gliomaa' is not a member of enum 'condition'", 1, true) then
        return diagnostic.lnum == count and diagnostic.col == 22
      end
    end
    return false
  end, 20)
  check(flagged, 'a mistake typed in is flagged at its place, unsaved')
  vim.api.nvim_buf_set_lines(bufnr, count, count + 1, false, { 'require indication is glioma;' })
  local cleared = vim.wait(TIMEOUT, function()
    return #vim.diagnostic.get(bufnr) == 0
  end, 20)
  check(cleared, 'correcting it clears the diagnostic')
end

local ok, problem = pcall(function()
  require('mrsp.lsp').setup({ cmd = { mrspc, 'lsp' }, flags = { debounce_text_changes = 0 } })
  test_diagnostics()
  test_queries()
  test_editing()
end)
if not ok then
  check(false, 'no Lua error: ' .. tostring(problem))
end
table.insert(results, ('%d passed, %d failed'):format(passed, failed))
vim.fn.writefile(results, os.getenv('RESULTS'))
vim.cmd(failed > 0 and 'cquit 1' or 'qall!')
