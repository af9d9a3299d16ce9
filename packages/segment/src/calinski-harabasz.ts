import { finiteResult } from '@crm/core';
import { metricInput } from './metric-input.ts';
import { squaredDistance } from './checks.ts';

/**
 * Calinski-Harabasz index (variance ratio criterion): between-cluster dispersion over within-cluster
 * dispersion, each divided by its degrees of freedom, `[B / (k - 1)] / [W / (n - k)]`. Higher is
 * better. Same definition as scikit-learn's `calinski_harabasz_score`, including its value 1 when
 * every cluster is a single point repeated. O(n · d). Scale-free, and computed without overflow at
 * any magnitude of X.
 *
 * @throws {CrmError} `degenerate_data` unless 2 ≤ clusters ≤ n - 1; `invalid_input` / `invalid_labels` for bad X or labels;
 * `non_finite_result` when the ratio itself exceeds the largest double (clusters ~1e150 times tighter than their separation).
 * @see https://doi.org/10.1080/03610927408827101
 * @example
 * ```ts
 * import { calinskiHarabasz } from '@crm/segment';
 * calinskiHarabasz([[0, 0], [0, 1], [5, 5], [5, 6]], [0, 0, 1, 1]); // 100
 * ```
 */
export function calinskiHarabasz(X: readonly ArrayLike<number>[], labels: ArrayLike<number>): number {
  const { m, codes, k, sizes, centroids } = metricInput(X, labels, 'calinskiHarabasz');
  const { data, rows: n, cols: d } = m;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += data[i * d + t] as number;
  for (let t = 0; t < d; t++) mean[t] /= n;
  let between = 0;
  for (let c = 0; c < k; c++) between += (sizes[c] as number) * squaredDistance(centroids, c, mean, 0, d);
  let within = 0;
  for (let i = 0; i < n; i++) within += squaredDistance(data, i, centroids, codes[i] as number, d);
  if (within === 0) {
    // scikit-learn's 1 is for clusters that are each one repeated point; spreads too small to square
    // in double precision make the true index larger than any double instead.
    for (let i = 0; i < n; i++) {
      const c = codes[i] as number;
      for (let t = 0; t < d; t++) {
        if (data[i * d + t] !== centroids[c * d + t]) finiteResult(Infinity, 'the Calinski-Harabasz index', ['X', i]);
      }
    }
    return 1;
  }
  return finiteResult((between * (n - k)) / (within * (k - 1)), 'the Calinski-Harabasz index', ['X']);
}
