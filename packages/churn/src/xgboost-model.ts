import { CrmError, freezeModel, ownValue, portableExp, portableLog, readModelJson, readNumber, readObject, type CrmPath } from '@crm/core';
import type { Classifier } from './classifier.ts';
import type { Explanation } from './explanation.ts';
import { checkThreshold, thresholdProba, type Rows } from './internal/checks.ts';
import { shapContributions } from './internal/tree-explain.ts';
import { shapTreeDepth, treeExpectedValue, type ShapTree } from './internal/tree-shap.ts';

/**
 * One imported tree in our JSON: parallel arrays over the nodes in pre-order (the root first,
 * every child after its parent). Thresholds and leaf values are float32 numbers, as XGBoost
 * stores them.
 *
 * @example
 * ```ts
 * import type { XGBoostTreeJson } from '@crm/churn';
 * const stump: XGBoostTreeJson = {
 *   feature: [0, -1, -1], threshold: [0.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1],
 *   defaultLeft: [1, 0, 0], value: [0, -0.25, 0.5], cover: [10, 6, 4],
 * };
 * ```
 */
export interface XGBoostTreeJson {
  /** Feature tested at each node; −1 at a leaf. */
  readonly feature: number[];
  /** Split condition (float32): a value strictly below it goes left. 0 at a leaf. */
  readonly threshold: number[];
  /** Left child; −1 at a leaf. */
  readonly left: number[];
  /** Right child; −1 at a leaf. */
  readonly right: number[];
  /** 1 where a missing value (NaN) goes left, 0 where it goes right. */
  readonly defaultLeft: number[];
  /** Leaf value (float32 margin, learning rate included); 0 at internal nodes. */
  readonly value: number[];
  /** Sum of the training rows' hessians at each node (XGBoost's `sum_hessian`, its cover). */
  readonly cover: number[];
}

/**
 * JSON form of an {@link XGBoostModel} (our own format, not XGBoost's).
 *
 * @example
 * ```ts
 * import type { XGBoostModelJson } from '@crm/churn';
 * const json: XGBoostModelJson = {
 *   kind: 'crm.churn.xgboost', version: 1, nFeatures: 1, baseScore: 0.5,
 *   trees: [{ feature: [0, -1, -1], threshold: [0.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1],
 *     defaultLeft: [1, 0, 0], value: [0, -0.25, 0.5], cover: [10, 6, 4] }],
 * };
 * ```
 */
export interface XGBoostModelJson {
  /** Always `'crm.churn.xgboost'`. */
  readonly kind: 'crm.churn.xgboost';
  /** Format version, 1. */
  readonly version: 1;
  /** Number of features (XGBoost's `num_feature`). */
  readonly nFeatures: number;
  /** XGBoost's `base_score`: the probability the margin starts from (float32). */
  readonly baseScore: number;
  /** The trees, summed in this order. */
  readonly trees: XGBoostTreeJson[];
}

const KIND = 'crm.churn.xgboost';
/** Deeper trees are refused: XGBoost's own depth limits stay far below, and explain recurses once per level. */
const MAX_TREE_DEPTH = 1000;

interface Tree extends ShapTree {
  readonly defaultLeft: Uint8Array;
  readonly strict: true;
}

