import { CrmError } from './errors.ts';
import { EARLIEST_NUMERIC_TIME, numericTimeProblem, toEpochMs, utcDay } from './dates.ts';
import { finiteResult } from './finite.ts';
import { readOptions } from './options.ts';
import { dateOption, periodClock, type Period, type PeriodClock } from './period.ts';
import type { CustomerSummary, DateInput, TransactionInput } from './types.ts';

/**
 * Options of {@link summarizeCustomers}.
 *
 * @example
 * ```ts
 * import type { SummaryOptions } from '@crm/core';
 * const options: SummaryOptions = { observationEnd: '1997-09-30', period: 'week' };
 * ```
 */
export interface SummaryOptions {
  /** End of observation (inclusive). Transactions after it are left out of the summary. */
  readonly observationEnd: DateInput;
  /** Time unit of `recency` and `T` (default `'day'`). Purchases on the same UTC day (same calendar month for `'month'`) count as one purchase period. */
  readonly period?: Period;
}

/**
 * Transactions grouped by customer (see {@link groupByCustomer}): customer c's transactions are
 * positions `start[c]` to `start[c + 1] - 1` of `time`, `amount` and `row`, sorted by time.
 *
 * @example
 * ```ts
 * import { groupByCustomer, type CustomerColumns } from '@crm/core';
 * const g: CustomerColumns = groupByCustomer([{ customerId: 'A', time: '2024-01-05', amount: 10 }]);
 * g.ids; // ['A']
 * ```
 */
export interface CustomerColumns {
  /** Customer ids in order of first appearance. */
  readonly ids: string[];
  /** Start offset of each customer's transactions in the sorted arrays (length ids.length + 1). */
  readonly start: Int32Array;
  /** Epoch ms of each transaction, sorted within customer. */
  readonly time: Float64Array;
  /** Amount of each transaction, in the same order. */
  readonly amount: Float64Array;
  /** Input row index of each transaction, in the same order (for error paths). */
  readonly row: Int32Array;
}

/**
 * Transactions as columns, what a columnar reader (DuckDB, Arrow, Parquet, a CSV parser) hands
 * over: three arrays of equal length, row i being `{ customerId: customerId[i], time: time[i],
 * amount: amount[i] }`. A `Float64Array` of epoch milliseconds for `time` and a typed array for
 * `amount` (and for numeric ids) avoid building one object per transaction.
 *
 * @example
 * ```ts
 * import { summarizeCustomers, type TransactionColumns } from '@crm/core';
 * const columns: TransactionColumns = {
 *   customerId: ['A', 'A', 'B'],
 *   time: Float64Array.from([Date.UTC(1997, 0, 1), Date.UTC(1997, 0, 18), Date.UTC(1997, 0, 2)]),
 *   amount: Float64Array.from([29.33, 29.73, 11.77]),
 * };
 * summarizeCustomers(columns, { observationEnd: '1997-09-30' })[0].frequency; // 1
 * ```
 */
export interface TransactionColumns {
  /** Customer id of each transaction (strings or numbers; 7 and '7' are one customer). */
  readonly customerId: ArrayLike<string | number>;
  /** Time of each transaction: epoch ms from 1971 on, ISO 8601 strings or Dates. */
  readonly time: ArrayLike<DateInput>;
  /** Amount of each transaction: finite numbers. */
  readonly amount: ArrayLike<number>;
}

/**
 * Transactions in either form the summaries accept: records, or {@link TransactionColumns}.
 *
 * @example
 * ```ts
 * import type { Transactions } from '@crm/core';
 * const rows: Transactions = [{ customerId: 'A', time: '1997-01-01', amount: 10 }];
 * const columns: Transactions = { customerId: ['A'], time: ['1997-01-01'], amount: [10] };
 * ```
 */
export type Transactions = readonly TransactionInput[] | TransactionColumns;

/** Rows read into flat arrays, in input order, before grouping. */
interface Gathered {
  readonly ids: string[];
  readonly cust: Int32Array;
  readonly rowOf: Int32Array;
  readonly times: Float64Array;
  readonly amounts: Float64Array;
  readonly kept: number;
}

/** Customer indexes in order of first appearance, and the ids as strings. */
interface IdIndex {
  readonly ids: string[];
  of(id: string | number): number;
}

/** Assigns customer indexes; consecutive rows of one customer (the usual export order) skip the lookup. */
class CustomerIndex implements IdIndex {
  readonly ids: string[] = [];
  readonly #index = new Map<string | number, number>();
  #last: string | number | undefined = undefined;
  #lastIndex = -1;

