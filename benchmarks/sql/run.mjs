// @crm/sql benchmark: transactions in Parquet → per-customer summaries in DuckDB → distinct
// (frequency, recency, T) patterns and spend groups → BG/NBD + Gamma-Gamma fitted in TypeScript on
// them → expected purchases, P(alive), expected spend (Gamma-Gamma in closed form) and 12-month CLV
// for every customer written back to Parquet
// by DuckDB. Beside it, the in-memory path (transactions as objects → summarizeCustomers → the same
// fits on every customer → customerLifetimeValue for every customer) at the sizes it survives.
//
// Data: generated deterministically in DuckDB (hashes of the row number): n transactions of about
// n/10 customers over two years, with skewed purchase rates and dropout, amounts 0.01–199.99. Written once to Parquet in the OS temp directory
// (generation is not timed). Each case runs in its own child process, so its peak memory (maxRSS,
// which includes DuckDB's memory: it runs in-process) is its own. DuckDB runs with 2 threads and a
// 3 GB memory limit, spilling to the temp directory beyond it.
//
// Run: pnpm build && node benchmarks/sql/run.mjs [max transactions, default 100000000]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const dir = join(tmpdir(), 'crm-bench-sql');
const parquet = (n) => join(dir, `transactions_${n}.parquet`);
const OBSERVATION_END = '2021-12-31T23:59:59Z';
// Months: two years of calendar-month purchase periods compress every customer base into a few
// thousand (frequency, recency, T) patterns. (In days or weeks, with customers born on every day of
// a year, nearly every customer is a pattern of its own and the score table is as long as the base.)
const PERIOD = 'month';
const CLV = { dataPeriod: 'month', period: 'month', horizon: 12, discountRate: 0.01, margin: 0.3 };

async function duck() {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  mkdirSync(join(dir, 'spill'), { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '3GB', temp_directory: join(dir, 'spill') });
  return instance.connect();
}

async function generate(n) {
  if (existsSync(parquet(n))) return;
  const con = await duck();
  const customers = Math.round(n / 10);
  // Row i: a customer drawn with a skew (customer c of N with density ∝ (c/N)^(−3/4), so purchase rates
  // differ), each customer born in the first year and active for 30–730 days (so some drop out),
  // the purchase at a uniform second of that life, an amount in cents; all from hashes of i and c,
  // so the file is the same on every run and machine. BG/NBD fits it with moderate parameters.
  const u = (x) => `(CAST(hash(${x}) % 1000000007 AS DOUBLE) / 1000000007)`;
  await con.run(
    `COPY (SELECT customer_id, TIMESTAMP '2020-01-01' + to_seconds(CAST(birth + ${u('i * 3 + 1')} * LEAST(life, ${730 * 86400} - birth) AS BIGINT)) AS time, amount FROM (` +
      `SELECT i, c AS customer_id, CAST(hash(c * 11 + 5) % ${365 * 86400} AS DOUBLE) AS birth, CAST(${30 * 86400} + hash(c * 13 + 7) % ${700 * 86400} AS DOUBLE) AS life, ` +
      `CAST(hash(i * 7 + 2) % 19999 + 1 AS DOUBLE) / 100 AS amount FROM (SELECT i, CAST(FLOOR(${customers} * POWER(${u('i')}, 4)) AS BIGINT) AS c FROM range(${n}) AS t(i)))) ` +
      `TO '${parquet(n)}.tmp' (FORMAT parquet)`,
  );
  execFileSync('mv', [`${parquet(n)}.tmp`, parquet(n)]);
}

const secondsSince = (t0) => Math.round((performance.now() - t0) / 10) / 100;

async function sqlPath(n) {
  const sql = await import('@crm/sql');
  const { BgNbd, GammaGamma } = await import('@crm/scoring');
  const con = await duck();
  const run = async (q) => (await con.runAndReadAll(q.text, q.params)).getRowObjectsJS();
  const steps = {};
  const t0 = performance.now();
  let t = performance.now();
  const source = { query: `SELECT * FROM read_parquet('${parquet(n)}')`, timeType: 'timestamp' };
  const summaries = sql.summarizeCustomersSql(source, { observationEnd: OBSERVATION_END, period: PERIOD });
  await con.run(`CREATE TABLE summaries AS ${summaries.text}`, summaries.params);
  const excluded = sql.readExcluded(await run(summaries.excluded));
  steps.summaries = secondsSince(t);
  t = performance.now();
  const patterns = sql.readPatterns(await run(sql.purchasePatternsSql({ table: 'summaries' })));
  const groups = sql.readSpendGroups(await run(sql.spendGroupsSql({ table: 'summaries' })));
  steps.patterns = secondsSince(t);
  t = performance.now();
  const bg = BgNbd.fit(patterns);
  const gg = GammaGamma.fit(groups);
  steps.fit = secondsSince(t);
  t = performance.now();
  const purchase = sql.purchaseScoreTableSql(bg, patterns, { t: 12, clv: CLV, table: 'pattern_scores', maxParams: 65_535 });
  steps.scoreTables = secondsSince(t);
  t = performance.now();
  for (const q of purchase.statements) await con.run(q.text, q.params);
  steps.loadScores = secondsSince(t);
  t = performance.now();
  const scores = sql.customerScoresSql({ table: 'summaries' }, { purchase, spend: gg });
  const out = join(dir, `clv_${n}.parquet`);
  await con.run(`COPY (${scores.text}) TO '${out}' (FORMAT parquet)`, scores.params);
  steps.writeBack = secondsSince(t);
  const total = secondsSince(t0);
  const [{ customers, clv }] = (await con.runAndReadAll(`SELECT COUNT(*) AS customers, SUM(clv) AS clv FROM read_parquet('${out}')`)).getRowObjectsJS();
  rmSync(out, { force: true });
  return {
    total,
    steps,
    customers: Number(customers),
    patterns: patterns.length,
    spendGroups: groups.length,
    excluded: excluded.excluded,
    meanClv: Number(clv) / Number(customers),
    bg: bg.params,
  };
}

