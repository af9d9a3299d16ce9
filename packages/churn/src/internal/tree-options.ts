import { enumOption, numberOption, type OptionBag } from '@crm/core';
import { checkClassWeight, unboundedOption } from './checks.ts';
import type { DecisionTreeResolvedOptions } from '../decision-tree.ts';

/** Option names of a single tree (the forest adds its own). */
export const TREE_OPTION_KEYS = ['criterion', 'maxDepth', 'minSamplesSplit', 'minSamplesLeaf', 'minImpurityDecrease', 'classWeight'] as const;

/** Checks tree options read by core's `readOptions` (shared with the forest). */
export function resolveTreeOptions(o: OptionBag<(typeof TREE_OPTION_KEYS)[number]>): DecisionTreeResolvedOptions {
  return {
    criterion: enumOption(o, 'criterion', 'gini', ['gini', 'entropy']),
    // Infinity (null in JSON) grows until pure.
    maxDepth: unboundedOption(o, 'maxDepth', Infinity, { min: 0, integer: true }),
    minSamplesSplit: numberOption(o, 'minSamplesSplit', 2, { min: 2, integer: true }),
    minSamplesLeaf: numberOption(o, 'minSamplesLeaf', 1, { min: 1, integer: true }),
    minImpurityDecrease: numberOption(o, 'minImpurityDecrease', 0, { min: 0 }),
    classWeight: checkClassWeight(o.classWeight) ?? null,
  };
}

/** Impurity importances normalised to sum 1 (all 0 for a tree without splits). */
export function normaliseImportance(raw: Float64Array): number[] {
  let s = 0;
  for (let j = 0; j < raw.length; j++) s += raw[j] as number;
  return Array.from(raw, (v) => (s > 0 ? v / s : 0));
}
