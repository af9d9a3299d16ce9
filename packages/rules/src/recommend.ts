import { CrmError, enumOption, numberOption, readOptions } from '@crm/core';
import { RULE_METRICS } from './rule-metrics.ts';
import type { AssociationRule, Item, RuleMetric } from './types.ts';

/**
 * Options of {@link recommend}.
 *
 * @example
 * ```ts
 * import type { RecommendOptions } from '@crm/rules';
 * const options: RecommendOptions = { top: 5, metric: 'lift' };
 * ```
 */
export interface RecommendOptions {
  /** How many items to return at most (integer ≥ 1, or `Infinity` for all); default 10. */
  readonly top?: number | undefined;
  /** The rule metric that scores an item (its best supporting rule's value); default `'confidence'`. */
  readonly metric?: RuleMetric | undefined;
}

/**
 * An item to offer for a basket, with the rules that support it.
 *
 * @example
 * ```ts
 * import { associationRules, fpGrowth, recommend, type Recommendation } from '@crm/rules';
 * const rules = associationRules(fpGrowth([['tea', 'lemon'], ['tea', 'lemon'], ['tea']], { minCount: 2 }), { minThreshold: 0.5 });
 * const offers: Recommendation<string>[] = recommend(rules, ['lemon']);
 * offers[0]?.item;  // 'tea'
 * offers[0]?.score; // 1 (every basket with lemon has tea)
 * ```
 */
export interface Recommendation<T extends Item = Item> {
  /** The item to offer; never one already in the basket. */
  readonly item: T;
  /** The best value of the scoring metric among the supporting rules. */
  readonly score: number;
  /**
   * The rules whose antecedent the basket holds and whose consequent holds the item, best
   * first by the scoring metric.
   */
  readonly rules: readonly AssociationRule<T>[];
}

const DEFAULT_TOP = 10;
const DEFAULT_METRIC: RuleMetric = 'confidence';

function checkItems(value: unknown, path: (string | number)[], what: string): readonly Item[] {
  if (!Array.isArray(value)) throw new CrmError('invalid_input', `${what} must be an array of items`, path);
  for (let j = 0; j < value.length; j++) {
    const x: unknown = value[j];
    if (typeof x !== 'string' && !(typeof x === 'number' && Number.isFinite(x))) {
      throw new CrmError('invalid_input', `${what}, item ${j} is not a string or finite number`, [...path, j]);
    }
  }
  return value as Item[];
}

interface Settings {
  readonly metric: RuleMetric;
  readonly top: number;
}

function readSettings(options: RecommendOptions | undefined, where: string): Settings {
  const o = readOptions(options, ['top', 'metric'], where);
  const metric = enumOption(o, 'metric', DEFAULT_METRIC, RULE_METRICS);
  // Infinity (every item) is allowed; anything else goes through the shared number reader.
  const top = o.top === Infinity ? Infinity : numberOption(o, 'top', DEFAULT_TOP, { min: 1, integer: true });
  return { metric, top };
}

/**
 * The rules checked once and indexed by one antecedent item each (the one that heads the fewest
 * antecedents), so a basket only looks at rules that could apply to it.
 */
interface RuleIndex<T extends Item> {
  readonly rules: readonly AssociationRule<T>[];
  readonly byItem: Map<Item, number[]>;
}

function indexRules<T extends Item>(rules: readonly AssociationRule<T>[], metric: RuleMetric): RuleIndex<T> {
  if (!Array.isArray(rules)) throw new CrmError('invalid_input', 'rules must be an array of association rules', ['rules']);
  const frequency = new Map<Item, number>();
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as AssociationRule<T>;
    if (rule === null || typeof rule !== 'object') throw new CrmError('invalid_input', `rule ${i} is not an association rule`, ['rules', i]);
    const antecedent = checkItems(rule.antecedent, ['rules', i, 'antecedent'], `rule ${i}'s antecedent`);
    checkItems(rule.consequent, ['rules', i, 'consequent'], `rule ${i}'s consequent`);
    if (antecedent.length === 0) throw new CrmError('invalid_input', `rule ${i} has an empty antecedent`, ['rules', i, 'antecedent']);
    // Recommendations hand the rules back, so every metric they carry must be a number: NaN is
    // never a rule metric (conviction is +Infinity at confidence 1, as in mlxtend).
    for (const m of RULE_METRICS) {
      const v = rule[m];
      if (v === undefined && m !== metric) continue;
      if (typeof v !== 'number' || !(Number.isFinite(v) || (m === 'conviction' && v === Number.POSITIVE_INFINITY))) {
        throw new CrmError('invalid_input', `rule ${i} has no finite number for ${m} (only conviction may be +Infinity)`, ['rules', i, m]);
      }
    }
    for (const x of antecedent) frequency.set(x, (frequency.get(x) ?? 0) + 1);
  }
  const byItem = new Map<Item, number[]>();
  for (let i = 0; i < rules.length; i++) {
    const antecedent = (rules[i] as AssociationRule<T>).antecedent;
    let key = antecedent[0] as Item;
    for (const x of antecedent) if ((frequency.get(x) as number) < (frequency.get(key) as number)) key = x;
    const list = byItem.get(key);
    if (list === undefined) byItem.set(key, [i]);
    else list.push(i);
  }
  return { rules, byItem };
}