  of(id: string | number): number {
    if (id === this.#last) return this.#lastIndex;
    let c = this.#index.get(id);
    if (c === undefined) {
      // Ids 7 and '7' are one customer, as they are in a CSV file.
      const key = String(id);
      c = typeof id === 'number' ? this.#index.get(key) : undefined;
      if (c === undefined) {
        c = this.ids.length;
        this.ids.push(key);
        this.#index.set(key, c);
      }
      this.#index.set(id, c);
    }
    this.#last = id;
    this.#lastIndex = c;
    return c;
  }
}

/**
 * Ids that are small non-negative integers in a typed array (the surrogate keys of a database)
 * index a table directly instead of a hash map: the table has one slot per possible id, so it is
 * used only while that stays within a few slots per row.
 */
class DenseIndex implements IdIndex {
  readonly ids: string[] = [];
  readonly #slot: Int32Array;

  constructor(size: number) {
    this.#slot = new Int32Array(size).fill(-1);
  }

  of(id: string | number): number {
    const k = id as number;
    let c = this.#slot[k] as number;
    if (c < 0) {
      c = this.ids.length;
      this.ids.push(String(k));
      this.#slot[k] = c;
    }
    return c;
  }
}

function denseIndex(ids: ArrayLike<string | number>): DenseIndex | undefined {
  if (!ArrayBuffer.isView(ids) || ids instanceof DataView || ids instanceof BigInt64Array || ids instanceof BigUint64Array) return undefined;
  const column = ids as unknown as ArrayLike<number>;
  const n = column.length;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = column[i] as number;
    // Fractional, negative or non-finite ids (and NaN, which fails both tests) take the general path.
    if (!(v >= 0 && v === Math.floor(v))) return undefined;
    if (v > max) max = v;
  }
  return max < Math.max(1 << 20, 4 * n) ? new DenseIndex(max + 1) : undefined;
}

/** Epoch ms of a transaction time, or the CrmError that names the problem. */
function timeOf(value: unknown, path: readonly (string | number)[], where: string): number {
  if (typeof value === 'number') {
    if (value >= EARLIEST_NUMERIC_TIME && value <= MAX_NUMERIC_TIME) return value;
    throw new CrmError('invalid_input', `${where} ${numericTimeProblem(value) ?? 'is not a valid date'}`, [...path]);
  }
  const ms = toEpochMs(value);
  if (ms === undefined) throw new CrmError('invalid_input', `${where} is not a valid date: validate the rows first (validateTransactions)`, [...path]);
  return ms;
}

/** Latest epoch ms a Date can hold. */
const MAX_NUMERIC_TIME = 8.64e15;

function gatherRows(transactions: readonly TransactionInput[], until: number): Gathered {
  const n = transactions.length;
  const index = new CustomerIndex();
  const cust = new Int32Array(n);
  const rowOf = new Int32Array(n);
  const times = new Float64Array(n);
  const amounts = new Float64Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const t = transactions[i] as TransactionInput;
    if (t === null || typeof t !== 'object') {
      throw new CrmError('invalid_input', `transactions[${i}] is not a transaction object: validate the rows first (validateTransactions)`, [i]);
    }
    const ms = timeOf(t.time, [i, 'time'], `transactions[${i}].time`);
    const amount = t.amount;
    if (typeof amount !== 'number' || !Number.isFinite(amount)) {
      throw new CrmError('invalid_input', `transactions[${i}].amount is ${String(amount)}: validate the rows first (validateTransactions)`, [i, 'amount']);
    }
    const id = t.customerId;
    if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
      throw new CrmError('invalid_input', `transactions[${i}].customerId is ${id === undefined ? 'missing' : String(id)}: validate the rows first (validateTransactions)`, [i, 'customerId']);
    }
    if (ms > until) continue;
    cust[kept] = index.of(id);
    rowOf[kept] = i;
    times[kept] = ms;
    amounts[kept] = amount;
    kept++;
  }
  return { ids: index.ids, cust, rowOf, times, amounts, kept };
}

function isColumn(value: unknown): value is ArrayLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { length?: unknown }).length === 'number';
}

