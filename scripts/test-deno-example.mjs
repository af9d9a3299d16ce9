// Deno example test: examples/deno/main.ts (Deno, TypeScript sources via its import map) must print
// the same key numbers as the Node run of the same pipeline (examples/report.mjs, built packages).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const deno = `${root}node_modules/.bin/deno`;
const env = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' };
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 16 << 20 });

const fromNode = run(process.execPath, ['examples/report.mjs', '--json']);
const fromDeno = run(deno, ['run', '--quiet', `--allow-read=${root}`, 'examples/deno/main.ts', '--json']);
const numbers = JSON.parse(fromNode);
if (fromNode !== fromDeno) {
  const a = fromNode.split('\n');
  const b = fromDeno.split('\n');
  const diff = a.map((line, i) => (line === b[i] ? null : `  node: ${line.trim()}\n  deno: ${(b[i] ?? '').trim()}`)).filter(Boolean);
  console.error(`test-deno-example: Deno and Node print different numbers:\n${diff.join('\n')}`);
  process.exit(1);
}
const table = run(deno, ['run', '--quiet', `--allow-read=${root}`, 'examples/deno/main.ts']);
// the key column is as wide as the longest key, so match the row without counting spaces
if (!new RegExp(`^cdnowCustomers +${numbers.cdnowCustomers}$`, 'm').test(table)) {
  console.error(`test-deno-example: the table output lacks the customer count:\n${table}`);
  process.exit(1);
}
console.log(`test-deno-example: Deno and Node print the same ${Object.keys(numbers).length} key numbers (BG/NBD r = ${numbers.bgNbd.r}, Telco forest AUC = ${numbers.telcoForestAuc})`);
