import { checkCost, CrmError, createRng, enumOption, numberOption, readOptions, toDenseMatrix } from '@crm/core';
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
  /**
   * Most rows the model may be asked to score, rows × (1 + columns × repeats) (default
   * 20,000,000). Past it the call stops with `limit_exceeded` before predicting anything; raise
   * it, or pass fewer rows or repeats.
   */
  readonly maxRowsScored?: number;
}

/** Default of `maxRowsScored`. */
const DEFAULT_MAX_ROWS_SCORED = 20_000_000;

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
 * value always means a more important feature. O(p · repeats · predict): the model scores
 * rows × (1 + p · repeats) rows in all, checked against `maxRowsScored` before the first prediction.
 *
 * @returns one entry per column, in column order.
 * @throws {CrmError} `invalid_input`, `invalid_labels` for bad rows or labels; `invalid_argument`
 * for bad or unknown options or a model without `predictProba`; `limit_exceeded` at
 * `['options', 'maxRowsScored']`.
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
  const o = readOptions(options, ['metric', 'repeats', 'seed', 'maxRowsScored'], 'permutationImportance');
  const metric = enumOption(o, 'metric', 'rocAuc', ['rocAuc', 'logLoss', 'brierScore']);
  const repeats = numberOption(o, 'repeats', 5, { min: 1, integer: true });
  const seed = numberOption(o, 'seed', 0, { integer: true });
  const maxRowsScored = numberOption(o, 'maxRowsScored', DEFAULT_MAX_ROWS_SCORED, { min: 1 });
  if (model === null || typeof model !== 'object' || typeof model.predictProba !== 'function') {
    throw new CrmError('invalid_argument', 'model must be a fitted model with a predictProba(X) method', ['model']);
  }
  const m = toDenseMatrix(X);
  checkCost(
    m.rows * (1 + m.cols * repeats),
    maxRowsScored,
    'maxRowsScored',
    `permutation importance of ${m.cols} columns with ${repeats} repeats on ${m.rows} rows`,
    'rows scored',
  );
  const labels = labelsAndScores(y, new Float64Array(m.rows), { allowOneClass: metric !== 'rocAuc', unit: true }).y;
  const score = (p: ArrayLike<number>): number => {
    const q = toScores(p, m.rows, 'predictProba', true);
    if (metric === 'rocAuc') return rocAuc(labels, q);
    return -(metric === 'logLoss' ? logLoss(labels, q) : brierScore(labels, q));
  };
  const rows = Array.from({ length: m.rows }, (_, i) => m.data.subarray(i * m.cols, (i + 1) * m.cols));
  const baseline = score(model.predictProba(rows));
  const rng = createRng(seed);
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
