import { describe, expect, it } from 'vitest';
import { isCrmError } from '@crm/core';
import { Agglomerative, Dbscan, KMeans, Som, chooseK, silhouette } from '@crm/segment';

// A call whose cost can explode refuses it before any work with limit_exceeded at the option that
// raises the limit (DESIGN.md "Errors and bad input"), and the option does raise it.

/** Rows on a small grid: cheap to build, many rows, no constant column. */
function grid(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => [i % 97, (i * 37) % 89]);
}

function limitError(fn: () => unknown): { path: readonly (string | number)[]; message: string } {
  try {
    fn();
  } catch (e) {
    if (isCrmError(e) && e.code === 'limit_exceeded') return { path: e.path, message: e.message };
    throw e;
  }
  throw new Error('expected limit_exceeded');
}

describe('silhouette is exact by default and bounded', () => {
  it('the exact silhouette of 10,001 rows exceeds the default maxPairs (1e8) and is refused, pointing at sampleSize and maxPairs', () => {
    const X = grid(10_001);
    const e = limitError(() => silhouette(X, X.map((_, i) => i % 2)));
    expect(e.path).toEqual(['options', 'maxPairs']);
    expect(e.message).toContain('sampleSize');
    expect(e.message).toContain('options.maxPairs');
  });

  it('maxPairs is what the limit counts: rows scored × n', () => {
    const X = grid(50);
    const labels = X.map((_, i) => i % 3);
    expect(limitError(() => silhouette(X, labels, { maxPairs: 2499 })).path).toEqual(['options', 'maxPairs']);
    expect(silhouette(X, labels, { maxPairs: 2500 })).toBe(silhouette(X, labels));
    expect(limitError(() => silhouette(X, labels, { sampleSize: 10, maxPairs: 499 })).path).toEqual(['options', 'maxPairs']);
    expect(silhouette(X, labels, { sampleSize: 10, maxPairs: 500 })).toBe(silhouette(X, labels, { sampleSize: 10 }));
  });
});

describe('Agglomerative refuses a distance matrix it was not allowed before allocating it', () => {
  for (const linkage of ['ward', 'single'] as const) {
    it(`${linkage} at n = 30,000 (4.5e8 pairs, 3.6 GB for ward) throws limit_exceeded at maxPairs`, () => {
      const e = limitError(() => Agglomerative.fit(grid(30_000), { linkage }));
      expect(e.path).toEqual(['options', 'maxPairs']);
      if (linkage === 'ward') expect(e.message).toContain('3.6 GB');
    });
  }

  it('maxPairs counts n(n−1)/2 pairs', () => {
    const X = grid(20);
    expect(limitError(() => Agglomerative.fit(X, { maxPairs: 189 })).path).toEqual(['options', 'maxPairs']);
    expect(Agglomerative.fit(X, { maxPairs: 190 }).toJSON()).toEqual(Agglomerative.fit(X).toJSON());
  });
});

describe('Dbscan is bounded by maxPairs', () => {
  it('n = 20,001 exceeds the default n² limit (4e8) and is refused; maxPairs counts n²', () => {
    expect(limitError(() => Dbscan.fit(grid(20_001), { eps: 1 })).path).toEqual(['options', 'maxPairs']);
    const X = grid(30);
    expect(limitError(() => Dbscan.fit(X, { eps: 1.5, maxPairs: 899 })).path).toEqual(['options', 'maxPairs']);
    expect(Dbscan.fit(X, { eps: 1.5, maxPairs: 900 }).labels).toEqual(Dbscan.fit(X, { eps: 1.5 }).labels);
  });
});

describe('KMeans is bounded by maxDistances', () => {
  it('a huge restarts, maxIterations or k is refused before any work', () => {
    const X = grid(2_000);
    expect(limitError(() => KMeans.fit(X, { k: 2, restarts: 1e9 })).path).toEqual(['options', 'maxDistances']);
    expect(limitError(() => KMeans.fit(X, { k: 2, maxIterations: 1e12 })).path).toEqual(['options', 'maxDistances']);
    expect(limitError(() => KMeans.fit(X, { k: 2_000, restarts: 10 })).path).toEqual(['options', 'maxDistances']);
  });

  it('maxDistances raises the limit and does not change the fit', () => {
    const X = grid(100);
    expect(limitError(() => KMeans.fit(X, { k: 3, restarts: 2, maxDistances: 1000 })).path).toEqual(['options', 'maxDistances']);
    const allowed = KMeans.fit(X, { k: 3, restarts: 2, maxDistances: 1e12 });
    expect(allowed.toJSON()).toEqual(KMeans.fit(X, { k: 3, restarts: 2 }).toJSON());
  });
});

