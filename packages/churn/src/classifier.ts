/**
 * What every fitted binary classifier of @crm/churn offers, so evaluation code (cross-validation,
 * permutation importance, thresholds, benchmarks) takes any of them. Models are made by a static
 * `fit(X, y, options)` and are immutable.
 *
 * The positive class is `1` (or `true`): `predictProba` returns its probability, and `classes`
 * is always `[0, 1]`, the column order of scikit-learn's `predict_proba`.
 *
 * @example
 * ```ts
 * import { LogisticRegression, type Classifier } from '@crm/churn';
 * const model: Classifier = LogisticRegression.fit([[0], [1], [2], [3]], [0, 0, 1, 1]);
 * model.predictProba([[1.5]]); // Float64Array [0.5…]
 * model.predict([[3]]);        // Uint8Array [1]
 * ```
 */
export interface Classifier extends Predictor<ArrayLike<number>> {
  /** Model kind, as written in its JSON (`'crm.churn.logistic-regression'`, …). */
  readonly kind: string;
  /** The two classes, in the order probabilities refer to: the probability is that of `classes[1]`. */
  readonly classes: readonly [0, 1];
  /** Number of features (columns) the model was fitted on. */
  readonly nFeatures: number;
  /** Labels at a threshold on the probability (default 0.5): 1 where p ≥ threshold. */
  predict(X: readonly ArrayLike<number>[], threshold?: number): Uint8Array;
  /** Plain JSON data: `kind`, `version`, `options` and the learned values. */
  toJSON(): ClassifierJson;
}

/**
 * The common shape of a classifier's JSON.
 *
 * @example
 * ```ts
 * import type { ClassifierJson } from '@crm/churn';
 * const head: ClassifierJson = { kind: 'crm.churn.decision-tree', version: 1 };
 * ```
 */
export interface ClassifierJson {
  /** Model kind, such as `'crm.churn.random-forest'`. */
  readonly kind: string;
  /** Format version of the JSON. */
  readonly version: number;
}

/**
 * Anything that gives a probability of the positive class for each row: every {@link Classifier},
 * and a fitted {@link pipeline} (whose rows are raw records).
 *
 * @example
 * ```ts
 * import type { Predictor } from '@crm/churn';
 * const always: Predictor<number[]> = { predictProba: (X) => X.map(() => 0.5) };
 * ```
 */
export interface Predictor<Row> {
  /** Probability of the positive class for each row of `X`. */
  predictProba(X: readonly Row[]): ArrayLike<number>;
}

/**
 * Something that fits a {@link Predictor} to rows and labels. The model classes are learners as
 * they are (`LogisticRegression`, `DecisionTree`, …: their static `fit` has this shape); to fix
 * options, wrap: `{ fit: (X, y) => RandomForest.fit(X, y, { trees: 100, seed: 1 }) }`; to refit
 * preprocessing inside each fold, use {@link pipeline}.
 *
 * @example
 * ```ts
 * import { DecisionTree, type Learner } from '@crm/churn';
 * const shallow: Learner<ArrayLike<number>> = { fit: (X, y) => DecisionTree.fit(X, y, { maxDepth: 2 }) };
 * ```
 */
export interface Learner<Row> {
  /** Fits a model to rows `X` with binary labels `y`. */
  fit(X: readonly Row[], y: ArrayLike<number | boolean>): Predictor<Row>;
}
