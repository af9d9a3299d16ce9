// calibrate against scikit-learn 1.2.1's CalibratedClassifierCV (fixtures/calibration_reference.py):
// LogisticRegression(C = 1) on the Telco design matrix, the same five predefined folds of the 5,625
// training rows, sigmoid and isotonic, with and without ensemble; calibrated P(churn) on the 1,407
// test rows.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeatureTransformer, type FeatureSpec } from '@crm/core';
import { CalibratedClassifier, DecisionTree, LogisticRegression, calibrate } from '@crm/churn';
import { expectCrmError, frozenRows } from './helpers.ts';
import { NUMERIC, loadTelco, pick } from './telco.ts';

const ref = JSON.parse(gunzipSync(readFileSync(new URL('./fixtures/calibration_reference.json.gz', import.meta.url))).toString('utf8')) as {
  foldsTest: number[][];
  cases: { method: 'sigmoid' | 'isotonic'; ensemble: boolean; proba: number[] }[];
  plattFold0: { maxProbaGapOnTest: number };
};

const telco = loadTelco();
const spec: FeatureSpec = {
  columns: [
    ...NUMERIC.map((name) => ({ name, type: 'numeric' as const, scale: 'standard' as const })),
    ...telco.categorical.map((name) => ({ name, type: 'categorical' as const, unseen: 'ignore' as const })),
  ],
};
const trainRecords = pick(telco.records, telco.train);
const transformer = FeatureTransformer.fit(trainRecords, spec);
const XTrain = transformer.transform(trainRecords);
const XTest = transformer.transform(pick(telco.records, telco.test));
const yTrain = pick(telco.y, telco.train);
const logistic = { fit: (X: readonly ArrayLike<number>[], y: ArrayLike<number | boolean>) => LogisticRegression.fit(X, y, { C: 1 }) };

// Both logistic regressions are Newton solutions of the same problem (sklearn's newton-cholesky at
// tol 1e-12), and sklearn's BFGS stops Platt's fit next to the exact optimum (the gap the script
// records); observed differences are 2e-9 (sigmoid) and 7e-8 (isotonic, whose pooled knots divide
// label counts by block sizes). 1e-6 leaves room for rounding, while a different smoothing of the
// Platt targets (unsmoothed: 7e-4 to 3e-3 here), a lost tie-pooling step or an off-by-one fold would exceed it.
const TOLERANCE = 1e-6;

describe("calibrate equals scikit-learn's CalibratedClassifierCV on Telco (LogisticRegression base, predefined folds)", () => {
  it('the Platt solver gap of scikit-learn is recorded and far below the tolerance', () => {
    expect(ref.plattFold0.maxProbaGapOnTest).toBeLessThan(TOLERANCE / 10);
  });
  for (const c of ref.cases) {
    it(`method '${c.method}', ensemble ${c.ensemble}: test probabilities within ${TOLERANCE}`, () => {
      const model = calibrate(logistic, XTrain, yTrain, { method: c.method, folds: ref.foldsTest, ensemble: c.ensemble });
      const p = model.predictProba(XTest);
      let worst = 0;
      p.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (c.proba[i] as number)))));
      console.log(`calibrate ${c.method} ensemble=${c.ensemble}: max |Δp| ${worst.toExponential(2)}`);
      expect(worst).toBeLessThan(TOLERANCE);
      expect(model.calibrators.length).toBe(c.ensemble ? 5 : 1);
      expect(model.score).toBe('decision');
    });
  }
});

