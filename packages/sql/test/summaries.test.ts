// Summaries, calibration/holdout splits, churn labels and the compressed statistics in SQL, run on
// DuckDB and PostgreSQL and compared field by field with @crm/core's TypeScript functions.
import { calibrationHoldout, churnLabels, createRng, summarizeCustomers, type Period, type TransactionInput } from '@crm/core';
import { BgNbd, GammaGamma, ParetoNbd } from '@crm/scoring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cdnowTransactions } from '../../core/test/cdnow.ts';
import {
  calibrationHoldoutSql,
  churnLabelsSql,
  purchasePatternsSql,
  spendGroupsSql,
  summarizeCustomersSql,
  type Dialect,
  type TimeType,
  type TransactionSource,
} from '../src/index.ts';
import { duckdb, postgres, type Engine, type Row } from './engines.ts';

const iso = (s: string): string => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
const cdnow = cdnowTransactions().map((t) => ({ ...t, time: iso(t.time) }));

/** Generated transactions with times of day, month ends and leap days, ids that are numbers in text. */
function generated(): { customerId: string; time: string; amount: number }[] {
  const rng = createRng(11);
  const out: { customerId: string; time: string; amount: number }[] = [];
  const start = Date.UTC(1999, 10, 20);
  for (let c = 0; c < 400; c++) {
    const n = 1 + rng.int(0, 12);
    let t = start + rng.int(0, 200) * 86_400_000 + rng.int(0, 86_399_999);
    for (let i = 0; i < n; i++) {
      out.push({ customerId: String(c), time: new Date(t).toISOString(), amount: Math.round(rng.uniform() * 100_000) / 100 });
      // Same-day repeats, next-day and month-scale gaps; crosses 2000-02-29 and year ends.
      t += [0, 3_600_000, 86_400_000, 20 * 86_400_000, 45 * 86_400_000][rng.int(0, 5)]!;
    }
  }
  return out;
}

const engines: Engine[] = [];
let skipped = '';

async function loadOrders(e: Engine, name: string, rows: readonly { customerId: string; time: string; amount: number }[]): Promise<void> {
  await e.load(`${name}_raw`, { customer_id: e.dialect === 'duckdb' ? 'VARCHAR' : 'TEXT', t: e.dialect === 'duckdb' ? 'VARCHAR' : 'TEXT', amount: e.dialect === 'duckdb' ? 'DOUBLE' : 'DOUBLE PRECISION' }, rows.map((r) => [r.customerId, r.time, r.amount]));
  const tz = e.dialect === 'duckdb' ? 'TIMESTAMPTZ' : 'TIMESTAMP WITH TIME ZONE';
  const ms = e.dialect === 'duckdb' ? 'epoch_ms(CAST(t AS TIMESTAMP))' : 'CAST(EXTRACT(EPOCH FROM CAST(t AS TIMESTAMP)) * 1000 AS BIGINT)';
  await e.exec(`DROP TABLE IF EXISTS ${name}`);
  await e.exec(
    `CREATE TABLE ${name} AS SELECT customer_id, CAST(t AS TIMESTAMP) AS ts, CAST(t AS ${tz}) AS tstz, CAST(CAST(t AS TIMESTAMP) AS DATE) AS d, ${ms} AS ms, amount FROM ${name}_raw`,
  );
}

beforeAll(async () => {
  engines.push(await duckdb());
  const pg = await postgres();
  if (typeof pg === 'string') skipped = pg;
  else engines.push(pg);
  for (const e of engines) {
    if (e.dialect === 'duckdb') await e.exec("SET TimeZone = 'UTC'");
    await loadOrders(e, 'cdnow', cdnow);
    await loadOrders(e, 'gen', generated());
  }
}, 120_000);

afterAll(async () => {
  for (const e of engines) await e.close();
});

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : (v as number));

function source(table: string, timeType: TimeType): TransactionSource {
  const time = { timestamp: 'ts', timestamptz: 'tstz', date: 'd', epochMs: 'ms' }[timeType];
  return { table, columns: { customerId: 'customer_id', time, amount: 'amount' }, timeType };
}

