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

  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
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
      let lw0 = 0;
      let lw1 = 0;
      let lc = 0;
      const inBatch = (batchOffset[f] as number) >= 0;
      if (inBatch || k <= 4 * count) {
        // Histogram over the feature's codes: one pass over the node's rows (done above for the
        // batched features), one over the bins.
        let Hw: Float64Array = hw;
        let Hw1: Float64Array = hw1;
        let Hc: Int32Array = hc;
        let o = 0;
        if (inBatch && hist) {
          Hw = hist.w;
          Hw1 = hist.w1;
          Hc = hist.c;
          o = batchOffset[f] as number;
        } else {
          for (let q = start; q < end; q++) {
            const r = sample[q] as number;
            const c = codes[base + r] as number;
            const wr = weight[r] as number;
            hw[c] += wr;
            if (y[r] === 1) hw1[c] += wr;
            hc[c]++;
          }
        }
        let prev = -1;
        let occupied = 0;
        for (let c = 0; c < k; c++) {
          const cnt = Hc[o + c] as number;
          if (cnt === 0) continue;
          occupied++;
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
                bestCode = prev;
                bestThreshold = midpoint(vals[prev] as number, vals[c] as number);
              }
            }
          }
          const hwc = Hw[o + c] as number;
          const hw1c = Hw1[o + c] as number;
          lw1 += hw1c;
          lw0 += hwc - hw1c;
          lc += cnt;
          prev = c;
          if (!inBatch) {
            hw[c] = 0;
            hw1[c] = 0;
            hc[c] = 0;
          }
        }
        // A feature constant in this node does not count as visited (scikit-learn draws on).
        if (occupied > 1) visited++;
      } else {
        // Few rows over many distinct values: sort the node's (code, row) pairs packed in doubles.
        for (let q = start; q < end; q++) keys[q - start] = (codes[base + (sample[q] as number)] as number) * n + (sample[q] as number);
        const sorted = keys.subarray(0, count).sort();
        if (Math.floor((sorted[0] as number) / n) === Math.floor((sorted[count - 1] as number) / n)) continue;
        visited++;
        let q = 0;
        let prevCode = -1;
        while (q < count) {
          const key = sorted[q] as number;
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
          while (q < count) {
            const key2 = sorted[q] as number;
            if (Math.floor(key2 / n) !== c) break;
            const r = key2 - c * n;
            const wr = weight[r] as number;
            if (y[r] === 1) lw1 += wr;
            else lw0 += wr;
            lc++;
            q++;
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
    if (hist && depth + 1 < params.maxDepth) {
      const leftSmaller = i - start <= end - i;
      const small = leftSmaller ? histogramOf(start, i) : histogramOf(i, end);
      for (let b = 0; b < batchBins; b++) {
        hist.w[b] = (hist.w[b] as number) - (small.w[b] as number);
        hist.w1[b] = (hist.w1[b] as number) - (small.w1[b] as number);
        hist.c[b] = (hist.c[b] as number) - (small.c[b] as number);
      }
      // Subtraction leaves rounding dust where a bin is empty: its count is exact, so clear it.
      for (let b = 0; b < batchBins; b++) {
        if (hist.c[b] === 0) {
          hist.w[b] = 0;
          hist.w1[b] = 0;
        }
      }
      pending.push(leftSmaller ? hist : small, leftSmaller ? small : hist);
    } else {
      pending.push(undefined, undefined);
    }
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
