// textmate_test.js - the VS Code grammar (editors/vscode/syntaxes) under
// vscode-textmate and vscode-oniguruma, the engine VS Code itself uses.
//
// usage: node textmate_test.js NODE_MODULES_DIR REPO_DIR
//
// Tokenises every shipped .mrsp file (policies/, stdlib/) and the editor
// test fixtures, and checks each against a small independent scanner that
// knows the language's lexical rules (grammar/mrsp.l): every comment,
// string, keyword, date, number, citation and group bracket gets the scope
// it should, no name gets a keyword's scope because a keyword starts it
// ("indication" is not "in"), every declared name is scoped as a
// definition, and no file leaves the grammar inside an unclosed string.
// Then checks chosen places of the session fixture exactly.  Prints
// "N passed, N failed"; exits 1 on any failure.
'use strict';

const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const [modulesDir, repoDir] = process.argv.slice(2);
const load = createRequire(path.join(path.resolve(modulesDir), 'node_modules', 'x.js'));
const vsctm = load('vscode-textmate');
const oniguruma = load('vscode-oniguruma');

const grammarPath = path.join(repoDir, 'editors', 'vscode', 'syntaxes', 'mrsp.tmLanguage.json');
const FAILURES_SHOWN = 15;
let passed = 0;
let failed = 0;
let shown = 0;

function check(ok, what) {
  if (ok) {
    passed++;
  } else {
    failed++;
    if (shown++ < FAILURES_SHOWN * 4) console.log(`FAIL - ${what}`);
  }
  return ok;
}

async function loadGrammar() {
  const wasm = fs.readFileSync(load.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scope) =>
      scope === 'source.mrsp'
        ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath)
        : null,
  });
  return registry.loadGrammar('source.mrsp');
}

// Lines of text as the grammar sees them: the scopes of each UTF-16 unit.
function tokenise(grammar, text) {
  let state = vsctm.INITIAL;
  const lines = text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    const scopes = new Array(line.length);
    for (const token of result.tokens)
      for (let i = token.startIndex; i < Math.min(token.endIndex, line.length); i++)
        scopes[i] = token.scopes;
    return scopes;
  });
  return { lines, depth: state.depth };
}

// ---- the reference scanner ------------------------------------------------

const KEYWORD_SCOPES = {
  'keyword.other.declaration.mrsp': 'policy references use enum fact criterion test',
  'keyword.control.rule.mrsp': 'applies refer investigational exclude require note',
  'keyword.operator.logical.mrsp': 'all any not',
  'keyword.operator.word.mrsp':
    'at least most of in has is between and within before after on or more less than to when',
  'keyword.other.test.mrsp': 'expect missing notes rule',
  'constant.language.boolean.mrsp': 'true false',
  'constant.language.unknown.mrsp': 'unknown',
  'keyword.other.unit.mrsp': 'day days week weeks month months year years',
  'storage.type.mrsp': 'set',
};
const keywordScope = new Map();
for (const [scope, words] of Object.entries(KEYWORD_SCOPES))
  for (const word of words.split(' ')) keywordScope.set(word, scope);

const DEFINITION_SCOPES = {
  criterion: 'entity.name.function.criterion.mrsp',
  fact: 'entity.name.variable.fact.mrsp',
  test: 'entity.name.function.test.mrsp',
  policy: 'entity.name.namespace.policy.mrsp',
};

// Lexemes of a file, each {kind, text, line, column} (column in UTF-16
// units, as the grammar counts), with a string or comment once per line.
function scan(text) {
  const lexemes = [];
  let line = 0;
  let column = 0;
  let i = 0;
  const advance = () => {
    if (text[i] === '\n') {
      line++;
      column = 0;
    } else {
      column++;
    }
    i++;
  };
  const add = (kind, start, startLine, startColumn) =>
    lexemes.push({ kind, text: text.slice(start, i), line: startLine, column: startColumn });
  let citation = false;
  while (i < text.length) {
    const c = text[i];
    const [start, startLine, startColumn] = [i, line, column];
    if (/\s/.test(c)) {
      advance();
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') advance();
      add('comment', start, startLine, startColumn);
    } else if (c === '"') {
      add('string', start, startLine, startColumn);
      advance();
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') advance();
        if (text[i] === '\n') {
          advance();
          while (i < text.length && /[ \t]/.test(text[i])) advance();
          if (i < text.length && text[i] !== '\n') add('string', i, line, column);
          continue;
        }
        advance();
      }
      advance();
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /\w/.test(text[i])) advance();
      add('word', start, startLine, startColumn);
    } else if (/\d/.test(c)) {
      while (i < text.length && /[\w-]/.test(text[i]) && !(text[i] === '-' && citation)) advance();
      const word = text.slice(start, i);
      const kind = citation ? 'citation' : /^\d{4}-\d{2}(-\d{2})?$/.test(word) ? 'date'
        : /^\d+$/.test(word) ? 'number' : /^\d+[A-Za-z]\w*$/.test(word) ? 'code' : 'other';
      add(kind, start, startLine, startColumn);
    } else {
      if (c === '[') citation = true;
      if (c === ']') citation = false;
      advance();
      add('punct', start, startLine, startColumn);
    }
  }
  return lexemes;
}

