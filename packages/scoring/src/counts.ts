import { checkCost, CrmError, numberOption, readOptions } from '@crm/core';

/** Checks that the argument `name` is a whole number ≥ 0. */
export function checkCount(n: unknown, name = 'n'): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new CrmError('invalid_argument', `${name} must be a whole number ≥ 0, got ${String(n)}`, [name]);
  }
  return n;
}

/**
 * Options of the `probabilityOfPurchases` methods.
 *
 * @example
 * ```ts
 * import type { PurchaseCountOptions } from '@crm/scoring';
 * const options: PurchaseCountOptions = { maxTerms: 10_000_000 };
 * ```
 */
export interface PurchaseCountOptions {
  /**
   * Most terms the probability may sum before the call refuses with `limit_exceeded`: P(X(t) = n)
   * sums about n terms (each a hypergeometric series for Pareto/NBD). Default 1,000,000.
   */
  readonly maxTerms?: number | undefined;
}

/** Default of {@link PurchaseCountOptions.maxTerms}. */
const DEFAULT_MAX_TERMS = 1_000_000;

/** Reads `{ maxTerms }` and refuses a count n whose probability would need more terms. */
export function checkCountCost(options: unknown, n: number, where: string): void {
  const o = readOptions(options, ['maxTerms'], where);
  const maxTerms = numberOption(o, 'maxTerms', DEFAULT_MAX_TERMS, { min: 1 });
  checkCost(n + 1, maxTerms, 'maxTerms', `${where} with n = ${n}`, 'terms');
}

/**
 * P(N ≥ n) for N ~ NegBin with log-pmf `lnNbd`, summing whichever side is smaller so that tiny
 * tails keep their relative precision.
 */
export function negativeBinomialTail(lnNbd: (j: number) => number, r: number, lnQ: number, n: number): number {
  let below = 0;
  for (let j = 0; j < n; j++) below += Math.exp(lnNbd(j));
  if (below < 0.5) return 1 - below;
  // Upper tail Σ_{j ≥ n} pmf(j): term ratio (r + j)/(j + 1)·q tends to q < 1.
  const q = Math.exp(lnQ);
  let term = Math.exp(lnNbd(n));
  let sum = term;
  for (let j = n; j < n + 10_000_000; j++) {
    const ratio = ((r + j) / (j + 1)) * q;
    term *= ratio;
    sum += term;
    const bound = ratio > q ? ratio : q;
    if (bound < 1 && term * bound < 1e-17 * sum * (1 - bound)) break;
  }
  return sum;
}
