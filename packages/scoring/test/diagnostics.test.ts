import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibrationHoldout, chiSquareSurvival, isCrmError } from '@crm/core';
import {
  aliveHistory,
  BgNbd,
  compareModels,
  frequencyRecencyMatrix,
  holdoutAccuracy,
  holdoutPurchases,
  likelihoodRatioTest,
  ModifiedBgNbd,
  ParetoNbd,
  periodTransactions,
  transactionTracking,
  type PurchaseModel,
} from '@crm/scoring';
import { relativeError } from './helpers.ts';

// Reference: lifetimes 0.11.3 on the CDNOW sample (calibration to 1997-09-30, holdout to
// 1998-06-30, weeks), written by fixtures/diagnostics_reference.py. Each of @crm's models is built
// from the parameters lifetimes fitted, so the diagnostics are compared at the same parameters.
interface ModelRef {
  params: Record<string, number>;
  periodTransactionsExpected?: number[];
  calibrationHoldout: { frequency: number; customers: number; actual: number; predicted: number }[];
  holdoutMae: number;
  holdoutRmse: number;
  holdoutTotalPredicted: number;
  holdoutTotalActual: number;
  trackingActual: number[];
  trackingExpected: number[];
  trackingDailyActual: number[];
  trackingDailyExpected: number[];
  matrixMaxFrequency: number;
  matrixMaxRecency: number;
  expectedMatrix: number[][];
  aliveMatrix: number[][];
  aliveHistory: Record<string, number[]>;
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/diagnostics_reference.json', import.meta.url), 'utf8')) as {
  maxFrequency: number;
  durationHoldout: number;
  customers: number;
  trackingWeeks: number;
  aliveWeeks: number;
  periodTransactionsActual: number[];
  models: Record<'bg-nbd' | 'modified-bg-nbd' | 'pareto-nbd', ModelRef>;
};

/**
 * Relative tolerance against lifetimes at identical parameters: both evaluate the same closed forms
 * in double precision (lifetimes with scipy's gammaln/hyp2f1, @crm with its own log-gamma and
 * hypergeometric series); the largest difference seen is below 1e-12 (2e-13 typical, sums over
 * thousands of customers included). 1e-10 leaves room for another engine or scipy build while still
 * failing on any difference of formula, time convention or grouping (those move the 4th digit).
 */
const SAME_FORMULA = 1e-10;

