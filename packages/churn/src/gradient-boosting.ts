import {
  CrmError,
  booleanOption,
  checkCost,
  createRng,
  freezeModel,
  numberOption,
  portableExp,
  portableLog,
  portableLog1p,
  readModelJson,
  readNumber,
  readNumberArray,
  readObject,
  readOptions,
  toBinaryLabels,
  type OptionBag,
} from '@crm/core';
import type { Classifier } from './classifier.ts';
import { checkClassWeight, readBoolean, readJsonOptions, rowWeights, sigmoid, thresholdProba, unboundedOption, type ClassWeight, type Labels, type Rows } from './internal/checks.ts';
import { binEdges, binRows, toMissingMatrix, type MissingMatrix } from './internal/hist-bins.ts';
import { growBuffers, growHistTree, histTreeValue, sparseBins, type HistData, type HistTree } from './internal/hist-grower.ts';
import { histTreeFromJson, histTreeToJson, type BoostedTreeJson } from './internal/hist-tree-json.ts';
import { stratifiedSplitIndices } from './internal/stratify.ts';
import { shapTreeDepth, treeExpectedValue } from './internal/tree-shap.ts';
import { shapContributions } from './internal/tree-explain.ts';
import type { Explanation } from './explanation.ts';

/**
 * Options of {@link GradientBoosting.fit}. Defaults are scikit-learn's `HistGradientBoostingClassifier`'s.
 *
 * @example
 * ```ts
 * import type { GradientBoostingOptions } from '@crm/churn';
 * const options: GradientBoostingOptions = { maxIter: 200, learningRate: 0.05, maxLeafNodes: 15, seed: 7 };
 * ```
 */
export interface GradientBoostingOptions {
  /** Shrinkage applied to every leaf value (default 0.1). */
  readonly learningRate?: number;
  /** Boosting iterations, one tree each (default 100); fewer when early stopping ends the fit. */
  readonly maxIter?: number;
  /** Most leaves per tree (default 31); `Infinity` (`null`) for no limit. */
  readonly maxLeafNodes?: number | null;
  /** Deepest leaf, the root at depth 0 (default `Infinity`: no limit, `null` in JSON). */
  readonly maxDepth?: number | null;
  /** Fewest training rows in a leaf (default 20). */
  readonly minSamplesLeaf?: number;
  /** L2 penalty λ on leaf values: a leaf is −G/(H + λ) (default 0). */
  readonly l2Regularization?: number;
  /** Value bins per feature, 2…255 (default 255); NaN has one more bin of its own. */
  readonly maxBins?: number;
  /**
   * Stop when the validation loss has not improved by more than `tol` over the last
   * `nIterNoChange` iterations: `'auto'` (default) turns it on above 10,000 rows or when a
   * `validation` set is given; `true` / `false` force it.
   */
  readonly earlyStopping?: 'auto' | boolean;
  /** Share of the rows held out (stratified, seeded) for early stopping (default 0.1). */
  readonly validationFraction?: number;
  /** Iterations without improvement before stopping (default 10). */
  readonly nIterNoChange?: number;
  /** Smallest improvement of the validation loss that counts (default 1e-7). */
  readonly tol?: number;
  /** Weights of the classes (`'balanced'` or `{ 0: w0, 1: w1 }`), multiplied into `sampleWeight`. */
  readonly classWeight?: ClassWeight | undefined;
  /** −1 (decreasing), 0 (none) or 1 (increasing) per feature: the raw output is monotone in it. */
  readonly monotonicConstraints?: readonly number[] | null;
  /** Seed of the validation split and of the binning subsample beyond 200,000 rows (default 0). */
  readonly seed?: number;
  /**
   * Most iterations × training rows (default 500,000,000, a few minutes of fitting): a larger fit
   * stops with `limit_exceeded` before it starts.
   */
  readonly maxIterRows?: number;
  /** Non-negative finite weight per training row (default all 1); not echoed in `options`. */
  readonly sampleWeight?: ArrayLike<number>;
  /** A validation set for early stopping instead of a split of the training rows; not echoed in `options`. */
  readonly validation?: { readonly X: Rows; readonly y: Labels };
}

