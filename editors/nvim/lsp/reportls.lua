-- reportls for Neovim 0.11+ (native LSP config).
-- Put editors/nvim on your 'runtimepath' (or copy this file to ~/.config/nvim/lsp/reportls.lua),
-- then call vim.lsp.enable("reportls"). With editors/nvim on 'runtimepath' you also get
-- plugin/reportls.lua (:ReportlsHandin, a notice when `reportls` is missing) and
-- require("reportls").status() for the statusline.
---@type vim.lsp.Config
return {
  cmd = { "reportls", "serve" },
  filetypes = { "markdown" },
  -- The report lives in reports/ beside report.py; fall back to the repository root.
  -- With none of these found Neovim starts the server in single-file mode.
  root_markers = { "report.py", ".reportls.yaml", ".git" },
  init_options = {
    reportls = {
      -- constraints = "auto",        -- or "report.py", "2023-pre", "2023", "2025-pre", "2025", "2026"
      -- severity = { placeholder = "information" },
      inlayHints = true,
      debounceMs = 150,
    },
  },
  settings = { reportls = {} },
}
