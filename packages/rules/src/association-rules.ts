import { CrmError, enumOption, numberOption, readOptions, type OptionBag } from '@crm/core';
import { RULE_METRICS, isRuleMetric } from './rule-metrics.ts';
import type { AssociationRule, FrequentItemset, FrequentItemsets, Item, RuleMetric } from './types.ts';

/**
 * Options of {@link associationRules}. Every filter must hold for a rule to be kept.
 *
 * @example
 * ```ts
 * import type { RuleOptions } from '@crm/rules';
 * const options: RuleOptions<string> = {
 *   metric: 'lift', minThreshold: 1.5,
 *   minimums: { confidence: 0.3 },
 *   maxAntecedentLength: 2,
 *   consequentContains: ['whole milk'],
 * };
 * ```
 */
export interface RuleOptions<T extends Item = Item> {
  /** The metric compared with `minThreshold` and used to sort the rules (best first); default `'confidence'`. */
  readonly metric?: RuleMetric | undefined;
  /** Keep rules with `metric` ≥ minThreshold; default 0.8 (as mlxtend). */
  readonly minThreshold?: number | undefined;
  /** Further lower bounds on any metrics, such as `{ lift: 1, support: 0.01 }`. */
  readonly minimums?: Readonly<Partial<Record<RuleMetric, number>>> | undefined;
  /** Upper bounds on any metrics, such as `{ lift: 1 }` for negative associations. */
  readonly maximums?: Readonly<Partial<Record<RuleMetric, number>>> | undefined;
  /** Fewest items in the antecedent (integer ≥ 1); default 1. */
  readonly minAntecedentLength?: number | undefined;
  /** Most items in the antecedent (integer ≥ 1); default unlimited. */
  readonly maxAntecedentLength?: number | undefined;
  /** Fewest items in the consequent (integer ≥ 1); default 1. */
  readonly minConsequentLength?: number | undefined;
  /** Most items in the consequent (integer ≥ 1); default unlimited. Use 1 for arules-style rules. */
  readonly maxConsequentLength?: number | undefined;
  /** Keep only rules whose antecedent holds every one of these items. */
  readonly antecedentContains?: readonly T[] | undefined;
  /** Keep only rules whose consequent holds every one of these items ("what leads to X?"). */
  readonly consequentContains?: readonly T[] | undefined;
  /** Drop rules that mention any of these items on either side. */
  readonly excludeItems?: readonly T[] | undefined;
  /**
   * Safety cap on the number of rules kept; past it the call stops with
   * `CrmError('limit_exceeded')` instead of exhausting memory. Default 1,000,000.
   */
  readonly maxRules?: number | undefined;
  /**
   * Safety cap on the number of antecedent/consequent splits examined (an itemset of n items has
   * 2^n − 2, before the length filters); past it the call stops with `CrmError('limit_exceeded')`
   * instead of running for minutes. Default 20,000,000.
   */
  readonly maxSplits?: number | undefined;
}

/**
 * An itemset with its support, as {@link associationRules} reads it: a {@link FrequentItemset}
 * or the same shape from elsewhere (another miner, a saved table).
 *
 * @example
 * ```ts
 * import type { SupportedItemset } from '@crm/rules';
 * const s: SupportedItemset<string> = { items: ['whole milk', 'yogurt'], support: 0.056 };
 * ```
 */
export interface SupportedItemset<T extends Item = Item> {
  /** The items. */
  readonly items: readonly T[];
  /** The share of baskets holding every item, in (0, 1]. */
  readonly support: number;
}

const DEFAULT_METRIC: RuleMetric = 'confidence';
const DEFAULT_MIN_THRESHOLD = 0.8;
const DEFAULT_MAX_RULES = 1_000_000;
/** About half a minute of work at roughly a microsecond per split examined. */
const DEFAULT_MAX_SPLITS = 20_000_000;
/**
 * A metric within this relative distance of a threshold counts as equal to it, so that a rule
 * whose confidence is exactly 1/2 in counts (127 of 254 baskets) is not lost to rounding of
 * the supports (127/9835) / (254/9835).
 */
const THRESHOLD_SLACK = 1e-12;
/** Itemsets longer than this would need more than 2^30 splits; no real rule table holds them. */
const MAX_ITEMSET_LENGTH = 30;

interface Bounds {
  readonly metric: RuleMetric;
  readonly lower: readonly (readonly [RuleMetric, number])[];
  readonly upper: readonly (readonly [RuleMetric, number])[];
}

function atLeast(value: number, bound: number): boolean {
  return value >= bound - THRESHOLD_SLACK * Math.max(1, Math.abs(bound));
}

