import { describe, expect, it } from 'vitest';
import { isCrmError } from '@crm/core';
import {
  DecisionTree,
  LogisticRegression,
  NeuralNetwork,
  RandomForest,
  bestThreshold,
  brierScore,
  calibrationCurve,
  confusionMatrix,
  crossValidate,
  liftTable,
  logLoss,
  permutationImportance,
  pipeline,
  prAuc,
  precisionRecallCurve,
  rocAuc,
  rocCurve,
  stratifiedKFold,
  trainTestSplit,
} from '@crm/churn';
import { expectCrmError } from './helpers.ts';

const X = [[0, 1], [1, 0], [2, 1], [3, 0], [4, 1], [5, 0], [6, 1], [7, 0]];
const y = [0, 0, 0, 1, 0, 1, 1, 1];
const p = [0.1, 0.2, 0.3, 0.6, 0.4, 0.7, 0.8, 0.9];
// Small forests and short training keep the tests fast; anything else passes through as given.
const quick = (o: unknown, defaults: object): unknown => (o !== null && typeof o === 'object' ? { ...defaults, ...o } : o === undefined ? defaults : o);
const fits = {
  DecisionTree: (o?: unknown) => DecisionTree.fit(X, y, o as never),
  RandomForest: (o?: unknown) => RandomForest.fit(X, y, quick(o, { trees: 5 }) as never),
  LogisticRegression: (o?: unknown) => LogisticRegression.fit(X, y, o as never),
  NeuralNetwork: (o?: unknown) => NeuralNetwork.fit(X, y, quick(o, { maxEpochs: 5 }) as never),
};
const models = Object.entries(fits).map(([name, fit]) => [name, fit()] as const);
const fromJson = {
  DecisionTree: (j: unknown) => DecisionTree.fromJSON(j),
  RandomForest: (j: unknown) => RandomForest.fromJSON(j),
  LogisticRegression: (j: unknown) => LogisticRegression.fromJSON(j),
  NeuralNetwork: (j: unknown) => NeuralNetwork.fromJSON(j),
};
const jsonOf = (m: { toJSON(): unknown }): Record<string, unknown> => JSON.parse(JSON.stringify(m.toJSON())) as Record<string, unknown>;
const asIs = { fit: () => ({ transform: (r: readonly number[][]) => r }) };

describe('churn options are read by core\'s one reader: a misspelled key is an error, never ignored', () => {
  it.each(Object.entries(fits))('%s.fit rejects a misspelled option at its path', (_name, fit) => {
    expectCrmError(() => fit({ sead: 1 }), 'invalid_argument', ['options', 'sead']);
    expectCrmError(() => fit(null as never), 'invalid_argument', ['options']);
  });

  it('every function with options rejects a misspelled key at [options, key]', () => {
    const calls: [() => unknown, string][] = [
      [() => logLoss(y, p, { epsilon: 1e-3 } as never), 'epsilon'],
      [() => liftTable(y, p, { group: 4 } as never), 'group'],
      [() => calibrationCurve(y, p, { bin: 4 } as never), 'bin'],
      [() => bestThreshold(y, p, { bye: 'f1' } as never), 'bye'],
      [() => rocCurve(y, p, { dropIntermediates: false } as never), 'dropIntermediates'],
      [() => trainTestSplit(X, y, { testsize: 0.5 } as never), 'testsize'],
      [() => stratifiedKFold(y, { fold: 2 } as never), 'fold'],
      [() => crossValidate(LogisticRegression, X, y, { fold: 2 } as never), 'fold'],
      [() => permutationImportance(models[2][1], X, y, { repeat: 2 } as never), 'repeat'],
    ];
    for (const [call, key] of calls) expectCrmError(call, 'invalid_argument', ['options', key]);
  });

  it('option values are checked by type and range: NaN, strings and non-booleans are errors at their key', () => {
    expectCrmError(() => trainTestSplit(X, y, { stratify: 'no' } as never), 'invalid_argument', ['options', 'stratify']);
    expectCrmError(() => trainTestSplit(X, y, { seed: Number.NaN }), 'invalid_argument', ['options', 'seed']);
    expectCrmError(() => calibrationCurve(y, p, { bins: 1e9 }), 'invalid_argument', ['options', 'bins']);
    expectCrmError(() => rocCurve(y, p, { dropIntermediate: 'yes' } as never), 'invalid_argument', ['options', 'dropIntermediate']);
    expectCrmError(() => RandomForest.fit(X, y, { bootstrap: 0 } as never), 'invalid_argument', ['options', 'bootstrap']);
    expectCrmError(() => LogisticRegression.fit(X, y, { classWeight: { 0: 1, 1: 2, 2: 3 } } as never), 'invalid_argument', ['options', 'classWeight']);
    expectCrmError(() => NeuralNetwork.fit(X, y, { hidden: [8, 8, 8] }), 'invalid_argument', ['options', 'hidden']);
    expectCrmError(() => LogisticRegression.fit(X, y, { maxIterations: 1e9 }), 'invalid_argument', ['options', 'maxIterations']);
    expectCrmError(() => DecisionTree.fit(X, y, { maxDepth: 2.5 }), 'invalid_argument', ['options', 'maxDepth']);
    expect(DecisionTree.fit(X, y, { maxDepth: Infinity }).options.maxDepth).toBe(Infinity);
  });

  it('bestThreshold reads options.values with the same reader, with the nested path', () => {
    expectCrmError(() => bestThreshold(y, p, { by: 'value', values: { tp: 1, fq: -1 } as never }), 'invalid_argument', ['options', 'values', 'fq']);
    expectCrmError(() => bestThreshold(y, p, { by: 'value', values: { tp: Number.NaN } }), 'invalid_argument', ['options', 'values', 'tp']);
    expectCrmError(() => bestThreshold(y, p, { values: { tp: 1 } }), 'invalid_argument', ['options', 'values']);
  });
});

