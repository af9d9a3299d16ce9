import {
  CrmError,
  booleanOption,
  checkCost,
  createRng,
  freezeModel,
  numberOption,
  ownValue,
  readModelJson,
  readNumber,
  readNumberArray,
  readObject,
  readOptions,
  toDenseMatrix,
} from '@crm/core';
import type { Classifier } from './classifier.ts';
import type { Explanation } from './explanation.ts';
import { explainTrees } from './internal/tree-explain.ts';
import type { DecisionTreeOptions, DecisionTreeResolvedOptions } from './decision-tree.ts';
import { TREE_OPTION_KEYS, normaliseImportance, resolveTreeOptions } from './internal/tree-options.ts';
import { readJsonOptions, rowWeights, thresholdProba, trainingData, type Labels, type Rows } from './internal/checks.ts';
import { codeFeatures, growTree, treeProba, type TreeArrays } from './internal/tree-builder.ts';
import { treeFromJson, treeToJson, type TreeJson } from './internal/tree-json.ts';
import { treeText, type TreeTextOptions } from './internal/tree-text.ts';
import { rocAucChecked } from './metrics/roc-auc.ts';

/**
 * Options of {@link RandomForest.fit}: those of a tree plus the ensemble's own.
 *
 * @example
 * ```ts
 * import type { RandomForestOptions } from '@crm/churn';
 * const options: RandomForestOptions = { trees: 200, maxFeatures: 'sqrt', minSamplesLeaf: 5, seed: 7 };
 * ```
 */
export interface RandomForestOptions extends DecisionTreeOptions {
  /** Number of trees (default 100). */
  readonly trees?: number;
  /**
   * Features tried at each split: `'sqrt'` (default, ⌊√p⌋), `'log2'` (⌊log₂ p⌋), `'all'`, or a count.
   * Drawing goes on while the drawn features are constant in the node, as in scikit-learn.
   */
  readonly maxFeatures?: 'sqrt' | 'log2' | 'all' | number;
  /** Grow each tree on a bootstrap sample of the rows (default true); otherwise on all rows. */
  readonly bootstrap?: boolean;
  /** Compute the out-of-bag score (default false; needs `bootstrap`). */
  readonly oobScore?: boolean;
  /** Seed of the random generator (default 0). Same seed, same forest. */
  readonly seed?: number;
  /**
   * Most rows grown over the whole forest, trees × training rows (default 50,000,000). Time and
   * memory grow with it (a tree grown until pure keeps up to 2·rows − 1 nodes), so a larger
   * forest on more rows stops with `limit_exceeded` before growing anything; raise it when the
   * machine allows.
   */
  readonly maxTreeRows?: number;
}

/**
 * Options as the fitted forest echoes them, defaults filled in.
 *
 * @example
 * ```ts
 * import { RandomForest } from '@crm/churn';
 * RandomForest.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { trees: 5 }).options.maxFeatures; // 'sqrt'
 * ```
 */
export interface RandomForestResolvedOptions extends DecisionTreeResolvedOptions {
  /** See {@link RandomForestOptions.trees}. */
  readonly trees: number;
  /** See {@link RandomForestOptions.maxFeatures}. */
  readonly maxFeatures: 'sqrt' | 'log2' | 'all' | number;
  /** See {@link RandomForestOptions.bootstrap}. */
  readonly bootstrap: boolean;
  /** See {@link RandomForestOptions.oobScore}. */
  readonly oobScore: boolean;
  /** See {@link RandomForestOptions.seed}. */
  readonly seed: number;
  /** See {@link RandomForestOptions.maxTreeRows}. */
  readonly maxTreeRows: number;
}

/**
 * Out-of-bag evaluation: each row scored only by the trees that did not see it.
 *
 * @example
 * ```ts
 * import { RandomForest } from '@crm/churn';
 * const X = [[0], [1], [2], [3], [4], [5]];
 * RandomForest.fit(X, [0, 0, 0, 1, 1, 1], { trees: 20, oobScore: true }).oob; // { accuracy, rocAuc, coverage }
 * ```
 */
