import { CrmError, ownValue, readOptions, type CrmPath } from '@crm/core';
import { featureColumns, guardFinite, treeLimits, writerFor } from './compile-common.ts';
import { boostedLogOdds, guardInfinite, readBoosting, type Boosting, type GradientBoostingJsonLike } from './compile-boosting.ts';
import { forestMean, readForest, type RandomForestJsonLike } from './compile-forest.ts';
import { logisticLinear, readLogistic, stableSigmoid, type LogisticModel, type LogisticRegressionJsonLike } from './compile-logistic.ts';
import { readTransformer, transformerFeatures, type FeatureTransformerJsonLike } from './compile-transformer.ts';
import { TREE_OPTIONS, checkTreeSize, readDecisionTree, treeCase, type DecisionTreeJsonLike, type Tree } from './compile-tree.ts';
import { modelJson, type ModelInput } from './model-json.ts';
import { checkIdentifier, subquery, type SqlQuery } from './query.ts';
import type { Dialect } from './dialect.ts';

/**
 * The rows to score: a table (or view) or a subquery. A table name with dots is schema-qualified
 * (`'crm.customers'`); pass the parts as an array when a name itself holds a dot. A subquery is
 * your own SQL text (without bound parameters) or a query built by @crm/sql.
 *
 * @example
 * ```ts
 * import type { ScoreSource } from '@crm/sql';
 * const source: ScoreSource = { table: 'crm.customers' };
 * ```
 */
export interface ScoreSource {
  /** Table or view name, schema-qualified with dots or as an array of name parts. */
  readonly table?: string | readonly string[] | undefined;
  /** A subquery instead of a table. */
  readonly query?: string | SqlQuery | undefined;
}

/**
 * A model {@link scoreSql} compiles: a fitted `LogisticRegression`, `DecisionTree`,
 * `RandomForest` or `GradientBoosting` of @crm/churn, or its JSON.
 *
 * @example
 * ```ts
 * import type { ScoreModel } from '@crm/sql';
 * const model: ScoreModel = { kind: 'crm.churn.logistic-regression', version: 1, coefficients: [0.5], intercept: 0 };
 * ```
 */
export type ScoreModel =
  | ModelInput<LogisticRegressionJsonLike>
  | ModelInput<DecisionTreeJsonLike>
  | ModelInput<RandomForestJsonLike>
  | ModelInput<GradientBoostingJsonLike>;

/**
 * Options of {@link scoreSql}.
 *
 * @example
 * ```ts
 * import type { ScoreSqlOptions } from '@crm/sql';
 * const options: ScoreSqlOptions = {
 *   model: { kind: 'crm.churn.logistic-regression', version: 1, coefficients: [0.5], intercept: 0 },
 *   features: ['tenure'],
 *   keep: ['customer_id'],
 * };
 * ```
 */
export interface ScoreSqlOptions {
  /** The fitted classifier (object or JSON). */
  readonly model: ScoreModel;
  /** A fitted `FeatureTransformer` (object or JSON) whose output features the model takes; then `features` is not given. */
  readonly transformer?: ModelInput<FeatureTransformerJsonLike> | undefined;
  /** Without a transformer: the source columns of the model's features, in the model's order. */
  readonly features?: readonly string[] | undefined;
  /** Source columns passed through to the result, before the probability (default none). */
  readonly keep?: readonly string[] | undefined;
  /** Name of the probability column (default `'probability'`). */
  readonly as?: string | undefined;
  /** SQL dialect (default `'duckdb'`). */
  readonly dialect?: Dialect | undefined;
  /** Trees: most nodes compiled (default 100,000); see {@link TreeSqlOptions}. */
  readonly maxNodes?: number | undefined;
  /** Trees: deepest tree compiled (default 500); see {@link TreeSqlOptions}. */
  readonly maxDepth?: number | undefined;
}

const OPTION_KEYS = ['model', 'transformer', 'features', 'keep', 'as', 'dialect', ...TREE_OPTIONS] as const;
const MODEL_KINDS = ['crm.churn.logistic-regression', 'crm.churn.decision-tree', 'crm.churn.random-forest', 'crm.churn.gradient-boosting'];

