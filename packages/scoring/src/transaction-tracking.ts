import { checkCost, CrmError, enumOption, finiteResult, groupByCustomer, numberOption, readOptions, toEpochMs, type DateInput, type Transactions } from '@crm/core';
import { firstDayOf, MS_PER_DAY, periodLabel, periodOfDay, type CalendarUnit } from './calendar.ts';
import type { PurchaseModel } from './roles.ts';

/**
 * Options of {@link transactionTracking}.
 *
 * @example
 * ```ts
 * import type { TransactionTrackingOptions } from '@crm/scoring';
 * const options: TransactionTrackingOptions = { period: 'week', periods: 78, calibrationEnd: '1997-09-30' };
 * ```
 */
export interface TransactionTrackingOptions {
  /** Number of calendar periods to track from `start` (whole number ≥ 1). Required. */
  readonly periods: number;
  /** Calendar unit of the periods, the time unit the model was fitted in (`'day'`, `'week'` Monday–Sunday, `'month'`; default `'day'`). */
  readonly period?: 'day' | 'week' | 'month' | undefined;
  /**
   * How purchases are counted and ages measured. `'period'` (default, lifetimes'
   * `expected_cumulative_transactions` with `freq` = the period): one purchase per customer and
   * calendar period, ages in whole periods from the period of the first purchase. `'day'` (lifetimes
   * with `freq='D', freq_multiplier=7` for weeks): one purchase per customer and day, ages in days
   * (÷ 7 for weeks) and periods of 7 days from `start`, which is how `calibrationHoldout`
   * summaries with `period: 'week'` count, so the expectation matches a model fitted on them.
   * Not for months.
   */
  readonly counting?: 'period' | 'day' | undefined;
  /** First day tracked (its period is period 0); default: the first transaction. */
  readonly start?: DateInput | undefined;
  /** End of the calibration period, reported as a period index to mark on the chart. */
  readonly calibrationEnd?: DateInput | undefined;
  /** Most periods allowed (the cost grows with periods²; default 5,000). */
  readonly maxPeriods?: number | undefined;
}

/**
 * Actual and expected repeat transactions of a whole cohort by calendar period, cumulative and
 * per period; entry k covers periods 0 … k (cumulative) or period k alone (incremental).
 *
 * @example
 * ```ts
 * import type { TransactionTracking } from '@crm/scoring';
 * const t: TransactionTracking = {
 *   period: [0, 1], labels: ['1997-01-01', '1997-01-02'], actual: [0, 2], expected: [0.5, 1.6],
 *   actualIncremental: [0, 2], expectedIncremental: [0.5, 1.1], calibrationEnd: null,
 * };
 * ```
 */
export interface TransactionTracking {
  /** Period indices 0, 1, …, periods − 1 since the start's period. */
  readonly period: number[];
  /** First day of each period (ISO date; `YYYY-MM` for months). */
  readonly labels: string[];
  /** Repeat transactions observed up to the end of each period. */
  readonly actual: number[];
  /** Repeat transactions the model expects up to the end of each period. */
  readonly expected: number[];
  /** Repeat transactions observed in each period. */
  readonly actualIncremental: number[];
  /** Repeat transactions the model expects in each period. */
  readonly expectedIncremental: number[];
  /** Index of the period holding `calibrationEnd` (`null` when not given). */
  readonly calibrationEnd: number | null;
}

const UNITS: readonly CalendarUnit[] = ['day', 'week', 'month'];
const COUNTING: readonly ('period' | 'day')[] = ['period', 'day'];
/** Largest |epoch ms| a JavaScript Date holds. */
const MAX_DATE_MS = 8.64e15;
/** Default of {@link TransactionTrackingOptions.maxPeriods}: 5,000 periods cost about 12.5 M multiply-adds. */
const DEFAULT_MAX_PERIODS = 5000;

function dayOf(value: unknown, path: (string | number)[]): number {
  const ms = toEpochMs(value);
  if (ms === undefined) throw new CrmError('invalid_argument', `transactionTracking: ${path.join('.')} must be a Date, an ISO 8601 string or epoch milliseconds`, path);
  return Math.floor(ms / MS_PER_DAY);
}

/**
 * Tracking of repeat transactions over calendar time (Fader, Hardie & Lee 2005, Figures 2 and 3;
 * lifetimes' `expected_cumulative_transactions`, `plot_cumulative_transactions` and
 * `plot_incremental_transactions`): the cohort's repeat transactions observed by the end of each
 * period, beside what the model expects: every customer is a new customer from the period of their
 * first purchase, so the expectation is Σ over first-purchase periods p ≤ k of (customers acquired
 * in p) × E[X(k + 1 − p)] (the model's purchases of a new customer). Repeat transactions count one
 * per customer and period, first purchases excluded, as the models count them. Fitted on the
 * calibration period, the model should keep tracking after `calibrationEnd`.
 *
 * Transactions are records or columns; those after the last period are ignored. O(transactions +
 * periods²), bounded by `maxPeriods`.
 *
 * @throws {CrmError} `invalid_argument` for a missing or bad option or a model without
 * `expectedPurchases`; `limit_exceeded` at `['options', 'maxPeriods']`; `invalid_input` for a row
 * without a valid time, amount or customer id, or when no transaction falls in the tracked periods.
 * @example
 * ```ts
 * import { BgNbd, transactionTracking } from '@crm/scoring';
 * const model = BgNbd.fromJSON({
 *   kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 },
 *   params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
 *   report: { converged: true, iterations: 0, logLikelihood: 0, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
 * });
 * const t = transactionTracking(model, [
 *   { customerId: 'A', time: '1997-01-01', amount: 10 }, { customerId: 'A', time: '1997-01-20', amount: 12 },
 *   { customerId: 'B', time: '1997-01-08', amount: 30 },
 * ], { period: 'week', periods: 4 });
 * t.actual;      // [0, 0, 0, 1]
 * t.expected[3]; // ≈ 0.08 expected repeat purchases by the end of week 3
 * ```
 * @see Fader, Hardie & Lee (2005), https://doi.org/10.1287/mksc.1040.0098
 */
