import { labelsAndScores } from '../internal/checks.ts';

/**
 * Brier score: mean squared difference between predicted probability and outcome (scikit-learn
 * `brier_score_loss`). 0 is perfect, 0.25 is always saying 0.5. It rewards calibration as well as
 * ranking. O(n).
 *
 * @throws {CrmError} `invalid_labels` for labels that are not 0/1/boolean; `invalid_input` for a
 * probability outside [0, 1] or a length mismatch. One class only is allowed.
 * @example
 * ```ts
 * import { brierScore } from '@crm/churn';
 * brierScore([0, 1], [0.2, 0.9]); // (0.04 + 0.01) / 2 = 0.025
 * ```
 */
export function brierScore(y: ArrayLike<number | boolean>, p: ArrayLike<number>): number {
  const d = labelsAndScores(y, p, { allowOneClass: true, unit: true });
  let sum = 0;
  for (let i = 0; i < d.y.length; i++) {
    const e = (d.p[i] as number) - (d.y[i] as number);
    sum += e * e;
  }
  return sum / d.y.length;
}
