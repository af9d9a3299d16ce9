import { describe, expect, it } from 'vitest';
import { KMeans, silhouette } from '@crm/segment';
import { adjustedRand, blobs, crmCode, frozen, loadMall, loadMallReference } from './helpers.ts';

const mall = loadMall();
const ref = loadMallReference();

describe('KMeans.fit(X, { k }) on Mall customers (income, spending score; unscaled)', () => {
  const model = KMeans.fit(frozen(mall.X), { k: 5, seed: 0 });

  it('reaches scikit-learn 1.2.1 KMeans(n_init=10) inertia 44448.455 (REFERENCE.md T3; mall_reference.json)', () => {
    // Both converge to the same local optimum; the sums differ only by rounding order:
    // relative 1e-12 is far below any change of partition (the smallest move of one row changes it by > 1).
    expect(model.inertia).toBeCloseTo(44448.455, 3);
    expect(Math.abs(model.inertia - ref.kmeans5.inertia) / ref.kmeans5.inertia).toBeLessThan(1e-12);
    expect(model.converged).toBe(true);
  });

  it('finds the same partition as scikit-learn (adjusted Rand index 1) and the same centroids', () => {
    expect(adjustedRand(model.labels, ref.kmeans5.labels)).toBe(1);
    const sortKey = (c: readonly number[]): number => (c[0] as number) * 1000 + (c[1] as number);
    const ours = [...model.centroids].sort((a, b) => sortKey(a) - sortKey(b));
    const theirs = [...ref.kmeans5.centroids].sort((a, b) => sortKey(a) - sortKey(b));
    // Centroids are means of the same rows: equal up to summation rounding.
    ours.forEach((c, i) => c.forEach((v, j) => expect(v).toBeCloseTo(theirs[i]![j]!, 10)));
  });

  it('has silhouette 0.5539 as scikit-learn gives (REFERENCE.md T3)', () => {
    expect(silhouette(mall.X, model.labels)).toBeCloseTo(0.5539, 4);
  });

  it('predict() puts every training row in its own cluster and new rows at the nearest centroid', () => {
    expect(model.predict(mall.X)).toEqual([...model.labels]);
    const [c0] = model.centroids;
    expect(model.predict([[c0![0]! + 0.1, c0![1]! - 0.1]])).toEqual([0]);
  });

  it('gives identical results for the same seed and restores identical predictions from JSON', () => {
    const again = KMeans.fit(mall.X, { k: 5, seed: 0 });
    expect(again.toJSON()).toEqual(model.toJSON());
    const copy = KMeans.fromJSON(JSON.parse(JSON.stringify(model)));
    expect(copy.predict(mall.X)).toEqual(model.predict(mall.X));
    expect(copy.toJSON()).toEqual(model.toJSON());
  });
});

describe('KMeans.fit(X, options) behaviour', () => {
  it('separates well-separated blobs exactly', () => {
    const { X, truth } = blobs([[0, 0], [20, 0], [0, 20]], 50, 1, 3);
    const m = KMeans.fit(X, { k: 3, seed: 1 });
    expect(adjustedRand(m.labels, truth)).toBe(1);
  });

  it('k = n puts every row in its own cluster with inertia 0; k = 1 gives the column means', () => {
    const X = [[1, 2], [3, 5], [4, 1]];
    const all = KMeans.fit(X, { k: 3 });
    expect(new Set(all.labels).size).toBe(3);
    expect(all.inertia).toBe(0);
    const one = KMeans.fit(X, { k: 1 });
    expect(one.centroids[0]![0]).toBeCloseTo(8 / 3, 14);
    expect(one.centroids[0]![1]).toBeCloseTo(8 / 3, 14);
  });

  it('maxIterations: 1 reports converged: false on data that needs more', () => {
    const { X } = blobs([[0, 0], [3, 0], [0, 3], [3, 3]], 100, 1.5, 9);
    const m = KMeans.fit(X, { k: 4, maxIterations: 1, restarts: 1, seed: 2, tolerance: 0 });
    expect(m.converged).toBe(false);
    expect(m.iterations).toBe(1);
  });

  it("init: 'random' also finds the Mall optimum", () => {
    const m = KMeans.fit(mall.X, { k: 5, seed: 3, init: 'random', restarts: 20 });
    expect(adjustedRand(m.labels, ref.kmeans5.labels)).toBe(1);
  });

  it('rejects bad input and options with CrmError codes', () => {
    expect(crmCode(() => KMeans.fit([], { k: 1 }))).toBe('invalid_input');
    expect(crmCode(() => KMeans.fit([[1, 2], [3]], { k: 1 }))).toBe('invalid_input');
    expect(crmCode(() => KMeans.fit([[1, NaN], [3, 4]], { k: 1 }))).toBe('invalid_input');
    expect(crmCode(() => KMeans.fit([[1, 2], [1, 3]], { k: 1 }))).toBe('degenerate_data'); // constant column 0
    expect(crmCode(() => KMeans.fit([[1, 2], [3, 4]], { k: 3 }))).toBe('degenerate_data'); // k > n
    expect(crmCode(() => KMeans.fit([[1, 2], [1, 2], [3, 4]], { k: 3 }))).toBe('degenerate_data'); // 2 distinct rows
    expect(crmCode(() => KMeans.fit([[1, 2], [3, 4]], { k: 0 }))).toBe('invalid_argument');
    expect(crmCode(() => KMeans.fit([[1, 2], [3, 4]], { k: 1.5 }))).toBe('invalid_argument');
    expect(crmCode(() => KMeans.fit([[1, 2], [3, 4]], {} as { k: number }))).toBe('invalid_argument');
    expect(crmCode(() => KMeans.fit([[1, 2], [3, 4]], { k: 1, iters: 3 } as { k: number }))).toBe('invalid_argument');
    expect(crmCode(() => KMeans.fit('x' as unknown as number[][], { k: 1 }))).toBe('invalid_argument');
    const m = KMeans.fit([[1, 2], [3, 4]], { k: 2 });
    expect(crmCode(() => m.predict([[1, 2, 3]]))).toBe('invalid_input');
    expect(crmCode(() => m.predict([[1, Infinity]]))).toBe('invalid_input');
  });

  it('fromJSON rejects tampered or foreign JSON with invalid_json', () => {
    const json = KMeans.fit([[1, 2], [3, 4], [5, 7]], { k: 2 }).toJSON();
    const bad = (patch: Record<string, unknown>): unknown => ({ ...json, ...patch });
    for (const j of [
      null,
      [],
      bad({ kind: 'crm.segment.som' }),
      bad({ version: 2 }),
      bad({ centroids: [[1, 2]] }),
      bad({ centroids: [[1, 2], [3]] }),
      bad({ centroids: [[1, 2], [3, 'x']] }),
      bad({ labels: [0, 1, 2] }),
      bad({ inertia: -1 }),
      bad({ converged: 'yes' }),
      bad({ options: { ...json.options, k: 2.5 } }),
      JSON.parse('{"__proto__": {"polluted": true}}'),
    ]) {
      expect(crmCode(() => KMeans.fromJSON(j))).toBe('invalid_json');
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
