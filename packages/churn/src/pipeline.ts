import { CrmError } from '@crm/core';
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
 * @typeParam Record The record type; inferred from an annotated transformer, otherwise `object`
 * (what `FeatureTransformer.fit` reads), so `(records) => FeatureTransformer.fit(records, spec)`
 * type-checks as written.
 * @throws {CrmError} `invalid_argument` at `['transformer']` or `['learner']` when either has no
 * `fit` method; when fitting, `invalid_argument` at `['records']` for records that are not an
 * array and `invalid_input` at `['transformer']` when the fitted preprocessing has no `transform`
 * or the learner's model no `predictProba`.
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
  requireMethod(transformer, 'fit', 'transformer', 'an object with fit(records), such as { fit: (records) => FeatureTransformer.fit(records, spec) }');
  requireMethod(learner, 'fit', 'learner', 'a model class such as LogisticRegression, or { fit: (X, y) => … }');
  return Object.freeze({
    fit(records: readonly Record[], y: ArrayLike<number | boolean>): FittedPipeline<Record, Model> {
      if (!Array.isArray(records)) throw new CrmError('invalid_argument', 'records must be an array', ['records']);
      const fitted = transformer.fit(records);
      requireMethod(fitted, 'transform', 'transformer', "the result of the transformer's fit: an object with transform(records)", 'invalid_input');
      const model = learner.fit(fitted.transform(records), y);
      requireMethod(model, 'predictProba', 'learner', "the result of the learner's fit: a model with predictProba(X)", 'invalid_input');
      return Object.freeze({
        transformer: fitted,
        model,
        predictProba: (rows: readonly Record[]): ArrayLike<number> => {
          if (!Array.isArray(rows)) throw new CrmError('invalid_argument', 'records must be an array', ['records']);
          return model.predictProba(fitted.transform(rows));
        },
      });
    },
  });
}

/** Throws a CrmError at `[name]` unless `value[method]` is a function. */
function requireMethod(
  value: unknown,
  method: string,
  name: string,
  expected: string,
  code: 'invalid_argument' | 'invalid_input' = 'invalid_argument',
): void {
  const ok = (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { [k: string]: unknown })[method] === 'function';
  if (!ok) throw new CrmError(code, `${name} must be ${expected}, got ${value === null ? 'null' : typeof value}`, [name]);
}
