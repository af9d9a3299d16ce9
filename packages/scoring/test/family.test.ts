import { describe, expect, it } from 'vitest';
import * as scoring from '@crm/scoring';
import { BgBb, BgNbd, GammaGamma, ModifiedBgNbd, ParetoNbd, ShiftedBetaGeometric } from '@crm/scoring';
import { DERIVED_MESSAGE, FAMILY, familyOf, isDerivedReport, type FamilyDescriptor } from '../src/family.ts';
import { cdnowSummary, readCsv } from './helpers.ts';
import { crmCode } from '../../../test/crm-error.ts';

// The first 300 CDNOW customers keep the Pareto/NBD fits of these tests quick.
const summaries = Object.freeze(cdnowSummary().slice(0, 300).map((r) => Object.freeze(r)));
const donations = Object.freeze(
  readCsv('donations.csv').map((r) => Object.freeze({ frequency: r.frequency as number, recency: r.recency as number, T: r.periods as number, weight: r.weights as number })),
);
const survivors = Object.freeze([1000, 869, 743, 653, 593, 551, 517, 491]);

interface Member {
  readonly kind: string;
  readonly params: object;
  readonly report: scoring.FitReport;
  readonly options: object;
  toJSON(): unknown;
}
interface Case {
  readonly fit: (data: readonly object[], options?: object) => Member;
  readonly fromJSON: (json: unknown) => Member;
  readonly data: readonly object[];
  readonly options: object;
  readonly names: readonly string[];
}
const cases: Record<string, Case> = {
  BgNbd: { fit: (d, o) => BgNbd.fit(d as scoring.WeightedHistory[], o), fromJSON: (j) => BgNbd.fromJSON(j), data: summaries, options: { penalizer: 0.001 }, names: ['r', 'alpha', 'a', 'b'] },
  ModifiedBgNbd: { fit: (d, o) => ModifiedBgNbd.fit(d as scoring.WeightedHistory[], o), fromJSON: (j) => ModifiedBgNbd.fromJSON(j), data: summaries, options: { penalizer: 0 }, names: ['r', 'alpha', 'a', 'b'] },
  ParetoNbd: { fit: (d, o) => ParetoNbd.fit(d as scoring.WeightedHistory[], o), fromJSON: (j) => ParetoNbd.fromJSON(j), data: summaries, options: { penalizer: 0 }, names: ['r', 'alpha', 's', 'beta'] },
  BgBb: { fit: (d, o) => BgBb.fit(d as scoring.WeightedHistory[], o), fromJSON: (j) => BgBb.fromJSON(j), data: donations, options: { maxOpportunities: 50 }, names: ['alpha', 'beta', 'gamma', 'delta'] },
  GammaGamma: { fit: (d, o) => GammaGamma.fit(d as scoring.WeightedSpend[], o), fromJSON: (j) => GammaGamma.fromJSON(j), data: summaries, options: { penalizer: 0 }, names: ['p', 'q', 'gamma'] },
};

const descriptor = (m: Member): FamilyDescriptor<Member> => familyOf(m) as FamilyDescriptor<Member>;