function atMost(value: number, bound: number): boolean {
  return value <= bound + THRESHOLD_SLACK * Math.max(1, Math.abs(bound));
}

/**
 * The measures of a rule from three supports. Pure arithmetic with the edge cases of mlxtend:
 * conviction is `Infinity` at confidence 1, Zhang's metric is 0 when its denominator is 0.
 */
export function ruleMetrics(sA: number, sC: number, sAC: number): Omit<AssociationRule<never>, 'antecedent' | 'consequent'> {
  const confidence = sAC / sA;
  const leverage = sAC - sA * sC;
  const zhangDenominator = Math.max(sAC * (1 - sA), sA * (sC - sAC));
  let certainty = 0;
  if (confidence > sC) certainty = (confidence - sC) / (1 - sC);
  else if (confidence < sC) certainty = (confidence - sC) / sC;
  return {
    antecedentSupport: sA,
    consequentSupport: sC,
    support: sAC,
    confidence,
    lift: confidence / sC,
    leverage,
    conviction: confidence === 1 ? Infinity : (1 - sC) / (1 - confidence),
    zhangsMetric: zhangDenominator === 0 ? 0 : leverage / zhangDenominator,
    jaccard: sAC / (sA + sC - sAC),
    certainty,
    kulczynski: (sAC / sA + sAC / sC) / 2,
  };
}

function readBounds(value: unknown, key: string): [RuleMetric, number][] {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CrmError('invalid_argument', `${key} must be an object of metric bounds such as { lift: 1.2 }`, ['options', key]);
  }
  const out: [RuleMetric, number][] = [];
  for (const name of Object.keys(value)) {
    const bound = (value as Record<string, unknown>)[name];
    if (!isRuleMetric(name)) {
      throw new CrmError('invalid_argument', `${key}.${name} is not a rule metric; use one of ${RULE_METRICS.join(', ')}`, ['options', key, name]);
    }
    if (bound === undefined) continue;
    if (typeof bound !== 'number' || Number.isNaN(bound)) {
      throw new CrmError('invalid_argument', `${key}.${name} must be a number, got ${String(bound)}`, ['options', key, name]);
    }
    out.push([name, bound]);
  }
  return out;
}

const OPTION_KEYS = [
  'metric',
  'minThreshold',
  'minimums',
  'maximums',
  'minAntecedentLength',
  'maxAntecedentLength',
  'minConsequentLength',
  'maxConsequentLength',
  'antecedentContains',
  'consequentContains',
  'excludeItems',
  'maxRules',
  'maxSplits',
] as const;
type OptionKey = (typeof OPTION_KEYS)[number];

function readLength(o: OptionBag<OptionKey>, key: OptionKey, fallback: number): number {
  return numberOption(o, key, fallback, { min: 1, integer: true });
}

function readItems(o: OptionBag<OptionKey>, key: OptionKey): readonly Item[] {
  const v = o[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    throw new CrmError('invalid_argument', `${key} must be an array of items (strings or numbers)`, ['options', key]);
  }
  // An index loop, not some(): some() skips the holes of a sparse array.
  for (let j = 0; j < v.length; j++) {
    const x: unknown = v[j];
    if (typeof x !== 'string' && !(typeof x === 'number' && Number.isFinite(x))) {
      throw new CrmError('invalid_argument', `${key} must be an array of items (strings or finite numbers); entry ${j} is ${String(x)}`, ['options', key, j]);
    }
  }
  return v as Item[];
}

function readItemsets<T extends Item>(input: unknown): readonly SupportedItemset<T>[] {
  const list: unknown =
    input !== null && typeof input === 'object' && !Array.isArray(input) && Object.prototype.hasOwnProperty.call(input, 'itemsets')
      ? (input as { itemsets: unknown }).itemsets
      : input;
  if (!Array.isArray(list)) {
    throw new CrmError(
      'invalid_argument',
      'associationRules needs the result of fpGrowth/apriori or an array of { items, support }',
      ['itemsets'],
    );
  }
  for (let i = 0; i < list.length; i++) {
    const s: unknown = list[i];
    const items = s !== null && typeof s === 'object' ? (s as { items?: unknown }).items : undefined;
    const support = s !== null && typeof s === 'object' ? (s as { support?: unknown }).support : undefined;
    if (!Array.isArray(items) || items.some((x) => typeof x !== 'string' && typeof x !== 'number')) {
      throw new CrmError('invalid_input', `itemset ${i} has no array of items (strings or numbers)`, ['itemsets', i, 'items']);
    }
    if (typeof support !== 'number' || !(support > 0 && support <= 1)) {
      throw new CrmError('invalid_input', `itemset ${i} has support ${String(support)}; a support is a fraction in (0, 1]`, ['itemsets', i, 'support']);
    }
  }
  return list as SupportedItemset<T>[];
}

