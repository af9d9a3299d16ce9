import { describe, expect, it } from 'vitest';
import { createRng } from '@crm/core';
import { DecisionTree, RandomForest } from '@crm/churn';
import { expectCrmError, frozenRows } from './helpers.ts';

function data(n: number, seed: number): { X: number[][]; y: number[] } {
  const rng = createRng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
    X.push(row);
    // Only the first two columns carry signal.
    y.push((row[0] as number) + 0.5 * (row[1] as number) + 0.3 * rng.normal() > 0 ? 1 : 0);
  }
  return { X, y };
}

describe('RandomForest', () => {
  const { X, y } = data(300, 1);
  const frozenX = frozenRows(X);

  it('same seed, same forest; another seed, another forest', () => {
    const a = RandomForest.fit(frozenX, y, { trees: 20, seed: 5 });
    const b = RandomForest.fit(frozenX, y, { trees: 20, seed: 5 });
    const c = RandomForest.fit(frozenX, y, { trees: 20, seed: 6 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('tree i does not depend on how many trees are grown (streams are split off before growing)', () => {
    const five = RandomForest.fit(X, y, { trees: 5, seed: 9 }).toJSON().trees;
    const ten = RandomForest.fit(X, y, { trees: 10, seed: 9 }).toJSON().trees;
    expect(ten.slice(0, 5)).toEqual(five);
  });

  // Deep nodes often have several equally good (pure) splits, broken by feature order, which the
  // forest draws at random; shallow nodes with many rows on continuous data have no such ties.
  it('one tree on all rows with all features is the decision tree (where no splits tie)', () => {
    const forest = RandomForest.fit(X, y, { trees: 1, bootstrap: false, maxFeatures: 'all', maxDepth: 3, minSamplesLeaf: 20 });
    const tree = DecisionTree.fit(X, y, { maxDepth: 3, minSamplesLeaf: 20 });
    expect(Array.from(forest.predictProba(X))).toEqual(Array.from(tree.predictProba(X)));
  });

  it("the tree's batched one-hot histograms agree with the forest's per-feature search", () => {
    // Binary columns take the single tree's batched-histogram path (with sibling subtraction);
    // the forest searches feature by feature. Same splits, same probabilities.
    const rng = createRng(4);
    const Xb: number[][] = [];
    const yb: number[] = [];
    for (let i = 0; i < 400; i++) {
      const row = [rng.normal(), rng.uniform() < 0.3 ? 1 : 0, rng.uniform() < 0.6 ? 1 : 0, rng.int(0, 5), rng.uniform() < 0.5 ? 1 : 0];
      Xb.push(row);
      yb.push(0.8 * (row[0] as number) + (row[1] as number) - 0.7 * (row[2] as number) + 0.2 * (row[3] as number) + rng.normal() > 0.3 ? 1 : 0);
    }
    const forest = RandomForest.fit(Xb, yb, { trees: 1, bootstrap: false, maxFeatures: 'all', maxDepth: 4, minSamplesLeaf: 15 });
    const tree = DecisionTree.fit(Xb, yb, { maxDepth: 4, minSamplesLeaf: 15 });
    expect(Array.from(forest.predictProba(Xb))).toEqual(Array.from(tree.predictProba(Xb)));
  });

  it('puts the importance on the informative columns and sums it to 1', () => {
    const f = RandomForest.fit(X, y, { trees: 30, seed: 2 });
    const imp = f.featureImportances;
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(Math.min(imp[0] as number, imp[1] as number)).toBeGreaterThan(Math.max(imp[2] as number, imp[3] as number));
  });

  it('computes an out-of-bag score, also on tiny data', () => {
    const f = RandomForest.fit(X, y, { trees: 30, seed: 3, oobScore: true });
    expect(f.oob?.coverage).toBeGreaterThan(0.99);
    expect(f.oob?.accuracy).toBeGreaterThan(0.75);
    expect(f.oob?.rocAuc).toBeGreaterThan(0.8);
    const tiny = RandomForest.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { trees: 3, seed: 1, oobScore: true });
    expect(tiny.oob).not.toBeNull();
  });

  it('maxFeatures options and class weights are accepted and echoed', () => {
    const f = RandomForest.fit(X, y, { trees: 3, maxFeatures: 'log2', classWeight: 'balanced', criterion: 'entropy', minSamplesLeaf: 3 });
    expect(f.options).toMatchObject({ trees: 3, maxFeatures: 'log2', classWeight: 'balanced', criterion: 'entropy', minSamplesLeaf: 3, seed: 0 });
    expect(RandomForest.fit(X, y, { trees: 2, maxFeatures: 2 }).treeCount).toBe(2);
  });

  it('rejects bad options and input with CrmError', () => {
    expectCrmError(() => RandomForest.fit(X, y, { trees: 0 }), 'invalid_argument', ['options', 'trees']);
    expectCrmError(() => RandomForest.fit(X, y, { maxFeatures: 'half' as never }), 'invalid_argument', ['options', 'maxFeatures']);
    expectCrmError(() => RandomForest.fit(X, y, { bootstrap: false, oobScore: true }), 'invalid_argument', ['options', 'oobScore']);
    expectCrmError(() => RandomForest.fit([[1], [2, 3]], [0, 1]), 'invalid_input', ['X', 1]);
    expectCrmError(() => RandomForest.fit([[1], [2]], [0, 0]), 'invalid_labels');
  });
});
