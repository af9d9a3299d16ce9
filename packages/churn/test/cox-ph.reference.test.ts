// CoxPh against R survival 3.5-3 on the Telco data: cox_reference.json, written by
// fixtures/cox_reference.R (coxph with eps = 1e-14, so the reference is the maximum itself).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CoxPh } from '@crm/churn';
import { loadTelco } from './telco.ts';

interface RFit {
  iterations: number;
  coefficients: number[];
  standardErrors: number[];
  z: number[];
  p: number[];
  hazardRatioLower95: number[];
  hazardRatioUpper95: number[];
  logLikelihoodNull: number;
  logLikelihood: number;
  likelihoodRatio: number;
  wald: number;
  score: number;
  concordance: { value: number; concordant: number; discordant: number; tiedRisk: number; tiedTime: number; tiedBoth: number };
  means: number[];
  baseline: { time: number[]; cumulativeHazard: number[] };
  zph: { chisq: number[]; df: number[]; p: number[] };
  rows: number[];
  linearPredictor: number[];
  risk: number[];
  survivalTimes: number[];
  survival: number[][];
  restrictedMeanHorizon: number;
  restrictedMean: number[];
  median: (number | 'NA')[];
}
interface Reference {
  n: number;
  events: number;
  sumTime: number;
  featureNames: string[];
  efron: RFit;
  breslow: RFit;
  ridge: { theta: number; coefficients: number[]; standardErrors: number[]; logLikelihood: number };
}

const ref = JSON.parse(readFileSync(new URL('./fixtures/cox_reference.json', import.meta.url), 'utf8')) as Reference;

/**
 * The design of cox_reference.R, built here from the records: MonthlyCharges, SeniorCitizen and
 * 0/1 indicators (the baseline levels Female, No partner, No dependents, No paperless billing,
 * Month-to-month, DSL, Bank transfer are left out).
 */
function design(): { X: number[][]; durations: number[]; events: number[] } {
  const telco = loadTelco();
  const is = (r: Readonly<Record<string, string | number>>, c: string, v: string): number => (r[c] === v ? 1 : 0);
  const X = telco.records.map((r) => [
    r['MonthlyCharges'] as number,
    r['SeniorCitizen'] as number,
    is(r, 'gender', 'Male'),
    is(r, 'Partner', 'Yes'),
    is(r, 'Dependents', 'Yes'),
    is(r, 'PaperlessBilling', 'Yes'),
    is(r, 'Contract', 'One year'),
    is(r, 'Contract', 'Two year'),
    is(r, 'InternetService', 'Fiber optic'),
    is(r, 'InternetService', 'No'),
    is(r, 'PaymentMethod', 'Credit card (automatic)'),
    is(r, 'PaymentMethod', 'Electronic check'),
    is(r, 'PaymentMethod', 'Mailed check'),
  ]);
  return { X, durations: telco.records.map((r) => r['tenure'] as number), events: telco.y.slice() };
}

/**
 * Relative tolerance (absolute below 1) of every comparison with R: the 1e-6. Both fits
 * are the same maximum (R stopped at a relative log-likelihood change of 1e-14, CoxPh at a Newton
 * decrement of 1e-10, and Newton's quadratic convergence puts both far closer), so what is left is
 * the order of floating-point sums over 7,032 rows: about 1e-10 observed on coefficients, standard
 * errors, the baseline hazard and survival, 1e-9 on the cox.zph chi-squares (a difference of
 * information matrices). The tolerance still separates close variants: Breslow's and Efron's
 * handling of the same ties differ here by up to 3e-2 in a coefficient, 2e-3 in a standard error
 * and 8e-2 in the baseline hazard (the two R fits in the fixture).
 */
const TOL = 1e-6;
/**
 * R's penalised fit (coxpenal.fit) stops by its own criterion: at its coefficients the penalised
 * log-likelihood ℓ(β) − 2.5‖β‖² is −14074.211581242513, at ours −14074.211581242474 (both evaluated by
 * R's coxph with iter.max = 0), so R's point is 4e-11 below the maximum, which moves the
 * coefficients by up to 9e-7. 5e-6 covers R's stopping error; the standard errors and the
 * log-likelihood stay within 1e-6.
 */
const RIDGE_COEFFICIENT_TOL = 5e-6;

