import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isCrmError, type PurchaseHistory } from '@crm/core';
import { BgBb, BgNbd, GammaGamma, ModifiedBgNbd, ParetoNbd } from '@crm/scoring';
import { cdnowSummary, relativeError } from './helpers.ts';

interface Reference {
  readonly t: number;
  readonly n: readonly number[];
  readonly customers: readonly (PurchaseHistory & { id: number })[];
  readonly models: Readonly<
    Record<
      'bg-nbd' | 'modified-bg-nbd' | 'pareto-nbd',
      {
        readonly params: Readonly<Record<string, number>>;
        readonly probabilityAlive: readonly number[];
        readonly conditionalProbability: readonly (readonly number[])[];
        readonly logLikelihood?: readonly number[];
      }
    >
  >;
}

// conditional_reference.py: lifetimes 0.11.3 on its own CDNOW summary (weeks, to 1997-09-30), with
// lifetimes' fitted parameters; BG/NBD and MBG/NBD by mpmath quadrature of the model's definition,
// Pareto/NBD by lifetimes (Hardie's note 028, eq. 16).
const ref = JSON.parse(readFileSync(new URL('./fixtures/conditional_reference.json', import.meta.url), 'utf8')) as Reference;

/**
 * Both sides are double-precision evaluations of the same probability (the quadrature carried 50
 * digits; lifetimes' ₂F₁ is accurate to ~1e-15 at these small arguments); ours goes through ln Γ and
 * ln B of arguments up to ~70 and exp of their sums, which costs up to ~1e-13 relative. 1e-10 leaves
 * a thousandfold margin and is still far below what a wrong term would change (≥ 1e-4).
 */
const REFERENCE_RTOL = 1e-10;
/** Probabilities below this are compared absolutely (relative error of a 1e-20 tail means nothing). */
const TINY = 1e-12;

const report = { converged: true, iterations: 0, logLikelihood: 0, message: 'lifetimes 0.11.3', method: 'bfgs', observations: 2357, standardErrors: null };
const bg = BgNbd.fromJSON({ kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 }, params: ref.models['bg-nbd'].params, report });
const mbg = ModifiedBgNbd.fromJSON({ kind: 'crm.scoring.modified-bg-nbd', version: 1, options: { penalizer: 0 }, params: ref.models['modified-bg-nbd'].params, report });
const pnbd = ParetoNbd.fromJSON({ kind: 'crm.scoring.pareto-nbd', version: 1, options: { penalizer: 0 }, params: ref.models['pareto-nbd'].params, report });
const models = [
  ['BgNbd', 'bg-nbd', bg],
  ['ModifiedBgNbd', 'modified-bg-nbd', mbg],
  ['ParetoNbd', 'pareto-nbd', pnbd],
] as const;

const cdnow = Object.freeze(cdnowSummary().map((c) => Object.freeze({ frequency: c.frequency, recency: c.recency, T: c.T, monetary: c.monetary })));

function close(got: number, want: number, rtol: number): boolean {
  return want < TINY ? Math.abs(got - want) < TINY : relativeError(got, want) < rtol;
}

