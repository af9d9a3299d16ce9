import { describe, expect, it } from 'vitest';
import { associationRules, fpGrowth, recommend, recommendMany, type AssociationRule } from '@crm/rules';
import { groceries } from './data.ts';

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

describe('recommend(rules, basket, options)', () => {
  const baskets = [['bread', 'milk'], ['bread', 'butter'], ['bread', 'milk', 'butter'], ['milk', 'eggs'], ['bread', 'butter', 'jam']];
  const rules = associationRules(fpGrowth(baskets, { minCount: 1 }), { metric: 'confidence', minThreshold: 0 });

  it('offers the consequents of rules whose antecedent the basket holds, best first, never a basket item', () => {
    const recs = recommend(rules, ['butter']);
    expect(recs.length).toBeGreaterThan(0);
    for (const r of recs) {
      expect(r.item).not.toBe('butter');
      expect(r.rules.length).toBeGreaterThan(0);
      for (const rule of r.rules) {
        expect(rule.antecedent.every((x) => x === 'butter')).toBe(true);
        expect(rule.consequent).toContain(r.item);
      }
      // The score is the best supporting rule's confidence.
      expect(r.score).toBe(Math.max(...r.rules.map((x) => x.confidence)));
    }
    // butter → bread holds in all 3 butter baskets: confidence 1, the top offer.
    expect(recs[0]?.item).toBe('bread');
    expect(recs[0]?.score).toBe(1);
    for (let i = 1; i < recs.length; i++) expect((recs[i - 1]?.score ?? 0) >= (recs[i]?.score ?? 0)).toBe(true);
  });

  it('computes the same offers as a direct scan, on Groceries', () => {
    const g = associationRules(fpGrowth(groceries(), { minSupport: 0.005 }), { minThreshold: 0.2 });
    const basket = ['yogurt', 'root vegetables'];
    const recs = recommend(g, basket, { top: Infinity, metric: 'lift' });
    const expected = new Map<string, number>();
    for (const r of g) {
      if (!r.antecedent.every((x) => basket.includes(x))) continue;
      for (const item of r.consequent) if (!basket.includes(item)) expected.set(item, Math.max(expected.get(item) ?? -Infinity, r.lift));
    }
    expect(new Map(recs.map((r) => [r.item, r.score]))).toEqual(expected);
    expect(recommend(g, basket, { top: 3, metric: 'lift' }).map((r) => r.item)).toEqual(recs.slice(0, 3).map((r) => r.item));
  });

  it('returns nothing when no rule applies, and never offers what the basket holds', () => {
    expect(recommend(rules, ['caviar'])).toEqual([]);
    const all = recommend(rules, ['bread', 'milk', 'butter', 'eggs', 'jam'], { top: Infinity });
    expect(all).toEqual([]);
  });

  it('does not mutate frozen rules or basket', () => {
    const frozen = Object.freeze(rules.map((r) => Object.freeze({ ...r, antecedent: Object.freeze([...r.antecedent]), consequent: Object.freeze([...r.consequent]) }))) as readonly AssociationRule<string>[];
    const basket = Object.freeze(['butter']);
    expect(recommend(frozen, basket)).toEqual(recommend(rules, ['butter']));
  });

  it('rejects bad input with CrmError', () => {
    expect(code(() => recommend('x' as never, ['a']))).toBe('invalid_input');
    expect(code(() => recommend(rules, 'a' as never))).toBe('invalid_input');
    expect(code(() => recommend(rules, [{}] as never))).toBe('invalid_input');
    expect(code(() => recommend(rules, ['a'], { top: 0 }))).toBe('invalid_argument');
    expect(code(() => recommend(rules, ['a'], { metric: 'x' as never }))).toBe('invalid_argument');
    expect(code(() => recommend([{ antecedent: 'a' }] as never, ['a']))).toBe('invalid_input');
  });

  it('recommendMany gives, for each basket, what recommend gives (Groceries, first 300 baskets)', () => {
    const data = groceries();
    const g = associationRules(fpGrowth(data, { minSupport: 0.005 }), { minThreshold: 0.1 });
    const baskets = data.slice(0, 300);
    const many = recommendMany(g, baskets, { top: 5, metric: 'lift' });
    expect(many.length).toBe(300);
    baskets.forEach((b, i) => expect(many[i]).toEqual(recommend(g, b, { top: 5, metric: 'lift' })));
    expect(many.some((r) => r.length > 0)).toBe(true);
    expect(code(() => recommendMany(g, ['a'] as never))).toBe('invalid_input');
    expect(code(() => recommendMany(g, 'a' as never))).toBe('invalid_input');
  });

  it('lists supporting rules best first, ties in rule order', () => {
    const r = recommend(rules, ['bread', 'butter'], { top: Infinity });
    for (const rec of r) {
      for (let i = 1; i < rec.rules.length; i++) {
        const [a, b] = [rec.rules[i - 1] as AssociationRule<string>, rec.rules[i] as AssociationRule<string>];
        expect(a.confidence >= b.confidence).toBe(true);
        if (a.confidence === b.confidence) expect(rules.indexOf(a)).toBeLessThan(rules.indexOf(b));
      }
    }
  });
});
