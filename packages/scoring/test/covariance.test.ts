import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cholesky } from '@crm/core';
import { BgBb, BgNbd, GammaGamma, ModifiedBgNbd, ParetoNbd, ShiftedBetaGeometric, type FitReport } from '@crm/scoring';
import { cdnowSummary, readCsv } from './helpers.ts';
import { crmCode } from '../../../test/crm-error.ts';

// Reference: lifetimes 0.11.3's exact (autograd) Hessian of its mean negative log-likelihood in
// log-parameters at its own optimum, inverted and divided by n (covariance_reference.py).
// Tolerance, per entry relative to √(cᵢᵢcⱼⱼ): our Hessian is a forward difference of the analytic
// gradient with step 1e-5 in u, so each entry carries a relative error of order 1e-5, and the
// inverse amplifies it by the condition number of the correlation matrix (up to ~100 for these
// fits); the two optima differ by < 1e-7 in u. 1e-3 covers that; the largest seen is 1.2e-4 (MBG/NBD).
interface Reference {
  readonly names: string[];
  readonly params: number[];
  readonly covariance: number[][];
}
const reference = JSON.parse(readFileSync(new URL('./fixtures/covariance_reference.json', import.meta.url), 'utf8')) as Record<string, Reference>;
const COVARIANCE_RTOL = 1e-3;
// SE² = θ²·cᵢᵢ holds up to the rounding of one product and one square root.
const SE_RTOL = 1e-12;

const summaries = Object.freeze(cdnowSummary().map((r) => Object.freeze(r)));
const donations = Object.freeze(
  readCsv('donations.csv').map((r) => Object.freeze({ frequency: r.frequency as number, recency: r.recency as number, T: r.periods as number, weight: r.weights as number })),
);

interface Fitted {
  readonly params: object;
  readonly report: FitReport;
  toJSON(): { report: FitReport };
}
const fits: Record<string, () => Fitted> = {
  BgNbd: () => BgNbd.fit(summaries),
  ModifiedBgNbd: () => ModifiedBgNbd.fit(summaries),
  GammaGamma: () => GammaGamma.fit(summaries),
  BgBb: () => BgBb.fit(donations),
};
const cache = new Map<string, Fitted>();
const fitted = (name: string): Fitted => {
  let m = cache.get(name);
  if (m === undefined) cache.set(name, (m = (fits[name] as () => Fitted)()));
  return m;
};

function checkShape(report: FitReport, names: readonly string[], params: object): void {
  const c = report.covariance as readonly (readonly number[])[];
  const k = names.length;
  expect(c.length).toBe(k);
  const flat = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    expect(c[i]?.length).toBe(k);
    for (let j = 0; j < k; j++) {
      expect(Number.isFinite(c[i]![j])).toBe(true);
      expect(c[i]![j]).toBe(c[j]![i]);
      flat[i * k + j] = c[i]![j]!;
    }
    // The standard error of θ is θ·√c_ii (the same observed information, mapped to θ).
    const name = names[i] as string;
    const se = (report.standardErrors as Record<string, number>)[name] as number;
    const theta = (params as Record<string, number>)[name] as number;
    expect(Math.abs(theta * theta * c[i]![i]! - se * se) / (se * se)).toBeLessThan(SE_RTOL);
  }
  expect(cholesky(flat, k)).toBeDefined();
}

