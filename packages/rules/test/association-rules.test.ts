import { describe, expect, it } from 'vitest';
import { associationRules, fpGrowth, type AssociationRule, type RuleMetric } from '@crm/rules';
import { groceries, text } from './data.ts';

const METRICS: RuleMetric[] = [
  'antecedentSupport', 'consequentSupport', 'support', 'confidence', 'lift', 'leverage',
  'conviction', 'zhangsMetric', 'jaccard', 'certainty', 'kulczynski',
];
const side = (items: readonly (string | number)[]): string => [...items].map(String).sort().join(', ');
const ruleKey = (r: { antecedent: readonly (string | number)[]; consequent: readonly (string | number)[] }): string =>
  `{${side(r.antecedent)}} -> {${side(r.consequent)}}`;
const byKey = <T extends string | number>(rules: AssociationRule<T>[]): Map<string, AssociationRule<T>> =>
  new Map(rules.map((r) => [ruleKey(r), r]));

describe('associationRules(itemsets, options) against mlxtend 0.25', () => {
  it('Groceries at 1 % support and 50 % confidence: the 15 rules of groceries_rules_1pct_50conf_mlxtend.tsv, every metric to 1e-6', () => {
    const [header, ...rows] = text('groceries_rules_1pct_50conf_mlxtend.tsv').trim().split('\n');
    expect(header?.split('\t').slice(2)).toEqual([
      'antecedent support', 'consequent support', 'support', 'confidence', 'lift', 'leverage', 'conviction',
      'zhangs_metric', 'jaccard', 'certainty', 'kulczynski',
    ]);
    const rules = associationRules(fpGrowth(groceries(), { minSupport: 0.01 }), { metric: 'confidence', minThreshold: 0.5 });
    expect(rules.length).toBe(15);
    const got = byKey(rules);
    for (const row of rows) {
      const cells = row.split('\t');
      const parse = (s: string): string[] => s.slice(1, -1).split(', ');
      const key = `{${side(parse(cells[0] as string))}} -> {${side(parse(cells[1] as string))}}`;
      const rule = got.get(key);
      expect(rule, key).toBeDefined();
      // The table is rounded to 6 decimals: agreement within half a unit of the 6th decimal
      // plus double rounding noise, i.e. 1e-6 (the tolerance the issue sets).
      METRICS.forEach((m, j) => expect(Math.abs((rule as AssociationRule<string>)[m] - Number(cells[j + 2])), `${key} ${m}`).toBeLessThanOrEqual(1e-6));
    }
    // Sorted by the metric, best first.
    for (let i = 1; i < rules.length; i++) expect((rules[i - 1] as AssociationRule<string>).confidence).toBeGreaterThanOrEqual((rules[i] as AssociationRule<string>).confidence);
  });

  // metric_edge_cases.txt, mlxtend 0.25 values (4 decimals there, so 1e-4 tolerance here).
  const edge = (baskets: string[][]): Map<string, AssociationRule<string>> =>
    byKey(associationRules(fpGrowth(baskets, { minCount: 1 }), { metric: 'support', minThreshold: 0 }));
  const expectRule = (rule: AssociationRule<string> | undefined, expected: Partial<Record<RuleMetric, number>>): void => {
    expect(rule).toBeDefined();
    for (const [m, v] of Object.entries(expected)) {
      const got = (rule as AssociationRule<string>)[m as RuleMetric];
      if (v === Infinity) expect(got, m).toBe(Infinity);
      else expect(Math.abs(got - v), m).toBeLessThanOrEqual(1e-4);
    }
  };

  it('E1: an item in every basket (N = 4): conviction ∞ at confidence 1, certainty 0 where mlxtend divides 0 by 0', () => {
    const rules = edge([['A', 'C'], ['A', 'C'], ['C'], ['C']]);
    expect(rules.size).toBe(2);
    expectRule(rules.get('{C} -> {A}'), {
      antecedentSupport: 1, consequentSupport: 0.5, support: 0.5, confidence: 0.5, lift: 1, leverage: 0,
      conviction: 1, zhangsMetric: 0, jaccard: 0.5, certainty: 0, kulczynski: 0.75,
    });
    expectRule(rules.get('{A} -> {C}'), {
      antecedentSupport: 0.5, consequentSupport: 1, support: 0.5, confidence: 1, lift: 1, leverage: 0,
      conviction: Infinity, zhangsMetric: 0, jaccard: 0.5, certainty: 0, kulczynski: 0.75,
    });
  });

  it('E2: two items in every basket (N = 3): Zhang 0 where its denominator is 0, conviction ∞', () => {
    const rules = edge([['A', 'C'], ['A', 'C'], ['C', 'A']]);
    for (const key of ['{C} -> {A}', '{A} -> {C}']) {
      expectRule(rules.get(key), {
        antecedentSupport: 1, consequentSupport: 1, support: 1, confidence: 1, lift: 1, leverage: 0,
        conviction: Infinity, zhangsMetric: 0, jaccard: 1, certainty: 0, kulczynski: 1,
      });
    }
  });

  it('E3: negative dependence (N = 10): mlxtend values, certainty by its literature definition', () => {
    const baskets = [['A', 'C'], ['A'], ...Array.from({ length: 8 }, () => ['C'])];
    const rules = edge(baskets);
    expectRule(rules.get('{C} -> {A}'), {
      antecedentSupport: 0.9, consequentSupport: 0.2, support: 0.1, confidence: 0.1111, lift: 0.5556, leverage: -0.08,
      conviction: 0.9, zhangsMetric: -0.8889, jaccard: 0.1, kulczynski: 0.3056,
    });
    expectRule(rules.get('{A} -> {C}'), {
      antecedentSupport: 0.2, consequentSupport: 0.9, support: 0.1, confidence: 0.5, lift: 0.5556, leverage: -0.08,
      conviction: 0.2, zhangsMetric: -0.5, jaccard: 0.1, kulczynski: 0.3056,
    });
    // mlxtend reports −0.1111 and −4.0 (outside [−1, 1]); Berzal et al. (2002):
    // (confidence − s(C)) / s(C) when confidence < s(C): (1/9 − 0.2) / 0.2 = −4/9 and (0.5 − 0.9) / 0.9 = −4/9.
    expect(rules.get('{C} -> {A}')?.certainty).toBeCloseTo(-4 / 9, 12);
    expect(rules.get('{A} -> {C}')?.certainty).toBeCloseTo(-4 / 9, 12);
  });
});

