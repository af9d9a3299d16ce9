import { CrmError } from '@crm/core';
import type { Item } from './types.ts';

/**
 * Baskets encoded to dense integer codes (code = order of first appearance), duplicates
 * within a basket removed. Basket b holds `codes[offsets[b] .. offsets[b + 1])`.
 */
export interface EncodedBaskets<T extends Item> {
  readonly labels: T[];
  readonly basketCount: number;
  readonly offsets: Int32Array;
  readonly codes: Int32Array;
  /** Number of baskets containing each code. */
  readonly itemCounts: Int32Array;
}

/**
 * Frequent items ranked by descending count (ties: first appearance) and the baskets recoded
 * to those ranks, infrequent items dropped, each basket sorted ascending (most frequent first).
 */
export interface RankedBaskets {
  /** Number of frequent items m; ranks are 0 .. m-1. */
  readonly itemCount: number;
  /** Code (index into labels) of each rank. */
  readonly codeOfRank: Int32Array;
  /** Count of each rank. */
  readonly countOfRank: Int32Array;
  /** Basket b holds `ranks[offsets[b] .. offsets[b + 1])`, ascending; empty baskets kept. */
  readonly offsets: Int32Array;
  readonly ranks: Int32Array;
}

/** Integer items below this are looked up in a table (at most 8 MB) instead of a Map. */
const DIRECT_LIMIT = 1 << 21;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? JSON.stringify(value) : `a value of type ${typeof value}`;
}

function basketItems(basket: unknown, b: number): readonly unknown[] {
  if (Array.isArray(basket)) return basket;
  if (basket !== null && typeof basket === 'object' && !ArrayBuffer.isView(basket)) {
    const lines = Object.prototype.hasOwnProperty.call(basket, 'items') ? (basket as { items?: unknown }).items : undefined;
    if (lines === undefined) return [];
    if (!Array.isArray(lines)) {
      throw new CrmError('invalid_input', `transaction ${b} has 'items' that is not an array of line items`, [b, 'items']);
    }
    const ids = new Array<unknown>(lines.length);
    for (let j = 0; j < lines.length; j++) {
      const line: unknown = lines[j];
      if (line === null || typeof line !== 'object') {
        throw new CrmError('invalid_input', `transaction ${b}, line item ${j} is ${describe(line)}, not a { productId, quantity } object`, [b, 'items', j]);
      }
      const id = Object.prototype.hasOwnProperty.call(line, 'productId') ? (line as { productId?: unknown }).productId : undefined;
      if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
        throw new CrmError('invalid_input', `transaction ${b}, line item ${j} has productId ${describe(id)}: a product id is a string or a finite number`, [b, 'items', j, 'productId']);
      }
      ids[j] = id;
    }
    return ids;
  }
  throw new CrmError(
    'invalid_input',
    `basket ${b} is ${describe(basket)}: a basket is an array of items (strings or numbers) or a transaction with line items`,
    [b],
  );
}

/**
 * Encodes baskets to dense codes in one pass. O(total items) time with one Map lookup per item.
 *
 * @throws {CrmError} `invalid_argument` when `baskets` is not an array; `invalid_input` (with the
 * basket and item index) when a basket is not an array or transaction, or an item is not a string
 * or a finite number.
 */
