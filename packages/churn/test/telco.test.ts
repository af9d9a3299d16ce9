// Telco churn against scikit-learn 1.2.1 (REFERENCE.md table T1; see fixtures/README.md): the
// reference preprocessing and the recorded split and folds (same rows), each model fitted on the
// 5,625 training rows and scored on the 1,407 test rows.
import { describe, expect, it } from 'vitest';
import { FeatureTransformer, type FeatureSpec } from '@crm/core';
import {
  DecisionTree,
  LogisticRegression,
  NeuralNetwork,
  RandomForest,
  crossValidate,
  pipeline,
  rocAuc,
  type Learner,
} from '@crm/churn';
import { NUMERIC, loadTelco, pick, referenceDesign, type TelcoRecord } from './telco.ts';

const telco = loadTelco();
const spec: FeatureSpec = {
  columns: [
    ...NUMERIC.map((name) => ({ name, type: 'numeric' as const, scale: 'standard' as const })),
    ...telco.categorical.map((name) => ({ name, type: 'categorical' as const, unseen: 'ignore' as const })),
  ],
};
const trainRecords = pick(telco.records, telco.train);
const testRecords = pick(telco.records, telco.test);
const yTrain = pick(telco.y, telco.train);
const yTest = pick(telco.y, telco.test);
const transformer = FeatureTransformer.fit(trainRecords, spec);
const XTrain = transformer.transform(trainRecords);
const XTest = transformer.transform(testRecords);

// The acceptance bound: ROC AUC within 0.01 of scikit-learn's. Models differ in solver
// (Newton vs lbfgs), tie-breaking between equal splits and random streams, not in definition.
const AUC_TOLERANCE = 0.01;

interface Case {
  readonly name: string;
  readonly learner: Learner<ArrayLike<number>>;
  readonly sklearnAuc: number;
  readonly sklearnCv: readonly [number, number];
}
// Options mirror sklearn_reference.py: LogisticRegression() (C = 1), max_depth = 6,
// n_estimators = 100, hidden_layer_sizes = (16,) with max_iter = 500; seeds 42 as random_state = 42.
const cases: readonly Case[] = [
  { name: 'LogisticRegression', learner: { fit: (X, y) => LogisticRegression.fit(X, y, { C: 1 }) }, sklearnAuc: 0.8359, sklearnCv: [0.8451, 0.0026] },
  { name: 'DecisionTree(maxDepth 6)', learner: { fit: (X, y) => DecisionTree.fit(X, y, { maxDepth: 6 }) }, sklearnAuc: 0.8232, sklearnCv: [0.8231, 0.0117] },
  { name: 'RandomForest(100 trees)', learner: { fit: (X, y) => RandomForest.fit(X, y, { trees: 100, seed: 42 }) }, sklearnAuc: 0.8118, sklearnCv: [0.8194, 0.0029] },
  {
    name: 'NeuralNetwork(16 hidden)',
    learner: { fit: (X, y) => NeuralNetwork.fit(X, y, { hidden: [16], maxEpochs: 500, seed: 42 }) },
    sklearnAuc: 0.8299,
    sklearnCv: [0.8381, 0.0049],
  },
];

describe('Telco churn: the reference design matrix', () => {
  it('has the recorded sizes: 7,032 rows, 1,869 churners, 5,625 / 1,407 split with 1,495 / 374 churners', () => {
    expect(telco.records.length).toBe(7032);
    expect(telco.y.reduce((a, b) => a + b, 0)).toBe(1869);
    expect([yTrain.length, yTest.length]).toEqual([5625, 1407]);
    expect([yTrain.reduce((a, b) => a + b, 0), yTest.reduce((a, b) => a + b, 0)]).toEqual([1495, 374]);
  });

  it("core's FeatureTransformer gives scikit-learn's 45 features in scikit-learn's order", () => {
    const sk = telco.featureNames.map((f) => f.replace(/^num__/, '').replace(/^cat__([^_]+)_/, '$1='));
    expect(transformer.featureNames).toEqual(sk);
  });

  it('equals an independent implementation of StandardScaler (population sd) + OneHotEncoder (sorted levels)', () => {
    const reference = referenceDesign(trainRecords, telco.categorical)(testRecords);
    let worst = 0;
    XTest.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (reference[i]?.[j] as number))))));
    // Both compute (x − mean) / sd in float64 with different summation orders.
    expect(worst).toBeLessThan(1e-12);
  });
});

describe('Telco churn: test-set ROC AUC within 0.01 of scikit-learn 1.2 (REFERENCE.md T1)', () => {
  for (const c of cases) {
    it(`${c.name}: AUC ≈ ${c.sklearnAuc}`, () => {
      const model = c.learner.fit(XTrain, yTrain);
      const auc = rocAuc(yTest, model.predictProba(XTest));
      console.log(`${c.name}: test AUC ${auc.toFixed(4)} (scikit-learn ${c.sklearnAuc})`);
      expect(Math.abs(auc - c.sklearnAuc)).toBeLessThan(AUC_TOLERANCE);
    });
  }
});

describe("Telco churn: 5-fold CV on scikit-learn's folds, preprocessing refitted inside each fold", () => {
  for (const c of cases) {
    it(`${c.name}: CV AUC beside scikit-learn's ${c.sklearnCv[0]} ± ${c.sklearnCv[1]}`, () => {
      let fits = 0;
      const factory = {
        fit: (records: readonly TelcoRecord[]) => {
          fits++;
          return FeatureTransformer.fit(records, spec);
        },
      };
      const cv = crossValidate(pipeline(factory, c.learner), telco.records, telco.y, { folds: telco.foldsTest });
      console.log(
        `${c.name}: 5-fold CV AUC ${cv.rocAuc.mean.toFixed(4)} ± ${cv.rocAuc.sd.toFixed(4)} (scikit-learn ${c.sklearnCv[0]} ± ${c.sklearnCv[1]})`,
      );
      expect(fits).toBe(5);
      // The same bound as for the test split; the folds are the same rows as scikit-learn's.
      expect(Math.abs(cv.rocAuc.mean - c.sklearnCv[0])).toBeLessThan(AUC_TOLERANCE);
    });
  }
});
