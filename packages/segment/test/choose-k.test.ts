import { describe, expect, it } from 'vitest';
import { chooseK, inertia, KMeans } from '@crm/segment';
import { blobs, crmCode, frozen, loadMall, loadMallReference } from './helpers.ts';

const mall = loadMall();
const ref = loadMallReference();

describe('chooseK(X, { kRange, method })', () => {
  const bySilhouette = chooseK(frozen(mall.X), { kRange: [2, 10], method: 'silhouette' });

  it('scores k = 2…5 on Mall as scikit-learn KMeans(n_init=10) does (mall_reference.json kmeans_k_curve)', () => {
    expect(bySilhouette.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Up to k = 5 every start of both implementations reaches the same optimum: equal up to
    // summation order (1e-12 relative). From k = 6 on, Mall has many local optima and each
    // implementation keeps the best of its own 10 random starts, so the values are not a
    // reference there (ours is lower at k = 6, 7, 8, 10 and higher at k = 9); they are checked
    // as Lloyd fixed points below instead.
    bySilhouette.scores.slice(0, 4).forEach((s, i) => {
      const r = ref.kmeans_k_curve[i]!;
      expect(Math.abs(s.inertia - r.inertia) / r.inertia).toBeLessThan(1e-12);
      expect(Math.abs(s.silhouette - r.silhouette)).toBeLessThan(1e-9);
    });
    for (const s of bySilhouette.scores) expect(s.converged).toBe(true);
  });

  it('every k is scored at a k-means fixed point: its inertia equals inertia(X, labels) of a refit', () => {
    for (const s of bySilhouette.scores) {
      const model = KMeans.fit(mall.X, { k: s.k, seed: 0 });
      expect(model.inertia).toBe(s.inertia);
      // Centroids are the means of their rows and rows sit at their nearest centroid.
      expect(Math.abs(inertia(mall.X, model.labels) - s.inertia) / s.inertia).toBeLessThan(1e-12);
      expect(model.predict(mall.X)).toEqual([...model.labels]);
    }
  });

  it('picks k = 5 on Mall by silhouette, the maximum of scikit-learn’s curve', () => {
    const best = ref.kmeans_k_curve.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
    expect(bySilhouette.k).toBe(best.k);
    expect(bySilhouette.method).toBe('silhouette');
  });

  it('picks the elbow of the inertia curve: the k farthest above the chord of scikit-learn’s normalised drop', () => {
    const curve = ref.kmeans_k_curve;
    const first = curve[0]!;
    const last = curve[curve.length - 1]!;
    // Kneedle (Satopää et al. 2011) by hand on the reference inertias.
    const gap = (c: { k: number; inertia: number }): number =>
      (first.inertia - c.inertia) / (first.inertia - last.inertia) - (c.k - first.k) / (last.k - first.k);
    const expected = curve.reduce((a, b) => (gap(b) > gap(a) ? b : a)).k;
    expect(chooseK(mall.X, { kRange: [2, 10], method: 'elbow' }).k).toBe(expected);
  });

  it('finds the number of well-separated blobs with both methods', () => {
    const { X } = blobs([[0, 0], [10, 0], [0, 10], [10, 10]], 30, 0.7, 5);
    expect(chooseK(X, { kRange: [2, 8], method: 'silhouette', seed: 1 }).k).toBe(4);
    expect(chooseK(X, { kRange: [2, 8], method: 'elbow', seed: 1 }).k).toBe(4);
  });

  it('uses a seeded silhouette sample above silhouetteSampleSize and stays reproducible', () => {
    const a = chooseK(mall.X, { kRange: [4, 6], silhouetteSampleSize: 120, seed: 3 });
    const b = chooseK(mall.X, { kRange: [4, 6], silhouetteSampleSize: 120, seed: 3 });
    expect(a).toEqual(b);
  });

  it('rejects bad ranges, methods and data', () => {
    expect(crmCode(() => chooseK(mall.X, { kRange: [1, 5] }))).toBe('invalid_argument');
    expect(crmCode(() => chooseK(mall.X, { kRange: [5, 4] }))).toBe('invalid_argument');
    expect(crmCode(() => chooseK(mall.X, { kRange: [2, 200] }))).toBe('invalid_argument');
    expect(crmCode(() => chooseK(mall.X, { kRange: [2, 3], method: 'elbow' }))).toBe('invalid_argument');
    expect(crmCode(() => chooseK(mall.X, { method: 'gap' as 'elbow' }))).toBe('invalid_argument');
    expect(crmCode(() => chooseK([[1, 2], [3, 4]]))).toBe('invalid_input');
    expect(crmCode(() => chooseK([[1, 2], [1, 4], [1, 5]]))).toBe('degenerate_data');
    expect(crmCode(() => chooseK([[1, 2], [2, NaN], [1, 5]]))).toBe('invalid_input');
  });
});
