import { labelsAndScores } from '../internal/checks.ts';
import { descendingOrder } from '../internal/order.ts';

/**
 * Points of a precision–recall curve, by increasing threshold, ending at (recall 0, precision 1).
 *
 * @example
 * ```ts
 * import { precisionRecallCurve, type PrecisionRecallCurve } from '@crm/churn';
 * const pr: PrecisionRecallCurve = precisionRecallCurve([0, 1, 1, 0], [0.2, 0.9, 0.6, 0.4]);
 * pr.recall[0]; // 1: everyone flagged
 * ```
 */
export interface PrecisionRecallCurve {
  /** Precision at each threshold; the last entry is 1 (no row flagged). */
  readonly precision: number[];
  /** Recall at each threshold; the last entry is 0. */
  readonly recall: number[];
  /** Increasing thresholds, one fewer than the points: rows scoring ≥ threshold are flagged. */
  readonly thresholds: number[];
}

/**
 * Precision–recall curve at every distinct score taken as a threshold, as scikit-learn's
 * `precision_recall_curve` (its documented example is this function's test): points by
 * increasing threshold, the first at recall 1 (flag everyone), with the final point (recall 0,
 * precision 1) added. Feed it to `precisionRecallChart` of `@crm/core/charts`. O(n log n).
 *
 * @throws {CrmError} `invalid_labels` for labels that are not 0/1/boolean or of one class only;
 * `invalid_input` for a length mismatch or a non-finite score.
 * @example
 * ```ts
 * import { precisionRecallCurve } from '@crm/churn';
 * precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // { precision: [0.5, 0.667, 0.5, 1, 1], recall: [1, 1, 0.5, 0.5, 0], thresholds: [0.1, 0.35, 0.4, 0.8] }
 * ```
 */
export function precisionRecallCurve(y: ArrayLike<number | boolean>, scores: ArrayLike<number>): PrecisionRecallCurve {
  const d = labelsAndScores(y, scores, { allowOneClass: false, unit: false });
  const order = descendingOrder(d.p);
  let positives = 0;
  for (let i = 0; i < d.y.length; i++) positives += d.y[i] as number;
  const precision: number[] = [];
  const recall: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  let i = 0;
  while (i < order.length) {
    const s = d.p[order[i] as number] as number;
    while (i < order.length && d.p[order[i] as number] === s) {
      if (d.y[order[i] as number] === 1) tp++;
      else fp++;
      i++;
    }
    precision.push(tp / (tp + fp));
    recall.push(tp / positives);
    thresholds.push(s);
  }
  precision.reverse().push(1);
  recall.reverse().push(0);
  thresholds.reverse();
  return { precision, recall, thresholds };
}
