import { expectTypeOf, test } from 'vitest';
import type { CustomerSummary } from '@crm/core';
import type {
  BgBb,
  BgNbd,
  ClvCustomer,
  GammaGamma,
  ModifiedBgNbd,
  ParetoNbd,
  PurchaseModel,
  RfmInput,
  SpendModel,
  WeightedHistory,
  WeightedSpend,
} from '@crm/scoring';

test('every purchase model fills the PurchaseModel role and GammaGamma the SpendModel role', () => {
  expectTypeOf<BgNbd>().toMatchTypeOf<PurchaseModel>();
  expectTypeOf<ParetoNbd>().toMatchTypeOf<PurchaseModel>();
  expectTypeOf<ModifiedBgNbd>().toMatchTypeOf<PurchaseModel>();
  expectTypeOf<BgBb>().toMatchTypeOf<PurchaseModel>();
  expectTypeOf<GammaGamma>().toMatchTypeOf<SpendModel>();
});

test('summarizeCustomers output is accepted wherever histories are', () => {
  expectTypeOf<CustomerSummary>().toMatchTypeOf<WeightedHistory>();
  expectTypeOf<CustomerSummary>().toMatchTypeOf<WeightedSpend>();
  expectTypeOf<CustomerSummary>().toMatchTypeOf<ClvCustomer>();
  expectTypeOf<CustomerSummary>().toMatchTypeOf<RfmInput>();
});

test('a minimal history without monetary is not a CLV customer', () => {
  expectTypeOf<{ frequency: number; recency: number; T: number }>().not.toMatchTypeOf<ClvCustomer>();
});
