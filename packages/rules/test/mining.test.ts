import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Transaction } from '@crm/core';
import { apriori, fpGrowth, type FrequentItemsets, type MiningOptions } from '@crm/rules';
import { groceries } from './data.ts';

const key = (items: readonly (string | number)[]): string => [...items].map(String).sort().join('\u0000');
const asMap = (result: FrequentItemsets<string | number>): Map<string, number> =>
  new Map(result.itemsets.map((s) => [key(s.items), s.count]));
const code = (f: () => unknown): [string | undefined, readonly (string | number)[] | undefined] => {
  try {
    f();
  } catch (e) {
    return [(e as { code?: string }).code, (e as { path?: (string | number)[] }).path];
  }
  return [undefined, undefined];
};
const miners = [['fpGrowth', fpGrowth], ['apriori', apriori]] as const;

describe.each(miners)('%s(baskets, options): input and options', (_name, mine) => {
  it('counts an empty basket toward N', () => {
    expect(mine([['a'], [], []], { minSupport: 0.5 }).itemsets).toEqual([]);
    const r = mine([['a'], [], []], { minSupport: 1 / 3 });
    expect(r.transactionCount).toBe(3);
    expect(r.itemsets).toEqual([{ items: ['a'], count: 1, support: 1 / 3 }]);
  });

  it('is frequent when count ≥ ceil(minSupport × N), with no floating-point drift (0.07 × 100 = 7.000000000000001)', () => {
    const baskets = Array.from({ length: 100 }, (_, i) => (i < 7 ? ['x'] : ['y']));
    const r = mine(baskets, { minSupport: 0.07 });
    expect(r.options.minCount).toBe(7);
    expect(asMap(r)).toEqual(new Map([['x', 7], ['y', 93]]));
    // 0.0705 × 100 = 7.05 → 8: x (7) is no longer frequent.
    expect(mine(baskets, { minSupport: 0.0705 }).options.minCount).toBe(8);
    expect(mine(groceries(), { minSupport: 0.01 }).options.minCount).toBe(99); // ceil(98.35), REFERENCE.md
  });

  it('takes an absolute minCount instead of a fraction', () => {
    const r = mine([['a', 'b'], ['a'], ['b', 'c']], { minCount: 2 });
    expect(r.options).toMatchObject({ minSupport: null, minCount: 2 });
    expect(asMap(r)).toEqual(new Map([['a', 2], ['b', 2]]));
  });

  it('keeps an item found in every basket (pyfim drops that singleton)', () => {
    const r = mine([['k', 'a'], ['k'], ['k', 'b'], ['k', 'a']], { minSupport: 0.5 });
    expect(asMap(r)).toEqual(new Map([['k', 4], ['a', 2], [key(['a', 'k']), 2]]));
  });

  it('ignores duplicates in a basket, treats 1 and "1" as different items, never trims or splits labels', () => {
    const r = mine([['a', 'a', 1, '1'], ['cream cheese ', 'salt, coarse'], ['salt, coarse', 'cream cheese ']] as (string | number)[][], { minCount: 2 });
    expect(asMap(r)).toEqual(new Map([[key(['cream cheese ']), 2], [key(['salt, coarse']), 2], [key(['cream cheese ', 'salt, coarse']), 2]]));
    const s = mine([[1, '1'], [1], ['1']] as (string | number)[][], { minCount: 2 });
    expect(s.itemsets.map((x) => x.items[0])).toEqual(expect.arrayContaining([1, '1']));
    expect(s.itemsets.length).toBe(2);
  });

  it('reads transactions with line items: a basket is the set of their productIds; no items is an empty basket', () => {
    const t = (id: string, ...products: string[]): Transaction => ({
      id, customerId: 'C1', time: new Date(0), amount: 1,
      items: products.map((productId) => ({ productId, quantity: 2, unitPrice: 1 })),
    });
    const transactions: Transaction[] = [t('1', 'p', 'q', 'p'), t('2', 'p'), { customerId: 'C2', time: new Date(0), amount: 3 }];
    const r = mine(transactions, { minCount: 1 });
    expect(r.transactionCount).toBe(3);
    expect(asMap(r)).toEqual(new Map([['p', 2], ['q', 1], [key(['p', 'q']), 1]]));
    expect(code(() => mine([{ customerId: 'C', time: new Date(0), amount: 1, items: [{ productId: null }] }] as never))).toEqual(['invalid_input', [0, 'items', 0, 'productId']]);
  });

  it('applies maxLength and minLength', () => {
    const baskets = [['a', 'b', 'c'], ['a', 'b', 'c'], ['a', 'b']];
    expect(mine(baskets, { minCount: 2, maxLength: 2 }).itemsets.every((s) => s.items.length <= 2)).toBe(true);
    expect(mine(baskets, { minCount: 2, maxLength: 2 }).itemsets.length).toBe(6);
    expect(asMap(mine(baskets, { minCount: 2, minLength: 3 }))).toEqual(new Map([[key(['a', 'b', 'c']), 2]]));
  });

  it('gives an empty result for no baskets', () => {
    expect(mine([], { minSupport: 0.1 })).toMatchObject({ itemsets: [], transactionCount: 0 });
  });

  it('stops with limit_exceeded past maxItemsets instead of exhausting memory', () => {
    expect(code(() => mine(groceries(), { minSupport: 0.001, maxItemsets: 1000 }))[0]).toBe('limit_exceeded');
  });

  it('does not mutate frozen input and gives the same result on a second call', () => {
    const baskets = Object.freeze([Object.freeze(['b', 'a']), Object.freeze(['a']), Object.freeze(['c', 'a', 'b'])]);
    const options: MiningOptions = Object.freeze({ minSupport: 0.5 });
    const first = mine(baskets, options);
    expect(mine(baskets, options)).toEqual(first);
    expect(baskets).toEqual([['b', 'a'], ['a'], ['c', 'a', 'b']]);
  });

  it('rejects bad options with CrmError invalid_argument and the option path', () => {
    const b = [['a']];
    for (const minSupport of [0, -0.1, 1.5, Number.NaN, '0.1']) {
      expect(code(() => mine(b, { minSupport } as MiningOptions))).toEqual(['invalid_argument', ['options', 'minSupport']]);
    }
    for (const minCount of [0, -1, 1.5, Infinity]) {
      expect(code(() => mine(b, { minCount }))).toEqual(['invalid_argument', ['options', 'minCount']]);
    }
    expect(code(() => mine(b, { minCount: 1, minSupport: 0.5 }))[0]).toBe('invalid_argument');
    expect(code(() => mine(b, { maxLength: 0 }))).toEqual(['invalid_argument', ['options', 'maxLength']]);
    expect(code(() => mine(b, { minLength: 3, maxLength: 2 }))).toEqual(['invalid_argument', ['options', 'minLength']]);
    expect(code(() => mine(b, { maxItemsets: 0 }))).toEqual(['invalid_argument', ['options', 'maxItemsets']]);
    expect(code(() => mine(b, { target: 'frequent' } as never))).toEqual(['invalid_argument', ['options', 'target']]);
    expect(code(() => mine(b, 5 as never))[0]).toBe('invalid_argument');
  });

  it('rejects non-array baskets and non-string/number items with CrmError and their path', () => {
    expect(code(() => mine('abc' as never))).toEqual(['invalid_argument', ['baskets']]);
    expect(code(() => mine({ length: 1 } as never))).toEqual(['invalid_argument', ['baskets']]);
    expect(code(() => mine([['a'], 'ab'] as never))).toEqual(['invalid_input', [1]]);
    expect(code(() => mine([['a'], null] as never))).toEqual(['invalid_input', [1]]);
    expect(code(() => mine([['a'], 7] as never))).toEqual(['invalid_input', [1]]);
    for (const bad of [null, undefined, true, {}, [], Number.NaN, Infinity]) {
      expect(code(() => mine([['a'], ['b', bad]] as never))).toEqual(['invalid_input', [1, 1]]);
    }
  });
});

