import { CrmError } from '@crm/core';
import { encodeBaskets, rankBaskets, type RankedBaskets } from './encode.ts';
import { ItemsetStore, materialize, tooManyItemsets } from './itemset-store.ts';
import { resolveMiningOptions } from './mining-options.ts';
import type { Baskets, FrequentItemsets, Item, MiningOptions } from './types.ts';

/**
 * Candidates of one level may outnumber the frequent itemsets; beyond this many per allowed
 * itemset the level is not worth counting (and would need gigabytes), so Apriori stops with
 * `limit_exceeded` as it does past `maxItemsets`.
 */
const CANDIDATES_PER_ITEMSET = 10;
/** A child run this many times longer than the basket tail is searched, not merged. */
const BINARY_SEARCH_RATIO = 8;

/**
 * The itemset trie (Bodon 2003; Borgelt 2003) in typed arrays. Node 0 is the root, the
 * frequent items are nodes 1 … m (node 1 + r holds rank r), and the children of a node are the
 * contiguous, item-sorted run `childStart[i] .. childEnd[i]`. After each level is counted the
 * infrequent candidates are squeezed out, so every node but the root is a frequent itemset.
 */
interface Trie {
  size: number;
  item: Int32Array;
  count: Int32Array;
  parent: Int32Array;
  childStart: Int32Array;
  childEnd: Int32Array;
}

function grow(trie: Trie, need: number): void {
  if (need <= trie.item.length) return;
  const length = Math.max(need, Math.ceil(trie.item.length * 1.5));
  const re = (a: Int32Array): Int32Array => {
    const b = new Int32Array(length);
    b.set(a.subarray(0, trie.size));
    return b;
  };
  trie.item = re(trie.item);
  trie.count = re(trie.count);
  trie.parent = re(trie.parent);
  trie.childStart = re(trie.childStart);
  trie.childEnd = re(trie.childEnd);
}

function addNode(trie: Trie, parent: number, item: number, count: number): number {
  if (trie.size >= trie.item.length) grow(trie, trie.size + 1);
  const i = trie.size++;
  trie.item[i] = item;
  trie.count[i] = count;
  trie.parent[i] = parent;
  trie.childStart[i] = 0;
  trie.childEnd[i] = 0;
  return i;
}

