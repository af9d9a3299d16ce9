import { checkCost, CrmError, enumOption, groupByCustomer, numberOption, readOptions, type DateInput, type Transactions } from '@crm/core';
import { firstDayOf, MS_PER_DAY, periodLabel, periodOfDay, type CalendarUnit } from './calendar.ts';
import { endOption } from './transaction-rows.ts';

/**
 * Options of {@link cohortRetention}.
 *
 * @example
 * ```ts
 * import type { CohortRetentionOptions } from '@crm/scoring';
 * const options: CohortRetentionOptions = { cohort: 'month', period: 'month', observationEnd: '1998-06-30' };
 * ```
 */
export interface CohortRetentionOptions {
  /** Calendar unit (UTC) of the acquisition cohorts: `'day'`, `'week'` (Monday to Sunday) or `'month'`. Default `'month'`. */
  readonly cohort?: CalendarUnit | undefined;
  /** Calendar unit (UTC) of the periods since acquisition. Default: the cohort unit. */
  readonly period?: CalendarUnit | undefined;
  /**
   * End of observation (inclusive). Transactions after it are left out; periods after it are
   * censored. Default: the time of the last transaction.
   */
  readonly observationEnd?: DateInput | undefined;
  /** Largest table (cohorts × periods) built before `limit_exceeded`. Default 1,000,000 cells. */
  readonly maxCells?: number | undefined;
}

/**
 * How much of a cell was observed:
 * - `'complete'`: period k ended on or before the observation end for every customer of the cohort;
 * - `'partial'`: period k had begun by the observation end for at least one customer of the cohort
 *   but had not ended for all (the values are lower bounds);
 * - `'censored'`: period k had not begun for any customer of the cohort; the cell's values are `null`.
 *
 * @example
 * ```ts
 * import type { CohortCellStatus } from '@crm/scoring';
 * const s: CohortCellStatus = 'partial';
 * ```
 */
export type CohortCellStatus = 'complete' | 'partial' | 'censored';

/**
 * One acquisition cohort: customers whose first purchase fell in the same calendar cohort unit.
 * Every array has one entry per period since acquisition (period 0 holds the first purchase);
 * `null` marks a censored cell, never 0.
 *
 * @example
 * ```ts
 * import type { CohortRow } from '@crm/scoring';
 * const first = (row: CohortRow) => row.retention[1];
 * ```
 */
export interface CohortRow {
  /** `'1997-01'` for a month cohort, the ISO date of the first day for a day or week cohort. */
  readonly label: string;
  /** First day of the cohort (ISO 8601, UTC). */
  readonly start: string;
  /** Customers acquired in the cohort. */
  readonly customers: number;
  /** Customers with at least one transaction in period k. */
  readonly active: readonly (number | null)[];
  /** `active[k] / customers`. */
  readonly retention: readonly (number | null)[];
  /** Sum of the cohort's transaction amounts in period k (returns are negative). */
  readonly revenue: readonly (number | null)[];
  /** `revenue[k] / revenue[0]`; `null` also when `revenue[0]` is not positive. */
  readonly revenueRetention: readonly (number | null)[];
  /**
   * Customers with a transaction in period k or later, up to the observation end ("still active at
   * or after k"): non-increasing in k, the survivors input of `ShiftedBetaGeometric`.
   */
  readonly survivors: readonly (number | null)[];
  /** How much of each cell was observed. */
  readonly status: readonly CohortCellStatus[];
}

/**
 * The acquisition-cohort × periods-since-acquisition table of {@link cohortRetention}: plain data,
 * ready for JSON, the cohort charts of `@crm/core/charts` and {@link cohortSurvivors}.
 *
 * @example
 * ```ts
 * import type { CohortTable } from '@crm/scoring';
 * const size = (t: CohortTable) => t.cohorts.reduce((n, c) => n + c.customers, 0);
 * ```
 */
export interface CohortTable {
  /** Always `'crm.scoring.cohort-table'`. */
  readonly kind: 'crm.scoring.cohort-table';
  /** Format version. */
  readonly version: 1;
  /** Calendar unit of the cohorts. */
  readonly cohort: CalendarUnit;
  /** Calendar unit of the periods. */
  readonly period: CalendarUnit;
  /** The observation end used (ISO 8601, UTC). */
  readonly observationEnd: string;
  /** Number of periods (columns) of every row. */
  readonly periods: number;
  /** Cohorts in chronological order. */
  readonly cohorts: readonly CohortRow[];
}

