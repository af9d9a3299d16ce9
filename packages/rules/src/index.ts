export { apriori } from './apriori.ts';
export { fpGrowth } from './fp-growth.ts';
export { associationRules } from './association-rules.ts';
export type { RuleOptions, SupportedItemset } from './association-rules.ts';
export { recommend, recommendMany } from './recommend.ts';
export type { RecommendOptions, Recommendation } from './recommend.ts';
export type {
  Item,
  Baskets,
  ItemsetTarget,
  MiningOptions,
  ResolvedMiningOptions,
  FrequentItemset,
  FrequentItemsets,
  RuleMetric,
  AssociationRule,
} from './types.ts';