export interface OutOfBagScore {
  /** Accuracy at threshold 0.5 on the rows with at least one out-of-bag tree. */
  readonly accuracy: number;
  /** ROC AUC on those rows (`null` when they hold one class only). */
  readonly rocAuc: number | null;
  /** Share of rows with at least one out-of-bag tree (≈ 1 − e^(−trees·0.37)). */
  readonly coverage: number;
}

/**
 * JSON form of a {@link RandomForest}.
 *
 * @example
 * ```ts
 * import { RandomForest, type RandomForestJson } from '@crm/churn';
 * const json: RandomForestJson = RandomForest.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { trees: 3 }).toJSON();
 * ```
 */
export interface RandomForestJson {
  /** Always `'crm.churn.random-forest'`. */
  readonly kind: 'crm.churn.random-forest';
  /** Format version: 2 (with node covers); 1 for a model loaded from format-1 JSON, which cannot explain. */
  readonly version: 1 | 2;
  /** The fit options (`maxDepth: null` for unlimited). */
  readonly options: Omit<RandomForestResolvedOptions, 'maxDepth'> & {
    /** Deepest split level; `null` for unlimited (JSON has no Infinity). */
    readonly maxDepth: number | null;
  };
  /** Number of features. */
  readonly nFeatures: number;
  /** Mean normalised impurity importance per feature. */
  readonly featureImportances: number[];
  /** Out-of-bag score, when computed. */
  readonly oob: OutOfBagScore | null;
  /** The trees. */
  readonly trees: TreeJson[];
}

const KIND = 'crm.churn.random-forest';
/** Format 2 adds the node covers `explain` needs; format 1 still loads and predicts. */
const VERSION = 2;
const OPTION_KEYS = [...TREE_OPTION_KEYS, 'trees', 'maxFeatures', 'bootstrap', 'oobScore', 'seed', 'maxTreeRows'] as const;
/** Default of `maxTreeRows`: 100 trees on 500,000 rows, about a minute of growing and a few hundred MB. */
const DEFAULT_MAX_TREE_ROWS = 50_000_000;

function resolveOptions(options: unknown): RandomForestResolvedOptions {
  const o = readOptions(options, OPTION_KEYS, 'RandomForest.fit');
  const tree = resolveTreeOptions(o);
  const mf = o.maxFeatures ?? 'sqrt';
  if (!(mf === 'sqrt' || mf === 'log2' || mf === 'all' || (typeof mf === 'number' && Number.isInteger(mf) && mf >= 1))) {
    throw new CrmError('invalid_argument', `option maxFeatures must be 'sqrt', 'log2', 'all' or a positive integer, got ${JSON.stringify(mf)}`, [
      'options',
      'maxFeatures',
    ]);
  }
  const bootstrap = booleanOption(o, 'bootstrap', true);
  const oobScore = booleanOption(o, 'oobScore', false);
  if (oobScore && !bootstrap) {
    throw new CrmError('invalid_argument', 'oobScore needs bootstrap: without it no row is out of bag', ['options', 'oobScore']);
  }
  return {
    ...tree,
    trees: numberOption(o, 'trees', 100, { min: 1, max: 100000, integer: true }),
    maxFeatures: mf,
    bootstrap,
    oobScore,
    seed: numberOption(o, 'seed', 0, { integer: true }),
    maxTreeRows: numberOption(o, 'maxTreeRows', DEFAULT_MAX_TREE_ROWS, { min: 1 }),
  };
}

function featuresPerSplit(option: RandomForestResolvedOptions['maxFeatures'], p: number): number {
  if (option === 'all') return p;
  if (option === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(p)));
  if (option === 'log2') return Math.max(1, Math.floor(Math.log2(p)));
  return Math.min(option, p);
}

