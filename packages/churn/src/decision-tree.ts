import { CrmError, freezeModel, ownValue, readModelJson, readNumberArray, readOptions, toDenseMatrix } from '@crm/core';
import type { Classifier } from './classifier.ts';
import type { Explanation } from './explanation.ts';
import {
  readJsonOptions,
  thresholdProba,
  trainingData,
  type ClassWeight,
  type Labels,
  type Rows,
} from './internal/checks.ts';
import { codeFeatures, growTree, treeProba, type TreeArrays } from './internal/tree-builder.ts';
import { TREE_OPTION_KEYS, normaliseImportance, resolveTreeOptions } from './internal/tree-options.ts';
import { treeFromJson, treeToJson, type TreeJson } from './internal/tree-json.ts';
import { treeText, type TreeTextOptions } from './internal/tree-text.ts';
import { explainTrees } from './internal/tree-explain.ts';

/**
 * Options of {@link DecisionTree.fit}.
 *
 * @example
 * ```ts
 * import type { DecisionTreeOptions } from '@crm/churn';
 * const options: DecisionTreeOptions = { maxDepth: 6, minSamplesLeaf: 20, criterion: 'entropy' };
 * ```
 */
export interface DecisionTreeOptions {
  /** Split quality: `'gini'` (default) or `'entropy'` (information gain). */
  readonly criterion?: 'gini' | 'entropy';
  /** Deepest level of a split; the root is depth 0 (default `Infinity`: grow until pure). */
  readonly maxDepth?: number;
  /** Fewest rows a node needs to be split (default 2). */
  readonly minSamplesSplit?: number;
  /** Fewest rows in each child of a split (default 1). */
  readonly minSamplesLeaf?: number;
  /**
   * Split only when the weighted impurity decrease, (W_t / W)·(i_t − W_L/W_t·i_L − W_R/W_t·i_R),
   * is at least this (default 0), as scikit-learn's `min_impurity_decrease`.
   */
  readonly minImpurityDecrease?: number;
  /** Weights of the classes (`'balanced'` or `{ 0: w0, 1: w1 }`); default none. */
  readonly classWeight?: ClassWeight | undefined;
}

/**
 * Options as the fitted tree echoes them, defaults filled in.
 *
 * @example
 * ```ts
 * import { DecisionTree } from '@crm/churn';
 * DecisionTree.fit([[0], [1], [2], [3]], [0, 0, 1, 1]).options.maxDepth; // Infinity
 * ```
 */
export interface DecisionTreeResolvedOptions {
  /** See {@link DecisionTreeOptions.criterion}. */
  readonly criterion: 'gini' | 'entropy';
  /** See {@link DecisionTreeOptions.maxDepth}; `Infinity` when unlimited (`null` in JSON). */
  readonly maxDepth: number;
  /** See {@link DecisionTreeOptions.minSamplesSplit}. */
  readonly minSamplesSplit: number;
  /** See {@link DecisionTreeOptions.minSamplesLeaf}. */
  readonly minSamplesLeaf: number;
  /** See {@link DecisionTreeOptions.minImpurityDecrease}. */
  readonly minImpurityDecrease: number;
  /** `null` when the classes are not weighted. */
  readonly classWeight: ClassWeight | null;
}

/**
 * JSON form of a {@link DecisionTree}.
 *
 * @example
 * ```ts
 * import { DecisionTree, type DecisionTreeJson } from '@crm/churn';
 * const json: DecisionTreeJson = DecisionTree.fit([[0], [1], [2], [3]], [0, 0, 1, 1]).toJSON();
 * ```
 */
export interface DecisionTreeJson {
  /** Always `'crm.churn.decision-tree'`. */
  readonly kind: 'crm.churn.decision-tree';
  /** Format version: 2 (with node covers); 1 for a model loaded from format-1 JSON, which cannot explain. */
  readonly version: 1 | 2;
  /** The fit options (`maxDepth: null` for unlimited). */
  readonly options: Omit<DecisionTreeResolvedOptions, 'maxDepth'> & {
    /** Deepest split level; `null` for unlimited (JSON has no Infinity). */
    readonly maxDepth: number | null;
  };
  /** Number of features. */
  readonly nFeatures: number;
  /** Normalised impurity importance per feature. */
  readonly featureImportances: number[];
  /** The nodes. */
  readonly tree: TreeJson;
}

const KIND = 'crm.churn.decision-tree';
/** Format 2 adds the node covers `explain` needs; format 1 still loads and predicts. */
const VERSION = 2;
function resolveOptions(options: unknown): DecisionTreeResolvedOptions {
  return resolveTreeOptions(readOptions(options, TREE_OPTION_KEYS, 'DecisionTree.fit'));
}

