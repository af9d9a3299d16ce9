import {
  CrmError,
  booleanOption,
  enumOption,
  freezeModel,
  ownValue,
  portableExp,
  portableLog,
  readModelJson,
  readNumber,
  readNumberArray,
  readObject,
  readOptions,
  toBinaryLabels,
  type CrmPath,
} from '@crm/core';
import type { Classifier, ClassifierJson, Learner, Predictor } from './classifier.ts';
import { thresholdProba, toScores, type Labels, type Rows } from './internal/checks.ts';
import { resolveFolds } from './internal/folds.ts';

/**
 * Options of {@link calibrate}, as scikit-learn's `CalibratedClassifierCV`.
 *
 * @example
 * ```ts
 * import type { CalibrateOptions } from '@crm/churn';
 * const options: CalibrateOptions = { method: 'isotonic', folds: 5, seed: 1, ensemble: true };
 * ```
 */
export interface CalibrateOptions {
  /** `'sigmoid'` (Platt scaling, default) or `'isotonic'` (a non-decreasing step map, needs more rows). */
  readonly method?: 'sigmoid' | 'isotonic';
  /** Number of stratified folds (default 5), or the folds as lists of test-row indices covering every row once. */
  readonly folds?: number | readonly (readonly number[])[];
  /** Seed of the fold assignment (default 0). */
  readonly seed?: number;
  /**
   * `true` (default): one base model per fold, each calibrated on its held-out fold, probabilities
   * averaged. `false`: one calibrator on the out-of-fold scores of all rows, one base model fitted
   * on all rows.
   */
  readonly ensemble?: boolean;
}

/**
 * Options as the calibrated model echoes them (folds given as lists are recorded by their count).
 *
 * @example
 * ```ts
 * import type { CalibrateResolvedOptions } from '@crm/churn';
 * const o: CalibrateResolvedOptions = { method: 'sigmoid', folds: 5, seed: 0, ensemble: true };
 * ```
 */
export interface CalibrateResolvedOptions {
  /** See {@link CalibrateOptions.method}. */
  readonly method: 'sigmoid' | 'isotonic';
  /** Number of folds. */
  readonly folds: number;
  /** See {@link CalibrateOptions.seed}. */
  readonly seed: number;
  /** See {@link CalibrateOptions.ensemble}. */
  readonly ensemble: boolean;
}

/**
 * A calibration map in JSON: Platt's `p = 1 / (1 + exp(a·s + b))`, or the isotonic knots
 * `(x, y)` interpolated linearly and clipped at the ends.
 *
 * @example
 * ```ts
 * import type { CalibratorJson } from '@crm/churn';
 * const platt: CalibratorJson = { method: 'sigmoid', a: -1.2, b: 0.1 };
 * const steps: CalibratorJson = { method: 'isotonic', x: [0.1, 0.5, 0.9], y: [0.05, 0.4, 0.8] };
 * ```
 */
export type CalibratorJson =
  | { readonly method: 'sigmoid'; readonly a: number; readonly b: number }
  | { readonly method: 'isotonic'; readonly x: number[]; readonly y: number[] };

/**
 * JSON form of a {@link CalibratedClassifier}: each member's base model JSON and its calibrator.
 *
 * @example
 * ```ts
 * import { LogisticRegression, calibrate, type CalibratedClassifierJson } from '@crm/churn';
 * const X = Array.from({ length: 40 }, (_, i) => [i % 10]);
 * const y = X.map(([a], i) => (a + (i % 3) > 6 ? 1 : 0));
 * const json: CalibratedClassifierJson = calibrate(LogisticRegression, X, y, { folds: 2 }).toJSON();
 * ```
 */
export interface CalibratedClassifierJson {
  /** Always `'crm.churn.calibrated'`. */
  readonly kind: 'crm.churn.calibrated';
  /** Format version, 1. */
  readonly version: 1;
  /** The options of {@link calibrate}. */
  readonly options: CalibrateResolvedOptions;
  /** Number of features. */
  readonly nFeatures: number;
  /** What the calibrators read of the base models: their decision function (log-odds) or their probability. */
  readonly score: 'decision' | 'probability';
  /** One base model and calibrator per member (one per fold with `ensemble`, else one). */
  readonly members: { readonly model: ClassifierJson; readonly calibrator: CalibratorJson }[];
}

