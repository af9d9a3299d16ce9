import { CrmError, checkCost, ownValue, readNumberArray, readObject, type CrmPath } from '@crm/core';
import { expressionOptions, featureColumns, finishExpression, guardFinite, treeLimits, writerFor, type SqlExpression } from './compile-common.ts';
import { modelJson, readIntArray, readKind, type ModelInput } from './model-json.ts';
import { numberLiteral, type SqlWriter } from './query.ts';
import type { Dialect } from './dialect.ts';

/**
 * One fitted tree as @crm/churn writes it: parallel arrays over the nodes in pre-order.
 *
 * @example
 * ```ts
 * import type { TreeJsonLike } from '@crm/sql';
 * const stump: TreeJsonLike = { feature: [0, -1, -1], threshold: [1.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0.5, 0, 1] };
 * ```
 */
export interface TreeJsonLike {
  /** Feature tested at each node; −1 at a leaf. */
  readonly feature: readonly number[];
  /** Rows with feature value ≤ threshold go left. */
  readonly threshold: readonly number[];
  /** Index of the left child; −1 at a leaf. */
  readonly left: readonly number[];
  /** Index of the right child; −1 at a leaf. */
  readonly right: readonly number[];
  /** Probability of class 1 at each node. */
  readonly value: readonly number[];
}

/**
 * What {@link decisionTreeSql} reads of a `DecisionTree` of @crm/churn (its `toJSON()`, format
 * version 1 or 2); other fields are ignored.
 *
 * @example
 * ```ts
 * import type { DecisionTreeJsonLike } from '@crm/sql';
 * const json: DecisionTreeJsonLike = {
 *   kind: 'crm.churn.decision-tree', version: 1, nFeatures: 1,
 *   tree: { feature: [0, -1, -1], threshold: [1.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0.5, 0, 1] },
 * };
 * ```
 */
export interface DecisionTreeJsonLike {
  readonly kind: 'crm.churn.decision-tree';
  /** Format 1, or 2 (which adds what explanations need, ignored here). */
  readonly version: 1 | 2;
  /** Number of features. */
  readonly nFeatures: number;
  /** The nodes. */
  readonly tree: TreeJsonLike;
}

/**
 * Options of {@link decisionTreeSql} (and of {@link randomForestSql}).
 *
 * @example
 * ```ts
 * import type { TreeSqlOptions } from '@crm/sql';
 * const options: TreeSqlOptions = { features: ['tenure', 'monthly_charges'], dialect: 'postgres', maxNodes: 1_000_000 };
 * ```
 */
export interface TreeSqlOptions {
  /** Column names of the features, in the model's feature order. */
  readonly features: readonly string[];
  /** SQL dialect (default `'duckdb'`). */
  readonly dialect?: Dialect | undefined;
  /**
   * Most tree nodes compiled, over all trees (default 100,000: about 3 MB of SQL). A larger
   * model stops with `limit_exceeded` before any SQL is written.
   */
  readonly maxNodes?: number | undefined;
  /**
   * Deepest tree compiled (default 500). Each level is one nested CASE; DuckDB parses about 990
   * (its `max_expression_depth` is 1,000), PostgreSQL at least 1,000.
   */
  readonly maxDepth?: number | undefined;
}

/** A checked tree. Internal. */
export interface Tree {
  readonly feature: Int32Array;
  /** x ≤ threshold goes left; Infinity (a boosted tree's `null`): every number goes left. */
  readonly threshold: readonly number[];
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: readonly number[];
  readonly depth: number;
  /** Boosted trees: per node, 1 where a missing value (NULL, NaN) goes left. */
  readonly defaultLeft?: Uint8Array | undefined;
}

/** What a tree's values are: probabilities in [0, 1], or raw (log-odds) outputs with missing-value sides. */
export type TreeValues = 'probability' | 'raw';

const KIND = 'crm.churn.decision-tree';
export const TREE_OPTIONS: readonly ['maxNodes', 'maxDepth'] = ['maxNodes', 'maxDepth'];

/** Reads `nFeatures` (a positive integer) of model JSON. Internal. */
export function readFeatureCount(obj: Readonly<Record<string, unknown>>, path: CrmPath): number {
  const n = ownValue(obj, 'nFeatures');
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new CrmError('invalid_json', 'nFeatures must be a positive integer', [...path, 'nFeatures']);
  }
  return n;
}

