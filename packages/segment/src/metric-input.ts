import { CrmError, toDenseMatrix, type DenseMatrix } from '@crm/core';
import { encodeLabels, readLabels } from './checks.ts';

/** Checked input of a cluster-quality metric: the matrix, labels coded 0..k-1, cluster sizes and means. */
export interface MetricInput {
  readonly m: DenseMatrix;
  readonly codes: Int32Array;
  readonly k: number;
  readonly sizes: Float64Array;
  readonly centroids: Float64Array;
}

/**
 * Checks X and labels for a metric that needs 2 ≤ clusters ≤ n - 1 (as scikit-learn requires) and
 * computes cluster sizes and means.
 */
export function metricInput(X: readonly ArrayLike<number>[], labels: ArrayLike<number>, fn: string, minClusters = 2): MetricInput {
  const m = toDenseMatrix(X, { minRows: 1 });
  const { codes, k } = encodeLabels(readLabels(labels, m.rows));
  if (k < minClusters || (minClusters > 1 && k > m.rows - 1)) {
    throw new CrmError(
      'degenerate_data',
      `${fn} needs between 2 and n - 1 = ${m.rows - 1} clusters, got ${k}: it compares clusters with each other`,
      ['labels'],
    );
  }
  const d = m.cols;
  const sizes = new Float64Array(k);
  const centroids = new Float64Array(k * d);
  for (let i = 0; i < m.rows; i++) {
    const c = codes[i] as number;
    sizes[c]++;
    for (let t = 0; t < d; t++) centroids[c * d + t] += m.data[i * d + t] as number;
  }
  for (let c = 0; c < k; c++) for (let t = 0; t < d; t++) centroids[c * d + t] /= sizes[c] as number;
  return { m, codes, k, sizes, centroids };
}