/**
 * Something that restores a base model from its JSON: a model class such as `LogisticRegression`.
 *
 * @example
 * ```ts
 * import { LogisticRegression, type ClassifierLoader } from '@crm/churn';
 * const loaders: readonly ClassifierLoader[] = [LogisticRegression];
 * ```
 */
export interface ClassifierLoader {
  /** Restores a model; throws a CrmError at path `['kind']` for JSON of another kind. */
  fromJSON(json: unknown): Predictor<ArrayLike<number>>;
}

const KIND = 'crm.churn.calibrated';
/** Newton steps of Platt's fit; it converges in well under 20 on any data (a convex problem in two unknowns). */
const PLATT_MAX_ITER = 100;

type Calibrator = CalibratorJson;
interface Member {
  readonly model: Predictor<ArrayLike<number>>;
  readonly calibrator: Calibrator;
}

/**
 * Calibrated probabilities for any classifier, as scikit-learn's `CalibratedClassifierCV`: the
 * rows are split into folds; on each, the base model fitted on the other folds scores the held-out
 * rows, and a calibration map from score to probability is fitted on them. The score is the base
 * model's `decisionFunction` (log-odds) when it has one, else its probability (scikit-learn's
 * choice of `decision_function` over `predict_proba`). `'sigmoid'` is Platt scaling fitted as
 * scikit-learn's `_sigmoid_calibration` (targets smoothed to (n₊ + 1)/(n₊ + 2) and 1/(n₋ + 2), solved
 * exactly by Newton's method); `'isotonic'` is isotonic regression (pool adjacent violators, equal
 * scores pooled first, linear between knots, clipped outside). Costs `folds` fits of the base model
 * (one more without `ensemble`) plus O(n log n).
 *
 * @param learner a model class (`LogisticRegression`) or `{ fit: (X, y) => … }`.
 * @throws {CrmError} `invalid_labels` for bad labels or a class smaller than the number of folds;
 * `invalid_argument` for bad folds or options; errors of the learner pass through.
 * @example
 * ```ts
 * import { RandomForest, calibrate } from '@crm/churn';
 * const X = Array.from({ length: 60 }, (_, i) => [i % 10, (i * 7) % 5]);
 * const y = X.map(([a, b], i) => (a + b + (i % 4) > 9 ? 1 : 0));
 * const forest = { fit: (X: number[][], y: ArrayLike<number>) => RandomForest.fit(X, y, { trees: 20, seed: 1 }) };
 * const model = calibrate(forest, X, y, { method: 'isotonic', folds: 3, seed: 1 });
 * model.predictProba([[9, 4]]); // calibrated P(churn)
 * ```
 * @see https://scikit-learn.org/stable/modules/calibration.html
 */
export function calibrate(learner: Learner<ArrayLike<number>>, X: Rows, y: Labels, options: CalibrateOptions = {}): CalibratedClassifier {
  return CalibratedClassifier.fit(learner, X, y, options);
}

/**
 * A classifier with calibrated probabilities, made by {@link calibrate}: the mean of the
 * calibrated probabilities of its members (one per fold with `ensemble`, else one).
 *
 * @example
 * ```ts
 * import { LogisticRegression, calibrate, CalibratedClassifier } from '@crm/churn';
 * const X = Array.from({ length: 40 }, (_, i) => [i % 10]);
 * const y = X.map(([a], i) => (a + (i % 3) > 6 ? 1 : 0));
 * const model = calibrate(LogisticRegression, X, y, { folds: 2 });
 * const copy = CalibratedClassifier.fromJSON(JSON.parse(JSON.stringify(model)), [LogisticRegression]);
 * copy.predictProba([[3]]); // the same probabilities as model.predictProba([[3]])
 * ```
 */
