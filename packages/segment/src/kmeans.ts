import {
  CrmError,
  checkCost,
  createRng,
  enumOption,
  finiteResult,
  freezeModel,
  numberOption,
  ownValue,
  readModelJson,
  readNumber,
  readNumberArray,
  readObject,
  readOptions,
  toDenseMatrix,
  type Rng,
} from '@crm/core';
import type { Clusterer } from './clusterer.ts';
import { distanceScale, maxAbs, scaleInPlace, scaleWithModel, toRows, trainingMatrix } from './checks.ts';

/**
 * Options of {@link KMeans.fit}.
 *
 * @example
 * ```ts
 * import type { KMeansOptions } from '@crm/segment';
 * const options: KMeansOptions = { k: 5, restarts: 10, seed: 42 };
 * ```
 */
export interface KMeansOptions {
  /** Number of clusters (required), 1 ≤ k ≤ number of rows. */
  readonly k: number;
  /** Independent k-means++ starts; the one with the lowest inertia is kept (default 10, as scikit-learn 1.2's `n_init`). */
  readonly restarts?: number;
  /** Lloyd iterations per start at most (default 300). */
  readonly maxIterations?: number;
  /**
   * Convergence tolerance, relative to the data: a start stops when the squared movement of all
   * centroids in one iteration is at most `tolerance` × the mean column variance (default 1e-4, as
   * scikit-learn), or when no row changes cluster.
   */
  readonly tolerance?: number;
  /** Seed of the random starts (default 0). */
  readonly seed?: number;
  /** Initialisation: `'kmeans++'` (greedy k-means++, default) or `'random'` (k distinct rows). */
  readonly init?: 'kmeans++' | 'random';
  /**
   * Most row-to-centre distance evaluations the fit may need in the worst case,
   * restarts · n · k · (maxIterations + 3 + ln k) (default 1e10, about a minute at d = 8 on a slow
   * machine; typical fits stop long before `maxIterations`). A larger problem is refused with
   * `limit_exceeded` before any work; raise this to allow it. A limit, not a hyper-parameter: it is
   * not echoed in `options` or saved in JSON.
   */
  readonly maxDistances?: number;
}

/**
 * The hyper-parameters a fitted {@link KMeans} echoes back and saves: {@link KMeansOptions}
 * without the cost limit, defaults filled in.
 *
 * @example
 * ```ts
 * import { KMeans, type KMeansSettings } from '@crm/segment';
 * const settings: KMeansSettings = KMeans.fit([[1, 1], [8, 8], [9, 8]], { k: 2 }).options;
 * settings.restarts; // 10
 * ```
 */
export type KMeansSettings = Required<Omit<KMeansOptions, 'maxDistances'>>;

/**
 * JSON form of a fitted {@link KMeans}.
 *
 * @example
 * ```ts
 * import { KMeans, type KMeansJson } from '@crm/segment';
 * const json: KMeansJson = KMeans.fit([[1, 1], [8, 8], [9, 8]], { k: 2 }).toJSON();
 * json.centroids; // 2 rows
 * ```
 */
export interface KMeansJson {
  /** Always `'crm.segment.kmeans'`. */
  readonly kind: 'crm.segment.kmeans';
  /** Format version, 1. */
  readonly version: 1;
  /** The options the model was fitted with, defaults filled in. */
  readonly options: KMeansSettings;
  /** Cluster centres, k rows. */
  readonly centroids: number[][];
  /** Cluster of each training row. */
  readonly labels: number[];
  /** Sum of squared distances of the training rows to their centroid. */
  readonly inertia: number;
  /** Lloyd iterations of the kept start. */
  readonly iterations: number;
  /** Whether the kept start converged before `maxIterations`. */
  readonly converged: boolean;
}

