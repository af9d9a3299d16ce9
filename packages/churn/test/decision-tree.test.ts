import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecisionTree } from '@crm/churn';
import { expectCrmError, frozenRows } from './helpers.ts';

const gini = (w0: number, w1: number): number => (w0 + w1 === 0 ? 0 : 1 - (w0 / (w0 + w1)) ** 2 - (w1 / (w0 + w1)) ** 2);

/** Brute force: the weighted child Gini of the best root split, trying every midpoint of every feature. */
function bestRootCost(X: readonly (readonly number[])[], y: readonly number[]): number {
  let best = Infinity;
  const p = (X[0] as readonly number[]).length;
  for (let f = 0; f < p; f++) {
    const vals = [...new Set(X.map((r) => r[f] as number))].sort((a, b) => a - b);
    for (let k = 0; k + 1 < vals.length; k++) {
      const t = ((vals[k] as number) + (vals[k + 1] as number)) / 2;
      let l0 = 0, l1 = 0, r0 = 0, r1 = 0;
      X.forEach((row, i) => {
        const left = (row[f] as number) <= t;
        if (y[i] === 1) left ? l1++ : r1++;
        else left ? l0++ : r0++;
      });
      best = Math.min(best, (l0 + l1) * gini(l0, l1) + (r0 + r1) * gini(r0, r1));
    }
  }
  return best;
}

