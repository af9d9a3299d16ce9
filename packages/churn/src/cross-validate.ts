import { CrmError, readOptions, toBinaryLabels } from '@crm/core';
import type { Learner } from './classifier.ts';
import { toScores } from './internal/checks.ts';
import { resolveFolds } from './internal/folds.ts';
import { brierScore } from './metrics/brier-score.ts';
import { logLoss } from './metrics/log-loss.ts';
import { prAuc } from './metrics/pr-auc.ts';
import { rocAuc } from './metrics/roc-auc.ts';

/**
 * Options of {@link crossValidate}.
 *
 * @example
 * ```ts
 * import type { CrossValidateOptions } from '@crm/churn';
 * const fiveFold: CrossValidateOptions = { folds: 5, seed: 42 };
 * const given: CrossValidateOptions = { folds: [[0, 2], [1, 3]] };
 * ```
 */
export interface CrossValidateOptions {
  /**
   * Number of stratified folds (default 5), or the folds themselves as lists of test-row indices
   * that together cover every row once (to reproduce another tool's folds).
   */
  readonly folds?: number | readonly (readonly number[])[];
  /** Seed of the fold assignment (default 0). */
  readonly seed?: number;
}

/**
 * Scores of one fold (the model fitted on the other folds, scored on this one).
 *
 * @example
 * ```ts
 * import { LogisticRegression, crossValidate, type FoldScore } from '@crm/churn';
 * const X = [[0], [1], [2], [3], [4], [5], [6], [7]];
 * const folds: readonly FoldScore[] = crossValidate(LogisticRegression, X, [0, 1, 0, 1, 0, 1, 1, 0], { folds: 2 }).folds;
 * ```
 */
export interface FoldScore {
  /** Rows the model was fitted on. */
  readonly trainSize: number;
  /** Rows it was scored on. */
  readonly testSize: number;
  /** ROC AUC on the fold. */
  readonly rocAuc: number;
  /** Average precision on the fold. */
  readonly prAuc: number;
  /** Log loss on the fold. */
  readonly logLoss: number;
  /** Brier score on the fold. */
  readonly brierScore: number;
}

/**
 * Mean and standard deviation of a score over the folds.
 *
 * @example
 * ```ts
 * import { LogisticRegression, crossValidate, type ScoreSummary } from '@crm/churn';
 * const X = [[0], [1], [2], [3], [4], [5], [6], [7]];
 * const auc: ScoreSummary = crossValidate(LogisticRegression, X, [0, 0, 1, 0, 1, 1, 1, 0], { folds: 2 }).rocAuc;
 * ```
 */
export interface ScoreSummary {
  /** Mean over the folds. */
  readonly mean: number;
  /** Population standard deviation over the folds (numpy's `std`, as scikit-learn reports it). */
  readonly sd: number;
}

/**
 * What {@link crossValidate} returns.
 *
 * @example
 * ```ts
 * import { LogisticRegression, crossValidate, type CrossValidationResult } from '@crm/churn';
 * const X = [[0], [1], [2], [3], [4], [5], [6], [7]];
 * const cv: CrossValidationResult = crossValidate(LogisticRegression, X, [0, 0, 1, 0, 1, 1, 1, 0], { folds: 2 });
 * cv.outOfFold; // one probability per row
 * ```
 */
export interface CrossValidationResult {
  /** One entry per fold. */
  readonly folds: readonly FoldScore[];
  /** ROC AUC over the folds. */
  readonly rocAuc: ScoreSummary;
  /** Average precision over the folds. */
  readonly prAuc: ScoreSummary;
  /** Log loss over the folds. */
  readonly logLoss: ScoreSummary;
  /** Brier score over the folds. */
  readonly brierScore: ScoreSummary;
  /** Out-of-fold probability of every row, from the model that did not see it (for thresholds and lift). */
  readonly outOfFold: Float64Array;
  /** Test rows of each fold. */
  readonly testIndex: readonly (readonly number[])[];
}