describe('conditionalProbabilityOfPurchases(t, n, customer) against lifetimes 0.11.3 and quadrature (CDNOW, t = 39 weeks, n = 0…10)', () => {
  it.each(models)('%s matches every customer and n within 1e-10 relative', (_, key, model) => {
    const m = ref.models[key];
    ref.customers.forEach((c, i) => {
      ref.n.forEach((n, j) => {
        const got = model.conditionalProbabilityOfPurchases(ref.t, n, c);
        const want = m.conditionalProbability[i]![j]!;
        expect(close(got, want, REFERENCE_RTOL), `customer ${c.id}, n = ${n}: ${got} vs ${want}`).toBe(true);
      });
      // The fixture's P(alive) is lifetimes' (the script checked its quadrature against it).
      expect(relativeError(model.probabilityAlive(c), m.probabilityAlive[i]!)).toBeLessThan(REFERENCE_RTOL);
    });
  });

  it('a BG/NBD customer without repeat purchases is alive, so P(no purchase | h) is below 1; an MBG/NBD one may have left', () => {
    const none = ref.customers.find((c) => c.frequency === 0)!;
    expect(bg.probabilityAlive(none)).toBe(1);
    expect(mbg.probabilityAlive(none)).toBeLessThan(1);
    expect(mbg.conditionalProbabilityOfPurchases(39, 0, none)).toBeGreaterThan(1 - mbg.probabilityAlive(none));
  });

  it.each(models)('%s: t = 0 gives P(0) = 1 and P(n > 0) = 0, after checking the history', (_, __, model) => {
    expect(model.conditionalProbabilityOfPurchases(0, 0, cdnow[0]!)).toBe(1);
    expect(model.conditionalProbabilityOfPurchases(0, 3, cdnow[0]!)).toBe(0);
    expect(() => model.conditionalProbabilityOfPurchases(0, 0, { frequency: 1, recency: 5, T: 4 })).toThrow(/recency/);
  });

  it.each(models)('%s: bad arguments are CrmErrors with paths; maxTerms bounds the cost', (_, __, model) => {
    const code = (f: () => unknown): unknown => {
      try {
        f();
      } catch (e) {
        return isCrmError(e) ? [e.code, e.path] : e;
      }
      return 'no error';
    };
    expect(code(() => model.conditionalProbabilityOfPurchases(-1, 0, cdnow[0]!))).toEqual(['invalid_argument', ['t']]);
    expect(code(() => model.conditionalProbabilityOfPurchases(39, 1.5, cdnow[0]!))).toEqual(['invalid_argument', ['n']]);
    expect(code(() => model.conditionalProbabilityOfPurchases(39, 1, { frequency: -1, recency: 0, T: 3 }))).toEqual(['invalid_summary', ['customer', 'frequency']]);
    expect(code(() => model.conditionalProbabilityOfPurchases(39, 1, cdnow[0]!, { maxTerm: 5 } as never))).toEqual(['invalid_argument', ['options', 'maxTerm']]);
    expect(code(() => model.conditionalProbabilityOfPurchases(39, 10, cdnow[0]!, { maxTerms: 5 }))).toEqual(['limit_exceeded', ['options', 'maxTerms']]);
    expect(code(() => model.conditionalProbabilityOfPurchasesMany(39, 10, cdnow.slice(0, 3), { maxTerms: 5 }))).toEqual(['limit_exceeded', ['options', 'maxTerms']]);
  });
});

/** Histories of the CDNOW kind: up to 10 repeat purchases in an age of 4 to 60 weeks. */
const history = fc
  .record({ x: fc.nat(10), T: fc.double({ min: 4, max: 60, noNaN: true }), share: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ x, T, share }) => ({ frequency: x, recency: x === 0 ? 0 : share * T, T }));

/**
 * Sums P(X(t) = n | h) and n·P over n = 0, 1, … until the mass left, 1 − Σ P, is below 1e-13 and
 * the last term's n·P below 1e-15, so that the truncated tail cannot move the mean by more than
 * ~1e-13 (the histories and horizons drawn keep the mean below ~65, the tail ends within ~500
 * terms; the cap of 2,000 is never reached).
 */
function moments(model: (typeof models)[number][2], t: number, h: PurchaseHistory): { mass: number; mean: number } {
  let mass = 0;
  let mean = 0;
  for (let n = 0; n < 2000; n++) {
    const p = model.conditionalProbabilityOfPurchases(t, n, h);
    mass += p;
    mean += n * p;
    if (n > 0 && 1 - mass < 1e-13 && n * p < 1e-15) break;
  }
  return { mass, mean };
}