/**
 * A gradient-boosted tree model trained by XGBoost (`binary:logistic` objective, `gbtree`
 * booster) and loaded from the JSON of its `save_model('model.json')`, scored in TypeScript
 * as XGBoost scores it: every feature value is cast to float32 and goes left when it is
 * strictly below the float32 split condition, a missing value (NaN) follows the node's default
 * direction, the margin starts from `logit(base_score)` and adds the leaves in float32, and the
 * probability is its logistic transform. Predictions equal XGBoost 1.7's `predict_proba` to
 * float32 rounding. `explain` gives the exact path-dependent TreeSHAP values of the margin,
 * those of XGBoost's `predict(pred_contribs=True)`.
 *
 * Its own module, so bundles that do not import it do not carry it.
 *
 * @example
 * ```ts
 * import { XGBoostModel } from '@crm/churn';
 * // What XGBoost writes for one stump on one feature (the fields the loader reads):
 * const saved = {
 *   learner: {
 *     learner_model_param: { base_score: '5E-1', num_feature: '1' },
 *     objective: { name: 'binary:logistic' },
 *     gradient_booster: { name: 'gbtree', model: { trees: [{
 *       left_children: [1, -1, -1], right_children: [2, -1, -1], split_indices: [0, 0, 0],
 *       split_conditions: [0.5, -0.4, 0.6], default_left: [1, 0, 0], sum_hessian: [10, 6, 4],
 *       base_weights: [0.1, -0.4, 0.6],
 *     }] } },
 *   },
 * };
 * const model = XGBoostModel.fromXGBoost(saved);
 * model.decisionFunction([[0], [1], [NaN]]); // Float64Array [-0.4, 0.6, -0.4] (float32 values)
 * model.predictProba([[1]]);                 // Float64Array [0.6456…]
 * ```
 * @throws {CrmError} `invalid_json` for another objective or booster, categorical splits, or a
 * malformed model (with the path of the offending field).
 * @see https://xgboost.readthedocs.io/en/stable/tutorials/saving_model.html
 */
export class XGBoostModel implements Classifier {
  /** Always `'crm.churn.xgboost'`. */
  readonly kind: 'crm.churn.xgboost' = KIND;
  /** The classes, `[0, 1]`; probabilities are those of class 1. */
  readonly classes: readonly [0, 1] = [0, 1];
  /** Number of features a row must have. */
  readonly nFeatures: number;
  /** XGBoost's `base_score` (a probability, float32). */
  readonly baseScore: number;
  /** Number of trees. */
  readonly nTrees: number;
  readonly #trees: readonly Tree[];
  readonly #baseMargin: number;

  private constructor(nFeatures: number, baseScore: number, trees: readonly Tree[]) {
    this.nFeatures = nFeatures;
    this.baseScore = baseScore;
    this.nTrees = trees.length;
    this.#trees = trees;
    this.#baseMargin = baseMargin(baseScore);
    freezeModel(this);
  }

  /**
   * Reads a model saved by XGBoost's `Booster.save_model('m.json')` (or `XGBClassifier.save_model`),
   * parsed with `JSON.parse`. Only the `gbtree` booster with the `binary:logistic` objective and
   * numerical splits is supported.
   *
   * @throws {CrmError} `invalid_json` naming what is unsupported or malformed, with its path.
   * @example
   * ```ts
   * import { XGBoostModel } from '@crm/churn';
   * const model = XGBoostModel.fromXGBoost({
   *   learner: {
   *     learner_model_param: { base_score: '5E-1', num_feature: '2' },
   *     objective: { name: 'binary:logistic' },
   *     gradient_booster: { name: 'gbtree', model: { trees: [{
   *       left_children: [-1], right_children: [-1], split_indices: [0], split_conditions: [0.25],
   *       default_left: [0], sum_hessian: [3], base_weights: [0.25],
   *     }] } },
   *   },
   * });
   * model.nTrees; // 1
   * ```
   */
  static fromXGBoost(json: unknown): XGBoostModel {
    const root = readObject(json, []);
    const learner = readObject(ownValue(root, 'learner'), ['learner']);
    const objective = readObject(ownValue(learner, 'objective'), ['learner', 'objective']);
    const objectiveName = ownValue(objective, 'name');
    if (objectiveName !== 'binary:logistic') {
      throw new CrmError(
        'invalid_json',
        `XGBoost objective ${JSON.stringify(objectiveName) ?? 'none'} is not supported: only 'binary:logistic' models (a binary XGBClassifier) can be loaded`,
        ['learner', 'objective', 'name'],
      );
    }
    const booster = readObject(ownValue(learner, 'gradient_booster'), ['learner', 'gradient_booster']);
    const boosterName = ownValue(booster, 'name');
    if (boosterName !== 'gbtree') {
      throw new CrmError(
        'invalid_json',
        `XGBoost booster ${JSON.stringify(boosterName) ?? 'none'} is not supported: only 'gbtree' models can be loaded (not 'dart' or 'gblinear')`,
        ['learner', 'gradient_booster', 'name'],
      );
    }
    const paramPath = ['learner', 'learner_model_param'];
    const param = readObject(ownValue(learner, 'learner_model_param'), paramPath);
    const baseScore = Math.fround(readXgbNumber(param, 'base_score', paramPath));
    if (!(baseScore > 0 && baseScore < 1)) {
      throw new CrmError('invalid_json', `base_score ${baseScore} must lie strictly between 0 and 1 for binary:logistic`, [...paramPath, 'base_score']);
    }
    const nFeatures = readXgbNumber(param, 'num_feature', paramPath);
    if (!Number.isInteger(nFeatures) || nFeatures < 1) {
      throw new CrmError('invalid_json', `num_feature must be a positive integer, got ${nFeatures}`, [...paramPath, 'num_feature']);
    }
    for (const key of ['num_class', 'num_target']) {
      if (ownValue(param, key) === undefined) continue;
      const v = readXgbNumber(param, key, paramPath);
      if (v > 1) throw new CrmError('invalid_json', `${key} is ${v}: only single-output binary models are supported`, [...paramPath, key]);
    }
    const modelPath = ['learner', 'gradient_booster', 'model'];
    const model = readObject(ownValue(booster, 'model'), modelPath);
    const trees = ownValue(model, 'trees');
    if (!Array.isArray(trees)) throw new CrmError('invalid_json', 'expected an array of trees', [...modelPath, 'trees']);
    const info = ownValue(model, 'tree_info');
    if (info !== undefined && (!Array.isArray(info) || info.some((g) => g !== 0))) {
      throw new CrmError('invalid_json', 'tree_info must list output group 0 for every tree (a binary model has one group)', [...modelPath, 'tree_info']);
    }
    const out = trees.map((t: unknown, i) => readXgbTree(t, [...modelPath, 'trees', i], nFeatures));
    return new XGBoostModel(nFeatures, baseScore, out);
  }

