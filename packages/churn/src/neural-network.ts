import {
  booleanOption,
  checkCost,
  CrmError,
  createRng,
  enumOption,
  finiteResults,
  freezeModel,
  numberOption,
  readModelJson,
  readNumber,
  readNumberArray,
  readObject,
  readOptions,
  toDenseMatrix,
  type Rng,
} from '@crm/core';
import type { Classifier } from './classifier.ts';
import {
  readBoolean,
  readJsonOptions,
  sigmoid,
  thresholdProba,
  trainingData,
  type Labels,
  type Rows,
} from './internal/checks.ts';
import { stratifiedSplitIndices } from './internal/stratify.ts';
import { portableExp, portableLog1p, portablePow, portableTanh } from '@crm/core';

/**
 * Options of {@link NeuralNetwork.fit}. Defaults follow scikit-learn's `MLPClassifier` where it has one.
 *
 * @example
 * ```ts
 * import type { NeuralNetworkOptions } from '@crm/churn';
 * const options: NeuralNetworkOptions = { hidden: [32, 16], activation: 'tanh', earlyStopping: true, seed: 1 };
 * ```
 */
export interface NeuralNetworkOptions {
  /** Units of each hidden layer, one or two layers (default `[16]`). */
  readonly hidden?: readonly number[];
  /** Hidden activation: `'relu'` (default) or `'tanh'`. */
  readonly activation?: 'relu' | 'tanh';
  /** Adam step size (default 0.001). */
  readonly learningRate?: number;
  /** Rows per mini-batch (default 200, at most the number of training rows). */
  readonly batchSize?: number;
  /** Most passes over the data (default 200). */
  readonly maxEpochs?: number;
  /** L2 penalty on the weights, scikit-learn's `alpha` (default 1e-4). */
  readonly l2?: number;
  /** An epoch improves when the monitored loss falls by more than this (default 1e-4). */
  readonly tolerance?: number;
  /** Stop when more than this many epochs in a row bring no improvement (default 10, scikit-learn's `n_iter_no_change`). */
  readonly patience?: number;
  /**
   * Hold out `validationFraction` of the rows (stratified), monitor their log loss, stop when it
   * stops improving and keep the best weights (default false: monitor the training loss).
   */
  readonly earlyStopping?: boolean;
  /** Share of rows held out for early stopping (default 0.1). */
  readonly validationFraction?: number;
  /** Seed for the initial weights, the validation split and the batch order (default 0). */
  readonly seed?: number;
  /**
   * Most training work, counted as maxEpochs × training rows × weights (default 1e11, minutes of
   * training). A larger network, more epochs or more rows stop with `limit_exceeded` before
   * training starts; raise it when the time is available.
   */
  readonly maxWork?: number;
}

/**
 * Options as the fitted network echoes them, defaults filled in.
 *
 * @example
 * ```ts
 * import { NeuralNetwork } from '@crm/churn';
 * NeuralNetwork.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { maxEpochs: 5 }).options.hidden; // [16]
 * ```
 */
export interface NeuralNetworkResolvedOptions {
  /** See {@link NeuralNetworkOptions.hidden}. */
  readonly hidden: readonly number[];
  /** See {@link NeuralNetworkOptions.activation}. */
  readonly activation: 'relu' | 'tanh';
  /** See {@link NeuralNetworkOptions.learningRate}. */
  readonly learningRate: number;
  /** See {@link NeuralNetworkOptions.batchSize}. */
  readonly batchSize: number;
  /** See {@link NeuralNetworkOptions.maxEpochs}. */
  readonly maxEpochs: number;
  /** See {@link NeuralNetworkOptions.l2}. */
  readonly l2: number;
  /** See {@link NeuralNetworkOptions.tolerance}. */
  readonly tolerance: number;
  /** See {@link NeuralNetworkOptions.patience}. */
  readonly patience: number;
  /** See {@link NeuralNetworkOptions.earlyStopping}. */
  readonly earlyStopping: boolean;
  /** See {@link NeuralNetworkOptions.validationFraction}. */
  readonly validationFraction: number;
  /** See {@link NeuralNetworkOptions.seed}. */
  readonly seed: number;
  /** See {@link NeuralNetworkOptions.maxWork}. */
  readonly maxWork: number;
}

