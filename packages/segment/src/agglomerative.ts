import {
  CrmError,
  checkCost,
  enumOption,
  finiteResult,
  freezeModel,
  numberOption,
  ownValue,
  readModelJson,
  readNumber,
  readObject,
  readOptions,
} from '@crm/core';
import { distanceScale, maxAbs, scaleInPlace, squaredDistance, trainingMatrix } from './checks.ts';

/**
 * Linkage criteria of {@link Agglomerative}, all on Euclidean distances.
 *
 * @example
 * ```ts
 * import type { Linkage } from '@crm/segment';
 * const linkages: Linkage[] = ['ward', 'complete', 'average', 'single'];
 * ```
 */
export type Linkage = 'ward' | 'complete' | 'average' | 'single';

/**
 * Options of {@link Agglomerative.fit}.
 *
 * @example
 * ```ts
 * import type { AgglomerativeOptions } from '@crm/segment';
 * const options: AgglomerativeOptions = { linkage: 'average' };
 * ```
 */
export interface AgglomerativeOptions {
  /**
   * How the distance between two clusters is measured (default `'ward'`):
   * - `'ward'`: increase in within-cluster variance (scipy's Ward distance, √(2·nₐn_b/(nₐ+n_b))·‖cₐ−c_b‖);
   * - `'complete'`: largest distance between members;
   * - `'average'`: mean distance between members (UPGMA);
   * - `'single'`: smallest distance between members.
   */
  readonly linkage?: Linkage;
  /**
   * Most pairs of rows the fit may handle, n(n−1)/2 (default 50,000,000: n = 10,000, a 400 MB
   * distance matrix for ward, complete and average). A larger X is refused with `limit_exceeded`
   * before anything is allocated; raise this to allow it (memory grows as n², 3.6 GB at n = 30,000).
   * A limit, not a hyper-parameter: it is not echoed in `options` or saved in JSON.
   */
  readonly maxPairs?: number;
}

/**
 * The hyper-parameters a fitted {@link Agglomerative} echoes back and saves:
 * {@link AgglomerativeOptions} without the cost limit, defaults filled in.
 *
 * @example
 * ```ts
 * import { Agglomerative, type AgglomerativeSettings } from '@crm/segment';
 * const settings: AgglomerativeSettings = Agglomerative.fit([[0, 0], [0, 1], [5, 5]]).options;
 * settings.linkage; // 'ward'
 * ```
 */
export type AgglomerativeSettings = Required<Omit<AgglomerativeOptions, 'maxPairs'>>;

/**
 * One merge of the hierarchy, in scipy's `linkage` convention: leaves are clusters `0 … n-1`; the
 * i-th merge creates cluster `n + i`.
 *
 * @example
 * ```ts
 * import { Agglomerative, type Merge } from '@crm/segment';
 * const [first]: readonly Merge[] = Agglomerative.fit([[0, 0], [0, 1], [5, 5]], { linkage: 'single' }).merges;
 * first; // { left: 0, right: 1, height: 1, size: 2 }
 * ```
 */
export interface Merge {
  /** Id of the smaller-id cluster merged. */
  readonly left: number;
  /** Id of the other cluster merged. */
  readonly right: number;
  /** Linkage distance at which they merge (the dendrogram height). */
  readonly height: number;
  /** Number of rows in the new cluster. */
  readonly size: number;
}

/**
 * Where to cut the hierarchy in {@link Agglomerative.labels}: a number of clusters or a height.
 *
 * @example
 * ```ts
 * import type { CutOptions } from '@crm/segment';
 * const byCount: CutOptions = { k: 5 };
 * const byHeight: CutOptions = { height: 120 };
 * ```
 */
export type CutOptions =
  | {
      /** Number of clusters, 1 ≤ k ≤ n. */
      readonly k: number;
    }
  | {
      /** Merges at heights ≤ this value are kept (scipy `fcluster(criterion='distance')`). */
      readonly height: number;
    };

/**
 * JSON form of a fitted {@link Agglomerative}.
 *
 * @example
 * ```ts
 * import { Agglomerative, type AgglomerativeJson } from '@crm/segment';
 * const json: AgglomerativeJson = Agglomerative.fit([[0, 0], [0, 1], [5, 5]]).toJSON();
 * json.merges.length; // 2
 * ```
 */
