import { describe, expect, it } from 'vitest';
import { Som, type SomOptions } from '@crm/segment';
import { blobs, crmCode, frozen, loadMall } from './helpers.ts';

// Mall income and score, min-max scaled as the SOM literature (and REFERENCE.md T5) does.
const mall = loadMall();
const lo = [0, 1].map((j) => Math.min(...mall.X.map((r) => r[j]!)));
const hi = [0, 1].map((j) => Math.max(...mall.X.map((r) => r[j]!)));
const scaled = mall.X.map((r) => r.map((v, j) => (v - lo[j]!) / (hi[j]! - lo[j]!)));

const VARIANTS: SomOptions[] = [
  { training: 'batch', topology: 'rectangular', neighbourhood: 'gaussian' },
  { training: 'batch', topology: 'hexagonal', neighbourhood: 'bubble' },
  { training: 'online', topology: 'rectangular', neighbourhood: 'bubble' },
  { training: 'online', topology: 'hexagonal', neighbourhood: 'gaussian' },
];

describe('Som.fit(X, options)', () => {
  for (const variant of VARIANTS) {
    const name = `${variant.training}, ${variant.topology}, ${variant.neighbourhood}`;

    it(`${name}: quantization error falls as training proceeds`, () => {
      const som = Som.fit(frozen(scaled), { ...variant, rows: 5, cols: 5, epochs: 30, seed: 4 });
      expect(som.history.length).toBe(30);
      const first = som.history[0]!;
      const last = som.history[29]!;
      expect(last).toBeLessThan(first);
      expect(som.quantizationError(scaled)).toBe(last);
      // More training from the same start ends lower (or equal) than stopping early.
      const short = Som.fit(scaled, { ...variant, rows: 5, cols: 5, epochs: 2, seed: 4 });
      expect(last).toBeLessThan(short.quantizationError(scaled));
    });

    it(`${name}: BMUs of well-separated blobs do not overlap, and the same seed gives the same map`, () => {
      const { X, truth } = blobs([[0, 0, 0], [10, 10, 0], [0, 10, 10]], 40, 0.5, 11);
      const som = Som.fit(X, { ...variant, rows: 4, cols: 4, epochs: 20, seed: 9 });
      const unitsOf = [0, 1, 2].map((b) => new Set(som.labels.filter((_, i) => truth[i] === b)));
      for (let a = 0; a < 3; a++) {
        for (let b = a + 1; b < 3; b++) for (const u of unitsOf[a]!) expect(unitsOf[b]!.has(u)).toBe(false);
      }
      const again = Som.fit(X, { ...variant, rows: 4, cols: 4, epochs: 20, seed: 9 });
      expect(again.toJSON()).toEqual(som.toJSON());
    });
  }

  it('a 1×1 batch map is the mean of the data after one epoch', () => {
    const mean = [0, 1].map((j) => scaled.reduce((s, r) => s + r[j]!, 0) / scaled.length);
    const som = Som.fit(scaled, { rows: 1, cols: 1, epochs: 1 });
    // One weighted average with weight 1 per row: equal up to summation rounding.
    som.weights[0]!.forEach((w, j) => expect(w).toBeCloseTo(mean[j]!, 13));
    expect(som.topographicError(scaled)).toBe(0);
  });

  it('a 1×1 online map converges to the mean', () => {
    const mean = [0, 1].map((j) => scaled.reduce((s, r) => s + r[j]!, 0) / scaled.length);
    const som = Som.fit(scaled, { rows: 1, cols: 1, training: 'online', epochs: 200, learningRate: 0.1, finalLearningRate: 0.0005, seed: 2 });
    // Stochastic approximation: with the final rate 5e-4 the weight is an exponentially weighted
    // mean of the last ~2,000 draws; its sd is about 0.25 · √(5e-4 / 2) ≈ 0.004 (column sd ≈ 0.25):
    // 0.02 is 5 sd.
    som.weights[0]!.forEach((w, j) => expect(Math.abs(w - mean[j]!)).toBeLessThan(0.02));
  });

  it('uMatrix(), coordinates() and topographicError() have the documented shape and range', () => {
    const som = Som.fit(scaled, { rows: 4, cols: 6, topology: 'hexagonal', seed: 1 });
    const u = som.uMatrix();
    expect(u.length).toBe(4);
    expect(u.every((r) => r.length === 6 && r.every((v) => v >= 0 && Number.isFinite(v)))).toBe(true);
    const coords = som.coordinates(scaled.slice(0, 3));
    coords.forEach(([r, c], i) => expect(r * 6 + c).toBe(som.labels[i]));
    const te = som.topographicError(scaled);
    expect(te).toBeGreaterThanOrEqual(0);
    expect(te).toBeLessThanOrEqual(1);
  });

  it('uMatrix on a 1×3 line with known weights', () => {
    // Data at 0, 1 and 3 on a 1×3 map with a tiny final radius: weights settle near the three points.
    const som = Som.fit([[0, 0], [1, 0], [3, 1]], { rows: 1, cols: 3, epochs: 40, radius: 1, finalRadius: 0.05, seed: 0 });
    const w = som.weights;
    const dist = (a: readonly number[], b: readonly number[]): number => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);
    const u = som.uMatrix()[0]!;
    expect(u[0]).toBeCloseTo(dist(w[0]!, w[1]!), 14);
    expect(u[1]).toBeCloseTo((dist(w[1]!, w[0]!) + dist(w[1]!, w[2]!)) / 2, 14);
    expect(u[2]).toBeCloseTo(dist(w[2]!, w[1]!), 14);
  });

  it('round-trips through JSON with identical predictions', () => {
    const som = Som.fit(scaled, { rows: 3, cols: 3, training: 'online', seed: 5, epochs: 5 });
    const copy = Som.fromJSON(JSON.parse(JSON.stringify(som)));
    expect(copy.predict(scaled)).toEqual(som.predict(scaled));
    expect(copy.uMatrix()).toEqual(som.uMatrix());
    expect(copy.toJSON()).toEqual(som.toJSON());
  });

  it('rejects bad input, options and JSON', () => {
    expect(crmCode(() => Som.fit([]))).toBe('invalid_input');
    expect(crmCode(() => Som.fit([[1, 2], [3]]))).toBe('invalid_input');
    expect(crmCode(() => Som.fit([[1, NaN], [2, 3]]))).toBe('invalid_input');
    expect(crmCode(() => Som.fit([[1, 2], [1, 3]]))).toBe('degenerate_data');
    for (const bad of [{ rows: 0 }, { cols: 1.5 }, { topology: 'torus' }, { epochs: 0 }, { learningRate: 2 }, { radius: -1 }, { finalRadius: 9, radius: 2 }, { size: 3 }]) {
      expect(crmCode(() => Som.fit([[1, 2], [2, 3]], bad as SomOptions))).toBe('invalid_argument');
    }
    const som = Som.fit([[0, 0], [0, 1], [5, 5]], { rows: 1, cols: 2, epochs: 2 });
    expect(crmCode(() => som.predict([[1]]))).toBe('invalid_input');
    const json = som.toJSON();
    const bad = (patch: Record<string, unknown>): unknown => ({ ...json, ...patch });
    for (const j of [
      bad({ kind: 'crm.segment.kmeans' }),
      bad({ weights: [[0, 0]] }),
      bad({ weights: [[0, 0], [1]] }),
      bad({ labels: [0, 1, 2] }),
      bad({ history: [1] }),
      bad({ options: { ...json.options, topology: 'torus' } }),
      bad({ options: { ...json.options, rows: 0 } }),
    ]) {
      expect(crmCode(() => Som.fromJSON(j))).toBe('invalid_json');
    }
  });
});
