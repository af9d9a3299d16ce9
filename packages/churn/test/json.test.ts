import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '@crm/core';
import { DecisionTree, LogisticRegression, NeuralNetwork, RandomForest, type Classifier } from '@crm/churn';
import { expectCrmError } from './helpers.ts';

function data(n: number, seed: number): { X: number[][]; y: number[] } {
  const rng = createRng(seed);
  const X = Array.from({ length: n }, () => [rng.normal(), rng.int(0, 2), rng.uniform() * 100]);
  const y = X.map((r) => ((r[0] as number) + (r[1] as number) - 0.5 + rng.normal() > 0 ? 1 : 0));
  return { X, y };
}

interface ModelKind {
  readonly name: string;
  /** Current format version of its JSON (2 where explanations added covers or means). */
  readonly version: number;
  fit(X: readonly ArrayLike<number>[], y: ArrayLike<number>, seed: number): Classifier;
  fromJSON(json: unknown): Classifier;
}
const kinds: readonly ModelKind[] = [
  { name: 'LogisticRegression', version: 2, fit: (X, y) => LogisticRegression.fit(X, y), fromJSON: (j) => LogisticRegression.fromJSON(j) },
  { name: 'DecisionTree', version: 2, fit: (X, y) => DecisionTree.fit(X, y, { maxDepth: 5 }), fromJSON: (j) => DecisionTree.fromJSON(j) },
  { name: 'RandomForest', version: 2, fit: (X, y, seed) => RandomForest.fit(X, y, { trees: 8, seed, oobScore: true }), fromJSON: (j) => RandomForest.fromJSON(j) },
  { name: 'NeuralNetwork', version: 1, fit: (X, y, seed) => NeuralNetwork.fit(X, y, { hidden: [6, 3], maxEpochs: 15, seed }), fromJSON: (j) => NeuralNetwork.fromJSON(j) },
];

const { X, y } = data(150, 11);
const { X: Xnew } = data(60, 12);

describe.each(kinds)('$name: JSON and invariants', (kind) => {
  const model = kind.fit(X, y, 1);
  const json = JSON.parse(JSON.stringify(model)) as Record<string, unknown>;

  it('round-trips through JSON text with identical probabilities', () => {
    const copy = kind.fromJSON(json);
    expect(Array.from(copy.predictProba(Xnew))).toEqual(Array.from(model.predictProba(Xnew)));
    expect(JSON.stringify(copy)).toBe(JSON.stringify(model));
    expect(copy.kind).toBe(model.kind);
    expect(json['kind']).toBe(model.kind);
    expect(json['version']).toBe(kind.version);
  });

  it('rejects foreign, tampered and malicious JSON with CrmError invalid_json', () => {
    expectCrmError(() => kind.fromJSON(null), 'invalid_json');
    expectCrmError(() => kind.fromJSON({ ...json, kind: 'crm.churn.other' }), 'invalid_json', ['kind']);
    expectCrmError(() => kind.fromJSON({ ...json, version: 99 }), 'invalid_json', ['version']);
    expectCrmError(() => kind.fromJSON({ ...json, options: { ...(json['options'] as object), bogus: 1 } }), 'invalid_json');
    expectCrmError(() => kind.fromJSON(JSON.parse(JSON.stringify(json).replace(/"kind":"[^"]+"/, '"__proto__":{"x":1},"kind":"x"'))), 'invalid_json');
    // Every other kind's JSON is foreign here.
    for (const other of kinds) {
      if (other.name !== kind.name) expectCrmError(() => kind.fromJSON(JSON.parse(JSON.stringify(other.fit(X, y, 1)))), 'invalid_json', ['kind']);
    }
  });

  it('rejects a learned number replaced by a string, wherever it is', () => {
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]): void => {
      if (typeof v === 'number') paths.push(path);
      else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== 'options' && k !== 'version') walk(x, [...path, k]);
    };
    walk(json, []);
    // First, last and three in between: every learned array and report field is read with checks.
    const picks = [0, Math.floor(paths.length / 4), Math.floor(paths.length / 2), Math.floor((3 * paths.length) / 4), paths.length - 1];
    for (const k of picks) {
      const copy = structuredClone(json) as Record<string | number, unknown>;
      const path = paths[k] as (string | number)[];
      let target = copy as Record<string | number, unknown>;
      for (const step of path.slice(0, -1)) target = target[step] as Record<string | number, unknown>;
      target[path[path.length - 1] as string | number] = 'oops';
      expectCrmError(() => kind.fromJSON(copy), 'invalid_json');
    }
  });

  it('probabilities lie in [0, 1]; same seed, same model; inputs are not mutated (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 20, max: 60 }), (seed, n) => {
        const d = data(n, seed);
        if (new Set(d.y).size < 2) return;
        const fx = Object.freeze(d.X.map((r) => Object.freeze(r.slice())));
        const fy = Object.freeze(d.y.slice());
        const a = kind.fit(fx, fy, seed);
        const b = kind.fit(fx, fy, seed);
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        for (const p of Array.from(a.predictProba(Xnew))) expect(p >= 0 && p <= 1).toBe(true);
      }),
      { numRuns: 12, seed: 3 },
    );
  });
});

describe('JSON of unbounded options', () => {
  it('keeps C = Infinity and maxDepth = Infinity through JSON text (as null)', () => {
    const lr = LogisticRegression.fit([[0], [1], [2], [3]], [0, 1, 0, 1], { C: Infinity });
    const lrCopy = LogisticRegression.fromJSON(JSON.parse(JSON.stringify(lr)));
    expect(lrCopy.options.C).toBe(Infinity);
    const tree = DecisionTree.fit([[0], [1], [2], [3]], [0, 1, 0, 1]);
    expect(DecisionTree.fromJSON(JSON.parse(JSON.stringify(tree))).options.maxDepth).toBe(Infinity);
  });
});

describe('tree JSON structure checks', () => {
  const tree = DecisionTree.fit(X, y, { maxDepth: 3 });
  const json = JSON.parse(JSON.stringify(tree)) as { tree: Record<string, number[]> };
  it('rejects a cycle, an out-of-range feature and a probability outside [0, 1]', () => {
    const cyc = structuredClone(json);
    (cyc.tree['left'] as number[])[1] = 0;
    expectCrmError(() => DecisionTree.fromJSON(cyc), 'invalid_json');
    const feat = structuredClone(json);
    (feat.tree['feature'] as number[])[0] = 99;
    expectCrmError(() => DecisionTree.fromJSON(feat), 'invalid_json');
    const prob = structuredClone(json);
    (prob.tree['value'] as number[])[0] = 1.5;
    expectCrmError(() => DecisionTree.fromJSON(prob), 'invalid_json');
  });
});
