// The tree builder as it was before the split search was reworked for speed, kept only as the
// reference of the differential test (tree-builder.differential.test.ts): the new builder must
// grow the same trees bit for bit. Not part of the package.
import type { Rng } from '@crm/core';
import { portableLog2 } from '@crm/core';

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

/** A single tree batches the histograms of features with at most this many distinct values. */
const BATCH_MAX_BINS = 128;

/** Rows per block of the transpose to column-major order. */
const TRANSPOSE_BLOCK = 64;

/** Columns with at most this many distinct values are coded without sorting. */
const FEW_VALUES = 8;

/** Codes a row-major matrix by ranks. O(p · n log n). */
export function codeFeatures(data: Float64Array, n: number, p: number): CodedFeatures {
  const codes = new Int32Array(n * p);
  const values: Float64Array[] = [];
  // One sequential pass to column-major order: reading a column with stride p would touch the
  // whole matrix once per feature.
  const byColumn = new Float64Array(n * p);
  // In blocks of rows, so both the reads and the writes stay within a few cache lines.
  for (let i0 = 0; i0 < n; i0 += TRANSPOSE_BLOCK) {
    const i1 = Math.min(i0 + TRANSPOSE_BLOCK, n);
    for (let f = 0; f < p; f++) {
      const base = f * n;
      for (let i = i0; i < i1; i++) byColumn[base + i] = data[i * p + f] as number;
    }
  }
  let maxDistinct = 0;
  const few = new Float64Array(FEW_VALUES);
  const remap = new Int32Array(FEW_VALUES);
  for (let f = 0; f < p; f++) {
    const base = f * n;
    const column = byColumn.subarray(base, base + n);
    // Binary and other low-cardinality columns (one-hot designs are mostly these): one pass
    // codes each value by order of first appearance, then a tiny remap puts codes in value order.
    let k = 0;
    let i = 0;
    for (; i < n; i++) {
      const v = column[i] as number;
      let j = 0;
      while (j < k && few[j] !== v) j++;
      if (j === k) {
        if (k === FEW_VALUES) break;
        few[k++] = v;
      }
      codes[base + i] = j;
    }
    if (i === n) {
      const distinct = few.slice(0, k).sort();
      values.push(distinct);
      maxDistinct = Math.max(maxDistinct, k);
      for (let j = 0; j < k; j++) {
        let r = 0;
        while (distinct[r] !== few[j]) r++;
        remap[j] = r;
      }
      for (let q = base; q < base + n; q++) codes[q] = remap[codes[q] as number] as number;
      continue;
    }
    const sorted = column.slice().sort();
    k = 0;
    for (let q = 0; q < n; q++) if (q === 0 || sorted[q] !== sorted[q - 1]) sorted[k++] = sorted[q] as number;
    const distinct = sorted.slice(0, k);
    values.push(distinct);
    maxDistinct = Math.max(maxDistinct, k);
    for (let q = 0; q < n; q++) {
      const v = column[q] as number;
      let lo = 0;
      let hi = k - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((distinct[mid] as number) < v) lo = mid + 1;
        else hi = mid;
      }
      codes[base + q] = lo;
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
  /**
   * Weighted training rows at each node (class weights times bootstrap counts, as scikit-learn's
   * `weighted_n_node_samples`): the reference distribution of TreeSHAP. Absent in trees loaded
   * from format-1 JSON, which did not record it.
   */
  readonly cover?: Float64Array;
  /** Unnormalised impurity decrease per feature (Σ over splits of W_t·i_t − W_L·i_L − W_R·i_R). */
  readonly importance: Float64Array;
}

/** Largest relative floating-point error tolerated when comparing impurity improvements. */
const EPSILON = 2.220446049250313e-16;

function impurity(entropy: boolean, w0: number, w1: number): number {
  const w = w0 + w1;
  if (w <= 0) return 0;
  const p1 = w1 / w;
  const p0 = w0 / w;
  if (!entropy) return 1 - p0 * p0 - p1 * p1;
  let e = 0;
  if (p0 > 0) e -= p0 * portableLog2(p0);
  if (p1 > 0) e -= p1 * portableLog2(p1);
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
  const entropy = params.criterion === 'entropy';
  // Doubles from the start (NaN, not 0) so the object's shape never changes under optimised code.
  const best: Best = { cost: Infinity, feature: -1, code: -1, threshold: Number.NaN };
  const featureOrder = new Int32Array(p);
  for (let f = 0; f < p; f++) featureOrder[f] = f;

  // A single tree looks at every feature in every node. Its low-cardinality features (one-hot
  // columns above all) get their histograms in one pass over the node's rows, reading a
  // row-major copy of their codes: sequential memory instead of one random read per feature.
  const batchOffset = new Int32Array(p).fill(-1);
  let batchBins = 0;
  let batchCount = 0;
  if (rng === undefined) {
    for (let f = 0; f < p; f++) {
      const k = (values[f] as Float64Array).length;
      if (k <= BATCH_MAX_BINS) {
        batchOffset[f] = batchBins;
        batchBins += k;
        batchCount++;
      }
    }
  }
  const batchCodes = new Int32Array(batchCount > 0 ? n * batchCount : 0);
  if (batchCount > 0) {
    let t = 0;
    for (let f = 0; f < p; f++) {
      const off = batchOffset[f] as number;
      if (off < 0) continue;
      const base = f * n;
      for (let i = 0; i < n; i++) batchCodes[i * batchCount + t] = off + (codes[base + i] as number);
      t++;
    }
  }
  // Histograms of the batched features handed from a parent to its children: the smaller child's
  // is counted from its rows, the larger one's is the parent's minus it (sibling subtraction).
  const pending: (BatchHistogram | undefined)[] = [];
  const histogramOf = (from: number, to: number): BatchHistogram => {
    const h: BatchHistogram = { w: new Float64Array(batchBins), w1: new Float64Array(batchBins), c: new Int32Array(batchBins) };
    accumulateBatch(h, sample, from, to, weight, y, batchCodes, batchCount);
    return h;
  };

  // Node arrays as typed buffers grown by doubling: plain arrays would change element kind
  // (integers to doubles) as they fill, which makes V8 throw away optimised code mid-fit.
  let capacity = 64;
  let nodes = 0;
  let feature: Int32Array = new Int32Array(capacity);
  let threshold: Float64Array = new Float64Array(capacity);
  let left: Int32Array = new Int32Array(capacity);
  let right: Int32Array = new Int32Array(capacity);
  let value: Float64Array = new Float64Array(capacity);
  let cover: Float64Array = new Float64Array(capacity);
  const importance = new Float64Array(p);

  // Stack of pending nodes: start, end, depth, parent, side (0 left, 1 right).
  const stack: number[] = [0, m0, 0, -1, 0];
  pending.push(undefined);
  while (stack.length > 0) {
    const given = pending.pop();
    const side = stack.pop() as number;
    const parent = stack.pop() as number;
    const depth = stack.pop() as number;
    const end = stack.pop() as number;
    const start = stack.pop() as number;
    if (nodes === capacity) {
      capacity *= 2;
      feature = grownInt(feature, capacity);
      threshold = grownFloat(threshold, capacity);
      left = grownInt(left, capacity);
      right = grownInt(right, capacity);
      value = grownFloat(value, capacity);
      cover = grownFloat(cover, capacity);
    }
    const id = nodes++;
    if (parent >= 0) {
      if (side === 0) left[parent] = id;
      else right[parent] = id;
    }

    let w0 = 0;
    let w1 = 0;
    for (let k = start; k < end; k++) {
      const r = sample[k] as number;
      if (y[r] === 1) w1 += weight[r] as number;
      else w0 += weight[r] as number;
    }
    const wt = w0 + w1;
    const count = end - start;
    const imp = impurity(entropy, w0, w1);
    feature[id] = -1;
    threshold[id] = 0;
    left[id] = -1;
    right[id] = -1;
    value[id] = w1 / wt;
    cover[id] = wt;
    if (depth >= params.maxDepth || count < params.minSamplesSplit || count < 2 * params.minSamplesLeaf || imp <= EPSILON) {
      continue;
    }

    // Best split over the candidate features: minimise W_L·i_L + W_R·i_R.
    best.cost = Infinity;
    best.feature = -1;
    best.code = -1;
    best.threshold = Number.NaN;
    let visited = 0;
    let drawn = 0;
    const hist = batchCount > 0 ? (given ?? histogramOf(start, end)) : undefined;
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
      const vals = values[f] as Float64Array;
      const k = vals.length;
      const offset = batchOffset[f] as number;
      let varies: boolean;
      if (offset >= 0 && hist) {
        // Histogram counted for all batched features at once (or handed down by the parent).
        varies = scanHistogram(best, f, vals, hist.w, hist.w1, hist.c, offset, false, w0, w1, count, params.minSamplesLeaf, entropy) > 1;
      } else if (k <= 4 * count) {
        // Histogram over the feature's codes: one pass over the node's rows, one over the bins.
        fillHistogram(hw, hw1, hc, sample, start, end, codes, base, weight, y);
        varies = scanHistogram(best, f, vals, hw, hw1, hc, 0, true, w0, w1, count, params.minSamplesLeaf, entropy) > 1;
      } else {
        // Few rows over many distinct values: sort the node's codes instead.
        varies = scanSorted(best, f, vals, keys, sample, start, end, codes, base, n, weight, y, w0, w1, params.minSamplesLeaf, entropy);
      }
      // A feature constant in this node does not count as visited (scikit-learn draws on).
      if (varies) visited++;
    }
    if (best.feature < 0) continue;
    const decrease = wt * imp - best.cost;
    // scikit-learn's rule: (W_t / W)·(i_t − W_R/W_t·i_R − W_L/W_t·i_L) ≥ min_impurity_decrease.
    if (decrease / rootW + EPSILON < params.minImpurityDecrease) continue;
    importance[best.feature] += decrease;
    feature[id] = best.feature;
    threshold[id] = best.threshold;
    const i = partitionRows(sample, start, end, codes, best.feature * n, best.code);
    // Push right first so the left subtree is numbered first (pre-order).
    stack.push(i, end, depth + 1, id, 1);
    stack.push(start, i, depth + 1, id, 0);
    if (hist && depth + 1 < params.maxDepth) {
      const leftSmaller = i - start <= end - i;
      const small = leftSmaller ? histogramOf(start, i) : histogramOf(i, end);
      subtractHistogram(hist, small);
      pending.push(leftSmaller ? hist : small, leftSmaller ? small : hist);
    } else {
      pending.push(undefined, undefined);
    }
  }
  return {
    feature: feature.slice(0, nodes),
    threshold: threshold.slice(0, nodes),
    left: left.slice(0, nodes),
    right: right.slice(0, nodes),
    value: value.slice(0, nodes),
    cover: cover.slice(0, nodes),
    importance,
  };
}