/**
 * Options as the fitted model echoes them, defaults filled in (the data-carrying `sampleWeight`
 * and `validation` are left out).
 *
 * @example
 * ```ts
 * import { GradientBoosting } from '@crm/churn';
 * GradientBoosting.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { maxIter: 3 }).options.maxLeafNodes; // 31
 * ```
 */
export interface GradientBoostingResolvedOptions {
  /** See {@link GradientBoostingOptions.learningRate}. */
  readonly learningRate: number;
  /** See {@link GradientBoostingOptions.maxIter}. */
  readonly maxIter: number;
  /** See {@link GradientBoostingOptions.maxLeafNodes}; `Infinity` when unlimited (`null` in JSON). */
  readonly maxLeafNodes: number;
  /** See {@link GradientBoostingOptions.maxDepth}; `Infinity` when unlimited (`null` in JSON). */
  readonly maxDepth: number;
  /** See {@link GradientBoostingOptions.minSamplesLeaf}. */
  readonly minSamplesLeaf: number;
  /** See {@link GradientBoostingOptions.l2Regularization}. */
  readonly l2Regularization: number;
  /** See {@link GradientBoostingOptions.maxBins}. */
  readonly maxBins: number;
  /** See {@link GradientBoostingOptions.earlyStopping}. */
  readonly earlyStopping: 'auto' | boolean;
  /** See {@link GradientBoostingOptions.validationFraction}. */
  readonly validationFraction: number;
  /** See {@link GradientBoostingOptions.nIterNoChange}. */
  readonly nIterNoChange: number;
  /** See {@link GradientBoostingOptions.tol}. */
  readonly tol: number;
  /** See {@link GradientBoostingOptions.classWeight}; `null` when the classes are not weighted. */
  readonly classWeight: ClassWeight | null;
  /** See {@link GradientBoostingOptions.monotonicConstraints}; `null` when there are none. */
  readonly monotonicConstraints: readonly number[] | null;
  /** See {@link GradientBoostingOptions.seed}. */
  readonly seed: number;
  /** See {@link GradientBoostingOptions.maxIterRows}. */
  readonly maxIterRows: number;
}

/**
 * What the fit did: iterations, whether early stopping ended it, and the loss curve.
 *
 * @example
 * ```ts
 * import { GradientBoosting } from '@crm/churn';
 * const X = [[0], [1], [2], [3], [4], [5], [6], [7]];
 * const y = [0, 0, 1, 0, 1, 1, 0, 1];
 * const r = GradientBoosting.fit(X, y, { maxIter: 3, minSamplesLeaf: 1, validation: { X, y } }).report;
 * r.validationLoss.length; // 4: before the first tree and after each
 * ```
 */
export interface GradientBoostingReport {
  /** Trees grown. */
  readonly iterations: number;
  /** Early stopping was on. */
  readonly earlyStopping: boolean;
  /** Early stopping ended the fit before `maxIter`. */
  readonly stoppedEarly: boolean;
  /** Where the validation rows came from: a seeded split, the `validation` option, or none. */
  readonly validation: 'split' | 'given' | 'none';
  /** With early stopping, the weighted mean log-loss of the training rows before the first tree and after each (else empty). */
  readonly trainLoss: readonly number[];
  /** With early stopping, the same on the validation rows (else empty). */
  readonly validationLoss: readonly number[];
}

/**
 * JSON form of a {@link GradientBoosting} model.
 *
 * @example
 * ```ts
 * import { GradientBoosting, type GradientBoostingJson } from '@crm/churn';
 * const json: GradientBoostingJson = GradientBoosting.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { maxIter: 2 }).toJSON();
 * ```
 */
export interface GradientBoostingJson {
  /** Always `'crm.churn.gradient-boosting'`. */
  readonly kind: 'crm.churn.gradient-boosting';
  /** Format version, 1. */
  readonly version: 1;
  /** The fit options (`null` for unlimited `maxDepth` / `maxLeafNodes`). */
  readonly options: Omit<GradientBoostingResolvedOptions, 'maxDepth' | 'maxLeafNodes'> & {
    /** Deepest leaf; `null` for unlimited (JSON has no Infinity). */
    readonly maxDepth: number | null;
    /** Most leaves per tree; `null` for unlimited. */
    readonly maxLeafNodes: number | null;
  };
  /** Number of features. */
  readonly nFeatures: number;
  /** Raw output before any tree: the log-odds of the weighted base rate. */
  readonly baseline: number;
  /** The fit report. */
  readonly report: GradientBoostingReport;
  /** The trees. */
  readonly trees: BoostedTreeJson[];
}

