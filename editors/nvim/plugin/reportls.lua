-- reportls for Neovim: the :ReportlsHandin command and, on markdown buffers, the one-time notice
-- when the `reportls` command is missing. The work lives in lua/reportls (loaded on first use);
-- the server's own config is lsp/reportls.lua (vim.lsp.enable("reportls")).
if vim.g.loaded_reportls then
  return
end
vim.g.loaded_reportls = true

vim.api.nvim_create_user_command("ReportlsHandin", function()
  require("reportls").handin()
end, { desc = "reportls: open the hand-in page (what report.py html renders) in the browser" })

vim.api.nvim_create_autocmd("FileType", {
  group = vim.api.nvim_create_augroup("reportls", { clear = true }),
  pattern = "markdown",
  desc = "reportls: say once when the reportls command is missing",
  callback = function()
    require("reportls").check_enabled_config()
  end,
})
