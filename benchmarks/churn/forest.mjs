// RandomForest(100) beside scikit-learn's RandomForestClassifier (1.2.1, n_jobs=1), in one run, on
// the same matrices and settings, at three sizes:
//   Telco: the reference preprocessing (45 features) and scikit-learn's split, 5,625 training rows;
//   Telco ×12 and ×62: those rows replicated (67,500 and 348,750 rows) with seeded N(0, 0.05²)
//   noise on the three continuous (standardised) columns, so they become many-valued as real
//   customer data is; AUC on the 1,407 original Telco test rows, which no training set contains.
// Settings, both: 100 trees, bootstrap, √p features per split, Gini, unlimited depth, 1 row per
// leaf, 2 rows to split (scikit-learn's defaults; ours are the same).
// Times are fit CPU seconds of the process, not wall seconds: the machine is shared, and CPU time
// is what each implementation spends on its one thread (V8 run with --single-threaded so its
// compiler and GC work are counted on that thread; scikit-learn with n_jobs=1 and
// OMP_NUM_THREADS=1). Median of the repeats (each listed); wall seconds beside them.
// Run after `pnpm -F "@crm/churn..." build`:
//   node --single-threaded benchmarks/churn/forest.mjs
// `--sizes 1,12` runs only some of the sizes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomForest, rocAuc } from '@crm/churn';
import { median, replicated, telco } from './data.mjs';

const TREES = 100;
// [copies, repeats, untimed warm-up fits of ours]
const SIZES = [
  [1, 5, 1],
  [12, 2, 0],
  [62, 1, 0],
];
const only = process.argv.includes('--sizes') ? process.argv[process.argv.indexOf('--sizes') + 1].split(',').map(Number) : undefined;

function ours(data, repeats, warmup) {
  const cpu = [];
  const wall = [];
  let model;
  for (let r = 0; r < warmup + repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    model = RandomForest.fit(data.XTrain, data.yTrain, { trees: TREES, seed: 42 });
    const c = process.cpuUsage(c0);
    if (r >= warmup) {
      wall.push((performance.now() - t0) / 1000);
      cpu.push((c.user + c.system) / 1e6);
    }
  }
  const nodes = model.toJSON().trees.reduce((s, t) => s + t.feature.length, 0);
  return { cpu_s: median(cpu), all: cpu, wall_s: median(wall), auc: rocAuc(data.yTest, model.predictProba(data.XTest)), nodes };
}

const PY = String.raw`
import json, sys, time, statistics
import numpy as np
d, repeats, trees = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
p = json.load(open(d + '/shape.json'))
Xtr = np.fromfile(d + '/Xtr.bin').reshape(-1, p['cols']); ytr = np.fromfile(d + '/ytr.bin')
Xte = np.fromfile(d + '/Xte.bin').reshape(-1, p['cols']); yte = np.fromfile(d + '/yte.bin')
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
cpu, wall = [], []
for _ in range(repeats):
    c0 = time.process_time(); t0 = time.perf_counter()
    m = RandomForestClassifier(n_estimators=trees, max_features='sqrt', criterion='gini', max_depth=None,
                               min_samples_split=2, min_samples_leaf=1, bootstrap=True, n_jobs=1, random_state=0).fit(Xtr, ytr)
    wall.append(time.perf_counter() - t0); cpu.append(time.process_time() - c0)
nodes = int(sum(e.tree_.node_count for e in m.estimators_))
print(json.dumps({'impl': 'scikit-learn ' + sklearn.__version__ + ' RandomForestClassifier', 'cpu_s': statistics.median(cpu), 'all': cpu,
                  'wall_s': statistics.median(wall), 'auc': roc_auc_score(yte, m.predict_proba(Xte)[:, 1]), 'nodes': nodes}))
`;

function sklearn(data, repeats) {
  const dir = mkdtempSync(join(tmpdir(), 'crm-forest-'));
  try {
    const cols = data.XTrain[0].length;
    const flat = (X) => Buffer.from(Float64Array.from(X.flat()).buffer);
    writeFileSync(join(dir, 'Xtr.bin'), flat(data.XTrain));
    writeFileSync(join(dir, 'ytr.bin'), Buffer.from(Float64Array.from(data.yTrain).buffer));
    writeFileSync(join(dir, 'Xte.bin'), flat(data.XTest));
    writeFileSync(join(dir, 'yte.bin'), Buffer.from(Float64Array.from(data.yTest).buffer));
    writeFileSync(join(dir, 'shape.json'), JSON.stringify({ cols }));
    const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const r = spawnSync('/usr/bin/python3', ['-c', PY, dir, String(repeats), String(TREES)], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const base = telco();
const rows = [];
const loads = [loadavg()[0]];
for (const [copies, repeats, warmup] of SIZES) {
  if (only && !only.includes(copies)) continue;
  const data = replicated(base, copies);
  const label = `${data.name} ${data.XTrain.length.toLocaleString('en')} × ${data.XTrain[0].length}`;
  const mine = ours(data, repeats, warmup);
  const theirs = sklearn(data, repeats);
  loads.push(loadavg()[0]);
  rows.push({ data: label, impl: 'crm RandomForest', ...mine, ratio: mine.cpu_s / theirs.cpu_s });
  rows.push({ data: label, ...theirs, ratio: 1 });
  console.error(`${label}: ours ${mine.cpu_s.toFixed(3)} s, scikit-learn ${theirs.cpu_s.toFixed(3)} s CPU`);
}

console.log(`Machine: ${cpus().length}-core ${process.arch} (${cpus()[0]?.model}), Node ${process.version}, load average ${loads.map((l) => l.toFixed(1)).join(' → ')} (start, after each size).`);
console.log('Fit CPU seconds on one thread, median of the repeats (each repeat listed), wall seconds (median); test AUC on the 1,407 Telco test rows; nodes in the 100 trees.\n');
console.log('| data | implementation | fit CPU s, median | CPU s, each repeat | fit wall s, median | test AUC | nodes | CPU time vs scikit-learn |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.data} | ${r.impl} | ${r.cpu_s.toFixed(3)} | ${r.all.map((t) => t.toFixed(2)).join(', ')} | ${r.wall_s.toFixed(3)} | ${r.auc.toFixed(4)} | ${r.nodes.toLocaleString('en')} | ${r.ratio.toFixed(2)}× |`);
}
