/**
 * One regression tree of histogram gradient boosting, grown leaf-wise on binned features from
 * per-row gradients and hessians (the design of LightGBM and scikit-learn's
 * HistGradientBoosting): per node, a (gradient, hessian, count) histogram per feature; the smaller
 * child's histogram is built from its rows and the larger child's is the parent's minus it; the
 * leaf with the largest loss reduction is split next.
 */

/** The binned training data and the fixed settings of every tree. */
export interface HistData {
  /** Bin codes, column-major (feature j of row i at j · rows + i). Code `nonMissing[j]` is the NaN bin of feature j. */
  readonly bins: Uint8Array;
  readonly rows: number;
  readonly cols: number;
  /** Number of value bins per feature (edges + 1). */
  readonly nonMissing: Int32Array;
  /** Feature had NaN in the training rows: then NaN rows learn their side at each split. */
  readonly hasNaN: Uint8Array;
  /** Start of each feature's bins in a histogram (each feature has nonMissing + 1 bins). */
  readonly offset: Int32Array;
  /** Total bins over the features. */
  readonly totalBins: number;
  /** Bin edges per feature (x ≤ edges[b] falls in bins 0…b). */
  readonly edges: readonly Float64Array[];
  /** Per feature, its most frequent bin (a histogram bin index): never accumulated, see {@link sparseBins}. */
  readonly frequent: Int32Array;
  /** Per row, where its entries start in `entries` (rows + 1 values). */
  readonly rowStart: Int32Array;
  /**
   * The histogram bin index of each row's values outside their feature's most frequent bin: 16
   * bits (half the memory traffic of the dominant loop) unless there are more than 65,535 bins.
   */
  readonly entries: Uint16Array | Int32Array;
  /** Rows per histogram bin over all training rows (the root's counts, the same in every tree). */
  readonly rootCounts: Float64Array;
}

/**
 * Each row's histogram bins outside its features' most frequent bins. Histograms accumulate only
 * these; the most frequent bin of a feature is the node's totals minus its other bins. On one-hot
 * columns (mostly 0) that halves the work of the dominant loop of boosting or better.
 */
export function sparseBins(bins: Uint8Array, rows: number, cols: number, offset: Int32Array, totalBins: number): {
  frequent: Int32Array;
  rowStart: Int32Array;
  entries: Uint16Array | Int32Array;
  rootCounts: Float64Array;
} {
  const counts = new Int32Array(totalBins);
  for (let j = 0; j < cols; j++) {
    const base = j * rows;
    const o = offset[j] as number;
    for (let i = 0; i < rows; i++) counts[o + (bins[base + i] as number)]++;
  }
  const frequent = new Int32Array(cols);
  let nnz = 0;
  for (let j = 0; j < cols; j++) {
    const start = offset[j] as number;
    const stop = j + 1 < cols ? (offset[j + 1] as number) : totalBins;
    let best = start;
    for (let k = start + 1; k < stop; k++) if ((counts[k] as number) > (counts[best] as number)) best = k;
    frequent[j] = best;
    nnz += rows - (counts[best] as number);
  }
  const entries = totalBins <= 0xffff ? new Uint16Array(nnz) : new Int32Array(nnz);
  const rowStart = new Int32Array(rows + 1);
  let e = 0;
  for (let i = 0; i < rows; i++) {
    rowStart[i] = e;
    for (let j = 0; j < cols; j++) {
      const k = (offset[j] as number) + (bins[j * rows + i] as number);
      if (k !== frequent[j]) entries[e++] = k;
    }
  }
  rowStart[rows] = e;
  return { frequent, rowStart, entries, rootCounts: Float64Array.from(counts) };
}

/** Settings of tree growth. */
export interface GrowSettings {
  readonly maxLeafNodes: number;
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  readonly l2: number;
  readonly learningRate: number;
  /** −1, 0 or 1 per feature; null when none. */
  readonly monotonic: Int8Array | null;
}

