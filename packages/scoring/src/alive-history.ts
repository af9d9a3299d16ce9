import { checkCost, CrmError, enumOption, numberOption, readOptions, toEpochMs, type DateInput } from '@crm/core';
import { firstDayOf, MS_PER_DAY, periodLabel, periodOfDay, type CalendarUnit } from './calendar.ts';
import type { PurchaseModel } from './roles.ts';

/**
 * Options of {@link aliveHistory}.
 *
 * @example
 * ```ts
 * import type { AliveHistoryOptions } from '@crm/scoring';
 * const options: AliveHistoryOptions = { period: 'week', periods: 78 };
 * ```
 */
export interface AliveHistoryOptions {
  /** Periods after the first purchase's period to follow (whole number ≥ 0). Required. */
  readonly periods: number;
  /** Calendar unit, the time unit the model was fitted in (`'day'`, `'week'` Monday–Sunday, `'month'`; default `'day'`). */
  readonly period?: 'day' | 'week' | 'month' | undefined;
  /** Most periods allowed (default 100,000). */
  readonly maxPeriods?: number | undefined;
}

/**
 * A customer's P(alive) at the end of each period since their first purchase, with the history the
 * model saw at that point.
 *
 * @example
 * ```ts
 * import type { AliveHistory } from '@crm/scoring';
 * const h: AliveHistory = { period: [0, 1], labels: ['1997-01-01', '1997-01-02'], purchased: [true, false], frequency: [0, 0], recency: [0, 0], T: [0, 1], probabilityAlive: [1, 1] };
 * ```
 */
export interface AliveHistory {
  /** Periods 0, 1, …, periods since the first purchase's period. */
  readonly period: number[];
  /** First day of each period (ISO date; `YYYY-MM` for months). */
  readonly labels: string[];
  /** Whether the customer bought in the period. */
  readonly purchased: boolean[];
  /** Repeat purchase periods up to the period. */
  readonly frequency: number[];
  /** Period of the last purchase up to the period. */
  readonly recency: number[];
  /** Age: the period index itself. */
  readonly T: number[];
  /** The model's P(alive) given that history. */
  readonly probabilityAlive: number[];
}

const UNITS: readonly CalendarUnit[] = ['day', 'week', 'month'];
/** Largest |epoch ms| a JavaScript Date holds. */
const MAX_DATE_MS = 8.64e15;
const DEFAULT_MAX_PERIODS = 100_000;

/**
 * One customer's P(alive) through their history (lifetimes' `plot_history_alive` and
 * `calculate_alive_path`): periods counted from the calendar period of the first purchase; at the
 * end of each period k the history is frequency = periods with a purchase up to k, minus the first,
 * recency = the last such period, T = k, and the model's P(alive) of it. P(alive) falls while the
 * customer is silent and jumps back at each purchase; how fast it falls is what the model says
 * about that customer.
 *
 * O(periods) P(alive) evaluations, bounded by `maxPeriods`.
 *
 * @throws {CrmError} `invalid_input` when `purchases` is empty or holds a bad date (path
 * `['purchases', i]`); `invalid_argument` for a missing or bad option or model; `limit_exceeded`
 * at `['options', 'maxPeriods']`.
 * @example
 * ```ts
 * import { aliveHistory, BgNbd } from '@crm/scoring';
 * const model = BgNbd.fromJSON({
 *   kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 },
 *   params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
 *   report: { converged: true, iterations: 0, logLikelihood: 0, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
 * });
 * const h = aliveHistory(model, ['1997-01-01', '1997-01-18', '1997-08-02'], { period: 'week', periods: 52 });
 * h.probabilityAlive[2];  // 1 until the first repeat purchase (BG/NBD)
 * h.probabilityAlive[52]; // lower: silent since August
 * ```
 */
export function aliveHistory(model: PurchaseModel, purchases: readonly DateInput[], options: AliveHistoryOptions): AliveHistory {
  const o = readOptions(options, ['periods', 'period', 'maxPeriods'], 'aliveHistory');
  if (o.periods === undefined) throw new CrmError('invalid_argument', 'aliveHistory: options.periods (number of periods to follow) is required', ['options', 'periods']);
  const periods = numberOption(o, 'periods', 0, { min: 0, integer: true });
  const unit = enumOption(o, 'period', 'day', UNITS);
  const maxPeriods = numberOption(o, 'maxPeriods', DEFAULT_MAX_PERIODS, { min: 1 });
  checkCost(periods + 1, maxPeriods, 'maxPeriods', 'aliveHistory', 'periods');
  if (model === null || typeof model !== 'object' || typeof model.probabilityAlive !== 'function') {
    throw new CrmError('invalid_argument', 'aliveHistory: model must be a fitted purchase model with probabilityAlive(customer)', ['model']);
  }
  if (!Array.isArray(purchases) || purchases.length === 0) {
    throw new CrmError('invalid_input', 'aliveHistory: purchases must be a non-empty array of the customer\'s purchase dates', ['purchases']);
  }
  const index = purchases.map((p, i) => {
    const ms = toEpochMs(p);
    if (ms === undefined) throw new CrmError('invalid_input', `aliveHistory: purchases[${i}] is not a Date, an ISO 8601 string or epoch milliseconds`, ['purchases', i]);
    return periodOfDay(Math.floor(ms / MS_PER_DAY), unit);
  });
  const p0 = Math.min(...index);
  // Dates end at ±8.64e15 ms: the last period's first day must be one.
  if (!(Math.abs(firstDayOf(p0 + periods, unit) * MS_PER_DAY) <= MAX_DATE_MS)) {
    throw new CrmError('invalid_argument', `aliveHistory: ${periods} periods from the first one run past the last representable date; track fewer periods`, ['options', 'periods']);
  }
  const bought = new Uint8Array(periods + 1);
  for (const p of index) if (p - p0 <= periods) bought[p - p0] = 1;
  const out: AliveHistory = { period: [], labels: [], purchased: [], frequency: [], recency: [], T: [], probabilityAlive: [] };
  let count = 0;
  let recency = 0;
  for (let k = 0; k <= periods; k++) {
    if (bought[k] === 1) {
      count++;
      recency = k;
    }
    const history = { frequency: count - 1, recency, T: k };
    out.period.push(k);
    out.labels.push(periodLabel(p0 + k, unit));
    out.purchased.push(bought[k] === 1);
    out.frequency.push(history.frequency);
    out.recency.push(recency);
    out.T.push(k);
    out.probabilityAlive.push(model.probabilityAlive(history));
  }
  return out;
}