/**
 * A query scoring every row of a table or subquery with a fitted classifier, optionally behind a
 * fitted `FeatureTransformer` (a pipeline in SQL): it selects the `keep` columns and the
 * probability of class 1, equal to the model's `predictProba` (on the transformer's `transform`)
 * within 1e-12 on DuckDB and PostgreSQL. The rows never leave the database: a churn model trained
 * in a notebook on a sample scores every customer where they are.
 *
 * The query has one subquery computing each feature once per row (the source columns cast to
 * double, or the transformer's expressions: see {@link featureTransformerSql}), and for logistic
 * regression and gradient boosting one more for the log-odds; the model sits on top (see
 * {@link logisticRegressionSql}, {@link decisionTreeSql}, {@link randomForestSql},
 * {@link gradientBoostingSql} for the exact arithmetic and the size limits). A row with a NULL,
 * NaN or infinite feature (after imputation) gets a NULL probability, where predictProba would
 * refuse the batch; gradient boosting, which scores missing values, routes NULL and NaN as its
 * trees learned and refuses only infinite ones. Model numbers are literals; only category levels and fills
 * are bound parameters.
 *
 * @example
 * ```ts
 * import { scoreSql } from '@crm/sql';
 * const model = { kind: 'crm.churn.logistic-regression', version: 1, coefficients: [0.08, -0.3], intercept: -1.2 } as const;
 * const q = scoreSql({ table: 'customers' }, { model, features: ['tenure', 'monthly_charges'], keep: ['customer_id'], as: 'churn' });
 * q.columns; // → ['customer_id', 'churn']
 * q.params;  // → []
 * ```
 * @throws {CrmError} `invalid_json` at `['options', 'model', …]` or `['options', 'transformer', …]`
 * for JSON of an unknown kind or version or with bad values; `invalid_argument` for bad options,
 * a bad source, or a feature count that differs from the model's; `limit_exceeded` at
 * `['options', 'maxNodes']` or `['options', 'maxDepth']` for trees too big to compile.
 */
export function scoreSql(source: ScoreSource, options: ScoreSqlOptions): SqlQuery {
  const o = readOptions(options, OPTION_KEYS, 'scoreSql');
  const w = writerFor(o.dialect);
  const from = readScoreSource(source, ['source']);
  const keep = readNames(o.keep, ['options', 'keep']);
  const as = checkIdentifier(o.as ?? 'probability', ['options', 'as']);
  if (keep.includes(as)) throw new CrmError('invalid_argument', `the probability column ${JSON.stringify(as)} is also a kept column: choose another name with as`, ['options', 'as']);
  const json = modelJson(o.model, ['options', 'model']);
  const kind = json !== null && typeof json === 'object' ? ownValue(json as Record<string, unknown>, 'kind') : undefined;
  if (typeof kind !== 'string' || !MODEL_KINDS.includes(kind)) {
    throw new CrmError(
      'invalid_json',
      `options.model must be a LogisticRegression, DecisionTree, RandomForest or GradientBoosting (kind ${MODEL_KINDS.map((k) => `'${k}'`).join(', ')}), got kind ${JSON.stringify(kind) ?? 'none'}`,
      ['options', 'model', 'kind'],
    );
  }
  const limits = treeLimits(o);
  const model = readScoreModel(json, kind, ['options', 'model']);
  const nFeatures = model.logistic !== undefined ? model.logistic.coefficients.length : model.nFeatures;
  if (model.logistic === undefined) checkTreeSize(model.trees, limits, model.boosting ? `gradient boosting of ${model.trees.length} trees` : model.single ? 'a decision tree' : `a forest of ${model.trees.length} trees`);

  // Innermost: kept columns and features, once per row.
  const src = (name: string, path: CrmPath): string => `src.${w.ident(name, path)}`;
  let featureTexts: string[];
  if (o.transformer !== undefined) {
    if (o.features !== undefined) {
      throw new CrmError('invalid_argument', 'give either a transformer or features: with a transformer, the features are its output', ['options', 'features']);
    }
    const columns = readTransformer(o.transformer, ['options', 'transformer']);
    featureTexts = transformerFeatures(w, columns, (name, j) => src(name, ['options', 'transformer', 'columns', j, 'name'])).map((f) => f.text);
    if (featureTexts.length !== nFeatures) {
      throw new CrmError('invalid_argument', `the transformer gives ${featureTexts.length} features but the model takes ${nFeatures}`, ['options', 'transformer']);
    }
  } else {
    featureTexts = featureColumns(w, o.features, nFeatures, ['options', 'features'], 'src.');
  }
  const keptAs = keep.map((_, i) => `crm_k${i}`);
  const inputs = featureTexts.map((_, j) => `s.crm_f${j}`);
  const inner = [
    ...keep.map((name, i) => `${src(name, ['options', 'keep', i])} AS ${keptAs[i]!}`),
    ...featureTexts.map((t, j) => `${t} AS crm_f${j}`),
  ];
  const features = `(SELECT ${inner.join(', ')} FROM ${from(w)} AS src${w.d.fence}) AS s`;
  const outKept = (alias: string): string[] => keep.map((name, i) => `${alias}.${keptAs[i]!} AS ${w.d.quote(name)}`);
  let text: string;
  if (model.logistic !== undefined || model.boosting !== undefined) {
    // The log-odds once per row, then the logistic function of that column.
    const logOdds = model.logistic !== undefined
      ? guardFinite(inputs, logisticLinear(model.logistic, inputs))
      : guardInfinite(w, inputs, boostedLogOdds(w, model.boosting, inputs));
    const z = `(SELECT ${[...keptAs.map((k) => `s.${k}`), `${logOdds} AS crm_z`].join(', ')} FROM ${features}${w.d.fence}) AS z`;
    text = `SELECT ${[...outKept('z'), `${stableSigmoid(w, 'z.crm_z')} AS ${w.d.quote(as)}`].join(', ')} FROM ${z}`;
  } else {
    const p = model.single ? treeCase(w, model.trees[0]!, inputs) : forestMean(w, model.trees, inputs);
    text = `SELECT ${[...outKept('s'), `${guardFinite(inputs, p)} AS ${w.d.quote(as)}`].join(', ')} FROM ${features}`;
  }
  return w.finish(text, [...keep, as]);
}