/**
 * How training ended.
 *
 * @example
 * ```ts
 * import { NeuralNetwork } from '@crm/churn';
 * const { epochs, lossCurve } = NeuralNetwork.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { maxEpochs: 5 }).report;
 * ```
 */
export interface NeuralNetworkReport {
  /** True when training stopped because the monitored loss stopped improving, not at `maxEpochs`. */
  readonly converged: boolean;
  /** Epochs run. */
  readonly epochs: number;
  /** Training loss (log loss plus the L2 term) of each epoch. */
  readonly lossCurve: readonly number[];
  /** Validation log loss of each epoch (empty without early stopping). */
  readonly validationCurve: readonly number[];
}

/**
 * JSON form of a {@link NeuralNetwork}.
 *
 * @example
 * ```ts
 * import { NeuralNetwork, type NeuralNetworkJson } from '@crm/churn';
 * const json: NeuralNetworkJson = NeuralNetwork.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { maxEpochs: 5 }).toJSON();
 * ```
 */
export interface NeuralNetworkJson {
  /** Always `'crm.churn.neural-network'`. */
  readonly kind: 'crm.churn.neural-network';
  /** Format version, 1. */
  readonly version: 1;
  /** The fit options. */
  readonly options: NeuralNetworkResolvedOptions;
  /** Layer sizes from input to output: `[p, ...hidden, 1]`. */
  readonly layers: number[];
  /** Weights of each layer, row-major (input unit × output unit). */
  readonly weights: number[][];
  /** Biases of each layer. */
  readonly biases: number[][];
  /** The training report. */
  readonly report: NeuralNetworkReport;
}

const KIND = 'crm.churn.neural-network';
const OPTION_KEYS = [
  'hidden',
  'activation',
  'learningRate',
  'batchSize',
  'maxEpochs',
  'l2',
  'tolerance',
  'patience',
  'earlyStopping',
  'validationFraction',
  'seed',
  'maxWork',
] as const;
/** Default of `maxWork`: epochs × rows × weights a fit may take (minutes on one core). */
const DEFAULT_MAX_WORK = 1e11;
// Adam's constants (Kingma & Ba 2015), as scikit-learn.
const BETA1 = 0.9;
const BETA2 = 0.999;
const ADAM_EPS = 1e-8;
const MAX_UNITS = 4096;

function resolveOptions(options: unknown): NeuralNetworkResolvedOptions {
  const o = readOptions(options, OPTION_KEYS, 'NeuralNetwork.fit');
  const hidden = o.hidden ?? [16];
  if (!Array.isArray(hidden) || hidden.length < 1 || hidden.length > 2 || !isLayerSizes(hidden)) {
    throw new CrmError('invalid_argument', `option hidden must list one or two layer sizes (integers 1–${MAX_UNITS}), got ${JSON.stringify(hidden)}`, [
      'options',
      'hidden',
    ]);
  }
  return {
    hidden: hidden.slice(),
    activation: enumOption(o, 'activation', 'relu', ['relu', 'tanh']),
    learningRate: numberOption(o, 'learningRate', 0.001, { min: 0, minExclusive: true, max: 10 }),
    batchSize: numberOption(o, 'batchSize', 200, { min: 1, integer: true }),
    maxEpochs: numberOption(o, 'maxEpochs', 200, { min: 1, max: 100000, integer: true }),
    l2: numberOption(o, 'l2', 1e-4, { min: 0, max: 1e6 }),
    tolerance: numberOption(o, 'tolerance', 1e-4, { min: 0, max: 1e6 }),
    patience: numberOption(o, 'patience', 10, { min: 1, integer: true, max: 100000 }),
    earlyStopping: booleanOption(o, 'earlyStopping', false),
    validationFraction: numberOption(o, 'validationFraction', 0.1, { min: 0, max: 1, minExclusive: true }),
    seed: numberOption(o, 'seed', 0, { integer: true }),
    maxWork: numberOption(o, 'maxWork', DEFAULT_MAX_WORK, { min: 1 }),
  };
}

/** Every entry present (no holes) and an integer unit count in 1…MAX_UNITS. */
function isLayerSizes(sizes: readonly unknown[]): sizes is number[] {
  for (let i = 0; i < sizes.length; i++) {
    const h = sizes[i];
    if (typeof h !== 'number' || !Number.isInteger(h) || h < 1 || h > MAX_UNITS) return false;
  }
  return true;
}

