import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '@crm/core';
import { GradientBoosting, crossValidate, permutationImportance, pipeline, rocAuc, type GradientBoostingOptions } from '@crm/churn';
import { binEdges, toMissingMatrix } from '../src/internal/hist-bins.ts';
import { expectCrmError, frozenRows } from './helpers.ts';
import { loadTelco, pick, referenceDesign } from './telco.ts';

interface ReferenceCase {
  readonly auc: number;
  readonly proba: number[];
  readonly n_iter: number;
}
interface Reference {
  readonly cases: Readonly<Record<string, ReferenceCase>>;
  readonly bin_edges: Readonly<Record<string, number[]>>;
}

// scikit-learn 1.2.1 HistGradientBoostingClassifier on Telco, fixtures/gbdt_reference.py → gbdt_reference.json.
const reference = JSON.parse(readFileSync(new URL('./fixtures/gbdt_reference.json', import.meta.url), 'utf8')) as Reference;

function data(n: number, seed: number, p = 4): { X: number[][]; y: number[] } {
  const rng = createRng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: p }, () => rng.normal());
    X.push(row);
    y.push((row[0] as number) + 0.5 * (row[1] as number) * (row[2] as number) + 0.5 * rng.normal() > 0 ? 1 : 0);
  }
  return { X, y };
}

/** Rows on a grid of 40 values per feature: at most 40 distinct values, so bin edges are the midpoints whatever the row counts. */
function gridData(n: number, seed: number): { X: number[][]; y: number[] } {
  const rng = createRng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [rng.int(0, 40) / 10, rng.int(0, 40) / 10, rng.int(0, 40) / 10];
    X.push(row);
    y.push((row[0] as number) - (row[1] as number) + rng.normal() > 0 ? 1 : 0);
  }
  return { X, y };
}

describe('GradientBoosting on Telco against scikit-learn 1.2 HistGradientBoostingClassifier', () => {
  const t = loadTelco();
  const X = referenceDesign(pick(t.records, t.train), t.categorical)(t.records);
  // Missing values as gbdt_reference.py injects them: tenure (column 1) where row % 10 == 3,
  // MonthlyCharges (column 2) where row % 13 == 5, rows of the cleaned 7,032-row table.
  const Xnan = X.map((r, i) => {
    const c = r.slice();
    if (i % 10 === 3) c[1] = NaN;
    if (i % 13 === 5) c[2] = NaN;
    return c;
  });
  const yTrain = pick(t.y, t.train);
  const yTest = pick(t.y, t.test);
  const cases: Record<string, [number[][], GradientBoostingOptions]> = {
    default: [X, {}],
    nan: [Xnan, {}],
    balanced: [X, { classWeight: 'balanced' }],
    monotonic: [X, { monotonicConstraints: [0, -1, 1, ...Array<number>(42).fill(0)] }],
    shallow: [X, { maxIter: 50, maxDepth: 3, maxLeafNodes: null, l2Regularization: 1, learningRate: 0.2 }],
  };

  it('bins the numeric columns at scikit-learn’s edges', () => {
    const m = toMissingMatrix(pick(X, t.train), undefined, 1);
    const rows = Int32Array.from({ length: m.rows }, (_, i) => i);
    const edges = binEdges(m, rows, 255, createRng(0));
    for (let j = 0; j < 4; j++) {
      const want = reference.bin_edges[String(j)] as number[];
      const got = edges[j] as Float64Array;
      expect(got.length).toBe(want.length);
      // Our standardisation (referenceDesign) and scikit-learn's StandardScaler round differently in
      // the last bits, so the midpoints agree to 1e-12, not bit for bit.
      want.forEach((w, k) => expect(Math.abs((got[k] as number) - w)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w))));
    }
  });

  // Same bins, same float32 gradients and hessians (as scikit-learn keeps them), float64
  // histogram sums, same gains, leaf values and NaN routing: the test probabilities agree to
  // rounding (largest difference observed 5e-13, in the balanced case). 1e-9 leaves room for sums
  // taken in another order; a single different split would move some rows by 1e-3 or more.
  for (const [name, [XX, options]] of Object.entries(cases)) {
    it(`${name}: test probabilities and AUC as scikit-learn's`, () => {
      const ref = reference.cases[name] as ReferenceCase;
      const model = GradientBoosting.fit(pick(XX, t.train), yTrain, { earlyStopping: false, ...options });
      expect(model.treeCount).toBe(ref.n_iter);
      const p = model.predictProba(pick(XX, t.test));
      let worst = 0;
      p.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - (ref.proba[i] as number)));
      });
      expect(worst).toBeLessThan(1e-9);
      expect(Math.abs(rocAuc(yTest, p) - ref.auc)).toBeLessThan(1e-9);
    });
  }
});

