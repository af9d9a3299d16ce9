import { CrmError, checkCost, enumOption, numberOption, readOptions, toDenseMatrix } from '@crm/core';
import { KMeans } from './kmeans.ts';
import { silhouette } from './silhouette.ts';
import { daviesBouldin } from './davies-bouldin.ts';
import { calinskiHarabasz } from './calinski-harabasz.ts';
import { rejectConstantColumns } from './checks.ts';

/**
 * Options of {@link chooseK}.
 *
 * @example
 * ```ts
 * import type { ChooseKOptions } from '@crm/segment';
 * const options: ChooseKOptions = { kRange: [2, 8], method: 'elbow', seed: 7 };
 * ```
 */
export interface ChooseKOptions {
  /** Smallest and largest k to try, inclusive (default [2, 10], capped at n - 1). */
  readonly kRange?: readonly [number, number];
  /**
   * How the k is picked (default `'silhouette'`):
   * - `'silhouette'`: the k with the highest mean silhouette;
   * - `'elbow'`: the k where the inertia curve bends most (the point farthest below the straight line
   *   from the first to the last k, both axes scaled to [0, 1]; Satopää et al. 2011). Needs ≥ 3 values of k.
   */
  readonly method?: 'elbow' | 'silhouette';
  /** Seed of the k-means starts and of the silhouette sample (default 0). */
  readonly seed?: number;
  /** k-means restarts per k (default 10). */
  readonly restarts?: number;
  /** Rows scored for the silhouette: exact when n ≤ this, else a seeded sample of this size (default 5,000). */
  readonly silhouetteSampleSize?: number;
  /**
   * Most distance evaluations the whole search may need in the worst case: for every k, the k-means
   * bound restarts · n · k · (303 + ln k) (300 iterations at most) plus min(n, silhouetteSampleSize) · n
   * for the silhouette (default 1e10, as for `KMeans.fit`). A wider kRange or a
   * larger X is refused with `limit_exceeded` before any fit; raise this to allow it.
   */
  readonly maxDistances?: number;
}

/**
 * Scores of one k in {@link chooseK}.
 *
 * @example
 * ```ts
 * import { chooseK, type KScore } from '@crm/segment';
 * const X = [[1, 1], [1, 2], [2, 1], [8, 8], [8, 9], [9, 8], [1, 9], [2, 9], [1, 8]];
 * const scores: readonly KScore[] = chooseK(X, { kRange: [2, 4] }).scores;
 * scores[0].silhouette; // for k = 2
 * ```
 */
export interface KScore {
  /** Number of clusters. */
  readonly k: number;
  /** Within-cluster sum of squares of the k-means fit. */
  readonly inertia: number;
  /** Mean silhouette (higher is better). */
  readonly silhouette: number;
  /** Davies-Bouldin index (lower is better). */
  readonly daviesBouldin: number;
  /** Calinski-Harabasz index (higher is better). */
  readonly calinskiHarabasz: number;
  /** Whether the k-means fit converged. */
  readonly converged: boolean;
}

/**
 * Result of {@link chooseK}: the chosen k and every k's scores, for a chart.
 *
 * @example
 * ```ts
 * import { chooseK, type ChooseKResult } from '@crm/segment';
 * const X = [[1, 1], [1, 2], [2, 1], [8, 8], [8, 9], [9, 8], [1, 9], [2, 9], [1, 8]];
 * const result: ChooseKResult = chooseK(X, { kRange: [2, 5] });
 * result.k; // 3
 * ```
 */
export interface ChooseKResult {
  /** The chosen number of clusters. */
  readonly k: number;
  /** The method that chose it. */
  readonly method: 'elbow' | 'silhouette';
  /** Scores of every k tried, by increasing k. */
  readonly scores: readonly KScore[];
}

const DEFAULT_RANGE: readonly [number, number] = [2, 10];
const DEFAULT_SAMPLE = 5000;
const DEFAULT_RESTARTS = 10;
/** k-means' own iteration cap, which chooseK keeps. */
const KMEANS_MAX_ITERATIONS = 300;
const DEFAULT_MAX_DISTANCES = 1e10;
const METHODS: readonly ('elbow' | 'silhouette')[] = ['elbow', 'silhouette'];
/** chooseK bounds the whole search itself, so the fits and scores inside it run without their own limit. */
const CHECKED = Number.MAX_VALUE;

