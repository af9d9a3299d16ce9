import { describe, expect, it } from 'vitest';
import { KMeans, RuleSegments, crossSegments, profileSegments } from '@crm/segment';
import { crmCode } from './helpers.ts';

// RFM segment names as `rfmSegments` of @crm/scoring returns them (one name per customer), written
// here as plain data: @crm/segment does not depend on @crm/scoring.
const customers = [
  { recency: 5, orders: 12, spend: 900, income: 85, age: 41 },
  { recency: 8, orders: 10, spend: 700, income: 30, age: 23 },
  { recency: 200, orders: 1, spend: 30, income: 35, age: 67 },
  { recency: 250, orders: 2, spend: 45, income: 90, age: 52 },
  { recency: 12, orders: 9, spend: 650, income: 88, age: 38 },
  { recency: 220, orders: 1, spend: 25, income: 28, age: 19 },
];
const rfm = ['Champions', 'Champions', 'Hibernating', 'At Risk', 'Loyal Customers', 'Hibernating'];

describe('crossSegments(a, b) crosses two segmentations of the same records', () => {
  it('crosses RFM names with rule segments; the legend follows the names sorted, then the rule order', () => {
    const rules = RuleSegments.define({
      rules: [{ key: 'power', type: 'bands', field: 'income', bands: [{ label: 'C', max: 40 }, { label: 'B', min: 40, max: 70 }, { label: 'A', min: 70 }] }],
    });
    const crossed = crossSegments(rfm, rules.apply(customers));
    expect(crossed.segments).toEqual(['Champions / A', 'Champions / C', 'Hibernating / C', 'At Risk / A', 'Loyal Customers / A', 'Hibernating / C']);
    expect(crossed.legend).toEqual(['At Risk / A', 'Champions / C', 'Champions / A', 'Hibernating / C', 'Loyal Customers / A']);
    expect(crossed.parts[1]).toEqual(['Champions', 'C']);
    expect(crossed.labels).toEqual([2, 1, 3, 0, 4, 3]);
    expect(crossed.counts).toEqual([1, 1, 1, 2, 1]);
    expect(crossed.unassigned).toBe(0);
    // The crossed labels profile like any other labels.
    const profiles = profileSegments(customers, crossed.labels, { featureNames: ['recency', 'spend'] });
    expect(profiles.segments.map((s) => [crossed.legend[s.label], s.size])).toEqual(crossed.legend.map((name, k) => [name, crossed.counts[k]]));
  });

  it('crosses cluster labels with RFM names, and chains to cross three segmentations', () => {
    const X = customers.map((c) => [Math.log(c.recency), Math.log(c.spend)]);
    const clusters = KMeans.fit(X, { k: 2, seed: 3 }).labels;
    const byCluster = crossSegments(clusters, rfm, { separator: ' × ' });
    // Recent big spenders and lapsed small ones: k-means puts them apart, whichever number each gets.
    const active = clusters[0] as number;
    expect(clusters).toEqual([active, active, 1 - active, 1 - active, active, 1 - active]);
    expect(byCluster.segments[0]).toBe(`${active} × Champions`);
    expect(byCluster.legend.every((name) => name.includes(' × '))).toBe(true);
    const stages = RuleSegments.define({
      rules: [{ key: 'stage', type: 'bands', field: 'age', integer: true, bands: [{ label: 'young', max: 34, maxInclusive: true }, { label: 'older', min: 35 }] }],
    }).apply(customers);
    const three = crossSegments(byCluster, stages);
    expect(three.parts[0]).toHaveLength(2);
    expect(three.segments[1]).toBe(`${active} × Champions / young`);
    expect(three.counts.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('leaves a record without a segment when either side has none (null, or code −1)', () => {
    const crossed = crossSegments(['a', null, 'b', 'a'], { labels: [0, 0, -1, 1], legend: ['x', 'y'] });
    expect(crossed.segments).toEqual(['a / x', null, null, 'a / y']);
    expect(crossed.labels).toEqual([0, -1, -1, 1]);
    expect(crossed.unassigned).toBe(2);
  });

  it('orders numbers ascending (−1 of DBSCAN noise is a label like any other) and names by code unit', () => {
    const crossed = crossSegments([2, -1, 10, 2], ['b', 'B', 'a', 'a']);
    expect(crossed.legend).toEqual(['-1 / B', '2 / a', '2 / b', '10 / a']);
    expect(crossed.labels).toEqual([2, 0, 3, 1]);
    expect(crossSegments(Int32Array.from([2, -1, 10, 2]), ['b', 'B', 'a', 'a'])).toEqual(crossed);
  });

  it('refuses what it cannot cross, with the path of the entry', () => {
    const code = (f: () => unknown): string | undefined => crmCode(f);
    expect(code(() => crossSegments(['a', 'b'], ['x']))).toBe('invalid_labels');
    expect(code(() => crossSegments(['a', 1.5], ['x', 'y']))).toBe('invalid_labels');
    expect(code(() => crossSegments(['a', ''], ['x', 'y']))).toBe('invalid_labels');
    expect(code(() => crossSegments(['a', undefined as never], ['x', 'y']))).toBe('invalid_labels');
    expect(code(() => crossSegments([1, '1'], ['x', 'y']))).toBe('invalid_labels');
    expect(code(() => crossSegments({ labels: [0, 2], legend: ['a', 'b'] }, ['x', 'y']))).toBe('invalid_labels');
    expect(code(() => crossSegments({ labels: [0, 1], legend: ['a', 'a'] }, ['x', 'y']))).toBe('invalid_labels');
    expect(code(() => crossSegments('ab' as never, ['x', 'y']))).toBe('invalid_labels');
    expect(code(() => crossSegments(['a'], ['x'], { separator: '' }))).toBe('invalid_argument');
    expect(() => crossSegments(['a', 'b', 3.5], ['x', 'y', 'z'])).toThrow(expect.objectContaining({ code: 'invalid_labels', path: ['a', 2] }));
    expect(() => crossSegments(['a'], { labels: [7], legend: ['x'] })).toThrow(expect.objectContaining({ path: ['b', 'labels', 0] }));
    // Two different pairs that would print the same name.
    expect(code(() => crossSegments(['a / b', 'a'], ['c', 'b / c']))).toBe('invalid_argument');
    expect(crossSegments(['a / b', 'a'], ['c', 'b / c'], { separator: ' | ' }).legend).toEqual(['a | b / c', 'a / b | c']);
  });
});
