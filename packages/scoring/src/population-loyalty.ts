import { CrmError, enumOption, readOptions, type DateInput, type Transactions } from '@crm/core';
import { MS_PER_DAY, periodLabel, periodOfDay, type CalendarUnit } from './calendar.ts';
import { endOption, purchaseTimes } from './transaction-rows.ts';

/**
 * Options of {@link populationLoyalty}.
 *
 * @example
 * ```ts
 * import type { PopulationLoyaltyOptions } from '@crm/scoring';
 * const options: PopulationLoyaltyOptions = { period: 'month', segments: { C1: 'gold', C2: 'silver' } };
 * ```
 */
export interface PopulationLoyaltyOptions {
  /** Calendar period (UTC) of the retention rates: `'day'`, `'week'` (Monday to Sunday) or `'month'` (default). */
  readonly period?: CalendarUnit | undefined;
  /** End of observation (inclusive); later rows are left out. Default: the last transaction. */
  readonly observationEnd?: DateInput | undefined;
  /** Segment of each customer id; customers without one form the segment `null`. Omit for the population only. */
  readonly segments?: Readonly<Record<string, string>> | undefined;
}

/**
 * Retention from one period to the next: of the customers active (buying) in `period`, those
 * active again in the next one.
 *
 * @example
 * ```ts
 * import type { PeriodRetention } from '@crm/scoring';
 * const r: PeriodRetention = { period: '2024-01', active: 10, retained: 4, retentionRate: 0.4, churnRate: 0.6 };
 * ```
 */
export interface PeriodRetention {
  /** The period's label (`'2024-01'`, or the ISO date of its first day). */
  readonly period: string;
  /** Customers with a purchase in the period. */
  readonly active: number;
  /** Of those, customers with a purchase in the next period. */
  readonly retained: number;
  /** `retained / active`; `null` when no one was active. */
  readonly retentionRate: number | null;
  /** `1 − retentionRate`; `null` when no one was active. */
  readonly churnRate: number | null;
}

/**
 * Loyalty over a group of customers.
 *
 * @example
 * ```ts
 * import type { GroupLoyalty } from '@crm/scoring';
 * const last = (g: GroupLoyalty) => g.periods[g.periods.length - 1];
 * ```
 */
export interface GroupLoyalty {
  /** Customers with at least one order. */
  readonly customers: number;
  /** Customers with two or more orders. */
  readonly repeatCustomers: number;
  /** `repeatCustomers / customers`. */
  readonly repeatPurchaseRate: number;
  /** Mean of the customers' mean inter-purchase days (repeat customers only; `null` without any). */
  readonly meanInterPurchaseDays: number | null;
  /** Period-to-period retention, for every period whose next period is completely observed. */
  readonly periods: readonly PeriodRetention[];
}

/**
 * What {@link populationLoyalty} returns: the population, and each segment when `segments` is given.
 *
 * @example
 * ```ts
 * import type { PopulationLoyalty } from '@crm/scoring';
 * const rate = (p: PopulationLoyalty) => p.overall.repeatPurchaseRate;
 * ```
 */
export interface PopulationLoyalty {
  readonly period: CalendarUnit;
  /** The observation end used (ISO 8601). */
  readonly observationEnd: string;
  readonly overall: GroupLoyalty;
  /** One entry per segment, in order of first appearance; `null` holds customers without a segment. */
  readonly segments: readonly ({ readonly segment: string | null } & GroupLoyalty)[];
}

interface Accumulator {
  customers: number;
  repeat: number;
  gapSum: number;
  active: Map<number, number>;
  retained: Map<number, number>;
}

const newAccumulator = (): Accumulator => ({ customers: 0, repeat: 0, gapSum: 0, active: new Map(), retained: new Map() });

