// One benchmark case in its own process: node case.mjs <dataset> <implementation> <repeats>.
// Prints one JSON line: fit CPU and wall seconds (median over repeats), test AUC, peak RSS.
import { DecisionTree, LogisticRegression, NeuralNetwork, RandomForest, rocAuc } from '@crm/churn';
import { synthetic, telco } from './data.mjs';

const [datasetName, impl, repeatsArg, warmupArg] = process.argv.slice(2);
const repeats = Number(repeatsArg ?? 3);
// Warm-up fits (not timed) let V8 finish compiling the hot loops: the optimising compiler runs on
// background threads whose CPU time would otherwise be charged to the first fits. The first,
// cold fit is reported separately.
const warmup = Number(warmupArg ?? 0);
const data = datasetName === 'telco' ? telco() : synthetic();

async function implementation(name) {
  switch (name) {
    case 'crm LogisticRegression':
      return { fit: (X, y) => LogisticRegression.fit(X, y, { C: 1 }), proba: (m, X) => m.predictProba(X) };
    case 'crm DecisionTree':
      return { fit: (X, y) => DecisionTree.fit(X, y, { maxDepth: 6 }), proba: (m, X) => m.predictProba(X) };
    case 'crm RandomForest':
      return { fit: (X, y) => RandomForest.fit(X, y, { trees: 100, seed: 42 }), proba: (m, X) => m.predictProba(X) };
    case 'crm NeuralNetwork':
      return { fit: (X, y) => NeuralNetwork.fit(X, y, { hidden: [16], maxEpochs: 500, seed: 42 }), proba: (m, X) => m.predictProba(X) };
    case 'ml-logistic-regression': {
      // As REFERENCE.md T2: 1,000 gradient steps, learning rate 5e-4, a bias column; needs ml-matrix.
      const { default: MlLogReg } = await import('ml-logistic-regression');
      const { Matrix } = await import('ml-matrix');
      const withBias = (X) => new Matrix(X.map((r) => [...r, 1]));
      return {
        fit: (X, y) => {
          const m = new MlLogReg({ numSteps: 1000, learningRate: 5e-4 });
          m.train(withBias(X), Matrix.columnVector(y));
          return m;
        },
        // classifiers[0] separates class 0 (→ 0) from the rest (→ 1): its score is P(churn).
        proba: (m, X) => Array.from(m.classifiers[0].testScores(withBias(X))),
      };
    }
    case 'ml-cart': {
      const { DecisionTreeClassifier } = await import('ml-cart');
      return {
        fit: (X, y) => {
          const m = new DecisionTreeClassifier({ maxDepth: 6 });
          m.train(X, y);
          return m;
        },
        proba: (m, X) => X.map((row) => {
          const d = m.root.classify(row);
          return d.columns > 1 ? d.get(0, 1) : 0;
        }),
      };
    }
    case 'ml-random-forest': {
      const { RandomForestClassifier } = await import('ml-random-forest');
      return {
        fit: (X, y) => {
          const m = new RandomForestClassifier({ nEstimators: 100, seed: 42 });
          m.train(X, y);
          return m;
        },
        proba: (m, X) => m.predictProbability(X, 1),
      };
    }
    default:
      throw new Error(`unknown implementation ${name}`);
  }
}

const impl_ = await implementation(impl);
const cpu = [];
const wall = [];
let model;
let coldCpu;
for (let r = 0; r < warmup + repeats; r++) {
  // No forced gc() between fits: V8 then sweeps the whole heap lazily on the measured thread
  // (with --single-threaded) and the next fit pays for it; each fit pays its own GC instead.
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  model = impl_.fit(data.XTrain, data.yTrain);
  wall.push((performance.now() - t0) / 1000);
  const c = process.cpuUsage(c0);
  const seconds = (c.user + c.system) / 1e6;
  if (r === 0) coldCpu = seconds;
  if (r < warmup) {
    wall.pop();
    continue;
  }
  cpu.push(seconds);
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const p = Array.from(impl_.proba(model, data.XTest));
const auc = rocAuc(data.yTest, p.map((v) => Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0.5))));
console.log(
  JSON.stringify({
    dataset: data.name,
    rows: data.XTrain.length,
    features: data.XTrain[0].length,
    impl,
    repeats,
    warmup,
    coldCpu,
    cpuMedian: median(cpu),
    cpuMin: Math.min(...cpu),
    wallMedian: median(wall),
    auc,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
