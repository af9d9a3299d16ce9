/** Row indices ordered by score, highest first; ties keep row order (a stable sort). */
export function descendingOrder(p: Float64Array): Uint32Array {
  const idx = new Uint32Array(p.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  // Typed-array sort with a comparator is stable (ES2019+) and avoids boxing.
  return idx.sort((a, b) => (p[b] as number) - (p[a] as number) || a - b);
}

/**
 * Cumulative true and false positives when flagging every row scoring at least each distinct
 * score, from the highest score down (scikit-learn's `_binary_clf_curve`). Tied scores form one
 * step. Every ranking metric and curve of the package is read off these counts. O(n log n).
 */
export interface ThresholdCounts {
  /** Distinct scores, highest first. */
  readonly thresholds: Float64Array;
  /** Positives scoring ≥ thresholds[k]. */
  readonly tps: Float64Array;
  /** Negatives scoring ≥ thresholds[k]. */
  readonly fps: Float64Array;
  /** Positives in all. */
  readonly positives: number;
  /** Negatives in all. */
  readonly negatives: number;
}

/** Counts of {@link ThresholdCounts} for checked 0/1 labels and finite scores. */
export function thresholdCounts(y: Uint8Array, p: Float64Array): ThresholdCounts {
  const order = descendingOrder(p);
  const thresholds = new Float64Array(order.length);
  const tps = new Float64Array(order.length);
  const fps = new Float64Array(order.length);
  let tp = 0;
  let fp = 0;
  let k = 0;
  let i = 0;
  while (i < order.length) {
    const s = p[order[i] as number] as number;
    while (i < order.length && p[order[i] as number] === s) {
      if (y[order[i] as number] === 1) tp++;
      else fp++;
      i++;
    }
    thresholds[k] = s;
    tps[k] = tp;
    fps[k] = fp;
    k++;
  }
  return { thresholds: thresholds.subarray(0, k), tps: tps.subarray(0, k), fps: fps.subarray(0, k), positives: tp, negatives: fp };
}