/** A checked classifier: logistic, one or more trees averaged, or boosted trees summed. */
type ReadModel =
  | { readonly logistic: LogisticModel; readonly boosting?: undefined; readonly nFeatures?: undefined; readonly trees?: undefined; readonly single?: undefined }
  | { readonly logistic?: undefined; readonly boosting?: undefined; readonly nFeatures: number; readonly trees: readonly Tree[]; readonly single: boolean }
  | { readonly logistic?: undefined; readonly boosting: Boosting; readonly nFeatures: number; readonly trees: readonly Tree[]; readonly single: false };

function readScoreModel(json: unknown, kind: string, path: CrmPath): ReadModel {
  if (kind === 'crm.churn.logistic-regression') return { logistic: readLogistic(json, path) };
  if (kind === 'crm.churn.decision-tree') {
    const { nFeatures, tree } = readDecisionTree(json, path);
    return { nFeatures, trees: [tree], single: true };
  }
  if (kind === 'crm.churn.gradient-boosting') {
    const boosting = readBoosting(json, path);
    return { boosting, nFeatures: boosting.nFeatures, trees: boosting.trees, single: false };
  }
  return { ...readForest(json, path), single: false };
}

/** Reads a {@link ScoreSource}: a writer of its FROM item. */
function readScoreSource(value: unknown, path: CrmPath): (w: ReturnType<typeof writerFor>) => string {
  const o = readOptions(value, ['table', 'query'], 'score source', path);
  if ((o.table === undefined) === (o.query === undefined)) {
    throw new CrmError('invalid_argument', 'a source names exactly one of table or query', path);
  }
  if (o.query !== undefined) {
    const query = o.query;
    return (w) => subquery(w, query, [...path, 'query']);
  }
  const table = o.table;
  const tpath = [...path, 'table'];
  let parts: unknown[];
  if (typeof table === 'string') parts = table.split('.');
  else if (Array.isArray(table) && table.length > 0) parts = [...(table as unknown[])];
  else throw new CrmError('invalid_argument', 'table must be a name or a non-empty array of name parts', tpath);
  const names = parts.map((p, i) => checkIdentifier(p, typeof table === 'string' ? tpath : [...tpath, i]));
  return (w) => names.map((p) => w.d.quote(p)).join('.');
}

/** Reads a list of distinct column names. */
function readNames(value: unknown, path: CrmPath): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new CrmError('invalid_argument', 'keep must be an array of column names', path);
  const names = Array.from({ length: value.length }, (_, i) => checkIdentifier(value[i] as unknown, [...path, i]));
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (seen.has(n)) throw new CrmError('invalid_argument', `column ${JSON.stringify(n)} is kept twice`, [...path, i]);
    seen.add(n);
  });
  return names;
}
