// Benchmark: per-customer summaries (frequency, recency, T, monetary, RFM) from generated
// transactions, side by side in one run:
//  - `summarizeCustomers` on records ({ customerId, time: Date, amount } objects);
//  - `summarizeCustomers` on columns (Int32Array of ids, Float64Array of epoch ms and amounts);
//  - lifetimes 0.11.3 `summary_data_from_transaction_data` (freq 'D', monetary), the peer Python
//    users reach for, on the same transactions (a python3 child reading the same columns from
//    binary files; numpy/pandas from Debian, lifetimes and autograd from their public sources on
//    PYTHONPATH; set LIFETIMES_PATH, skipped when it is not importable).
// Transactions: 10 per customer on average, customers drawn at random for every row (no helpful
// order), times uniform over two years, daily periods (lifetimes' freq 'D', so both count the same
// purchase days; the script checks that customers and total frequency agree). Every case runs in
// its own child process at Node's default heap size, so its peak memory is its own and "fits the
// default heap" is tested.
// Times are wall-clock medians (each child is alone on its core, but other jobs may share the
// machine; the load average is printed).
// Usage: pnpm build && node benchmarks/core/run.mjs [--sizes 1e6,1e7] [--lifetimes-max 1e7]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, summarizeCustomers } from '@crm/core';

const DAY = 86_400_000;
const START = Date.UTC(2023, 0, 1);
const END = Date.UTC(2024, 11, 31);
const PYTHON = '/usr/bin/python3';
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const SIZES = flag('--sizes', '1e6,1e7,5e7').split(',').map(Number);
const RECORDS_MAX = Number(flag('--records-max', '1e7'));
const LIFETIMES_MAX = Number(flag('--lifetimes-max', '1e7'));
const LIFETIMES_PATH = process.env.LIFETIMES_PATH ?? '/tmp/peers';
const DATA_DIR = join(tmpdir(), 'crm-bench-core');

function generate(n) {
  const customers = Math.max(1, Math.round(n / 10));
  const rng = createRng(20261122);
  const id = new Int32Array(n);
  const time = new Float64Array(n);
  const amount = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    id[i] = rng.int(0, customers);
    time[i] = START + rng.int(0, 730) * DAY + rng.int(0, DAY);
    amount[i] = Math.round(rng.uniform() * 20000) / 100;
  }
  return { id, time, amount };
}

/** The same columns on disk for the Python peer (written once per size). */
function dataFiles(n) {
  const dir = join(DATA_DIR, String(n));
  if (!existsSync(join(dir, 'amount.f64'))) {
    mkdirSync(dir, { recursive: true });
    const { id, time, amount } = generate(n);
    writeFileSync(join(dir, 'id.i32'), id);
    writeFileSync(join(dir, 'time.f64'), time);
    writeFileSync(join(dir, 'amount.f64'), amount);
  }
  return dir;
}

const LIFETIMES = `
import sys, time, resource
import numpy as np, pandas as pd
from lifetimes.utils import summary_data_from_transaction_data
d = sys.argv[1]
df = pd.DataFrame({
    'customer': np.fromfile(d + '/id.i32', dtype=np.int32),
    'date': pd.to_datetime(np.fromfile(d + '/time.f64').astype('int64'), unit='ms'),
    'amount': np.fromfile(d + '/amount.f64'),
})
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
s = summary_data_from_transaction_data(df, 'customer', 'date', monetary_value_col='amount',
                                       observation_period_end=pd.Timestamp(${END}, unit='ms'), freq='D')
wall = time.perf_counter() - t0
peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print('{"ms": %f, "peakMb": %f, "customers": %d, "frequencySum": %d}' % (wall * 1000, peak, len(s), int(s['frequency'].sum())))
`;

function child(kind, n) {
  const { id, time, amount } = generate(n);
  let input;
  if (kind === 'records') {
    input = new Array(n);
    for (let i = 0; i < n; i++) input[i] = { customerId: id[i], time: new Date(time[i]), amount: amount[i] };
  } else {
    input = { customerId: id, time, amount };
  }
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  const reps = n >= 1e7 ? 1 : 3;
  const times = [];
  let result;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    result = summarizeCustomers(input, { observationEnd: new Date(END), period: 'day' });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const peakMb = (process.resourceUsage().maxRSS * 1024 - baseline) / 2 ** 20;
  process.stdout.write(JSON.stringify({ ms: times[reps >> 1], peakMb, customers: result.length, frequencySum: result.reduce((a, s) => a + s.frequency, 0) }));
}

function lifetimesAvailable() {
  try {
    execFileSync(PYTHON, ['-c', 'import lifetimes.utils'], { env: { ...process.env, PYTHONPATH: LIFETIMES_PATH }, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function run(kind, n) {
  try {
    if (kind === 'lifetimes') {
      const out = execFileSync(PYTHON, ['-c', LIFETIMES, dataFiles(n)], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: LIFETIMES_PATH }, maxBuffer: 1 << 20 });
      return JSON.parse(out.trim().split('\n').at(-1));
    }
    const out = execFileSync(process.execPath, ['--expose-gc', new URL(import.meta.url).pathname, '--child', kind, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out);
  } catch (e) {
    const text = String(e.stderr ?? e.message);
    return { failed: /heap out of memory|allocation failed/i.test(text) ? 'out of memory (default heap)' : text.split('\n').find((l) => l.trim()) ?? 'failed' };
  }
}

if (args[0] === '--child') {
  child(args[1], Number(args[2]));
} else {
  const peer = lifetimesAvailable();
  console.log(`summarizeCustomers vs lifetimes summary_data_from_transaction_data; 10 transactions per customer, random order, period day (freq 'D')`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average at start ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  if (!peer) console.log(`lifetimes not importable from ${LIFETIMES_PATH}: its column is left empty`);
  console.log('| transactions | records: ms (MB) | columns: ms (MB) | lifetimes: ms (MB) | columns ms per 1e6 rows | lifetimes ÷ columns |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  const cell = (r) => (r === undefined ? '—' : r.failed ? r.failed : `${r.ms.toFixed(0)} (${r.peakMb.toFixed(0)})`);
  for (const n of SIZES) {
    const columns = run('columns', n);
    const records = n <= RECORDS_MAX ? run('records', n) : undefined;
    const life = peer && n <= LIFETIMES_MAX ? run('lifetimes', n) : undefined;
    for (const other of [records, life]) {
      if (other && !other.failed && !columns.failed && (other.customers !== columns.customers || other.frequencySum !== columns.frequencySum)) {
        throw new Error(`results differ at ${n}: ${JSON.stringify({ columns, other })}`);
      }
    }
    const perMillion = columns.failed ? '—' : (columns.ms / (n / 1e6)).toFixed(0);
    const ratio = life && !life.failed && !columns.failed ? `${(life.ms / columns.ms).toFixed(1)}×` : '—';
    console.log(`| ${n.toLocaleString('en')} | ${cell(records)} | ${cell(columns)} | ${cell(life)} | ${perMillion} | ${ratio} |`);
  }
  console.log(`load average at end ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
}
