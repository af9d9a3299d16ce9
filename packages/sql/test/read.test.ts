// The readers on rows as each driver really returns them — @duckdb/node-api (getRowObjectsJS() and
// getRowObjects()), pg, and @duckdb/duckdb-wasm's Arrow rows (its blocking Node build) — compared with
// core's summarizeCustomers and with the scoring fits on the full summaries; and every bad value as
// a CrmError with its path.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isCrmError, summarizeCustomers, type CustomerSummary } from '@crm/core';
import { BgNbd, GammaGamma } from '@crm/scoring';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cdnowTransactions } from '../../core/test/cdnow.ts';
import {
  purchasePatternsSql,
  readExcluded,
  readNumbers,
  readPatterns,
  readSpendGroups,
  readSummaries,
  spendGroupsSql,
  summarizeCustomersSql,
  type SqlParam,
  type SqlQuery,
} from '../src/index.ts';
import { postgres, type Engine } from './engines.ts';

const iso = (s: string): string => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
const cdnow = cdnowTransactions().map((t) => ({ ...t, time: iso(t.time) }));
const END = '1997-09-30';
/** Money: sums in another order differ in the last bits (see summaries.test.ts); 1e-9 absolute on values below 10^5. */
const MONEY = 1e-9;

type Rows = Record<string, unknown>[];
/** A way to run a query and get rows as one driver returns them. */
interface Driver {
  readonly name: string;
  readonly dialect: 'duckdb' | 'postgres';
  run(q: SqlQuery | string): Promise<Rows>;
}

const drivers: Driver[] = [];
const closers: (() => Promise<void> | void)[] = [];
let pgSkipped = '';

const CREATE = (txt: string): string => `CREATE TABLE orders AS SELECT customer_id, CAST(t AS TIMESTAMP) AS ts, amount FROM orders_raw`.replace('TEXT', txt);

async function nodeApi(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  closers.push(() => {
    con.closeSync();
    instance.closeSync();
  });
  await con.run(`CREATE TABLE orders_raw (customer_id VARCHAR, t VARCHAR, amount DOUBLE)`);
  const appender = await con.createAppender('orders_raw');
  for (const r of cdnow) {
    appender.appendVarchar(r.customerId);
    appender.appendVarchar(r.time);
    appender.appendDouble(r.amount);
    appender.endRow();
  }
  appender.closeSync();
  await con.run(CREATE('VARCHAR'));
  return con;
}

/** duckdb-wasm's blocking build runs in Node; rows are Arrow struct rows, as in a browser. */
async function wasm(config: object): Promise<Driver> {
  const require = createRequire(import.meta.url);
  const duckdb = require('@duckdb/duckdb-wasm/blocking') as typeof import('@duckdb/duckdb-wasm/blocking');
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
  const db = await duckdb.createDuckDB(
    { mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: '' }, eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: '' } },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  await db.instantiate();
  db.open(config);
  const con = db.connect();
  closers.push(() => con.close());
  con.query(`CREATE TABLE orders_raw (customer_id VARCHAR, t VARCHAR, amount DOUBLE)`);
  const values = cdnow.map((r) => `('${r.customerId}', '${r.time}', ${r.amount})`).join(', ');
  con.query(`INSERT INTO orders_raw VALUES ${values}`);
  con.query(CREATE('VARCHAR'));
  return {
    name: `duckdb-wasm ${JSON.stringify(config)}`,
    dialect: 'duckdb',
    async run(q) {
      if (typeof q === 'string') return con.query(q).toArray() as Rows;
      const stmt = con.prepare(q.text);
      try {
        return stmt.query(...(q.params as SqlParam[])).toArray() as Rows;
      } finally {
        stmt.close();
      }
    },
  };
}