const KIND = 'crm.segment.kmeans';
const OPTION_KEYS = ['k', 'restarts', 'maxIterations', 'tolerance', 'seed', 'init', 'maxDistances'] as const;
const INITS: readonly ('kmeans++' | 'random')[] = ['kmeans++', 'random'];
/** Worst-case distance evaluations allowed by default (see {@link KMeansOptions.maxDistances}). */
const DEFAULT_MAX_DISTANCES = 1e10;
const DEFAULT_RESTARTS = 10;
const DEFAULT_MAX_ITERATIONS = 300;
const DEFAULT_TOLERANCE = 1e-4;

interface Run {
  centroids: Float64Array;
  labels: Int32Array;
  inertia: number;
  iterations: number;
  converged: boolean;
}

/**
 * k-means clustering (Lloyd's algorithm) with greedy k-means++ starts (Arthur & Vassilvitskii 2007,
 * with scikit-learn's 2 + ⌊ln k⌋ candidate centres per step), several restarts keeping the lowest
 * inertia, and empty clusters re-seeded at the row farthest from its centre. Cost O(restarts ·
 * iterations · n · k · d) time, O(n + k·d) memory beyond the copy of X; the worst case is bounded
 * by `maxDistances` (default 1e10 distance evaluations) before any work starts.
 *
 * Data of any finite magnitude is clustered correctly: rows too large (above 2^400) or too small
 * for squared distances in double precision are rescaled internally by a power of two, which is
 * exact, and results are reported in the units of X.
 *
 * @example
 * ```ts
 * import { KMeans } from '@crm/segment';
 * const X = [[15, 39], [15, 81], [16, 6], [16, 77], [17, 40], [120, 79], [126, 28], [137, 18], [137, 83]];
 * const model = KMeans.fit(X, { k: 3, seed: 42 });
 * model.labels;              // cluster of each customer
 * model.centroids;           // k rows of column means
 * model.inertia;             // within-cluster sum of squares
 * model.predict([[20, 60]]); // cluster of a new customer
 * ```
 * @throws {CrmError} `invalid_input` for empty, ragged or non-finite X; `degenerate_data` for a
 * constant column, k > n, or fewer distinct rows than k; `invalid_argument` for bad options;
 * `limit_exceeded` (at `['options', 'maxDistances']`) when the worst case exceeds `maxDistances`;
 * `non_finite_result` when the inertia itself exceeds the largest double (rows near 1e154 and beyond).
 * @see https://doi.org/10.1145/1283383.1283494
 */
export class KMeans implements Clusterer {
  /** Model kind. */
  readonly kind: 'crm.segment.kmeans' = KIND;
  /** Options used, defaults filled in. */
  readonly options: KMeansSettings;
  /** Cluster centres: k rows of d numbers. */
  readonly centroids: readonly (readonly number[])[];
  /** Cluster of each training row (0 … k-1). */
  readonly labels: readonly number[];
  /** Sum of squared Euclidean distances of the training rows to their centroid. */
  readonly inertia: number;
  /** Lloyd iterations of the kept start. */
  readonly iterations: number;
  /** Whether the kept start converged (tolerance reached or assignments stable) within `maxIterations`. */
  readonly converged: boolean;
  /** Number of clusters, k. */
  readonly clusterCount: number;
  readonly #flat: Float64Array;
  readonly #cols: number;

  private constructor(options: KMeansSettings, centroids: Float64Array, cols: number, labels: number[], inertia: number, iterations: number, converged: boolean) {
    this.options = { ...options };
    this.#flat = centroids;
    this.#cols = cols;
    this.clusterCount = options.k;
    this.centroids = toRows(centroids, options.k, cols);
    this.labels = labels;
    this.inertia = inertia;
    this.iterations = iterations;
    this.converged = converged;
    freezeModel(this);
  }