  /**
   * Restores a model from {@link XGBoostModel.toJSON} output, checking every node.
   *
   * @throws {CrmError} `invalid_json` for foreign, tampered or incomplete JSON.
   * @example
   * ```ts
   * import { XGBoostModel } from '@crm/churn';
   * const model = XGBoostModel.fromJSON({
   *   kind: 'crm.churn.xgboost', version: 1, nFeatures: 1, baseScore: 0.5,
   *   trees: [{ feature: [0, -1, -1], threshold: [0.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1],
   *     defaultLeft: [1, 0, 0], value: [0, -0.25, 0.5], cover: [10, 6, 4] }],
   * });
   * model.predict([[0], [1]]); // Uint8Array [0, 1]
   * ```
   */
  static fromJSON(json: unknown): XGBoostModel {
    const obj = readModelJson(json, KIND, 1);
    const nFeatures = readNumber(obj, 'nFeatures', [], { min: 1, integer: true });
    const baseScore = readNumber(obj, 'baseScore', [], { min: 0, max: 1 });
    if (!(baseScore > 0 && baseScore < 1) || Math.fround(baseScore) !== baseScore) {
      throw new CrmError('invalid_json', `baseScore ${baseScore} must be a float32 number strictly between 0 and 1`, ['baseScore']);
    }
    const trees = ownValue(obj, 'trees');
    if (!Array.isArray(trees)) throw new CrmError('invalid_json', 'expected an array of trees', ['trees']);
    return new XGBoostModel(nFeatures, baseScore, trees.map((t: unknown, i) => readOwnTree(t, ['trees', i], nFeatures)));
  }

  /**
   * The margin (log-odds) of each row: `logit(base_score)` plus the leaf value of every tree,
   * added in float32 as XGBoost does (`predict(output_margin=True)`).
   *
   * @throws {CrmError} `invalid_input` when X is not an array of rows of `nFeatures` numbers, or holds ±Infinity.
   * @example
   * ```ts
   * import { XGBoostModel } from '@crm/churn';
   * const model = XGBoostModel.fromJSON({
   *   kind: 'crm.churn.xgboost', version: 1, nFeatures: 1, baseScore: 0.5,
   *   trees: [{ feature: [0, -1, -1], threshold: [0.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1],
   *     defaultLeft: [1, 0, 0], value: [0, -0.25, 0.5], cover: [10, 6, 4] }],
   * });
   * model.decisionFunction([[0], [NaN]]); // Float64Array [-0.25, -0.25]
   * ```
   */
  decisionFunction(X: Rows): Float64Array {
    const { data, rows } = float32Rows(X, this.nFeatures);
    const p = this.nFeatures;
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let margin = this.#baseMargin;
      for (const tree of this.#trees) margin = Math.fround(margin + (tree.value[leafOf(tree, data, i * p)] as number));
      out[i] = margin;
    }
    return out;
  }

