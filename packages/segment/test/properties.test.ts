import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Agglomerative, calinskiHarabasz, daviesBouldin, Dbscan, KMeans, Som, silhouette } from '@crm/segment';

/** Random matrices of 4–30 rows × 1–4 columns, without constant columns (rejected by design). */
const matrix = fc
  .record({
    n: fc.integer({ min: 4, max: 30 }),
    d: fc.integer({ min: 1, max: 4 }),
    values: fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 120, maxLength: 120 }),
  })
  // Rounded to 1e-3: customer data, not subnormal numbers whose squared differences underflow to 0.
  .map(({ n, d, values }) => Array.from({ length: n }, (_, i) => values.slice(i * d, i * d + d).map((v) => Math.round(v * 1000) / 1000)))
  .filter((X) => X[0]!.every((_, t) => X.some((r) => r[t] !== X[0]![t])));

const deepFreeze = (X: number[][]): readonly (readonly number[])[] => Object.freeze(X.map((r) => Object.freeze([...r])));

describe('properties on random data', () => {
  it('every model round-trips through JSON with identical predictions, and never mutates X', () => {
    fc.assert(
      fc.property(matrix, fc.integer({ min: 0, max: 1000 }), (X, seed) => {
        const frozen = deepFreeze(X);
        const distinct = new Set(X.map((r) => r.join(','))).size;
        const k = Math.min(3, distinct);
        const km = KMeans.fit(frozen, { k, seed, restarts: 2 });
        expect(KMeans.fromJSON(JSON.parse(JSON.stringify(km))).predict(frozen)).toEqual(km.predict(frozen));
        const som = Som.fit(frozen, { rows: 2, cols: 2, epochs: 3, seed, training: seed % 2 ? 'online' : 'batch' });
        expect(Som.fromJSON(JSON.parse(JSON.stringify(som))).predict(frozen)).toEqual(som.predict(frozen));
        const db = Dbscan.fit(frozen, { eps: 10, minSamples: 3 });
        expect(Dbscan.fromJSON(JSON.parse(JSON.stringify(db))).predict(frozen)).toEqual(db.predict(frozen));
        const tree = Agglomerative.fit(frozen, { linkage: 'average' });
        expect(Agglomerative.fromJSON(JSON.parse(JSON.stringify(tree))).labels({ k })).toEqual(tree.labels({ k }));
        // The kept labels are a fixed point of the assignment step: predict gives them back.
        expect(km.predict(frozen)).toEqual([...km.labels]);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('metrics stay in range on random labelings: silhouette in [-1, 1], Davies-Bouldin ≥ 0, Calinski-Harabasz ≥ 0', () => {
    fc.assert(
      fc.property(matrix, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 30, maxLength: 30 }), (X, raw) => {
        const labels = raw.slice(0, X.length);
        const clusters = new Set(labels).size;
        fc.pre(clusters >= 2 && clusters <= X.length - 1);
        const s = silhouette(X, labels);
        expect(s).toBeGreaterThanOrEqual(-1);
        expect(s).toBeLessThanOrEqual(1);
        expect(daviesBouldin(X, labels)).toBeGreaterThanOrEqual(0);
        expect(calinskiHarabasz(X, labels)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('Agglomerative merge heights never decrease and cluster sizes add up, for every linkage', () => {
    fc.assert(
      fc.property(matrix, fc.constantFrom('ward', 'complete', 'average', 'single' as const), (X, linkage) => {
        const tree = Agglomerative.fit(X, { linkage });
        tree.merges.forEach((m, i) => {
          if (i > 0) expect(m.height).toBeGreaterThanOrEqual(tree.merges[i - 1]!.height);
        });
        expect(tree.merges[tree.merges.length - 1]!.size).toBe(X.length);
      }),
      { numRuns: 100, seed: 13 },
    );
  });
});
