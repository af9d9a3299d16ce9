import { CrmError, createRng, numberOption, type OptionBag } from '@crm/core';
import { stratifiedFoldIndices } from './stratify.ts';

/**
 * The test rows of each fold from the `folds` and `seed` options shared by crossValidate and
 * calibrate: a number of seeded stratified folds, or the folds themselves as lists of test-row
 * indices that together cover every row exactly once.
 */
export function resolveFolds(o: OptionBag<'folds' | 'seed'>, labels: Uint8Array): number[][] {
  const n = labels.length;
  const seed = numberOption(o, 'seed', 0, { integer: true });
  const folds = o.folds ?? 5;
  if (typeof folds === 'number') {
    numberOption(o, 'folds', 5, { min: 2, integer: true });
    if (folds > n) {
      throw new CrmError('invalid_argument', `folds must be an integer from 2 to n (${n}), got ${String(folds)}`, ['options', 'folds']);
    }
    let ones = 0;
    for (let i = 0; i < n; i++) ones += labels[i] as number;
    if (Math.min(ones, n - ones) < folds) {
      throw new CrmError('invalid_labels', `the smaller class has ${Math.min(ones, n - ones)} row(s), fewer than the ${folds} folds`, ['y']);
    }
    return stratifiedFoldIndices(labels, folds, createRng(seed));
  }
  if (!Array.isArray(folds) || folds.length < 2) {
    throw new CrmError('invalid_argument', 'folds must be a number or at least two lists of test-row indices', ['options', 'folds']);
  }
  const seen = new Uint8Array(n);
  // Index loops, not map: map skips the holes of sparse arrays (`[0, , 2]`), which would then
  // reach the folds as undefined rows.
  const out: number[][] = [];
  for (let k = 0; k < folds.length; k++) {
    const fold: unknown = folds[k];
    if (!Array.isArray(fold) || fold.length === 0) {
      throw new CrmError('invalid_argument', `fold ${k} must be a non-empty array of row indices`, ['options', 'folds', k]);
    }
    const rows: number[] = [];
    for (let j = 0; j < fold.length; j++) {
      const i: unknown = fold[j];
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n || seen[i]) {
        throw new CrmError('invalid_argument', `fold ${k} entry ${j} (${String(i)}) is not a new row index below ${n}`, ['options', 'folds', k, j]);
      }
      seen[i] = 1;
      rows.push(i);
    }
    out.push(rows);
  }
  const missing = seen.indexOf(0);
  if (missing >= 0) throw new CrmError('invalid_argument', `row ${missing} is in no fold: the folds must cover every row`, ['options', 'folds']);
  return out;
}
