// Benchmark: summarizeCustomers on 1,000,000 generated transactions of 100,000 customers,
// beside a straightforward Map-based reference implementation, in the same run.
// Each case runs in its own child process so its peak memory (maxRSS) is its own.
// Usage: pnpm build && node benchmarks/core/run.mjs
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { createRng, summarizeCustomers } from '@crm/core';

const N_TX = 1_000_000;
const N_CUSTOMERS = 100_000;
const REPEATS = 7;
const DAY = 86_400_000;
const START = Date.UTC(2023, 0, 1);
const END = Date.UTC(2024, 11, 31);

function generate() {
  const rng = createRng(20261122);
  const tx = new Array(N_TX);
  for (let i = 0; i < N_TX; i++) {
    const c = rng.int(0, N_CUSTOMERS);
    tx[i] = {
      customerId: `C${String(c).padStart(6, '0')}`,
      time: new Date(START + rng.int(0, 730) * DAY + rng.int(0, DAY)),
      amount: Math.round(rng.uniform() * 20000) / 100,
    };
  }
  return tx;
}

// The obvious implementation: group into a Map of arrays, sort each, walk the days.
function mapReference(transactions, end) {
  const groups = new Map();
  for (const t of transactions) {
    const ms = t.time.getTime();
    if (ms > end) continue;
    let g = groups.get(t.customerId);
    if (!g) groups.set(t.customerId, (g = []));
    g.push({ ms, amount: t.amount });
  }
  const endDay = Math.floor(end / DAY);
  const out = [];
  for (const [customerId, g] of groups) {
    g.sort((a, b) => a.ms - b.ms);
    const days = new Map();
    for (const x of g) {
      const d = Math.floor(x.ms / DAY);
      days.set(d, (days.get(d) ?? 0) + x.amount);
    }
    const keys = [...days.keys()];
    const first = keys[0];
    const last = keys[keys.length - 1];
    const repeat = keys.slice(1).map((d) => days.get(d));
    out.push({
      customerId,
      frequency: keys.length - 1,
      recency: (last - first) / 7,
      T: (endDay - first) / 7,
      monetary: repeat.length ? repeat.reduce((a, b) => a + b, 0) / repeat.length : 0,
      orders: g.length,
      totalSpend: g.reduce((a, x) => a + x.amount, 0),
    });
  }
  return out;
}

const CASES = {
  crm: (tx) => summarizeCustomers(tx, { observationEnd: new Date(END), period: 'week' }),
  'map-reference': (tx) => mapReference(tx, END),
};

function child(name) {
  const tx = generate();
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  const times = [];
  let result;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    result = CASES[name](tx);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const peakMb = (process.resourceUsage().maxRSS * 1024 - baseline) / 2 ** 20;
  process.stdout.write(JSON.stringify({ median: times[REPEATS >> 1], peakMb, customers: result.length, frequencySum: result.reduce((a, s) => a + s.frequency, 0) }));
}

if (process.argv[2]) {
  child(process.argv[2]);
} else {
  const results = {};
  for (const name of Object.keys(CASES)) {
    const out = execFileSync(process.execPath, ['--expose-gc', new URL(import.meta.url).pathname, name], { encoding: 'utf8', maxBuffer: 1 << 20 });
    results[name] = JSON.parse(out);
  }
  const ours = results.crm;
  const ref = results['map-reference'];
  if (ours.customers !== ref.customers || ours.frequencySum !== ref.frequencySum) {
    throw new Error(`results differ: ${JSON.stringify(results)}`);
  }
  console.log(`summarizeCustomers: ${N_TX.toLocaleString('en')} transactions, ${ours.customers.toLocaleString('en')} customers, period week`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; median of ${REPEATS}`);
  console.log('| implementation | median ms | peak memory above input, MB | ratio to reference |');
  console.log('|---|---:|---:|---:|');
  for (const [name, r] of Object.entries(results)) {
    console.log(`| ${name} | ${r.median.toFixed(0)} | ${r.peakMb.toFixed(0)} | ${(ref.median / r.median).toFixed(2)}× |`);
  }
}
