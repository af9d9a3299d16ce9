/**
 * Every runtime export of every @crm entry point, with the contract it keeps. A new export
 * that is missing here fails `contract.test.ts`: register it with a valid call.
 */
import * as core from '@crm/core';
import * as charts from '@crm/core/charts';
import * as scoring from '@crm/scoring';
import * as segment from '@crm/segment';
import * as rules from '@crm/rules';
import * as churn from '@crm/churn';
import * as sql from '@crm/sql';
import type { Contract } from './harness.ts';
import * as d from './data.ts';

/**
 * The portable Math replacements follow Math's own contract (NaN in, NaN out; ±Infinity where Math
 * gives it), so they are judged against Math: for any number, the result must be NaN, infinite or
 * finite exactly when Math's is. Their digits are checked in packages/core/test/detmath.test.ts.
 */
const mirrorsMath = (f: (x: number) => number, m: (x: number) => number) => (x: unknown): number => {
  if (typeof x !== 'number') return 0;
  const [got, want] = [f(x), m(x)];
  if (Number.isNaN(got) !== Number.isNaN(want) || Number.isFinite(got) !== Number.isFinite(want)) {
    throw new Error(`${f.name}(${x}) = ${got}, Math gives ${want}`);
  }
  return 0;
};
const fn = (args: () => unknown[], extra: Omit<Extract<Contract, { kind: 'function' }>, 'kind' | 'args'> = {}): Contract => ({ kind: 'function', args, ...extra });
const constant: Contract = { kind: 'constant' };

const bg = (): scoring.BgNbd => scoring.BgNbd.fit(d.summaries());
const holdoutRows = () => d.summaries().map((s, i) => ({ ...s, frequencyHoldout: i % 3, durationHoldout: 10 }));
const gg = (): scoring.GammaGamma => scoring.GammaGamma.fit(d.summaries().filter((s) => s.frequency > 0));
const clvOptions = () => ({ dataPeriod: 'week', period: 'month', horizon: 12, discountRate: 0.01, margin: 0.3 });
const purchaseMethods = (discrete = false) => ({
  expectedPurchases: () => [discrete ? 5 : 10, discrete ? d.discreteHistories()[3] : d.summaries()[3]],
  probabilityAlive: () => [discrete ? d.discreteHistories()[4] : d.summaries()[4]],
  probabilityOfPurchases: () => [discrete ? 5 : 10, 2],
});
/** The per-customer predictions of BG/NBD, MBG/NBD and Pareto/NBD, single and for many customers at once. */
const historyMethods = () => ({
  ...purchaseMethods(),
  conditionalProbabilityOfPurchases: () => [10, 2, d.summaries()[3], { maxTerms: 100 }],
  logLikelihood: () => [d.summaries()[3]],
  expectedPurchasesMany: () => [10, d.summaries(6)],
  probabilityAliveMany: () => [d.summaries(6)],
  conditionalProbabilityOfPurchasesMany: () => [10, 2, d.summaries(6), { maxTerms: 100 }],
  logLikelihoodMany: () => [d.summaries(6)],
});
const rowsMethods = { predict: () => [d.rows(10)] };
const classifierMethods = { predictProba: () => [d.rows(12)], predict: () => [d.rows(12), 0.4] };
const explainMethods = { explain: () => [d.rows(12)] };
const itemsets = () => rules.fpGrowth(d.baskets(), { minSupport: 0.25 });
const ruleList = () => rules.associationRules(itemsets(), { metric: 'confidence', minThreshold: 0.3 });
const learner = () => ({ fit: (X: number[][], y: number[]) => churn.LogisticRegression.fit(X, y) });
/** What XGBoost's save_model writes for two small trees on the three features of d.rows(). */
const xgbSaved = () => ({
  learner: {
    learner_model_param: { base_score: '3E-1', num_feature: '3', num_class: '0', num_target: '1' },
    objective: { name: 'binary:logistic' },
    gradient_booster: {
      name: 'gbtree',
      model: {
        tree_info: [0, 0],
        trees: [
          { left_children: [1, 3, -1, -1, -1], right_children: [2, 4, -1, -1, -1], split_indices: [0, 2, 0, 0, 0], split_conditions: [0.5, -1.25, 0.4, -0.3, 0.1], default_left: [1, 0, 0, 0, 0], sum_hessian: [20, 12, 8, 5, 7], split_type: [0, 0, 0, 0, 0] },
          { left_children: [1, -1, -1], right_children: [2, -1, -1], split_indices: [1, 0, 0], split_conditions: [2.5, -0.2, 0.25], default_left: [0, 0, 0], sum_hessian: [19, 9, 10], split_type: [0, 0, 0] },
        ],
      },
    },
  },
});
const treeData = () => ({ feature: [0, -1, 1, -1, -1], threshold: [0.5, 0, 2, 0, 0], left: [1, -1, 3, -1, -1], right: [2, -1, 4, -1, -1], value: [0.3, 0.1, 0.5, 0.4, 0.7], count: [20, 8, 12, 5, 7], featureNames: ['a', 'b', 'c'] });
const survival = () => ({ durations: [1, 2, 2, 3, 4, 5, 6, 6, 8, 9, 10, 12], events: [1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1] });
const survivalGroups = () => ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'c', 'c'];
const transformerFactory = () => ({ fit: (r: object[]) => core.FeatureTransformer.fit(r, d.featureSpec()) });