/** Money: sums in another order differ in the last bits; 1e-9 absolute on values below 10^5. */
const MONEY = 1e-9;

function expectSummaries(rows: Row[], want: ReturnType<typeof summarizeCustomers>): void {
  expect(rows.length).toBe(want.length);
  const byId = new Map(rows.map((r) => [String(r.customerId), r]));
  for (const s of want) {
    const r = byId.get(s.customerId);
    expect(r, s.customerId).toBeDefined();
    // Counts and times in periods are computed exactly on both sides: equal to the last bit.
    expect([num(r!.frequency), num(r!.recency), num(r!.T), num(r!.daysSinceLastPurchase), num(r!.orders)]).toEqual([s.frequency, s.recency, s.T, s.daysSinceLastPurchase, s.orders]);
    expect(new Date(num(r!.firstPurchase)).toISOString()).toBe(s.firstPurchase);
    expect(new Date(num(r!.lastPurchase)).toISOString()).toBe(s.lastPurchase);
    expect(Math.abs(num(r!.monetary) - s.monetary)).toBeLessThanOrEqual(MONEY);
    expect(Math.abs(num(r!.totalSpend) - s.totalSpend)).toBeLessThanOrEqual(MONEY);
  }
}

const PERIODS: Period[] = ['day', 'week', 'month', 14, 365.25];
const each = (fn: (e: Engine) => Promise<void>) => async () => {
  if (skipped) console.warn(skipped);
  for (const e of engines) await fn(e);
};

describe('summarizeCustomersSql equals summarizeCustomers', () => {
  for (const period of PERIODS) {
    it(`CDNOW, period ${period}, every time type`, each(async (e) => {
      const want = summarizeCustomers(cdnow, { observationEnd: '1997-09-30', period });
      for (const timeType of ['timestamp', 'timestamptz', 'date', 'epochMs'] as const) {
        const q = summarizeCustomersSql(source('cdnow', timeType), { observationEnd: '1997-09-30', period, dialect: e.dialect as Dialect });
        expectSummaries(await e.run(q), want);
      }
    }));
    it(`generated times of day across month ends and a leap day, period ${period}`, each(async (e) => {
      const rows = generated();
      for (const end of ['2000-02-29T13:00:00Z', '2000-06-30T23:59:59.999Z']) {
        const want = summarizeCustomers(rows, { observationEnd: end, period });
        const q = summarizeCustomersSql(source('gen', 'timestamptz'), { observationEnd: end, period, dialect: e.dialect as Dialect });
        expectSummaries(await e.run(q), want);
      }
    }));
  }

  it('counts the rows it leaves out, by reason', each(async (e) => {
    const dbl = e.dialect === 'duckdb' ? 'DOUBLE' : 'DOUBLE PRECISION';
    const txt = e.dialect === 'duckdb' ? 'VARCHAR' : 'TEXT';
    await e.exec(`DROP TABLE IF EXISTS holes`);
    await e.exec(`CREATE TABLE holes (customer_id ${txt}, ts TIMESTAMP, amount ${dbl})`);
    await e.exec(
      `INSERT INTO holes VALUES ('a', TIMESTAMP '1997-01-01', 10), (NULL, TIMESTAMP '1997-01-02', 5), ('b', NULL, 5), ('c', TIMESTAMP '1997-01-03', NULL), ` +
        `('d', TIMESTAMP '1997-01-04', CAST('NaN' AS ${dbl})), ('e', TIMESTAMP '1997-01-05', CAST('Infinity' AS ${dbl})), (NULL, NULL, NULL), ('a', TIMESTAMP '1997-02-01', 20)`,
    );
    const q = summarizeCustomersSql({ table: 'holes', columns: { time: 'ts' } }, { observationEnd: '1997-09-30', dialect: e.dialect as Dialect });
    const rows = await e.run(q);
    expect(rows.map((r) => String(r.customerId))).toEqual(['a']);
    expect(num(rows[0]!.monetary)).toBe(20);
    const [x] = await e.run(q.excluded);
    expect(Object.fromEntries(Object.entries(x!).map(([k, v]) => [k, num(v)]))).toEqual({
      rows: 8, excluded: 6, nullCustomerId: 2, nullTime: 2, nullAmount: 2, nonFiniteTime: 0, nonFiniteAmount: 2,
    });
  }));

  it('reads a subquery and quoted identifiers', each(async (e) => {
    await e.exec(`DROP TABLE IF EXISTS "we""ird"`);
    await e.exec(`CREATE TABLE "we""ird" AS SELECT customer_id AS "client id", ts AS "when""", amount AS "Total" FROM cdnow`);
    const want = summarizeCustomers(cdnow, { observationEnd: '1997-09-30', period: 'week' });
    const fromTable = summarizeCustomersSql({ table: ['we"ird'], columns: { customerId: 'client id', time: 'when"', amount: 'Total' } }, { observationEnd: '1997-09-30', period: 'week', dialect: e.dialect as Dialect });
    expectSummaries(await e.run(fromTable), want);
    const fromQuery = summarizeCustomersSql({ query: 'SELECT customer_id, ts AS time, amount FROM cdnow', timeType: 'timestamp' }, { observationEnd: '1997-09-30', period: 'week', dialect: e.dialect as Dialect });
    expectSummaries(await e.run(fromQuery), want);
  }));
});

