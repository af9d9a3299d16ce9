import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isCrmError, type PurchaseHistory } from '@crm/core';
import {
  BgBb,
  BgNbd,
  GammaGamma,
  ModifiedBgNbd,
  ParetoNbd,
  ShiftedBetaGeometric,
  customerLifetimeValue,
  digamma,
  discountedClv,
  logAddExp,
  logBeta,
  logGamma,
  logHyp2f1,
  logSubExp,
  logSumExp,
  retentionClv,
  rfmScores,
  rfmSegmentTable,
  simulateBgNbd,
  validateSegmentMap,
  type PurchaseModel,
} from '@crm/scoring';
import { cdnowSummary, readCsv, relativeError } from './helpers.ts';
import { crmError } from '../../../test/crm-error.ts';

const cdnow = Object.freeze(cdnowSummary().map((c) => Object.freeze(c)));
const donations = Object.freeze(
  readCsv('donations.csv').map((r) => Object.freeze({ frequency: r.frequency as number, recency: r.recency as number, T: r.periods as number, weight: r.weights as number })),
);
const sbgSurvivors = [1000, 869, 743, 653, 593, 551, 517, 491];


/** Every value reachable from the model's own properties: none may be a typed array. */
function reachesTypedArray(value: unknown, seen = new Set<unknown>()): boolean {
  if (value === null || typeof value !== 'object' || seen.has(value)) return false;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return true;
  return Reflect.ownKeys(value).some((k) => reachesTypedArray((value as Record<string | symbol, unknown>)[k], seen));
}

interface Fitted {
  readonly params: object;
  toJSON(): unknown;
}

const fitted: [string, () => Fitted, (m: Fitted) => number][] = [
  ['BgNbd', () => BgNbd.fit(cdnow), (m) => (m as unknown as BgNbd).expectedPurchases(39, cdnow[0] as PurchaseHistory)],
  ['ParetoNbd', () => ParetoNbd.fit(cdnow), (m) => (m as unknown as ParetoNbd).expectedPurchases(39, cdnow[0] as PurchaseHistory)],
  ['ModifiedBgNbd', () => ModifiedBgNbd.fit(cdnow), (m) => (m as unknown as ModifiedBgNbd).expectedPurchases(39, cdnow[0] as PurchaseHistory)],
  ['BgBb', () => BgBb.fit(donations), (m) => (m as unknown as BgBb).expectedPurchases(5, { frequency: 3, recency: 5, T: 6 })],
  ['GammaGamma', () => GammaGamma.fit(cdnow), (m) => (m as unknown as GammaGamma).expectedSpend(cdnow[0])],
  ['ShiftedBetaGeometric', () => ShiftedBetaGeometric.fit(sbgSurvivors), (m) => (m as unknown as ShiftedBetaGeometric).survival(12)],
];

describe('fitted models are frozen (freezeModel)', () => {
  it.each(fitted)('%s is frozen: params cannot be reassigned, nor its prototype swapped, after fit or fromJSON', (_, fit, predict) => {
    const model = fit();
    const again = (model.constructor as unknown as { fromJSON(j: unknown): Fitted }).fromJSON(JSON.parse(JSON.stringify(model)));
    for (const m of [model, again]) {
      const before = predict(m);
      const json = JSON.stringify(m.toJSON());
      expect(Object.isFrozen(m)).toBe(true);
      // Test modules are strict: a write to a frozen object is a TypeError.
      expect(() => {
        (m as { params: unknown }).params = { ...m.params, r: 5, p: 5, alpha: 5 };
      }).toThrow(TypeError);
      expect(() => {
        (m.params as Record<string, number>)[Object.keys(m.params)[0] as string] = 5;
      }).toThrow(TypeError);
      expect(() => Object.setPrototypeOf(m, { toJSON: () => ({}) })).toThrow(TypeError);
      expect(() => {
        (m as unknown as Record<string, unknown>).extra = 1;
      }).toThrow(TypeError);
      expect(() => {
        (m as unknown as { report: { converged: boolean } }).report.converged = false;
      }).toThrow(TypeError);
      expect(predict(m)).toBe(before);
      expect(JSON.stringify(m.toJSON())).toBe(json);
    }
  });

  it.each(fitted)('%s: no typed array is reachable from its public properties', (_, fit) => {
    expect(reachesTypedArray(fit())).toBe(false);
  });
});