const KIND = 'crm.churn.gradient-boosting';
const OPTION_KEYS = [
  'learningRate', 'maxIter', 'maxLeafNodes', 'maxDepth', 'minSamplesLeaf', 'l2Regularization', 'maxBins', 'earlyStopping',
  'validationFraction', 'nIterNoChange', 'tol', 'classWeight', 'monotonicConstraints', 'seed', 'maxIterRows',
] as const;
const FIT_KEYS = [...OPTION_KEYS, 'sampleWeight', 'validation'] as const;
/** Deepest tree explained: TreeSHAP recurses once per level (only unlimited `maxLeafNodes` grows deeper). */
const MAX_EXPLAIN_DEPTH = 2000;
/** Above this many rows `earlyStopping: 'auto'` turns early stopping on (scikit-learn's rule). */
const AUTO_EARLY_STOPPING_ROWS = 10_000;
/** Default of `maxIterRows`: 1,000 iterations on 500,000 rows. */
const DEFAULT_MAX_ITER_ROWS = 500_000_000;
/** Base rates are clipped to [ε, 1 − ε] before the logit (scikit-learn clips at machine epsilon). */
const RATE_EPS = 2.220446049250313e-16;

function resolveOptions(options: unknown): GradientBoostingResolvedOptions {
  return resolveBag(readOptions(options, OPTION_KEYS, 'GradientBoosting.fit'));
}

function resolveBag(o: OptionBag<(typeof OPTION_KEYS)[number]>): GradientBoostingResolvedOptions {
  const es = o.earlyStopping;
  if (!(es === undefined || es === 'auto' || typeof es === 'boolean')) {
    throw new CrmError('invalid_argument', `option earlyStopping must be 'auto', true or false, got ${JSON.stringify(es)}`, ['options', 'earlyStopping']);
  }
  return {
    learningRate: numberOption(o, 'learningRate', 0.1, { min: 0, minExclusive: true, max: 1000 }),
    maxIter: numberOption(o, 'maxIter', 100, { min: 1, max: 1_000_000, integer: true }),
    maxLeafNodes: unboundedOption(o, 'maxLeafNodes', 31, { min: 2, integer: true }),
    maxDepth: unboundedOption(o, 'maxDepth', Infinity, { min: 1, integer: true }),
    minSamplesLeaf: numberOption(o, 'minSamplesLeaf', 20, { min: 1, integer: true }),
    l2Regularization: numberOption(o, 'l2Regularization', 0, { min: 0 }),
    maxBins: numberOption(o, 'maxBins', 255, { min: 2, max: 255, integer: true }),
    earlyStopping: es ?? 'auto',
    validationFraction: numberOption(o, 'validationFraction', 0.1, { min: 0, max: 1, minExclusive: true, maxExclusive: true }),
    nIterNoChange: numberOption(o, 'nIterNoChange', 10, { min: 1, integer: true }),
    tol: numberOption(o, 'tol', 1e-7, { min: 0 }),
    classWeight: checkClassWeight(o.classWeight) ?? null,
    monotonicConstraints: readMonotonic(o.monotonicConstraints),
    seed: numberOption(o, 'seed', 0, { integer: true }),
    maxIterRows: numberOption(o, 'maxIterRows', DEFAULT_MAX_ITER_ROWS, { min: 1 }),
  };
}

function readMonotonic(v: unknown): readonly number[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || !v.every((c) => c === -1 || c === 0 || c === 1)) {
    throw new CrmError('invalid_argument', 'option monotonicConstraints must be an array of −1, 0 or 1, one per feature', ['options', 'monotonicConstraints']);
  }
  return Object.freeze(v.slice() as number[]);
}

/** Per-row log-loss of a raw score z for label y: log(1 + e^z) − y·z, computed stably. */
function rowLoss(z: number, y: number): number {
  const a = z >= 0 ? z : -z;
  return (z > 0 ? z : 0) + portableLog1p(portableExp(-a)) - y * z;
}

