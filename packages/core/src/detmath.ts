// Elementary functions computed with IEEE 754 arithmetic only (+ − × ÷, exact scaling by powers of
// two, reading the exponent from the bits), so they return the same double in every JavaScript
// engine. Math.log/exp/sin/cos/tanh/pow are not specified to the last bit: V8 versions, SpiderMonkey
// and JavaScriptCore round them differently, which made seeded streams differ between Node and Deno.
//
// Method (the classical one described with fdlibm): reduce the argument exactly by powers of two
// (log) or by multiples of ln 2 split into a short high part and a correction (exp), then evaluate a
// series on the small remaining interval. The series are Taylor series (or, for exp, the expansion of
// r·coth(r/2) through Bernoulli numbers), taken far enough that the truncation error is below 2^-60.

/** ln 2 in two parts: the high part has 21 trailing zero bits, so k · LN2_HI is exact for |k| < 2^20. */
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
/** 1 / ln 2 rounded; used only to choose the multiple of ln 2, not in the result. */
const INV_LN2 = 1.4426950408889634;
/** √2 rounded: mantissas above it are halved, so the reduced argument lies in [√2/2, √2). */
const SQRT2 = 1.4142135623730951;
/** π/2 rounded. */
const HALF_PI = 1.5707963267948966;
/** exp(x) overflows above ln(Number.MAX_VALUE) and underflows to 0 below ln(2^-1075). */
const EXP_OVERFLOW = 709.782712893384;
const EXP_UNDERFLOW = -745.1332191019412;
/** Below this magnitude expm1(x) and log1p(x) round to x. */
const TINY = 5.551115123125783e-17; // 2^-54
/** 2^54: lifts subnormals into the normal range before their exponent is read. */
const TWO_POW_54 = 18014398509481984;
/** tanh(x) rounds to ±1 beyond this magnitude (1 − tanh(22) ≈ 1.6e-19 < 2^-54). */
const TANH_SATURATION = 22;
/** expm1(x) rounds to −1 below this (e^-38 ≈ 3e-17 < 2^-54). */
const EXPM1_SATURATION = -38;

let scratch: DataView | undefined;
const view = (): DataView => (scratch ??= new DataView(new ArrayBuffer(8)));

/** 2^k for an integer k in [-1022, 1023], built from its bits (exact). */
function powerOfTwo(k: number): number {
  const v = view();
  v.setUint32(0, (k + 1023) << 20);
  v.setUint32(4, 0);
  return v.getFloat64(0);
}

/** y · 2^k for an integer k in [-1100, 1100], with a single rounding when the result is subnormal. */
function scaleByPowerOfTwo(y: number, k: number): number {
  if (k > 1023) return y * powerOfTwo(1023) * powerOfTwo(k - 1023);
  if (k < -1022) return y * powerOfTwo(k + 54) * powerOfTwo(-54);
  return y * powerOfTwo(k);
}

let reducedMantissa = 1;
/** Splits a finite x > 0 into 2^k · m with m in [√2/2, √2); returns k and leaves m in `reducedMantissa`. */
function splitExponent(x: number): number {
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= TWO_POW_54;
    k = -54;
  }
  const v = view();
  v.setFloat64(0, x);
  const hi = v.getUint32(0);
  k += (hi >>> 20) - 1023;
  v.setUint32(0, (hi & 0x000fffff) | 0x3ff00000);
  let m = v.getFloat64(0);
  if (m >= SQRT2) {
    m *= 0.5;
    k += 1;
  }
  reducedMantissa = m;
  return k;
}

/**
 * The tail R of log(1 + f) = f − f²/2 + s·(f²/2 + R), with s = f/(2 + f) and z = s²:
 * 2·atanh(s) = 2s + 2s³/3 + 2s⁵/5 + …, so R = z·(2/3 + 2z/5 + 2z²/7 + …). For |f| ≤ √2 − 1,
 * z ≤ 0.0295 and eleven terms leave an error below 2^-60 relative to the result.
 */
function logTail(z: number): number {
  return (
    z *
    (2 / 3 +
      z *
        (2 / 5 +
          z *
            (2 / 7 +
              z *
                (2 / 9 +
                  z *
                    (2 / 11 +
                      z * (2 / 13 + z * (2 / 15 + z * (2 / 17 + z * (2 / 19 + z * (2 / 21 + z * (2 / 23)))))))))))
  );
}

/**
 * Natural logarithm, computed with arithmetic only so that every JavaScript engine returns the same
 * double. Within 1 ulp of the true value (and of `Math.log` in V8) over the whole double range,
 * subnormals included. Special values as `Math.log`: log(0) = −Infinity, log(x < 0) = NaN,
 * log(Infinity) = Infinity, log(NaN) = NaN. Used by the seeded generator and the seeded models.
 *
 * @param x a number.
 * @returns ln x.
 * @example
 * ```ts
 * import { portableLog } from '@crm/core';
 * portableLog(1);        // 0
 * portableLog(Math.E);   // 1
 * portableLog(0);        // -Infinity
 * ```
 */
