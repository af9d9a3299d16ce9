import { CrmError, readOptions, type CustomerSummary } from '@crm/core';
import { checkColumns, Issues, readRows, readValue } from './values.ts';

// The readers take rows as the drivers return them — `pg` (BIGINT and NUMERIC as strings, DOUBLE as
// numbers, TIMESTAMP as Date), `@duckdb/node-api` (getRowObjectsJS(): numbers, bigint, Date;
// getRowObjects(): DuckDB value objects) and `@duckdb/duckdb-wasm` (Arrow struct rows: bigint,
// numbers, epoch ms) — and give back the plain shapes the models take. Columns beyond the ones a
// reader needs are ignored, so a wider result (say calibrationHoldoutSql's) reads as summaries.

/** Columns {@link readSummaries} reads, as `summarizeCustomersSql` returns them. */
const SUMMARY_COLUMNS = ['customerId', 'frequency', 'recency', 'T', 'monetary', 'daysSinceLastPurchase', 'orders', 'totalSpend', 'firstPurchase', 'lastPurchase'] as const;

/**
 * A distinct (frequency, recency, T) with the number of customers who share it: what
 * `BgNbd.fit`, `ParetoNbd.fit`, `ModifiedBgNbd.fit` take (the `weight` field of their
 * `WeightedHistory`).
 *
 * @example
 * ```ts
 * import type { PurchasePattern } from '@crm/sql';
 * const p: PurchasePattern = { frequency: 2, recency: 30.43, T: 38.86, weight: 17 };
 * ```
 */
export interface PurchasePattern {
  readonly frequency: number;
  readonly recency: number;
  readonly T: number;
  /** Customers with this pattern. */
  readonly weight: number;
}

/**
 * A distinct (frequency, monetary) of repeat buyers with the number of customers who share it: what
 * `GammaGamma.fit` takes.
 *
 * @example
 * ```ts
 * import type { SpendGroup } from '@crm/sql';
 * const g: SpendGroup = { frequency: 3, monetary: 24.5, weight: 4 };
 * ```
 */
export interface SpendGroup {
  readonly frequency: number;
  /** Mean repeat purchase value. */
  readonly monetary: number;
  /** Customers in this group. */
  readonly weight: number;
}

/**
 * How many transaction rows a query left out, and why. A row can have several reasons (a NULL time
 * and a NULL amount), so the reasons can add up to more than `excluded`.
 *
 * @example
 * ```ts
 * import type { ExcludedRows } from '@crm/sql';
 * const e: ExcludedRows = {
 *   rows: 1000, excluded: 2,
 *   reasons: { nullCustomerId: 1, nullTime: 0, nullAmount: 1, nonFiniteTime: 0, nonFiniteAmount: 0 },
 * };
 * ```
 */
export interface ExcludedRows {
  /** Rows in the source. */
  readonly rows: number;
  /** Rows left out of the result. */
  readonly excluded: number;
  readonly reasons: {
    readonly nullCustomerId: number;
    readonly nullTime: number;
    readonly nullAmount: number;
    /** Times that are NaN or ±Infinity (or convert to them). */
    readonly nonFiniteTime: number;
    /** Amounts that are NaN or ±Infinity. */
    readonly nonFiniteAmount: number;
  };
}

/** Checks the (frequency, recency, T) of one row as the purchase models do; records `invalid_summary` issues. */
function checkHistory(issues: Issues, i: number, x: number, tx: number, T: number): void {
  if (Number.isNaN(x) || Number.isNaN(tx) || Number.isNaN(T)) return;
  if (x < 0) issues.add('invalid_summary', `frequency is ${x} at row ${i}: a number of repeat purchase periods is ≥ 0`, [i, 'frequency']);
  if (tx < 0) issues.add('invalid_summary', `recency is ${tx} at row ${i}: the time from first to last purchase is ≥ 0`, [i, 'recency']);
  if (T < 0) issues.add('invalid_summary', `T is ${T} at row ${i}: the time from first purchase to the end of observation is ≥ 0`, [i, 'T']);
  if (tx > T) {
    issues.add(
      'invalid_summary',
      `recency (${tx}) exceeds T (${T}) at row ${i}: recency is the time from the first to the last purchase and cannot exceed the customer's age T`,
      [i, 'recency'],
    );
  }
  if (x === 0 && tx !== 0) {
    issues.add('invalid_summary', `recency is ${tx} but frequency is 0 at row ${i}: a customer without repeat purchases has recency 0`, [i, 'recency']);
  }
}

