import { encodeBaskets, rankBaskets } from './encode.ts';
import { emptyTree, finishTree, insertPath, resetTree, type FpTree } from './fp-tree.ts';
import { ItemsetStore, materialize } from './itemset-store.ts';
import { resolveMiningOptions } from './mining-options.ts';
import type { Baskets, FrequentItemsets, Item, MiningOptions } from './types.ts';

/** Mining state shared by the recursion: one tree per depth, reused by every conditional tree at that depth. */
interface Miner {
  readonly minCount: number;
  readonly maxLength: number;
  readonly store: ItemsetStore;
  readonly trees: FpTree[];
  /** The current prefix, global ranks. */
  readonly prefix: Int32Array;
  /** Scratch: conditional counts, touched items, new ranks and one path, indexed by tree item. */
  condCount: Int32Array;
  touched: Int32Array;
  newRank: Int32Array;
  path: Int32Array;
}

function emit(miner: Miner, length: number, count: number): void {
  const { store, prefix } = miner;
  const at = store.open(length, count);
  const items = store.items;
  // Prefix items are not in one order (conditional items rank lower than the prefix, single-path
  // items are added ascending): insertion-sort the short itemset ascending.
  for (let k = 0; k < length; k++) {
    const r = prefix[k] as number;
    let j = at + k;
    while (j > at && (items[j - 1] as number) > r) {
      items[j] = items[j - 1] as number;
      j--;
    }
    items[j] = r;
  }
}

function isSinglePath(tree: FpTree): boolean {
  if (tree.size - 1 !== tree.items) return false;
  const parent = tree.parent;
  for (let i = 1; i < tree.size; i++) if (parent[i] !== i - 1) return false;
  return true;
}

/**
 * A tree that is one path: every combination of its nodes is frequent, with the count of the
 * deepest node chosen. Emits them directly instead of building more trees.
 */
function mineSinglePath(miner: Miner, tree: FpTree, node: number, depth: number): void {
  const { prefix } = miner;
  for (let j = node; j < tree.size; j++) {
    prefix[depth] = tree.label[tree.item[j] as number] as number;
    emit(miner, depth + 1, tree.count[j] as number);
    if (depth + 1 < miner.maxLength) mineSinglePath(miner, tree, j + 1, depth + 1);
  }
}

function ensureScratch(miner: Miner, items: number, pathLength: number): void {
  if (miner.condCount.length < items) {
    miner.condCount = new Int32Array(items);
    miner.touched = new Int32Array(items);
    miner.newRank = new Int32Array(items);
  }
  if (miner.path.length < pathLength) miner.path = new Int32Array(pathLength);
}

/** Below this many items, insertion sort beats the built-in typed-array sort (no view, no call). */
const INSERTION_SORT_MAX = 32;

/**
 * The touched items in ascending order. When they are dense among the x candidates, one scan of
 * the counts lists them in order; otherwise they are sorted.
 */
function sortTouched(touched: Int32Array, n: number, condCount: Int32Array, x: number): Int32Array {
  if (n * 8 >= x) {
    let k = 0;
    for (let y = 0; y < x; y++) if ((condCount[y] as number) > 0) touched[k++] = y;
    return touched;
  }
  if (n <= INSERTION_SORT_MAX) {
    for (let i = 1; i < n; i++) {
      const v = touched[i] as number;
      let j = i - 1;
      while (j >= 0 && (touched[j] as number) > v) {
        touched[j + 1] = touched[j] as number;
        j--;
      }
      touched[j + 1] = v;
    }
    return touched;
  }
  touched.subarray(0, n).sort();
  return touched;
}