describe('GradientBoosting', () => {
  const { X, y } = data(400, 1);
  const frozenX = frozenRows(X);

  it('fits without touching its input, is frozen, and is deterministic', () => {
    const a = GradientBoosting.fit(frozenX, Object.freeze(y.slice()), { maxIter: 20 });
    const b = GradientBoosting.fit(X, y, { maxIter: 20 });
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.options)).toBe(true);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(rocAuc(y, a.predictProba(X))).toBeGreaterThan(0.9);
  });

  it('starts from the log-odds of the weighted base rate', () => {
    const ones = y.reduce((s, v) => s + v, 0);
    const m = GradientBoosting.fit(X, y, { maxIter: 1 });
    expect(m.baseline).toBeCloseTo(Math.log(ones / (y.length - ones)), 12);
    const w = y.map((v) => (v === 1 ? 3 : 1));
    const mw = GradientBoosting.fit(X, y, { maxIter: 1, sampleWeight: w });
    expect(mw.baseline).toBeCloseTo(Math.log((3 * ones) / (y.length - ones)), 12);
  });

  it('decisionFunction is the log-odds of predictProba; predict thresholds it', () => {
    const m = GradientBoosting.fit(X, y, { maxIter: 10 });
    const z = m.decisionFunction(X.slice(0, 20));
    const p = m.predictProba(X.slice(0, 20));
    z.forEach((v, i) => expect(1 / (1 + Math.exp(-v))).toBeCloseTo(p[i] as number, 14));
    expect(Array.from(m.predict(X.slice(0, 20), 0.3))).toEqual(Array.from(p, (v) => (v >= 0.3 ? 1 : 0)));
  });

  it('a row weight of k is the row repeated k times', () => {
    // minSamplesLeaf counts rows, so it is 1 here, and the grid data keep the bin edges the same.
    const g = gridData(300, 3);
    const w = g.X.map((_, i) => 1 + (i % 3));
    const Xd: number[][] = [];
    const yd: number[] = [];
    g.X.forEach((r, i) => {
      for (let k = 0; k < (w[i] as number); k++) {
        Xd.push(r);
        yd.push(g.y[i] as number);
      }
    });
    const opts = { maxIter: 30, minSamplesLeaf: 1, maxLeafNodes: 8, earlyStopping: false } as const;
    const weighted = GradientBoosting.fit(g.X, g.y, { ...opts, sampleWeight: w });
    const repeated = GradientBoosting.fit(Xd, yd, opts);
    const a = weighted.decisionFunction(g.X);
    const b = repeated.decisionFunction(g.X);
    // Gradients are float32 (as scikit-learn's): w·g rounds once to float32 where the repeated
    // rows add k float32 copies of g, a relative difference near 6e-8 per tree; observed 1e-8 on
    // the log-odds after 30 trees. A different split would move them by far more than 1e-6.
    a.forEach((v, i) => expect(Math.abs(v - (b[i] as number))).toBeLessThan(1e-6));
    // Covers are weighted row counts.
    expect(weighted.toJSON().trees[0]?.cover[0]).toBe(w.reduce((s, v) => s + v, 0));
  });

  it('class weights are row weights by class; zero weights drop rows', () => {
    const a = GradientBoosting.fit(X, y, { maxIter: 10, classWeight: { 0: 1, 1: 3 } });
    const b = GradientBoosting.fit(X, y, { maxIter: 10, sampleWeight: y.map((v) => (v === 1 ? 3 : 1)) });
    expect(Array.from(a.decisionFunction(X))).toEqual(Array.from(b.decisionFunction(X)));
    const ones = y.reduce((s, v) => s + v, 0);
    const balanced = GradientBoosting.fit(X, y, { maxIter: 1, classWeight: 'balanced' });
    expect(balanced.baseline).toBeCloseTo(0, 12);
    expect(ones).not.toBe(y.length / 2);
  });

  it('missing values: NaN rows learn their own side and missingness itself can be the signal', () => {
    const rng = createRng(5);
    const Xm: number[][] = [];
    const ym: number[] = [];
    for (let i = 0; i < 600; i++) {
      const missing = rng.uniform() < 0.3;
      const x = rng.normal();
      Xm.push([missing ? NaN : x, rng.normal()]);
      // Missing rows churn; the others by the sign of x.
      ym.push(missing ? (rng.uniform() < 0.9 ? 1 : 0) : x > 0.5 ? 1 : 0);
    }
    const m = GradientBoosting.fit(Xm, ym, { maxIter: 30, earlyStopping: false });
    const [pNaN, pLow, pHigh] = Array.from(m.predictProba([[NaN, 0], [-1, 0], [2, 0]]));
    expect(pNaN).toBeGreaterThan(0.8);
    expect(pLow).toBeLessThan(0.2);
    expect(pHigh).toBeGreaterThan(0.8);
    // The first split on column 0 must send NaN to the churning side: the left (low x) side loses.
    const tree = m.toJSON().trees[0]!;
    const root = tree.feature.indexOf(0);
    expect(tree.defaultLeft[root]).toBe(0);
  });

  it('a feature without NaN in training sends NaN to the child with more training rows', () => {
    const m = GradientBoosting.fit(X, y, { maxIter: 3, maxLeafNodes: 4 });
    const json = m.toJSON();
    for (const tree of json.trees) {
      tree.feature.forEach((f, k) => {
        if (f < 0) return;
        const l = tree.left[k] as number;
        const r = tree.right[k] as number;
        expect(tree.defaultLeft[k]).toBe((tree.cover[l] as number) > (tree.cover[r] as number) ? 1 : 0);
      });
    }
    const withNaN = X.slice(0, 5).map((r) => [NaN, ...r.slice(1)]);
    expect(m.predictProba(withNaN).every((v) => v > 0 && v < 1)).toBe(true);
  });

  it('monotonic constraints make the output monotone in the constrained features', () => {
    const rng = createRng(8);
    const Xm: number[][] = [];
    const ym: number[] = [];
    for (let i = 0; i < 800; i++) {
      const a = rng.normal();
      const b = rng.normal();
      Xm.push([a, b]);
      // A bump in a: unconstrained trees follow it, constrained ones may not.
      ym.push(Math.sin(3 * a) + b + 0.3 * rng.normal() > 0 ? 1 : 0);
    }
    const grid = Array.from({ length: 41 }, (_, i) => -2 + i * 0.1);
    const monotoneIn = (m: GradientBoosting, sign: number): boolean =>
      [-1, 0, 1].every((b) => {
        const z = m.decisionFunction(grid.map((a) => [a, b]));
        return z.every((v, i) => i === 0 || sign * (v - (z[i - 1] as number)) >= 0);
      });
    const free = GradientBoosting.fit(Xm, ym, { maxIter: 50, minSamplesLeaf: 5, earlyStopping: false });
    const up = GradientBoosting.fit(Xm, ym, { maxIter: 50, minSamplesLeaf: 5, earlyStopping: false, monotonicConstraints: [1, 0] });
    const down = GradientBoosting.fit(Xm, ym, { maxIter: 50, minSamplesLeaf: 5, earlyStopping: false, monotonicConstraints: [-1, 0] });
    expect(monotoneIn(free, 1) || monotoneIn(free, -1)).toBe(false);
    expect(monotoneIn(up, 1)).toBe(true);
    expect(monotoneIn(down, -1)).toBe(true);
  });

  it('maxDepth and maxLeafNodes bound every tree', () => {
    const m = GradientBoosting.fit(X, y, { maxIter: 5, maxDepth: 2, maxLeafNodes: null, minSamplesLeaf: 1 });
    for (const tree of m.toJSON().trees) {
      expect(tree.feature.filter((f) => f < 0).length).toBeLessThanOrEqual(4);
    }
    const m2 = GradientBoosting.fit(X, y, { maxIter: 5, maxLeafNodes: 3, minSamplesLeaf: 1 });
    for (const tree of m2.toJSON().trees) expect(tree.feature.filter((f) => f < 0).length).toBeLessThanOrEqual(3);
  });

  it('early stopping on a seeded split records the loss curves and stops when the validation loss stalls', () => {
    const noisy = data(600, 4);
    const m = GradientBoosting.fit(noisy.X, noisy.y, { maxIter: 500, earlyStopping: true, nIterNoChange: 5, learningRate: 0.5, seed: 3 });
    expect(m.report.validation).toBe('split');
    expect(m.report.stoppedEarly).toBe(true);
    expect(m.treeCount).toBeLessThan(500);
    expect(m.report.validationLoss.length).toBe(m.treeCount + 1);
    expect(m.report.trainLoss.length).toBe(m.treeCount + 1);
    // Training loss falls; the best validation loss lies more than nIterNoChange trees back.
    expect(m.report.trainLoss.at(-1)!).toBeLessThan(m.report.trainLoss[0]!);
    const v = m.report.validationLoss;
    const best = v.indexOf(Math.min(...v));
    expect(v.length - 1 - best).toBeGreaterThanOrEqual(5);
    const again = GradientBoosting.fit(noisy.X, noisy.y, { maxIter: 500, earlyStopping: true, nIterNoChange: 5, learningRate: 0.5, seed: 3 });
    expect(again.treeCount).toBe(m.treeCount);
  });

  it("early stopping on a given validation set; 'auto' is off for small data and on for a given set", () => {
    const v = data(200, 9);
    const given = GradientBoosting.fit(X, y, { maxIter: 300, learningRate: 0.5, validation: { X: v.X, y: v.y } });
    expect(given.report.validation).toBe('given');
    expect(given.report.earlyStopping).toBe(true);
    expect(GradientBoosting.fit(X, y, { maxIter: 3 }).report.earlyStopping).toBe(false);
    expectCrmError(() => GradientBoosting.fit(X, y, { validation: { X: v.X, y: v.y.map(() => 0) } }), 'invalid_labels', ['options', 'validation', 'y']);
    expectCrmError(() => GradientBoosting.fit(X, y, { validation: { X: v.X.map((r) => r.slice(1)), y: v.y } }), 'invalid_input');
  });

  it("'auto' early stopping turns on above 10,000 rows", () => {
    const big = data(10_001, 2, 3);
    const m = GradientBoosting.fit(big.X, big.y, { maxIter: 2 });
    expect(m.report.earlyStopping).toBe(true);
    expect(m.report.validation).toBe('split');
  });

  it('round-trips through JSON with identical predictions and rejects tampered JSON', () => {
    const Xn = X.map((r, i) => (i % 7 === 0 ? [NaN, ...r.slice(1)] : r));
    const m = GradientBoosting.fit(Xn, y, { maxIter: 15, monotonicConstraints: [1, 0, 0, 0] });
    const json = JSON.parse(JSON.stringify(m)) as ReturnType<GradientBoosting['toJSON']>;
    const copy = GradientBoosting.fromJSON(json);
    expect(Array.from(copy.decisionFunction(Xn))).toEqual(Array.from(m.decisionFunction(Xn)));
    expect(JSON.stringify(copy)).toBe(JSON.stringify(m));
    const tamper = (f: (j: Record<string, unknown> & { trees: Record<string, unknown[]>[] }) => void): unknown => {
      const j = JSON.parse(JSON.stringify(m)) as Record<string, unknown> & { trees: Record<string, unknown[]>[] };
      f(j);
      return j;
    };
    expectCrmError(() => GradientBoosting.fromJSON(tamper((j) => { j.trees[0]!['left']![0] = 0; })), 'invalid_json');
    expectCrmError(() => GradientBoosting.fromJSON(tamper((j) => { j.trees[0]!['threshold']![0] = 'x'; })), 'invalid_json');
    expectCrmError(() => GradientBoosting.fromJSON(tamper((j) => { j.trees[0]!['cover']![0] = -1; })), 'invalid_json');
    expectCrmError(() => GradientBoosting.fromJSON(tamper((j) => { j.trees[0]!['feature']![0] = 9; })), 'invalid_json');
    expectCrmError(() => GradientBoosting.fromJSON(tamper((j) => { j.trees[0]!['defaultLeft']![0] = 2; })), 'invalid_json');
    expectCrmError(() => GradientBoosting.fromJSON(tamper((j) => { j['baseline'] = null; })), 'invalid_json');
    expectCrmError(() => GradientBoosting.fromJSON(tamper((j) => { (j['report'] as Record<string, unknown>)['iterations'] = 3; })), 'invalid_json');
    expectCrmError(() => GradientBoosting.fromJSON({ ...json, kind: 'crm.churn.random-forest' }), 'invalid_json');
  });

  it('works with crossValidate, pipeline and permutationImportance', () => {
    const learner = { fit: (A: readonly ArrayLike<number>[], b: ArrayLike<number | boolean>) => GradientBoosting.fit(A, b, { maxIter: 20 }) };
    const cv = crossValidate(learner, X, y, { folds: 3, seed: 1 });
    expect(cv.rocAuc.mean).toBeGreaterThan(0.85);
    const records = X.map((r) => ({ a: r[0] as number, b: r[1] as number, c: r[2] as number }));
    const toRows = { fit: () => ({ transform: (rs: readonly { a: number; b: number; c: number }[]) => rs.map((r) => [r.a, r.b, r.c]) }) };
    const fitted = pipeline(toRows, learner).fit(records, y);
    expect(rocAuc(y, fitted.predictProba(records))).toBeGreaterThan(0.9);
    const imp = permutationImportance(GradientBoosting.fit(X, y, { maxIter: 20 }), X, y, { repeats: 3, seed: 1 });
    // Column 0 carries most of the signal, column 3 none.
    expect(imp[0]!.mean).toBeGreaterThan(imp[3]!.mean);
    expect(imp[0]!.mean).toBeGreaterThan(0.1);
  });

  it('rejects bad input with a CrmError and a path', () => {
    expectCrmError(() => GradientBoosting.fit([[1], [Infinity]], [0, 1]), 'invalid_input', ['X', 1, 0]);
    expectCrmError(() => GradientBoosting.fit([[1], [2]], [1, 1]), 'invalid_labels');
    expectCrmError(() => GradientBoosting.fit(X, y, { sampleWeight: y.map(() => -1) }), 'invalid_input', ['options', 'sampleWeight', 0]);
    expectCrmError(() => GradientBoosting.fit(X, y, { sampleWeight: y.map(() => NaN) }), 'invalid_input', ['options', 'sampleWeight', 0]);
    expectCrmError(() => GradientBoosting.fit(X, y, { sampleWeight: [1, 2] }), 'invalid_input', ['options', 'sampleWeight']);
    expectCrmError(() => GradientBoosting.fit(X, y, { sampleWeight: y.map(() => 0) }), 'invalid_input', ['options', 'sampleWeight']);
    expectCrmError(() => GradientBoosting.fit(X, y, { monotonicConstraints: [1] }), 'invalid_argument', ['options', 'monotonicConstraints']);
    expectCrmError(() => GradientBoosting.fit(X, y, { monotonicConstraints: [2, 0, 0, 0] }), 'invalid_argument', ['options', 'monotonicConstraints']);
    expectCrmError(() => GradientBoosting.fit(X, y, { maxBins: 256 }), 'invalid_argument', ['options', 'maxBins']);
    expectCrmError(() => GradientBoosting.fit(X, y, { earlyStopping: 'yes' as never }), 'invalid_argument', ['options', 'earlyStopping']);
    expectCrmError(() => GradientBoosting.fit(X, y, { maxIter: 1000, maxIterRows: 1000 }), 'limit_exceeded', ['options', 'maxIterRows']);
    // One churner: the stratified validation split cannot hold both classes.
    expectCrmError(() => GradientBoosting.fit([[0], [1], [2]], [0, 0, 1], { earlyStopping: true }), 'invalid_labels', ['options', 'validationFraction']);
    const m = GradientBoosting.fit(X, y, { maxIter: 2 });
    expectCrmError(() => m.predictProba([[1, 2]]), 'invalid_input');
    expectCrmError(() => m.predictProba([[1, 2, 3, -Infinity]]), 'invalid_input');
  });
});

