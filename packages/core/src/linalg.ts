import { CrmError } from './errors.ts';
import { finiteResults } from './finite.ts';

/**
 * Cholesky factor of a symmetric positive-definite `dim × dim` matrix (row-major): the lower
 * triangular `L` with `A + ridge · I = L Lᵀ`, or `undefined` when the matrix is not positive
 * definite (a pivot ≤ 0, or a non-finite entry on the way). Only the lower triangle of `A` is
 * read; `A` is not touched. O(dim³ / 3). The model packages use it for Newton steps and for standard errors from a Hessian.
 *
 * @throws {CrmError} `invalid_argument` when `dim` is not a positive integer (≤ 4096), `A` holds fewer than
 *   `dim²` numbers or a non-number, or `ridge` is negative or not finite (NaN or ±Infinity in `A` fail the
 *   pivot test and give `undefined`).
 * @example
 * ```ts
 * import { cholesky } from '@crm/core';
 * cholesky([4, 2, 2, 3], 2);  // Float64Array [2, 0, 1, 1.4142…]
 * cholesky([1, 2, 2, 1], 2);  // undefined: not positive definite
 * ```
 */
export function cholesky(A: ArrayLike<number>, dim: number, ridge: number = 0): Float64Array | undefined {
  checkSystem(A, dim, dim * dim, 'A', false);
  if (typeof ridge !== 'number' || !(ridge >= 0) || !Number.isFinite(ridge)) {
    throw new CrmError('invalid_argument', `ridge must be a finite number ≥ 0, got ${String(ridge)}`, ['ridge']);
  }
  const L = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j <= i; j++) {
      let s = (A[i * dim + j] as number) + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) s -= (L[i * dim + k] as number) * (L[j * dim + k] as number);
      if (i === j) {
        if (!(s > 0) || s === Number.POSITIVE_INFINITY) return undefined;
        L[i * dim + i] = Math.sqrt(s);
      } else {
        const v = s / (L[j * dim + j] as number);
        if (!Number.isFinite(v)) return undefined;
        L[i * dim + j] = v;
      }
    }
  }
  return L;
}

/**
 * Solves `L Lᵀ x = b` for `x` given the factor from {@link cholesky}, by forward then back
 * substitution, into `out` (a new array by default). O(dim²).
 *
 * @throws {CrmError} `invalid_argument` for a bad `dim`, short or non-finite `L` or `b`, or a short `out`;
 *   `non_finite_result` when a tiny pivot makes the solution overflow.
 *
 * @example
 * ```ts
 * import { cholesky, choleskySolve } from '@crm/core';
 * const L = cholesky([4, 2, 2, 3], 2)!;
 * choleskySolve(L, 2, [2, 1]); // Float64Array [0.5, 0]: the x with A x = b
 * ```
 */
export function choleskySolve(L: Float64Array, dim: number, b: ArrayLike<number>, out?: Float64Array): Float64Array {
  checkSystem(L, dim, dim * dim, 'L');
  checkSystem(b, dim, dim, 'b');
  if (out !== undefined && (!(out instanceof Float64Array) || out.length < dim)) {
    throw new CrmError('invalid_argument', `out must be a Float64Array of at least ${dim} numbers`, ['out']);
  }
  const x = out ?? new Float64Array(dim);
  solveInto(L, dim, b, x);
  return finiteResults(x, 'the solution of L·Lᵀ·x = b', ['b']);
}

function solveInto(L: ArrayLike<number>, dim: number, b: ArrayLike<number>, out: Float64Array): void {
  for (let i = 0; i < dim; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (L[i * dim + k] as number) * (out[k] as number);
    out[i] = s / (L[i * dim + i] as number);
  }
  for (let i = dim - 1; i >= 0; i--) {
    let s = out[i] as number;
    for (let k = i + 1; k < dim; k++) s -= (L[k * dim + i] as number) * (out[k] as number);
    out[i] = s / (L[i * dim + i] as number);
  }
}

/** Largest system size the helpers accept: 4096² doubles are 128 MB. */
const MAX_DIM = 4096;

/** Checks the shape, and with `finite` every value; cholesky leaves NaN to its pivot test (undefined). */
function checkSystem(values: ArrayLike<number>, dim: number, length: number, name: string, finite = true): void {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1 || dim > MAX_DIM) {
    throw new CrmError('invalid_argument', `dim must be an integer in [1, ${MAX_DIM}], got ${String(dim)}`, ['dim']);
  }
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number' || values.length < length) {
    throw new CrmError('invalid_argument', `${name} must be an array of at least ${length} numbers`, [name]);
  }
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || (finite && !Number.isFinite(v))) {
      throw new CrmError('invalid_argument', `${name}[${i}] must be a finite number, got ${String(v)}`, [name, i]);
    }
  }
}
