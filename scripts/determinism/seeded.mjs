// Prints every number of the seeded generator streams and of the seeded models as the exact bits of
// its double (16 hex digits), one per line. scripts/test-determinism.mjs runs it in Node and in Deno
// and requires identical output.
//
//   node scripts/determinism/seeded.mjs dist            # the built packages (npm)
//   deno run --allow-read scripts/determinism/seeded.mjs src   # the TypeScript sources (JSR)
//
// Everything printed here is promised bit-identical in every engine (README, "Same numbers in
// every runtime"). Maximum-likelihood fits and metrics that use Math.log are not printed: they are
// deterministic per engine but may differ in the last digits between engines.
const mode = (globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv.slice(2))[0] ?? 'dist';
if (mode !== 'dist' && mode !== 'src') throw new Error(`usage: seeded.mjs dist|src, got ${mode}`);
const entry = (pkg) => new URL(mode === 'dist' ? `../../packages/${pkg}/dist/index.js` : `../../packages/${pkg}/src/index.ts`, import.meta.url).href;
const core = await import(entry('core'));
const scoring = await import(entry('scoring'));
const segment = await import(entry('segment'));
const churn = await import(entry('churn'));

const lines = [];
const view = new DataView(new ArrayBuffer(8));
const hex = (x) => {
  view.setFloat64(0, x);
  return view.getUint32(0).toString(16).padStart(8, '0') + view.getUint32(4).toString(16).padStart(8, '0');
};
/** Emits every number (and string or boolean) reachable from `value`, each with its path. */
function emit(label, value) {
  if (typeof value === 'number') lines.push(`${label} ${hex(value)}`);
  else if (typeof value === 'string' || typeof value === 'boolean' || value === null) lines.push(`${label} ${JSON.stringify(value)}`);
  else if (ArrayBuffer.isView(value) || Array.isArray(value)) Array.from(value).forEach((v, i) => emit(`${label}[${i}]`, v));
  else if (typeof value === 'object') for (const key of Object.keys(value).sort()) emit(`${label}.${key}`, value[key]);
  else throw new Error(`${label}: cannot print a ${typeof value}`);
}

// Generator streams: every method of Rng, for a few seeds (2,000 normal draws make the ~6 % of
// draws where Math.log/sin/cos differ between engines certain to appear).
const DRAWS = 2000;
for (const seed of [0, 1, 42, 4294967295, -7.5, 1e15]) {
  const rng = core.createRng(seed);
  const take = (f) => Array.from({ length: DRAWS }, f);
  emit(`rng(${seed}).nextUint32`, take(() => rng.nextUint32()));
  emit(`rng(${seed}).uniform`, take(() => rng.uniform()));
  emit(`rng(${seed}).normal`, take(() => rng.normal()));
  emit(`rng(${seed}).normal(3,0.5)`, take(() => rng.normal(3, 0.5)));
  emit(`rng(${seed}).int(0,7)`, take(() => rng.int(0, 7)));
  emit(`rng(${seed}).int(-2^40,2^40)`, take(() => rng.int(-1099511627776, 1099511627776)));
  const items = Array.from({ length: 50 }, (_, i) => i);
  emit(`rng(${seed}).shuffle`, rng.shuffle(items));
  emit(`rng(${seed}).sample`, rng.sample(items, 20));
  emit(`rng(${seed}).sample(replace)`, rng.sample(items, 80, true));
  const child = rng.split();
  emit(`rng(${seed}).split.normal`, take(() => child.normal()));
}

// The portable functions themselves, over wide ranges.
const probe = core.createRng(2024);
/** 10^k by repeated multiplication (the ** operator is Math.pow, which differs between engines). */
const tenTo = (k) => {
  let p = 1;
  for (let i = 0; i < Math.abs(k); i++) p *= 10;
  return k < 0 ? 1 / p : p;
};
const args = Array.from({ length: DRAWS }, () => (probe.uniform() - 0.5) * tenTo(probe.int(-20, 4)));
for (const [name, f, domain] of [
  ['portableExp', core.portableExp, (x) => x],
  ['portableExpm1', core.portableExpm1, (x) => x],
  ['portableTanh', core.portableTanh, (x) => x],
  ['portableLog', core.portableLog, Math.abs],
  ['portableLog2', core.portableLog2, Math.abs],
  ['portableLog1p', core.portableLog1p, (x) => Math.abs(x) - 0.5],
  ['portablePow', (x) => core.portablePow(Math.abs(x), 0.37), (x) => x],
]) {
  emit(name, args.map((x) => f(domain(x))));
}