describe('chooseK is bounded by maxDistances', () => {
  it('a k range of 2…1,999 on 2,000 rows is refused before the first fit', () => {
    const e = limitError(() => chooseK(grid(2_000), { kRange: [2, 1_999] }));
    expect(e.path).toEqual(['options', 'maxDistances']);
    expect(e.message).toContain('k = 2…1999');
  });

  it('maxDistances raises the limit and does not change the result', () => {
    const X = grid(60);
    expect(limitError(() => chooseK(X, { kRange: [2, 4], maxDistances: 1e5 })).path).toEqual(['options', 'maxDistances']);
    expect(chooseK(X, { kRange: [2, 4], maxDistances: 1e12 })).toEqual(chooseK(X, { kRange: [2, 4] }));
  });
});

describe('Som is bounded by maxDistances before the map is allocated', () => {
  it('a 100,000 × 100,000 grid, a 1,000 × 1,000 grid and 1e9 epochs are refused', () => {
    const X = grid(100);
    expect(limitError(() => Som.fit(X, { rows: 100_000, cols: 100_000 })).path).toEqual(['options', 'maxDistances']);
    expect(limitError(() => Som.fit(X, { rows: 1_000, cols: 1_000 })).path).toEqual(['options', 'maxDistances']);
    expect(limitError(() => Som.fit(X, { epochs: 1e9, training: 'online' })).path).toEqual(['options', 'maxDistances']);
  });

  it('maxDistances raises the limit and does not change the map', () => {
    const X = grid(40);
    expect(limitError(() => Som.fit(X, { rows: 2, cols: 2, epochs: 3, maxDistances: 100 })).path).toEqual(['options', 'maxDistances']);
    expect(Som.fit(X, { rows: 2, cols: 2, epochs: 3, maxDistances: 1e12 }).toJSON()).toEqual(Som.fit(X, { rows: 2, cols: 2, epochs: 3 }).toJSON());
  });
});

describe('Som.uMatrix visits only adjacent units', () => {
  /** The U-matrix from its definition: every other unit, kept when it is adjacent on the grid. */
  function bruteForce(weights: readonly (readonly number[])[], rows: number, cols: number, hexagonal: boolean): number[][] {
    const pos = (u: number): [number, number] => {
      const r = Math.floor(u / cols);
      const c = u % cols;
      return hexagonal ? [c + (r % 2 === 1 ? 0.5 : 0), (r * Math.sqrt(3)) / 2] : [c, r];
    };
    const limit = hexagonal ? 1 + 1e-9 : Math.SQRT2 + 1e-9;
    return Array.from({ length: rows }, (_, r) =>
      Array.from({ length: cols }, (_, c) => {
        const u = r * cols + c;
        let sum = 0;
        let count = 0;
        for (let v = 0; v < rows * cols; v++) {
          const [x1, y1] = pos(u);
          const [x2, y2] = pos(v);
          if (v === u || (x1 - x2) ** 2 + (y1 - y2) ** 2 > limit * limit) continue;
          let s = 0;
          for (let t = 0; t < weights[u]!.length; t++) s += (weights[u]![t]! - weights[v]![t]!) ** 2;
          sum += Math.sqrt(s);
          count++;
        }
        return count === 0 ? 0 : sum / count;
      }),
    );
  }

  for (const topology of ['rectangular', 'hexagonal'] as const) {
    it(`${topology}: equals the all-pairs definition bit for bit`, () => {
      const X = grid(60).map(([a, b]) => [a! / 97, b! / 89]);
      for (const [rows, cols] of [[1, 1], [1, 4], [4, 1], [3, 5], [6, 4]] as const) {
        const som = Som.fit(X, { rows, cols, topology, epochs: 4, seed: rows + cols });
        expect(som.uMatrix()).toEqual(bruteForce(som.weights, rows, cols, topology === 'hexagonal'));
      }
    });
  }

  it('a 200 × 200 map loaded from JSON (40,000 units) gets its U-matrix in O(units), where all pairs would be 1.6e9', () => {
    const base = Som.fit([[0, 0], [0, 1], [5, 5]], { rows: 1, cols: 2, epochs: 1 }).toJSON();
    const rows = 200;
    const cols = 200;
    const weights = Array.from({ length: rows * cols }, (_, u) => [u % cols, Math.floor(u / cols)]);
    const som = Som.fromJSON({ ...base, options: { ...base.options, rows, cols }, weights, labels: [0, 0, 0] });
    const u = som.uMatrix();
    expect(u[0]![0]).toBe((1 + 1 + Math.SQRT2) / 3);
    const r2 = Math.SQRT2;
    expect(u[150]![150]).toBe((r2 + 1 + r2 + 1 + 1 + r2 + 1 + r2) / 8); // neighbours in index order
  });
});