/**
 * Repeat-purchase rate, mean inter-purchase time and period-to-period retention and churn rates
 * of a population of customers, and of each segment: the dashboard view beside the cohort
 * table. Period retention in period p is the share of customers active (with a purchase) in p
 * who are active again in p + 1; churn is its complement. Only periods whose next period ended
 * by the observation end (day-granular, as in `cohortRetention`) are reported, so a partly
 * observed period never reads as churn. UTC calendar periods. O(n log n).
 *
 * @throws {CrmError} `invalid_argument` for a bad or unknown option (a segment that is not a
 * string); `invalid_input` for a bad row (with its path) or no transaction before the end.
 * @example
 * ```ts
 * import { populationLoyalty } from '@crm/scoring';
 * const p = populationLoyalty(
 *   [
 *     { customerId: 'A', time: '2024-01-03', amount: 10 },
 *     { customerId: 'A', time: '2024-02-03', amount: 10 },
 *     { customerId: 'B', time: '2024-01-09', amount: 10 },
 *   ],
 *   { observationEnd: '2024-02-29' },
 * );
 * p.overall.repeatPurchaseRate; // 0.5
 * p.overall.periods;            // [{ period: '2024-01', active: 2, retained: 1, retentionRate: 0.5, churnRate: 0.5 }]
 * ```
 */
export function populationLoyalty(transactions: Transactions, options?: PopulationLoyaltyOptions): PopulationLoyalty {
  const o = readOptions(options, ['period', 'observationEnd', 'segments'], 'populationLoyalty');
  const unit = enumOption(o, 'period', 'month', ['day', 'week', 'month'] as const);
  let end = endOption(o.observationEnd);
  const segments = o.segments;
  if (segments !== undefined && (segments === null || typeof segments !== 'object' || Array.isArray(segments))) {
    throw new CrmError('invalid_argument', 'options.segments must be an object mapping customer ids to segment names', ['options', 'segments']);
  }
  const { times, last } = purchaseTimes(transactions, end);
  if (times.size === 0) throw new CrmError('invalid_input', 'no transaction on or before the observation end', ['transactions']);
  if (end === Infinity) end = last;
  const endDay = Math.floor(end / MS_PER_DAY);
  // The last period whose last day is on or before the observation end's day.
  const lastComplete = periodOfDay(endDay + 1, unit) - 1;

  const overall = newAccumulator();
  const bySegment = new Map<string | null, Accumulator>();
  let firstPeriod = Infinity;
  for (const [id, t] of times) {
    let segment: string | null = null;
    if (segments !== undefined && Object.prototype.hasOwnProperty.call(segments, id)) {
      const s: unknown = (segments as Record<string, unknown>)[id];
      if (typeof s !== 'string') throw new CrmError('invalid_argument', `options.segments['${id}'] must be a segment name (string)`, ['options', 'segments', id]);
      segment = s;
    }
    let seg = bySegment.get(segment);
    if (seg === undefined) bySegment.set(segment, (seg = newAccumulator()));
    const groups = [overall, seg];
    const distinct: number[] = [];
    for (const ms of t) {
      const p = periodOfDay(Math.floor(ms / MS_PER_DAY), unit);
      if (distinct[distinct.length - 1] !== p) distinct.push(p);
    }
    if (distinct[0]! < firstPeriod) firstPeriod = distinct[0]!;
    for (const g of groups) {
      g.customers++;
      if (t.length >= 2) {
        g.repeat++;
        g.gapSum += (t[t.length - 1]! - t[0]!) / MS_PER_DAY / (t.length - 1);
      }
      for (let k = 0; k < distinct.length; k++) {
        const p = distinct[k]!;
        g.active.set(p, (g.active.get(p) ?? 0) + 1);
        if (distinct[k + 1] === p + 1) g.retained.set(p, (g.retained.get(p) ?? 0) + 1);
      }
    }
  }
  const finish = (g: Accumulator): GroupLoyalty => {
    const periods: PeriodRetention[] = [];
    for (let p = firstPeriod; p + 1 <= lastComplete; p++) {
      const active = g.active.get(p) ?? 0;
      const retained = g.retained.get(p) ?? 0;
      const rate = active > 0 ? retained / active : null;
      periods.push({ period: periodLabel(p, unit), active, retained, retentionRate: rate, churnRate: rate === null ? null : 1 - rate });
    }
    return {
      customers: g.customers,
      repeatCustomers: g.repeat,
      repeatPurchaseRate: g.repeat / g.customers,
      meanInterPurchaseDays: g.repeat > 0 ? g.gapSum / g.repeat : null,
      periods,
    };
  };
  return {
    period: unit,
    observationEnd: new Date(end).toISOString(),
    overall: finish(overall),
    segments: segments === undefined ? [] : [...bySegment].map(([segment, g]) => ({ segment, ...finish(g) })),
  };
}
