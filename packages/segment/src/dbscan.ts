import {
  CrmError,
  checkCost,
  freezeModel,
  numberOption,
  ownValue,
  readModelJson,
  readNumber,
  readNumberArray,
  readObject,
  readOptions,
  toDenseMatrix,
} from '@crm/core';
import type { Clusterer } from './clusterer.ts';
import { distanceScale, maxAbs, scaleInPlace, scaleWithModel, squaredDistance, toRows, trainingMatrix } from './checks.ts';

/**
 * Options of {@link Dbscan.fit}.
 *
 * @example
 * ```ts
 * import type { DbscanOptions } from '@crm/segment';
 * const options: DbscanOptions = { eps: 0.5, minSamples: 5 };
 * ```
 */
export interface DbscanOptions {
  /** Neighbourhood radius in the units of X (required, > 0); rows at distance ≤ eps are neighbours. */
  readonly eps: number;
  /** Neighbours (the row itself included) that make a row a core row (default 5, as scikit-learn). */
  readonly minSamples?: number;
  /**
   * Most ordered pairs of rows the fit may compare, n² (default 400,000,000: n = 20,000; the fit
   * computes up to 2n² distances, as neighbourhoods are recomputed rather than stored). A larger X
   * is refused with `limit_exceeded` before any work; raise this to allow it. A limit, not a
   * hyper-parameter: it is not echoed in `options` or saved in JSON.
   */
  readonly maxPairs?: number;
}

/**
 * The hyper-parameters a fitted {@link Dbscan} echoes back and saves: {@link DbscanOptions}
 * without the cost limit, defaults filled in.
 *
 * @example
 * ```ts
 * import { Dbscan, type DbscanSettings } from '@crm/segment';
 * const settings: DbscanSettings = Dbscan.fit([[0, 0], [0, 1], [9, 9]], { eps: 2 }).options;
 * settings.minSamples; // 5
 * ```
 */
export type DbscanSettings = Required<Omit<DbscanOptions, 'maxPairs'>>;

/**
 * JSON form of a fitted {@link Dbscan}.
 *
 * @example
 * ```ts
 * import { Dbscan, type DbscanJson } from '@crm/segment';
 * const json: DbscanJson = Dbscan.fit([[0, 0], [0, 1], [9, 9]], { eps: 2, minSamples: 2 }).toJSON();
 * json.labels; // [0, 0, -1]
 * ```
 */
export interface DbscanJson {
  /** Always `'crm.segment.dbscan'`. */
  readonly kind: 'crm.segment.dbscan';
  /** Format version, 1. */
  readonly version: 1;
  /** The options the model was fitted with, defaults filled in. */
  readonly options: DbscanSettings;
  /** Cluster of each training row, -1 for noise. */
  readonly labels: number[];
  /** Indices of the core rows. */
  readonly coreIndices: number[];
  /** The core rows themselves (used by `predict`). */
  readonly coreRows: number[][];
}

const KIND = 'crm.segment.dbscan';
const DEFAULT_MIN_SAMPLES = 5;
/** Default limit on n²: 20,000 rows, up to 8e8 distance evaluations. */
const DEFAULT_MAX_PAIRS = 400_000_000;

/**
 * DBSCAN, density-based clustering (Ester et al. 1996): rows with at least `minSamples` rows within
 * `eps` are core rows; core rows within `eps` of each other share a cluster, and rows within `eps` of
 * a core row join its cluster (the first such cluster, as in scikit-learn); the rest are noise (-1).
 * The number of clusters is found, not chosen. Same labels as scikit-learn's `DBSCAN` with Euclidean
 * distance. O(n² · d) time, O(n) memory (neighbourhoods are recomputed, not stored); n² is bounded by
 * `maxPairs` (default 400,000,000, n = 20,000) before any work starts. Rows of any finite magnitude
 * are compared correctly (data beyond 2^±400 is rescaled internally by an exact power of two).
 *
 * Scale the columns first: eps is one radius for all of them.
 *
 * @example
 * ```ts
 * import { Dbscan } from '@crm/segment';
 * const X = [[1, 1], [1, 2], [2, 1], [8, 8], [8, 9], [9, 8], [30, 30]];
 * const model = Dbscan.fit(X, { eps: 1.5, minSamples: 3 });
 * model.labels;              // [0, 0, 0, 1, 1, 1, -1]: two clusters and one outlier
 * model.predict([[1.5, 1.5]]); // [0]
 * ```
 * @throws {CrmError} `invalid_input` for empty, ragged or non-finite X; `degenerate_data` for a
 * constant column; `invalid_argument` for a missing or non-positive eps or a bad minSamples;
 * `limit_exceeded` (at `['options', 'maxPairs']`) when n² exceeds `maxPairs`.
 * @see https://dl.acm.org/doi/10.5555/3001460.3001507
 */