function scopeAt(tokens, lexeme) {
  const line = tokens.lines[lexeme.line] || [];
  return line[lexeme.column] || [];
}

const has = (scopes, prefix) => scopes.some((scope) => scope.startsWith(prefix));

// What the grammar must say of one lexeme, given the one before it.
function expectation(lexeme, previous) {
  switch (lexeme.kind) {
    case 'comment': return 'comment.line.number-sign.mrsp';
    case 'string': return 'string.quoted.double.mrsp';
    case 'date': return 'constant.numeric.date.mrsp';
    case 'citation': return 'constant.numeric.citation.mrsp';
    case 'number': return 'constant.numeric';
    case 'code': return 'constant.other.code.mrsp';
    case 'punct':
      return lexeme.text === '<' || lexeme.text === '>' ? 'punctuation.section.group' : null;
    case 'word':
      if (keywordScope.has(lexeme.text)) return keywordScope.get(lexeme.text);
      if (previous && previous.kind === 'word' && DEFINITION_SCOPES[previous.text])
        return DEFINITION_SCOPES[previous.text];
      return null;
    default:
      return null;
  }
}

function checkFile(grammar, file) {
  const text = fs.readFileSync(file, 'utf8');
  const tokens = tokenise(grammar, text);
  const name = path.relative(repoDir, file);
  check(tokens.depth === 1, `${name}: the grammar ends the file outside every string and block`);
  let previous = null;
  for (const lexeme of scan(text)) {
    const scopes = scopeAt(tokens, lexeme);
    const wanted = expectation(lexeme, previous);
    const where = `${name}:${lexeme.line + 1}:${lexeme.column + 1} '${lexeme.text.slice(0, 30)}'`;
    if (wanted) check(has(scopes, wanted), `${where} is ${wanted} (got ${scopes.join(' ')})`);
    if (lexeme.kind === 'word' && !keywordScope.has(lexeme.text))
      check(!has(scopes, 'keyword.'), `${where} is a name, not a keyword (got ${scopes.join(' ')})`);
    if (lexeme.kind !== 'comment') previous = lexeme;
  }
}

// ---- chosen places of the session fixture -----------------------------------

function checkPlaces(grammar) {
  const file = path.join(repoDir, 'tests', 'lsp', 'fixtures', 'session.mrsp');
  const text = fs.readFileSync(file, 'utf8');
  const tokens = tokenise(grammar, text);
  const places = [
    ['lsp_session {', 0, 'entity.name.namespace.policy.mrsp'],
    ['title ', 0, 'variable.other.property.mrsp'],
    ['+0698T', 0, 'constant.other.code.mrsp'],
    ['criterion tumour', 10, 'entity.name.function.criterion.mrsp'],
    ['exclude recent', 0, 'keyword.control.rule.mrsp'],
    ['exclude recent', 8, 'entity.name.function.rule.mrsp'],
    ['require all', 8, 'keyword.operator.logical.mrsp'],
    ['[1] =', 1, 'constant.numeric.citation.mrsp'],
    ['use session_module', 4, 'entity.name.namespace.module.mrsp'],
    ['test adult_glioma', 5, 'entity.name.function.test.mrsp'],
    ['3 months', 2, 'keyword.other.unit.mrsp'],
    ['note claustrophobia', 5, 'entity.name.function.rule.mrsp'],
    ['when claustrophobia', 5, null],
  ];
  for (const [needle, shift, scope] of places) {
    const at = text.indexOf(needle) + shift;
    const line = text.slice(0, at).split('\n').length - 1;
    const column = at - (text.lastIndexOf('\n', at - 1) + 1);
    const scopes = tokens.lines[line][column] || [];
    if (scope)
      check(scopes.includes(scope), `'${needle}' +${shift} is ${scope} (got ${scopes.join(' ')})`);
    else
      check(scopes.join(' ') === 'source.mrsp', `'${needle}' +${shift} is plain (got ${scopes.join(' ')})`);
  }
}

function mrspFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.mrsp')).sort().map((f) => path.join(dir, f));
}

async function main() {
  const grammar = await loadGrammar();
  const policies = mrspFiles(path.join(repoDir, 'policies'));
  check(policies.length >= 5, `policies/ holds the five policies (${policies.length})`);
  const files = [...policies, ...mrspFiles(path.join(repoDir, 'stdlib')),
    ...mrspFiles(path.join(repoDir, 'tests', 'lsp', 'fixtures'))];
  for (const file of files) checkFile(grammar, file);
  checkPlaces(grammar);
  console.log(`tokenised ${files.length} files`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.log(`FAIL - ${error.stack}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
