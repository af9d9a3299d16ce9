import { checkCost, CrmError, finiteResult, numberOption, readOptions, type PurchaseHistory } from '@crm/core';
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
  /** Profit margin applied to the expected spend, a finite number (default 1: revenue). */
  readonly margin?: number | undefined;
  /**
   * Most purchase-model evaluations (customers × horizon) the call may make before it refuses
   * with `limit_exceeded`; default 10,000,000 (a daily 10-year horizon for 2,700 customers).
   * Raise it for bigger jobs, or use a coarser `period`.
   */
  readonly maxEvaluations?: number | undefined;
}

/** Default of {@link CustomerLifetimeValueOptions.maxEvaluations}: a few seconds of work. */
const DEFAULT_MAX_EVALUATIONS = 10_000_000;
const OPTION_KEYS = ['dataPeriod', 'period', 'horizon', 'discountRate', 'margin', 'maxEvaluations'] as const;

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
 * whole number of them. Returns one value per customer, in input order.
 *
 * Cost: O(n · horizon), memory O(n + horizon). With the models of this package each customer's
 * cumulative means at all `horizon` period ends come from one `cumulativePurchases` pass (the
 * hypergeometric function is continued from one period to the next, a few terms per period);
 * a model without that method gets `horizon` calls of `expectedPurchases`. The product
 * n · horizon is checked before any work against `maxEvaluations` (default 10⁷), so a huge
 * horizon is refused, never run.
 *
 * A repeat buyer whose repeat spend averages 0 (`monetary: 0`, e.g. only free or fully refunded
 * repeat orders) is valued like any other: Gamma-Gamma's expected spend is defined there
 * (shrunk towards the population mean); only `GammaGamma.fit` needs positive spend.
 *
 * @throws {CrmError} `invalid_argument` for a model without the role's methods or bad or unknown
 * options (a misspelled key names the nearest known one); `limit_exceeded` at
 * `['options', 'maxEvaluations']` when n · horizon exceeds it; `non_finite_result` if a value
 * overflows; the models' own errors for bad customers.
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
  if (options === null || options === undefined) {
    throw new CrmError('invalid_argument', 'options { dataPeriod, period, horizon, discountRate } are required', ['options']);
  }
  const o = readOptions(options, OPTION_KEYS, 'customerLifetimeValue');
  const step = unitInDays(o.period, 'period') / unitInDays(o.dataPeriod, 'dataPeriod');
  if (o.horizon === undefined) throw new CrmError('invalid_argument', 'option horizon is required (a whole number ≥ 1)', ['options', 'horizon']);
  if (o.discountRate === undefined) throw new CrmError('invalid_argument', 'option discountRate is required (a number > −1)', ['options', 'discountRate']);
  const horizon = numberOption(o, 'horizon', 1, { min: 1, integer: true });
  const rate = numberOption(o, 'discountRate', 0, { min: -1, minExclusive: true });
  const margin = numberOption(o, 'margin', 1);
  const maxEvaluations = numberOption(o, 'maxEvaluations', DEFAULT_MAX_EVALUATIONS, { min: 1 });
  const rows = checkArray(customers, 'customers') as readonly ClvCustomer[];
  checkCost(rows.length * horizon, maxEvaluations, 'maxEvaluations', `customerLifetimeValue over ${rows.length} customers × ${horizon} periods`, 'purchase-model evaluations');
  const discount = new Float64Array(horizon);
  for (let k = 0; k < horizon; k++) discount[k] = (1 + rate) ** -(k + 1);
  // k·step, with the last period landing exactly on horizon·step.
  const times = Array.from({ length: horizon }, (_, k) => (k + 1) * step);
  const curve = typeof purchaseModel.cumulativePurchases === 'function' ? purchaseModel.cumulativePurchases.bind(purchaseModel) : undefined;
  const out = new Array<number>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const c = rows[i] as ClvCustomer;
    const spend = spendModel.expectedSpend(c);
    const cumulative = curve !== undefined ? curve(times, c) : times.map((t) => purchaseModel.expectedPurchases(t, c));
    if (!Array.isArray(cumulative) || cumulative.length !== horizon) {
      throw new CrmError('invalid_argument', `purchaseModel.cumulativePurchases must return one number per time (${horizon})`, ['purchaseModel']);
    }
    let previous = 0;
    let value = 0;
    for (let k = 0; k < horizon; k++) {
      const now = cumulative[k] as number;
      value += (now - previous) * (discount[k] as number);
      previous = now;
    }
    out[i] = finiteResult(margin * spend * value, `the lifetime value of customer [${i}]`, ['customers', i]);
  }
  return out;
}