/**
 * A small multilayer perceptron for churn probability: one or two hidden layers (ReLU or tanh),
 * a logistic output, log loss with an L2 penalty, trained by Adam on shuffled mini-batches with
 * scikit-learn's `MLPClassifier` defaults and initialisation (Glorot uniform). Training stops when
 * the loss has not improved by `tolerance` for `patience` epochs, on the training rows or, with
 * `earlyStopping`, on a stratified validation split whose best weights are kept. The first layer
 * skips zero inputs, so one-hot designs train at the speed of their non-zeros.
 * Cost O(epochs · n · (nnz + units) · units); maxEpochs × rows × weights is checked against
 * `maxWork` (default 1e11) before training starts.
 *
 * @example
 * ```ts
 * import { NeuralNetwork } from '@crm/churn';
 * const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
 * const y = [0, 1, 1, 0];
 * const net = NeuralNetwork.fit(X, y, { hidden: [8], learningRate: 0.05, maxEpochs: 500, seed: 3 });
 * net.predictProba(X); // Float64Array of four probabilities
 * net.report.epochs;   // epochs run
 * ```
 * @throws {CrmError} `invalid_input` for an empty, ragged or non-finite X; `invalid_labels` for bad
 * or one-class labels; `invalid_argument` for bad options; `limit_exceeded` at
 * `['options', 'maxWork']` past that limit; `non_finite_result` when training diverges (inputs
 * too extreme for double precision: scale them first).
 * @see https://scikit-learn.org/stable/modules/neural_networks_supervised.html
 */
export class NeuralNetwork implements Classifier {
  /** Always `'crm.churn.neural-network'`. */
  readonly kind: 'crm.churn.neural-network' = KIND;
  /** The classes, `[0, 1]`; probabilities are those of class 1. */
  readonly classes: readonly [0, 1] = [0, 1];
  /** The fit options with defaults filled in. */
  readonly options: NeuralNetworkResolvedOptions;
  /** Number of features. */
  readonly nFeatures: number;
  /** Layer sizes from input to output: `[p, ...hidden, 1]`. */
  readonly layers: readonly number[];
  /** How training ended. */
  readonly report: NeuralNetworkReport;
  readonly #weights: readonly Float64Array[];
  readonly #biases: readonly Float64Array[];

  private constructor(
    options: NeuralNetworkResolvedOptions,
    layers: readonly number[],
    weights: readonly Float64Array[],
    biases: readonly Float64Array[],
    report: NeuralNetworkReport,
  ) {
    this.options = { ...options, hidden: options.hidden.slice() };
    this.layers = layers.slice();
    this.nFeatures = layers[0] as number;
    this.#weights = weights;
    this.#biases = biases;
    this.report = {
      converged: report.converged,
      epochs: report.epochs,
      lossCurve: report.lossCurve.slice(),
      validationCurve: report.validationCurve.slice(),
    };
    freezeModel(this);
  }

  /**
   * Trains a network on rows `X` and 0/1 (or boolean) labels `y`.
   *
   * @example
   * ```ts
   * import { NeuralNetwork } from '@crm/churn';
   * const net = NeuralNetwork.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { hidden: [4], seed: 1 });
   * ```
   */
  static fit(X: Rows, y: Labels, options?: NeuralNetworkOptions): NeuralNetwork {
    const opts = resolveOptions(options);
    const { m, y: labels } = trainingData(X, y, undefined);
    const layers = [m.cols, ...opts.hidden, 1];
    let weightCount = 0;
    for (let l = 0; l + 1 < layers.length; l++) weightCount += ((layers[l] as number) + 1) * (layers[l + 1] as number);
    checkCost(opts.maxEpochs * m.rows * weightCount, opts.maxWork, 'maxWork', `training ${weightCount} weights for ${opts.maxEpochs} epochs on ${m.rows} rows`, 'weight updates (epochs × rows × weights)');
    const rng = createRng(opts.seed);
    const net = initialise(layers, opts.activation, rng);
    let trainRows: number[];
    let validRows: number[] = [];
    if (opts.earlyStopping) {
      const split = stratifiedSplitIndices(labels, opts.validationFraction, rng.split());
      trainRows = split.train;
      validRows = split.test;
      if (validRows.length === 0 || trainRows.length === 0) {
        throw new CrmError('invalid_input', `too few rows (${m.rows}) for a validation split of ${opts.validationFraction}`, ['X']);
      }
    } else {
      trainRows = Array.from({ length: m.rows }, (_, i) => i);
    }
    const report = train(net, m.data, m.cols, labels, Int32Array.from(trainRows), Int32Array.from(validRows), opts, rng);
    for (let l = 0; l < net.W.length; l++) {
      finiteResults(net.W[l] as Float64Array, `the fitted weights of layer ${l + 1}`, ['X']);
      finiteResults(net.b[l] as Float64Array, `the fitted biases of layer ${l + 1}`, ['X']);
    }
    return new NeuralNetwork(opts, layers, net.W, net.b, report);
  }