function grownInt(a: Int32Array, capacity: number): Int32Array {
  const b = new Int32Array(capacity);
  b.set(a);
  return b;
}

function grownFloat(a: Float64Array, capacity: number): Float64Array {
  const b = new Float64Array(capacity);
  b.set(a);
  return b;
}

/** Weighted class totals and row counts per bin of the batched features. */
interface BatchHistogram {
  readonly w: Float64Array;
  readonly w1: Float64Array;
  readonly c: Int32Array;
}

function accumulateBatch(
  h: BatchHistogram,
  sample: Int32Array,
  from: number,
  to: number,
  weight: Float64Array,
  y: Uint8Array,
  batchCodes: Int32Array,
  batchCount: number,
): void {
  const { w, w1, c } = h;
  for (let q = from; q < to; q++) {
    const r = sample[q] as number;
    const wr = weight[r] as number;
    const wr1 = y[r] === 1 ? wr : 0;
    const rowBase = r * batchCount;
    for (let t = 0; t < batchCount; t++) {
      const bin = batchCodes[rowBase + t] as number;
      w[bin] += wr;
      w1[bin] += wr1;
      c[bin]++;
    }
  }
}

/** The best split found so far in a node. */
interface Best {
  cost: number;
  feature: number;
  code: number;
  threshold: number;
}

