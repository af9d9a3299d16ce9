import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '@crm/core';
import { DecisionTree, LogisticRegression, RandomForest, type Explanation } from '@crm/churn';
import { expectCrmError, frozenRows } from './helpers.ts';

/** base + Σ contributions against the output: sums of at most a few hundred O(1) terms. */
const ADDITIVE = 1e-9;
/**
 * Against the brute-force reference (tree_shap_reference.py): both sides sum a few hundred
 * products of cover ratios and probabilities in double precision; observed differences are
 * below 1e-15, so 1e-12 leaves room for summation order and still fails on any wrong weight.
 */
const REFERENCE = 1e-12;

function data(n: number, seed: number): { X: number[][]; y: number[] } {
  const rng = createRng(seed);
  const X = Array.from({ length: n }, () => [rng.normal(), rng.int(0, 3), rng.uniform() * 100, rng.normal()]);
  const y = X.map((r) => ((r[0] as number) + (r[1] as number) - 1 + (r[2] as number) / 50 - 1 + rng.normal() > 0 ? 1 : 0));
  return { X, y };
}

function expectAdditive(e: Explanation, p: number): void {
  e.contributions.forEach((phi, i) => {
    expect(phi.length).toBe(p);
    const sum = phi.reduce((a, b) => a + b, e.base);
    expect(Math.abs(sum - (e.output[i] as number)), `row ${i}`).toBeLessThan(ADDITIVE);
  });
}

interface Reference {
  readonly XTrain: number[][];
  readonly yTrain: number[];
  readonly XExplain: number[][];
  readonly cases: {
    readonly label: string;
    readonly options: { maxDepth: number | null; minSamplesLeaf: number; classWeight: 'balanced' | null };
    readonly tree: { feature: number[]; threshold: number[]; left: number[]; right: number[]; value: number[]; cover: number[] };
    readonly proba: number[];
    readonly base: number;
    readonly phi: number[][];
  }[];
}

const reference = JSON.parse(readFileSync(new URL('./fixtures/tree_shap_reference.json', import.meta.url), 'utf8')) as Reference;