export function transactionTracking(model: PurchaseModel, transactions: Transactions, options: TransactionTrackingOptions): TransactionTracking {
  const o = readOptions(options, ['periods', 'period', 'counting', 'start', 'calibrationEnd', 'maxPeriods'], 'transactionTracking');
  if (o.periods === undefined) throw new CrmError('invalid_argument', 'transactionTracking: options.periods (number of periods to track) is required', ['options', 'periods']);
  const periods = numberOption(o, 'periods', 1, { min: 1, integer: true });
  const unit = enumOption(o, 'period', 'day', UNITS);
  const counting = enumOption(o, 'counting', 'period', COUNTING);
  if (counting === 'day' && unit === 'month') {
    throw new CrmError('invalid_argument', "transactionTracking: counting 'day' needs a period of 'day' or 'week' (months are not a whole number of days)", ['options', 'counting']);
  }
  const maxPeriods = numberOption(o, 'maxPeriods', DEFAULT_MAX_PERIODS, { min: 1 });
  checkCost(periods, maxPeriods, 'maxPeriods', 'transactionTracking', 'periods');
  if (model === null || typeof model !== 'object' || typeof model.expectedPurchases !== 'function') {
    throw new CrmError('invalid_argument', 'transactionTracking: model must be a fitted purchase model with expectedPurchases(t)', ['model']);
  }
  // The grid the purchases are counted on: calendar periods, or days (`per` of them to a period).
  const per = counting === 'day' && unit === 'week' ? 7 : 1;
  const cell = (day: number): number => (counting === 'day' ? day : periodOfDay(day, unit));
  const g = groupByCustomer(transactions);
  let firstDay: number;
  if (o.start !== undefined) firstDay = dayOf(o.start, ['options', 'start']);
  else {
    let first = Infinity;
    for (let c = 0; c < g.ids.length; c++) first = Math.min(first, g.time[g.start[c] as number] as number);
    if (first === Infinity) throw new CrmError('invalid_input', 'transactionTracking: no transactions', ['transactions']);
    firstDay = Math.floor(first / MS_PER_DAY);
  }
  const c0 = cell(firstDay);
  // Dates end at ±8.64e15 ms: the last period's first day must be one.
  const lastDay = counting === 'day' ? firstDay + periods * per : firstDayOf(c0 + periods, unit);
  if (!(Math.abs(lastDay * MS_PER_DAY) <= MAX_DATE_MS)) {
    throw new CrmError('invalid_argument', `transactionTracking: ${periods} periods from the first one run past the last representable date; track fewer periods`, ['options', 'periods']);
  }
  const cells = periods * per;
  const newCustomers = new Float64Array(cells);
  const repeats = new Float64Array(cells);
  let seen = 0;
  for (let c = 0; c < g.ids.length; c++) {
    let last = Number.NaN;
    for (let i = g.start[c] as number; i < (g.start[c + 1] as number); i++) {
      const k = cell(Math.floor((g.time[i] as number) / MS_PER_DAY)) - c0;
      if (k === last) continue;
      const firstPurchase = Number.isNaN(last);
      last = k;
      // A customer's first purchase before the start makes their later purchases repeats all the same.
      if (k < 0 || k >= cells) continue;
      seen++;
      if (firstPurchase) newCustomers[k]! += 1;
      else repeats[k]! += 1;
    }
  }
  if (seen === 0) throw new CrmError('invalid_input', `transactionTracking: no transaction falls in the ${periods} tracked periods`, ['transactions']);
  // A customer acquired in cell d has, at the end of cell e − 1, been a customer for (e − d) / per periods.
  const times = Array.from({ length: cells }, (_, j) => (j + 1) / per);
  const perNew = typeof model.cumulativePurchases === 'function' ? model.cumulativePurchases(times) : times.map((t) => model.expectedPurchases(t));
  const expected: number[] = [];
  const actual: number[] = [];
  let cumActual = 0;
  for (let k = 0; k < periods; k++) {
    const end = (k + 1) * per;
    let e = 0;
    for (let d = 0; d < end; d++) {
      const n = newCustomers[d] as number;
      if (n > 0) e += n * (perNew[end - 1 - d] as number);
    }
    expected.push(finiteResult(e, 'the expected cumulative transactions', ['model']));
    for (let d = end - per; d < end; d++) cumActual += repeats[d] as number;
    actual.push(cumActual);
  }
  const diff = (xs: number[]): number[] => xs.map((v, k) => (k === 0 ? v : v - (xs[k - 1] as number)));
  return {
    period: expected.map((_, k) => k),
    labels: expected.map((_, k) => (counting === 'day' ? periodLabel(firstDay + k * per, 'day') : periodLabel(c0 + k, unit))),
    actual,
    expected,
    actualIncremental: diff(actual),
    expectedIncremental: diff(expected),
    calibrationEnd: o.calibrationEnd === undefined ? null : Math.floor((cell(dayOf(o.calibrationEnd, ['options', 'calibrationEnd'])) - c0) / per),
  };
}
