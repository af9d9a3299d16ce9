/**
 * Cholesky factor of a symmetric positive-definite `dim × dim` matrix (row-major): the lower
 * triangular `L` with `A + ridge · I = L Lᵀ`, or `undefined` when the matrix is not positive
 * definite (a pivot ≤ 0 or NaN). Only the lower triangle of `A` is read; `A` is not touched.
 * O(dim³ / 3). The model packages use it for Newton steps and for standard errors from a Hessian.
 *
 * @example
 * ```ts
 * import { cholesky } from '@crm/core';
 * cholesky([4, 2, 2, 3], 2);  // Float64Array [2, 0, 1, 1.4142…]
 * cholesky([1, 2, 2, 1], 2);  // undefined: not positive definite
 * ```
 */
export function cholesky(A: ArrayLike<number>, dim: number, ridge: number = 0): Float64Array | undefined {
  const L = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j <= i; j++) {
      let s = (A[i * dim + j] as number) + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) s -= (L[i * dim + k] as number) * (L[j * dim + k] as number);
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i * dim + i] = Math.sqrt(s);
      } else {
        L[i * dim + j] = s / (L[j * dim + j] as number);
      }
    }
  }
  return L;
}

/**
 * Solves `L Lᵀ x = b` for `x` given the factor from {@link cholesky}, by forward then back
 * substitution, into `out` (a new array by default). O(dim²).
 *
 * @example
 * ```ts
 * import { cholesky, choleskySolve } from '@crm/core';
 * const L = cholesky([4, 2, 2, 3], 2)!;
 * choleskySolve(L, 2, [2, 1]); // Float64Array [0.5, 0]: the x with A x = b
 * ```
 */
export function choleskySolve(L: Float64Array, dim: number, b: ArrayLike<number>, out: Float64Array = new Float64Array(dim)): Float64Array {
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
  return out;
}
