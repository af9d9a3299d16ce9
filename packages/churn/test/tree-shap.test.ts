import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTreeShapWorkspace, shapTreeDepth, treeExpectedValue, treeShap, type ShapTree } from '../src/internal/tree-shap.ts';
import { buildShapTable, shapTableCost, treeShapFromTable } from '../src/internal/tree-shap-table.ts';

/**
 * Brute-force reference: exact Shapley values of v(S) = E[f(x) | x_S] under the path-dependent
 * rule (Lundberg et al. 2018, Algorithm 1): at a split on a feature in S follow the row; on any
 * other feature average both children by their share of the node's cover. 2^M subsets per row.
 */
function conditional(tree: ShapTree, row: readonly number[], known: (f: number) => boolean, node = 0): number {
  const f = tree.feature[node] as number;
  if (f < 0) return tree.value[node] as number;
  const l = tree.left[node] as number;
  const r = tree.right[node] as number;
  if (known(f)) {
    const x = row[f] as number;
    const left = Number.isNaN(x) ? tree.defaultLeft?.[node] === 1 : tree.strict ? x < (tree.threshold[node] as number) : x <= (tree.threshold[node] as number);
    return conditional(tree, row, known, left ? l : r);
  }
  const c = tree.cover[node] as number;
  return ((tree.cover[l] as number) / c) * conditional(tree, row, known, l) + ((tree.cover[r] as number) / c) * conditional(tree, row, known, r);
}

function bruteForceShap(tree: ShapTree, row: readonly number[], M: number): { phi: number[]; base: number } {
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const v = new Map<number, number>();
  for (let mask = 0; mask < 1 << M; mask++) v.set(mask, conditional(tree, row, (f) => ((mask >> f) & 1) === 1));
  const phi = new Array<number>(M).fill(0);
  for (let j = 0; j < M; j++) {
    for (let mask = 0; mask < 1 << M; mask++) {
      if ((mask >> j) & 1) continue;
      let s = 0;
      for (let b = 0; b < M; b++) s += (mask >> b) & 1;
      const w = (fact(s) * fact(M - s - 1)) / fact(M);
      phi[j] += w * ((v.get(mask | (1 << j)) as number) - (v.get(mask) as number));
    }
  }
  return { phi, base: v.get(0) as number };
}

/** A random tree spec: a leaf (value, cover) or a split (feature, threshold, default side, children). */
type Spec = { leaf: number; cover: number } | { f: number; t: number; dl: boolean; extra: number; l: Spec; r: Spec };

const specArb = (M: number): fc.Arbitrary<Spec> =>
  fc.letrec<{ node: Spec }>((tie) => ({
    node: fc.oneof(
      { maxDepth: 5, depthSize: 'small', withCrossShrink: true },
      fc.record({ leaf: fc.double({ min: -3, max: 3, noNaN: true }), cover: fc.integer({ min: 1, max: 50 }) }),
      fc.record({
        f: fc.integer({ min: 0, max: M - 1 }),
        t: fc.integer({ min: 0, max: 4 }).map((k) => k + 0.5),
        dl: fc.boolean(),
        extra: fc.constantFrom(0, 0, 0, 0.5, 3),
        l: tie('node'),
        r: tie('node'),
      }),
    ),
  })).node;

/** Flattens a spec in pre-order; covers add up from the leaves unless `extra` says otherwise (as float32 sums of hessians may not). */
function flatten(spec: Spec, strict: boolean, withDefault: boolean): ShapTree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const cover: number[] = [];
  const defaultLeft: number[] = [];
  const walk = (s: Spec): number => {
    const id = feature.length;
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(0);
    cover.push(0);
    defaultLeft.push(0);
    if ('leaf' in s) {
      value[id] = s.leaf;
      cover[id] = s.cover;
      return id;
    }
    const l = walk(s.l);
    const r = walk(s.r);
    feature[id] = s.f;
    threshold[id] = s.t;
    left[id] = l;
    right[id] = r;
    defaultLeft[id] = s.dl ? 1 : 0;
    cover[id] = (cover[l] as number) + (cover[r] as number) + s.extra;
    return id;
  };
  walk(spec);
  return {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
    cover: Float64Array.from(cover),
    ...(withDefault ? { defaultLeft: Uint8Array.from(defaultLeft) } : {}),
    strict,
  };
}

function outputOf(tree: ShapTree, row: readonly number[]): number {
  let node = 0;
  while ((tree.feature[node] as number) >= 0) {
    const x = row[tree.feature[node] as number] as number;
    const t = tree.threshold[node] as number;
    const left = Number.isNaN(x) ? tree.defaultLeft?.[node] === 1 : tree.strict ? x < t : x <= t;
    node = (left ? tree.left[node] : tree.right[node]) as number;
  }
  return tree.value[node] as number;
}

const M = 4;
/** Brute force and TreeSHAP sum the same few dozen products of O(1) numbers: both are exact to a few ulps. */
const EXACT = 1e-12;
/** base + Σφ against the leaf value on trees of depth ≤ 5 with values in [−3, 3]. */
const ADDITIVE = 1e-9;