describe('calibrate: the model it returns', () => {
  const X = Array.from({ length: 80 }, (_, i) => [i % 10, (i * 7) % 5]);
  const y = X.map(([a, b], i) => ((a as number) + (b as number) + (i % 4) > 8 ? 1 : 0));

  it('round-trips through JSON text with identical probabilities, for both methods and a probability-scored base', () => {
    const tree = { fit: (X: readonly ArrayLike<number>[], y: ArrayLike<number | boolean>) => DecisionTree.fit(X, y, { maxDepth: 3 }) };
    for (const method of ['sigmoid', 'isotonic'] as const) {
      for (const [learner, loaders] of [[logistic, [LogisticRegression]], [tree, [DecisionTree, LogisticRegression]]] as const) {
        const model = calibrate(learner, X, y, { method, folds: 3, seed: 2 });
        const text = JSON.stringify(model);
        const copy = CalibratedClassifier.fromJSON(JSON.parse(text), loaders);
        expect(copy.predictProba(X)).toEqual(model.predictProba(X));
        expect(JSON.stringify(copy)).toBe(text);
        expect(Object.isFrozen(copy) && Object.isFrozen(model)).toBe(true);
      }
    }
  });

  it('probabilities lie in [0, 1], isotonic maps are non-decreasing in the score, inputs are not mutated (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.boolean()), { minLength: 12, maxLength: 60 }), fc.constantFrom('sigmoid' as const, 'isotonic' as const), (rows, method) => {
        const Xr = frozenRows(rows.map(([v]) => [v]));
        const yr = Object.freeze(rows.map(([, b], i) => (i < 3 ? 1 : i < 6 ? 0 : b ? 1 : 0)));
        const model = calibrate(logistic, Xr, yr, { method, folds: 3, seed: 1 });
        const grid = Array.from({ length: 21 }, (_, i) => [-6 + (12 * i) / 20]);
        const p = model.predictProba(grid);
        for (let i = 0; i < p.length; i++) {
          expect(p[i]).toBeGreaterThanOrEqual(0);
          expect(p[i]).toBeLessThanOrEqual(1);
        }
        if (method === 'isotonic') for (const c of model.calibrators) if (c.method === 'isotonic') for (let k = 1; k < c.y.length; k++) expect(c.y[k]).toBeGreaterThanOrEqual(c.y[k - 1] as number);
      }),
      { numRuns: 30 },
    );
  });

  it('bad options, folds with one class, and JSON without its loaders or tampered are CrmErrors with paths', () => {
    expectCrmError(() => calibrate(logistic, X, y, { method: 'platt' as never }), 'invalid_argument', ['options', 'method']);
    expectCrmError(() => calibrate(logistic, X, y, { fold: 3 } as never), 'invalid_argument', ['options', 'fold']);
    expectCrmError(() => calibrate({} as never, X, y), 'invalid_argument', ['learner']);
    expectCrmError(() => calibrate(logistic, X, y.map(() => 0)), 'invalid_labels');
    const json = JSON.parse(JSON.stringify(calibrate(logistic, X, y, { folds: 2, method: 'isotonic' })));
    expectCrmError(() => CalibratedClassifier.fromJSON(json, undefined as never), 'invalid_argument', ['models']);
    expectCrmError(() => CalibratedClassifier.fromJSON(json, [DecisionTree]), 'invalid_json', ['members', 0, 'model', 'kind']);
    const tampered = structuredClone(json);
    tampered.members[1].calibrator.y[0] = 2;
    expectCrmError(() => CalibratedClassifier.fromJSON(tampered, [LogisticRegression]), 'invalid_json', ['members', 1, 'calibrator', 'y', 0]);
    const short = structuredClone(json);
    short.members.pop();
    expectCrmError(() => CalibratedClassifier.fromJSON(short, [LogisticRegression]), 'invalid_json', ['members']);
  });
});

describe('calibrate: the TSDoc examples print what their comments say', () => {
  it('predict of [[0], [9]] is [0, 1]; two members with two folds; the copy predicts the same', () => {
    const X = Array.from({ length: 40 }, (_, i) => [i % 10]);
    const y = X.map(([a], i) => ((a as number) + (i % 3) > 6 ? 1 : 0));
    const model = calibrate(LogisticRegression, X, y, { folds: 2 });
    expect(Array.from(model.predict([[0], [9]]))).toEqual([0, 1]);
    expect(model.toJSON().members).toHaveLength(2);
    const copy = CalibratedClassifier.fromJSON(JSON.parse(JSON.stringify(model)), [LogisticRegression]);
    expect(copy.predictProba([[3]])).toEqual(model.predictProba([[3]]));
    expect(copy.options.folds).toBe(2);
  });
});

describe('CalibratedClassifier.fit is calibrate', () => {
  it('gives the same model as calibrate for the same call', () => {
    const X = Array.from({ length: 40 }, (_, i) => [i % 10]);
    const y = X.map(([a], i) => ((a as number) + (i % 3) > 6 ? 1 : 0));
    const a = CalibratedClassifier.fit(LogisticRegression, X, y, { folds: 2 });
    expect(a.calibrators.length).toBe(2);
    expect(JSON.stringify(a)).toBe(JSON.stringify(calibrate(LogisticRegression, X, y, { folds: 2 })));
  });
});
