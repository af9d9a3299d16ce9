import type { Rng } from '@crm/core';

/**
 * Stratified random split of row indices: within each class, rows are shuffled and the first
 * round(fraction · n_class) go to the test side (at least one and at most n_class − 1 of each
 * class when the class has two rows or more). Both sides come back in ascending row order.
 */
export function stratifiedSplitIndices(y: Uint8Array, fraction: number, rng: Rng): { train: number[]; test: number[] } {
  const byClass: number[][] = [[], []];
  for (let i = 0; i < y.length; i++) (byClass[y[i] as number] as number[]).push(i);
  const isTest = new Uint8Array(y.length);
  for (const rows of byClass) {
    if (rows.length === 0) continue;
    let k = Math.round(fraction * rows.length);
    if (rows.length >= 2) k = Math.min(Math.max(k, 1), rows.length - 1);
    const shuffled = rng.shuffle(rows);
    for (let j = 0; j < k; j++) isTest[shuffled[j] as number] = 1;
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < y.length; i++) (isTest[i] ? test : train).push(i);
  return { train, test };
}

/**
 * Stratified k-fold assignment: each class's rows are shuffled and dealt to the folds in turn, so
 * fold sizes differ by at most one per class. Returns the test rows of each fold, ascending.
 */
export function stratifiedFoldIndices(y: Uint8Array, folds: number, rng: Rng): number[][] {
  const fold = new Int32Array(y.length);
  let offset = 0;
  for (const cls of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === cls) rows.push(i);
    const shuffled = rng.shuffle(rows);
    // Continue dealing where the previous class stopped, so the folds also balance in size.
    shuffled.forEach((r, j) => {
      fold[r] = (offset + j) % folds;
    });
    offset = (offset + shuffled.length) % folds;
  }
  const out: number[][] = Array.from({ length: folds }, () => []);
  for (let i = 0; i < y.length; i++) (out[fold[i] as number] as number[]).push(i);
  return out;
}
