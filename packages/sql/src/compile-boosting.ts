import { CrmError, ownValue, type CrmPath } from '@crm/core';
import { expressionOptions, featureColumns, finishExpression, treeLimits, writerFor, type SqlExpression } from './compile-common.ts';
import { TREE_OPTIONS, checkTreeSize, readFeatureCount, readTree, treeCase, type Tree, type TreeSqlOptions } from './compile-tree.ts';
import { modelJson, readKind, type ModelInput } from './model-json.ts';
import { finiteSql, numberLiteral, type SqlWriter } from './query.ts';

/**
 * One boosted tree as @crm/churn writes it (`GradientBoosting`'s `toJSON().trees[i]`); other
 * fields (such as `cover`) are ignored.
 *
 * @example
 * ```ts
 * import type { BoostedTreeJsonLike } from '@crm/sql';
 * const stump: BoostedTreeJsonLike = {
 *   feature: [0, -1, -1], threshold: [1.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1],
 *   value: [0, -0.2, 0.3], defaultLeft: [1, 0, 0],
 * };
 * ```
 */
export interface BoostedTreeJsonLike {
  /** Feature tested at each node; −1 at a leaf. */
  readonly feature: readonly number[];
  /** x ≤ threshold goes left; `null`: every number goes left (only a missing value may go right). */
  readonly threshold: readonly (number | null)[];
  /** Index of the left child; −1 at a leaf. */
  readonly left: readonly number[];
  /** Index of the right child; −1 at a leaf. */
  readonly right: readonly number[];
  /** Raw (log-odds) output at each node, learning rate applied. */
  readonly value: readonly number[];
  /** 1 where a missing value goes left, 0 where it goes right. */
  readonly defaultLeft: readonly number[];
}

/**
 * What {@link gradientBoostingSql} reads of a `GradientBoosting` of @crm/churn (its `toJSON()`);
 * other fields are ignored.
 *
 * @example
 * ```ts
 * import type { GradientBoostingJsonLike } from '@crm/sql';
 * const json: GradientBoostingJsonLike = {
 *   kind: 'crm.churn.gradient-boosting', version: 1, nFeatures: 1, baseline: -1.1,
 *   trees: [{ feature: [0, -1, -1], threshold: [1.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, -0.2, 0.3], defaultLeft: [1, 0, 0] }],
 * };
 * ```
 */
export interface GradientBoostingJsonLike {
  readonly kind: 'crm.churn.gradient-boosting';
  /** Format version, 1. */
  readonly version: 1;
  /** Number of features. */
  readonly nFeatures: number;
  /** Raw output before any tree: the log-odds of the base rate. */
  readonly baseline: number;
  /** The trees, in the order they were grown. */
  readonly trees: readonly BoostedTreeJsonLike[];
}

const KIND = 'crm.churn.gradient-boosting';
/** Most trees read; @crm/churn grows at most `maxIter` ≤ 100,000. */
const MAX_TREES = 100_000;

/** A checked boosted model. Internal. */
export interface Boosting {
  readonly nFeatures: number;
  readonly baseline: number;
  readonly trees: readonly Tree[];
}

/** Reads and checks gradient-boosting JSON. Internal. */
export function readBoosting(json: unknown, path: CrmPath): Boosting {
  const obj = readKind(json, [KIND], [1], path);
  const nFeatures = readFeatureCount(obj, path);
  const baseline = ownValue(obj, 'baseline');
  if (typeof baseline !== 'number' || !Number.isFinite(baseline)) {
    throw new CrmError('invalid_json', 'baseline must be a finite number', [...path, 'baseline']);
  }
  const raw = ownValue(obj, 'trees');
  if (!Array.isArray(raw) || raw.length > MAX_TREES) {
    throw new CrmError('invalid_json', `trees must be an array of at most ${MAX_TREES} trees`, [...path, 'trees']);
  }
  const trees: Tree[] = [];
  // An index loop: a sparse array's holes must fail here.
  for (let i = 0; i < raw.length; i++) trees.push(readTree(raw[i] as unknown, [...path, 'trees', i], nFeatures, 'raw'));
  return { nFeatures, baseline, trees };
}