function meanLoss(raw: Float64Array, y: Uint8Array, w: Float64Array, wSum: number): number {
  let s = 0;
  for (let i = 0; i < raw.length; i++) s += (w[i] as number) * rowLoss(raw[i] as number, y[i] as number);
  return s / wSum;
}

/** scikit-learn's rule: stop when none of the last n scores beats the one before them by more than tol. */
function shouldStop(losses: readonly number[], n: number, tol: number): boolean {
  if (losses.length < n + 1) return false;
  const reference = (losses[losses.length - n - 1] as number) - tol;
  for (let k = losses.length - n; k < losses.length; k++) if ((losses[k] as number) < reference) return false;
  return true;
}

/**
 * Gradient-boosted trees for binary targets, the histogram design of LightGBM and scikit-learn's
 * `HistGradientBoostingClassifier`: each feature is binned once (at most 255 quantile bins, edges
 * as scikit-learn's `_BinMapper`, plus one bin for NaN); each iteration fits a regression tree to
 * the gradients and hessians of the log-loss, grown leaf-wise (the leaf with the largest loss
 * reduction first, up to `maxLeafNodes` leaves and `maxDepth` levels) from per-node histograms,
 * the larger child's by subtraction. Missing values need no imputation: at each split NaN rows go
 * to the side that reduces the loss most (stored per node); a feature without NaN in training
 * sends NaN to the child with more training rows. The raw output starts at the log-odds of the
 * weighted base rate. Cost O(p·n) to bin, then about O(maxIter · (n·p·log(leaves) + leaves·bins)).
 *
 * @example
 * ```ts
 * import { GradientBoosting } from '@crm/churn';
 * const X = [[1, 20], [2, 35], [3, 50], [4, 22], [5, 60], [6, 41], [7, 30], [8, NaN]];
 * const y = [1, 1, 0, 1, 0, 0, 1, 0];
 * const model = GradientBoosting.fit(X, y, { maxIter: 50, minSamplesLeaf: 2 });
 * model.predictProba([[2, 25]]);      // Float64Array [p]
 * model.decisionFunction([[2, NaN]]); // Float64Array [log-odds]
 * ```
 * @throws {CrmError} `invalid_input` for empty, ragged or infinite X (NaN is allowed) or bad
 * weights; `invalid_labels` for bad or one-class labels (also of a validation set);
 * `invalid_argument` for bad options; `limit_exceeded` at `['options', 'maxIterRows']`.
 * @see https://scikit-learn.org/stable/modules/ensemble.html#histogram-based-gradient-boosting
 */
export class GradientBoosting implements Classifier {
  /** Always `'crm.churn.gradient-boosting'`. */
  readonly kind: 'crm.churn.gradient-boosting' = KIND;
  /** The classes, `[0, 1]`; probabilities are those of class 1. */
  readonly classes: readonly [0, 1] = [0, 1];
  /** The fit options with defaults filled in. */
  readonly options: GradientBoostingResolvedOptions;
  /** Number of features. */
  readonly nFeatures: number;
  /** Raw output before any tree: log-odds of the weighted base rate. */
  readonly baseline: number;
  /** What the fit did, with the loss curves. */
  readonly report: GradientBoostingReport;
  /** Number of trees. */
  readonly treeCount: number;
  readonly #trees: readonly HistTree[];

  private constructor(options: GradientBoostingResolvedOptions, nFeatures: number, baseline: number, trees: readonly HistTree[], report: GradientBoostingReport) {
    this.options = Object.freeze({ ...options });
    this.nFeatures = nFeatures;
    this.baseline = baseline;
    this.#trees = trees;
    this.treeCount = trees.length;
    this.report = Object.freeze({
      ...report,
      trainLoss: Object.freeze(report.trainLoss.slice()),
      validationLoss: Object.freeze(report.validationLoss.slice()),
    });
    freezeModel(this);
  }