/**
 * Fits k-means for each k in a range and scores every fit (inertia, silhouette, Davies-Bouldin,
 * Calinski-Harabasz), then picks k by the elbow of the inertia curve or by the best silhouette.
 * All scores are returned, so a chart can show the curve behind the choice. Cost: one k-means fit
 * (O(restarts · iterations · n · k · d)) and one silhouette (O(min(n, sample) · n · d)) per k; the
 * worst case of the whole search is checked against `maxDistances` (default 1e10) before any fit.
 *
 * @throws {CrmError} `invalid_input` / `degenerate_data` for unusable X (as {@link KMeans.fit});
 * `invalid_argument` for a bad range (k from 2 to n - 1), method or option; `limit_exceeded` (at
 * `['options', 'maxDistances']`) when the search could exceed `maxDistances`.
 * @example
 * ```ts
 * import { chooseK } from '@crm/segment';
 * const X = [[1, 1], [1, 2], [2, 1], [8, 8], [8, 9], [9, 8], [1, 9], [2, 9], [1, 8]];
 * const { k, scores } = chooseK(X, { kRange: [2, 5], method: 'silhouette', seed: 1 });
 * k;                       // 3
 * scores.map((s) => s.inertia); // falling with k
 * ```
 */
export function chooseK(X: readonly ArrayLike<number>[], options?: ChooseKOptions): ChooseKResult {
  const o = readOptions(options, ['kRange', 'method', 'seed', 'restarts', 'silhouetteSampleSize', 'maxDistances'], 'chooseK');
  const method = enumOption(o, 'method', 'silhouette', METHODS);
  const seed = numberOption(o, 'seed', 0);
  const restarts = numberOption(o, 'restarts', DEFAULT_RESTARTS, { min: 1, integer: true });
  const sampleSize = numberOption(o, 'silhouetteSampleSize', DEFAULT_SAMPLE, { min: 2, integer: true });
  const maxDistances = numberOption(o, 'maxDistances', DEFAULT_MAX_DISTANCES, { min: 0 });
  const m = toDenseMatrix(X, { minRows: 3 });
  rejectConstantColumns(m, 'X');
  const n = m.rows;
  const range = o.kRange ?? [DEFAULT_RANGE[0], Math.min(DEFAULT_RANGE[1], n - 1)];
  if (!Array.isArray(range) || range.length !== 2) {
    throw new CrmError('invalid_argument', 'kRange must be [smallest k, largest k]', ['options', 'kRange']);
  }
  const lo = range[0] as unknown;
  const hi = range[1] as unknown;
  if (typeof lo !== 'number' || typeof hi !== 'number' || !Number.isInteger(lo) || !Number.isInteger(hi) || lo < 2 || hi < lo || hi > n - 1) {
    throw new CrmError(
      'invalid_argument',
      `kRange must hold integers 2 ≤ smallest ≤ largest ≤ n - 1 = ${n - 1}, got ${JSON.stringify(range)}`,
      ['options', 'kRange'],
    );
  }
  if (method === 'elbow' && hi - lo < 2) {
    throw new CrmError('invalid_argument', 'the elbow method needs at least 3 values of k in kRange', ['options', 'kRange']);
  }
  let cost = 0;
  for (let k = lo; k <= hi; k++) cost += restarts * n * k * (KMEANS_MAX_ITERATIONS + 3 + Math.log(k)) + Math.min(n, sampleSize) * n;
  checkCost(cost, maxDistances, 'maxDistances', `chooseK over k = ${lo}…${hi} on ${n} rows`, 'distance evaluations');
  const scores: KScore[] = [];
  for (let k = lo; k <= hi; k++) {
    const model = KMeans.fit(X, { k, seed, restarts, maxDistances: CHECKED });
    const labels = model.labels;
    const clusters = new Set(labels).size;
    if (clusters < 2) {
      throw new CrmError('degenerate_data', `k-means found only ${clusters} distinct cluster(s) for k = ${k}`, ['options', 'kRange']);
    }
    scores.push({
      k,
      inertia: model.inertia,
      silhouette: silhouette(X, labels, n <= sampleSize ? { maxPairs: CHECKED } : { sampleSize, seed, maxPairs: CHECKED }),
      daviesBouldin: daviesBouldin(X, labels),
      calinskiHarabasz: calinskiHarabasz(X, labels),
      converged: model.converged,
    });
  }
  const k = method === 'silhouette' ? bestSilhouette(scores) : elbow(scores);
  return { k, method, scores };
}

function bestSilhouette(scores: readonly KScore[]): number {
  let best = scores[0] as KScore;
  for (const s of scores) if (s.silhouette > best.silhouette) best = s;
  return best.k;
}

function elbow(scores: readonly KScore[]): number {
  const first = scores[0] as KScore;
  const last = scores[scores.length - 1] as KScore;
  const spanK = last.k - first.k;
  const spanI = first.inertia - last.inertia;
  if (!(spanI > 0)) return first.k; // a flat curve has no elbow: the fewest clusters explain as much
  let best = first.k;
  let bestGap = -Infinity;
  for (const s of scores) {
    const x = (s.k - first.k) / spanK;
    const y = (first.inertia - s.inertia) / spanI; // share of the total drop achieved by this k
    const gap = y - x; // height above the chord of the (concave) normalised drop curve
    if (gap > bestGap) {
      bestGap = gap;
      best = s.k;
    }
  }
  return best;
}