  /**
   * Fits k-means to the rows of `X`.
   *
   * @example
   * ```ts
   * import { KMeans } from '@crm/segment';
   * const model = KMeans.fit([[1, 1], [1, 2], [8, 8], [9, 8]], { k: 2, restarts: 5, seed: 7 });
   * model.converged; // true
   * ```
   */
  static fit(X: readonly ArrayLike<number>[], options: KMeansOptions): KMeans {
    const o = readOptions(options, OPTION_KEYS, 'KMeans.fit');
    if (o.k === undefined) {
      throw new CrmError('invalid_argument', 'KMeans.fit needs options.k, the number of clusters', ['options', 'k']);
    }
    const opts: KMeansSettings = {
      k: numberOption(o, 'k', 0, { min: 1, integer: true }),
      restarts: numberOption(o, 'restarts', DEFAULT_RESTARTS, { min: 1, integer: true }),
      maxIterations: numberOption(o, 'maxIterations', DEFAULT_MAX_ITERATIONS, { min: 1, integer: true }),
      tolerance: numberOption(o, 'tolerance', DEFAULT_TOLERANCE, { min: 0 }),
      seed: numberOption(o, 'seed', 0),
      init: enumOption(o, 'init', 'kmeans++', INITS),
    };
    const maxDistances = numberOption(o, 'maxDistances', DEFAULT_MAX_DISTANCES, { min: 0 });
    const m = trainingMatrix(X, 1);
    if (opts.k > m.rows) {
      throw new CrmError('degenerate_data', `k (${opts.k}) exceeds the number of rows of X (${m.rows}): choose k ≤ ${m.rows}`, ['options', 'k']);
    }
    const { data, rows: n, cols: d } = m;
    checkCost(
      worstCaseDistances(n, opts.k, opts.restarts, opts.maxIterations),
      maxDistances,
      'maxDistances',
      `KMeans.fit with k = ${opts.k}, ${opts.restarts} restart(s) and up to ${opts.maxIterations} iterations on ${n} rows`,
      'distance evaluations',
    );
    // Same comparisons at any magnitude: the copy of X is rescaled exactly, results are scaled back.
    const scale = distanceScale(maxAbs(data));
    scaleInPlace(data, scale);
    const tol = opts.tolerance * meanColumnVariance(data, n, d);
    // No two points of the data's bounding box are farther apart than this.
    const reach = 2 * Math.sqrt(d) * maxAbs(data);
    const rng = createRng(opts.seed);
    let best: Run | undefined;
    for (let r = 0; r < opts.restarts; r++) {
      const startRng = rng.split();
      const init = opts.init === 'kmeans++' ? kmeansPlusPlus(data, n, d, opts.k, startRng, reach) : randomRows(data, n, d, opts.k, startRng);
      const run = lloyd(data, n, d, opts.k, init, opts.maxIterations, tol, reach);
      if (best === undefined || run.inertia < best.inertia) best = run;
    }
    const b = best as Run;
    const inertia = finiteResult(b.inertia / scale / scale, 'the k-means inertia (sum of squared distances)', ['X']);
    return new KMeans(opts, scaleInPlace(b.centroids, 1 / scale), d, Array.from(b.labels), inertia, b.iterations, b.converged);
  }