describe('model[FAMILY]: the internal descriptor of every model of the family', () => {
  it('is not part of the public API: neither the key nor the helpers are exported', () => {
    expect(Object.keys(scoring)).not.toContain('FAMILY');
    expect(Object.keys(scoring)).not.toContain('familyOf');
    expect(FAMILY).toBe(Symbol.for('@crm/scoring.family'));
  });

  it('is undefined on anything else', () => {
    expect(familyOf({})).toBeUndefined();
    expect(familyOf(null)).toBeUndefined();
    expect(familyOf(scoring.rfmScores)).toBeUndefined();
  });

  for (const [name, c] of Object.entries(cases)) {
    describe(name, () => {
      const model = c.fit(c.data, c.options);
      const d = descriptor(model);

      it('names the parameters in the order of the covariance, and its vector is ln θ', () => {
        expect(d.names).toEqual(c.names);
        expect(Object.keys(model.params)).toEqual(c.names);
        const u = d.vector();
        expect(u).toBeInstanceOf(Float64Array);
        c.names.forEach((n, i) => expect(u[i]).toBe(Math.log((model.params as Record<string, number>)[n] as number)));
        expect(d.vector()).not.toBe(u);
        expect(model.report.covariance?.length).toBe(c.names.length);
      });

      it('is invisible to JSON and to a spread, and cannot be replaced', () => {
        expect(Object.getOwnPropertyDescriptor(model, FAMILY)?.enumerable).toBe(false);
        expect(JSON.stringify(model)).not.toContain('family');
        expect(FAMILY in { ...model }).toBe(false);
        expect(() => {
          (model as unknown as Record<symbol, unknown>)[FAMILY] = {};
        }).toThrow(TypeError);
        expect(Object.isFrozen(d)).toBe(true);
      });

      it('withVector gives the same model at other parameters, its report marked as derived', () => {
        const u = d.vector();
        const shifted = u.map((v, i) => v + 0.1 * (i + 1));
        const other = d.withVector(shifted);
        expect(other.kind).toBe(model.kind);
        expect(other.options).toEqual(model.options);
        c.names.forEach((n, i) => expect((other.params as Record<string, number>)[n]).toBe(Math.exp(shifted[i] as number)));
        expect(isDerivedReport(other.report)).toBe(true);
        expect(other.report.message).toBe(DERIVED_MESSAGE);
        expect(other.report.iterations).toBe(0);
        expect(other.report.standardErrors).toBeNull();
        expect(other.report.covariance).toBeNull();
        expect(isDerivedReport(model.report)).toBe(false);
        expect(Object.isFrozen(other) && Object.isFrozen(other.params)).toBe(true);
        // It is a model like any other: it round-trips through JSON and has its own descriptor.
        const text = JSON.stringify(other);
        expect(JSON.stringify(c.fromJSON(JSON.parse(text)))).toBe(text);
        // ln(exp(u)) is u within a few ulps.
        descriptor(other).vector().forEach((v, i) => expect(Math.abs(v - (shifted[i] as number))).toBeLessThan(1e-14));
        // The input vector is not kept or changed.
        shifted[0] = 99;
        expect((other.params as Record<string, number>)[c.names[0] as string]).not.toBe(Math.exp(99));
      });

      it('withVector rejects a vector of the wrong length, non-finite or out of range entries', () => {
        const k = c.names.length;
        expect(crmCode(() => d.withVector(new Float64Array(k + 1)))).toEqual(['invalid_argument', ['u']]);
        expect(crmCode(() => d.withVector(null as unknown as Float64Array))).toEqual(['invalid_argument', ['u']]);
        const bad = d.vector();
        bad[1] = Number.NaN;
        expect(crmCode(() => d.withVector(bad))).toEqual(['invalid_argument', ['u', 1]]);
        bad[1] = 31;
        expect(crmCode(() => d.withVector(bad))).toEqual(['invalid_argument', ['u', 1]]);
      });

      it('refit without weights is fit with the same options, bit for bit', () => {
        expect(JSON.stringify(d.refit(c.data))).toBe(JSON.stringify(model));
      });

      it('refit with whole weights is the fit of the rows repeated that many times, bit for bit; 0 leaves a row out', () => {
        const weights = Float64Array.from(c.data, (_, i) => (i * 7) % 3);
        const repeated = c.data.flatMap((row, i) => Array.from({ length: weights[i] as number }, () => row));
        expect(JSON.stringify(d.refit(c.data, weights))).toBe(JSON.stringify(c.fit(repeated, c.options)));
      });

      it('refit rejects weights of the wrong length, negative or non-finite', () => {
        const n = c.data.length;
        expect(crmCode(() => d.refit(c.data, new Float64Array(n - 1)))).toEqual(['invalid_argument', ['weights']]);
        const w = new Float64Array(n).fill(1);
        w[2] = -1;
        expect(crmCode(() => d.refit(c.data, w))).toEqual(['invalid_argument', ['weights', 2]]);
        w[2] = Number.POSITIVE_INFINITY;
        expect(crmCode(() => d.refit(c.data, w))).toEqual(['invalid_argument', ['weights', 2]]);
      });
    });
  }

  it('ShiftedBetaGeometric: refit takes survivors (resampled by the caller); row weights do not apply to a table of counts', () => {
    const model = ShiftedBetaGeometric.fit(survivors, { penalizer: 0 });
    const d = familyOf(model) as FamilyDescriptor<ShiftedBetaGeometric>;
    expect(d.names).toEqual(['alpha', 'beta']);
    expect(JSON.stringify(d.refit(survivors))).toBe(JSON.stringify(model));
    expect(JSON.stringify(d.refit([1000, 880, 760, 670, 600, 560, 520, 500]))).toBe(JSON.stringify(ShiftedBetaGeometric.fit([1000, 880, 760, 670, 600, 560, 520, 500])));
    expect(crmCode(() => d.refit(survivors, new Float64Array(survivors.length).fill(1)))).toEqual(['invalid_argument', ['weights']]);
    const other = d.withVector(Float64Array.of(0, 1));
    expect(other.params).toEqual({ alpha: 1, beta: Math.exp(1) });
    expect(other.survival(3)).toBeGreaterThan(0);
  });
});
