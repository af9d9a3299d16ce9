import { describe, expect, it } from 'vitest';
import { createRng, isCrmError } from '@crm/core';
import { ParetoNbd, type ParetoNbdJson } from '@crm/scoring';
import { cdnowSummary, relativeError } from './helpers.ts';

const cdnow = Object.freeze(cdnowSummary().map((c) => Object.freeze(c)));
const model = ParetoNbd.fit(cdnow);
/** The brief's bar for predictions; it also covers the ~1e-4 relative spread between converged optimizers here. */
const PREDICTION_RTOL = 1e-3;

function withParams(r: number, alpha: number, s: number, beta: number): ParetoNbd {
  const json: ParetoNbdJson = {
    kind: 'crm.scoring.pareto-nbd',
    version: 1,
    options: { penalizer: 0 },
    params: { r, alpha, s, beta },
    report: { converged: true, iterations: 0, logLikelihood: -1, message: 'fixed', method: 'bfgs', observations: 1, standardErrors: null },
  };
  return ParetoNbd.fromJSON(json);
}
// R BTYD walkthrough parameters (used by lifetimes test_estimation.py:409 and pymc-marketing).
const btyd = withParams(0.5534, 10.5802, 0.6061, 11.6562);

describe('ParetoNbd.fit on CDNOW', () => {
  it('reproduces Fader, Hardie & Lee (2005): r .5533, α 10.58, s .6062, β 11.67, each to the digits given', () => {
    expect(model.report.converged).toBe(true);
    expect(model.params.r).toBeCloseTo(0.5533, 4);
    expect(model.params.alpha).toBeCloseTo(10.58, 2);
    expect(model.params.s).toBeCloseTo(0.6062, 4);
    expect(model.params.beta).toBeCloseTo(11.67, 2);
  });

  it('reaches log-likelihood −9594.98 ± 0.05 (CLVTools −9594.976, lifetimes −9594.9739)', () => {
    expect(Math.abs(model.report.logLikelihood - -9594.98)).toBeLessThanOrEqual(0.05);
  });

  it('gives the standard errors of CLVTools (0.0476264, 0.8427222, 0.1872594, 6.2105448) within 1%', () => {
    // 1%: CLVTools works from the raw transactions, we from the 2-dp summary; both Hessians are numerical.
    const se = model.report.standardErrors!;
    expect(relativeError(se.r as number, 0.0476264)).toBeLessThan(0.01);
    expect(relativeError(se.alpha as number, 0.8427222)).toBeLessThan(0.01);
    expect(relativeError(se.s as number, 0.1872594)).toBeLessThan(0.01);
    expect(relativeError(se.beta as number, 6.2105448)).toBeLessThan(0.01);
  });

  it('fits weighted duplicates like the raw rows', () => {
    const doubled = ParetoNbd.fit(cdnow.map((c) => ({ frequency: c.frequency, recency: c.recency, T: c.T, weight: 3 })));
    for (const k of ['r', 'alpha', 's', 'beta'] as const) expect(relativeError(doubled.params[k], model.params[k])).toBeLessThan(1e-4);
  });
});

describe('ParetoNbd.fit work is bounded', () => {
  it('ParetoNbd.fit on a small cohort finishes and every gradient series is bounded', () => {
    // Uniform recencies and frequencies: no heterogeneity to find, so the likelihood rises towards
    // r, α → ∞ and s, β → ∞ (constant purchase and dropout rates), where z = |α−β|/(max + T) → 1 and
    // the plain ₂F₁ series needed hundreds of thousands of terms per customer and evaluation.
    const rng = createRng(5);
    const data = Array.from({ length: 60 }, () => {
      const T = 20 + rng.int(0, 30);
      const frequency = rng.int(0, 6);
      const recency = frequency === 0 ? 0 : Math.round(rng.uniform() * T * 100) / 100;
      return { frequency, recency, T };
    });
    const fit = ParetoNbd.fit(data);
    // scipy 1.17 (Nelder–Mead on the constant-rate limit, dropout times integrated by quad):
    // supremum −501.3054 at purchase rate 0.12354 and dropout rate 0.035707 per period. At r and α
    // near 1e10 the terms r·ln α of the log-likelihood are near 1e11, so in double precision it
    // carries an absolute rounding error of a few hundredths.
    expect(Math.abs(fit.report.logLikelihood - -501.3054)).toBeLessThan(0.05);
    expect(relativeError(fit.params.r / fit.params.alpha, 0.12354)).toBeLessThan(0.01);
    expect(relativeError(fit.params.s / fit.params.beta, 0.035707)).toBeLessThan(0.01);
    // The maximum is at the edge of the parameter space, which the report must not call converged.
    expect(fit.report.converged).toBe(false);
  });
});