// Data for the models, drawn from the generator (arithmetic only).
const data = core.createRng(99);
const X = Array.from({ length: 240 }, (_, i) => {
  const c = i % 3;
  return [c * 2 + data.normal(0, 0.8), (c === 1 ? 3 : 0) + data.normal(), data.uniform() * 4, data.normal(1, 2)];
});
const y = X.map((r) => (r[0] + 0.5 * r[1] - 0.3 * r[3] + data.normal(0, 0.7) > 2 ? 1 : 0));

for (const init of ['kmeans++', 'random']) {
  const km = segment.KMeans.fit(X, { k: 3, init, seed: 5 });
  emit(`KMeans(${init})`, km.toJSON());
  emit(`KMeans(${init}).predict`, km.predict(X));
}
for (const variant of [
  { training: 'online', neighbourhood: 'gaussian', topology: 'hexagonal' },
  { training: 'batch', neighbourhood: 'gaussian', topology: 'rectangular' },
  { training: 'online', neighbourhood: 'bubble', topology: 'rectangular' },
]) {
  const som = segment.Som.fit(X, { ...variant, rows: 4, cols: 5, epochs: 20, seed: 3 });
  const label = `Som(${variant.training},${variant.neighbourhood},${variant.topology})`;
  emit(label, som.toJSON());
  emit(`${label}.predict`, som.predict(X));
}
emit('silhouette(sampleSize 60)', segment.silhouette(X, segment.KMeans.fit(X, { k: 3, seed: 1 }).labels, { sampleSize: 60, seed: 8 }));

for (const activation of ['relu', 'tanh']) {
  const net = churn.NeuralNetwork.fit(X, y, { hidden: [8, 4], activation, maxEpochs: 40, seed: 6 });
  emit(`NeuralNetwork(${activation})`, net.toJSON());
  emit(`NeuralNetwork(${activation}).predictProba`, net.predictProba(X));
}
for (const criterion of ['gini', 'entropy']) {
  const forest = churn.RandomForest.fit(X, y, { trees: 15, criterion, oobScore: true, seed: 6 });
  emit(`RandomForest(${criterion})`, forest.toJSON());
  emit(`RandomForest(${criterion}).predictProba`, forest.predictProba(X));
}
{
  // Early stopping on a seeded split, missing values, weights: gradients go through the portable
  // exponential and float32 storage, so the trees must be the same doubles in every engine.
  const Xn = X.map((r, i) => (i % 5 === 0 ? [Number.NaN, ...r.slice(1)] : r));
  const gb = churn.GradientBoosting.fit(Xn, y, { maxIter: 30, minSamplesLeaf: 3, earlyStopping: true, nIterNoChange: 3, seed: 6, sampleWeight: y.map((v) => 1 + v) });
  emit('GradientBoosting', gb.toJSON());
  emit('GradientBoosting.decisionFunction', gb.decisionFunction(Xn));
  const e = gb.explain(Xn.slice(0, 20));
  emit('GradientBoosting.explain', { base: e.base, contributions: e.contributions });
}
for (const criterion of ['gini', 'entropy']) {
  const tree = churn.DecisionTree.fit(X, y, { criterion, maxDepth: 6 });
  emit(`DecisionTree(${criterion})`, tree.toJSON());
  emit(`DecisionTree(${criterion}).predictProba`, tree.predictProba(X));
}
const split = churn.trainTestSplit(X, y, { testSize: 0.25, seed: 4 });
emit('trainTestSplit', { trainIndex: split.trainIndex, testIndex: split.testIndex });
emit('stratifiedKFold', churn.stratifiedKFold(y, { folds: 5, seed: 4 }));
const forest = churn.RandomForest.fit(split.XTrain, split.yTrain, { trees: 10, seed: 2 });
for (const metric of ['rocAuc', 'brierScore']) {
  emit(
    `permutationImportance(${metric})`,
    churn.permutationImportance(forest, split.XTest, split.yTest, { metric, repeats: 3, seed: 9 }).map((f) => f.drops),
  );
}
const cv = churn.crossValidate({ fit: (Xf, yf) => churn.NeuralNetwork.fit(Xf, yf, { hidden: [4], maxEpochs: 15, seed: 1 }) }, X, y, { folds: 3, seed: 2 });
emit('crossValidate(NeuralNetwork).outOfFold', cv.outOfFold);
emit('crossValidate(NeuralNetwork).rocAuc', cv.folds.map((f) => f.rocAuc));

emit('simulateBgNbd(CDNOW)', scoring.simulateBgNbd({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, { customers: 500, T: 39, seed: 12 }));
emit('simulateBgNbd(shapes > 1)', scoring.simulateBgNbd({ r: 2.5, alpha: 3, a: 1.5, b: 4 }, { customers: 500, T: 52, seed: 13 }));

console.log(lines.join('\n'));