describe('calibrationHoldoutSql and churnLabelsSql equal the TypeScript splits', () => {
  for (const period of PERIODS) {
    it(`calibration/holdout, period ${period}`, each(async (e) => {
      for (const [table, rows, cal, obs] of [
        ['cdnow', cdnow, '1997-09-30', '1998-06-30'],
        ['gen', generated(), '2000-01-31T12:00:00Z', '2000-06-01T00:00:00Z'],
      ] as const) {
        const want = calibrationHoldout(rows as readonly TransactionInput[], { calibrationEnd: cal, observationEnd: obs, period });
        const q = calibrationHoldoutSql(source(table, 'timestamp'), { calibrationEnd: cal, observationEnd: obs, period, dialect: e.dialect as Dialect });
        const got = await e.run(q);
        expectSummaries(got, want);
        const byId = new Map(got.map((r) => [String(r.customerId), r]));
        for (const s of want) {
          const r = byId.get(s.customerId)!;
          expect([num(r.frequencyHoldout), num(r.durationHoldout)]).toEqual([s.frequencyHoldout, s.durationHoldout]);
          expect(Math.abs(num(r.monetaryHoldout) - s.monetaryHoldout)).toBeLessThanOrEqual(MONEY);
        }
      }
    }));
  }

  it('churn labels, with and without activeSince', each(async (e) => {
    for (const activeSince of [undefined, '1997-06-01', '1997-09-30']) {
      const options = { calibrationEnd: '1997-09-30', holdoutEnd: '1998-03-31', ...(activeSince ? { activeSince } : {}) };
      const want = churnLabels(cdnow, options);
      const got = await e.run(churnLabelsSql(source('cdnow', 'date'), { ...options, dialect: e.dialect as Dialect }));
      const sorted = got.map((r) => ({ customerId: String(r.customerId), churned: num(r.churned) })).sort((a, b) => Number(a.customerId) - Number(b.customerId));
      expect(sorted).toEqual([...want].sort((a, b) => Number(a.customerId) - Number(b.customerId)));
    }
  }));
});