/** C(n, k) for n ≤ 30, exact in doubles. */
function binomial(n: number, k: number): number {
  let r = 1;
  for (let j = 1; j <= k; j++) r = (r * (n - k + j)) / j;
  return Math.round(r);
}

/** Writes the k-combinations of 0 … n-1 into `combo`, calling `visit` for each. */
function forEachCombination(n: number, k: number, combo: Int32Array, visit: () => void): void {
  for (let i = 0; i < k; i++) combo[i] = i;
  for (;;) {
    visit();
    let i = k - 1;
    while (i >= 0 && combo[i] === n - k + i) i--;
    if (i < 0) return;
    combo[i] = (combo[i] as number) + 1;
    for (let j = i + 1; j < k; j++) combo[j] = (combo[j - 1] as number) + 1;
  }
}

/**
 * Association rules A → C from frequent itemsets: every split of every itemset of two or more
 * items into a non-empty antecedent and consequent, with antecedent and consequent support,
 * support, confidence, lift, leverage, conviction, Zhang's metric, Jaccard, certainty and
 * Kulczynski, filtered by `metric` ≥ `minThreshold` and the other filters, sorted by `metric`
 * (best first; ties keep the order of the itemsets).
 *
 * The formulas and edge cases are mlxtend 0.25's (conviction `Infinity` at confidence 1, Zhang 0
 * when undefined), except certainty, which follows its literature definition (see
 * {@link AssociationRule.certainty}). Every subset of every itemset must be in the input (as it
 * is after mining with `target: 'all'` and no `minLength`), because its support is needed.
 *
 * Cost: O(Σ 2^|itemset|) splits, each looked up in a hash map; the length and item filters prune
 * splits before they are built.
 *
 * @param itemsets the result of {@link fpGrowth} or {@link apriori}, or an array of `{ items, support }`.
 * @param options metric, threshold and filters (see {@link RuleOptions}).
 * @throws {CrmError} `invalid_argument` for unknown metrics, bad or unknown options; `invalid_input` when an
 *   itemset is malformed or a subset's support is missing; `limit_exceeded` past `maxRules` or `maxSplits`.
 * @example
 * ```ts
 * import { associationRules, fpGrowth } from '@crm/rules';
 * const baskets = [['bread', 'milk'], ['bread', 'butter'], ['bread', 'milk', 'butter'], ['milk']];
 * const rules = associationRules(fpGrowth(baskets, { minSupport: 0.5 }), { metric: 'confidence', minThreshold: 0.6 });
 * rules.map((r) => `${r.antecedent} → ${r.consequent} (${r.confidence.toFixed(2)})`);
 * // ['butter → bread (1.00)', 'bread → butter (0.67)', 'milk → bread (0.67)', 'bread → milk (0.67)']
 * ```
 */
