import { CrmError, readOptions, type DateInput, type Interaction, type Transactions } from '@crm/core';
import { MS_PER_DAY } from './calendar.ts';
import { endOption, idOf, purchaseTimes, rowAt, timeOf } from './transaction-rows.ts';

/**
 * An interaction as {@link loyaltyMetrics} reads it: who, when and what kind.
 *
 * @example
 * ```ts
 * import type { LoyaltyInteraction } from '@crm/scoring';
 * const i: LoyaltyInteraction = { customerId: 'C1', time: '2024-03-01', type: 'referral' };
 * ```
 */
export interface LoyaltyInteraction {
  readonly customerId: Interaction['customerId'] | number;
  readonly time: DateInput;
  readonly type: string;
}

/**
 * Options of {@link loyaltyMetrics}.
 *
 * @example
 * ```ts
 * import type { LoyaltyMetricsOptions } from '@crm/scoring';
 * const options: LoyaltyMetricsOptions = { feedbackTypes: ['survey', 'review'], referralTypes: ['referral'] };
 * ```
 */
export interface LoyaltyMetricsOptions {
  /** End of observation (inclusive); later rows are left out. Default: the last transaction. */
  readonly observationEnd?: DateInput | undefined;
  /** Interaction `type`s that count as feedback. Default `['feedback', 'survey', 'review', 'complaint']`. */
  readonly feedbackTypes?: readonly string[] | undefined;
  /** Interaction `type`s that count as a referral (recommendation). Default `['referral']`. */
  readonly referralTypes?: readonly string[] | undefined;
}

/**
 * One customer's loyalty indicators. Rates and times are `null` where they are undefined (no
 * order, a single order), never NaN.
 *
 * @example
 * ```ts
 * import type { CustomerLoyalty } from '@crm/scoring';
 * const engaged = (c: CustomerLoyalty) => (c.feedbackRate ?? 0) > 0.5;
 * ```
 */
export interface CustomerLoyalty {
  readonly customerId: string;
  /** Transactions up to the observation end. */
  readonly orders: number;
  /** Lifecycle: days from the first purchase to the observation end (`null` without an order). */
  readonly tenureDays: number | null;
  /** True with two or more orders. */
  readonly repeatPurchaser: boolean;
  /** Feedback interactions. */
  readonly feedback: number;
  /** Feedback interactions per order (`null` without an order). */
  readonly feedbackRate: number | null;
  /** Referral interactions. */
  readonly referrals: number;
  /** Referrals per order (`null` without an order). */
  readonly recommendationRate: number | null;
  /** Mean days between consecutive orders (`null` with fewer than two). */
  readonly meanInterPurchaseDays: number | null;
  /** Median days between consecutive orders (`null` with fewer than two). */
  readonly medianInterPurchaseDays: number | null;
}

const DEFAULT_FEEDBACK: readonly string[] = ['feedback', 'survey', 'review', 'complaint'];
const DEFAULT_REFERRAL: readonly string[] = ['referral'];

function typeList(value: unknown, name: string, fallback: readonly string[]): Set<string> {
  if (value === undefined) return new Set(fallback);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) {
    throw new CrmError('invalid_argument', `options.${name} must be an array of interaction types (non-empty strings)`, ['options', name]);
  }
  return new Set(value as string[]);
}