describe('logLoss(y, p, { eps }) checks eps: p is clipped to [eps, 1 − eps] as scikit-learn, so eps lies in [2.22e-16, 0.5)', () => {
  it('eps NaN, 2, 0.9, 0.5, 0 and 1e-300 are invalid_argument at [options, eps]', () => {
    for (const eps of [Number.NaN, 2, 0.9, 0.5, 0, -0.1, 1e-300, Infinity]) {
      expectCrmError(() => logLoss(y, p, { eps }), 'invalid_argument', ['options', 'eps']);
    }
  });

  it('a valid eps clips as scikit-learn: log_loss([0, 1], [1, 0], eps=0.1) = −ln 0.1', () => {
    // sklearn 1.2: log_loss([0, 1], [1, 0], eps=0.1) clips both to 0.9/0.1, loss = −ln(0.1) = 2.302585…
    expect(logLoss([0, 1], [1, 0], { eps: 0.1 })).toBeCloseTo(-Math.log(0.1), 14);
    expect(Number.isFinite(logLoss([0, 1], [1, 0], { eps: 2.220446049250313e-16 }))).toBe(true);
  });
});

describe('wrong-typed arguments are CrmErrors with a path, never a raw TypeError', () => {
  it('pipeline(null, …) and pipeline(t, null) throw at [transformer] and [learner]', () => {
    expectCrmError(() => pipeline(null as never, LogisticRegression), 'invalid_argument', ['transformer']);
    expectCrmError(() => pipeline({} as never, LogisticRegression), 'invalid_argument', ['transformer']);
    expectCrmError(() => pipeline(asIs, null as never), 'invalid_argument', ['learner']);
    expectCrmError(() => pipeline(asIs, 5 as never), 'invalid_argument', ['learner']);
  });

  it('a pipeline checks what its parts return and what it is given', () => {
    expectCrmError(() => pipeline(asIs, LogisticRegression).fit(null as never, y), 'invalid_argument', ['records']);
    expectCrmError(() => pipeline({ fit: () => null } as never, LogisticRegression).fit(X, y), 'invalid_input', ['transformer']);
    expectCrmError(() => pipeline(asIs, { fit: () => ({}) } as never).fit(X, y), 'invalid_input', ['learner']);
    expectCrmError(() => pipeline(asIs, LogisticRegression).fit(X, y).predictProba(null as never), 'invalid_argument', ['records']);
  });

  it('every exported function given null or a number in place of an array throws a CrmError', () => {
    const calls: (() => unknown)[] = [
      () => rocAuc(null as never, p),
      () => prAuc(y, null as never),
      () => logLoss(y, 5 as never),
      () => brierScore(undefined as never, p),
      () => confusionMatrix(y, p, Number.NaN),
      () => liftTable(y, null as never),
      () => calibrationCurve(null as never, p),
      () => bestThreshold(y, {} as never),
      () => rocCurve(y, null as never),
      () => precisionRecallCurve(null as never, p),
      () => trainTestSplit(null as never, y),
      () => stratifiedKFold(null as never),
      () => crossValidate(null as never, X, y),
      () => crossValidate(LogisticRegression, null as never, y),
      () => permutationImportance(null as never, X, y),
      () => permutationImportance(models[2][1], null as never, y),
      ...[DecisionTree, RandomForest, LogisticRegression, NeuralNetwork].flatMap((Model) => [
        () => Model.fit(null as never, y),
        () => Model.fit(X, null as never),
        () => Model.fit([null, [1, 2]] as never, [0, 1]),
      ]),
      ...models.map(([, m]) => () => m.predictProba(null as never)),
      ...models.map(([, m]) => () => m.predict(X, Number.NaN)),
      ...Object.values(fromJson).map((load) => () => load(null)),
    ];
    for (const call of calls) {
      let thrown: unknown;
      try {
        call();
      } catch (e) {
        thrown = e;
      }
      expect(isCrmError(thrown), `${call.toString()} threw ${String(thrown)}`).toBe(true);
    }
  });

  it('crossValidate rejects folds with holes at the hole instead of scoring undefined rows', () => {
    // eslint-disable-next-line no-sparse-arrays
    const folds = [[0, 1, 2, , 3], [4, 5, 6, 7]] as unknown as number[][];
    expectCrmError(() => crossValidate(LogisticRegression, X, y, { folds }), 'invalid_argument', ['options', 'folds', 0, 3]);
  });
});