export function encodeBaskets<T extends Item>(baskets: unknown): EncodedBaskets<T> {
  if (!Array.isArray(baskets)) {
    throw new CrmError('invalid_argument', `baskets must be an array of baskets (arrays of items), got ${describe(baskets)}`, ['baskets']);
  }
  const n = baskets.length;
  const codeOf = new Map<unknown, number>();
  const labels: T[] = [];
  const offsets = new Int32Array(n + 1);
  // Room for every item of the array baskets up front (transactions grow it as needed).
  let total = 16;
  for (let b = 0; b < n; b++) {
    const basket: unknown = baskets[b];
    if (Array.isArray(basket)) total += basket.length;
  }
  let codes = new Int32Array(total);
  let counts = new Int32Array(64);
  // lastBasket[code] = last basket that held the code: drops duplicates in O(1).
  let lastBasket = new Int32Array(64).fill(-1);
  let directCode = new Int32Array(1024).fill(-1);
  let size = 0;
  for (let b = 0; b < n; b++) {
    const items = basketItems(baskets[b], b);
    if (size + items.length > codes.length) {
      const grown = new Int32Array(Math.max(codes.length * 2, size + items.length));
      grown.set(codes.subarray(0, size));
      codes = grown;
    }
    for (let j = 0; j < items.length; j++) {
      const item = items[j];
      // Small non-negative integer ids (FIMI data, product numbers) skip the Map: a direct table.
      const direct = typeof item === 'number' && item >= 0 && item < DIRECT_LIMIT && (item | 0) === item;
      let code: number | undefined;
      if (direct) {
        if (item >= directCode.length) {
          let size = directCode.length;
          while (size <= item) size *= 2;
          const grown = new Int32Array(size).fill(-1);
          grown.set(directCode);
          directCode = grown;
        }
        code = directCode[item] as number;
        if (code < 0) code = undefined;
      } else code = codeOf.get(item);
      if (code === undefined) {
        if (typeof item !== 'string' && !(typeof item === 'number' && Number.isFinite(item))) {
          throw new CrmError('invalid_input', `basket ${b}, item ${j} is ${describe(item)}: items are strings or finite numbers`, [b, j]);
        }
        code = labels.length;
        if (direct) directCode[item as number] = code;
        else codeOf.set(item, code);
        labels.push(item as T);
        if (code >= counts.length) {
          const c = new Int32Array(counts.length * 2);
          c.set(counts);
          counts = c;
          const l = new Int32Array(lastBasket.length * 2).fill(-1);
          l.set(lastBasket);
          lastBasket = l;
        }
      }
      if (lastBasket[code] === b) continue;
      lastBasket[code] = b;
      counts[code]++;
      codes[size++] = code;
    }
    offsets[b + 1] = size;
  }
  return { labels, basketCount: n, offsets, codes: codes.slice(0, size), itemCounts: counts.slice(0, labels.length) };
}

/** Ranks the items with count ≥ minCount and recodes the baskets to ranks. O(total items + m log m). */
export function rankBaskets(enc: EncodedBaskets<Item>, minCount: number): RankedBaskets {
  const itemCounts = enc.itemCounts;
  const frequent: number[] = [];
  for (let c = 0; c < itemCounts.length; c++) if ((itemCounts[c] as number) >= minCount) frequent.push(c);
  frequent.sort((a, b) => (itemCounts[b] as number) - (itemCounts[a] as number) || a - b);
  const m = frequent.length;
  const codeOfRank = Int32Array.from(frequent);
  const countOfRank = new Int32Array(m);
  const rankOfCode = new Int32Array(itemCounts.length).fill(-1);
  for (let r = 0; r < m; r++) {
    const code = codeOfRank[r] as number;
    rankOfCode[code] = r;
    countOfRank[r] = itemCounts[code] as number;
  }
  const n = enc.basketCount;
  const offsets = new Int32Array(n + 1);
  const ranks = new Int32Array(enc.codes.length);
  let size = 0;
  for (let b = 0; b < n; b++) {
    const start = size;
    for (let i = enc.offsets[b] as number, end = enc.offsets[b + 1] as number; i < end; i++) {
      const r = rankOfCode[enc.codes[i] as number] as number;
      if (r < 0) continue;
      // Insertion into the sorted run: baskets are short.
      let k = size++;
      while (k > start && (ranks[k - 1] as number) > r) {
        ranks[k] = ranks[k - 1] as number;
        k--;
      }
      ranks[k] = r;
    }
    offsets[b + 1] = size;
  }
  return { itemCount: m, codeOfRank, countOfRank, offsets, ranks: ranks.slice(0, size) };
}
