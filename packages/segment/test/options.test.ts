import { describe, expect, it } from 'vitest';
import { isCrmError } from '@crm/core';
import {
  Agglomerative,
  Dbscan,
  KMeans,
  Som,
  calinskiHarabasz,
  chooseK,
  daviesBouldin,
  inertia,
  profileSegments,
  silhouette,
} from '@crm/segment';
import { crmError } from '../../../test/crm-error.ts';

// One options reader (core's readOptions): a misspelled option is an error naming the nearest
// known key, never silently ignored, in every segment function that takes options.

const X = [[1, 1], [1, 2], [2, 1], [8, 8], [8, 9], [9, 8], [1, 9], [2, 9], [1, 8]];
const labels = [0, 0, 0, 1, 1, 1, 2, 2, 2];
const tree = Agglomerative.fit(X);

/** Calls that take an options object, each with one misspelled key and the key it should have been. */
const CALLS: readonly { name: string; call: (options: unknown) => unknown; typo: string; meant: string }[] = [
  { name: 'KMeans.fit', call: (o) => KMeans.fit(X, { k: 2, ...(o as object) }), typo: 'restart', meant: 'restarts' },
  { name: 'Agglomerative.fit', call: (o) => Agglomerative.fit(X, o as never), typo: 'linkge', meant: 'linkage' },
  { name: 'Agglomerative.labels', call: (o) => tree.labels({ k: 2, ...(o as object) } as never), typo: 'hieght', meant: 'height' },
  { name: 'Dbscan.fit', call: (o) => Dbscan.fit(X, { eps: 2, ...(o as object) }), typo: 'minSample', meant: 'minSamples' },
  { name: 'Som.fit', call: (o) => Som.fit(X, o as never), typo: 'epoch', meant: 'epochs' },
  { name: 'silhouette', call: (o) => silhouette(X, labels, o as never), typo: 'sampleSze', meant: 'sampleSize' },
  { name: 'chooseK', call: (o) => chooseK(X, o as never), typo: 'metod', meant: 'method' },
  { name: 'profileSegments', call: (o) => profileSegments(X, labels, o as never), typo: 'treshold', meant: 'threshold' },
];


describe('segment options are read strictly', () => {
  for (const { name, call, typo, meant } of CALLS) {
    it(`${name} rejects the misspelled option '${typo}' at ['options', '${typo}'] and suggests '${meant}'`, () => {
      const e = crmError(() => call({ [typo]: 3 }));
      expect(e.code).toBe('invalid_argument');
      expect(e.path).toEqual(['options', typo]);
      expect(e.message).toContain(`did you mean '${meant}'`);
    });
  }

  for (const { name, call } of CALLS.filter((c) => !['KMeans.fit', 'Dbscan.fit', 'Agglomerative.labels'].includes(c.name))) {
    it(`${name} rejects options that are not an object at ['options']`, () => {
      for (const bad of [null, 5, 'k', [1]]) {
        const e = crmError(() => call(bad));
        expect(e.code).toBe('invalid_argument');
        expect(e.path).toEqual(['options']);
      }
    });
  }

  it('KMeans.fit, Dbscan.fit and Agglomerative.labels reject options that are not an object at [\'options\']', () => {
    for (const bad of [null, 5, 'k', [1]]) {
      expect(crmError(() => KMeans.fit(X, bad as never)).path).toEqual(['options']);
      expect(crmError(() => Dbscan.fit(X, bad as never)).path).toEqual(['options']);
      expect(crmError(() => tree.labels(bad as never)).path).toEqual(['options']);
    }
  });

  it('metrics without options (daviesBouldin, calinskiHarabasz, inertia) take exactly two arguments', () => {
    expect(daviesBouldin.length).toBe(2);
    expect(calinskiHarabasz.length).toBe(2);
    expect(inertia.length).toBe(2);
  });

  it('option values are checked: NaN, Infinity, strings and out-of-range numbers are invalid_argument at their key', () => {
    const cases: [string, () => unknown][] = [
      ['k', () => KMeans.fit(X, { k: NaN })],
      ['tolerance', () => KMeans.fit(X, { k: 2, tolerance: -1 })],
      ['seed', () => KMeans.fit(X, { k: 2, seed: Infinity })],
      ['maxDistances', () => KMeans.fit(X, { k: 2, maxDistances: '1e12' as never })],
      ['eps', () => Dbscan.fit(X, { eps: Infinity })],
      ['maxPairs', () => Agglomerative.fit(X, { maxPairs: -1 })],
      ['radius', () => Som.fit(X, { radius: 1e-200 })],
      ['finalRadius', () => Som.fit(X, { finalRadius: 0 })],
      ['finalLearningRate', () => Som.fit(X, { finalLearningRate: 2 })],
      ['sampleSize', () => silhouette(X, labels, { sampleSize: 10 })],
      ['maxPairs', () => silhouette(X, labels, { maxPairs: NaN })],
      ['restarts', () => chooseK(X, { restarts: 0.5 })],
      ['silhouetteSampleSize', () => chooseK(X, { silhouetteSampleSize: 1 })],
      ['maxTerms', () => profileSegments(X, labels, { maxTerms: -1 })],
      ['height', () => tree.labels({ height: -1 })],
      ['k', () => tree.labels({ k: 10 })],
    ];
    for (const [key, fn] of cases) {
      const e = crmError(fn);
      expect(e.code, key).toBe('invalid_argument');
      expect(e.path, key).toEqual(['options', key]);
    }
  });

  it('an option whose value is undefined means its default', () => {
    const a = KMeans.fit(X, { k: 3, seed: undefined, restarts: undefined });
    const b = KMeans.fit(X, { k: 3 });
    expect(a.toJSON()).toEqual(b.toJSON());
  });
});
