-- Neovim config for docs/screenshot.py: reportls from editors/nvim, inlay hints, a hover, and the
-- question under the cursor in the statusline (require("reportls").status()).
vim.opt.termguicolors = true
vim.opt.number = true
vim.opt.wrap = true
vim.opt.linebreak = true
vim.opt.signcolumn = "yes"
vim.opt.laststatus = 2
vim.opt.statusline = "%<%f %h%m%r%=%{v:lua.require'reportls'.status()}   %-10.(%l,%c%) %P"
vim.diagnostic.config({ virtual_text = { prefix = "●" }, underline = true, signs = true })
vim.lsp.enable("reportls")
vim.api.nvim_create_autocmd("LspAttach", {
  callback = function(args)
    vim.lsp.inlay_hint.enable(true, { bufnr = args.buf })
  end,
})
local target = vim.env.REPORTLS_SHOT_LINE or "### Question 7"
vim.api.nvim_create_autocmd("DiagnosticChanged", {
  once = true,
  callback = function()
    vim.defer_fn(function()
      -- the question at the top of the screen, the cursor on its answer, the hover below it
      vim.fn.search(vim.fn.escape(target, "\\/.*$^~[]"))
      vim.cmd("normal! zt")
      vim.fn.search("Answer:")
      vim.fn.search("\\S", "W")
      vim.fn.search("\\S", "W")
      vim.defer_fn(function() vim.lsp.buf.hover({ border = "rounded", max_width = 90 }) end, 300)
    end, 300)
  end,
})
