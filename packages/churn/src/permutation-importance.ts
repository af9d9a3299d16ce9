import { CrmError, createRng, toDenseMatrix } from '@crm/core';
import type { Predictor } from './classifier.ts';
import { labelsAndScores, toScores } from './internal/checks.ts';
import { brierScore } from './metrics/brier-score.ts';
import { logLoss } from './metrics/log-loss.ts';
import { rocAuc } from './metrics/roc-auc.ts';

/**
 * Options of {@link permutationImportance}.
 *
 * @example
 * ```ts
 * import type { PermutationImportanceOptions } from '@crm/churn';
 * const options: PermutationImportanceOptions = { metric: 'logLoss', repeats: 10, seed: 1 };
 * ```
 */
export interface PermutationImportanceOptions {
  /** Score to degrade: `'rocAuc'` (default), `'logLoss'` or `'brierScore'`. */
  readonly metric?: 'rocAuc' | 'logLoss' | 'brierScore';
  /** Shuffles per feature (default 5). */
  readonly repeats?: number;
  /** Seed of the shuffles (default 0). */
  readonly seed?: number;
}

/**
 * Importance of one feature.
 *
 * @example
 * ```ts
 * import { LogisticRegression, permutationImportance, type FeatureImportance } from '@crm/churn';
 * const X = [[0, 5], [1, 3], [0, 4], [1, 1], [0, 2], [1, 0]];
 * const y = [0, 1, 0, 1, 0, 1];
 * const imp: FeatureImportance[] = permutationImportance(LogisticRegression.fit(X, y), X, y);
 * ```
 */
export interface FeatureImportance {
  /** Column index. */
  readonly feature: number;
  /** Mean loss of score when the column is shuffled (positive: the model relies on it). */
  readonly mean: number;
  /** Population standard deviation of that loss over the repeats. */
  readonly sd: number;
  /** The loss of score of each repeat. */
  readonly drops: readonly number[];
}

/**
 * Permutation importance (Breiman 2001; scikit-learn `permutation_importance`): how much a score
 * worsens when one column is shuffled, breaking its link to the label while keeping its
 * distribution. Model-agnostic; use held-out rows. For losses the sign is flipped so a larger
 * value always means a more important feature. O(p · repeats · predict).
 *
 * @returns one entry per column, in column order.
 * @throws {CrmError} `invalid_input`, `invalid_labels` for bad rows or labels; `invalid_argument`
 * for bad options.
 * @example
 * ```ts
 * import { LogisticRegression, permutationImportance } from '@crm/churn';
 * const X = Array.from({ length: 60 }, (_, i) => [i % 2, (i * 37) % 11]);
 * const y = X.map(([a]) => a);
 * const model = LogisticRegression.fit(X, y);
 * permutationImportance(model, X, y, { repeats: 3, seed: 1 }).map((f) => f.mean); // [≈0.5, 0]
 * ```
 */
export function permutationImportance(
  model: Predictor<ArrayLike<number>>,
  X: readonly ArrayLike<number>[],
  y: ArrayLike<number | boolean>,
  options: PermutationImportanceOptions = {},
): FeatureImportance[] {
  const metric = options.metric ?? 'rocAuc';
  if (metric !== 'rocAuc' && metric !== 'logLoss' && metric !== 'brierScore') {
    throw new CrmError('invalid_argument', `metric must be 'rocAuc', 'logLoss' or 'brierScore', got ${JSON.stringify(metric)}`, ['options', 'metric']);
  }
  const repeats = options.repeats ?? 5;
  if (!Number.isInteger(repeats) || repeats < 1) {
    throw new CrmError('invalid_argument', `repeats must be a positive integer, got ${String(repeats)}`, ['options', 'repeats']);
  }
  const m = toDenseMatrix(X);
  const labels = labelsAndScores(y, new Float64Array(m.rows), { allowOneClass: metric !== 'rocAuc', unit: true }).y;
  const score = (p: ArrayLike<number>): number => {
    const q = toScores(p, m.rows, 'predictProba', true);
    if (metric === 'rocAuc') return rocAuc(labels, q);
    return -(metric === 'logLoss' ? logLoss(labels, q) : brierScore(labels, q));
  };
  const rows = Array.from({ length: m.rows }, (_, i) => m.data.subarray(i * m.cols, (i + 1) * m.cols));
  const baseline = score(model.predictProba(rows));
  const rng = createRng(options.seed ?? 0);
  const column = new Float64Array(m.rows);
  const out: FeatureImportance[] = [];
  for (let j = 0; j < m.cols; j++) {
    for (let i = 0; i < m.rows; i++) column[i] = m.data[i * m.cols + j] as number;
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const perm = rng.shuffle(Array.from({ length: m.rows }, (_, i) => i));
      for (let i = 0; i < m.rows; i++) m.data[i * m.cols + j] = column[perm[i] as number] as number;
      drops.push(baseline - score(model.predictProba(rows)));
    }
    for (let i = 0; i < m.rows; i++) m.data[i * m.cols + j] = column[i] as number;
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    out.push({ feature: j, mean, sd: Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats), drops });
  }
  return out;
}
