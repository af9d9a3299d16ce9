// Special functions shared by the packages: ln Γ (the CLV models of @crm/scoring), the chi-square
// tail (the statistical tests of the model packages: Wald, likelihood-ratio and score tests, the
// proportional-hazards check, the log-rank test) and the normal quantile (confidence intervals).
// They live here so that no sibling package depends on another for them. Outside their domain
// they throw a CrmError naming the argument; they never return NaN. The chi-square tail and the
// normal quantile use core's portable log/exp, so a p-value or a z is the same double in every
// engine; ln Γ keeps Math.log, as the CLV fits were tuned and tested with it.
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

/** Above this argument the Stirling series (to x⁻⁹) is accurate to about 1e-15 relative. */
const STIRLING_FROM = 10;
/** Below this, ln Γ(x) = −ln x − γx to double precision (the next term is π²x²/12). */
const TINY_GAMMA_ARGUMENT = 2 ** -30;
const EULER_GAMMA = 0.5772156649015329;

/** Rejects non-numbers (a string such as '1e999' compares like a number but computes like text). */
function numeric(fn: string, key: string, value: unknown): void {
  if (typeof value !== 'number') {
    throw new CrmError('invalid_argument', `${fn}: ${key} must be a number, got ${typeof value}`, [key]);
  }
}

function outside(fn: string, key: string, value: number, why: string): never {
  throw new CrmError('invalid_argument', `${fn}: ${key} = ${String(value)} ${why}`, [key]);
}

/** sin(πx) with exact argument reduction, so that large and integer x stay exact. */
function sinPi(x: number): number {
  const r = x - 2 * Math.round(x / 2); // in [−1, 1], exact
  if (r === 0 || r === 1 || r === -1) return 0;
  return Math.sin(Math.PI * r);
}

/** Stirling's correction series s(x) = ln Γ(x) − [(x − ½) ln x − x + ½ ln 2π], for x ≥ STIRLING_FROM. */
function stirlingSeries(x: number): number {
  const inv = 1 / x;
  const inv2 = inv * inv;
  return inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188)))));
}

/**
 * Natural log of the absolute value of the gamma function, ln |Γ(x)|: Lanczos (g = 7, 9 terms)
 * below 10 and the Stirling series above, both accurate to about 1e-15 relative; negative
 * non-integers by the reflection Γ(x)Γ(1 − x) = π / sin(πx) (there Γ(x) may be negative: the
 * result is the log of its absolute value, as `scipy.special.gammaln` does). O(1).
 *
 * @throws {CrmError} `invalid_argument` at `['x']` for a non-number, NaN, ±Infinity and at the poles
 * x = 0, −1, −2, … (where Γ is infinite); `non_finite_result` above about 2.5e305, where ln Γ(x)
 * itself exceeds the largest double.
 * @example
 * ```ts
 * import { logGamma } from '@crm/core';
 * logGamma(5);    // ln 24 ≈ 3.1780538303479
 * logGamma(0.5);  // ln √π ≈ 0.57236494292470
 * logGamma(-2.5); // ln |Γ(−2.5)| = ln(8√π/15) ≈ −0.05624371649768
 * ```
 */
export function logGamma(x: number): number {
  numeric('logGamma', 'x', x);
  if (x > 0 && x < TINY_GAMMA_ARGUMENT) return -Math.log(x) - EULER_GAMMA * x;
  if (x >= STIRLING_FROM) {
    if (x === Number.POSITIVE_INFINITY) outside('logGamma', 'x', x, 'is not finite');
    const v = (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + stirlingSeries(x);
    if (v === Number.POSITIVE_INFINITY) {
      throw new CrmError('non_finite_result', `logGamma: ln Γ(${x}) exceeds the largest double`, ['x']);
    }
    return v;
  }
  if (!(x > 0)) {
    if (!Number.isFinite(x)) outside('logGamma', 'x', x, 'is not finite');
    const s = sinPi(x);
    if (s === 0) outside('logGamma', 'x', x, 'is a pole of Γ (0, −1, −2, …): ln |Γ| is infinite there');
    // |Γ(x)| = π / (|sin πx| · Γ(1 − x)), with 1 − x > 1.
    return Math.log(Math.PI / Math.abs(s)) - logGamma(1 - x);
  }
  if (x < 0.5) {
    // Reflection keeps Lanczos in its accurate range: Γ(x)Γ(1−x) = π / sin(πx).
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const y = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] as number) / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Above this argument the digamma asymptotic series (to x⁻¹²) is accurate to about 1e-15. */
const DIGAMMA_FROM = 10;

/**
 * The digamma function ψ(x) = d ln Γ(x)/dx: for x > 0 by upward recurrence to x ≥ 10 and the
 * asymptotic series to x⁻¹² (accurate to about 1e-15); for negative non-integers by the
 * reflection ψ(x) = ψ(1 − x) − π / tan(πx). O(1).
 *
 * @throws {CrmError} `invalid_argument` at `['x']` for a non-number, NaN, ±Infinity and at the poles
 * x = 0, −1, −2, … (where ψ is infinite); `non_finite_result` where ψ(x) itself exceeds the
 * largest double (|x| within about 5.6e-309 of a pole).
 * @example
 * ```ts
 * import { digamma } from '@crm/core';
 * digamma(1);    // −γ ≈ −0.57721566490153
 * digamma(-0.5); // = ψ(1.5) (cot(−π/2) = 0) = 2 − γ − 2 ln 2 ≈ 0.03648997397858
 * ```
 */
export function digamma(x: number): number {
  numeric('digamma', 'x', x);
  const v = digammaOf(x);
  if (!Number.isFinite(v)) throw new CrmError('non_finite_result', `digamma: ψ(${x}) is beyond the largest double`, ['x']);
  return v;
}

function digammaOf(x: number): number {
  if (!(x > 0) || x === Number.POSITIVE_INFINITY) {
    if (!Number.isFinite(x)) outside('digamma', 'x', x, 'is not finite');
    const s = sinPi(x);
    if (s === 0) outside('digamma', 'x', x, 'is a pole of ψ (0, −1, −2, …)');
    // π cot(πx) = π cos(πx)/sin(πx); cos(πx) = sin(π(x + 1/2)).
    return digamma(1 - x) - (Math.PI * sinPi(x + 0.5)) / s;
  }
  let shift = 0;
  while (x < DIGAMMA_FROM) {
    shift -= 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    shift +
    Math.log(x) -
    0.5 * inv -
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760))))))
  );
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0 (where B is positive). O(1).
 *
 * @throws {CrmError} `invalid_argument` at `['a']` or `['b']` unless both are finite and > 0.
 * @example
 * ```ts
 * import { logBeta } from '@crm/core';
 * logBeta(2, 3); // ln(1/12)
 * ```
 */