export class Dbscan implements Clusterer {
  /** Model kind. */
  readonly kind: 'crm.segment.dbscan' = KIND;
  /** Options used, defaults filled in. */
  readonly options: DbscanSettings;
  /** Cluster of each training row (0 … clusterCount - 1), -1 for noise. */
  readonly labels: readonly number[];
  /** Indices of the core rows, increasing. */
  readonly coreIndices: readonly number[];
  /** Number of clusters found. */
  readonly clusterCount: number;
  /** Number of training rows labelled noise. */
  readonly noiseCount: number;
  readonly #core: Float64Array;
  readonly #coreLabels: Int32Array;
  readonly #cols: number;

  private constructor(options: DbscanSettings, labels: number[], coreIndices: number[], core: Float64Array, cols: number) {
    this.options = { ...options };
    this.labels = labels;
    this.coreIndices = coreIndices;
    this.#core = core;
    this.#cols = cols;
    this.#coreLabels = Int32Array.from(coreIndices, (i) => labels[i] as number);
    let clusters = 0;
    let noise = 0;
    for (const l of labels) {
      if (l < 0) noise++;
      else if (l + 1 > clusters) clusters = l + 1;
    }
    this.clusterCount = clusters;
    this.noiseCount = noise;
    freezeModel(this);
  }