/**
 * A fitted tree in the flat form the TreeSHAP engine reads: node 0 is the root, children come
 * after their parent. `value` is the raw (log-odds) output at each node, already multiplied by
 * the learning rate; `cover` the weighted training rows reaching it; NaN goes left where
 * `defaultLeft` is 1. Rows with x ≤ threshold go left (threshold Infinity: every non-missing value
 * goes left, only NaN may go right).
 */
export interface HistTree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  readonly cover: Float64Array;
  readonly defaultLeft: Uint8Array;
}

/** Smallest hessian sum of a child (scikit-learn's `min_hessian_to_split`). */
const MIN_HESSIAN = 1e-3;
/** Added to hessian sums before dividing (scikit-learn's guard against 0/0 in pure nodes). */
const HESSIAN_EPS = 1e-15;
/**
 * Relative margin under which two features' gains count as tied, the lower feature index winning.
 * Two features that cut the rows alike (two complementary one-hot columns, tenure and total
 * charges at a matching threshold) have the same gain in exact arithmetic; in floating point
 * their histogram sums differ in the last bits, and which one wins would be noise.
 */
const TIE = 1e-10;

interface GrowNode {
  readonly start: number;
  readonly stop: number;
  readonly depth: number;
  readonly g: number;
  readonly h: number;
  /** Leaf value before shrinkage (scikit-learn starts the root at 0: it only offsets the root's gains). */
  readonly value: number;
  lower: number;
  upper: number;
  hist: Float64Array | null;
  // Best split
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  gL: number;
  hL: number;
  nL: number;
  vL: number;
  vR: number;
  // Output
  left: number;
  right: number;
  id: number;
}

/** Reusable buffers of the grower, allocated once per fit. */
export interface GrowBuffers {
  readonly index: Int32Array;
  readonly scratch: Int32Array;
  readonly pool: Float64Array[];
}

/** Buffers for `rows` rows. */
export function growBuffers(rows: number): GrowBuffers {
  return { index: new Int32Array(rows), scratch: new Int32Array(rows), pool: [] };
}

/**
 * Grows one tree and adds its (shrunk) leaf values to `raw` for every training row.
 * `gh` holds each row's gradient and hessian side by side (gh[2i], gh[2i + 1]), already multiplied
 * by the row weights.
 */
export function growHistTree(
  data: HistData,
  gh: Float32Array,
  weight: Float64Array,
  s: GrowSettings,
  buf: GrowBuffers,
  raw: Float64Array,
): HistTree {
  const n = data.rows;
  const index = buf.index;
  for (let i = 0; i < n; i++) index[i] = i;
  let G = 0;
  let H = 0;
  for (let i = 0; i < n; i++) {
    G += gh[2 * i] as number;
    H += gh[2 * i + 1] as number;
  }
  const nodes: GrowNode[] = [];
  const root = makeNode(0, n, 0, G, H, 0, -Infinity, Infinity, nodes);
  const splittable: GrowNode[] = [];
  const leaves: GrowNode[] = [];
  if (n >= 2 * s.minSamplesLeaf && H >= MIN_HESSIAN) {
    root.hist = takeHist(buf, data.totalBins);
    buildHist(data, gh, index, 0, n, root.hist, G, H);
    findSplit(data, root, s);
    (root.gain > 0 ? splittable : leaves).push(root);
  } else leaves.push(root);

  while (splittable.length > 0) {
    // The leaf with the largest gain; the earliest pushed on ties.
    let best = 0;
    for (let k = 1; k < splittable.length; k++) if ((splittable[k] as GrowNode).gain > (splittable[best] as GrowNode).gain) best = k;
    const node = splittable.splice(best, 1)[0] as GrowNode;
    const mid = partition(data, node, index, buf.scratch);
    const depth = node.depth + 1;
    const left = makeNode(node.start, mid, depth, node.gL, node.hL, node.vL, -Infinity, Infinity, nodes);
    const right = makeNode(mid, node.stop, depth, node.g - node.gL, node.h - node.hL, node.vR, -Infinity, Infinity, nodes);
    node.left = left.id;
    node.right = right.id;
    if (data.hasNaN[node.feature] === 0) node.missingLeft = mid - node.start > node.stop - mid;
    const leafCount = leaves.length + splittable.length + 2;
    let growLeft = true;
    let growRight = true;
    if (leafCount >= s.maxLeafNodes) {
      for (const other of splittable) releaseHist(buf, other);
      leaves.push(...splittable);
      splittable.length = 0;
      growLeft = growRight = false;
    } else if (depth >= s.maxDepth) {
      growLeft = growRight = false;
    } else {
      if (mid - node.start < 2 * s.minSamplesLeaf) growLeft = false;
      if (node.stop - mid < 2 * s.minSamplesLeaf) growRight = false;
    }
    setBounds(node, left, right, s.monotonic);
    if (growLeft || growRight) {
      const small = mid - node.start < node.stop - mid ? left : right;
      const large = small === left ? right : left;
      small.hist = takeHist(buf, data.totalBins);
      buildHist(data, gh, index, small.start, small.stop, small.hist, small.g, small.h);
      // The subtraction trick: the larger child's histogram costs O(bins), not O(rows).
      const parent = node.hist as Float64Array;
      for (let k = 0; k < parent.length; k++) parent[k] = (parent[k] as number) - (small.hist[k] as number);
      large.hist = parent;
      node.hist = null;
      if (growLeft) findSplit(data, left, s);
      if (growRight) findSplit(data, right, s);
    } else releaseHist(buf, node);
    for (const [child, grow] of [[left, growLeft], [right, growRight]] as const) {
      if (grow && child.gain > 0) splittable.push(child);
      else {
        releaseHist(buf, child);
        leaves.push(child);
      }
    }
  }
  return finish(nodes, leaves, data, s, index, weight, raw);
}

