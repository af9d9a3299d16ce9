import { describe, expect, it } from 'vitest';
import { createRng } from '@crm/core';
import {
  DecisionTree,
  LogisticRegression,
  crossValidate,
  permutationImportance,
  pipeline,
  rocAuc,
  stratifiedKFold,
  trainTestSplit,
} from '@crm/churn';
import { expectCrmError, frozenRows } from './helpers.ts';

function data(n: number, seed: number): { X: number[][]; y: number[] } {
  const rng = createRng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [rng.normal(), rng.normal(), rng.normal()];
    X.push(row);
    y.push((row[0] as number) + 0.4 * rng.normal() > 0.6 ? 1 : 0); // only column 0 matters
  }
  return { X, y };
}

describe('trainTestSplit', () => {
  const { X, y } = data(203, 1);
  const fX = frozenRows(X);
  const fy = Object.freeze(y.slice());

  it('stratifies: each class gives round(testSize · n_class) rows to the test part', () => {
    const s = trainTestSplit(fX, fy, { testSize: 0.25, seed: 3 });
    const ones = y.reduce((a, b) => a + b, 0);
    expect(s.yTest.reduce((a, b) => a + b, 0)).toBe(Math.round(0.25 * ones));
    expect(s.testIndex.length).toBe(Math.round(0.25 * ones) + Math.round(0.25 * (203 - ones)));
    expect([...s.trainIndex, ...s.testIndex].sort((a, b) => a - b)).toEqual(Array.from({ length: 203 }, (_, i) => i));
    expect(s.XTest[0]).toBe(fX[s.testIndex[0] as number]);
  });

  it('same seed, same split; another seed, another split; unstratified also works', () => {
    expect(trainTestSplit(fX, fy, { seed: 1 }).testIndex).toEqual(trainTestSplit(fX, fy, { seed: 1 }).testIndex);
    expect(trainTestSplit(fX, fy, { seed: 1 }).testIndex).not.toEqual(trainTestSplit(fX, fy, { seed: 2 }).testIndex);
    expect(trainTestSplit(fX, fy, { seed: 1, stratify: false, testSize: 0.1 }).testIndex.length).toBe(20);
  });

  it('rejects bad arguments', () => {
    expectCrmError(() => trainTestSplit(fX, fy, { testSize: 1 }), 'invalid_argument', ['options', 'testSize']);
    expectCrmError(() => trainTestSplit(fX, [0, 1]), 'invalid_labels');
    expectCrmError(() => trainTestSplit('rows' as never, fy), 'invalid_argument');
  });
});