export function portableLog(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  const k = splitExponent(x);
  const f = reducedMantissa - 1; // exact (Sterbenz)
  const s = f / (2 + f);
  const hfsq = 0.5 * f * f;
  const R = logTail(s * s);
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
}

/**
 * Base-2 logarithm with arithmetic only (the same double in every engine); exact at powers of two,
 * otherwise within 2 ulp of the true value. Special values as `Math.log2`.
 *
 * @param x a number.
 * @returns log₂ x.
 * @example
 * ```ts
 * import { portableLog2 } from '@crm/core';
 * portableLog2(8);    // 3
 * portableLog2(0.5);  // -1
 * ```
 */
export function portableLog2(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  const k = splitExponent(x);
  const f = reducedMantissa - 1;
  const s = f / (2 + f);
  const hfsq = 0.5 * f * f;
  const logM = f - (hfsq - s * (hfsq + logTail(s * s)));
  return k + logM * INV_LN2;
}

/**
 * Natural logarithm of 1 + x with arithmetic only (the same double in every engine), accurate for
 * tiny x where log(1 + x) would lose the digits of x: within 2 ulp of the true value. Special values
 * as `Math.log1p`: −1 → −Infinity, below −1 → NaN.
 *
 * @param x a number ≥ −1.
 * @returns ln(1 + x).
 * @example
 * ```ts
 * import { portableLog1p } from '@crm/core';
 * portableLog1p(1e-20); // 1e-20 (log(1 + 1e-20) would be 0)
 * portableLog1p(-1);    // -Infinity
 * ```
 */
export function portableLog1p(x: number): number {
  if (!(x >= -1)) return NaN;
  if (x === -1) return -Infinity;
  if (x === Infinity) return x;
  if (Math.abs(x) < TINY) return x;
  const u = 1 + x;
  // u − 1 is exact; (x − (u − 1)) / u corrects for the rounding of 1 + x (Goldberg 1991).
  return portableLog(u) + (x - (u - 1)) / u;
}

/**
 * r·coth(r/2) − 2 = r²/6 − r⁴/360 + … = Σ 2·B₂ₙ·r²ⁿ/(2n)! (Bernoulli numbers B₂ … B₁₄), in z = r².
 * For |r| ≤ ln2/2 the first omitted term is below 2^-64.
 */
function expTail(z: number): number {
  return (
    z *
    (1 / 6 +
      z *
        (-1 / 360 +
          z * (1 / 15120 + z * (-1 / 604800 + z * (1 / 23950080 + z * (-691 / 653837184000 + z * (7 / 261534873600)))))))
  );
}

/**
 * Exponential, computed with arithmetic only so that every JavaScript engine returns the same double.
 * Within 1 ulp of the true value (and of `Math.exp` in V8); overflows to Infinity above ≈ 709.78 and
 * underflows through the subnormals to 0 below ≈ −745.13. exp(NaN) = NaN.
 *
 * @param x a number.
 * @returns eˣ.
 * @example
 * ```ts
 * import { portableExp } from '@crm/core';
 * portableExp(0);    // 1
 * portableExp(1);    // 2.7182818284590455 (e to within 1 ulp; Math.E is 2.718281828459045)
 * portableExp(-800); // 0
 * ```
 */
export function portableExp(x: number): number {
  if (x !== x) return x;
  if (x > EXP_OVERFLOW) return Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  if (Math.abs(x) < TINY) return 1 + x;
  // x = k·ln2 + r with |r| ≤ ln2/2; hi − lo = r, hi exact.
  const k = Math.floor(x * INV_LN2 + 0.5);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  // e^r = 1 + 2r/(R − r) with R = r·coth(r/2) = 2 + expTail; c = r − expTail(r²).
  const c = r - expTail(r * r);
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  return k === 0 ? y : scaleByPowerOfTwo(y, k);
}

/** eʳ − 1 for |r| ≤ ln2/2 by its Taylor series (terms to r¹⁵/15!, error below 2^-60 relative). */
function expm1Small(r: number): number {
  const p =
    1 / 2 +
    r *
      (1 / 6 +
        r *
          (1 / 24 +
            r *
              (1 / 120 +
                r *
                  (1 / 720 +
                    r *
                      (1 / 5040 +
                        r *
                          (1 / 40320 +
                            r *
                              (1 / 362880 +
                                r *
                                  (1 / 3628800 +
                                    r *
                                      (1 / 39916800 +
                                        r * (1 / 479001600 + r * (1 / 6227020800 + r * (1 / 87178291200 + r / 1307674368000))))))))))));
  return r + r * r * p;
}

/**
 * eˣ − 1 with arithmetic only (the same double in every engine), accurate for tiny x where
 * exp(x) − 1 would lose the digits: within 2 ulp of the true value. expm1(NaN) = NaN.
 *
 * @param x a number.
 * @returns eˣ − 1.
 * @example
 * ```ts
 * import { portableExpm1 } from '@crm/core';
 * portableExpm1(1e-20); // 1e-20
 * portableExpm1(-Infinity); // -1
 * ```
 */