function gatherColumns(columns: TransactionColumns, until: number): Gathered {
  const { customerId: idCol, time: timeCol, amount: amountCol } = columns;
  for (const [name, col] of [['customerId', idCol], ['time', timeCol], ['amount', amountCol]] as const) {
    if (!isColumn(col)) {
      throw new CrmError('invalid_argument', `transactions.${name} must be an array (or typed array) of one value per transaction`, ['transactions', name]);
    }
  }
  const n = idCol.length;
  if (timeCol.length !== n || amountCol.length !== n) {
    throw new CrmError(
      'invalid_input',
      `transaction columns differ in length: customerId ${n}, time ${timeCol.length}, amount ${amountCol.length}`,
      ['transactions', timeCol.length !== n ? 'time' : 'amount'],
    );
  }
  const index: IdIndex = denseIndex(idCol) ?? new CustomerIndex();
  const cust = new Int32Array(n);
  const rowOf = new Int32Array(n);
  const times = new Float64Array(n);
  const amounts = new Float64Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const ms = timeOf(timeCol[i], ['time', i], `transactions.time[${i}]`);
    const amount = amountCol[i];
    if (typeof amount !== 'number' || !Number.isFinite(amount)) {
      throw new CrmError('invalid_input', `transactions.amount[${i}] is ${String(amount)}: amounts must be finite numbers`, ['amount', i]);
    }
    const id = idCol[i];
    if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
      throw new CrmError('invalid_input', `transactions.customerId[${i}] is ${String(id)}: ids must be strings or finite numbers`, ['customerId', i]);
    }
    if (ms > until) continue;
    cust[kept] = index.of(id);
    rowOf[kept] = i;
    times[kept] = ms;
    amounts[kept] = amount;
    kept++;
  }
  return { ids: index.ids, cust, rowOf, times, amounts, kept };
}

/**
 * Groups transactions (records or columns) by customer into sorted columns. Rows whose time is
 * after `until` (when given) are left out. O(n) plus a sort of each customer's few rows. Error
 * paths are `[row, field]` for records and `[field, row]` for columns.
 */
export function customerColumns(transactions: Transactions, until: number = Infinity): CustomerColumns {
  let g: Gathered;
  if (Array.isArray(transactions)) g = gatherRows(transactions, until);
  else if (transactions !== null && typeof transactions === 'object' && !isColumn(transactions)) g = gatherColumns(transactions as TransactionColumns, until);
  else {
    throw new CrmError(
      'invalid_argument',
      'transactions must be an array of { customerId, time, amount } or columns { customerId: [...], time: [...], amount: [...] }',
      ['transactions'],
    );
  }
  const { ids, cust, rowOf, times, amounts, kept } = g;
  // Counting sort by customer, then an insertion sort by time within each (short) run.
  const m = ids.length;
  const start = new Int32Array(m + 1);
  for (let i = 0; i < kept; i++) start[cust[i]! + 1]!++;
  for (let c = 0; c < m; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, m);
  const time = new Float64Array(kept);
  const amount = new Float64Array(kept);
  const row = new Int32Array(kept);
  for (let i = 0; i < kept; i++) {
    const pos = fill[cust[i]!]!++;
    time[pos] = times[i]!;
    amount[pos] = amounts[i]!;
    row[pos] = rowOf[i]!;
  }
  for (let c = 0; c < m; c++) {
    for (let i = start[c]! + 1; i < start[c + 1]!; i++) {
      const t = time[i]!;
      const a = amount[i]!;
      const r = row[i]!;
      let j = i - 1;
      while (j >= start[c]! && time[j]! > t) {
        time[j + 1] = time[j]!;
        amount[j + 1] = amount[j]!;
        row[j + 1] = row[j]!;
        j--;
      }
      time[j + 1] = t;
      amount[j + 1] = a;
      row[j + 1] = r;
    }
  }
  return { ids, start, time, amount, row };
}

/**
 * Groups transactions (records or {@link TransactionColumns}) by customer, each customer's
 * transactions sorted by time, in flat typed arrays: the layout every per-customer computation
 * walks (summaries, cohort tables, loyalty metrics). Customers appear in order of first
 * appearance; ids are strings (7 and '7' are one customer). Transactions after `observationEnd`
 * (when given) are left out. Every row is checked as in {@link summarizeCustomers}. O(n) time and
 * memory plus a sort of each customer's rows.
 *
 * @throws {CrmError} `invalid_input` for a row without a valid time (numbers: epoch ms from 1971
 * on), amount or customer id (path `[row, field]` for records, `[field, row]` for columns);
 * `invalid_argument` for a bad option.
 * @example
 * ```ts
 * import { groupByCustomer } from '@crm/core';
 * const g = groupByCustomer([
 *   { customerId: 'B', time: '2024-02-01', amount: 5 },
 *   { customerId: 'A', time: '2024-01-20', amount: 20 },
 *   { customerId: 'A', time: '2024-01-05', amount: 10 },
 * ]);
 * g.ids;                 // ['B', 'A']
 * Array.from(g.start);   // [0, 1, 3]
 * Array.from(g.amount);  // [5, 10, 20] (A's rows by time)
 * Array.from(g.row);     // [0, 2, 1]
 * ```
 */
export function groupByCustomer(transactions: Transactions, options?: { readonly observationEnd?: DateInput | undefined }): CustomerColumns {
  const o = readOptions(options, ['observationEnd'], 'groupByCustomer');
  const end = o.observationEnd === undefined ? Infinity : dateOption(o.observationEnd, 'observationEnd');
  return customerColumns(transactions, end);
}