beforeAll(async () => {
  const con = await nodeApi();
  const runWith = (how: 'getRowObjectsJS' | 'getRowObjects') => async (q: SqlQuery | string): Promise<Rows> => {
    const reader = typeof q === 'string' ? await con.runAndReadAll(q) : await con.runAndReadAll(q.text, q.params as never);
    return reader[how]() as Rows;
  };
  drivers.push({ name: '@duckdb/node-api getRowObjectsJS()', dialect: 'duckdb', run: runWith('getRowObjectsJS') });
  drivers.push({ name: '@duckdb/node-api getRowObjects()', dialect: 'duckdb', run: runWith('getRowObjects') });
  drivers.push(await wasm({}));
  drivers.push(await wasm({ query: { castDecimalToDouble: true, castTimestampToDate: true } }));
  const pg = await postgres();
  if (typeof pg === 'string') pgSkipped = pg;
  else {
    const e: Engine = pg;
    closers.push(() => e.close());
    await e.load('orders_raw', { customer_id: 'TEXT', t: 'TEXT', amount: 'DOUBLE PRECISION' }, cdnow.map((r) => [r.customerId, r.time, r.amount]));
    await e.exec(CREATE('TEXT'));
    drivers.push({ name: 'pg', dialect: 'postgres', run: (q) => e.run(q) });
  }
}, 120_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const each = (fn: (d: Driver) => Promise<void>) => async () => {
  if (pgSkipped) console.warn(pgSkipped);
  for (const d of drivers) {
    try {
      await fn(d);
    } catch (e) {
      if (e instanceof Error) e.message = `${d.name}: ${e.message}`;
      throw e;
    }
  }
};

const source = { table: 'orders', columns: { time: 'ts' } } as const;
const want = (): CustomerSummary[] => summarizeCustomers(cdnow, { observationEnd: END, period: 'week' });
const byId = (a: readonly CustomerSummary[]): CustomerSummary[] => [...a].sort((x, y) => (x.customerId < y.customerId ? -1 : 1));

function expectSummaries(got: readonly CustomerSummary[], expected: readonly CustomerSummary[], money = MONEY): void {
  expect(got.length).toBe(expected.length);
  const [g, w] = [byId(got), byId(expected)];
  for (let i = 0; i < w.length; i++) {
    const { monetary, totalSpend, ...exact } = g[i]!;
    const { monetary: wm, totalSpend: wt, ...wantExact } = w[i]!;
    // Ids, counts, periods and ISO times are exact on both sides.
    expect(exact).toEqual(wantExact);
    expect(Math.abs(monetary - wm)).toBeLessThanOrEqual(money);
    expect(Math.abs(totalSpend - wt)).toBeLessThanOrEqual(money);
  }
}

/** The summary query with its columns retyped to what users' own SQL often has: DECIMAL counts and money, TIMESTAMP times. */
function retyped(d: Driver): string {
  const q = (n: string): string => `"${n}"`;
  const ts = (c: string): string => (d.dialect === 'duckdb' ? `make_timestamp(CAST(s.${q(c)} AS BIGINT) * 1000)` : `to_timestamp(s.${q(c)} / 1000.0)`);
  const num = d.dialect === 'duckdb' ? 'DECIMAL' : 'NUMERIC';
  return (
    `SELECT s.${q('customerId')}, CAST(s.frequency AS ${num}(18, 0)) AS frequency, s.recency, s.${q('T')}, CAST(s.monetary AS ${num}(38, 12)) AS monetary, ` +
    `CAST(s.${q('daysSinceLastPurchase')} AS ${num}(10, 0)) AS ${q('daysSinceLastPurchase')}, s.orders, CAST(s.${q('totalSpend')} AS ${num}(38, 12)) AS ${q('totalSpend')}, ` +
    `${ts('firstPurchase')} AS ${q('firstPurchase')}, ${ts('lastPurchase')} AS ${q('lastPurchase')}, 'extra' AS ignored FROM (__Q__) AS s`
  );
}

describe('readers on real driver rows equal the TypeScript results (CDNOW, weekly)', () => {
  it('readSummaries(rows of summarizeCustomersSql) equals summarizeCustomers', each(async (d) => {
    const q = summarizeCustomersSql(source, { observationEnd: END, period: 'week', dialect: d.dialect });
    expectSummaries(readSummaries(await d.run(q)), want());
  }));

  it('readSummaries reads DECIMAL/NUMERIC counts and money and TIMESTAMP times, ignoring extra columns', each(async (d) => {
    const q = summarizeCustomersSql(source, { observationEnd: END, period: 'week', dialect: d.dialect });
    // The inner query's parameter is spliced as a literal here, since the wrapper is plain text.
    const inner = q.text.replace(/\$1\b/g, `'${q.params[0]}'`);
    const rows = await d.run(retyped(d).replace('__Q__', inner));
    if (d.name === 'duckdb-wasm {}') {
      // Arrow decimals carry no scale: refused with the remedy, never misread.
      expect(() => readSummaries(rows)).toThrow(expect.objectContaining({ code: 'invalid_input', path: [0, 'frequency'], message: expect.stringContaining('castDecimalToDouble') }));
      return;
    }
    // DECIMAL(38, 12) rounds money to 1e-12 (half a unit of the last place at most).
    expectSummaries(readSummaries(rows), want(), MONEY + 5e-13);
  }));

  it('readPatterns → BgNbd.fit equals the fit on the full summaries', each(async (d) => {
    const summaries = summarizeCustomersSql(source, { observationEnd: END, period: 'week', dialect: d.dialect });
    const patterns = readPatterns(await d.run(purchasePatternsSql({ query: summaries }, { dialect: d.dialect })));
    expect(patterns.length).toBeLessThan(want().length);
    expect(patterns.reduce((s, p) => s + p.weight, 0)).toBe(want().length);
    // history.ts merges identical patterns in one canonical order: the fits agree to the last bit.
    expect(BgNbd.fit(patterns).params).toEqual(BgNbd.fit(want()).params);
  }));

  it('readSpendGroups → GammaGamma.fit equals the fit on the full summaries', each(async (d) => {
    const summaries = summarizeCustomersSql(source, { observationEnd: END, period: 'week', dialect: d.dialect });
    const groups = readSpendGroups(await d.run(spendGroupsSql({ query: summaries }, { dialect: d.dialect })));
    const repeat = want().filter((s) => s.frequency > 0);
    expect(groups.reduce((s, g) => s + g.weight, 0)).toBe(repeat.length);
    // Monetary means come from SQL sums in another order (MONEY apart), so the fits agree closely, not bit for bit.
    const [a, b] = [GammaGamma.fit(groups).params, GammaGamma.fit(repeat).params];
    for (const k of Object.keys(b) as (keyof typeof b)[]) expect(Math.abs(a[k] - b[k]) / Math.abs(b[k])).toBeLessThan(1e-6);
  }));

  it('readExcluded(rows of q.excluded) counts the rows left out, by reason', each(async (d) => {
    const dbl = d.dialect === 'duckdb' ? 'DOUBLE' : 'DOUBLE PRECISION';
    const rows = `SELECT * FROM (VALUES ('a', TIMESTAMP '1997-01-01', CAST(10 AS ${dbl})), (NULL, TIMESTAMP '1997-01-02', 5), ('b', NULL, 5), ('c', TIMESTAMP '1997-01-03', NULL), ('d', TIMESTAMP '1997-01-04', CAST('NaN' AS ${dbl})), (NULL, NULL, NULL)) AS v(customer_id, ts, amount)`;
    const q = summarizeCustomersSql({ query: rows, columns: { time: 'ts' } }, { observationEnd: END, dialect: d.dialect });
    expect(readExcluded(await d.run(q.excluded))).toEqual({
      rows: 6,
      excluded: 5,
      reasons: { nullCustomerId: 2, nullTime: 2, nullAmount: 2, nonFiniteTime: 0, nonFiniteAmount: 1 },
    });
  }));

  it('readNumbers reads DOUBLE, BIGINT, DECIMAL and HUGEINT/NUMERIC columns', each(async (d) => {
    const wide = d.dialect === 'duckdb' ? 'HUGEINT' : 'NUMERIC';
    const dec = d.dialect === 'duckdb' ? 'DECIMAL' : 'NUMERIC';
    const rows = await d.run(`SELECT CAST(0.1 AS DOUBLE PRECISION) AS x, CAST(9007199254740991 AS BIGINT) AS b, CAST(-0.125 AS ${dec}(10, 3)) AS m, CAST(12 AS ${wide}) AS h`.replace('DOUBLE PRECISION', d.dialect === 'duckdb' ? 'DOUBLE' : 'DOUBLE PRECISION'));
    expect(readNumbers(rows, 'x')).toEqual(new Float64Array([0.1]));
    expect(readNumbers(rows, 'b', { integer: true })).toEqual(new Float64Array([9007199254740991]));
    if (d.name !== 'duckdb-wasm {}') {
      expect(readNumbers(rows, 'm')).toEqual(new Float64Array([-0.125]));
      expect(readNumbers(rows, 'h', { integer: true })).toEqual(new Float64Array([12]));
    }
  }));

  it('an integer beyond 2^53 is an error from every driver, not a rounded number', each(async (d) => {
    const rows = await d.run(`SELECT CAST(9007199254740993 AS BIGINT) AS frequency, 1 AS recency, 2 AS "T", 1 AS weight`);
    expect(() => readPatterns(rows)).toThrow(expect.objectContaining({ code: 'invalid_input', path: [0, 'frequency'], message: expect.stringContaining('2^53') }));
  }));
});

/** Calls fn and returns the CrmError it throws. */
function crmError(fn: () => unknown): { code: string; path: readonly (string | number)[]; message: string } {
  try {
    fn();
  } catch (e) {
    if (isCrmError(e)) return e;
    throw e;
  }
  throw new Error('expected a CrmError');
}

const summaryRow = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  customerId: 'A', frequency: 1, recency: 2, T: 4, monetary: 20, daysSinceLastPurchase: 14, orders: 2, totalSpend: 30,
  firstPurchase: Date.UTC(2024, 0, 1), lastPurchase: Date.UTC(2024, 0, 15), ...over,
});

