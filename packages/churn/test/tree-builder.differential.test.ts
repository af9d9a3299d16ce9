import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '@crm/core';
import { RandomForest } from '@crm/churn';
import { rowWeights } from '../src/internal/checks.ts';
import { codeFeatures, growTree, type TreeArrays, type TreeParams } from '../src/internal/tree-builder.ts';
import { treeToJson } from '../src/internal/tree-json.ts';
import * as reference from './reference-tree-builder.ts';

// The builder must grow exactly the trees the previous one grew: every node's feature, threshold,
// children, value and cover and every importance, bit for bit, and the same draws from the random
// stream. Data with ties (few distinct values, repeated continuous values), with low-cardinality
// and continuous columns mixed, non-integer weights (class weights times bootstrap counts, so the
// order of every weighted sum matters) and bootstrap samples with rows left out.

function bits(tree: TreeArrays): string {
  const f64 = (a: Float64Array | undefined): string =>
    a === undefined ? '-' : Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2)).join(',');
  return [
    Array.from(tree.feature).join(','),
    f64(tree.threshold),
    Array.from(tree.left).join(','),
    Array.from(tree.right).join(','),
    f64(tree.value),
    f64(tree.cover),
    f64(tree.importance),
  ].join('|');
}

interface Case {
  readonly data: Float64Array;
  readonly n: number;
  readonly p: number;
  readonly y: Uint8Array;
}

function makeCase(rng: Rng, n: number, p: number): Case {
  const data = new Float64Array(n * p);
  const y = new Uint8Array(n);
  // Per column a kind: binary, few levels, continuous rounded to create ties, continuous.
  const kinds = Array.from({ length: p }, () => rng.int(0, 4));
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let f = 0; f < p; f++) {
      let v: number;
      const kind = kinds[f] as number;
      if (kind === 0) v = rng.uniform() < 0.3 ? 1 : 0;
      else if (kind === 1) v = rng.int(0, 5);
      else if (kind === 2) v = Math.round(rng.normal() * 4) / 4;
      else v = rng.normal();
      data[i * p + f] = v;
      if (f < 4) z += (f % 2 === 0 ? 1 : -0.7) * v;
    }
    y[i] = z + rng.normal() > 0.2 ? 1 : 0;
  }
  return { data, n, p, y };
}

function weights(rng: Rng, c: Case, bootstrap: boolean, classWeighted: boolean): Float64Array {
  const { n, y } = c;
  const counts = new Float64Array(n);
  if (bootstrap) for (let k = 0; k < n; k++) counts[rng.int(0, n)]++;
  else counts.fill(1);
  let ones = 0;
  for (let i = 0; i < n; i++) ones += y[i] as number;
  // 'balanced' class weights: n / (2 · n_c), rarely integers.
  const w1 = classWeighted ? n / (2 * Math.max(ones, 1)) : 1;
  const w0 = classWeighted ? n / (2 * Math.max(n - ones, 1)) : 1;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = (counts[i] as number) * (y[i] === 1 ? w1 : w0);
  return w;
}

