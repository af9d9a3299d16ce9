import { CrmError, ownValue, type CrmPath } from '@crm/core';
import { expressionOptions, featureColumns, finishExpression, guardFinite, treeLimits, writerFor, type SqlExpression } from './compile-common.ts';
import { TREE_OPTIONS, checkTreeSize, readFeatureCount, readTree, treeCase, type Tree, type TreeJsonLike, type TreeSqlOptions } from './compile-tree.ts';
import { modelJson, readKind, type ModelInput } from './model-json.ts';
import { numberLiteral, type SqlWriter } from './query.ts';

/**
 * What {@link randomForestSql} reads of a `RandomForest` of @crm/churn (its `toJSON()`, format
 * version 1 or 2); other fields are ignored.
 *
 * @example
 * ```ts
 * import type { RandomForestJsonLike } from '@crm/sql';
 * const stump = { feature: [0, -1, -1], threshold: [1.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0.5, 0, 1] };
 * const json: RandomForestJsonLike = { kind: 'crm.churn.random-forest', version: 1, nFeatures: 1, trees: [stump, stump] };
 * ```
 */
export interface RandomForestJsonLike {
  readonly kind: 'crm.churn.random-forest';
  /** Format 1, or 2 (which adds what explanations need, ignored here). */
  readonly version: 1 | 2;
  /** Number of features. */
  readonly nFeatures: number;
  /** The trees. */
  readonly trees: readonly TreeJsonLike[];
}

const KIND = 'crm.churn.random-forest';
/** Most trees read; @crm/churn grows at most 100,000. */
const MAX_TREES = 100_000;

/** Reads and checks random-forest JSON. Internal. */
export function readForest(json: unknown, path: CrmPath): { nFeatures: number; trees: Tree[] } {
  const obj = readKind(json, [KIND], [1, 2], path);
  const nFeatures = readFeatureCount(obj, path);
  const raw = ownValue(obj, 'trees');
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_TREES) {
    throw new CrmError('invalid_json', `trees must be an array of 1 to ${MAX_TREES} trees`, [...path, 'trees']);
  }
  const trees: Tree[] = [];
  // An index loop: a sparse array's holes must fail here.
  for (let i = 0; i < raw.length; i++) trees.push(readTree(raw[i] as unknown, [...path, 'trees', i], nFeatures));
  return { nFeatures, trees };
}

/**
 * The mean of the trees as predictProba computes it: the trees' probabilities summed in tree
 * order, left to right in doubles, then divided by the number of trees. Internal.
 */
export function forestMean(w: SqlWriter, trees: readonly Tree[], inputs: readonly string[]): string {
  const sum = trees.map((t) => treeCase(w, t, inputs)).join(' + ');
  return `(${sum}) / ${numberLiteral(trees.length)}`;
}

/**
 * Compiles a fitted random forest (`RandomForest` of @crm/churn, or its JSON) to a SQL expression
 * of the feature columns giving its `predictProba`: each tree a nested CASE (see
 * {@link decisionTreeSql}), their probabilities summed in tree order and divided by the number of
 * trees, as predictProba does, so DuckDB and PostgreSQL give the same doubles. A row with a NULL,
 * NaN or infinite feature gives NULL.
 *
 * Size: O(total nodes) text, about 40 characters per node; a 100-tree forest grown until pure on
 * 5,625 rows (Telco) has 180,000 nodes (5 MB). Every threshold and leaf value is a number
 * literal, not a bound parameter: such a forest holds more constants than PostgreSQL's limit of
 * 65,535 parameters per statement. Forests over `maxNodes` nodes (default 100,000) or with a tree
 * deeper than `maxDepth` (default 500) stop with `limit_exceeded`; limit depth when fitting
 * (`maxDepth`, `minSamplesLeaf`) to score big forests in SQL.
 *
 * On PostgreSQL a big forest's cost estimate passes `jit_above_cost`, and JIT-compiling the
 * expression then takes longer than scoring (measured: 3 s against 0.3 s for 21,000 nodes on
 * 7,000 rows): `SET jit = off` in the session that scores.
 *
 * @example
 * ```ts
 * import { randomForestSql } from '@crm/sql';
 * const stump = { feature: [0, -1, -1], threshold: [1.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0.5, 0, 1] };
 * const forest = { kind: 'crm.churn.random-forest', version: 1, nFeatures: 1, trees: [stump, stump] } as const;
 * randomForestSql(forest, { features: ['tenure'], dialect: 'postgres' }).params; // → []
 * ```
 * @throws {CrmError} `invalid_json` (with a path) for JSON of another kind or version, or a
 * malformed tree; `invalid_argument` for bad options; `limit_exceeded` at `['options', 'maxNodes']`
 * or `['options', 'maxDepth']`.
 */
export function randomForestSql(model: ModelInput<RandomForestJsonLike>, options: TreeSqlOptions): SqlExpression {
  const o = expressionOptions(options, TREE_OPTIONS, 'randomForestSql');
  const w = writerFor(o.dialect);
  const limits = treeLimits(o);
  const { nFeatures, trees } = readForest(modelJson(model, []), []);
  const inputs = featureColumns(w, o.features, nFeatures, ['options', 'features']);
  checkTreeSize(trees, limits, `a forest of ${trees.length} trees`);
  return finishExpression(w, guardFinite(inputs, forestMean(w, trees, inputs)));
}
