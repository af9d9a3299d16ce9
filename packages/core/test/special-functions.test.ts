import { describe, expect, it } from 'vitest';
import { chiSquareSurvival, isCrmError } from '@crm/core';

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
