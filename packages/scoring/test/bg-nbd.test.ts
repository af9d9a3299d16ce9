import { describe, expect, it } from 'vitest';
import { isCrmError } from '@crm/core';
import { BgNbd, simulateBgNbd, type BgNbdJson } from '@crm/scoring';
import { cdnowSummary, relativeError } from './helpers.ts';

// CDNOW sample, 2,357 customers, weeks, calibration to 1997-09-30.
const cdnow = Object.freeze(cdnowSummary().map((c) => Object.freeze(c)));
const model = BgNbd.fit(cdnow);

/** Predictions are compared within 1e-3 relative: the brief's bar, which also absorbs the
 * ~1e-6 relative difference between our optimum and lifetimes' (both converged on the same data). */
const PREDICTION_RTOL = 1e-3;

/** A model with fixed parameters, built through the public JSON format. */
function withParams(r: number, alpha: number, a: number, b: number): BgNbd {
  const json: BgNbdJson = {
    kind: 'crm.scoring.bg-nbd',
    version: 1,
    options: { penalizer: 0 },
    params: { r, alpha, a, b },
    report: { converged: true, iterations: 0, logLikelihood: -1, message: 'fixed', method: 'bfgs', observations: 1, standardErrors: null },
  };
  return BgNbd.fromJSON(json);
}

describe('BgNbd.fit on CDNOW', () => {
  it('reproduces Fader, Hardie & Lee (2005): r .2426, α 4.414, a .7929, b 2.426, each to the digits given', () => {
    // toBeCloseTo(v, d) checks |Δ| < 10^-d / 2, i.e. agreement to the published digits.
    expect(model.params.r).toBeCloseTo(0.2426, 4);
    expect(model.params.alpha).toBeCloseTo(4.414, 3);
    expect(model.params.a).toBeCloseTo(0.7929, 4);
    expect(model.params.b).toBeCloseTo(2.426, 3);
    expect(model.report.converged).toBe(true);
  });

  it('reaches log-likelihood −9582.43 ± 0.05 (CLVTools −9582.429, lifetimes 0.11.3 −9582.4256)', () => {
    expect(Math.abs(model.report.logLikelihood - -9582.43)).toBeLessThanOrEqual(0.05);
  });

  it('gives the standard errors of lifetimes 0.11.3 (0.012557, 0.378221, 0.185719, 0.705345) within 1%', () => {
    // 1%: our Hessian is a forward difference of the analytic gradient, lifetimes' is autograd's.
    const se = model.report.standardErrors;
    expect(se).not.toBeNull();
    expect(relativeError(se!.r as number, 0.012557)).toBeLessThan(0.01);
    expect(relativeError(se!.alpha as number, 0.378221)).toBeLessThan(0.01);
    expect(relativeError(se!.a as number, 0.185719)).toBeLessThan(0.01);
    expect(relativeError(se!.b as number, 0.705345)).toBeLessThan(0.01);
  });

  it('fits grouped data with weights to the same estimates as the raw rows', () => {
    const groups = new Map<string, { frequency: number; recency: number; T: number; weight: number }>();
    for (const c of cdnow) {
      const key = `${c.frequency}|${c.recency}|${c.T}`;
      const g = groups.get(key);
      if (g) g.weight++;
      else groups.set(key, { frequency: c.frequency, recency: c.recency, T: c.T, weight: 1 });
    }
    const weighted = BgNbd.fit([...groups.values()]);
    expect(groups.size).toBeLessThan(cdnow.length);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(relativeError(weighted.params[k], model.params[k])).toBeLessThan(1e-6);
  });

  it('gives the same P(alive) when every time is multiplied by 10 (lifetimes test_estimation.py:623)', () => {
    const scaled = BgNbd.fit(cdnow.map((c) => ({ frequency: c.frequency, recency: 10 * c.recency, T: 10 * c.T })));
    expect(relativeError(scaled.params.alpha, 10 * model.params.alpha)).toBeLessThan(1e-5);
    for (const c of cdnow.slice(0, 50)) {
      const s = { frequency: c.frequency, recency: 10 * c.recency, T: 10 * c.T };
      expect(Math.abs(scaled.probabilityAlive(s) - model.probabilityAlive(c))).toBeLessThan(1e-4);
    }
  });

  it('shrinks every parameter as the penalizer grows 0 → 0.1 → 10 (lifetimes test_estimation.py:565)', () => {
    const p1 = BgNbd.fit(cdnow, { penalizer: 0.1 }).params;
    const p2 = BgNbd.fit(cdnow, { penalizer: 10 }).params;
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(p1[k]).toBeLessThan(model.params[k]);
      expect(p2[k]).toBeLessThan(p1[k]);
    }
  });
});

