import { CrmError, readOptions, toEpochMs, type CrmPath, type DateInput, type Period } from '@crm/core';
import { dialectSpec, type Dialect } from './dialect.ts';
import { numberLiteral, SqlWriter, type SqlQuery } from './query.ts';
import { cleanRows, EXCLUDED_COLUMNS, excludedRows, readSource, type ReadSource, type TransactionSource } from './source.ts';

/**
 * A query over transactions, with the companion query that counts the rows it left out (NULL
 * customer id, time or amount, a non-finite time or amount) and why. Run both: nothing is dropped
 * without being counted.
 *
 * @example
 * ```ts
 * import { summarizeCustomersSql, type TransactionsQuery } from '@crm/sql';
 * const q: TransactionsQuery = summarizeCustomersSql({ table: 'orders' }, { observationEnd: '1997-09-30' });
 * q.excluded.columns; // → ['rows', 'excluded', 'nullCustomerId', 'nullTime', 'nullAmount', 'nonFiniteTime', 'nonFiniteAmount']
 * ```
 */
export interface TransactionsQuery extends SqlQuery {
  /** Counts the source's rows and those left out, per reason (one row). */
  readonly excluded: SqlQuery;
}

/**
 * Options of {@link summarizeCustomersSql}: those of core's `summarizeCustomers` plus the dialect.
 *
 * @example
 * ```ts
 * import type { SummarySqlOptions } from '@crm/sql';
 * const options: SummarySqlOptions = { observationEnd: '1997-09-30', period: 'week', dialect: 'postgres' };
 * ```
 */
export interface SummarySqlOptions {
  /** End of observation (inclusive); later transactions are left out, as in `summarizeCustomers`. */
  readonly observationEnd: DateInput;
  /** Time unit of recency and T: `'day'` (default), `'week'`, `'month'` or a number of days (1 to 36,525). */
  readonly period?: Period | undefined;
  /** SQL dialect (default `'duckdb'`). */
  readonly dialect?: Dialect | undefined;
}

/** Result columns of {@link summarizeCustomersSql}, in order. */
const SUMMARY_COLUMNS = [
  'customerId',
  'frequency',
  'recency',
  'T',
  'monetary',
  'daysSinceLastPurchase',
  'orders',
  'totalSpend',
  'firstPurchase',
  'lastPurchase',
] as const;

const MS_PER_DAY = 86_400_000;
const EARLIEST_NUMERIC_TIME = Date.UTC(1971, 0, 1);

/** A checked period: day ticks or calendar-month ticks, and ticks per period. Internal. */
interface PeriodSpec {
  readonly unit: 'day' | 'month';
  readonly scale: number;
}

function readPeriod(value: unknown): PeriodSpec {
  if (value === undefined || value === 'day') return { unit: 'day', scale: 1 };
  if (value === 'week') return { unit: 'day', scale: 7 };
  if (value === 'month') return { unit: 'month', scale: 1 };
  if (typeof value === 'number' && value >= 1 && value <= 36_525) return { unit: 'day', scale: value };
  throw new CrmError(
    'invalid_argument',
    `period must be 'day', 'week', 'month' or a number of days from 1 to 36525, got ${JSON.stringify(value) ?? String(value)}`,
    ['options', 'period'],
  );
}

function readDate(value: unknown, name: string): number {
  const path: CrmPath = ['options', name];
  if (value === undefined) throw new CrmError('invalid_argument', `option ${name} is required`, path);
  const t = toEpochMs(value);
  if (t === undefined) {
    throw new CrmError('invalid_argument', `options.${name} must be a Date, an ISO 8601 string or epoch milliseconds, got ${JSON.stringify(value) ?? String(value)}`, path);
  }
  if (typeof value === 'number' && t < EARLIEST_NUMERIC_TIME) {
    throw new CrmError('invalid_argument', `options.${name}: ${value} is before 1971 as epoch milliseconds (a yyyymmdd number or Unix seconds?)`, path);
  }
  return t;
}

