import { describe, expect, it } from 'vitest';
import { isCrmError } from '@crm/core';
import {
  BgNbd,
  GammaGamma,
  ModifiedBgNbd,
  ParetoNbd,
  customerLifetimeValue,
  discountedClv,
  retentionClv,
  type CustomerLifetimeValueOptions,
} from '@crm/scoring';
import { cdnowSummary, relativeError } from './helpers.ts';

const cdnow = Object.freeze(cdnowSummary().map((c) => Object.freeze(c)));
const gg = GammaGamma.fit(cdnow);
// lifetimes' customer_lifetime_value(time=12, discount_rate=0.01, freq='W') converts months to
// weeks with its factor 4.345, i.e. a month of 4.345 · 7 = 30.415 days.
const lifetimesWeekly: CustomerLifetimeValueOptions = { dataPeriod: 'week', period: 4.345 * 7, horizon: 12, discountRate: 0.01 };
const PREDICTION_RTOL = 1e-3;

describe('customerLifetimeValue on CDNOW (REFERENCE §6, lifetimes 0.11.3, freq W)', () => {
  it.each([
    ['BgNbd', () => BgNbd.fit(cdnow), [36.278496, 4.637466, 8.344093]],
    ['ParetoNbd', () => ParetoNbd.fit(cdnow), [43.079511, 3.882246, 4.520789]],
    ['ModifiedBgNbd', () => ModifiedBgNbd.fit(cdnow), [37.185154, 4.285472, 6.55587]],
  ] as const)('%s + GammaGamma gives lifetimes\' 12-month CLV of customers 1, 2, 3', (_, fit, expected) => {
    const clv = customerLifetimeValue(fit(), gg, cdnow.slice(0, 5), lifetimesWeekly);
    expected.forEach((e, i) => expect(relativeError(clv[i] as number, e)).toBeLessThan(PREDICTION_RTOL));
    expect(clv[3]).toBe(clv[2]);
  });

  it('sums to lifetimes\' 71,509.90 over all 2,357 customers (BG/NBD + Gamma-Gamma)', () => {
    const clv = customerLifetimeValue(BgNbd.fit(cdnow), gg, cdnow, lifetimesWeekly);
    expect(relativeError(clv.reduce((s, v) => s + v, 0), 71509.9)).toBeLessThan(PREDICTION_RTOL);
  });

  it("reproduces lifetimes' documented 140.096 for customer 1 when weekly data are labelled daily (its default freq='D')", () => {
    const clv = customerLifetimeValue(BgNbd.fit(cdnow), gg, cdnow.slice(0, 1), { dataPeriod: 'day', period: 30, horizon: 12, discountRate: 0.01 });
    expect(relativeError(clv[0] as number, 140.096218)).toBeLessThan(PREDICTION_RTOL);
  });

  it('applies the margin linearly, discounts less value with a higher rate, and grows with the horizon', () => {
    const bg = BgNbd.fit(cdnow);
    const base = customerLifetimeValue(bg, gg, cdnow.slice(0, 3), { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01 });
    const half = customerLifetimeValue(bg, gg, cdnow.slice(0, 3), { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01, margin: 0.5 });
    const dear = customerLifetimeValue(bg, gg, cdnow.slice(0, 3), { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.05 });
    const longer = customerLifetimeValue(bg, gg, cdnow.slice(0, 3), { dataPeriod: 'week', period: 'month', horizon: 24, discountRate: 0.01 });
    base.forEach((v, i) => {
      expect(half[i]).toBeCloseTo(v / 2, 12);
      expect(dear[i]).toBeLessThan(v);
      expect(longer[i]).toBeGreaterThan(v);
    });
    // Without discounting, CLV is E[spend] · E[X(horizon)].
    const flat = customerLifetimeValue(bg, gg, cdnow.slice(0, 1), { dataPeriod: 'week', period: 'week', horizon: 39, discountRate: 0 });
    expect(relativeError(flat[0] as number, gg.expectedSpend(cdnow[0]) * bg.expectedPurchases(39, cdnow[0]))).toBeLessThan(1e-12);
  });

  it('requires both time units and rejects models without the role', () => {
    const bg = BgNbd.fit(cdnow);
    const bad: [unknown, unknown, unknown][] = [
      [bg, gg, { period: 'month', horizon: 12, discountRate: 0.01 }],
      [bg, gg, { dataPeriod: 'week', horizon: 12, discountRate: 0.01 }],
      [bg, gg, { dataPeriod: 'week', period: 'fortnight', horizon: 12, discountRate: 0.01 }],
      [bg, gg, { dataPeriod: 'week', period: 'month', horizon: 1.5, discountRate: 0.01 }],
      [bg, gg, { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: -1 }],
      [gg, gg, { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01 }],
      [bg, bg, { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01 }],
    ];
    for (const [p, s, o] of bad) {
      try {
        customerLifetimeValue(p as never, s as never, cdnow.slice(0, 2), o as never);
        expect.unreachable();
      } catch (e) {
        expect(isCrmError(e) && e.code).toBe('invalid_argument');
      }
    }
  });
});

