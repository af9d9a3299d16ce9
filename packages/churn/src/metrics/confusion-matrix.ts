import { checkThreshold, labelsAndScores } from '../internal/checks.ts';

/**
 * Counts and rates of a binary decision at one threshold. Rates with an empty denominator are 0
 * (scikit-learn's `zero_division=0`).
 *
 * @example
 * ```ts
 * import { confusionMatrix, type ConfusionMatrix } from '@crm/churn';
 * const cm: ConfusionMatrix = confusionMatrix([0, 1, 1], [0.2, 0.7, 0.4], 0.5);
 * cm.recall; // 0.5
 * ```
 */
export interface ConfusionMatrix {
  /** The threshold: a row is predicted positive when its probability is ≥ threshold. */
  readonly threshold: number;
  /** Churners predicted to churn. */
  readonly tp: number;
  /** Stayers predicted to churn (wasted retention offers). */
  readonly fp: number;
  /** Stayers predicted to stay. */
  readonly tn: number;
  /** Churners missed. */
  readonly fn: number;
  /** (tp + tn) / n. */
  readonly accuracy: number;
  /** tp / (tp + fp): share of flagged customers who churn. */
  readonly precision: number;
  /** tp / (tp + fn): share of churners flagged (sensitivity, true-positive rate). */
  readonly recall: number;
  /** tn / (tn + fp): share of stayers left alone. */
  readonly specificity: number;
  /** Harmonic mean of precision and recall: 2·tp / (2·tp + fp + fn). */
  readonly f1: number;
}

/**
 * Confusion matrix with precision, recall, F1, accuracy and specificity at a threshold on the
 * predicted probability (default 0.5; positive when p ≥ threshold). O(n).
 *
 * @throws {CrmError} `invalid_labels` for labels that are not 0/1/boolean; `invalid_input` for a
 * probability outside [0, 1]; `invalid_argument` for a threshold outside [0, 1].
 * @example
 * ```ts
 * import { confusionMatrix } from '@crm/churn';
 * const cm = confusionMatrix([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9]);
 * cm.tp; cm.fp; cm.tn; cm.fn; // 1, 1, 1, 1
 * cm.f1;                      // 0.5
 * ```
 */
export function confusionMatrix(y: ArrayLike<number | boolean>, p: ArrayLike<number>, threshold = 0.5): ConfusionMatrix {
  checkThreshold(threshold);
  const d = labelsAndScores(y, p, { allowOneClass: true, unit: true });
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < d.y.length; i++) {
    const flagged = (d.p[i] as number) >= threshold;
    if (d.y[i] === 1) {
      if (flagged) tp++;
      else fn++;
    } else if (flagged) fp++;
    else tn++;
  }
  return confusionFromCounts(threshold, tp, fp, tn, fn);
}

/** The rates of a confusion matrix from its four counts. */
export function confusionFromCounts(threshold: number, tp: number, fp: number, tn: number, fn: number): ConfusionMatrix {
  const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  return {
    threshold,
    tp,
    fp,
    tn,
    fn,
    accuracy: ratio(tp + tn, tp + fp + tn + fn),
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    specificity: ratio(tn, tn + fp),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
  };
}