/** Frequent itemsets by definition: every subset of the universe counted directly. */
function bruteForce(baskets: readonly (readonly number[])[], universe: number, minCount: number, maxLength: number): Map<string, { items: number[]; count: number }> {
  const out = new Map<string, { items: number[]; count: number }>();
  for (let mask = 1; mask < 1 << universe; mask++) {
    const items: number[] = [];
    for (let i = 0; i < universe; i++) if (mask & (1 << i)) items.push(i);
    if (items.length > maxLength) continue;
    const count = baskets.filter((b) => items.every((i) => b.includes(i))).length;
    if (count >= minCount) out.set(key(items), { items, count });
  }
  return out;
}

describe('closed and maximal itemsets (target option)', () => {
  it('match their definitions on random baskets, for both miners (property)', () => {
    const universe = 8;
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.integer({ min: 0, max: universe - 1 }), { maxLength: universe }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: universe }),
        (baskets, minCount, maxLength) => {
          const all = [...bruteForce(baskets, universe, minCount, maxLength).values()];
          const supersets = (x: { items: number[] }): { items: number[]; count: number }[] =>
            all.filter((y) => y.items.length > x.items.length && x.items.every((i) => y.items.includes(i)));
          const closed = new Map(all.filter((x) => supersets(x).every((y) => y.count < x.count)).map((x) => [key(x.items), x.count]));
          const maximal = new Map(all.filter((x) => supersets(x).length === 0).map((x) => [key(x.items), x.count]));
          for (const [, mine] of miners) {
            expect(asMap(mine(baskets, { minCount, maxLength, target: 'closed' }))).toEqual(closed);
            expect(asMap(mine(baskets, { minCount, maxLength, target: 'maximal' }))).toEqual(maximal);
          }
        },
      ),
      { numRuns: 200, seed: 42 },
    );
  });

  it('closed itemsets keep every support: each frequent itemset has its largest closed superset count (Groceries 0.5 %)', () => {
    const g = groceries();
    const all = fpGrowth(g, { minSupport: 0.005 });
    const closed = fpGrowth(g, { minSupport: 0.005, target: 'closed' });
    const maximal = fpGrowth(g, { minSupport: 0.005, target: 'maximal' });
    expect(closed.itemsets.length).toBeLessThanOrEqual(all.itemsets.length);
    expect(maximal.itemsets.length).toBeLessThan(closed.itemsets.length);
    for (const s of all.itemsets) {
      const best = Math.max(...closed.itemsets.filter((c) => s.items.every((i) => c.items.includes(i))).map((c) => c.count));
      expect(best).toBe(s.count);
    }
  });
});
