import { describe, expect, it } from 'vitest';
import { Agglomerative, Dbscan, KMeans, Som } from '@crm/segment';
import { crmCode } from './helpers.ts';

// fromJSON of every model rejects parameters its predictions cannot use (invalid_json at the
// parameter's path), so a tampered or corrupted document never becomes a model.

const X = [[0, 0], [0, 1], [5, 5], [5, 6], [9, 0]];

function patched(json: object, path: readonly string[], value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[path[path.length - 1]!] = value;
  return copy;
}

const CASES: readonly { name: string; json: object; load: (j: unknown) => unknown; bad: [string[], unknown][] }[] = [
  {
    name: 'KMeans',
    json: KMeans.fit(X, { k: 2, maxIterations: 50 }).toJSON(),
    load: (j) => KMeans.fromJSON(j),
    bad: [
      [['options', 'k'], 0],
      [['options', 'k'], 1.5],
      [['options', 'restarts'], 0],
      [['options', 'maxIterations'], -3],
      [['options', 'tolerance'], -1e-4],
      [['options', 'seed'], 'x'],
      [['inertia'], -1],
      [['iterations'], 0],
      [['iterations'], 51],
      [['iterations'], 2.5],
    ],
  },
  {
    name: 'Dbscan',
    json: Dbscan.fit(X, { eps: 1.5, minSamples: 2 }).toJSON(),
    load: (j) => Dbscan.fromJSON(j),
    bad: [
      [['options', 'eps'], 0],
      [['options', 'eps'], -1],
      [['options', 'eps'], 1e999],
      [['options', 'minSamples'], 0],
      [['options', 'minSamples'], 2.5],
    ],
  },
  {
    name: 'Som',
    json: Som.fit(X, { rows: 1, cols: 2, epochs: 3 }).toJSON(),
    load: (j) => Som.fromJSON(j),
    bad: [
      [['options', 'rows'], 0],
      [['options', 'cols'], 1.5],
      [['options', 'epochs'], 0],
      [['options', 'learningRate'], 0],
      [['options', 'learningRate'], 1.5],
      [['options', 'finalLearningRate'], 0.9],
      [['options', 'radius'], 1e-9],
      [['options', 'finalRadius'], 1e-300],
      [['options', 'finalRadius'], 5],
      [['history', '0'], -1],
    ],
  },
  {
    name: 'Agglomerative',
    json: Agglomerative.fit(X).toJSON(),
    load: (j) => Agglomerative.fromJSON(j),
    bad: [
      [['options', 'linkage'], 'centroid'],
      [['size'], 0],
      [['size'], 4.5],
      [['merges', '0', '2'], -1],
    ],
  },
];

describe('fromJSON rejects out-of-range parameters', () => {
  for (const { name, json, load, bad } of CASES) {
    it(`${name}.fromJSON accepts its own JSON`, () => {
      expect(() => load(JSON.parse(JSON.stringify(json)))).not.toThrow();
    });
    for (const [path, value] of bad) {
      it(`${name}.fromJSON rejects ${path.join('.')} = ${String(value)} with invalid_json`, () => {
        expect(crmCode(() => load(patched(json, path, value)))).toBe('invalid_json');
      });
    }
  }
});