export interface AgglomerativeJson {
  /** Always `'crm.segment.agglomerative'`. */
  readonly kind: 'crm.segment.agglomerative';
  /** Format version, 1. */
  readonly version: 1;
  /** The options the model was fitted with, defaults filled in. */
  readonly options: AgglomerativeSettings;
  /** Number of rows clustered. */
  readonly size: number;
  /** The n - 1 merges as `[left, right, height, size]`, in order (scipy's linkage matrix). */
  readonly merges: [number, number, number, number][];
}

const KIND = 'crm.segment.agglomerative';
const LINKAGES: readonly Linkage[] = ['ward', 'complete', 'average', 'single'];
/** Default pair limit: n = 10,000 rows, a 400 MB condensed distance matrix. */
const DEFAULT_MAX_PAIRS = 50_000_000;

/**
 * Agglomerative (hierarchical) clustering with Ward, complete, average or single linkage on
 * Euclidean distances, giving the same merges and heights as scipy's `linkage` (and so the same
 * labels as scikit-learn's `AgglomerativeClustering`).
 *
 * Ward, complete and average use the nearest-neighbour chain algorithm (Murtagh 1983; Müllner 2011)
 * on one condensed distance matrix updated by the Lance-Williams formulas: O(n²) time and
 * n(n-1)/2 doubles of memory (400 MB at n = 10,000). Single linkage is a minimum spanning tree
 * (Prim's algorithm on distances computed on the fly): O(n² · d) time, O(n) memory. Both are bounded
 * by `maxPairs` (default 50,000,000 pairs, n = 10,000), checked before anything is allocated.
 *
 * Rows of any finite magnitude are handled: data too large (above 2^400) or too small for squared
 * distances in double precision is rescaled internally by a power of two, which is exact, and the
 * heights are reported in the units of X.
 *
 * @example
 * ```ts
 * import { Agglomerative } from '@crm/segment';
 * const X = [[1, 1], [1, 2], [8, 8], [9, 8], [25, 30]];
 * const tree = Agglomerative.fit(X, { linkage: 'ward' });
 * tree.merges;                 // 4 merges with heights, for a dendrogram
 * tree.labels({ k: 2 });       // two segments
 * tree.labels({ height: 5 });  // cut where merges cost more than 5
 * ```
 * @throws {CrmError} `invalid_input` for empty, ragged or non-finite X; `degenerate_data` for a
 * constant column; `limit_exceeded` (at `['options', 'maxPairs']`) when n(n−1)/2 exceeds `maxPairs`,
 * or when the runtime cannot allocate the distance matrix; `non_finite_result` when a merge height
 * itself exceeds the largest double.
 * @see https://arxiv.org/abs/1109.2378
 */
export class Agglomerative {
  /** Model kind. */
  readonly kind: 'crm.segment.agglomerative' = KIND;
  /** Options used, defaults filled in. */
  readonly options: AgglomerativeSettings;
  /** Number of rows clustered (leaves of the tree). */
  readonly size: number;
  /** The n - 1 merges, by increasing height (ties in the order they were found). */
  readonly merges: readonly Merge[];

  private constructor(options: AgglomerativeSettings, size: number, merges: Merge[]) {
    this.options = { ...options };
    this.size = size;
    this.merges = merges;
    freezeModel(this);
  }

  /**
   * Builds the full hierarchy of the rows of `X`.
   *
   * @example
   * ```ts
   * import { Agglomerative } from '@crm/segment';
   * const tree = Agglomerative.fit([[0, 0], [0, 1], [5, 5]], { linkage: 'single' });
   * tree.merges[0]; // { left: 0, right: 1, height: 1, size: 2 }
   * ```
   */
  static fit(X: readonly ArrayLike<number>[], options?: AgglomerativeOptions): Agglomerative {
    const o = readOptions(options, ['linkage', 'maxPairs'], 'Agglomerative.fit');
    const linkage = enumOption(o, 'linkage', 'ward', LINKAGES);
    const maxPairs = numberOption(o, 'maxPairs', DEFAULT_MAX_PAIRS, { min: 0 });
    const m = trainingMatrix(X, 1);
    const n = m.rows;
    const what =
      linkage === 'single'
        ? `single-linkage clustering of ${n} rows (O(n²) distances)`
        : `${linkage}-linkage clustering of ${n} rows (a distance matrix of ${formatMegabytes(pairCount(n) * 8)})`;
    checkCost(pairCount(n), maxPairs, 'maxPairs', what, 'pairs of rows');
    // The same merges at any magnitude: the copy of X is rescaled exactly, heights are scaled back.
    const scale = distanceScale(maxAbs(m.data));
    scaleInPlace(m.data, scale);
    let raw: RawMerges;
    if (n === 1) raw = { a: new Int32Array(0), b: new Int32Array(0), h: new Float64Array(0) };
    else if (linkage === 'single') raw = primSingle(m.data, n, m.cols);
    else raw = nnChain(condensedDistances(m.data, n, m.cols), n, linkage);
    for (let i = 0; i < raw.h.length; i++) {
      raw.h[i] = finiteResult((raw.h[i] as number) / scale, `the height of merge ${i} (a ${linkage}-linkage distance)`, ['X']);
    }
    return new Agglomerative({ linkage }, n, relabel(raw, n));
  }

