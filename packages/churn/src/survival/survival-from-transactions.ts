import { CrmError, numberOption, readOptions, type DateInput } from '@crm/core';
import { dateValue, unitMs, type DurationUnit } from './time-unit.ts';

/**
 * Options of {@link survivalFromTransactions}.
 *
 * @example
 * ```ts
 * import type { SurvivalFromTransactionsOptions } from '@crm/churn';
 * const options: SurvivalFromTransactionsOptions = { churnWindow: 90, observationEnd: '1998-06-30', unit: 'day' };
 * ```
 */
export interface SurvivalFromTransactionsOptions {
  /** A customer has churned once this long (in `unit`) passes without a purchase. Required, > 0. */
  readonly churnWindow: number;
  /** End of observation: later transactions are left out; customers not yet churned are censored here. Required. */
  readonly observationEnd: DateInput;
  /** Unit of `churnWindow` and of the durations (default `'day'`). */
  readonly unit?: DurationUnit;
}

/**
 * (duration, event) pairs per customer, in the order of each customer's first transaction; the
 * object is itself {@link SurvivalData}, ready for `KaplanMeier.fit`.
 *
 * @example
 * ```ts
 * import { survivalFromTransactions, type TransactionSurvival } from '@crm/churn';
 * const s: TransactionSurvival = survivalFromTransactions(
 *   [{ customerId: 'A', time: '2024-01-01' }],
 *   { churnWindow: 30, observationEnd: '2024-03-01' },
 * ); // { customerIds: ['A'], durations: [30], events: [1], … }
 * ```
 */
export interface TransactionSurvival {
  /** Customer ids (numbers as strings), in order of first transaction. */
  readonly customerIds: readonly string[];
  /** Time from the first purchase to churn (event) or to the observation end (censored), in `unit`. */
  readonly durations: readonly number[];
  /** 1 when the customer churned, 0 when censored at the observation end. */
  readonly events: readonly (0 | 1)[];
  /** The last purchase before churn (event) or before the observation end (censored), as epoch ms. */
  readonly lastPurchase: readonly number[];
}

/**
 * A row read by {@link survivalFromTransactions}: only the customer and the time are used.
 *
 * @example
 * ```ts
 * import type { PurchaseEvent } from '@crm/churn';
 * const row: PurchaseEvent = { customerId: 'C042', time: '2024-03-01' };
 * ```
 */
export interface PurchaseEvent {
  readonly customerId: string | number;
  readonly time: DateInput;
}

/**
 * Survival data for non-contractual customers, whose churn is never announced: a customer churns
 * the first time `churnWindow` passes without a purchase. Per customer, with purchases at
 * t₀ ≤ t₁ ≤ … ≤ t_last (those after `observationEnd` left out):
 *
 * - **event** (1): the first purchase tᵢ followed by a gap longer than `churnWindow` (the next
 *   purchase after tᵢ + churnWindow, or none) whose window ends by the observation end
 *   (tᵢ + churnWindow ≤ observationEnd). The duration is tᵢ + churnWindow − t₀: the time from
 *   the first purchase to the moment the churn became known. Purchases after that (a customer
 *   who came back) do not undo it.
 * - **censored** (0): every other customer — the last purchase is less than `churnWindow` before
 *   the observation end. The duration is observationEnd − t₀: they were seen active, without a
 *   churn, for that long.
 *
 * Durations are exact (milliseconds divided by the unit), not rounded to days. Ids 7 and '7' are
 * one customer. O(n log n).
 *
 * @throws {CrmError} `invalid_argument` for missing or bad options; `invalid_input` at
 * `[row, field]` for a row without a valid customer id or time.
 * @example
 * ```ts
 * import { KaplanMeier, survivalFromTransactions } from '@crm/churn';
 * const data = survivalFromTransactions(
 *   [
 *     { customerId: 'A', time: '2024-01-01' },
 *     { customerId: 'A', time: '2024-01-20' },
 *     { customerId: 'B', time: '2024-02-10' },
 *     { customerId: 'C', time: '2024-03-20' },
 *   ],
 *   { churnWindow: 30, observationEnd: '2024-04-01', unit: 'day' },
 * );
 * data.durations; // [49, 30, 12]: A churned 30 days after 20 Jan, B 30 days after 10 Feb, C censored
 * data.events;    // [1, 1, 0]
 * KaplanMeier.fit(data).median().time;
 * ```
 */
export function survivalFromTransactions(transactions: readonly PurchaseEvent[], options: SurvivalFromTransactionsOptions): TransactionSurvival {
  if (options === undefined) {
    throw new CrmError('invalid_argument', 'survivalFromTransactions: options { churnWindow, observationEnd } are required', ['options']);
  }
  const o = readOptions(options, ['churnWindow', 'observationEnd', 'unit'], 'survivalFromTransactions');
  if (o.churnWindow === undefined) throw new CrmError('invalid_argument', 'option churnWindow is required (how long without a purchase means churn)', ['options', 'churnWindow']);
  const window = numberOption(o, 'churnWindow', 0, { min: 0, minExclusive: true });
  const end = dateValue(o.observationEnd, ['options', 'observationEnd'], 'option observationEnd');
  const unit = unitMs(o, 'unit');
  const windowMs = window * unit;
  if (!Number.isFinite(windowMs)) throw new CrmError('invalid_argument', `churnWindow ${window} is too long`, ['options', 'churnWindow']);
  if (!Array.isArray(transactions)) {
    throw new CrmError('invalid_argument', 'transactions must be an array of { customerId, time }', ['transactions']);
  }
  const byCustomer = new Map<string, number[]>();
  for (let i = 0; i < transactions.length; i++) {
    const t = transactions[i] as PurchaseEvent;
    if (t === null || typeof t !== 'object') throw new CrmError('invalid_input', `transactions[${i}] is not an object { customerId, time }`, [i]);
    const id = t.customerId;
    if ((typeof id !== 'string' && typeof id !== 'number') || (typeof id === 'number' && !Number.isFinite(id))) {
      throw new CrmError('invalid_input', `transactions[${i}].customerId must be a string or a finite number`, [i, 'customerId']);
    }
    const ms = dateValue(t.time, [i, 'time'], `transactions[${i}].time`);
    if (ms > end) continue;
    const key = String(id);
    let list = byCustomer.get(key);
    if (list === undefined) byCustomer.set(key, (list = []));
    list.push(ms);
  }
  const customerIds: string[] = [];
  const durations: number[] = [];
  const events: (0 | 1)[] = [];
  const lastPurchase: number[] = [];
  for (const [id, times] of byCustomer) {
    times.sort((a, b) => a - b);
    const t0 = times[0] as number;
    let churnAt: number | undefined;
    let last = t0;
    for (let i = 0; i < times.length; i++) {
      const t = times[i] as number;
      last = t;
      const next = i + 1 < times.length ? (times[i + 1] as number) : Infinity;
      if (next - t > windowMs && t + windowMs <= end) {
        churnAt = t + windowMs;
        break;
      }
    }
    customerIds.push(id);
    durations.push(((churnAt ?? end) - t0) / unit);
    events.push(churnAt === undefined ? 0 : 1);
    lastPurchase.push(last);
  }
  return Object.freeze({
    customerIds: Object.freeze(customerIds),
    durations: Object.freeze(durations),
    events: Object.freeze(events),
    lastPurchase: Object.freeze(lastPurchase),
  });
}