/** Offers the split after code `prev` (left: `lw0`, `lw1`, `lc` rows) to `best`. */
function consider(
  best: Best,
  f: number,
  vals: Float64Array,
  prev: number,
  next: number,
  lw0: number,
  lw1: number,
  lc: number,
  w0: number,
  w1: number,
  count: number,
  minLeaf: number,
  entropy: boolean,
): void {
  if (lc < minLeaf || count - lc < minLeaf) return;
  const rw0 = w0 - lw0;
  const rw1 = w1 - lw1;
  const lw = lw0 + lw1;
  const rw = rw0 + rw1;
  if (!(lw > 0 && rw > 0)) return;
  const cost = lw * impurity(entropy, lw0, lw1) + rw * impurity(entropy, rw0, rw1);
  if (cost < best.cost) {
    best.cost = cost;
    best.feature = f;
    best.code = prev;
    best.threshold = midpoint(vals[prev] as number, vals[next] as number);
  }
}

function fillHistogram(
  hw: Float64Array,
  hw1: Float64Array,
  hc: Int32Array,
  sample: Int32Array,
  start: number,
  end: number,
  codes: Int32Array,
  base: number,
  weight: Float64Array,
  y: Uint8Array,
): void {
  for (let q = start; q < end; q++) {
    const r = sample[q] as number;
    const c = codes[base + r] as number;
    const wr = weight[r] as number;
    hw[c] += wr;
    if (y[r] === 1) hw1[c] += wr;
    hc[c]++;
  }
}