  /**
   * Restores a model saved with {@link Agglomerative.toJSON}, checking that the merges form a tree.
   *
   * @throws {CrmError} `invalid_json` for anything that is not a version-1 agglomerative model.
   * @example
   * ```ts
   * import { Agglomerative } from '@crm/segment';
   * const tree = Agglomerative.fit([[0, 0], [0, 1], [5, 5]]);
   * Agglomerative.fromJSON(JSON.parse(JSON.stringify(tree))).labels({ k: 2 }); // [0, 0, 1]
   * ```
   */
  static fromJSON(json: unknown): Agglomerative {
    const obj = readModelJson(json, KIND, 1);
    const o = readObject(ownValue(obj, 'options'), ['options']);
    const linkage = ownValue(o, 'linkage');
    if (typeof linkage !== 'string' || !(LINKAGES as readonly string[]).includes(linkage)) {
      throw new CrmError('invalid_json', `options.linkage must be one of ${LINKAGES.join(', ')}`, ['options', 'linkage']);
    }
    const n = readNumber(obj, 'size');
    if (!Number.isInteger(n) || n < 1) throw new CrmError('invalid_json', 'size must be a positive integer', ['size']);
    const rawMerges = ownValue(obj, 'merges');
    if (!Array.isArray(rawMerges) || rawMerges.length !== n - 1) {
      throw new CrmError('invalid_json', `merges must be an array of ${n - 1} merges`, ['merges']);
    }
    const sizes = new Float64Array(2 * n - 1);
    sizes.fill(1, 0, n);
    const used = new Uint8Array(2 * n - 1);
    const merges: Merge[] = [];
    let previous = -Infinity;
    for (let i = 0; i < n - 1; i++) {
      const row: unknown = rawMerges[i];
      const at = ['merges', i];
      if (!Array.isArray(row) || row.length !== 4 || !row.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        throw new CrmError('invalid_json', `merges[${i}] must be [left, right, height, size] of finite numbers`, at);
      }
      const [left, right, height, size] = row as [number, number, number, number];
      const valid = (id: number): boolean => Number.isInteger(id) && id >= 0 && id < n + i && used[id] === 0;
      if (!valid(left) || !valid(right) || left >= right) {
        throw new CrmError('invalid_json', `merges[${i}] must join two existing, not yet merged clusters (left < right)`, at);
      }
      if (height < previous || height < 0) throw new CrmError('invalid_json', `merges[${i}].height must be ≥ 0 and not below the previous merge`, at);
      if (size !== (sizes[left] as number) + (sizes[right] as number)) {
        throw new CrmError('invalid_json', `merges[${i}].size must be the sum of the two clusters' sizes`, at);
      }
      used[left] = 1;
      used[right] = 1;
      sizes[n + i] = size;
      previous = height;
      merges.push({ left, right, height, size });
    }
    return new Agglomerative({ linkage: linkage as Linkage }, n, merges);
  }