describe('options are read by the shared reader: misspelled keys are errors', () => {
  const fits: [string, (o: unknown) => unknown][] = [
    ['BgNbd.fit', (o) => BgNbd.fit(cdnow, o as never)],
    ['ParetoNbd.fit', (o) => ParetoNbd.fit(cdnow, o as never)],
    ['ModifiedBgNbd.fit', (o) => ModifiedBgNbd.fit(cdnow, o as never)],
    ['BgBb.fit', (o) => BgBb.fit(donations, o as never)],
    ['GammaGamma.fit', (o) => GammaGamma.fit(cdnow, o as never)],
    ['ShiftedBetaGeometric.fit', (o) => ShiftedBetaGeometric.fit(sbgSurvivors, o as never)],
  ];
  it.each(fits)('%s rejects { penalzer: 0.1 }, naming penalizer', (_, fit) => {
    const e = crmError(() => fit({ penalzer: 0.1 }));
    expect(e.code).toBe('invalid_argument');
    expect(e.path).toEqual(['options', 'penalzer']);
    expect(e.message).toContain("'penalizer'");
    expect(crmError(() => fit({ penalizer: Number.NaN })).path).toEqual(['options', 'penalizer']);
    expect(crmError(() => fit('fast')).path).toEqual(['options']);
  });

  it('customerLifetimeValue rejects { margn: 0.3 } instead of ignoring it', () => {
    const bg = BgNbd.fit(cdnow);
    const gg = GammaGamma.fit(cdnow);
    const options = { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01, margn: 0.3 };
    const e = crmError(() => customerLifetimeValue(bg, gg, cdnow.slice(0, 3), options as never));
    expect([e.code, e.path]).toEqual(['invalid_argument', ['options', 'margn']]);
    expect(e.message).toContain("'margin'");
  });

  it('rfmScores rejects misspelled keys, also inside weights and breaks', () => {
    const rows = cdnow.slice(0, 20);
    expect(crmError(() => rfmScores(rows, { bin: 3 } as never)).path).toEqual(['options', 'bin']);
    expect(crmError(() => rfmScores(rows, { weights: { r: 1, f: 1, mm: 1 } } as never)).path).toEqual(['options', 'weights', 'mm']);
    expect(crmError(() => rfmScores(rows, { breaks: { recncy: [1, 2, 3, 4] } } as never)).path).toEqual(['options', 'breaks', 'recncy']);
    expect(crmError(() => rfmScores(rows, { ties: 'first' } as never)).path).toEqual(['options', 'ties']);
  });

  it('discountedClv, retentionClv, simulateBgNbd and probabilityOfPurchases reject unknown keys', () => {
    expect(crmError(() => discountedClv({ revenue: [1], discountRate: 0.1, firstPeriod: 0, aquisitionCost: 5 } as never)).path).toEqual(['options', 'aquisitionCost']);
    expect(crmError(() => retentionClv({ margin: 1, retention: 0.5, discountRate: 0.1, firstPeriod: 0, horzion: 5 } as never)).path).toEqual(['options', 'horzion']);
    expect(crmError(() => simulateBgNbd({ r: 1, alpha: 1, a: 1, b: 1 }, { customer: 10, T: 5, seed: 1 } as never)).path).toEqual(['options', 'customer']);
    expect(crmError(() => BgNbd.fit(cdnow).probabilityOfPurchases(39, 2, { maxTerm: 10 } as never)).path).toEqual(['options', 'maxTerm']);
  });
});

/** A model JSON of `kind` with `params`, for fromJSON range checks. */
function modelJson(kind: string, params: Record<string, number>, options: Record<string, number> = { penalizer: 0 }): unknown {
  return {
    kind: `crm.scoring.${kind}`,
    version: 1,
    options,
    params,
    report: { converged: true, iterations: 0, logLikelihood: 0, message: 'given', method: 'bfgs', observations: 1, standardErrors: null },
  };
}

const loaders: [string, string, string[], (json: unknown) => unknown][] = [
  ['BgNbd', 'bg-nbd', ['r', 'alpha', 'a', 'b'], (j) => BgNbd.fromJSON(j)],
  ['ModifiedBgNbd', 'modified-bg-nbd', ['r', 'alpha', 'a', 'b'], (j) => ModifiedBgNbd.fromJSON(j)],
  ['ParetoNbd', 'pareto-nbd', ['r', 'alpha', 's', 'beta'], (j) => ParetoNbd.fromJSON(j)],
  ['BgBb', 'bg-bb', ['alpha', 'beta', 'gamma', 'delta'], (j) => BgBb.fromJSON(j)],
  ['GammaGamma', 'gamma-gamma', ['p', 'q', 'gamma'], (j) => GammaGamma.fromJSON(j)],
  ['ShiftedBetaGeometric', 'shifted-beta-geometric', ['alpha', 'beta'], (j) => ShiftedBetaGeometric.fromJSON(j)],
];

