import { labelsAndScores } from '../internal/checks.ts';
import { thresholdCounts } from '../internal/order.ts';

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
  const counts = thresholdCounts(d.y, d.p);
  const precision: number[] = [];
  const recall: number[] = [];
  const thresholds: number[] = [];
  // By increasing threshold: walk the counts from the lowest score up.
  for (let k = counts.tps.length - 1; k >= 0; k--) {
    const tp = counts.tps[k] as number;
    precision.push(tp / (tp + (counts.fps[k] as number)));
    recall.push(tp / counts.positives);
    thresholds.push(counts.thresholds[k] as number);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds };
}
