import { describe, expect, it } from 'vitest';
import { isCrmError } from '@crm/core';
import { ShiftedBetaGeometric } from '@crm/scoring';
import { readCsv, relativeError } from './helpers.ts';

// Fader & Hardie (2007) Table 1: percent surviving at the start of years 0–12; calibration on years 0–7.
const table = readCsv('sbg_fader_hardie_2007_table1.csv');
const regular = Object.freeze(table.map((r) => r.regular_pct_surviving as number));
const highEnd = Object.freeze(table.map((r) => r.highend_pct_surviving as number));
const regularModel = ShiftedBetaGeometric.fit(regular.slice(0, 8));
const highEndModel = ShiftedBetaGeometric.fit(highEnd.slice(0, 8));

describe('ShiftedBetaGeometric on Fader & Hardie (2007) Table 1', () => {
  it('reproduces the paper: regular α .704, β 1.182; high end α .668, β 3.806, each to 3 dp', () => {
    expect(regularModel.report.converged).toBe(true);
    expect(regularModel.params.alpha).toBeCloseTo(0.704, 3);
    expect(regularModel.params.beta).toBeCloseTo(1.182, 3);
    expect(highEndModel.params.alpha).toBeCloseTo(0.668, 3);
    expect(highEndModel.params.beta).toBeCloseTo(3.806, 3);
  });

  it('gives the same estimates from counts of a 1,000-customer cohort, with LL −1680.265 / −1611.158 (REFERENCE §4)', () => {
    const counts = (pct: readonly number[]): number[] => pct.slice(0, 8).map((p) => Math.round(p * 10));
    const reg = ShiftedBetaGeometric.fit(counts(regular));
    const high = ShiftedBetaGeometric.fit(counts(highEnd));
    expect(relativeError(reg.params.alpha, regularModel.params.alpha)).toBeLessThan(1e-6);
    // The reference LLs are printed to 3 decimals.
    expect(Math.abs(reg.report.logLikelihood - -1680.265)).toBeLessThan(1e-3);
    expect(Math.abs(high.report.logLikelihood - -1611.158)).toBeLessThan(1e-3);
  });

  it('projects survival for years 0–12 as the paper\'s model curves (REFERENCE §4, 1 dp of a percent)', () => {
    const reg = [100, 62.7, 47.4, 38.8, 33.2, 29.2, 26.2, 23.9, 22.0, 20.4, 19.1, 18.0, 17.0];
    const high = [100, 85.1, 74.7, 67.0, 61.0, 56.2, 52.2, 48.9, 46.0, 43.6, 41.4, 39.5, 37.8];
    reg.forEach((p, t) => expect(Math.abs(100 * regularModel.survival(t) - p)).toBeLessThan(0.05 + 1e-9));
    high.forEach((p, t) => expect(Math.abs(100 * highEndModel.survival(t) - p)).toBeLessThan(0.05 + 1e-9));
  });

  it('has consistent survival, churn and retention: S(t) = S(t−1)·r(t) = S(t−1) − P(T=t)', () => {
    for (let t = 1; t <= 20; t++) {
      const s0 = regularModel.survival(t - 1);
      expect(relativeError(regularModel.survival(t), s0 * regularModel.retentionRate(t))).toBeLessThan(1e-12);
      expect(relativeError(regularModel.survival(t), s0 - regularModel.churnProbability(t))).toBeLessThan(1e-12);
    }
  });

  it('discountedExpectedLifetime equals the direct sum Σ S(n+t)/S(n)/(1+d)^t', () => {
    for (const [d, n] of [[0.1, 0], [0.1, 4], [0.02, 2]] as const) {
      let sum = 0;
      for (let t = 0; t < 5000; t++) sum += regularModel.survival(n + t) / regularModel.survival(n) / (1 + d) ** t;
      expect(relativeError(regularModel.discountedExpectedLifetime(d, n), sum)).toBeLessThan(1e-9);
    }
  });

  it('round-trips through JSON and rejects bad cohorts', () => {
    const copy = ShiftedBetaGeometric.fromJSON(JSON.parse(JSON.stringify(regularModel)));
    expect(copy.survival(7)).toBe(regularModel.survival(7));
    const bad: [unknown, string][] = [
      [[100], 'invalid_input'],
      [[100, 120], 'invalid_input'],
      [[100, Number.NaN], 'invalid_input'],
      [[0, 0], 'invalid_input'],
      [[100, 100, 100], 'degenerate_data'],
      ['100', 'invalid_argument'],
    ];
    for (const [s, code] of bad) {
      try {
        ShiftedBetaGeometric.fit(s as number[]);
        expect.unreachable();
      } catch (e) {
        expect(isCrmError(e) && e.code).toBe(code);
      }
    }
  });
});