export class CalibratedClassifier implements Classifier {
  /** Always `'crm.churn.calibrated'`. */
  readonly kind: 'crm.churn.calibrated' = KIND;
  /** The classes, `[0, 1]`; probabilities are those of class 1. */
  readonly classes: readonly [0, 1] = [0, 1];
  /** The options of {@link calibrate}. */
  readonly options: CalibrateResolvedOptions;
  /** Number of features. */
  readonly nFeatures: number;
  /** What the calibrators read: the base models' decision function or their probability. */
  readonly score: 'decision' | 'probability';
  /** The calibration maps, one per member. */
  readonly calibrators: readonly CalibratorJson[];
  readonly #members: readonly Member[];

  private constructor(options: CalibrateResolvedOptions, nFeatures: number, score: 'decision' | 'probability', members: readonly Member[]) {
    this.options = { ...options };
    this.nFeatures = nFeatures;
    this.score = score;
    this.#members = members.slice();
    this.calibrators = members.map((m) => copyCalibrator(m.calibrator));
    freezeModel(this);
  }

  /**
   * The same as {@link calibrate}: fits the base models on folds and their calibration maps.
   *
   * @throws {CrmError} as {@link calibrate}.
   * @example
   * ```ts
   * import { CalibratedClassifier, LogisticRegression } from '@crm/churn';
   * const X = Array.from({ length: 40 }, (_, i) => [i % 10]);
   * const y = X.map(([a], i) => (a + (i % 3) > 6 ? 1 : 0));
   * CalibratedClassifier.fit(LogisticRegression, X, y, { folds: 2 }).calibrators.length; // 2
   * ```
   */
  static fit(learner: Learner<ArrayLike<number>>, X: Rows, y: Labels, options: CalibrateOptions = {}): CalibratedClassifier {
    const o = readOptions(options, ['method', 'folds', 'seed', 'ensemble'], 'calibrate');
    const method = enumOption(o, 'method', 'sigmoid', ['sigmoid', 'isotonic'] as const);
    const ensemble = booleanOption(o, 'ensemble', true);
    if (!Array.isArray(X)) throw new CrmError('invalid_argument', 'X must be an array of rows', ['X']);
    if (learner === null || (typeof learner !== 'object' && typeof learner !== 'function') || typeof learner.fit !== 'function') {
      throw new CrmError('invalid_argument', 'learner must have a fit(X, y) method', ['learner']);
    }
    const labels = toBinaryLabels(y, X.length);
    const testIndex = resolveFolds(o, labels);
    const resolved: CalibrateResolvedOptions = { method, folds: testIndex.length, seed: typeof o.seed === 'number' ? o.seed : 0, ensemble };
    const n = labels.length;
    const members: Member[] = [];
    const outOfFold = new Float64Array(n);
    let scoreKind: 'decision' | 'probability' | undefined;
    const inFold = new Uint8Array(n);
    for (const test of testIndex) {
      inFold.fill(0);
      for (const i of test) inFold[i] = 1;
      const trainRows: ArrayLike<number>[] = [];
      const trainY: number[] = [];
      for (let i = 0; i < n; i++) {
        if (inFold[i]) continue;
        trainRows.push(X[i] as ArrayLike<number>);
        trainY.push(labels[i] as number);
      }
      const model = learner.fit(trainRows, Uint8Array.from(trainY));
      scoreKind ??= scoreKindOf(model);
      const s = scores(model, scoreKind, test.map((i) => X[i] as ArrayLike<number>));
      if (ensemble) {
        members.push({ model, calibrator: fitCalibrator(method, s, Uint8Array.from(test, (i) => labels[i] as number)) });
      } else {
        test.forEach((i, j) => (outOfFold[i] = s[j] as number));
      }
    }
    if (!ensemble) {
      const model = learner.fit(X, labels);
      if (scoreKindOf(model) !== scoreKind) throw new CrmError('invalid_argument', 'the learner returned models of different kinds', ['learner']);
      members.push({ model, calibrator: fitCalibrator(method, outOfFold, labels) });
    }
    const first = members[0]?.model as Partial<Classifier>;
    const nFeatures = typeof first.nFeatures === 'number' ? first.nFeatures : ((X[0] as ArrayLike<number> | undefined)?.length ?? 0);
    return new CalibratedClassifier(resolved, nFeatures, scoreKind as 'decision' | 'probability', members);
  }

