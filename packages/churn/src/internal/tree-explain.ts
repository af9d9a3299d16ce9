import { CrmError, toDenseMatrix } from '@crm/core';
import type { Explanation } from '../explanation.ts';
import type { Rows } from './checks.ts';
import { treeProba, type TreeArrays } from './tree-builder.ts';
import { createTreeShapWorkspace, shapTreeDepth, treeExpectedValue, treeShap, type ShapTree } from './tree-shap.ts';
import { buildShapTable, shapTableCost, treeShapFromTable } from './tree-shap-table.ts';

/**
 * Most entries of one tree's TreeSHAP table (32 MB of doubles); deeper trees, whose tables grow
 * as 2^depth per leaf, are explained row by row by the recursion instead.
 */
const MAX_TABLE_ENTRIES = 4_000_000;

/**
 * Deepest tree explained: TreeSHAP recurses once per level, and JavaScript stacks hold a few
 * thousand frames. Trees this deep come only from growing without `maxDepth` on adversarial data.
 */
const MAX_EXPLAIN_DEPTH = 2000;

/** The trees as TreeSHAP reads them; a CrmError when one was loaded without covers. */
export function shapTrees(trees: readonly TreeArrays[], model: string): ShapTree[] {
  const out: ShapTree[] = [];
  for (const t of trees) {
    if (t.cover === undefined) {
      throw new CrmError(
        'invalid_argument',
        `this ${model} was loaded from format-1 JSON, which does not record how many training rows reach each node; explain needs them: refit the model (${model}.fit) and save it again`,
      );
    }
    const depth = shapTreeDepth(t);
    if (depth > MAX_EXPLAIN_DEPTH) {
      throw new CrmError(
        'limit_exceeded',
        `a tree of this ${model} is ${depth} levels deep; explain handles trees up to ${MAX_EXPLAIN_DEPTH} levels: refit with a maxDepth`,
      );
    }
    out.push({ feature: t.feature, threshold: t.threshold, left: t.left, right: t.right, value: t.value, cover: t.cover });
  }
  return out;
}

/**
 * Σ over `trees` of weight·φ for every row: exact path-dependent TreeSHAP of a tree ensemble
 * (the shared core of every tree model's `explain`; rows are checked by the caller). Trees go one
 * by one, so each tree's arrays stay in cache over all rows; a tree whose table of row-independent
 * weights is small and pays for itself over the rows is explained from it, the others by the
 * recursion. `depth` (the deepest tree, if known) sizes the recursion's buffers.
 */
export function shapContributions(trees: readonly ShapTree[], rows: readonly ArrayLike<number>[], p: number, weight: number, depth = 16): Float64Array[] {
  const contributions: Float64Array[] = [];
  for (let i = 0; i < rows.length; i++) contributions.push(new Float64Array(p));
  const ws = createTreeShapWorkspace(Math.min(depth, p + 1));
  for (const tree of trees) {
    const cost = shapTableCost(tree);
    if (cost.entries <= MAX_TABLE_ENTRIES && cost.build <= rows.length * cost.perRow) {
      const table = buildShapTable(tree);
      const left = new Uint8Array(tree.feature.length);
      for (let i = 0; i < rows.length; i++) treeShapFromTable(tree, table, rows[i] as ArrayLike<number>, contributions[i] as Float64Array, weight, left);
    } else {
      for (let i = 0; i < rows.length; i++) treeShap(tree, rows[i] as ArrayLike<number>, contributions[i] as Float64Array, weight, ws);
    }
  }
  return contributions;
}

/**
 * Exact TreeSHAP explanation of the mean of `trees`' probabilities (one tree: its probability).
 * The output is computed as `predictProba` computes it (trees summed in order, then divided), so
 * it equals the model's prediction bit for bit. O(rows · Σ leaves · D²).
 */
export function explainTrees(trees: readonly TreeArrays[], X: Rows, nFeatures: number, model: string): Explanation {
  const shap = shapTrees(trees, model);
  const m = toDenseMatrix(X, { cols: nFeatures });
  const p = m.cols;
  const k = shap.length;
  const weight = 1 / k;
  let depth = 0;
  for (const t of shap) depth = Math.max(depth, shapTreeDepth(t));
  const rows: Float64Array[] = [];
  for (let i = 0; i < m.rows; i++) rows.push(m.data.subarray(i * p, (i + 1) * p));
  const contributions = shapContributions(shap, rows, p, weight, depth);
  const output = new Float64Array(m.rows);
  let base = 0;
  for (let t = 0; t < k; t++) {
    base += treeExpectedValue(shap[t] as ShapTree);
    for (let i = 0; i < m.rows; i++) output[i] += treeProba(trees[t] as TreeArrays, m.data, i * p);
  }
  for (let i = 0; i < m.rows; i++) output[i] = (output[i] as number) / k;
  return { scale: 'probability', base: base / k, contributions, output };
}