describe('tree builder against the previous builder (bit for bit)', () => {
  const settings: { name: string; params: Omit<TreeParams, 'maxFeatures'>; maxFeatures: (p: number) => number }[] = [
    { name: 'gini, unbounded', params: { criterion: 'gini', maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, minImpurityDecrease: 0 }, maxFeatures: (p) => Math.max(1, Math.floor(Math.sqrt(p))) },
    { name: 'entropy, leaves of 3', params: { criterion: 'entropy', maxDepth: Infinity, minSamplesSplit: 4, minSamplesLeaf: 3, minImpurityDecrease: 0 }, maxFeatures: (p) => Math.max(1, Math.floor(p / 3)) },
    { name: 'gini, depth 5, decrease', params: { criterion: 'gini', maxDepth: 5, minSamplesSplit: 2, minSamplesLeaf: 1, minImpurityDecrease: 1e-3 }, maxFeatures: (p) => p },
  ];
  for (const s of settings) {
    it(`forest trees (${s.name}): random feature draws, bootstraps, class weights`, () => {
      const rng = createRng(1207);
      for (let trial = 0; trial < 12; trial++) {
        const n = [40, 300, 1500][trial % 3] as number;
        const p = 3 + rng.int(0, 14);
        const c = makeCase(rng, n, p);
        const coded = codeFeatures(c.data, n, p, true);
        const refCoded = reference.codeFeatures(c.data, n, p);
        expect(Array.from(coded.codes)).toEqual(Array.from(refCoded.codes));
        const params = { ...s.params, maxFeatures: s.maxFeatures(p) };
        for (let t = 0; t < 3; t++) {
          const w = weights(rng, c, t !== 2, trial % 2 === 0);
          const seed = rng.int(0, 1 << 30);
          const a = createRng(seed);
          const b = createRng(seed);
          const ours = growTree(coded, c.y, w, params, a);
          const theirs = reference.growTree(refCoded, c.y, w, params, b);
          expect(bits(ours)).toBe(bits(theirs));
          // The same draws from the stream: the next number is the same.
          expect(a.uniform()).toBe(b.uniform());
        }
      }
    });
    it(`single trees (${s.name}): all features in order, weights`, () => {
      const rng = createRng(2207);
      for (let trial = 0; trial < 9; trial++) {
        const n = [40, 300, 1500][trial % 3] as number;
        const p = 2 + rng.int(0, 14);
        const c = makeCase(rng, n, p);
        const w = weights(rng, c, trial % 3 === 1, trial % 2 === 0);
        const params = { ...s.params, maxFeatures: p };
        const ours = growTree(codeFeatures(c.data, n, p), c.y, w, params, undefined);
        const theirs = reference.growTree(reference.codeFeatures(c.data, n, p), c.y, w, params, undefined);
        expect(bits(ours)).toBe(bits(theirs));
      }
    });
  }
  it('many distinct values against few rows per node (the sorted path) and wide one-hot designs', () => {
    const rng = createRng(3307);
    for (let trial = 0; trial < 5; trial++) {
      const n = trial === 4 ? 1200 : 4000;
      // The last trial has more two-valued columns than are bit-packed (4 words of 32).
      const p = trial === 4 ? 150 : 30;
      const data = new Float64Array(n * p);
      const y = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        for (let f = 0; f < p; f++) data[i * p + f] = f < 3 ? Math.round(rng.normal() * 1000) / 1000 : rng.uniform() < 0.15 ? 1 : 0;
        y[i] = (data[i * p] as number) + (data[i * p + 4] as number) + rng.normal() > 0.5 ? 1 : 0;
      }
      const c = { data, n, p, y };
      const w = weights(rng, c, true, trial % 2 === 1);
      const params: TreeParams = { criterion: 'gini', maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, minImpurityDecrease: 0, maxFeatures: trial === 4 ? 40 : 5 };
      const seed = rng.int(0, 1 << 30);
      const ours = growTree(codeFeatures(data, n, p, true), y, w, params, createRng(seed));
      const theirs = reference.growTree(reference.codeFeatures(data, n, p), y, w, params, createRng(seed));
      expect(bits(ours)).toBe(bits(theirs));
    }
  });
  it("a RandomForest's JSON equals the forest grown with the previous builder, bit for bit", () => {
    // The forest's own bootstrap and stream use (random-forest.ts), replayed with the reference.
    const rng = createRng(4407);
    const n = 900;
    const p = 12;
    const c = makeCase(rng, n, p);
    const X = Array.from({ length: n }, (_, i) => Array.from(c.data.subarray(i * p, (i + 1) * p)));
    const options = { trees: 8, seed: 31, classWeight: 'balanced' as const, minSamplesLeaf: 2 };
    const forest = RandomForest.fit(X, Array.from(c.y), options).toJSON();
    const classW = rowWeights(c.y, 'balanced');
    const coded = reference.codeFeatures(c.data, n, p);
    const params: TreeParams = { criterion: 'gini', maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 2, minImpurityDecrease: 0, maxFeatures: Math.floor(Math.sqrt(p)) };
    const root = createRng(options.seed);
    const streams = Array.from({ length: options.trees }, () => root.split());
    const expected = streams.map((s) => {
      const counts = new Float64Array(n);
      for (let k = 0; k < n; k++) counts[s.int(0, n)]++;
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) w[i] = (counts[i] as number) * (classW[i] as number);
      return treeToJson(reference.growTree(coded, c.y, w, params, s));
    });
    expect(JSON.stringify(forest.trees.map((t) => ({ feature: t.feature, threshold: t.threshold, left: t.left, right: t.right, value: t.value, cover: t.cover })))).toBe(
      JSON.stringify(expected.map((t) => ({ feature: t.feature, threshold: t.threshold, left: t.left, right: t.right, value: t.value, cover: t.cover }))),
    );
  });
});