function makeNode(start: number, stop: number, depth: number, g: number, h: number, value: number, lower: number, upper: number, nodes: GrowNode[]): GrowNode {
  const node: GrowNode = {
    start, stop, depth, g, h, value, lower, upper,
    hist: null, gain: -1, feature: -1, bin: 0, missingLeft: false, gL: 0, hL: 0, nL: 0, vL: 0, vR: 0, left: -1, right: -1, id: nodes.length,
  };
  nodes.push(node);
  return node;
}

function takeHist(buf: GrowBuffers, size: number): Float64Array {
  const h = buf.pool.pop();
  if (h !== undefined) {
    h.fill(0);
    return h;
  }
  return new Float64Array(3 * size);
}

function releaseHist(buf: GrowBuffers, node: GrowNode): void {
  if (node.hist !== null) buf.pool.push(node.hist);
  node.hist = null;
}

function buildHist(data: HistData, gh: Float32Array, index: Int32Array, start: number, stop: number, hist: Float64Array, G: number, H: number): void {
  const rowStart = data.rowStart;
  const entries = data.entries;
  const isRoot = stop - start === data.rows;
  if (isRoot) {
    // The root: its counts are known, only gradients and hessians are summed (in row order).
    for (let i = 0; i < data.rows; i++) {
      const g = gh[2 * i] as number;
      const h = gh[2 * i + 1] as number;
      const end = rowStart[i + 1] as number;
      for (let e = rowStart[i] as number; e < end; e++) {
        const k = 3 * (entries[e] as number);
        hist[k] = (hist[k] as number) + g;
        hist[k + 1] = (hist[k + 1] as number) + h;
      }
    }
    const counts = data.rootCounts;
    for (let k = 0; k < counts.length; k++) hist[3 * k + 2] = counts[k] as number;
  } else {
    for (let r = start; r < stop; r++) {
      const i = index[r] as number;
      const g = gh[2 * i] as number;
      const h = gh[2 * i + 1] as number;
      const end = rowStart[i + 1] as number;
      for (let e = rowStart[i] as number; e < end; e++) {
        const k = 3 * (entries[e] as number);
        hist[k] = (hist[k] as number) + g;
        hist[k + 1] = (hist[k + 1] as number) + h;
        hist[k + 2] = (hist[k + 2] as number) + 1;
      }
    }
  }
  // Each feature's most frequent bin holds what the node's other bins do not.
  const p = data.cols;
  for (let j = 0; j < p; j++) {
    const f = data.frequent[j] as number;
    const lo = data.offset[j] as number;
    const hi = j + 1 < p ? (data.offset[j + 1] as number) : data.totalBins;
    let sg = 0;
    let sh = 0;
    let sn = 0;
    for (let k = lo; k < hi; k++) {
      if (k === f) continue;
      sg += hist[3 * k] as number;
      sh += hist[3 * k + 1] as number;
      sn += hist[3 * k + 2] as number;
    }
    hist[3 * f] = G - sg;
    hist[3 * f + 1] = H - sh;
    if (!isRoot) hist[3 * f + 2] = stop - start - sn;
  }
}