async function memoryPath(n) {
  const { summarizeCustomers } = await import('@crm/core');
  const { BgNbd, GammaGamma, customerLifetimeValue } = await import('@crm/scoring');
  // Load the same Parquet file into objects (not timed): the in-memory path starts from them.
  const con = await duck();
  const reader = await con.runAndReadAll(`SELECT CAST(customer_id AS VARCHAR) AS c, epoch_ms(time) AS t, amount FROM read_parquet('${parquet(n)}')`);
  const transactions = [];
  const [ids, times, amounts] = [reader.getColumnsJS()[0], reader.getColumnsJS()[1], reader.getColumnsJS()[2]];
  for (let i = 0; i < ids.length; i++) transactions.push({ customerId: ids[i], time: Number(times[i]), amount: amounts[i] });
  const steps = {};
  const t0 = performance.now();
  let t = performance.now();
  const summaries = summarizeCustomers(transactions, { observationEnd: OBSERVATION_END, period: PERIOD });
  steps.summaries = secondsSince(t);
  t = performance.now();
  const bg = BgNbd.fit(summaries);
  const gg = GammaGamma.fit(summaries.filter((s) => s.frequency > 0));
  steps.fit = secondsSince(t);
  t = performance.now();
  const clv = customerLifetimeValue(bg, gg, summaries, { ...CLV, maxEvaluations: 1e9 });
  bg.probabilityAlive(summaries[0]);
  steps.clv = secondsSince(t);
  return { total: secondsSince(t0), steps, customers: summaries.length, meanClv: clv.reduce((a, b) => a + b, 0) / clv.length, bg: bg.params };
}

if (process.argv[2] === '--generate') { await generate(Number(process.argv[3])); process.exit(0); }
if (process.argv[2] === '--case') {
  const [kind, n] = [process.argv[3], Number(process.argv[4])];
  const result = kind === 'sql' ? await sqlPath(n) : await memoryPath(n);
  console.log(JSON.stringify({ ...result, peakMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
  process.exit(0);
}

const max = Number(process.argv[2] ?? 100_000_000);
const sizes = [1_000_000, 10_000_000, 100_000_000].filter((n) => n <= max);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB; load before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const n of sizes) await generate(n);
const results = {};
for (const n of sizes) {
  for (const kind of ['sql', 'memory']) {
    if (kind === 'memory' && n > 10_000_000) {
      console.log(`${n.toLocaleString('en')} in-memory: not run (10 M transactions as objects take 2 GB; 20 M exceed the default heap)`);
      continue;
    }
    try {
      const out = execFileSync(process.execPath, ['--expose-gc', self, '--case', kind, String(n)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      const r = JSON.parse(out.trim().split('\n').pop());
      results[`${kind} ${n}`] = r;
      console.log(`${n.toLocaleString('en')} ${kind}: ${r.total} s end to end, peak ${r.peakMB} MB, ${r.customers.toLocaleString('en')} customers; steps ${JSON.stringify(r.steps)}; mean CLV ${r.meanClv.toFixed(4)}${r.patterns ? `; ${r.patterns.toLocaleString('en')} patterns, ${r.spendGroups.toLocaleString('en')} spend groups` : ''}`);
    } catch (e) {
      console.log(`${n.toLocaleString('en')} ${kind}: failed (${String(e.message).split('\n')[0]})`);
    }
  }
  const [s, m] = [results[`sql ${n}`], results[`memory ${n}`]];
  if (s && m) console.log(`${n.toLocaleString('en')}: SQL path / in-memory path = ${(s.total / m.total).toFixed(2)} (time), ${(s.peakMB / m.peakMB).toFixed(2)} (peak memory)`);
}
console.log(`load after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