  /**
   * Restores a calibrated model from {@link CalibratedClassifier.toJSON} output; `models` are the
   * classes of its base models (only those are loaded, so a bundle carries only them).
   *
   * @throws {CrmError} `invalid_json` for foreign, tampered or incomplete JSON, or a base model
   * of a kind none of `models` reads.
   * @example
   * ```ts
   * import { CalibratedClassifier, LogisticRegression, calibrate } from '@crm/churn';
   * const X = Array.from({ length: 40 }, (_, i) => [i % 10]);
   * const y = X.map(([a], i) => (a + (i % 3) > 6 ? 1 : 0));
   * const json = JSON.parse(JSON.stringify(calibrate(LogisticRegression, X, y, { folds: 2 })));
   * CalibratedClassifier.fromJSON(json, [LogisticRegression]).options.folds; // 2
   * ```
   */
  static fromJSON(json: unknown, models: readonly ClassifierLoader[]): CalibratedClassifier {
    if (!Array.isArray(models) || models.length === 0 || models.some((m) => m === null || typeof (m as Partial<ClassifierLoader>).fromJSON !== 'function')) {
      throw new CrmError('invalid_argument', 'models must list the classes of the base models, such as [LogisticRegression]', ['models']);
    }
    const obj = readModelJson(json, KIND, 1);
    const opts = readObject(ownValue(obj, 'options'), ['options']);
    const method = ownValue(opts, 'method');
    if (method !== 'sigmoid' && method !== 'isotonic') throw new CrmError('invalid_json', "options.method must be 'sigmoid' or 'isotonic'", ['options', 'method']);
    const ensemble = ownValue(opts, 'ensemble');
    if (typeof ensemble !== 'boolean') throw new CrmError('invalid_json', 'options.ensemble must be a boolean', ['options', 'ensemble']);
    const options: CalibrateResolvedOptions = {
      method,
      folds: readNumber(opts, 'folds', ['options'], { min: 2, integer: true }),
      seed: readNumber(opts, 'seed', ['options'], { integer: true }),
      ensemble,
    };
    const nFeatures = readNumber(obj, 'nFeatures', [], { min: 1, integer: true });
    const score = ownValue(obj, 'score');
    if (score !== 'decision' && score !== 'probability') throw new CrmError('invalid_json', "score must be 'decision' or 'probability'", ['score']);
    const rawMembers = ownValue(obj, 'members');
    const expected = ensemble ? options.folds : 1;
    if (!Array.isArray(rawMembers) || rawMembers.length !== expected) {
      throw new CrmError('invalid_json', `expected ${expected} members`, ['members']);
    }
    const members = rawMembers.map((raw: unknown, k): Member => {
      const m = readObject(raw, ['members', k]);
      const model = loadModel(ownValue(m, 'model'), models, ['members', k, 'model']);
      if (scoreKindOf(model) !== score) throw new CrmError('invalid_json', `member ${k} does not offer the ${score} score`, ['members', k, 'model']);
      const calibrator = readCalibrator(ownValue(m, 'calibrator'), ['members', k, 'calibrator'], method);
      return { model, calibrator };
    });
    return new CalibratedClassifier(options, nFeatures, score, members);
  }

  /**
   * Calibrated probability of class 1 for each row (mean over the members).
   *
   * @throws {CrmError} errors of the base models for bad rows.
   * @example
   * ```ts
   * import { LogisticRegression, calibrate } from '@crm/churn';
   * const X = Array.from({ length: 40 }, (_, i) => [i % 10]);
   * const y = X.map(([a], i) => (a + (i % 3) > 6 ? 1 : 0));
   * calibrate(LogisticRegression, X, y, { folds: 2 }).predictProba([[0], [9]]); // Float64Array [low, high]
   * ```
   */
  predictProba(X: Rows): Float64Array {
    let out: Float64Array | undefined;
    for (const m of this.#members) {
      const s = scores(m.model, this.score, X);
      out ??= new Float64Array(s.length);
      for (let i = 0; i < s.length; i++) out[i] = (out[i] as number) + applyCalibrator(m.calibrator, s[i] as number);
    }
    const result = out as Float64Array;
    const k = this.#members.length;
    for (let i = 0; i < result.length; i++) result[i] = (result[i] as number) / k;
    return result;
  }

