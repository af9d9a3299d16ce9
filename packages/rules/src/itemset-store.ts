import { CrmError } from '@crm/core';
import type { FrequentItemset, FrequentItemsets, Item, ResolvedMiningOptions } from './types.ts';
import type { EncodedBaskets, RankedBaskets } from './encode.ts';

/** The error a miner throws past `maxItemsets`. */
export function tooManyItemsets(cap: number): CrmError {
  return new CrmError(
    'limit_exceeded',
    `more than maxItemsets = ${cap} frequent itemsets: raise minSupport, set maxLength, or raise maxItemsets if memory allows`,
    ['options', 'maxItemsets'],
  );
}

/**
 * Itemsets as flat typed arrays while mining: itemset i holds the ranks
 * `items[starts[i] .. starts[i + 1])`, ascending, with count `counts[i]`.
 * No per-itemset objects are made until the result is handed out.
 */
export class ItemsetStore {
  items: Int32Array = new Int32Array(1024);
  starts: Int32Array = new Int32Array(257);
  counts: Int32Array = new Int32Array(256);
  size = 0;
  private used = 0;
  private readonly cap: number;

  constructor(maxItemsets: number) {
    this.cap = maxItemsets;
  }

  /** Starts an itemset of `length` items and returns the offset to write its ranks at. */
  open(length: number, count: number): number {
    if (this.size >= this.cap) throw tooManyItemsets(this.cap);
    if (this.size + 1 >= this.counts.length) {
      const c = new Int32Array(this.counts.length * 2);
      c.set(this.counts);
      this.counts = c;
      const s = new Int32Array(this.starts.length * 2);
      s.set(this.starts);
      this.starts = s;
    }
    if (this.used + length > this.items.length) {
      const it = new Int32Array(Math.max(this.items.length * 2, this.used + length));
      it.set(this.items.subarray(0, this.used));
      this.items = it;
    }
    const at = this.used;
    this.counts[this.size] = count;
    this.starts[this.size] = at;
    this.size++;
    this.used += length;
    this.starts[this.size] = this.used;
    return at;
  }
}

function hashRun(items: Int32Array, start: number, end: number, skip: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    if (i === skip) continue;
    h = Math.imul(h ^ (items[i] as number), 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

/**
 * Marks which itemsets are closed or maximal. Every frequent itemset is in the store, so it is
 * enough to look at immediate supersets: X is not closed when some X ∪ {y} has X's count, and
 * not maximal when some X ∪ {y} is frequent. O(Σ |itemset|²) with one hash lookup per subset.
 */
function keepMask(store: ItemsetStore, target: 'closed' | 'maximal'): Uint8Array {
  const { items, starts, counts, size } = store;
  let tableSize = 2;
  while (tableSize < size * 2) tableSize *= 2;
  const mask = tableSize - 1;
  const table = new Int32Array(tableSize).fill(-1);
  for (let i = 0; i < size; i++) {
    let slot = hashRun(items, starts[i] as number, starts[i + 1] as number, -1) & mask;
    while ((table[slot] as number) >= 0) slot = (slot + 1) & mask;
    table[slot] = i;
  }
  const keep = new Uint8Array(size).fill(1);
  for (let z = 0; z < size; z++) {
    const zs = starts[z] as number;
    const ze = starts[z + 1] as number;
    if (ze - zs < 2) continue;
    for (let skip = zs; skip < ze; skip++) {
      let slot = hashRun(items, zs, ze, skip) & mask;
      for (;;) {
        const s = table[slot] as number;
        if (s < 0) throw new Error('frequent-itemset store lost a subset');
        if (isSubsetWithout(items, s, starts, zs, ze, skip)) {
          if (target === 'maximal' || counts[s] === counts[z]) keep[s] = 0;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
  }
  return keep;
}

function isSubsetWithout(items: Int32Array, s: number, starts: Int32Array, zs: number, ze: number, skip: number): boolean {
  const ss = starts[s] as number;
  const se = starts[s + 1] as number;
  if (se - ss !== ze - zs - 1) return false;
  let j = ss;
  for (let i = zs; i < ze; i++) {
    if (i === skip) continue;
    if (items[j++] !== items[i]) return false;
  }
  return true;
}

/** Turns the store into the public result: labels instead of ranks, support, length and target filters. */
export function materialize<T extends Item>(
  store: ItemsetStore,
  enc: EncodedBaskets<T>,
  ranked: RankedBaskets,
  options: ResolvedMiningOptions,
): FrequentItemsets<T> {
  const keep = options.target === 'all' ? null : keepMask(store, options.target);
  const n = enc.basketCount;
  const labelOfRank: T[] = new Array<T>(ranked.itemCount);
  for (let r = 0; r < ranked.itemCount; r++) labelOfRank[r] = enc.labels[ranked.codeOfRank[r] as number] as T;
  const out: FrequentItemset<T>[] = [];
  const { items, starts, counts, size } = store;
  for (let i = 0; i < size; i++) {
    if (keep !== null && keep[i] === 0) continue;
    const s = starts[i] as number;
    const e = starts[i + 1] as number;
    if (e - s < options.minLength) continue;
    const labels = new Array<T>(e - s);
    for (let k = s; k < e; k++) labels[k - s] = labelOfRank[items[k] as number] as T;
    const count = counts[i] as number;
    out.push({ items: labels, count, support: count / n });
  }
  return { itemsets: out, transactionCount: n, options };
}