/**
 * CART classification tree (Breiman et al. 1984) with Gini or entropy splits, depth and size
 * limits, a minimum impurity decrease and class weights. Features are coded once by rank; each
 * node then finds its best split per feature from a histogram of the codes present (or, when the
 * node has few rows and the feature many values, from its rows in value order: kept in that order
 * down the tree for features with over 256 values, sorted in the node otherwise), so fitting costs
 * about O(p · n log n + depth · p · n) rather than the O(n²) of rescanning rows for every threshold.
 * Splits, thresholds (midpoints) and leaf probabilities follow scikit-learn's
 * `DecisionTreeClassifier`; ties between equally good features go to the lower column index.
 *
 * @example
 * ```ts
 * import { DecisionTree } from '@crm/churn';
 * const X = [[1, 20], [2, 35], [3, 50], [4, 22], [5, 60], [6, 41]];
 * const y = [1, 1, 0, 1, 0, 0];
 * const tree = DecisionTree.fit(X, y, { maxDepth: 2 });
 * tree.predictProba([[2.5, 30]]); // Float64Array [1]
 * tree.depth;                      // 1
 * ```
 * @throws {CrmError} `invalid_input` for an empty, ragged or non-finite X; `invalid_labels` for bad
 * or one-class labels; `invalid_argument` for bad options.
 * @see https://scikit-learn.org/stable/modules/tree.html#mathematical-formulation
 */
export class DecisionTree implements Classifier {
  /** Always `'crm.churn.decision-tree'`. */
  readonly kind: 'crm.churn.decision-tree' = KIND;
  /** The classes, `[0, 1]`; probabilities are those of class 1. */
  readonly classes: readonly [0, 1] = [0, 1];
  /** The fit options with defaults filled in. */
  readonly options: DecisionTreeResolvedOptions;
  /** Number of features. */
  readonly nFeatures: number;
  /** Impurity (Gini/entropy) decrease per feature, normalised to sum 1. */
  readonly featureImportances: readonly number[];
  /** Number of nodes. */
  readonly nodeCount: number;
  /** Depth of the deepest leaf (0 for a single leaf). */
  readonly depth: number;
  readonly #tree: TreeArrays;

  private constructor(options: DecisionTreeResolvedOptions, nFeatures: number, tree: TreeArrays, importances: readonly number[]) {
    this.options = Object.freeze({ ...options });
    this.nFeatures = nFeatures;
    this.#tree = tree;
    this.featureImportances = Object.freeze(importances.slice());
    this.nodeCount = tree.value.length;
    this.depth = treeDepth(tree);
    freezeModel(this);
  }

  /**
   * Grows a tree on rows `X` and 0/1 (or boolean) labels `y`.
   *
   * @example
   * ```ts
   * import { DecisionTree } from '@crm/churn';
   * const tree = DecisionTree.fit([[0], [1], [2], [3]], [0, 0, 1, 1], { maxDepth: 1 });
   * ```
   */
  static fit(X: Rows, y: Labels, options?: DecisionTreeOptions): DecisionTree {
    const opts = resolveOptions(options);
    const { m, y: labels, w } = trainingData(X, y, opts.classWeight ?? undefined);
    const coded = codeFeatures(m.data, m.rows, m.cols);
    const tree = growTree(coded, labels, w, { ...opts, maxFeatures: m.cols }, undefined);
    return new DecisionTree(opts, m.cols, tree, normaliseImportance(tree.importance));
  }

  /**
   * Restores a tree from {@link DecisionTree.toJSON} output, checking every node.
   *
   * @throws {CrmError} `invalid_json` for foreign, tampered or incomplete JSON.
   * @example
   * ```ts
   * import { DecisionTree } from '@crm/churn';
   * const tree = DecisionTree.fit([[0], [1], [2], [3]], [0, 0, 1, 1]);
   * const copy = DecisionTree.fromJSON(JSON.parse(JSON.stringify(tree)));
   * ```
   */
  static fromJSON(json: unknown): DecisionTree {
    const version = json !== null && typeof json === 'object' && ownValue(json as Record<string, unknown>, 'version') === 1 ? 1 : VERSION;
    const obj = readModelJson(json, KIND, version);
    const options = readJsonOptions(obj, resolveOptions);
    const nFeatures = obj['nFeatures'];
    if (typeof nFeatures !== 'number' || !Number.isInteger(nFeatures) || nFeatures < 1) {
      throw new CrmError('invalid_json', 'nFeatures must be a positive integer', ['nFeatures']);
    }
    const importances = readNumberArray(obj, 'featureImportances', [], nFeatures);
    const tree = treeFromJson(obj['tree'], ['tree'], nFeatures, version >= 2);
    return new DecisionTree(options, nFeatures, tree, importances);
  }

