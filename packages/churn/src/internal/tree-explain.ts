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
  const ws = createTreeShapWorkspace(Math.min(depth, p + 1));
  const contributions: Float64Array[] = [];
  const rows: Float64Array[] = [];
  for (let i = 0; i < m.rows; i++) {
    contributions.push(new Float64Array(p));
    rows.push(m.data.subarray(i * p, (i + 1) * p));
  }
  const output = new Float64Array(m.rows);
  let base = 0;
  // Tree by tree, so each tree's arrays stay in cache over all rows. A tree whose table is small
  // and pays for itself over the rows is explained from its table, the others by the recursion.
  for (let t = 0; t < k; t++) {
    const tree = shap[t] as ShapTree;
    base += treeExpectedValue(tree);
    const cost = shapTableCost(tree);
    if (cost.entries <= MAX_TABLE_ENTRIES && cost.build <= m.rows * cost.perRow) {
      const table = buildShapTable(tree);
      const left = new Uint8Array(tree.feature.length);
      for (let i = 0; i < m.rows; i++) treeShapFromTable(tree, table, rows[i] as Float64Array, contributions[i] as Float64Array, weight, left);
    } else {
      for (let i = 0; i < m.rows; i++) treeShap(tree, rows[i] as Float64Array, contributions[i] as Float64Array, weight, ws);
    }
    for (let i = 0; i < m.rows; i++) output[i] += treeProba(trees[t] as TreeArrays, m.data, i * p);
  }
  for (let i = 0; i < m.rows; i++) output[i] = (output[i] as number) / k;
  return { scale: 'probability', base: base / k, contributions, output };
}
