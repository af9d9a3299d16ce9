/**
 * A binary tree as flat arrays, the one form every tree model of @crm/churn hands to
 * {@link treeShap}: our CART trees, the trees of gradient boosting and imported XGBoost trees.
 * Nodes may come in any order as long as the root is node 0.
 */
export interface ShapTree {
  /** Feature tested at each node; −1 at leaves. */
  readonly feature: Int32Array;
  /** Split threshold at each node (ignored at leaves). */
  readonly threshold: Float64Array;
  /** Left child of each node; −1 at leaves. */
  readonly left: Int32Array;
  /** Right child of each node; −1 at leaves. */
  readonly right: Int32Array;
  /** Output at each node; only the leaves' values are used (a probability or a raw margin). */
  readonly value: Float64Array;
  /** (Weighted) training rows reaching each node: the path-dependent reference distribution. */
  readonly cover: Float64Array;
  /** Where NaN goes at each node (1 = left); absent when the tree has no missing-value rule. */
  readonly defaultLeft?: Uint8Array;
  /** True: x < threshold goes left (XGBoost); false or absent: x ≤ threshold goes left (ours, scikit-learn). */
  readonly strict?: boolean;
}

/**
 * Scratch space of {@link treeShap}: the path buffers of the recursion, grown on demand and
 * reused from row to row and tree to tree, so explaining many rows allocates nothing per row.
 */
export interface TreeShapWorkspace {
  /** Feature of each path element. */
  feature: Int32Array;
  /** Share of the reference rows that follow the path when the feature is unknown. */
  zero: Float64Array;
  /** 1 when the explained row follows the path, else 0. */
  one: Float64Array;
  /** Permutation weight of each path length. */
  pweight: Float64Array;
  /** 1/k for k = 0 … (deepest path + 2), so the inner loops multiply instead of divide. */
  inverse: Float64Array;
}

/** Path elements for trees up to depth `depth`: Σ_{d ≤ depth+1} (d + 1) as in the reference implementation. */
function pathSize(depth: number): number {
  return ((depth + 2) * (depth + 3)) / 2 + 1;
}

function inverses(n: number): Float64Array {
  const inv = new Float64Array(n);
  for (let k = 1; k < n; k++) inv[k] = 1 / k;
  return inv;
}

/**
 * Path buffers for trees up to `depth` deep (they grow when a deeper tree comes).
 *
 * @example
 * ```ts
 * const ws = createTreeShapWorkspace(8);
 * ```
 */
export function createTreeShapWorkspace(depth = 16): TreeShapWorkspace {
  const size = pathSize(Math.max(0, depth));
  return {
    feature: new Int32Array(size),
    zero: new Float64Array(size),
    one: new Float64Array(size),
    pweight: new Float64Array(size),
    inverse: inverses(Math.max(0, depth) + 4),
  };
}

function ensureCapacity(ws: TreeShapWorkspace, size: number, depth: number): void {
  if (ws.inverse.length < depth + 4) ws.inverse = inverses(Math.max(depth + 4, 2 * ws.inverse.length));
  if (ws.feature.length >= size) return;
  const capacity = Math.max(size, 2 * ws.feature.length);
  const feature = new Int32Array(capacity);
  const zero = new Float64Array(capacity);
  const one = new Float64Array(capacity);
  const pweight = new Float64Array(capacity);
  feature.set(ws.feature);
  zero.set(ws.zero);
  one.set(ws.one);
  pweight.set(ws.pweight);
  ws.feature = feature;
  ws.zero = zero;
  ws.one = one;
  ws.pweight = pweight;
}

/**
 * Adds `weight · φ(row)` into `phi`, where φ are the exact SHAP values of the tree's output for
 * `row` under the path-dependent reference distribution (the training rows as the covers record
 * them): path-dependent TreeSHAP, Lundberg et al. (2018), Algorithm 2, in O(L · D²) per row for a
 * tree of L leaves and depth D. With the base {@link treeExpectedValue}, base + Σφ equals the
 * leaf value the row reaches (to rounding).
 *
 * The caller checks the row (length, NaN only where `defaultLeft` says where it goes). Pass one
 * `workspace` to all calls of an explanation so rows do not allocate.
 *
 * @example
 * ```ts
 * const stump: ShapTree = {
 *   feature: Int32Array.of(0, -1, -1), threshold: Float64Array.of(0.5, 0, 0),
 *   left: Int32Array.of(1, -1, -1), right: Int32Array.of(2, -1, -1),
 *   value: Float64Array.of(0.5, 0, 1), cover: Float64Array.of(4, 3, 1),
 * };
 * const phi = new Float64Array(1);
 * treeShap(stump, [1], phi); // phi[0] = 1 − 0.25 = 0.75
 * ```
 * @see https://arxiv.org/abs/1802.03888
 */