function median(sorted: readonly number[]): number {
  const m = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

/**
 * Per-customer loyalty indicators from orders and interactions (the loyalty analysis of a CRM):
 * lifecycle (tenure: days from the first purchase to the observation end), repeat-purchase
 * indicator (two or more orders), feedback rate (feedback interactions per order),
 * recommendation rate (referrals per order), and the mean and median time between consecutive
 * orders, in days (fractional: times are exact, so same-day orders give a gap of 0). Which
 * interaction types are feedback and which are referrals are options; other interactions are
 * not counted. Customers who only appear in interactions get a row with 0 orders and `null`
 * rates, so no one is dropped. Rows after `observationEnd` are left out. O(n log n).
 *
 * @throws {CrmError} `invalid_argument` for a bad or unknown option (a type listed as both
 * feedback and referral included); `invalid_input` for a row without a valid customer, time,
 * amount (transactions) or type (interactions), with its path.
 * @example
 * ```ts
 * import { loyaltyMetrics } from '@crm/scoring';
 * const [a] = loyaltyMetrics(
 *   [
 *     { customerId: 'A', time: '2024-01-01', amount: 20 },
 *     { customerId: 'A', time: '2024-01-11', amount: 35 },
 *     { customerId: 'A', time: '2024-01-31', amount: 15 },
 *   ],
 *   [
 *     { customerId: 'A', time: '2024-01-12', type: 'review' },
 *     { customerId: 'A', time: '2024-01-20', type: 'referral' },
 *   ],
 *   { observationEnd: '2024-02-10' },
 * );
 * a.tenureDays;             // 40
 * a.feedbackRate;           // 1/3
 * a.meanInterPurchaseDays;  // 15 (gaps of 10 and 20 days)
 * ```
 */
export function loyaltyMetrics(
  transactions: Transactions,
  interactions: readonly LoyaltyInteraction[],
  options?: LoyaltyMetricsOptions,
): CustomerLoyalty[] {
  const o = readOptions(options, ['observationEnd', 'feedbackTypes', 'referralTypes'], 'loyaltyMetrics');
  let end = endOption(o.observationEnd);
  const feedbackTypes = typeList(o.feedbackTypes, 'feedbackTypes', DEFAULT_FEEDBACK);
  const referralTypes = typeList(o.referralTypes, 'referralTypes', DEFAULT_REFERRAL);
  for (const t of referralTypes) {
    if (feedbackTypes.has(t)) throw new CrmError('invalid_argument', `interaction type '${t}' is listed as both feedback and referral; give it to one of them`, ['options', 'referralTypes']);
  }
  const { times, last } = purchaseTimes(transactions, end);
  // Without any transaction, interactions are kept whatever their time.
  if (end === Infinity && last > -Infinity) end = last;
  if (!Array.isArray(interactions)) throw new CrmError('invalid_argument', 'interactions must be an array of { customerId, time, type }', ['interactions']);
  const feedback = new Map<string, number>();
  const referrals = new Map<string, number>();
  const order: string[] = [...times.keys()];
  const seen = new Set(order);
  for (let i = 0; i < interactions.length; i++) {
    const row = rowAt(interactions, i, 'interactions');
    const id = idOf(row['customerId'], i, 'interactions');
    const ms = timeOf(row['time'], i, 'interactions');
    const type = row['type'];
    if (typeof type !== 'string') throw new CrmError('invalid_input', `interactions[${i}].type must be a string`, [i, 'type']);
    if (ms > end) continue;
    if (!seen.has(id)) {
      seen.add(id);
      order.push(id);
    }
    if (feedbackTypes.has(type)) feedback.set(id, (feedback.get(id) ?? 0) + 1);
    else if (referralTypes.has(type)) referrals.set(id, (referrals.get(id) ?? 0) + 1);
  }
  return order.map((customerId) => {
    const t = times.get(customerId) ?? [];
    const orders = t.length;
    const fb = feedback.get(customerId) ?? 0;
    const ref = referrals.get(customerId) ?? 0;
    const gaps: number[] = [];
    for (let k = 1; k < orders; k++) gaps.push((t[k]! - t[k - 1]!) / MS_PER_DAY);
    gaps.sort((a, b) => a - b);
    return {
      customerId,
      orders,
      tenureDays: orders > 0 ? (end - t[0]!) / MS_PER_DAY : null,
      repeatPurchaser: orders >= 2,
      feedback: fb,
      feedbackRate: orders > 0 ? fb / orders : null,
      referrals: ref,
      recommendationRate: orders > 0 ? ref / orders : null,
      meanInterPurchaseDays: gaps.length > 0 ? (t[orders - 1]! - t[0]!) / MS_PER_DAY / gaps.length : null,
      medianInterPurchaseDays: gaps.length > 0 ? median(gaps) : null,
    };
  });
}
