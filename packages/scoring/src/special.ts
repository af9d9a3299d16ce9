// Special functions shared by the fitted CLV models. All work in double precision and stay in log
// space where values overflow. The exported ones never return NaN: outside their domain they
// throw a CrmError with the offending argument's name as the path; the models use the unchecked
// internal forms (lnAddExp, lnSubExp, lnHyp2f1), which pass NaN on to the caller's own check.
import { CrmError, digamma, logBeta, logGamma } from '@crm/core';

// ln Γ, ψ and ln B live in @crm/core (the survival models of @crm/churn need them too); re-exported here.
export { digamma, logBeta, logGamma };


/** Throws the error of a special function called outside its domain. */
/** Rejects non-numbers (a string such as '1e999' compares like a number but computes like text). */
function numeric(fn: string, key: string, value: unknown): void {
  if (typeof value !== 'number') {
    throw new CrmError('invalid_argument', `${fn}: ${key} must be a number, got ${typeof value}`, [key]);
  }
}

function outside(fn: string, key: string, value: number, why: string): never {
  throw new CrmError('invalid_argument', `${fn}: ${key} = ${String(value)} ${why}`, [key]);
}

/** Checks a log-space argument: a number below +∞ (−∞ stands for ln 0). */
function checkLog(fn: string, key: string, v: number): void {
  if (typeof v !== 'number' || Number.isNaN(v) || v === Number.POSITIVE_INFINITY) {
    outside(fn, key, v, 'must be a number or −Infinity (ln 0), not NaN or +Infinity');
  }
}

/** ln(eᵃ + eᵇ) for a, b < +∞ (or NaN from an internal caller, passed on); internal. */
export function lnAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * ln(eᵃ + eᵇ) without overflow or underflow. O(1).
 *
 * @throws {CrmError} `invalid_argument` at `['a']` or `['b']` for NaN or +Infinity (−Infinity is ln 0 and allowed).
 * @example
 * ```ts
 * import { logAddExp } from '@crm/scoring';
 * logAddExp(1000, 1000); // 1000 + ln 2
 * ```
 */
export function logAddExp(a: number, b: number): number {
  numeric('logAddExp', 'a', a);
  numeric('logAddExp', 'b', b);
  checkLog('logAddExp', 'a', a);
  checkLog('logAddExp', 'b', b);
  return lnAddExp(a, b);
}

/**
 * ln Σ exp(vᵢ) without overflow or underflow; −∞ for an empty list or when every value is −∞. O(n).
 *
 * @throws {CrmError} `invalid_argument` at `['values', i]` for NaN or +Infinity.
 * @example
 * ```ts
 * import { logSumExp } from '@crm/scoring';
 * logSumExp([0, 0, 0, 0]); // ln 4
 * ```
 */
export function logSumExp(values: ArrayLike<number>): number {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new CrmError('invalid_argument', 'logSumExp: values must be an array of numbers', ['values']);
  }
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (typeof v !== 'number' || Number.isNaN(v) || v === Number.POSITIVE_INFINITY) {
      throw new CrmError('invalid_argument', `logSumExp: values[${i}] = ${String(v)} must be a number or −Infinity`, ['values', i]);
    }
    if (v > max) max = v;
  }
  if (max === Number.NEGATIVE_INFINITY) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp((values[i] as number) - max);
  return max + Math.log(sum);
}

