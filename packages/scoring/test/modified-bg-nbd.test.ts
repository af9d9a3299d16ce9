import { describe, expect, it } from 'vitest';
import { isCrmError } from '@crm/core';
import { BgNbd, ModifiedBgNbd } from '@crm/scoring';
import { cdnowSummary, relativeError } from './helpers.ts';

const cdnow = Object.freeze(cdnowSummary().map((c) => Object.freeze(c)));
const model = ModifiedBgNbd.fit(cdnow);
const PREDICTION_RTOL = 1e-3;

describe('ModifiedBgNbd.fit on CDNOW', () => {
  it('reproduces BTYDplus (lifetimes test_estimation.py:782): r .525, α 6.183, a .891, b 1.614, each to 3 dp', () => {
    expect(model.report.converged).toBe(true);
    expect(model.params.r).toBeCloseTo(0.525, 3);
    expect(model.params.alpha).toBeCloseTo(6.183, 3);
    expect(model.params.a).toBeCloseTo(0.891, 3);
    expect(model.params.b).toBeCloseTo(1.614, 3);
  });

  it('reaches the log-likelihood of lifetimes 0.11.3 on the same rows (−9582.1327) within 0.01', () => {
    expect(Math.abs(model.report.logLikelihood - -9582.1327)).toBeLessThan(0.01);
  });

  it('report.logLikelihood is the sum of the per-customer logLikelihood', () => {
    const sum = cdnow.reduce((s, c) => s + model.logLikelihood(c), 0);
    expect(sum).toBeCloseTo(model.report.logLikelihood, 6);
  });

  it('penalizers 0.1 and 1 shrink the sum of the parameters (test_estimation.py:824)', () => {
    const sum = (p: { r: number; alpha: number; a: number; b: number }): number => p.r + p.alpha + p.a + p.b;
    const s1 = sum(ModifiedBgNbd.fit(cdnow, { penalizer: 0.1 }).params);
    const s2 = sum(ModifiedBgNbd.fit(cdnow, { penalizer: 1 }).params);
    expect(s1).toBeLessThan(sum(model.params));
    expect(s2).toBeLessThan(s1);
  });
});

describe('ModifiedBgNbd predictions', () => {
  it('matches lifetimes 0.11.3 on CDNOW customers 1–5 (REFERENCE §6): E[X(39) | history] and P(alive)', () => {
    const expected = [
      [1.262671, 0.706126],
      [0.188789, 0.17082],
      [0.153954, 0.389716],
    ];
    expected.forEach(([e, alive], i) => {
      expect(relativeError(model.expectedPurchases(39, cdnow[i]), e as number)).toBeLessThan(PREDICTION_RTOL);
      expect(relativeError(model.probabilityAlive(cdnow[i]!), alive as number)).toBeLessThan(PREDICTION_RTOL);
    });
  });

  it('gives P(alive | 0, 1, 1) < 1, unlike BG/NBD (test_estimation.py:813)', () => {
    expect(model.probabilityAlive({ frequency: 0, recency: 0, T: 1 })).toBeLessThan(1);
  });

  it('predicts new-customer purchases within 5% of BG/NBD on the same data (test_estimation.py:800)', () => {
    const bg = BgNbd.fit(cdnow);
    for (const t of [0.1429, 1, 3, 31.8571, 32, 78]) expect(relativeError(model.expectedPurchases(t), bg.expectedPurchases(t))).toBeLessThan(0.05);
  });

  it('P(X(t) = n) sums to 1 and E[X(t)] equals Σ n·P(X(t) = n)', () => {
    let sum = 0;
    let mean = 0;
    for (let n = 0; n < 600; n++) {
      const p = model.probabilityOfPurchases(26, n);
      sum += p;
      mean += n * p;
    }
    expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
    expect(relativeError(mean, model.expectedPurchases(26))).toBeLessThan(1e-8);
  });

  it('round-trips through JSON and rejects bad input with CrmErrors', () => {
    const copy = ModifiedBgNbd.fromJSON(JSON.parse(JSON.stringify(model)));
    expect(copy.expectedPurchases(10, cdnow[0])).toBe(model.expectedPurchases(10, cdnow[0]));
    try {
      ModifiedBgNbd.fit([{ frequency: 2, recency: 9, T: 3 }]);
      expect.unreachable();
    } catch (e) {
      expect(isCrmError(e) && e.path).toEqual([0, 'recency']);
    }
  });
});
