-- Neovim, headless, as an editor: start `sst-vocab lsp` with the built-in client (the API of Neovim 0.7,
-- still there in later versions), attach it to the current buffer, wait for a diagnostic whose message
-- contains $SST_WANT, and write every diagnostic received to $SST_OUT as JSON.
local out = vim.env.SST_OUT
local root = vim.env.SST_ROOT
local cmd = { vim.env.SST_PYTHON, "-m", "sst_vocab", "lsp" }
local id = vim.lsp.start_client({ name = "sst-vocab", cmd = cmd, root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = "proj" } } })
vim.lsp.buf_attach_client(0, id)
local ok = vim.wait(120000, function()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.message:find(vim.env.SST_WANT, 1, true) then return true end
  end
  return false
end, 200)
local items = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(items, { lnum = d.lnum, col = d.col, severity = d.severity, message = d.message,
                        code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) })
end
local f = io.open(out, "w")
f:write(vim.fn.json_encode({ ok = ok, diagnostics = items }))
f:close()
vim.lsp.stop_client(id)
vim.wait(5000, function() return vim.lsp.get_client_by_id(id) == nil end, 100)
vim.cmd("qa!")
