import type { ShapTree } from './tree-shap.ts';

/**
 * TreeSHAP with the work that does not depend on the row done once per tree (the idea of Fast
 * TreeSHAP v2, Yang 2021). Along the path to a leaf, each distinct feature k has a zero fraction
 * z_k (the share of reference rows that follow the path's splits on it: fixed per leaf) and a one
 * fraction o_k ∈ {0, 1} (whether the explained row follows them). The leaf's contributions are
 * v·(o_k − z_k)·W_k(o), and W depends on the row only through the bit mask of the o_k. So each
 * leaf gets a table over the 2^d masks of its d distinct features, and a row costs one pass over
 * the tree's splits plus d additions per leaf: O(L·D) per row instead of O(L·D²).
 */
export interface ShapTable {
  /** Leaf node ids. */
  readonly leaves: Int32Array;
  /** Per leaf: offset into `pathNode` / `pathLeft` / `pathBit` and the number of splits on its path. */
  readonly pathStart: Int32Array;
  /** Split nodes on the paths, whether the path goes left there, and the bit of their feature. */
  readonly pathNode: Int32Array;
  readonly pathLeft: Uint8Array;
  readonly pathBit: Int32Array;
  /** Per leaf: offset into `features` and the number d of distinct features. */
  readonly featureStart: Int32Array;
  readonly features: Int32Array;
  /** Per leaf: offset into `coefficients`, which holds 2^d rows of d values v·(o_k − z_k)·W_k. */
  readonly tableStart: Float64Array;
  readonly coefficients: Float64Array;
}

/** What a table would cost: its entries (Σ 2^d·d), the work to build it (Σ 2^d·d²) and the per-row work it saves (Σ d²). */
export interface ShapTableCost {
  readonly entries: number;
  readonly build: number;
  readonly perRow: number;
}

/** The cost of {@link buildShapTable} for `tree`, without building it. */
export function shapTableCost(tree: ShapTree): ShapTableCost {
  let entries = 0;
  let build = 0;
  let perRow = 0;
  walkLeaves(tree, (_leaf, _path, distinct) => {
    const d = distinct.length;
    entries += 2 ** d * d;
    build += 2 ** d * d * d;
    perRow += d * d;
  });
  return { entries, build, perRow };
}

/** Calls `visit` for each leaf with its path (node, went left) and the distinct features on it, in order of first split. */
function walkLeaves(tree: ShapTree, visit: (leaf: number, path: readonly (readonly [number, boolean])[], distinct: readonly number[]) => void): void {
  const path: [number, boolean][] = [];
  const go = (node: number): void => {
    const f = tree.feature[node] as number;
    if (f < 0) {
      const distinct: number[] = [];
      for (const [n] of path) {
        const g = tree.feature[n] as number;
        if (!distinct.includes(g)) distinct.push(g);
      }
      visit(node, path, distinct);
      return;
    }
    path.push([node, true]);
    go(tree.left[node] as number);
    path[path.length - 1] = [node, false];
    go(tree.right[node] as number);
    path.pop();
  };
  go(0);
}

/** Builds the table of a tree: O(Σ_leaves 2^d · d²). */
export function buildShapTable(tree: ShapTree): ShapTable {
  const leaves: number[] = [];
  const pathStart: number[] = [0];
  const pathNode: number[] = [];
  const pathLeft: number[] = [];
  const pathBit: number[] = [];
  const featureStart: number[] = [0];
  const features: number[] = [];
  const tableStart: number[] = [0];
  const chunks: Float64Array[] = [];
  let total = 0;
  // Path buffers: level k (k features extended) keeps its k + 1 weights at offset k(k+1)/2, so
  // masks sharing their first k bits share the extension up to level k.
  let pweight = new Float64Array(64);
  let inverse = new Float64Array(0);
  walkLeaves(tree, (leaf, path, distinct) => {
    const d = distinct.length;
    const need = ((d + 1) * (d + 2)) / 2;
    if (pweight.length < need) pweight = new Float64Array(need);
    if (inverse.length < d + 2) {
      inverse = new Float64Array(d + 2);
      for (let k = 1; k < d + 2; k++) inverse[k] = 1 / k;
    }
    leaves.push(leaf);
    const z = new Float64Array(d).fill(1);
    for (const [node, left] of path) {
      const k = distinct.indexOf(tree.feature[node] as number);
      const cover = tree.cover[node] as number;
      const child = left ? (tree.left[node] as number) : (tree.right[node] as number);
      z[k] = (z[k] as number) * (cover > 0 ? (tree.cover[child] as number) / cover : 0);
      pathNode.push(node);
      pathLeft.push(left ? 1 : 0);
      pathBit.push(k);
    }
    pathStart.push(pathNode.length);
    features.push(...distinct);
    featureStart.push(features.length);
    const table = new Float64Array((1 << d) * d);
    pweight[0] = 1;
    fillTable(table, pweight, inverse, z, d, 0, 0, tree.value[leaf] as number);
    chunks.push(table);
    total += table.length;
    tableStart.push(total);
  });
  const coefficients = new Float64Array(total);
  let off = 0;
  for (const c of chunks) {
    coefficients.set(c, off);
    off += c.length;
  }
  return {
    leaves: Int32Array.from(leaves),
    pathStart: Int32Array.from(pathStart),
    pathNode: Int32Array.from(pathNode),
    pathLeft: Uint8Array.from(pathLeft),
    pathBit: Int32Array.from(pathBit),
    featureStart: Int32Array.from(featureStart),
    features: Int32Array.from(features),
    tableStart: Float64Array.from(tableStart),
    coefficients,
  };
}