const KIND = 'crm.scoring.cohort-table';
const UNITS: readonly CalendarUnit[] = ['day', 'week', 'month'];
const DEFAULT_MAX_CELLS = 1_000_000;
/**
 * The cohort retention table: customers grouped by the calendar period of their first purchase
 * (acquisition cohort), and for every period k since acquisition the customers active (with a
 * transaction) in it, the retention rate, the revenue and the revenue retention (revenue in k
 * over revenue in period 0), in UTC calendar units.
 *
 * Period k of a customer is the k-th calendar period after the one of their first purchase (so
 * with months, a customer acquired on 31 January is in period 1 on 1 February), as in the usual
 * `to_period` recipe. Transactions after `observationEnd` are left out, and cells the observation
 * did not reach are explicit: `status[k]` is `'censored'` and every value `null` when period k had
 * not begun for any customer of the cohort, `'partial'` when it had begun for some but not ended
 * for all (the observation end falls inside it: values are lower bounds), `'complete'` otherwise.
 * The observation end is day-granular for this rule: a period whose last UTC day is the day of
 * `observationEnd` is complete.
 *
 * Any transaction makes its customer active, a return included. Transactions are records or
 * columns (`TransactionColumns` of `@crm/core`: arrays or typed arrays from a columnar reader).
 * O(n) time for n transactions, plus O(cohorts × periods) for the table, bounded by `maxCells`.
 *
 * @throws {CrmError} `invalid_argument` for a bad or unknown option; `invalid_input` for a row
 * without a valid time, amount or customer id (path `[row, field]`, `[field, row]` for columns) or when no transaction is on or
 * before `observationEnd`; `limit_exceeded` when the table would exceed `maxCells`.
 * @example
 * ```ts
 * import { cohortRetention } from '@crm/scoring';
 * const table = cohortRetention(
 *   [
 *     { customerId: 'A', time: '2024-01-05', amount: 10 },
 *     { customerId: 'A', time: '2024-02-11', amount: 15 },
 *     { customerId: 'B', time: '2024-01-20', amount: 20 },
 *     { customerId: 'C', time: '2024-02-03', amount: 5 },
 *   ],
 *   { cohort: 'month', observationEnd: '2024-02-29' },
 * );
 * table.cohorts[0].retention; // [1, 0.5]
 * table.cohorts[1].active;    // [1, null]  (March is censored)
 * ```
 */