export function treeShap(tree: ShapTree, row: ArrayLike<number>, phi: Float64Array, weight = 1, workspace?: TreeShapWorkspace): void {
  const ws = workspace ?? createTreeShapWorkspace();
  if (tree.feature[0] === -1) return; // a single leaf: every contribution is 0
  recurse(ws, tree, row, phi, weight, 0, 0, 0, 1, 1, -1);
}

/**
 * One node of the recursion. The path of the parent lives at `parentStart` (elements
 * 0 … depth − 1); this node's copy goes right after it, so each level owns its segment and
 * siblings reuse the same space.
 */
function recurse(
  ws: TreeShapWorkspace,
  tree: ShapTree,
  row: ArrayLike<number>,
  phi: Float64Array,
  weight: number,
  node: number,
  parentStart: number,
  depth: number,
  zeroFraction: number,
  oneFraction: number,
  featureIndex: number,
): void {
  const start = parentStart + depth + 1;
  ensureCapacity(ws, start + depth + 2, depth);
  const { feature, zero, one, pweight, inverse } = ws;
  // Copy the parent's path (the reference implementation's copy; see Lundberg et al. 2018, Alg. 2).
  for (let i = 0; i < depth; i++) {
    feature[start + i] = feature[parentStart + i] as number;
    zero[start + i] = zero[parentStart + i] as number;
    one[start + i] = one[parentStart + i] as number;
    pweight[start + i] = pweight[parentStart + i] as number;
  }
  // Extend the path by this node's (zero, one) fractions.
  feature[start + depth] = featureIndex;
  zero[start + depth] = zeroFraction;
  one[start + depth] = oneFraction;
  pweight[start + depth] = depth === 0 ? 1 : 0;
  const invNext = inverse[depth + 1] as number;
  for (let i = depth - 1; i >= 0; i--) {
    const w = pweight[start + i] as number;
    pweight[start + i + 1] += oneFraction * w * (i + 1) * invNext;
    pweight[start + i] = zeroFraction * w * (depth - i) * invNext;
  }

  const split = tree.feature[node] as number;
  if (split < 0) {
    const scale = (tree.value[node] as number) * weight * (depth + 1);
    // For elements the row does not follow (one = 0) the unwound sum is Σᵢ w_i / (z·(d − i)):
    // the same Σᵢ w_i / (d − i) for all of them, computed once per leaf.
    let coldSum = Number.NaN;
    for (let k = 1; k <= depth; k++) {
      // Σ of the permutation weights with element k unwound (the path itself is left as is).
      const o = one[start + k] as number;
      const z = zero[start + k] as number;
      let total = 0;
      if (o !== 0) {
        const invOne = 1 / o;
        let next = pweight[start + depth] as number;
        for (let i = depth - 1; i >= 0; i--) {
          const tmp = next * (inverse[i + 1] as number) * invOne;
          total += tmp;
          next = (pweight[start + i] as number) - tmp * z * (depth - i);
        }
      } else {
        if (coldSum !== coldSum) {
          coldSum = 0;
          for (let i = depth - 1; i >= 0; i--) coldSum += (pweight[start + i] as number) * (inverse[depth - i] as number);
        }
        total = coldSum / z;
      }
      phi[feature[start + k] as number] += total * (o - z) * scale;
    }
    return;
  }

  const x = row[split] as number;
  const l = tree.left[node] as number;
  const r = tree.right[node] as number;
  let goLeft: boolean;
  if (x !== x) goLeft = tree.defaultLeft !== undefined && tree.defaultLeft[node] === 1;
  else goLeft = tree.strict === true ? x < (tree.threshold[node] as number) : x <= (tree.threshold[node] as number);
  const hot = goLeft ? l : r;
  const cold = goLeft ? r : l;
  const cover = tree.cover[node] as number;
  const hotZero = cover > 0 ? (tree.cover[hot] as number) / cover : 0;
  const coldZero = cover > 0 ? (tree.cover[cold] as number) / cover : 0;

  // A feature met again on the path: undo its earlier split and carry its fractions on.
  let incomingZero = 1;
  let incomingOne = 1;
  let d = depth;
  let k = 1;
  for (; k <= d; k++) if ((feature[start + k] as number) === split) break;
  if (k <= d) {
    incomingZero = zero[start + k] as number;
    incomingOne = one[start + k] as number;
    unwindPath(ws, start, d, k);
    d--;
  }
  recurse(ws, tree, row, phi, weight, hot, start, d + 1, hotZero * incomingZero, incomingOne, split);
  // A cold branch no reference row reaches contributes nothing (every weight below it is 0).
  if (coldZero * incomingZero > 0) recurse(ws, tree, row, phi, weight, cold, start, d + 1, coldZero * incomingZero, 0, split);
}

