import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prAuc, precisionRecallCurve, rocAuc, rocCurve } from '@crm/churn';
import { expectCrmError } from './helpers.ts';

const reference = JSON.parse(readFileSync(new URL('./fixtures/metrics_reference.json', import.meta.url), 'utf8')) as {
  classification: { y: number[]; p: number[] }[];
};

describe('rocCurve', () => {
  it("reproduces scikit-learn's documented roc_curve example", () => {
    // scikit-learn roc_curve docstring: y = [1, 1, 2, 2] (pos_label 2), scores [0.1, 0.4, 0.35, 0.8]
    // → fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1], thresholds [inf, 0.8, 0.4, 0.35, 0.1].
    const c = rocCurve(Object.freeze([0, 0, 1, 1]), Object.freeze([0.1, 0.4, 0.35, 0.8]));
    expect(c).toEqual({ fpr: [0, 0, 0.5, 0.5, 1], tpr: [0, 0.5, 0.5, 1, 1], thresholds: [Infinity, 0.8, 0.4, 0.35, 0.1] });
  });

  it('its trapezoidal area is rocAuc on the recorded vectors (ties included), with or without intermediate points', () => {
    for (const c of reference.classification) {
      for (const dropIntermediate of [true, false]) {
        const { fpr, tpr } = rocCurve(c.y, c.p, { dropIntermediate });
        let area = 0;
        for (let k = 1; k < fpr.length; k++) area += (((fpr[k] as number) - (fpr[k - 1] as number)) * ((tpr[k] as number) + (tpr[k - 1] as number))) / 2;
        // Same counts summed in another order: a few ulps.
        expect(Math.abs(area - rocAuc(c.y, c.p))).toBeLessThan(1e-12);
      }
    }
  });

  it("drops the points on straight segments, keeping first, last and corners", () => {
    const full = rocCurve([0, 0, 0, 1, 1, 1], [1, 2, 3, 4, 5, 6], { dropIntermediate: false });
    const lean = rocCurve([0, 0, 0, 1, 1, 1], [1, 2, 3, 4, 5, 6]);
    expect(full.fpr.length).toBe(7);
    // scikit-learn's rule keeps the first and last points and every corner (non-zero second
    // difference of fps or tps): thresholds 6 (first), 4 (corner), 1 (last).
    expect(lean.thresholds).toEqual([Infinity, 6, 4, 1]);
    expect(lean.fpr).toEqual([0, 0, 0, 1]);
    expect(lean.tpr).toEqual([0, 1 / 3, 1, 1]);
  });
});

describe('precisionRecallCurve', () => {
  it("reproduces scikit-learn's documented precision_recall_curve example", () => {
    // scikit-learn precision_recall_curve docstring: precision [0.5, 0.6667, 0.5, 1, 1],
    // recall [1, 1, 0.5, 0.5, 0], thresholds [0.1, 0.35, 0.4, 0.8].
    const c = precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(c.recall).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(c.thresholds).toEqual([0.1, 0.35, 0.4, 0.8]);
    expect(c.precision.map((v) => Number(v.toFixed(8)))).toEqual([0.5, 0.66666667, 0.5, 1, 1]);
  });

  it('its step-wise area is prAuc on the recorded vectors', () => {
    for (const c of reference.classification) {
      const { precision, recall } = precisionRecallCurve(c.y, c.p);
      let ap = 0;
      for (let k = 0; k + 1 < recall.length; k++) ap += ((recall[k] as number) - (recall[k + 1] as number)) * (precision[k] as number);
      expect(Math.abs(ap - prAuc(c.y, c.p))).toBeLessThan(1e-12);
    }
  });

  it('rejects one-class labels', () => {
    expectCrmError(() => precisionRecallCurve([0, 0], [0.1, 0.2]), 'invalid_labels');
    expectCrmError(() => rocCurve([1, 1], [0.1, 0.2]), 'invalid_labels');
  });
});
