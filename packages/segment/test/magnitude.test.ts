import { describe, expect, it } from 'vitest';
import { Agglomerative, Dbscan, KMeans, Som, calinskiHarabasz, daviesBouldin, inertia, profileSegments, silhouette, type Linkage } from '@crm/segment';
import { blobs, crmCode, frozen, loadMall, loadMallReference } from './helpers.ts';

// Squared distances of rows beyond ~1e154 overflow and below ~1e-154 underflow. Multiplying data by
// a power of two is exact in floating point, so a clustering of X · 2^p must be the clustering of X,
// with centroids, heights and weights multiplied by exactly 2^p and squared quantities by 2^(2p):
// these tests compare bit for bit, no tolerance.

const pow2 = (p: number): number => 2 ** p;
const times = (X: readonly (readonly number[])[], f: number): number[][] => X.map((r) => r.map((v) => v * f));

const mall = loadMall();
const reference = loadMallReference();
// Three tight blobs 100 apart: at 2^510 the distances between blobs overflow when squared, while the
// within-blob sums of squares (the inertia) stay finite.
const { X: tight } = blobs([[0, 0], [100, 0], [0, 100]], 10, 0.1, 11);

describe('KMeans clusters data of any finite magnitude', () => {
  const base = KMeans.fit(tight, { k: 3, seed: 4 });
  for (const p of [510, -560]) {
    it(`KMeans on X · 2^${p} gives the labels of X, centroids · 2^${p} and inertia · 2^${2 * p}, exactly`, () => {
      const big = KMeans.fit(frozen(times(tight, pow2(p))), { k: 3, seed: 4 });
      expect(big.labels).toEqual(base.labels);
      expect(big.centroids).toEqual(times(base.centroids as number[][], pow2(p)));
      expect(big.inertia).toBe(base.inertia * pow2(p) * pow2(p));
      expect(big.iterations).toBe(base.iterations);
      expect(big.converged).toBe(base.converged);
      expect(big.predict(times(tight, pow2(p)))).toEqual(base.labels);
    });
  }

  it('KMeans throws non_finite_result instead of reporting an infinite inertia when the sum of squares itself overflows', () => {
    expect(crmCode(() => KMeans.fit(times(mall.X, pow2(520)), { k: 5, seed: 0 }))).toBe('non_finite_result');
  });

  it('KMeans.fromJSON with centroids near ±1e308 predicts the nearest centroid, not a tie at 0', () => {
    const json = { ...KMeans.fit([[0, 0], [1, 1]], { k: 2 }).toJSON(), centroids: [[-1e308, -1e308], [1e308, 1e308]], labels: [0, 1] };
    expect(KMeans.fromJSON(json).predict([[9e307, 8e307], [-1e308, -5e307]])).toEqual([1, 0]);
  });
});

describe('Agglomerative merges data of any finite magnitude', () => {
  for (const linkage of ['ward', 'complete', 'average', 'single'] as Linkage[]) {
    const base = Agglomerative.fit(mall.X, { linkage });
    for (const p of [900, -900]) {
      it(`${linkage} on Mall · 2^${p}: the same merges with heights · 2^${p} exactly, and the same k = 2 and k = 5 cuts`, () => {
        const big = Agglomerative.fit(frozen(times(mall.X, pow2(p))), { linkage });
        expect(big.merges.map((m) => [m.left, m.right, m.size])).toEqual(base.merges.map((m) => [m.left, m.right, m.size]));
        expect(big.merges.map((m) => m.height)).toEqual(base.merges.map((m) => m.height * pow2(p)));
        expect(big.labels({ k: 2 })).toEqual(base.labels({ k: 2 }));
        expect(big.labels({ k: 5 })).toEqual(base.labels({ k: 5 }));
      });
    }
  }

  it('ward heights that exceed the largest double throw non_finite_result rather than NaN or Infinity', () => {
    expect(crmCode(() => Agglomerative.fit([[-1.5e308, 0], [1.5e308, 1], [1.4e308, 2], [-1.4e308, 3]], { linkage: 'ward' }))).toBe('non_finite_result');
  });
});

describe('Dbscan compares distances of any finite magnitude', () => {
  it('DBSCAN on Mall · 2^600 with eps 9 · 2^600 equals scikit-learn DBSCAN(eps=9, min_samples=5) on Mall', () => {
    const model = Dbscan.fit(frozen(times(mall.X, pow2(600))), { eps: 9 * pow2(600), minSamples: 5 });
    expect(model.labels).toEqual(reference.dbscan_eps9_min5.labels);
    expect(model.coreIndices).toEqual(reference.dbscan_eps9_min5.core_sample_indices);
    expect(model.predict(times(mall.X, pow2(600)))).toEqual(
      Dbscan.fit(mall.X, { eps: 9, minSamples: 5 }).predict(mall.X),
    );
    expect(model.toJSON().coreRows).toEqual(times(mall.X, pow2(600)).filter((_, i) => model.coreIndices.includes(i)));
  });
});

