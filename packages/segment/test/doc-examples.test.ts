import { describe, expect, it } from 'vitest';
import {
  Agglomerative,
  Dbscan,
  KMeans,
  RuleSegments,
  Som,
  calinskiHarabasz,
  chooseK,
  crossSegments,
  daviesBouldin,
  inertia,
  profileSegments,
  silhouette,
  type BandRuleSettings,
  type BandSettings,
  type MapRuleSettings,
} from '@crm/segment';

// Every value a TSDoc @example in src/ states in a comment, computed as the example writes it.
// A changed number here means the doc comment must change with it.

describe('TSDoc examples print what their comments say', () => {
  it('KMeans examples: converged, settings, predict of two far rows', () => {
    expect(KMeans.fit([[1, 1], [1, 2], [8, 8], [9, 8]], { k: 2, restarts: 5, seed: 7 }).converged).toBe(true);
    expect(KMeans.fit([[1, 1], [8, 8], [9, 8]], { k: 2 }).options.restarts).toBe(10);
    expect(KMeans.fit([[1, 1], [8, 8], [9, 8]], { k: 2 }).toJSON().centroids).toHaveLength(2);
    const [a, b] = KMeans.fit([[1, 1], [1, 2], [8, 8], [9, 8]], { k: 2 }).predict([[0, 0], [10, 10]]);
    expect(a).not.toBe(b);
  });

  it('metric examples: silhouette ≈ 0.86, Davies-Bouldin 0.2, Calinski-Harabasz 100, inertia 2', () => {
    expect(silhouette([[0, 0], [0, 1], [5, 5], [5, 6]], [0, 0, 1, 1])).toBeCloseTo(0.86, 2);
    expect(daviesBouldin([[0, 0], [0, 2], [10, 0], [10, 2]], [0, 0, 1, 1])).toBe(0.2);
    expect(calinskiHarabasz([[0, 0], [0, 1], [5, 5], [5, 6]], [0, 0, 1, 1])).toBe(100);
    expect(inertia([[0, 0], [0, 2], [10, 10]], [0, 0, 1])).toBe(2);
  });

  it('Agglomerative examples: first single merge, cuts, JSON merges', () => {
    expect(Agglomerative.fit([[0, 0], [0, 1], [5, 5]], { linkage: 'single' }).merges[0]).toEqual({ left: 0, right: 1, height: 1, size: 2 });
    expect(Agglomerative.fit([[0, 0], [0, 1], [5, 5]]).toJSON().merges).toHaveLength(2);
    expect(Agglomerative.fit([[0, 0], [0, 1], [5, 5]]).options.linkage).toBe('ward');
    expect(Agglomerative.fromJSON(JSON.parse(JSON.stringify(Agglomerative.fit([[0, 0], [0, 1], [5, 5]])))).labels({ k: 2 })).toEqual([0, 0, 1]);
    const tree = Agglomerative.fit([[0, 0], [0, 1], [5, 5], [5, 7]]);
    expect(tree.labels({ k: 2 })).toEqual([0, 0, 1, 1]);
    expect(tree.labels({ height: 0.5 })).toEqual([0, 1, 2, 3]);
    const merges = Agglomerative.fit([[0, 0], [0, 1], [5, 5]]).toJSON().merges;
    expect(merges[0]).toEqual([0, 1, 1, 2]);
    expect([merges[1]![0], merges[1]![1], merges[1]![3]]).toEqual([2, 3, 3]);
    expect(Agglomerative.fit([[1, 1], [1, 2], [8, 8], [9, 8], [25, 30]], { linkage: 'ward' }).merges).toHaveLength(4);
  });

  it('Dbscan examples: labels, predictions, core indices, settings', () => {
    expect(Dbscan.fit([[0, 0], [0, 1], [9, 9]], { eps: 2, minSamples: 2 }).toJSON().labels).toEqual([0, 0, -1]);
    expect(Dbscan.fit([[0, 0], [0, 1], [9, 9]], { eps: 2 }).options.minSamples).toBe(5);
    const model = Dbscan.fit([[1, 1], [1, 2], [2, 1], [8, 8], [8, 9], [9, 8], [30, 30]], { eps: 1.5, minSamples: 3 });
    expect(model.labels).toEqual([0, 0, 0, 1, 1, 1, -1]);
    expect(model.predict([[1.5, 1.5]])).toEqual([0]);
    const small = Dbscan.fit([[0, 0], [0, 1], [1, 0], [10, 10]], { eps: 1.5, minSamples: 2 });
    expect(small.labels).toEqual([0, 0, 0, -1]);
    expect(Dbscan.fromJSON(JSON.parse(JSON.stringify(small))).predict([[0.5, 0.5]])).toEqual([0]);
    expect(small.predict([[0.2, 0.3], [5, 5]])).toEqual([0, -1]);
    expect(Dbscan.fit([[0, 0], [0, 1], [9, 9]], { eps: 2, minSamples: 2 }).toJSON().coreIndices).toEqual([0, 1]);
  });

  it('Som examples: coordinates, quantization error ≈ 0.5, weights, settings', () => {
    const X = [[0, 0], [0, 1], [5, 5], [5, 6]];
    expect(Som.fit(X, { rows: 2, cols: 2 }).coordinates([[0, 0]])).toEqual([[0, 0]]);
    expect(Som.fit(X, { rows: 1, cols: 2, finalRadius: 0.1 }).quantizationError(X)).toBeCloseTo(0.5, 6);
    const te = Som.fit(X, { rows: 2, cols: 2 }).topographicError(X);
    expect(te).toBeGreaterThanOrEqual(0);
    expect(te).toBeLessThanOrEqual(1);
    const [u0, u1] = Som.fit(X, { rows: 1, cols: 2 }).predict([[0, 0], [5, 5]]);
    expect(u0).not.toBe(u1);
    expect(Som.fit([[0, 0], [0, 1], [5, 5]], { rows: 1, cols: 2 }).toJSON().weights).toHaveLength(2);
    expect(Som.fit([[0, 0], [0, 1], [5, 5]], { rows: 1, cols: 2 }).options.epochs).toBe(50);
    const uMatrix = Som.fit([[0.1, 0.2], [0.2, 0.1], [0.9, 0.8], [0.8, 0.9], [0.5, 0.5]], { rows: 2, cols: 2, seed: 1 }).uMatrix();
    expect(uMatrix.map((r) => r.length)).toEqual([2, 2]);
  });

  it('chooseK examples: k = 3 on three blobs, inertia falling with k', () => {
    const X = [[1, 1], [1, 2], [2, 1], [8, 8], [8, 9], [9, 8], [1, 9], [2, 9], [1, 8]];
    expect(chooseK(X, { kRange: [2, 5] }).k).toBe(3);
    const { k, scores } = chooseK(X, { kRange: [2, 5], method: 'silhouette', seed: 1 });
    expect(k).toBe(3);
    const inertias = scores.map((s) => s.inertia);
    expect(inertias).toEqual([...inertias].sort((a, b) => b - a));
    expect(chooseK(X, { kRange: [2, 4] }).scores[0]!.k).toBe(2);
  });

  it('profileSegments examples: shares, descriptions, overall means', () => {
    const [low] = profileSegments([[1, 10], [2, 12], [9, 80], [8, 90]], [0, 0, 1, 1]).segments;
    expect(low!.share).toBe(0.5);
    expect(low!.description).toBe('low x1, low x0');
    expect(profileSegments([[1, 10], [2, 12], [9, 80], [8, 90]], [0, 0, 1, 1], { featureNames: ['orders', 'spend'] }).overall.mean).toEqual({ orders: 5, spend: 48 });
    const customers = [
      { recency: 5, orders: 12, spend: 900 }, { recency: 8, orders: 10, spend: 700 },
      { recency: 200, orders: 1, spend: 30 }, { recency: 250, orders: 2, spend: 45 },
    ];
    const { segments } = profileSegments(customers, [0, 0, 1, 1], {
      words: { recency: { high: 'lapsed', low: 'recent' }, orders: { high: 'frequent', low: 'rare' }, spend: { high: 'high spend', low: 'low spend' } },
    });
    expect(segments[0]!.description).toBe('recent, frequent, high spend');
    expect(segments[0]!.share).toBe(0.5);
  });

  it('RuleSegments examples: segments, legend, profiles, errors, JSON, settings', () => {
    const rules = RuleSegments.define({
      rules: [
        { key: 'power', type: 'bands', field: 'income', bands: [{ label: 'C', max: 40 }, { label: 'B', min: 40, max: 70 }, { label: 'A', min: 70 }] },
        { key: 'stage', type: 'bands', field: 'age', integer: true, bands: [
          { label: 'young', min: 18, max: 34, maxInclusive: true }, { label: 'adult', min: 35, max: 59, maxInclusive: true }, { label: 'senior', min: 60 },
        ] },
      ],
    });
    const customers = [{ income: 30, age: 22 }, { income: 85, age: 41 }, { income: 55, age: 67 }, { income: 72, age: 40 }];
    const result = rules.apply(customers);
    expect(result.segments).toEqual(['C / young', 'A / adult', 'B / senior', 'A / adult']);
    expect(result.legend).toEqual(['C / young', 'B / senior', 'A / adult']);
    expect(profileSegments(customers, result.labels).segments.map((s) => result.legend[s.label])).toEqual(['C / young', 'B / senior', 'A / adult']);

    expect(() => RuleSegments.define({ rules: [{ key: 'power', type: 'bands', field: 'income', bands: [{ label: 'C', max: 40 }, { label: 'B', min: 45 }] }] })).toThrow(
      /^the bands of rule 'power' must not overlap or leave gaps: values in \[40, 45\) fall in no band/,
    );
    const region = RuleSegments.define({ rules: [{ key: 'region', type: 'map', field: 'city', map: { Paris: 'North', Nice: 'South' } }] });
    expect(RuleSegments.fromJSON(JSON.parse(JSON.stringify(region))).apply([{ city: 'Nice' }]).segments).toEqual(['South']);
    const r = RuleSegments.define({ rules: [{ key: 'region', type: 'map', field: 'city', map: { Paris: 'North', Lille: 'North', Nice: 'South' } }] })
      .apply([{ city: 'Paris' }, { city: 'Brest' }, {}, { city: 'Nice' }]);
    expect(r.segments).toEqual(['North', null, null, 'South']);
    expect(r.issues.map((i) => i.code)).toEqual(['unmapped', 'missing']);
    expect(r.issues.map((i) => i.path)).toEqual([[1, 'city'], [2, 'city']]);
    expect(r.counts).toEqual([1, 1]);
    expect(r.unassigned).toBe(2);
    expect(RuleSegments.define({ rules: [{ key: 'k', type: 'bands', field: 'x', bands: [{ label: 'all' }] }] }).toJSON().rules[0]).toEqual({
      key: 'k', type: 'bands', field: 'x', bands: [{ label: 'all', min: null, max: null, minInclusive: false, maxInclusive: false }], integer: false, missing: null,
    });
    const size = RuleSegments.define({ rules: [{ key: 'size', type: 'bands', field: 'n', bands: [{ label: 'small', max: 10 }, { label: 'large', min: 10 }] }] })
      .apply([{ n: 3 }, { n: 12 }, { n: 'x' }]);
    expect(size.byRule[0]).toEqual(['small', 'large', null]);
    expect(size.issues[0]!.code).toBe('not_a_number');
    const map = RuleSegments.define({ rules: [{ key: 'r', type: 'map', field: 'city', map: { Paris: 'North' } }] });
    expect(map.toJSON().kind).toBe('crm.segment.rule-segments');
    expect((map.rules[0] as MapRuleSettings).otherwise).toBeNull();
    expect(map.rules[0]!.type).toBe('map');
    const low = (RuleSegments.define({ rules: [{ key: 'k', type: 'bands', field: 'x', bands: [{ label: 'low', max: 1 }, { label: 'high', min: 1 }] }] }).rules[0] as { bands: readonly BandSettings[] }).bands[0];
    expect(low).toEqual({ label: 'low', min: null, max: 1, minInclusive: false, maxInclusive: false });
    expect((RuleSegments.define({ rules: [{ key: 'k', type: 'bands', field: 'x', bands: [{ label: 'all' }] }] }).rules[0] as BandRuleSettings).integer).toBe(false);
  });

  it('crossSegments examples: legend, labels, segments, counts', () => {
    const s = crossSegments(['A', 'B', 'A'], ['young', 'old', 'old']);
    expect(s.legend).toEqual(['A / old', 'A / young', 'B / old']);
    expect(s.labels).toEqual([1, 2, 0]);
    expect(s.segments).toEqual(['A / young', 'B / old', 'A / old']);
    const crossed = crossSegments(['Champions', 'At Risk', 'Champions', 'At Risk'], [1, 0, 1, 1]);
    expect(crossed.legend).toEqual(['At Risk / 0', 'At Risk / 1', 'Champions / 1']);
    expect(crossed.labels).toEqual([2, 0, 2, 1]);
    expect(crossed.counts).toEqual([1, 1, 2]);
  });
});
