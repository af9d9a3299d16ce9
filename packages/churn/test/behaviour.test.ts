// Churn labels from behaviour (core's calibrationHoldout + churnLabels) feeding a churn model:
// features and labels must line up customer by customer.
import { describe, expect, it } from 'vitest';
import { FeatureTransformer, calibrationHoldout, churnLabels, createRng } from '@crm/core';
import { LogisticRegression, crossValidate, pipeline } from '@crm/churn';

describe('churn model on behavioural labels', () => {
  // 120 customers: frequent buyers keep buying after the calibration end, one-off buyers mostly do not.
  const rng = createRng(3);
  const transactions: { customerId: string; time: string; amount: number }[] = [];
  for (let c = 0; c < 120; c++) {
    const loyal = c % 2 === 0;
    const visits = loyal ? 3 + rng.int(0, 4) : 1;
    for (let v = 0; v < visits; v++) transactions.push({ customerId: `C${c}`, time: `2024-0${1 + rng.int(0, 8)}-1${rng.int(0, 9)}`, amount: 10 + rng.int(0, 50) });
    if (loyal ? rng.uniform() < 0.85 : rng.uniform() < 0.15) transactions.push({ customerId: `C${c}`, time: '2024-11-15', amount: 20 });
  }
  Object.freeze(transactions);
  const dates = { calibrationEnd: '2024-09-30' };
  const customers = calibrationHoldout(transactions, { ...dates, observationEnd: '2024-12-31', period: 'week' });
  const labels = churnLabels(transactions, { ...dates, holdoutEnd: '2024-12-31' });

  it('labels come in the order of the calibration summaries and agree with the holdout purchases', () => {
    expect(labels.map((l) => l.customerId)).toEqual(customers.map((c) => c.customerId));
    customers.forEach((c, i) => expect(labels[i]?.churned).toBe(c.frequencyHoldout === 0 ? 1 : 0));
  });

  it('a pipeline on the summaries separates churners from stayers in cross-validation', () => {
    const spec = { columns: ['frequency', 'recency', 'T', 'monetary'].map((name) => ({ name, type: 'numeric' as const, scale: 'standard' as const })) };
    // FeatureTransformer reads plain records; spread the summaries into object literals.
    const records: Readonly<Record<string, unknown>>[] = customers.map((c) => ({ ...c }));
    const cv = crossValidate(
      pipeline({ fit: (r: readonly Readonly<Record<string, unknown>>[]) => FeatureTransformer.fit(r, spec) }, LogisticRegression),
      records,
      labels.map((l) => l.churned),
      { folds: 4, seed: 1 },
    );
    // Repeat buyers were built to stay with probability 0.85 and one-off buyers to leave with 0.85.
    expect(cv.rocAuc.mean).toBeGreaterThan(0.75);
  });
});