describe('DecisionTree.explain', () => {
  describe.each(reference.cases)('scikit-learn 1.2 DecisionTreeClassifier($label), Shapley values by brute force (tree_shap_reference.py)', (c) => {
    // scikit-learn's fitted tree, loaded as ours: node covers are its weighted_n_node_samples.
    const tree = DecisionTree.fromJSON({
      kind: 'crm.churn.decision-tree',
      version: 2,
      options: { criterion: 'gini', maxDepth: c.options.maxDepth, minSamplesSplit: 2, minSamplesLeaf: c.options.minSamplesLeaf, minImpurityDecrease: 0, classWeight: c.options.classWeight },
      nFeatures: 8,
      featureImportances: new Array(8).fill(0),
      tree: c.tree,
    });

    it('explain(X) equals the brute-force Shapley values and base, and adds up to predictProba', () => {
      expect(Array.from(tree.predictProba(reference.XExplain))).toEqual(c.proba);
      const e = tree.explain(reference.XExplain);
      expect(e.scale).toBe('probability');
      expect(Math.abs(e.base - c.base)).toBeLessThan(REFERENCE);
      e.contributions.forEach((phi, i) => {
        (c.phi[i] as number[]).forEach((want, j) => expect(Math.abs((phi[j] as number) - want), `row ${i} feature ${j}`).toBeLessThan(REFERENCE));
      });
      expectAdditive(e, 8);
    });

    it('our tree fitted with the same options records the weighted training rows at every node, as weighted_n_node_samples does', () => {
      const ours = DecisionTree.fit(reference.XTrain, reference.yTrain, {
        ...(c.options.maxDepth === null ? {} : { maxDepth: c.options.maxDepth }),
        minSamplesLeaf: c.options.minSamplesLeaf,
        ...(c.options.classWeight === null ? {} : { classWeight: c.options.classWeight }),
      }).toJSON().tree;
      // Recount: route every training row down the tree and add its class weight at each node.
      const n = reference.yTrain.length;
      const ones = reference.yTrain.reduce((a, b) => a + b, 0);
      const w = (yi: number): number => (c.options.classWeight === null ? 1 : n / (2 * (yi === 1 ? ones : n - ones)));
      const count = new Array<number>(ours.feature.length).fill(0);
      reference.XTrain.forEach((x, i) => {
        let node = 0;
        for (;;) {
          count[node] += w(reference.yTrain[i] as number);
          const f = ours.feature[node] as number;
          if (f < 0) break;
          node = ((x[f] as number) <= (ours.threshold[node] as number) ? ours.left[node] : ours.right[node]) as number;
        }
      });
      ours.cover?.forEach((v, i) => expect(Math.abs(v - (count[i] as number))).toBeLessThan(1e-9 * (count[i] as number)));
      expect(ours.cover).toHaveLength(count.length);
      // The root holds all training weight, as scikit-learn's does.
      expect(Math.abs((ours.cover?.[0] as number) - (c.tree.cover[0] as number))).toBeLessThan(1e-9 * n);
    });
  });

  it('is additive on random data and depths, and never mutates its input (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 12 }), fc.boolean(), (seed, depth, balanced) => {
        const { X, y } = data(120, seed);
        const tree = DecisionTree.fit(X, y, { maxDepth: depth, ...(balanced ? { classWeight: 'balanced' as const } : {}) });
        const rows = frozenRows(data(30, seed + 1).X);
        const e = tree.explain(rows);
        expectAdditive(e, 4);
        expect(Array.from(e.output)).toEqual(Array.from(tree.predictProba(rows)));
      }),
      { numRuns: 40, seed: 3 },
    );
  });

  it('a tree loaded from format-1 JSON (no covers) predicts the same and refuses to explain, saying to refit', () => {
    const { X, y } = data(100, 1);
    const tree = DecisionTree.fit(X, y, { maxDepth: 4 });
    const json = JSON.parse(JSON.stringify(tree)) as { version: number; tree: Record<string, unknown> };
    expect(json.version).toBe(2);
    json.version = 1;
    delete json.tree['cover'];
    const old = DecisionTree.fromJSON(json);
    expect(Array.from(old.predictProba(X))).toEqual(Array.from(tree.predictProba(X)));
    expect(JSON.parse(JSON.stringify(old))).toEqual(json);
    expectCrmError(() => old.explain(X), 'invalid_argument');
    expect(() => old.explain(X)).toThrow(/refit/);
    // Format 2 must carry positive covers.
    const v2 = JSON.parse(JSON.stringify(tree)) as { tree: { cover: unknown[] } };
    v2.tree.cover[1] = 0;
    expectCrmError(() => DecisionTree.fromJSON(v2), 'invalid_json', ['tree', 'cover', 1]);
    v2.tree.cover[1] = (tree.toJSON().tree.cover?.[1] as number) * 2;
    expectCrmError(() => DecisionTree.fromJSON(v2), 'invalid_json', ['tree', 'cover', 0]);
    delete (v2.tree as Record<string, unknown>)['cover'];
    expectCrmError(() => DecisionTree.fromJSON(v2), 'invalid_json', ['tree', 'cover']);
  });

  it('rejects a wrong feature count and NaN with CrmError and the path', () => {
    const { X, y } = data(60, 2);
    const tree = DecisionTree.fit(X, y, { maxDepth: 3 });
    expectCrmError(() => tree.explain([[1, 2, 3]]), 'invalid_input');
    expectCrmError(() => tree.explain([[1, 2, 3, Number.NaN]]), 'invalid_input', ['X', 0, 3]);
    expectCrmError(() => tree.explain([]), 'invalid_input');
  });
});