describe('fromJSON rejects sparse arrays (holes) at load time as invalid_json, not a TypeError at predict time', () => {
  it('RandomForest.fromJSON with trees: Array(n) fails at [trees, 0]', () => {
    const json = jsonOf(models[1][1]);
    expectCrmError(() => RandomForest.fromJSON({ ...json, trees: Array(5) }), 'invalid_json', ['trees', 0]);
    const trees = (json['trees'] as unknown[]).slice();
    delete trees[3];
    expectCrmError(() => RandomForest.fromJSON({ ...json, trees }), 'invalid_json', ['trees', 3]);
  });

  it('DecisionTree, LogisticRegression and NeuralNetwork fromJSON reject holes in every array', () => {
    const tree = jsonOf(models[0][1]);
    const node = tree['tree'] as Record<string, unknown[]>;
    const value = (node['value'] as unknown[]).slice();
    delete value[0];
    expectCrmError(() => DecisionTree.fromJSON({ ...tree, tree: { ...node, value } }), 'invalid_json', ['tree', 'value', 0]);
    expectCrmError(() => DecisionTree.fromJSON({ ...tree, featureImportances: Array(2) }), 'invalid_json', ['featureImportances', 0]);

    const lr = jsonOf(models[2][1]);
    expectCrmError(() => LogisticRegression.fromJSON({ ...lr, coefficients: Array(2) }), 'invalid_json', ['coefficients', 0]);

    const nn = jsonOf(models[3][1]);
    expectCrmError(() => NeuralNetwork.fromJSON({ ...nn, weights: Array(2) }), 'invalid_json', ['weights', 0, 'w']);
    const options = nn['options'] as Record<string, unknown>;
    expectCrmError(() => NeuralNetwork.fromJSON({ ...nn, options: { ...options, hidden: Array(1) } }), 'invalid_json', ['options', 'hidden']);
  });
});

describe('fromJSON rejects out-of-range values, and predictions are finite for finite input or a CrmError', () => {
  it('report and out-of-bag values outside their range are invalid_json', () => {
    const lr = jsonOf(models[2][1]);
    const report = lr['report'] as Record<string, unknown>;
    expectCrmError(() => LogisticRegression.fromJSON({ ...lr, report: { ...report, iterations: -1 } }), 'invalid_json', ['report', 'iterations']);
    expectCrmError(() => LogisticRegression.fromJSON({ ...lr, options: { ...(lr['options'] as object), tolerance: 0 } }), 'invalid_json', [
      'options',
      'tolerance',
    ]);
    const nn = jsonOf(models[3][1]);
    const nnReport = nn['report'] as Record<string, unknown>;
    expectCrmError(() => NeuralNetwork.fromJSON({ ...nn, report: { ...nnReport, epochs: 1e9 } }), 'invalid_json', ['report', 'epochs']);
    const rf = jsonOf(RandomForest.fit(X, y, { trees: 5, oobScore: true }));
    expectCrmError(() => RandomForest.fromJSON({ ...rf, oob: { ...(rf['oob'] as object), accuracy: 2 } }), 'invalid_json', ['oob', 'accuracy']);
  });

  it('extreme coefficients or weights from JSON give non_finite_result, never NaN or Infinity', () => {
    const lr = jsonOf(models[2][1]);
    const huge = LogisticRegression.fromJSON({ ...lr, coefficients: [1e308, -1e308] });
    expectCrmError(() => huge.decisionFunction([[10, 10]]), 'non_finite_result', ['X', 0]);
    expectCrmError(() => huge.predictProba([[10, 10]]), 'non_finite_result', ['X', 0]);

    const nn = jsonOf(models[3][1]);
    // Every hidden unit at +Infinity, then output weights of both signs: Infinity − Infinity.
    const weights = (nn['weights'] as number[][]).map((w, l) => w.map((_, i) => (l === 0 || i % 2 === 0 ? 1e308 : -1e308)));
    const net = NeuralNetwork.fromJSON({ ...nn, weights });
    expectCrmError(() => net.predictProba([[1e10, 1e10]]), 'non_finite_result', ['X', 0]);
    expect(Array.from(net.predictProba([[0, 0]])).every(Number.isFinite)).toBe(true);
  });

  it('fitting on values near 1e308 gives a CrmError or finite probabilities, never NaN', () => {
    const big = X.map((r) => r.map((v) => v * 1e307));
    for (const fit of [
      () => LogisticRegression.fit(big, y),
      () => NeuralNetwork.fit(big, y, { maxEpochs: 3 }),
      () => DecisionTree.fit(big, y),
      () => RandomForest.fit(big, y, { trees: 3 }),
    ]) {
      let probabilities: ArrayLike<number> | undefined;
      try {
        probabilities = fit().predictProba(big);
      } catch (e) {
        expect(isCrmError(e), String(e)).toBe(true);
        continue;
      }
      for (const q of Array.from(probabilities)) expect(q >= 0 && q <= 1).toBe(true);
    }
  });
});

