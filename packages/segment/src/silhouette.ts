import { checkCost, createRng, numberOption, readOptions } from '@crm/core';
import { metricInput } from './metric-input.ts';

/**
 * Options of {@link silhouette}.
 *
 * @example
 * ```ts
 * import type { SilhouetteOptions } from '@crm/segment';
 * const options: SilhouetteOptions = { sampleSize: 2000, seed: 1 };
 * ```
 */
export interface SilhouetteOptions {
  /**
   * Score only this many rows, drawn without replacement with `seed` (each still compared with every
   * row, so the estimate is unbiased for the exact score). Omit for the exact score.
   */
  readonly sampleSize?: number;
  /** Seed of the sample (default 0). */
  readonly seed?: number;
  /**
   * Most pairs of rows whose distance may be computed, (rows scored) · n (default 100,000,000: the
   * exact score of 10,000 rows, a few seconds). Above it the call is refused with `limit_exceeded`
   * before any work: pass `sampleSize` for a seeded estimate, or raise `maxPairs` for the exact score.
   */
  readonly maxPairs?: number;
}

/** Default pair limit: the exact silhouette of 10,000 rows. */
const DEFAULT_MAX_PAIRS = 100_000_000;

/**
 * Mean silhouette coefficient (Rousseeuw 1987) with Euclidean distances: for each row, `a` is the
 * mean distance to the other members of its cluster, `b` the smallest mean distance to another
 * cluster, and `s = (b - a) / max(a, b)` (0 for a row alone in its cluster). Ranges from -1 to 1;
 * higher is better. Same definition as scikit-learn's `silhouette_score`.
 *
 * Exact by default, as scikit-learn: O(n² · d) time and O(k) memory (distances are not stored). With
 * `sampleSize` = s: O(s · n · d). Never silently approximate and never unbounded: when s · n exceeds
 * `maxPairs` (default 100,000,000, the exact score of 10,000 rows) the call throws `limit_exceeded`
 * before any work, and you choose between a seeded `sampleSize` estimate and a higher `maxPairs`.
 * Scale-free, and computed without overflow at any magnitude of X.
 *
 * @throws {CrmError} `degenerate_data` unless 2 ≤ clusters ≤ n - 1; `invalid_input` / `invalid_labels`
 * for bad X or labels; `invalid_argument` for a bad sample size or option; `limit_exceeded` (at
 * `['options', 'maxPairs']`) when the rows scored times n exceed `maxPairs`.
 * @see https://doi.org/10.1016/0377-0427(87)90125-7
 * @example
 * ```ts
 * import { silhouette } from '@crm/segment';
 * const X = [[0, 0], [0, 1], [5, 5], [5, 6]];
 * silhouette(X, [0, 0, 1, 1]);                            // ≈ 0.86
 * silhouette(X, [0, 0, 1, 1], { sampleSize: 2, seed: 1 }); // estimate from 2 rows
 * ```
 */
export function silhouette(X: readonly ArrayLike<number>[], labels: ArrayLike<number>, options?: SilhouetteOptions): number {
  const o = readOptions(options, ['sampleSize', 'seed', 'maxPairs'], 'silhouette');
  const seed = numberOption(o, 'seed', 0);
  const maxPairs = numberOption(o, 'maxPairs', DEFAULT_MAX_PAIRS, { min: 0 });
  const { m, codes, k, sizes } = metricInput(X, labels, 'silhouette');
  const n = m.rows;
  const sampleSize = numberOption(o, 'sampleSize', n, { min: 1, max: n, integer: true });
  checkCost(
    sampleSize * n,
    maxPairs,
    'maxPairs',
    sampleSize === n ? `the exact silhouette of ${n} rows (pass sampleSize for a seeded estimate)` : `the silhouette of ${sampleSize} sampled rows against ${n}`,
    'pairs of rows',
  );
  let rowsToScore: ArrayLike<number>;
  if (sampleSize === n) {
    rowsToScore = { length: n } as ArrayLike<number>;
  } else {
    const rng = createRng(seed);
    rowsToScore = rng.sample(Array.from({ length: n }, (_, i) => i), sampleSize);
  }
  const exact = sampleSize === n;
  const { data, cols: d } = m;
  const sums = new Float64Array(k);
  let total = 0;
  for (let r = 0; r < sampleSize; r++) {
    const i = exact ? r : (rowsToScore[r] as number);
    const own = codes[i] as number;
    if ((sizes[own] as number) === 1) continue; // s = 0 for a singleton
    sums.fill(0);
    const xi = i * d;
    for (let j = 0; j < n; j++) {
      const xj = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = (data[xi + t] as number) - (data[xj + t] as number);
        s += diff * diff;
      }
      sums[codes[j] as number] += Math.sqrt(s);
    }
    const a = (sums[own] as number) / ((sizes[own] as number) - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) {
      if (c === own) continue;
      const mean = (sums[c] as number) / (sizes[c] as number);
      if (mean < b) b = mean;
    }
    const denom = Math.max(a, b);
    total += denom === 0 ? 0 : (b - a) / denom;
  }
  return total / sampleSize;
}
