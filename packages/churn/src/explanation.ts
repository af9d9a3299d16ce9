/**
 * Exact per-row explanations of a model's output: for every row, one contribution per feature,
 * such that `base + Σ contributions[i][j] = output[i]` (to rounding). Tree models explain their
 * probability (DecisionTree, RandomForest) or their log-odds (GradientBoosting, imported XGBoost)
 * by TreeSHAP; LogisticRegression explains its log-odds by the exact linear SHAP values.
 *
 * @example
 * ```ts
 * import type { Explanation } from '@crm/churn';
 * const e: Explanation = {
 *   scale: 'log-odds',
 *   base: -1.2,
 *   contributions: [new Float64Array([0.8, -0.1])],
 *   output: new Float64Array([-0.5]),
 * };
 * ```
 */
export interface Explanation {
  /** What is explained: the predicted probability of class 1, or its log-odds. */
  readonly scale: 'probability' | 'log-odds';
  /** The expected output over the reference data (the training data for trees): the same for every row. */
  readonly base: number;
  /** One array per row, one contribution per feature, in feature order. */
  readonly contributions: readonly Float64Array[];
  /** The model's output for each row on `scale`: `base + Σ contributions[i]`. */
  readonly output: Float64Array;
}
