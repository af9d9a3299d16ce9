import { CrmError } from '@crm/core';

/** Checks that the argument `name` is a whole number ≥ 0. */
export function checkCount(n: unknown, name = 'n'): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new CrmError('invalid_argument', `${name} must be a whole number ≥ 0, got ${String(n)}`, [name]);
  }
  return n;
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
