import { labelsAndScores } from '../internal/checks.ts';
import { descendingOrder } from '../internal/order.ts';

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
  const order = descendingOrder(d.p);
  let positives = 0;
  for (let i = 0; i < d.y.length; i++) positives += d.y[i] as number;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let i = 0;
  while (i < order.length) {
    const s = d.p[order[i] as number] as number;
    let pos = 0;
    while (i < order.length && d.p[order[i] as number] === s) {
      if (d.y[order[i] as number] === 1) pos++;
      else fp++;
      i++;
    }
    tp += pos;
    // Recall rises by pos / positives at this threshold; weight it by the precision here.
    if (pos > 0) ap += (pos / positives) * (tp / (tp + fp));
  }
  return ap;
}