function checkWeight(issues: Issues, i: number, w: number): void {
  if (w < 0) issues.add('invalid_input', `weight is ${w} at row ${i}: a number of customers is ≥ 0`, [i, 'weight']);
}

/**
 * Reads the rows of `summarizeCustomersSql` (or `calibrationHoldoutSql`: extra columns are ignored)
 * into core's `CustomerSummary[]`, equal to what `summarizeCustomers` gives on the same data:
 * `firstPurchase` and `lastPurchase` (epoch milliseconds in SQL, or a Date or DuckDB timestamp)
 * become ISO 8601 strings in UTC. Takes rows as `pg`, `@duckdb/node-api` and `@duckdb/duckdb-wasm`
 * return them (numbers, bigint, numeric strings, DuckDB value objects). O(rows).
 *
 * @throws {CrmError} `invalid_input` at `[row, column]` for a missing column (every missing one is
 * named), a NULL, a non-number, a non-finite value or an integer beyond ±2^53; `invalid_summary` for
 * an inconsistent summary (recency > T, a fractional or negative frequency, more repeat periods
 * than orders). Every problem is found; the error carries the first and summarises the rest.
 * @example
 * ```ts
 * import { readSummaries } from '@crm/sql';
 * const [s] = readSummaries([
 *   // as pg returns a row: BIGINT columns as strings
 *   { customerId: 'A', frequency: '1', recency: 2, T: 4, monetary: 20, daysSinceLastPurchase: '14',
 *     orders: '2', totalSpend: 30, firstPurchase: 1704067200000, lastPurchase: 1705276800000 },
 * ]);
 * s.frequency;     // → 1
 * s.orders;        // → 2
 * s.lastPurchase;  // → '2024-01-15T00:00:00.000Z'
 * ```
 */
export function readSummaries(rows: unknown): CustomerSummary[] {
  const list = readRows(rows);
  checkColumns(list, SUMMARY_COLUMNS, 'a summary row');
  const issues = new Issues();
  const out: CustomerSummary[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const row = list[i] as object;
    const customerId = readValue(issues, row, i, 'customerId', 'text');
    const frequency = readValue(issues, row, i, 'frequency', 'integer');
    const recency = readValue(issues, row, i, 'recency', 'number');
    const T = readValue(issues, row, i, 'T', 'number');
    const monetary = readValue(issues, row, i, 'monetary', 'number');
    const days = readValue(issues, row, i, 'daysSinceLastPurchase', 'integer');
    const orders = readValue(issues, row, i, 'orders', 'integer');
    const totalSpend = readValue(issues, row, i, 'totalSpend', 'number');
    const first = readValue(issues, row, i, 'firstPurchase', 'time');
    const last = readValue(issues, row, i, 'lastPurchase', 'time');
    checkHistory(issues, i, frequency, recency, T);
    if (orders < 1) issues.add('invalid_summary', `orders is ${orders} at row ${i}: a summarized customer has at least one order`, [i, 'orders']);
    else if (frequency + 1 > orders) {
      issues.add('invalid_summary', `frequency (${frequency}) is not below orders (${orders}) at row ${i}: repeat purchase periods come from orders after the first`, [i, 'frequency']);
    }
    if (days < 0) issues.add('invalid_summary', `daysSinceLastPurchase is ${days} at row ${i}: the last purchase lies after the end of observation`, [i, 'daysSinceLastPurchase']);
    if (first > last) issues.add('invalid_summary', `firstPurchase is after lastPurchase at row ${i}`, [i, 'firstPurchase']);
    if (issues.count > 0) continue;
    out[i] = {
      customerId,
      frequency,
      recency,
      T,
      monetary,
      daysSinceLastPurchase: days,
      orders,
      totalSpend,
      firstPurchase: new Date(first).toISOString(),
      lastPurchase: new Date(last).toISOString(),
    };
  }
  issues.throwIfAny();
  return out;
}