describe('associationRules on mlxtend test_association_rules.py (REFERENCE.md section B)', () => {
  // mlxtend/frequent_patterns/tests/test_association_rules.py:8-30, five baskets.
  const baskets = [
    ['Eggs', 'Kidney Beans', 'Milk', 'Nutmeg', 'Onion', 'Yogurt'],
    ['Dill', 'Eggs', 'Kidney Beans', 'Nutmeg', 'Onion', 'Yogurt'],
    ['Apple', 'Eggs', 'Kidney Beans', 'Milk'],
    ['Corn', 'Kidney Beans', 'Milk', 'Unicorn', 'Yogurt'],
    ['Corn', 'Eggs', 'Ice cream', 'Kidney Beans', 'Onion'],
  ];
  const itemsets = fpGrowth(baskets, { minSupport: 0.6 });

  it('test_fpbase.py:220-248: 11 itemsets at min_support 0.5, 10 with max_len 2', () => {
    const supports = new Map(fpGrowth(baskets, { minSupport: 0.5 }).itemsets.map((s) => [side(s.items), s.support]));
    expect(supports).toEqual(new Map([
      ['Eggs', 0.8], ['Kidney Beans', 1], ['Milk', 0.6], ['Onion', 0.6], ['Yogurt', 0.6], ['Eggs, Kidney Beans', 0.8],
      ['Eggs, Onion', 0.6], ['Kidney Beans, Milk', 0.6], ['Kidney Beans, Onion', 0.6], ['Kidney Beans, Yogurt', 0.6],
      ['Eggs, Kidney Beans, Onion', 0.6],
    ]));
    expect(fpGrowth(baskets, { minSupport: 0.5, maxLength: 2 }).itemsets.length).toBe(10);
  });

  it('test_default (lines 57-86): the 9 rules at confidence ≥ 0.8, metrics to 3 decimals', () => {
    const rules = byKey(associationRules(itemsets, { metric: 'confidence', minThreshold: 0.8 }));
    expect(rules.size).toBe(9);
    // [aS, cS, s, conf, lift, lev, conv, zhang, jacc, cert, kulc]; representativity is 1 throughout (no missing values).
    const table: [string, number[]][] = [
      ['{Onion} -> {Kidney Beans}', [0.6, 1, 0.6, 1, 1, 0, Infinity, 0, 0.6, 0, 0.8]],
      ['{Milk} -> {Kidney Beans}', [0.6, 1, 0.6, 1, 1, 0, Infinity, 0, 0.6, 0, 0.8]],
      ['{Eggs, Onion} -> {Kidney Beans}', [0.6, 1, 0.6, 1, 1, 0, Infinity, 0, 0.6, 0, 0.8]],
      ['{Kidney Beans, Onion} -> {Eggs}', [0.6, 0.8, 0.6, 1, 1.25, 0.12, Infinity, 0.5, 0.75, 1, 0.875]],
      ['{Onion} -> {Eggs, Kidney Beans}', [0.6, 0.8, 0.6, 1, 1.25, 0.12, Infinity, 0.5, 0.75, 1, 0.875]],
      ['{Eggs} -> {Kidney Beans}', [0.8, 1, 0.8, 1, 1, 0, Infinity, 0, 0.8, 0, 0.9]],
      ['{Kidney Beans} -> {Eggs}', [1, 0.8, 0.8, 0.8, 1, 0, 1, 0, 0.8, 0, 0.9]],
      ['{Yogurt} -> {Kidney Beans}', [0.6, 1, 0.6, 1, 1, 0, Infinity, 0, 0.6, 0, 0.8]],
      ['{Onion} -> {Eggs}', [0.6, 0.8, 0.6, 1, 1.25, 0.12, Infinity, 0.5, 0.75, 1, 0.875]],
    ];
    for (const [key, values] of table) {
      const rule = rules.get(key);
      expect(rule, key).toBeDefined();
      METRICS.forEach((m, j) => {
        const v = values[j] as number;
        const got = (rule as AssociationRule<string>)[m];
        if (v === Infinity) expect(got, `${key} ${m}`).toBe(Infinity);
        else expect(Math.abs(got - v), `${key} ${m}`).toBeLessThanOrEqual(0.0005); // table rounded to 3 dp
      });
    }
  });

  it('rule counts per metric and threshold (lines 344-470)', () => {
    const count = (metric: RuleMetric, minThreshold: number): number => associationRules(itemsets, { metric, minThreshold }).length;
    expect(count('leverage', 0.1)).toBe(6);
    expect(count('conviction', 1.5)).toBe(11);
    expect(count('lift', 1.1)).toBe(6);
    expect(count('confidence', 0.8)).toBe(9);
    expect(count('support', 0)).toBe(16);
    expect(count('jaccard', 0.7)).toBe(8);
    expect(count('certainty', 0.6)).toBe(3);
    expect(count('kulczynski', 0.9)).toBe(2);
    expect(count('kulczynski', 0.6)).toBe(16);
    expect(count('support', 0.8)).toBe(2);
    expect(count('confidence', 2)).toBe(0);
  });
});