export function portableExpm1(x: number): number {
  if (x !== x) return x;
  if (x > EXP_OVERFLOW) return Infinity;
  if (x < EXPM1_SATURATION) return -1;
  if (Math.abs(x) < TINY) return x;
  if (Math.abs(x) <= 0.5 * LN2_HI) return expm1Small(x);
  const k = Math.floor(x * INV_LN2 + 0.5);
  const r = x - k * LN2_HI - k * LN2_LO;
  const e = expm1Small(r);
  // 2^k·(e + 1) − 1 = 2^k·e + (2^k − 1); 2^k − 1 is exact for −53 ≤ k ≤ 53.
  if (k > 53) return scaleByPowerOfTwo(e + 1, k) - 1;
  const p = powerOfTwo(k);
  return p * e + (p - 1);
}

/**
 * Hyperbolic tangent with arithmetic only (the same double in every engine): within 3 ulp of the
 * true value; ±1 beyond |x| = 22, tanh(±0) = ±0, tanh(NaN) = NaN.
 *
 * @param x a number.
 * @returns tanh x.
 * @example
 * ```ts
 * import { portableTanh } from '@crm/core';
 * portableTanh(0);   // 0
 * portableTanh(30);  // 1
 * ```
 */
export function portableTanh(x: number): number {
  if (x !== x || x === 0) return x;
  const a = Math.abs(x);
  if (a > TANH_SATURATION) return x > 0 ? 1 : -1;
  // tanh a = (e^2a − 1)/(e^2a + 1) = t/(t + 2), with t = expm1(2a) keeping the digits of small a.
  const t = portableExpm1(2 * a);
  const y = t / (t + 2);
  return x > 0 ? y : -y;
}

/**
 * xʸ as exp(y · ln |x|), with arithmetic only (the same double in every engine). The
 * error grows with |y · ln x| (the rounding of ln x is multiplied by y): at most (2 + 3·|y · ln x|) ulp,
 * e.g. 16 ulp for 0.01^1.
 * x = 1 or y = 0 give exactly 1; 0^y is 0 for y > 0 and Infinity for y < 0; a negative x takes an
 * integer y (the sign follows its parity) and gives NaN otherwise, as `Math.pow` does.
 *
 * @param x the base.
 * @param y the exponent.
 * @returns xʸ.
 * @example
 * ```ts
 * import { portablePow } from '@crm/core';
 * portablePow(2, 10);     // 1024
 * portablePow(0.5, 0.5);  // 0.7071067811865475 (√½ to within 1 ulp)
 * ```
 */
export function portablePow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x !== x || y !== y) return NaN;
  if (x < 0) {
    if (!Number.isInteger(y)) return NaN;
    const magnitude = portablePow(-x, y);
    // Integers beyond 2^53 are all even.
    return Math.abs(y) < 9007199254740992 && y % 2 !== 0 ? -magnitude : magnitude;
  }
  if (x === 0) return y > 0 ? 0 : Infinity;
  return portableExp(y * portableLog(x));
}

/** sin(a) for |a| ≤ π/4 by its Taylor series (terms to a¹⁷/17!, error below 2^-60 relative). */
function sinKernel(a: number): number {
  const z = a * a;
  const p =
    -1 / 6 +
    z *
      (1 / 120 +
        z * (-1 / 5040 + z * (1 / 362880 + z * (-1 / 39916800 + z * (1 / 6227020800 + z * (-1 / 1307674368000 + z / 355687428096000))))));
  return a + a * z * p;
}

/** cos(a) for |a| ≤ π/4 by its Taylor series (terms to a¹⁶/16!, error below 2^-58). */
function cosKernel(a: number): number {
  const z = a * a;
  const p =
    1 / 24 +
    z * (-1 / 720 + z * (1 / 40320 + z * (-1 / 3628800 + z * (1 / 479001600 + z * (-1 / 87178291200 + z / 20922789888000)))));
  return 1 - (0.5 * z - z * z * p);
}

/**
 * sin(2πv) and cos(2πv) for v in [0, 1), with arithmetic only: the turn is reduced exactly to a
 * quarter (4v − q is exact), so only the last multiplication by π/2 rounds. Writes into `out`.
 * For the Box–Muller transform of the seeded generator.
 */
export function sinCosTurn(v: number, out: { sin: number; cos: number }): void {
  const t = 4 * v;
  const q = Math.floor(t + 0.5);
  const a = (t - q) * HALF_PI;
  const s = sinKernel(a);
  const c = cosKernel(a);
  switch (q & 3) {
    case 0:
      out.sin = s;
      out.cos = c;
      break;
    case 1:
      out.sin = c;
      out.cos = -s;
      break;
    case 2:
      out.sin = -s;
      out.cos = -c;
      break;
    default:
      out.sin = -c;
      out.cos = s;
  }
}
