import type { Rng } from '@crm/core';

/**
 * Features coded by rank: `codes[f · n + i]` is the position of row i's value among the sorted
 * distinct values of feature f (`values[f]`). Equal values share a code, so a split between two
 * codes is exactly a split between two observed values, and split search can use either a
 * histogram over codes or a sort of the node's codes: no rescanning of rows per threshold.
 */
export interface CodedFeatures {
  readonly n: number;
  readonly p: number;
  readonly codes: Int32Array;
  readonly values: readonly Float64Array[];
  readonly maxDistinct: number;
}

/** Codes a row-major matrix by ranks. O(p · n log n). */
export function codeFeatures(data: Float64Array, n: number, p: number): CodedFeatures {
  const codes = new Int32Array(n * p);
  const values: Float64Array[] = [];
  const column = new Float64Array(n);
  let maxDistinct = 0;
  for (let f = 0; f < p; f++) {
    for (let i = 0; i < n; i++) column[i] = data[i * p + f] as number;
    const sorted = Float64Array.from(column).sort();
    let k = 0;
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[k++] = sorted[i] as number;
    const distinct = sorted.slice(0, k);
    values.push(distinct);
    maxDistinct = Math.max(maxDistinct, k);
    const base = f * n;
    for (let i = 0; i < n; i++) {
      const v = column[i] as number;
      let lo = 0;
      let hi = k - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((distinct[mid] as number) < v) lo = mid + 1;
        else hi = mid;
      }
      codes[base + i] = lo;
    }
  }
  return { n, p, codes, values, maxDistinct };
}

/** Hyper-parameters of one tree, checked by the caller. */
export interface TreeParams {
  readonly criterion: 'gini' | 'entropy';
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  readonly minImpurityDecrease: number;
  /** Features tried per split (p for a single tree). */
  readonly maxFeatures: number;
}

/** A fitted tree as flat arrays in pre-order; leaves have feature −1 and children −1. */
export interface TreeArrays {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Probability of class 1 at each node (weighted share of class-1 rows). */
  readonly value: Float64Array;
  /** Unnormalised impurity decrease per feature (Σ over splits of W_t·i_t − W_L·i_L − W_R·i_R). */
  readonly importance: Float64Array;
}

/** Largest relative floating-point error tolerated when comparing impurity improvements. */
const EPSILON = 2.220446049250313e-16;

function impurity(criterion: 'gini' | 'entropy', w0: number, w1: number): number {
  const w = w0 + w1;
  if (w <= 0) return 0;
  const p1 = w1 / w;
  const p0 = w0 / w;
  if (criterion === 'gini') return 1 - p0 * p0 - p1 * p1;
  let e = 0;
  if (p0 > 0) e -= p0 * Math.log2(p0);
  if (p1 > 0) e -= p1 * Math.log2(p1);
  return e;
}

/**
 * Grows one CART tree depth first on the rows with positive weight. `weight` carries class
 * weights times bootstrap counts. With `rng`, each split looks at `maxFeatures` features drawn
 * without replacement (drawing on while the drawn ones are constant in the node, as
 * scikit-learn does); without, it looks at all of them in order.
 */