  /**
   * Restores a network from {@link NeuralNetwork.toJSON} output, checking every value.
   *
   * @throws {CrmError} `invalid_json` for foreign, tampered or incomplete JSON.
   * @example
   * ```ts
   * import { NeuralNetwork } from '@crm/churn';
   * const net = NeuralNetwork.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { maxEpochs: 5 });
   * const copy = NeuralNetwork.fromJSON(JSON.parse(JSON.stringify(net)));
   * ```
   */
  static fromJSON(json: unknown): NeuralNetwork {
    const obj = readModelJson(json, KIND, 1);
    const options = readJsonOptions(obj, resolveOptions);
    const layers = readNumberArray(obj, 'layers', [], options.hidden.length + 2);
    if (
      !layers.every((s) => Number.isInteger(s) && s >= 1) ||
      layers[layers.length - 1] !== 1 ||
      options.hidden.some((h, i) => layers[i + 1] !== h)
    ) {
      throw new CrmError('invalid_json', 'layers must be [features, ...options.hidden, 1]', ['layers']);
    }
    const rawW = obj['weights'];
    const rawB = obj['biases'];
    if (!Array.isArray(rawW) || rawW.length !== layers.length - 1) throw new CrmError('invalid_json', 'one weight array per layer expected', ['weights']);
    if (!Array.isArray(rawB) || rawB.length !== layers.length - 1) throw new CrmError('invalid_json', 'one bias array per layer expected', ['biases']);
    const W: Float64Array[] = [];
    const b: Float64Array[] = [];
    for (let l = 0; l < layers.length - 1; l++) {
      const inUnits = layers[l] as number;
      const outUnits = layers[l + 1] as number;
      W.push(Float64Array.from(readNumberArray({ w: rawW[l] as unknown }, 'w', ['weights', l], inUnits * outUnits)));
      b.push(Float64Array.from(readNumberArray({ b: rawB[l] as unknown }, 'b', ['biases', l], outUnits)));
    }
    const r = readObject(obj['report'], ['report']);
    const report: NeuralNetworkReport = {
      converged: readBoolean(r, 'converged', ['report']),
      epochs: readNumber(r, 'epochs', ['report'], { min: 0, max: options.maxEpochs, integer: true }),
      lossCurve: readNumberArray(r, 'lossCurve', ['report']),
      validationCurve: readNumberArray(r, 'validationCurve', ['report']),
    };
    return new NeuralNetwork(options, layers, W, b, report);
  }

  /**
   * Probability of class 1 for each row.
   *
   * @throws {CrmError} `invalid_input` when X is ragged, non-finite or has the wrong number of columns.
   * @example
   * ```ts
   * import { NeuralNetwork } from '@crm/churn';
   * NeuralNetwork.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { seed: 1 }).predictProba([[3]]);
   * ```
   */
  predictProba(X: Rows): Float64Array {
    const m = toDenseMatrix(X, { cols: this.nFeatures });
    const net: Net = { layers: this.layers, W: this.#weights, b: this.#biases, act: this.options.activation === 'relu' ? 0 : 1 };
    const a = net.layers.map((s) => new Float64Array(s));
    const out = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) out[i] = sigmoid(forwardDense(net, m.data, i * m.cols, a));
    // Extreme inputs (or extreme weights from JSON) can overflow a hidden unit: Infinity − Infinity.
    return finiteResults(out, 'the predicted probabilities', ['X']);
  }

