// Churn benchmark: @crm/churn beside ml-logistic-regression, ml-cart and ml-random-forest on Telco
// (5,625 training rows × 45 features, REFERENCE.md preprocessing and split) and on a seeded
// 100,000-row synthetic set. Each case runs in its own process (peak RSS per case) with a timeout;
// times are fit CPU seconds, median over the repeats. Run after `pnpm build`:
//   node --expose-gc benchmarks/churn/run.mjs
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const TIMEOUT_S = 120;
// scikit-learn 1.2.1 single-thread fit CPU seconds on Telco, REFERENCE.md table T1.
const SKLEARN = { LogisticRegression: 0.049, DecisionTree: 0.019, RandomForest: 0.574, NeuralNetwork: 1.342 };
const PEER = { LogisticRegression: 'ml-logistic-regression', DecisionTree: 'ml-cart', RandomForest: 'ml-random-forest' };

// [data, implementation, timed repeats, untimed warm-up fits]
const cases = [
  ['telco', 'crm LogisticRegression', 31, 3],
  ['telco', 'crm DecisionTree', 31, 3],
  ['telco', 'crm RandomForest', 5, 1],
  ['telco', 'crm NeuralNetwork', 3, 1],
  ['telco', 'ml-logistic-regression', 1, 0],
  ['telco', 'ml-cart', 1, 0],
  ['telco', 'ml-random-forest', 1, 0],
  ['synthetic', 'crm LogisticRegression', 3, 1],
  ['synthetic', 'crm DecisionTree', 3, 1],
  ['synthetic', 'crm RandomForest', 1, 0],
  ['synthetic', 'crm NeuralNetwork', 1, 0],
  // ml-cart needs ~38 s for one tree on 5,625 rows and ml-random-forest does not finish on them:
  // on 100,000 rows only ml-logistic-regression is tried.
  ['synthetic', 'ml-logistic-regression', 1, 0],
];

const script = fileURLToPath(new URL('./case.mjs', import.meta.url));
const results = [];
for (const [dataset, impl, repeats, warmup] of cases) {
  // --single-threaded keeps V8's compiler and GC on the measured thread, so process CPU time is
  // one thread's time, as scikit-learn's single-thread figures.
  const r = spawnSync(process.execPath, ['--single-threaded', '--expose-gc', script, dataset, impl, String(repeats), String(warmup)], {
    encoding: 'utf8',
    // The peers run once: TIMEOUT_S is their limit. Ours get the same limit per fit.
    timeout: TIMEOUT_S * 1000 * (repeats + warmup),
    maxBuffer: 1 << 24,
  });
  let row;
  if (r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGTERM') row = { dataset, impl, status: `timeout (> ${TIMEOUT_S} s)` };
  else if (r.status !== 0) row = { dataset, impl, status: `failed: ${(r.stderr || '').trim().split('\n').slice(-1)[0]}` };
  else row = { ...JSON.parse(r.stdout.trim().split('\n').pop()), status: 'ok' };
  row.dataset = dataset;
  results.push(row);
  console.error(`${dataset} ${impl}: ${row.status === 'ok' ? `${row.cpuMedian.toFixed(3)} s CPU, AUC ${row.auc.toFixed(4)}` : row.status}`);
}

const model = (impl) => impl.replace(/^crm /, '');
const find = (dataset, impl) => results.find((r) => r.dataset === dataset && r.impl === impl);
const lines = [];
lines.push(
  `Machine: ${cpus().length}-core ${process.arch} (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, load average at the end ${loadavg()[0].toFixed(1)}. Fit CPU seconds (one thread: V8 run with --single-threaded), median and minimum of the timed repeats after the warm-up fits, and the first (cold) fit; peak RSS of the case's process.`,
);
lines.push('');
lines.push('| data | implementation | repeats (+ warm-up) | fit CPU s, median | min | first fit CPU s | test AUC | peak RSS MB | ours vs peer (same run) | ours vs scikit-learn 1.2 (T1) |');
lines.push('|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const name = model(r.impl);
  let vsPeer = '';
  let vsSk = '';
  if (r.impl.startsWith('crm ') && r.status === 'ok') {
    const peer = PEER[name] && find(r.dataset, PEER[name]);
    if (peer) vsPeer = peer.status === 'ok' ? `${(peer.cpuMedian / r.cpuMedian).toFixed(0)}× faster than ${PEER[name]}` : `${PEER[name]}: ${peer.status}`;
    if (r.dataset === 'telco') vsSk = `${(r.cpuMedian / SKLEARN[name]).toFixed(2)}× scikit-learn's ${SKLEARN[name]} s`;
  }
  const fmt = (v, d) => (typeof v === 'number' ? v.toFixed(d) : '–');
  lines.push(
    `| ${r.dataset === 'telco' ? 'Telco 5,625 × 45' : 'synthetic 100,000 × 20'} | ${r.impl} | ${r.repeats ?? '–'}${r.warmup ? ` (+${r.warmup})` : ''} | ${r.status === 'ok' ? fmt(r.cpuMedian, 3) : r.status} | ${fmt(r.cpuMin, 3)} | ${fmt(r.coldCpu, 3)} | ${fmt(r.auc, 4)} | ${fmt(r.maxRssMB, 0)} | ${vsPeer} | ${vsSk} |`,
  );
}
console.log(lines.join('\n'));

// RandomForest(100) beside scikit-learn's RandomForestClassifier at three sizes, in its own
// process (about 4 minutes; needs /usr/bin/python3 with scikit-learn).
const forest = spawnSync(process.execPath, ['--single-threaded', fileURLToPath(new URL('./forest.mjs', import.meta.url))], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  maxBuffer: 1 << 24,
});
console.log(`\nRandomForest(100) beside scikit-learn (benchmarks/churn/forest.mjs):\n\n${forest.status === 0 ? forest.stdout.trim() : `failed (status ${forest.status})`}`);
