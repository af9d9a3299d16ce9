import { labelsAndScores } from '../internal/checks.ts';
import { thresholdCounts } from '../internal/order.ts';

/**
 * Area under the precision–recall curve as average precision: Σₖ (Rₖ − Rₖ₋₁) · Pₖ over the
 * distinct score thresholds from the highest down, the step-wise sum of scikit-learn's
 * `average_precision_score` (no trapezoids, which overstate the area for PR curves). Prefer it
 * to ROC AUC when churners are rare. O(n log n).
 *
 * @throws {CrmError} `invalid_labels` for labels that are not 0/1/boolean or of one class only;
 * `invalid_input` for a length mismatch or a non-finite score.
 * @example
 * ```ts
 * import { prAuc } from '@crm/churn';
 * prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333…
 * ```
 */
export function prAuc(y: ArrayLike<number | boolean>, scores: ArrayLike<number>): number {
  const d = labelsAndScores(y, scores, { allowOneClass: false, unit: false });
  const { tps, fps, positives } = thresholdCounts(d.y, d.p);
  let ap = 0;
  let tpAbove = 0;
  for (let k = 0; k < tps.length; k++) {
    const tp = tps[k] as number;
    const pos = tp - tpAbove;
    // Recall rises by pos / positives at this threshold; weight it by the precision here.
    if (pos > 0) ap += (pos / positives) * (tp / (tp + (fps[k] as number)));
    tpAbove = tp;
  }
  return ap;
}