/**
 * Random forest (Breiman 2001): CART trees grown on bootstrap samples, each split choosing among
 * a random subset of the features, probabilities averaged over the trees (scikit-learn's
 * `RandomForestClassifier`). The features are rank-coded once for the whole forest. Every tree
 * gets its own random stream, split off the seeded generator before any tree grows, so tree i is
 * the same whether trees are grown in order, in parallel or in another process: same seed, same
 * forest. Cost about O(trees · depth · √p · n) time and O(trees · n) memory; trees × rows is
 * checked against `maxTreeRows` (default 50,000,000) before any tree grows.
 *
 * @example
 * ```ts
 * import { RandomForest } from '@crm/churn';
 * const X = [[1, 20], [2, 35], [3, 50], [4, 22], [5, 60], [6, 41], [7, 30], [8, 55]];
 * const y = [1, 1, 0, 1, 0, 0, 1, 0];
 * const forest = RandomForest.fit(X, y, { trees: 50, seed: 7, oobScore: true });
 * forest.predictProba([[2, 25]]);   // Float64Array [p]
 * forest.featureImportances;        // [·, ·], summing to 1
 * forest.oob?.accuracy;             // out-of-bag accuracy
 * ```
 * @throws {CrmError} `invalid_input` for an empty, ragged or non-finite X; `invalid_labels` for bad
 * or one-class labels; `invalid_argument` for bad options; `limit_exceeded` at
 * `['options', 'maxTreeRows']` when trees × rows exceeds it.
 * @see https://doi.org/10.1023/A:1010933404324
 */
export class RandomForest implements Classifier {
  /** Always `'crm.churn.random-forest'`. */
  readonly kind: 'crm.churn.random-forest' = KIND;
  /** The classes, `[0, 1]`; probabilities are those of class 1. */
  readonly classes: readonly [0, 1] = [0, 1];
  /** The fit options with defaults filled in. */
  readonly options: RandomForestResolvedOptions;
  /** Number of features. */
  readonly nFeatures: number;
  /** Mean impurity decrease per feature over the trees, normalised to sum 1 (scikit-learn's `feature_importances_`). */
  readonly featureImportances: readonly number[];
  /** Out-of-bag score when `oobScore` was set, else `null`. */
  readonly oob: OutOfBagScore | null;
  /** Number of trees. */
  readonly treeCount: number;
  readonly #trees: readonly TreeArrays[];

  private constructor(
    options: RandomForestResolvedOptions,
    nFeatures: number,
    trees: readonly TreeArrays[],
    importances: readonly number[],
    oob: OutOfBagScore | null,
  ) {
    this.options = Object.freeze({ ...options });
    this.nFeatures = nFeatures;
    this.#trees = trees;
    this.treeCount = trees.length;
    this.featureImportances = Object.freeze(importances.slice());
    this.oob = oob === null ? null : { ...oob };
    freezeModel(this);
  }

  /**
   * Grows the forest on rows `X` and 0/1 (or boolean) labels `y`.
   *
   * @example
   * ```ts
   * import { RandomForest } from '@crm/churn';
   * const forest = RandomForest.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { trees: 10, seed: 1 });
   * ```
   */
  static fit(X: Rows, y: Labels, options?: RandomForestOptions): RandomForest {
    const opts = resolveOptions(options);
    const { m, y: labels } = trainingData(X, y, undefined);
    const n = m.rows;
    checkCost(opts.trees * n, opts.maxTreeRows, 'maxTreeRows', `a forest of ${opts.trees} trees on ${n} rows`, 'tree rows');
    const classW = rowWeights(labels, opts.classWeight ?? undefined);
    const coded = codeFeatures(m.data, n, m.cols, true);
    const params = { ...opts, maxFeatures: featuresPerSplit(opts.maxFeatures, m.cols) };
    const root = createRng(opts.seed);
    const streams = Array.from({ length: opts.trees }, () => root.split());
    const trees: TreeArrays[] = [];
    const oobSum = opts.oobScore ? new Float64Array(n) : undefined;
    const oobCount = opts.oobScore ? new Int32Array(n) : undefined;
    const counts = new Float64Array(n);
    const weight = new Float64Array(n);
    for (const rng of streams) {
      if (opts.bootstrap) {
        counts.fill(0);
        for (let k = 0; k < n; k++) counts[rng.int(0, n)]++;
      } else counts.fill(1);
      // Class weights are scaled by the bootstrap counts, as scikit-learn's
      // class_weight='balanced' with bootstrap (weights from the whole training set).
      for (let i = 0; i < n; i++) weight[i] = (counts[i] as number) * (classW[i] as number);
      const tree = growTree(coded, labels, weight, params, rng);
      trees.push(tree);
      if (oobSum && oobCount) {
        for (let i = 0; i < n; i++) {
          if (counts[i] !== 0) continue;
          oobSum[i] += treeProba(tree, m.data, i * m.cols);
          oobCount[i]++;
        }
      }
    }
    const oob = oobSum && oobCount ? outOfBag(oobSum, oobCount, labels) : null;
    return new RandomForest(opts, m.cols, trees, meanImportance(trees, m.cols), oob);
  }

