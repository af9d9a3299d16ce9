// @crm/scoring benchmark: median fit times of every CLV model on the CDNOW sample (2,357
// customers, weeks), on the donations (BG/BB) and Fader-Hardie (sBG) tables, and on 100,000
// customers simulated from the CDNOW BG/NBD fit with the seeded generator. Each case runs in its own
// child process so its peak memory (maxRSS) is its own.
//
// Peer: lifetimes 0.11.3 timed live in the same run (lifetimes_fits.py: the same fixtures, median
// and best of 11 fits after a warm-up), with its source and autograd's on PYTHONPATH (LIFETIMES_PATH,
// default /tmp/peers) and Debian's numpy/scipy/pandas; without it the peer columns stay empty.
//
// Run: pnpm build && LIFETIMES_PATH=<lifetimes + autograd source> node --expose-gc benchmarks/scoring/run.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  BgBb,
  BgNbd,
  GammaGamma,
  ModifiedBgNbd,
  ParetoNbd,
  ShiftedBetaGeometric,
  customerLifetimeValue,
  rfmScores,
  rfmSegments,
  RF_SEGMENTS,
  simulateBgNbd,
} from '@crm/scoring';
import { createRng } from '@crm/core';

const fixtures = new URL('../../packages/scoring/test/fixtures/', import.meta.url);
const csv = (name) => {
  const [head, ...lines] = readFileSync(new URL(name, fixtures), 'utf8').trim().split(/\r?\n/);
  const keys = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], Number(v)])));
};
const cdnow = () =>
  csv('cdnow_customers_summary_with_transactions.csv').map((r) => ({ frequency: r.x, recency: r.t_x, T: r.T, monetary: r.zbar }));
const donations = () => csv('donations.csv').map((r) => ({ frequency: r.frequency, recency: r.recency, T: r.periods, weight: r.weights }));
const regular = () => csv('sbg_fader_hardie_2007_table1.csv').slice(0, 8).map((r) => r.regular_pct_surviving);

/** 100,000 customers from the BG/NBD fitted to CDNOW, ages spread like the CDNOW cohort (27–39 weeks). */
const SIM_TRUTH = { r: 0.2426, alpha: 4.414, a: 0.7929, b: 2.426 };
const simulated = () => {
  const rng = createRng(2024);
  const T = Array.from({ length: 100_000 }, () => 27 + 12 * rng.uniform());
  return simulateBgNbd(SIM_TRUTH, { customers: 100_000, T, seed: 7 });
};

const PYTHON = '/usr/bin/python3';
const LIFETIMES_PATH = process.env.LIFETIMES_PATH ?? '/tmp/peers';

