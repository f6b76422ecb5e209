// vscode_test.js - the VS Code extension (editors/vscode) short of VS Code
// itself, which Debian does not package.
//
// usage: node vscode_test.js MRSPC REPO_DIR
//
// Checks what VS Code reads from the extension: the manifest's language,
// grammar and settings; the language configuration (comments '#', the
// brackets < > { } [ ], auto-closing); the problem matcher, applied to the
// real output of 'mrspc check' on a policy with mistakes, finds each error
// at the line and column mrspc gives; and extension.js, loaded with
// stand-ins for the 'vscode' and 'vscode-languageclient' modules, starts
// 'mrspc lsp' for mrsp documents, passes the include directories, says how
// to fix a missing mrspc, and stops the server on deactivation.  Prints
// "N passed, N failed"; exits 1 on any failure.
'use strict';

const fs = require('fs');
const path = require('path');
const Module = require('module');
const { execFileSync } = require('child_process');

const [mrspc, repoDir] = process.argv.slice(2);
const extensionDir = path.join(repoDir, 'editors', 'vscode');
let passed = 0;
let failed = 0;

function check(ok, what) {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${what}`);
  if (ok) passed++;
  else failed++;
  return ok;
}

const readJson = (file) => JSON.parse(fs.readFileSync(path.join(extensionDir, file), 'utf8'));

function checkManifest(manifest) {
  const language = manifest.contributes.languages.find((l) => l.id === 'mrsp');
  check(language && language.extensions.includes('.mrsp'), 'the extension claims .mrsp files');
  check(fs.existsSync(path.join(extensionDir, language.configuration)),
    'the language configuration file exists');
  const grammar = manifest.contributes.grammars.find((g) => g.language === 'mrsp');
  const grammarFile = path.join(extensionDir, grammar.path);
  check(fs.existsSync(grammarFile) &&
    JSON.parse(fs.readFileSync(grammarFile, 'utf8')).scopeName === grammar.scopeName,
  'the grammar file exists and has the scope the manifest names');
  check(fs.existsSync(path.join(extensionDir, manifest.main)), 'the entry point exists');
  check(manifest.activationEvents.includes('onLanguage:mrsp'), 'the extension starts with an mrsp file');
  check(Boolean(manifest.dependencies['vscode-languageclient']),
    'the extension depends on vscode-languageclient');
  check(fs.existsSync(path.join(extensionDir, 'package-lock.json')),
    'the dependencies are locked (package-lock.json)');
  const settings = manifest.contributes.configuration.properties;
  check(settings['mrsp.server.path'].default === 'mrspc', 'mrsp.server.path defaults to mrspc');
}

function checkLanguageConfiguration(config) {
  check(config.comments.lineComment === '#', "comments start with '#'");
  const pairs = config.brackets.map((pair) => pair.join(''));
  for (const pair of ['<>', '{}', '[]'])
    check(pairs.includes(pair), `${pair} are brackets`);
  const closing = config.autoClosingPairs.map((pair) => pair.open + pair.close);
  for (const pair of ['<>', '{}', '[]', '""'])
    check(closing.includes(pair), `${pair} close automatically`);
  const word = new RegExp(`^(?:${config.wordPattern})$`);
  for (const text of ['clinical_question', '2025-08-28', '+0698T', 'glioma'])
    check(word.test(text), `'${text}' is one word for the editor`);
}

// The problem matcher on real 'mrspc check' output: the same errors, at
// the same places, as mrspc's JSON.
function checkProblemMatcher(manifest) {
  const matcher = manifest.contributes.problemMatchers.find((m) => m.name === 'mrspc');
  const pattern = matcher.pattern;
  const regexp = new RegExp(pattern.regexp);
  const file = path.join(repoDir, 'tests', 'lsp', 'fixtures', 'errors.mrsp');
  const run = (args) => {
    try {
      return execFileSync(mrspc, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      return error.stdout + error.stderr;
    }
  };
  const text = run(['check', '--color=never', file]);
  const expected = JSON.parse(run(['check', '--format=json', file]));
  const problems = text.split('\n').map((line) => regexp.exec(line)).filter(Boolean);
  check(problems.length === expected.length,
    `the problem matcher finds the ${expected.length} errors (found ${problems.length})`);
  expected.forEach((want, i) => {
    const got = problems[i] || [];
    check(got[pattern.file] === want.file && Number(got[pattern.line]) === want.line &&
      Number(got[pattern.column]) === want.column,
    `problem ${i + 1} is ${want.file}:${want.line}:${want.column}`);
    check(got[pattern.severity] === want.severity && got[pattern.message] === want.message,
      `problem ${i + 1} is an ${want.severity}: "${want.message}"`);
  });
  check(!text.split('\n').some((line) => /: note: /.test(line) && regexp.test(line)),
    'notes are not separate problems');
}

// ---- extension.js with stand-ins for VS Code ---------------------------------

function standIns(settings, startFails) {
  const events = { clients: [], errors: [], commands: [], stopped: 0 };
  const vscode = {
    workspace: {
      getConfiguration: (section) => ({
        get: (key, fallback) => (`${section}.${key}` in settings ? settings[`${section}.${key}`] : fallback),
      }),
      onDidChangeConfiguration: () => ({ dispose() {} }),
    },
    window: { showErrorMessage: (message) => events.errors.push(message) },
    commands: {
      registerCommand: (name) => {
        events.commands.push(name);
        return { dispose() {} };
      },
    },
  };
  class LanguageClient {
    constructor(id, name, server, client) {
      Object.assign(this, { id, name, server, client });
      events.clients.push(this);
    }

    start() {
      return startFails ? Promise.reject(new Error('spawn mrspc ENOENT')) : Promise.resolve();
    }

    stop() {
      events.stopped++;
      return Promise.resolve();
    }
  }
  const languageClient = { LanguageClient, TransportKind: { stdio: 0 } };
  return { events, modules: { vscode, 'vscode-languageclient/node': languageClient } };
}

function loadExtension(modules) {
  const original = Module._load;
  Module._load = function load(request, ...rest) {
    return request in modules ? modules[request] : original.call(this, request, ...rest);
  };
  try {
    const file = require.resolve(path.join(extensionDir, 'extension.js'));
    delete require.cache[file];
    return require(file);
  } finally {
    Module._load = original;
  }
}

async function checkExtension(manifest) {
  const settings = { 'mrsp.server.path': '/opt/mrspc/bin/mrspc', 'mrsp.server.includeDirs': ['/policies/lib'] };
  const { events, modules } = standIns(settings, false);
  const extension = loadExtension(modules);
  await extension.activate({ subscriptions: [] });
  const client = events.clients[0] || { server: {}, client: { documentSelector: [] } };
  check(events.clients.length === 1, 'activating starts one language client');
  check(client.server.command === '/opt/mrspc/bin/mrspc', 'the client runs the configured mrspc');
  check(JSON.stringify(client.server.args) === JSON.stringify(['lsp', '-I', '/policies/lib']),
    "the client runs 'mrspc lsp -I DIR' (got " + JSON.stringify(client.server.args) + ')');
  check(client.client.documentSelector.some((s) => s.language === 'mrsp' && s.scheme === 'file'),
    'the client serves mrsp documents');
  const declared = manifest.contributes.commands.map((c) => c.command);
  check(events.commands.length > 0 && events.commands.every((c) => declared.includes(c)),
    'every command it registers is declared in the manifest');
  await extension.deactivate();
  check(events.stopped === 1, 'deactivating stops the server');

  const failing = standIns({}, true);
  const broken = loadExtension(failing.modules);
  await broken.activate({ subscriptions: [] });
  check(failing.events.clients[0] && failing.events.clients[0].server.command === 'mrspc',
    'without settings the client runs mrspc from PATH');
  check(failing.events.errors.length === 1 && failing.events.errors[0].includes('mrsp.server.path'),
    'when mrspc cannot start, the message says which setting to change');
}

async function main() {
  const manifest = readJson('package.json');
  checkManifest(manifest);
  checkLanguageConfiguration(readJson('language-configuration.json'));
  checkProblemMatcher(manifest);
  await checkExtension(manifest);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.log(`FAIL - ${error.stack}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
