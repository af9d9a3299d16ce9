import { CrmError, finiteResult, numberOption, readOptions } from '@crm/core';

/**
 * Input of {@link discountedClv}.
 *
 * @example
 * ```ts
 * import type { DiscountedClvInput } from '@crm/scoring';
 * const input: DiscountedClvInput = { revenue: [100, 100, 100], cost: [40, 40, 40], discountRate: 0.1, firstPeriod: 1 };
 * ```
 */
export interface DiscountedClvInput {
  /** Expected revenue per period, in order. */
  readonly revenue: readonly number[];
  /** Expected cost to serve per period (same length as `revenue`; default all 0). */
  readonly cost?: readonly number[] | undefined;
  /** Discount rate per period (0.1 = 10 %), > −1. */
  readonly discountRate: number;
  /** One-off cost of acquiring the customer, paid now (undiscounted; default 0). */
  readonly acquisitionCost?: number | undefined;
  /**
   * Discount exponent of the first period: `0` when the first cash flow comes now (undiscounted),
   * `1` when it comes at the end of the first period. Required: the two conventions differ by a
   * factor (1 + d) and both are common.
   */
  readonly firstPeriod: 0 | 1;
}

/**
 * Customer lifetime value as discounted cash flow (Berger & Nasr 1998; Gupta & Lehmann 2003):
 * CLV = Σₜ (revenueₜ − costₜ) / (1 + d)^(t + firstPeriod) − acquisitionCost, t = 0, 1, …
 * O(periods).
 *
 * The input object is read like an options object: an unknown or misspelled key is an error
 * (naming the nearest known one), and every path starts with `'options'`.
 *
 * @throws {CrmError} `invalid_argument` for unknown keys, non-finite values, mismatched lengths,
 * d ≤ −1 or a missing `firstPeriod`; `non_finite_result` if the sum overflows.
 * @example
 * ```ts
 * import { discountedClv } from '@crm/scoring';
 * // 3 years of $60 margin, 10 % a year, received at each year's end, $50 to acquire:
 * discountedClv({ revenue: [100, 100, 100], cost: [40, 40, 40], discountRate: 0.1, firstPeriod: 1, acquisitionCost: 50 });
 * // 60/1.1 + 60/1.21 + 60/1.331 − 50 ≈ 99.21
 * ```
 */
export function discountedClv(input: DiscountedClvInput): number {
  if (input === null || input === undefined) throw new CrmError('invalid_argument', 'discountedClv needs an input object', ['options']);
  const o = readOptions(input, ['revenue', 'cost', 'discountRate', 'acquisitionCost', 'firstPeriod'], 'discountedClv');
  const revenue = o.revenue;
  if (!Array.isArray(revenue) || revenue.length === 0) {
    throw new CrmError('invalid_argument', 'revenue must be a non-empty array of numbers', ['options', 'revenue']);
  }
  const cost = o.cost;
  if (cost !== undefined && (!Array.isArray(cost) || cost.length !== revenue.length)) {
    throw new CrmError('invalid_argument', `cost must be an array as long as revenue (${revenue.length})`, ['options', 'cost']);
  }
  if (o.firstPeriod !== 0 && o.firstPeriod !== 1) {
    throw new CrmError('invalid_argument', 'firstPeriod must be 0 (first cash flow now) or 1 (at the end of the first period)', ['options', 'firstPeriod']);
  }
  const first = o.firstPeriod;
  const d = numberOption(o, 'discountRate', Number.NaN, { min: -1, minExclusive: true });
  if (Number.isNaN(d)) throw new CrmError('invalid_argument', 'discountRate is required (a number > −1)', ['options', 'discountRate']);
  const acquisition = numberOption(o, 'acquisitionCost', 0);
  let value = -acquisition;
  for (let t = 0; t < revenue.length; t++) {
    const r = finiteEntry(revenue, t, 'revenue');
    const c = cost === undefined ? 0 : finiteEntry(cost as unknown[], t, 'cost');
    value += (r - c) / (1 + d) ** (t + first);
  }
  return finiteResult(value, 'the discounted lifetime value', ['options', 'revenue']);
}

function finiteEntry(values: readonly unknown[], t: number, name: string): number {
  const v = values[t];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new CrmError('invalid_argument', `${name}[${t}] must be a finite number, got ${String(v)}`, ['options', name, t]);
  }
  return v;
}