/** lifetimes' best and median ms per peer key, timed now; undefined when lifetimes cannot be imported. */
function lifetimesTimes() {
  try {
    const out = execFileSync(PYTHON, [fileURLToPath(new URL('./lifetimes_fits.py', import.meta.url)), fileURLToPath(fixtures), '11'], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: LIFETIMES_PATH, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return JSON.parse(out.trim().split('\n').at(-1));
  } catch {
    return undefined;
  }
}

const CASES = {
  'cdnow BgNbd': { runs: 21, data: cdnow, run: (d) => BgNbd.fit(d), peer: 'BgNbd', summary: (m) => m.params },
  'cdnow ParetoNbd': { runs: 11, data: cdnow, run: (d) => ParetoNbd.fit(d), peer: 'ParetoNbd', summary: (m) => m.params },
  'cdnow ModifiedBgNbd': { runs: 21, data: cdnow, run: (d) => ModifiedBgNbd.fit(d), peer: 'ModifiedBgNbd', summary: (m) => m.params },
  'cdnow GammaGamma (946 repeat buyers)': { runs: 21, data: cdnow, run: (d) => GammaGamma.fit(d), peer: 'GammaGamma', summary: (m) => m.params },
  'donations BgBb (22 weighted patterns)': { runs: 21, data: donations, run: (d) => BgBb.fit(d), peer: 'BgBb', summary: (m) => m.params },
  'Fader-Hardie sBG (regular, 8 years)': { runs: 21, data: regular, run: (d) => ShiftedBetaGeometric.fit(d), summary: (m) => m.params },
  'cdnow 12-month CLV, BG/NBD + GG, all customers': {
    runs: 21,
    data: () => {
      const d = cdnow();
      return { d, bg: BgNbd.fit(d), gg: GammaGamma.fit(d) };
    },
    run: ({ d, bg, gg }) => customerLifetimeValue(bg, gg, d, { dataPeriod: 'week', period: 4.345 * 7, horizon: 12, discountRate: 0.01 }),
    peer: 'clv',
    summary: (v) => ({ total: v.reduce((s, x) => s + x, 0) }),
  },
  'cdnow RFM scores + 10 segments': { runs: 21, data: cdnow, run: (d) => rfmSegments(rfmScores(d), RF_SEGMENTS), summary: (v) => ({ customers: v.length }) },
  'simulated 100k BgNbd': {
    runs: 5,
    data: simulated,
    run: (d) => BgNbd.fit(d),
    // How many standard errors each estimate lies from the simulated truth.
    summary: (m) => ({
      ...m.params,
      converged: m.report.converged,
      ...Object.fromEntries(Object.keys(SIM_TRUTH).map((k) => [`|Δ${k}|/SE`, Math.abs(m.params[k] - SIM_TRUTH[k]) / m.report.standardErrors[k]])),
    }),
  },
  'simulated 100k ModifiedBgNbd': { runs: 5, data: simulated, run: (d) => ModifiedBgNbd.fit(d), summary: (m) => ({ ...m.params, converged: m.report.converged }) },
  'simulated 100k ParetoNbd': { runs: 3, data: simulated, run: (d) => ParetoNbd.fit(d), summary: (m) => ({ ...m.params, converged: m.report.converged }) },
};

const caseName = process.argv[process.argv.indexOf('--case') + 1];
if (process.argv.includes('--case')) {
  const c = CASES[caseName];
  const data = c.data();
  let out = c.run(data); // warm-up
  const times = [];
  for (let i = 0; i < c.runs; i++) {
    globalThis.gc?.();
    const t0 = performance.now();
    out = c.run(data);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(JSON.stringify({ median, min: times[0], max: times.at(-1), maxRssMb: process.resourceUsage().maxRSS / 1024, summary: c.summary(out) }));
} else {
  const self = fileURLToPath(import.meta.url);
  const rows = [];
  for (const name of Object.keys(CASES)) {
    const text = execFileSync(process.execPath, ['--expose-gc', self, '--case', name], { encoding: 'utf8' });
    const r = JSON.parse(text.trim().split('\n').at(-1));
    rows.push({ name, ...r, runs: CASES[name].runs });
    console.error(`${name}: ${r.median.toFixed(1)} ms`);
  }
  const live = lifetimesTimes();
  for (const r of rows) {
    const peer = CASES[r.name].peer && live ? live[CASES[r.name].peer] : undefined;
    Object.assign(r, { peer, ratio: peer ? peer.median / r.median : undefined, bestRatio: peer ? peer.best / r.min : undefined });
  }
  const fmt = (v, d = 1) => (v === undefined ? '–' : v.toFixed(d));
  const machine = `${cpus().length}-core ${process.arch} (${cpus()[0]?.model.trim()}), Node ${process.version}, load average ${loadavg()[0].toFixed(1)} at the end of the run`;
  const lines = [
    '| case | runs | median ms | min–max ms | peak RSS MB | lifetimes 0.11.3 median ms (best) | speed-up, median vs median | speed-up, best vs best |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.runs} | ${fmt(r.median)} | ${fmt(r.min)}–${fmt(r.max)} | ${fmt(r.maxRssMb, 0)} | ${r.peer ? `${fmt(r.peer.median)} (${fmt(r.peer.best)})` : '–'} | ${r.ratio === undefined ? '–' : `${fmt(r.ratio)}×`} | ${r.bestRatio === undefined ? '–' : `${fmt(r.bestRatio)}×`} |`,
    ),
  ];
  const sims = rows.filter((r) => r.name.startsWith('simulated'));
  const recovery = [
    `Simulated truth: BG/NBD r ${SIM_TRUTH.r}, α ${SIM_TRUTH.alpha}, a ${SIM_TRUTH.a}, b ${SIM_TRUTH.b} (100,000 customers, seed 7, ages 27–39 weeks).`,
    'Only the BG/NBD fit is expected to recover these; the MBG/NBD and Pareto/NBD rows time other models on the same data.',
    ...sims.map((r) => `- ${r.name}: ${Object.entries(r.summary).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toPrecision(4) : v}`).join(', ')}`),
  ];
  const table = lines.join('\n');
  console.log(`\nMachine: ${machine}\n\n${table}\n\n${recovery.join('\n')}`);
  const section = `Measured by \`pnpm build && LIFETIMES_PATH=<lifetimes + autograd source> node --expose-gc benchmarks/scoring/run.mjs\` on ${machine}.
Medians over the runs shown, after one warm-up, each case in its own process (peak RSS is that process's).
The peer, lifetimes 0.11.3 (Debian's numpy 1.24, scipy 1.10, pandas 1.5, Python 3.11), ${live ? 'ran in the same run on the same data (`lifetimes_fits.py`: median and best of 11 fits after a warm-up)' : 'could not be imported in this run: its columns are empty'}.
The CLV peer time is lifetimes' \`customer_lifetime_value\` (BG/NBD + Gamma-Gamma, 12 months, freq W).

${table}

${recovery.join('\n')}
`;
  // Only this suite's section of RESULTS.md is rewritten; the other suites' sections stay.
  const file = new URL('./RESULTS.md', import.meta.url);
  const [start, end] = ['<!-- run.mjs: start -->', '<!-- run.mjs: end -->'];
  const old = readFileSync(file, 'utf8');
  const from = old.indexOf(start);
  const to = old.indexOf(end);
  if (from < 0 || to < from) throw new Error(`RESULTS.md lacks the ${start} … ${end} markers`);
  writeFileSync(file, `${old.slice(0, from + start.length)}\n${section}${old.slice(to)}`);
}