  /**
   * Restores a model saved with {@link KMeans.toJSON}, checking every field.
   *
   * @throws {CrmError} `invalid_json` for anything that is not a version-1 k-means model.
   * @example
   * ```ts
   * import { KMeans } from '@crm/segment';
   * const model = KMeans.fit([[1, 1], [1, 2], [8, 8], [9, 8]], { k: 2 });
   * const copy = KMeans.fromJSON(JSON.parse(JSON.stringify(model)));
   * copy.predict([[8, 9]]); // same as model.predict([[8, 9]])
   * ```
   */
  static fromJSON(json: unknown): KMeans {
    const obj = readModelJson(json, KIND, 1);
    const o = readObject(ownValue(obj, 'options'), ['options']);
    const positiveInteger = { min: 1, integer: true };
    const k = readNumber(o, 'k', ['options'], positiveInteger);
    const restarts = readNumber(o, 'restarts', ['options'], positiveInteger);
    const maxIterations = readNumber(o, 'maxIterations', ['options'], positiveInteger);
    const tolerance = readNumber(o, 'tolerance', ['options'], { min: 0 });
    const seed = readNumber(o, 'seed', ['options']);
    const init = ownValue(o, 'init');
    if (init !== 'kmeans++' && init !== 'random') throw new CrmError('invalid_json', "options.init must be 'kmeans++' or 'random'", ['options', 'init']);
    const rawCentroids = ownValue(obj, 'centroids');
    if (!Array.isArray(rawCentroids) || rawCentroids.length !== k) {
      throw new CrmError('invalid_json', `centroids must be an array of ${k} rows`, ['centroids']);
    }
    let d = -1;
    const rows: number[][] = [];
    for (let c = 0; c < k; c++) {
      const row = readNumberArray(rawCentroids as unknown as Record<string, unknown>, String(c), ['centroids'], d < 0 ? undefined : d);
      if (row.length === 0) throw new CrmError('invalid_json', 'centroids must have at least one column', ['centroids', c]);
      d = row.length;
      rows.push(row);
    }
    const flat = new Float64Array(k * d);
    rows.forEach((r, c) => flat.set(r, c * d));
    const labels = readNumberArray(obj, 'labels');
    labels.forEach((l, i) => {
      if (!Number.isInteger(l) || l < 0 || l >= k) throw new CrmError('invalid_json', `labels[${i}] must be an integer in [0, ${k})`, ['labels', i]);
    });
    const inertia = readNumber(obj, 'inertia', [], { min: 0 });
    const iterations = readNumber(obj, 'iterations', [], { min: 1, max: maxIterations, integer: true });
    const converged = ownValue(obj, 'converged');
    if (typeof converged !== 'boolean') throw new CrmError('invalid_json', 'converged must be a boolean', ['converged']);
    return new KMeans({ k, restarts, maxIterations, tolerance, seed, init }, flat, d, labels, inertia, iterations, converged);
  }