  /**
   * Labels at a threshold on the calibrated probability (default 0.5).
   *
   * @example
   * ```ts
   * import { LogisticRegression, calibrate } from '@crm/churn';
   * const X = Array.from({ length: 40 }, (_, i) => [i % 10]);
   * const y = X.map(([a], i) => (a + (i % 3) > 6 ? 1 : 0));
   * calibrate(LogisticRegression, X, y, { folds: 2 }).predict([[0], [9]]); // Uint8Array [0, 1]
   * ```
   */
  predict(X: Rows, threshold = 0.5): Uint8Array {
    return thresholdProba(this.predictProba(X), threshold);
  }

  /**
   * Plain JSON data: each member's base model JSON and calibrator.
   *
   * @throws {CrmError} `invalid_argument` when a base model has no `toJSON` (it cannot be stored).
   * @example
   * ```ts
   * import { LogisticRegression, calibrate } from '@crm/churn';
   * const X = Array.from({ length: 40 }, (_, i) => [i % 10]);
   * const y = X.map(([a], i) => (a + (i % 3) > 6 ? 1 : 0));
   * calibrate(LogisticRegression, X, y, { folds: 2 }).toJSON().members.length; // 2
   * ```
   */
  toJSON(): CalibratedClassifierJson {
    return {
      kind: KIND,
      version: 1,
      options: { ...this.options },
      nFeatures: this.nFeatures,
      score: this.score,
      members: this.#members.map((m, k) => {
        const model = m.model as Partial<Classifier>;
        if (typeof model.toJSON !== 'function') {
          throw new CrmError('invalid_argument', `base model ${k} has no toJSON: only models of @crm (or with toJSON) can be stored`, ['members', k]);
        }
        return { model: model.toJSON(), calibrator: copyCalibrator(m.calibrator) };
      }),
    };
  }
}

function scoreKindOf(model: Predictor<ArrayLike<number>>): 'decision' | 'probability' {
  if (model === null || typeof model !== 'object' || typeof model.predictProba !== 'function') {
    throw new CrmError('invalid_argument', 'the learner must return a model with predictProba', ['learner']);
  }
  return typeof (model as { decisionFunction?: unknown }).decisionFunction === 'function' ? 'decision' : 'probability';
}

function scores(model: Predictor<ArrayLike<number>>, kind: 'decision' | 'probability', X: readonly ArrayLike<number>[]): Float64Array {
  if (kind === 'decision') {
    const f = (model as unknown as { decisionFunction(X: readonly ArrayLike<number>[]): ArrayLike<number> }).decisionFunction(X);
    return toScores(f, X.length, 'decisionFunction', false);
  }
  return toScores(model.predictProba(X), X.length, 'predictProba', true);
}

function fitCalibrator(method: 'sigmoid' | 'isotonic', s: Float64Array, y: Uint8Array): Calibrator {
  return method === 'sigmoid' ? fitPlatt(s, y) : fitIsotonic(s, y);
}

function applyCalibrator(c: Calibrator, s: number): number {
  if (c.method === 'sigmoid') {
    const z = c.a * s + c.b;
    // 1 / (1 + e^z), written so that neither branch overflows.
    if (z >= 0) {
      const e = portableExp(-z);
      return e / (1 + e);
    }
    return 1 / (1 + portableExp(z));
  }
  const { x, y } = c;
  const last = x.length - 1;
  if (s <= (x[0] as number)) return y[0] as number;
  if (s >= (x[last] as number)) return y[last] as number;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((x[mid] as number) <= s) lo = mid;
    else hi = mid;
  }
  const x0 = x[lo] as number;
  const y0 = y[lo] as number;
  if (s === x0) return y0;
  // scipy's interp1d / numpy's interp: slope · (s − x₀) + y₀.
  return (((y[hi] as number) - y0) / ((x[hi] as number) - x0)) * (s - x0) + y0;
}