/** The child of `node` holding `item`, or -1 (binary search in the sorted run). */
function childWith(trie: Trie, node: number, item: number): number {
  if (node === 0) return item + 1;
  let lo = trie.childStart[node] as number;
  let hi = (trie.childEnd[node] as number) - 1;
  const items = trie.item;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = items[mid] as number;
    if (v === item) return mid;
    if (v < item) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Level 2: every pair of frequent items is a candidate. Counted per first item from the
 * baskets that hold it, with one scratch row, so no m × m table is needed.
 */
function countPairs(trie: Trie, data: RankedBaskets, minCount: number): void {
  const m = data.itemCount;
  const { offsets, ranks } = data;
  // Occurrences of each rank: basket position after it, grouped by rank (counting sort).
  const occStart = new Int32Array(m + 1);
  for (let i = 0; i < ranks.length; i++) occStart[(ranks[i] as number) + 1]++;
  for (let r = 0; r < m; r++) occStart[r + 1] = (occStart[r + 1] as number) + (occStart[r] as number);
  const fill = occStart.slice(0, m);
  const occNext = new Int32Array(ranks.length);
  const occEnd = new Int32Array(ranks.length);
  for (let b = 0; b < offsets.length - 1; b++) {
    const e = offsets[b + 1] as number;
    for (let i = offsets[b] as number; i < e - 1; i++) {
      const r = ranks[i] as number;
      const at = fill[r]++ as number;
      occNext[at] = i + 1;
      occEnd[at] = e;
    }
  }
  const row = new Int32Array(m);
  const touched = new Int32Array(m);
  for (let a = 0; a < m; a++) {
    const node = a + 1;
    let touchedCount = 0;
    for (let o = occStart[a] as number, oe = fill[a] as number; o < oe; o++) {
      for (let i = occNext[o] as number, e = occEnd[o] as number; i < e; i++) {
        const b = ranks[i] as number;
        if (row[b] === 0) touched[touchedCount++] = b;
        row[b] = (row[b] as number) + 1;
      }
    }
    const sorted = touched.subarray(0, touchedCount).sort();
    trie.childStart[node] = trie.size;
    for (let t = 0; t < touchedCount; t++) {
      const b = sorted[t] as number;
      if ((row[b] as number) >= minCount) addNode(trie, node, b, row[b] as number);
      row[b] = 0;
    }
    trie.childEnd[node] = trie.size;
  }
}

/**
 * Level k + 1 candidates: two frequent k-itemsets that share their first k − 1 items (siblings
 * a < b) join, and the candidate is kept only if all its k-subsets are frequent (the Apriori
 * prune). For a fixed a, the subsets that drop one of its first k − 1 items share a (k − 1)-item
 * prefix whose node is found once; the siblings b then merge with that node's sorted children.
 * Returns the first node of the new level.
 */
function generate(trie: Trie, levelStart: number, levelEnd: number, k: number, maxCandidates: number): number {
  const newStart = trie.size;
  const path = new Int32Array(k);
  const subNode = new Int32Array(k);
  const cursor = new Int32Array(k);
  for (let a = levelStart; a < levelEnd; a++) {
    const siblingsEnd = trie.childEnd[trie.parent[a] as number] as number;
    trie.childStart[a] = trie.size;
    trie.childEnd[a] = trie.size;
    if (a + 1 >= siblingsEnd) continue;
    // path[0 .. k) = items of a, root first.
    for (let p = a, d = k - 1; d >= 0; d--) {
      path[d] = trie.item[p] as number;
      p = trie.parent[p] as number;
    }
    let viable = true;
    for (let skip = 0; skip < k - 1 && viable; skip++) {
      let node = 0;
      for (let d = 0; d < k && node >= 0; d++) if (d !== skip) node = childWith(trie, node, path[d] as number);
      if (node < 0) viable = false;
      else {
        subNode[skip] = node;
        cursor[skip] = trie.childStart[node] as number;
      }
    }
    if (!viable) continue;
    for (let b = a + 1; b < siblingsEnd; b++) {
      const y = trie.item[b] as number;
      let frequent = true;
      for (let skip = 0; skip < k - 1; skip++) {
        const end = trie.childEnd[subNode[skip] as number] as number;
        let c = cursor[skip] as number;
        while (c < end && (trie.item[c] as number) < y) c++;
        cursor[skip] = c;
        if (c === end || trie.item[c] !== y) {
          frequent = false;
          break;
        }
      }
      if (!frequent) continue;
      if (trie.size - newStart >= maxCandidates) {
        throw new CrmError(
          'limit_exceeded',
          `Apriori needs more than ${maxCandidates} candidates of length ${k + 1}: raise minSupport, set maxLength, or use fpGrowth`,
          ['options', 'maxItemsets'],
        );
      }
      addNode(trie, a, y, 0);
    }
    trie.childEnd[a] = trie.size;
  }
  return newStart;
}

/** First index in [lo, hi) whose item is ≥ x (child runs are sorted). */
function lowerBound(items: Int32Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((items[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds one basket's support to every candidate (depth `remaining` below `node`) it contains. */
function countBasket(trie: Trie, node: number, ranks: Int32Array, from: number, end: number, remaining: number): void {
  if (node === 0) {
    // The root's children are the items themselves: node 1 + r holds rank r.
    for (let i = from; i <= end - remaining; i++) countBasket(trie, (ranks[i] as number) + 1, ranks, i + 1, end, remaining - 1);
    return;
  }
  const cs = trie.childStart[node] as number;
  const ce = trie.childEnd[node] as number;
  if (cs === ce) return;
  const items = trie.item;
  // Long child runs against a short basket tail: binary search instead of a linear merge.
  const search = ce - cs > BINARY_SEARCH_RATIO * (end - from);
  if (remaining === 1) {
    if (search) {
      let c = cs;
      for (let i = from; i < end && c < ce; i++) {
        c = lowerBound(items, c, ce, ranks[i] as number);
        if (c < ce && items[c] === ranks[i]) trie.count[c] = (trie.count[c] as number) + 1;
      }
      return;
    }
    // Merge the basket tail with the sorted children.
    let c = cs;
    let i = from;
    while (i < end && c < ce) {
      const x = ranks[i] as number;
      const y = items[c] as number;
      if (x === y) {
        trie.count[c] = (trie.count[c] as number) + 1;
        i++;
        c++;
      } else if (x < y) i++;
      else c++;
    }
    return;
  }
  let c = cs;
  for (let i = from; i <= end - remaining && c < ce; i++) {
    const x = ranks[i] as number;
    if (search) c = lowerBound(items, c, ce, x);
    else while (c < ce && (items[c] as number) < x) c++;
    if (c < ce && items[c] === x) {
      countBasket(trie, c, ranks, i + 1, end, remaining - 1);
      c++;
    }
  }
}

/**
 * Transaction trimming before counting candidates of length k + 1: an item of such a candidate
 * lies in k of its frequent k-subsets, so an item in fewer frequent k-itemsets cannot help and is
 * dropped, and so are baskets left with k items or fewer. Rewrites the baskets in place and
 * returns how many remain.
 */
function trimBaskets(
  trie: Trie,
  levelStart: number,
  levelEnd: number,
  k: number,
  offsets: Int32Array,
  ranks: Int32Array,
  basketCount: number,
  uses: Int32Array,
): number {
  uses.fill(0);
  for (let node = levelStart; node < levelEnd; node++) {
    for (let p = node; p > 0; p = trie.parent[p] as number) uses[trie.item[p] as number]++;
  }
  let kept = 0;
  let w = 0;
  let s = offsets[0] as number;
  for (let b = 0; b < basketCount; b++) {
    const e = offsets[b + 1] as number;
    const start = w;
    for (let i = s; i < e; i++) {
      const r = ranks[i] as number;
      if ((uses[r] as number) >= k) ranks[w++] = r;
    }
    s = e;
    if (w - start > k) offsets[++kept] = w;
    else w = start;
  }
  offsets[0] = 0;
  return kept;
}

/** Drops the candidates of the newest level that are not frequent, keeping runs contiguous. */
function squeeze(trie: Trie, parentStart: number, parentEnd: number, minCount: number): void {
  let w = parentEnd;
  for (let p = parentStart; p < parentEnd; p++) {
    const s = trie.childStart[p] as number;
    const e = trie.childEnd[p] as number;
    trie.childStart[p] = w;
    for (let c = s; c < e; c++) {
      if ((trie.count[c] as number) < minCount) continue;
      trie.item[w] = trie.item[c] as number;
      trie.count[w] = trie.count[c] as number;
      trie.parent[w] = p;
      trie.childStart[w] = 0;
      trie.childEnd[w] = 0;
      w++;
    }
    trie.childEnd[p] = w;
  }
  trie.size = w;
}

/**
 * Frequent itemsets by Apriori (Agrawal & Srikant 1994): level by level, candidates of length
 * k + 1 are joined from frequent k-itemsets, pruned when a k-subset is infrequent, and counted
 * in one pass over the baskets through an itemset trie held in typed arrays. Pairs are counted
 * per item without an m × m table. Returns the same itemsets and counts as {@link fpGrowth};
 * fpGrowth is usually faster, Apriori is the textbook method and a cross-check.
 *
 * Cost: one pass over the baskets per itemset length, each touching the candidates a basket
 * contains; memory proportional to the candidates of one level plus the frequent itemsets. Both
 * can grow exponentially as minSupport falls, so they are bounded by `maxItemsets` (default
 * 1,000,000) and 10 × `maxItemsets` candidates per level.
 *
 * @param baskets `string[][]`, `number[][]` or `Transaction[]` with line items (see {@link Baskets}).
 * @param options minimum support (`minSupport` fraction or `minCount`), lengths, cap and target
 *   (see {@link MiningOptions}).
 * @returns the itemsets with `count` and `support`, N and the resolved options; itemsets come
 *   shortest first.
 * @throws {CrmError} `invalid_argument` for bad or unknown options or when `baskets` is not an array;
 *   `invalid_input` (with the path) for a bad basket or item; `limit_exceeded` past `maxItemsets`
 *   itemsets or 10 × `maxItemsets` candidates of one length.
 * @see https://www.vldb.org/conf/1994/P487.PDF
 * @example
 * ```ts
 * import { apriori } from '@crm/rules';
 * const baskets = [['bread', 'milk'], ['bread', 'butter'], ['bread', 'milk', 'butter'], ['milk']];
 * const { itemsets } = apriori(baskets, { minSupport: 0.5 });
 * itemsets.map((s) => `${s.items.join('+')}: ${s.count}`);
 * // ['bread: 3', 'milk: 3', 'butter: 2', 'bread+milk: 2', 'bread+butter: 2']
 * ```
 */
export function apriori<T extends Item = string>(baskets: Baskets<T>, options?: MiningOptions): FrequentItemsets<T> {
  const enc = encodeBaskets<T>(baskets);
  const resolved = resolveMiningOptions(options, enc.basketCount, 'apriori');
  const data = rankBaskets(enc, resolved.minCount);
  const { minCount, maxLength, maxItemsets } = resolved;
  const m = data.itemCount;
  const store = new ItemsetStore(maxItemsets);
  const capacity = 1024 + m * 2;
  const trie: Trie = {
    size: 0,
    item: new Int32Array(capacity),
    count: new Int32Array(capacity),
    parent: new Int32Array(capacity),
    childStart: new Int32Array(capacity),
    childEnd: new Int32Array(capacity),
  };
  addNode(trie, -1, -1, enc.basketCount);
  for (let r = 0; r < m; r++) addNode(trie, 0, r, data.countOfRank[r] as number);
  trie.childStart[0] = 1;
  trie.childEnd[0] = m + 1;
  const levels: number[] = [1, m + 1];
  const checkCap = (): void => {
    if (trie.size - 1 > maxItemsets) throw tooManyItemsets(maxItemsets);
  };
  checkCap();
  if (m > 1 && maxLength >= 2) {
    countPairs(trie, data, minCount);
    levels.push(trie.size);
    checkCap();
  }
  const maxCandidates = maxItemsets * CANDIDATES_PER_ITEMSET;
  // Working copy of the baskets, trimmed before each level (the ranked data stays intact).
  let basketCount = enc.basketCount;
  const offsets = data.offsets.slice();
  const ranks = data.ranks.slice();
  const uses = new Int32Array(m);
  for (let k = 2; k < maxLength && k < levels.length; k++) {
    const levelStart = levels[k - 1] as number;
    const levelEnd = levels[k] as number;
    if (levelEnd - levelStart < 2) break;
    const newStart = generate(trie, levelStart, levelEnd, k, maxCandidates);
    if (trie.size === newStart) break;
    basketCount = trimBaskets(trie, levelStart, levelEnd, k, offsets, ranks, basketCount, uses);
    for (let b = 0; b < basketCount; b++) {
      const s = offsets[b] as number;
      const e = offsets[b + 1] as number;
      countBasket(trie, 0, ranks, s, e, k + 1);
    }
    squeeze(trie, levelStart, levelEnd, minCount);
    if (trie.size === newStart) break;
    levels.push(trie.size);
    checkCap();
  }
  for (let node = 1; node < trie.size; node++) {
    let depth = 0;
    for (let p = node; p > 0; p = trie.parent[p] as number) depth++;
    const at = store.open(depth, trie.count[node] as number);
    for (let p = node, d = depth - 1; p > 0; p = trie.parent[p] as number, d--) store.items[at + d] = trie.item[p] as number;
  }
  return materialize(store, enc, data, resolved);
}