export const contracts: Readonly<Record<string, Readonly<Record<string, Contract>>>> = {
  '@crm/core': {
    CrmError: { kind: 'exempt', reason: 'the error type itself: any code, message and path can be constructed' },
    isCrmError: fn(() => [new core.CrmError('invalid_input', 'a message for people')]),
    createRng: fn(() => [7, 2, 10], {
      call: (seed, lo, hi) => {
        const rng = core.createRng(seed as number);
        const split = rng.split();
        return [rng.uniform(), rng.normal(), rng.normal(lo as number, hi as number), rng.int(lo as number, hi as number), split.uniform()];
      },
    }),
    portableExp: fn(() => [1.5], { call: mirrorsMath(core.portableExp, Math.exp) }),
    portableExpm1: fn(() => [1e-3], { call: mirrorsMath(core.portableExpm1, Math.expm1) }),
    portableLog: fn(() => [2.5], { call: mirrorsMath(core.portableLog, Math.log) }),
    portableLog1p: fn(() => [1e-3], { call: mirrorsMath(core.portableLog1p, Math.log1p) }),
    portableLog2: fn(() => [8], { call: mirrorsMath(core.portableLog2, Math.log2) }),
    portablePow: fn(() => [2, 10], {
      call: (x, y) => mirrorsMath((a) => core.portablePow(a, typeof y === 'number' ? y : 2), (a) => Math.pow(a, typeof y === 'number' ? y : 2))(x),
    }),
    portableTanh: fn(() => [0.5], { call: mirrorsMath(core.portableTanh, Math.tanh) }),
    toDenseMatrix: fn(() => [d.rows(5), { name: 'X', minRows: 1 }], { optionsArg: 1 }),
    toBinaryLabels: fn(() => [d.labels(10)]),
    // The readers hand the caller's own values back untouched, so only what they decide is judged.
    readOptions: fn(() => [{ period: 'week' }, ['period', 'observationEnd'], 'summarizeCustomers'], {
      call: (o, known, where) => Object.keys(core.readOptions(o, known as string[], where as string)),
    }),
    numberOption: fn(() => [{ margin: 0.5 }, 'margin', 1, { min: 0, max: 1 }]),
    enumOption: fn(() => [{ method: 'exact' }, 'method', 'auto', ['auto', 'exact']]),
    booleanOption: fn(() => [{ shuffle: false }, 'shuffle', true]),
    freezeModel: fn(() => [{ params: { r: 1 } }], { call: (model) => Object.isFrozen(core.freezeModel(model as object)) }),
    finiteResult: fn(() => [1.5, 'a value', ['x']]),
    finiteResults: fn(() => [[1, 2], 'values', ['x']]),
    checkCost: fn(() => [10, 100, 'maxPairs', 'a computation', 'pairs']),
    readModelJson: fn(() => [{ kind: 'crm.demo', version: 1 }, 'crm.demo', 1]),
    readObject: fn(() => [{ a: 1 }, ['params']], { call: (v, p) => Object.keys(core.readObject(v, p as string[])) }),
    ownValue: fn(() => [{ a: 1 }, 'a'], { call: (o, k) => typeof core.ownValue(o as Record<string, unknown>, k as string) }),
    readNumber: fn(() => [{ r: 0.5 }, 'r', ['params'], { min: 0 }]),
    readNumberArray: fn(() => [{ w: [1, 2] }, 'w', ['params'], 2]),
    toEpochMs: fn(() => ['2020-01-01T00:00:00Z']),
    summarizeCustomers: fn(() => [d.transactions(), { observationEnd: '2021-01-01', period: 'week' }], { optionsArg: 1 }),
    groupByCustomer: fn(() => [d.transactions(), { observationEnd: '2021-01-01' }], { optionsArg: 1 }),
    calibrationHoldout: fn(() => [d.transactions(), { calibrationEnd: '2020-07-01', observationEnd: '2021-01-01', period: 'day' }], { optionsArg: 1 }),
    churnLabels: fn(() => [d.transactions(), { calibrationEnd: '2020-07-01', holdoutEnd: '2021-01-01' }], { optionsArg: 1 }),
    validateTransactions: fn(() => [d.transactions(), {}], { optionsArg: 1 }),
    validateCustomers: fn(() => [[{ id: 'c1', name: 'Ada', email: 'ada@example.com', createdAt: '2020-01-01' }], {}], { optionsArg: 1 }),
    validateProducts: fn(() => [[{ id: 'p1', name: 'Milk', price: 1.5 }], {}], { optionsArg: 1 }),
    validateInteractions: fn(() => [[{ id: 'i1', customerId: 'c1', time: '2020-01-01', type: 'email' }], {}], { optionsArg: 1 }),
    validateLineItems: fn(() => [[{ productId: 'p1', quantity: 2, unitPrice: 1.5 }], {}], { optionsArg: 1 }),
    transactionSchema: fn(() => [d.transactions()[0]], { call: (row) => core.transactionSchema['~standard'].validate(row) }),
    lineItemSchema: fn(() => [{ productId: 'p1', quantity: 2, unitPrice: 1.5 }], { call: (row) => core.lineItemSchema['~standard'].validate(row) }),
    customerSchema: fn(() => [{ id: 'c1', name: 'Ada' }], { call: (row) => core.customerSchema['~standard'].validate(row) }),
    productSchema: fn(() => [{ id: 'p1', name: 'Milk', price: 1.5 }], { call: (row) => core.productSchema['~standard'].validate(row) }),
    interactionSchema: fn(() => [{ id: 'i1', customerId: 'c1', time: '2020-01-01', type: 'email' }], {
      call: (row) => core.interactionSchema['~standard'].validate(row),
    }),
    validateSubscriptions: fn(() => [[{ id: 's1', customerId: 'c1', start: '2020-01-01', end: '2020-06-30', plan: 'annual', amount: 120 }, { customerId: 'c2', start: '2020-02-01', end: null }], {}], { optionsArg: 1 }),
    subscriptionSchema: fn(() => [{ customerId: 'c1', start: '2020-01-01', end: '' }], { call: (row) => core.subscriptionSchema['~standard'].validate(row) }),
    cleanTransactions: fn(() => [d.datedTransactions(), {}], { optionsArg: 1 }),
    FeatureTransformer: { kind: 'model', fitArgs: () => [d.records(), d.featureSpec()], methods: { transform: () => [d.records().slice(0, 5)] } },
    cholesky: fn(() => [[4, 2, 2, 3], 2, 0]),
    chiSquareSurvival: fn(() => [3.84, 2]),
    choleskySolve: fn(() => [new Float64Array([2, 0, 1, Math.SQRT2]), 2, [1, 2]]),
    logGamma: fn(() => [2.5]),
    digamma: fn(() => [2.5]),
    logBeta: fn(() => [2, 3]),
    normalQuantile: fn(() => [0.975]),
  },
  '@crm/core/charts': {
    JUPYTER_DISPLAY: constant,
    cohortHeatmapChart: fn(() => [{ cohorts: [{ label: '2024-01', retention: [1, 0.4, 0.3], status: ['complete', 'complete', 'partial'] }, { label: '2024-02', retention: [1, 0.5, null], status: ['complete', 'complete', 'censored'] }] }, { metric: 'retention' }], { optionsArg: 1 }),
    retentionCurvesChart: fn(() => [{ cohorts: [{ label: '2024-01', retention: [1, 0.4, 0.3] }, { label: '2024-02', retention: [1, 0.5, null] }] }, { metric: 'retention' }], { optionsArg: 1 }),
    rfmHeatmapChart: fn(() => [{ values: [[5, 1, 0], [3, 4, 2]] }, {}], { optionsArg: 1 }),
    segmentSizesChart: fn(() => [[{ label: 'Champions', count: 412 }, { label: 'Lost', count: 0 }], {}], { optionsArg: 1 }),
    segmentProfilesChart: fn(() => [{ segments: ['a', 'b'], features: ['x', 'y'], values: [[1, 200], [3, 100]] }, {}], { optionsArg: 1 }),
    elbowChart: fn(() => [{ k: [1, 2, 3, 4], inertia: [100, 50, 30, 25] }, { chosenK: 3 }], { optionsArg: 1 }),
    silhouetteChart: fn(() => [{ k: [2, 3, 4], silhouette: [0.3, 0.45, -0.1] }, {}], { optionsArg: 1 }),
    dendrogramChart: fn(() => [{ merges: [[0, 1, 0.5], [2, 3, 0.8], [4, 5, 2]] }, { cutHeight: 1 }], { optionsArg: 1 }),
    somUMatrixChart: fn(() => [{ distances: [[0.1, 0.5], [0.4, 0.2]] }, {}], { optionsArg: 1 }),
    somHitMapChart: fn(() => [{ counts: [[0, 3], [12, 1]] }, {}], { optionsArg: 1 }),
    rocChart: fn(() => [[{ label: 'a', fpr: [0, 0.2, 1], tpr: [0, 0.7, 1], auc: 0.75 }], {}], { optionsArg: 1 }),
    precisionRecallChart: fn(() => [{ recall: [0, 0.5, 1], precision: [1, 0.6, 0.3] }, { baseline: 0.3 }], { optionsArg: 1 }),
    gainsChart: fn(() => [{ fraction: [0.5, 1], gain: [0.7, 1] }, {}], { optionsArg: 1 }),
    liftChart: fn(() => [{ fraction: [0.5, 1], lift: [1.4, 1] }, {}], { optionsArg: 1 }),
    calibrationChart: fn(() => [{ predicted: [0.1, 0.5, 0.9], observed: [0.2, 0.5, 0.8] }, {}], { optionsArg: 1 }),
    featureImportanceChart: fn(() => [[{ feature: 'tenure', importance: 0.06, std: 0.01 }], {}], { optionsArg: 1 }),
    treeChart: fn(() => [treeData(), { maxDepth: 3 }], { optionsArg: 1 }),
    probabilityAliveChart: fn(() => [{ frequency: [0, 1], recency: [0, 5], values: [[1, 1], [0.4, 0.9]] }, {}], { optionsArg: 1 }),
    expectedPurchasesChart: fn(() => [[{ label: 'actual', t: [0, 1, 2], purchases: [0, 10, 18] }], {}], { optionsArg: 1 }),
    ruleScatterChart: fn(() => [[{ support: 0.01, confidence: 0.5, lift: 2 }], {}], { optionsArg: 1 }),
    survivalChart: fn(() => [[{ label: 'a', time: [1, 2, 4], survival: [0.8, 0.5, 0], lower: [0.6, 0.3, null], upper: [0.9, 0.7, null], censored: [0, 1, 0] }], { bands: true }], { optionsArg: 1 }),
    explanationWaterfallChart: fn(() => [{ base: 0.27, contributions: [0.21, -0.05, 0.12, 0.01], featureNames: ['a', 'b', 'c', 'd'], values: [94, null, 1, 7] }, { maxFeatures: 3 }], { optionsArg: 1 }),
    explanationSummaryChart: fn(() => [{ contributions: [[0.2, -0.01], [-0.1, 0.03], [0.05, 0]], featureNames: ['a', 'b'], values: [[2, 0], [40, Number.NaN], [12, 1]] }, { kind: 'beeswarm', maxPoints: 2 }], { optionsArg: 1 }),
    periodTransactionsChart: fn(() => [{ labels: ['0', '1', '2+'], actual: [10, 5, 3], expected: [9.6, 5.5, 2.9] }, {}], { optionsArg: 1 }),
    holdoutPurchasesChart: fn(() => [{ frequency: [0, 1, 2], actual: [0.2, 0.7, 1.4], predicted: [0.25, 0.6, 1.5] }, {}], { optionsArg: 1 }),
    transactionTrackingChart: fn(() => [{ period: [0, 1, 2, 3], actual: [0, 4, 9, 13], expected: [1, 4.5, 8.5, 12], calibrationEnd: 2 }, { incremental: true }], { optionsArg: 1 }),
    purchaseMatrixChart: fn(() => [{ frequency: [0, 1], recency: [0, 5], values: [[0.1, 0.1], [0.4, 2.5]] }, { valueLabel: 'Expected purchases' }], { optionsArg: 1 }),
    aliveHistoryChart: fn(() => [{ period: [0, 1, 2], probabilityAlive: [1, 0.9, 0.8], purchased: [true, false, false] }, {}], { optionsArg: 1 }),
  },
  '@crm/scoring': {
    BgNbd: { kind: 'model', fitArgs: () => [d.summaries(), { penalizer: 0 }], optionsArg: 1, methods: historyMethods() },
    ModifiedBgNbd: { kind: 'model', fitArgs: () => [d.summaries(), { penalizer: 0 }], optionsArg: 1, methods: historyMethods() },
    ParetoNbd: { kind: 'model', fitArgs: () => [d.summaries(), { penalizer: 0 }], optionsArg: 1, methods: historyMethods(), budgetMs: 5000 },
    BgBb: {
      kind: 'model',
      fitArgs: () => [d.discreteHistories(), {}],
      optionsArg: 1,
      methods: {
        ...purchaseMethods(true),
        logLikelihood: () => [d.discreteHistories()[4]],
        expectedPurchasesMany: () => [5, d.discreteHistories().slice(0, 6)],
        probabilityAliveMany: () => [d.discreteHistories().slice(0, 6), 1],
        logLikelihoodMany: () => [d.discreteHistories().slice(0, 6)],
      },
    },
    GammaGamma: {
      kind: 'model',
      fitArgs: () => [d.summaries().filter((s) => s.frequency > 0), {}],
      optionsArg: 1,
      methods: { expectedSpend: () => [d.summaries()[3]], expectedSpendMany: () => [d.summaries(6)] },
    },
    ShiftedBetaGeometric: {
      kind: 'model',
      fitArgs: () => [d.survivors(), {}],
      optionsArg: 1,
      methods: { survival: () => [5], churnProbability: () => [5], retentionRate: () => [5], discountedExpectedLifetime: () => [0.1, 1] },
    },
    simulateBgNbd: fn(() => [{ r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 }, { customers: 20, T: 30, seed: 3 }], { optionsArg: 1 }),
    logGamma: fn(() => [2.5]),
    digamma: fn(() => [2.5]),
    logBeta: fn(() => [2, 3]),
    logAddExp: fn(() => [-1, -2], { lnZero: true }),
    logSumExp: fn(() => [[-1, -2, -3]], { lnZero: true }),
    logSubExp: fn(() => [-1, -2], { lnZero: true }),
    logHyp2f1: fn(() => [1, 2, 3, 0.5]),
    customerLifetimeValue: fn(() => [bg(), gg(), d.summaries(10), clvOptions()], { optionsArg: 3, budgetMs: 5000 }),
    discountedClv: fn(() => [{ revenue: [100, 100, 100], cost: [20, 20, 20], discountRate: 0.1, acquisitionCost: 50, firstPeriod: 1 }]),
    retentionClv: fn(() => [{ margin: 100, retention: 0.8, discountRate: 0.1, horizon: 10, firstPeriod: 1, acquisitionCost: 20 }]),
    rfmScores: fn(() => [d.summaries().map((s, i) => ({ ...s, customerId: `c${i}`, daysSinceLastPurchase: s.T - s.recency, orders: s.frequency + 1, totalSpend: s.monetary * (s.frequency + 1) })), {}], { optionsArg: 1 }),
    cohortRetention: fn(() => [d.transactions(), { cohort: 'month', period: 'month', observationEnd: '2020-12-31', maxCells: 1000 }], { optionsArg: 1 }),
    cohortSurvivors: fn(() => [scoring.cohortRetention(d.transactions(), { observationEnd: '2020-12-31' }), { cohort: '2020-01', definition: 'at-or-after', periods: 3 }], { optionsArg: 1 }),
    netPromoterScore: fn(() => [[10, 9, 8, 7, 6, 0, 10]]),
    loyaltyMetrics: fn(() => [d.transactions(), [{ customerId: 'c1', time: '2020-02-01', type: 'review' }, { customerId: 'c2', time: '2020-03-01', type: 'referral' }], { observationEnd: '2020-12-31', feedbackTypes: ['review'], referralTypes: ['referral'] }], { optionsArg: 2 }),
    populationLoyalty: fn(() => [d.transactions(), { period: 'month', observationEnd: '2020-12-31', segments: { c0: 'a', c1: 'b' } }], { optionsArg: 1 }),
    periodTransactions: fn(() => [bg(), d.summaries(), { maxFrequency: 3 }], { optionsArg: 2 }),
    holdoutPurchases: fn(() => [bg(), holdoutRows(), { maxFrequency: 3 }], { optionsArg: 2 }),
    holdoutAccuracy: fn(() => [bg(), holdoutRows(), {}], { optionsArg: 2 }),
    transactionTracking: fn(() => [bg(), d.transactions(), { period: 'month', periods: 12, calibrationEnd: '2020-07-01' }], { optionsArg: 2 }),
    aliveHistory: fn(() => [bg(), ['2020-01-03', '2020-02-10', '2020-05-01'], { period: 'week', periods: 30 }], { optionsArg: 2 }),
    frequencyRecencyMatrix: fn(() => [bg(), { maxFrequency: 4, age: 20, horizon: 2 }], { optionsArg: 1 }),
    compareModels: fn(() => [{ bg: bg(), mbg: scoring.ModifiedBgNbd.fit(d.summaries()) }]),
    likelihoodRatioTest: fn(() => {
      const full = bg();
      return [{ kind: 'test', params: { r: 1, alpha: 1, a: 1 }, report: { ...full.report, logLikelihood: full.report.logLikelihood - 2 } }, full, {}];
    }, { optionsArg: 2 }),
    RF_SEGMENTS: constant,
    R_FM_SEGMENTS: constant,
    validateSegmentMap: fn(() => [scoring.RF_SEGMENTS]),
    rfmSegments: fn(() => {
      const customers = d.summaries().map((s, i) => ({ ...s, customerId: `c${i}`, daysSinceLastPurchase: s.T - s.recency, orders: s.frequency + 1, totalSpend: s.monetary * (s.frequency + 1) }));
      return [scoring.rfmScores(customers), scoring.RF_SEGMENTS];
    }),
    rfmSegmentTable: fn(() => {
      const customers = d.summaries().map((s, i) => ({ ...s, customerId: `c${i}`, daysSinceLastPurchase: s.T - s.recency, orders: s.frequency + 1, totalSpend: s.monetary * (s.frequency + 1) }));
      return [customers, scoring.rfmScores(customers), scoring.RF_SEGMENTS];
    }),
  },
  '@crm/segment': {
    KMeans: { kind: 'model', fitArgs: () => [d.rows(), { k: 2, seed: 1 }], optionsArg: 1, methods: rowsMethods },
    Som: {
      kind: 'model',
      fitArgs: () => [d.rows(), { rows: 3, cols: 3, epochs: 5, seed: 1 }],
      optionsArg: 1,
      methods: { ...rowsMethods, coordinates: () => [d.rows(5)], uMatrix: () => [], quantizationError: () => [d.rows(10)], topographicError: () => [d.rows(10)] },
    },
    Dbscan: { kind: 'model', fitArgs: () => [d.rows(), { eps: 2, minSamples: 3 }], optionsArg: 1, methods: rowsMethods },
    Agglomerative: { kind: 'model', fitArgs: () => [d.rows(), { linkage: 'ward' }], optionsArg: 1, methods: { labels: () => [{ k: 2 }] } },
    silhouette: fn(() => [d.rows(), d.clusterLabels(), {}], { optionsArg: 2 }),
    daviesBouldin: fn(() => [d.rows(), d.clusterLabels()]),
    calinskiHarabasz: fn(() => [d.rows(), d.clusterLabels()]),
    inertia: fn(() => [d.rows(), d.clusterLabels()]),
    chooseK: fn(() => [d.rows(), { kRange: [2, 4], seed: 1 }], { optionsArg: 1, budgetMs: 5000 }),
    profileSegments: fn(() => [d.rows(), d.clusterLabels(), { featureNames: ['a', 'b', 'c'] }], { optionsArg: 2 }),
    RuleSegments: { kind: 'model', factory: 'define', fitArgs: () => [d.segmentRules()], methods: { apply: () => [d.segmentRecords()] } },
    crossSegments: fn(() => [['Champions', 'At Risk', null, 'Champions'], { labels: [0, 1, 1, -1], legend: ['A', 'B'] }, { separator: ' × ' }], { optionsArg: 2 }),
  },
  '@crm/rules': {
    apriori: fn(() => [d.baskets(), { minSupport: 0.25 }], { optionsArg: 1, infiniteKeys: ['maxLength'] }),
    fpGrowth: fn(() => [d.baskets(), { minSupport: 0.25 }], { optionsArg: 1, infiniteKeys: ['maxLength'] }),
    associationRules: fn(() => [itemsets(), { metric: 'confidence', minThreshold: 0.3 }], { optionsArg: 1, infiniteKeys: ['conviction'] }),
    recommend: fn(() => [ruleList(), ['milk'], {}], { optionsArg: 2, infiniteKeys: ['conviction'] }),
    recommendMany: fn(() => [ruleList(), [['milk'], ['bread', 'eggs']], {}], { optionsArg: 2, infiniteKeys: ['conviction'] }),
  },
  '@crm/churn': {
    LogisticRegression: { kind: 'model', fitArgs: () => [d.rows(), d.labels(), {}], optionsArg: 2, methods: { ...classifierMethods, ...explainMethods, decisionFunction: () => [d.rows(5)] } },
    DecisionTree: { kind: 'model', fitArgs: () => [d.rows(), d.labels(), { maxDepth: 4 }], optionsArg: 2, methods: { ...classifierMethods, ...explainMethods } },
    RandomForest: { kind: 'model', fitArgs: () => [d.rows(), d.labels(), { trees: 5, seed: 1 }], optionsArg: 2, methods: { ...classifierMethods, ...explainMethods }, budgetMs: 5000 },
    NeuralNetwork: { kind: 'model', fitArgs: () => [d.rows(), d.labels(), { hidden: [4], seed: 1, maxEpochs: 20 }], optionsArg: 2, methods: classifierMethods, budgetMs: 5000 },
    GradientBoosting: {
      kind: 'model',
      fitArgs: () => [d.rows(), d.labels(), { maxIter: 10, minSamplesLeaf: 2, sampleWeight: d.labels().map((v) => 1 + v) }],
      optionsArg: 2,
      methods: { ...classifierMethods, ...explainMethods, decisionFunction: () => [d.rows(5)] },
    },
    CoxPh: {
      kind: 'model',
      // Times and events unrelated to the rows, so the likelihood has an interior maximum.
      fitArgs: () => [d.rows(), { durations: Array.from({ length: 40 }, (_, i) => 1 + ((i * 7) % 13)), events: Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 0 : 1)) }, { featureNames: ['a', 'b', 'c'] }],
      optionsArg: 2,
      methods: { predictRisk: () => [d.rows(5)], predictLinear: () => [d.rows(5)], survival: () => [d.rows(5), [0, 2.5, 6, 20]], expectedTime: () => [d.rows(5)], medianTime: () => [d.rows(5)], baselineHazard: () => [] },
    },
    rocAuc: fn(() => [d.labels(), d.scores()]),
    prAuc: fn(() => [d.labels(), d.scores()]),
    logLoss: fn(() => [d.labels(), d.scores(), {}], { optionsArg: 2 }),
    brierScore: fn(() => [d.labels(), d.scores()]),
    confusionMatrix: fn(() => [d.labels(), d.scores(), 0.5]),
    bestThreshold: fn(() => [d.labels(), d.scores(), {}], { optionsArg: 2 }),
    liftTable: fn(() => [d.labels(), d.scores(), { groups: 4 }], { optionsArg: 2 }),
    calibrationCurve: fn(() => [d.labels(), d.scores(), { bins: 5 }], { optionsArg: 2 }),
    rocCurve: fn(() => [d.labels(), d.scores(), {}], { optionsArg: 2, infiniteKeys: ['thresholds'] }),
    precisionRecallCurve: fn(() => [d.labels(), d.scores()]),
    // Rows are passed through untouched (any row type), so only the split itself is judged.
    trainTestSplit: fn(() => [d.rows(), d.labels(), { testSize: 0.25, seed: 1 }], {
      optionsArg: 2,
      call: (X, y, o) => {
        const s = churn.trainTestSplit(X as never, y as never, o as never);
        return [s.XTrain.length, s.XTest.length, s.yTrain, s.yTest];
      },
    }),
    stratifiedKFold: fn(() => [d.labels(), { folds: 3, seed: 1 }], { optionsArg: 1 }),
    pipeline: fn(() => [transformerFactory(), learner(), d.records(), d.labels()], {
      call: (t, l, r, y) => {
        const fitted = churn.pipeline(t as never, l as never).fit(r as never, y as never);
        return fitted.predictProba(r as never);
      },
    }),
    crossValidate: fn(() => [learner(), d.rows(), d.labels(), { folds: 3, seed: 1 }], { optionsArg: 3, budgetMs: 5000 }),
    // Loaded, not fitted: the JSON XGBoost writes is the input the contract attacks.
    XGBoostModel: fn(() => [xgbSaved(), d.rows(8)], {
      call: (json, X) => {
        const m = churn.XGBoostModel.fromXGBoost(json);
        const e = m.explain(X as number[][]);
        const copy = churn.XGBoostModel.fromJSON(JSON.parse(JSON.stringify(m)));
        return [m.predictProba(X as number[][]), m.decisionFunction(X as number[][]), m.predict(X as number[][]), e.base, e.contributions, e.output, copy.predictProba(X as number[][])];
      },
    }),
    calibrate: fn(() => [learner(), d.rows(), d.labels(), { folds: 3, seed: 1, method: 'isotonic' }], {
      optionsArg: 3,
      budgetMs: 5000,
      call: (l, X, y, o) => {
        const m = churn.calibrate(l as never, X as never, y as never, o as never);
        return [m.predictProba(d.rows(6)), m.predict(d.rows(6)), churn.CalibratedClassifier.fromJSON(JSON.parse(JSON.stringify(m)), [churn.LogisticRegression]).predictProba(d.rows(6))];
      },
    }),
    // Made by calibrate; its loader is attacked with hostile JSON here.
    CalibratedClassifier: fn(() => [JSON.parse(JSON.stringify(churn.calibrate(learner(), d.rows(), d.labels(), { folds: 3, seed: 1 }))), d.rows(6)], {
      budgetMs: 5000,
      call: (json, X) => churn.CalibratedClassifier.fromJSON(json, [churn.LogisticRegression]).predictProba(X as never),
    }),
    KaplanMeier: {
      kind: 'model',
      fitArgs: () => [survival(), { confidenceLevel: 0.9, confidenceType: 'log-log' }],
      optionsArg: 1,
      methods: { survival: () => [[0, 2.5, 7, 100]], quantile: () => [0.5], median: () => [] },
    },
    kaplanMeierByGroup: fn(() => [survival(), survivalGroups(), { confidenceType: 'plain' }], { optionsArg: 2 }),
    logRankTest: fn(() => [survival(), survivalGroups(), { rho: 0 }], { optionsArg: 2 }),
    survivalFromTransactions: fn(() => [d.transactions(), { churnWindow: 60, observationEnd: '2021-01-01', unit: 'day' }], { optionsArg: 1 }),
    survivalFromContracts: fn(() => [[{ start: '2020-01-01', end: '2020-03-01' }, { start: '2020-02-01', end: null }, { start: '2020-02-01' }], { observationEnd: '2021-01-01', unit: 'month' }], {
      optionsArg: 1,
    }),
    permutationImportance: fn(() => [churn.LogisticRegression.fit(d.rows(), d.labels()), d.rows(), d.labels(), { repeats: 2, seed: 1 }], { optionsArg: 3, budgetMs: 5000 }),
    reasonCodes: fn(() => [churn.DecisionTree.fit(d.rows(), d.labels(), { maxDepth: 3 }).explain(d.rows(6)), d.rows(6), { featureNames: ['a', 'b', 'c'], top: 2, direction: 'both' }], { optionsArg: 2 }),
  },
  '@crm/sql': {
    summarizeCustomersSql: fn(() => [{ table: 'orders', columns: { time: 'ordered_at' } }, { observationEnd: '1997-09-30', period: 'week' }], { optionsArg: 1 }),
    calibrationHoldoutSql: fn(() => [{ table: 'orders' }, { calibrationEnd: '1997-09-30', observationEnd: '1998-06-30' }], { optionsArg: 1 }),
    churnLabelsSql: fn(() => [{ query: 'SELECT * FROM orders' }, { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' }], { optionsArg: 1 }),
    purchasePatternsSql: fn(() => [{ table: 'summaries' }, { dialect: 'postgres' }], { optionsArg: 1 }),
    spendGroupsSql: fn(() => [{ table: ['analytics', 'summaries'] }, {}], { optionsArg: 1 }),
    readSummaries: fn(() => [[
      { customerId: 'A', frequency: '1', recency: 2, T: 4, monetary: 20, daysSinceLastPurchase: 14n, orders: 2n, totalSpend: 30, firstPurchase: 1704067200000, lastPurchase: 1705276800000 },
      { customerId: 'B', frequency: 0n, recency: 0, T: 3, monetary: 0, daysSinceLastPurchase: '21', orders: '1', totalSpend: 5.5, firstPurchase: new Date(1704153600000), lastPurchase: { micros: 1704153600000000n } },
    ]]),
    readPatterns: fn(() => [[{ frequency: 2n, recency: 30, T: 38, weight: 155n }, { frequency: '0', recency: 0, T: 38, weight: '12' }]]),
    readSpendGroups: fn(() => [[{ frequency: '3', monetary: 24.5, weight: '4' }, { frequency: 1n, monetary: { value: 1250n, width: 10, scale: 2 }, weight: 2n }]]),
    readExcluded: fn(() => [[{ rows: '1000', excluded: '2', nullCustomerId: '1', nullTime: '0', nullAmount: '1', nonFiniteTime: 0n, nonFiniteAmount: 0 }]]),
    readNumbers: fn(() => [[{ p: 0.25 }, { p: '0.5' }, { p: 1n }], 'p', { integer: false }], { optionsArg: 2 }),
    describeSql: fn(() => [{ table: 'sales.orders', columns: { time: 'ordered_at' } }, { dialect: 'postgres' }], { optionsArg: 1 }),
    readSchema: fn(() => [[{ name: 'customer_id', type: 'VARCHAR' }, { name: 'ts', type: 'TIMESTAMP' }, { name: 'amount', type: 'DOUBLE' }]]),
    logisticRegressionSql: fn(() => [churn.LogisticRegression.fit(d.rows(), d.labels()).toJSON(), { features: ['a', 'b', 'c'], dialect: 'postgres' }], { optionsArg: 1 }),
    decisionTreeSql: fn(() => [churn.DecisionTree.fit(d.rows(), d.labels(), { maxDepth: 3 }).toJSON(), { features: ['a', 'b', 'c'], maxNodes: 1000 }], { optionsArg: 1 }),
    randomForestSql: fn(() => [churn.RandomForest.fit(d.rows(), d.labels(), { trees: 3, maxDepth: 2, seed: 1 }).toJSON(), { features: ['a', 'b', 'c'], dialect: 'spark' }], {
      optionsArg: 1,
    }),
    gradientBoostingSql: fn(() => [churn.GradientBoosting.fit(d.rows(), d.labels(), { maxIter: 3, minSamplesLeaf: 2 }).toJSON(), { features: ['a', 'b', 'c'], dialect: 'snowflake' }], {
      optionsArg: 1,
    }),
    featureTransformerSql: fn(() => [core.FeatureTransformer.fit(d.records(), d.featureSpec()).toJSON(), { dialect: 'bigquery' }], { optionsArg: 1 }),
    scoreSql: fn(
      () => [
        { table: 'customers' },
        {
          model: churn.LogisticRegression.fit(core.FeatureTransformer.fit(d.records(), d.featureSpec()).transform(d.records()), d.labels()).toJSON(),
          transformer: core.FeatureTransformer.fit(d.records(), d.featureSpec()).toJSON(),
          keep: ['customer_id'],
          dialect: 'snowflake',
        },
      ],
      { optionsArg: 1 },
    ),
    rfmScoresSql: fn(() => [{ table: 'customer_summaries', columns: { customerId: 'id' } }, { bins: 4, ties: 'shared', weights: { r: 0.5, f: 0.3, m: 0.2 }, breaks: { monetary: [10, 20, 30] }, dialect: 'postgres' }], { optionsArg: 1 }),
    rfmSegmentsSql: fn(() => [{ query: sql.rfmScoresSql({ table: 'customer_summaries' }) }, JSON.parse(JSON.stringify(scoring.R_FM_SEGMENTS)), { dialect: 'duckdb' }], { optionsArg: 2 }),
    purchaseScoreTableSql: fn(() => [bg(), d.summaries().slice(0, 20), { t: 10, clv: clvOptions(), table: 'pattern_scores', maxParams: 60 }], { optionsArg: 2 }),
    spendScoreTableSql: fn(() => [gg(), d.summaries().slice(0, 20), { table: 'spend_scores', dialect: 'postgres' }], { optionsArg: 2 }),
    customerScoresSql: fn(
      () => [
        { table: 'customer_summaries' },
        {
          purchase: sql.purchaseScoreTableSql(bg(), d.summaries().slice(0, 5), { t: 10, clv: clvOptions() as sql.ClvSqlOptions }),
          spend: sql.spendScoreTableSql(gg(), d.summaries().slice(0, 5)),
        },
      ],
      { optionsArg: 1 },
    ),
    bgNbdProbabilityAliveSql: fn(() => [bg().toJSON(), { table: 'customer_summaries' }, { dialect: 'snowflake' }], { optionsArg: 2 }),
    gammaGammaSpendSql: fn(() => [gg().toJSON(), { table: 'customer_summaries' }, { dialect: 'bigquery' }], { optionsArg: 2 }),
  },
};

export const modules: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  '@crm/core': core,
  '@crm/core/charts': charts,
  '@crm/scoring': scoring,
  '@crm/segment': segment,
  '@crm/rules': rules,
  '@crm/churn': churn,
  '@crm/sql': sql,
};
