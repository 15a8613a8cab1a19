--- reportls's Neovim helpers, loaded on first use (plugin/reportls.lua wires them up):
---  * check_command(): says once per session, with vim.notify, that the `reportls` command is
---    missing and how to install it (Neovim itself only logs that to lsp.log);
---  * status(): a short statusline string for the question under the cursor, e.g.
---    "Q7 · 43/50-100 words ✗", from the server's `reportls/questionStatus` request, cached per
---    buffer; it never waits for the server;
---  * handin(): the hand-in page (what `report.py html` renders, from `reportls/handinPreview`)
---    written to a temporary file and opened with vim.ui.open.
local M = {}

local api = vim.api
local uv = vim.uv or vim.loop
local NAME = "reportls"
local DEBOUNCE_MS = 120
M.DEBOUNCE_MS = DEBOUNCE_MS  -- cursor moves and edits within this many ms ask the server once

-- ---------------------------------------------------------------------------------------------
-- Shared helpers

local function resolve_buf(bufnr)
  if bufnr == nil or bufnr == 0 then
    return api.nvim_get_current_buf()
  end
  return bufnr
end

local function client_for(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = NAME })[1]
end

--- client:request on 0.11+, client.request before.
local function request(client, method, params, handler, bufnr)
  if vim.fn.has("nvim-0.11") == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- JSON null may arrive as nil or vim.NIL.
local function value(x)
  if x == vim.NIL then
    return nil
  end
  return x
end

-- ---------------------------------------------------------------------------------------------
-- The "reportls is not installed" notice

--- The reportls clone this file belongs to (editors/nvim/lua/reportls/init.lua), if it is one.
local function clone_root()
  local source = debug.getinfo(1, "S").source
  if source:sub(1, 1) ~= "@" then
    return nil
  end
  local dir = vim.fn.fnamemodify(source:sub(2), ":p")
  for _ = 1, 5 do
    dir = vim.fs.dirname(dir)
  end
  if uv.fs_stat(dir .. "/pyproject.toml") and uv.fs_stat(dir .. "/server/reportls") then
    return dir
  end
  return nil
end

local SET_PATH = "vim.lsp.config('reportls', { cmd = { '/full/path/to/reportls', 'serve' } })"

--- The text of the notice for a missing command `exe`; `set_path` says how to give a full path.
function M.missing_message(exe, set_path)
  local root = clone_root()
  local where = root and (root:find("[%s'\"]") and vim.fn.shellescape(root) or root) or "/path/to/reportls"
  return table.concat({
    ("reportls: the `%s` command was not found, so the report checker did not start."):format(exe),
    ("Install it with `pipx install %s` or `uv tool install %s` (from a clone of reportls;"):format(where, where),
    "it puts `reportls` on your PATH, no virtual environment to activate),",
    "or give its full path: " .. (set_path or SET_PATH),
  }, "\n")
end

M._missing_notified = false

--- Checks that cmd[1] is executable; if not, says so once per session. Returns true when it is
--- (or when cmd is a function, which cannot be checked).
function M.check_command(cmd, set_path)
  if type(cmd) ~= "table" or type(cmd[1]) ~= "string" then
    return true
  end
  if vim.fn.executable(cmd[1]) == 1 then
    return true
  end
  if not M._missing_notified then
    M._missing_notified = true
    local msg = M.missing_message(cmd[1], set_path)
    vim.schedule(function()
      vim.notify(msg, vim.log.levels.WARN, { title = "reportls" })
    end)
  end
  return false
end

local function natively_enabled()
  if vim.lsp.is_enabled then
    return vim.lsp.is_enabled(NAME)
  end
  return vim.lsp._enabled_configs ~= nil and vim.lsp._enabled_configs[NAME] ~= nil
end

--- On a markdown buffer: when vim.lsp.enable("reportls") is on, checks the command it will run.
function M.check_enabled_config()
  if not vim.lsp.config or not natively_enabled() then
    return
  end
  local ok, config = pcall(function()
    return vim.lsp.config[NAME]
  end)
  if ok and type(config) == "table" then
    M.check_command(config.cmd)
  end
end

-- ---------------------------------------------------------------------------------------------
-- Statusline

--- "50-100", "≥50", "≤100", or nil when the question has no bound.
local function bounds_text(lo, hi)
  lo, hi = value(lo), value(hi)
  if lo ~= nil and hi ~= nil then
    return ("%d-%d"):format(lo, hi)
  elseif lo ~= nil then
    return ("≥%d"):format(lo)
  elseif hi ~= nil then
    return ("≤%d"):format(hi)
  end
  return nil