describe('RandomForest.explain', () => {
  it('averages the trees: additive on every row, output = predictProba, covers are the in-bag counts', () => {
    const { X, y } = data(300, 4);
    for (const options of [{ trees: 25, seed: 2 }, { trees: 10, seed: 3, bootstrap: false, maxDepth: 4 }, { trees: 10, seed: 4, classWeight: 'balanced' as const }]) {
      const forest = RandomForest.fit(X, y, options);
      const rows = data(80, 5).X;
      const e = forest.explain(rows);
      expect(e.scale).toBe('probability');
      expectAdditive(e, 4);
      expect(Array.from(e.output)).toEqual(Array.from(forest.predictProba(rows)));
      for (const t of forest.toJSON().trees) {
        const cover = t.cover as number[];
        // A bootstrap sample has n draws, so the root holds n in-bag rows (with multiplicity).
        if (options.classWeight === undefined) expect(cover[0]).toBe(300);
        t.feature.forEach((f, i) => {
          if (f >= 0) expect(cover[i]).toBeCloseTo((cover[t.left[i] as number] as number) + (cover[t.right[i] as number] as number), 9);
        });
      }
    }
  });

  it('the base is the mean over trees of each tree\'s cover-weighted mean leaf probability', () => {
    const { X, y } = data(200, 6);
    const forest = RandomForest.fit(X, y, { trees: 7, seed: 9, maxDepth: 3 });
    let base = 0;
    for (const t of forest.toJSON().trees) {
      const cover = t.cover as number[];
      let s = 0;
      t.feature.forEach((f, i) => {
        if (f < 0) s += (cover[i] as number) * (t.value[i] as number);
      });
      base += s / (cover[0] as number);
    }
    expect(forest.explain([X[0] as number[]]).base).toBeCloseTo(base / 7, 12);
  });

  it('a forest from format-1 JSON refuses to explain; bad rows are CrmErrors with a path', () => {
    const { X, y } = data(100, 7);
    const forest = RandomForest.fit(X, y, { trees: 3, seed: 1 });
    const json = JSON.parse(JSON.stringify(forest)) as { version: number; trees: Record<string, unknown>[] };
    json.version = 1;
    for (const t of json.trees) delete t['cover'];
    const old = RandomForest.fromJSON(json);
    expect(Array.from(old.predictProba(X))).toEqual(Array.from(forest.predictProba(X)));
    expectCrmError(() => old.explain(X), 'invalid_argument');
    expectCrmError(() => forest.explain([[1, 2, Number.POSITIVE_INFINITY, 0]]), 'invalid_input', ['X', 0, 2]);
    expectCrmError(() => forest.explain([[1, 2]]), 'invalid_input');
  });
});

describe('LogisticRegression.explain', () => {
  it('φ = β·(x − training mean), base = b + β·mean, base + Σφ = decisionFunction', () => {
    const { X, y } = data(200, 8);
    const model = LogisticRegression.fit(X, y);
    const means = [0, 1, 2, 3].map((j) => X.reduce((s, r) => s + (r[j] as number), 0) / X.length);
    model.featureMeans?.forEach((m, j) => expect(m).toBeCloseTo(means[j] as number, 12));
    const rows = frozenRows(data(50, 9).X);
    const e = model.explain(rows);
    expect(e.scale).toBe('log-odds');
    expect(e.base).toBeCloseTo(model.intercept + model.coefficients.reduce((s, b, j) => s + b * (means[j] as number), 0), 12);
    e.contributions.forEach((phi, i) =>
      phi.forEach((v, j) => expect(v).toBeCloseTo((model.coefficients[j] as number) * (((rows[i] as number[])[j] as number) - (means[j] as number)), 12)),
    );
    expect(Array.from(e.output)).toEqual(Array.from(model.decisionFunction(rows)));
    expectAdditive(e, 4);
    // The mean row is explained by the base alone.
    const atMean = model.explain([means]);
    atMean.contributions[0]?.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-12));
  });

  it('format-1 JSON (no means) loads and predicts, refuses to explain; bad rows are CrmErrors', () => {
    const { X, y } = data(100, 10);
    const model = LogisticRegression.fit(X, y);
    const json = JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
    expect(json['version']).toBe(2);
    json['version'] = 1;
    delete json['featureMeans'];
    const old = LogisticRegression.fromJSON(json);
    expect(old.featureMeans).toBeNull();
    expect(Array.from(old.predictProba(X))).toEqual(Array.from(model.predictProba(X)));
    expect(JSON.parse(JSON.stringify(old))).toEqual(json);
    expectCrmError(() => old.explain(X), 'invalid_argument');
    expectCrmError(() => model.explain([[1, 2, 3]]), 'invalid_input');
    expectCrmError(() => model.explain([[1, Number.NaN, 3, 4]]), 'invalid_input', ['X', 0, 1]);
  });
});