export function growTree(
  data: CodedFeatures,
  y: Uint8Array,
  weight: Float64Array,
  params: TreeParams,
  rng: Rng | undefined,
): TreeArrays {
  const { n, p, codes, values } = data;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if ((weight[i] as number) > 0) rows.push(i);
  const sample = Int32Array.from(rows);
  const m0 = sample.length;

  let rootW = 0;
  for (let k = 0; k < m0; k++) rootW += weight[sample[k] as number] as number;

  // Scratch space reused by every node.
  const hw = new Float64Array(data.maxDistinct);
  const hw1 = new Float64Array(data.maxDistinct);
  const hc = new Int32Array(data.maxDistinct);
  const keys = new Float64Array(m0);
  const featureOrder = new Int32Array(p);
  for (let f = 0; f < p; f++) featureOrder[f] = f;

  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const importance = new Float64Array(p);

  // Stack of pending nodes: start, end, depth, parent, side (0 left, 1 right).
  const stack: number[] = [0, m0, 0, -1, 0];
  while (stack.length > 0) {
    const side = stack.pop() as number;
    const parent = stack.pop() as number;
    const depth = stack.pop() as number;
    const end = stack.pop() as number;
    const start = stack.pop() as number;
    const id = feature.length;
    if (parent >= 0) (side === 0 ? left : right)[parent] = id;

    let w0 = 0;
    let w1 = 0;
    for (let k = start; k < end; k++) {
      const r = sample[k] as number;
      if (y[r] === 1) w1 += weight[r] as number;
      else w0 += weight[r] as number;
    }
    const wt = w0 + w1;
    const count = end - start;
    const imp = impurity(params.criterion, w0, w1);
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(w1 / wt);
    if (depth >= params.maxDepth || count < params.minSamplesSplit || count < 2 * params.minSamplesLeaf || imp <= EPSILON) {
      continue;
    }

    // Best split over the candidate features: minimise W_L·i_L + W_R·i_R.
    let bestCost = Infinity;
    let bestFeature = -1;
    let bestCode = -1;
    let bestThreshold = 0;
    let visited = 0;
    let drawn = 0;
    while (drawn < p && visited < params.maxFeatures) {
      let f: number;
      if (rng === undefined) {
        f = drawn++;
      } else {
        const j = rng.int(drawn, p);
        f = featureOrder[j] as number;
        featureOrder[j] = featureOrder[drawn] as number;
        featureOrder[drawn++] = f;
      }
      const base = f * n;
      let minC = 0x7fffffff;
      let maxC = -1;
      for (let k = start; k < end; k++) {
        const c = codes[base + (sample[k] as number)] as number;
        if (c < minC) minC = c;
        if (c > maxC) maxC = c;
      }
      if (minC === maxC) continue; // constant in this node: does not count as visited
      visited++;
      const vals = values[f] as Float64Array;
      let lw0 = 0;
      let lw1 = 0;
      let lc = 0;
      const range = maxC - minC + 1;
      if (range <= 4 * count) {
        // Histogram over the codes present in the node.
        for (let k = start; k < end; k++) {
          const r = sample[k] as number;
          const c = (codes[base + r] as number) - minC;
          const wr = weight[r] as number;
          hw[c] += wr;
          if (y[r] === 1) hw1[c] += wr;
          hc[c]++;
        }
        let prev = -1;
        for (let c = 0; c < range; c++) {
          const cnt = hc[c] as number;
          if (cnt === 0) continue;
          if (prev >= 0 && lc >= params.minSamplesLeaf && count - lc >= params.minSamplesLeaf) {
            const rw0 = w0 - lw0;
            const rw1 = w1 - lw1;
            const lw = lw0 + lw1;
            const rw = rw0 + rw1;
            if (lw > 0 && rw > 0) {
              const cost = lw * impurity(params.criterion, lw0, lw1) + rw * impurity(params.criterion, rw0, rw1);
              if (cost < bestCost) {
                bestCost = cost;
                bestFeature = f;
                bestCode = prev + minC;
                bestThreshold = midpoint(vals[prev + minC] as number, vals[c + minC] as number);
              }
            }
          }
          const hwc = hw[c] as number;
          const hw1c = hw1[c] as number;
          lw1 += hw1c;
          lw0 += hwc - hw1c;
          lc += cnt;
          prev = c;
          hw[c] = 0;
          hw1[c] = 0;
          hc[c] = 0;
        }
      } else {
        // Few rows over many distinct values: sort the node's (code, row) pairs packed in doubles.
        for (let k = start; k < end; k++) keys[k - start] = (codes[base + (sample[k] as number)] as number) * n + (sample[k] as number);
        const sorted = keys.subarray(0, count).sort();
        let k = 0;
        let prevCode = -1;
        while (k < count) {
          const key = sorted[k] as number;
          const c = Math.floor(key / n);
          if (prevCode >= 0 && lc >= params.minSamplesLeaf && count - lc >= params.minSamplesLeaf) {
            const rw0 = w0 - lw0;
            const rw1 = w1 - lw1;
            const lw = lw0 + lw1;
            const rw = rw0 + rw1;
            if (lw > 0 && rw > 0) {
              const cost = lw * impurity(params.criterion, lw0, lw1) + rw * impurity(params.criterion, rw0, rw1);
              if (cost < bestCost) {
                bestCost = cost;
                bestFeature = f;
                bestCode = prevCode;
                bestThreshold = midpoint(vals[prevCode] as number, vals[c] as number);
              }
            }
          }
          // Add every row with this code to the left side.
          while (k < count) {
            const key2 = sorted[k] as number;
            if (Math.floor(key2 / n) !== c) break;
            const r = key2 - c * n;
            const wr = weight[r] as number;
            if (y[r] === 1) lw1 += wr;
            else lw0 += wr;
            lc++;
            k++;
          }
          prevCode = c;
        }
      }
    }
    if (bestFeature < 0) continue;
    const decrease = wt * imp - bestCost;
    // scikit-learn's rule: (W_t / W)·(i_t − W_R/W_t·i_R − W_L/W_t·i_L) ≥ min_impurity_decrease.
    if (decrease / rootW + EPSILON < params.minImpurityDecrease) continue;
    importance[bestFeature] += decrease;
    feature[id] = bestFeature;
    threshold[id] = bestThreshold;

    // Partition the node's rows: code ≤ bestCode goes left.
    const base = bestFeature * n;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if ((codes[base + (sample[i] as number)] as number) <= bestCode) i++;
      else {
        const t = sample[i] as number;
        sample[i] = sample[j] as number;
        sample[j--] = t;
      }
    }
    // Push right first so the left subtree is numbered first (pre-order).
    stack.push(i, end, depth + 1, id, 1);
    stack.push(start, i, depth + 1, id, 0);
  }
  return {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
    importance,
  };
}

/** Threshold between two adjacent observed values, as scikit-learn: the midpoint unless it rounds up to `b`. */
function midpoint(a: number, b: number): number {
  const t = a / 2 + b / 2;
  return t === b || !Number.isFinite(t) ? a : t;
}

/** Probability of class 1 for row `off` of a row-major matrix, walking one tree. */
export function treeProba(tree: TreeArrays, data: Float64Array, off: number): number {
  let node = 0;
  let f = tree.feature[0] as number;
  while (f >= 0) {
    node = (data[off + f] as number) <= (tree.threshold[node] as number) ? (tree.left[node] as number) : (tree.right[node] as number);
    f = tree.feature[node] as number;
  }
  return tree.value[node] as number;
}