describe('GradientBoosting.explain', () => {
  const rng = createRng(21);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 500; i++) {
    const row = [rng.normal(), rng.normal(), rng.uniform() < 0.2 ? NaN : rng.normal()];
    X.push(row);
    const c = Number.isNaN(row[2]) ? 1 : (row[2] as number);
    y.push((row[0] as number) * (row[1] as number) + c + 0.5 * rng.normal() > 0 ? 1 : 0);
  }
  const w = X.map((_, i) => 1 + (i % 4));
  const model = GradientBoosting.fit(X, y, { maxIter: 40, maxLeafNodes: 8, minSamplesLeaf: 5, sampleWeight: w });
  const rows = [...X.slice(0, 40), [NaN, NaN, NaN], [0, 0, NaN]];

  it('contributions plus base are the log-odds, bit for bit the decision function as output', () => {
    const e = model.explain(rows);
    expect(e.scale).toBe('log-odds');
    expect(Array.from(e.output)).toEqual(Array.from(model.decisionFunction(rows)));
    e.contributions.forEach((c, i) => {
      const sum = c.reduce((s, v) => s + v, e.base);
      expect(Math.abs(sum - (e.output[i] as number))).toBeLessThan(1e-9);
    });
  });

  it('base is the weighted mean log-odds over the training rows (the covers are weighted row counts)', () => {
    const z = model.decisionFunction(X);
    const mean = z.reduce((s, v, i) => s + v * (w[i] as number), 0) / w.reduce((s, v) => s + v, 0);
    expect(Math.abs(model.explain(rows.slice(0, 1)).base - mean)).toBeLessThan(1e-9);
  });

  it('equals brute-force Shapley values of the path-dependent conditional expectation', () => {
    // E[f | x_S] by the path-dependent rule: a node on a feature in S follows x (NaN by its learned
    // side), any other node averages its children by cover; φ_j by the Shapley formula over all
    // subsets of the 3 features.
    const json = model.toJSON();
    const expectation = (row: readonly number[], S: ReadonlySet<number>): number => {
      let total = json.baseline;
      for (const t of json.trees) {
        const at = (k: number): number => {
          const f = t.feature[k] as number;
          if (f < 0) return t.value[k] as number;
          const l = t.left[k] as number;
          const r = t.right[k] as number;
          if (S.has(f)) {
            const x = row[f] as number;
            const th = t.threshold[k];
            const left = Number.isNaN(x) ? t.defaultLeft[k] === 1 : th === null || x <= th;
            return at(left ? l : r);
          }
          return ((t.cover[l] as number) * at(l) + (t.cover[r] as number) * at(r)) / (t.cover[k] as number);
        };
        total += at(0);
      }
      return total;
    };
    const p = 3;
    const fact = [1, 1, 2, 6];
    for (const row of rows.slice(0, 8).concat(rows.slice(-2))) {
      const e = model.explain([row]);
      for (let j = 0; j < p; j++) {
        let phi = 0;
        for (let mask = 0; mask < 1 << p; mask++) {
          if (mask & (1 << j)) continue;
          const S = new Set<number>();
          for (let k = 0; k < p; k++) if (mask & (1 << k)) S.add(k);
          const s = S.size;
          const weight = ((fact[s] as number) * (fact[p - s - 1] as number)) / (fact[p] as number);
          phi += weight * (expectation(row, new Set([...S, j])) - expectation(row, S));
        }
        expect(Math.abs(phi - (e.contributions[0]![j] as number))).toBeLessThan(1e-9);
      }
      expect(Math.abs(e.base - expectation(row, new Set()))).toBeLessThan(1e-9);
    }
  });

  it('survives a JSON round trip and rejects bad rows', () => {
    const copy = GradientBoosting.fromJSON(JSON.parse(JSON.stringify(model)));
    const a = model.explain(rows);
    const b = copy.explain(rows);
    expect(b.base).toBe(a.base);
    expect(b.contributions.map((c) => Array.from(c))).toEqual(a.contributions.map((c) => Array.from(c)));
    expectCrmError(() => model.explain([[1, 2]]), 'invalid_input');
    expectCrmError(() => model.explain([[1, 2, Infinity]]), 'invalid_input');
  });
});
