// An XGBoost model scored and explained in TypeScript beside XGBoost itself, in one run: the
// 100-tree, depth-4 model of packages/churn/test/fixtures/xgboost_reference.py (Telco, 45
// features, 15 % of three numeric columns missing) on its 1,407 test rows. Times are wall-clock
// medians over the repeats after one warm-up; XGBoost 1.7.4 runs with one thread (nthread = 1,
// OMP_NUM_THREADS = 1). Run after `pnpm build`:
//   node benchmarks/churn/xgboost.mjs
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { XGBoostModel } from '@crm/churn';

const REPEATS = 15;
const fixtures = fileURLToPath(new URL('../../packages/churn/test/fixtures/', import.meta.url));
const modelText = gunzipSync(readFileSync(`${fixtures}xgboost_100.json.gz`)).toString('utf8');
const ref = JSON.parse(gunzipSync(readFileSync(`${fixtures}xgboost_reference.json.gz`)).toString('utf8'));
const X = ref.X.map((row) => row.map((v) => (v === null ? NaN : v)));

function median(f) {
  f();
  const times = [];
  let out;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    out = f();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return { s: times[Math.floor(times.length / 2)], out };
}

const load = median(() => XGBoostModel.fromXGBoost(JSON.parse(modelText)));
const model = load.out;
const proba = median(() => model.predictProba(X));
const explain = median(() => model.explain(X));
let worstP = 0;
proba.out.forEach((p, i) => (worstP = Math.max(worstP, Math.abs(p - ref.models['100'].proba[i]))));

const python = `
import gzip, json, statistics, sys, time
import numpy as np, xgboost as xgb
fx = sys.argv[1]; R = int(sys.argv[2])
text = gzip.open(fx + 'xgboost_100.json.gz').read()
X = np.array([[np.nan if v is None else v for v in r] for r in json.load(gzip.open(fx + 'xgboost_reference.json.gz'))['X']], dtype=np.float32)
def med(f):
    f(); ts = []
    for _ in range(R):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return statistics.median(ts)
def load():
    b = xgb.Booster(params={'nthread': 1}); b.load_model(bytearray(text)); return b
b = load()
print(json.dumps({'version': xgb.__version__, 'load': med(load),
  'predict': med(lambda: b.predict(xgb.DMatrix(X, nthread=1))),
  'contribs': med(lambda: b.predict(xgb.DMatrix(X, nthread=1), pred_contribs=True))}))
`;
const py = spawnSync('/usr/bin/python3', ['-c', python, fixtures, String(REPEATS)], {
  encoding: 'utf8',
  env: { ...process.env, OMP_NUM_THREADS: '1' },
});
const peer = py.status === 0 ? JSON.parse(py.stdout.trim().split('\n').pop()) : undefined;
if (!peer) console.error(`XGBoost could not run: ${py.stderr}`);

const ms = (s) => (s === undefined ? '–' : `${(s * 1000).toFixed(1)} ms`);
const ratio = (a, b) => (b === undefined ? '' : a <= b ? `${(b / a).toFixed(2)}× faster` : `${(a / b).toFixed(2)}× slower`);
console.log(`Machine: ${cpus().length}-core ${process.arch} (${cpus()[0]?.model.trim()}), Node ${process.version}, XGBoost ${peer?.version ?? '–'} (1 thread), load average ${loadavg()[0].toFixed(1)}.`);
console.log(`100 trees of depth 4, 1,407 rows × 45 features; median of ${REPEATS} after one warm-up. Max |Δ predict_proba| vs XGBoost: ${worstP.toExponential(1)}.\n`);
console.log('| step | @crm XGBoostModel | XGBoost 1 thread | ours vs XGBoost |');
console.log('|---|---|---|---|');
console.log(`| load the saved JSON | ${ms(load.s)} | ${ms(peer?.load)} | ${ratio(load.s, peer?.load)} |`);
console.log(`| predict_proba, 1,407 rows | ${ms(proba.s)} | ${ms(peer?.predict)} | ${ratio(proba.s, peer?.predict)} |`);
console.log(`| explain / pred_contribs, 1,407 rows | ${ms(explain.s)} | ${ms(peer?.contribs)} | ${ratio(explain.s, peer?.contribs)} |`);