  /**
   * Nearest centroid of each row of `X` (ties go to the lower cluster index). O(n · k · d).
   *
   * @throws {CrmError} `invalid_input` when X is empty, ragged, non-finite or has the wrong number of columns.
   * @example
   * ```ts
   * import { KMeans } from '@crm/segment';
   * const model = KMeans.fit([[1, 1], [1, 2], [8, 8], [9, 8]], { k: 2 });
   * model.predict([[0, 0], [10, 10]]); // two different clusters
   * ```
   */
  predict(X: readonly ArrayLike<number>[]): number[] {
    const m = toDenseMatrix(X, { cols: this.#cols });
    const { model: centroids } = scaleWithModel(m.data, this.#flat);
    const out = new Array<number>(m.rows);
    for (let i = 0; i < m.rows; i++) out[i] = nearest(m.data, i, centroids, this.clusterCount, this.#cols).index;
    return out;
  }

  /**
   * Plain JSON data for {@link KMeans.fromJSON}.
   *
   * @example
   * ```ts
   * import { KMeans } from '@crm/segment';
   * const json = KMeans.fit([[1, 1], [8, 8], [9, 8]], { k: 2 }).toJSON();
   * json.kind; // 'crm.segment.kmeans'
   * ```
   */
  toJSON(): KMeansJson {
    return {
      kind: KIND,
      version: 1,
      options: { ...this.options },
      centroids: this.centroids.map((r) => [...r]),
      labels: [...this.labels],
      inertia: this.inertia,
      iterations: this.iterations,
      converged: this.converged,
    };
  }
}

/** Row-to-centre distances of the slowest possible fit: k-means++ starts plus maxIterations + 1 assignment passes per restart. */
function worstCaseDistances(n: number, k: number, restarts: number, maxIterations: number): number {
  const seedingTrials = 2 + Math.log(k);
  return restarts * n * k * (maxIterations + 1 + seedingTrials);
}

function meanColumnVariance(data: Float64Array, n: number, d: number): number {
  let total = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + j] as number;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const t = (data[i * d + j] as number) - mean;
      v += t * t;
    }
    total += v / n;
  }
  return total / d;
}

function sqDist(x: Float64Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  const xi = i * d;
  const cj = j * d;
  for (let t = 0; t < d; t++) {
    const diff = (x[xi + t] as number) - (c[cj + t] as number);
    s += diff * diff;
  }
  return s;
}

function nearest(x: Float64Array, i: number, centroids: Float64Array, k: number, d: number): { index: number; dist: number } {
  let index = 0;
  let dist = Infinity;
  for (let c = 0; c < k; c++) {
    const s = sqDist(x, i, centroids, c, d);
    if (s < dist) {
      dist = s;
      index = c;
    }
  }
  return { index, dist };
}

function fewerDistinctRows(k: number): CrmError {
  return new CrmError('degenerate_data', `X has fewer than k = ${k} distinct rows (rows at a squared distance that rounds to 0 count as one): choose a smaller k`, ['options', 'k']);
}

/**
 * Greedy k-means++ as scikit-learn does it: 2 + ⌊ln k⌋ candidates per step, keep the one that
 * lowers the potential most. Each row remembers its closest centre so far; by the triangle
 * inequality a row whose centre is more than twice its own distance (plus a slack above rounding)
 * from the candidate cannot get closer to the candidate, and its distance is not computed. Every
 * computed value and sum is the one plain seeding computes.
 */
function kmeansPlusPlus(x: Float64Array, n: number, d: number, k: number, rng: Rng, reach: number): Float64Array {
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(0, n);
  centers.set(x.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  const root = new Float64Array(n);
  const owner = new Int32Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    const s = sqDist(x, i, centers, 0, d);
    closest[i] = s;
    root[i] = Math.sqrt(s);
    pot += s;
  }
  const slack = 16 * (d + 5) * Number.EPSILON * reach;
  const gap = new Float64Array(k);
  const cumulative = new Float64Array(n);
  let candidate = new Float64Array(n);
  let bestCandidate = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    if (!(pot > 0)) throw fewerDistinctRows(k);
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += closest[i] as number;
      cumulative[i] = acc;
    }
    let bestPot = Infinity;
    let bestId = -1;
    for (let t = 0; t < trials; t++) {
      const id = searchSorted(cumulative, rng.uniform() * acc);
      // Twice each row's distance must stay below the candidate's distance to the row's centre.
      for (let j = 0; j < c; j++) gap[j] = Math.sqrt(sqDist(x, id, centers, j, d)) - slack;
      const p = potentialWith(x, n, d, id, closest, root, owner, gap, candidate);
      if (p < bestPot) {
        bestPot = p;
        bestId = id;
        const swap = bestCandidate;
        bestCandidate = candidate;
        candidate = swap;
      }
    }
    centers.set(x.subarray(bestId * d, bestId * d + d), c * d);
    for (let i = 0; i < n; i++) {
      const v = bestCandidate[i] as number;
      if (v < (closest[i] as number)) {
        closest[i] = v;
        root[i] = Math.sqrt(v);
        owner[i] = c;
      }
    }
    pot = bestPot;
  }
  return centers;
}

/** Each row's squared distance to the nearer of its closest centre and row `id`, into `out`; returns their sum. */
function potentialWith(
  x: Float64Array,
  n: number,
  d: number,
  id: number,
  closest: Float64Array,
  root: Float64Array,
  owner: Int32Array,
  gap: Float64Array,
  out: Float64Array,
): number {
  const off = id * d;
  let p = 0;
  for (let i = 0, xi = 0; i < n; i++, xi += d) {
    const c = closest[i] as number;
    let v = c;
    const r = root[i] as number;
    if (r + r >= (gap[owner[i] as number] as number)) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = (x[xi + t] as number) - (x[off + t] as number);
        s += diff * diff;
      }
      if (s < c) v = s;
    }
    out[i] = v;
    p += v;
  }
  return p;
}