  /**
   * Clusters the rows of `X`.
   *
   * @example
   * ```ts
   * import { Dbscan } from '@crm/segment';
   * Dbscan.fit([[0, 0], [0, 1], [1, 0], [10, 10]], { eps: 1.5, minSamples: 2 }).labels; // [0, 0, 0, -1]
   * ```
   */
  static fit(X: readonly ArrayLike<number>[], options: DbscanOptions): Dbscan {
    const o = readOptions(options, ['eps', 'minSamples', 'maxPairs'], 'Dbscan.fit');
    if (o.eps === undefined) {
      throw new CrmError('invalid_argument', 'Dbscan.fit needs options.eps, the neighbourhood radius in the units of X', ['options', 'eps']);
    }
    const opts: DbscanSettings = {
      eps: numberOption(o, 'eps', 0, { min: 0, minExclusive: true }),
      minSamples: numberOption(o, 'minSamples', DEFAULT_MIN_SAMPLES, { min: 1, integer: true }),
    };
    const maxPairs = numberOption(o, 'maxPairs', DEFAULT_MAX_PAIRS, { min: 0 });
    const { data: original, rows: n, cols: d } = trainingMatrix(X, 1);
    checkCost(n * n, maxPairs, 'maxPairs', `DBSCAN of ${n} rows (every row against every row)`, 'pairs of rows');
    // Distances at any magnitude: compare on an exactly rescaled copy, in the units of X.
    const scale = distanceScale(maxAbs(original));
    const data = scale === 1 ? original : scaleInPlace(Float64Array.from(original), scale);
    const eps = opts.eps;
    const isNeighbour = (i: number, j: number): boolean => Math.sqrt(squaredDistance(data, i, data, j, d)) / scale <= eps;
    const isCore = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let count = 0;
      for (let j = 0; j < n && count < opts.minSamples; j++) if (isNeighbour(i, j)) count++;
      if (count >= opts.minSamples) isCore[i] = 1;
    }
    const labels = new Array<number>(n).fill(-1);
    const stack: number[] = [];
    let cluster = 0;
    for (let i = 0; i < n; i++) {
      if (labels[i] !== -1 || isCore[i] === 0) continue;
      labels[i] = cluster;
      stack.push(i);
      // Each cluster is finished before the next starts, so a border row goes to the first cluster that reaches it.
      while (stack.length > 0) {
        const p = stack.pop() as number;
        for (let j = 0; j < n; j++) {
          if (labels[j] !== -1 || !isNeighbour(p, j)) continue;
          labels[j] = cluster;
          if (isCore[j] === 1) stack.push(j);
        }
      }
      cluster++;
    }
    const coreIndices: number[] = [];
    for (let i = 0; i < n; i++) if (isCore[i] === 1) coreIndices.push(i);
    const core = new Float64Array(coreIndices.length * d);
    coreIndices.forEach((i, c) => core.set(original.subarray(i * d, i * d + d), c * d));
    return new Dbscan(opts, labels, coreIndices, core, d);
  }

  /**
   * Restores a model saved with {@link Dbscan.toJSON}, checking every field.
   *
   * @throws {CrmError} `invalid_json` for anything that is not a version-1 DBSCAN model.
   * @example
   * ```ts
   * import { Dbscan } from '@crm/segment';
   * const model = Dbscan.fit([[0, 0], [0, 1], [1, 0], [10, 10]], { eps: 1.5, minSamples: 2 });
   * Dbscan.fromJSON(JSON.parse(JSON.stringify(model))).predict([[0.5, 0.5]]); // [0]
   * ```
   */
  static fromJSON(json: unknown): Dbscan {
    const obj = readModelJson(json, KIND, 1);
    const o = readObject(ownValue(obj, 'options'), ['options']);
    const eps = readNumber(o, 'eps', ['options'], { min: 0, minExclusive: true });
    const minSamples = readNumber(o, 'minSamples', ['options'], { min: 1, integer: true });
    const labels = readNumberArray(obj, 'labels');
    const n = labels.length;
    if (n === 0) throw new CrmError('invalid_json', 'labels must not be empty', ['labels']);
    const coreIndices = readNumberArray(obj, 'coreIndices');
    const rawRows = ownValue(obj, 'coreRows');
    if (!Array.isArray(rawRows) || rawRows.length !== coreIndices.length) {
      throw new CrmError('invalid_json', 'coreRows must hold one row per core index', ['coreRows']);
    }
    let d = -1;
    const rows: number[][] = [];
    for (let c = 0; c < rawRows.length; c++) {
      const row = readNumberArray(rawRows as unknown as Record<string, unknown>, String(c), ['coreRows'], d < 0 ? undefined : d);
      if (row.length === 0) throw new CrmError('invalid_json', 'coreRows must have at least one column', ['coreRows', c]);
      d = row.length;
      rows.push(row);
    }
    let previous = -1;
    coreIndices.forEach((i, c) => {
      if (!Number.isInteger(i) || i <= previous || i >= n || (labels[i] as number) < 0) {
        throw new CrmError('invalid_json', 'coreIndices must be increasing row indices of clustered rows', ['coreIndices', c]);
      }
      previous = i;
    });
    const coreCount = new Set(coreIndices.map((i) => labels[i])).size;
    labels.forEach((l, i) => {
      if (!Number.isInteger(l) || l < -1 || l >= coreCount) {
        throw new CrmError('invalid_json', `labels[${i}] must be -1 or a cluster with a core row`, ['labels', i]);
      }
    });
    if (coreIndices.length === 0) d = 0;
    const core = new Float64Array(coreIndices.length * Math.max(d, 0));
    rows.forEach((r, c) => core.set(r, c * d));
    return new Dbscan({ eps, minSamples }, labels, coreIndices, core, d);
  }

  /**
   * Cluster of each new row: that of the nearest core row within `eps`, or -1 (noise) when no core
   * row is that close. O(n · cores · d).
   *
   * @throws {CrmError} `invalid_input` when X is empty, ragged, non-finite or has the wrong number of columns.
   * @example
   * ```ts
   * import { Dbscan } from '@crm/segment';
   * const model = Dbscan.fit([[0, 0], [0, 1], [1, 0], [10, 10]], { eps: 1.5, minSamples: 2 });
   * model.predict([[0.2, 0.3], [5, 5]]); // [0, -1]
   * ```
   */
  predict(X: readonly ArrayLike<number>[]): number[] {
    const cores = this.#coreLabels.length;
    const m = toDenseMatrix(X, cores > 0 ? { cols: this.#cols } : {});
    const { scale, model: core } = scaleWithModel(m.data, this.#core);
    const out = new Array<number>(m.rows).fill(-1);
    for (let i = 0; i < m.rows; i++) {
      let best = Infinity;
      for (let c = 0; c < cores; c++) {
        const dist = Math.sqrt(squaredDistance(m.data, i, core, c, this.#cols)) / scale;
        if (dist <= this.options.eps && dist < best) {
          best = dist;
          out[i] = this.#coreLabels[c] as number;
        }
      }
    }
    return out;
  }

  /**
   * Plain JSON data for {@link Dbscan.fromJSON}.
   *
   * @example
   * ```ts
   * import { Dbscan } from '@crm/segment';
   * Dbscan.fit([[0, 0], [0, 1], [9, 9]], { eps: 2, minSamples: 2 }).toJSON().coreIndices; // [0, 1]
   * ```
   */
  toJSON(): DbscanJson {
    return {
      kind: KIND,
      version: 1,
      options: { ...this.options },
      labels: [...this.labels],
      coreIndices: [...this.coreIndices],
      coreRows: toRows(this.#core, this.#coreLabels.length, this.#cols),
    };
  }
}