function unwindPath(ws: TreeShapWorkspace, start: number, depth: number, index: number): void {
  const { feature, zero, one, pweight, inverse } = ws;
  const oneFraction = one[start + index] as number;
  const zeroFraction = zero[start + index] as number;
  let next = pweight[start + depth] as number;
  const scale = depth + 1;
  if (oneFraction !== 0) {
    const invOne = 1 / oneFraction;
    for (let i = depth - 1; i >= 0; i--) {
      const tmp = pweight[start + i] as number;
      const w = next * scale * (inverse[i + 1] as number) * invOne;
      pweight[start + i] = w;
      next = tmp - w * zeroFraction * (depth - i) * (inverse[scale] as number);
    }
  } else {
    const invZero = 1 / zeroFraction;
    for (let i = depth - 1; i >= 0; i--) pweight[start + i] = (pweight[start + i] as number) * scale * invZero * (inverse[depth - i] as number);
  }
  for (let i = index; i < depth; i++) {
    feature[start + i] = feature[start + i + 1] as number;
    zero[start + i] = zero[start + i + 1] as number;
    one[start + i] = one[start + i + 1] as number;
  }
}

/**
 * The base of {@link treeShap}: the expected output over the reference rows, the leaf values
 * averaged by cover, computed down the tree with the same child shares (cover of the child over
 * cover of the parent) TreeSHAP uses, so base + Σφ = output holds even where a tree's stored
 * covers do not add up exactly (float32 sums of hessians in XGBoost).
 *
 * @example
 * ```ts
 * treeExpectedValue(stump); // (3 · 0 + 1 · 1) / 4 = 0.25
 * ```
 */
export function treeExpectedValue(tree: ShapTree): number {
  // Iterative: children are reached through the share of every ancestor, product of cover ratios.
  const n = tree.feature.length;
  const share = new Float64Array(n);
  const stack: number[] = [0];
  share[0] = 1;
  let total = 0;
  while (stack.length > 0) {
    const node = stack.pop() as number;
    const s = share[node] as number;
    if ((tree.feature[node] as number) < 0) {
      total += s * (tree.value[node] as number);
      continue;
    }
    const cover = tree.cover[node] as number;
    const l = tree.left[node] as number;
    const r = tree.right[node] as number;
    share[l] = cover > 0 ? (s * (tree.cover[l] as number)) / cover : 0;
    share[r] = cover > 0 ? (s * (tree.cover[r] as number)) / cover : 0;
    stack.push(r, l);
  }
  return total;
}

/**
 * Depth of the deepest leaf (0 for a single leaf), to size a {@link TreeShapWorkspace}.
 *
 * @example
 * ```ts
 * shapTreeDepth(stump); // 1
 * ```
 */
export function shapTreeDepth(tree: Pick<ShapTree, 'feature' | 'left' | 'right'>): number {
  const n = tree.feature.length;
  const depth = new Int32Array(n);
  const stack: number[] = [0];
  let max = 0;
  while (stack.length > 0) {
    const node = stack.pop() as number;
    if ((tree.feature[node] as number) < 0) continue;
    const d = (depth[node] as number) + 1;
    if (d > max) max = d;
    const l = tree.left[node] as number;
    const r = tree.right[node] as number;
    depth[l] = d;
    depth[r] = d;
    stack.push(l, r);
  }
  return max;
}