/** First index whose cumulative sum exceeds `value`, skipping zero-weight rows; clipped to n - 1. */
function searchSorted(cumulative: Float64Array, value: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] as number) > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function randomRows(x: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  // Distinct rows by value, so no two starting centres coincide.
  const centers = new Float64Array(k * d);
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  let found = 0;
  for (const i of order) {
    let duplicate = false;
    for (let c = 0; c < found && !duplicate; c++) duplicate = sqDist(x, i, centers, c, d) === 0;
    if (duplicate) continue;
    centers.set(x.subarray(i * d, i * d + d), found * d);
    if (++found === k) return centers;
  }
  throw fewerDistinctRows(k);
}

/**
 * Lloyd's iterations with Hamerly's bounds (Hamerly 2010): each row keeps an upper bound on the
 * distance to its own centre and a lower bound on the distance to any other, and the exact
 * distances are computed only where the bounds cannot rule out a change of cluster. The bounds are
 * widened by a slack above the rounding error they can have gathered (each distance is within
 * (d + 5)·ε·reach of its exact value, and a bound gains at most one such error per iteration), so
 * a row is skipped only when the brute-force pass would certainly keep it where it is; every other
 * row gets the same brute-force pass, ties to the lower index. Labels, centres, iterations and
 * inertia are therefore those of plain Lloyd, bit for bit.
 */
function lloyd(x: Float64Array, n: number, d: number, k: number, init: Float64Array, maxIterations: number, tol: number, reach: number): Run {
  let centers: Float64Array = init;
  let next: Float64Array = new Float64Array(k * d);
  const labels = new Int32Array(n).fill(-1);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const half = new Float64Array(k);
  const moved = new Float64Array(k);
  const counts = new Float64Array(k);
  let iterations = 0;
  let strict = false;
  let converged = false;
  for (let it = 0; it < maxIterations; it++) {
    iterations = it + 1;
    let changed = false;
    if (it > 0) halfGaps(centers, k, d, half);
    const slack = 8 * (it + 1) * (d + 5) * Number.EPSILON * reach;
    for (let i = 0; i < n; i++) {
      const a = labels[i] as number;
      const xi = i * d;
      if (a >= 0) {
        const bound = Math.max(half[a] as number, lower[i] as number);
        if ((upper[i] as number) + slack < bound) continue;
        let s = 0;
        const ca = a * d;
        for (let t = 0; t < d; t++) {
          const diff = (x[xi + t] as number) - (centers[ca + t] as number);
          s += diff * diff;
        }
        const u = Math.sqrt(s);
        upper[i] = u;
        if (u + slack < bound) continue;
      }
      // Brute force over every centre, as plain Lloyd: the first strict minimum wins.
      let best = Infinity;
      let second = Infinity;
      let index = 0;
      for (let c = 0; c < k; c++) {
        let s = 0;
        const cc = c * d;
        for (let t = 0; t < d; t++) {
          const diff = (x[xi + t] as number) - (centers[cc + t] as number);
          s += diff * diff;
        }
        if (s < best) {
          second = best;
          best = s;
          index = c;
        } else if (s < second) {
          second = s;
        }
      }
      if (a !== index) {
        labels[i] = index;
        changed = true;
      }
      upper[i] = Math.sqrt(best);
      lower[i] = Math.sqrt(second);
    }
    const relocated = updateCenters(x, n, d, k, labels, centers, next, counts);
    if (relocated.length > 0) {
      changed = true;
      // A row moved into an empty cluster is measured afresh in the next pass.
      for (const i of relocated) {
        upper[i] = Infinity;
        lower[i] = 0;
      }
    }
    if (!changed) {
      // Assignments are stable, so the centres did not move either.
      strict = true;
      converged = true;
      break;
    }
    let shift = 0;
    for (let t = 0; t < k * d; t++) {
      const diff = (next[t] as number) - (centers[t] as number);
      shift += diff * diff;
    }
    moveBounds(centers, next, k, d, labels, n, upper, lower, moved);
    const swap = centers;
    centers = next;
    next = swap;
    if (shift <= tol) {
      converged = true;
      break;
    }
  }
  let inertia = 0;
  if (!strict) {
    // Final assignment step so labels, centroids and inertia agree with each other.
    for (let i = 0; i < n; i++) {
      const { index, dist: s } = nearest(x, i, centers, k, d);
      labels[i] = index;
      inertia += s;
    }
  } else {
    for (let i = 0; i < n; i++) inertia += sqDist(x, i, centers, labels[i] as number, d);
  }
  return { centroids: centers, labels, inertia, iterations, converged };
}