/**
 * Platt scaling as scikit-learn's `_sigmoid_calibration`: minimises the cross-entropy of
 * p = 1/(1 + exp(a·s + b)) against the smoothed targets (n₊ + 1)/(n₊ + 2) for positives and
 * 1/(n₋ + 2) for negatives, from a = 0, b = log((n₋ + 1)/(n₊ + 1)). Newton's method with step
 * halving reaches the optimum scikit-learn's BFGS approaches (to its gradient tolerance 1e-5).
 */
function fitPlatt(s: Float64Array, y: Uint8Array): Calibrator {
  const n = s.length;
  let n1 = 0;
  for (let i = 0; i < n; i++) n1 += y[i] as number;
  const n0 = n - n1;
  const hi = (n1 + 1) / (n1 + 2);
  const lo = 1 / (n0 + 2);
  const t = Float64Array.from(y, (v) => (v === 1 ? hi : lo));
  // Minimise L(a, b) = Σ −t·log p − (1 − t)·log(1 − p), with p = σ(−(a s + b)).
  const loss = (a: number, b: number): number => {
    let l = 0;
    for (let i = 0; i < n; i++) {
      const z = a * (s[i] as number) + b;
      // −log p = log(1 + e^z); −log(1 − p) = log(1 + e^−z)
      l += (t[i] as number) * softplus(z) + (1 - (t[i] as number)) * softplus(-z);
    }
    return l;
  };
  let a = 0;
  let b = portableLog((n0 + 1) / (n1 + 1));
  let current = loss(a, b);
  let spread = 0;
  for (let i = 1; i < n; i++) spread = Math.max(spread, Math.abs((s[i] as number) - (s[0] as number)));
  for (let iter = 0; iter < PLATT_MAX_ITER; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < n; i++) {
      const si = s[i] as number;
      const q = 1 - sigma(-(a * si + b)); // 1 − p = σ(a s + b)
      const r = q - (1 - (t[i] as number)); // ∂L/∂z
      const w = q * (1 - q);
      ga += r * si;
      gb += r;
      haa += w * si * si;
      hab += w * si;
      hbb += w;
    }
    let da: number;
    let db: number;
    const det = haa * hbb - hab * hab;
    if (spread === 0 || !(det > 1e-12 * haa * hbb)) {
      // Constant scores: a is not identified; only the intercept moves.
      da = 0;
      db = hbb > 0 ? gb / hbb : 0;
    } else {
      da = (hbb * ga - hab * gb) / det;
      db = (haa * gb - hab * ga) / det;
    }
    let step = 1;
    let next = loss(a - da, b - db);
    while (next > current && step > 1e-10) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    if (!(next <= current)) break;
    const moved = Math.abs(step * da) + Math.abs(step * db);
    a -= step * da;
    b -= step * db;
    const improved = current - next;
    current = next;
    if (moved <= 1e-15 * (1 + Math.abs(a) + Math.abs(b)) || improved <= 1e-16 * Math.abs(current)) break;
  }
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new CrmError('non_finite_result', 'Platt scaling did not reach finite parameters', ['options', 'method']);
  }
  return { method: 'sigmoid', a, b };
}

function sigma(z: number): number {
  if (z >= 0) return 1 / (1 + portableExp(-z));
  const e = portableExp(z);
  return e / (1 + e);
}

function softplus(z: number): number {
  return z > 0 ? z + portableLog(1 + portableExp(-z)) : portableLog(1 + portableExp(z));
}

/**
 * Isotonic regression of labels on scores as scikit-learn's `IsotonicRegression(out_of_bounds='clip')`:
 * rows sorted by score, rows of equal score pooled into their mean label, then pool adjacent
 * violators; the knots are the distinct scores with their fitted values.
 */
