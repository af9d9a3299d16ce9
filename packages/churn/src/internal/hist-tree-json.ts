import { CrmError, readNumberArray, readObject } from '@crm/core';
import { readIntArray } from './checks.ts';
import type { HistTree } from './hist-grower.ts';
import { checkTreeLinks } from './tree-json.ts';

/**
 * JSON form of one boosted tree: parallel arrays over the nodes, every child after its parent.
 *
 * @example
 * ```ts
 * import { GradientBoosting, type BoostedTreeJson } from '@crm/churn';
 * const X = [[0], [1], [2], [3], [4], [5]];
 * const model = GradientBoosting.fit(X, [0, 0, 0, 1, 1, 1], { maxIter: 2, minSamplesLeaf: 1 });
 * const first: BoostedTreeJson = model.toJSON().trees[0]!;
 * ```
 */
export interface BoostedTreeJson {
  /** Feature tested at each node; −1 at a leaf. */
  readonly feature: number[];
  /** x ≤ threshold goes left; `null` for "every value goes left, only NaN may go right"; 0 at a leaf. */
  readonly threshold: (number | null)[];
  /** Index of the left child; −1 at a leaf. */
  readonly left: number[];
  /** Index of the right child; −1 at a leaf. */
  readonly right: number[];
  /** Raw (log-odds) output at each node, learning rate applied. */
  readonly value: number[];
  /** Sum of the training rows' weights reaching each node. */
  readonly cover: number[];
  /** 1 where NaN goes left, 0 where it goes right. */
  readonly defaultLeft: number[];
}

/** Plain arrays of a tree. */
export function histTreeToJson(t: HistTree): BoostedTreeJson {
  return {
    feature: Array.from(t.feature),
    threshold: Array.from(t.threshold, (v) => (v === Infinity ? null : v)),
    left: Array.from(t.left),
    right: Array.from(t.right),
    value: Array.from(t.value),
    cover: Array.from(t.cover),
    defaultLeft: Array.from(t.defaultLeft),
  };
}

/**
 * Reads and checks a boosted tree: features in range, two distinct children after each internal
 * node, every node but the root reached exactly once, finite values, non-negative covers. So a
 * loaded tree always terminates and never reads out of range.
 */
export function histTreeFromJson(json: unknown, path: readonly (string | number)[], nFeatures: number): HistTree {
  const obj = readObject(json, path);
  const value = readNumberArray(obj, 'value', path);
  const size = value.length;
  if (size === 0) throw new CrmError('invalid_json', 'a tree needs at least one node', [...path, 'value']);
  const feature = readIntArray(obj, 'feature', path, size, -1, nFeatures - 1);
  const left = readIntArray(obj, 'left', path, size, -1, size - 1);
  const right = readIntArray(obj, 'right', path, size, -1, size - 1);
  const defaultLeft = Uint8Array.from(readIntArray(obj, 'defaultLeft', path, size, 0, 1));
  const cover = Float64Array.from(readNumberArray(obj, 'cover', path, size));
  const rawThreshold = Object.prototype.hasOwnProperty.call(obj, 'threshold') ? obj['threshold'] : undefined;
  if (!Array.isArray(rawThreshold) || rawThreshold.length !== size) {
    throw new CrmError('invalid_json', `expected ${size} thresholds (numbers or null)`, [...path, 'threshold']);
  }
  const threshold = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const th: unknown = rawThreshold[i];
    if (th === null) threshold[i] = Infinity;
    else if (typeof th === 'number' && Number.isFinite(th)) threshold[i] = th;
    else throw new CrmError('invalid_json', `threshold ${i} must be a finite number or null`, [...path, 'threshold', i]);
    if (!((cover[i] as number) >= 0)) throw new CrmError('invalid_json', `cover ${i} must be non-negative`, [...path, 'cover', i]);
  }
  checkTreeLinks(feature, left, right, path);
  return { feature, threshold, left, right, value: Float64Array.from(value), cover, defaultLeft };
}