/**
 * Reads the rows of `purchasePatternsSql` (columns `frequency`, `recency`, `T`, `weight`) into
 * weighted purchase histories for `BgNbd.fit`, `ParetoNbd.fit` and `ModifiedBgNbd.fit`: the fit on
 * these rows equals the fit on the full summaries. Extra columns are ignored. O(rows).
 *
 * @throws {CrmError} `invalid_input` at `[row, column]` for a missing column, a NULL, a non-finite
 * value, an integer beyond ±2^53 or a negative weight; `invalid_summary` for an inconsistent
 * pattern (recency > T, a fractional or negative frequency).
 * @example
 * ```ts
 * import { readPatterns } from '@crm/sql';
 * // as @duckdb/node-api's getRowObjectsJS() returns them: BIGINT columns as bigint
 * const patterns = readPatterns([{ frequency: 2n, recency: 30, T: 38, weight: 155n }]);
 * patterns[0]; // → { frequency: 2, recency: 30, T: 38, weight: 155 }
 * ```
 */
export function readPatterns(rows: unknown): PurchasePattern[] {
  const list = readRows(rows);
  checkColumns(list, ['frequency', 'recency', 'T', 'weight'], 'a purchase pattern');
  const issues = new Issues();
  const out: PurchasePattern[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const row = list[i] as object;
    const frequency = readValue(issues, row, i, 'frequency', 'integer');
    const recency = readValue(issues, row, i, 'recency', 'number');
    const T = readValue(issues, row, i, 'T', 'number');
    const weight = readValue(issues, row, i, 'weight', 'number');
    checkHistory(issues, i, frequency, recency, T);
    checkWeight(issues, i, weight);
    out[i] = { frequency, recency, T, weight };
  }
  issues.throwIfAny();
  return out;
}

/**
 * Reads the rows of `spendGroupsSql` (columns `frequency`, `monetary`, `weight`) into weighted spend
 * rows for `GammaGamma.fit`: the fit on these rows equals the fit on the full summaries. Extra
 * columns are ignored. Spend itself is not judged here (`GammaGamma.fit` says which groups it
 * cannot use). O(rows).
 *
 * @throws {CrmError} `invalid_input` at `[row, column]` for a missing column, a NULL, a non-finite
 * value, an integer beyond ±2^53 or a negative weight; `invalid_summary` for a fractional or
 * negative frequency.
 * @example
 * ```ts
 * import { readSpendGroups } from '@crm/sql';
 * // as pg returns them: BIGINT as strings, DOUBLE PRECISION as numbers
 * readSpendGroups([{ frequency: '3', monetary: 24.5, weight: '4' }]); // → [{ frequency: 3, monetary: 24.5, weight: 4 }]
 * ```
 */
export function readSpendGroups(rows: unknown): SpendGroup[] {
  const list = readRows(rows);
  checkColumns(list, ['frequency', 'monetary', 'weight'], 'a spend group');
  const issues = new Issues();
  const out: SpendGroup[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const row = list[i] as object;
    const frequency = readValue(issues, row, i, 'frequency', 'integer');
    const monetary = readValue(issues, row, i, 'monetary', 'number');
    const weight = readValue(issues, row, i, 'weight', 'number');
    if (frequency < 0) issues.add('invalid_summary', `frequency is ${frequency} at row ${i}: a number of repeat purchase periods is ≥ 0`, [i, 'frequency']);
    checkWeight(issues, i, weight);
    out[i] = { frequency, monetary, weight };
  }
  issues.throwIfAny();
  return out;
}

const REASONS = ['nullCustomerId', 'nullTime', 'nullAmount', 'nonFiniteTime', 'nonFiniteAmount'] as const;