function fitIsotonic(s: Float64Array, y: Uint8Array): Calibrator {
  const order = Array.from(s.keys()).sort((i, j) => (s[i] as number) - (s[j] as number));
  const xs: number[] = [];
  const means: number[] = [];
  const weights: number[] = [];
  for (const i of order) {
    const v = s[i] as number;
    const k = xs.length - 1;
    if (k >= 0 && xs[k] === v) {
      means[k] = (means[k] as number) + (y[i] as number);
      weights[k] = (weights[k] as number) + 1;
    } else {
      xs.push(v);
      means.push(y[i] as number);
      weights.push(1);
    }
  }
  for (let k = 0; k < xs.length; k++) means[k] = (means[k] as number) / (weights[k] as number);
  // Pool adjacent violators over blocks: value, weight and the last knot of each block.
  const bValue: number[] = [];
  const bWeight: number[] = [];
  const bEnd: number[] = [];
  for (let k = 0; k < xs.length; k++) {
    let v = means[k] as number;
    let w = weights[k] as number;
    while (bValue.length > 0 && (bValue[bValue.length - 1] as number) >= v) {
      const pv = bValue.pop() as number;
      const pw = bWeight.pop() as number;
      bEnd.pop();
      v = (pv * pw + v * w) / (pw + w);
      w += pw;
    }
    bValue.push(v);
    bWeight.push(w);
    bEnd.push(k);
  }
  const fitted = new Array<number>(xs.length);
  let start = 0;
  bEnd.forEach((end, b) => {
    for (let k = start; k <= end; k++) fitted[k] = bValue[b] as number;
    start = end + 1;
  });
  return { method: 'isotonic', x: xs, y: fitted };
}

function copyCalibrator(c: Calibrator): CalibratorJson {
  return c.method === 'sigmoid' ? { method: 'sigmoid', a: c.a, b: c.b } : { method: 'isotonic', x: c.x.slice(), y: c.y.slice() };
}

function readCalibrator(json: unknown, path: CrmPath, method: 'sigmoid' | 'isotonic'): Calibrator {
  const obj = readObject(json, path);
  if (ownValue(obj, 'method') !== method) throw new CrmError('invalid_json', `expected a ${method} calibrator`, [...path, 'method']);
  if (method === 'sigmoid') return { method, a: readNumber(obj, 'a', path), b: readNumber(obj, 'b', path) };
  const x = readNumberArray(obj, 'x', path);
  if (x.length === 0) throw new CrmError('invalid_json', 'an isotonic calibrator needs at least one knot', [...path, 'x']);
  const y = readNumberArray(obj, 'y', path, x.length);
  for (let k = 0; k < x.length; k++) {
    const yk = y[k] as number;
    if (!(yk >= 0 && yk <= 1)) throw new CrmError('invalid_json', `calibrated probability ${yk} is outside [0, 1]`, [...path, 'y', k]);
    if (k > 0 && !((x[k] as number) > (x[k - 1] as number) && yk >= (y[k - 1] as number))) {
      throw new CrmError('invalid_json', 'isotonic knots must have increasing scores and non-decreasing probabilities', [...path, 'x', k]);
    }
  }
  return { method, x, y };
}

function loadModel(json: unknown, models: readonly ClassifierLoader[], path: CrmPath): Predictor<ArrayLike<number>> {
  for (const loader of models) {
    try {
      return loader.fromJSON(json);
    } catch (e) {
      const p = (e as { path?: unknown }).path;
      // A loader for another kind says so at ['kind']; any other error is about this model.
      if (Array.isArray(p) && p.length === 1 && p[0] === 'kind') continue;
      const err = e as { code?: string; message?: string; path?: CrmPath };
      throw new CrmError('invalid_json', `base model: ${err.message ?? String(e)}`, [...path, ...(err.path ?? [])]);
    }
  }
  const kind = json !== null && typeof json === 'object' ? ownValue(json as Record<string, unknown>, 'kind') : undefined;
  throw new CrmError('invalid_json', `no class in models reads a base model of kind ${JSON.stringify(kind) ?? 'none'}`, [...path, 'kind']);
}