describe('BgNbd predictions', () => {
  it('matches lifetimes 0.11.3 on the first CDNOW customers (REFERENCE §6): E[X(39) | history] and P(alive)', () => {
    const expected = [
      [1.22591, 0.726609],
      [0.203251, 0.212227],
      [0.194781, 1],
    ];
    expected.forEach(([e, alive], i) => {
      expect(relativeError(model.expectedPurchases(39, cdnow[i]), e as number)).toBeLessThan(PREDICTION_RTOL);
      expect(relativeError(model.probabilityAlive(cdnow[i]!), alive as number)).toBeLessThan(PREDICTION_RTOL);
    });
  });

  it('matches Hardie\'s spreadsheet / lifetimes for E[X(t)] of a new customer (test_estimation.py:543)', () => {
    const times = [0.1429, 1, 3, 31.8571, 32, 78];
    const lifetimes = [0.007816, 0.053185, 0.150632, 1.040494, 1.043737, 1.857972];
    times.forEach((t, i) => expect(relativeError(model.expectedPurchases(t), lifetimes[i] as number)).toBeLessThan(PREDICTION_RTOL));
    expect(model.expectedPurchases(0)).toBe(0);
  });

  it('E[X(39) | x=2, tₓ=30.43, T=38.86] = 1.226 (lifetimes test_estimation.py:533)', () => {
    expect(relativeError(model.expectedPurchases(39, { frequency: 2, recency: 30.43, T: 38.86 }), 1.22591)).toBeLessThan(PREDICTION_RTOL);
  });

  it('P(X(t) = n) at the published parameters equals R BTYD (test_estimation.py:594-621)', () => {
    const m = withParams(0.243, 4.414, 0.793, 2.426);
    expect(relativeError(m.probabilityOfPurchases(2, 10), 1.07869e-7)).toBeLessThan(PREDICTION_RTOL);
    expect(relativeError(m.probabilityOfPurchases(39, 0), 0.5737864)).toBeLessThan(PREDICTION_RTOL);
    const pmf30 = [
      0.0019995214, 0.0015170236, 0.001163315, 0.0009003148, 0.0007023638, 0.0005517902, 0.0004361913, 0.0003467171,
      0.0002769613, 0.000222226,
    ];
    pmf30.forEach((p, i) => expect(relativeError(m.probabilityOfPurchases(30, 11 + i), p)).toBeLessThan(PREDICTION_RTOL));
  });

  it("logLikelihood is stable at 200 purchases (pymc-marketing test_numerically_stable_logp, Hardie note 027)", () => {
    const m = withParams(0.25, 4, 0.8, 2.5);
    // pymc-marketing's expected values, to the 8 and 4 decimals it prints.
    expect(m.logLikelihood({ frequency: 0, recency: 0, T: 40 })).toBeCloseTo(-0.59947382, 8);
    expect(m.logLikelihood({ frequency: 200, recency: 38, T: 40 })).toBeCloseTo(100.7957, 4);
    const sum = cdnow.reduce((s, c) => s + model.logLikelihood(c), 0);
    expect(sum).toBeCloseTo(model.report.logLikelihood, 6);
  });

  it('P(X(t) = n) sums to 1 over n', () => {
    let sum = 0;
    for (let n = 0; n < 400; n++) sum += model.probabilityOfPurchases(20, n);
    expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
  });

  it('P(alive) is 1 for x = 0, exactly 0 for an extreme history, and in [0, 1] on a grid (test_estimation.py:554-563, 733)', () => {
    expect(model.probabilityAlive({ frequency: 0, recency: 0, T: 1 })).toBe(1);
    expect(model.probabilityAlive({ frequency: 1000, recency: 10, T: 100 })).toBe(0);
    for (let x = 0; x < 100; x += 10) {
      for (let tx = 0; tx < 100; tx += 10) {
        for (let T = tx; T < 100; T += 10) {
          if (x === 0 && tx > 0) continue;
          const p = model.probabilityAlive({ frequency: x, recency: tx, T });
          expect(p >= 0 && p <= 1).toBe(true);
          const e = model.expectedPurchases(10, { frequency: x, recency: tx, T });
          expect(Number.isFinite(e) && e >= 0).toBe(true);
        }
      }
    }
  });
});