  /**
   * Labels at a threshold on the probability (default 0.5).
   *
   * @example
   * ```ts
   * import { NeuralNetwork } from '@crm/churn';
   * NeuralNetwork.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { seed: 1 }).predict([[0], [3]]);
   * ```
   */
  predict(X: Rows, threshold = 0.5): Uint8Array {
    return thresholdProba(this.predictProba(X), threshold);
  }

  /**
   * Plain JSON data for storage; {@link NeuralNetwork.fromJSON} restores the network.
   *
   * @example
   * ```ts
   * import { NeuralNetwork } from '@crm/churn';
   * JSON.stringify(NeuralNetwork.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { maxEpochs: 5 }));
   * ```
   */
  toJSON(): NeuralNetworkJson {
    return {
      kind: KIND,
      version: 1,
      options: { ...this.options, hidden: this.options.hidden.slice() },
      layers: this.layers.slice(),
      weights: this.#weights.map((w) => Array.from(w)),
      biases: this.#biases.map((b) => Array.from(b)),
      report: {
        converged: this.report.converged,
        epochs: this.report.epochs,
        lossCurve: this.report.lossCurve.slice(),
        validationCurve: this.report.validationCurve.slice(),
      },
    };
  }
}

interface Net {
  readonly layers: readonly number[];
  readonly W: readonly Float64Array[];
  readonly b: readonly Float64Array[];
  /** 0 for ReLU, 1 for tanh. */
  readonly act: number;
}

function initialise(layers: readonly number[], activation: 'relu' | 'tanh', rng: Rng): Net {
  const W: Float64Array[] = [];
  const b: Float64Array[] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    const fanIn = layers[l] as number;
    const fanOut = layers[l + 1] as number;
    // Glorot uniform with scikit-learn's factor 6 (for ReLU and tanh alike).
    const bound = Math.sqrt(6 / (fanIn + fanOut));
    const w = new Float64Array(fanIn * fanOut);
    for (let k = 0; k < w.length; k++) w[k] = (2 * rng.uniform() - 1) * bound;
    const bb = new Float64Array(fanOut);
    for (let k = 0; k < bb.length; k++) bb[k] = (2 * rng.uniform() - 1) * bound;
    W.push(w);
    b.push(bb);
  }
  return { layers, W, b, act: activation === 'relu' ? 0 : 1 };
}

/** Output log-odds for one dense row; fills the activations `a`. */
function forwardDense(net: Net, X: Float64Array, off: number, a: Float64Array[]): number {
  const input = a[0] as Float64Array;
  for (let k = 0; k < input.length; k++) input[k] = X[off + k] as number;
  return forwardFrom(net, a);
}

/** Output log-odds for one row given by its non-zero entries; fills `a[1…]` (not `a[0]`). */
function forwardSparse(net: Net, X: Float64Array, off: number, nzIdx: Int32Array, nz0: number, nz1: number, a: Float64Array[]): number {
  const out = a[1] as Float64Array;
  const W = net.W[0] as Float64Array;
  const nOut = out.length;
  out.set(net.b[0] as Float64Array);
  for (let e = nz0; e < nz1; e++) {
    const k = nzIdx[e] as number;
    const x = X[off + k] as number;
    const row = k * nOut;
    let j = 0;
    for (; j + 3 < nOut; j += 4) {
      out[j] += x * (W[row + j] as number);
      out[j + 1] += x * (W[row + j + 1] as number);
      out[j + 2] += x * (W[row + j + 2] as number);
      out[j + 3] += x * (W[row + j + 3] as number);
    }
    for (; j < nOut; j++) out[j] += x * (W[row + j] as number);
  }
  const L = net.layers.length - 1;
  if (L === 1) return out[0] as number;
  activate(out, net.act);
  return forwardFrom(net, a, 1);
}

