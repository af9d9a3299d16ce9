import { CrmError, type Rng } from '@crm/core';

/** Largest finite bin edge, as scikit-learn's `ALMOST_INF`: edges are clipped to it. */
const ALMOST_INF = 1e300;
/** Rows used to find the bin edges; larger data is subsampled (scikit-learn's `_BinMapper` default). */
export const BINNING_SUBSAMPLE = 200_000;
/** Columns gathered per pass over the rows when finding bin edges. */
const COLUMN_BLOCK = 8;

/** Rows with NaN allowed (missing values), everything else finite; row-major. */
export interface MissingMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  /** Per column: does it hold any NaN. */
  readonly hasNaN: Uint8Array;
}

/**
 * Reads rows of numbers where NaN means "missing" (as scikit-learn's HistGradientBoosting):
 * NaN is kept, ±Infinity and non-numbers are errors.
 */
export function toMissingMatrix(X: readonly ArrayLike<number>[], cols: number | undefined, minRows: number, name = 'X'): MissingMatrix {
  if (!Array.isArray(X)) throw new CrmError('invalid_argument', `${name} must be an array of rows`, [name]);
  const rows = X.length;
  if (rows < minRows) {
    throw new CrmError('invalid_input', `${name} has ${rows} row(s) but at least ${minRows} ${minRows === 1 ? 'is' : 'are'} needed`, [name]);
  }
  const first = X[0] as ArrayLike<number> | undefined;
  const p = cols ?? (first !== null && typeof first === 'object' && typeof first.length === 'number' ? first.length : 0);
  if (rows > 0 && p === 0) throw new CrmError('invalid_input', `${name} has rows with no columns`, [name, 0]);
  const data = new Float64Array(rows * p);
  const hasNaN = new Uint8Array(p);
  for (let i = 0; i < rows; i++) {
    const row = X[i] as ArrayLike<number> | undefined;
    if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
      throw new CrmError('invalid_input', `${name}[${i}] is not an array of numbers`, [name, i]);
    }
    if (row.length !== p) {
      throw new CrmError('invalid_input', `${name}[${i}] has ${row.length} columns but ${p} were expected: every row must have the same length`, [name, i]);
    }
    const o = i * p;
    for (let j = 0; j < p; j++) {
      const v = row[j];
      if (typeof v !== 'number' || v === Infinity || v === -Infinity) {
        throw new CrmError('invalid_input', `${name}[${i}][${j}] is ${String(v)}: values must be finite numbers or NaN (missing)`, [name, i, j]);
      }
      if (v !== v) hasNaN[j] = 1;
      data[o + j] = v;
    }
  }
  return { data, rows, cols: p, hasNaN };
}

/**
 * Bin edges per feature, found as scikit-learn's `_BinMapper` finds them: with at most `maxBins`
 * distinct non-missing values, the midpoints between consecutive values; otherwise the
 * `maxBins − 1` inner percentiles (numpy's `'midpoint'` method) of the non-missing values.
 * A value x falls in bin i when edges[i − 1] < x ≤ edges[i]; NaN has its own last bin.
 * Edges come from at most {@link BINNING_SUBSAMPLE} rows (a seeded subsample beyond that).
 */