describe('BgNbd JSON and bad input', () => {
  it('round-trips through JSON with identical predictions', () => {
    const copy = BgNbd.fromJSON(JSON.parse(JSON.stringify(model)));
    expect(copy.params).toEqual(model.params);
    expect(copy.report).toEqual(model.report);
    for (const c of cdnow.slice(0, 20)) expect(copy.expectedPurchases(26, c)).toBe(model.expectedPurchases(26, c));
  });

  it('rejects foreign or tampered JSON with invalid_json', () => {
    const good = JSON.parse(JSON.stringify(model));
    const bad = [
      null,
      { ...good, kind: 'crm.scoring.pareto-nbd' },
      { ...good, version: 2 },
      { ...good, params: { ...good.params, r: -1 } },
      { ...good, params: { ...good.params, alpha: 'x' } },
      { ...good, report: { ...good.report, converged: 'yes' } },
      JSON.parse('{"__proto__": {"polluted": true}}'),
    ];
    for (const b of bad) {
      try {
        BgNbd.fromJSON(b);
        expect.unreachable();
      } catch (e) {
        expect(isCrmError(e) && e.code).toBe('invalid_json');
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['recency > T', [{ frequency: 1, recency: 5, T: 4 }], 'invalid_summary', [0, 'recency']],
    ['negative frequency', [{ frequency: -1, recency: 0, T: 4 }], 'invalid_summary', [0, 'frequency']],
    ['fractional frequency', [{ frequency: 1.5, recency: 2, T: 4 }], 'invalid_summary', [0, 'frequency']],
    ['NaN T', [{ frequency: 1, recency: 2, T: Number.NaN }], 'invalid_input', [0, 'T']],
    ['recency without repeats', [{ frequency: 0, recency: 2, T: 4 }], 'invalid_summary', [0, 'recency']],
    ['negative weight', [{ frequency: 1, recency: 2, T: 4, weight: -1 }], 'invalid_input', [0, 'weight']],
    ['empty input', [], 'invalid_input', ['customers']],
    ['no repeat buyers', [{ frequency: 0, recency: 0, T: 4 }, { frequency: 0, recency: 0, T: 9 }], 'degenerate_data', ['customers']],
  ])('fit throws a CrmError on %s', (_, rows, code, path) => {
    try {
      BgNbd.fit(Object.freeze(rows) as never);
      expect.unreachable();
    } catch (e) {
      expect(isCrmError(e) && e.code).toBe(code);
      expect(isCrmError(e) && e.path).toEqual(path);
    }
  });

  it('rejects bad prediction arguments and a bad penalizer', () => {
    expect(() => model.expectedPurchases(-1)).toThrow(/t must be/);
    expect(() => model.probabilityAlive({ frequency: 1, recency: 3, T: 2 })).toThrow(/exceeds T/);
    expect(() => model.probabilityOfPurchases(1, 1.5)).toThrow(/whole number/);
    expect(() => BgNbd.fit(cdnow, { penalizer: -1 })).toThrow(/penalizer/);
  });
});

describe('simulateBgNbd', () => {
  it('is reproducible by seed, and a fit on 20,000 simulated customers recovers the parameters within 4 standard errors', () => {
    const truth = { r: 0.2426, alpha: 4.414, a: 0.7929, b: 2.426 };
    const ages = Array.from({ length: 20_000 }, (_, i) => 27 + (12 * i) / 20_000);
    const data = simulateBgNbd(truth, { customers: 20_000, T: ages, seed: 11 });
    expect(simulateBgNbd(truth, { customers: 50, T: 39, seed: 11 })).toEqual(simulateBgNbd(truth, { customers: 50, T: 39, seed: 11 }));
    const fit = BgNbd.fit(data);
    const se = fit.report.standardErrors!;
    // An MLE is asymptotically normal: 4 SE leaves a 1-in-15,000 chance per parameter of a false alarm.
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(Math.abs(fit.params[k] - truth[k])).toBeLessThan(4 * (se[k] as number));
  });

  it('rejects bad parameters and options', () => {
    expect(() => simulateBgNbd({ r: -1, alpha: 1, a: 1, b: 1 }, { customers: 1, T: 1, seed: 1 })).toThrow(/params.r/);
    expect(() => simulateBgNbd({ r: 1, alpha: 1, a: 1, b: 1 }, { customers: 2, T: [1], seed: 1 })).toThrow(/T must/);
  });
});
