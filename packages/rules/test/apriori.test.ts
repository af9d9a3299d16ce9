import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { apriori, fpGrowth, type FrequentItemsets } from '@crm/rules';
import { fimi, groceries } from './data.ts';

const key = (items: readonly (string | number)[]): string => [...items].map(String).sort().join('\u0000');
const asMap = (result: FrequentItemsets<string | number>): Map<string, number> =>
  new Map(result.itemsets.map((s) => [key(s.items), s.count]));

/** Every non-empty subset of the item universe counted directly: the definition of support. */
function bruteForce(baskets: readonly (readonly number[])[], universe: number, minCount: number, maxLength = Infinity): Map<string, number> {
  const sets = baskets.map((b) => new Set(b));
  const out = new Map<string, number>();
  for (let mask = 1; mask < 1 << universe; mask++) {
    const items: number[] = [];
    for (let i = 0; i < universe; i++) if (mask & (1 << i)) items.push(i);
    if (items.length > maxLength) continue;
    let count = 0;
    for (const s of sets) if (items.every((i) => s.has(i))) count++;
    if (count >= minCount) out.set(key(items), count);
  }
  return out;
}

describe('apriori(baskets, options)', () => {
  it('Groceries: 333, 1,001 and 13,492 itemsets at 1 %, 0.5 % and 0.1 % (SPMF counts, REFERENCE.md)', () => {
    const g = groceries();
    expect(apriori(g, { minSupport: 0.01 }).itemsets.length).toBe(333);
    expect(apriori(g, { minSupport: 0.005 }).itemsets.length).toBe(1001);
    const low = apriori(g, { minSupport: 0.001 });
    expect(low.itemsets.length).toBe(13492);
    expect(asMap(low)).toEqual(asMap(fpGrowth(g, { minSupport: 0.001 })));
  });

  it('retail.dat: 159 and 7,589 itemsets at 1 % and 0.1 %; T10I4D100K: 385 at 1 % (SPMF counts)', () => {
    const retail = fimi('retail.dat.gz');
    expect(apriori(retail, { minSupport: 0.01 }).itemsets.length).toBe(159);
    expect(apriori(retail, { minSupport: 0.001 }).itemsets.length).toBe(7589);
    expect(apriori(fimi('T10I4D100K.dat.gz'), { minSupport: 0.01 }).itemsets.length).toBe(385);
  });

  it('returns itemsets shortest first, items most frequent first', () => {
    const { itemsets } = apriori([['b', 'a'], ['a', 'b'], ['a', 'c']], { minCount: 1 });
    expect(itemsets.map((s) => s.items)).toEqual([['a'], ['b'], ['c'], ['a', 'b'], ['a', 'c']]);
  });
});

describe('apriori ≡ fpGrowth ≡ brute force on random baskets (property)', () => {
  // Up to 9 items so the brute force over 2^9 subsets stays exact and quick.
  const universe = 9;
  const basketsArb = fc.array(fc.uniqueArray(fc.integer({ min: 0, max: universe - 1 }), { maxLength: universe }), { maxLength: 40 });
  it('identical itemsets and counts, each equal to a direct count', () => {
    fc.assert(
      fc.property(basketsArb, fc.integer({ min: 1, max: 6 }), fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }), (baskets, minCount, maxLength) => {
        const a = apriori(baskets, { minCount, maxLength });
        const f = fpGrowth(baskets, { minCount, maxLength });
        const expected = bruteForce(baskets, universe, minCount, maxLength);
        expect(asMap(a)).toEqual(expected);
        expect(asMap(f)).toEqual(expected);
        expect(a.itemsets.length).toBe(expected.size);
        expect(f.itemsets.length).toBe(expected.size);
        // Same items in the same order inside each itemset from both miners.
        const order = (r: FrequentItemsets<number>): string[] => r.itemsets.map((s) => s.items.join(',')).sort();
        expect(order(a)).toEqual(order(f));
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });

  it('duplicates inside a basket do not change any count', () => {
    fc.assert(
      fc.property(basketsArb, fc.integer({ min: 1, max: 4 }), (baskets, minCount) => {
        const doubled = baskets.map((b) => [...b, ...b]);
        expect(asMap(fpGrowth(doubled, { minCount }))).toEqual(asMap(fpGrowth(baskets, { minCount })));
        expect(asMap(apriori(doubled, { minCount }))).toEqual(asMap(apriori(baskets, { minCount })));
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