describe('ParetoNbd predictions', () => {
  it('matches lifetimes 0.11.3 on CDNOW customers 1–5 (REFERENCE §6): E[X(39) | history] and P(alive)', () => {
    const expected = [
      [1.455096, 0.869116],
      [0.170981, 0.167874],
      [0.107058, 0.295102],
    ];
    expected.forEach(([e, alive], i) => {
      expect(relativeError(model.expectedPurchases(39, cdnow[i]), e as number)).toBeLessThan(PREDICTION_RTOL);
      expect(relativeError(model.probabilityAlive(cdnow[i]!), alive as number)).toBeLessThan(PREDICTION_RTOL);
    });
  });

  it('matches lifetimes 0.11.3 for E[X(t)] of a new customer, t = 1..9 (test_estimation.py:342, ran here)', () => {
    const lifetimes = [0.051006, 0.099625, 0.146133, 0.190756, 0.233684, 0.275077, 0.315074, 0.353792, 0.391334];
    lifetimes.forEach((e, i) => expect(relativeError(model.expectedPurchases(i + 1), e)).toBeLessThan(PREDICTION_RTOL));
    expect(model.expectedPurchases(0)).toBe(0);
  });

  it('gives the R BTYD walkthrough values at its parameters: E[X(52) | 26, 30.86, 31] = 25.46 and P(alive) = 0.9979', () => {
    const h = { frequency: 26, recency: 30.86, T: 31 };
    // Tolerances are those of the published figures (2 and 4 decimals, lifetimes test_estimation.py:364, 403).
    expect(Math.abs(btyd.expectedPurchases(52, h) - 25.46)).toBeLessThan(0.01);
    expect(Math.abs(btyd.probabilityAlive(h) - 0.9979)).toBeLessThan(0.001);
  });

  it('E[X(10) | 132, 200, 200] and | 133, 200, 200 agree with the values in lifetimes test_estimation.py:376-392', () => {
    const m = withParams(0.55, 10.58, 0.61, 11.67);
    expect(relativeError(m.expectedPurchases(10, { frequency: 132, recency: 200, T: 200 }), 6.2060517889632418)).toBeLessThan(PREDICTION_RTOL);
    expect(relativeError(m.expectedPurchases(10, { frequency: 133, recency: 200, T: 200 }), 6.2528722475748113)).toBeLessThan(PREDICTION_RTOL);
  });

  it('stays finite and in [0, 1] at extreme parameters and frequencies (test_estimation.py:413)', () => {
    const m = withParams(10.465, 7.98565181e-3, 3.0516, 2.82);
    const rows = [
      { frequency: 40, recency: 5, T: 6 },
      { frequency: 50, recency: 1, T: 37 },
      { frequency: 50, recency: 4, T: 37 },
      { frequency: 400, recency: 5, T: 6 },
      { frequency: 500, recency: 1, T: 37 },
    ];
    for (const h of rows) {
      const p = m.probabilityAlive(h);
      expect(p >= 0 && p <= 1).toBe(true);
      expect(Number.isFinite(m.expectedPurchases(10, h))).toBe(true);
    }
  });

  it('P(X(t) = n) sums to 1 and has mean E[X(t)], for α < β (the fit) and α > β', () => {
    // Two independent closed forms (FHL 2006 note for the PMF, Schmittlein et al. for the mean) must agree.
    for (const m of [model, withParams(0.55, 14.5, 0.6, 9.5)]) {
      for (const t of [1, 10, 39]) {
        let sum = 0;
        let mean = 0;
        for (let n = 0; n < 300; n++) {
          const p = m.probabilityOfPurchases(t, n);
          expect(p >= 0 && p <= 1).toBe(true);
          sum += p;
          mean += n * p;
        }
        expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
        expect(relativeError(mean, m.expectedPurchases(t))).toBeLessThan(1e-8);
      }
    }
  });

  it('gives P(alive) < 1 to customers without repeat purchases, falling with T', () => {
    const a = model.probabilityAlive({ frequency: 0, recency: 0, T: 10 });
    const b = model.probabilityAlive({ frequency: 0, recency: 0, T: 40 });
    expect(a).toBeLessThan(1);
    expect(b).toBeLessThan(a);
  });
});

describe('ParetoNbd JSON and bad input', () => {
  it('round-trips through JSON with identical predictions', () => {
    const copy = ParetoNbd.fromJSON(JSON.parse(JSON.stringify(model)));
    for (const c of cdnow.slice(0, 10)) expect(copy.expectedPurchases(26, c)).toBe(model.expectedPurchases(26, c));
    expect(() => ParetoNbd.fromJSON({ ...model.toJSON(), version: 9 })).toThrow(/version/);
  });

  it.each([
    ['recency > T', [{ frequency: 1, recency: 5, T: 4 }], 'invalid_summary'],
    ['NaN frequency', [{ frequency: Number.NaN, recency: 0, T: 4 }], 'invalid_input'],
    ['no repeat buyers', [{ frequency: 0, recency: 0, T: 4 }], 'degenerate_data'],
  ])('fit throws a CrmError on %s', (_, rows, code) => {
    try {
      ParetoNbd.fit(Object.freeze(rows));
      expect.unreachable();
    } catch (e) {
      expect(isCrmError(e) && e.code).toBe(code);
    }
  });
});
