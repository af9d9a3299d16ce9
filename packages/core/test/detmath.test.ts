import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createRng,
  portableExp,
  portableExpm1,
  portableLog,
  portableLog1p,
  portableLog2,
  portablePow,
  portableTanh,
} from '@crm/core';

// The portable functions are compared with the engine's Math functions (V8's ports of fdlibm, which
// are within 1 ulp of the true value): two results within 1 ulp of the truth may differ by 1 ulp.
// The allowed distance of each function is the one its TSDoc promises.

const bits = new DataView(new ArrayBuffer(8));
/** Position of a double on the number line, as an integer (adjacent doubles differ by 1). */
function ordinal(x: number): bigint {
  bits.setFloat64(0, x);
  const b = bits.getBigInt64(0);
  return b < 0n ? -(b & 0x7fffffffffffffffn) : b;
}
function ulpDistance(a: number, b: number): number {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const d = ordinal(a) - ordinal(b);
  return Number(d < 0n ? -d : d);
}
/** A double with uniformly random bits (every exponent equally likely, subnormals included). */
function anyDouble(rng: ReturnType<typeof createRng>): number {
  bits.setUint32(0, rng.nextUint32());
  bits.setUint32(4, rng.nextUint32());
  return bits.getFloat64(0);
}
const SAMPLES = 100_000;

function worstUlps(f: (x: number) => number, g: (x: number) => number, draw: () => number): { ulps: number; at: number } {
  let worst = { ulps: 0, at: NaN };
  for (let i = 0; i < SAMPLES; i++) {
    const x = draw();
    const u = ulpDistance(f(x), g(x));
    if (u > worst.ulps) worst = { ulps: u, at: x };
  }
  return worst;
}

describe('portableLog(x)', () => {
  it('is within 1 ulp of Math.log over every exponent, subnormals included', () => {
    const rng = createRng(1);
    expect(worstUlps(portableLog, Math.log, () => Math.abs(anyDouble(rng))).ulps).toBeLessThanOrEqual(1);
  });
  it('is within 1 ulp of Math.log near 1, where the reduction does not help', () => {
    const rng = createRng(2);
    expect(worstUlps(portableLog, Math.log, () => 0.5 + rng.uniform()).ulps).toBeLessThanOrEqual(1);
  });
  it('gives the correctly rounded ln 2, ln 10 and exact 0 at 1', () => {
    expect(portableLog(2)).toBe(Math.LN2);
    expect(portableLog(10)).toBe(Math.LN10);
    expect(portableLog(1)).toBe(0);
  });
  it('handles 0, negatives, ±Infinity, NaN, the smallest subnormal and the largest double as Math.log', () => {
    for (const x of [0, -0, -1, -Infinity, Infinity, NaN, 5e-324, 2.2250738585072014e-308, Number.MAX_VALUE]) {
      expect(ulpDistance(portableLog(x), Math.log(x))).toBeLessThanOrEqual(1);
    }
    expect(portableLog(0)).toBe(-Infinity);
    expect(portableLog(-1)).toBeNaN();
  });
});

describe('portableExp(x)', () => {
  it('is within 1 ulp of Math.exp from underflow to overflow', () => {
    const rng = createRng(3);
    expect(worstUlps(portableExp, Math.exp, () => (rng.uniform() - 0.5) * 1500).ulps).toBeLessThanOrEqual(1);
  });
  it('is within 1 ulp of Math.exp on small arguments and over every exponent', () => {
    const rng = createRng(4);
    expect(worstUlps(portableExp, Math.exp, () => (rng.uniform() - 0.5) * 4).ulps).toBeLessThanOrEqual(1);
    expect(worstUlps(portableExp, Math.exp, () => anyDouble(rng)).ulps).toBeLessThanOrEqual(1);
  });
  it('gives e within 1 ulp and exactly 1 at 0', () => {
    expect(ulpDistance(portableExp(1), Math.E)).toBeLessThanOrEqual(1);
    expect(portableExp(0)).toBe(1);
    expect(portableExp(-0)).toBe(1);
  });
  it('overflows, underflows through the subnormals and passes NaN as Math.exp', () => {
    for (const x of [709.78, 709.7827128933841, 710, Infinity, -Infinity, -708.5, -740, -745.1, -745.2, NaN]) {
      expect(ulpDistance(portableExp(x), Math.exp(x))).toBeLessThanOrEqual(1);
    }
    expect(portableExp(1000)).toBe(Infinity);
    expect(portableExp(-1000)).toBe(0);
    expect(portableExp(NaN)).toBeNaN();
  });
});