function recommendWith<T extends Item>(index: RuleIndex<T>, basket: readonly T[], { metric, top }: Settings): Recommendation<T>[] {
  const inBasket = new Set<Item>(basket);
  const found = new Map<T, { rules: number[]; score: number; first: number }>();
  const { rules } = index;
  for (const key of inBasket) {
    const candidates = index.byItem.get(key);
    if (candidates === undefined) continue;
    for (const i of candidates) {
      const rule = rules[i] as AssociationRule<T>;
      if (!rule.antecedent.every((x) => inBasket.has(x))) continue;
      const score = rule[metric];
      for (const item of rule.consequent) {
        if (inBasket.has(item)) continue;
        const entry = found.get(item);
        if (entry === undefined) found.set(item, { rules: [i], score, first: i });
        else {
          entry.rules.push(i);
          if (score > entry.score) entry.score = score;
          if (i < entry.first) entry.first = i;
        }
      }
    }
  }
  const ranked = [...found.entries()].sort(
    ([, a], [, b]) => (b.score > a.score ? 1 : b.score < a.score ? -1 : 0) || b.rules.length - a.rules.length || a.first - b.first,
  );
  const out: Recommendation<T>[] = [];
  for (const [item, entry] of ranked.slice(0, Math.min(ranked.length, top))) {
    const value = (i: number): number => (rules[i] as AssociationRule<T>)[metric];
    const supporting = entry.rules
      .sort((x, y) => (value(y) > value(x) ? 1 : value(y) < value(x) ? -1 : x - y))
      .map((i) => rules[i] as AssociationRule<T>);
    out.push({ item, score: entry.score, rules: supporting });
  }
  return out;
}

/**
 * Recommends items for a basket from association rules ("customers who bought X also bought Y"):
 * every rule whose antecedent the basket holds proposes the items of its consequent that the
 * basket lacks; each item is scored by its best rule under `metric` and the items come best first
 * (ties: more supporting rules first, then the order of the rules). Items already in the basket
 * are never offered. A rule whose consequent is partly in the basket still proposes the rest.
 * For many baskets, {@link recommendMany} indexes the rules once.
 *
 * Cost: O(Σ |antecedent|) over the rules to check and index them, then only the rules indexed
 * under the basket's items are looked at.
 *
 * @param rules rules from {@link associationRules} (filter them first, e.g. by confidence or lift).
 * @param basket the items in the basket now.
 * @param options `top` and `metric` (see {@link RecommendOptions}).
 * @throws {CrmError} `invalid_input` when `rules` or `basket` is not an array or holds a bad entry;
 *   `invalid_argument` for an unknown metric, a bad `top` or an unknown option key.
 * @example
 * ```ts
 * import { associationRules, fpGrowth, recommend } from '@crm/rules';
 * const baskets = [['bread', 'milk'], ['bread', 'butter'], ['bread', 'milk', 'butter'], ['milk', 'eggs']];
 * const rules = associationRules(fpGrowth(baskets, { minCount: 2 }), { minThreshold: 0.5 });
 * recommend(rules, ['butter']).map((r) => [r.item, r.score]); // [['bread', 1]]
 * ```
 */
export function recommend<T extends Item>(
  rules: readonly AssociationRule<T>[],
  basket: readonly T[],
  options?: RecommendOptions,
): Recommendation<T>[] {
  const settings = readSettings(options, 'recommend');
  const checked = checkItems(basket, ['basket'], 'the basket') as readonly T[];
  return recommendWith(indexRules(rules, settings.metric), checked, settings);
}

/**
 * {@link recommend} for many baskets at once (a whole customer base, a day of orders): the rules
 * are checked and indexed by antecedent item once, then each basket looks only at the rules indexed
 * under its own items, so the cost per basket depends on the rules that could apply to it rather
 * than on all rules. Returns one list per basket, in order, equal to `recommend(rules, basket, options)`.
 *
 * @param rules rules from {@link associationRules}.
 * @param baskets the baskets, each an array of items.
 * @param options `top` and `metric` (see {@link RecommendOptions}).
 * @throws {CrmError} `invalid_input` when `rules` or `baskets` is not an array or holds a bad entry
 *   (with its index); `invalid_argument` for an unknown metric, a bad `top` or an unknown option key.
 * @example
 * ```ts
 * import { associationRules, fpGrowth, recommendMany } from '@crm/rules';
 * const history = [['tea', 'lemon'], ['tea', 'lemon'], ['tea', 'honey'], ['tea', 'honey']];
 * const rules = associationRules(fpGrowth(history, { minCount: 2 }), { minThreshold: 0.5 });
 * recommendMany(rules, [['lemon'], ['honey'], ['tea']], { top: 1 }).map((offers) => offers[0]?.item);
 * // ['tea', 'tea', 'honey'] (lemon and honey tie for tea; the first rule found wins)
 * ```
 */
export function recommendMany<T extends Item>(
  rules: readonly AssociationRule<T>[],
  baskets: readonly (readonly T[])[],
  options?: RecommendOptions,
): Recommendation<T>[][] {
  const settings = readSettings(options, 'recommendMany');
  if (!Array.isArray(baskets)) throw new CrmError('invalid_input', 'baskets must be an array of baskets (arrays of items)', ['baskets']);
  // Index loops, not map: map skips the holes of a sparse array, which would come back as holes.
  const checked: (readonly T[])[] = [];
  for (let i = 0; i < baskets.length; i++) checked.push(checkItems(baskets[i], ['baskets', i], `basket ${i}`) as readonly T[]);
  const index = indexRules(rules, settings.metric);
  const out: Recommendation<T>[][] = [];
  for (const basket of checked) out.push(recommendWith(index, basket, settings));
  return out;
}