/** ln(e^u − e^v) for u ≥ v; NaN passes through; internal. */
export function lnSubExp(u: number, v: number): number {
  if (v === Number.NEGATIVE_INFINITY) return u;
  const d = v - u;
  return u + (d > -Math.LN2 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
}

/**
 * ln(e^(u) − e^(v)) for u ≥ v, keeping precision when the two are close. −∞ when u = v. O(1).
 *
 * @throws {CrmError} `invalid_argument` at `['v']` when v > u (the difference is negative, its log
 * undefined), and for NaN or +Infinity arguments.
 * @example
 * ```ts
 * import { logSubExp } from '@crm/scoring';
 * logSubExp(Math.log(3), Math.log(1)); // ln 2
 * ```
 */
export function logSubExp(u: number, v: number): number {
  numeric('logSubExp', 'u', u);
  numeric('logSubExp', 'v', v);
  checkLog('logSubExp', 'u', u);
  checkLog('logSubExp', 'v', v);
  if (v > u) outside('logSubExp', 'v', v, `exceeds u = ${u}: e^u − e^v is negative and has no real log`);
  return lnSubExp(u, v);
}

/** Relative size of the last series term at which the sum is taken as converged. */
const HYP2F1_TOLERANCE = 1e-16;
/** Hard cap on series terms (never reached within the documented domain; a guard against hangs). */
const HYP2F1_MAX_TERMS = 2_000_000;
const RESCALE_AT = 1e250;
/** Above this many series terms ₂F₁(a, b; a + 1; z) is integrated instead (2·QUADRATURE_HALF_NODES + 1 nodes). */
const QUADRATURE_FROM_TERMS = 4000;
/** exp-sinh quadrature: nodes t = k·h for |k| ≤ this, h = QUADRATURE_STEP. */
const QUADRATURE_HALF_NODES = 144;
const QUADRATURE_STEP = 1 / 32;
/** The alternating series in z/(1 − z) is used when its term ratio starts at most at this. */
const PFAFF_MAX_START_RATIO = 0.5;
/** Above this z the series is summed at this z and continued along the hypergeometric equation. */
const HYP2F1_SERIES_UP_TO = 0.5;
/** A continuation step covers at most this share of the distance to the singularity at z = 1. */
const HYP2F1_STEP_SHARE = 0.5;
/**
 * Beyond z = 1/2 the direct series is still tried first with this many terms: with huge b and c
 * (a fit at the edge of its range) it converges at once, while the continuation's recurrence
 * cancels there and would exhaust its term cap before failing.
 */
const HYP2F1_QUICK_TERMS = 2000;

/**
 * ln ₂F₁(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1 (every series term positive), or `NaN` when
 * the series would need more than its term cap; internal (the public {@link logHyp2f1} checks
 * its arguments and throws instead).
 *
 * For z ≤ 1/2 the Gauss series is summed directly, in rescaled floating point so huge values
 * do not overflow. Beyond, the cost of the series grows like 1/(1 − z), so the function is
 * summed at z = 1/2 and continued to z by Taylor steps of the hypergeometric differential
 * equation z(1−z)F″ + (c − (a+b+1)z)F′ − abF = 0, each covering at most half the remaining
 * distance to z = 1 and at most z·ln 2/(c − 1) ({@link continuationStep}): about
 * c + log₂(1/(1 − z)) ≤ c + 54 steps of some tens of terms. Every Taylor coefficient of F
 * about a point in (0, 1) is positive (F⁽ʲ⁾ = (a)ⱼ(b)ⱼ/(c)ⱼ · ₂F₁(a+j, b+j; c+j; z)), so the
 * steps add positive terms and keep full relative precision. All steps together stop at the
 * term cap (NaN), so c above about 10⁵ with z > 1/2 is out of reach.
 */
export function lnHyp2f1(a: number, b: number, c: number, z: number): number {
  if (z === 0) return 0;
  if (!(z > 0 && z < 1 && a > 0 && b > 0 && c > 0)) return Number.NaN;
  if (z <= HYP2F1_SERIES_UP_TO) return hyp2f1Series(a, b, c, z, undefined);
  const quick = hyp2f1Series(a, b, c, z, undefined, HYP2F1_QUICK_TERMS);
  if (!Number.isNaN(quick)) return quick;
  const state = hyp2f1Start(a, b, c, HYP2F1_SERIES_UP_TO);
  return hyp2f1Advance(a, b, c, state, z) ? state.lnF : Number.NaN;
}

/**
 * ln ₂F₁(a, b; c; zᵢ) at each of the non-decreasing `zs` (each in [0, 1)), written into `out`, in
 * one pass: the series is summed once at the first point and the function is continued from
 * each point to the next, so a grid of m close points costs O(m) short steps rather than m
 * full sums (as a CLV horizon needs). Entries are NaN where the continuation fails; internal.
 */
export function lnHyp2f1Path(a: number, b: number, c: number, zs: ArrayLike<number>, out: Float64Array): void {
  let state: Hyp2f1State | undefined;
  // With huge parameters the continuation's recurrence cancels; after its first failure the path
  // sums series instead, and the quick series is tried at most once beyond 1/2 unless it keeps
  // converging, so a failing path costs one failed step, not one per point.
  let continuationFails = false;
  let quickSeries: boolean | undefined;
  for (let i = 0; i < zs.length; i++) {
    const z = zs[i] as number;
    if (z === 0) {
      out[i] = 0;
      continue;
    }
    if (!(z > 0 && z < 1 && a > 0 && b > 0 && c > 0) || (state !== undefined && z < state.z)) {
      out[i] = Number.NaN;
      continue;
    }
    if (state !== undefined && !continuationFails && hyp2f1Advance(a, b, c, state, z)) {
      out[i] = state.lnF;
      continue;
    }
    if (state !== undefined) continuationFails = true;
    state = undefined;
    if (z <= HYP2F1_SERIES_UP_TO) {
      state = hyp2f1Start(a, b, c, z);
      out[i] = state.lnF;
      continue;
    }
    if (quickSeries !== false) {
      const quick = hyp2f1Series(a, b, c, z, undefined, HYP2F1_QUICK_TERMS);
      quickSeries = !Number.isNaN(quick);
      if (quickSeries) {
        out[i] = quick;
        continue;
      }
    }
    const fresh = hyp2f1Start(a, b, c, HYP2F1_SERIES_UP_TO);
    if (hyp2f1Advance(a, b, c, fresh, z)) {
      state = fresh;
      out[i] = fresh.lnF;
    } else {
      out[i] = Number.NaN;
    }
  }
}

/** Where a continuation stands: ln F(z) and F′(z)/F(z). */
interface Hyp2f1State {
  z: number;
  lnF: number;
  slope: number;
}

/** The Gauss series at z as a continuation state (NaN ln F when the series fails). */
function hyp2f1Start(a: number, b: number, c: number, z: number): Hyp2f1State {
  const slope = new Float64Array(1);
  const lnF = hyp2f1Series(a, b, c, z, slope);
  return { z, lnF, slope: slope[0] as number };
}

/**
 * The Gauss series at z in log space; when `slope` is given, also writes F′(z)/F(z) into it.
 */
function hyp2f1Series(a: number, b: number, c: number, z: number, slope: Float64Array | undefined, maxTerms = HYP2F1_MAX_TERMS): number {
  let term = 1;
  let sum = 1;
  let dsum = 0;
  let logScale = 0;
  for (let k = 0; k < maxTerms; k++) {
    const ratio = (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    term *= ratio;
    sum += term;
    // d/dz of term k+1 is (k+1)·term/z.
    dsum += (k + 1) * term;
    // Later ratios tend to z, so with q = max(ratio, z) < 1 the tail is below term·q/(1 − q);
    // the derivative's terms carry an extra factor k, hence the (k + 2) and the squared 1 − q.
    const q = ratio > z ? ratio : z;
    if (q < 1 && term * q * (k + 2) < HYP2F1_TOLERANCE * sum * (1 - q) * (1 - q)) {
      if (slope !== undefined) slope[0] = dsum / (sum * z);
      return logScale + Math.log(sum);
    }
    if (sum > RESCALE_AT) {
      logScale += Math.log(sum);
      term /= sum;
      dsum /= sum;
      sum = 1;
    }
  }
  return Number.NaN;
}

/**
 * The next continuation step from z towards z1: at most half the distance to either singular
 * point (0 and 1), and at most z·ln 2/(c − 1). The equation's other solution behaves like
 * z^(1−c), whose Taylor terms over a step h sum in absolute value to (1 − h/z)^(1−c); the last
 * bound keeps that near 2, so rounding in a step is not amplified (without it, for c in the
 * hundreds, those terms reach 1e16 and cancel, and the sum loses every digit). The steps number
 * about c + log₂(1/(1 − z1)).
 */
function continuationStep(c: number, z: number, z1: number): number {
  let h = Math.min(z1 - z, HYP2F1_STEP_SHARE * Math.min(z, 1 - z));
  if (c > 1) h = Math.min(h, (z * Math.LN2) / (c - 1));
  // A step the sum z + h represents exactly (z + h ≤ 2z, so the difference is exact): near z = 1
  // a rounded z would move the point by up to ε while ln F changes like (a + b − c)/(1 − z) there.
  return z + h - z;
}

/**
 * Continues `state` to z1 ≥ state.z by Taylor steps of the hypergeometric equation; false when
 * it fails. With F normalized to 1 at each step's start, the coefficients of F(z0 + w) = Σ cⱼwʲ
 * follow from the equation:
 * cⱼ₊₂ = [(j+a)(j+b)cⱼ − (j+1)((1−2z0)j + c − (a+b+1)z0)cⱼ₊₁] / (z0(1−z0)(j+1)(j+2)).
 * A step stays within half the distance to both singular points of the equation (0 and 1), so
 * the series converges at least like 2⁻ʲ and the recurrence's other solution cannot grow.
 */
function hyp2f1Advance(a: number, b: number, c: number, state: Hyp2f1State, z1: number): boolean {
  let z = state.z;
  let lnF = state.lnF;
  let slope = state.slope;
  if (Number.isNaN(lnF)) return false;
  let terms = 0;
  while (z < z1) {
    const h = continuationStep(c, z, z1);
    if (!(h > 0)) return false;
    const k0 = z * (1 - z);
    const lin = c - (a + b + 1) * z;
    // Coefficients times hʲ, so the sums are plain sums of (positive) terms.
    let prev = 1; // c₀h⁰
    let cur = slope * h; // c₁h¹
    let sum = 1 + cur;
    let dsum = slope; // Σ j·cⱼ·h^(j−1)
    let logScale = 0;
    const limit = h / (1 - z);
    for (let j = 0; ; j++) {
      if (++terms > HYP2F1_MAX_TERMS) return false;
      const next = (((j + a) * (j + b) * prev * h - (j + 1) * ((1 - 2 * z) * j + lin) * cur) * h) / (k0 * (j + 1) * (j + 2));
      sum += next;
      dsum += ((j + 2) * next) / h;
      const ratio = cur === 0 ? 0 : Math.abs(next / cur);
      const q = ratio > limit ? ratio : limit;
      prev = cur;
      cur = next;
      // The ratio of terms tends to h/(1 − z) ≤ 1/2; stop once the tail is below the tolerance.
      if (j > 0 && q < 1 && Math.abs(next) * (j + 3) <= HYP2F1_TOLERANCE * sum * (1 - q) * (1 - q)) break;
      if (sum > RESCALE_AT) {
        logScale += Math.log(sum);
        prev /= sum;
        cur /= sum;
        dsum /= sum;
        sum = 1;
      }
    }
    if (!(sum > 0) || !Number.isFinite(sum)) return false;
    lnF += logScale + Math.log(sum);
    slope = dsum / sum;
    z = h === z1 - z ? z1 : z + h;
  }
  state.z = z;
  state.lnF = lnF;
  state.slope = slope;
  return true;
}

/**
 * ln ₂F₁(a, b; c; z), the Gauss hypergeometric function, for a, b, c > 0 and 0 ≤ z < 1, where
 * every term of the series Σ (a)ₖ(b)ₖ / ((c)ₖ k!) zᵏ is positive. Stays in log space, so huge
 * values (large a, b, as in high-frequency customers) do not overflow. The series is summed
 * directly up to z = 1/2 and continued along the hypergeometric differential equation beyond, so
 * the cost stays bounded as z approaches 1: about c + log₂(1/(1 − z)) ≤ c + 54 continuation
 * steps of some tens of terms each, and never more than 2·10⁶ terms in all (beyond, as for c
 * above about 10⁵ with z > 1/2, it throws `non_finite_result` rather than run on).
 *
 * @throws {CrmError} `invalid_argument` at `['a']`, `['b']`, `['c']` or `['z']` outside that
 * domain (where terms change sign or the series diverges), `non_finite_result` if the sum
 * cannot be taken in double precision.
 * @example
 * ```ts
 * import { logHyp2f1 } from '@crm/scoring';
 * Math.exp(logHyp2f1(1, 1, 2, 0.5)); // −ln(1 − z)/z = 2 ln 2 ≈ 1.38629436111989
 * ```
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): number {
  for (const [key, v] of [['a', a], ['b', b], ['c', c], ['z', z]] as const) numeric('logHyp2f1', key, v);
  for (const [key, v] of [['a', a], ['b', b], ['c', c]] as const) {
    if (!(v > 0) || v === Number.POSITIVE_INFINITY) outside('logHyp2f1', key, v, 'must be a finite number > 0');
  }
  if (!(z >= 0 && z < 1)) outside('logHyp2f1', 'z', z, 'must be in [0, 1)');
  const v = lnHyp2f1(a, b, c, z);
  if (!Number.isFinite(v)) {
    throw new CrmError('non_finite_result', `logHyp2f1(${a}, ${b}, ${c}, ${z}) cannot be summed in double precision`, ['z']);
  }
  return v;
}

/**
 * ln ₂F₁(a, b; a + 1; z) and its partial derivatives in a, b and z, for a, b > 0, 0 ≤ z < 1
 * (the form the Pareto/NBD likelihood needs). Writes [d/da, d/db, d/dz] of the log into `out`
 * (when given) and returns the log, or `NaN` when a series does not converge within the term cap; internal.
 *
 * As {@link lnHyp2f1}: the Gauss series is summed directly up to z = 1/2 and the function is
 * continued beyond along the hypergeometric equation, so the cost stays bounded as z → 1 (where
 * the direct series needs about 40/(1 − z) terms). The derivatives in a and b are carried
 * through the continuation by differentiating its coefficient recurrence (c = a + 1 moves with a).
 * Series terms: tₖ = a/(a+k)·(b)ₖ/k!·zᵏ, so ∂ln tₖ/∂a = 1/a − 1/(a+k), ∂ln tₖ/∂b = Σ_{j<k} 1/(b+j),
 * ∂ln tₖ/∂z = k/z.
 */
export function logHyp2f1Shifted(a: number, b: number, z: number, out?: Float64Array): number {
  if (out !== undefined) out.fill(0, 0, 3);
  if (z === 0) return 0;
  if (!(z > 0 && z < 1 && a > 0 && b > 0)) return Number.NaN;
  // Gauss series terms grow while (b + k)z/(k + 1) > 1, then shrink at rate about z.
  const seriesTerms = (b * z + 40) / (1 - z);
  let state: ShiftedState | undefined;
  if (z <= HYP2F1_SERIES_UP_TO && seriesTerms <= QUADRATURE_FROM_TERMS) {
    if (out === undefined) return hyp2f1Series(a, b, a + 1, z, undefined);
    state = shiftedSeries(a, b, z);
  } else {
    // The alternating series in z/(1 − z) when it starts fast (large a); otherwise the cheapest
    // of the Gauss series, the continuation from z = 1/2 (about 30 terms for each of its
    // ≈ a + 2·log₂(1/(1 − z)) steps) and, when both need thousands of terms, the quadrature.
    state = shiftedPfaff(a, b, z);
    if (state === undefined) {
      const continuationTerms =
        z <= HYP2F1_SERIES_UP_TO ? Number.POSITIVE_INFINITY : 30 * (a + 2 + 2 * Math.log2(1 / (1 - z)));
      if (Math.min(seriesTerms, continuationTerms) > QUADRATURE_FROM_TERMS) {
        state = shiftedQuadrature(a, b, z);
      } else if (seriesTerms <= continuationTerms) {
        state = shiftedSeries(a, b, z);
      } else {
        state = shiftedSeries(a, b, HYP2F1_SERIES_UP_TO);
        if (!shiftedAdvance(a, b, state, z)) return Number.NaN;
      }
    }
  }
  if (out !== undefined) {
    out[0] = state.dA;
    out[1] = state.dB;
    out[2] = state.slope;
  }
  return state.lnF;
}

/**
 * Where the continuation of ln ₂F₁(a, b; a + 1; ·) stands: its value, its derivatives in a and
 * b, the slope F′/F and the slope's derivatives in a and b.
 */
interface ShiftedState {
  z: number;
  lnF: number;
  dA: number;
  dB: number;
  slope: number;
  slopeA: number;
  slopeB: number;
}

/** The Gauss series of ₂F₁(a, b; a + 1; z) at z ∈ (0, 1) as a {@link ShiftedState} (NaN ln F when it fails). */
function shiftedSeries(a: number, b: number, z: number): ShiftedState {
  let term = 1;
  let sum = 1;
  let sumA = 0;
  let sumB = 0;
  // Σ k·tₖ and its derivatives in a and b (z·F′ and its derivatives).
  let sumK = 0;
  let sumKA = 0;
  let sumKB = 0;
  let harmonic = 0;
  let logScale = 0;
  const invA = 1 / a;
  for (let k = 0; k < HYP2F1_MAX_TERMS; k++) {
    const ratio = (((a + k) * (b + k)) / ((a + k + 1) * (k + 1))) * z;
    harmonic += 1 / (b + k);
    term *= ratio;
    const ta = term * (invA - 1 / (a + k + 1));
    const tb = term * harmonic;
    sum += term;
    sumA += ta;
    sumB += tb;
    sumK += term * (k + 1);
    sumKA += ta * (k + 1);
    sumKB += tb * (k + 1);
    const q = ratio > z ? ratio : z;
    // The tail is below term·q/(1 − q); the k-weighted sums need the extra (k + 2)/(1 − q).
    if (q < 1 && term * q * (k + 2) * (1 + harmonic) < HYP2F1_TOLERANCE * sum * (1 - q) * (1 - q)) {
      const slope = sumK / (sum * z);
      return {
        z,
        lnF: logScale + Math.log(sum),
        dA: sumA / sum,
        dB: sumB / sum,
        slope,
        slopeA: (sumKA / z - slope * sumA) / sum,
        slopeB: (sumKB / z - slope * sumB) / sum,
      };
    }
    if (sum > RESCALE_AT) {
      logScale += Math.log(sum);
      term /= sum;
      sumA /= sum;
      sumB /= sum;
      sumK /= sum;
      sumKA /= sum;
      sumKB /= sum;
      sum = 1;
    }
  }
  return { z, lnF: Number.NaN, dA: 0, dB: 0, slope: 0, slopeA: 0, slopeB: 0 };
}

/**
 * Continues a {@link ShiftedState} to z1 > state.z as {@link hyp2f1Advance} does (c = a + 1),
 * carrying the derivatives in a and b: each Taylor coefficient cⱼ of F(z0 + w)/F(z0) follows the
 * same recurrence, so ∂cⱼ/∂a and ∂cⱼ/∂b follow its derivative, and
 * ∂ln F(z0 + h) = ∂ln F(z0) + Σ ∂cⱼhʲ / Σ cⱼhʲ. False when it fails.
 */
function shiftedAdvance(a: number, b: number, state: ShiftedState, z1: number): boolean {
  let { z, lnF, dA, dB, slope, slopeA, slopeB } = state;
  if (Number.isNaN(lnF)) return false;
  let terms = 0;
  while (z < z1) {
    const h = continuationStep(a + 1, z, z1);
    if (!(h > 0)) return false;
    const k0 = z * (1 - z);
    // c − (a + b + 1)z with c = a + 1, and its derivatives in a and b.
    const lin = a + 1 - (a + b + 1) * z;
    const linA = 1 - z;
    const linB = -z;
    let prev = 1;
    let prevA = 0;
    let prevB = 0;
    let cur = slope * h;
    let curA = slopeA * h;
    let curB = slopeB * h;
    let sum = 1 + cur;
    let sumA = curA;
    let sumB = curB;
    let dsum = slope;
    let dsumA = slopeA;
    let dsumB = slopeB;
    let logScale = 0;
    const limit = h / (1 - z);
    for (let j = 0; ; j++) {
      if (++terms > HYP2F1_MAX_TERMS) return false;
      const m = (j + a) * (j + b);
      const lj = (1 - 2 * z) * j + lin;
      const den = k0 * (j + 1) * (j + 2);
      const next = ((m * prev * h - (j + 1) * lj * cur) * h) / den;
      const nextA = ((((j + b) * prev + m * prevA) * h - (j + 1) * (linA * cur + lj * curA)) * h) / den;
      const nextB = ((((j + a) * prev + m * prevB) * h - (j + 1) * (linB * cur + lj * curB)) * h) / den;
      sum += next;
      sumA += nextA;
      sumB += nextB;
      dsum += ((j + 2) * next) / h;
      dsumA += ((j + 2) * nextA) / h;
      dsumB += ((j + 2) * nextB) / h;
      const ratio = cur === 0 ? 0 : Math.abs(next / cur);
      const q = ratio > limit ? ratio : limit;
      prev = cur;
      prevA = curA;
      prevB = curB;
      cur = next;
      curA = nextA;
      curB = nextB;
      // Terms shrink like (h/(1 − z))ʲ ≤ 2⁻ʲ; stop once every tail is below the tolerance.
      const bound = HYP2F1_TOLERANCE * (1 - q) * (1 - q);
      if (
        j > 0 &&
        q < 1 &&
        Math.abs(next) * (j + 3) <= bound * sum &&
        Math.abs(nextA) * (j + 3) <= bound * (sum + Math.abs(sumA)) &&
        Math.abs(nextB) * (j + 3) <= bound * (sum + Math.abs(sumB))
      ) {
        break;
      }
      if (sum > RESCALE_AT) {
        logScale += Math.log(sum);
        prev /= sum;
        prevA /= sum;
        prevB /= sum;
        cur /= sum;
        curA /= sum;
        curB /= sum;
        sumA /= sum;
        sumB /= sum;
        dsum /= sum;
        dsumA /= sum;
        dsumB /= sum;
        sum = 1;
      }
    }
    if (!(sum > 0) || !Number.isFinite(sum)) return false;
    lnF += logScale + Math.log(sum);
    dA += sumA / sum;
    dB += sumB / sum;
    slope = dsum / sum;
    slopeA = (dsumA - slope * sumA) / sum;
    slopeB = (dsumB - slope * sumB) / sum;
    z = h === z1 - z ? z1 : z + h;
  }
  Object.assign(state, { z, lnF, dA, dB, slope, slopeA, slopeB });
  return true;
}

/**
 * ₂F₁(a, b; a + 1; z) by the alternating series F = (1 − z)^(−b)·Σ (−1)ⁿ (b)ₙ/(a+1)ₙ·wⁿ,
 * w = z/(1 − z) (Pfaff's transformation, whose first parameter c − a is 1 here). From
 * F(a, b; a+1; z) = (1 − z)^(−b) − bz/(a+1)·F(a+1, b+1; a+2; z) and 0 < F(a+1, b+1; a+2; z) ≤
 * (1 − z)^(−b−1), the error of stopping before term N is below term N in size, however large w.
 * Used for large a, where the terms first shrink at rate about b·w/(a + 1); undefined when that
 * start is not fast enough (≤ 1/2, so the sum stays above 1/2) or the terms stop shrinking
 * before the tolerance. The state it returns is final (never continued), so the slope's own
 * derivatives are left NaN.
 */
function shiftedPfaff(a: number, b: number, z: number): ShiftedState | undefined {
  const w = z / (1 - z);
  if (!((b * w) / (a + 1) <= PFAFF_MAX_START_RATIO)) return undefined;
  let term = 1; // (−1)ⁿ (b)ₙ/(a+1)ₙ wⁿ
  let sum = 1;
  let sumA = 0; // Σ term·∂ln|term|/∂a
  let sumB = 0;
  let sumN = 0; // Σ n·term
  let hA = 0; // −Σ_{j<n} 1/(a+1+j)
  let hB = 0; // Σ_{j<n} 1/(b+j)
  for (let n = 0; n < HYP2F1_MAX_TERMS; n++) {
    const ratio = ((b + n) / (a + 1 + n)) * w;
    if (!(ratio < 1)) return undefined;
    hA -= 1 / (a + 1 + n);
    hB += 1 / (b + n);
    term *= -ratio;
    sum += term;
    sumA += term * hA;
    sumB += term * hB;
    sumN += term * (n + 1);
    // |remainder| ≤ the next term; the weighted sums' terms carry at most a factor n + 1 + |hA| + hB.
    if (Math.abs(term) * ratio * (n + 2 - hA + hB) < HYP2F1_TOLERANCE * sum) {
      const lnOneMinusZ = Math.log1p(-z);
      const slopeW = sumN / (w * sum); // d ln S/dw
      return {
        z,
        lnF: -b * lnOneMinusZ + Math.log(sum),
        dA: sumA / sum,
        dB: -lnOneMinusZ + sumB / sum,
        slope: b / (1 - z) + slopeW / ((1 - z) * (1 - z)),
        slopeA: Number.NaN,
        slopeB: Number.NaN,
      };
    }
  }
  return undefined;
}

/**
 * ₂F₁(a, b; a + 1; z) = a∫₀^∞ e^(−as)(1 − z·e^(−s))^(−b) ds (from a∫₀¹ t^(a−1)(1 − zt)^(−b) dt,
 * t = e^(−s)) by exp-sinh quadrature, s = L·exp(π/2·sinh u), on 289 nodes (step 1/32 in u,
 * |u| ≤ 4.5; step 1/16 leaves errors near 1e-6), with L = 1/(a + bz/(1 − z)) the integrand's
 * initial decay length. The integrand is positive, decreasing and
 * analytic near the half-line (its nearest singularity, at s = ln z, maps to |Im u| ≥ π/2), so
 * the trapezoidal sum in u converges double-exponentially. The derivatives are weighted means:
 * ∂ln F/∂a = 1/a − ⟨s⟩, ∂ln F/∂b = ⟨−ln(1 − z·e^(−s))⟩, ∂ln F/∂z = b·⟨e^(−s)/(1 − z·e^(−s))⟩.
 * Used where every series needs thousands of terms (large a with z near 1, or huge b).
 */
function shiftedQuadrature(a: number, b: number, z: number): ShiftedState {
  const length = 1 / (a + (b * z) / (1 - z));
  const lnLength = Math.log(length);
  const lnZ = Math.log(z);
  // Log-weights first, then sums rescaled by the largest.
  const nodes = 2 * QUADRATURE_HALF_NODES + 1;
  const logW = new Float64Array(nodes);
  const sAt = new Float64Array(nodes);
  const lnOneMinus = new Float64Array(nodes);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < nodes; i++) {
    const u = (i - QUADRATURE_HALF_NODES) * QUADRATURE_STEP;
    const lnS = lnLength + (Math.PI / 2) * Math.sinh(u);
    const sv = Math.exp(lnS);
    const l1 = Math.log(-Math.expm1(lnZ - sv)); // ln(1 − z·e^(−s)), exact for small s
    const v = -a * sv - b * l1 + lnS + Math.log((Math.PI / 2) * Math.cosh(u));
    logW[i] = v;
    sAt[i] = sv;
    lnOneMinus[i] = l1;
    if (v > max) max = v;
  }
  let sum = 0;
  let sumS = 0;
  let sumB = 0;
  let sumZ = 0;
  for (let i = 0; i < nodes; i++) {
    const w = Math.exp((logW[i] as number) - max);
    if (w === 0) continue;
    const sv = sAt[i] as number;
    const l1 = lnOneMinus[i] as number;
    sum += w;
    sumS += w * sv;
    sumB -= w * l1;
    sumZ += w * Math.exp(-sv - l1); // e^(−s)/(1 − z·e^(−s))
  }
  return {
    z,
    lnF: Math.log(a) + Math.log(QUADRATURE_STEP) + max + Math.log(sum),
    dA: 1 / a - sumS / sum,
    dB: sumB / sum,
    slope: (b * sumZ) / sum,
    slopeA: Number.NaN,
    slopeB: Number.NaN,
  };
}