function utcMonth(ms: number): number {
  const d = new Date(ms);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

function tickOf(ms: number, p: PeriodSpec): number {
  return p.unit === 'month' ? utcMonth(ms) : Math.floor(ms / MS_PER_DAY);
}

/** The rows of a source kept for a summary: clean, at or before `end`, with their tick. Internal. */
export function tickedRows(w: SqlWriter, s: ReadSource, p: PeriodSpec, endParam: string): string {
  const day = 'FLOOR(ms / 86400000)';
  if (p.unit === 'day') {
    return `SELECT customer_id, ms, amount, ${day} AS day, ${day} AS tick FROM (${cleanRows(w, s)}) AS c WHERE ms <= ${endParam}`;
  }
  // z, era → day of era → year of era → day of year → month (March-based) → calendar month.
  // Calendar month by integer civil-calendar arithmetic (the inverse of H. Hinnant's days_from_civil)
  // in doubles: no time-zone or date functions, so every dialect computes the same UTC month; floors
  // of quotients of integers below 2^31 are exact in doubles.
  const inner = `SELECT customer_id, ms, amount, day, day + 719468 AS z, FLOOR((day + 719468) / 146097) AS era FROM (SELECT customer_id, ms, amount, ${day} AS day FROM (${cleanRows(w, s)}) AS c WHERE ms <= ${endParam}) AS d`;
  const doe = `(z - era * 146097)`;
  const yoe = `FLOOR((${doe} - FLOOR(${doe} / 1460) + FLOOR(${doe} / 36524) - FLOOR(${doe} / 146096)) / 365)`;
  const withYoe = `SELECT customer_id, ms, amount, day, era, ${doe} AS doe, ${yoe} AS yoe FROM (${inner}) AS e`;
  const doy = `(doe - (365 * yoe + FLOOR(yoe / 4) - FLOOR(yoe / 100)))`;
  const mp = `FLOOR((5 * ${doy} + 2) / 153)`;
  const withMp = `SELECT customer_id, ms, amount, day, yoe + era * 400 AS y, ${mp} AS mp FROM (${withYoe}) AS f`;
  const month = `(CASE WHEN mp < 10 THEN mp + 3 ELSE mp - 9 END)`;
  const year = `(y + CASE WHEN mp < 10 THEN 0 ELSE 1 END)`;
  return `SELECT customer_id, ms, amount, day, (${year} - 1970) * 12 + ${month} - 1 AS tick FROM (${withMp}) AS g`;
}

/**
 * Per-customer aggregates of ticked rows: `first_tick`, `last_tick`, `ticks` (distinct purchase
 * periods), `orders`, `total`, `repeat_total` (amounts after the first tick), `first_ms`,
 * `last_ms`, `last_day`. With `holdoutAfter` (a parameter), rows after it form the holdout: the
 * aggregates above cover the calibration rows only, `holdout_ticks` and `holdout_total` the
 * holdout rows, and customers without calibration rows are left out.
 *
 * Two groupings and no join or window: per (customer, period, part) first, then per customer,
 * where the first period's spend is the dialect's value-at-minimum aggregate (`arg_min`,
 * `min_by`, …) and the repeat spend is the total minus it. Internal.
 */
export function customerAggregates(w: SqlWriter, rows: string, holdoutAfter?: string): string {
  const big = w.d.bigint;
  const part = holdoutAfter === undefined ? '0' : `CASE WHEN ms > ${holdoutAfter} THEN 1 ELSE 0 END`;
  const perTick =
    `SELECT customer_id, tick, part, SUM(amount) AS amount, COUNT(*) AS n, MIN(ms) AS first_ms, MAX(ms) AS last_ms, MAX(day) AS last_day ` +
    `FROM (SELECT r.*, ${part} AS part FROM (${rows}) AS r) AS r GROUP BY customer_id, tick, part`;
  const cal = (x: string, otherwise = 'NULL'): string => (holdoutAfter === undefined ? x : `CASE WHEN part = 0 THEN ${x} ELSE ${otherwise} END`);
  const holdout =
    holdoutAfter === undefined
      ? ''
      : `, CAST(SUM(CASE WHEN part = 1 THEN 1 ELSE 0 END) AS ${big}) AS holdout_ticks, SUM(CASE WHEN part = 1 THEN amount ELSE 0 END) AS holdout_total`;
  const perCustomer =
    `SELECT customer_id, MIN(${cal('tick')}) AS first_tick, MAX(${cal('tick')}) AS last_tick, CAST(SUM(${cal('1', '0')}) AS ${big}) AS ticks, ` +
    `CAST(SUM(${cal('n', '0')}) AS ${big}) AS orders, SUM(${cal('amount', '0')}) AS total, ` +
    `${w.d.valueAtMin('amount', cal('tick'))} AS first_total, ` +
    `MIN(${cal('first_ms')}) AS first_ms, MAX(${cal('last_ms')}) AS last_ms, MAX(${cal('last_day')}) AS last_day${holdout} ` +
    `FROM (${perTick}) AS t GROUP BY customer_id` +
    (holdoutAfter === undefined ? '' : ` HAVING SUM(${cal('1', '0')}) > 0`);
  return `SELECT a.*, CASE WHEN a.ticks > 1 THEN a.total - a.first_total ELSE CAST(0 AS ${w.d.double}) END AS repeat_total FROM (${perCustomer}) AS a`;
}

/** The summary SELECT over customer aggregates. Internal. */
export function summarySelect(w: SqlWriter, aggregates: string, p: PeriodSpec, endTick: string, endDay: string, extra: readonly string[] = []): string {
  const q = (n: string): string => w.d.quote(n);
  const dbl = w.d.double;
  const scale = numberLiteral(p.scale);
  const div = (x: string): string => (p.scale === 1 ? `CAST(${x} AS ${dbl})` : `CAST(${x} AS ${dbl}) / CAST(${scale} AS ${dbl})`);
  return (
    `SELECT CAST(customer_id AS ${w.d.text}) AS ${q('customerId')}, CAST(ticks - 1 AS ${w.d.bigint}) AS ${q('frequency')}, ` +
    `${div('last_tick - first_tick')} AS ${q('recency')}, ${div(`${endTick} - first_tick`)} AS ${q('T')}, ` +
    `CASE WHEN ticks > 1 THEN repeat_total / CAST(ticks - 1 AS ${dbl}) ELSE CAST(0 AS ${dbl}) END AS ${q('monetary')}, ` +
    `CAST(${endDay} - last_day AS ${w.d.bigint}) AS ${q('daysSinceLastPurchase')}, orders AS ${q('orders')}, total AS ${q('totalSpend')}, ` +
    `first_ms AS ${q('firstPurchase')}, last_ms AS ${q('lastPurchase')}${extra.map((x) => `, ${x}`).join('')} FROM (${aggregates}) AS a`
  );
}

function excludedQuery(d: ReturnType<typeof dialectSpec>, s: ReadSource): SqlQuery {
  const w = new SqlWriter(d);
  return w.finish(excludedRows(w, s), EXCLUDED_COLUMNS);
}

/**
 * The per-customer summary of core's `summarizeCustomers` as one SQL query, for data that stays in
 * the database: the probabilistic CLV view (`frequency` = repeat purchase periods, `recency` and `T`
 * in `period` units, `monetary` = mean repeat purchase value) and the RFM view
 * (`daysSinceLastPurchase`, `orders`, `totalSpend`). Same-period purchases merge (same UTC day, or
 * same calendar month for `'month'`); times are UTC; transactions after `observationEnd` are left
 * out. `firstPurchase` and `lastPurchase` are epoch milliseconds (`readSummaries` turns them into
 * the ISO strings of `CustomerSummary`).
 *
 * On the same data every field of every customer equals `summarizeCustomers` (money to the last
 * digits of a double sum: amounts are summed per purchase period first, then per customer). Rows
 * with a NULL id, time or amount, or a non-finite time or amount, are left out and counted by the
 * `excluded` query returned alongside. Customer ids compare as text. Rows come in no set order.
 *
 * @throws {CrmError} `invalid_argument` for a bad source, option or dialect (before any SQL is
 * written); `invalid_input` when the source's `schema` lacks a column or has a wrong type.
 * @example
 * ```ts
 * import { summarizeCustomersSql } from '@crm/sql';
 * const q = summarizeCustomersSql(
 *   { table: 'orders', columns: { customerId: 'customer_id', time: 'ordered_at', amount: 'total' } },
 *   { observationEnd: '1997-09-30', period: 'week' },
 * );
 * q.columns; // → ['customerId', 'frequency', 'recency', 'T', 'monetary', 'daysSinceLastPurchase', 'orders', 'totalSpend', 'firstPurchase', 'lastPurchase']
 * ```
 */
export function summarizeCustomersSql(source: TransactionSource, options: SummarySqlOptions): TransactionsQuery {
  if (options === undefined) {
    throw new CrmError('invalid_argument', 'summarizeCustomersSql: options { observationEnd, period } are required', ['options']);
  }
  const o = readOptions(options, ['observationEnd', 'period', 'dialect'], 'summarizeCustomersSql');
  const d = dialectSpec(o.dialect);
  const p = readPeriod(o.period);
  const end = readDate(o.observationEnd, 'observationEnd');
  const s = readSource(source);
  const w = new SqlWriter(d);
  const endParam = w.param(end, 'double');
  const rows = tickedRows(w, s, p, endParam);
  const text = summarySelect(w, customerAggregates(w, rows), p, numberLiteral(tickOf(end, p)), numberLiteral(Math.floor(end / MS_PER_DAY)));
  return w.finish(text, SUMMARY_COLUMNS, { excluded: excludedQuery(d, s) }) as TransactionsQuery;
}

/**
 * Options of {@link calibrationHoldoutSql}: those of core's `calibrationHoldout` plus the dialect.
 *
 * @example
 * ```ts
 * import type { CalibrationHoldoutSqlOptions } from '@crm/sql';
 * const options: CalibrationHoldoutSqlOptions = { calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', period: 'week' };
 * ```
 */
export interface CalibrationHoldoutSqlOptions {
  /** Last moment of the calibration period (inclusive). */
  readonly calibrationEnd: DateInput;
  /** Last moment of the holdout period (inclusive); after `calibrationEnd`. */
  readonly observationEnd: DateInput;
  /** Time unit (default `'day'`). */
  readonly period?: Period | undefined;
  /** SQL dialect (default `'duckdb'`). */
  readonly dialect?: Dialect | undefined;
}

function splitDates(calibrationEnd: unknown, observationEnd: unknown, endName: string): { calEnd: number; obsEnd: number } {
  const calEnd = readDate(calibrationEnd, 'calibrationEnd');
  const obsEnd = readDate(observationEnd, endName);
  if (obsEnd <= calEnd) throw new CrmError('invalid_argument', `${endName} must be after calibrationEnd`, ['options', endName]);
  return { calEnd, obsEnd };
}

/**
 * Core's `calibrationHoldout` as one SQL query: the calibration-period summary of every customer
 * whose first purchase is on or before `calibrationEnd`, with `frequencyHoldout` (purchase periods
 * in the holdout), `monetaryHoldout` (mean value per holdout purchase period) and
 * `durationHoldout` (in `period` units). Every field equals `calibrationHoldout` on the same data.
 * Left-out rows are counted by the `excluded` query.
 *
 * @throws {CrmError} `invalid_argument` for a bad source, option, dialect, or an `observationEnd`
 * not after `calibrationEnd`.
 * @example
 * ```ts
 * import { calibrationHoldoutSql } from '@crm/sql';
 * const q = calibrationHoldoutSql({ table: 'orders' }, { calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', period: 'week' });
 * q.columns.slice(-3); // → ['frequencyHoldout', 'monetaryHoldout', 'durationHoldout']
 * ```
 */
export function calibrationHoldoutSql(source: TransactionSource, options: CalibrationHoldoutSqlOptions): TransactionsQuery {
  if (options === undefined) {
    throw new CrmError('invalid_argument', 'calibrationHoldoutSql: options { calibrationEnd, observationEnd } are required', ['options']);
  }
  const o = readOptions(options, ['calibrationEnd', 'observationEnd', 'period', 'dialect'], 'calibrationHoldoutSql');
  const d = dialectSpec(o.dialect);
  const p = readPeriod(o.period);
  const { calEnd, obsEnd } = splitDates(o.calibrationEnd, o.observationEnd, 'observationEnd');
  const s = readSource(source);
  const w = new SqlWriter(d);
  const q = (n: string): string => d.quote(n);
  const calParam = w.param(calEnd, 'double');
  const obsParam = w.param(obsEnd, 'double');
  const rows = tickedRows(w, s, p, obsParam);
  const aggregates = customerAggregates(w, rows, calParam);
  const summary = summarySelect(w, aggregates, p, numberLiteral(tickOf(calEnd, p)), numberLiteral(Math.floor(calEnd / MS_PER_DAY)), [
    `holdout_ticks AS ${q('frequencyHoldout')}`,
    `CASE WHEN holdout_ticks > 0 THEN holdout_total / CAST(holdout_ticks AS ${d.double}) ELSE CAST(0 AS ${d.double}) END AS ${q('monetaryHoldout')}`,
    `CAST(${numberLiteral((tickOf(obsEnd, p) - tickOf(calEnd, p)) / p.scale)} AS ${d.double}) AS ${q('durationHoldout')}`,
  ]);
  const text = summary;
  return w.finish(text, [...SUMMARY_COLUMNS, 'frequencyHoldout', 'monetaryHoldout', 'durationHoldout'], { excluded: excludedQuery(d, s) }) as TransactionsQuery;
}

/**
 * Options of {@link churnLabelsSql}: those of core's `churnLabels` plus the dialect.
 *
 * @example
 * ```ts
 * import type { ChurnLabelsSqlOptions } from '@crm/sql';
 * const options: ChurnLabelsSqlOptions = { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' };
 * ```
 */
export interface ChurnLabelsSqlOptions {
  /** End of the calibration period: labels come from after it. */
  readonly calibrationEnd: DateInput;
  /** End of the window in which a purchase counts as "stayed" (inclusive). */
  readonly holdoutEnd: DateInput;
  /** Only customers with a purchase in [activeSince, calibrationEnd] are labelled (default: any purchase by calibrationEnd). */
  readonly activeSince?: DateInput | undefined;
  /** SQL dialect (default `'duckdb'`). */
  readonly dialect?: Dialect | undefined;
}

/**
 * Core's `churnLabels` as one SQL query: every customer active in calibration gets `churned` = 1
 * when they bought nothing in (calibrationEnd, holdoutEnd], else 0. Equal to `churnLabels` on the
 * same data. Left-out rows are counted by the `excluded` query.
 *
 * @throws {CrmError} `invalid_argument` for a bad source, option or dialect, a `holdoutEnd` not
 * after `calibrationEnd`, or an `activeSince` after `calibrationEnd`.
 * @example
 * ```ts
 * import { churnLabelsSql } from '@crm/sql';
 * const q = churnLabelsSql({ table: 'orders' }, { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' });
 * q.columns; // → ['customerId', 'churned']
 * ```
 */
export function churnLabelsSql(source: TransactionSource, options: ChurnLabelsSqlOptions): TransactionsQuery {
  if (options === undefined) {
    throw new CrmError('invalid_argument', 'churnLabelsSql: options { calibrationEnd, holdoutEnd } are required', ['options']);
  }
  const o = readOptions(options, ['calibrationEnd', 'holdoutEnd', 'activeSince', 'dialect'], 'churnLabelsSql');
  const d = dialectSpec(o.dialect);
  const { calEnd, obsEnd } = splitDates(o.calibrationEnd, o.holdoutEnd, 'holdoutEnd');
  const since = o.activeSince === undefined ? undefined : readDate(o.activeSince, 'activeSince');
  if (since !== undefined && since > calEnd) {
    throw new CrmError('invalid_argument', 'activeSince must not be after calibrationEnd', ['options', 'activeSince']);
  }
  const s = readSource(source);
  const w = new SqlWriter(d);
  const q = (n: string): string => d.quote(n);
  const cal = w.param(calEnd, 'double');
  const obs = w.param(obsEnd, 'double');
  const activeCond = since === undefined ? `ms <= ${cal}` : `ms <= ${cal} AND ms >= ${w.param(since, 'double')}`;
  const text =
    `SELECT CAST(customer_id AS ${d.text}) AS ${q('customerId')}, CAST(CASE WHEN SUM(CASE WHEN ms > ${cal} THEN 1 ELSE 0 END) > 0 THEN 0 ELSE 1 END AS ${d.bigint}) AS ${q('churned')} ` +
    `FROM (${cleanRows(w, s)}) AS c WHERE ms <= ${obs} GROUP BY customer_id ` +
    `HAVING SUM(CASE WHEN ${activeCond} THEN 1 ELSE 0 END) > 0`;
  return w.finish(text, ['customerId', 'churned'], { excluded: excludedQuery(d, s) }) as TransactionsQuery;
}
