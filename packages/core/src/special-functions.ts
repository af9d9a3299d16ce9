// Distribution tails for the statistical tests of the model packages (Wald, likelihood-ratio and
// score tests, the proportional-hazards check). Computed with core's portable log/exp, so a
// p-value is the same double in every engine.
import { CrmError } from './errors.ts';
import { portableExp, portableLog } from './detmath.ts';

/** ln √(2π). */
const HALF_LOG_TWO_PI = 0.9189385332046728;
/** Lanczos coefficients (g = 7, 9 terms): ln Γ to about 1e-15 relative for x ≥ 0.5. */
const LANCZOS_G = 7;
const LANCZOS: readonly number[] = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
/** Relative precision at which the series and the continued fraction stop (a few ulps). */
const EPSILON = 1e-16;
/** Most terms of the series or the continued fraction; both need far fewer for df ≤ 1e6. */
const MAX_TERMS = 100_000;
/** Guards the modified Lentz recursion against division by zero. */
const TINY = 1e-300;
/** Largest degrees of freedom accepted: beyond it the terms needed grow like √df and a normal approximation is the better tool. */
const MAX_DF = 1e7;

/** ln Γ(a) for a > 0 (here a = df/2 ≥ 0.5 when called from the tail; the reflection covers a < 0.5). */
function logGammaPositive(a: number): number {
  if (a < 0.5) return portableLog(Math.PI / Math.sin(Math.PI * a)) - logGammaPositive(1 - a);
  const y = a - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] as number) / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (y + 0.5) * portableLog(t) - t + portableLog(sum);
}

/** P(a, x) by its power series, for x < a + 1. */
function lowerSeries(a: number, x: number, logPrefix: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * portableExp(logPrefix);
}

/** Q(a, x) by its continued fraction (modified Lentz), for x ≥ a + 1. */
function upperFraction(a: number, x: number, logPrefix: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return portableExp(logPrefix) * h;
}

/**
 * Upper tail of the chi-square distribution, P(χ²_df > x): the p-value of a chi-square test
 * statistic (Wald, likelihood-ratio, score and log-rank tests; df = 1 gives the two-sided p of a
 * z statistic as `chiSquareSurvival(z * z, 1)`). It is the regularised upper incomplete gamma
 * function Q(df/2, x/2), by its series below x/2 = df/2 + 1 and its continued fraction above
 * (Numerical Recipes §6.2), accurate to about 1e-14 relative, tails far below 1e-300 included
 * (they round to 0 only below the smallest double). O(√df) terms at most.
 *
 * @param x The statistic, ≥ 0 (0 gives 1).
 * @param df Degrees of freedom, > 0 (fractional allowed), at most 1e7.
 * @throws {CrmError} `invalid_argument` at `['x']` or `['df']` for a non-number, NaN, ±Infinity or a value out of range.
 * @example
 * ```ts
 * import { chiSquareSurvival } from '@crm/core';
 * chiSquareSurvival(3.841458820694124, 1); // 0.05
 * chiSquareSurvival(1.96 ** 2, 1);         // 0.04999579… (two-sided p of z = 1.96)
 * chiSquareSurvival(0, 3);                 // 1
 * ```
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (typeof df !== 'number' || !Number.isFinite(df) || !(df > 0) || df > MAX_DF) {
    throw new CrmError('invalid_argument', `chiSquareSurvival: df must be a finite number > 0 and ≤ ${MAX_DF}, got ${String(df)}`, ['df']);
  }
  if (typeof x !== 'number' || !Number.isFinite(x) || !(x >= 0)) {
    throw new CrmError('invalid_argument', `chiSquareSurvival: x must be a finite number ≥ 0, got ${String(x)}`, ['x']);
  }
  if (x === 0) return 1;
  const a = df / 2;
  const half = x / 2;
  // x^a e^(−x) / Γ(a), in logs: both factors overflow long before their quotient does.
  const logPrefix = a * portableLog(half) - half - logGammaPositive(a);
  if (half < a + 1) {
    const lower = lowerSeries(a, half, logPrefix);
    return lower >= 1 ? 0 : 1 - lower;
  }
  const upper = upperFraction(a, half, logPrefix);
  return upper > 1 ? 1 : upper;
}
