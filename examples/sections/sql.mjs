// @crm/sql on DuckDB embedded: the CDNOW transactions file is read by DuckDB itself (nothing is
// loaded into JavaScript objects), summarized per customer in SQL, compressed to distinct
// (frequency, recency, T) patterns; BG/NBD and Gamma-Gamma are fitted in TypeScript on those, and
// every customer's P(alive) and 12-month CLV come back as SQL. The result equals the in-memory
// path of the scoring section.
import { customerScoresSql, purchasePatternsSql, purchaseScoreTableSql, readPatterns, readSpendGroups, spendGroupsSql, summarizeCustomersSql, readExcluded } from '@crm/sql';
import { BgNbd, GammaGamma } from '@crm/scoring';
import { DuckDBInstance } from '@duckdb/node-api';
import { fileURLToPath } from 'node:url';
import { table } from './shared.mjs';

const seconds = (t0) => `${((performance.now() - t0) / 1000).toFixed(3)} s`;

export async function run() {
  console.log('\n## @crm/sql: the same CLV computed where the data lives (DuckDB embedded)');
  const t0 = performance.now();
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  const rows = async (q) => (await connection.runAndReadAll(q.text, q.params)).getRowObjectsJS();
  // The raw file: columns separated by runs of spaces, dates as yyyymmdd; DuckDB splits each line.
  const file = fileURLToPath(new URL('../data/CDNOW_sample.txt', import.meta.url));
  const lines = `SELECT string_split_regex(trim(line), '\\s+') AS f FROM read_csv('${file}', header = false, delim = '|', columns = {'line': 'VARCHAR'})`;
  const transactions = {
    query: `SELECT CAST(f[2] AS INTEGER) AS customer_id, strptime(f[3], '%Y%m%d') AS time, CAST(f[5] AS DOUBLE) AS amount FROM (${lines})`,
  };
  const steps = [];
  let t = performance.now();
  const summaries = summarizeCustomersSql(transactions, { observationEnd: '1997-09-30', period: 'week' });
  await connection.run(`CREATE TABLE summaries AS ${summaries.text}`, summaries.params);
  const excluded = readExcluded(await rows(summaries.excluded));
  steps.push({ step: 'summaries in SQL', detail: `${excluded.rows} transactions read, ${excluded.excluded} left out`, time: seconds(t) });
  t = performance.now();
  const patterns = readPatterns(await rows(purchasePatternsSql({ table: 'summaries' })));
  const groups = readSpendGroups(await rows(spendGroupsSql({ table: 'summaries' })));
  const customers = patterns.reduce((s, p) => s + p.weight, 0);
  steps.push({ step: 'patterns in SQL', detail: `${customers} customers → ${patterns.length} patterns, ${groups.length} spend groups`, time: seconds(t) });
  t = performance.now();
  const bg = BgNbd.fit(patterns);
  const gg = GammaGamma.fit(groups);
  const p = bg.params;
  steps.push({ step: 'fit in TypeScript', detail: `BG/NBD r ${p.r.toFixed(4)}, α ${p.alpha.toFixed(3)}, a ${p.a.toFixed(4)}, b ${p.b.toFixed(3)}`, time: seconds(t) });
  t = performance.now();
  const clv = { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01 };
  const scores = purchaseScoreTableSql(bg, patterns, { t: 52, clv, table: 'pattern_scores' });
  for (const statement of scores.statements) await connection.run(statement.text, statement.params);
  const perCustomer = customerScoresSql({ table: 'summaries' }, { purchase: scores, spend: gg });
  await connection.run(`CREATE TABLE customer_scores AS ${perCustomer.text}`, perCustomer.params);
  const top = await rows({ text: 'SELECT * FROM customer_scores ORDER BY clv DESC LIMIT 5', params: [] });
  const [total] = await rows({ text: 'SELECT SUM(clv) AS total, COUNT(*) AS n FROM customer_scores', params: [] });
  steps.push({ step: 'scores back in SQL', detail: `${total.n} customers, 12-month CLV total $${total.total.toFixed(2)}`, time: seconds(t) });
  console.log(
    table(steps, [
      { label: 'step', align: 'left', format: (r) => r.step },
      { label: 'result', align: 'left', format: (r) => r.detail },
      { label: 'time', format: (r) => r.time },
    ]),
  );
  console.log(`end to end: ${seconds(t0)}\n\nHighest 12-month CLV, computed in DuckDB:`);
  console.log(
    table(top, [
      { label: 'customer', align: 'left', format: (r) => String(r.customerId) },
      { label: 'P(alive)', format: (r) => r.probabilityAlive.toFixed(3) },
      { label: 'purchases next year', format: (r) => r.expectedPurchases.toFixed(2) },
      { label: 'spend', format: (r) => `$${r.expectedSpend.toFixed(2)}` },
      { label: 'CLV', format: (r) => `$${r.clv.toFixed(2)}` },
    ]),
  );
  connection.closeSync();
}