/**
 * Stratified k-fold cross-validation of any learner: for each fold, fit on the other folds and
 * score ROC AUC, average precision, log loss and Brier score on this one. With a {@link pipeline}
 * the preprocessing is refitted on each training fold. The input is not touched. Folds are
 * seeded, so the same seed gives the same result. Cost: one fit and one prediction per fold, so
 * O(folds · the learner's fit cost); each fit is bounded by the learner's own limits.
 *
 * @param learner a model class (`RandomForest`), `{ fit: (X, y) => … }`, or a {@link pipeline}.
 * @throws {CrmError} `invalid_labels` for bad labels or a class smaller than the number of folds;
 * `invalid_argument` for bad folds, unknown options or a learner without `fit`; errors of the
 * learner pass through.
 * @example
 * ```ts
 * import { LogisticRegression, crossValidate } from '@crm/churn';
 * const X = Array.from({ length: 40 }, (_, i) => [i % 10, (i * 7) % 5]);
 * const y = X.map(([a, b]) => (a + b > 7 ? 1 : 0));
 * const cv = crossValidate(LogisticRegression, X, y, { folds: 4, seed: 1 });
 * cv.rocAuc.mean; cv.rocAuc.sd;
 * ```
 */
export function crossValidate<Row>(
  learner: Learner<Row>,
  X: readonly Row[],
  y: ArrayLike<number | boolean>,
  options: CrossValidateOptions = {},
): CrossValidationResult {
  const o = readOptions(options, ['folds', 'seed'], 'crossValidate');
  if (!Array.isArray(X)) throw new CrmError('invalid_argument', 'X must be an array of rows', ['X']);
  if (learner === null || typeof learner !== 'object' && typeof learner !== 'function' || typeof learner.fit !== 'function') {
    throw new CrmError('invalid_argument', 'learner must have a fit(X, y) method', ['learner']);
  }
  const labels = toBinaryLabels(y, X.length);
  const n = labels.length;
  const testIndex = resolveFolds(o, labels);
  const outOfFold = new Float64Array(n);
  const inFold = new Int32Array(n);
  const folds: FoldScore[] = [];
  for (let k = 0; k < testIndex.length; k++) {
    const test = testIndex[k] as number[];
    inFold.fill(0);
    for (const i of test) inFold[i] = 1;
    const trainRows: Row[] = [];
    const trainY: number[] = [];
    for (let i = 0; i < n; i++) {
      if (inFold[i]) continue;
      trainRows.push(X[i] as Row);
      trainY.push(labels[i] as number);
    }
    const testY = Uint8Array.from(test, (i) => labels[i] as number);
    let ones = 0;
    for (let i = 0; i < testY.length; i++) ones += testY[i] as number;
    if (ones === 0 || ones === testY.length) {
      throw new CrmError('invalid_labels', `fold ${k} holds only one class: use fewer folds or stratified folds`, ['options', 'folds', k]);
    }
    const model = learner.fit(trainRows, Uint8Array.from(trainY));
    const p = toScores(model.predictProba(test.map((i) => X[i] as Row)), test.length, 'predictProba', true);
    test.forEach((i, j) => {
      outOfFold[i] = p[j] as number;
    });
    folds.push({
      trainSize: trainRows.length,
      testSize: test.length,
      rocAuc: rocAuc(testY, p),
      prAuc: prAuc(testY, p),
      logLoss: logLoss(testY, p),
      brierScore: brierScore(testY, p),
    });
  }
  const summary = (key: 'rocAuc' | 'prAuc' | 'logLoss' | 'brierScore'): ScoreSummary => {
    const v = folds.map((f) => f[key]);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return { mean, sd: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) };
  };
  return {
    folds,
    rocAuc: summary('rocAuc'),
    prAuc: summary('prAuc'),
    logLoss: summary('logLoss'),
    brierScore: summary('brierScore'),
    outOfFold,
    testIndex,
  };
}
