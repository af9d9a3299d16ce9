import { describe, expect, it } from 'vitest';
import { digamma, logAddExp, logBeta, logGamma, logHyp2f1, logSubExp, logSumExp } from '@crm/scoring';
import fc from 'fast-check';
import { minimize } from '../src/optimize.ts';
import { logHyp2f1Shifted } from '../src/special.ts';
import { relativeError } from './helpers.ts';

const EULER = 0.5772156649015329;

describe('special functions against closed forms', () => {
  it('logGamma(x) equals ln((x−1)!), ln √π and Stirling-range values to 1e-14 relative', () => {
    let factorial = 1;
    for (let n = 1; n <= 30; n++) {
      expect(Math.abs(logGamma(n) - Math.log(factorial))).toBeLessThan(1e-13 * Math.max(1, Math.log(factorial)));
      factorial *= n;
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 14);
    // ln Γ(100) = ln 99! (Wolfram Alpha: 359.13420536957539878)
    expect(Math.abs(logGamma(100) - 359.1342053695754) / 359.13).toBeLessThan(1e-15);
  });

  it('digamma(1) = −γ, digamma(1/2) = −γ − 2 ln 2, digamma(n+1) = Hₙ − γ', () => {
    expect(digamma(1)).toBeCloseTo(-EULER, 14);
    expect(digamma(0.5)).toBeCloseTo(-EULER - 2 * Math.LN2, 14);
    let harmonic = 0;
    for (let n = 1; n <= 50; n++) {
      harmonic += 1 / n;
      expect(digamma(n + 1)).toBeCloseTo(harmonic - EULER, 13);
    }
  });

  it('logBeta(a, b) = ln(Γ(a)Γ(b)/Γ(a+b))', () => {
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14);
    expect(logBeta(0.5, 0.5)).toBeCloseTo(Math.log(Math.PI), 14);
  });

  it('logHyp2f1 matches ₂F₁(1, 1; 2; z) = −ln(1−z)/z and ₂F₁(a, b; b; z) = (1−z)^−a, without overflow', () => {
    for (const z of [0, 0.1, 0.5, 0.9, 0.99, 0.999]) {
      const expected = z === 0 ? 0 : Math.log(-Math.log1p(-z) / z);
      expect(logHyp2f1(1, 1, 2, z)).toBeCloseTo(expected, 12);
    }
    for (const [a, b, z] of [[0.3, 2.5, 0.7], [1000, 3, 0.5], [5000, 0.2, 0.9]]) {
      const expected = -a! * Math.log1p(-z!);
      expect(Math.abs(logHyp2f1(a!, b!, b!, z!) - expected) / expected).toBeLessThan(1e-12);
    }
  });

  it('logHyp2f1 keeps its precision for large c: ln ₂F₁(300, 3; 301; 0.9) and ln ₂F₁(2134.22, 0.632; 2135.22; 0.579) as mpmath', () => {
    // mpmath 1.3 at 40 digits: log(hyp2f1(a, b, a + 1, z)).
    expect(relativeError(logHyp2f1(300, 3, 301, 0.9), 6.823980668516099)).toBeLessThan(1e-12);
    expect(relativeError(logHyp2f1(2134.224956672826, 0.6319282554652417, 2135.224956672826, 0.5789238547285375), 0.54617447917706521)).toBeLessThan(1e-12);
  });
  it('log-sum-exp helpers stay finite at extreme magnitudes', () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logAddExp(Number.NEGATIVE_INFINITY, 3)).toBe(3);
    expect(logSumExp([-1000, -1000, -1000, -1000])).toBeCloseTo(-1000 + Math.log(4), 12);
    expect(logSumExp([])).toBe(Number.NEGATIVE_INFINITY);
    expect(logSubExp(Math.log(3), Math.log(1))).toBeCloseTo(Math.log(2), 14);
    expect(logSubExp(2, 2)).toBe(Number.NEGATIVE_INFINITY);
    expect(logSubExp(0, -1e-20)).toBeCloseTo(Math.log(1e-20), 6);
  });
});

