// GradientBoosting beside scikit-learn's HistGradientBoostingClassifier (OMP_NUM_THREADS=1) and
// XGBoost (tree_method='hist', nthread=1), in one run, on the same matrices and settings:
//   Telco: the reference preprocessing (45 features) and scikit-learn's split, 5,625 training rows;
//   Telco ×62: the training rows replicated 62 times (348,750 rows) with seeded N(0, 0.05²) noise
//   on the three continuous (standardised) columns; AUC on the 1,407 original test rows.
// Settings: 100 iterations, learning rate 0.1, 31 leaves, min 20 rows per leaf, 255 bins, L2 0,
// no early stopping. XGBoost has no rows-per-leaf minimum (min_child_weight is a hessian sum):
// it runs with min_child_weight 1e-3 (= scikit-learn's min_hessian_to_split), lossguide growth,
// max_leaves 31, max_bin 255, lambda 0, eta 0.1, 100 rounds.
// Times are fit CPU seconds of the process (every peer on one thread; V8 run with --single-threaded
// so its compiler and GC work are counted on the one thread), median of the repeats, ours after
// warm-up fits; wall seconds beside them. On a shared machine CPU time is the fairer measure.
// Run after `pnpm -F "@crm/churn..." build`:
//   node --single-threaded benchmarks/churn/gbdt.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GradientBoosting, rocAuc } from '@crm/churn';
import { median, replicated, telco } from './data.mjs';

const COPIES = 62;
const OPTIONS = { maxIter: 100, learningRate: 0.1, maxLeafNodes: 31, minSamplesLeaf: 20, maxBins: 255, l2Regularization: 0, earlyStopping: false };

function ours(data, repeats, warmup) {
  const cpu = [];
  const wall = [];
  let model;
  for (let r = 0; r < warmup + repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    model = GradientBoosting.fit(data.XTrain, data.yTrain, OPTIONS);
    const c = process.cpuUsage(c0);
    if (r >= warmup) {
      wall.push((performance.now() - t0) / 1000);
      cpu.push((c.user + c.system) / 1e6);
    }
  }
  const explainCpu = [];
  for (let r = 0; r < 3; r++) {
    const c0 = process.cpuUsage();
    model.explain(data.XTest);
    const c = process.cpuUsage(c0);
    explainCpu.push((c.user + c.system) / 1e6);
  }
  return { cpu_s: median(cpu), all: cpu, wall_s: median(wall), auc: rocAuc(data.yTest, model.predictProba(data.XTest)), explain_s: median(explainCpu) };
}

const PY = String.raw`
import json, sys, time, statistics
import numpy as np
d, repeats = sys.argv[1], int(sys.argv[2])
p = json.load(open(d + '/shape.json'))
Xtr = np.fromfile(d + '/Xtr.bin').reshape(-1, p['cols']); ytr = np.fromfile(d + '/ytr.bin')
Xte = np.fromfile(d + '/Xte.bin').reshape(-1, p['cols']); yte = np.fromfile(d + '/yte.bin')
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
import xgboost as xgb
out = {}
def run(name, fit, proba, contribs=None):
    cpu, wall = [], []
    for _ in range(repeats):
        c0 = time.process_time(); t0 = time.perf_counter(); m = fit()
        wall.append(time.perf_counter() - t0); cpu.append(time.process_time() - c0)
    out[name] = {'cpu_s': statistics.median(cpu), 'all': cpu, 'wall_s': statistics.median(wall), 'auc': roc_auc_score(yte, proba(m))}
    if contribs is not None:
        ts = []
        for _ in range(3):
            c0 = time.process_time(); contribs(m); ts.append(time.process_time() - c0)
        out[name]['explain_s'] = statistics.median(ts)
run('scikit-learn HistGradientBoostingClassifier',
    lambda: HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20,
                                           max_bins=255, l2_regularization=0.0, early_stopping=False, random_state=0).fit(Xtr, ytr),
    lambda m: m.predict_proba(Xte)[:, 1])
params = {'objective': 'binary:logistic', 'tree_method': 'hist', 'max_bin': 255, 'grow_policy': 'lossguide', 'max_leaves': 31,
          'max_depth': 0, 'eta': 0.1, 'lambda': 0, 'min_child_weight': 1e-3, 'nthread': 1}
run('XGBoost ' + xgb.__version__ + ' (hist)',
    lambda: xgb.train(params, xgb.DMatrix(Xtr, label=ytr, nthread=1), num_boost_round=100),
    lambda m: m.predict(xgb.DMatrix(Xte, nthread=1)),
    lambda m: m.predict(xgb.DMatrix(Xte, nthread=1), pred_contribs=True))
print(json.dumps(out))
`;

function peers(data, repeats) {
  const dir = mkdtempSync(join(tmpdir(), 'crm-gbdt-'));
  try {
    const cols = data.XTrain[0].length;
    const flat = (X) => Buffer.from(Float64Array.from(X.flat()).buffer);
    writeFileSync(join(dir, 'Xtr.bin'), flat(data.XTrain));
    writeFileSync(join(dir, 'ytr.bin'), Buffer.from(Float64Array.from(data.yTrain).buffer));
    writeFileSync(join(dir, 'Xte.bin'), flat(data.XTest));
    writeFileSync(join(dir, 'yte.bin'), Buffer.from(Float64Array.from(data.yTest).buffer));
    writeFileSync(join(dir, 'shape.json'), JSON.stringify({ cols }));
    const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const r = spawnSync('/usr/bin/python3', ['-c', PY, dir, String(repeats)], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const base = telco();
const sets = [
  [base, 5, 2],
  [replicated(base, COPIES), 3, 1],
];
const rows = [];
for (const [data, repeats, warmup] of sets) {
  const mine = ours(data, repeats, warmup);
  const theirs = peers(data, repeats);
  const hgb = Object.entries(theirs).find(([k]) => k.startsWith('scikit'))[1];
  const label = `${data.name} ${data.XTrain.length.toLocaleString('en')} × ${data.XTrain[0].length}`;
  rows.push({ data: label, impl: 'crm GradientBoosting', ...mine, ratio: mine.cpu_s / hgb.cpu_s });
  for (const [impl, r] of Object.entries(theirs)) rows.push({ data: label, impl, ...r, ratio: r.cpu_s / hgb.cpu_s });
}

console.log(`Machine: ${cpus().length}-core ${process.arch} (${cpus()[0]?.model}), Node ${process.version}, load average at the end ${loadavg()[0].toFixed(1)}.`);
console.log('Fit CPU seconds on one thread, median of the repeats (each repeat listed), wall seconds (median); test AUC on the 1,407 Telco test rows;');
console.log('exact SHAP values of the 1,407 test rows (our explain, XGBoost pred_contribs=True), CPU seconds, median of 3.\n');
console.log('| data | implementation | fit CPU s, median | CPU s, each repeat | fit wall s, median | test AUC | CPU time vs HistGradientBoosting | SHAP of 1,407 rows, CPU s |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const shap = r.explain_s === undefined ? '–' : r.explain_s.toFixed(3);
  console.log(`| ${r.data} | ${r.impl} | ${r.cpu_s.toFixed(3)} | ${r.all.map((t) => t.toFixed(2)).join(', ')} | ${r.wall_s.toFixed(3)} | ${r.auc.toFixed(4)} | ${r.ratio.toFixed(2)}× | ${shap} |`);
}
