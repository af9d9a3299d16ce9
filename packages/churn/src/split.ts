import { booleanOption, CrmError, createRng, numberOption, readOptions, toBinaryLabels } from '@crm/core';
import { stratifiedFoldIndices, stratifiedSplitIndices } from './internal/stratify.ts';

/**
 * Options of {@link trainTestSplit}.
 *
 * @example
 * ```ts
 * import type { TrainTestSplitOptions } from '@crm/churn';
 * const options: TrainTestSplitOptions = { testSize: 0.2, stratify: true, seed: 42 };
 * ```
 */
export interface TrainTestSplitOptions {
  /** Share of rows in the test part, in (0, 1) (default 0.2). */
  readonly testSize?: number;
  /** Keep the churn rate the same in both parts (default true). */
  readonly stratify?: boolean;
  /** Seed of the shuffle (default 0). */
  readonly seed?: number;
}

/**
 * The two parts of a {@link trainTestSplit}, with the row indices they came from (ascending).
 *
 * @example
 * ```ts
 * import { trainTestSplit, type TrainTestSplit } from '@crm/churn';
 * const s: TrainTestSplit<number[]> = trainTestSplit([[1], [2], [3], [4]], [0, 1, 0, 1], { testSize: 0.5 });
 * s.testIndex; // two rows, one of each class
 * ```
 */
export interface TrainTestSplit<Row> {
  /** Training rows. */
  readonly XTrain: Row[];
  /** Test rows. */
  readonly XTest: Row[];
  /** Training labels (0/1). */
  readonly yTrain: Uint8Array;
  /** Test labels (0/1). */
  readonly yTest: Uint8Array;
  /** Indices of the training rows in the input. */
  readonly trainIndex: number[];
  /** Indices of the test rows in the input. */
  readonly testIndex: number[];
}

/**
 * Splits rows (numbers or raw records) and labels into a training and a test part at random,
 * stratified by label unless told otherwise: each class contributes round(testSize · n_class)
 * rows to the test part. Seeded, so the same seed gives the same split; the input is not touched.
 * O(n).
 *
 * @throws {CrmError} `invalid_argument` for a bad or unknown option (testSize outside (0, 1), a
 * non-boolean stratify, a non-integer seed) or rows that are not an array;
 * `invalid_labels` for bad labels or a length mismatch.
 * @example
 * ```ts
 * import { trainTestSplit } from '@crm/churn';
 * const X = [[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]];
 * const y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
 * const s = trainTestSplit(X, y, { testSize: 0.2, seed: 42 });
 * s.XTest.length;                 // 2: one churner, one stayer
 * ```
 */
export function trainTestSplit<Row>(X: readonly Row[], y: ArrayLike<number | boolean>, options: TrainTestSplitOptions = {}): TrainTestSplit<Row> {
  const o = readOptions(options, ['testSize', 'stratify', 'seed'], 'trainTestSplit');
  const testSize = numberOption(o, 'testSize', 0.2, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const stratify = booleanOption(o, 'stratify', true);
  const seed = numberOption(o, 'seed', 0, { integer: true });
  if (!Array.isArray(X)) throw new CrmError('invalid_argument', 'X must be an array of rows', ['X']);
  const labels = toBinaryLabels(y, X.length, { allowOneClass: !stratify });
  const rng = createRng(seed);
  let trainIndex: number[];
  let testIndex: number[];
  if (!stratify) {
    const k = Math.min(Math.max(Math.round(testSize * X.length), 1), X.length - 1);
    const order = rng.shuffle(Array.from({ length: X.length }, (_, i) => i));
    testIndex = order.slice(0, k).sort((a, b) => a - b);
    trainIndex = order.slice(k).sort((a, b) => a - b);
  } else {
    ({ train: trainIndex, test: testIndex } = stratifiedSplitIndices(labels, testSize, rng));
  }
  if (trainIndex.length === 0 || testIndex.length === 0) {
    throw new CrmError('invalid_input', `cannot split ${X.length} row(s) into two non-empty parts`, ['X']);
  }
  return {
    XTrain: trainIndex.map((i) => X[i] as Row),
    XTest: testIndex.map((i) => X[i] as Row),
    yTrain: Uint8Array.from(trainIndex, (i) => labels[i] as number),
    yTest: Uint8Array.from(testIndex, (i) => labels[i] as number),
    trainIndex,
    testIndex,
  };
}

/**
 * Stratified k-fold assignment: each class's rows are shuffled (seeded) and dealt to the folds in
 * turn, so every fold has nearly the same size and churn rate. Returns the test rows of each
 * fold (ascending); the training rows of fold k are all the others. O(n).
 *
 * @throws {CrmError} `invalid_argument` for a bad number of folds or an unknown option; `invalid_labels` for bad labels
 * or a class with fewer rows than folds.
 * @example
 * ```ts
 * import { stratifiedKFold } from '@crm/churn';
 * stratifiedKFold([0, 0, 0, 1, 1, 1], { folds: 3, seed: 1 }); // three folds, each with one churner
 * ```
 */
export function stratifiedKFold(y: ArrayLike<number | boolean>, options: { readonly folds?: number; readonly seed?: number } = {}): number[][] {
  const o = readOptions(options, ['folds', 'seed'], 'stratifiedKFold');
  const folds = numberOption(o, 'folds', 5, { min: 2, integer: true });
  const seed = numberOption(o, 'seed', 0, { integer: true });
  const labels = toBinaryLabels(y);
  let ones = 0;
  for (let i = 0; i < labels.length; i++) ones += labels[i] as number;
  const smallest = Math.min(ones, labels.length - ones);
  if (smallest < folds) {
    throw new CrmError('invalid_labels', `the smaller class has ${smallest} row(s), fewer than the ${folds} folds: every fold needs both classes`, ['y']);
  }
  return stratifiedFoldIndices(labels, folds, createRng(seed));
}
