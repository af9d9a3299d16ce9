import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BgNbd, GammaGamma, ModifiedBgNbd, ParetoNbd, type PurchaseModel } from '@crm/scoring';
import { cdnowSummary } from './helpers.ts';

const cdnow = Object.freeze(cdnowSummary().map((c) => Object.freeze(c)));
const models: [string, PurchaseModel][] = [
  ['BgNbd', BgNbd.fit(cdnow)],
  ['ParetoNbd', ParetoNbd.fit(cdnow)],
  ['ModifiedBgNbd', ModifiedBgNbd.fit(cdnow)],
];

/** Histories from ordinary to extreme: up to 2,000 repeat purchases, ages up to 500 periods. */
const history = fc
  .record({ x: fc.nat(2000), T: fc.double({ min: 0, max: 500, noNaN: true }), share: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ x, T, share }) => ({ frequency: x, recency: x === 0 ? 0 : share * T, T }));

describe('purchase-model invariants on random histories (property tests)', () => {
  it.each(models)('%s: P(alive) ∈ [0, 1], expected purchases finite, ≥ 0 and non-decreasing in t', (_, model) => {
    fc.assert(
      fc.property(history, fc.double({ min: 0, max: 200, noNaN: true }), (h, t) => {
        const p = model.probabilityAlive(h);
        expect(p >= 0 && p <= 1).toBe(true);
        const e1 = model.expectedPurchases(t, h);
        const e2 = model.expectedPurchases(t + 10, h);
        expect(Number.isFinite(e1) && e1 >= 0).toBe(true);
        // Allow rounding noise relative to the size of the prediction.
        expect(e2).toBeGreaterThanOrEqual(e1 - 1e-9 * Math.max(1, e1));
      }),
      { numRuns: 300 },
    );
  });

  it('fits never mutate their input (inputs are frozen) and are deterministic', () => {
    const again = BgNbd.fit(cdnow);
    expect(again.params).toEqual((models[0]![1] as BgNbd).params);
  });

  it('GammaGamma: expected spend lies between the customer mean and the population mean', () => {
    const gg = GammaGamma.fit(cdnow);
    const population = gg.expectedSpend();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0.01, max: 1e4, noNaN: true }), (x, m) => {
        const e = gg.expectedSpend({ frequency: x, monetary: m });
        expect(e).toBeGreaterThanOrEqual(Math.min(m, population) * (1 - 1e-12));
        expect(e).toBeLessThanOrEqual(Math.max(m, population) * (1 + 1e-12));
      }),
    );
  });
});
