import { CrmError, toDenseMatrix, type DenseMatrix } from '@crm/core';

// Shared argument checks and numerics of the clustering models. Not exported from the package.

/**
 * Checks and copies a training matrix: rows present, rectangular, finite, no constant column (a
 * column with one value carries no information for clustering and usually means a data bug).
 */
export function trainingMatrix(X: readonly ArrayLike<number>[], minRows: number, name = 'X'): DenseMatrix {
  const m = toDenseMatrix(X, { name, minRows });
  rejectConstantColumns(m, name);
  return m;
}

/** Throws `degenerate_data` naming the first constant column (needs at least 2 rows to apply). */
export function rejectConstantColumns(m: DenseMatrix, name: string): void {
  const { data, rows, cols } = m;
  if (rows < 2) return;
  for (let j = 0; j < cols; j++) {
    const first = data[j] as number;
    let constant = true;
    for (let i = 1; i < rows; i++) {
      if (data[i * cols + j] !== first) {
        constant = false;
        break;
      }
    }
    if (constant) {
      throw new CrmError(
        'degenerate_data',
        `column ${j} of ${name} is constant (${first} in every row): it cannot separate customers; drop it before clustering`,
        [name, '*', j],
      );
    }
  }
}

/** Cluster labels as integers, one per row. */
export function readLabels(labels: ArrayLike<number>, rows: number, name = 'labels'): Int32Array {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new CrmError('invalid_argument', `${name} must be an array of integer cluster labels`, [name]);
  }
  if (labels.length !== rows) {
    throw new CrmError('invalid_labels', `${name} has ${labels.length} entries but X has ${rows} rows`, [name]);
  }
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = labels[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > 0x7fffffff) {
      throw new CrmError('invalid_labels', `${name}[${i}] is ${String(v)}: cluster labels must be integers`, [name, i]);
    }
    out[i] = v;
  }
  return out;
}

/** Maps arbitrary integer labels to 0..k-1 (in order of first appearance); returns the codes and k. */
export function encodeLabels(labels: Int32Array): { readonly codes: Int32Array; readonly k: number; readonly values: number[] } {
  const map = new Map<number, number>();
  const codes = new Int32Array(labels.length);
  const values: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i] as number;
    let c = map.get(v);
    if (c === undefined) {
      c = map.size;
      map.set(v, c);
      values.push(v);
    }
    codes[i] = c;
  }
  return { codes, k: map.size, values };
}

/** Squared Euclidean distance between row `i` of `a` and row `j` of `b`, both with `d` columns. */
export function squaredDistance(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  const ai = i * d;
  const bj = j * d;
  for (let t = 0; t < d; t++) {
    const diff = (a[ai + t] as number) - (b[bj + t] as number);
    s += diff * diff;
  }
  return s;
}

/** Rows of a flat row-major matrix as plain arrays (for JSON and public fields). */
export function toRows(data: Float64Array, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push(Array.from(data.subarray(i * cols, (i + 1) * cols)));
  return out;
}

/**
 * Squared distances of values with magnitude up to M stay finite and normal while 2^-400 ≤ M ≤ 2^400:
 * (2M)² summed over 2^33 terms and multiplied by a row count of 2^33 is below 2^1023, and the
 * smallest difference double precision resolves at that size, M·2^-53, squares above 2^-1022.
 * Data outside that band is multiplied by a power of two, which is exact, so ordinary data is never
 * touched and scaled data gives the same comparisons (and so the same clusters) bit for bit.
 */
const SCALE_HIGH = 2 ** 400;
const SCALE_LOW = 2 ** -400;
/** Scaled data has its largest magnitude in [1, 2), within the limits of one power-of-two factor. */
const MAX_SCALE_EXPONENT = 1000;

/** Largest absolute value in `data` (0 for empty data). */
export function maxAbs(data: Float64Array): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Math.abs(data[i] as number);
    if (v > m) m = v;
  }
  return m;
}

/**
 * The power of two to multiply data of largest magnitude `magnitude` by, so that squared Euclidean
 * distances between its rows neither overflow nor underflow; 1 for ordinary data.
 */
export function distanceScale(magnitude: number): number {
  if (!(magnitude > 0) || (magnitude >= SCALE_LOW && magnitude <= SCALE_HIGH)) return 1;
  // floor(log2 magnitude) by exact halving and doubling (Math.log2 may round differently by engine).
  let e = 0;
  let v = magnitude;
  while (v >= 2) {
    v /= 2;
    e++;
  }
  while (v < 1) {
    v *= 2;
    e--;
  }
  const p = Math.max(-MAX_SCALE_EXPONENT, Math.min(MAX_SCALE_EXPONENT, -e));
  let s = 1;
  for (let i = 0; i < p; i++) s *= 2;
  for (let i = 0; i > p; i--) s /= 2;
  return s;
}

/** Multiplies every value of `data` by `s` in place (exact for a power of two) and returns `data`. */
export function scaleInPlace(data: Float64Array, s: number): Float64Array {
  if (s !== 1) for (let i = 0; i < data.length; i++) data[i] = (data[i] as number) * s;
  return data;
}

/**
 * Rescales a fresh copy of new rows (`x`, owned by the caller) together with a model's stored rows
 * (`model`, never modified) by one power of two, so distances between them are computed without
 * overflow. Returns the scale and the model rows at that scale (the same array when the scale is 1).
 */
export function scaleWithModel(x: Float64Array, model: Float64Array): { readonly scale: number; readonly model: Float64Array } {
  const scale = distanceScale(Math.max(maxAbs(x), maxAbs(model)));
  if (scale === 1) return { scale, model };
  scaleInPlace(x, scale);
  return { scale, model: scaleInPlace(Float64Array.from(model), scale) };
}
