import { describe, expect, it } from 'vitest';
import { isCrmError } from '@crm/core';
import { apriori, associationRules, fpGrowth, recommend, recommendMany, type AssociationRule } from '@crm/rules';
import { crmError } from '../../../test/crm-error.ts';


const baskets = [['bread', 'milk'], ['bread', 'butter'], ['bread', 'milk', 'butter'], ['milk']];
const rules = associationRules(fpGrowth(baskets, { minCount: 2 }), { minThreshold: 0.5 });

describe('@crm/rules reads every options object through the one shared reader', () => {
  it('fpGrowth(baskets, { minSuport: 0.01 }) throws at the misspelled key, naming minSupport, instead of mining at 0.5', () => {
    const e = crmError(() => fpGrowth(baskets, { minSuport: 0.01 } as never));
    expect(e.code).toBe('invalid_argument');
    expect(e.path).toEqual(['options', 'minSuport']);
    expect(e.message).toContain("'minSupport'");
  });

  it('apriori rejects a misspelled option the same way', () => {
    expect(crmError(() => apriori(baskets, { maxLenght: 2 } as never)).path).toEqual(['options', 'maxLenght']);
  });

  it('associationRules, recommend and recommendMany reject unknown option keys', () => {
    const itemsets = fpGrowth(baskets, { minCount: 1 });
    expect(crmError(() => associationRules(itemsets, { minThreshhold: 0.1 } as never)).path).toEqual(['options', 'minThreshhold']);
    expect(crmError(() => recommend(rules, ['milk'], { tpo: 3 } as never)).path).toEqual(['options', 'tpo']);
    expect(crmError(() => recommendMany(rules, [['milk']], { metirc: 'lift' } as never)).path).toEqual(['options', 'metirc']);
  });

  it('options that are not an object are invalid_argument at [options]', () => {
    for (const bad of [null, 5, 'lift', [1]]) {
      expect(crmError(() => fpGrowth(baskets, bad as never)).path).toEqual(['options']);
      expect(crmError(() => associationRules(fpGrowth(baskets), bad as never)).path).toEqual(['options']);
      expect(crmError(() => recommend(rules, ['milk'], bad as never)).path).toEqual(['options']);
    }
  });

  it('numbers in options are checked: NaN, Infinity and strings are errors at their key', () => {
    for (const maxLength of [Number.NaN, 2.5, '2', 0]) {
      expect(crmError(() => fpGrowth(baskets, { maxLength } as never)).path).toEqual(['options', 'maxLength']);
    }
    expect(crmError(() => fpGrowth(baskets, { minSupport: Number.NaN })).path).toEqual(['options', 'minSupport']);
    expect(crmError(() => fpGrowth(baskets, { target: 'maximum' } as never)).path).toEqual(['options', 'target']);
    expect(crmError(() => associationRules(fpGrowth(baskets), { maxRules: Infinity })).path).toEqual(['options', 'maxRules']);
    expect(crmError(() => recommend(rules, ['milk'], { top: 0 })).path).toEqual(['options', 'top']);
    expect(recommend(rules, ['milk'], { top: Infinity }).length).toBeGreaterThan(0);
  });

  it('item filters with holes or non-finite numbers are rejected at the entry, not skipped', () => {
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [, 'milk'] as unknown as string[];
    expect(crmError(() => associationRules(fpGrowth(baskets), { excludeItems: sparse })).path).toEqual(['options', 'excludeItems', 0]);
    expect(crmError(() => associationRules(fpGrowth(baskets), { antecedentContains: [Number.NaN] as never })).path).toEqual([
      'options',
      'antecedentContains',
      0,
    ]);
  });
});

describe('@crm/rules: wrong-typed arguments are CrmErrors with a path, never a raw TypeError', () => {
  it('fpGrowth/apriori(null), associationRules(null), recommend(null, …) and recommend(rules, null)', () => {
    expect(crmError(() => fpGrowth(null as never)).path).toEqual(['baskets']);
    expect(crmError(() => apriori(5 as never)).path).toEqual(['baskets']);
    expect(crmError(() => associationRules(null as never)).path).toEqual(['itemsets']);
    expect(crmError(() => recommend(null as never, ['milk'])).path).toEqual(['rules']);
    expect(crmError(() => recommend(rules, null as never)).path).toEqual(['basket']);
    expect(crmError(() => recommendMany(rules, null as never)).path).toEqual(['baskets']);
    expect(crmError(() => recommend([null] as unknown as AssociationRule<string>[], ['milk'])).path).toEqual(['rules', 0]);
  });

  it('recommendMany with a sparse array of baskets rejects the hole instead of returning a hole', () => {
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [['milk'], , ['bread']] as unknown as string[][];
    expect(crmError(() => recommendMany(rules, sparse)).path).toEqual(['baskets', 1]);
  });
});

describe('@crm/rules: work that can explode stops early with limit_exceeded naming the option', () => {
  // 24 baskets of the same 20 items: every one of the 2^20 − 1 itemsets is frequent.
  const dense = Array.from({ length: 24 }, () => Array.from({ length: 20 }, (_, i) => `i${i}`));

  it('fpGrowth and apriori with a tiny minSupport on dense baskets stop at maxItemsets (default 1,000,000)', () => {
    for (const mine of [fpGrowth, apriori]) {
      const e = crmError(() => mine(dense, { minSupport: 0.01 }));
      expect(e.code).toBe('limit_exceeded');
      expect(e.path).toEqual(['options', 'maxItemsets']);
    }
  });

  it('associationRules stops at maxSplits before examining 2^n splits of long itemsets', () => {
    const itemsets = fpGrowth(dense.map((b) => b.slice(0, 16)), { minSupport: 0.5 });
    const e = crmError(() => associationRules(itemsets, { minThreshold: 0, maxSplits: 1000 }));
    expect(e.code).toBe('limit_exceeded');
    expect(e.path).toEqual(['options', 'maxSplits']);
  });
});

describe('recommend hands back only rules whose metrics are numbers', () => {
  it('a rule with NaN in any metric is invalid_input at its path', () => {
    const rules = associationRules(fpGrowth([['a', 'b'], ['a', 'b'], ['a']], { minSupport: 0.3 }), { metric: 'confidence', minThreshold: 0.1 });
    const bad = rules.map((r, i) => (i === 0 ? { ...r, jaccard: NaN } : r));
    try {
      recommend(bad, ['a']);
      expect.unreachable('NaN metric accepted');
    } catch (e) {
      expect((e as { code: string; path: unknown }).path).toEqual(['rules', 0, 'jaccard']);
    }
  });
});

describe('associationRules refuses supports that grow with the itemset', () => {
  it('a superset with more support than its subset is invalid_input at its support', () => {
    const itemsets = [
      { items: ['a'], support: 5e-324 },
      { items: ['b'], support: 0.5 },
      { items: ['a', 'b'], support: 0.25 },
    ];
    try {
      associationRules(itemsets, { metric: 'confidence', minThreshold: 0 });
      expect.unreachable('inconsistent supports accepted');
    } catch (e) {
      expect(isCrmError(e) && e.code === 'invalid_input').toBe(true);
      expect((e as { path: unknown }).path).toEqual(['itemsets', 2, 'support']);
    }
  });
});