describe('DecisionTree', () => {
  it('fit(X, y) splits a separable column at the midpoint and is pure in its leaves', () => {
    const tree = DecisionTree.fit(frozenRows([[1], [2], [3], [4]]), [0, 0, 1, 1]);
    expect(tree.toJSON().tree).toEqual({ feature: [0, -1, -1], threshold: [2.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0.5, 0, 1], cover: [4, 2, 2] });
    expect(tree.featureImportances).toEqual([1]);
  });

  it('the root split is the best of all splits (brute force on random data)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.boolean()), { minLength: 4, maxLength: 40 }),
        (rows) => {
          const X = rows.map((r) => [r[0], r[1]]);
          const y = rows.map((r) => (r[2] ? 1 : 0));
          if (new Set(y).size < 2) return;
          const tree = DecisionTree.fit(X, y, { maxDepth: 1 }).toJSON().tree;
          const expected = bestRootCost(X, y);
          if (!Number.isFinite(expected)) return; // no feature varies: a single leaf
          const f = tree.feature[0] as number;
          const t = tree.threshold[0] as number;
          let l0 = 0, l1 = 0, r0 = 0, r1 = 0;
          X.forEach((row, i) => {
            const left = (row[f] as number) <= t;
            if (y[i] === 1) left ? l1++ : r1++;
            else left ? l0++ : r0++;
          });
          // Same arithmetic on small integers: equal up to rounding of a few operations.
          expect((l0 + l1) * gini(l0, l1) + (r0 + r1) * gini(r0, r1)).toBeCloseTo(expected, 12);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('grown without limits, fits every training row whose features are unique (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 3 })), {
          minLength: 4,
          maxLength: 60,
          selector: (r) => `${r[0]},${r[1]},${r[2]}`,
        }),
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        (rows, labels) => {
          const y = rows.map((_, i) => (labels[i] ? 1 : 0));
          if (new Set(y).size < 2) return;
          const tree = DecisionTree.fit(rows, y);
          expect(Array.from(tree.predict(rows))).toEqual(y);
        },
      ),
      { numRuns: 100, seed: 11 },
    );
  });

  it('respects maxDepth, minSamplesLeaf, minSamplesSplit and minImpurityDecrease', () => {
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 64; i++) {
      X.push([i, (i * 7) % 13]);
      y.push((i % 3 === 0) !== (i > 40) ? 1 : 0);
    }
    expect(DecisionTree.fit(X, y, { maxDepth: 2 }).depth).toBeLessThanOrEqual(2);
    expect(DecisionTree.fit(X, y, { maxDepth: 0 }).nodeCount).toBe(1);
    const leafy = DecisionTree.fit(X, y, { minSamplesLeaf: 10 });
    // Every leaf holds at least 10 rows: count rows per leaf by routing the training rows.
    const json = leafy.toJSON().tree;
    const perLeaf = new Map<number, number>();
    for (const row of X) {
      let node = 0;
      while ((json.feature[node] as number) >= 0) {
        node = (row[json.feature[node] as number] as number) <= (json.threshold[node] as number) ? (json.left[node] as number) : (json.right[node] as number);
      }
      perLeaf.set(node, (perLeaf.get(node) ?? 0) + 1);
    }
    expect(Math.min(...perLeaf.values())).toBeGreaterThanOrEqual(10);
    expect(DecisionTree.fit(X, y, { minSamplesSplit: 65 }).nodeCount).toBe(1);
    expect(DecisionTree.fit(X, y, { minImpurityDecrease: 0.5 }).nodeCount).toBe(1);
  });

  it('leaf probabilities are weighted shares under class weights', () => {
    // A leaf with one churner and one stayer: weights {0: 1, 1: 3} give 3 / 4.
    const tree = DecisionTree.fit([[0], [0], [1]], [0, 1, 0], { classWeight: { 0: 1, 1: 3 } });
    expect(tree.predictProba([[0]])[0]).toBeCloseTo(0.75, 15);
    expect(tree.predictProba([[1]])[0]).toBe(0);
  });

  it("criterion 'entropy' picks the information-gain split where Gini prefers another", () => {
    // Split A (x0 ≤ 0.5) isolates 3 pure rows; split B (x1 ≤ 0.5) halves the data 8/8. By hand:
    // weighted Gini A = 4.615 < B = 5.0 is not what matters: we check each criterion's own choice
    // against its brute-force value instead of a hard-coded feature.
    const X = frozenRows([[0, 0], [0, 0], [0, 1], [1, 0], [1, 0], [1, 1], [1, 1], [1, 1], [1, 0], [1, 1]]);
    const y = [1, 1, 1, 0, 1, 0, 0, 1, 0, 0];
    const t = DecisionTree.fit(X, y, { criterion: 'entropy', maxDepth: 1 });
    const H = (a: number, b: number): number => [a, b].reduce((s, c) => (c === 0 ? s : s - (c / (a + b)) * Math.log2(c / (a + b))), 0);
    const costs = [0, 1].map((f) => {
      let l0 = 0, l1 = 0, r0 = 0, r1 = 0;
      X.forEach((row, i) => {
        const left = (row[f] as number) <= 0.5;
        if (y[i] === 1) left ? l1++ : r1++;
        else left ? l0++ : r0++;
      });
      return (l0 + l1) * H(l0, l1) + (r0 + r1) * H(r0, r1);
    });
    expect(t.toJSON().tree.feature[0]).toBe(costs[0]! <= costs[1]! ? 0 : 1);
  });

  it('rejects bad input and options with CrmError', () => {
    expectCrmError(() => DecisionTree.fit([[1], [Number.POSITIVE_INFINITY]], [0, 1]), 'invalid_input', ['X', 1, 0]);
    expectCrmError(() => DecisionTree.fit([[1], [2]], [true, true]), 'invalid_labels');
    expectCrmError(() => DecisionTree.fit([[1], [2]], [0, 1], { maxDepth: 1.5 }), 'invalid_argument');
    expectCrmError(() => DecisionTree.fit([[1], [2]], [0, 1], { criterion: 'log' as never }), 'invalid_argument', ['options', 'criterion']);
    expectCrmError(() => DecisionTree.fit([[1], [2]], [0, 1], { minSamplesLeaf: 0 }), 'invalid_argument');
    expectCrmError(() => DecisionTree.fit('x' as never, [0, 1]), 'invalid_argument');
  });
});