  /**
   * Probability of class 1 for each row: the logistic function of the margin, in float32 as
   * XGBoost's `predict_proba(X)[:, 1]`.
   *
   * @throws {CrmError} `invalid_input` as {@link XGBoostModel.decisionFunction}.
   * @example
   * ```ts
   * import { XGBoostModel } from '@crm/churn';
   * const model = XGBoostModel.fromJSON({
   *   kind: 'crm.churn.xgboost', version: 1, nFeatures: 1, baseScore: 0.5,
   *   trees: [{ feature: [0, -1, -1], threshold: [0.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1],
   *     defaultLeft: [1, 0, 0], value: [0, -0.25, 0.5], cover: [10, 6, 4] }],
   * });
   * model.predictProba([[1]]); // Float64Array [0.6224…]
   * ```
   */
  predictProba(X: Rows): Float64Array {
    const z = this.decisionFunction(X);
    for (let i = 0; i < z.length; i++) z[i] = float32Sigmoid(z[i] as number);
    return z;
  }

  /**
   * Labels at a threshold on the probability (default 0.5).
   *
   * @example
   * ```ts
   * import { XGBoostModel } from '@crm/churn';
   * const model = XGBoostModel.fromJSON({
   *   kind: 'crm.churn.xgboost', version: 1, nFeatures: 1, baseScore: 0.5,
   *   trees: [{ feature: [0, -1, -1], threshold: [0.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1],
   *     defaultLeft: [1, 0, 0], value: [0, -0.25, 0.5], cover: [10, 6, 4] }],
   * });
   * model.predict([[0], [1]]); // Uint8Array [0, 1]
   * ```
   */
  predict(X: Rows, threshold = 0.5): Uint8Array {
    checkThreshold(threshold);
    return thresholdProba(this.predictProba(X), threshold);
  }

  /**
   * Exact per-row explanations of the margin (log-odds) by path-dependent TreeSHAP (Lundberg et
   * al. 2020), the values of XGBoost's `predict(pred_contribs=True)` (whose last column is
   * `base`). `base + Σ contributions` is the margin summed in float64; it differs from
   * {@link XGBoostModel.decisionFunction} (float32) by float32 rounding only.
   * Costs O(rows · trees · leaves · depth²).
   *
   * @throws {CrmError} `invalid_input` as {@link XGBoostModel.decisionFunction}.
   * @example
   * ```ts
   * import { XGBoostModel } from '@crm/churn';
   * const model = XGBoostModel.fromJSON({
   *   kind: 'crm.churn.xgboost', version: 1, nFeatures: 1, baseScore: 0.5,
   *   trees: [{ feature: [0, -1, -1], threshold: [0.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1],
   *     defaultLeft: [1, 0, 0], value: [0, -0.25, 0.5], cover: [10, 6, 4] }],
   * });
   * const e = model.explain([[1]]);
   * e.base;             // 0.05 (= 0.6 · −0.25 + 0.4 · 0.5)
   * e.contributions[0]; // Float64Array [0.45]
   * ```
   */
  explain(X: Rows): Explanation {
    const { data, rows } = float32Rows(X, this.nFeatures);
    const p = this.nFeatures;
    let base = this.#baseMargin;
    for (const tree of this.#trees) base += treeExpectedValue(tree);
    const rowViews: Float64Array[] = [];
    for (let i = 0; i < rows; i++) rowViews.push(data.subarray(i * p, (i + 1) * p));
    let depth = 0;
    for (const tree of this.#trees) depth = Math.max(depth, shapTreeDepth(tree));
    const contributions = shapContributions(this.#trees, rowViews, p, 1, depth);
    const output = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let sum = base;
      const phi = contributions[i] as Float64Array;
      for (let j = 0; j < p; j++) sum += phi[j] as number;
      output[i] = sum;
    }
    return { scale: 'log-odds', base, contributions, output };
  }


  /**
   * Plain JSON data for storage (our format); {@link XGBoostModel.fromJSON} restores the model.
   *
   * @example
   * ```ts
   * import { XGBoostModel } from '@crm/churn';
   * const json = { kind: 'crm.churn.xgboost', version: 1, nFeatures: 1, baseScore: 0.5, trees: [] };
   * XGBoostModel.fromJSON(json).toJSON().trees.length; // 0
   * ```
   */
  toJSON(): XGBoostModelJson {
    return {
      kind: KIND,
      version: 1,
      nFeatures: this.nFeatures,
      baseScore: this.baseScore,
      trees: this.#trees.map((t) => ({
        feature: Array.from(t.feature),
        threshold: Array.from(t.threshold),
        left: Array.from(t.left),
        right: Array.from(t.right),
        defaultLeft: Array.from(t.defaultLeft),
        value: Array.from(t.value),
        cover: Array.from(t.cover),
      })),
    };
  }
}