  /**
   * Fits the model to rows `X` (NaN = missing) and 0/1 (or boolean) labels `y`.
   *
   * @example
   * ```ts
   * import { GradientBoosting } from '@crm/churn';
   * const X = [[0], [1], [2], [3], [4], [5]];
   * const model = GradientBoosting.fit(X, [0, 0, 0, 1, 1, 1], { maxIter: 20, minSamplesLeaf: 1, sampleWeight: [1, 1, 1, 2, 2, 2] });
   * ```
   */
  static fit(X: Rows, y: Labels, options?: GradientBoostingOptions): GradientBoosting {
    const bag = readOptions(options, FIT_KEYS, 'GradientBoosting.fit');
    const opts = resolveBag(bag);
    const m = toMissingMatrix(X, undefined, 2);
    const labels = toBinaryLabels(y, m.rows);
    const n = m.rows;
    if (opts.monotonicConstraints !== null && opts.monotonicConstraints.length !== m.cols) {
      throw new CrmError('invalid_argument', `monotonicConstraints has ${opts.monotonicConstraints.length} entries but X has ${m.cols} features`, ['options', 'monotonicConstraints']);
    }
    const weight = rowWeights(labels, opts.classWeight ?? undefined);
    const sw = readSampleWeight(bag.sampleWeight, n);
    if (sw !== null) for (let i = 0; i < n; i++) weight[i] = (weight[i] as number) * (sw[i] as number);
    const given = readValidation(bag.validation, m.cols);
    const early = opts.earlyStopping === 'auto' ? n > AUTO_EARLY_STOPPING_ROWS || given !== null : opts.earlyStopping;
    const rng = createRng(opts.seed);
    let trainRows: Int32Array;
    let val: { m: MissingMatrix; rows: Int32Array; y: Uint8Array; w: Float64Array } | null = null;
    if (early && given === null) {
      const split = stratifiedSplitIndices(labels, opts.validationFraction, rng.split());
      trainRows = Int32Array.from(split.train);
      const valRows = Int32Array.from(split.test);
      val = { m, rows: valRows, y: pickLabels(labels, valRows), w: pickWeights(weight, valRows) };
      checkBothClasses(val.y, ['options', 'validationFraction'], 'the validation split');
    } else {
      trainRows = new Int32Array(n);
      for (let i = 0; i < n; i++) trainRows[i] = i;
      if (early && given !== null) {
        const rows = new Int32Array(given.m.rows);
        for (let i = 0; i < rows.length; i++) rows[i] = i;
        val = { m: given.m, rows, y: given.y, w: new Float64Array(given.m.rows).fill(1) };
      }
    }
    const nTrain = trainRows.length;
    checkCost(opts.maxIter * nTrain, opts.maxIterRows, 'maxIterRows', `${opts.maxIter} boosting iterations on ${nTrain} rows`, 'row visits');
    const yTrain = pickLabels(labels, trainRows);
    checkBothClasses(yTrain, ['y'], 'the training rows');
    const wTrain = pickWeights(weight, trainRows);
    let wSum = 0;
    let wPos = 0;
    for (let i = 0; i < nTrain; i++) {
      wSum += wTrain[i] as number;
      wPos += (wTrain[i] as number) * (yTrain[i] as number);
    }
    if (!(wSum > 0)) throw new CrmError('invalid_input', 'the training rows have zero total weight', ['options', 'sampleWeight']);
    const rate = Math.min(Math.max(wPos / wSum, RATE_EPS), 1 - RATE_EPS);
    const baseline = portableLog(rate / (1 - rate));

    const edges = binEdges(m, trainRows, opts.maxBins, rng.split());
    const data = histData(m, trainRows, edges);
    const settings = {
      maxLeafNodes: opts.maxLeafNodes,
      maxDepth: opts.maxDepth,
      minSamplesLeaf: opts.minSamplesLeaf,
      l2: opts.l2Regularization,
      learningRate: opts.learningRate,
      monotonic: opts.monotonicConstraints === null ? null : Int8Array.from(opts.monotonicConstraints),
    };
    const raw = new Float64Array(nTrain).fill(baseline);
    const gh = new Float32Array(2 * nTrain);
    const buffers = growBuffers(nTrain);
    const trees: HistTree[] = [];
    const trainLoss: number[] = [];
    const validationLoss: number[] = [];
    let valRaw: Float64Array | null = null;
    let valW = 0;
    if (val !== null) {
      valRaw = new Float64Array(val.rows.length).fill(baseline);
      for (let i = 0; i < val.w.length; i++) valW += val.w[i] as number;
      validationLoss.push(meanLoss(valRaw, val.y, val.w, valW));
    }
    let stoppedEarly = false;
    for (let it = 0; it < opts.maxIter; it++) {
      for (let i = 0; i < nTrain; i++) {
        const wi = wTrain[i] as number;
        const p = sigmoid(raw[i] as number);
        gh[2 * i] = (p - (yTrain[i] as number)) * wi;
        gh[2 * i + 1] = p * (1 - p) * wi;
      }
      if (val !== null) trainLoss.push(meanLoss(raw, yTrain, wTrain, wSum));
      const tree = growHistTree(data, gh, wTrain, settings, buffers, raw);
      trees.push(tree);
      if (val !== null && valRaw !== null) {
        const vm = val.m;
        for (let k = 0; k < val.rows.length; k++) valRaw[k] = (valRaw[k] as number) + histTreeValue(tree, vm.data, (val.rows[k] as number) * vm.cols);
        validationLoss.push(meanLoss(valRaw, val.y, val.w, valW));
        if (shouldStop(validationLoss, opts.nIterNoChange, opts.tol)) {
          stoppedEarly = it + 1 < opts.maxIter;
          break;
        }
      }
    }
    if (val !== null) trainLoss.push(meanLoss(raw, yTrain, wTrain, wSum));
    const report: GradientBoostingReport = {
      iterations: trees.length,
      earlyStopping: early,
      stoppedEarly,
      validation: val === null ? 'none' : given === null ? 'split' : 'given',
      trainLoss,
      validationLoss,
    };
    return new GradientBoosting(opts, m.cols, baseline, trees, report);
  }

