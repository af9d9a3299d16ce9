// @crm/rules on Groceries (arules): frequent itemsets, cross-sell rules and recommendations for baskets.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { apriori, associationRules, fpGrowth, recommend, recommendMany } from '@crm/rules';
import { table } from './shared.mjs';

/** Groceries: one basket per line, item names separated by commas (labels kept as they are). */
function groceries() {
  const url = new URL('../../packages/rules/test/fixtures/groceries.csv.gz', import.meta.url);
  const lines = gunzipSync(readFileSync(url)).toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => l.split(','));
}

export async function run() {
  const baskets = groceries();
  console.log('\n## @crm/rules: market baskets of a grocery store (Groceries, 9,835 baskets)');

  const itemsets = fpGrowth(baskets, { minSupport: 0.005 });
  const check = apriori(baskets, { minSupport: 0.005 }).itemsets.length;
  console.log(
    `fpGrowth at 0.5 % support (count ≥ ${itemsets.options.minCount}): ${itemsets.itemsets.length} frequent itemsets ` +
      `(apriori finds ${check}; SPMF 1,001)`,
  );
  const largest = [...itemsets.itemsets].filter((s) => s.items.length >= 3).sort((a, b) => b.count - a.count).slice(0, 3);
  console.log(`most frequent triples: ${largest.map((s) => `{${s.items.join(', ')}} ${s.count}`).join('; ')}`);

  const rules = associationRules(itemsets, { metric: 'lift', minThreshold: 2, minimums: { confidence: 0.4 }, maxConsequentLength: 1 });
  const pct = (x) => `${(x * 100).toFixed(1)} %`;
  const f2 = (x) => (x === Infinity ? '∞' : x.toFixed(2));
  console.log(`\nCross-sell rules with lift ≥ 2 and confidence ≥ 40 % (${rules.length}), best 10 by lift:`);
  console.log(
    table(rules.slice(0, 10), [
      { label: 'customers who buy', align: 'left', format: (r) => r.antecedent.join(' + ') },
      { label: 'also buy', align: 'left', format: (r) => r.consequent.join(' + ') },
      { label: 'support', format: (r) => pct(r.support) },
      { label: 'confidence', format: (r) => pct(r.confidence) },
      { label: 'lift', format: (r) => f2(r.lift) },
      { label: 'conviction', format: (r) => f2(r.conviction) },
      { label: 'Zhang', format: (r) => f2(r.zhangsMetric) },
    ]),
  );

  const offers = associationRules(itemsets, { metric: 'confidence', minThreshold: 0.3, minimums: { lift: 1.2 } });
  console.log(`\nWhat to offer at the checkout (${offers.length} rules with confidence ≥ 30 % and lift ≥ 1.2, scored by confidence):`);
  for (const basket of [['yogurt', 'tropical fruit'], ['butter', 'domestic eggs'], ['beef', 'root vegetables', 'onions'], ['bottled beer']]) {
    const recs = recommend(offers, basket, { top: 3 });
    const text = recs.length
      ? recs.map((r) => `${r.item} (${pct(r.score)}, ${r.rules.length} rule${r.rules.length > 1 ? 's' : ''})`).join(', ')
      : 'nothing: no rule applies';
    console.log(`  {${basket.join(', ')}} → ${text}`);
  }
  const all = recommendMany(offers, baskets, { top: 1 });
  const served = all.filter((r) => r.length > 0).length;
  const counts = new Map();
  for (const [first] of all) if (first) counts.set(first.item, (counts.get(first.item) ?? 0) + 1);
  const topItems = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([item, n]) => `${item} (${n})`);
  console.log(`Every basket scored at once (recommendMany): ${served} of ${baskets.length} get an offer; most offered first: ${topItems.join(', ')}`);
}
