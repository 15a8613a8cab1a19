// The VS Code client for reportls: start `reportls serve` for markdown files.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");
const { resolveServerCommand, serverSettings, clientOptions } = require("./findServer");

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let output;

async function pythonExtensionInterpreter() {
  const ext = vscode.extensions.getExtension("ms-python.python");
  if (!ext) return null;
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    const details = api && api.settings && api.settings.getExecutionDetails ? api.settings.getExecutionDetails() : null;
    return details && details.execCommand ? details.execCommand[0] : null;
  } catch {
    return null;
  }
}

async function start(context) {
  const config = vscode.workspace.getConfiguration("reportls");
  const resolved = resolveServerCommand({
    serverPath: config.get("server.path"),
    pythonPath: config.get("server.pythonPath"),
    interpreter: await pythonExtensionInterpreter(),
  });
  if ("error" in resolved) {
    output.appendLine(resolved.error);
    const choice = await vscode.window.showErrorMessage(resolved.error, "Open settings", "Show log");
    if (choice === "Open settings") vscode.commands.executeCommand("workbench.action.openSettings", "reportls.server");
    if (choice === "Show log") output.show();
    return;
  }
  output.appendLine(`Starting reportls server: ${resolved.command} ${resolved.args.join(" ")} (from ${resolved.source})`);
  const opts = clientOptions(serverSettings((key) => config.get(key)));
  const serverOptions = {
    command: resolved.command,
    args: resolved.args, // no `transport`: with TransportKind.stdio the client would append --stdio
    options: { env: process.env },
  };
  const watcher = vscode.workspace.createFileSystemWatcher(opts.watchGlob);
  context.subscriptions.push(watcher);
  client = new LanguageClient("reportls", "reportls", serverOptions, {
    documentSelector: opts.documentSelector,
    initializationOptions: opts.initializationOptions,
    synchronize: { configurationSection: opts.synchronize.configurationSection, fileEvents: watcher },
    outputChannel: output,
    traceOutputChannel: output,
  });
  try {
    await client.start();
  } catch (err) {
    output.appendLine(`reportls server failed to start: ${err}`);
    vscode.window.showErrorMessage(`reportls server failed to start: ${err}. See the reportls output.`);
  }
}

async function activate(context) {
  output = vscode.window.createOutputChannel("reportls");
  context.subscriptions.push(output);
  context.subscriptions.push(
    vscode.commands.registerCommand("reportls.restart", async () => {
      if (client) await client.stop();
      client = undefined;
      await start(context);
    }),
  );
  await start(context);
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