// Customer ids are the file's first column (`id_total`, '00004'), as the reference script reads them.
const transactions = gunzipSync(readFileSync(new URL('./fixtures/CDNOW_sample.txt.gz', import.meta.url)))
  .toString('utf8')
  .trim()
  .split('\n')
  .map((line) => {
    const [id, , d, , dollars] = line.trim().split(/\s+/) as [string, string, string, string, string];
    return { customerId: id, time: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`, amount: Number(dollars) };
  });
const rows = calibrationHoldout(transactions, { calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', period: 'week' });

const report = { converged: true, iterations: 0, logLikelihood: 0, message: 'lifetimes 0.11.3', method: 'bfgs', observations: 2357, standardErrors: null };
const models: Record<keyof typeof ref.models, PurchaseModel & { probabilityOfPurchases(t: number, n: number): number }> = {
  'bg-nbd': BgNbd.fromJSON({ kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 }, params: ref.models['bg-nbd'].params, report }),
  'modified-bg-nbd': ModifiedBgNbd.fromJSON({ kind: 'crm.scoring.modified-bg-nbd', version: 1, options: { penalizer: 0 }, params: ref.models['modified-bg-nbd'].params, report }),
  'pareto-nbd': ParetoNbd.fromJSON({ kind: 'crm.scoring.pareto-nbd', version: 1, options: { penalizer: 0 }, params: ref.models['pareto-nbd'].params, report }),
};
const names = Object.keys(models) as (keyof typeof models)[];

function expectClose(actual: readonly number[], expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => {
    const e = expected[i] as number;
    const err = Math.abs(e) < 1e-12 ? Math.abs(v - e) : relativeError(v, e);
    if (!(err <= tol)) throw new Error(`entry ${i}: ${v} vs ${e} (error ${err} > ${tol})`);
  });
}

describe('diagnostics against lifetimes 0.11.3 on CDNOW', () => {
  it('the calibration/holdout rows are lifetimes\' (2,357 customers, 39-week holdout)', () => {
    expect(rows.length).toBe(ref.customers);
    expect(rows[0]!.durationHoldout).toBeCloseTo(ref.durationHoldout, 12);
  });

  it('periodTransactions(model, customers): actual counts exactly, expected Σ P(X(Tᵢ) = n) within 1e-10 (BG/NBD, MBG/NBD)', () => {
    for (const name of ['bg-nbd', 'modified-bg-nbd'] as const) {
      const p = periodTransactions(models[name], rows, { maxFrequency: ref.maxFrequency });
      expect(p.actual).toEqual(ref.periodTransactionsActual);
      expect(p.labels.at(-1)).toBe('7+');
      expectClose(p.expected, ref.models[name].periodTransactionsExpected!, SAME_FORMULA);
    }
  });

  it('periodTransactions sums to the number of customers for Pareto/NBD (lifetimes has no P(X(t) = n) for it)', () => {
    const p = periodTransactions(models['pareto-nbd'], rows);
    expect(p.expected.reduce((s, v) => s + v, 0)).toBeCloseTo(rows.length, 8);
    // Without a reference only the invariants are checked: every bin is a non-negative count.
    p.expected.forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
  });

  it('holdoutPurchases: groups, sizes and actual means exactly, predicted means within 1e-10', () => {
    for (const name of names) {
      const h = holdoutPurchases(models[name], rows, { maxFrequency: ref.maxFrequency });
      const r = ref.models[name].calibrationHoldout;
      expect(h.frequency).toEqual(r.map((g) => g.frequency));
      expect(h.customers).toEqual(r.map((g) => g.customers));
      expectClose(h.actual, r.map((g) => g.actual), 1e-14);
      expectClose(h.predicted, r.map((g) => g.predicted), SAME_FORMULA);
    }
  });

  it('holdoutAccuracy: MAE, RMSE and totals as computed from lifetimes\' predictions, within 1e-10', () => {
    for (const name of names) {
      const a = holdoutAccuracy(models[name], rows);
      const r = ref.models[name];
      expect(a.totalActual).toBe(r.holdoutTotalActual);
      expectClose([a.mae, a.rmse, a.totalPredicted], [r.holdoutMae, r.holdoutRmse, r.holdoutTotalPredicted], SAME_FORMULA);
      expect(a.aggregateError).toBeCloseTo(a.totalPredicted - a.totalActual, 10);
    }
  });

  it('transactionTracking: expected_cumulative_transactions (78 weeks) — actual exactly, expected within 1e-10', () => {
    for (const name of names) {
      const t = transactionTracking(models[name], transactions, { period: 'week', periods: ref.trackingWeeks, calibrationEnd: '1997-09-30' });
      expect(t.actual).toEqual(ref.models[name].trackingActual);
      expectClose(t.expected, ref.models[name].trackingExpected, SAME_FORMULA);
      expect(t.labels[0]).toBe('1996-12-30'); // the Monday of the week of 1997-01-01
      expect(t.calibrationEnd).toBe(39);
      expect(t.actualIncremental.reduce((s, v) => s + v, 0)).toBe(t.actual.at(-1));
    }
  });

  it("transactionTracking(…, { counting: 'day' }): expected_cumulative_transactions(freq='D', freq_multiplier=7) — actual exactly, expected within 1e-10", () => {
    for (const name of names) {
      const t = transactionTracking(models[name], transactions, { period: 'week', counting: 'day', periods: ref.trackingWeeks, calibrationEnd: '1997-09-30' });
      expect(t.actual).toEqual(ref.models[name].trackingDailyActual);
      expectClose(t.expected, ref.models[name].trackingDailyExpected, SAME_FORMULA);
      expect(t.labels[0]).toBe('1997-01-01'); // 7-day blocks from the first transaction
      expect(t.calibrationEnd).toBe(38); // 1997-09-30 is day 272 = block 38
    }
  });

  it('frequencyRecencyMatrix: lifetimes\' expected-purchases and P(alive) matrices within 1e-10 on every possible history', () => {
    for (const name of names) {
      const r = ref.models[name];
      const m = frequencyRecencyMatrix(models[name], { maxFrequency: r.matrixMaxFrequency, age: r.matrixMaxRecency });
      expect(m.frequency.length).toBe(r.matrixMaxFrequency + 1);
      expect(m.recency.length).toBe(r.matrixMaxRecency + 1);
      // Row 0 only at recency 0: the other cells of lifetimes' row 0 are histories that cannot occur.
      for (let f = 0; f <= r.matrixMaxFrequency; f++) {
        const cols = f === 0 ? [0] : m.recency;
        expectClose(cols.map((j) => m.expected[f]![j]!), cols.map((j) => r.expectedMatrix[f]![j]!), SAME_FORMULA);
        expectClose(cols.map((j) => m.probabilityAlive[f]![j]!), cols.map((j) => r.aliveMatrix[f]![j]!), SAME_FORMULA);
      }
      // Values above 1 are what a P(alive) chart could not draw.
      expect(Math.max(...m.expected.flat())).toBeGreaterThan(0);
    }
  });

  it('aliveHistory: calculate_alive_path (weekly, 78 weeks) within 1e-10 for four customers', () => {
    for (const name of names) {
      for (const [id, path] of Object.entries(ref.models[name].aliveHistory)) {
        const times = transactions.filter((t) => t.customerId === id).map((t) => t.time);
        const h = aliveHistory(models[name], times, { period: 'week', periods: ref.aliveWeeks });
        expectClose(h.probabilityAlive, path, SAME_FORMULA);
      }
    }
  });
});

describe('model comparison', () => {
  const summaries = rows.map(({ frequency, recency, T }) => ({ frequency, recency, T }));
  const bg = BgNbd.fit(summaries);
  const mbg = ModifiedBgNbd.fit(summaries);
  const pnbd = ParetoNbd.fit(summaries);

  it('compareModels: AIC = 2k − 2ℓ and BIC = k ln n − 2ℓ by hand on the CDNOW fits', () => {
    const c = compareModels({ 'BG/NBD': bg, 'MBG/NBD': mbg, 'Pareto/NBD': pnbd });
    expect(c.rows.map((r) => r.name)).toEqual(['BG/NBD', 'MBG/NBD', 'Pareto/NBD']);
    c.rows.forEach((row, i) => {
      const m = [bg, mbg, pnbd][i]!;
      const ll = m.report.logLikelihood;
      expect(row.parameters).toBe(4);
      expect(row.observations).toBe(2357);
      expect(row.logLikelihood).toBe(ll);
      expect(row.aic).toBeCloseTo(8 - 2 * ll, 9);
      expect(row.bic).toBeCloseTo(4 * Math.log(2357) - 2 * ll, 9);
    });
    // Same k and n: the ranking is the log-likelihoods' (published: Pareto/NBD −9594.98 is below BG/NBD −9582.43).
    const best = c.rows.reduce((a, b) => (b.logLikelihood > a.logLikelihood ? b : a));
    expect(c.bestAic).toBe(best.name);
    expect(c.bestBic).toBe(best.name);
  });

  it('compareModels refuses fits of different data and models without a report', () => {
    const small = BgNbd.fit(summaries.slice(0, 500));
    expect(() => compareModels({ a: bg, b: small })).toThrow(/same data/);
    expect(() => compareModels({})).toThrow(/at least one/);
    expect(() => compareModels({ a: { kind: 'x', params: { r: 1 } } as never })).toThrow(/report/);
  });

  it('likelihoodRatioTest: 2Δℓ and chiSquareSurvival(2Δℓ, df) by hand; refuses a full model that fits worse', () => {
    // Nested by construction: BG/NBD with b fixed is the restricted model of BG/NBD.
    const restrictedReport = { ...bg.report, logLikelihood: bg.report.logLikelihood - 3.2 };
    const restricted = { kind: 'crm.scoring.bg-nbd', params: { r: 1, alpha: 1, a: 1 }, report: restrictedReport };
    const t = likelihoodRatioTest(restricted, bg);
    expect(t.df).toBe(1);
    expect(t.statistic).toBeCloseTo(6.4, 9);
    expect(t.pValue).toBe(chiSquareSurvival(t.statistic, 1));
    expect(t.pValue).toBeCloseTo(0.011412036, 8); // 1 − pchisq(6.4, 1) in R
    expect(likelihoodRatioTest(restricted, bg, { df: 2 }).pValue).toBeCloseTo(Math.exp(-3.2), 12); // χ²₂ survival is e^(−x/2)
    expect(() => likelihoodRatioTest(bg, restricted)).toThrow();
    expect(() => likelihoodRatioTest({ ...restricted, report: { ...restrictedReport, logLikelihood: bg.report.logLikelihood + 1 } }, bg)).toThrow(/not nested/);
  });

  it('holdoutAccuracy on a hand-computed case', () => {
    // A model predicting exactly 1, 2 and 0.5 purchases; actual 0, 2 and 2:
    // errors 1, 0, −1.5 → MAE 2.5/3, RMSE √(3.25/3), totals 3.5 vs 4.
    const predictions = [1, 2, 0.5];
    let i = 0;
    const fake: PurchaseModel = { kind: 'test', expectedPurchases: () => predictions[i++]!, probabilityAlive: () => 1 };
    const a = holdoutAccuracy(fake, [
      { frequency: 0, recency: 0, T: 10, frequencyHoldout: 0, durationHoldout: 5 },
      { frequency: 1, recency: 3, T: 10, frequencyHoldout: 2, durationHoldout: 5 },
      { frequency: 2, recency: 9, T: 10, frequencyHoldout: 2, durationHoldout: 5 },
    ]);
    expect(a.mae).toBeCloseTo(2.5 / 3, 14);
    expect(a.rmse).toBeCloseTo(Math.sqrt(3.25 / 3), 14);
    expect(a.totalPredicted).toBe(3.5);
    expect(a.totalActual).toBe(4);
    expect(a.aggregateError).toBe(-0.5);
    expect(a.relativeAggregateError).toBe(-0.125);
  });
});

describe('weights', () => {
  it('a row of weight w counts as w identical customers in periodTransactions, holdoutPurchases and holdoutAccuracy', () => {
    const bg = models['bg-nbd'];
    const base = [
      { frequency: 0, recency: 0, T: 30, frequencyHoldout: 0, durationHoldout: 10 },
      { frequency: 2, recency: 20, T: 30, frequencyHoldout: 3, durationHoldout: 10 },
      { frequency: 9, recency: 29, T: 30, frequencyHoldout: 1, durationHoldout: 10 },
    ];
    const weights = [3, 1, 2];
    const weighted = base.map((r, i) => ({ ...r, weight: weights[i] }));
    const repeated = base.flatMap((r, i) => Array.from({ length: weights[i]! }, () => r));
    const pw = periodTransactions(bg, weighted, { maxFrequency: 3 });
    const pr = periodTransactions(bg, repeated, { maxFrequency: 3 });
    expect(pw.actual).toEqual(pr.actual);
    expectClose(pw.expected, pr.expected, 1e-12);
    const hw = holdoutPurchases(bg, weighted);
    const hr = holdoutPurchases(bg, repeated);
    expect(hw.customers).toEqual(hr.customers);
    expectClose(hw.predicted, hr.predicted, 1e-12);
    const aw = holdoutAccuracy(bg, weighted);
    const ar = holdoutAccuracy(bg, repeated);
    expectClose([aw.customers, aw.mae, aw.rmse, aw.totalPredicted], [ar.customers, ar.mae, ar.rmse, ar.totalPredicted], 1e-12);
  });
});

describe('diagnostics refuse bad input with CrmError', () => {
  const bg = models['bg-nbd'];
  const code = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return isCrmError(e) ? e.code : 'not a CrmError';
    }
    return undefined;
  };
  it('empty, malformed and unknown options', () => {
    expect(code(() => periodTransactions(bg, []))).toBe('invalid_input');
    expect(code(() => periodTransactions(bg, [{ frequency: 1, recency: 5, T: 2 }]))).toBe('invalid_summary');
    expect(code(() => periodTransactions(bg, rows, { maxFrequncy: 3 } as never))).toBe('invalid_argument');
    expect(code(() => holdoutPurchases(bg, [{ frequency: 0, recency: 0, T: 1, frequencyHoldout: -1, durationHoldout: 3 }]))).toBe('invalid_input');
    expect(code(() => holdoutAccuracy(bg, [{ frequency: 0, recency: 0, T: 1, frequencyHoldout: 1, durationHoldout: Number.NaN }]))).toBe('invalid_input');
    expect(code(() => transactionTracking(bg, transactions, {} as never))).toBe('invalid_argument');
    expect(code(() => transactionTracking(bg, transactions, { periods: 1e6 }))).toBe('limit_exceeded');
    expect(code(() => transactionTracking(bg, transactions, { periods: 3, start: '2030-01-01' }))).toBe('invalid_input');
    expect(code(() => aliveHistory(bg, ['not a date'], { periods: 3 }))).toBe('invalid_input');
    expect(code(() => aliveHistory(bg, [], { periods: 3 }))).toBe('invalid_input');
    expect(code(() => frequencyRecencyMatrix(bg, { maxFrequency: 3 } as never))).toBe('invalid_argument');
    expect(code(() => frequencyRecencyMatrix(bg, { maxFrequency: 10_000, age: 10_000 }))).toBe('limit_exceeded');
  });
});

describe('invariants', () => {
  const history = fc
    .record({ T: fc.double({ min: 0.5, max: 60, noNaN: true }), share: fc.double({ min: 0, max: 1, noNaN: true }), x: fc.integer({ min: 0, max: 30 }) })
    .map(({ T, share, x }) => ({ frequency: x, recency: x === 0 ? 0 : share * T, T }));

  it('periodTransactions: expected counts are ≥ 0 and sum to the number of customers, for every model', () => {
    fc.assert(
      fc.property(fc.array(history, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 12 }), (customers, k) => {
        for (const name of names) {
          const p = periodTransactions(models[name], customers, { maxFrequency: k });
          expect(p.actual.reduce((s, v) => s + v, 0)).toBe(customers.length);
          p.expected.forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
          expect(Math.abs(p.expected.reduce((s, v) => s + v, 0) - customers.length)).toBeLessThan(1e-9 * customers.length);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('aliveHistory: P(alive) in [0, 1], T the period, frequency never decreasing', () => {
    const day = fc.integer({ min: 0, max: 400 }).map((d) => new Date(Date.UTC(1997, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.array(day, { minLength: 1, maxLength: 20 }), (dates) => {
        for (const name of names) {
          const h = aliveHistory(models[name], dates, { period: 'week', periods: 60 });
          h.probabilityAlive.forEach((p) => expect(p >= 0 && p <= 1).toBe(true));
          h.T.forEach((t, i) => expect(t).toBe(i));
          h.frequency.forEach((f, i) => expect(f).toBeGreaterThanOrEqual(i === 0 ? 0 : h.frequency[i - 1]!));
        }
      }),
      { numRuns: 30 },
    );
  });
});