/**
 * Summarizes transactions per customer, in the two views analysts use (see {@link CustomerSummary}):
 *
 * - probabilistic CLV (Fader, Hardie & Lee 2005): `frequency` = repeat purchase periods (distinct
 *   purchase days, or months for `period: 'month'`, minus one), `recency` = first to last purchase,
 *   `T` = first purchase to `observationEnd`, both in `period` units; `monetary` = mean value of the
 *   repeat purchases, same-day purchases summed first, the first purchase excluded (0 when there
 *   are none). This is the definition of lifetimes' `summary_data_from_transaction_data`.
 * - marketing RFM: `daysSinceLastPurchase`, `orders` (transactions), `totalSpend`, first and last purchase.
 *
 * Transactions after `observationEnd` are left out; customers appear in order of first appearance.
 * `transactions` are records or {@link TransactionColumns} (arrays or typed arrays of ids, times and
 * amounts, as a columnar reader gives them): columns need no object per transaction, and rows of one
 * customer that follow each other skip the id lookup. Expects clean transactions (see `validateTransactions` and `cleanTransactions`); does not carry the
 * validation code. O(n) time and memory for n transactions.
 *
 * Numeric times are epoch milliseconds from 1971 on: an earlier number (a yyyymmdd date such as
 * 19970101, Unix seconds, a 0 placeholder) is an error, as in `validateTransactions`.
 *
 * @throws {CrmError} `invalid_argument` for a bad or unknown option (a `period` outside 1 to
 * 36,525 days included); `invalid_input` for a row without a valid time, amount or customer id
 * (path `[row, field]`); `non_finite_result` when a customer's spend overflows double precision
 * (amounts near 1e308; path `[row, 'amount']`).
 * @example
 * ```ts
 * import { summarizeCustomers } from '@crm/core';
 * const summaries = summarizeCustomers(
 *   [
 *     { customerId: 'A', time: '1997-01-01', amount: 29.33 },
 *     { customerId: 'A', time: '1997-01-18', amount: 29.73 },
 *     { customerId: 'B', time: '1997-01-02', amount: 11.77 },
 *   ],
 *   { observationEnd: '1997-09-30', period: 'week' },
 * );
 * summaries[0]; // { customerId: 'A', frequency: 1, recency: 2.43, T: 38.86, monetary: 29.73, orders: 2, … }
 * ```
 */
export function summarizeCustomers(transactions: Transactions, options: SummaryOptions): CustomerSummary[] {
  if (options === undefined) {
    throw new CrmError('invalid_argument', 'summarizeCustomers: options { observationEnd, period } are required', ['options']);
  }
  const o = readOptions(options, ['observationEnd', 'period'], 'summarizeCustomers');
  const clock = periodClock(o.period);
  const end = dateOption(o.observationEnd, 'observationEnd');
  const cols = customerColumns(transactions, end);
  return summarizeColumns(cols, end, clock);
}

/** Summaries of every customer in `cols`, observed until `end`; internal. */
export function summarizeColumns(cols: CustomerColumns, end: number, clock: PeriodClock): CustomerSummary[] {
  const { ids, start, time, amount, row } = cols;
  const endTick = clock.tick(end);
  const endDay = utcDay(end);
  const out: CustomerSummary[] = new Array(ids.length);
  for (let c = 0; c < ids.length; c++) {
    const lo = start[c]!;
    const hi = start[c + 1]!;
    const firstTick = clock.tick(time[lo]!);
    let lastTick = firstTick;
    let periods = 0;
    let repeatSum = 0;
    let total = 0;
    for (let i = lo; i < hi; i++) {
      const a = amount[i]!;
      total += a;
      if (!Number.isFinite(total)) finiteResult(total, `the total spend of customer '${ids[c]!}'`, [row[i]!, 'amount']);
      const tick = clock.tick(time[i]!);
      if (tick !== lastTick) {
        periods++;
        lastTick = tick;
      }
      if (tick !== firstTick) {
        repeatSum += a;
        if (!Number.isFinite(repeatSum)) finiteResult(repeatSum, `the repeat spend of customer '${ids[c]!}'`, [row[i]!, 'amount']);
      }
    }
    const scale = clock.ticksPerPeriod;
    out[c] = {
      customerId: ids[c]!,
      frequency: periods,
      recency: (lastTick - firstTick) / scale,
      T: (endTick - firstTick) / scale,
      monetary: periods > 0 ? repeatSum / periods : 0,
      daysSinceLastPurchase: endDay - utcDay(time[hi - 1]!),
      orders: hi - lo,
      totalSpend: total,
      firstPurchase: new Date(time[lo]!).toISOString(),
      lastPurchase: new Date(time[hi - 1]!).toISOString(),
    };
  }
  return out;
}