describe('conditional pmf properties (fast-check, lifetimes-fitted CDNOW parameters, random histories and horizons)', () => {
  /**
   * Σ P is 1 up to the truncation (< 1e-13) plus the rounding of ≤ 500 terms each ~1e-15 relative
   * (seen: 5e-15); 1e-11 allows for both. Σ n·P and expectedPurchases are different closed forms
   * (a ₂F₁ continuation or a survival integral against the pmf's terms), both rounded to ~1e-13
   * relative (seen: 2e-14 at a mean of 22.5): 1e-10 relative to max(1, E) keeps a wide margin
   * while any wrong term of either would show far above it.
   */
  const MASS_TOL = 1e-11;
  const MEAN_RTOL = 1e-10;
  it.each(models)('%s: Σₙ P(X(t) = n | h) = 1 and Σₙ n·P = expectedPurchases(t, h)', (_, __, model) => {
    fc.assert(
      fc.property(history, fc.double({ min: 0.5, max: 52, noNaN: true }), (h, t) => {
        const { mass, mean } = moments(model, t, h);
        const expected = model.expectedPurchases(t, h);
        expect(Math.abs(mass - 1)).toBeLessThan(MASS_TOL);
        expect(Math.abs(mean - expected)).toBeLessThan(MEAN_RTOL * Math.max(1, expected));
      }),
      { numRuns: key(model) === 'pareto' ? 25 : 100, seed: 16 },
    );
  });
});

function key(model: (typeof models)[number][2]): string {
  return model.kind === 'crm.scoring.pareto-nbd' ? 'pareto' : 'bg';
}

describe('ParetoNbd.logLikelihood(customer)', () => {
  it('matches lifetimes 0.11.3 _conditional_log_likelihood per customer within 1e-12 relative', () => {
    // Same formula (FHL note 009 eq. 18) in double precision on both sides; 1e-12 covers the ₂F₁ rounding.
    const want = ref.models['pareto-nbd'].logLikelihood!;
    ref.customers.forEach((c, i) => expect(relativeError(pnbd.logLikelihood(c), want[i]!)).toBeLessThan(1e-12));
  });

  it('is the term report.logLikelihood sums over the fitted customers (to 1e-9 relative: summation order)', () => {
    const model = ParetoNbd.fit(cdnow);
    const sum = model.logLikelihoodMany(cdnow).reduce((s, v) => s + v, 0);
    expect(relativeError(sum, model.report.logLikelihood)).toBeLessThan(1e-9);
  });

  it('rejects a bad history with its path', () => {
    expect(() => pnbd.logLikelihood({ frequency: 2, recency: 9, T: 3 })).toThrow(expect.objectContaining({ code: 'invalid_summary', path: ['customer', 'recency'] }));
  });
});

