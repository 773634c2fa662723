-- A real LSP client: headless Neovim (Debian's, 0.7+) attaches to
-- `topoc lsp` with its built-in vim.lsp and reads what the server says.
-- Driven by tests/lsp/nvim_e2e_test.py, which passes TOPOC, PROJECT and
-- RESULT in the environment and reads the JSON written to RESULT.
local topoc, project, result_path = os.getenv("TOPOC"), os.getenv("PROJECT"), os.getenv("RESULT")
local result = { steps = {} }

local function finish(code)
  local f = io.open(result_path, "w")
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd(code == 0 and "qall!" or "cquit! " .. code)
end

local function step(name, value)
  result.steps[name] = value
end

local ok, err = pcall(function()
  vim.cmd("edit " .. project .. "/topologies/main.topo")
  local buf = vim.api.nvim_get_current_buf()
  local exit_code = nil
  local client_id = vim.lsp.start_client({
    name = "topoc",
    cmd = { topoc, "lsp" },
    root_dir = project,
    on_exit = function(code, _signal) exit_code = code end,
  })
  assert(client_id, "the client did not start")
  vim.lsp.buf_attach_client(buf, client_id)

  -- 1. Diagnostics of the file as opened (a misspelt component id).
  local got = vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  assert(got, "no diagnostics within 15 s")
  local diags = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(diags, {
      lnum = d.lnum, col = d.col, end_col = d.end_col, severity = d.severity, code = d.code,
      message = d.message, source = d.source,
      href = lsp.codeDescription and lsp.codeDescription.href or vim.NIL,
    })
  end
  step("diagnostics", diags)

  -- 2. Hover over the bolt's id.
  local client = vim.lsp.get_client_by_id(client_id)
  local uri = vim.uri_from_bufnr(buf)
  local function request(method, params)
    local resp, rerr = client.request_sync(method, params, 10000, buf)
    assert(resp, method .. ": " .. tostring(rerr))
    assert(not resp.err, method .. ": " .. vim.inspect(resp.err))
    return resp.result
  end
  local hover = request("textDocument/hover", { textDocument = { uri = uri }, position = { line = 6, character = 10 } })
  step("hover", hover and hover.contents.value or vim.NIL)

  -- 3. Fix the typo in the buffer (an incremental change): the
  -- diagnostics go away.
  local line = vim.api.nvim_buf_get_lines(buf, 7, 8, false)[1]
  local s, e = line:find("word%-spot", 1)
  vim.api.nvim_buf_set_text(buf, 7, s - 1, 7, e, { "word-spout" })
  got = vim.wait(15000, function() return #vim.diagnostic.get(buf) == 0 end, 20)
  step("cleared", got)
  step("text_after_fix", vim.api.nvim_buf_get_lines(buf, 0, -1, false))
  -- Definitions, now that the id resolves (and one past non-ASCII text).
  step("definition", request("textDocument/definition",
    { textDocument = { uri = uri }, position = { line = 7, character = 16 } }))
  step("definition_utf16", request("textDocument/definition",
    { textDocument = { uri = uri }, position = { line = 10, character = 46 } }))
  step("uri", uri)

  -- 4. Shut down and exit: the server ends with 0.
  client.stop()
  vim.wait(10000, function() return exit_code ~= nil end, 20)
  step("exit_code", exit_code == nil and vim.NIL or exit_code)
end)
if not ok then
  result.error = tostring(err)
  finish(3)
else
  finish(0)
end