describe('fromJSON rejects parameters outside the valid domain', () => {
  it.each(loaders)('%s.fromJSON rejects 0, negatives, 1e-300 and 1e300 per parameter with invalid_json, and accepts [1e-14, 1e14]', (_, kind, names, load) => {
    const ok = Object.fromEntries(names.map((n) => [n, 2]));
    expect(() => load(modelJson(kind, ok))).not.toThrow();
    for (const name of names) {
      for (const bad of [0, -1, 1e-300, 1e300, 1e15]) {
        const e = crmError(() => load(modelJson(kind, { ...ok, [name]: bad })));
        expect([e.code, e.path]).toEqual(['invalid_json', ['params', name]]);
      }
      expect(() => load(modelJson(kind, { ...ok, [name]: 1e-14 }))).not.toThrow();
      expect(() => load(modelJson(kind, { ...ok, [name]: 1e14 }))).not.toThrow();
    }
    expect(crmError(() => load(modelJson(kind, ok, { penalizer: -1 }))).path).toEqual(['options', 'penalizer']);
  });
});

/** Parameters spread log-uniformly over everything fromJSON accepts. */
const parameter = fc.double({ min: Math.log(1e-14), max: Math.log(1e14), noNaN: true }).map((u) => Math.min(1e14, Math.max(1e-14, Math.exp(u))));
/** Histories from empty to extreme: up to 1e6 repeat purchases, ages up to 1e12 periods. */
const extremeHistory = fc
  .record({ x: fc.oneof(fc.nat(5), fc.nat(1_000_000)), T: fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 1e12, noNaN: true })), share: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ x, T, share }) => ({ frequency: x, recency: x === 0 ? 0 : share * T, T }));
const horizon = fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 1e12, noNaN: true }));

/** Runs a prediction: it must give a finite number, or throw a CrmError with one of `codes`. */
function finiteOrCrmError(f: () => number, codes: readonly string[]): void {
  let v: number;
  try {
    v = f();
  } catch (e) {
    expect(isCrmError(e) && codes.includes(e.code) ? e.code : e).toBe(isCrmError(e) ? e.code : 'a CrmError');
    return;
  }
  expect(Number.isFinite(v)).toBe(true);
}

