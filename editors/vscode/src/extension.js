// The VS Code client for reportls: starts the server (an installed reportls, else the one bundled in
// the extension), shows the question at the cursor in the status bar, and previews the hand-in page.
"use strict";

const path = require("path");
const vscode = require("vscode");
const { LanguageClient, ErrorAction, CloseAction, State } = require("vscode-languageclient/node");
const { resolveServer, bundledLauncher, serverSettings, clientOptions } = require("./findServer");
const { ServerController, RestartPolicy, errorHandler } = require("./serverControl");
const { formatStatus, LatestOnly, hoverPosition } = require("./status");
const { rewriteImageSources, bodyOf, previewPage, messageBody, makeNonce } = require("./handinHtml");

const PYTHON_DOWNLOADS = "https://www.python.org/downloads/";
const PREVIEW_DEBOUNCE_MS = 300;

/** @type {vscode.OutputChannel} */
let output;
/** @type {ServerController} */
let controller;

/** @returns {LanguageClient | null} the client when it is running */
function runningClient() {
  const client = controller && controller.client;
  return client && client.isRunning() ? client : null;
}

/** The Python extension's interpreter for the workspace, if that extension is installed. */
async function pythonExtensionInterpreter() {
  const ext = vscode.extensions.getExtension("ms-python.python");
  if (!ext) return null;
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    const envs = api && api.environments;
    if (envs && envs.getActiveEnvironmentPath && envs.resolveEnvironment) {
      const env = await envs.resolveEnvironment(envs.getActiveEnvironmentPath());
      const exe = env && env.executable && env.executable.uri;
      if (exe) return exe.fsPath;
    }
    const details = api && api.settings && api.settings.getExecutionDetails ? api.settings.getExecutionDetails() : null;
    const cmd = details && details.execCommand;
    return cmd && cmd.length === 1 ? cmd[0] : null; // e.g. `conda run ...` is not an interpreter path
  } catch {
    return null;
  }
}

async function notifyProblem(problem) {
  const actions = problem.kind === "no-python" ? ["Get Python", "Retry", "Show log"] : ["Open settings", "Show log"];
  const choice = await vscode.window.showErrorMessage(problem.error, ...actions);
  if (choice === "Get Python") vscode.env.openExternal(vscode.Uri.parse(PYTHON_DOWNLOADS));
  if (choice === "Retry") controller.restart();
  if (choice === "Open settings") vscode.commands.executeCommand("workbench.action.openSettings", "reportls.server");
  if (choice === "Show log") output.show();
}

/** @param {vscode.ExtensionContext} context */
function makeController(context) {
  const policy = new RestartPolicy();
  return new ServerController({
    policy,
    log: (line) => output.appendLine(line),
    notify: (problem) => void notifyProblem(problem),
    resolve: async () => {
      const config = vscode.workspace.getConfiguration("reportls");
      return resolveServer({
        serverPath: config.get("server.path"),
        pythonPath: config.get("server.pythonPath"),
        interpreter: await pythonExtensionInterpreter(),
        launcher: bundledLauncher(context.extensionPath),
      });
    },
    startClient: async (resolved) => {
      const config = vscode.workspace.getConfiguration("reportls");
      const opts = clientOptions(serverSettings((key) => config.get(key)));
      const watcher = vscode.workspace.createFileSystemWatcher(opts.watchGlob);
      const client = new LanguageClient("reportls", "reportls", {
        command: resolved.command,
        args: resolved.args, // no `transport`: with TransportKind.stdio the client would append --stdio
        options: { env: process.env },
      }, {
        documentSelector: opts.documentSelector,
        initializationOptions: opts.initializationOptions,
        synchronize: { configurationSection: opts.synchronize.configurationSection, fileEvents: watcher },
        outputChannel: output,
        traceOutputChannel: output,
        errorHandler: errorHandler(policy, { ErrorAction, CloseAction }, (message) => {
          output.appendLine(message);
          vscode.window.showErrorMessage(message, "Show log").then((c) => c && output.show());
        }),
      });
      client.onDidChangeState(() => statusBar && statusBar.refresh());
      client.reportlsWatcher = watcher;
      try {
        await client.start();
      } catch (err) {
        output.appendLine(`reportls server failed to start: ${err}`);
        vscode.window.showErrorMessage(`reportls server failed to start: ${err}. See the reportls output.`);
      }
      return client;
    },
    stopClient: async (client) => {
      try {
        if (client.state !== State.Stopped) await client.stop();
      } catch (err) {
        output.appendLine(`stopping the reportls server: ${err}`);
      }
      if (client.reportlsWatcher) client.reportlsWatcher.dispose();
    },
  });
}

/** The status bar item "Q7 · 43/50-100 words ✗" for the question at the cursor. */
class QuestionStatusBar {
  constructor() {
    this.item = vscode.window.createStatusBarItem("reportls.question", vscode.StatusBarAlignment.Right, 100);
    this.item.name = "reportls: question at the cursor";
    this.item.command = "reportls.showQuestionHover";
    /** @type {import("./status").QuestionStatus | null} */
    this.last = null;
    this.runner = new LatestOnly(
      ({ client, params }) => client.sendRequest("reportls/questionStatus", params),
      (result, { uri }) => this.show(result, uri),
      (err) => {
        output.appendLine(`reportls/questionStatus: ${err && err.message ? err.message : err}`);
        this.hide();
      },
    );
  }

  refresh() {
    const editor = vscode.window.activeTextEditor;
    const client = runningClient();
    if (!editor || editor.document.languageId !== "markdown" || !client) {
      this.runner.cancelQueued();
      this.hide();
      return;
    }
    const c2p = client.code2ProtocolConverter;
    const params = { textDocument: c2p.asTextDocumentIdentifier(editor.document), position: c2p.asPosition(editor.selection.active) };
    this.runner.request({ client, params, uri: editor.document.uri.toString() });
  }

