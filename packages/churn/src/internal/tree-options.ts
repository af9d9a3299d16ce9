import { checkClassWeight, enumOption, numberOption } from './checks.ts';
import type { DecisionTreeOptions, DecisionTreeResolvedOptions } from '../decision-tree.ts';

/** Checks tree options (shared with the forest, which adds its own). */
export function resolveTreeOptions(o: DecisionTreeOptions & { readonly classWeight?: unknown; readonly maxDepth?: number | null }): DecisionTreeResolvedOptions {
  const classWeight = o.classWeight === null ? undefined : checkClassWeight(o.classWeight);
  return {
    criterion: enumOption(o, 'criterion', 'gini', ['gini', 'entropy']),
    maxDepth: o.maxDepth === null ? Infinity : numberOption(o, 'maxDepth', Infinity, { min: 0 }),
    minSamplesSplit: numberOption(o, 'minSamplesSplit', 2, { min: 2, integer: true }),
    minSamplesLeaf: numberOption(o, 'minSamplesLeaf', 1, { min: 1, integer: true }),
    minImpurityDecrease: numberOption(o, 'minImpurityDecrease', 0, { min: 0 }),
    classWeight: classWeight ?? null,
  };
}

/** Impurity importances normalised to sum 1 (all 0 for a tree without splits). */
export function normaliseImportance(raw: Float64Array): number[] {
  let s = 0;
  for (let j = 0; j < raw.length; j++) s += raw[j] as number;
  return Array.from(raw, (v) => (s > 0 ? v / s : 0));
}

