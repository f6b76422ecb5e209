// extension.js - the mrsp extension for VS Code: starts the language
// server ('mrspc lsp') for .mrsp files.  Plain JavaScript, no build step;
// highlighting, brackets and comments come from package.json's
// contributions (syntaxes/, language-configuration.json).
//
// Settings: mrsp.server.path (the mrspc executable, default "mrspc" on
// PATH) and mrsp.server.includeDirs (directories for 'use', passed as -I).
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client = null;

function serverOptions() {
  const config = vscode.workspace.getConfiguration('mrsp');
  const args = ['lsp'];
  for (const dir of config.get('server.includeDirs', [])) args.push('-I', dir);
  return { command: config.get('server.path', 'mrspc'), args, transport: TransportKind.stdio };
}

async function startClient() {
  client = new LanguageClient('mrsp', 'mrsp language server', serverOptions(), {
    documentSelector: [
      { scheme: 'file', language: 'mrsp' },
      { scheme: 'untitled', language: 'mrsp' },
    ],
  });
  try {
    await client.start();
  } catch (error) {
    client = null;
    vscode.window.showErrorMessage(
      `mrsp: could not start 'mrspc lsp' (${error.message}). ` +
        'Set mrsp.server.path to the mrspc executable.');
  }
}

async function stopClient() {
  if (!client) return;
  const running = client;
  client = null;
  await running.stop();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('mrsp.restartServer', async () => {
      await stopClient();
      await startClient();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('mrsp.server')) {
        await stopClient();
        await startClient();
      }
    }));
  await startClient();
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate };
