-- Driven by test_nvim.py with a PATH that has no `reportls`: open two markdown buffers (the
-- report and another file) with editors/nvim's config, and write what the user was told as JSON.
-- With REPORTLS_PROBE_CMD set, the user's vim.lsp.config gives the server's full path instead.
local result = { notifications = {}, errors = {} }
vim.notify = function(msg, level)
  table.insert(result.notifications, { msg = msg, level = level })
end
local ok, err = pcall(function()
  if vim.env.REPORTLS_PROBE_CMD then
    vim.lsp.config("reportls", { cmd = { vim.env.REPORTLS_PROBE_CMD, "serve" } })
  end
  vim.lsp.enable("reportls")
  vim.cmd.edit(vim.env.REPORTLS_PROBE_REPORT)
  local buf = vim.api.nvim_get_current_buf()
  vim.cmd.edit(vim.env.REPORTLS_PROBE_OTHER)
  vim.cmd.buffer(buf)
  vim.wait(vim.env.REPORTLS_PROBE_CMD and 10000 or 500, function()
    return #vim.lsp.get_clients({ bufnr = buf, name = "reportls" }) > 0
  end, 20)
  result.clients = #vim.lsp.get_clients({ bufnr = buf, name = "reportls" })
  result.status = require("reportls").status()
  if not vim.env.REPORTLS_PROBE_CMD then
    vim.cmd("ReportlsHandin")  -- no client: says so, opens nothing
    vim.wait(200)
  end
end)
if not ok then table.insert(result.errors, tostring(err)) end
local f = assert(io.open(vim.env.REPORTLS_PROBE_OUT, "w"))
f:write(vim.json.encode(result))
f:close()
vim.cmd("qall!")
