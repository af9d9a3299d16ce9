// Frequent-itemset mining: @crm/rules fpGrowth and apriori beside the npm packages node-fpgrowth,
// node-apriori and apriori, on retail.dat, T10I4D100K and Groceries (data in
// packages/rules/test/fixtures, see the README there).
//
//   pnpm build && node --expose-gc benchmarks/rules/run.mjs
//
// Every (implementation, data set, support) case runs in its own child process, so peak memory
// (process.resourceUsage().maxRSS) belongs to that case alone; a child that runs past
// CASE_TIMEOUT_MS is killed and reported as "timeout". Time is the median mining time with the
// data already parsed into arrays (each implementation's own encoding included, as its users pay
// it). Writes the table to benchmarks/rules/RESULTS.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const CASE_TIMEOUT_MS = 60_000;
/** Repetitions per case: up to MAX_REPS, fewer once REP_BUDGET_MS of mining time is spent. */
const MAX_REPS = 11;
const REP_BUDGET_MS = 15_000;
const WARM_UP_MS = 1_000;

const fixtures = new URL('../../packages/rules/test/fixtures/', import.meta.url);
const DATASETS = {
  retail: { file: 'retail.dat.gz', sep: ' ' },
  T10I4D100K: { file: 'T10I4D100K.dat.gz', sep: ' ' },
  groceries: { file: 'groceries.csv.gz', sep: ',' },
};
const CASES = [
  ['retail', 0.01],
  ['retail', 0.005],
  ['retail', 0.001],
  ['retail', 0.0001],
  ['T10I4D100K', 0.001],
  ['groceries', 0.001],
];
const IMPLEMENTATIONS = ['@crm/rules fpGrowth', '@crm/rules apriori', 'node-fpgrowth', 'node-apriori', 'apriori (npm)'];
// Christian Borgelt's C FP-growth (pyfim 6.28), mining time measured on this machine class
// (shared REFERENCE.md / PEERS.md), seconds; not re-measured here.
const BORGELT_S = { 'retail 1%': 0.083, 'retail 0.5%': 0.113, 'retail 0.1%': 0.205, 'retail 0.01%': 0.373, 'T10I4D100K 0.1%': 0.348, 'groceries 0.1%': 0.01 };

function load(name) {
  const { file, sep } = DATASETS[name];
  const text = gunzipSync(readFileSync(new URL(file, fixtures))).toString('utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => {
    const items = l.split(sep);
    return sep === ' ' ? items.filter((s) => s !== '').map(Number) : items;
  });
}

async function miner(impl) {
  switch (impl) {
    case '@crm/rules fpGrowth': {
      const { fpGrowth } = await import('@crm/rules');
      return (tx, s) => fpGrowth(tx, { minSupport: s, maxItemsets: 10_000_000 }).itemsets.length;
    }
    case '@crm/rules apriori': {
      const { apriori } = await import('@crm/rules');
      return (tx, s) => apriori(tx, { minSupport: s, maxItemsets: 10_000_000 }).itemsets.length;
    }
    case 'node-fpgrowth': {
      const { FPGrowth } = (await import('node-fpgrowth')).default;
      // A fresh instance per run: exec() overwrites its own threshold.
      return async (tx, s) => (await new FPGrowth(s).exec(tx)).length;
    }
    case 'node-apriori': {
      const { Apriori } = (await import('node-apriori')).default;
      return async (tx, s) => (await new Apriori(s).exec(tx)).itemsets.length;
    }
    case 'apriori (npm)': {
      const Apriori = (await import('apriori')).default;
      // analyze() also derives rules; minConfidence 1 keeps that step as small as it allows.
      return (tx, s) => {
        const r = new Apriori.Algorithm(s, 1, false).analyze(tx.map((t) => t.map(String)));
        return Object.values(r.frequentItemSets).reduce((n, level) => n + level.length, 0);
      };
    }
    default:
      throw new Error(`unknown implementation ${impl}`);
  }
}

async function child(impl, dataset, support) {
  const tx = load(dataset);
  globalThis.gc?.();
  const rssLoaded = process.memoryUsage().rss;
  const mine = await miner(impl);
  const times = [];
  const cpuTimes = [];
  let itemsets = 0;
  let spent = 0;
  let warmedUp = false;
  while (times.length < MAX_REPS && (times.length === 0 || spent < REP_BUDGET_MS)) {
    globalThis.gc?.();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    itemsets = await mine(tx, support);
    const dt = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    // A first run under WARM_UP_MS is repeated, so JIT compilation is not timed; slower first runs count.
    if (!warmedUp && dt < WARM_UP_MS) {
      warmedUp = true;
      continue;
    }
    warmedUp = true;
    times.push(dt);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    spent += dt;
  }
  const median = (values) => {
    const v = [...values].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ itemsets, medianMs: median(times), cpuMs: median(cpuTimes), reps: times.length, peakMB: peak / 2 ** 20, loadedMB: rssLoaded / 2 ** 20 }));
}