describe('treeShap (path-dependent TreeSHAP)', () => {
  it('treeShap(stump, row) gives the leaf value minus the cover-weighted mean', () => {
    const stump: ShapTree = {
      feature: Int32Array.of(0, -1, -1),
      threshold: Float64Array.of(0.5, 0, 0),
      left: Int32Array.of(1, -1, -1),
      right: Int32Array.of(2, -1, -1),
      value: Float64Array.of(0.5, 0, 1),
      cover: Float64Array.of(4, 3, 1),
    };
    const phi = new Float64Array(1);
    treeShap(stump, [1], phi);
    expect(phi[0]).toBeCloseTo(0.75, 15);
    expect(treeExpectedValue(stump)).toBeCloseTo(0.25, 15);
    treeShap(stump, [0], phi, 2);
    expect(phi[0]).toBeCloseTo(0.75 + 2 * -0.25, 15);
    expect(shapTreeDepth(stump)).toBe(1);
  });

  it('equals brute-force Shapley values on random trees (repeated features, strict and ≤ splits, NaN defaults, covers that do not add up)', () => {
    fc.assert(
      fc.property(
        specArb(M),
        fc.boolean(),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(Number.NaN)), { minLength: M, maxLength: M }),
        (spec, strict, row) => {
          const tree = flatten(spec, strict, true);
          const { phi: want, base } = bruteForceShap(tree, row, M);
          const phi = new Float64Array(M);
          treeShap(tree, row, phi, 1, createTreeShapWorkspace(1));
          for (let j = 0; j < M; j++) expect(Math.abs((phi[j] as number) - (want[j] as number))).toBeLessThan(EXACT);
          expect(Math.abs(treeExpectedValue(tree) - base)).toBeLessThan(EXACT);
          const sum = phi.reduce((a, b) => a + b, treeExpectedValue(tree));
          expect(Math.abs(sum - outputOf(tree, row))).toBeLessThan(ADDITIVE);
        },
      ),
      { numRuns: 400, seed: 13 },
    );
  });

  it('the per-tree table (row-independent work done once) gives the brute-force values too', () => {
    fc.assert(
      fc.property(
        specArb(M),
        fc.boolean(),
        fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(Number.NaN)), { minLength: M, maxLength: M }), { minLength: 1, maxLength: 4 }),
        (spec, strict, rows) => {
          const tree = flatten(spec, strict, true);
          const table = buildShapTable(tree);
          const cost = shapTableCost(tree);
          expect(table.coefficients.length).toBe(cost.entries);
          const scratch = new Uint8Array(tree.feature.length);
          for (const row of rows) {
            const phi = new Float64Array(M);
            treeShapFromTable(tree, table, row, phi, 1, scratch);
            const { phi: want } = bruteForceShap(tree, row, M);
            for (let j = 0; j < M; j++) expect(Math.abs((phi[j] as number) - (want[j] as number))).toBeLessThan(EXACT);
          }
        },
      ),
      { numRuns: 300, seed: 17 },
    );
  });

  it('a tree without defaultLeft sends nothing special; one workspace serves many trees and rows', () => {
    const ws = createTreeShapWorkspace(0);
    fc.assert(
      fc.property(specArb(M), fc.array(fc.integer({ min: 0, max: 5 }), { minLength: M, maxLength: M }), fc.double({ min: 0.1, max: 3, noNaN: true }), (spec, row, weight) => {
        const tree = flatten(spec, false, false);
        const phi = new Float64Array(M).fill(1);
        treeShap(tree, row, phi, weight, ws);
        const { phi: want } = bruteForceShap(tree, row, M);
        for (let j = 0; j < M; j++) expect(Math.abs((phi[j] as number) - 1 - weight * (want[j] as number))).toBeLessThan(EXACT * 4);
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it('a deep chain on one feature (depth 300) stays additive and grows the workspace', () => {
    const n = 300;
    const feature: number[] = [];
    const threshold: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const value: number[] = [];
    const cover: number[] = [];
    // Node 2k splits on feature k % 3 at k; its left child is a leaf, its right the next split.
    for (let k = 0; k < n; k++) {
      const id = 2 * k;
      feature[id] = k % 3;
      threshold[id] = k;
      left[id] = id + 1;
      right[id] = id + 2;
      feature[id + 1] = -1;
      left[id + 1] = right[id + 1] = -1;
      threshold[id + 1] = 0;
      value[id + 1] = Math.sin(k);
      cover[id + 1] = 1;
    }
    feature[2 * n] = -1;
    left[2 * n] = right[2 * n] = -1;
    threshold[2 * n] = 0;
    value[2 * n] = 2;
    cover[2 * n] = 1;
    for (let k = n - 1; k >= 0; k--) {
      value[2 * k] = 0;
      cover[2 * k] = (cover[2 * k + 1] as number) + (cover[2 * k + 2] as number);
    }
    const tree: ShapTree = {
      feature: Int32Array.from(feature),
      threshold: Float64Array.from(threshold),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float64Array.from(value),
      cover: Float64Array.from(cover),
    };
    expect(shapTreeDepth(tree)).toBe(n);
    for (const row of [[150, 151, 152], [1000, 0, 1000], [0, 0, 0]]) {
      const phi = new Float64Array(3);
      treeShap(tree, row, phi, 1, createTreeShapWorkspace(2));
      const sum = phi.reduce((a, b) => a + b, treeExpectedValue(tree));
      expect(Math.abs(sum - outputOf(tree, row))).toBeLessThan(ADDITIVE);
      const { phi: want } = bruteForceShap(tree, row, 3);
      for (let j = 0; j < 3; j++) expect(Math.abs((phi[j] as number) - (want[j] as number))).toBeLessThan(1e-10);
    }
  });

  it('a single leaf adds nothing and its expected value is its value', () => {
    const leaf: ShapTree = {
      feature: Int32Array.of(-1),
      threshold: Float64Array.of(0),
      left: Int32Array.of(-1),
      right: Int32Array.of(-1),
      value: Float64Array.of(0.3),
      cover: Float64Array.of(10),
    };
    const phi = new Float64Array(2);
    treeShap(leaf, [1, 2], phi);
    expect(Array.from(phi)).toEqual([0, 0]);
    expect(treeExpectedValue(leaf)).toBe(0.3);
  });
});