/**
 * Reads and checks one tree: internal nodes test a feature in range and have two distinct
 * children after them in pre-order, every node but the root has exactly one parent (so the nodes
 * form one tree, without cycles or shared subtrees), leaves have no children, thresholds are finite
 * and probabilities lie in [0, 1]. Internal.
 */
export function readTree(json: unknown, path: CrmPath, nFeatures: number, values: TreeValues = 'probability'): Tree {
  const obj = readObject(json, path);
  const value = readNumberArray(obj, 'value', path);
  const size = value.length;
  if (size === 0) throw new CrmError('invalid_json', 'a tree needs at least one node', [...path, 'value']);
  const feature = readIntArray(obj, 'feature', path, size, -1, nFeatures - 1);
  const left = readIntArray(obj, 'left', path, size, -1, size - 1);
  const right = readIntArray(obj, 'right', path, size, -1, size - 1);
  const raw = values === 'raw';
  const threshold = raw ? readBoostedThresholds(obj, path, size) : readNumberArray(obj, 'threshold', path, size);
  const defaultLeft = raw ? Uint8Array.from(readIntArray(obj, 'defaultLeft', path, size, 0, 1)) : undefined;
  const parents = new Int32Array(size);
  const depthOf = new Int32Array(size);
  let depth = 0;
  for (let i = 0; i < size; i++) {
    const v = value[i]!;
    if (raw ? !Number.isFinite(v) : !(v >= 0 && v <= 1)) {
      throw new CrmError('invalid_json', `node ${i} has ${raw ? 'value' : 'probability'} ${v}${raw ? '' : ' outside [0, 1]'}`, [...path, 'value', i]);
    }
    const l = left[i]!;
    const r = right[i]!;
    if (feature[i]! < 0) {
      if (l !== -1 || r !== -1) throw new CrmError('invalid_json', `leaf ${i} has children`, [...path, 'left', i]);
      continue;
    }
    if (l <= i || r <= i || l === r) {
      throw new CrmError('invalid_json', `node ${i} must have two distinct children after it in pre-order`, [...path, 'left', i]);
    }
    parents[l]!++;
    parents[r]!++;
    // Children come after their parent, so a parent's depth is final when its children are seen.
    depthOf[l] = depthOf[r] = depthOf[i]! + 1;
    depth = Math.max(depth, depthOf[i]! + 1);
  }
  for (let i = 0; i < size; i++) {
    if (parents[i] !== (i === 0 ? 0 : 1)) throw new CrmError('invalid_json', `node ${i} is not reached exactly once from the root`, [...path, 'left']);
  }
  return { feature, threshold, left, right, value, depth, defaultLeft };
}

/** A boosted tree's thresholds: finite numbers, or `null` for "every number goes left". */
function readBoostedThresholds(obj: Readonly<Record<string, unknown>>, path: CrmPath, size: number): number[] {
  const raw = ownValue(obj, 'threshold');
  if (!Array.isArray(raw) || raw.length !== size) {
    throw new CrmError('invalid_json', `threshold must be an array of ${size} numbers or nulls`, [...path, 'threshold']);
  }
  return Array.from({ length: size }, (_, i) => {
    const v = raw[i] as unknown;
    if (v === null) return Infinity;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new CrmError('invalid_json', `threshold ${i} must be a finite number or null`, [...path, 'threshold', i]);
    return v;
  });
}

/** Checks the size of trees against the limits, before any SQL is written. Internal. */
export function checkTreeSize(trees: readonly Tree[], limits: { maxNodes: number; maxDepth: number }, what: string): void {
  let nodes = 0;
  let depth = 0;
  for (const t of trees) {
    nodes += t.value.length;
    depth = Math.max(depth, t.depth);
  }
  checkCost(nodes, limits.maxNodes, 'maxNodes', what, 'tree nodes of SQL (about 40 characters each)');
  checkCost(depth, limits.maxDepth, 'maxDepth', `${what} of depth ${depth}`, 'nested CASE levels');
}

/**
 * One tree as nested CASE expressions over finite double inputs: a node tests `x <= threshold`
 * exactly as predictProba does (the threshold literal reads back as the same double), and the
 * result is a double. O(nodes) text. Internal.
 */
