import { describe, expect, it } from 'vitest';
import { profileSegments } from '@crm/segment';
import { crmCode, loadMall, loadMallReference } from './helpers.ts';

const customers = Object.freeze([
  Object.freeze({ id: 'a', recency: 5, orders: 12, spend: 900 }),
  Object.freeze({ id: 'b', recency: 8, orders: 10, spend: 700 }),
  Object.freeze({ id: 'c', recency: 11, orders: 8, spend: 800 }),
  Object.freeze({ id: 'd', recency: 200, orders: 1, spend: 30 }),
  Object.freeze({ id: 'e', recency: 250, orders: 2, spend: 45 }),
]);
const labels = Object.freeze([1, 1, 1, 0, 0]);
const words = {
  recency: { high: 'lapsed', low: 'recent' },
  orders: { high: 'frequent', low: 'rare' },
  spend: { high: 'high spend', low: 'low spend' },
};

describe('profileSegments(records or X, labels, options)', () => {
  const p = profileSegments(customers, labels, { words });

  it('reads the numeric fields of records and sizes, shares, means and medians by hand', () => {
    expect(p.features).toEqual(['recency', 'orders', 'spend']);
    expect(p.segments.map((s) => [s.label, s.size, s.share])).toEqual([
      [0, 2, 0.4],
      [1, 3, 0.6],
    ]);
    const [lapsed, loyal] = p.segments;
    expect(loyal!.mean).toEqual({ recency: 8, orders: 10, spend: 800 });
    expect(loyal!.median).toEqual({ recency: 8, orders: 10, spend: 800 });
    expect(lapsed!.mean).toEqual({ recency: 225, orders: 1.5, spend: 37.5 });
    expect(lapsed!.median).toEqual({ recency: 225, orders: 1.5, spend: 37.5 });
    expect(p.overall.mean.recency).toBeCloseTo(94.8, 12);
    expect(p.overall.median.spend).toBe(700);
  });

  it('gives the difference from the overall mean in (population) standard deviations', () => {
    const r: number[] = customers.map((c) => c.recency);
    const mean = r.reduce((s, v) => s + v) / r.length;
    const sd = Math.sqrt(r.reduce((s, v) => s + (v - mean) ** 2, 0) / r.length);
    expect(p.overall.sd.recency).toBeCloseTo(sd, 12);
    expect(p.segments[1]!.difference.recency).toBeCloseTo((8 - mean) / sd, 12);
  });

  it('describes each segment by its most distinctive features in the given words', () => {
    // All three features lie ≈ 0.8–1.2 sd from the mean; order by |difference|, largest first.
    const loyal = p.segments[1]!;
    const order = Object.entries(loyal.difference)
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
      .map(([k, z]) => (z > 0 ? words[k as keyof typeof words].high : words[k as keyof typeof words].low));
    expect(loyal.description).toBe(order.join(', '));
    expect(loyal.description.split(', ').sort()).toEqual(['frequent', 'high spend', 'recent']);
    expect(p.segments[0]!.description.split(', ').sort()).toEqual(['lapsed', 'low spend', 'rare']);
    // Without words: "high <name>" / "low <name>"; maxTerms and threshold limit the terms.
    const plain = profileSegments(customers, labels, { maxTerms: 1 });
    expect(plain.segments[0]!.description).toMatch(/^(high|low) (recency|orders|spend)$/);
    expect(profileSegments(customers, labels, { threshold: 5 }).segments[0]!.description).toBe('close to the average customer');
  });

  it('gives the same numbers from a matrix with featureNames', () => {
    const X = customers.map((c) => [c.recency, c.orders, c.spend]);
    const q = profileSegments(X, labels, { featureNames: ['recency', 'orders', 'spend'], words });
    expect(q).toEqual(p);
    expect(profileSegments(X, labels).features).toEqual(['x0', 'x1', 'x2']);
  });

  it('profiles the Mall k-means segments: shares sum to 1 and sizes match the labels', () => {
    const mall = loadMall();
    const ref = loadMallReference();
    const prof = profileSegments(mall.X, ref.kmeans5.labels, { featureNames: ['income', 'score'] });
    expect(prof.segments.reduce((s, seg) => s + seg.share, 0)).toBeCloseTo(1, 12);
    expect(prof.segments.map((s) => s.size).sort((a, b) => a - b)).toEqual([22, 23, 35, 39, 81]);
  });

  it('rejects missing values, constant features and mismatched labels', () => {
    expect(crmCode(() => profileSegments([{ a: 1, b: 2 }, { a: 2 }], [0, 1]))).toBe('invalid_input');
    expect(crmCode(() => profileSegments([{ a: 1, b: 2 }, { a: 2, b: NaN }], [0, 1]))).toBe('invalid_input');
    expect(crmCode(() => profileSegments([[1, 2], [1, 3]], [0, 1]))).toBe('degenerate_data');
    expect(crmCode(() => profileSegments([[1, 2], [2, 3]], [0]))).toBe('invalid_labels');
    expect(crmCode(() => profileSegments([], []))).toBe('invalid_input');
    expect(crmCode(() => profileSegments([[1, 2], [2, 3]], [0, 1], { featureNames: ['a'] }))).toBe('invalid_argument');
    expect(crmCode(() => profileSegments([[1, 2], [2, 3]], [0, 1], { featureNames: ['a', 'a'] }))).toBe('invalid_input');
    expect(crmCode(() => profileSegments([{ a: 1 }, { a: 2 }], [0, 1], { words: { b: { high: 'x', low: 'y' } } }))).toBe('invalid_argument');
    expect(crmCode(() => profileSegments([{ s: 'x' }], [0]))).toBe('invalid_input');
  });
});
