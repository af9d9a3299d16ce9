// Special functions shared by the packages: ln Γ (the CLV models of @crm/scoring), the chi-square
// tail and the normal quantile (the survival models of @crm/churn). They live here so that no
// sibling package depends on another for them. Outside their domain they throw a CrmError naming
// the argument; they never return NaN.
import { CrmError } from './errors.ts';

const HALF_LOG_TWO_PI = 0.9189385332046728;
const LANCZOS_G = 7;
const LANCZOS: readonly number[] = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
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

/** Largest degrees of freedom accepted: the series and continued fraction need O(√df) terms. */
const MAX_DF = 1e7;
/** Relative size of the last term at which a series or continued fraction has converged. */
const GAMMA_EPS = 1e-16;
/** Hard cap on terms (about 50·√MAX_DF; never reached in the accepted domain, a guard against hangs). */
const GAMMA_MAX_TERMS = 200_000;
/** Lentz's guard against a zero denominator. */
const TINY = 1e-300;

/**
 * The regularised upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a) for a > 0, x ≥ 0:
 * the power series of P = 1 − Q below x = a + 1 and Legendre's continued fraction of Q above
 * (evaluated by the modified Lentz method), each to about 1e-15 relative (Numerical Recipes §6.2).
 */
function gammaQ(a: number, x: number): number {
  if (x === 0) return 1;
  const logPrefactor = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < GAMMA_MAX_TERMS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * GAMMA_EPS) return 1 - sum * Math.exp(logPrefactor);
    }
  } else {
    let b = x + 1 - a;
    let c = 1 / TINY;
    let d = 1 / b;
    let h = d;
    for (let i = 1; i < GAMMA_MAX_TERMS; i++) {
      const an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < TINY) d = TINY;
      c = b + an / c;
      if (Math.abs(c) < TINY) c = TINY;
      d = 1 / d;
      const delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < GAMMA_EPS) return Math.exp(logPrefactor) * h;
    }
  }
  throw new CrmError('not_converged', `the incomplete gamma function Q(${a}, ${x}) did not converge in ${GAMMA_MAX_TERMS} terms`, ['x']);
}

/**
 * Upper tail of the chi-square distribution, P(χ²_df > x): the p-value of a chi-square statistic
 * (the log-rank test, Wald and likelihood-ratio tests). Computed as the regularised upper
 * incomplete gamma function Q(df/2, x/2), accurate to about 1e-14 relative (R's
 * `pchisq(x, df, lower.tail = FALSE)`). Very large statistics give p-values that underflow to 0,
 * as in R. O(√df) at worst.
 *
 * @param x The statistic, finite and ≥ 0.
 * @param df Degrees of freedom, finite, > 0 and ≤ 1e7 (need not be an integer).
 * @throws {CrmError} `invalid_argument` at `['x']` or `['df']` outside those ranges.
 * @example
 * ```ts
 * import { chiSquareSurvival } from '@crm/core';
 * chiSquareSurvival(3.841458820694124, 1); // ≈ 0.05
 * chiSquareSurvival(2, 2);                 // e^-1 ≈ 0.36787944117144
 * ```
 */
export function chiSquareSurvival(x: number, df: number): number {
  numeric('chiSquareSurvival', 'x', x);
  numeric('chiSquareSurvival', 'df', df);
  if (!Number.isFinite(x) || x < 0) outside('chiSquareSurvival', 'x', x, 'must be a finite number ≥ 0');
  if (!Number.isFinite(df) || !(df > 0) || df > MAX_DF) {
    outside('chiSquareSurvival', 'df', df, `must be a finite number > 0 and ≤ ${MAX_DF}`);
  }
  return gammaQ(df / 2, x / 2);
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
 * accurate to about 1e-16 relative, the algorithm of R's `qnorm`. O(1).
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
  r = Math.sqrt(-Math.log(r));
  const v = r <= SPLIT2 ? poly(C, r - CONST2) / poly(D, r - CONST2) : poly(E, r - SPLIT2) / poly(F, r - SPLIT2);
  return q < 0 ? -v : v;
}
