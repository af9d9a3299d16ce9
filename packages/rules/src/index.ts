export { apriori } from './apriori.ts';
export { fpGrowth } from './fp-growth.ts';
export type {
  Item,
  Baskets,
  ItemsetTarget,
  MiningOptions,
  ResolvedMiningOptions,
  FrequentItemset,
  FrequentItemsets,
} from './types.ts';