const pct = (s) => `${+(s * 100).toFixed(4)}%`;
const fmtS = (ms) => (ms >= 10_000 ? (ms / 1000).toFixed(1) : ms >= 1000 ? (ms / 1000).toFixed(2) : (ms / 1000).toFixed(3));

async function parent() {
  const self = fileURLToPath(import.meta.url);
  const results = [];
  const timedOut = new Set();
  const loadBefore = loadavg()[0];
  for (const [dataset, support] of CASES) {
    for (const impl of IMPLEMENTATIONS) {
      const label = `${dataset} ${pct(support)}`;
      let row;
      // A peer that timed out at a higher support on the same data would only time out again.
      if (timedOut.has(`${impl}|${dataset}`)) row = { status: 'skipped (timeout at higher support)' };
      else {
        const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', self, '--child', impl, dataset, String(support)], {
          timeout: CASE_TIMEOUT_MS,
          killSignal: 'SIGKILL',
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        });
        if (r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL') {
          timedOut.add(`${impl}|${dataset}`);
          row = { status: `timeout (${CASE_TIMEOUT_MS / 1000} s)` };
        } else if (r.status !== 0) {
          const err = (r.stderr || '').split('\n').find((l) => /Error|error/.test(l)) ?? `exit code ${r.status}`;
          row = { status: `failed: ${err.trim().slice(0, 120)}` };
        } else row = { status: 'ok', ...JSON.parse(r.stdout) };
      }
      results.push({ dataset, support, label, impl, ...row });
      const shown = row.status === 'ok' ? `${fmtS(row.medianMs)} s  ${row.itemsets} itemsets  peak ${row.peakMB.toFixed(0)} MB` : row.status;
      console.log(`${label.padEnd(18)} ${impl.padEnd(20)} ${shown}`);
    }
  }
  const lines = [];
  lines.push('| data | minSupport | implementation | itemsets | median mining time (s) | median CPU time (s) | reps | peak RSS (MB) | RSS with data loaded (MB) | node-fpgrowth time ÷ this | this ÷ Borgelt C (recorded) |');
  lines.push('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const peer = results.find((x) => x.label === r.label && x.impl === 'node-fpgrowth');
    const vsPeer = r.status === 'ok' && peer?.status === 'ok' ? `${(peer.medianMs / r.medianMs).toFixed(2)}×` : '—';
    const borgelt = BORGELT_S[r.label];
    const vsC = r.status === 'ok' && borgelt && r.impl.startsWith('@crm') ? `${(r.medianMs / 1000 / borgelt).toFixed(2)}×` : '—';
    lines.push(
      r.status === 'ok'
        ? `| ${r.dataset} | ${pct(r.support)} | ${r.impl} | ${r.itemsets} | ${fmtS(r.medianMs)} | ${fmtS(r.cpuMs)} | ${r.reps} | ${r.peakMB.toFixed(0)} | ${r.loadedMB.toFixed(0)} | ${vsPeer} | ${vsC} |`
        : `| ${r.dataset} | ${pct(r.support)} | ${r.impl} | — | ${r.status} | — | — | — | — | — | — |`,
    );
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${cpus().length}-core ${process.arch} (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}`;
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {}
  const md = `# @crm/rules benchmark results

Measured ${new Date().toISOString().slice(0, 10)} on ${machine}, commit ${commit}; 1-minute load average
${loadBefore.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end (other jobs share the machine: above 2, wall
times stretch, so compare ratios within one run). Command: \`pnpm build && node --expose-gc benchmarks/rules/run.mjs\`.

Each case runs in its own child process (heap limit 4 GB) and is killed after ${CASE_TIMEOUT_MS / 1000} s ("timeout");
time is the median wall-clock time of up to ${MAX_REPS} runs (after one untimed warm-up run when a run takes under ${WARM_UP_MS / 1000} s) of the mining call with the baskets already parsed into arrays
(each implementation's own item encoding included), CPU time the median of the process's user + system time
over the same runs (less sensitive to other jobs on the machine, but it includes parallel GC threads); peak RSS is the child's \`maxRSS\`, data and runtime
included (the RSS column beside it is the level with only the data loaded). "node-fpgrowth time ÷ this"
is the speed-up over node-fpgrowth in the same run; "this ÷ Borgelt C" compares with Christian
Borgelt's C FP-growth (pyfim 6.28) mining times recorded on this machine class in the project's reference
measurements, not re-run here. Data: retail.dat (88,162 baskets, 16,470 items), T10I4D100K (100,000
baskets, 870 items), Groceries (9,835 baskets, 169 items).

${lines.join('\n')}
`;
  writeFileSync(new URL('RESULTS.md', import.meta.url), md);
  console.log(`\n${lines.join('\n')}\n\nwritten to benchmarks/rules/RESULTS.md`);
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4], Number(process.argv[5]));
else await parent();