describe('stratifiedKFold', () => {
  it('partitions the rows into folds of nearly equal size and churn rate', () => {
    const y = Array.from({ length: 53 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const folds = stratifiedKFold(y, { folds: 5, seed: 2 });
    expect(folds.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 53 }, (_, i) => i));
    const sizes = folds.map((f) => f.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    const pos = folds.map((f) => f.filter((i) => y[i] === 1).length);
    expect(Math.max(...pos) - Math.min(...pos)).toBeLessThanOrEqual(1);
  });
  it('rejects a class smaller than the number of folds', () => {
    expectCrmError(() => stratifiedKFold([1, 1, 0, 0, 0, 0], { folds: 3 }), 'invalid_labels');
  });
});

describe('crossValidate', () => {
  const { X, y } = data(300, 4);

  it('scores each fold with a model fitted on the other folds, and gives out-of-fold probabilities', () => {
    const cv = crossValidate(LogisticRegression, frozenRows(X), Object.freeze(y.slice()), { folds: 5, seed: 1 });
    expect(cv.folds.length).toBe(5);
    expect(cv.folds.reduce((s, f) => s + f.testSize, 0)).toBe(300);
    // Recompute fold 0 by hand from its test rows.
    const test = cv.testIndex[0] as readonly number[];
    const inTest = new Set(test);
    const model = LogisticRegression.fit(X.filter((_, i) => !inTest.has(i)), y.filter((_, i) => !inTest.has(i)));
    const p = model.predictProba(test.map((i) => X[i] as number[]));
    expect(cv.folds[0]?.rocAuc).toBe(rocAuc(test.map((i) => y[i] as number), p));
    expect(test.map((i) => cv.outOfFold[i])).toEqual(Array.from(p));
    const mean = cv.folds.reduce((s, f) => s + f.rocAuc, 0) / 5;
    expect(cv.rocAuc.mean).toBeCloseTo(mean, 14);
  });

  it('same seed, same folds and scores', () => {
    const learner = { fit: (A: readonly ArrayLike<number>[], b: ArrayLike<number | boolean>) => DecisionTree.fit(A, b, { maxDepth: 3 }) };
    expect(crossValidate(learner, X, y, { seed: 8 }).rocAuc).toEqual(crossValidate(learner, X, y, { seed: 8 }).rocAuc);
  });

  it('with a pipeline, fits the preprocessing on the training rows of each fold only', () => {
    type Rec = { readonly id: number; readonly x: number };
    const records: Rec[] = X.map((r, id) => ({ id, x: r[0] as number }));
    const seen: number[][] = [];
    const scaler = {
      fit(rows: readonly Rec[]) {
        seen.push(rows.map((r) => r.id));
        const mean = rows.reduce((s, r) => s + r.x, 0) / rows.length;
        return { transform: (rs: readonly Rec[]) => rs.map((r) => [r.x - mean]) };
      },
    };
    const cv = crossValidate(pipeline(scaler, LogisticRegression), records, y, { folds: 3, seed: 5 });
    expect(seen.length).toBe(3);
    cv.testIndex.forEach((test, k) => {
      const fitted = new Set(seen[k]);
      expect(test.some((i) => fitted.has(i))).toBe(false);
      expect(fitted.size).toBe(300 - test.length);
    });
  });

  it('accepts explicit folds and rejects folds that do not partition the rows', () => {
    const folds = [Array.from({ length: 150 }, (_, i) => 2 * i), Array.from({ length: 150 }, (_, i) => 2 * i + 1)];
    expect(crossValidate(LogisticRegression, X, y, { folds }).folds.length).toBe(2);
    expectCrmError(() => crossValidate(LogisticRegression, X, y, { folds: [[0, 1], [1, 2]] }), 'invalid_argument');
    expectCrmError(() => crossValidate(LogisticRegression, X, y, { folds: [[0], [1]] }), 'invalid_argument');
    expectCrmError(() => crossValidate(LogisticRegression, X, y, { folds: 1 }), 'invalid_argument');
    expectCrmError(() => crossValidate({} as never, X, y), 'invalid_argument', ['learner']);
  });
});

describe('permutationImportance', () => {
  it('finds the one informative column; the others change nothing', () => {
    const { X, y } = data(400, 9);
    const model = LogisticRegression.fit(X, y);
    const fX = frozenRows(X);
    const imp = permutationImportance(model, fX, y, { repeats: 4, seed: 1 });
    expect(imp.map((f) => f.feature)).toEqual([0, 1, 2]);
    expect(imp[0]?.mean).toBeGreaterThan(0.2);
    expect(Math.abs(imp[1]?.mean as number)).toBeLessThan(0.02);
    expect(Math.abs(imp[2]?.mean as number)).toBeLessThan(0.02);
    expect(imp[0]?.drops.length).toBe(4);
    // With a loss metric the sign is flipped: larger still means more important.
    expect(permutationImportance(model, X, y, { metric: 'logLoss', repeats: 2 })[0]?.mean).toBeGreaterThan(0.1);
  });
  it('rejects bad options', () => {
    const model = LogisticRegression.fit([[0], [1], [2], [3]], [0, 1, 0, 1]);
    expectCrmError(() => permutationImportance(model, [[0], [1]], [0, 1], { repeats: 0 }), 'invalid_argument');
    expectCrmError(() => permutationImportance(model, [[0], [1]], [0, 1], { metric: 'f1' as never }), 'invalid_argument');
  });
});