export function logBeta(a: number, b: number): number {
  numeric('logBeta', 'a', a);
  numeric('logBeta', 'b', b);
  if (!(a > 0) || a === Number.POSITIVE_INFINITY) outside('logBeta', 'a', a, 'must be a finite number > 0');
  if (!(b > 0) || b === Number.POSITIVE_INFINITY) outside('logBeta', 'b', b, 'must be a finite number > 0');
  return lnBetaStable(a, b);
}

/**
 * Above this larger argument ln B is taken from Stirling's series in differences, because
 * ln Γ(b) − ln Γ(a + b) cancels (an absolute error near 1e-16 · b ln b) and ln Γ overflows near 1e305.
 */
const BETA_ASYMPTOTIC_FROM = 2 ** 24;

/** ln B(a, b) for finite a, b > 0 (checked by the caller), finite whenever the true value is a double. */
function lnBetaStable(a: number, b: number): number {
  const big = a > b ? a : b;
  const small = a > b ? b : a;
  if (big < BETA_ASYMPTOTIC_FROM) return logGamma(a) + logGamma(b) - logGamma(a + b);
  // ln(big + small) without forming big + small, which can overflow.
  const ratio = small / big;
  const lnSum = Math.log(big) + Math.log1p(ratio);
  const sumSeries = stirlingSeries(big + small); // 0 when big + small overflows, its limit
  if (small >= STIRLING_FROM) {
    // Both large: ln B = (a−½)ln(a/(a+b)) + (b−½)ln(b/(a+b)) − ½ln(a+b) + ½ln 2π + s(a) + s(b) − s(a+b).
    const lnSmallShare = Math.log(ratio) - Math.log1p(ratio);
    return (
      -(big - 0.5) * Math.log1p(ratio) +
      (small - 0.5) * lnSmallShare -
      0.5 * lnSum +
      HALF_LOG_TWO_PI +
      stirlingSeries(small) +
      (stirlingSeries(big) - sumSeries)
    );
  }
  // ln Γ(big) − ln Γ(big + small) = −(big − ½) ln(1 + small/big) − small · ln(big + small) + small + s(big) − s(big + small).
  return logGamma(small) - (big - 0.5) * Math.log1p(ratio) - small * lnSum + small + (stirlingSeries(big) - sumSeries);
}

// Wichura's algorithm AS 241 (PPND16), Applied Statistics 37 (1988) 477–484: rational
// approximations accurate to about 1e-16 relative, as R's qnorm uses.
const SPLIT1 = 0.425;
const SPLIT2 = 5;
const CONST1 = 0.180625;
const CONST2 = 1.6;
const A = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457,
  67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
] as const;
const B = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061,
  28729.085735721942674, 5226.495278852545925,
] as const;
const C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258,
  0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
] as const;
const D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
] as const;
const E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093,
  0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
] as const;
const F = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
] as const;

function poly(c: readonly number[], x: number): number {
  let v = 0;
  for (let i = c.length - 1; i >= 0; i--) v = v * x + (c[i] as number);
  return v;
}

/**
 * Quantile function of the standard normal distribution, Φ⁻¹(p): the z of a confidence level
 * (`normalQuantile(0.975)` ≈ 1.959963984540054 for 95 % two-sided intervals). Wichura's AS 241,
 * accurate to about 1e-16 relative, the algorithm of R's `qnorm`; the same double in every engine
 * (portable log). O(1).
 *
 * @param p A probability strictly between 0 and 1.
 * @throws {CrmError} `invalid_argument` at `['p']` unless 0 < p < 1 (the quantile is infinite at 0 and 1).
 * @example
 * ```ts
 * import { normalQuantile } from '@crm/core';
 * normalQuantile(0.975); // ≈ 1.959963984540054
 * normalQuantile(0.5);   // 0
 * ```
 */
export function normalQuantile(p: number): number {
  numeric('normalQuantile', 'p', p);
  if (!(p > 0 && p < 1)) outside('normalQuantile', 'p', p, 'must be strictly between 0 and 1');
  const q = p - 0.5;
  if (Math.abs(q) <= SPLIT1) {
    const r = CONST1 - q * q;
    return (q * poly(A, r)) / poly(B, r);
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-portableLog(r));
  const v = r <= SPLIT2 ? poly(C, r - CONST2) / poly(D, r - CONST2) : poly(E, r - SPLIT2) / poly(F, r - SPLIT2);
  return q < 0 ? -v : v;
}