describe('bad values are CrmErrors at [row, column]', () => {
  it('NULL where a number is required', () => {
    expect(crmError(() => readSummaries([summaryRow(), summaryRow({ monetary: null })]))).toMatchObject({ code: 'invalid_input', path: [1, 'monetary'] });
    expect(crmError(() => readPatterns([{ frequency: 0, recency: 0, T: 1, weight: null }]))).toMatchObject({ code: 'invalid_input', path: [0, 'weight'] });
  });

  it('missing columns are named, all of them', () => {
    const e = crmError(() => readSummaries([{ customerId: 'A', frequency: 1 }]));
    expect(e).toMatchObject({ code: 'invalid_input', path: [0, 'recency'] });
    for (const c of ['recency', 'T', 'monetary', 'daysSinceLastPurchase', 'orders', 'totalSpend', 'firstPurchase', 'lastPurchase']) expect(e.message).toContain(`"${c}"`);
    expect(crmError(() => readSpendGroups([{ frequency: 1, Monetary: 2, weight: 1 }]))).toMatchObject({ path: [0, 'monetary'] });
  });

  it('integers beyond ±2^53 as bigint, text or double are errors', () => {
    for (const v of [2n ** 53n + 1n, -(2n ** 53n) - 1n, '9007199254740993', '-9007199254740993']) {
      expect(crmError(() => readPatterns([{ frequency: 1, recency: 1, T: 2, weight: v }])), String(v)).toMatchObject({ code: 'invalid_input', path: [0, 'weight'] });
    }
    // A double is only judged where a whole number is required (it may already have been rounded).
    expect(crmError(() => readPatterns([{ frequency: 2 ** 53 + 2, recency: 1, T: 2, weight: 1 }]))).toMatchObject({ code: 'invalid_input', path: [0, 'frequency'] });
    expect(readPatterns([{ frequency: 1, recency: 1, T: 2, weight: 2n ** 53n - 1n }])[0]!.weight).toBe(2 ** 53 - 1);
  });

  it('non-finite values, text that is not a number, booleans, fractional counts', () => {
    for (const [v, path] of [[Number.NaN, 'recency'], ['NaN', 'recency'], ['Infinity', 'recency'], ['abc', 'recency'], ['', 'recency'], [true, 'recency'], [{}, 'recency']] as const) {
      expect(crmError(() => readPatterns([{ frequency: 1, recency: v, T: 2, weight: 1 }])), String(v)).toMatchObject({ code: 'invalid_input', path: [0, path] });
    }
    expect(crmError(() => readPatterns([{ frequency: 1.5, recency: 1, T: 2, weight: 1 }]))).toMatchObject({ code: 'invalid_input', path: [0, 'frequency'] });
    expect(crmError(() => readSummaries([summaryRow({ orders: '2.5' })]))).toMatchObject({ code: 'invalid_input', path: [0, 'orders'] });
  });

  it('inconsistent summaries are invalid_summary, as in the scoring models', () => {
    expect(crmError(() => readPatterns([{ frequency: 1, recency: 3, T: 2, weight: 1 }]))).toMatchObject({ code: 'invalid_summary', path: [0, 'recency'] });
    expect(crmError(() => readPatterns([{ frequency: 0, recency: 1, T: 2, weight: 1 }]))).toMatchObject({ code: 'invalid_summary', path: [0, 'recency'] });
    expect(crmError(() => readSummaries([summaryRow({ orders: 1 })]))).toMatchObject({ code: 'invalid_summary', path: [0, 'frequency'] });
    expect(crmError(() => readSpendGroups([{ frequency: -1, monetary: 2, weight: 1 }]))).toMatchObject({ code: 'invalid_summary', path: [0, 'frequency'] });
  });

  it('every problem is found; the error carries the first and counts the rest', () => {
    const e = crmError(() => readPatterns([{ frequency: 1, recency: 1, T: 2, weight: 1 }, { frequency: 1, recency: null, T: 2, weight: 1 }, { frequency: 'x', recency: 1, T: 2, weight: -1 }]));
    expect(e.path).toEqual([1, 'recency']);
    expect(e.message).toContain('2 more problems');
  });

  it('DuckDB value objects are read by their documented fields; Arrow big numbers are refused', () => {
    // Shapes of @duckdb/node-api's DuckDBDecimalValue, DuckDBTimestampValue, DuckDBTimestampMillisecondsValue, DuckDBDateValue.
    const decimal = (value: bigint, width: number, scale: number) => ({ value, width, scale });
    const rows = readSummaries([
      summaryRow({ monetary: decimal(-12345n, 10, 3), totalSpend: decimal(5n, 38, 20), firstPurchase: { micros: -1n }, lastPurchase: { days: 1 } }),
      summaryRow({ frequency: decimal(1n, 18, 0), firstPurchase: { millis: 5n }, lastPurchase: { nanos: 86_400_000_000_000n } }),
    ]);
    expect([rows[0]!.monetary, rows[0]!.totalSpend, rows[0]!.firstPurchase, rows[0]!.lastPurchase]).toEqual([-12.345, 5e-20, '1969-12-31T23:59:59.999Z', '1970-01-02T00:00:00.000Z']);
    expect([rows[1]!.frequency, rows[1]!.firstPurchase, rows[1]!.lastPurchase]).toEqual([1, '1970-01-01T00:00:00.005Z', '1970-01-02T00:00:00.000Z']);
    expect(crmError(() => readNumbers([{ x: decimal(2n ** 60n, 38, 0) }], 'x'))).toMatchObject({ code: 'invalid_input', path: [0, 'x'] });
    expect(crmError(() => readNumbers([{ x: new Uint32Array([1, 0, 0, 0]) }], 'x'))).toMatchObject({ code: 'invalid_input', path: [0, 'x'], message: expect.stringContaining('castDecimalToDouble') });
    // An infinite DuckDB timestamp (micros at the int64 limit) is outside a Date's range.
    expect(crmError(() => readSummaries([summaryRow({ lastPurchase: { micros: 2n ** 63n - 1n } })]))).toMatchObject({ code: 'invalid_input', path: [0, 'lastPurchase'] });
  });

  it('readExcluded needs exactly one row of consistent counts', () => {
    const ok = { rows: 3, excluded: 1, nullCustomerId: 1, nullTime: 0, nullAmount: 0, nonFiniteTime: 0, nonFiniteAmount: 0 };
    expect(crmError(() => readExcluded([]))).toMatchObject({ code: 'invalid_input', path: ['rows'] });
    expect(crmError(() => readExcluded([ok, ok]))).toMatchObject({ code: 'invalid_input', path: ['rows'] });
    expect(crmError(() => readExcluded([{ ...ok, excluded: 4 }]))).toMatchObject({ code: 'invalid_input', path: [0, 'excluded'] });
    expect(crmError(() => readExcluded([{ ...ok, nullTime: 2 }]))).toMatchObject({ code: 'invalid_input', path: [0, 'nullTime'] });
  });

  it('rows that are not objects, and options', () => {
    expect(crmError(() => readSummaries('rows'))).toMatchObject({ code: 'invalid_argument' });
    expect(crmError(() => readPatterns([[1, 2, 3, 4]]))).toMatchObject({ code: 'invalid_input', path: [0] });
    expect(crmError(() => readNumbers([{ x: 1 }], 'x', { integr: true } as never))).toMatchObject({ code: 'invalid_argument' });
    expect(readSummaries([])).toEqual([]);
    // Inherited properties are not columns.
    expect(crmError(() => readNumbers([{}], 'constructor'))).toMatchObject({ code: 'invalid_input', path: [0, 'constructor'] });
  });

  it('does not mutate its input', () => {
    const rows = Object.freeze([Object.freeze(summaryRow({ frequency: '1', orders: 2n }))]);
    expect(readSummaries(rows)[0]!.orders).toBe(2);
  });
});