/** XGBoost's ProbToMargin for the logistic objective, in float32 arithmetic: −log(1/p − 1). */
function baseMargin(p: number): number {
  return Math.fround(-Math.fround(portableLog(Math.fround(Math.fround(1 / p) - 1))));
}

/** XGBoost's Sigmoid in float32 arithmetic: 1 / (1 + exp(−x)). */
function float32Sigmoid(x: number): number {
  return Math.fround(1 / Math.fround(1 + Math.fround(portableExp(-x))));
}

function leafOf(tree: Tree, data: Float64Array, off: number): number {
  const { feature, threshold, left, right, defaultLeft } = tree;
  let node = 0;
  let f = feature[0] as number;
  while (f >= 0) {
    const v = data[off + f] as number;
    const goLeft = v !== v ? defaultLeft[node] === 1 : v < (threshold[node] as number);
    node = (goLeft ? left[node] : right[node]) as number;
    f = feature[node] as number;
  }
  return node;
}

/** Rows as one float32-rounded matrix (XGBoost's DMatrix is float32); NaN is a missing value. */
function float32Rows(X: Rows, p: number): { readonly data: Float64Array; readonly rows: number } {
  if (!Array.isArray(X)) throw new CrmError('invalid_input', 'X must be an array of rows', ['X']);
  const rows = X.length;
  const data = new Float64Array(rows * p);
  for (let i = 0; i < rows; i++) {
    const row = X[i] as ArrayLike<number> | undefined;
    if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
      throw new CrmError('invalid_input', `X[${i}] is not an array of numbers`, ['X', i]);
    }
    if (row.length !== p) {
      throw new CrmError('invalid_input', `X[${i}] has ${row.length} columns but the model was trained on ${p} features`, ['X', i]);
    }
    for (let j = 0; j < p; j++) {
      const v = row[j];
      if (typeof v !== 'number' || v === Infinity || v === -Infinity) {
        throw new CrmError('invalid_input', `X[${i}][${j}] is ${String(v)}: use finite numbers, or NaN for a missing value`, ['X', i, j]);
      }
      data[i * p + j] = Math.fround(v);
    }
  }
  return { data, rows };
}

/** A number XGBoost writes as a string (`"5E-1"`, `"45"`, `"[5E-1]"` in 2.x) or as a number. */
function readXgbNumber(obj: Readonly<Record<string, unknown>>, key: string, path: CrmPath): number {
  const raw = ownValue(obj, key);
  const text = typeof raw === 'string' ? raw.replace(/^\[(.*)\]$/, '$1').trim() : undefined;
  const v = typeof raw === 'number' ? raw : text !== undefined && text !== '' ? Number(text) : NaN;
  if (!Number.isFinite(v)) throw new CrmError('invalid_json', `expected a number at ${[...path, key].join('.')}`, [...path, key]);
  return v;
}

function readArray(obj: Readonly<Record<string, unknown>>, key: string, path: CrmPath, length?: number): readonly unknown[] {
  const v = ownValue(obj, key);
  if (!Array.isArray(v) || (length !== undefined && v.length !== length)) {
    throw new CrmError('invalid_json', `expected an array${length === undefined ? '' : ` of ${length} values`} at ${[...path, key].join('.')}`, [...path, key]);
  }
  return v;
}

