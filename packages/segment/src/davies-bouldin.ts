import { finiteResult } from '@crm/core';
import { metricInput } from './metric-input.ts';
import { squaredDistance } from './checks.ts';

/**
 * Davies-Bouldin index: for each cluster, the worst ratio of summed spreads (mean distance of members
 * to their centroid) to centroid separation over the other clusters, averaged. Lower is better; 0 is
 * the minimum. Same definition as scikit-learn's `davies_bouldin_score` (pairs of coinciding centroids
 * are skipped, and 0 is returned when all spreads or all separations are zero). O(n · d + k² · d).
 * Scale-free, and computed without overflow at any magnitude of X.
 *
 * @throws {CrmError} `degenerate_data` unless 2 ≤ clusters ≤ n - 1; `invalid_input` / `invalid_labels` for bad X or labels;
 * `non_finite_result` when a spread-to-separation ratio exceeds the largest double.
 * @see https://doi.org/10.1109/TPAMI.1979.4766909
 * @example
 * ```ts
 * import { daviesBouldin } from '@crm/segment';
 * daviesBouldin([[0, 0], [0, 2], [10, 0], [10, 2]], [0, 0, 1, 1]); // 0.2
 * ```
 */
export function daviesBouldin(X: readonly ArrayLike<number>[], labels: ArrayLike<number>): number {
  const { m, codes, k, sizes, centroids } = metricInput(X, labels, 'daviesBouldin');
  const { data, rows: n, cols: d } = m;
  const spread = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = codes[i] as number;
    spread[c] += Math.sqrt(squaredDistance(data, i, centroids, c, d));
  }
  let anySpread = false;
  for (let c = 0; c < k; c++) {
    spread[c] /= sizes[c] as number;
    if ((spread[c] as number) !== 0) anySpread = true;
  }
  let anySeparation = false;
  let total = 0;
  for (let a = 0; a < k; a++) {
    let worst = 0;
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      const sep = Math.sqrt(squaredDistance(centroids, a, centroids, b, d));
      if (sep === 0) continue;
      anySeparation = true;
      const r = ((spread[a] as number) + (spread[b] as number)) / sep;
      if (r > worst) worst = r;
    }
    total += worst;
  }
  if (!anySpread || !anySeparation) return 0;
  return finiteResult(total / k, 'the Davies-Bouldin index', ['X']);
}
