// Cohort tables beside summaries: cohortRetention and summarizeCustomers on the same generated
// transactions (1 M, 5 M and 10 M rows), each size in its own child process, and pandas' usual
// cohort recipe (to_period, groupby nunique and sum) on data of the same shape and size
// (cohort_pandas.py; generated with numpy, timed without the generation).
//
// Data: 2 years (2022–2023) of transactions; one customer per 5 rows on average, each customer
// acquired on a uniform day and buying on uniform days from then on; amounts uniform in 5–100.
// Records { customerId: string, time: epoch ms, amount } as both functions accept them.
//
// Run: pnpm build && node benchmarks/scoring/cohort.mjs [sizes in millions, default 1 5 10]
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRng, summarizeCustomers } from '@crm/core';
import { cohortRetention } from '@crm/scoring';

const START = Date.UTC(2022, 0, 1);
const DAYS = 730;
const END = START + DAYS * 86_400_000 - 1;
const RUNS = 3;

function generate(n) {
  const rng = createRng(14);
  const customers = Math.max(1, Math.round(n / 5));
  const ids = Array.from({ length: customers }, (_, c) => `c${c}`);
  const first = new Float64Array(customers);
  for (let c = 0; c < customers; c++) first[c] = Math.floor(rng.uniform() * DAYS);
  const rows = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rng.uniform() * customers);
    const day = first[c] + Math.floor(rng.uniform() * (DAYS - first[c]));
    rows[i] = { customerId: ids[c], time: START + day * 86_400_000 + Math.floor(rng.uniform() * 86_400_000), amount: 5 + 95 * rng.uniform() };
  }
  return rows;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function child(n) {
  const rows = generate(n);
  const cases = {
    summarizeCustomers: () => summarizeCustomers(rows, { observationEnd: END, period: 'week' }).length,
    'cohortRetention month×month': () => cohortRetention(rows, { cohort: 'month', period: 'month', observationEnd: END }).cohorts.length,
    'cohortRetention week×week': () => cohortRetention(rows, { cohort: 'week', period: 'week', observationEnd: END }).cohorts.length,
  };
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  // Alternate the cases run by run, so a change in machine load hits all of them alike.
  for (let r = 0; r < RUNS + 1; r++) {
    for (const [name, f] of Object.entries(cases)) {
      globalThis.gc?.();
      const t0 = performance.now();
      f();
      const ms = performance.now() - t0;
      if (r > 0) times[name].push(ms);
    }
  }
  const out = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, { median: median(v), min: Math.min(...v), max: Math.max(...v) }]));
  process.stdout.write(JSON.stringify(out));
}

if (process.argv[2] === '--child') {
  child(Number(process.argv[3]));
} else {
  const sizes = (process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1, 5, 10]).map((m) => m * 1e6);
  const here = fileURLToPath(import.meta.url);
  const rows = [];
  for (const n of sizes) {
    const ours = JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=8192', '--expose-gc', here, '--child', String(n)], { encoding: 'utf8', maxBuffer: 1e6 }));
    let pandas;
    try {
      pandas = JSON.parse(execFileSync('/usr/bin/python3', [fileURLToPath(new URL('./cohort_pandas.py', import.meta.url)), String(n), String(RUNS)], { encoding: 'utf8' }));
    } catch {
      pandas = undefined;
    }
    rows.push({ n, ours, pandas });
    process.stderr.write(`${n / 1e6} M done\n`);
  }
  const f = (x) => (x === undefined ? '–' : x.toFixed(0));
  console.log(`Machine: ${cpus().length}× ${cpus()[0]?.model}, Node ${process.version}, load average ${loadavg()[0].toFixed(1)} at the end. Median of ${RUNS} runs after a warm-up (ms).\n`);
  console.log('| transactions | summarizeCustomers | cohortRetention month×month | ratio to summarize | cohortRetention week×week | ratio | pandas cohort recipe month×month | ratio pandas / ours |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const { n, ours, pandas } of rows) {
    const s = ours.summarizeCustomers.median;
    const m = ours['cohortRetention month×month'].median;
    const w = ours['cohortRetention week×week'].median;
    console.log(`| ${n / 1e6} M | ${f(s)} | ${f(m)} | ${(m / s).toFixed(2)} | ${f(w)} | ${(w / s).toFixed(2)} | ${f(pandas?.median)} | ${pandas ? (pandas.median / m).toFixed(2) : '–'} |`);
  }
}
