import { labelsAndScores } from '../internal/checks.ts';
import { thresholdCounts } from '../internal/order.ts';

/**
 * Area under the ROC curve: the probability that a random churner scores above a random
 * non-churner, ties counting one half (the trapezoidal ROC area, as scikit-learn's
 * `roc_auc_score`). Scores may be any finite numbers. O(n log n).
 *
 * @param y labels, 0/1 or boolean, both classes present.
 * @param scores one score per label (a probability or any ranking score).
 * @throws {CrmError} `invalid_labels` for labels that are not 0/1/boolean or of one class only;
 * `invalid_input` for a length mismatch or a non-finite score (path `['p', i]`).
 * @example
 * ```ts
 * import { rocAuc } from '@crm/churn';
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * ```
 */
export function rocAuc(y: ArrayLike<number | boolean>, scores: ArrayLike<number>): number {
  const d = labelsAndScores(y, scores, { allowOneClass: false, unit: false });
  return rocAucChecked(d.y, d.p);
}

/** AUC of checked labels (both classes present) and finite scores. */
export function rocAucChecked(y: Uint8Array, p: Float64Array): number {
  const { tps, fps, positives, negatives } = thresholdCounts(y, p);
  // Walk groups of tied scores from the top: each negative in a group beats no positive of its
  // group and loses to every positive above it; ties count half.
  let area = 0;
  let posAbove = 0;
  let negAbove = 0;
  for (let k = 0; k < tps.length; k++) {
    const pos = (tps[k] as number) - posAbove;
    const neg = (fps[k] as number) - negAbove;
    area += neg * (posAbove + pos / 2);
    posAbove = tps[k] as number;
    negAbove = fps[k] as number;
  }
  return area / (positives * negatives);
}
