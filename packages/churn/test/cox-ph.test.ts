import { describe, expect, it } from 'vitest';
import { CoxPh, type CoxPhJson } from '@crm/churn';
import { chiSquareSurvival } from '@crm/core';
import { expectCrmError, frozenRows } from './helpers.ts';

// Ten customers, two covariates, tied event times at 3 and 6 (so Efron and Breslow differ).
const X = frozenRows([[0.5, 1], [1.2, 0], [-0.3, 1], [2.0, 0], [0.1, 0], [-1.0, 1], [0.7, 1], [1.5, 0], [-0.6, 0], [0.9, 1]]);
const durations = Object.freeze([3, 1, 6, 2, 3, 9, 6, 3, 8, 5]);
const events = Object.freeze([1, 1, 0, 1, 1, 0, 1, 1, 1, 0]);
const data = Object.freeze({ durations, events });

/** The Breslow score U(β) = Σ_events (x_i − x̄_risk(t_i)), written out from its definition. */
function breslowScore(beta: readonly number[]): number[] {
  const u = [0, 0];
  for (let i = 0; i < X.length; i++) {
    if (events[i] !== 1) continue;
    let s0 = 0;
    const s1 = [0, 0];
    for (let j = 0; j < X.length; j++) {
      if ((durations[j] as number) < (durations[i] as number)) continue;
      const x = X[j] as readonly number[];
      const r = Math.exp((beta[0] as number) * (x[0] as number) + (beta[1] as number) * (x[1] as number));
      s0 += r;
      s1[0] += r * (x[0] as number);
      s1[1] += r * (x[1] as number);
    }
    u[0] += ((X[i] as number[])[0] as number) - (s1[0] as number) / s0;
    u[1] += ((X[i] as number[])[1] as number) - (s1[1] as number) / s0;
  }
  return u;
}