describe('predictions at extreme but accepted parameters are finite or non_finite_result, never NaN/Infinity', () => {
  // invalid_argument: the documented closed-form domain of the BG/NBD and MBG/NBD means (a + b + x > 1, a ≠ 1).
  const closedForm = ['non_finite_result', 'invalid_argument'];
  it.each([
    ['BgNbd', 'bg-nbd', (j: unknown) => BgNbd.fromJSON(j)],
    ['ModifiedBgNbd', 'modified-bg-nbd', (j: unknown) => ModifiedBgNbd.fromJSON(j)],
  ] as const)('%s: expectedPurchases, probabilityAlive, logLikelihood', (_, kind, load) => {
    fc.assert(
      fc.property(parameter, parameter, parameter, parameter, extremeHistory, horizon, (r, alpha, a, b, h, t) => {
        const m = load(modelJson(kind, { r, alpha, a, b }));
        finiteOrCrmError(() => m.probabilityAlive(h), []);
        finiteOrCrmError(() => m.logLikelihood(h), ['non_finite_result']);
        finiteOrCrmError(() => m.expectedPurchases(t, h), closedForm);
        finiteOrCrmError(() => m.expectedPurchases(t), closedForm);
      }),
      { numRuns: 300 },
    );
  });

  it('ParetoNbd: expectedPurchases and probabilityAlive', () => {
    fc.assert(
      fc.property(parameter, parameter, parameter, parameter, extremeHistory, horizon, (r, alpha, s, beta, h, t) => {
        const m = ParetoNbd.fromJSON(modelJson('pareto-nbd', { r, alpha, s, beta }));
        // invalid_argument: the ₂F₁ of P(alive) cannot be summed (documented on probabilityAlive).
        finiteOrCrmError(() => m.probabilityAlive(h), ['invalid_argument']);
        finiteOrCrmError(() => m.expectedPurchases(t, h), ['non_finite_result', 'invalid_argument']);
        finiteOrCrmError(() => m.expectedPurchases(t), ['non_finite_result']);
      }),
      { numRuns: 200 },
    );
  });

  it('BgBb: expectedPurchases, probabilityAlive, logLikelihood, probabilityOfPurchases', () => {
    const discrete = fc
      .record({ T: fc.nat(200), a: fc.double({ min: 0, max: 1, noNaN: true }), b: fc.double({ min: 0, max: 1, noNaN: true }) })
      .map(({ T, a, b }) => {
        const tx = Math.floor(a * T);
        const x = Math.floor(b * tx);
        return { frequency: x, recency: x === 0 ? 0 : tx, T };
      });
    fc.assert(
      fc.property(parameter, parameter, parameter, parameter, discrete, fc.nat(1000), (alpha, beta, gamma, delta, h, t) => {
        const m = BgBb.fromJSON(modelJson('bg-bb', { alpha, beta, gamma, delta }));
        finiteOrCrmError(() => m.probabilityAlive(h, 1), []);
        finiteOrCrmError(() => m.logLikelihood(h), []);
        finiteOrCrmError(() => m.expectedPurchases(t, h), ['non_finite_result']);
        finiteOrCrmError(() => m.probabilityOfPurchases(t % 50, 3), ['non_finite_result']);
      }),
      { numRuns: 200 },
    );
  });

  it('GammaGamma: expectedSpend at extreme frequency and spend', () => {
    const spend = fc.record({
      frequency: fc.oneof(fc.nat(10), fc.nat(1e9)),
      monetary: fc.oneof(fc.double({ min: 0, max: 1e3, noNaN: true }), fc.double({ min: 0, max: 1e300, noNaN: true })),
    });
    fc.assert(
      fc.property(parameter, parameter, parameter, spend, (p, q, gamma, c) => {
        const m = GammaGamma.fromJSON(modelJson('gamma-gamma', { p, q, gamma }));
        // degenerate_data: q ≤ 1, where the mean spend is infinite (documented).
        finiteOrCrmError(() => m.expectedSpend(c), ['non_finite_result', 'degenerate_data']);
      }),
      { numRuns: 500 },
    );
  });

  it('ShiftedBetaGeometric: survival, churnProbability, retentionRate, discountedExpectedLifetime', () => {
    fc.assert(
      fc.property(parameter, parameter, fc.nat(1e6), fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (alpha, beta, t, d) => {
        const m = ShiftedBetaGeometric.fromJSON(modelJson('shifted-beta-geometric', { alpha, beta }));
        finiteOrCrmError(() => m.survival(t), []);
        finiteOrCrmError(() => m.churnProbability(t), []);
        finiteOrCrmError(() => m.retentionRate(t + 1), []);
        finiteOrCrmError(() => m.discountedExpectedLifetime(d, t % 100), ['non_finite_result']);
      }),
      { numRuns: 300 },
    );
  });

  it('rfmScores and rfmSegmentTable throw non_finite_result where weights or revenues overflow', () => {
    const rows = [
      { frequency: 2, recency: 5, T: 10, monetary: 10, totalSpend: 1e308 },
      { frequency: 1, recency: 2, T: 10, monetary: 20, totalSpend: 1e308 },
    ];
    expect(crmError(() => rfmScores(rows, { bins: 2, weights: { r: 1e308, f: 1e308, m: 1e308 } })).code).toBe('non_finite_result');
    const map = { bins: 2, axes: 'rf', segments: [{ name: 'all', cells: ['[1-2][1-2]'] }] } as const;
    expect(crmError(() => rfmSegmentTable(rows, rfmScores(rows, { bins: 2 }), map)).code).toBe('non_finite_result');
  });

  it('GammaGamma.expectedSpend of 1e300 spend over 1e9 purchases is the spend itself, not Infinity', () => {
    const m = GammaGamma.fromJSON(modelJson('gamma-gamma', { p: 6.25, q: 3.74, gamma: 15.44 }));
    expect(relativeError(m.expectedSpend({ frequency: 1e9, monetary: 1e300 }), 1e300)).toBeLessThan(1e-6);
  });
});