  /**
   * Probability of class 1 for each row: the weighted share of class 1 in the row's leaf.
   *
   * @throws {CrmError} `invalid_input` when X is ragged, non-finite or has the wrong number of columns.
   * @example
   * ```ts
   * import { DecisionTree } from '@crm/churn';
   * DecisionTree.fit([[0], [1], [2], [3]], [0, 0, 1, 1]).predictProba([[2.5]]); // Float64Array [1]
   * ```
   */
  predictProba(X: Rows): Float64Array {
    const m = toDenseMatrix(X, { cols: this.nFeatures });
    const out = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) out[i] = treeProba(this.#tree, m.data, i * m.cols);
    return out;
  }

  /**
   * Exact per-row explanation of the predicted probability by TreeSHAP (Lundberg et al. 2018,
   * path-dependent): one contribution per feature and a base value, the training rows' mean
   * probability as the tree's node covers record it, with `base + Σ contributions = probability`.
   * O(rows · leaves · depth²).
   *
   * @throws {CrmError} `invalid_input` when X is ragged, non-finite or has the wrong number of
   * columns (with the path); `invalid_argument` for a tree loaded from format-1 JSON (refit it).
   * @example
   * ```ts
   * import { DecisionTree } from '@crm/churn';
   * const tree = DecisionTree.fit([[0, 1], [1, 0], [2, 1], [3, 0]], [0, 0, 1, 1]);
   * const e = tree.explain([[2.5, 0]]);
   * e.base;             // 0.5
   * e.contributions[0]; // Float64Array [0.5, 0]
   * e.output[0];        // 1
   * ```
   */
  explain(X: Rows): Explanation {
    return explainTrees([this.#tree], X, this.nFeatures, 'DecisionTree');
  }

  /**
   * Labels at a threshold on the probability (default 0.5).
   *
   * @example
   * ```ts
   * import { DecisionTree } from '@crm/churn';
   * DecisionTree.fit([[0], [1], [2], [3]], [0, 0, 1, 1]).predict([[0], [3]]); // Uint8Array [0, 1]
   * ```
   */
  predict(X: Rows, threshold = 0.5): Uint8Array {
    return thresholdProba(this.predictProba(X), threshold);
  }

  /**
   * The decision rules as indented text, exactly as scikit-learn's `export_text` prints the same
   * tree: `|--- name <= threshold` (left branch), `|--- name >  threshold` (right branch),
   * `|--- class: c` at each leaf, where c is the majority class (1 only when P(class 1) > 0.5).
   * Features without names print as `feature_0`, `feature_1`, … Branches below `maxDepth` become
   * one `truncated branch of depth d` line; `showWeights` adds each leaf's weighted class counts
   * (`weights: [w0, w1]`, from the node covers). Costs O(nodes).
   *
   * @throws {CrmError} `invalid_argument` for names that are not one string per feature, bad
   * options, or `showWeights` on a tree loaded from format-1 JSON (no node covers).
   * @example
   * ```ts
   * import { DecisionTree } from '@crm/churn';
   * const tree = DecisionTree.fit([[1, 20], [2, 35], [3, 50], [4, 22]], [1, 1, 0, 0]);
   * console.log(tree.toText(['tenure', 'age']));
   * // |--- tenure <= 2.50
   * // |   |--- class: 1
   * // |--- tenure >  2.50
   * // |   |--- class: 0
   * ```
   */
  toText(featureNames?: readonly string[], options?: TreeTextOptions): string {
    return treeText(this.#tree, this.nFeatures, featureNames, options, 'DecisionTree.toText');
  }

  /**
   * Plain JSON data for storage; {@link DecisionTree.fromJSON} restores the tree.
   *
   * @example
   * ```ts
   * import { DecisionTree } from '@crm/churn';
   * DecisionTree.fit([[0], [1], [2], [3]], [0, 0, 1, 1]).toJSON().tree.feature; // [0, -1, -1]
   * ```
   */
  toJSON(): DecisionTreeJson {
    return {
      kind: KIND,
      version: this.#tree.cover === undefined ? 1 : VERSION,
      options: { ...this.options, maxDepth: this.options.maxDepth === Infinity ? null : this.options.maxDepth },
      nFeatures: this.nFeatures,
      featureImportances: this.featureImportances.slice(),
      tree: treeToJson(this.#tree),
    };
  }
}

function treeDepth(t: TreeArrays): number {
  const depth = new Int32Array(t.value.length);
  let max = 0;
  // Pre-order numbering puts every parent before its children.
  for (let i = 0; i < depth.length; i++) {
    if ((t.feature[i] as number) < 0) continue;
    const d = (depth[i] as number) + 1;
    depth[t.left[i] as number] = d;
    depth[t.right[i] as number] = d;
    if (d > max) max = d;
  }
  return max;
}
