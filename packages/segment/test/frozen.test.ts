import { describe, expect, it } from 'vitest';
import { Agglomerative, Dbscan, KMeans, Som } from '@crm/segment';
import { blobs } from './helpers.ts';

// Fitted models are immutable (DESIGN.md "Estimators and functions"): the instance itself is frozen,
// not only its parts, and no typed array (which cannot be frozen) is reachable from it.

const { X } = blobs([[0, 0], [10, 0], [0, 10]], 8, 0.5, 3);
const probe = [[0.2, 0.1], [9.5, 0.3], [0.1, 9.8], [5, 5]];

interface Case {
  readonly name: string;
  readonly fit: () => object;
  readonly fromJSON: (json: unknown) => object;
  /** Property reassignments an attacker or a careless caller would try. */
  readonly tamper: Readonly<Record<string, unknown>>;
  /** What must not change: predictions (or cuts) and the JSON. */
  readonly observe: (model: object) => unknown;
}

const CASES: readonly Case[] = [
  {
    name: 'KMeans',
    fit: () => KMeans.fit(X, { k: 3, seed: 1 }),
    fromJSON: (j) => KMeans.fromJSON(j),
    tamper: { clusterCount: 1, options: { k: 1 }, centroids: [[0, 0]], inertia: 0, labels: [] },
    observe: (m) => [(m as KMeans).predict(probe), (m as KMeans).toJSON()],
  },
  {
    name: 'Dbscan',
    fit: () => Dbscan.fit(X, { eps: 2, minSamples: 3 }),
    fromJSON: (j) => Dbscan.fromJSON(j),
    tamper: { options: { eps: 100, minSamples: 1 }, clusterCount: 0, labels: [], coreIndices: [] },
    observe: (m) => [(m as Dbscan).predict(probe), (m as Dbscan).toJSON()],
  },
  {
    name: 'Som',
    fit: () => Som.fit(X, { rows: 2, cols: 2, epochs: 5, seed: 2 }),
    fromJSON: (j) => Som.fromJSON(j),
    tamper: { clusterCount: 1, options: { rows: 1, cols: 1 }, weights: [[0, 0]], history: [] },
    observe: (m) => [(m as Som).predict(probe), (m as Som).uMatrix(), (m as Som).toJSON()],
  },
  {
    name: 'Agglomerative',
    fit: () => Agglomerative.fit(X, { linkage: 'average' }),
    fromJSON: (j) => Agglomerative.fromJSON(j),
    tamper: { size: 1, merges: [], options: { linkage: 'single' } },
    observe: (m) => [(m as Agglomerative).labels({ k: 3 }), (m as Agglomerative).toJSON()],
  },
];

/** Every typed array reachable from the model's own properties, with its path. */
function typedArrays(value: unknown, path = 'model', seen = new Set<unknown>()): string[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  if (ArrayBuffer.isView(value)) return [path];
  return Reflect.ownKeys(value).flatMap((key) => typedArrays((value as Record<PropertyKey, unknown>)[key], `${path}.${String(key)}`, seen));
}

/** Every object reachable from the model that is not frozen, with its path. */
function unfrozen(value: unknown, path = 'model', seen = new Set<unknown>()): string[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  const here = Object.isFrozen(value) ? [] : [path];
  return [...here, ...Reflect.ownKeys(value).flatMap((key) => unfrozen((value as Record<PropertyKey, unknown>)[key], `${path}.${String(key)}`, seen))];
}

describe('fitted segment models are frozen', () => {
  for (const c of CASES) {
    for (const made of ['fit', 'fromJSON'] as const) {
      const make = (): object => (made === 'fit' ? c.fit() : c.fromJSON(JSON.parse(JSON.stringify(c.fit()))));

      it(`${c.name} (from ${made}) is frozen: ${Object.keys(c.tamper).join(', ')} cannot be reassigned and predictions and JSON stay the same`, () => {
        const model = make();
        const before = c.observe(model);
        for (const [key, value] of Object.entries(c.tamper)) {
          expect(() => {
            (model as Record<string, unknown>)[key] = value;
          }, key).toThrow(TypeError);
        }
        expect(() => {
          (model as Record<string, unknown>)['extra'] = 1;
        }).toThrow(TypeError);
        expect(() => delete (model as Record<string, unknown>)['kind']).toThrow(TypeError);
        expect(c.observe(model)).toEqual(before);
      });

      it(`${c.name} (from ${made}) is frozen: Object.setPrototypeOf fails and methods stay the class's own`, () => {
        const model = make();
        const before = c.observe(model);
        const proto: unknown = Object.getPrototypeOf(model);
        const fake = { predict: () => [0], labels: () => [0], toJSON: () => ({}), uMatrix: () => [] };
        expect(() => Object.setPrototypeOf(model, fake)).toThrow(TypeError);
        expect(Reflect.setPrototypeOf(model, fake)).toBe(false);
        expect(Object.getPrototypeOf(model)).toBe(proto);
        expect(c.observe(model)).toEqual(before);
      });

      it(`${c.name} (from ${made}) is frozen all the way down and exposes no typed array`, () => {
        const model = make();
        expect(unfrozen(model)).toEqual([]);
        expect(typedArrays(model)).toEqual([]);
      });
    }
  }

  it('nested learned values cannot be edited in place either (centroids, options, merges, weights)', () => {
    const km = KMeans.fit(X, { k: 3, seed: 1 });
    const before = km.predict(probe);
    expect(() => {
      (km.centroids[0] as number[])[0] = 1e9;
    }).toThrow(TypeError);
    expect(() => {
      (km.options as { k: number }).k = 1;
    }).toThrow(TypeError);
    expect(km.predict(probe)).toEqual(before);
    const tree = Agglomerative.fit(X);
    expect(() => {
      (tree.merges[0] as { height: number }).height = -1;
    }).toThrow(TypeError);
    const som = Som.fit(X, { rows: 2, cols: 2, epochs: 2 });
    expect(() => {
      (som.weights[0] as number[])[0] = 0;
    }).toThrow(TypeError);
  });
});