describe('portableLog1p, portableExpm1, portableTanh, portableLog2, portablePow', () => {
  it('portableLog1p(x) is within 1 ulp of Math.log1p, for tiny x too', () => {
    const rng = createRng(5);
    const wide = () => -1 + 10 ** (rng.uniform() * 12 - 2);
    const tiny = () => (rng.uniform() - 0.5) * 10 ** (-rng.uniform() * 20);
    expect(worstUlps(portableLog1p, Math.log1p, wide).ulps).toBeLessThanOrEqual(1);
    expect(worstUlps(portableLog1p, Math.log1p, tiny).ulps).toBeLessThanOrEqual(1);
    expect(portableLog1p(-1)).toBe(-Infinity);
    expect(portableLog1p(-2)).toBeNaN();
    expect(portableLog1p(1e-300)).toBe(1e-300);
  });
  it('portableExpm1(x) is within 2 ulp of Math.expm1, for tiny x too', () => {
    const rng = createRng(6);
    expect(worstUlps(portableExpm1, Math.expm1, () => (rng.uniform() - 0.5) * 100).ulps).toBeLessThanOrEqual(2);
    expect(worstUlps(portableExpm1, Math.expm1, () => (rng.uniform() - 0.5) * 10 ** (-rng.uniform() * 20)).ulps).toBeLessThanOrEqual(2);
    expect(portableExpm1(-Infinity)).toBe(-1);
    expect(portableExpm1(Infinity)).toBe(Infinity);
  });
  it('portableTanh(x) is within 3 ulp of Math.tanh and keeps the sign of zero', () => {
    const rng = createRng(7);
    expect(worstUlps(portableTanh, Math.tanh, () => (rng.uniform() - 0.5) * 60).ulps).toBeLessThanOrEqual(3);
    expect(worstUlps(portableTanh, Math.tanh, () => (rng.uniform() - 0.5) * 10 ** (-rng.uniform() * 12)).ulps).toBeLessThanOrEqual(3);
    expect(Object.is(portableTanh(-0), -0)).toBe(true);
    expect(portableTanh(Infinity)).toBe(1);
    expect(portableTanh(-Infinity)).toBe(-1);
  });
  it('portableLog2(x) is exact at powers of two and within 2 ulp of Math.log2 elsewhere', () => {
    for (let k = -1074; k <= 1023; k++) expect(portableLog2(2 ** k)).toBe(k);
    const rng = createRng(8);
    expect(worstUlps(portableLog2, Math.log2, () => Math.abs(anyDouble(rng))).ulps).toBeLessThanOrEqual(2);
    expect(worstUlps(portableLog2, Math.log2, () => 0.5 + rng.uniform()).ulps).toBeLessThanOrEqual(2);
  });
  it('portablePow(x, y) is within (2 + 3·|y·ln x|) ulp of Math.pow and exact at the special cases', () => {
    const rng = createRng(9);
    for (let i = 0; i < SAMPLES; i++) {
      const x = 10 ** ((rng.uniform() - 0.5) * 10);
      const y = (rng.uniform() - 0.5) * 20;
      expect(ulpDistance(portablePow(x, y), Math.pow(x, y))).toBeLessThanOrEqual(2 + 3 * Math.abs(y * Math.log(x)));
    }
    expect(portablePow(2, 10)).toBe(1024);
    expect(portablePow(5, 0)).toBe(1);
    expect(portablePow(1, NaN)).toBe(1);
    expect(portablePow(0, 2)).toBe(0);
    expect(portablePow(0, -1)).toBe(Infinity);
    // A negative base takes an integer exponent, as Math.pow does; the sign follows its parity.
    expect(portablePow(-2, 2)).toBe(portablePow(2, 2));
    expect(portablePow(-2, 3)).toBe(-portablePow(2, 3));
    expect(portablePow(-8640000000000001, 10)).toBe(portablePow(8640000000000001, 10));
    expect(portablePow(-2, 0.5)).toBeNaN();
  });
});

describe('createRng(seed) streams use no engine-dependent Math function', () => {
  afterEach(() => vi.restoreAllMocks());
  it('normal() draws without calling Math.log, Math.sin, Math.cos or Math.exp', () => {
    for (const name of ['log', 'sin', 'cos', 'exp', 'log1p', 'pow', 'tanh'] as const) {
      vi.spyOn(Math, name).mockImplementation(() => {
        throw new Error(`Math.${name} called`);
      });
    }
    const rng = createRng(11);
    for (let i = 0; i < 1000; i++) expect(Number.isFinite(rng.normal(3, 2))).toBe(true);
  });
  it('normal() stays within 1e-15 of Box–Muller with Math.log/sin/cos', () => {
    const a = createRng(12);
    const b = createRng(12);
    for (let i = 0; i < 10_000; i++) {
      let u = 0;
      while (u === 0) u = b.uniform();
      const v = b.uniform();
      const radius = Math.sqrt(-2 * Math.log(u));
      // Box–Muller's two deviates; the reference's 2π·v rounds, so agreement is to ~8 · 2^-53 · radius.
      const tolerance = 8 * Number.EPSILON * Math.max(1, radius);
      expect(Math.abs(a.normal() - radius * Math.cos(2 * Math.PI * v))).toBeLessThan(tolerance);
      expect(Math.abs(a.normal() - radius * Math.sin(2 * Math.PI * v))).toBeLessThan(tolerance);
    }
  });
});