/**
 * Reads the one row of a builder's `excluded` query (`q.excluded`): how many source rows were left
 * out of the result and why, so nothing is dropped silently. Extra columns are ignored.
 *
 * @throws {CrmError} `invalid_input` when there is not exactly one row, or for a missing column, a
 * NULL, a count that is not a whole number ≥ 0, or counts that contradict each other (more left
 * out than there are rows, a reason counted more often than rows were left out).
 * @example
 * ```ts
 * import { readExcluded } from '@crm/sql';
 * const e = readExcluded([{ rows: '1000', excluded: '2', nullCustomerId: '1', nullTime: '0', nullAmount: '1', nonFiniteTime: '0', nonFiniteAmount: '0' }]);
 * e.excluded;             // → 2
 * e.reasons.nullAmount;   // → 1
 * ```
 */
export function readExcluded(rows: unknown): ExcludedRows {
  const list = readRows(rows);
  if (list.length !== 1) {
    throw new CrmError('invalid_input', `an excluded-rows query returns exactly one row, got ${list.length}: pass the rows of q.excluded`, ['rows']);
  }
  checkColumns(list, ['rows', 'excluded', ...REASONS], 'an excluded-rows result');
  const issues = new Issues();
  const row = list[0] as object;
  const count = (c: string): number => {
    const n = readValue(issues, row, 0, c, 'integer');
    if (n < 0) issues.add('invalid_input', `${c} is ${n}: a count of rows is ≥ 0`, [0, c]);
    return n;
  };
  const total = count('rows');
  const excluded = count('excluded');
  const reasons = Object.fromEntries(REASONS.map((r) => [r, count(r)])) as Record<(typeof REASONS)[number], number>;
  if (excluded > total) issues.add('invalid_input', `excluded (${excluded}) exceeds rows (${total})`, [0, 'excluded']);
  for (const r of REASONS) {
    if (reasons[r] > excluded) issues.add('invalid_input', `${r} (${reasons[r]}) exceeds excluded (${excluded}): every row counted for a reason is left out`, [0, r]);
  }
  issues.throwIfAny();
  return { rows: total, excluded, reasons };
}

/**
 * Options of {@link readNumbers}.
 *
 * @example
 * ```ts
 * import type { ReadNumbersOptions } from '@crm/sql';
 * const options: ReadNumbersOptions = { integer: true };
 * ```
 */
export interface ReadNumbersOptions {
  /** Require whole numbers (default false). */
  readonly integer?: boolean | undefined;
}

/**
 * Reads one numeric column of any result (a score, a probability, a count) into a `Float64Array`,
 * with the checks of the other readers: NULL, non-finite values, text that is not a number and
 * integers beyond ±2^53 are errors at `[row, column]`. O(rows).
 *
 * @throws {CrmError} `invalid_input` as described; `invalid_argument` for a bad column name or option.
 * @example
 * ```ts
 * import { readNumbers } from '@crm/sql';
 * readNumbers([{ p: 0.25 }, { p: '0.5' }, { p: 1n }], 'p'); // → Float64Array [0.25, 0.5, 1]
 * ```
 */
export function readNumbers(rows: unknown, column: string, options?: ReadNumbersOptions): Float64Array {
  const o = readOptions(options, ['integer'], 'readNumbers');
  if (o.integer !== undefined && typeof o.integer !== 'boolean') {
    throw new CrmError('invalid_argument', `option integer must be true or false, got ${JSON.stringify(o.integer) ?? String(o.integer)}`, ['options', 'integer']);
  }
  if (typeof column !== 'string' || column.length === 0) {
    throw new CrmError('invalid_argument', `column must be a column name, got ${JSON.stringify(column) ?? String(column)}`, ['column']);
  }
  const list = readRows(rows);
  checkColumns(list, [column], 'readNumbers');
  const issues = new Issues();
  const out = new Float64Array(list.length);
  const kind = o.integer === true ? 'integer' : 'number';
  for (let i = 0; i < list.length; i++) out[i] = readValue(issues, list[i] as object, i, column, kind);
  issues.throwIfAny();
  return out;
}