describe('associationRules filters', () => {
  const baskets = [['a', 'b', 'c'], ['a', 'b'], ['a', 'c'], ['b', 'c'], ['a', 'b', 'c', 'd']];
  const itemsets = fpGrowth(baskets, { minCount: 1 });
  const all = associationRules(itemsets, { metric: 'support', minThreshold: 0 });

  it('without filters, every split of every itemset of two or more items', () => {
    // Σ over itemsets of (2^k − 2): 6 pairs × 2 + 4 triples × 6 + 1 quadruple × 14.
    expect(all.length).toBe(6 * 2 + 4 * 6 + 14);
  });

  it('filters on antecedent and consequent length', () => {
    const r = associationRules(itemsets, { metric: 'support', minThreshold: 0, maxConsequentLength: 1, minAntecedentLength: 2 });
    expect(r.length).toBe(all.filter((x) => x.consequent.length === 1 && x.antecedent.length >= 2).length);
    expect(r.every((x) => x.consequent.length === 1 && x.antecedent.length >= 2)).toBe(true);
    const r2 = associationRules(itemsets, { metric: 'support', minThreshold: 0, maxAntecedentLength: 1, minConsequentLength: 2 });
    expect(r2.length).toBe(all.filter((x) => x.antecedent.length === 1 && x.consequent.length >= 2).length);
  });

  it('filters on contained and excluded items', () => {
    const withD = associationRules(itemsets, { metric: 'support', minThreshold: 0, consequentContains: ['d'] });
    expect(withD.length).toBe(all.filter((x) => x.consequent.includes('d')).length);
    expect(withD.length).toBeGreaterThan(0);
    const aInA = associationRules(itemsets, { metric: 'support', minThreshold: 0, antecedentContains: ['a', 'b'] });
    expect(aInA.length).toBe(all.filter((x) => x.antecedent.includes('a') && x.antecedent.includes('b')).length);
    const noD = associationRules(itemsets, { metric: 'support', minThreshold: 0, excludeItems: ['d'] });
    expect(noD.length).toBe(all.filter((x) => !x.antecedent.includes('d') && !x.consequent.includes('d')).length);
  });

  it('filters on any metric with minimums and maximums', () => {
    const r = associationRules(itemsets, { metric: 'confidence', minThreshold: 0.5, minimums: { lift: 1 }, maximums: { support: 0.4 } });
    expect(r.length).toBe(all.filter((x) => x.confidence >= 0.5 && x.lift >= 1 - 1e-12 && x.support <= 0.4).length);
  });

  it('accepts a plain array of { items, support } and keeps the confidence of exactly 1/2', () => {
    const r = associationRules([
      { items: ['x'], support: 254 / 9835 },
      { items: ['y'], support: 0.3 },
      { items: ['x', 'y'], support: 127 / 9835 },
    ], { minThreshold: 0.5 });
    expect(r.map(ruleKey)).toEqual(['{x} -> {y}']);
  });

  it('rejects unknown metrics, bad thresholds and incomplete itemset tables with CrmError', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return undefined;
    };
    expect(code(() => associationRules(itemsets, { metric: 'oddsRatio' as RuleMetric }))).toBe('invalid_argument');
    expect(code(() => associationRules(itemsets, { minThreshold: Number.NaN }))).toBe('invalid_argument');
    expect(code(() => associationRules(itemsets, { maxAntecedentLength: 0 }))).toBe('invalid_argument');
    expect(code(() => associationRules(itemsets, { minimums: { foo: 1 } as never }))).toBe('invalid_argument');
    expect(code(() => associationRules('x' as never))).toBe('invalid_argument');
    expect(code(() => associationRules([{ items: ['a', 'b'], support: 0.5 }]))).toBe('invalid_input');
    expect(code(() => associationRules([{ items: ['a'], support: 2 }]))).toBe('invalid_input');
    expect(code(() => associationRules(itemsets, { metric: 'support', minThreshold: 0, maxRules: 3 }))).toBe('limit_exceeded');
    // 6 pairs × 2 + 4 triples × 6 + 14 = 50 splits in all.
    expect(code(() => associationRules(itemsets, { metric: 'support', minThreshold: 0, maxSplits: 49 }))).toBe('limit_exceeded');
    expect(associationRules(itemsets, { metric: 'support', minThreshold: 0, maxSplits: 50 }).length).toBe(50);
  });

  it('does not mutate frozen input', () => {
    const frozen = Object.freeze({
      ...itemsets,
      itemsets: Object.freeze(itemsets.itemsets.map((s) => Object.freeze({ ...s, items: Object.freeze([...s.items]) }))),
    });
    expect(associationRules(frozen, { metric: 'support', minThreshold: 0 }).length).toBe(all.length);
  });
});
