import { expectTypeOf, test } from 'vitest';
import type { Transaction } from '@crm/core';
import { apriori, associationRules, fpGrowth, recommend, type AssociationRule, type FrequentItemsets, type Recommendation } from '@crm/rules';

const names: string[][] = [['a', 'b']];
const ids: number[][] = [[1, 2]];

test('miners keep the item type of the baskets', () => {
  expectTypeOf(fpGrowth(names)).toEqualTypeOf<FrequentItemsets<string>>();
  expectTypeOf(apriori(ids)).toEqualTypeOf<FrequentItemsets<number>>();
  expectTypeOf(fpGrowth([] as Transaction[])).toEqualTypeOf<FrequentItemsets<string>>();
});

test('rules and recommendations carry the item type through', () => {
  const rules = associationRules(fpGrowth(ids), { consequentContains: [2] });
  expectTypeOf(rules).toEqualTypeOf<AssociationRule<number>[]>();
  expectTypeOf(recommend(rules, [1])).toEqualTypeOf<Recommendation<number>[]>();
  // @ts-expect-error a metric that does not exist
  associationRules(fpGrowth(names), { metric: 'oddsRatio' });
});
