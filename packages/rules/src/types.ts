import type { Transaction } from '@crm/core';

/**
 * An item in a basket: a product id or name (`string`) or a numeric code (`number`).
 * Items are compared with `SameValueZero` (as keys of a `Map`), so `'1'` and `1` are different
 * items and labels are never trimmed or re-split.
 *
 * @example
 * ```ts
 * import type { Item } from '@crm/rules';
 * const items: Item[] = ['whole milk', 'cream cheese ', 42];
 * ```
 */
export type Item = string | number;

/**
 * Market baskets as the miners accept them: one array of items per basket
 * (`string[][]` or `number[][]`), or transactions with line items from `@crm/core`,
 * whose basket is the set of `productId`s of their `items` (a transaction without `items`
 * is an empty basket). Duplicates within a basket are ignored; an empty basket still counts
 * toward the number of baskets N.
 *
 * @example
 * ```ts
 * import type { Baskets } from '@crm/rules';
 * const baskets: Baskets<string> = [['bread', 'milk'], ['milk'], []];
 * ```
 */
export type Baskets<T extends Item = Item> = readonly (readonly T[])[] | readonly Transaction[];

/**
 * Which frequent itemsets a miner returns.
 * - `'all'`: every frequent itemset (the default);
 * - `'closed'`: those with no proper superset of the same count (a lossless summary: every
 *   frequent itemset's count is the largest count of a closed superset);
 * - `'maximal'`: those with no frequent proper superset (the border; counts of subsets are lost).
 *
 * With `maxLength`, closedness and maximality are judged among itemsets of at most `maxLength` items.
 *
 * @example
 * ```ts
 * import type { ItemsetTarget } from '@crm/rules';
 * const target: ItemsetTarget = 'closed';
 * ```
 */
export type ItemsetTarget = 'all' | 'closed' | 'maximal';

/**
 * Options of {@link apriori} and {@link fpGrowth}.
 *
 * @example
 * ```ts
 * import type { MiningOptions } from '@crm/rules';
 * const byFraction: MiningOptions = { minSupport: 0.01, maxLength: 3 };
 * const byCount: MiningOptions = { minCount: 99, target: 'closed' };
 * ```
 */
export interface MiningOptions {
  /**
   * Minimum support as a fraction of the baskets, in (0, 1]. An itemset is frequent when its
   * count ≥ ceil(minSupport × N) (as in SPMF and mlxtend), computed so that floating-point noise
   * (0.07 × 100 = 7.000000000000001) does not move the threshold. Default 0.5 (as mlxtend)
   * unless `minCount` is given. Give one of `minSupport` and `minCount`, not both.
   */
  readonly minSupport?: number | undefined;
  /** Minimum support as an absolute count of baskets, an integer ≥ 1. */
  readonly minCount?: number | undefined;
  /** Longest itemset to return (integer ≥ 1); default unlimited. */
  readonly maxLength?: number | undefined;
  /** Shortest itemset to return (integer ≥ 1, ≤ `maxLength`); default 1. */
  readonly minLength?: number | undefined;
  /**
   * Safety cap on the number of frequent itemsets found (of any length, before the `minLength`
   * and `target` filters); mining stops with `CrmError('limit_exceeded')` instead of exhausting
   * memory. Default 1,000,000.
   */
  readonly maxItemsets?: number | undefined;
  /** Which itemsets to return; default `'all'`. See {@link ItemsetTarget}. */
  readonly target?: ItemsetTarget | undefined;
}

/**
 * The options a miner ran with, every default filled in (`maxLength` is `Infinity` when unlimited).
 *
 * @example
 * ```ts
 * import { fpGrowth } from '@crm/rules';
 * const { options } = fpGrowth([['a', 'b'], ['a']], { minSupport: 0.5 });
 * options.minCount; // 1
 * ```
 */
export interface ResolvedMiningOptions {
  /** The minimum support as a fraction, or `null` when the call gave `minCount`. */
  readonly minSupport: number | null;
  /** The absolute threshold actually applied: itemsets with count ≥ minCount are frequent. */
  readonly minCount: number;
  /** Longest itemset returned (`Infinity` when unlimited). */
  readonly maxLength: number;
  /** Shortest itemset returned. */
  readonly minLength: number;
  /** The cap on the number of itemsets. */
  readonly maxItemsets: number;
  /** Which itemsets were returned. */
  readonly target: ItemsetTarget;
}

/**
 * A frequent itemset: its items, the number of baskets that contain all of them (`count`)
 * and that number as a fraction of all baskets (`support` = count / N).
 * Items are listed from the most to the least frequent in the whole data (ties in order of first
 * appearance), the same order from every miner.
 *
 * @example
 * ```ts
 * import type { FrequentItemset } from '@crm/rules';
 * const s: FrequentItemset<string> = { items: ['whole milk', 'yogurt'], count: 551, support: 0.056024 };
 * ```
 */
