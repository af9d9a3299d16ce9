import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bestThreshold, brierScore, calibrationCurve, confusionMatrix, liftTable, logLoss, prAuc, rocAuc } from '@crm/churn';

interface Case {
  y: number[];
  p: number[];
  roc_auc: number;
  average_precision: number;
  log_loss: number;
  brier: number;
}
const reference = JSON.parse(readFileSync(new URL('./fixtures/metrics_reference.json', import.meta.url), 'utf8')) as {
  classification: Case[];
};

// The reference values are sums of n terms computed in float64 by numpy; a different summation
// order moves the result by a few ulps times n, far below 1e-9 (the requirement).
const REFERENCE_TOLERANCE = 1e-9;

import { expectCrmError } from './helpers.ts';

describe('metrics against scikit-learn 1.2 (metrics_reference.json, sklearn_metrics.py)', () => {
  reference.classification.forEach((c, k) => {
    const y = Object.freeze(c.y.slice());
    const p = Object.freeze(c.p.slice());
    const label = `case ${k} (n = ${c.y.length}${new Set(c.p).size < c.p.length ? ', tied scores' : ''})`;
    it(`rocAuc(y, p) equals roc_auc_score, ${label}`, () => {
      expect(Math.abs(rocAuc(y, p) - c.roc_auc)).toBeLessThan(REFERENCE_TOLERANCE);
    });
    it(`prAuc(y, p) equals average_precision_score, ${label}`, () => {
      expect(Math.abs(prAuc(y, p) - c.average_precision)).toBeLessThan(REFERENCE_TOLERANCE);
    });
    it(`logLoss(y, p) equals log_loss, ${label}`, () => {
      expect(Math.abs(logLoss(y, p) - c.log_loss)).toBeLessThan(REFERENCE_TOLERANCE);
    });
    it(`brierScore(y, p) equals brier_score_loss, ${label}`, () => {
      expect(Math.abs(brierScore(y, p) - c.brier)).toBeLessThan(REFERENCE_TOLERANCE);
    });
  });
  it('has tied scores in the recorded cases', () => {
    expect(reference.classification.some((c) => new Set(c.p).size < c.p.length)).toBe(true);
  });
});