function readFinite(a: readonly unknown[], i: number, at: CrmPath): number {
  const x = a[i];
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new CrmError('invalid_json', `expected a finite number at ${at.join('.')}[${i}]`, [...at, i]);
  return x;
}

function readInt(a: readonly unknown[], i: number, at: CrmPath, min: number, max: number): number {
  const x = a[i];
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) {
    throw new CrmError('invalid_json', `expected an integer in [${min}, ${max}] at ${at.join('.')}[${i}]`, [...at, i]);
  }
  return x;
}

/** Raw node arrays in any order, root at 0. */
interface RawTree {
  readonly n: number;
  readonly left: (i: number) => number;
  readonly right: (i: number) => number;
  readonly feature: (i: number) => number;
  readonly threshold: (i: number) => number;
  readonly value: (i: number) => number;
  readonly defaultLeft: (i: number) => number;
  readonly cover: (i: number) => number;
}

/**
 * Renumbers the nodes reachable from the root in pre-order, checking that every child index is
 * in range and no node is reached twice (so a loaded tree is a tree: scoring always ends).
 */
function preorder(raw: RawTree, path: CrmPath): Tree {
  const order: number[] = [];
  const seen = new Uint8Array(raw.n);
  const depthOf = new Int32Array(raw.n);
  const stack = [0];
  while (stack.length > 0) {
    const node = stack.pop() as number;
    if (seen[node] === 1) throw new CrmError('invalid_json', `node ${node} is reached twice: not a tree`, [...path, 'left']);
    seen[node] = 1;
    order.push(node);
    const l = raw.left(node);
    if (l === -1) continue;
    const r = raw.right(node);
    if (r === -1 || r === l) throw new CrmError('invalid_json', `node ${node} must have two distinct children`, [...path, 'right']);
    const d = (depthOf[node] as number) + 1;
    if (d > MAX_TREE_DEPTH) throw new CrmError('invalid_json', `a tree is deeper than ${MAX_TREE_DEPTH} levels`, path);
    depthOf[l] = d;
    depthOf[r] = d;
    stack.push(r, l);
  }
  const index = new Int32Array(raw.n).fill(-1);
  order.forEach((node, k) => (index[node] = k));
  const m = order.length;
  const tree: Tree = {
    feature: new Int32Array(m),
    threshold: new Float64Array(m),
    left: new Int32Array(m),
    right: new Int32Array(m),
    value: new Float64Array(m),
    cover: new Float64Array(m),
    defaultLeft: new Uint8Array(m),
    strict: true,
  };
  order.forEach((node, k) => {
    const l = raw.left(node);
    (tree.cover as Float64Array)[k] = raw.cover(node);
    if (l === -1) {
      (tree.feature as Int32Array)[k] = -1;
      (tree.left as Int32Array)[k] = -1;
      (tree.right as Int32Array)[k] = -1;
      (tree.value as Float64Array)[k] = raw.value(node);
      return;
    }
    (tree.feature as Int32Array)[k] = raw.feature(node);
    (tree.threshold as Float64Array)[k] = raw.threshold(node);
    (tree.left as Int32Array)[k] = index[l] as number;
    (tree.right as Int32Array)[k] = index[raw.right(node)] as number;
    tree.defaultLeft[k] = raw.defaultLeft(node);
  });
  return tree;
}