  /**
   * Restores a model from {@link GradientBoosting.toJSON} output, checking every tree.
   *
   * @throws {CrmError} `invalid_json` for foreign, tampered or incomplete JSON.
   * @example
   * ```ts
   * import { GradientBoosting } from '@crm/churn';
   * const model = GradientBoosting.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { maxIter: 3 });
   * const copy = GradientBoosting.fromJSON(JSON.parse(JSON.stringify(model)));
   * ```
   */
  static fromJSON(json: unknown): GradientBoosting {
    const obj = readModelJson(json, KIND, 1);
    const options = readJsonOptions(obj, resolveOptions);
    const nFeatures = obj['nFeatures'];
    if (typeof nFeatures !== 'number' || !Number.isInteger(nFeatures) || nFeatures < 1) {
      throw new CrmError('invalid_json', 'nFeatures must be a positive integer', ['nFeatures']);
    }
    if (options.monotonicConstraints !== null && options.monotonicConstraints.length !== nFeatures) {
      throw new CrmError('invalid_json', 'options.monotonicConstraints must have one entry per feature', ['options', 'monotonicConstraints']);
    }
    const baseline = readNumber(obj, 'baseline');
    const rawTrees = obj['trees'];
    if (!Array.isArray(rawTrees) || rawTrees.length > options.maxIter) {
      throw new CrmError('invalid_json', `expected an array of at most ${options.maxIter} trees`, ['trees']);
    }
    const trees: HistTree[] = [];
    for (let i = 0; i < rawTrees.length; i++) trees.push(histTreeFromJson(rawTrees[i] as unknown, ['trees', i], nFeatures));
    const r = readObject(obj['report'], ['report']);
    const iterations = readNumber(r, 'iterations', ['report'], { min: 0, integer: true });
    if (iterations !== trees.length) throw new CrmError('invalid_json', 'report.iterations must equal the number of trees', ['report', 'iterations']);
    const validation = r['validation'];
    if (validation !== 'split' && validation !== 'given' && validation !== 'none') {
      throw new CrmError('invalid_json', "report.validation must be 'split', 'given' or 'none'", ['report', 'validation']);
    }
    const report: GradientBoostingReport = {
      iterations,
      earlyStopping: readBoolean(r, 'earlyStopping', ['report']),
      stoppedEarly: readBoolean(r, 'stoppedEarly', ['report']),
      validation,
      trainLoss: readNumberArray(r, 'trainLoss', ['report']),
      validationLoss: readNumberArray(r, 'validationLoss', ['report']),
    };
    return new GradientBoosting(options, nFeatures, baseline, trees, report);
  }