export function treeCase(w: SqlWriter, t: Tree, inputs: readonly string[]): string {
  // Iterative, so a deep tree cannot overflow the JavaScript stack: close each CASE when both
  // of its children are written.
  const parts: string[] = [];
  const stack: number[] = [0];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node < 0) {
      parts.push(node === -1 ? ' ELSE ' : ' END');
      continue;
    }
    const f = t.feature[node]!;
    if (f < 0) {
      parts.push(numberLiteral(t.value[node]!));
      continue;
    }
    parts.push(`CASE WHEN ${goesLeft(w, t, node, inputs[f]!)} THEN `);
    stack.push(-2, t.right[node]!, -1, t.left[node]!);
  }
  return `CAST(${parts.join('')} AS ${w.d.double})`;
}

/**
 * The condition under which a row goes to the left child. Boosted trees send a missing value
 * (NULL, or NaN, which SQL engines order above every number) to the side the node learned, and
 * every other value by x ≤ threshold, as predictProba does.
 */
function goesLeft(w: SqlWriter, t: Tree, node: number, x: string): string {
  const threshold = t.threshold[node]!;
  if (t.defaultLeft === undefined) return `${x} <= ${numberLiteral(threshold)}`;
  const missing = `(${x} IS NULL OR ${w.d.isNaN(x)})`;
  const missingLeft = t.defaultLeft[node] === 1;
  if (threshold === Infinity) return missingLeft ? 'TRUE' : `NOT ${missing}`;
  return missingLeft ? `(${missing} OR ${x} <= ${numberLiteral(threshold)})` : `(NOT ${missing} AND ${x} <= ${numberLiteral(threshold)})`;
}

/** Reads and checks decision-tree JSON. Internal. */
export function readDecisionTree(json: unknown, path: CrmPath): { nFeatures: number; tree: Tree } {
  const obj = readKind(json, [KIND], [1, 2], path);
  const nFeatures = readFeatureCount(obj, path);
  return { nFeatures, tree: readTree(ownValue(obj, 'tree'), [...path, 'tree'], nFeatures) };
}

/**
 * Compiles a fitted decision tree (`DecisionTree` of @crm/churn, or its JSON) to a SQL expression
 * of the feature columns giving its `predictProba` exactly (the same comparisons in doubles,
 * the same leaf values): a nested CASE, one level per tree level, O(nodes) text. A row with a
 * NULL, NaN or infinite feature, which predictProba refuses, gives NULL. Thresholds and leaf
 * values are number literals, not parameters. Trees over `maxNodes` nodes or `maxDepth` levels
 * stop with `limit_exceeded`.
 *
 * @example
 * ```ts
 * import { decisionTreeSql } from '@crm/sql';
 * const tree = {
 *   kind: 'crm.churn.decision-tree', version: 1, nFeatures: 1,
 *   tree: { feature: [0, -1, -1], threshold: [1.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0.5, 0, 1] },
 * } as const;
 * decisionTreeSql(tree, { features: ['tenure'] }).text;
 * // → 'CASE WHEN CAST("tenure" AS DOUBLE) BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308 THEN CAST(CASE WHEN CAST("tenure" AS DOUBLE) <= 1.5e+0 THEN 0 ELSE 1 END AS DOUBLE) END'
 * ```
 * @throws {CrmError} `invalid_json` (with a path) for JSON of another kind or version, or a
 * malformed tree; `invalid_argument` for bad options; `limit_exceeded` at `['options', 'maxNodes']`
 * or `['options', 'maxDepth']`.
 */
export function decisionTreeSql(model: ModelInput<DecisionTreeJsonLike>, options: TreeSqlOptions): SqlExpression {
  const o = expressionOptions(options, TREE_OPTIONS, 'decisionTreeSql');
  const w = writerFor(o.dialect);
  const limits = treeLimits(o);
  const { nFeatures, tree } = readDecisionTree(modelJson(model, []), []);
  const inputs = featureColumns(w, o.features, nFeatures, ['options', 'features']);
  checkTreeSize([tree], limits, 'a decision tree');
  return finishExpression(w, guardFinite(inputs, treeCase(w, tree, inputs)));
}