end

--- The statusline text for one `reportls/questionStatus` answer ("" for null).
function M.format_status(s)
  if type(s) ~= "table" or value(s.number) == nil then
    return ""
  end
  local parts = { "Q" .. s.number }
  local words = tostring(value(s.words) or 0)
  local wb = bounds_text(s.minWords, s.maxWords)
  parts[#parts + 1] = wb and (words .. "/" .. wb .. " words") or (words .. (words == "1" and " word" or " words"))
  local ib = bounds_text(s.minImages, s.maxImages)
  if ib then
    parts[#parts + 1] = ("%d/%s img"):format(value(s.images) or 0, ib)
  end
  local text = table.concat(parts, " · ")
  local passed = value(s.passed)
  if passed == true then
    text = text .. " ✓"
  elseif passed == false then
    text = text .. " ✗"
  end
  if value(s.crash) then
    text = text .. " · report.py crashes"  -- the whole check fails (wrong number of answers)
  end
  return text
end

--- bufnr -> { text, key, inflight, again, gen, line, requests }
local state = {}
local group = nil

local function forget(bufnr)
  state[bufnr] = nil
  if group then
    pcall(api.nvim_clear_autocmds, { group = group, buffer = bufnr })
  end
end

--- A window showing bufnr: the current one if it does, else the first.
local function window_for(bufnr)
  local win = api.nvim_get_current_win()
  if api.nvim_win_get_buf(win) == bufnr then
    return win
  end
  local other = vim.fn.bufwinid(bufnr)
  if other ~= -1 then
    return other
  end
  return nil
end

local function set_text(st, text)
  if st.text ~= text then
    st.text = text
    pcall(vim.cmd, "redrawstatus!")
  end
end

--- Asks the server for the status at the cursor now (asynchronously). At most one request per
--- buffer is in flight; asking while one is would ask once more when it answers.
function M.refresh(bufnr)
  bufnr = resolve_buf(bufnr)
  local st = state[bufnr]
  if not st then
    return
  end
  if not api.nvim_buf_is_valid(bufnr) then
    forget(bufnr)
    return
  end
  local client = client_for(bufnr)
  if not client then
    set_text(st, "")
    return
  end
  if st.inflight then
    st.again = true
    return
  end
  local win = window_for(bufnr)
  if not win then
    return
  end
  local params = vim.lsp.util.make_position_params(win, client.offset_encoding)
  st.inflight = true
  st.requests = st.requests + 1
  local sent = request(client, "reportls/questionStatus", params, function(err, result)
    st.inflight = false
    if state[bufnr] ~= st then
      return
    end
    set_text(st, err and "" or M.format_status(result))
    if st.again then
      st.again = false
      M.refresh(bufnr)
    end
  end, bufnr)
  if not sent then
    st.inflight = false
  end
end

--- Refreshes after DEBOUNCE_MS without another poke (cursor moves, edits).
local function poke(bufnr, st)
  st.gen = st.gen + 1
  local gen = st.gen
  vim.defer_fn(function()
    if state[bufnr] == st and st.gen == gen then
      M.refresh(bufnr)
    end
  end, DEBOUNCE_MS)
end

local function track(bufnr)
  local st = { text = "", key = nil, inflight = false, again = false, gen = 0, line = nil, requests = 0 }
  state[bufnr] = st
  group = group or api.nvim_create_augroup("reportls_status", { clear = true })
  api.nvim_create_autocmd({ "CursorHold", "DiagnosticChanged" }, {
    group = group,
    buffer = bufnr,
    callback = function()
      M.refresh(bufnr)
    end,
  })
  api.nvim_create_autocmd({ "CursorMoved", "CursorMovedI" }, {
    group = group,
    buffer = bufnr,
    callback = function()
      local line = api.nvim_win_get_cursor(0)[1]
      if line ~= st.line then
        st.line = line
        poke(bufnr, st)
      end
    end,
  })
  api.nvim_create_autocmd({ "BufWipeout", "LspDetach" }, {
    group = group,
    buffer = bufnr,
    callback = function(args)
      if args.event == "LspDetach" then
        local client = args.data and vim.lsp.get_client_by_id(args.data.client_id)
        if client and client.name ~= NAME then
          return
        end
      end
      forget(bufnr)
    end,
  })
  return st
end

--- Statusline text for the question under the cursor of bufnr (default: the current buffer),
--- e.g. "Q7 · 43/50-100 words ✗"; "" outside a question, outside a report, or with no reportls
--- client. Returns the cached text at once and asks the server in the background when the
--- buffer or cursor line changed since the last ask.
function M.status(bufnr)
  bufnr = resolve_buf(bufnr)
  local st = state[bufnr]
  if not client_for(bufnr) then
    if st then
      forget(bufnr)
    end
    return ""
  end
  if not st then
    st = track(bufnr)
  end
  local win = window_for(bufnr)
  if win then
    local line = api.nvim_win_get_cursor(win)[1]
    local key = api.nvim_buf_get_changedtick(bufnr) .. ":" .. line
    if key ~= st.key then
      local first = st.key == nil
      st.key, st.line = key, line
      if first then
        vim.schedule(function()
          M.refresh(bufnr)
        end)
      else
        poke(bufnr, st)
      end
    end
  end
  return st.text
end

--- The last status text of bufnr without asking the server (nil when not tracked), and how many
--- requests were sent for it: for tests and debugging.
function M.cached(bufnr)
  local st = state[resolve_buf(bufnr)]
  if not st then
    return nil, 0
  end
  return st.text, st.requests
end

-- ---------------------------------------------------------------------------------------------
-- Hand-in preview

local function attr(s)
  return (s:gsub("&", "&amp;"):gsub('"', "&quot;"):gsub("<", "&lt;"))
end

--- The page with a <base href> (so `figures/...` resolves from the report's folder) and a UTF-8
--- charset, both placed in <head> when the page has one, else before it.
function M.with_base(html, folder_uri)
  local tags = '<base href="' .. attr(folder_uri) .. '">'
  if not html:find("<[Mm][Ee][Tt][Aa][^>]-[Cc][Hh][Aa][Rr][Ss][Ee][Tt]") then
    tags = '<meta charset="utf-8">\n' .. tags
  end
  local _, head_end = html:find("<[Hh][Ee][Aa][Dd]>")
  if not head_end then
    _, head_end = html:find("<[Hh][Ee][Aa][Dd]%s[^>]*>")
  end
  if head_end then
    return html:sub(1, head_end) .. "\n" .. tags .. html:sub(head_end + 1)
  end
  return tags .. "\n" .. html
end

local handin_files = {}

local function say(msg, level)
  vim.notify(msg, level or vim.log.levels.INFO, { title = "reportls" })
end

--- :ReportlsHandin: the hand-in page of bufnr (default: current buffer), as the grader sees it,
--- written to a temporary file outside the repository and opened with vim.ui.open. Calls
--- on_done(path) once the page is written (path nil on failure).
function M.handin(bufnr, on_done)
  bufnr = resolve_buf(bufnr)
  local done = on_done or function() end
  local client = client_for(bufnr)
  if not client then
    say("reportls: the report checker is not running for this buffer", vim.log.levels.WARN)
    return done(nil)
  end
  local name = api.nvim_buf_get_name(bufnr)
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }
  local sent = request(client, "reportls/handinPreview", params, function(err, result)
    if err then
      say("reportls: hand-in preview failed: " .. tostring(err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return done(nil)
    end
    result = value(result)
    if type(result) ~= "table" or type(value(result.html)) ~= "string" then
      say("reportls: this buffer is not a report, so there is no hand-in page", vim.log.levels.WARN)
      return done(nil)
    end
    local folder = vim.uri_from_fname(vim.fs.dirname(vim.fn.fnamemodify(name, ":p"))) .. "/"
    local page = M.with_base(result.html, folder)
    local path = handin_files[bufnr] or (vim.fn.tempname() .. ".html")
    local f, open_err = io.open(path, "wb")
    if not f then
      say("reportls: cannot write the hand-in page: " .. tostring(open_err), vim.log.levels.ERROR)
      return done(nil)
    end
    f:write(page)
    f:close()
    handin_files[bufnr] = path
    local _, ui_err = vim.ui.open(path)
    if ui_err then
      say(("reportls: hand-in page written to %s, but it could not be opened: %s"):format(path, ui_err),
        vim.log.levels.WARN)
    else
      say("reportls: hand-in page opened: " .. path)
    end
    done(path)
  end, bufnr)
  if not sent then
    say("reportls: the report checker did not take the request", vim.log.levels.WARN)
    done(nil)
  end
end

return M
