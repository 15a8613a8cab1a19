-- reportls for older setups with nvim-lspconfig (Neovim 0.9/0.10).
-- Usage: require("reportls_lspconfig") after adding editors/nvim to 'runtimepath', or paste this.
local ok, configs = pcall(require, "lspconfig.configs")
if not ok then
  vim.notify("reportls: nvim-lspconfig is not installed", vim.log.levels.WARN)
  return
end
local util = require("lspconfig.util")
if not configs.reportls then
  configs.reportls = {
    default_config = {
      cmd = { "reportls", "serve" },
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
