import { describe, expect, it } from 'vitest';
import { chiSquareSurvival, isCrmError, logGamma, normalQuantile } from '@crm/core';
import { logGamma as scoringLogGamma } from '@crm/scoring';

function expectCrmError(f: () => unknown, code: string, path: readonly (string | number)[]): void {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(isCrmError(thrown), String(thrown)).toBe(true);
  expect(thrown).toMatchObject({ code, path });
}

// scipy 1.10.1: /usr/bin/python3 -c "from scipy.stats import chi2; print(chi2.sf(x, df))" for each case.
const SCIPY: readonly (readonly [number, number, number])[] = [
  [3.841458820694124, 1, 0.04999999999999989],
  [253.909201713911, 13, 9.868239361210455e-47],
  [104.882269225991, 1, 1.2961259493065535e-24],
  [0.550551992496637, 1, 0.4580922379960837],
  [1e-10, 2, 0.99999999995],
  [50, 100, 0.9999930466947524],
  [200, 100, 1.1784500720979781e-08],
];

describe('chiSquareSurvival(x, df)', () => {
  it('equals scipy.stats.chi2.sf to 1e-13 relative, far tails included', () => {
    // The series and the continued fraction stop at 1e-16 relative; ln Γ (Lanczos) is good to about
    // 1e-15 and enters the result through exp(−ln Γ(df/2)) scaled by up to |ln| ≈ 100 here.
    for (const [x, df, want] of SCIPY) {
      expect(Math.abs(chiSquareSurvival(x, df) - want) / want, `x ${x}, df ${df}`).toBeLessThan(1e-13);
    }
  });
  it('df = 2 is exp(−x/2) exactly in form, and 0 gives 1', () => {
    for (const x of [0.1, 1, 5, 30]) expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 14);
    expect(chiSquareSurvival(0, 4)).toBe(1);
  });
  it('rejects what is not a statistic or a degree of freedom', () => {
    expectCrmError(() => chiSquareSurvival(-1, 1), 'invalid_argument', ['x']);
    expectCrmError(() => chiSquareSurvival(NaN, 1), 'invalid_argument', ['x']);
    expectCrmError(() => chiSquareSurvival(1, 0), 'invalid_argument', ['df']);
    expectCrmError(() => chiSquareSurvival(1, Infinity), 'invalid_argument', ['df']);
  });
});

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isCrmError(e) ? `${e.code} ${JSON.stringify(e.path)}` : `not a CrmError: ${String(e)}`;
  }
  return undefined;
}

// Reference values: R 4.2.2, printed with sprintf("%.17g", …):
// pchisq(x, df, lower.tail = FALSE), qnorm(p), lgamma(x).
const REL = 1e-13; // both sides are accurate to a few ulps; series and continued fractions add some
const rel = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want);

describe('chiSquareSurvival(x, df) against R', () => {
  it('equals R pchisq(x, df, lower.tail = FALSE) in the body, the tails and for large df', () => {
    expect(rel(chiSquareSurvival(3.841458820694124, 1), 0.049999999999999975)).toBeLessThan(REL);
    expect(rel(chiSquareSurvival(10, 3), 0.018566135463043233)).toBeLessThan(REL);
    expect(rel(chiSquareSurvival(150, 100), 0.00090393204235400938)).toBeLessThan(1e-12);
    expect(rel(chiSquareSurvival(1400, 5), 1.3765875143944421e-300)).toBeLessThan(1e-12);
    expect(chiSquareSurvival(0.5, 30)).toBe(1);
  });
  it('has the closed form e^(−x/2) at df = 2 and is 1 at x = 0', () => {
    for (const x of [0.1, 1, 7.5, 40]) expect(rel(chiSquareSurvival(x, 2), Math.exp(-x / 2))).toBeLessThan(REL);
    expect(chiSquareSurvival(0, 4)).toBe(1);
  });
  it('rejects what has no p-value, at the argument', () => {
    expect(codeOf(() => chiSquareSurvival(-1, 2))).toBe('invalid_argument ["x"]');
    expect(codeOf(() => chiSquareSurvival(Infinity, 2))).toBe('invalid_argument ["x"]');
    expect(codeOf(() => chiSquareSurvival(1, 0))).toBe('invalid_argument ["df"]');
    expect(codeOf(() => chiSquareSurvival(1, 1e8))).toBe('invalid_argument ["df"]');
    expect(codeOf(() => chiSquareSurvival('1' as never, 2))).toBe('invalid_argument ["x"]');
  });
});

describe('normalQuantile(p)', () => {
  it('equals R qnorm (both AS 241)', () => {
    expect(rel(normalQuantile(0.975), 1.9599639845400536)).toBeLessThan(1e-15);
    expect(rel(normalQuantile(1e-300), -37.047096299361201)).toBeLessThan(1e-15);
    expect(rel(normalQuantile(0.3), -0.52440051270804067)).toBeLessThan(1e-15);
    expect(normalQuantile(0.5)).toBe(0);
    // Symmetric up to the rounding of p − 0.5 (0.8 − 0.5 is not exactly 0.3).
    expect(rel(normalQuantile(0.2), -normalQuantile(0.8))).toBeLessThan(1e-15);
  });
  it('rejects 0, 1 and values outside (0, 1)', () => {
    for (const p of [0, 1, -0.1, 2, NaN]) expect(codeOf(() => normalQuantile(p))).toBe('invalid_argument ["p"]');
  });
});

describe('logGamma', () => {
  it('equals R lgamma, and @crm/scoring re-exports the same function', () => {
    expect(rel(logGamma(0.5), 0.57236494292470008)).toBeLessThan(1e-15);
    expect(rel(logGamma(100.5), 361.43554046777757)).toBeLessThan(1e-15);
    expect(scoringLogGamma).toBe(logGamma);
  });
});