function readXgbTree(json: unknown, path: CrmPath, nFeatures: number): Tree {
  const t = readObject(json, path);
  const leftArr = readArray(t, 'left_children', path);
  const n = leftArr.length;
  if (n === 0) throw new CrmError('invalid_json', 'a tree needs at least one node', [...path, 'left_children']);
  const rightArr = readArray(t, 'right_children', path, n);
  const split = readArray(t, 'split_indices', path, n);
  const cond = readArray(t, 'split_conditions', path, n);
  const dflt = readArray(t, 'default_left', path, n);
  const hess = readArray(t, 'sum_hessian', path, n);
  const types = ownValue(t, 'split_type');
  if (types !== undefined && (!Array.isArray(types) || types.some((s) => s !== 0))) {
    throw new CrmError('invalid_json', 'categorical splits are not supported: train with numerical (one-hot) features', [...path, 'split_type']);
  }
  const lPath = [...path, 'left_children'];
  const rPath = [...path, 'right_children'];
  const left = new Int32Array(n);
  const right = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    left[i] = readInt(leftArr, i, lPath, -1, n - 1);
    right[i] = readInt(rightArr, i, rPath, -1, n - 1);
    if ((left[i] === -1) !== (right[i] === -1)) throw new CrmError('invalid_json', `node ${i} has one child`, [...lPath, i]);
    if (left[i] === 0 || right[i] === 0 || (left[i] !== -1 && left[i] === right[i])) {
      throw new CrmError('invalid_json', `node ${i} has children that are not a tree's`, [...lPath, i]);
    }
  }
  const cPath = [...path, 'split_conditions'];
  const dPath = [...path, 'default_left'];
  const hPath = [...path, 'sum_hessian'];
  return preorder(
    {
      n,
      left: (i) => left[i] as number,
      right: (i) => right[i] as number,
      feature: (i) => readInt(split, i, [...path, 'split_indices'], 0, nFeatures - 1),
      threshold: (i) => Math.fround(readFinite(cond, i, cPath)),
      value: (i) => Math.fround(readFinite(cond, i, cPath)),
      defaultLeft: (i) => {
        const d = dflt[i];
        if (d === 1 || d === true) return 1;
        if (d === 0 || d === false) return 0;
        throw new CrmError('invalid_json', `expected 0 or 1 at ${dPath.join('.')}[${i}]`, [...dPath, i]);
      },
      cover: (i) => {
        const h = readFinite(hess, i, hPath);
        if (h < 0) throw new CrmError('invalid_json', `sum_hessian ${h} is negative`, [...hPath, i]);
        return h;
      },
    },
    path,
  );
}

function readOwnTree(json: unknown, path: CrmPath, nFeatures: number): Tree {
  const t = readObject(json, path);
  const valueArr = readArray(t, 'value', path);
  const n = valueArr.length;
  if (n === 0) throw new CrmError('invalid_json', 'a tree needs at least one node', [...path, 'value']);
  const arrays = Object.fromEntries(
    (['feature', 'threshold', 'left', 'right', 'defaultLeft', 'cover'] as const).map((k) => [k, readArray(t, k, path, n)]),
  ) as Record<'feature' | 'threshold' | 'left' | 'right' | 'defaultLeft' | 'cover', readonly unknown[]>;
  const at = (k: string): CrmPath => [...path, k];
  const float32 = (a: readonly unknown[], i: number, k: string): number => {
    const x = readFinite(a, i, at(k));
    if (Math.fround(x) !== x) throw new CrmError('invalid_json', `${k}[${i}] = ${x} is not a float32 number`, [...at(k), i]);
    return x;
  };
  const tree = preorder(
    {
      n,
      left: (i) => readInt(arrays.left, i, at('left'), -1, n - 1),
      right: (i) => readInt(arrays.right, i, at('right'), -1, n - 1),
      feature: (i) => readInt(arrays.feature, i, at('feature'), 0, nFeatures - 1),
      threshold: (i) => float32(arrays.threshold, i, 'threshold'),
      value: (i) => float32(valueArr, i, 'value'),
      defaultLeft: (i) => readInt(arrays.defaultLeft, i, at('defaultLeft'), 0, 1),
      cover: (i) => {
        const c = readFinite(arrays.cover, i, at('cover'));
        if (c < 0) throw new CrmError('invalid_json', `cover ${c} is negative`, [...at('cover'), i]);
        return c;
      },
    },
    path,
  );
  // Our JSON is written in pre-order with every node reachable; anything else was not written by toJSON.
  if (tree.feature.length !== n) throw new CrmError('invalid_json', 'a tree has nodes not reached from the root', [...path, 'left']);
  for (let i = 0; i < n; i++) {
    const l = readInt(arrays.left, i, at('left'), -1, n - 1);
    const r = readInt(arrays.right, i, at('right'), -1, n - 1);
    if ((l === -1) !== (r === -1) || (l !== -1 && (l !== tree.left[i] || r !== tree.right[i]))) {
      throw new CrmError('invalid_json', `node ${i} is not in pre-order`, [...path, 'left', i]);
    }
  }
  return tree;
}