/** Tries every boundary between occupied bins [o, o + k); returns how many bins are occupied. */
function scanHistogram(
  best: Best,
  f: number,
  vals: Float64Array,
  hw: Float64Array,
  hw1: Float64Array,
  hc: Int32Array,
  o: number,
  clear: boolean,
  w0: number,
  w1: number,
  count: number,
  minLeaf: number,
  entropy: boolean,
): number {
  const k = vals.length;
  let lw0 = 0;
  let lw1 = 0;
  let lc = 0;
  let prev = -1;
  let occupied = 0;
  for (let c = 0; c < k; c++) {
    const cnt = hc[o + c] as number;
    if (cnt === 0) continue;
    occupied++;
    if (prev >= 0) consider(best, f, vals, prev, c, lw0, lw1, lc, w0, w1, count, minLeaf, entropy);
    const hwc = hw[o + c] as number;
    const hw1c = hw1[o + c] as number;
    lw1 += hw1c;
    lw0 += hwc - hw1c;
    lc += cnt;
    prev = c;
    if (clear) {
      hw[c] = 0;
      hw1[c] = 0;
      hc[c] = 0;
    }
  }
  return occupied;
}

/** Sorts the node's (code, row) pairs packed in doubles and tries every boundary; false when constant. */
function scanSorted(
  best: Best,
  f: number,
  vals: Float64Array,
  keys: Float64Array,
  sample: Int32Array,
  start: number,
  end: number,
  codes: Int32Array,
  base: number,
  n: number,
  weight: Float64Array,
  y: Uint8Array,
  w0: number,
  w1: number,
  minLeaf: number,
  entropy: boolean,
): boolean {
  const count = end - start;
  for (let q = start; q < end; q++) keys[q - start] = (codes[base + (sample[q] as number)] as number) * n + (sample[q] as number);
  const sorted = keys.subarray(0, count).sort();
  if (Math.floor((sorted[0] as number) / n) === Math.floor((sorted[count - 1] as number) / n)) return false;
  let lw0 = 0;
  let lw1 = 0;
  let lc = 0;
  let q = 0;
  let prev = -1;
  while (q < count) {
    const c = Math.floor((sorted[q] as number) / n);
    if (prev >= 0) consider(best, f, vals, prev, c, lw0, lw1, lc, w0, w1, count, minLeaf, entropy);
    // Add every row with this code to the left side.
    while (q < count) {
      const key = sorted[q] as number;
      if (Math.floor(key / n) !== c) break;
      const r = key - c * n;
      const wr = weight[r] as number;
      if (y[r] === 1) lw1 += wr;
      else lw0 += wr;
      lc++;
      q++;
    }
    prev = c;
  }
  return true;
}

/** Moves the rows with code ≤ `code` to the front of [start, end); returns where the right part begins. */
function partitionRows(sample: Int32Array, start: number, end: number, codes: Int32Array, base: number, code: number): number {
  let i = start;
  let j = end - 1;
  while (i <= j) {
    if ((codes[base + (sample[i] as number)] as number) <= code) i++;
    else {
      const t = sample[i] as number;
      sample[i] = sample[j] as number;
      sample[j--] = t;
    }
  }
  return i;
}

/** parent ← parent − child, bin by bin; bins left empty are cleared of rounding dust. */
function subtractHistogram(parent: BatchHistogram, child: BatchHistogram): void {
  const { w, w1, c } = parent;
  for (let b = 0; b < c.length; b++) {
    const cnt = (c[b] as number) - (child.c[b] as number);
    c[b] = cnt;
    if (cnt === 0) {
      w[b] = 0;
      w1[b] = 0;
    } else {
      w[b] = (w[b] as number) - (child.w[b] as number);
      w1[b] = (w1[b] as number) - (child.w1[b] as number);
    }
  }
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