  /**
   * Restores a forest from {@link RandomForest.toJSON} output, checking every tree.
   *
   * @throws {CrmError} `invalid_json` for foreign, tampered or incomplete JSON.
   * @example
   * ```ts
   * import { RandomForest } from '@crm/churn';
   * const forest = RandomForest.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { trees: 5 });
   * const copy = RandomForest.fromJSON(JSON.parse(JSON.stringify(forest)));
   * ```
   */
  static fromJSON(json: unknown): RandomForest {
    const version = json !== null && typeof json === 'object' && ownValue(json as Record<string, unknown>, 'version') === 1 ? 1 : VERSION;
    const obj = readModelJson(json, KIND, version);
    const options = readJsonOptions(obj, resolveOptions);
    const nFeatures = obj['nFeatures'];
    if (typeof nFeatures !== 'number' || !Number.isInteger(nFeatures) || nFeatures < 1) {
      throw new CrmError('invalid_json', 'nFeatures must be a positive integer', ['nFeatures']);
    }
    const importances = readNumberArray(obj, 'featureImportances', [], nFeatures);
    const rawTrees = obj['trees'];
    if (!Array.isArray(rawTrees) || rawTrees.length !== options.trees) {
      throw new CrmError('invalid_json', `expected ${options.trees} trees`, ['trees']);
    }
    // An index loop, not map: map skips the holes of a sparse array (`Array(3)`), which would
    // load and then fail at predict time.
    const trees: TreeArrays[] = [];
    for (let i = 0; i < rawTrees.length; i++) trees.push(treeFromJson(rawTrees[i] as unknown, ['trees', i], nFeatures, version >= 2));
    let oob: OutOfBagScore | null = null;
    if (obj['oob'] !== null && obj['oob'] !== undefined) {
      const o = readObject(obj['oob'], ['oob']);
      const auc = o['rocAuc'];
      if (auc !== null && (typeof auc !== 'number' || !(auc >= 0 && auc <= 1))) {
        throw new CrmError('invalid_json', 'oob.rocAuc must be a number in [0, 1] or null', ['oob', 'rocAuc']);
      }
      const accuracy = readNumber(o, 'accuracy', ['oob'], { min: 0, max: 1 });
      const coverage = readNumber(o, 'coverage', ['oob'], { min: 0, max: 1 });
      oob = { accuracy, rocAuc: auc, coverage };
    }
    return new RandomForest(options, nFeatures, trees, importances, oob);
  }

  /**
   * Probability of class 1 for each row: the mean of the trees' leaf probabilities.
   *
   * @throws {CrmError} `invalid_input` when X is ragged, non-finite or has the wrong number of columns.
   * @example
   * ```ts
   * import { RandomForest } from '@crm/churn';
   * RandomForest.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { trees: 10 }).predictProba([[3]]); // Float64Array [p]
   * ```
   */
  predictProba(X: Rows): Float64Array {
    const m = toDenseMatrix(X, { cols: this.nFeatures });
    const out = new Float64Array(m.rows);
    for (const tree of this.#trees) {
      for (let i = 0; i < m.rows; i++) out[i] += treeProba(tree, m.data, i * m.cols);
    }
    const k = this.#trees.length;
    for (let i = 0; i < m.rows; i++) out[i] = (out[i] as number) / k;
    return out;
  }

