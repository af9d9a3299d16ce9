import { CrmError } from '@crm/core';
import { checkFinite } from './checks.ts';

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
 * @throws {CrmError} `invalid_argument` for non-finite values, mismatched lengths, d ≤ −1 or a
 * missing `firstPeriod`.
 * @example
 * ```ts
 * import { discountedClv } from '@crm/scoring';
 * // 3 years of $60 margin, 10 % a year, received at each year's end, $50 to acquire:
 * discountedClv({ revenue: [100, 100, 100], cost: [40, 40, 40], discountRate: 0.1, firstPeriod: 1, acquisitionCost: 50 });
 * // 60/1.1 + 60/1.21 + 60/1.331 − 50 ≈ 99.21
 * ```
 */
export function discountedClv(input: DiscountedClvInput): number {
  if (input === null || typeof input !== 'object') throw new CrmError('invalid_argument', 'discountedClv needs an input object', []);
  if (!Array.isArray(input.revenue) || input.revenue.length === 0) {
    throw new CrmError('invalid_argument', 'revenue must be a non-empty array of numbers', ['revenue']);
  }
  if (input.cost !== undefined && (!Array.isArray(input.cost) || input.cost.length !== input.revenue.length)) {
    throw new CrmError('invalid_argument', `cost must be an array as long as revenue (${input.revenue.length})`, ['cost']);
  }
  if (input.firstPeriod !== 0 && input.firstPeriod !== 1) {
    throw new CrmError('invalid_argument', 'firstPeriod must be 0 (first cash flow now) or 1 (at the end of the first period)', ['firstPeriod']);
  }
  const d = checkFinite(input.discountRate, ['discountRate'], (v) => v > -1, 'a number > −1');
  const acquisition = input.acquisitionCost === undefined ? 0 : checkFinite(input.acquisitionCost, ['acquisitionCost']);
  let value = -acquisition;
  for (let t = 0; t < input.revenue.length; t++) {
    const revenue = checkFinite(input.revenue[t], ['revenue', t]);
    const cost = input.cost === undefined ? 0 : checkFinite(input.cost[t], ['cost', t]);
    value += (revenue - cost) / (1 + d) ** (t + input.firstPeriod);
  }
  return value;
}