describe('CoxPh.fit', () => {
  it('solves the score equations of the partial likelihood (Breslow, written out independently)', () => {
    const m = CoxPh.fit(X, data, { ties: 'breslow' });
    expect(m.report.converged).toBe(true);
    // Converged at decrement ≤ 1e-10, so |U| ≲ √(1e-10 · information) ≈ 1e-5 at most; Newton lands far closer.
    for (const u of breslowScore(m.coefficients)) expect(Math.abs(u)).toBeLessThan(1e-8);
    // And not at β = 0, where the score is far from 0: the check can fail.
    expect(Math.max(...breslowScore([0, 0]).map(Math.abs))).toBeGreaterThan(0.1);
  });

  it('Efron and Breslow agree without ties and differ with them', () => {
    const untied = { durations: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], events };
    const a = CoxPh.fit(X, untied, { ties: 'efron' });
    const b = CoxPh.fit(X, untied, { ties: 'breslow' });
    a.coefficients.forEach((v, j) => expect(Math.abs(v - (b.coefficients[j] as number))).toBeLessThan(1e-12));
    const c = CoxPh.fit(X, data, { ties: 'efron' });
    const d = CoxPh.fit(X, data, { ties: 'breslow' });
    expect(Math.abs((c.coefficients[0] as number) - (d.coefficients[0] as number))).toBeGreaterThan(1e-3);
  });

  it('echoes its options and names the features', () => {
    const m = CoxPh.fit(X, data, { featureNames: ['charge', 'contract'], confidenceLevel: 0.9 });
    expect(m.options).toEqual({ ties: 'efron', l2: 0, confidenceLevel: 0.9, featureNames: ['charge', 'contract'], maxIterations: 50, tolerance: 1e-10, maxHessianEntries: 25_000_000 });
    expect(m.summary.map((r) => r.feature)).toEqual(['charge', 'contract']);
    expect(CoxPh.fit(X, data).featureNames).toEqual(['x0', 'x1']);
  });

  it('summary rows are consistent: hazard ratio exp(β), interval exp(β ± z·se), p from z', () => {
    const m = CoxPh.fit(X, data, { confidenceLevel: 0.9 });
    const z90 = 1.6448536269514722; // qnorm(0.95)
    for (const r of m.summary) {
      expect(r.hazardRatio).toBeCloseTo(Math.exp(r.coefficient), 12);
      expect(r.lower).toBeCloseTo(Math.exp(r.coefficient - z90 * r.standardError), 12);
      expect(r.upper).toBeCloseTo(Math.exp(r.coefficient + z90 * r.standardError), 12);
      expect(r.p).toBeCloseTo(chiSquareSurvival(r.z * r.z, 1), 14);
    }
    expect(m.tests.likelihoodRatio.statistic).toBeCloseTo(2 * (m.logLikelihood - m.logLikelihoodNull), 10);
  });

  it('l2 shrinks the coefficients toward 0', () => {
    const free = CoxPh.fit(X, data);
    const shrunk = CoxPh.fit(X, data, { l2: 10 });
    const norm = (b: readonly number[]): number => Math.hypot(...b);
    expect(norm(shrunk.coefficients)).toBeLessThan(norm(free.coefficients));
  });

  it('survival curves start at 1, never rise, and stay in [0, 1]; expected time ≤ τ', () => {
    const m = CoxPh.fit(X, data);
    const times = [0, 0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 50];
    for (const s of m.survival(X, times)) {
      expect(s[0]).toBe(1);
      for (let k = 1; k < s.length; k++) expect(s[k] as number).toBeLessThanOrEqual(s[k - 1] as number);
      expect(s[s.length - 1] as number).toBeGreaterThanOrEqual(0);
    }
    expect(m.lastEventTime).toBe(8);
    for (const e of m.expectedTime(X)) {
      expect(e).toBeGreaterThan(0);
      expect(e).toBeLessThanOrEqual(8);
    }
  });

  it('medianTime is the first time S ≤ 0.5, null when S stays above 0.5', () => {
    const m = CoxPh.fit(X, data);
    const times = m.baselineHazard().times;
    const curves = m.survival(X, times);
    m.medianTime(X).forEach((median, i) => {
      const k = (curves[i] as Float64Array).findIndex((v) => v <= 0.5);
      expect(median).toBe(k < 0 ? null : times[k]);
    });
  });

  it('the concordance counts every comparable pair once', () => {
    const m = CoxPh.fit(X, data);
    const lp = m.predictLinear(X);
    let concordant = 0;
    let discordant = 0;
    let tied = 0;
    for (let i = 0; i < X.length; i++) {
      for (let j = 0; j < X.length; j++) {
        // Comparable: i has an event and a shorter time, or j is censored at i's time.
        const ti = durations[i] as number;
        const tj = durations[j] as number;
        if (events[i] !== 1 || !(ti < tj || (ti === tj && events[j] === 0))) continue;
        if ((lp[i] as number) > (lp[j] as number)) concordant++;
        else if ((lp[i] as number) < (lp[j] as number)) discordant++;
        else tied++;
      }
    }
    expect(m.concordance).toMatchObject({ concordant, discordant, tiedRisk: tied });
    expect(m.concordance.value).toBeCloseTo((concordant + tied / 2) / (concordant + discordant + tied), 14);
  });

  it('does not touch its input', () => {
    const d = { durations: Object.freeze(durations.slice()), events: Object.freeze(events.slice()) };
    expect(() => CoxPh.fit(X, d)).not.toThrow();
  });
});