function forwardFrom(net: Net, a: Float64Array[], first = 0): number {
  const L = net.layers.length - 1;
  for (let l = first; l < L; l++) {
    const inp = a[l] as Float64Array;
    const out = a[l + 1] as Float64Array;
    const W = net.W[l] as Float64Array;
    const nOut = out.length;
    out.set(net.b[l] as Float64Array);
    for (let k = 0; k < inp.length; k++) {
      const x = inp[k] as number;
      if (x === 0) continue;
      const row = k * nOut;
      for (let j = 0; j < nOut; j++) out[j] += x * (W[row + j] as number);
    }
    if (l + 1 < L) activate(out, net.act);
  }
  return (a[L] as Float64Array)[0] as number;
}

function activate(v: Float64Array, act: number): void {
  if (act === 0) {
    for (let j = 0; j < v.length; j++) if ((v[j] as number) < 0) v[j] = 0;
  } else {
    for (let j = 0; j < v.length; j++) v[j] = portableTanh(v[j] as number);
  }
}

/** Log loss of one row from its log-odds, without overflow. */
function rowLoss(z: number, y: number): number {
  const softplus = z > 0 ? z + portableLog1p(portableExp(-z)) : portableLog1p(portableExp(z));
  return softplus - y * z;
}

function train(
  net: Net,
  X: Float64Array,
  p: number,
  y: Uint8Array,
  trainRows: Int32Array,
  validRows: Int32Array,
  opts: NeuralNetworkResolvedOptions,
  rng: Rng,
): NeuralNetworkReport {
  const L = net.layers.length - 1;
  const a = net.layers.map((s) => new Float64Array(s));
  const delta = net.layers.map((s) => new Float64Array(s));
  const gW = net.W.map((w) => new Float64Array(w.length));
  const gb = net.b.map((b) => new Float64Array(b.length));
  const mW = net.W.map((w) => new Float64Array(w.length));
  const vW = net.W.map((w) => new Float64Array(w.length));
  const mb = net.b.map((b) => new Float64Array(b.length));
  const vb = net.b.map((b) => new Float64Array(b.length));
  // Non-zero inputs of each row: the first layer's forward and backward passes only touch them.
  const nzStart = new Int32Array(y.length + 1);
  const nzCols: number[] = [];
  for (let i = 0; i < y.length; i++) {
    nzStart[i] = nzCols.length;
    for (let k = 0; k < p; k++) if (X[i * p + k] !== 0) nzCols.push(k);
  }
  nzStart[y.length] = nzCols.length;
  const nzIdx = Int32Array.from(nzCols);

  const n = trainRows.length;
  const batch = Math.min(opts.batchSize, n);
  const order = Int32Array.from(trainRows);
  const lossCurve: number[] = [];
  const validationCurve: number[] = [];
  let best = Infinity;
  let stall = 0;
  let step = 0;
  let converged = false;
  let bestW: Float64Array[] | undefined;
  let bestB: Float64Array[] | undefined;

  for (let epoch = 0; epoch < opts.maxEpochs; epoch++) {
    // Fisher–Yates shuffle of the batch order.
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(0, i + 1);
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    let epochLoss = 0;
    for (let start = 0; start < n; start += batch) {
      const end = Math.min(start + batch, n);
      const bs = end - start;
      for (let l = 0; l < L; l++) {
        (gW[l] as Float64Array).fill(0);
        (gb[l] as Float64Array).fill(0);
      }
      let batchLoss = 0;
      for (let s = start; s < end; s++) {
        const r = order[s] as number;
        const off = r * p;
        const nz0 = nzStart[r] as number;
        const nz1 = nzStart[r + 1] as number;
        // Forward; the input layer is sparse.
        const z = forwardSparse(net, X, off, nzIdx, nz0, nz1, a);
        const yr = y[r] as number;
        batchLoss += rowLoss(z, yr);
        // Backward: output delta p − y, then through the hidden layers.
        (delta[L] as Float64Array)[0] = sigmoid(z) - yr;
        for (let l = L - 1; l >= 0; l--) {
          const d = delta[l + 1] as Float64Array;
          const W = net.W[l] as Float64Array;
          const g = gW[l] as Float64Array;
          const gbl = gb[l] as Float64Array;
          const nOut = d.length;
          for (let j = 0; j < nOut; j++) gbl[j] += d[j] as number;
          if (l === 0) {
            accumulateSparse(g, X, off, nzIdx, nz0, nz1, d);
          } else {
            const dPrev = delta[l] as Float64Array;
            const inp = a[l] as Float64Array;
            for (let k = 0; k < inp.length; k++) {
              const x = inp[k] as number;
              const row = k * nOut;
              let back = 0;
              for (let j = 0; j < nOut; j++) {
                g[row + j] += x * (d[j] as number);
                back += (W[row + j] as number) * (d[j] as number);
              }
              // Derivative of the activation, from its output.
              dPrev[k] = net.act === 0 ? (x > 0 ? back : 0) : back * (1 - x * x);
            }
          }
        }
      }
      // Penalty as scikit-learn: (alpha / 2)·‖W‖² per batch, divided by the batch size.
      let sq = 0;
      for (let l = 0; l < L; l++) {
        const W = net.W[l] as Float64Array;
        for (let k = 0; k < W.length; k++) sq += (W[k] as number) * (W[k] as number);
      }
      epochLoss += batchLoss + 0.5 * opts.l2 * sq;
      // Adam update with bias correction folded into the step size.
      step++;
      const lrT = (opts.learningRate * Math.sqrt(1 - portablePow(BETA2, step))) / (1 - portablePow(BETA1, step));
      for (let l = 0; l < L; l++) {
        adam(net.W[l] as Float64Array, gW[l] as Float64Array, mW[l] as Float64Array, vW[l] as Float64Array, bs, opts.l2, lrT);
        adam(net.b[l] as Float64Array, gb[l] as Float64Array, mb[l] as Float64Array, vb[l] as Float64Array, bs, 0, lrT);
      }
    }
    const loss = epochLoss / n;
    lossCurve.push(loss);
    let monitored = loss;
    if (validRows.length > 0) {
      let vl = 0;
      for (let k = 0; k < validRows.length; k++) {
        const r = validRows[k] as number;
        vl += rowLoss(forwardDense(net, X, r * p, a), y[r] as number);
      }
      monitored = vl / validRows.length;
      validationCurve.push(monitored);
    }
    if (!Number.isFinite(monitored)) {
      throw new CrmError('not_converged', `training diverged at epoch ${epoch + 1} (loss ${monitored}): lower learningRate or scale the features`);
    }
    if (monitored > best - opts.tolerance) stall++;
    else stall = 0;
    if (monitored < best) {
      best = monitored;
      if (validRows.length > 0) {
        bestW = net.W.map((w) => w.slice());
        bestB = net.b.map((b) => b.slice());
      }
    }
    if (stall > opts.patience) {
      converged = true;
      break;
    }
  }
  if (bestW && bestB) {
    for (let l = 0; l < L; l++) {
      (net.W[l] as Float64Array).set(bestW[l] as Float64Array);
      (net.b[l] as Float64Array).set(bestB[l] as Float64Array);
    }
  }
  return { converged, epochs: lossCurve.length, lossCurve, validationCurve };
}