  /**
   * Flat clusters from cutting the tree, numbered 0, 1, … in order of their first row.
   * `{ k }` undoes the last k - 1 merges (as scikit-learn does); `{ height }` keeps the merges at
   * heights ≤ `height`. O(n).
   *
   * @throws {CrmError} `invalid_argument` for k outside 1 … n, a negative or non-finite height, or both/neither given.
   * @example
   * ```ts
   * import { Agglomerative } from '@crm/segment';
   * const tree = Agglomerative.fit([[0, 0], [0, 1], [5, 5], [5, 7]]);
   * tree.labels({ k: 2 });         // [0, 0, 1, 1]
   * tree.labels({ height: 0.5 });  // [0, 1, 2, 3]
   * ```
   */
  labels(cut: CutOptions): number[] {
    const o = readOptions(cut, ['k', 'height'], 'Agglomerative.labels');
    const n = this.size;
    let count: number;
    if (o.k !== undefined && o.height === undefined) {
      count = n - numberOption(o, 'k', 1, { min: 1, max: n, integer: true });
    } else if (o.height !== undefined && o.k === undefined) {
      const h = numberOption(o, 'height', 0, { min: 0 });
      count = 0;
      while (count < n - 1 && (this.merges[count] as Merge).height <= h) count++;
    } else {
      throw new CrmError('invalid_argument', 'labels() needs exactly one of { k } or { height }', ['options']);
    }
    // Each cluster id points to the cluster it was merged into; leaves follow the chain upward.
    const parent = new Int32Array(2 * n - 1).fill(-1);
    for (let i = 0; i < count; i++) {
      const m = this.merges[i] as Merge;
      parent[m.left] = n + i;
      parent[m.right] = n + i;
    }
    // A parent always has a larger id than its children, so one downward sweep finds every root.
    const root = new Int32Array(2 * n - 1);
    for (let id = 2 * n - 2; id >= 0; id--) {
      const p = parent[id] as number;
      root[id] = p < 0 ? id : (root[p] as number);
    }
    const out = new Array<number>(n);
    const names = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const r = root[i] as number;
      let label = names.get(r);
      if (label === undefined) {
        label = names.size;
        names.set(r, label);
      }
      out[i] = label;
    }
    return out;
  }

  /**
   * Plain JSON data for {@link Agglomerative.fromJSON} (the merges as scipy's linkage matrix rows).
   *
   * @example
   * ```ts
   * import { Agglomerative } from '@crm/segment';
   * Agglomerative.fit([[0, 0], [0, 1], [5, 5]]).toJSON().merges; // [[0, 1, 1, 2], [2, 3, …, 3]]
   * ```
   */
  toJSON(): AgglomerativeJson {
    return {
      kind: KIND,
      version: 1,
      options: { ...this.options },
      size: this.size,
      merges: this.merges.map((m) => [m.left, m.right, m.height, m.size]),
    };
  }
}

/** Merges as found: slots `a < b` (row indices standing for clusters) at height `h`. */
interface RawMerges {
  a: Int32Array;
  b: Int32Array;
  h: Float64Array;
}

/** Number of distinct pairs of n rows. */
function pairCount(n: number): number {
  return (n * (n - 1)) / 2;
}

function formatMegabytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`;
}

/** Condensed index of the pair (i, j), i < j, in scipy's `pdist` order. */
function condensedIndex(n: number, i: number, j: number): number {
  return n * i - (i * (i + 1)) / 2 + (j - i - 1);
}

function condensedDistances(x: Float64Array, n: number, d: number): Float64Array {
  const size = (n * (n - 1)) / 2;
  let D: Float64Array;
  try {
    D = new Float64Array(size);
  } catch {
    throw new CrmError(
      'limit_exceeded',
      `agglomerative clustering of ${n} rows needs ${size} pairwise distances (${formatMegabytes(size * 8)}), more than this runtime can allocate: cluster a sample, or use KMeans`,
      ['options', 'maxPairs'],
    );
  }
  let p = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) D[p++] = Math.sqrt(squaredDistance(x, i, x, j, d));
  return D;
}

/**
 * Nearest-neighbour chain with Lance-Williams updates, step for step as scipy's `nn_chain`
 * (same tie-breaking and the same floating-point operations), so heights are bit-identical.
 */
function nnChain(D: Float64Array, n: number, linkage: Exclude<Linkage, 'single'>): RawMerges {
  const size = new Float64Array(n).fill(1);
  // Active clusters as a linked list in increasing index order (scans keep scipy's order).
  const next = new Int32Array(n + 1);
  const prev = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) {
    next[i] = i + 1; // next[n] is unused; the list starts at head
    prev[i] = i - 1;
  }
  let head = 0;
  const chain = new Int32Array(n);
  let chainLength = 0;
  const a = new Int32Array(n - 1);
  const b = new Int32Array(n - 1);
  const h = new Float64Array(n - 1);
  for (let k = 0; k < n - 1; k++) {
    if (chainLength === 0) {
      chain[0] = head;
      chainLength = 1;
    }
    let x = 0;
    let y = 0;
    let currentMin = Infinity;
    for (;;) {
      x = chain[chainLength - 1] as number;
      if (chainLength > 1) {
        y = chain[chainLength - 2] as number;
        currentMin = D[x < y ? condensedIndex(n, x, y) : condensedIndex(n, y, x)] as number;
      } else {
        currentMin = Infinity;
      }
      // i < x: column x of the rows above; i > x: the contiguous row segment of x.
      const rowBase = condensedIndex(n, x, x + 1) - (x + 1);
      for (let i = head; i < n; i = next[i] as number) {
        if (i === x) continue;
        const dist = D[i < x ? condensedIndex(n, i, x) : rowBase + i] as number;
        if (dist < currentMin) {
          currentMin = dist;
          y = i;
        }
      }
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    const nx = size[x] as number;
    const ny = size[y] as number;
    a[k] = x;
    b[k] = y;
    h[k] = currentMin;
    // Cluster x is dropped; slot y holds the merged cluster.
    size[x] = 0;
    size[y] = nx + ny;
    if (x === head) head = next[x] as number;
    else next[prev[x] as number] = next[x] as number;
    if ((next[x] as number) < n) prev[next[x] as number] = prev[x] as number;
    for (let i = head; i < n; i = next[i] as number) {
      if (i === y) continue;
      const ni = size[i] as number;
      const ix = i < x ? condensedIndex(n, i, x) : condensedIndex(n, x, i);
      const iy = i < y ? condensedIndex(n, i, y) : condensedIndex(n, y, i);
      const dxi = D[ix] as number;
      const dyi = D[iy] as number;
      let value: number;
      if (linkage === 'ward') {
        const t = 1.0 / (nx + ny + ni);
        value = Math.sqrt((ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * currentMin * currentMin);
      } else if (linkage === 'complete') {
        value = dxi > dyi ? dxi : dyi;
      } else {
        value = (nx * dxi + ny * dyi) / (nx + ny);
      }
      D[iy] = value;
    }
  }
  return { a, b, h };
}

/** Single linkage as a minimum spanning tree (Prim), as scipy's `mst_single_linkage`. */
function primSingle(x: Float64Array, n: number, d: number): RawMerges {
  const merged = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  const a = new Int32Array(n - 1);
  const b = new Int32Array(n - 1);
  const h = new Float64Array(n - 1);
  let current = 0;
  for (let k = 0; k < n - 1; k++) {
    let currentMin = Infinity;
    let y = -1;
    merged[current] = 1;
    for (let i = 0; i < n; i++) {
      if (merged[i] === 1) continue;
      const dist = Math.sqrt(squaredDistance(x, current, x, i, d));
      if ((best[i] as number) > dist) best[i] = dist;
      if ((best[i] as number) < currentMin) {
        y = i;
        currentMin = best[i] as number;
      }
    }
    a[k] = current;
    b[k] = y;
    h[k] = currentMin;
    current = y;
  }
  return { a, b, h };
}

/** Stable sort by height, then cluster ids as scipy's `label`: the i-th merge makes cluster n + i. */
function relabel(raw: RawMerges, n: number): Merge[] {
  const order = Array.from({ length: n - 1 }, (_, i) => i);
  order.sort((p, q) => (raw.h[p] as number) - (raw.h[q] as number) || p - q);
  const parent = new Int32Array(2 * n - 1);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const sizes = new Float64Array(2 * n - 1);
  sizes.fill(1, 0, n);
  const find = (v: number): number => {
    let r = v;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[v] !== r) {
      const up = parent[v] as number;
      parent[v] = r;
      v = up;
    }
    return r;
  };
  const out: Merge[] = [];
  for (let i = 0; i < n - 1; i++) {
    const m = order[i] as number;
    const rx = find(raw.a[m] as number);
    const ry = find(raw.b[m] as number);
    const id = n + i;
    parent[rx] = id;
    parent[ry] = id;
    const size = (sizes[rx] as number) + (sizes[ry] as number);
    sizes[id] = size;
    out.push({ left: Math.min(rx, ry), right: Math.max(rx, ry), height: raw.h[m] as number, size });
  }
  return out;
}
