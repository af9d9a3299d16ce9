import { CrmError, toDenseMatrix, type DenseMatrix } from '@crm/core';

// Shared argument checks of the clustering models. Not exported from the package.

/** Rejects a non-object options argument and keys this call does not know (typos would otherwise be ignored). */
export function checkOptions(options: unknown, known: readonly string[], fn: string): Readonly<Record<string, unknown>> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new CrmError('invalid_argument', `${fn}: options must be an object`, ['options']);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new CrmError(
        'invalid_argument',
        `${fn}: unknown option '${key}'; known options are ${known.map((k) => `'${k}'`).join(', ')}`,
        ['options', key],
      );
    }
  }
  return options as Record<string, unknown>;
}

/** An integer option in [min, max]. */
export function intOption(value: unknown, name: string, fallback: number, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new CrmError('invalid_argument', `${name} must be ${range}, got ${String(value)}`, ['options', name]);
  }
  return value;
}

/** A finite number option, strictly positive unless `allowZero`. */
export function positiveOption(value: unknown, name: string, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new CrmError(
      'invalid_argument',
      `${name} must be a finite number ${allowZero ? '≥ 0' : '> 0'}, got ${String(value)}`,
      ['options', name],
    );
  }
  return value;
}

/** A seed option: any finite number. */
export function seedOption(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CrmError('invalid_argument', `seed must be a finite number, got ${String(value)}`, ['options', 'seed']);
  }
  return value;
}

/** One of a fixed set of strings. */
export function enumOption<T extends string>(value: unknown, name: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new CrmError(
      'invalid_argument',
      `${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value) ?? String(value)}`,
      ['options', name],
    );
  }
  return value as T;
}

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
