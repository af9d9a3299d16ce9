import { describe, expect, it } from 'vitest';
import { digamma, logAddExp, logBeta, logGamma, logHyp2f1, logSubExp, logSumExp } from '@crm/scoring';
import { minimize } from '../src/optimize.ts';

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
