// Exact explanations on Telco: @crm/churn's TreeSHAP (RandomForest.explain) on the 1,407 test rows
// of a 100-tree forest, beside XGBoost 1.7's pred_contribs (its own exact path-dependent TreeSHAP,
// C++, one thread) on a 100-tree booster of the same depth, in the same run. Goal of issue 13:
// explain 1,407 rows of a 100-tree model in under 1 s. Run after `pnpm build`:
//   node --single-threaded benchmarks/churn/explain.mjs [--all]
// Times are CPU seconds of the one thread (V8 with --single-threaded; XGBoost with nthread=1,
// OMP_NUM_THREADS=1), median over the repeats after one untimed warm-up call.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { RandomForest } from '@crm/churn';
import { telco } from './data.mjs';

/** Timed repeats per case (after one warm-up); the deeper forests take seconds per call, so fewer. */
const REPEATS = { 6: 5, 10: 3, pure: 1 };
// Forests grown until pure (the scikit-learn default) take tens of seconds per call: `--all` adds them.
const ALL = process.argv.includes('--all');
const TREES = 100;
const data = telco();
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeOurs(options, repeats) {
  const forest = RandomForest.fit(data.XTrain, data.yTrain, { trees: TREES, seed: 42, ...options });
  const json = forest.toJSON();
  const leaves = json.trees.reduce((s, t) => s + t.feature.filter((f) => f < 0).length, 0);
  const depth = Math.max(...json.trees.map(depthOf));
  let e = forest.explain(data.XTest); // warm-up
  const cpu = [];
  const wall = [];
  for (let r = 0; r < repeats; r++) {
    const c0 = cpuSeconds();
    const w0 = performance.now();
    e = forest.explain(data.XTest);
    cpu.push(cpuSeconds() - c0);
    wall.push((performance.now() - w0) / 1000);
  }
  let worst = 0;
  e.contributions.forEach((phi, i) => {
    const s = phi.reduce((a, b) => a + b, e.base);
    worst = Math.max(worst, Math.abs(s - e.output[i]));
  });
  return { cpu: median(cpu), wall: median(wall), leaves, depth, maxAdditivityError: worst };
}

function depthOf(t) {
  const d = new Array(t.feature.length).fill(0);
  let max = 0;
  t.feature.forEach((f, i) => {
    if (f < 0) return;
    d[t.left[i]] = d[t.right[i]] = d[i] + 1;
    max = Math.max(max, d[i] + 1);
  });
  return max;
}

function timeXgboost(maxDepth, repeats) {
  const script = fileURLToPath(new URL('./explain_xgboost.py', import.meta.url));
  const input = JSON.stringify({ XTrain: data.XTrain, yTrain: data.yTrain, XTest: data.XTest, trees: TREES, maxDepth, repeats });
  const r = spawnSync('/usr/bin/python3', [script], { input, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 1 << 26 });
  if (r.status !== 0) return { error: (r.stderr || 'failed').trim().split('\n').pop() };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const rows = [];
const cases = [
  ['depth ≤ 6', { maxDepth: 6 }, 6, REPEATS[6]],
  ['depth ≤ 10', { maxDepth: 10 }, 10, REPEATS[10]],
  ...(ALL ? [['grown until pure (scikit-learn default)', {}, null, REPEATS.pure]] : []),
];
for (const [label, options, xgbDepth, repeats] of cases) {
  const ours = timeOurs(options, repeats);
  rows.push({ model: `crm RandomForest, ${TREES} trees, ${label}`, repeats, ...ours });
  if (xgbDepth !== null) {
    const x = timeXgboost(xgbDepth, repeats);
    rows.push({ model: `XGBoost ${x.xgboost ?? ''} pred_contribs, ${TREES} trees, max_depth ${xgbDepth}`, repeats, ...x });
  }
}

console.log(`Machine: ${cpus().length}-core ${process.arch} (${cpus()[0]?.model.trim()}), Node ${process.version}, load average ${loadavg()[0].toFixed(1)}.`);
console.log(`Telco test rows explained: ${data.XTest.length} × ${data.XTest[0].length} features; CPU s of one thread, median of the repeats after a warm-up.`);
console.log('');
console.log('| model | repeats | leaves (all trees) | deepest tree | explain CPU s | wall s | max \\|base + Σφ − output\\| | under 1 s? |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  if (r.error) {
    console.log(`| ${r.model} | – | – | – | ${r.error} | – | – | – |`);
    continue;
  }
  console.log(`| ${r.model} | ${r.repeats} | ${r.leaves.toLocaleString('en-US')} | ${r.depth ?? '≤ max_depth'} | ${r.cpu.toFixed(3)} | ${r.wall.toFixed(3)} | ${r.maxAdditivityError.toExponential(1)} | ${r.cpu < 1 ? 'yes' : 'no'} |`);
}