const close = (got: number, want: number, tol: number, what: string): void => {
  expect(Math.abs(got - want), `${what}: got ${got}, R ${want}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want)));
};

describe.each(['efron', 'breslow'] as const)('CoxPh on Telco, ties %s, against R survival', (ties) => {
  const r = ref[ties];
  const data = design();
  const model = CoxPh.fit(data.X, { durations: data.durations, events: data.events }, { ties, featureNames: ref.featureNames });

  it('uses the same rows as the reference', () => {
    expect(data.X.length).toBe(ref.n);
    expect(data.events.reduce((a, b) => a + b, 0)).toBe(ref.events);
    expect(data.durations.reduce((a, b) => a + b, 0)).toBe(ref.sumTime);
  });

  it('coefficients, standard errors, log-likelihoods and tests', () => {
    expect(model.report.converged).toBe(true);
    model.summary.forEach((row, j) => {
      close(row.coefficient, r.coefficients[j] as number, TOL, `coef ${row.feature}`);
      close(row.standardError, r.standardErrors[j] as number, TOL, `se ${row.feature}`);
      close(row.z, r.z[j] as number, TOL, `z ${row.feature}`);
      close(row.lower, r.hazardRatioLower95[j] as number, TOL, `lower ${row.feature}`);
      close(row.upper, r.hazardRatioUpper95[j] as number, TOL, `upper ${row.feature}`);
      close(row.p, r.p[j] as number, TOL, `p ${row.feature}`);
    });
    close(model.logLikelihood, r.logLikelihood, TOL, 'loglik');
    close(model.logLikelihoodNull, r.logLikelihoodNull, TOL, 'loglik0');
    close(model.tests.likelihoodRatio.statistic, r.likelihoodRatio, TOL, 'LR');
    close(model.tests.wald.statistic, r.wald, TOL, 'Wald');
    close(model.tests.score.statistic, r.score, TOL, 'score');
  });

  it('concordance', () => {
    const { value, ...counts } = model.concordance;
    expect(counts).toEqual({
      concordant: r.concordance.concordant,
      discordant: r.concordance.discordant,
      tiedRisk: r.concordance.tiedRisk,
      tiedTime: r.concordance.tiedTime,
      tiedBoth: r.concordance.tiedBoth,
    });
    close(value as number, r.concordance.value, TOL, 'C');
  });

  it('baseline hazard, reference, predictions', () => {
    const bh = model.baselineHazard();
    expect(bh.times).toEqual(r.baseline.time);
    bh.cumulativeHazard.forEach((h, k) => close(h, r.baseline.cumulativeHazard[k] as number, TOL, `H0 at ${bh.times[k]}`));
    model.reference.forEach((m, j) => close(m, r.means[j] as number, 1e-12, `reference ${j}`));
    const rows = r.rows.map((i) => data.X[i] as number[]);
    model.predictLinear(rows).forEach((v, i) => close(v, r.linearPredictor[i] as number, TOL, `lp ${i}`));
    model.predictRisk(rows).forEach((v, i) => close(v, r.risk[i] as number, TOL, `risk ${i}`));
    model.survival(rows, r.survivalTimes).forEach((s, i) => s.forEach((v, k) => close(v, r.survival[i]?.[k] as number, TOL, `S row ${i} t ${r.survivalTimes[k]}`)));
    expect(model.lastEventTime).toBe(r.restrictedMeanHorizon);
    model.expectedTime(rows).forEach((v, i) => close(v, r.restrictedMean[i] as number, TOL, `rmean ${i}`));
    expect(model.medianTime(rows)).toEqual(r.median.map((m) => (m === 'NA' ? null : m)));
  });

  it('proportional-hazards check (cox.zph, transform km)', () => {
    const ph = model.proportionalHazards;
    expect(ph).not.toBeNull();
    ph!.covariates.forEach((c, j) => {
      close(c.statistic, r.zph.chisq[j] as number, TOL, `zph ${c.feature}`);
      close(c.p, r.zph.p[j] as number, TOL, `zph p ${c.feature}`);
    });
    close(ph!.global.statistic, r.zph.chisq[r.zph.chisq.length - 1] as number, TOL, 'zph global');
  });
});

describe('CoxPh with l2 against R ridge(scale = FALSE)', () => {
  it('coefficients, standard errors, log-likelihood', () => {
    const data = design();
    const m = CoxPh.fit(data.X, { durations: data.durations, events: data.events }, { l2: ref.ridge.theta });
    m.coefficients.forEach((b, j) => close(b, ref.ridge.coefficients[j] as number, RIDGE_COEFFICIENT_TOL, `coef ${j}`));
    m.summary.forEach((row, j) => close(row.standardError, ref.ridge.standardErrors[j] as number, TOL, `se ${j}`));
    close(m.logLikelihood, ref.ridge.logLikelihood, TOL, 'loglik');
  });
});

// A second, independent implementation: statsmodels 0.13.5 PHReg on the same design
// (cox_statsmodels.json, written by fixtures/cox_statsmodels.py), Newton to a step of 1e-12.
describe.each(['efron', 'breslow'] as const)('CoxPh on Telco, ties %s, against statsmodels PHReg', (ties) => {
  const sm = JSON.parse(readFileSync(new URL('./fixtures/cox_statsmodels.json', import.meta.url), 'utf8')) as Record<
    'efron' | 'breslow',
    { coefficients: number[]; standardErrors: number[]; logLikelihood: number; logLikelihoodNull: number }
  >;
  it('coefficients, standard errors and log-likelihoods', () => {
    const data = design();
    const m = CoxPh.fit(data.X, { durations: data.durations, events: data.events }, { ties });
    m.summary.forEach((row, j) => {
      close(row.coefficient, sm[ties].coefficients[j] as number, TOL, `coef ${j}`);
      close(row.standardError, sm[ties].standardErrors[j] as number, TOL, `se ${j}`);
    });
    close(m.logLikelihood, sm[ties].logLikelihood, TOL, 'loglik');
    close(m.logLikelihoodNull, sm[ties].logLikelihoodNull, TOL, 'loglik0');
  });
});