describe('compressed statistics', () => {
  it('patterns and spend groups sum to the customers and fit the same models as the full summaries', each(async (e) => {
    const summaries = summarizeCustomers(cdnow, { observationEnd: '1997-09-30', period: 'week' });
    const query = summarizeCustomersSql(source('cdnow', 'date'), { observationEnd: '1997-09-30', period: 'week', dialect: e.dialect as Dialect });
    const patterns = (await e.run(purchasePatternsSql({ query }, { dialect: e.dialect as Dialect }))).map((r) => ({
      frequency: num(r.frequency), recency: num(r.recency), T: num(r.T), weight: num(r.weight),
    }));
    expect(patterns.reduce((a, p) => a + p.weight, 0)).toBe(summaries.length);
    const distinct = new Set(summaries.map((s) => `${s.frequency}|${s.recency}|${s.T}`));
    expect(patterns.length).toBe(distinct.size);
    const full = BgNbd.fit(summaries);
    const compressed = BgNbd.fit(patterns);
    // The models merge identical patterns into one canonical order before summing, so the fit on the
    // distinct patterns with counts is the fit on the full summaries, bit for bit.
    expect(compressed.params).toEqual(full.params);
    expect(ParetoNbd.fit(patterns).params).toEqual(ParetoNbd.fit(summaries).params);

    const groups = (await e.run(spendGroupsSql({ query }, { dialect: e.dialect as Dialect }))).map((r) => ({
      frequency: num(r.frequency), monetary: num(r.monetary), weight: num(r.weight),
    }));
    const repeat = summaries.filter((s) => s.frequency > 0);
    expect(groups.reduce((a, g) => a + g.weight, 0)).toBe(repeat.length);
    const ggCompressed = GammaGamma.fit(groups);
    // A table's full summary rows give the same Gamma-Gamma fit as its groups, bit for bit. (Two runs
    // of the summary query may not: engines sum in parallel, in no fixed order.)
    await e.exec('DROP TABLE IF EXISTS cdnow_summaries');
    await e.run({ ...query, text: `CREATE TABLE cdnow_summaries AS ${query.text}`, params: query.params });
    const fromTable = (await e.run(spendGroupsSql({ table: 'cdnow_summaries' }, { dialect: e.dialect as Dialect }))).map((r) => ({
      frequency: num(r.frequency), monetary: num(r.monetary), weight: num(r.weight),
    }));
    const sqlRows = (await e.run('SELECT * FROM cdnow_summaries')).map((r) => ({ frequency: num(r.frequency), monetary: num(r.monetary) }));
    expect(GammaGamma.fit(fromTable).params).toEqual(GammaGamma.fit(sqlRows.filter((r) => r.frequency > 0)).params);
    // Against the TypeScript summaries the mean spends differ in the last bits (amounts are summed in
    // another order), and the fit moves within the optimizer's stopping tolerance: observed from 1e-9
    // to 8e-8 relative across runs (the likelihood is flat along p·q), so the bound is 1e-7.
    const ggTs = GammaGamma.fit(repeat);
    for (const k of ['p', 'q', 'gamma'] as const) expect(Math.abs(ggCompressed.params[k] / ggTs.params[k] - 1)).toBeLessThan(1e-7);
  }));
});