describe('calls whose cost can explode refuse early with limit_exceeded naming the option', () => {
  it('RandomForest: trees × rows above maxTreeRows (default 50,000,000) stops before growing a tree', () => {
    expectCrmError(() => RandomForest.fit(X, y, { trees: 10, maxTreeRows: 79 }), 'limit_exceeded', ['options', 'maxTreeRows']);
    const rows = Array.from({ length: 1000 }, (_, i) => [i]);
    const labels = rows.map((_, i) => i % 2);
    expectCrmError(() => RandomForest.fit(rows, labels, { trees: 100000 }), 'limit_exceeded', ['options', 'maxTreeRows']);
    expect(RandomForest.fit(X, y, { trees: 10, maxTreeRows: 80 }).treeCount).toBe(10);
  });

  it('NeuralNetwork: maxEpochs × rows × weights above maxWork (default 1e11) stops before training', () => {
    expectCrmError(() => NeuralNetwork.fit(X, y, { hidden: [4096, 4096], maxEpochs: 100000 }), 'limit_exceeded', ['options', 'maxWork']);
    expectCrmError(() => NeuralNetwork.fit(X, y, { hidden: [2], maxEpochs: 10, maxWork: 100 }), 'limit_exceeded', ['options', 'maxWork']);
  });

  it('LogisticRegression: a (p+1)² Newton matrix above maxHessianEntries (default 25,000,000) stops before allocating it', () => {
    const wide = [new Float64Array(6000).fill(1), new Float64Array(6000)];
    expectCrmError(() => LogisticRegression.fit(wide, [0, 1]), 'limit_exceeded', ['options', 'maxHessianEntries']);
  });

  it('permutationImportance: rows × (1 + columns × repeats) above maxRowsScored stops before predicting', () => {
    expectCrmError(() => permutationImportance(models[2][1], X, y, { repeats: 1e9 }), 'limit_exceeded', ['options', 'maxRowsScored']);
  });
});

describe('every churn model is frozen by freezeModel and exposes no typed array', () => {
  const reachable = (root: unknown): unknown[] => {
    const out: unknown[] = [];
    const walk = (v: unknown): void => {
      if (v === null || typeof v !== 'object' || out.includes(v)) return;
      out.push(v);
      for (const k of Reflect.ownKeys(v)) walk((v as Record<string | symbol, unknown>)[k]);
    };
    walk(root);
    return out;
  };

  it.each(models)('%s: the instance and everything reachable from it is frozen; none of it is a typed array', (_name, model) => {
    for (const v of reachable(model)) {
      expect(ArrayBuffer.isView(v)).toBe(false);
      expect(Object.isFrozen(v)).toBe(true);
    }
    expect(() => Object.setPrototypeOf(model, {})).toThrow(TypeError);
    expect(() => {
      (model.classes as unknown as number[])[0] = 5;
    }).toThrow(TypeError);
  });

  it.each(models)('%s: a model loaded from JSON is frozen too', (name, model) => {
    const copy = fromJson[name as keyof typeof fromJson](jsonOf(model));
    for (const v of reachable(copy)) expect(Object.isFrozen(v)).toBe(true);
  });
});
