import { CrmError, type PurchaseHistory } from '@crm/core';
import { checkFinite } from './checks.ts';
import { checkArray } from './history.ts';
import type { PurchaseModel, SpendHistory, SpendModel } from './roles.ts';
import { unitInDays, type TimeUnit } from './time-unit.ts';

/**
 * Options of {@link customerLifetimeValue}. Both time units are required: the unit of the
 * summaries the models were fitted on, and the unit of the horizon and discount rate.
 *
 * @example
 * ```ts
 * import type { CustomerLifetimeValueOptions } from '@crm/scoring';
 * // Weekly summaries; 12 months ahead at 1% a month.
 * const options: CustomerLifetimeValueOptions = { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01 };
 * ```
 */
export interface CustomerLifetimeValueOptions {
  /** Time unit of `recency` and `T` in the data the purchase model was fitted on. */
  readonly dataPeriod: TimeUnit;
  /** Time unit of `horizon` and `discountRate` (one discounting period). */
  readonly period: TimeUnit;
  /** Number of periods to sum over (a whole number ≥ 1). */
  readonly horizon: number;
  /** Discount rate per period (0.01 = 1 %), > −1. */
  readonly discountRate: number;
  /** Profit margin applied to the expected spend (default 1: revenue). */
  readonly margin?: number | undefined;
}

/**
 * A customer as CLV needs it: a purchase history and the mean repeat spend
 * (`summarizeCustomers` output has both).
 *
 * @example
 * ```ts
 * import type { ClvCustomer } from '@crm/scoring';
 * const c: ClvCustomer = { frequency: 2, recency: 30.43, T: 38.86, monetary: 22.35 };
 * ```
 */
export type ClvCustomer = PurchaseHistory & SpendHistory;

/**
 * Customer lifetime value from any purchase model and any spend model:
 * CLVᵢ = margin · E[spendᵢ] · Σₖ₌₁ᴴ (E[Xᵢ(k·s)] − E[Xᵢ((k−1)·s)]) / (1 + d)ᵏ,
 * where s is one `period` in `dataPeriod` units: purchases expected in period k are discounted
 * at its end (k = 1 for the first period), as in lifetimes' `customer_lifetime_value`. Unlike
 * lifetimes, the units are never implied: weekly data with monthly discounting is
 * `{ dataPeriod: 'week', period: 'month' }` (a month is 30.4375 days; pass `period: 30` for a
 * 30-day month). With {@link BgBb}, whose time is counted in opportunities, one `period` must be a
 * whole number of them. Returns one value per customer, in input order. O(n · horizon).
 *
 * @throws {CrmError} `invalid_argument` for a model without the role's methods or bad options;
 * the models' own errors for bad customers.
 * @example
 * ```ts
 * import { BgNbd, GammaGamma, customerLifetimeValue } from '@crm/scoring';
 * const customers = [
 *   { frequency: 2, recency: 30.43, T: 38.86, monetary: 22.35 },
 *   { frequency: 1, recency: 1.71, T: 38.86, monetary: 11.77 },
 *   { frequency: 0, recency: 0, T: 38.86, monetary: 0 },
 *   { frequency: 5, recency: 20, T: 30, monetary: 41.2 },
 *   { frequency: 3, recency: 25, T: 35, monetary: 18.5 },
 * ];
 * const clv = customerLifetimeValue(BgNbd.fit(customers), GammaGamma.fit(customers), customers, {
 *   dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01,
 * });
 * ```
 */
export function customerLifetimeValue(
  purchaseModel: PurchaseModel,
  spendModel: SpendModel,
  customers: readonly ClvCustomer[],
  options: CustomerLifetimeValueOptions,
): number[] {
  if (purchaseModel === null || typeof purchaseModel !== 'object' || typeof purchaseModel.kind !== 'string' || typeof purchaseModel.expectedPurchases !== 'function') {
    throw new CrmError('invalid_argument', 'purchaseModel must be a fitted purchase model (BgNbd, ParetoNbd, ModifiedBgNbd, BgBb)', ['purchaseModel']);
  }
  if (spendModel === null || typeof spendModel !== 'object' || typeof spendModel.kind !== 'string' || typeof spendModel.expectedSpend !== 'function') {
    throw new CrmError('invalid_argument', 'spendModel must be a fitted spend model (GammaGamma)', ['spendModel']);
  }
  if (options === null || typeof options !== 'object') {
    throw new CrmError('invalid_argument', 'options { dataPeriod, period, horizon, discountRate } are required', ['options']);
  }
  const step = unitInDays(options.period, 'period') / unitInDays(options.dataPeriod, 'dataPeriod');
  const horizon = checkFinite(options.horizon, ['options', 'horizon'], (v) => Number.isInteger(v) && v >= 1, 'a whole number ≥ 1');
  const rate = checkFinite(options.discountRate, ['options', 'discountRate'], (v) => v > -1, 'a number > −1');
  const margin = options.margin === undefined ? 1 : checkFinite(options.margin, ['options', 'margin']);
  const rows = checkArray(customers, 'customers') as readonly ClvCustomer[];
  const discount = Array.from({ length: horizon }, (_, k) => (1 + rate) ** -(k + 1));
  const out = new Array<number>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const c = rows[i] as ClvCustomer;
    const spend = spendModel.expectedSpend(c);
    let previous = 0;
    let value = 0;
    for (let k = 1; k <= horizon; k++) {
      // k·step, with the last period landing exactly on horizon·step.
      const cumulative = purchaseModel.expectedPurchases(k * step, c);
      value += (cumulative - previous) * (discount[k - 1] as number);
      previous = cumulative;
    }
    out[i] = margin * spend * value;
  }
  return out;
}
