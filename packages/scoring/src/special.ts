// Special functions shared by the fitted CLV models. All work in double precision on positive
// arguments (the only ones the likelihoods need) and stay in log space where values overflow.

const HALF_LOG_TWO_PI = 0.9189385332046728;
const LANCZOS_G = 7;
const LANCZOS: readonly number[] = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
/** Above this argument the Stirling series (to x⁻⁹) is accurate to about 1e-15 relative. */
const STIRLING_FROM = 10;
/** Above this argument the digamma asymptotic series (to x⁻¹²) is accurate to about 1e-15. */
const DIGAMMA_FROM = 10;

/**
 * Natural log of the gamma function, ln Γ(x), for x > 0: Lanczos (g = 7, 9 terms) below 10 and
 * the Stirling series above, both accurate to about 1e-15 relative. O(1).
 * Returns `Infinity` at 0 and `NaN` for negative or NaN input (callers validate first).
 *
 * @example
 * ```ts
 * import { logGamma } from '@crm/scoring';
 * logGamma(5);   // ln 24 = 3.1780538303479458
 * logGamma(0.5); // ln √π = 0.5723649429247001
 * ```
 */
export function logGamma(x: number): number {
  if (!(x >= 0)) return Number.NaN;
  if (x === 0) return Number.POSITIVE_INFINITY;
  if (x >= STIRLING_FROM) {
    const inv = 1 / x;
    const inv2 = inv * inv;
    const series =
      inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188)))));
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series;
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

/**
 * The digamma function ψ(x) = d ln Γ(x)/dx for x > 0, by upward recurrence to x ≥ 10 and the
 * asymptotic series to x⁻¹² (accurate to about 1e-15). O(1).
 *
 * @example
 * ```ts
 * import { digamma } from '@crm/scoring';
 * digamma(1); // −γ = −0.5772156649015329
 * ```
 */
export function digamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
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
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0.
 *
 * @example
 * ```ts
 * import { logBeta } from '@crm/scoring';
 * logBeta(2, 3); // ln(1/12)
 * ```
 */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * ln(eᵃ + eᵇ) without overflow or underflow.
 *
 * @example
 * ```ts
 * import { logAddExp } from '@crm/scoring';
 * logAddExp(1000, 1000); // 1000 + ln 2
 * ```
 */
export function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * ln Σ exp(vᵢ) without overflow or underflow; −∞ for an empty list. O(n).
 *
 * @example
 * ```ts
 * import { logSumExp } from '@crm/scoring';
 * logSumExp([0, 0, 0, 0]); // ln 4
 * ```
 */
export function logSumExp(values: ArrayLike<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) > max) max = values[i] as number;
  if (max === Number.NEGATIVE_INFINITY || !Number.isFinite(max)) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp((values[i] as number) - max);
  return max + Math.log(sum);
}

/**
 * ln(e^(u) − e^(v)) for u ≥ v, keeping precision when the two are close. −∞ when u = v.
 *
 * @example
 * ```ts
 * import { logSubExp } from '@crm/scoring';
 * logSubExp(Math.log(3), Math.log(1)); // ln 2
 * ```
 */
export function logSubExp(u: number, v: number): number {
  if (v === Number.NEGATIVE_INFINITY) return u;
  const d = v - u;
  return u + (d > -Math.LN2 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
}

/** Relative size of the last series term at which the sum is taken as converged. */
const HYP2F1_TOLERANCE = 1e-16;
/** Hard cap on series terms: enough for z up to about 1 − 1e-5. */
const HYP2F1_MAX_TERMS = 2_000_000;
const RESCALE_AT = 1e250;

/**
 * ln ₂F₁(a, b; c; z), the Gauss hypergeometric function, for a, b, c > 0 and 0 ≤ z < 1, where
 * every term of the series Σ (a)ₖ(b)ₖ / ((c)ₖ k!) zᵏ is positive. The sum runs in rescaled
 * floating point so huge values (large a, b, as in high-frequency customers) do not overflow.
 * The cost grows like 1/(1 − z) near z = 1; past 2·10⁶ terms it gives up and returns `NaN`,
 * which the models turn into a `CrmError` or a rejected optimizer step.
 *
 * @example
 * ```ts
 * import { logHyp2f1 } from '@crm/scoring';
 * Math.exp(logHyp2f1(1, 1, 2, 0.5)); // −ln(1 − z)/z = 2 ln 2
 * ```
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): number {
  if (z === 0) return 0;
  if (!(z > 0 && z < 1 && a > 0 && b > 0 && c > 0)) return Number.NaN;
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let k = 0; k < HYP2F1_MAX_TERMS; k++) {
    const ratio = (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    term *= ratio;
    sum += term;
    // Later ratios tend to z, so with q = max(ratio, z) < 1 the tail is below term·q/(1 − q).
    const q = ratio > z ? ratio : z;
    if (q < 1 && term * q < HYP2F1_TOLERANCE * sum * (1 - q)) return logScale + Math.log(sum);
    if (sum > RESCALE_AT) {
      logScale += Math.log(sum);
      term /= sum;
      sum = 1;
    }
  }
  return Number.NaN;
}

/**
 * ln ₂F₁(a, b; a + 1; z) and its partial derivatives in a, b and z, for a, b > 0, 0 ≤ z < 1
 * (the form the Pareto/NBD likelihood needs). Writes [d/da, d/db, d/dz] of the log into `out`
 * and returns the log, or `NaN` when the series does not converge within the term cap.
 * Terms: tₖ = a/(a+k)·(b)ₖ/k!·zᵏ, so ∂ln tₖ/∂a = 1/a − 1/(a+k), ∂ln tₖ/∂b = Σ_{j<k} 1/(b+j),
 * ∂ln tₖ/∂z = k/z.
 */
export function logHyp2f1Shifted(a: number, b: number, z: number, out: Float64Array): number {
  out[0] = 0;
  out[1] = 0;
  out[2] = 0;
  if (z === 0) return 0;
  if (!(z > 0 && z < 1 && a > 0 && b > 0)) return Number.NaN;
  let term = 1;
  let sum = 1;
  let sumA = 0;
  let sumB = 0;
  let sumZ = 0;
  let harmonic = 0;
  let logScale = 0;
  const invA = 1 / a;
  for (let k = 0; k < HYP2F1_MAX_TERMS; k++) {
    const ratio = (((a + k) * (b + k)) / ((a + k + 1) * (k + 1))) * z;
    harmonic += 1 / (b + k);
    term *= ratio;
    sum += term;
    sumA += term * (invA - 1 / (a + k + 1));
    sumB += term * harmonic;
    sumZ += term * (k + 1);
    const q = ratio > z ? ratio : z;
    if (q < 1 && term * q * (k + 2) < HYP2F1_TOLERANCE * sum * (1 - q) * (1 - q)) {
      out[0] = sumA / sum;
      out[1] = sumB / sum;
      out[2] = sumZ / (sum * z);
      return logScale + Math.log(sum);
    }
    if (sum > RESCALE_AT) {
      logScale += Math.log(sum);
      term /= sum;
      sumA /= sum;
      sumB /= sum;
      sumZ /= sum;
      sum = 1;
    }
  }
  return Number.NaN;
}
