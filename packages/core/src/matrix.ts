import { CrmError } from './errors.ts';
import { booleanOption, numberOption, readOptions } from './options.ts';

/**
 * A row-major dense matrix: element (i, j) is `data[i * cols + j]`.
 *
 * @example
 * ```ts
 * import { toDenseMatrix, type DenseMatrix } from '@crm/core';
 * const m: DenseMatrix = toDenseMatrix([[1, 2], [3, 4]]);
 * m.data[1 * m.cols + 0]; // 3
 * ```
 */
export interface DenseMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Options of {@link toDenseMatrix}.
 *
 * @example
 * ```ts
 * import { toDenseMatrix, type DenseMatrixOptions } from '@crm/core';
 * const options: DenseMatrixOptions = { name: 'Xnew', cols: 2 }; // prediction input must have 2 columns
 * toDenseMatrix([[5, 6]], options);
 * ```
 */
export interface DenseMatrixOptions {
  /** Name of the argument in error messages and paths (default `'X'`). */
  readonly name?: string;
  /** Fewest rows accepted (default 1). */
  readonly minRows?: number;
  /** Number of columns the rows must have (for prediction with a fitted model). */
  readonly cols?: number;
}

/**
 * Checks a matrix given as rows (`number[][]`, `Float64Array[]`, any `ArrayLike<number>[]`) and
 * copies it into one row-major `Float64Array`. The input is not touched. O(rows · cols).
 *
 * @throws {CrmError} `invalid_argument` when X is not an array of rows or for a bad or unknown option;
 * `invalid_input` when it is empty, ragged, has the wrong number of columns, or holds a non-finite
 * value or a hole (path `[X, row, col]`).
 * @example
 * ```ts
 * import { toDenseMatrix } from '@crm/core';
 * const m = toDenseMatrix([[1, 2], [3, 4]]);
 * m.rows; m.cols; // 2, 2
 * m.data;         // Float64Array [1, 2, 3, 4]
 * ```
 */
export function toDenseMatrix(X: readonly ArrayLike<number>[], options?: DenseMatrixOptions): DenseMatrix {
  const o = readOptions(options, ['name', 'minRows', 'cols'], 'toDenseMatrix');
  const name = nameOption(o.name, 'X');
  const minRows = numberOption(o, 'minRows', 1, { min: 0, integer: true });
  const fixedCols = o.cols === undefined ? undefined : numberOption(o, 'cols', 1, { min: 1, integer: true });
  if (!Array.isArray(X)) {
    throw new CrmError('invalid_argument', `${name} must be an array of rows, got ${describe(X)}`, [name]);
  }
  const rows = X.length;
  if (rows < minRows) {
    throw new CrmError(
      'invalid_input',
      `${name} has ${rows} row(s) but at least ${minRows} ${minRows === 1 ? 'is' : 'are'} needed`,
      [name],
    );
  }
  const first = X[0] as ArrayLike<number> | undefined;
  const cols = fixedCols ?? (first && typeof first === 'object' && typeof first.length === 'number' ? first.length : 0);
  if (rows > 0 && cols === 0) {
    throw new CrmError('invalid_input', `${name} has rows with no columns`, [name, 0]);
  }
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = X[i] as ArrayLike<number> | undefined;
    if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
      throw new CrmError('invalid_input', `${name}[${i}] is not an array of numbers`, [name, i]);
    }
    if (row.length !== cols) {
      throw new CrmError(
        'invalid_input',
        `${name}[${i}] has ${row.length} columns but ${cols} were expected: every row must have the same length`,
        [name, i],
      );
    }
    const offset = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new CrmError(
          'invalid_input',
          `${name}[${i}][${j}] is ${String(v)}: impute or drop missing and non-finite values first`,
          [name, i, j],
        );
      }
      data[offset + j] = v;
    }
  }
  return { data, rows, cols };
}

/**
 * Checks binary labels (`0`/`1` numbers or booleans, any `ArrayLike`) and returns them as a
 * `Uint8Array`. O(n).
 *
 * @param expectedLength number of rows the labels must match, when known.
 * @param options `name` of the argument in messages and paths (default `'y'`); `allowOneClass`
 * (default `false`) accepts labels of a single class.
 * @throws {CrmError} `invalid_labels` for a label that is neither 0/1 nor boolean (path `[y, i]`),
 * a length mismatch, or (unless `allowOneClass`) labels holding only one class; `invalid_argument`
 * for a bad or unknown option.
 * @example
 * ```ts
 * import { toBinaryLabels } from '@crm/core';
 * toBinaryLabels([true, false, 1, 0]); // Uint8Array [1, 0, 1, 0]
 * ```
 */
export function toBinaryLabels(
  y: ArrayLike<number | boolean>,
  expectedLength?: number,
  options?: { readonly name?: string | undefined; readonly allowOneClass?: boolean | undefined },
): Uint8Array {
  const o = readOptions(options, ['name', 'allowOneClass'], 'toBinaryLabels');
  const name = nameOption(o.name, 'y');
  const allowOneClass = booleanOption(o, 'allowOneClass', false);
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number') {
    throw new CrmError('invalid_argument', `${name} must be an array of 0/1 or boolean labels, got ${describe(y)}`, [name]);
  }
  if (expectedLength !== undefined && y.length !== expectedLength) {
    throw new CrmError('invalid_labels', `${name} has ${y.length} labels but X has ${expectedLength} rows`, [name]);
  }
  const out = new Uint8Array(y.length);
  let ones = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v === 1 || v === true) {
      out[i] = 1;
      ones++;
    } else if (v !== 0 && v !== false) {
      throw new CrmError('invalid_labels', `${name}[${i}] is ${String(v)}: labels must be 0/1 or boolean`, [name, i]);
    }
  }
  if (!allowOneClass && (ones === 0 || ones === y.length)) {
    throw new CrmError(
      'invalid_labels',
      `${name} holds only class ${ones === 0 ? 0 : 1}: a classifier needs examples of both classes`,
      [name],
    );
  }
  return out;
}

function nameOption(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') {
    throw new CrmError('invalid_argument', 'option name must be a non-empty string (the argument name used in messages)', ['options', 'name']);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