describe('CoxPh: bad input', () => {
  it('no event is degenerate_data', () => {
    expectCrmError(() => CoxPh.fit(X, { durations, events: events.map(() => 0) }), 'degenerate_data', ['events']);
  });
  it('a constant column is degenerate_data naming it', () => {
    expectCrmError(() => CoxPh.fit(X.map((r) => [r[0] as number, 3]), data), 'degenerate_data', ['X', '*', 1]);
  });
  it('a collinear column is degenerate_data without l2, a warning with l2', () => {
    const Xc = X.map((r) => [r[0] as number, r[1] as number, 2 * (r[0] as number) - (r[1] as number)]);
    expectCrmError(() => CoxPh.fit(Xc, data), 'degenerate_data', ['X', '*', 2]);
    const m = CoxPh.fit(Xc, data, { l2: 1 });
    expect(m.report.warning).toMatch(/collinear/);
  });
  it('lengths, values and options are checked', () => {
    expectCrmError(() => CoxPh.fit(X, { durations: durations.slice(1), events: events.slice(1) }), 'invalid_input', ['durations']);
    expectCrmError(() => CoxPh.fit(X, { durations: [...durations.slice(1), -1], events }), 'invalid_input', ['durations', 9]);
    expectCrmError(() => CoxPh.fit([[NaN, 1], ...X.slice(1)], data), 'invalid_input');
    expectCrmError(() => CoxPh.fit(X, data, { featureNames: ['a'] }), 'invalid_argument', ['options', 'featureNames']);
    expectCrmError(() => CoxPh.fit(X, data, { ties: 'exact' as never }), 'invalid_argument', ['options', 'ties']);
    expectCrmError(() => CoxPh.fit(X, data, { maxHessianEntries: 3 }), 'limit_exceeded', ['options', 'maxHessianEntries']);
    const m = CoxPh.fit(X, data);
    expectCrmError(() => m.survival(X, [1, -2]), 'invalid_argument', ['times', 1]);
    expectCrmError(() => m.predictRisk([[1, 2, 3]]), 'invalid_input');
  });
  it('a covariate that orders the events exactly is reported: its coefficient may be infinite', () => {
    // x = 1 for the three earliest churners: the likelihood rises without bound in β.
    const m = CoxPh.fit([[1], [1], [1], [0], [0], [0]], { durations: [1, 2, 3, 4, 5, 6], events: [1, 1, 1, 1, 1, 1] });
    expect(m.report.warning).toMatch(/infinite/);
  });
});

describe('CoxPh JSON', () => {
  const m = CoxPh.fit(X, data, { featureNames: ['a', 'b'] });
  const json = JSON.parse(JSON.stringify(m)) as CoxPhJson;

  it('round-trips bit for bit', () => {
    const back = CoxPh.fromJSON(json);
    expect(JSON.stringify(back)).toBe(JSON.stringify(m));
    expect(back.survival(X, [2, 5])).toEqual(m.survival(X, [2, 5]));
    expect(back.summary).toEqual(m.summary);
    expect(back.proportionalHazards).toEqual(m.proportionalHazards);
  });
  it('rejects tampered JSON', () => {
    const times = json.baseline.times.slice().reverse();
    expectCrmError(() => CoxPh.fromJSON({ ...json, baseline: { ...json.baseline, times } }), 'invalid_json');
    expectCrmError(() => CoxPh.fromJSON({ ...json, kind: 'crm.churn.logistic-regression' }), 'invalid_json', ['kind']);
    expectCrmError(() => CoxPh.fromJSON({ ...json, covariance: [[1, 0], [0.5, 1]] }), 'invalid_json');
    expectCrmError(() => CoxPh.fromJSON({ ...json, featureNames: ['a'] }), 'invalid_json', ['featureNames']);
  });
});

describe('CoxPh TSDoc examples print what their comments say', () => {
  it('the class example: hazard ratio ≈ 3.09, C ≈ 0.881, medians [8, null], no warning', () => {
    const Xd = [[7, 0], [2, 1], [8, 0], [5, 0], [9, 0], [3, 1], [6, 0], [4, 1], [6, 1], [3, 0]];
    const telco = { durations: [2, 60, 5, 30, 1, 72, 12, 8, 20, 40], events: [1, 0, 1, 1, 1, 0, 1, 1, 1, 0] };
    const model = CoxPh.fit(Xd, telco, { featureNames: ['charge', 'twoYear'] });
    expect(model.summary[0]?.hazardRatio).toBeCloseTo(3.09, 2);
    expect(model.concordance.value).toBeCloseTo(0.881, 3);
    expect(model.medianTime([[7, 0], [2, 1]])).toEqual([8, null]);
    expect(model.report.warning).toBe('');
  });
  it('the small example of the methods fits without warning, Efron by default', () => {
    const m = CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] });
    expect(m.options.ties).toBe('efron');
    expect(m.report).toMatchObject({ converged: true, warning: '' });
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 14);
  });
});