  /**
   * Raw output (log-odds of class 1) for each row: the baseline plus every tree's leaf value.
   *
   * @throws {CrmError} `invalid_input` when X is ragged, infinite or has the wrong number of columns.
   * @example
   * ```ts
   * import { GradientBoosting } from '@crm/churn';
   * GradientBoosting.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { maxIter: 3 }).decisionFunction([[NaN]]);
   * ```
   */
  decisionFunction(X: Rows): Float64Array {
    const m = toMissingMatrix(X, this.nFeatures, 0);
    const out = new Float64Array(m.rows).fill(this.baseline);
    for (const tree of this.#trees) {
      for (let i = 0; i < m.rows; i++) out[i] = (out[i] as number) + histTreeValue(tree, m.data, i * m.cols);
    }
    return out;
  }

  /**
   * Probability of class 1 for each row: the logistic function of {@link GradientBoosting.decisionFunction}.
   *
   * @throws {CrmError} `invalid_input` when X is ragged, infinite or has the wrong number of columns.
   * @example
   * ```ts
   * import { GradientBoosting } from '@crm/churn';
   * GradientBoosting.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { maxIter: 3 }).predictProba([[3]]); // Float64Array [p]
   * ```
   */
  predictProba(X: Rows): Float64Array {
    const raw = this.decisionFunction(X);
    for (let i = 0; i < raw.length; i++) raw[i] = sigmoid(raw[i] as number);
    return raw;
  }