export function associationRules<T extends Item>(
  itemsets: FrequentItemsets<T> | readonly SupportedItemset<T>[],
  options?: RuleOptions<T>,
): AssociationRule<T>[] {
  const list = readItemsets<T>(itemsets);
  const o = readOptions(options, OPTION_KEYS, 'associationRules');
  const metric = enumOption(o, 'metric', DEFAULT_METRIC, RULE_METRICS);
  // Infinite thresholds are meaningful for rule metrics (conviction is Infinity for exact rules).
  const minThreshold = o['minThreshold'] ?? DEFAULT_MIN_THRESHOLD;
  if (typeof minThreshold !== 'number' || Number.isNaN(minThreshold)) {
    throw new CrmError('invalid_argument', `minThreshold must be a number, got ${String(minThreshold)}`, ['options', 'minThreshold']);
  }
  const bounds: Bounds = {
    metric,
    lower: [[metric, minThreshold], ...readBounds(o['minimums'], 'minimums')],
    upper: readBounds(o['maximums'], 'maximums'),
  };
  const minA = readLength(o, 'minAntecedentLength', 1);
  const maxA = readLength(o, 'maxAntecedentLength', Infinity);
  const minC = readLength(o, 'minConsequentLength', 1);
  const maxC = readLength(o, 'maxConsequentLength', Infinity);
  const maxRules = readLength(o, 'maxRules', DEFAULT_MAX_RULES);
  const maxSplits = readLength(o, 'maxSplits', DEFAULT_MAX_SPLITS);
  let splits = 0;

  // Items → dense codes; an itemset's key is its sorted codes.
  const codeOf = new Map<Item, number>();
  const encode = (items: readonly Item[]): number[] => {
    const codes = new Array<number>(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as Item;
      let c = codeOf.get(item);
      if (c === undefined) codeOf.set(item, (c = codeOf.size));
      codes[i] = c;
    }
    return codes;
  };
  const keyOf = (codes: number[]): string => codes.sort((a, b) => a - b).join(',');
  const supportOf = new Map<string, number>();
  const encoded = list.map((s) => encode(s.items));
  for (let i = 0; i < list.length; i++) supportOf.set(keyOf((encoded[i] as number[]).slice()), (list[i] as SupportedItemset<T>).support);
  const wantA = encode(readItems(o, 'antecedentContains'));
  const wantC = encode(readItems(o, 'consequentContains'));
  const excluded = new Set(encode(readItems(o, 'excludeItems')));

  const rules: AssociationRule<T>[] = [];
  const combo = new Int32Array(MAX_ITEMSET_LENGTH);
  const inConsequent = new Uint8Array(MAX_ITEMSET_LENGTH);
  const lookup = (codes: number[], path: number): number => {
    const s = supportOf.get(keyOf(codes));
    if (s === undefined) {
      throw new CrmError(
        'invalid_input',
        `itemset ${path} has a subset whose support is not in the input: rules need every subset, so mine with target 'all' and without minLength`,
        ['itemsets', path],
      );
    }
    return s;
  };
  for (let i = 0; i < list.length; i++) {
    const set = list[i] as SupportedItemset<T>;
    const codes = encoded[i] as number[];
    const n = codes.length;
    if (n < 2 || n - 1 < minA || n - 1 < minC) continue;
    if (codes.some((c) => excluded.has(c))) continue;
    if (!wantA.every((c) => codes.includes(c)) || !wantC.every((c) => codes.includes(c))) continue;
    if (n > MAX_ITEMSET_LENGTH) {
      throw new CrmError('limit_exceeded', `itemset ${i} has ${n} items, more than the ${MAX_ITEMSET_LENGTH} rules can be split from; set maxLength when mining`, ['itemsets', i]);
    }
    const sAC = set.support;
    for (let k = Math.max(minC, n - maxA); k <= Math.min(maxC, n - minA); k++) {
      splits += binomial(n, k);
      if (splits > maxSplits) {
        throw new CrmError(
          'limit_exceeded',
          `more than maxSplits = ${maxSplits} antecedent/consequent splits to examine: limit maxConsequentLength or maxAntecedentLength, name items with consequentContains, mine with maxLength, or raise maxSplits`,
          ['options', 'maxSplits'],
        );
      }
      forEachCombination(n, k, combo, () => {
        inConsequent.fill(0, 0, n);
        for (let j = 0; j < k; j++) inConsequent[combo[j] as number] = 1;
        const a: number[] = [];
        const c: number[] = [];
        for (let j = 0; j < n; j++) (inConsequent[j] === 1 ? c : a).push(codes[j] as number);
        if (!wantA.every((x) => a.includes(x)) || !wantC.every((x) => c.includes(x))) return;
        const sA = lookup(a.slice(), i);
        const sC = lookup(c.slice(), i);
        // Support never grows with the itemset; given supports that do are not from one mining run.
        if (sAC > sA || sAC > sC) {
          throw new CrmError(
            'invalid_input',
            `itemset ${i} has support ${sAC}, more than one of its subsets (${Math.min(sA, sC)}): supports must come from one mining run`,
            ['itemsets', i, 'support'],
          );
        }
        const m = ruleMetrics(sA, sC, sAC);
        for (const [name, bound] of bounds.lower) if (!atLeast(m[name], bound)) return;
        for (const [name, bound] of bounds.upper) if (!atMost(m[name], bound)) return;
        if (rules.length >= maxRules) {
          throw new CrmError('limit_exceeded', `more than maxRules = ${maxRules} rules: raise minThreshold, add filters, or raise maxRules`, ['options', 'maxRules']);
        }
        const antecedent: T[] = [];
        const consequent: T[] = [];
        for (let j = 0; j < n; j++) (inConsequent[j] === 1 ? consequent : antecedent).push(set.items[j] as T);
        rules.push({ antecedent, consequent, ...m });
      });
    }
  }
  // Stable sort, best first; NaN cannot occur (supports are in (0, 1]).
  return rules.sort((x, y) => y[metric] - x[metric] || 0);
}