export function binEdges(m: MissingMatrix, rowsUsed: Int32Array, maxBins: number, rng: Rng): Float64Array[] {
  let rows = rowsUsed;
  if (rowsUsed.length > BINNING_SUBSAMPLE) {
    // A partial Fisher–Yates shuffle draws the subsample without replacement.
    const pool = rowsUsed.slice();
    for (let k = 0; k < BINNING_SUBSAMPLE; k++) {
      const r = rng.int(k, pool.length);
      const t = pool[k] as number;
      pool[k] = pool[r] as number;
      pool[r] = t;
    }
    rows = pool.subarray(0, BINNING_SUBSAMPLE).sort();
  }
  const edges: Float64Array[] = [];
  // Columns are gathered a block at a time: one pass over the rows reads each row's block from
  // one cache line, where a pass per column would miss the cache on every value.
  const block = Math.min(COLUMN_BLOCK, m.cols);
  const cols = Array.from({ length: block }, () => new Float64Array(rows.length));
  const filled = new Int32Array(block);
  const last = new Float64Array(block);
  const distinct = Array.from({ length: block }, () => new Map<number, true>());
  for (let j0 = 0; j0 < m.cols; j0 += block) {
    const width = Math.min(block, m.cols - j0);
    filled.fill(0);
    last.fill(NaN);
    for (const d of distinct) d.clear();
    for (let r = 0; r < rows.length; r++) {
      const base = (rows[r] as number) * m.cols + j0;
      for (let b = 0; b < width; b++) {
        const v = m.data[base + b] as number;
        if (v !== v) continue;
        (cols[b] as Float64Array)[filled[b]++] = v;
        // Few distinct values (one-hot columns, counts) need no sort of all rows.
        const d = distinct[b] as Map<number, true>;
        if (v !== last[b] && d.size <= maxBins) {
          d.set(v, true);
          last[b] = v;
        }
      }
    }
    for (let b = 0; b < width; b++) {
      const d = distinct[b] as Map<number, true>;
      const sorted = d.size <= maxBins ? Float64Array.from(d.keys()).sort() : (cols[b] as Float64Array).subarray(0, filled[b]).slice().sort();
      edges.push(edgesOfSorted(sorted, maxBins));
    }
  }
  return edges;
}

/**
 * Bin edges of one feature from its sorted non-missing values. numpy's `percentile(…,
 * method='midpoint')` at `linspace(0, 100, maxBins + 1)[1:-1]`, reproduced operation by
 * operation (virtual index (⌊(n−1)q⌋ + ⌈(n−1)q⌉)/2, then `b − (b − a)·0.5`), so the edges are the
 * same doubles.
 */
export function edgesOfSorted(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  let out: Float64Array;
  if (distinct <= maxBins) {
    const u = new Float64Array(distinct);
    let k = 0;
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) u[k++] = sorted[i] as number;
    out = new Float64Array(Math.max(0, distinct - 1));
    for (let i = 0; i + 1 < distinct; i++) out[i] = ((u[i] as number) + (u[i + 1] as number)) * 0.5;
  } else {
    out = new Float64Array(maxBins - 1);
    const step = 100 / maxBins;
    for (let i = 1; i < maxBins; i++) {
      const q = (i * step) / 100;
      const v = (n - 1) * q;
      const lo = Math.floor(v);
      const hi = Math.ceil(v);
      const index = 0.5 * (lo + hi);
      const below = Math.floor(index);
      const a = sorted[below] as number;
      if (index === below) {
        out[i - 1] = a;
      } else {
        const b = sorted[Math.min(below + 1, n - 1)] as number;
        out[i - 1] = b - (b - a) * 0.5;
      }
    }
  }
  for (let i = 0; i < out.length; i++) if ((out[i] as number) > ALMOST_INF) out[i] = ALMOST_INF;
  return out;
}

/** Bin of a value: the number of edges below it (edges[i − 1] < x ≤ edges[i] gives i); NaN → `edges.length + 1`. */
export function binOf(edges: Float64Array, x: number): number {
  if (x !== x) return edges.length + 1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Bin codes, column-major (feature j of row r at j · rows + r; one byte per value: at most 255
 * value bins + the NaN bin), so splitting a node reads one feature's codes in row order.
 */
export function binRows(m: MissingMatrix, rows: ArrayLike<number>, edges: readonly Float64Array[]): Uint8Array {
  const p = m.cols;
  const n = rows.length;
  const out = new Uint8Array(n * p);
  for (let r = 0; r < n; r++) {
    const src = (rows[r] as number) * p;
    for (let j = 0; j < p; j++) out[j * n + r] = binOf(edges[j] as Float64Array, m.data[src + j] as number);
  }
  return out;
}