  show(result, uri) {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.toString() !== uri) return; // a newer refresh follows
    const view = formatStatus(result);
    if (!view) return this.hide();
    this.last = result;
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.failing ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
    this.item.show();
  }

  hide() {
    this.last = null;
    this.item.hide();
  }

  async showHover() {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return;
    const cursor = editor.selection.active;
    if (this.last) {
      const p = hoverPosition((l) => editor.document.lineAt(l).text, cursor, this.last);
      if (p.line !== cursor.line || p.character !== cursor.character) {
        const pos = new vscode.Position(p.line, p.character);
        editor.selection = new vscode.Selection(pos, pos);
        editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      }
    }
    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
    await vscode.commands.executeCommand("editor.action.showHover");
  }

  dispose() {
    this.item.dispose();
  }
}

/** @type {QuestionStatusBar | undefined} */
let statusBar;

/** The "reportls: Preview hand-in" webview for one report, refreshed as it is edited. */
class HandinPreview {
  /** @type {Map<string, HandinPreview>} */
  static open = new Map();

  /** @param {vscode.TextDocument} document */
  static show(document) {
    const key = document.uri.toString();
    const existing = HandinPreview.open.get(key);
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Beside, true);
      existing.refresh();
      return existing;
    }
    const preview = new HandinPreview(document);
    HandinPreview.open.set(key, preview);
    return preview;
  }

  /** @param {vscode.TextDocument} document */
  constructor(document) {
    this.uri = document.uri;
    this.folder = document.uri.scheme === "file" ? path.dirname(document.uri.fsPath) : null;
    this.nonce = makeNonce();
    this.body = messageBody("Rendering the hand-in page…");
    this.panel = vscode.window.createWebviewPanel(
      "reportls.handinPreview",
      `Hand-in: ${path.basename(document.uri.path)}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true, // only the page's own nonce'd script runs (see handinHtml.js)
        enableFindWidget: true,
        localResourceRoots: this.folder ? [vscode.Uri.file(this.folder)] : [],
      },
    );
    this.rendered = false; // the placeholder page is up; the first answer replaces it whole
    this.panel.webview.html = previewPage(this.body, { cspSource: this.panel.webview.cspSource, nonce: this.nonce });
    this.wasVisible = true;
    this.runner = new LatestOnly(
      ({ client, params }) => client.sendRequest("reportls/handinPreview", params),
      (result) => this.update(result && typeof result.html === "string"
        ? this.rewrite(result.html)
        : messageBody("Not a report: reportls previews markdown files with a ### Question 1 heading and an Answer: marker.")),
      (err) => this.update(messageBody(`The hand-in preview failed: ${err && err.message ? err.message : err}`)),
    );
    this.timer = undefined;
    this.disposables = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.uri.toString()) this.schedule();
      }),
      this.panel.onDidChangeViewState(() => {
        if (this.panel.visible && !this.wasVisible) this.render(); // a hidden webview lost its page
        this.wasVisible = this.panel.visible;
      }),
      this.panel.onDidDispose(() => this.dispose()),
    ];
    this.refresh();
  }

  rewrite(html) {
    const body = bodyOf(html);
    if (!this.folder) return body;
    return rewriteImageSources(body, this.folder, (file) => this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString());
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), PREVIEW_DEBOUNCE_MS);
  }

  refresh() {
    const client = runningClient();
    if (!client) {
      this.update(messageBody("The reportls server is not running (see the reportls output)."));
      return;
    }
    const params = { textDocument: { uri: client.code2ProtocolConverter.asUri(this.uri) } };
    this.runner.request({ client, params });
  }

  /** Show a new body: the first one as a whole page, later ones in place (keeps the scroll position). */
  update(body) {
    this.body = body;
    if (!this.panel.visible) return; // rendered when shown again
    if (!this.rendered) return this.render();
    this.panel.webview.postMessage({ type: "update", body }).then((delivered) => delivered || this.render());
  }

  /** Replace the whole page (the first answer, and when a hidden panel is shown again). */
  render() {
    this.rendered = true;
    const cspSource = this.panel.webview.cspSource;
    this.panel.webview.html = previewPage(this.body, { cspSource, nonce: this.nonce, title: this.panel.title });
  }

  dispose() {
    clearTimeout(this.timer);
    HandinPreview.open.delete(this.uri.toString());
    for (const d of this.disposables) d.dispose();
  }
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  output = vscode.window.createOutputChannel("reportls");
  context.subscriptions.push(output);
  controller = makeController(context);
  statusBar = new QuestionStatusBar();
  const refresh = () => statusBar.refresh();
  context.subscriptions.push(
    statusBar,
    vscode.commands.registerCommand("reportls.restart", () => controller.restart()),
    vscode.commands.registerCommand("reportls.showQuestionHover", () => statusBar.showHover()),
    vscode.commands.registerCommand("reportls.previewHandin", () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== "markdown") {
        vscode.window.showInformationMessage("reportls: open the report (reports/README.md) to preview its hand-in page.");
        return;
      }
      HandinPreview.show(editor.document);
    }),
    vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor === vscode.window.activeTextEditor && refresh()),
    vscode.window.onDidChangeActiveTextEditor(refresh),
    vscode.languages.onDidChangeDiagnostics((e) => {
      const editor = vscode.window.activeTextEditor;
      if (editor && e.uris.some((u) => u.toString() === editor.document.uri.toString())) refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("reportls.server")) controller.restart();
    }),
  );
  await controller.start();
  refresh();
}

async function deactivate() {
  for (const preview of HandinPreview.open.values()) preview.panel.dispose();
  if (controller) await controller.stop();
}

module.exports = { activate, deactivate };