  /**
   * Exact per-row explanation of the raw output (log-odds): path-dependent TreeSHAP (Lundberg et
   * al. 2018) of every tree, summed, with the trees' covers (weighted training rows per node) as
   * the reference distribution; NaN follows each node's learned side. `base` is the baseline plus
   * every tree's cover-weighted mean leaf value, and `base + Σ contributions = output`, where
   * `output` is {@link GradientBoosting.decisionFunction} bit for bit.
   * O(rows · Σ leaves · depth²).
   *
   * @throws {CrmError} `invalid_input` when X is ragged, infinite or has the wrong number of columns;
   * `limit_exceeded` for a tree deeper than 2,000 levels.
   * @example
   * ```ts
   * import { GradientBoosting } from '@crm/churn';
   * const X = [[0, 1], [1, 0], [2, 1], [3, 0], [4, 1], [5, 0]];
   * const model = GradientBoosting.fit(X, [0, 0, 0, 1, 1, 1], { maxIter: 5, minSamplesLeaf: 1 });
   * const e = model.explain([[4, NaN]]);
   * e.base + e.contributions[0][0] + e.contributions[0][1]; // e.output[0], the log-odds
   * ```
   */
  explain(X: Rows): Explanation {
    const m = toMissingMatrix(X, this.nFeatures, 0);
    const p = m.cols;
    let depth = 0;
    for (const t of this.#trees) depth = Math.max(depth, shapTreeDepth(t));
    if (depth > MAX_EXPLAIN_DEPTH) {
      throw new CrmError('limit_exceeded', `a tree of this model is ${depth} levels deep; explain handles trees up to ${MAX_EXPLAIN_DEPTH} levels: refit with maxDepth or maxLeafNodes`);
    }
    const rows: Float64Array[] = [];
    for (let i = 0; i < m.rows; i++) rows.push(m.data.subarray(i * p, (i + 1) * p));
    const contributions = shapContributions(this.#trees, rows, p, 1, depth);
    // Trees summed in the order decisionFunction sums them, so output is its double.
    const output = new Float64Array(m.rows).fill(this.baseline);
    let base = this.baseline;
    for (const tree of this.#trees) {
      base += treeExpectedValue(tree);
      for (let i = 0; i < m.rows; i++) output[i] = (output[i] as number) + histTreeValue(tree, m.data, i * p);
    }
    return { scale: 'log-odds', base, contributions, output };
  }

  /**
   * Labels at a threshold on the probability (default 0.5).
   *
   * @example
   * ```ts
   * import { GradientBoosting } from '@crm/churn';
   * GradientBoosting.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { maxIter: 3 }).predict([[0], [3]]);
   * ```
   */
  predict(X: Rows, threshold = 0.5): Uint8Array {
    return thresholdProba(this.predictProba(X), threshold);
  }

  /**
   * Plain JSON data for storage; {@link GradientBoosting.fromJSON} restores the model.
   *
   * @example
   * ```ts
   * import { GradientBoosting } from '@crm/churn';
   * JSON.stringify(GradientBoosting.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { maxIter: 2 }));
   * ```
   */
  toJSON(): GradientBoostingJson {
    const o = this.options;
    return {
      kind: KIND,
      version: 1,
      options: {
        ...o,
        maxDepth: o.maxDepth === Infinity ? null : o.maxDepth,
        maxLeafNodes: o.maxLeafNodes === Infinity ? null : o.maxLeafNodes,
        monotonicConstraints: o.monotonicConstraints === null ? null : o.monotonicConstraints.slice(),
        classWeight: o.classWeight === null || o.classWeight === 'balanced' ? o.classWeight : { ...o.classWeight },
      },
      nFeatures: this.nFeatures,
      baseline: this.baseline,
      report: { ...this.report, trainLoss: this.report.trainLoss.slice(), validationLoss: this.report.validationLoss.slice() },
      trees: this.#trees.map(histTreeToJson),
    };
  }
}

function histData(m: MissingMatrix, rows: Int32Array, edges: readonly Float64Array[]): HistData {
  const p = m.cols;
  const nonMissing = new Int32Array(p);
  const offset = new Int32Array(p);
  const hasNaN = new Uint8Array(p);
  let total = 0;
  for (let j = 0; j < p; j++) {
    nonMissing[j] = (edges[j] as Float64Array).length + 1;
    offset[j] = total;
    total += (nonMissing[j] as number) + 1;
  }
  for (let r = 0; r < rows.length; r++) {
    const o = (rows[r] as number) * p;
    for (let j = 0; j < p; j++) if (m.data[o + j] !== m.data[o + j]) hasNaN[j] = 1;
  }
  const bins = binRows(m, rows, edges);
  return { bins, rows: rows.length, cols: p, nonMissing, hasNaN, offset, totalBins: total, edges, ...sparseBins(bins, rows.length, p, offset, total) };
}

function pickLabels(y: Uint8Array, rows: Int32Array): Uint8Array {
  const out = new Uint8Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = y[rows[k] as number] as number;
  return out;
}

function pickWeights(w: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = w[rows[k] as number] as number;
  return out;
}

function checkBothClasses(y: Uint8Array, path: readonly (string | number)[], what: string): void {
  let ones = 0;
  for (let i = 0; i < y.length; i++) ones += y[i] as number;
  if (ones === 0 || ones === y.length) {
    throw new CrmError('invalid_labels', `${what} hold only class ${ones === 0 ? 0 : 1}: both classes are needed (use more rows of the rarer class or another validation set)`, path);
  }
}

function readSampleWeight(v: unknown, n: number): Float64Array | null {
  if (v === undefined) return null;
  const at = ['options', 'sampleWeight'];
  if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<number>).length !== 'number') {
    throw new CrmError('invalid_argument', 'option sampleWeight must be an array of non-negative finite numbers, one per row', at);
  }
  const a = v as ArrayLike<unknown>;
  if (a.length !== n) throw new CrmError('invalid_input', `sampleWeight has ${a.length} values but X has ${n} rows`, at);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
      throw new CrmError('invalid_input', `sampleWeight[${i}] is ${String(x)}: weights must be non-negative finite numbers`, [...at, i]);
    }
    out[i] = x;
  }
  return out;
}

function readValidation(v: unknown, cols: number): { m: MissingMatrix; y: Uint8Array } | null {
  if (v === undefined) return null;
  const at = ['options', 'validation'];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new CrmError('invalid_argument', 'option validation must be { X, y }', at);
  }
  const o = readOptions(v, ['X', 'y'], 'GradientBoosting.fit', at);
  let m: MissingMatrix;
  let y: Uint8Array;
  try {
    m = toMissingMatrix(o.X as Rows, cols, 1, 'X');
    y = toBinaryLabels(o.y as Labels, m.rows, { allowOneClass: true });
  } catch (e) {
    const err = e as { code?: string; message?: string; path?: readonly (string | number)[] };
    throw new CrmError(err.code === 'invalid_labels' ? 'invalid_labels' : 'invalid_input', `validation: ${err.message ?? String(e)}`, [...at, ...(err.path ?? [])]);
  }
  checkBothClasses(y, [...at, 'y'], 'the validation labels');
  return { m, y };
}
