import { finiteResult } from '@crm/core';
import { metricInput } from './metric-input.ts';
import { squaredDistance } from './checks.ts';

/**
 * Within-cluster sum of squares: the squared Euclidean distance of every row to the mean of its
 * cluster, summed (what k-means minimises; scikit-learn's `inertia_` for converged labels). O(n · d).
 * Computed without intermediate overflow at any magnitude of X.
 *
 * @throws {CrmError} `invalid_input` for empty, ragged or non-finite X; `invalid_labels` when the labels
 * are not integers or do not match the rows; `non_finite_result` when the sum itself exceeds the
 * largest double (rows spread by about 1e154 or more).
 * @example
 * ```ts
 * import { inertia } from '@crm/segment';
 * inertia([[0, 0], [0, 2], [10, 10]], [0, 0, 1]); // 2
 * ```
 */
export function inertia(X: readonly ArrayLike<number>[], labels: ArrayLike<number>): number {
  const { m, scale, codes, centroids } = metricInput(X, labels, 'inertia', 1);
  let s = 0;
  for (let i = 0; i < m.rows; i++) s += squaredDistance(m.data, i, centroids, codes[i] as number, m.cols);
  return finiteResult(s / scale / scale, 'the inertia (sum of squared distances)', ['X']);
}