function mineTree(miner: Miner, tree: FpTree, depth: number): void {
  if (isSinglePath(tree)) {
    mineSinglePath(miner, tree, 1, depth);
    return;
  }
  const { minCount, prefix } = miner;
  const { item, count, parent, itemStart, nodes, itemCount, label } = tree;
  for (let x = tree.items - 1; x >= 0; x--) {
    prefix[depth] = label[x] as number;
    emit(miner, depth + 1, itemCount[x] as number);
    if (depth + 1 >= miner.maxLength) continue;
    const first = itemStart[x] as number;
    const last = itemStart[x + 1] as number;
    // Conditional pattern base of x: the paths above its nodes, weighted by the nodes' counts.
    // Ancestors of x's nodes are items below x, so the scratch arrays need x entries.
    ensureScratch(miner, x, 0);
    const { condCount, touched } = miner;
    let touchedCount = 0;
    let pathItems = 0;
    for (let i = first; i < last; i++) {
      const node = nodes[i] as number;
      const c = count[node] as number;
      for (let p = parent[node] as number; p > 0; p = parent[p] as number) {
        const y = item[p] as number;
        if (condCount[y] === 0) touched[touchedCount++] = y;
        condCount[y] = (condCount[y] as number) + c;
        pathItems++;
      }
    }
    if (touchedCount === 0) continue;
    const ranked = sortTouched(touched, touchedCount, condCount, x);
    const newRank = miner.newRank;
    const child = miner.trees[depth + 1] ?? (miner.trees[depth + 1] = emptyTree());
    let k = 0;
    for (let t = 0; t < touchedCount; t++) {
      const y = ranked[t] as number;
      if ((condCount[y] as number) >= minCount) newRank[y] = k++;
      else newRank[y] = -1;
    }
    if (k <= 1) {
      // One frequent item y in the base: prefix + x + y is the only extension; no tree needed.
      for (let t = 0; t < touchedCount; t++) {
        const y = ranked[t] as number;
        if (k === 1 && newRank[y] === 0) {
          prefix[depth + 1] = label[y] as number;
          emit(miner, depth + 2, condCount[y] as number);
        }
        condCount[y] = 0;
      }
      continue;
    }
    resetTree(child, k, pathItems + 1);
    for (let t = 0; t < touchedCount; t++) {
      const y = ranked[t] as number;
      const r = newRank[y] as number;
      if (r >= 0) child.label[r] = label[y] as number;
      condCount[y] = 0;
    }
    ensureScratch(miner, 0, x);
    const path = miner.path;
    for (let i = first; i < last; i++) {
      const node = nodes[i] as number;
      let length = 0;
      for (let p = parent[node] as number; p > 0; p = parent[p] as number) {
        const r = newRank[item[p] as number] as number;
        if (r >= 0) path[length++] = r;
      }
      // Collected from the leaf up, so descending: insert back to front.
      if (length > 0) insertPath(child, path, length - 1, -1, length, count[node] as number);
    }
    finishTree(child);
    mineTree(miner, child, depth + 1);
  }
}

/**
 * Frequent itemsets by FP-growth (Han, Pei & Yin 2000): the baskets are compressed into a
 * prefix tree of items ordered by descending support, then each item's conditional tree is
 * mined recursively; a tree that is a single path yields all its combinations at once.
 * Trees live in typed arrays reused per recursion depth, so memory stays near the size of the
 * tree. Returns the same itemsets and counts as {@link apriori}, SPMF and mlxtend.
 *
 * Cost: one pass to count items, one to build the tree, then time proportional to the
 * conditional trees built (typically far below Apriori's candidate counting on sparse data).
 * The number of frequent itemsets can grow exponentially as minSupport falls (2^k − 1 for k items
 * that always occur together), so it is bounded by `maxItemsets` (default 1,000,000): past it the
 * call stops with `limit_exceeded` at `['options', 'maxItemsets']` instead of exhausting memory.
 *
 * @param baskets `string[][]`, `number[][]` or `Transaction[]` with line items (see {@link Baskets}).
 * @param options minimum support (`minSupport` fraction or `minCount`), lengths, cap and target
 *   (see {@link MiningOptions}).
 * @returns the itemsets with `count` and `support`, N and the resolved options.
 * @throws {CrmError} `invalid_argument` for bad options (minSupport outside (0, 1], minCount < 1,
 *   an unknown or misspelled key, …) or when `baskets` is not an array; `invalid_input` (with the path) for a basket that is not
 *   an array or an item that is not a string or finite number; `limit_exceeded` past `maxItemsets`.
 * @see https://doi.org/10.1145/335191.335372
 * @example
 * ```ts
 * import { fpGrowth } from '@crm/rules';
 * const baskets = [['bread', 'milk'], ['bread', 'butter'], ['bread', 'milk', 'butter'], ['milk']];
 * const { itemsets } = fpGrowth(baskets, { minSupport: 0.5 });
 * itemsets.map((s) => `${s.items.join('+')}: ${s.count}`);
 * // ['butter: 2', 'bread+butter: 2', 'milk: 3', 'bread+milk: 2', 'bread: 3'] (mining order)
 * ```
 */
export function fpGrowth<T extends Item = string>(baskets: Baskets<T>, options?: MiningOptions): FrequentItemsets<T> {
  const enc = encodeBaskets<T>(baskets);
  const resolved = resolveMiningOptions(options, enc.basketCount, 'fpGrowth');
  const ranked = rankBaskets(enc, resolved.minCount);
  const store = new ItemsetStore(resolved.maxItemsets);
  const m = ranked.itemCount;
  if (m > 0) {
    const tree = emptyTree();
    resetTree(tree, m, ranked.ranks.length + 1);
    for (let r = 0; r < m; r++) tree.label[r] = r;
    const { offsets, ranks } = ranked;
    for (let b = 0; b < enc.basketCount; b++) {
      const s = offsets[b] as number;
      const e = offsets[b + 1] as number;
      if (e > s) insertPath(tree, ranks, s, 1, e - s, 1);
    }
    finishTree(tree);
    const miner: Miner = {
      minCount: resolved.minCount,
      maxLength: resolved.maxLength,
      store,
      trees: [tree],
      prefix: new Int32Array(Math.min(m, resolved.maxLength) + 1),
      condCount: new Int32Array(0),
      touched: new Int32Array(0),
      newRank: new Int32Array(0),
      path: new Int32Array(0),
    };
    mineTree(miner, tree, 0);
  }
  return materialize(store, enc, ranked, resolved);
}