  /**
   * Exact per-row explanation of the forest's probability: TreeSHAP (Lundberg et al. 2018,
   * path-dependent) of every tree, averaged as the probabilities are. Each tree's reference rows
   * are its in-bag rows (bootstrap counts times class weights, as scikit-learn records them and
   * shap uses), and `base + Σ contributions = probability` on every row. O(rows · trees · leaves · depth²).
   *
   * @throws {CrmError} `invalid_input` when X is ragged, non-finite or has the wrong number of
   * columns (with the path); `invalid_argument` for a forest loaded from format-1 JSON (refit it).
   * @example
   * ```ts
   * import { RandomForest } from '@crm/churn';
   * const forest = RandomForest.fit([[0, 1], [1, 0], [2, 1], [3, 0]], [0, 0, 1, 1], { trees: 10, seed: 1 });
   * const e = forest.explain([[2.5, 0]]);
   * e.base + e.contributions[0][0] + e.contributions[0][1]; // e.output[0], the probability
   * ```
   */
  explain(X: Rows): Explanation {
    return explainTrees(this.#trees, X, this.nFeatures, 'RandomForest');
  }

  /**
   * Labels at a threshold on the probability (default 0.5).
   *
   * @example
   * ```ts
   * import { RandomForest } from '@crm/churn';
   * RandomForest.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { trees: 10 }).predict([[0], [3]]);
   * ```
   */
  predict(X: Rows, threshold = 0.5): Uint8Array {
    return thresholdProba(this.predictProba(X), threshold);
  }

  /**
   * The rules of each tree as indented text, one string per tree, as scikit-learn's
   * `export_text(forest.estimators_[i])` prints them (see {@link DecisionTree.toText}: same format
   * and options; `class` is each tree's majority class on its bootstrap sample). Costs O(nodes).
   *
   * @throws {CrmError} `invalid_argument` for names that are not one string per feature, or bad options.
   * @example
   * ```ts
   * import { RandomForest } from '@crm/churn';
   * const forest = RandomForest.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { trees: 3, seed: 1 });
   * const texts = forest.toText(['tenure'], { maxDepth: 2 });
   * texts.length; // 3
   * texts[0].startsWith('|--- '); // true
   * ```
   */
  toText(featureNames?: readonly string[], options?: TreeTextOptions): string[] {
    return this.#trees.map((t) => treeText(t, this.nFeatures, featureNames, options, 'RandomForest.toText'));
  }

  /**
   * Plain JSON data for storage; {@link RandomForest.fromJSON} restores the forest.
   *
   * @example
   * ```ts
   * import { RandomForest } from '@crm/churn';
   * JSON.stringify(RandomForest.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { trees: 3 }));
   * ```
   */
  toJSON(): RandomForestJson {
    return {
      kind: KIND,
      version: this.#trees.every((t) => t.cover !== undefined) ? VERSION : 1,
      options: { ...this.options, maxDepth: this.options.maxDepth === Infinity ? null : this.options.maxDepth },
      nFeatures: this.nFeatures,
      featureImportances: this.featureImportances.slice(),
      oob: this.oob === null ? null : { ...this.oob },
      trees: this.#trees.map(treeToJson),
    };
  }
}

function meanImportance(trees: readonly TreeArrays[], p: number): number[] {
  // As scikit-learn: average the normalised importances of the trees that split at all.
  const sum = new Float64Array(p);
  let used = 0;
  for (const t of trees) {
    if (t.value.length <= 1) continue;
    const imp = normaliseImportance(t.importance);
    for (let j = 0; j < p; j++) sum[j] += imp[j] as number;
    used++;
  }
  if (used === 0) return Array.from(sum);
  return normaliseImportance(sum);
}

function outOfBag(sum: Float64Array, count: Int32Array, y: Uint8Array): OutOfBagScore {
  const idx: number[] = [];
  for (let i = 0; i < y.length; i++) if ((count[i] as number) > 0) idx.push(i);
  if (idx.length === 0) return { accuracy: 0, rocAuc: null, coverage: 0 };
  const p = new Float64Array(idx.length);
  const yy = new Uint8Array(idx.length);
  let correct = 0;
  let ones = 0;
  idx.forEach((i, k) => {
    p[k] = (sum[i] as number) / (count[i] as number);
    yy[k] = y[i] as number;
    ones += y[i] as number;
    if (((p[k] as number) >= 0.5 ? 1 : 0) === y[i]) correct++;
  });
  return {
    accuracy: correct / idx.length,
    rocAuc: ones === 0 || ones === idx.length ? null : rocAucChecked(yy, p),
    coverage: idx.length / y.length,
  };
}