/**
 * Extends the path at level `k` (weights at offset k(k+1)/2) by feature k with o = 0 and o = 1
 * and recurses; at level d writes the mask's row of coefficients. The extension and unwound sums
 * are those of Lundberg et al. (2018), Algorithm 2, with o ∈ {0, 1}.
 */
function fillTable(table: Float64Array, pweight: Float64Array, inverse: Float64Array, z: Float64Array, d: number, k: number, mask: number, value: number): void {
  const at = (k * (k + 1)) / 2;
  if (k === d) {
    // Elements the row does not follow (o = 0) share Σᵢ wᵢ / (d − i); a zero fraction of 0 makes
    // every weight 0 (no reference row reaches this leaf along the path).
    let coldSum = 0;
    for (let i = d - 1; i >= 0; i--) coldSum += (pweight[at + i] as number) * (inverse[d - i] as number);
    const row = mask * d;
    for (let j = 0; j < d; j++) {
      const zj = z[j] as number;
      if (((mask >> j) & 1) === 1) {
        let next = pweight[at + d] as number;
        let sum = 0;
        for (let i = d - 1; i >= 0; i--) {
          const tmp = next * (inverse[i + 1] as number);
          sum += tmp;
          next = (pweight[at + i] as number) - tmp * zj * (d - i);
        }
        table[row + j] = sum * (d + 1) * (1 - zj) * value;
      } else {
        table[row + j] = zj > 0 ? -coldSum * (d + 1) * value : 0;
      }
    }
    return;
  }
  const next = ((k + 1) * (k + 2)) / 2;
  const depth = k + 1;
  const zk = z[k] as number;
  const inv = inverse[depth + 1] as number;
  for (let o = 0; o <= 1; o++) {
    for (let i = 0; i <= k; i++) pweight[next + i] = pweight[at + i] as number;
    pweight[next + depth] = 0;
    for (let i = depth - 1; i >= 0; i--) {
      const w = pweight[next + i] as number;
      pweight[next + i + 1] += o * w * (i + 1) * inv;
      pweight[next + i] = zk * w * (depth - i) * inv;
    }
    fillTable(table, pweight, inverse, z, d, depth, mask | (o << k), value);
  }
}

/**
 * Adds weight·φ(row) into `phi` from a tree's table; `left` is scratch of one byte per node.
 * Gives the values of {@link treeShap} (to rounding).
 */
export function treeShapFromTable(tree: ShapTree, table: ShapTable, row: ArrayLike<number>, phi: Float64Array, weight: number, left: Uint8Array): void {
  const n = tree.feature.length;
  // Where the row goes at every split, once.
  for (let node = 0; node < n; node++) {
    const f = tree.feature[node] as number;
    if (f < 0) continue;
    const x = row[f] as number;
    let goLeft: boolean;
    if (x !== x) goLeft = tree.defaultLeft !== undefined && tree.defaultLeft[node] === 1;
    else goLeft = tree.strict === true ? x < (tree.threshold[node] as number) : x <= (tree.threshold[node] as number);
    left[node] = goLeft ? 1 : 0;
  }
  const { pathStart, pathNode, pathLeft, pathBit, featureStart, features, tableStart, coefficients } = table;
  const L = table.leaves.length;
  for (let l = 0; l < L; l++) {
    const fs = featureStart[l] as number;
    const d = (featureStart[l + 1] as number) - fs;
    if (d === 0) continue;
    let mask = (1 << d) - 1;
    const pe = pathStart[l + 1] as number;
    for (let q = pathStart[l] as number; q < pe; q++) {
      if (left[pathNode[q] as number] !== pathLeft[q]) mask &= ~(1 << (pathBit[q] as number));
    }
    const base = (tableStart[l] as number) + mask * d;
    for (let k = 0; k < d; k++) phi[features[fs + k] as number] += weight * (coefficients[base + k] as number);
  }
}