function leafValue(g: number, h: number, l2: number, lower: number, upper: number): number {
  const v = -g / (h + l2 + HESSIAN_EPS);
  return v < lower ? lower : v > upper ? upper : v;
}

/**
 * Best split of a node over all features: for each, scan the bins left to right with NaN rows on
 * the right, and, when the feature had NaN in training, right to left with NaN rows on the left.
 * Gain = loss(node) − loss(left) − loss(right) with loss = G·v, v = −G/(H + λ) (clipped to the
 * monotonic bounds); a split must leave `minSamplesLeaf` rows and a hessian sum of 1e-3 on each side.
 */
function findSplit(data: HistData, node: GrowNode, s: GrowSettings): void {
  const hist = node.hist as Float64Array;
  const G = node.g;
  const H = node.h;
  const N = node.stop - node.start;
  const lossNode = G * node.value;
  const minLeaf = s.minSamplesLeaf;
  const l2 = s.l2;
  const lo = node.lower;
  const up = node.upper;
  for (let j = 0; j < data.cols; j++) {
    const base = 3 * (data.offset[j] as number);
    const nb = data.nonMissing[j] as number;
    const nan = data.hasNaN[j] as number;
    const cst = s.monotonic === null ? 0 : (s.monotonic[j] as number);
    // To replace an earlier feature's split, a gain must beat it by more than rounding.
    let bar = node.gain > 0 ? node.gain * (1 + TIE) : node.gain;
    let gl = 0;
    let hl = 0;
    let nl = 0;
    const end = nb - 1 + nan;
    for (let b = 0; b < end; b++) {
      const k = base + 3 * b;
      gl += hist[k] as number;
      hl += hist[k + 1] as number;
      nl += hist[k + 2] as number;
      const nr = N - nl;
      const hr = H - hl;
      if (nl < minLeaf) continue;
      if (nr < minLeaf) break;
      if (hl < MIN_HESSIAN) continue;
      if (hr < MIN_HESSIAN) break;
      const gr = G - gl;
      const vl = leafValue(gl, hl, l2, lo, up);
      const vr = leafValue(gr, hr, l2, lo, up);
      if ((cst === 1 && vl > vr) || (cst === -1 && vl < vr)) continue;
      const gain = lossNode - gl * vl - gr * vr;
      if (gain > bar && gain > 0) {
        setSplit(node, gain, j, b, false, gl, hl, nl, vl, vr);
        bar = gain;
      }
    }
    if (nan === 0) continue;
    let gr = 0;
    let hr = 0;
    let nr = 0;
    for (let b = nb - 2; b >= 0; b--) {
      const k = base + 3 * (b + 1);
      gr += hist[k] as number;
      hr += hist[k + 1] as number;
      nr += hist[k + 2] as number;
      const nl2 = N - nr;
      const hl2 = H - hr;
      if (nr < minLeaf) continue;
      if (nl2 < minLeaf) break;
      if (hr < MIN_HESSIAN) continue;
      if (hl2 < MIN_HESSIAN) break;
      const gl2 = G - gr;
      const vl = leafValue(gl2, hl2, l2, lo, up);
      const vr = leafValue(gr, hr, l2, lo, up);
      if ((cst === 1 && vl > vr) || (cst === -1 && vl < vr)) continue;
      const gain = lossNode - gl2 * vl - gr * vr;
      if (gain > bar && gain > 0) {
        setSplit(node, gain, j, b, true, gl2, hl2, nl2, vl, vr);
        bar = gain;
      }
    }
  }
}

