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
  // Path buffers of the permutation-weight recursion, sized for the deepest distinct path.
  let zero = new Float64Array(8);
  let one = new Float64Array(8);
  let pweight = new Float64Array(8);
  walkLeaves(tree, (leaf, path, distinct) => {
    const d = distinct.length;
    if (zero.length < d + 1) {
      zero = new Float64Array(d + 1);
      one = new Float64Array(d + 1);
      pweight = new Float64Array(d + 1);
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
    const value = tree.value[leaf] as number;
    const rows = 1 << d;
    const table = new Float64Array(rows * d);
    for (let mask = 0; mask < rows; mask++) {
      // Extend the path: the root element (z = o = 1), then each distinct feature.
      pweight[0] = 1;
      zero[0] = 1;
      one[0] = 1;
      for (let k = 0; k < d; k++) {
        const depth = k + 1;
        const zf = z[k] as number;
        const of = (mask >> k) & 1;
        zero[depth] = zf;
        one[depth] = of;
        pweight[depth] = 0;
        for (let i = depth - 1; i >= 0; i--) {
          const w = pweight[i] as number;
          pweight[i + 1] += (of * w * (i + 1)) / (depth + 1);
          pweight[i] = (zf * w * (depth - i)) / (depth + 1);
        }
      }
      for (let k = 0; k < d; k++) {
        const o = one[k + 1] as number;
        const zk = zero[k + 1] as number;
        let sum = 0;
        if (o !== 0) {
          let next = pweight[d] as number;
          for (let i = d - 1; i >= 0; i--) {
            const tmp = next / ((i + 1) * o);
            sum += tmp;
            next = (pweight[i] as number) - tmp * zk * (d - i);
          }
        } else if (zk > 0) {
          for (let i = d - 1; i >= 0; i--) sum += (pweight[i] as number) / (zk * (d - i));
        }
        table[mask * d + k] = sum * (d + 1) * (o - zk) * value;
      }
    }
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
