-- Driven by test_nvim.py: open a report in real headless Neovim with editors/nvim's config (lsp/,
-- plugin/, lua/reportls), wait for reportls's diagnostics, ask for a hover, the statusline status,
-- the hand-in page and a completion, and write what came back as JSON.
local out_path = vim.env.REPORTLS_PROBE_OUT
local report = vim.env.REPORTLS_PROBE_REPORT
local result = {
  diagnostics = {}, hover = nil, completion = {}, errors = {}, notifications = {}, status = {}, handin = {},
}

local function finish()
  local f = assert(io.open(out_path, "w"))
  f:write(vim.json.encode(result))
  f:close()
  vim.cmd("qall!")
end

-- what the config says to the user, and what it asks the system to open
vim.notify = function(msg, level)
  table.insert(result.notifications, { msg = msg, level = level })
end
local opened = {}
vim.ui.open = function(path)
  local f = io.open(path, "rb")
  local content = f and f:read("*a")
  if f then f:close() end
  table.insert(opened, { path = path, exists = f ~= nil, content = content })
  return nil, nil
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
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(result.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, code = d.code, message = d.message,
      severity = d.severity, source = d.source, unnecessary = (d._tags or {}).unnecessary == true,
      lsp_tags = lsp.tags or {},
    })
  end
  local client = vim.lsp.get_clients({ bufnr = buf, name = "reportls" })[1]
  if client == nil then
    table.insert(result.errors, "reportls client not attached")
    return
  end
  result.root_dir = client.root_dir
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local function find(pattern, from)
    for i = from or 1, #lines do
      local col = lines[i]:find(pattern, 1, true)
      if col then return i - 1, col - 1 end
    end
  end
  local hl, hc = find("### Question 14")
  local resp = client:request_sync("textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = hl, character = hc + 4 },
  }, 10000, buf)
  if resp and resp.result then result.hover = resp.result.contents.value end

  -- statusline: require("reportls").status() on the answers of question 7 and 14 and the title
  local reportls = require("reportls")
  local function answer_line(n)  -- 0-based line of question n's answer text
    local heading
    for i, line in ipairs(lines) do
      if line == "### Question " .. n then heading = i break end
    end
    local marker = find("> Answer:", heading)
    return marker + 2  -- "> Answer:", a blank line, the answer
  end
  local st = result.status
  local function wait_change(read, from)
    vim.wait(5000, function() return read() ~= from end, 10)
    return (read())
  end
  local status = function() return reportls.status() end
  local cached = function() return (reportls.cached()) end
  local function requests() return select(2, reportls.cached()) end

  vim.api.nvim_win_set_cursor(0, { answer_line(7) + 1, 3 })
  local t0 = vim.uv.hrtime()
  st.first = reportls.status()  -- nothing cached yet: "" at once, the request goes out later
  st.first_ms = (vim.uv.hrtime() - t0) / 1e6
  st.q7 = wait_change(status, "")
  -- many redraws on one line send no request of their own
  local before = requests()
  for _ = 1, 200 do reportls.status() end
  vim.wait(400)
  st.same_line_requests = requests() - before
  -- another question: status() gives the cached text at once and asks in the background
  vim.api.nvim_win_set_cursor(0, { answer_line(14) + 1, 0 })
  before = requests()
  t0 = vim.uv.hrtime()
  st.moved_immediate = {}
  for i = 1, 100 do st.moved_immediate[i] = reportls.status() end
  st.moved_100_calls_ms = (vim.uv.hrtime() - t0) / 1e6
  st.requests_sent_synchronously = requests() - before
  st.q14 = wait_change(status, st.q7)
  vim.wait(300)
  st.moved_requests = requests() - before
  -- CursorMoved alone (no statusline redraw), line by line down to question 19's answer with 20 ms
  -- between moves: one request once the cursor settles
  before = requests()
  local max_gap, last = 0, vim.uv.hrtime()
  st.moves = 0
  local first_line, last_line = answer_line(14) + 2, answer_line(19) + 1
  for line = first_line, last_line, math.ceil((last_line - first_line) / 15) do
    vim.api.nvim_win_set_cursor(0, { line, 0 })
    vim.api.nvim_exec_autocmds("CursorMoved", { buffer = buf })
    st.moves = st.moves + 1
    vim.wait(20)
    local now = vim.uv.hrtime()
    max_gap, last = math.max(max_gap, (now - last) / 1e6), now
  end
  vim.api.nvim_win_set_cursor(0, { last_line, 0 })
  vim.api.nvim_exec_autocmds("CursorMoved", { buffer = buf })
  st.moves_max_gap_ms = max_gap
  st.debounce_ms = reportls.DEBOUNCE_MS
  st.q19 = wait_change(cached, st.q14)
  vim.wait(300)
  st.cursormoved_requests = requests() - before
  -- outside any question: the server answers null
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  st.title = wait_change(status, st.q19)
  -- an edit that makes question 7 pass: DiagnosticChanged refreshes the cache without status()
  vim.api.nvim_win_set_cursor(0, { answer_line(7) + 1, 0 })
  st.q7_again = wait_change(status, st.title)
  local l7 = answer_line(7)
  vim.api.nvim_buf_set_lines(buf, l7, l7 + 1, false, { string.rep("word ", 60) })
  st.after_edit = wait_change(cached, st.q7_again)
  vim.api.nvim_buf_set_lines(buf, l7, l7 + 1, false, { lines[l7 + 1] })  -- back to the text on disk
  st.after_undo = wait_change(cached, st.after_edit)

  -- :ReportlsHandin, twice (the second writes the same file)
  for round = 1, 2 do
    local said = #result.notifications
    vim.cmd("ReportlsHandin")
    vim.wait(10000, function()  -- opened, or said why not
      return #opened >= round or #result.notifications > said
    end, 20)
    if #opened < round then
      table.insert(result.errors, "ReportlsHandin opened nothing (round " .. round .. ")")
      break
    end
  end
  result.handin = opened

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