/** Adds the outer product of a sparse input row and the next layer's deltas to the gradient. */
function accumulateSparse(g: Float64Array, X: Float64Array, off: number, nzIdx: Int32Array, nz0: number, nz1: number, d: Float64Array): void {
  const nOut = d.length;
  for (let e = nz0; e < nz1; e++) {
    const k = nzIdx[e] as number;
    const x = X[off + k] as number;
    const row = k * nOut;
    let j = 0;
    // Unrolled by four: the hidden layers are narrow, so loop overhead is a large share.
    for (; j + 3 < nOut; j += 4) {
      g[row + j] += x * (d[j] as number);
      g[row + j + 1] += x * (d[j + 1] as number);
      g[row + j + 2] += x * (d[j + 2] as number);
      g[row + j + 3] += x * (d[j + 3] as number);
    }
    for (; j < nOut; j++) g[row + j] += x * (d[j] as number);
  }
}

function adam(w: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, bs: number, l2: number, lr: number): void {
  for (let k = 0; k < w.length; k++) {
    const grad = ((g[k] as number) + l2 * (w[k] as number)) / bs;
    const mk = BETA1 * (m[k] as number) + (1 - BETA1) * grad;
    const vk = BETA2 * (v[k] as number) + (1 - BETA2) * grad * grad;
    m[k] = mk;
    v[k] = vk;
    w[k] = (w[k] as number) - (lr * mk) / (Math.sqrt(vk) + ADAM_EPS);
  }
}
