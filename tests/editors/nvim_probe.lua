-- Driven by test_nvim.py: open a report in real headless Neovim with editors/nvim's config,
-- wait for reportls's diagnostics, ask for a hover and a completion, write what came back as JSON.
local out_path = vim.env.REPORTLS_PROBE_OUT
local report = vim.env.REPORTLS_PROBE_REPORT
local result = { diagnostics = {}, hover = nil, completion = {}, errors = {} }

local function finish()
  local f = assert(io.open(out_path, "w"))
  f:write(vim.json.encode(result))
  f:close()
  vim.cmd("qall!")
end

local ok, err = pcall(function()
  vim.lsp.enable("reportls")
  vim.cmd.edit(report)
  local buf = vim.api.nvim_get_current_buf()
  local got = vim.wait(20000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 50)
  if not got then
    table.insert(result.errors, "no diagnostics within 20 s; clients: " .. #vim.lsp.get_clients({ bufnr = buf }))
  end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, code = d.code, message = d.message,
      severity = d.severity, source = d.source,
    })
  end
  local client = vim.lsp.get_clients({ bufnr = buf, name = "reportls" })[1]
  if client == nil then
    table.insert(result.errors, "reportls client not attached")
    return
  end
  result.root_dir = client.root_dir
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local function find(pattern)
    for i, line in ipairs(lines) do
      local col = line:find(pattern, 1, true)
      if col then return i - 1, col - 1 end
    end
  end
  local hl, hc = find("### Question 14")
  local resp = client:request_sync("textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = hl, character = hc + 4 },
  }, 10000, buf)
  if resp and resp.result then result.hover = resp.result.contents.value end
  -- type a new image link at the end of question 19's answer, then complete after "](figures/"
  local l19 = find("### Question 20")
  local insert_line = l19 - 1
  vim.api.nvim_buf_set_lines(buf, insert_line, insert_line, false, { "![new](figures/" })
  vim.wait(300)
  resp = client:request_sync("textDocument/completion", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = insert_line, character = #"![new](figures/" },
    context = { triggerKind = 2, triggerCharacter = "/" },
  }, 10000, buf)
  if resp and resp.result then
    local items = resp.result.items or resp.result
    local defaults = resp.result.itemDefaults or {}
    for _, item in ipairs(items) do
      -- an item carries its own textEdit, or textEditText with the list's shared editRange
      table.insert(result.completion, {
        label = item.label,
        newText = item.textEdit and item.textEdit.newText or item.textEditText,
        range = item.textEdit and (item.textEdit.range or item.textEdit.replace) or defaults.editRange,
      })
    end
  elseif resp and resp.err then
    table.insert(result.errors, "completion error: " .. vim.inspect(resp.err))
  end
end)
if not ok then table.insert(result.errors, tostring(err)) end
finish()