/**
 * The raw output as decisionFunction computes it: the baseline, then each tree's leaf value added
 * in tree order, left to right in doubles. Internal.
 */
export function boostedLogOdds(w: SqlWriter, m: Boosting, inputs: readonly string[]): string {
  return [numberLiteral(m.baseline), ...m.trees.map((t) => treeCase(w, t, inputs))].join(' + ');
}

/**
 * `expr` unless an input is ±Infinity, which predictProba refuses (NULL there); NULL and NaN are
 * missing values the trees route. Internal.
 */
export function guardInfinite(w: SqlWriter, inputs: readonly string[], expr: string): string {
  const ok = [...new Set(inputs)].map((x) => `(${x} IS NULL OR ${w.d.isNaN(x)} OR ${finiteSql(x)})`);
  return `CASE WHEN ${ok.join(' AND ')} THEN ${expr} END`;
}

/**
 * The logistic function with `z` written once (it holds every tree): 1 / (1 + e^−z), the exponent
 * clamped to ±700 so EXP neither overflows nor underflows (PostgreSQL raises both). For z < 0
 * predictProba computes e^z / (1 + e^z) instead; the two differ by a few ulps. Internal.
 */
function sigmoidOnce(w: SqlWriter, z: string): string {
  return `CAST(1 / (1 + EXP(GREATEST(LEAST(-(${z}), 700), -700))) AS ${w.d.double})`;
}

/**
 * Compiles fitted gradient-boosted trees (`GradientBoosting` of @crm/churn, or its JSON) to a SQL
 * expression of the feature columns giving its `predictProba`: each tree a nested CASE whose
 * nodes test x ≤ threshold in doubles, a missing value (NULL or NaN) going to the side the node
 * learned, as predictProba treats NaN; the leaf values added to the baseline in tree order, as
 * `decisionFunction` sums them; then the logistic function (within 1e-12 of predictProba: the sum is the
 * same double, and only the engine's EXP and the form 1 / (1 + e^−z) for negative z differ in the
 * last bits; {@link scoreSql} computes the log-odds once per row and uses predictProba's form). A row with an infinite feature, which predictProba refuses, gives NULL.
 *
 * Size: O(total nodes) text; a model over `maxNodes` nodes (default 100,000) or with a tree
 * deeper than `maxDepth` (default 500) stops with `limit_exceeded` before any SQL is written. The
 * default model (100 trees of 31 leaves) has about 6,100 nodes.
 *
 * @example
 * ```ts
 * import { gradientBoostingSql } from '@crm/sql';
 * const model = {
 *   kind: 'crm.churn.gradient-boosting', version: 1, nFeatures: 1, baseline: -1.1,
 *   trees: [{ feature: [0, -1, -1], threshold: [1.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, -0.2, 0.3], defaultLeft: [1, 0, 0] }],
 * } as const;
 * gradientBoostingSql(model, { features: ['tenure'], dialect: 'postgres' }).params; // → []
 * ```
 * @throws {CrmError} `invalid_json` (with a path) for JSON of another kind or version, or a
 * malformed tree; `invalid_argument` for bad options; `limit_exceeded` at `['options', 'maxNodes']`
 * or `['options', 'maxDepth']`.
 */
export function gradientBoostingSql(model: ModelInput<GradientBoostingJsonLike>, options: TreeSqlOptions): SqlExpression {
  const o = expressionOptions(options, TREE_OPTIONS, 'gradientBoostingSql');
  const w = writerFor(o.dialect);
  const limits = treeLimits(o);
  const m = readBoosting(modelJson(model, []), []);
  const inputs = featureColumns(w, o.features, m.nFeatures, ['options', 'features']);
  checkTreeSize(m.trees, limits, `gradient boosting of ${m.trees.length} trees`);
  return finishExpression(w, guardInfinite(w, inputs, sigmoidOnce(w, boostedLogOdds(w, m, inputs))));
}