/** Half the distance from each centre to its nearest other centre (Infinity when k = 1). */
function halfGaps(centers: Float64Array, k: number, d: number, half: Float64Array): void {
  half.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const g = 0.5 * Math.sqrt(sqDist(centers, a, centers, b, d));
      if (g < (half[a] as number)) half[a] = g;
      if (g < (half[b] as number)) half[b] = g;
    }
  }
}

/** Moves the bounds by how far the centres moved: the own centre's step up, the largest other step down. */
function moveBounds(
  from: Float64Array,
  to: Float64Array,
  k: number,
  d: number,
  labels: Int32Array,
  n: number,
  upper: Float64Array,
  lower: Float64Array,
  moved: Float64Array,
): void {
  let first = -1;
  let top = 0;
  let runnerUp = 0;
  for (let c = 0; c < k; c++) {
    const p = Math.sqrt(sqDist(to, c, from, c, d));
    moved[c] = p;
    if (p > top) {
      runnerUp = top;
      top = p;
      first = c;
    } else if (p > runnerUp) {
      runnerUp = p;
    }
  }
  for (let i = 0; i < n; i++) {
    const a = labels[i] as number;
    upper[i] = (upper[i] as number) + (moved[a] as number);
    lower[i] = (lower[i] as number) - (a === first ? runnerUp : top);
  }
}

/**
 * New centres as the means of their rows. An empty cluster takes the row farthest from its own
 * centre (as scikit-learn relocates them); returns the rows so moved.
 */
function updateCenters(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  labels: Int32Array,
  centers: Float64Array,
  out: Float64Array,
  counts: Float64Array,
): number[] {
  const relocated: number[] = [];
  out.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const c = labels[i] as number;
    counts[c]++;
    const xi = i * d;
    const oc = c * d;
    for (let t = 0; t < d; t++) out[oc + t] += x[xi + t] as number;
  }
  let dist: Float64Array | undefined;
  for (let c = 0; c < k; c++) {
    if ((counts[c] as number) > 0) continue;
    if (dist === undefined) {
      dist = new Float64Array(n);
      for (let i = 0; i < n; i++) dist[i] = sqDist(x, i, centers, labels[i] as number, d);
    }
    let far = -1;
    let farDist = -1;
    for (let i = 0; i < n; i++) {
      if ((dist[i] as number) > farDist && (counts[labels[i] as number] as number) > 1) {
        farDist = dist[i] as number;
        far = i;
      }
    }
    if (far < 0) continue;
    const from = labels[far] as number;
    counts[from]--;
    for (let t = 0; t < d; t++) out[from * d + t] -= x[far * d + t] as number;
    labels[far] = c;
    relocated.push(far);
    counts[c] = 1;
    dist[far] = 0;
    for (let t = 0; t < d; t++) out[c * d + t] = x[far * d + t] as number;
  }
  for (let c = 0; c < k; c++) {
    const cnt = counts[c] as number;
    if (cnt > 0) for (let t = 0; t < d; t++) out[c * d + t] /= cnt;
  }
  return relocated;
}