describe('batch predictions (…Many) equal the single forms bit for bit', () => {
  const customers = cdnow.slice(0, 400);
  const same = (batch: Float64Array, single: (c: (typeof customers)[number]) => number): void => {
    expect(batch).toBeInstanceOf(Float64Array);
    expect(batch.length).toBe(customers.length);
    customers.forEach((c, i) => expect(Object.is(batch[i], single(c)), `customer ${i}`).toBe(true));
  };

  it.each(models)('%s: expectedPurchases, probabilityAlive, conditionalProbabilityOfPurchases, logLikelihood', (_, __, model) => {
    same(model.expectedPurchasesMany(39, customers), (c) => model.expectedPurchases(39, c));
    same(model.probabilityAliveMany(customers), (c) => model.probabilityAlive(c));
    same(model.conditionalProbabilityOfPurchasesMany(39, 2, customers), (c) => model.conditionalProbabilityOfPurchases(39, 2, c));
    same(model.conditionalProbabilityOfPurchasesMany(13, 0, customers), (c) => model.conditionalProbabilityOfPurchases(13, 0, c));
    same(model.logLikelihoodMany(customers), (c) => model.logLikelihood(c));
  });

  it('BgBb: expectedPurchases, probabilityAlive (now and one opportunity ahead), logLikelihood', () => {
    // Donation histories of Fader, Hardie & Shang (2010): every pattern of 6 opportunities.
    const bgbb = BgBb.fromJSON({ kind: 'crm.scoring.bg-bb', version: 1, options: { penalizer: 0, maxOpportunities: 100_000 }, params: { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }, report });
    const histories = [{ frequency: 0, recency: 0, T: 6 }];
    for (let tx = 1; tx <= 6; tx++) for (let x = 1; x <= tx; x++) histories.push({ frequency: x, recency: tx, T: 6 });
    const check = (batch: Float64Array, single: (h: PurchaseHistory) => number): void => {
      expect(batch.length).toBe(histories.length);
      histories.forEach((h, i) => expect(Object.is(batch[i], single(h))).toBe(true));
    };
    check(bgbb.expectedPurchasesMany(5, histories), (h) => bgbb.expectedPurchases(5, h));
    check(bgbb.probabilityAliveMany(histories), (h) => bgbb.probabilityAlive(h));
    check(bgbb.probabilityAliveMany(histories, 1), (h) => bgbb.probabilityAlive(h, 1));
    check(bgbb.logLikelihoodMany(histories), (h) => bgbb.logLikelihood(h));
    expect(() => bgbb.expectedPurchasesMany(2.5, histories)).toThrow(expect.objectContaining({ code: 'invalid_argument', path: ['t'] }));
    expect(() => bgbb.logLikelihoodMany([...histories, { frequency: 3, recency: 2, T: 6 }])).toThrow(expect.objectContaining({ path: ['customers', histories.length, 'frequency'] }));
  });

  it('GammaGamma: expectedSpend', () => {
    const gg = GammaGamma.fit(cdnow.filter((c) => c.frequency > 0));
    const spend = customers.map((c) => ({ frequency: c.frequency, monetary: c.monetary }));
    const batch = gg.expectedSpendMany(spend);
    spend.forEach((c, i) => expect(Object.is(batch[i], gg.expectedSpend(c))).toBe(true));
  });

  it('an empty array gives an empty result; the input is not mutated', () => {
    expect(bg.expectedPurchasesMany(10, []).length).toBe(0);
    const frozen = Object.freeze(customers.slice(0, 5));
    expect(() => pnbd.probabilityAliveMany(frozen)).not.toThrow();
  });

  it('a bad customer is reported at ["customers", i, …]; a non-array, a hole or null at ["customers"(, i)]', () => {
    const bad = [cdnow[0]!, cdnow[1]!, { frequency: 1, recency: 7, T: 3 }];
    for (const [, , model] of models) {
      expect(() => model.probabilityAliveMany(bad)).toThrow(expect.objectContaining({ code: 'invalid_summary', path: ['customers', 2, 'recency'] }));
      expect(() => model.expectedPurchasesMany(5, bad)).toThrow(/customers\]\[2\]/);
      expect(() => model.logLikelihoodMany({} as never)).toThrow(expect.objectContaining({ code: 'invalid_argument', path: ['customers'] }));
      // eslint-disable-next-line no-sparse-arrays
      expect(() => model.expectedPurchasesMany(5, [cdnow[0]!, , cdnow[1]!] as never)).toThrow(expect.objectContaining({ code: 'invalid_input', path: ['customers', 1] }));
      expect(() => model.conditionalProbabilityOfPurchasesMany(5, 1, [null] as never)).toThrow(expect.objectContaining({ code: 'invalid_input', path: ['customers', 0] }));
      expect(() => model.expectedPurchasesMany(-5, cdnow.slice(0, 2))).toThrow(expect.objectContaining({ code: 'invalid_argument', path: ['t'] }));
    }
    const gg = GammaGamma.fit(cdnow.filter((c) => c.frequency > 0));
    expect(() => gg.expectedSpendMany([{ frequency: 1, monetary: 3 }, { frequency: 2, monetary: -1 }])).toThrow(
      expect.objectContaining({ code: 'invalid_summary', path: ['customers', 1, 'monetary'] }),
    );
  });
});