describe('FitReport.covariance: inverse observed information in u = ln θ', () => {
  for (const name of Object.keys(fits)) {
    const ref = reference[name] as Reference;
    it(`${name}: matches inv(Hessian)/n of lifetimes 0.11.3's likelihood (autograd) within ${COVARIANCE_RTOL}`, () => {
      const m = fitted(name);
      const c = m.report.covariance as readonly (readonly number[])[];
      for (let i = 0; i < ref.names.length; i++) {
        for (let j = 0; j < ref.names.length; j++) {
          const scale = Math.sqrt(ref.covariance[i]![i]! * ref.covariance[j]![j]!);
          expect(Math.abs(c[i]![j]! - ref.covariance[i]![j]!) / scale, `[${i}][${j}]`).toBeLessThan(COVARIANCE_RTOL);
        }
      }
    });
    it(`${name}: square, symmetric, positive definite, its diagonal the squared standard errors`, () => {
      const m = fitted(name);
      checkShape(m.report, ref.names, m.params);
    });
  }

  it('ParetoNbd and ShiftedBetaGeometric carry one too, consistent with their standard errors', () => {
    const p = ParetoNbd.fit(summaries);
    checkShape(p.report, ['r', 'alpha', 's', 'beta'], p.params);
    const s = ShiftedBetaGeometric.fit([1000, 869, 743, 653, 593, 551, 517, 491]);
    checkShape(s.report, ['alpha', 'beta'], s.params);
  });

  it('is written by toJSON, read back exactly, and frozen on the model', () => {
    const m = BgNbd.fit(summaries);
    const json = JSON.parse(JSON.stringify(m)) as { report: { covariance: number[][] } };
    expect(json.report.covariance).toEqual(m.report.covariance);
    const copy = BgNbd.fromJSON(json);
    expect(copy.report.covariance).toEqual(m.report.covariance);
    expect(Object.isFrozen(copy.report.covariance)).toBe(true);
    expect(Object.isFrozen(copy.report.covariance?.[0])).toBe(true);
    // toJSON hands out a copy, not the model's arrays.
    const out = m.toJSON().report.covariance as number[][];
    expect(Object.isFrozen(out)).toBe(false);
    expect(out).not.toBe(m.report.covariance);
  });

  it('is null when the fit did not converge, as the standard errors are', () => {
    // Every customer buys at the same steady pace: the purchase rates do not vary, r and α run off.
    const steady = Array.from({ length: 40 }, (_, i) => ({ frequency: 10, recency: 30 + (i % 3), T: 32 }));
    const m = BgNbd.fit(steady);
    expect(m.report.converged).toBe(false);
    expect(m.report.standardErrors).toBeNull();
    expect(m.report.covariance).toBeNull();
  });

  it('JSON written before covariance existed loads, with covariance null', () => {
    const old = {
      kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 },
      params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      report: { converged: true, iterations: 0, logLikelihood: -9582.4, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
    };
    expect(BgNbd.fromJSON(old).report.covariance).toBeNull();
  });

  it('fromJSON rejects a covariance of the wrong size, non-finite, asymmetric or not positive definite', () => {
    const good = fitted('BgNbd').toJSON() as unknown as { report: { covariance: number[][] } };
    const withCov = (covariance: unknown): unknown => ({ ...good, report: { ...good.report, covariance } });
    const c = good.report.covariance;
    expect(crmCode(() => BgNbd.fromJSON(withCov(c.slice(0, 3))))).toEqual(['invalid_json', ['report', 'covariance']]);
    expect(crmCode(() => BgNbd.fromJSON(withCov('[[1]]')))).toEqual(['invalid_json', ['report', 'covariance']]);
    expect(crmCode(() => BgNbd.fromJSON(withCov(c.map((row, i) => (i === 2 ? row.slice(1) : row)))))).toEqual(['invalid_json', ['report', 'covariance', 2]]);
    const nonFinite = c.map((row) => [...row]);
    nonFinite[1]![3] = Number.NaN;
    expect(crmCode(() => BgNbd.fromJSON(withCov(nonFinite)))).toEqual(['invalid_json', ['report', 'covariance', 1, 3]]);
    const asymmetric = c.map((row) => [...row]);
    asymmetric[3]![0] = asymmetric[0]![3]! + 1e-3 * Math.sqrt(c[0]![0]! * c[3]![3]!);
    expect(crmCode(() => BgNbd.fromJSON(withCov(asymmetric)))).toEqual(['invalid_json', ['report', 'covariance', 3, 0]]);
    const indefinite = c.map((row, i) => row.map((v, j) => (i === j ? -v : v)));
    expect(crmCode(() => BgNbd.fromJSON(withCov(indefinite)))).toEqual(['invalid_json', ['report', 'covariance']]);
  });
});