describe('minimize (BFGS with Nelder–Mead fallback)', () => {
  it('finds the minimum (1, 1) of the Rosenbrock function from (−1.2, 1)', () => {
    const result = minimize(
      (x, g) => {
        const a = x[0] as number;
        const b = x[1] as number;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      [-1.2, 1],
      { gradientTolerance: 1e-10, maxIterations: 500 },
    );
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 8);
    expect(result.x[1]).toBeCloseTo(1, 8);
  });

  it('steps back from regions where the objective is not finite', () => {
    // f = x − ln x has its minimum at x = 1 and is undefined for x ≤ 0; start where a full step overshoots.
    const result = minimize(
      (x, g) => {
        const v = x[0] as number;
        if (v <= 0) return Number.POSITIVE_INFINITY;
        g[0] = 1 - 1 / v;
        return v - Math.log(v);
      },
      [0.05],
      { gradientTolerance: 1e-10, maxIterations: 200 },
    );
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 8);
  });
});

/** mpmath 1.3 (40 digits): [a, b, z, [ln ₂F₁(a, b; a+1; z), ∂/∂a, ∂/∂b, ∂/∂z]] by log(hyp2f1) and mp.diff. */
const SHIFTED_REFERENCE: readonly (readonly [number, number, number, readonly [number, number, number, number]])[] = [
  [333674.0354579523, 86.9395273769132, 0.9991014390042385, [609.60225571155326, 6.7051293728773791e-7, 7.0121359057949252, 96504.959919334948]],
  [2134.224956672826, 0.6319282554652417, 0.5789238547285375, [0.54617447917706521, 1.9024233027599938e-7, 0.86429837074379314, 1.4990794388360249]],
  [300, 3, 0.9, [6.823980668516099, 0.00026083876506239952, 2.2757381446501845, 29.12792708775554]],
  [25619.151721126746, 0.12795726260080587, 0.9999985828922507, [1.3644666852091026, 4.3830272740181893e-6, 10.738488890688712, 11054.576100157589]],
  [172.86405275040227, 102.56855241705887, 0.9999759315589106, [1080.6736036020618, 0.0057846533987259919, 10.624763915835944, 4219989.5332770105]],
  [3.2, 0.6, 0.99, [1.2467429428999531, 0.13561851818000471, 2.4181924829475729, 11.492876805428028]],
  [0.8, 5.5, 0.999, [29.358735533606554, 1.2497138555134764, 6.6855166959218129, 4498.9416898200861]],
  [1.5, 1.2, 0.3, [0.25000603276985949, 0.066061614544686428, 0.21364044800011141, 0.97414990505403876]],
];

describe('logHyp2f1Shifted (the Pareto/NBD likelihood and gradient series)', () => {
  it('gives ln ₂F₁(a, b; a+1; z) and its a, b, z derivatives as mpmath near z = 1, for a from 0.8 to 333674', () => {
    const out = new Float64Array(3);
    for (const [a, b, z, expected] of SHIFTED_REFERENCE) {
      const got = [logHyp2f1Shifted(a, b, z, out), out[0]!, out[1]!, out[2]!];
      got.forEach((v, i) => expect(relativeError(v, expected[i]!)).toBeLessThan(1e-10));
    }
  });

  it('is finite with derivatives matching central differences across a in [0.1, 1e8], b in [0.1, 200], z up to 1 − 1e-7', () => {
    const out = new Float64Array(3);
    const at = (a: number, b: number, z: number): number => logHyp2f1Shifted(a, b, z);
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 8, noNaN: true }),
        fc.double({ min: -1, max: Math.log10(200), noNaN: true }),
        fc.double({ min: 0.01, max: 7, noNaN: true }),
        (la, lb, lq) => {
          const a = 10 ** la;
          const b = 10 ** lb;
          const z = 1 - 10 ** -lq;
          const v = logHyp2f1Shifted(a, b, z, out);
          expect(Number.isFinite(v)).toBe(true);
          const [da, db, dz] = [out[0]!, out[1]!, out[2]!];
          // Relative steps ≈ ε^(1/3); z's step is a share of its distance to 1.
          const ha = 1e-5 * a;
          const hb = 1e-5 * b;
          const hz = 1e-5 * (1 - z);
          const tol = (d: number, h: number): number => 1e-5 * Math.abs(d) + 1e-9 * (1 + Math.abs(v)) / h;
          expect(Math.abs((at(a + ha, b, z) - at(a - ha, b, z)) / (2 * ha) - da)).toBeLessThan(tol(da, ha));
          expect(Math.abs((at(a, b + hb, z) - at(a, b - hb, z)) / (2 * hb) - db)).toBeLessThan(tol(db, hb));
          expect(Math.abs((at(a, b, z + hz) - at(a, b, z - hz)) / (2 * hz) - dz)).toBeLessThan(tol(dz, hz));
        },
      ),
      { numRuns: 200, seed: 10 },
    );
  });
});
