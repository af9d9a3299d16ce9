// Determinism test: the same seed gives the same doubles in Node and Deno. Runs
// scripts/determinism/seeded.mjs (every generator stream, the portable functions and the seeded
// models, each number as the 16 hex digits of its bits) in Node on the built packages and in Deno
// on both the TypeScript sources (as JSR serves them) and the built packages, and compares the
// outputs bit for bit. Needs `pnpm build` first.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const deno = `${root}node_modules/.bin/deno`;
const script = 'scripts/determinism/seeded.mjs';
const env = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' };
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 64 << 20 });

if (!existsSync(`${root}packages/core/dist/index.js`)) {
  console.error('test-determinism: packages are not built; run `pnpm build` first');
  process.exit(1);
}
const runs = {
  'node (dist)': run(process.execPath, [script, 'dist']),
  'deno (src)': run(deno, ['run', '--quiet', `--allow-read=${root}`, script, 'src']),
  'deno (dist)': run(deno, ['run', '--quiet', `--allow-read=${root}`, script, 'dist']),
};
const [[refName, refText], ...others] = Object.entries(runs);
const reference = refText.trimEnd().split('\n');
// Guard against a comparison of nothing: every stream and model must have printed its numbers.
const required = ['rng(0).normal', 'rng(42).split.normal', 'portableLog', 'KMeans(kmeans++)', 'Som(online', 'NeuralNetwork(tanh)', 'RandomForest(entropy)', 'DecisionTree(entropy)', 'simulateBgNbd(CDNOW)', 'permutationImportance', 'crossValidate'];
const missing = required.filter((label) => !reference.some((line) => line.startsWith(label)));
if (missing.length > 0 || reference.length < 100_000) {
  console.error(`test-determinism: ${refName} printed ${reference.length} lines; missing: ${missing.join(', ') || 'none'}`);
  process.exit(1);
}
let failed = false;
for (const [name, text] of others) {
  const lines = text.trimEnd().split('\n');
  const diff = [];
  for (let i = 0; i < Math.max(lines.length, reference.length); i++) {
    if (lines[i] !== reference[i]) diff.push(`  ${refName}: ${reference[i] ?? '(none)'}\n  ${name}: ${lines[i] ?? '(none)'}`);
  }
  if (diff.length > 0) {
    failed = true;
    console.error(`test-determinism: ${name} differs from ${refName} in ${diff.length} of ${reference.length} numbers, first:\n${diff.slice(0, 10).join('\n')}`);
  }
}
if (failed) process.exit(1);
console.log(`test-determinism: ${Object.keys(runs).join(', ')} print the same ${reference.length} numbers bit for bit`);
