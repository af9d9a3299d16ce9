import { describe, expect, it } from 'vitest';
import { fpGrowth, type FrequentItemsets } from '@crm/rules';
import { fimi, groceries, groceriesLabels, spmfItemsets } from './data.ts';

/** Canonical key of an itemset: its items sorted, so order inside an itemset does not matter. */
const key = (items: readonly (string | number)[]): string =>
  [...items].map(String).sort().join('\u0000');

const asMap = (result: FrequentItemsets<string | number>): Map<string, number> =>
  new Map(result.itemsets.map((s) => [key(s.items), s.count]));

describe('fpGrowth(baskets, options) against SPMF (REFERENCE.md itemset counts)', () => {
  const g = groceries();
  it('Groceries: 333, 1,001 and 13,492 itemsets at 1 %, 0.5 % and 0.1 %', () => {
    expect(g.length).toBe(9835);
    expect(fpGrowth(g, { minSupport: 0.01 }).itemsets.length).toBe(333);
    expect(fpGrowth(g, { minSupport: 0.005 }).itemsets.length).toBe(1001);
    expect(fpGrowth(g, { minSupport: 0.001 }).itemsets.length).toBe(13492);
  });

  it('Groceries at 1 %: every itemset and count equals SPMF output (spmf_itemsets_groceries_0.01.txt)', () => {
    const labels = groceriesLabels();
    const expected = new Map(spmfItemsets('spmf_itemsets_groceries_0.01.txt').map((s) => [key(s.items.map((i) => labels.get(i) as string)), s.count]));
    const result = fpGrowth(g, { minSupport: 0.01 });
    expect(asMap(result)).toEqual(expected);
    for (const s of result.itemsets) expect(s.support).toBe(s.count / 9835);
  });

  const retail = fimi('retail.dat.gz');
  it('retail.dat: 159, 580 and 7,589 itemsets at 1 %, 0.5 % and 0.1 %', () => {
    expect(retail.length).toBe(88162);
    expect(fpGrowth(retail, { minSupport: 0.01 }).itemsets.length).toBe(159);
    expect(fpGrowth(retail, { minSupport: 0.005 }).itemsets.length).toBe(580);
    expect(fpGrowth(retail, { minSupport: 0.001 }).itemsets.length).toBe(7589);
  });

  it('retail.dat at 1 % and 0.5 %: every itemset and count equals SPMF output', () => {
    for (const [file, minSupport] of [['spmf_itemsets_retail_0.01.txt', 0.01], ['spmf_itemsets_retail_0.005.txt', 0.005]] as const) {
      const expected = new Map(spmfItemsets(file).map((s) => [key(s.items), s.count]));
      expect(asMap(fpGrowth(retail, { minSupport }))).toEqual(expected);
    }
  });

  it('T10I4D100K: 385 itemsets at 1 %', () => {
    const t10 = fimi('T10I4D100K.dat.gz');
    expect(t10.length).toBe(100000);
    expect(fpGrowth(t10, { minSupport: 0.01 }).itemsets.length).toBe(385);
  });
});