export interface FrequentItemset<T extends Item = Item> {
  /** The items, most frequent first. */
  readonly items: readonly T[];
  /** Number of baskets containing every item. */
  readonly count: number;
  /** `count / transactionCount`. */
  readonly support: number;
}

/**
 * The result of {@link apriori} or {@link fpGrowth}: the itemsets and what they were counted on.
 * Pass it to {@link associationRules} as it is.
 *
 * @example
 * ```ts
 * import { fpGrowth } from '@crm/rules';
 * const result = fpGrowth([['a', 'b'], ['a'], []], { minCount: 1 });
 * result.transactionCount;                     // 3
 * result.itemsets.map((s) => [s.items, s.count]); // [[['a'], 2], [['a', 'b'], 1], [['b'], 1]]
 * ```
 */
export interface FrequentItemsets<T extends Item = Item> {
  /** The frequent itemsets (order: as the miner found them; sort them as you need). */
  readonly itemsets: readonly FrequentItemset<T>[];
  /** N, the number of baskets, empty ones included. */
  readonly transactionCount: number;
  /** The options used, defaults filled in. */
  readonly options: ResolvedMiningOptions;
}

/**
 * The measures of an association rule A → C that can rank, filter and score rules
 * (definitions in {@link AssociationRule}).
 *
 * @example
 * ```ts
 * import type { RuleMetric } from '@crm/rules';
 * const metric: RuleMetric = 'lift';
 * ```
 */
export type RuleMetric =
  | 'antecedentSupport'
  | 'consequentSupport'
  | 'support'
  | 'confidence'
  | 'lift'
  | 'leverage'
  | 'conviction'
  | 'zhangsMetric'
  | 'jaccard'
  | 'certainty'
  | 'kulczynski';

/**
 * An association rule A → C ("baskets with every item of A also hold C") with its measures,
 * computed from the supports s(A), s(C) and s(AC) (fractions of all baskets) as mlxtend 0.25
 * computes them, except `certainty` (see below).
 *
 * @example
 * ```ts
 * import type { AssociationRule } from '@crm/rules';
 * const rule: AssociationRule<string> = {
 *   antecedent: ['yogurt', 'curd'], consequent: ['whole milk'],
 *   antecedentSupport: 0.017285, consequentSupport: 0.255516, support: 0.010066,
 *   confidence: 0.582353, lift: 2.279125, leverage: 0.005649, conviction: 1.782567,
 *   zhangsMetric: 0.571107, jaccard: 0.038313, certainty: 0.439011, kulczynski: 0.310874,
 * };
 * ```
 */
export interface AssociationRule<T extends Item = Item> {
  /** A, the items a basket already holds (most frequent first). */
  readonly antecedent: readonly T[];
  /** C, the items the rule predicts (most frequent first); disjoint from A. */
  readonly consequent: readonly T[];
  /** s(A). */
  readonly antecedentSupport: number;
  /** s(C). */
  readonly consequentSupport: number;
  /** s(AC), the share of baskets holding A and C. */
  readonly support: number;
  /** s(AC) / s(A), in [0, 1]. */
  readonly confidence: number;
  /** confidence / s(C); 1 under independence, > 1 when A raises the chance of C. */
  readonly lift: number;
  /** s(AC) − s(A)·s(C), in [−0.25, 0.25]; 0 under independence. */
  readonly leverage: number;
  /**
   * (1 − s(C)) / (1 − confidence); `Infinity` when confidence is 1 (the rule never fails),
   * including when s(C) is 1, as in mlxtend. 1 under independence.
   */
  readonly conviction: number;
  /**
   * Zhang's metric, leverage / max(s(AC)·(1 − s(A)), s(A)·(s(C) − s(AC))), in [−1, 1];
   * 0 when that maximum is 0 (A or C in every basket), as in mlxtend.
   */
  readonly zhangsMetric: number;
  /** s(AC) / (s(A) + s(C) − s(AC)), in [0, 1]. */
  readonly jaccard: number;
  /**
   * Certainty factor (Berzal et al. 2002), in [−1, 1]: (confidence − s(C)) / (1 − s(C)) when
   * confidence > s(C), (confidence − s(C)) / s(C) when confidence < s(C), 0 when equal (so 0 when
   * s(C) is 1). mlxtend 0.25 uses the first formula in every case, which leaves [−1, 1] under
   * negative dependence; the two agree whenever confidence ≥ s(C).
   */
  readonly certainty: number;
  /** (s(AC)/s(A) + s(AC)/s(C)) / 2, the mean of both confidences, in [0, 1]. */
  readonly kulczynski: number;
}
