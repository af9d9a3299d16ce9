import type { Learner, Predictor } from './classifier.ts';

/**
 * What {@link pipeline} returns: a {@link Learner} of raw records whose `fit` gives a
 * {@link FittedPipeline} (with the fitted `transformer` and `model`).
 *
 * @example
 * ```ts
 * import { DecisionTree, pipeline, type PipelineLearner } from '@crm/churn';
 * type Rec = { readonly tenure: number };
 * const learner: PipelineLearner<Rec, DecisionTree> = pipeline(
 *   { fit: () => ({ transform: (r: readonly Rec[]) => r.map((o) => [o.tenure]) }) },
 *   DecisionTree,
 * );
 * ```
 */
export interface PipelineLearner<Record, Model extends Predictor<ArrayLike<number>>> extends Learner<Record> {
  /** Fits the preprocessing on `records`, then the model on their transform. */
  fit(records: readonly Record[], y: ArrayLike<number | boolean>): FittedPipeline<Record, Model>;
}

/**
 * Preprocessing fitted on training records: anything whose `fit(records)` returns something with
 * `transform(records)` → rows of numbers. `FeatureTransformer` of `@crm/core` fits in with a spec:
 * `{ fit: (records) => FeatureTransformer.fit(records, spec) }`.
 *
 * @example
 * ```ts
 * import type { TransformerFactory } from '@crm/churn';
 * const asIs: TransformerFactory<{ x: number }> = { fit: () => ({ transform: (r) => r.map((o) => [o.x]) }) };
 * ```
 */
export interface TransformerFactory<Record> {
  /** Learns the preprocessing (scales, levels, imputation values) from training records. */
  fit(records: readonly Record[]): FittedTransformer<Record>;
}

/**
 * A fitted preprocessing step.
 *
 * @example
 * ```ts
 * import type { FittedTransformer } from '@crm/churn';
 * const t: FittedTransformer<{ x: number }> = { transform: (r) => r.map((o) => [o.x]) };
 * ```
 */
export interface FittedTransformer<Record> {
  /** Turns records into rows of numbers with the learned values. */
  transform(records: readonly Record[]): readonly ArrayLike<number>[];
}

/**
 * A fitted {@link pipeline}: the preprocessing and the model fitted on the same training records.
 *
 * @example
 * ```ts
 * import { LogisticRegression, pipeline, type FittedPipeline } from '@crm/churn';
 * const fitted: FittedPipeline<{ x: number }, LogisticRegression> = pipeline(
 *   { fit: () => ({ transform: (r: readonly { x: number }[]) => r.map((o) => [o.x]) }) },
 *   LogisticRegression,
 * ).fit([{ x: 0 }, { x: 1 }, { x: 2 }, { x: 3 }], [0, 1, 0, 1]);
 * ```
 */
export interface FittedPipeline<Record, Model extends Predictor<ArrayLike<number>>> extends Predictor<Record> {
  /** The preprocessing fitted on the training records. */
  readonly transformer: FittedTransformer<Record>;
  /** The model fitted on the transformed training records. */
  readonly model: Model;
  /** Probability of class 1 for each record: transform, then predict. */
  predictProba(records: readonly Record[]): ArrayLike<number>;
}

/**
 * A pipeline learner: preprocessing, then a model. Fitting it fits the preprocessing on the
 * training records only and the model on their transform, so inside {@link crossValidate} the
 * scaling and level sets are learned from each training fold and never see the fold's test rows
 * (no leakage, as scikit-learn's `Pipeline` in `cross_val_score`).
 *
 * @param transformer fits the preprocessing on training records.
 * @param learner fits a model on rows of numbers: a model class (`LogisticRegression`) or
 * `{ fit: (X, y) => Model.fit(X, y, options) }`.
 * @example
 * ```ts
 * import { FeatureTransformer } from '@crm/core';
 * import { LogisticRegression, crossValidate, pipeline } from '@crm/churn';
 * const spec = { columns: [{ name: 'tenure', type: 'numeric', scale: 'standard' }, { name: 'plan', type: 'categorical' }] } as const;
 * const learner = pipeline({ fit: (records) => FeatureTransformer.fit(records, spec) }, LogisticRegression);
 * // crossValidate(learner, customers, churned, { folds: 5, seed: 42 });
 * ```
 */
export function pipeline<Record = object, Model extends Predictor<ArrayLike<number>> = Predictor<ArrayLike<number>>>(
  transformer: TransformerFactory<Record>,
  learner: { fit(X: readonly ArrayLike<number>[], y: ArrayLike<number | boolean>): Model },
): PipelineLearner<Record, Model> {
  return {
    fit(records: readonly Record[], y: ArrayLike<number | boolean>): FittedPipeline<Record, Model> {
      const fitted = transformer.fit(records);
      const model = learner.fit(fitted.transform(records), y);
      return {
        transformer: fitted,
        model,
        predictProba: (rows: readonly Record[]): ArrayLike<number> => model.predictProba(fitted.transform(rows)),
      };
    },
  };
}