describe('special functions: the defined value or a CrmError with a path, never NaN', () => {
  const EULER = 0.5772156649015329;
  it('logGamma of negative non-integers is ln |Γ| (Γ(−2.5) = −8√π/15, Γ(−0.5) = −2√π)', () => {
    expect(logGamma(-2.5)).toBeCloseTo(Math.log((8 * Math.sqrt(Math.PI)) / 15), 13);
    expect(logGamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 13);
  });

  it('logGamma and digamma throw invalid_argument at ["x"] at their poles 0, −1, −2, … and for NaN/±Infinity', () => {
    for (const x of [0, -0, -1, -2, -1e20, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect([crmError(() => logGamma(x)).code, crmError(() => logGamma(x)).path]).toEqual(['invalid_argument', ['x']]);
      expect([crmError(() => digamma(x)).code, crmError(() => digamma(x)).path]).toEqual(['invalid_argument', ['x']]);
    }
  });

  it('digamma of negative non-integers follows the reflection ψ(x) = ψ(1 − x) − π cot(πx)', () => {
    // cot(−π/2) = cot(−3π/2) = 0, so ψ(−0.5) = ψ(1.5) = 2 − γ − 2 ln 2 and ψ(−1.5) = ψ(2.5) = ψ(1.5) + 2/3.
    expect(digamma(-0.5)).toBeCloseTo(2 - EULER - 2 * Math.LN2, 13);
    expect(digamma(-1.5)).toBeCloseTo(2 - EULER - 2 * Math.LN2 + 2 / 3, 13);
    // ψ(−0.25) = ψ(1.25) + π (cot(−π/4) = −1); ψ(1.25) = ψ(0.25) + 4 = −γ − π/2 − 3 ln 2 + 4.
    expect(digamma(-0.25)).toBeCloseTo(-EULER - Math.PI / 2 - 3 * Math.LN2 + 4 + Math.PI, 12);
  });

  it('logHyp2f1 throws invalid_argument outside a, b, c > 0, 0 ≤ z < 1 (logHyp2f1(1, 1, 2, −0.5) included)', () => {
    expect(crmError(() => logHyp2f1(1, 1, 2, -0.5)).path).toEqual(['z']);
    expect(crmError(() => logHyp2f1(1, 1, 2, 1)).path).toEqual(['z']);
    expect(crmError(() => logHyp2f1(-1, 1, 2, 0.5)).path).toEqual(['a']);
    expect(crmError(() => logHyp2f1(1, Number.NaN, 2, 0.5)).path).toEqual(['b']);
    expect(crmError(() => logHyp2f1(1, 1, 0, 0.5)).path).toEqual(['c']);
  });

  it('logBeta, logAddExp, logSumExp and logSubExp throw instead of returning NaN', () => {
    expect(crmError(() => logBeta(-1, 2)).path).toEqual(['a']);
    expect(crmError(() => logBeta(2, 0)).path).toEqual(['b']);
    expect(crmError(() => logAddExp(Number.NaN, 0)).path).toEqual(['a']);
    expect(crmError(() => logAddExp(0, Number.POSITIVE_INFINITY)).path).toEqual(['b']);
    expect(crmError(() => logSumExp([0, Number.NaN])).path).toEqual(['values', 1]);
    expect(crmError(() => logSubExp(0, 1)).path).toEqual(['v']);
    expect(logSumExp([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])).toBe(Number.NEGATIVE_INFINITY);
  });

  it('logHyp2f1 stays exact close to z = 1, where the plain series would need millions of terms', () => {
    // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z; ₂F₁(a, b; b; z) = (1 − z)^−a; ₂F₁(½, ½; 3/2; z²) = arcsin(z)/z.
    for (const z of [0.6, 0.9, 0.999, 1 - 1e-6, 1 - 1e-12]) {
      expect(relativeError(logHyp2f1(1, 1, 2, z), Math.log(-Math.log1p(-z) / z))).toBeLessThan(1e-12);
      expect(relativeError(logHyp2f1(200, 3.5, 3.5, z), -200 * Math.log1p(-z))).toBeLessThan(1e-12);
      // arcsin(√z) loses digits near 1 (its slope is infinite there), so that reference stops at 1 − 1e-6.
      if (z > 1 - 1e-7) continue;
      const s = Math.sqrt(z);
      expect(relativeError(logHyp2f1(0.5, 0.5, 1.5, z), Math.log(Math.asin(s) / s))).toBeLessThan(1e-12);
    }
  });
});

/** A purchase model without `cumulativePurchases`: CLV then calls expectedPurchases per period. */
function perCall(model: PurchaseModel): PurchaseModel {
  return { kind: model.kind, expectedPurchases: (t, c) => model.expectedPurchases(t, c), probabilityAlive: (c) => model.probabilityAlive(c) };
}

describe('customerLifetimeValue costs O(n · horizon) and is bounded by maxEvaluations', () => {
  const gg = GammaGamma.fit(cdnow);
  const daily10y = { dataPeriod: 'week', period: 'day', horizon: 3650, discountRate: 0.0003 } as const;

  it.each([
    ['BgNbd', () => BgNbd.fit(cdnow)],
    ['ParetoNbd', () => ParetoNbd.fit(cdnow)],
    ['ModifiedBgNbd', () => ModifiedBgNbd.fit(cdnow)],
  ] as const)('%s: the one-pass cumulativePurchases gives the CLV of per-period expectedPurchases calls (daily, 10 years)', (_, fit) => {
    const model = fit();
    const customers = cdnow.slice(0, 8);
    const fast = customerLifetimeValue(model, gg, customers, daily10y);
    const slow = customerLifetimeValue(perCall(model), gg, customers, daily10y);
    fast.forEach((v, i) => expect(relativeError(v, slow[i] as number)).toBeLessThan(1e-10));
  });

  it('BgBb: cumulativePurchases equals expectedPurchases at each horizon', () => {
    const bb = BgBb.fit(donations);
    const times = [0, 1, 2, 5, 10, 50];
    for (const c of [undefined, { frequency: 3, recency: 5, T: 6 }, { frequency: 0, recency: 0, T: 6 }]) {
      const curve = bb.cumulativePurchases(times, c);
      times.forEach((t, i) => expect(curve[i]).toBeCloseTo(bb.expectedPurchases(t, c), 14));
    }
  });

  it('a horizon of 1e9 is refused with limit_exceeded at options.maxEvaluations before any work', () => {
    const bg = BgNbd.fit(cdnow);
    const e = crmError(() => customerLifetimeValue(bg, gg, cdnow.slice(0, 1), { ...daily10y, horizon: 1e9 }));
    expect([e.code, e.path]).toEqual(['limit_exceeded', ['options', 'maxEvaluations']]);
    expect(e.message).toContain('maxEvaluations');
  });

  it('maxEvaluations raises (or lowers) the limit on customers × horizon', () => {
    const bg = BgNbd.fit(cdnow);
    const options = { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01 } as const;
    expect(crmError(() => customerLifetimeValue(bg, gg, cdnow.slice(0, 3), { ...options, maxEvaluations: 35 })).code).toBe('limit_exceeded');
    expect(customerLifetimeValue(bg, gg, cdnow.slice(0, 3), { ...options, maxEvaluations: 36 })).toHaveLength(3);
  });
});

describe('other costs that could explode are bounded by options', () => {
  it('BgBb refuses histories and horizons beyond maxOpportunities (fit option, kept in the model) instead of allocating them', () => {
    const e = crmError(() => BgBb.fit([...donations, { frequency: 1, recency: 1, T: 1e9 }]));
    expect([e.code, e.path]).toEqual(['limit_exceeded', [donations.length, 'T']]);
    const bb = BgBb.fit(donations);
    expect(bb.options.maxOpportunities).toBe(100_000);
    expect(crmError(() => bb.logLikelihood({ frequency: 1, recency: 1, T: 1e9 })).code).toBe('limit_exceeded');
    expect(crmError(() => bb.probabilityOfPurchases(1e9, 0)).code).toBe('limit_exceeded');
    const wide = BgBb.fit(donations, { maxOpportunities: 1e6 });
    expect(Number.isFinite(wide.logLikelihood({ frequency: 1, recency: 1, T: 200_000 }))).toBe(true);
    expect(BgBb.fromJSON(JSON.parse(JSON.stringify(wide))).options.maxOpportunities).toBe(1e6);
  });

  it('probabilityOfPurchases refuses n beyond maxTerms', () => {
    for (const m of [BgNbd.fit(cdnow), ModifiedBgNbd.fit(cdnow), ParetoNbd.fit(cdnow)]) {
      const e = crmError(() => m.probabilityOfPurchases(39, 1e9));
      expect([e.code, e.path]).toEqual(['limit_exceeded', ['options', 'maxTerms']]);
    }
  });

  it('simulateBgNbd refuses 1e9 customers up front and stops a runaway purchase stream at maxEvents', () => {
    const params = { r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 };
    expect(crmError(() => simulateBgNbd(params, { customers: 1e9, T: 39, seed: 1 })).path).toEqual(['options', 'maxEvents']);
    // A huge purchase rate and a tiny dropout probability: about 1e9 purchases per customer.
    const runaway = { r: 1e3, alpha: 1e-3, a: 1e-3, b: 1e3 };
    expect(crmError(() => simulateBgNbd(runaway, { customers: 2, T: 1000, seed: 1, maxEvents: 100_000 })).path).toEqual(['options', 'maxEvents']);
  });
});

describe('one repeat buyer with $0 repeat spend does not stop the cohort (CDNOW)', () => {
  // A repeat buyer whose repeat orders were all $0 (as CDNOW customer 10244 of the full data).
  const zeroSpender = Object.freeze({ id: 10244, frequency: 1, recency: 20, T: 38, monetary: 0 });
  const cohort = [...cdnow, zeroSpender];
  const published = { p: 6.25, q: 3.74, gamma: 15.44 }; // Fader & Hardie note 025

  it('customerLifetimeValue values the whole cohort, the $0 repeat buyer included', () => {
    const gg = GammaGamma.fit(cohort.filter((c) => c.frequency === 0 || c.monetary > 0));
    const clv = customerLifetimeValue(BgNbd.fit(cohort), gg, cohort, { dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01 });
    expect(clv).toHaveLength(cohort.length);
    expect(clv.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(clv[cohort.length - 1] as number).toBeGreaterThan(0);
  });

  it("expectedSpend at m = 0 is lifetimes' conditional_expected_average_profit p(v + x·m)/(p·x + q − 1) in closed form", () => {
    const gg = GammaGamma.fromJSON(modelJson('gamma-gamma', published));
    const { p, q, gamma: v } = published;
    for (const x of [1, 2, 7]) {
      expect(gg.expectedSpend({ frequency: x, monetary: 0 })).toBeCloseTo((p * (v + x * 0)) / (p * x + q - 1), 12);
      expect(gg.expectedSpend({ frequency: x, monetary: 31.5 })).toBeCloseTo((p * (v + x * 31.5)) / (p * x + q - 1), 12);
    }
  });

  it('only the fit needs m > 0; a negative mean spend is still invalid_summary', () => {
    expect(crmError(() => GammaGamma.fit(cohort)).path).toEqual([cohort.length - 1, 'monetary']);
    const gg = GammaGamma.fromJSON(modelJson('gamma-gamma', published));
    expect(crmError(() => gg.expectedSpend({ frequency: 2, monetary: -5 })).code).toBe('invalid_summary');
  });
});

describe('numbers printed in the TSDoc examples', () => {
  it('BG/BB: P(X(6) = 0) for 11,104 donors is 3455.76 (FHS 2010 eq. 7, by the beta-function recurrence)', () => {
    const [al, be, ga, de] = [1.204, 0.75, 0.657, 2.783];
    // B(a, b + 1)/B(a, b) = b/(a + b), B(a + 1, b)/B(a, b) = a/(a + b).
    const ratio = (a: number, b: number, k: number): number => {
      let v = 1;
      for (let i = 0; i < k; i++) v *= (b + i) / (a + b + i);
      return v;
    };
    let p = ratio(al, be, 6) * ratio(ga, de, 6);
    for (let i = 0; i < 6; i++) p += ratio(al, be, i) * ratio(ga, de, i) * (ga / (ga + de + i));
    const bb = BgBb.fromJSON(modelJson('bg-bb', { alpha: al, beta: be, gamma: ga, delta: de }));
    expect(bb.probabilityOfPurchases(6, 0) * 11104).toBeCloseTo(p * 11104, 8);
    expect(Math.round(p * 11104 * 100) / 100).toBe(3455.76);
  });

  it('validateSegmentMap throws for the example map that leaves 11, 12 and 21 uncovered', () => {
    const e = crmError(() => validateSegmentMap({ bins: 2, axes: 'rf', segments: [{ name: 'top', cells: ['22'] }] }));
    expect(e.code).toBe('invalid_segment_map');
    expect(e.message).toContain('cells covered by no segment: 11, 12, 21');
  });
});

describe('BG/NBD at the edge of its parameter range still predicts (the 2F1 continuation falls back to the series)', () => {
  // A fit whose a and b ran to ~1e11 (purchases without identifiable dropout). The closed form
  // E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r · 2F1(r, b; a+b−1; t/(α+t))] (Fader, Hardie & Lee 2005,
  // eq. 7) is summed here term by term: with b and c this large the terms fall off at once.
  const params = { r: 0.9851496492732164, alpha: 6.009243085249535, a: 97029893879.06271, b: 296796985636.4011 };
  const direct = (t: number): number => {
    const { r, alpha, a, b } = params;
    const z = t / (alpha + t);
    let term = 1;
    let sum = 1;
    for (let k = 0; k < 10_000 && term > 1e-18 * sum; k++) {
      term *= (((r + k) * (b + k)) / ((a + b - 1 + k) * (k + 1))) * z;
      sum += term;
    }
    return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * sum);
  };
  it('expectedPurchases(t) is finite and equals the closed form for t where z > 1/2', () => {
    const json = { kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 }, params, report: { converged: false, iterations: 37, logLikelihood: -490.28, message: 'edge', method: 'bfgs', observations: 60, standardErrors: null } };
    const model = BgNbd.fromJSON(json);
    for (const t of [8, 20, 50, 500]) {
      const got = model.expectedPurchases(t);
      expect(Math.abs(got - direct(t)) / direct(t)).toBeLessThan(1e-9);
    }
  });
});

