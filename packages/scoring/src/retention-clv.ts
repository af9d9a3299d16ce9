import { CrmError, finiteResult, numberOption, readOptions } from '@crm/core';

/**
 * Input of {@link retentionClv}.
 *
 * @example
 * ```ts
 * import type { RetentionClvInput } from '@crm/scoring';
 * const input: RetentionClvInput = { margin: 100, retention: 0.8, discountRate: 0.1, firstPeriod: 0 };
 * ```
 */
export interface RetentionClvInput {
  /** Margin per period while the customer is active. */
  readonly margin: number;
  /** Probability of staying from one period to the next, in [0, 1]. */
  readonly retention: number;
  /** Discount rate per period, > −1 (and > retention − 1 for an infinite horizon). */
  readonly discountRate: number;
  /** Number of periods (whole number ≥ 1); omitted for the infinite-horizon closed form. */
  readonly horizon?: number | undefined;
  /** Discount exponent of the first margin: `0` (paid now) or `1` (at the end of the first period). */
  readonly firstPeriod: 0 | 1;
  /** One-off acquisition cost, paid now (default 0). */
  readonly acquisitionCost?: number | undefined;
}

/**
 * Retention-based CLV (Gupta & Lehmann 2003; Berger & Nasr 1998): the customer pays `margin`
 * in every period they are active, is active in the first period, and stays each further
 * period with probability `retention` r. With q = r/(1 + d) and f = `firstPeriod`:
 * CLV = m/(1 + d)^f · (1 − q^H)/(1 − q) for H periods, and m/(1 + d)^f/(1 − q) without a horizon;
 * f = 0 gives Gupta & Lehmann's m(1 + d)/(1 + d − r), f = 1 gives m/(1 + d − r). A constant
 * retention ignores heterogeneity, which understates long-run value: see
 * {@link ShiftedBetaGeometric.discountedExpectedLifetime} for the heterogeneous version. O(1).
 *
 * The input object is read like an options object: an unknown or misspelled key is an error
 * (naming the nearest known one), and every path starts with `'options'`.
 *
 * @throws {CrmError} `invalid_argument` for unknown keys, retention outside [0, 1], d ≤ −1, a bad
 * horizon, or an infinite horizon with r ≥ 1 + d (the sum diverges); `non_finite_result` if the
 * value overflows.
 * @example
 * ```ts
 * import { retentionClv } from '@crm/scoring';
 * retentionClv({ margin: 100, retention: 0.8, discountRate: 0.1, firstPeriod: 0 });             // 100·1.1/0.3 ≈ 366.67
 * retentionClv({ margin: 100, retention: 0.8, discountRate: 0.1, firstPeriod: 1, horizon: 5 }); // five margins
 * ```
 */
export function retentionClv(input: RetentionClvInput): number {
  if (input === null || input === undefined) throw new CrmError('invalid_argument', 'retentionClv needs an input object', ['options']);
  const o = readOptions(input, ['margin', 'retention', 'discountRate', 'horizon', 'firstPeriod', 'acquisitionCost'], 'retentionClv');
  for (const key of ['margin', 'retention', 'discountRate'] as const) {
    if (o[key] === undefined) throw new CrmError('invalid_argument', `${key} is required`, ['options', key]);
  }
  const m = numberOption(o, 'margin', 0);
  const r = numberOption(o, 'retention', 0, { min: 0, max: 1 });
  const d = numberOption(o, 'discountRate', 0, { min: -1, minExclusive: true });
  if (o.firstPeriod !== 0 && o.firstPeriod !== 1) {
    throw new CrmError('invalid_argument', 'firstPeriod must be 0 (first margin now) or 1 (at the end of the first period)', ['options', 'firstPeriod']);
  }
  const acquisition = numberOption(o, 'acquisitionCost', 0);
  const q = r / (1 + d);
  const first = m / (1 + d) ** o.firstPeriod;
  if (o.horizon === undefined) {
    if (q >= 1) {
      throw new CrmError('invalid_argument', `retention ${r} ≥ 1 + discountRate: the infinite-horizon sum diverges; give a horizon`, ['options', 'horizon']);
    }
    return finiteResult(first / (1 - q) - acquisition, 'the retention lifetime value', ['options']);
  }
  const H = numberOption(o, 'horizon', 1, { min: 1, integer: true });
  // Closed form in O(1), so any horizon is cheap.
  const sum = q === 1 ? H : -Math.expm1(H * Math.log(q)) / (1 - q);
  return finiteResult(first * sum - acquisition, 'the retention lifetime value', ['options']);
}
