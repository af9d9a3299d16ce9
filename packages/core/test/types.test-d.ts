import { describe, expectTypeOf, it } from 'vitest';
import {
  FeatureTransformer,
  summarizeCustomers,
  transactionSchema,
  validateTransactions,
  type CalibrationHoldoutRow,
  type CustomerSummary,
  type PurchaseHistory,
  type StandardSchemaV1,
  type Transaction,
  type ValidationIssue,
} from '@crm/core';

describe('@crm/core types', () => {
  it('validateTransactions(unknown[]) gives Transactions and issues', () => {
    const result = validateTransactions([] as unknown[]);
    expectTypeOf(result.valid).toEqualTypeOf<Transaction[]>();
    expectTypeOf(result.issues).toEqualTypeOf<ValidationIssue[]>();
    expectTypeOf(validateTransactions).parameter(1).toMatchTypeOf<{ fields?: { customerId?: string } } | undefined>();
  });

  it('summaries are purchase histories, so any CLV model accepts them', () => {
    expectTypeOf(summarizeCustomers([], { observationEnd: 0 })).toEqualTypeOf<CustomerSummary[]>();
    expectTypeOf<CustomerSummary>().toMatchTypeOf<PurchaseHistory>();
    // @ts-expect-error observationEnd is required
    summarizeCustomers([], { period: 'week' });
  });

  it('schemas are Standard Schema v1 with the entity as output', () => {
    expectTypeOf(transactionSchema).toMatchTypeOf<StandardSchemaV1<unknown, Transaction>>();
    expectTypeOf<StandardSchemaV1.InferOutput<typeof transactionSchema>>().toEqualTypeOf<Transaction>();
  });

  it('a fitted transformer is read-only and produces number[][]', () => {
    const tf = FeatureTransformer.fit([{ x: 1 }], { columns: [{ name: 'x', type: 'numeric' }] });
    expectTypeOf(tf.transform([])).toEqualTypeOf<number[][]>();
    expectTypeOf(tf.featureNames).toEqualTypeOf<readonly string[]>();
  });
});

describe('FeatureTransformer records', () => {
  it('accepts interface-typed records such as calibration rows', () => {
    const rows: CalibrationHoldoutRow[] = [];
    expectTypeOf(FeatureTransformer.fit).toBeCallableWith(rows, { columns: [{ name: 'frequency', type: 'numeric' }] });
  });
});
