import { CrmError, readNumberArray, readObject } from '@crm/core';
import { readIntArray } from './checks.ts';
import type { TreeArrays } from './tree-builder.ts';

/**
 * JSON form of one fitted tree: parallel arrays over the nodes in pre-order.
 *
 * @example
 * ```ts
 * import { DecisionTree, type TreeJson } from '@crm/churn';
 * const nodes: TreeJson = DecisionTree.fit([[0], [1], [2], [3]], [0, 0, 1, 1]).toJSON().tree;
 * nodes.threshold[0]; // 1.5
 * ```
 */
export interface TreeJson {
  /** Feature tested at each node; −1 at a leaf. */
  readonly feature: number[];
  /** Rows with feature value ≤ threshold go left. 0 at a leaf. */
  readonly threshold: number[];
  /** Index of the left child; −1 at a leaf. */
  readonly left: number[];
  /** Index of the right child; −1 at a leaf. */
  readonly right: number[];
  /** Probability of class 1 at each node. */
  readonly value: number[];
  /**
   * Weighted training rows at each node (format version 2 on; what `explain` averages over).
   * Absent in format-1 JSON, whose models predict but cannot explain.
   */
  readonly cover?: number[];
}

/** Relative mismatch allowed between a node's cover and the sum of its children's (rounding of weighted sums). */
const COVER_TOLERANCE = 1e-9;

/** Plain arrays of a tree. */
export function treeToJson(t: TreeArrays): TreeJson {
  return {
    feature: Array.from(t.feature),
    threshold: Array.from(t.threshold),
    left: Array.from(t.left),
    right: Array.from(t.right),
    value: Array.from(t.value),
    ...(t.cover === undefined ? {} : { cover: Array.from(t.cover) }),
  };
}

/**
 * Reads and checks a tree: every internal node has a feature in range and two children with
 * larger indices, every node but the root has exactly one parent, leaves have no children, and
 * probabilities lie in [0, 1]. So a loaded tree always terminates and never reads out of range.
 * With `withCover` (format version 2 on), every node's cover must be a positive finite number.
 */
export function treeFromJson(json: unknown, path: readonly (string | number)[], nFeatures: number, withCover: boolean): TreeArrays {
  const obj = readObject(json, path);
  const value = readNumberArray(obj, 'value', path);
  const size = value.length;
  if (size === 0) throw new CrmError('invalid_json', 'a tree needs at least one node', [...path, 'value']);
  const feature = readIntArray(obj, 'feature', path, size, -1, nFeatures - 1);
  const left = readIntArray(obj, 'left', path, size, -1, size - 1);
  const right = readIntArray(obj, 'right', path, size, -1, size - 1);
  const threshold = Float64Array.from(readNumberArray(obj, 'threshold', path, size));
  for (let i = 0; i < size; i++) {
    const v = value[i] as number;
    if (!(v >= 0 && v <= 1)) throw new CrmError('invalid_json', `node ${i} has probability ${v} outside [0, 1]`, [...path, 'value', i]);
  }
  checkTreeLinks(feature, left, right, path);
  const tree = { feature, threshold, left, right, value: Float64Array.from(value), importance: new Float64Array(nFeatures) };
  if (!withCover) return tree;
  const cover = readNumberArray(obj, 'cover', path, size);
  for (let i = 0; i < size; i++) {
    // Every node of a fitted tree holds rows of positive weight; a zero cover would make the
    // shares TreeSHAP divides by undefined.
    if (!((cover[i] as number) > 0)) throw new CrmError('invalid_json', `node ${i} has cover ${cover[i]}; covers are positive row weights`, [...path, 'cover', i]);
  }
  for (let i = 0; i < size; i++) {
    const f = feature[i] as number;
    if (f < 0) continue;
    // A node's rows are its children's rows: the shares TreeSHAP takes (child over parent) must
    // add up to 1, up to the rounding of summing weights in another order.
    const c = cover[i] as number;
    const sum = (cover[left[i] as number] as number) + (cover[right[i] as number] as number);
    if (!(Math.abs(sum - c) <= COVER_TOLERANCE * c)) {
      throw new CrmError('invalid_json', `node ${i} has cover ${c} but its children ${sum}; a node's rows are its children's rows`, [...path, 'cover', i]);
    }
  }
  return { ...tree, cover: Float64Array.from(cover) };
}

/**
 * Checks that node arrays form one tree: a leaf (feature −1) has no children, an internal node has
 * two distinct children after it, and every node but the root is reached exactly once, so walking
 * the tree always terminates and never reads out of range. Shared by every tree model's JSON.
 */
export function checkTreeLinks(feature: Int32Array, left: Int32Array, right: Int32Array, path: readonly (string | number)[]): void {
  const size = feature.length;
  const parents = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const l = left[i] as number;
    const r = right[i] as number;
    if ((feature[i] as number) < 0) {
      if (l !== -1 || r !== -1) throw new CrmError('invalid_json', `leaf ${i} has children`, [...path, 'left', i]);
      continue;
    }
    if (l <= i || r <= i || l === r) {
      throw new CrmError('invalid_json', `node ${i} must have two distinct children after it`, [...path, 'left', i]);
    }
    parents[l]++;
    parents[r]++;
  }
  for (let i = 0; i < size; i++) {
    if ((parents[i] as number) !== (i === 0 ? 0 : 1)) {
      throw new CrmError('invalid_json', `node ${i} is not reached exactly once from the root`, [...path, 'left']);
    }
  }
}
