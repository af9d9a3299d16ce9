import { CrmError, enumOption, numberOption, readOptions } from '@crm/core';
import { labelsAndScores } from '../internal/checks.ts';
import { thresholdCounts } from '../internal/order.ts';
import { confusionFromCounts, type ConfusionMatrix } from './confusion-matrix.ts';

/**
 * Value of each outcome of a retention decision, per customer, in money or any unit. A typical
 * campaign: `{ tp: 100 - 20, fp: -20, tn: 0, fn: 0 }` (a saved churner is worth 100, an offer costs
 * 20). Missing entries count 0.
 *
 * @example
 * ```ts
 * import type { OutcomeValues } from '@crm/churn';
 * const retention: OutcomeValues = { tp: 80, fp: -20 }; // a saved churner nets 80, a wasted offer costs 20
 * ```
 */
export interface OutcomeValues {
  /** Value of contacting a customer who would have churned. */
  readonly tp?: number;
  /** Value (usually a cost, negative) of contacting a customer who would have stayed. */
  readonly fp?: number;
  /** Value of leaving a stayer alone. */
  readonly tn?: number;
  /** Value (usually a loss, negative) of missing a churner. */
  readonly fn?: number;
}

/**
 * Options of {@link bestThreshold}.
 *
 * @example
 * ```ts
 * import type { BestThresholdOptions } from '@crm/churn';
 * const byValue: BestThresholdOptions = { by: 'value', values: { tp: 80, fp: -20 } };
 * ```
 */
export interface BestThresholdOptions {
  /** `'f1'` (default) maximises F1; `'value'` maximises the total of `values`. */
  readonly by?: 'f1' | 'value';
  /** Value of each outcome, required when `by` is `'value'`. */
  readonly values?: OutcomeValues;
}

/**
 * The threshold chosen by {@link bestThreshold} and what it gives.
 *
 * @example
 * ```ts
 * import { bestThreshold, type BestThreshold } from '@crm/churn';
 * const best: BestThreshold = bestThreshold([0, 1, 1, 0], [0.1, 0.8, 0.6, 0.3]);
 * best.threshold; // 0.6
 * ```
 */
export interface BestThreshold {
  /** Flag customers with probability ≥ this. */
  readonly threshold: number;
  /** The criterion at that threshold: F1, or the total value over all rows. */
  readonly score: number;
  /** Counts and rates at that threshold. */
  readonly confusion: ConfusionMatrix;
}

/** Largest |value| of an outcome: 1e290 × 2^53 rows is still far below the largest double. */
const MAX_VALUE = 1e290;

/**
 * Threshold on the predicted churn probability that maximises F1 or the total value of a
 * cost/benefit matrix (how retention budgets are set). Every distinct probability is tried as a
 * threshold, plus "flag nobody" (threshold just above the largest probability, at most 1), in one
 * sorted pass: O(n log n). Choose it on validation data, not on the rows you report.
 *
 * @throws {CrmError} `invalid_labels`, `invalid_input` for bad labels or probabilities;
 * `invalid_argument` when `by: 'value'` comes without `values`, a value is not a finite number within
 * ±1e290, `values` comes without `by: 'value'`, or an option (or a key of `values`) is unknown.
 * @example
 * ```ts
 * import { bestThreshold } from '@crm/churn';
 * const y = [0, 0, 1, 1, 0, 1];
 * const p = [0.1, 0.3, 0.35, 0.8, 0.6, 0.7];
 * bestThreshold(y, p).threshold;                                    // 0.35 (F1 0.857)
 * bestThreshold(y, p, { by: 'value', values: { tp: 80, fp: -20 } }); // threshold 0.35, score 220
 * ```
 */
export function bestThreshold(
  y: ArrayLike<number | boolean>,
  p: ArrayLike<number>,
  options: BestThresholdOptions = {},
): BestThreshold {
  const o = readOptions(options, ['by', 'values'], 'bestThreshold');
  const by = enumOption(o, 'by', 'f1', ['f1', 'value']);
  const v = { tp: 0, fp: 0, tn: 0, fn: 0 };
  if (by === 'value') {
    const given = o.values;
    if (given === null || typeof given !== 'object' || Array.isArray(given)) {
      throw new CrmError('invalid_argument', "by: 'value' needs values: { tp, fp, tn, fn }", ['options', 'values']);
    }
    const values = readOptions(given, ['tp', 'fp', 'tn', 'fn'], 'bestThreshold options.values', ['options', 'values']);
    // Bounded so that the total over every row stays finite.
    for (const k of ['tp', 'fp', 'tn', 'fn'] as const) v[k] = numberOption(values, k, 0, { min: -MAX_VALUE, max: MAX_VALUE });
  } else if (o.values !== undefined) {
    throw new CrmError('invalid_argument', "values are only used with by: 'value'", ['options', 'values']);
  }
  const d = labelsAndScores(y, p, { allowOneClass: true, unit: true });
  const counts = thresholdCounts(d.y, d.p);
  const { positives, negatives } = counts;
  const score = (tp: number, fp: number): number => {
    const fn = positives - tp;
    const tn = negatives - fp;
    return by === 'f1' ? (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)) : v.tp * tp + v.fp * fp + v.tn * tn + v.fn * fn;
  };
  const top = counts.thresholds[0] as number;
  // Start from "flag nobody".
  let bestT = top < 1 ? Math.min(1, top + Number.EPSILON * 4 + 1e-12) : 1;
  let bestTp = 0;
  let bestFp = 0;
  let best = top < 1 ? score(0, 0) : -Infinity;
  for (let k = 0; k < counts.thresholds.length; k++) {
    const tp = counts.tps[k] as number;
    const fp = counts.fps[k] as number;
    const value = score(tp, fp);
    if (value > best) {
      best = value;
      bestT = counts.thresholds[k] as number;
      bestTp = tp;
      bestFp = fp;
    }
  }
  return {
    threshold: bestT,
    score: best,
    confusion: confusionFromCounts(bestT, bestTp, bestFp, negatives - bestFp, positives - bestTp),
  };
}
