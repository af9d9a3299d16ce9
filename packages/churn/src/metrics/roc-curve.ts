import { booleanOption, readOptions } from '@crm/core';
import { labelsAndScores } from '../internal/checks.ts';
import { thresholdCounts } from '../internal/order.ts';

/**
 * Points of a ROC curve, from the strictest threshold to the loosest.
 *
 * @example
 * ```ts
 * import { rocCurve, type RocCurve } from '@crm/churn';
 * const roc: RocCurve = rocCurve([0, 1, 1, 0], [0.2, 0.9, 0.6, 0.4]);
 * roc.fpr; roc.tpr; // ready for rocChart of @crm/core/charts
 * ```
 */
export interface RocCurve {
  /** False-positive rate at each threshold (starts at 0, ends at 1). */
  readonly fpr: number[];
  /** True-positive rate at each threshold (starts at 0, ends at 1). */
  readonly tpr: number[];
  /** Rows scoring ≥ threshold are flagged; the first is `Infinity` (flag nobody). */
  readonly thresholds: number[];
}

/**
 * ROC curve: false- and true-positive rates at every distinct score taken as a threshold, as
 * scikit-learn's `roc_curve` (by default dropping the points that lie on a straight segment,
 * `drop_intermediate=True`; the first threshold is `Infinity`, as scikit-learn ≥ 1.3). Feed it to
 * `rocChart` of `@crm/core/charts`. O(n log n).
 *
 * @throws {CrmError} `invalid_labels` for labels that are not 0/1/boolean or of one class only;
 * `invalid_input` for a length mismatch or a non-finite score; `invalid_argument` for a
 * non-boolean dropIntermediate or an unknown option.
 * @example
 * ```ts
 * import { rocCurve } from '@crm/churn';
 * rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // { fpr: [0, 0, 0.5, 0.5, 1], tpr: [0, 0.5, 0.5, 1, 1], thresholds: [Infinity, 0.8, 0.4, 0.35, 0.1] }
 * ```
 */
export function rocCurve(
  y: ArrayLike<number | boolean>,
  scores: ArrayLike<number>,
  options: { readonly dropIntermediate?: boolean } = {},
): RocCurve {
  const dropIntermediate = booleanOption(readOptions(options, ['dropIntermediate'], 'rocCurve'), 'dropIntermediate', true);
  const d = labelsAndScores(y, scores, { allowOneClass: false, unit: false });
  const { thresholds, tps, fps, positives, negatives } = thresholdCounts(d.y, d.p);
  // With dropIntermediate, a point is kept only where the curve turns (second differences of
  // fps or tps non-zero).
  const keep = (k: number): boolean =>
    !dropIntermediate ||
    k === 0 ||
    k === tps.length - 1 ||
    (fps[k - 1] as number) - 2 * (fps[k] as number) + (fps[k + 1] as number) !== 0 ||
    (tps[k - 1] as number) - 2 * (tps[k] as number) + (tps[k + 1] as number) !== 0;
  const out: RocCurve = { fpr: [0], tpr: [0], thresholds: [Infinity] };
  for (let k = 0; k < tps.length; k++) {
    if (!keep(k)) continue;
    out.fpr.push((fps[k] as number) / negatives);
    out.tpr.push((tps[k] as number) / positives);
    out.thresholds.push(thresholds[k] as number);
  }
  return out;
}