describe('metrics: closed-form cases', () => {
  it('rocAuc is 1 for a perfect ranking, 0 for a reversed one, 0.5 when all scores tie', () => {
    expect(rocAuc([0, 0, 1, 1], [1, 2, 3, 4])).toBe(1);
    expect(rocAuc([0, 0, 1, 1], [4, 3, 2, 1])).toBe(0);
    expect(rocAuc([0, 1, 0, 1], [7, 7, 7, 7])).toBe(0.5);
  });
  it('rocAuc accepts boolean labels and any finite scores', () => {
    expect(rocAuc([false, false, true, true], [-3, 5, 1, 8])).toBe(0.75);
  });
  it('prAuc of a perfect ranking is 1; with all scores tied it is the positive rate', () => {
    expect(prAuc([0, 1, 1], [0.1, 0.9, 0.8])).toBe(1);
    expect(prAuc([0, 1, 0, 0], [0.5, 0.5, 0.5, 0.5])).toBe(0.25);
  });
  it('logLoss clips at 1e-15 so a confident mistake is finite', () => {
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 10);
    expect(logLoss([0, 1], [0.2, 0.9])).toBeCloseTo((-Math.log(0.8) - Math.log(0.9)) / 2, 14);
  });
  it('brierScore is the mean squared error of probabilities', () => {
    expect(brierScore([0, 1], [0.2, 0.9])).toBeCloseTo(0.025, 15);
  });
  it('confusionMatrix counts at threshold (p ≥ t is positive) and derives the rates', () => {
    const cm = confusionMatrix([0, 0, 1, 1, 1], [0.1, 0.5, 0.5, 0.9, 0.2]);
    expect([cm.tp, cm.fp, cm.tn, cm.fn]).toEqual([2, 1, 1, 1]);
    expect(cm.precision).toBeCloseTo(2 / 3, 15);
    expect(cm.recall).toBeCloseTo(2 / 3, 15);
    expect(cm.f1).toBeCloseTo(2 / 3, 15);
    expect(cm.accuracy).toBeCloseTo(3 / 5, 15);
    expect(cm.specificity).toBeCloseTo(1 / 2, 15);
    const none = confusionMatrix([0, 1], [0.1, 0.2], 0.9);
    expect(none.precision).toBe(0); // zero_division = 0, as scikit-learn
  });
  it('bestThreshold by F1 and by value matches a brute-force search over all thresholds', () => {
    const y = [0, 0, 1, 1, 0, 1, 1, 0, 0, 1];
    const p = [0.1, 0.3, 0.35, 0.8, 0.6, 0.7, 0.35, 0.2, 0.9, 0.5];
    const values = { tp: 80, fp: -20, tn: 0, fn: -5 };
    let bestF1 = -1;
    let bestValue = -Infinity;
    for (const t of new Set(p)) {
      const cm = confusionMatrix(y, p, t);
      bestF1 = Math.max(bestF1, cm.f1);
      bestValue = Math.max(bestValue, 80 * cm.tp - 20 * cm.fp - 5 * cm.fn);
    }
    const f1 = bestThreshold(y, p);
    expect(f1.score).toBeCloseTo(bestF1, 14);
    expect(confusionMatrix(y, p, f1.threshold).f1).toBeCloseTo(bestF1, 14);
    const v = bestThreshold(y, p, { by: 'value', values });
    expect(v.score).toBe(bestValue);
    expect(v.confusion.tp * 80 - v.confusion.fp * 20 - v.confusion.fn * 5).toBe(bestValue);
  });
  it('bestThreshold flags nobody when every contact loses money', () => {
    const r = bestThreshold([0, 1, 0], [0.2, 0.6, 0.4], { by: 'value', values: { tp: -1, fp: -1 } });
    expect(r.confusion.tp + r.confusion.fp).toBe(0);
    expect(r.score).toBe(0);
  });
  it('liftTable: gains reach 1 in the last group and lift is rate over base rate', () => {
    const y = [1, 1, 0, 1, 0, 0, 0, 1, 0, 0];
    const p = [0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2];
    const rows = liftTable(y, p, { groups: 5 });
    expect(rows.map((r) => r.positives)).toEqual([2, 1, 0, 1, 0]);
    expect(rows[0]?.lift).toBeCloseTo(1 / 0.4, 14);
    expect(rows[4]?.gain).toBe(1);
    expect(rows[1]?.gain).toBeCloseTo(0.75, 15);
    expect(rows[1]?.cumulativeLift).toBeCloseTo(0.75 / 0.4 / 1, 14);
    expect(rows.reduce((s, r) => s + r.count, 0)).toBe(10);
  });
  it('liftTable spreads a remainder over the first groups', () => {
    const rows = liftTable([1, 0, 1, 0, 0, 1, 0], [7, 6, 5, 4, 3, 2, 1], { groups: 3 });
    expect(rows.map((r) => r.count)).toEqual([3, 2, 2]);
  });
  it('calibrationCurve matches calibration_curve binning (right-closed, empty bins dropped)', () => {
    // By hand: bins (0,0.2], (0.2,0.4], …; 0.2 falls in the first bin.
    const c = calibrationCurve([0, 0, 1, 1, 1], [0.1, 0.2, 0.7, 0.75, 1], { bins: 5 });
    expect(c.map((b) => b.count)).toEqual([2, 2, 1]);
    expect(c[0]?.meanPredicted).toBeCloseTo(0.15, 15);
    expect(c[1]?.fractionPositive).toBe(1);
    const q = calibrationCurve([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], { bins: 2, strategy: 'quantile' });
    expect(q.map((b) => b.count)).toEqual([2, 2]);
  });
});

describe('metrics: bad input', () => {
  it('rejects one class, non-binary labels, NaN scores, length mismatch and out-of-range probabilities', () => {
    expectCrmError(() => rocAuc([1, 1], [0.2, 0.3]), 'invalid_labels');
    expectCrmError(() => prAuc([0, 0], [0.2, 0.3]), 'invalid_labels');
    expectCrmError(() => rocAuc([0, 2], [0.2, 0.3]), 'invalid_labels');
    expectCrmError(() => rocAuc([0, 1], [0.2, Number.NaN]), 'invalid_input');
    expectCrmError(() => rocAuc([0, 1], [0.2]), 'invalid_input');
    expectCrmError(() => logLoss([0, 1], [0.2, 1.2]), 'invalid_input');
    expectCrmError(() => logLoss([], []), 'invalid_input');
    expectCrmError(() => confusionMatrix([0, 1], [0.2, 0.3], 2), 'invalid_argument');
    expectCrmError(() => liftTable([0, 1], [0.2, 0.3], { groups: 3 }), 'invalid_argument');
    expectCrmError(() => bestThreshold([0, 1], [0.2, 0.3], { by: 'value' }), 'invalid_argument');
    expectCrmError(() => calibrationCurve([0, 1], [0.2, 0.3], { bins: 0 }), 'invalid_argument');
  });
});