describe('bad input is refused before any SQL is written', () => {
  const code = (fn: () => unknown): [string, unknown] => {
    try {
      fn();
    } catch (e) {
      const err = e as { name: string; code: string; path: unknown };
      expect(err.name).toBe('CrmError');
      return [err.code, err.path];
    }
    throw new Error('no error');
  };
  const end = { observationEnd: '1997-09-30' };

  it('options', () => {
    expect(code(() => summarizeCustomersSql({ table: 'o' }, { ...end, perod: 'week' } as never))).toEqual(['invalid_argument', ['options', 'perod']]);
    expect(code(() => summarizeCustomersSql({ table: 'o' }, { ...end, period: 0.5 }))).toEqual(['invalid_argument', ['options', 'period']]);
    expect(code(() => summarizeCustomersSql({ table: 'o' }, { ...end, dialect: 'mysql' as never }))).toEqual(['invalid_argument', ['options', 'dialect']]);
    expect(code(() => summarizeCustomersSql({ table: 'o' }, { observationEnd: '30/09/1997' }))).toEqual(['invalid_argument', ['options', 'observationEnd']]);
    expect(code(() => summarizeCustomersSql({ table: 'o' }, { observationEnd: 19970930 }))).toEqual(['invalid_argument', ['options', 'observationEnd']]);
    expect(code(() => summarizeCustomersSql({ table: 'o' }, undefined as never))).toEqual(['invalid_argument', ['options']]);
    expect(code(() => calibrationHoldoutSql({ table: 'o' }, { calibrationEnd: '1998-01-01', observationEnd: '1997-01-01' }))).toEqual(['invalid_argument', ['options', 'observationEnd']]);
    expect(code(() => churnLabelsSql({ table: 'o' }, { calibrationEnd: '1997-09-30', holdoutEnd: '1998-01-01', activeSince: '1997-10-01' }))).toEqual(['invalid_argument', ['options', 'activeSince']]);
  });

  it('sources', () => {
    expect(code(() => summarizeCustomersSql({}, end))).toEqual(['invalid_argument', ['source']]);
    expect(code(() => summarizeCustomersSql({ table: 'o', query: 'SELECT 1' }, end))).toEqual(['invalid_argument', ['source']]);
    expect(code(() => summarizeCustomersSql({ table: 'o', colums: {} } as never, end))).toEqual(['invalid_argument', ['source', 'colums']]);
    expect(code(() => summarizeCustomersSql({ table: 'o', columns: { amount: '' } }, end))).toEqual(['invalid_argument', ['source', 'columns', 'amount']]);
    expect(code(() => summarizeCustomersSql({ table: 'o\u0001' }, end))).toEqual(['invalid_argument', ['source', 'table']]);
    expect(code(() => summarizeCustomersSql({ table: ['s', ''] }, end))).toEqual(['invalid_argument', ['source', 'table', 1]]);
    expect(code(() => summarizeCustomersSql({ query: 42 } as never, end))).toEqual(['invalid_argument', ['source', 'query']]);
    expect(code(() => summarizeCustomersSql({ table: 'o', timeType: 'iso' as never }, end))).toEqual(['invalid_argument', ['source', 'timeType']]);
    const otherDialect = summarizeCustomersSql({ table: 'o' }, { ...end, dialect: 'postgres' });
    expect(code(() => summarizeCustomersSql({ query: otherDialect }, end))).toEqual(['invalid_argument', ['source', 'query']]);
    expect(code(() => purchasePatternsSql({ table: 's', columns: { t: 'T' } } as never))).toEqual(['invalid_argument', ['summaries', 'columns', 't']]);
  });

  it('a schema names unknown columns and wrong types', () => {
    const schema = { customer_id: 'VARCHAR', time: 'TIMESTAMP WITH TIME ZONE', amount: 'DECIMAL(10,2)', note: 'VARCHAR' };
    expect(code(() => summarizeCustomersSql({ table: 'o', schema, columns: { amount: 'total' } }, end))).toEqual(['invalid_input', ['source', 'columns', 'amount']]);
    expect(code(() => summarizeCustomersSql({ table: 'o', schema: { ...schema, amount: 'VARCHAR' } }, end))).toEqual(['invalid_input', ['source', 'columns', 'amount']]);
    expect(code(() => summarizeCustomersSql({ table: 'o', schema: { ...schema, time: 'VARCHAR' } }, end))).toEqual(['invalid_input', ['source', 'columns', 'time']]);
    expect(code(() => summarizeCustomersSql({ table: 'o', schema, timeType: 'date' }, end))).toEqual(['invalid_input', ['source', 'timeType']]);
    // The schema's type decides the time arithmetic when timeType is not given.
    expect(summarizeCustomersSql({ table: 'o', schema: { ...schema, time: 'DATE' } }, end).text).toContain('CAST(src."time" AS TIMESTAMP)');
  });

  it('user strings travel as parameters; identifiers are quoted, not executed', each(async (e) => {
    const hostile = 'x"; DROP TABLE cdnow; --';
    const q = summarizeCustomersSql({ table: 'cdnow', columns: { customerId: hostile } }, { observationEnd: '1997-09-30T00:00:00Z', dialect: e.dialect as Dialect });
    expect(q.text).not.toContain('1997-09-30');
    await expect(e.run(q)).rejects.toThrow();
    expect((await e.run('SELECT COUNT(*) AS n FROM cdnow')).map((r) => num(r.n))).toEqual([cdnow.length]);
  }));
});