describe('Som trains on data of any finite magnitude', () => {
  const lo = [0, 1].map((j) => Math.min(...mall.X.map((r) => r[j]!)));
  const hi = [0, 1].map((j) => Math.max(...mall.X.map((r) => r[j]!)));
  const scaled = mall.X.map((r) => r.map((v, j) => (v - lo[j]!) / (hi[j]! - lo[j]!)));
  for (const training of ['batch', 'online'] as const) {
    for (const p of [1000, -1000]) {
      it(`${training} Som on X · 2^${p}: the same BMUs, weights and quantization errors · 2^${p} exactly`, () => {
        const options = { rows: 3, cols: 3, epochs: 5, training, seed: 6 };
        const base = Som.fit(scaled, options);
        const big = Som.fit(frozen(times(scaled, pow2(p))), options);
        expect(big.labels).toEqual(base.labels);
        expect(big.weights).toEqual(times(base.weights as number[][], pow2(p)));
        expect(big.history).toEqual(base.history.map((q) => q * pow2(p)));
        expect(big.predict(times(scaled, pow2(p)))).toEqual(base.labels);
        expect(big.quantizationError(times(scaled, pow2(p)))).toBe(base.quantizationError(scaled) * pow2(p));
        expect(big.topographicError(times(scaled, pow2(p)))).toBe(base.topographicError(scaled));
      });
    }
  }

  it('Som.fromJSON with weights near ±1e308 predicts the right unit and never NaN or Infinity', () => {
    const json = Som.fit([[0, 0], [0, 1], [5, 5], [5, 6]], { rows: 1, cols: 2, epochs: 2 }).toJSON();
    const extreme = Som.fromJSON({ ...json, weights: [[1e308, -1e308], [-1e308, 1e308]] });
    expect(extreme.predict([[1e308, -1e308], [-9e307, 1e308], [1, -1]])).toEqual([0, 1, 0]);
    expect(extreme.quantizationError([[1e308, -1e308], [-1e308, 1e308]])).toBe(0);
    // The two units are 2.8e308 apart: the U-matrix cannot be represented, so it says so.
    expect(crmCode(() => extreme.uMatrix())).toBe('non_finite_result');
    const far = Som.fromJSON({ ...json, weights: [[1e300, -1e300], [-1e300, 1e300]] });
    expect(far.uMatrix()[0]![0]).toBe(Math.hypot(2e300, 2e300));
    expect(far.topographicError([[1e300, 1e300]])).toBe(0);
  });
});

describe('cluster metrics at any finite magnitude', () => {
  const labels = reference.kmeans5.labels;
  for (const p of [600, -600]) {
    it(`silhouette, Davies-Bouldin and Calinski-Harabasz of Mall · 2^${p} equal those of Mall bit for bit (they are scale-free)`, () => {
      const big = times(mall.X, pow2(p));
      expect(silhouette(big, labels)).toBe(silhouette(mall.X, labels));
      expect(daviesBouldin(big, labels)).toBe(daviesBouldin(mall.X, labels));
      expect(calinskiHarabasz(big, labels)).toBe(calinskiHarabasz(mall.X, labels));
    });
  }

  it('inertia of Mall · 2^500 is the inertia of Mall · 2^1000 exactly; beyond the largest double it throws non_finite_result', () => {
    expect(inertia(times(mall.X, pow2(500)), labels)).toBe(inertia(mall.X, labels) * pow2(1000));
    expect(crmCode(() => inertia(times(mall.X, pow2(520)), labels))).toBe('non_finite_result');
  });
});

describe('profileSegments at any finite magnitude', () => {
  it('means, medians and standard deviations of values near 1e308 are exact multiples, and descriptions are unchanged', () => {
    const records = mall.X.map(([income, score]) => ({ income: income!, score: score! }));
    const huge = records.map((r) => ({ income: r.income * pow2(1016), score: r.score }));
    const labels = reference.kmeans5.labels;
    const base = profileSegments(records, labels);
    const big = profileSegments(huge, labels);
    expect(big.overall.mean.income).toBe(base.overall.mean.income! * pow2(1016));
    expect(big.overall.sd.income).toBe(base.overall.sd.income! * pow2(1016));
    expect(big.overall.median.income).toBe(base.overall.median.income! * pow2(1016));
    expect(big.overall.mean.score).toBe(base.overall.mean.score);
    expect(big.segments.map((s) => s.description)).toEqual(base.segments.map((s) => s.description));
    expect(big.segments.map((s) => s.difference)).toEqual(base.segments.map((s) => s.difference));
  });
});

describe('Calinski-Harabasz when within-cluster spreads are too small to square', () => {
  it('clusters of one repeated point give 1 (scikit-learn); spreads of 1e-310 beside a separation of 1 give non_finite_result, not 1', () => {
    expect(calinskiHarabasz([[0], [0], [1], [1]], [0, 0, 1, 1])).toBe(1);
    expect(crmCode(() => calinskiHarabasz([[0], [1e-310], [1], [1]], [0, 0, 1, 1]))).toBe('non_finite_result');
  });
});
