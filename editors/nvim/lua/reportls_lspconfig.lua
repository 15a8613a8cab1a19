-- reportls for older setups with nvim-lspconfig (Neovim 0.9/0.10).
-- Usage: require("reportls_lspconfig") after adding editors/nvim to 'runtimepath', or paste this.
local ok, configs = pcall(require, "lspconfig.configs")
if not ok then
  vim.notify("reportls: nvim-lspconfig is not installed", vim.log.levels.WARN)
  return
end
local cmd = { "reportls", "serve" }  -- or { "/full/path/to/reportls", "serve" }
if vim.fn.executable(cmd[1]) == 0 then
  -- Not set up (no spawn error per buffer); said once, on the first markdown buffer.
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "markdown",
    once = true,
    callback = function()
      require("reportls").check_command(cmd, "put it in cmd in editors/nvim/lua/reportls_lspconfig.lua")
    end,
  })
  return
end
local util = require("lspconfig.util")
if not configs.reportls then
  configs.reportls = {
    default_config = {
      cmd = cmd,
      filetypes = { "markdown" },
      root_dir = function(fname)
        return util.root_pattern("report.py", ".reportls.yaml", ".git")(fname) or vim.fs.dirname(fname)
      end,
      single_file_support = true,
      init_options = { reportls = { inlayHints = true, debounceMs = 150 } },
      settings = { reportls = {} },
    },
  }
end
require("lspconfig").reportls.setup({})
