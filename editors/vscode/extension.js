// A minimal client for `sst-vocab lsp`: start the server over stdio for Turtle files.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("sstVocab").get("command");
  const server = { command, args, transport: TransportKind.stdio };
  client = new LanguageClient("sst-vocab", "sst-vocab", { run: server, debug: server }, {
    documentSelector: [{ scheme: "file", language: "turtle" }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.ttl") },
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