function setSplit(node: GrowNode, gain: number, feature: number, bin: number, missingLeft: boolean, gL: number, hL: number, nL: number, vL: number, vR: number): void {
  node.gain = gain;
  node.feature = feature;
  node.bin = bin;
  node.missingLeft = missingLeft;
  node.gL = gL;
  node.hL = hL;
  node.nL = nL;
  node.vL = vL;
  node.vR = vR;
}

/** Stable partition of the node's rows: left rows first, in their order, then right rows. */
function partition(data: HistData, node: GrowNode, index: Int32Array, scratch: Int32Array): number {
  const j = node.feature;
  const codes = data.bins.subarray(j * data.rows, (j + 1) * data.rows);
  const nanCode = data.nonMissing[j] as number;
  const b = node.bin;
  const nanLeft = node.missingLeft;
  let l = node.start;
  let r = 0;
  for (let k = node.start; k < node.stop; k++) {
    const i = index[k] as number;
    const code = codes[i] as number;
    if (code === nanCode ? nanLeft : code <= b) index[l++] = i;
    else scratch[r++] = i;
  }
  for (let k = 0; k < r; k++) index[l + k] = scratch[k] as number;
  return l;
}

function setBounds(node: GrowNode, left: GrowNode, right: GrowNode, monotonic: Int8Array | null): void {
  const cst = monotonic === null ? 0 : (monotonic[node.feature] as number);
  if (cst === 0) {
    left.lower = right.lower = node.lower;
    left.upper = right.upper = node.upper;
    return;
  }
  const mid = (left.value + right.value) / 2;
  if (cst === 1) {
    left.lower = node.lower;
    left.upper = mid;
    right.lower = mid;
    right.upper = node.upper;
  } else {
    left.lower = mid;
    left.upper = node.upper;
    right.lower = node.lower;
    right.upper = mid;
  }
}

function finish(nodes: GrowNode[], leaves: GrowNode[], data: HistData, s: GrowSettings, index: Int32Array, weight: Float64Array, raw: Float64Array): HistTree {
  const size = nodes.length;
  const t: HistTree = {
    feature: new Int32Array(size).fill(-1),
    threshold: new Float64Array(size),
    left: new Int32Array(size).fill(-1),
    right: new Int32Array(size).fill(-1),
    value: new Float64Array(size),
    cover: new Float64Array(size),
    defaultLeft: new Uint8Array(size),
  };
  for (const leaf of leaves) {
    const v = leaf.value * s.learningRate;
    let c = 0;
    for (let k = leaf.start; k < leaf.stop; k++) {
      const i = index[k] as number;
      raw[i] = (raw[i] as number) + v;
      c += weight[i] as number;
    }
    t.cover[leaf.id] = c;
  }
  // Children come after parents: sum covers bottom-up.
  for (let id = size - 1; id >= 0; id--) {
    const node = nodes[id] as GrowNode;
    t.value[id] = node.value * s.learningRate;
    if (node.left < 0) continue;
    const j = node.feature;
    t.feature[id] = j;
    // The last value bin as threshold is a split on missingness alone: every value goes left.
    t.threshold[id] = node.bin === (data.nonMissing[j] as number) - 1 ? Infinity : ((data.edges[j] as Float64Array)[node.bin] as number);
    t.left[id] = node.left;
    t.right[id] = node.right;
    t.defaultLeft[id] = node.missingLeft ? 1 : 0;
    t.cover[id] = (t.cover[node.left] as number) + (t.cover[node.right] as number);
  }
  return t;
}

/** Raw output of a tree for row `i` of a row-major matrix (NaN follows `defaultLeft`). */
export function histTreeValue(t: HistTree, data: Float64Array, offset: number): number {
  let k = 0;
  for (;;) {
    const f = t.feature[k] as number;
    if (f < 0) return t.value[k] as number;
    const x = data[offset + f] as number;
    const goLeft = x !== x ? t.defaultLeft[k] === 1 : x <= (t.threshold[k] as number);
    k = goLeft ? (t.left[k] as number) : (t.right[k] as number);
  }
}
