import { describe, expect, it } from 'vitest';
import { Dbscan } from '@crm/segment';
import { crmCode, frozen, loadMall, loadMallReference } from './helpers.ts';

const mall = loadMall();
const ref = loadMallReference();

describe('Dbscan.fit(X, { eps, minSamples })', () => {
  const model = Dbscan.fit(frozen(mall.X), { eps: 9, minSamples: 5 });

  it('equals scikit-learn 1.2.1 DBSCAN(eps=9, min_samples=5) on Mall: core rows and labels, noise -1 (mall_reference.json)', () => {
    // Labels are discrete: exact equality. Cluster numbers follow the first core row in both.
    expect([...model.coreIndices]).toEqual(ref.dbscan_eps9_min5.core_sample_indices);
    expect([...model.labels]).toEqual(ref.dbscan_eps9_min5.labels);
    expect(model.noiseCount).toBe(ref.dbscan_eps9_min5.labels.filter((l) => l === -1).length);
    expect(model.clusterCount).toBe(Math.max(...ref.dbscan_eps9_min5.labels) + 1);
  });

  it('predict() gives core rows their own cluster, far rows -1; JSON round trip predicts the same', () => {
    const coreRows = model.coreIndices.map((i) => mall.X[i]!);
    expect(model.predict(coreRows)).toEqual(model.coreIndices.map((i) => model.labels[i]));
    expect(model.predict([[500, 500]])).toEqual([-1]);
    const copy = Dbscan.fromJSON(JSON.parse(JSON.stringify(model)));
    expect(copy.predict(mall.X)).toEqual(model.predict(mall.X));
    expect(copy.toJSON()).toEqual(model.toJSON());
  });

  it('small case: two dense groups and an outlier', () => {
    const X = [[1, 1], [1, 2], [2, 1], [8, 8], [8, 9], [9, 8], [30, 30]];
    expect([...Dbscan.fit(X, { eps: 1.5, minSamples: 3 }).labels]).toEqual([0, 0, 0, 1, 1, 1, -1]);
    // minSamples larger than any neighbourhood: all noise, and predict says noise too.
    const none = Dbscan.fit(X, { eps: 1.5, minSamples: 10 });
    expect(none.clusterCount).toBe(0);
    expect(none.predict([[1, 1]])).toEqual([-1]);
    expect(Dbscan.fromJSON(JSON.parse(JSON.stringify(none))).noiseCount).toBe(7);
  });

  it('rejects bad input, options and JSON', () => {
    expect(crmCode(() => Dbscan.fit([], { eps: 1 }))).toBe('invalid_input');
    expect(crmCode(() => Dbscan.fit([[1, 2], [NaN, 1]], { eps: 1 }))).toBe('invalid_input');
    expect(crmCode(() => Dbscan.fit([[1, 2], [1, 3]], { eps: 1 }))).toBe('degenerate_data');
    expect(crmCode(() => Dbscan.fit([[1, 2], [2, 3]], { eps: 0 }))).toBe('invalid_argument');
    expect(crmCode(() => Dbscan.fit([[1, 2], [2, 3]], {} as { eps: number }))).toBe('invalid_argument');
    expect(crmCode(() => Dbscan.fit([[1, 2], [2, 3]], { eps: 1, minSamples: 0 }))).toBe('invalid_argument');
    expect(crmCode(() => model.predict([[1, 2, 3]]))).toBe('invalid_input');
    const json = Dbscan.fit([[0, 0], [0, 1], [9, 9]], { eps: 2, minSamples: 2 }).toJSON();
    const bad = (patch: Record<string, unknown>): unknown => ({ ...json, ...patch });
    for (const j of [
      bad({ kind: 'crm.segment.kmeans' }),
      bad({ labels: [0, 0, 1] }),
      bad({ coreIndices: [0, 2] }),
      bad({ coreRows: [[0, 0]] }),
      bad({ options: { eps: -1, minSamples: 2 } }),
    ]) {
      expect(crmCode(() => Dbscan.fromJSON(j))).toBe('invalid_json');
    }
  });
});