describe('discountedClv and retentionClv', () => {
  it('discountedClv is the DCF sum with the first period index as given', () => {
    const end = discountedClv({ revenue: [100, 100, 100], cost: [40, 40, 40], discountRate: 0.1, firstPeriod: 1, acquisitionCost: 50 });
    expect(end).toBeCloseTo(60 / 1.1 + 60 / 1.21 + 60 / 1.331 - 50, 12);
    const start = discountedClv({ revenue: [100, 100, 100], cost: [40, 40, 40], discountRate: 0.1, firstPeriod: 0, acquisitionCost: 50 });
    expect(start + 50).toBeCloseTo((end + 50) * 1.1, 10);
  });

  it('retentionClv matches Gupta & Lehmann (2003): m(1+d)/(1+d−r) paid now, m/(1+d−r) at period ends', () => {
    expect(retentionClv({ margin: 100, retention: 0.8, discountRate: 0.1, firstPeriod: 0 })).toBeCloseTo((100 * 1.1) / 0.3, 10);
    expect(retentionClv({ margin: 100, retention: 0.8, discountRate: 0.1, firstPeriod: 1 })).toBeCloseTo(100 / 0.3, 10);
  });

  it('retentionClv over a finite horizon equals the explicit sum, and tends to the closed form', () => {
    for (const f of [0, 1] as const) {
      let sum = 0;
      for (let k = 0; k < 7; k++) sum += (100 * 0.8 ** k) / 1.1 ** (k + f);
      expect(retentionClv({ margin: 100, retention: 0.8, discountRate: 0.1, firstPeriod: f, horizon: 7 })).toBeCloseTo(sum, 10);
      expect(retentionClv({ margin: 100, retention: 0.8, discountRate: 0.1, firstPeriod: f, horizon: 2000 })).toBeCloseTo(
        retentionClv({ margin: 100, retention: 0.8, discountRate: 0.1, firstPeriod: f }),
        8,
      );
    }
    expect(retentionClv({ margin: 10, retention: 1, discountRate: 0, firstPeriod: 0, horizon: 5 })).toBe(50);
  });

  it('rejects bad input with CrmErrors naming the field under options', () => {
    const cases: [() => number, string][] = [
      [() => discountedClv({ revenue: [1, Number.NaN], discountRate: 0.1, firstPeriod: 0 }), 'revenue'],
      [() => discountedClv({ revenue: [1], cost: [1, 2], discountRate: 0.1, firstPeriod: 0 }), 'cost'],
      [() => discountedClv({ revenue: [1], discountRate: 0.1 } as never), 'firstPeriod'],
      [() => retentionClv({ margin: 1, retention: 1.2, discountRate: 0.1, firstPeriod: 0 }), 'retention'],
      [() => retentionClv({ margin: 1, retention: 1, discountRate: 0, firstPeriod: 0 }), 'horizon'],
    ];
    for (const [f, field] of cases) {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(isCrmError(e) && e.path.slice(0, 2)).toEqual(['options', field]);
      }
    }
  });
});
