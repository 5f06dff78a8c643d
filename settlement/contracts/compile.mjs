// Compiles src/*.sol with the pinned solc-js (package.json), offline, into OUT_DIR/<Contract>.abi and .bin.
// Usage: node compile.mjs OUT_DIR. Fails on any compiler error or warning, so a contract never ships with one.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const solc = require('solc');
const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error('usage: node compile.mjs OUT_DIR');
  process.exit(2);
}
const sources = {};
for (const file of fs.readdirSync(path.join(here, 'src')).filter(f => f.endsWith('.sol')).sort()) {
  sources[file] = { content: fs.readFileSync(path.join(here, 'src', file), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'paris',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
function findImports(importPath) {
  const resolved = path.join(here, 'node_modules', importPath);
  if (!resolved.startsWith(path.join(here, 'node_modules'))) {
    return { error: 'import outside node_modules: ' + importPath };
  }
  try {
    return { contents: fs.readFileSync(resolved, 'utf8') };
  } catch (e) {
    return { error: 'not found: ' + importPath };
  }
}
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const problems = (output.errors || []).filter(e => e.severity === 'error' || e.severity === 'warning');
for (const p of problems) {
  console.error(p.formattedMessage);
}
if (problems.length > 0) {
  process.exit(1);
}
fs.mkdirSync(out, { recursive: true });
let count = 0;
for (const file of Object.keys(sources)) {
  for (const [name, contract] of Object.entries(output.contracts[file] || {})) {
    fs.writeFileSync(path.join(out, name + '.abi'), JSON.stringify(contract.abi));
    fs.writeFileSync(path.join(out, name + '.bin'), contract.evm.bytecode.object);
    count++;
  }
}
console.log('compiled ' + count + ' contracts with solc ' + solc.version() + ' into ' + out);
