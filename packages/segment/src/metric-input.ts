import { CrmError, toDenseMatrix, type DenseMatrix } from '@crm/core';
import { distanceScale, encodeLabels, maxAbs, readLabels, scaleInPlace } from './checks.ts';

/**
 * Checked input of a cluster-quality metric: the matrix (multiplied by `scale`), labels coded
 * 0..k-1, cluster sizes and means (of the scaled matrix).
 */
export interface MetricInput {
  readonly m: DenseMatrix;
  /** The power of two the copy of X was multiplied by so squared distances stay finite (1 for ordinary data). */
  readonly scale: number;
  readonly codes: Int32Array;
  readonly k: number;
  readonly sizes: Float64Array;
  readonly centroids: Float64Array;
}

/**
 * Checks X and labels for a metric that needs 2 ≤ clusters ≤ n - 1 (as scikit-learn requires) and
 * computes cluster sizes and means. The copy of X is rescaled by an exact power of two when its
 * magnitude would overflow or underflow squared distances; ratios of distances are unchanged by it.
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
  const scale = distanceScale(maxAbs(m.data));
  scaleInPlace(m.data, scale);
  const d = m.cols;
  const sizes = new Float64Array(k);
  const centroids = new Float64Array(k * d);
  for (let i = 0; i < m.rows; i++) {
    const c = codes[i] as number;
    sizes[c]++;
    for (let t = 0; t < d; t++) centroids[c * d + t] += m.data[i * d + t] as number;
  }
  for (let c = 0; c < k; c++) for (let t = 0; t < d; t++) centroids[c * d + t] /= sizes[c] as number;
  return { m, scale, codes, k, sizes, centroids };
}
