import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve } from '@crm/core';

describe('cholesky(A, dim, ridge) and choleskySolve(L, dim, b)', () => {
  it('factors [[4, 2], [2, 3]] as [[2, 0], [1, √2]] (by hand) and solves A x = b', () => {
    const A = Object.freeze([4, 2, 2, 3]);
    const L = cholesky(A, 2)!;
    expect([...L]).toEqual([2, 0, 1, Math.SQRT2]);
    // A [0.5, 0] = [2, 1]; A [-1, 2] = [0, 4].
    expect([...choleskySolve(L, 2, [2, 1])]).toEqual([0.5, 0]);
    const x = choleskySolve(L, 2, [0, 4]);
    expect(x[0]).toBeCloseTo(-1, 14);
    expect(x[1]).toBeCloseTo(2, 14);
  });

  it('reproduces a random SPD matrix: L Lᵀ = A and A x = b to rounding', () => {
    const dim = 6;
    const M = Array.from({ length: dim * dim }, (_, i) => Math.sin(i + 1));
    const A = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) {
      let s = i === j ? dim : 0;
      for (let k = 0; k < dim; k++) s += M[i * dim + k]! * M[j * dim + k]!;
      A[i * dim + j] = s;
    }
    const L = cholesky(A, dim)!;
    const b = Array.from({ length: dim }, (_, i) => i - 2);
    const x = choleskySolve(L, dim, b);
    for (let i = 0; i < dim; i++) {
      let ax = 0;
      for (let j = 0; j < dim; j++) {
        let llt = 0;
        for (let k = 0; k < dim; k++) llt += L[i * dim + k]! * L[j * dim + k]!;
        expect(Math.abs(llt - A[i * dim + j]!)).toBeLessThan(1e-12 * dim * dim);
        ax += A[i * dim + j]! * x[j]!;
      }
      expect(Math.abs(ax - b[i]!)).toBeLessThan(1e-12 * dim * dim);
    }
  });

  it('returns undefined for a matrix that is not positive definite, and a ridge can restore it', () => {
    expect(cholesky([1, 2, 2, 1], 2)).toBeUndefined();
    expect(cholesky([0, 0, 0, 0], 2)).toBeUndefined();
    expect(cholesky([Number.NaN, 0, 0, 1], 2)).toBeUndefined();
    expect([...cholesky([0, 0, 0, 0], 2, 4)!]).toEqual([2, 0, 0, 2]);
  });
});