describe('customerLifetimeValue with a BG/NBD at the edge of its range (a, b near 1e11)', () => {
  it('the one-pass path gives the CLV of per-period expectedPurchases calls, finite for every customer', () => {
    const edge = BgNbd.fromJSON({
      kind: 'crm.scoring.bg-nbd',
      version: 1,
      options: { penalizer: 0 },
      params: { r: 0.9851496492732164, alpha: 6.009243085249535, a: 97029893879.06271, b: 296796985636.4011 },
      report: { converged: false, iterations: 37, logLikelihood: -490.28, message: 'edge', method: 'bfgs', observations: 60, standardErrors: null },
    });
    const gg = GammaGamma.fit(cdnow);
    const customers = cdnow.slice(0, 50);
    const options = { dataPeriod: 'week', period: 'month', horizon: 24, discountRate: 0.01 } as const;
    const fast = customerLifetimeValue(edge, gg, customers, options);
    const slow = customerLifetimeValue(perCall(edge), gg, customers, options);
    fast.forEach((v, i) => {
      expect(Number.isFinite(v)).toBe(true);
      expect(relativeError(v, slow[i] as number)).toBeLessThan(1e-9);
    });
  });
});

describe('BG/NBD with a + b < 1 predicts for customers without repeat purchases', () => {
  // The first 150 CDNOW customers fit a + b < 1, so c = a + b − 1 < 0 in the mean of a customer with
  // x = 0. Reference: FHL (2005) eq. 10 with ₂F₁ summed here term by term with signs (c < 0 makes
  // the first term negative), against the library's contiguous-relation route.
  const params = { r: 0.25, alpha: 4.5, a: 0.2, b: 0.45 };
  const signedMean = (t: number, T: number): number => {
    const { r, alpha, a, b } = params;
    const c = a + b - 1;
    const z = t / (alpha + T + t);
    let term = 1;
    let sum = 1;
    for (let k = 0; k < 100_000 && Math.abs(term) > 1e-17 * Math.abs(sum); k++) {
      term *= (((r + k) * (b + k)) / ((c + k) * (k + 1))) * z;
      sum += term;
    }
    return (c / (a - 1)) * (1 - Math.pow((alpha + T) / (alpha + T + t), r) * sum);
  };
  it('expectedPurchases(t) and expectedPurchases(t, { frequency: 0 }) equal the signed series', () => {
    const model = BgNbd.fromJSON({
      kind: 'crm.scoring.bg-nbd',
      version: 1,
      options: { penalizer: 0 },
      params,
      report: { converged: true, iterations: 1, logLikelihood: -1, message: 'test', method: 'bfgs', observations: 150, standardErrors: null },
    });
    for (const t of [1, 10, 39, 200]) {
      expect(relativeError(model.expectedPurchases(t), signedMean(t, 0))).toBeLessThan(1e-10);
      expect(relativeError(model.expectedPurchases(t, { frequency: 0, recency: 0, T: 30 }), signedMean(t, 30))).toBeLessThan(1e-10);
    }
  });
});
