import { enumOption, numberOption, readOptions } from '@crm/core';
import { labelsAndScores } from '../internal/checks.ts';

/**
 * One bin of a {@link calibrationCurve}.
 *
 * @example
 * ```ts
 * import { calibrationCurve, type CalibrationBin } from '@crm/churn';
 * const bins: CalibrationBin[] = calibrationCurve([0, 1, 1], [0.2, 0.7, 0.9], { bins: 5 });
 * ```
 */
export interface CalibrationBin {
  /** Lower edge of the bin (inclusive, except the first which includes 0). */
  readonly lower: number;
  /** Upper edge of the bin (inclusive). */
  readonly upper: number;
  /** Rows whose probability falls in the bin. */
  readonly count: number;
  /** Mean predicted probability in the bin (x axis of a reliability diagram). */
  readonly meanPredicted: number;
  /** Observed churn rate in the bin (y axis). */
  readonly fractionPositive: number;
}

/**
 * Options of {@link calibrationCurve}.
 *
 * @example
 * ```ts
 * import type { CalibrationOptions } from '@crm/churn';
 * const options: CalibrationOptions = { bins: 10, strategy: 'quantile' };
 * ```
 */
export interface CalibrationOptions {
  /** Number of bins (default 10). */
  readonly bins?: number;
  /** `'uniform'` (default): equal-width bins on [0, 1]; `'quantile'`: bins of equal count. */
  readonly strategy?: 'uniform' | 'quantile';
}

/** Most bins: finer than a reliability diagram can show, and bounded so `bins: 1e9` cannot allocate gigabytes. */
const MAX_BINS = 10_000;

/**
 * Reliability diagram data: predicted probabilities binned, with the mean prediction and the
 * observed churn rate of each bin (scikit-learn `calibration_curve`; bins are right-closed and
 * empty bins are dropped). A calibrated model has `fractionPositive ≈ meanPredicted`. O(n log n).
 *
 * @throws {CrmError} `invalid_labels`, `invalid_input` for bad labels or probabilities;
 * `invalid_argument` for a bad bin count (an integer from 1 to 10,000) or strategy, or an unknown option.
 * @example
 * ```ts
 * import { calibrationCurve } from '@crm/churn';
 * calibrationCurve([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], { bins: 2 });
 * // [{ lower: 0, upper: 0.5, count: 2, meanPredicted: 0.15, fractionPositive: 0 },
 * //  { lower: 0.5, upper: 1, count: 2, meanPredicted: 0.8, fractionPositive: 1 }]
 * ```
 */
export function calibrationCurve(
  y: ArrayLike<number | boolean>,
  p: ArrayLike<number>,
  options: CalibrationOptions = {},
): CalibrationBin[] {
  const o = readOptions(options, ['bins', 'strategy'], 'calibrationCurve');
  // Bins are allocated up front: more bins than MAX_BINS would allocate before any work.
  const bins = numberOption(o, 'bins', 10, { min: 1, max: MAX_BINS, integer: true });
  const strategy = enumOption(o, 'strategy', 'uniform', ['uniform', 'quantile']);
  const d = labelsAndScores(y, p, { allowOneClass: true, unit: true });
  const n = d.y.length;
  const edges = new Float64Array(bins + 1);
  if (strategy === 'uniform') {
    for (let b = 0; b <= bins; b++) edges[b] = b / bins;
  } else {
    // Linear-interpolated quantiles, as numpy.percentile's default.
    const sorted = Float64Array.from(d.p).sort();
    for (let b = 0; b <= bins; b++) {
      const h = ((n - 1) * b) / bins;
      const lo = Math.floor(h);
      const hi = Math.min(lo + 1, n - 1);
      edges[b] = (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
    }
  }
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const v = d.p[i] as number;
    // Right-closed bins: the first edge above or at v (binary search over the inner edges).
    let lo = 0;
    let hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v <= (edges[mid + 1] as number)) hi = mid;
      else lo = mid + 1;
    }
    count[lo]++;
    sumP[lo] += v;
    sumY[lo] += d.y[i] as number;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const c = count[b] as number;
    if (c === 0) continue;
    out.push({
      lower: edges[b] as number,
      upper: edges[b + 1] as number,
      count: c,
      meanPredicted: (sumP[b] as number) / c,
      fractionPositive: (sumY[b] as number) / c,
    });
  }
  return out;
}