export function cohortRetention(transactions: Transactions, options?: CohortRetentionOptions): CohortTable {
  const o = readOptions(options, ['cohort', 'period', 'observationEnd', 'maxCells'], 'cohortRetention');
  const cohortUnit = enumOption(o, 'cohort', 'month', UNITS);
  const periodUnit = enumOption(o, 'period', cohortUnit, UNITS);
  const maxCells = numberOption(o, 'maxCells', DEFAULT_MAX_CELLS, { min: 1 });
  let end = endOption(o.observationEnd);
  // Every row checked, grouped by customer and sorted by time (records or columns).
  const g = groupByCustomer(transactions, { observationEnd: end === Infinity ? undefined : end });
  const m = g.ids.length;
  const kept = g.time.length;
  if (kept === 0) {
    throw new CrmError('invalid_input', 'no transaction on or before the observation end: a cohort table needs at least one', ['transactions']);
  }
  let lastMs = -Infinity;
  for (let c = 0; c < m; c++) lastMs = Math.max(lastMs, g.time[g.start[c + 1]! - 1]!);
  if (end === Infinity) end = lastMs;
  const endDay = Math.floor(end / MS_PER_DAY);
  const endPeriod = periodOfDay(endDay, periodUnit);
  // The last period whose last day is on or before the day of the observation end.
  const lastComplete = periodOfDay(endDay + 1, periodUnit) - 1;

  // Cohorts, chronological.
  const acq = new Int32Array(m);
  const cohortKey = new Int32Array(m);
  const keys = new Set<number>();
  for (let c = 0; c < m; c++) {
    const d = Math.floor(g.time[g.start[c]!]! / MS_PER_DAY);
    acq[c] = periodOfDay(d, periodUnit);
    cohortKey[c] = periodOfDay(d, cohortUnit);
    keys.add(cohortKey[c]!);
  }
  const sortedKeys = [...keys].sort((a, b) => a - b);
  const rowOfKey = new Map<number, number>();
  sortedKeys.forEach((k, r) => rowOfKey.set(k, r));
  const rows = sortedKeys.length;
  const cohortOf = new Int32Array(m);
  const size = new Float64Array(rows);
  const acqMin = new Int32Array(rows).fill(2 ** 31 - 1);
  const acqMax = new Int32Array(rows).fill(-(2 ** 31));
  let firstAcq = 2 ** 31 - 1;
  for (let c = 0; c < m; c++) {
    const r = rowOfKey.get(cohortKey[c]!)!;
    cohortOf[c] = r;
    size[r]!++;
    if (acq[c]! < acqMin[r]!) acqMin[r] = acq[c]!;
    if (acq[c]! > acqMax[r]!) acqMax[r] = acq[c]!;
    if (acq[c]! < firstAcq) firstAcq = acq[c]!;
  }
  const width = endPeriod - firstAcq + 1;
  checkCost(rows * width, maxCells, 'maxCells', `a cohort table of ${rows} cohorts by ${width} periods`, 'cells');

  // Count each customer once per cell.
  const cells = rows * width;
  const active = new Float64Array(cells);
  const revenue = new Float64Array(cells);
  const lastHist = new Float64Array(cells);
  const stamp = new Int32Array(cells).fill(-1);
  // Consecutive rows usually share a day; remember the last day's period instead of recomputing it.
  let memoDay = NaN;
  let memoPeriod = 0;
  for (let c = 0; c < m; c++) {
    const base = cohortOf[c]! * width;
    const a0 = acq[c]!;
    let last = 0;
    for (let i = g.start[c]!; i < g.start[c + 1]!; i++) {
      const d = Math.floor(g.time[i]! / MS_PER_DAY);
      if (d !== memoDay) {
        memoDay = d;
        memoPeriod = periodOfDay(d, periodUnit);
      }
      const k = memoPeriod - a0;
      const cell = base + k;
      revenue[cell]! += g.amount[i]!;
      if (stamp[cell] !== c) {
        stamp[cell] = c;
        active[cell]!++;
      }
      if (k > last) last = k;
    }
    lastHist[base + last]!++;
  }

  const out: CohortRow[] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    const activeRow: (number | null)[] = new Array(width);
    const retention: (number | null)[] = new Array(width);
    const revenueRow: (number | null)[] = new Array(width);
    const revenueRetention: (number | null)[] = new Array(width);
    const survivors: (number | null)[] = new Array(width);
    const status: CohortCellStatus[] = new Array(width);
    let atOrAfter = 0;
    for (let k = width - 1; k >= 0; k--) atOrAfter += lastHist[base + k]!;
    const rev0 = revenue[base]!;
    for (let k = 0; k < width; k++) {
      if (acqMin[r]! + k > endPeriod) {
        status[k] = 'censored';
        activeRow[k] = retention[k] = revenueRow[k] = revenueRetention[k] = survivors[k] = null;
        continue;
      }
      status[k] = acqMax[r]! + k <= lastComplete ? 'complete' : 'partial';
      const act = active[base + k]!;
      activeRow[k] = act;
      retention[k] = act / size[r]!;
      revenueRow[k] = revenue[base + k]!;
      revenueRetention[k] = rev0 > 0 ? revenue[base + k]! / rev0 : null;
      survivors[k] = atOrAfter;
      atOrAfter -= lastHist[base + k]!;
    }
    const key = sortedKeys[r]!;
    out[r] = {
      label: periodLabel(key, cohortUnit),
      start: new Date(firstDayOf(key, cohortUnit) * MS_PER_DAY).toISOString(),
      customers: size[r]!,
      active: activeRow,
      retention,
      revenue: revenueRow,
      revenueRetention,
      survivors,
      status,
    };
  }
  return { kind: KIND, version: 1, cohort: cohortUnit, period: periodUnit, observationEnd: new Date(end).toISOString(), periods: width, cohorts: out };
}
