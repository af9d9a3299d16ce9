import { describe, expect, it } from 'vitest';
import { validateSubscriptions } from '@crm/core';
import { cohortRetention, cohortSurvivors, loyaltyMetrics, netPromoterScore, populationLoyalty } from '@crm/scoring';

// Every value the TSDoc @examples of the cohort and loyalty functions state in a comment, computed
// as the example writes it. A changed number here means the doc comment must change with it.
describe('TSDoc examples of the cohort and loyalty functions print what their comments say', () => {
  it('cohortRetention: January retention [1, 0.5]; February active [1, null]', () => {
    const table = cohortRetention(
      [
        { customerId: 'A', time: '2024-01-05', amount: 10 },
        { customerId: 'A', time: '2024-02-11', amount: 15 },
        { customerId: 'B', time: '2024-01-20', amount: 20 },
        { customerId: 'C', time: '2024-02-03', amount: 5 },
      ],
      { cohort: 'month', observationEnd: '2024-02-29' },
    );
    expect(table.cohorts[0]!.retention).toEqual([1, 0.5]);
    expect(table.cohorts[1]!.active).toEqual([1, null]);
  });

  it('cohortSurvivors: [2, 2, 1]', () => {
    const table = cohortRetention(
      [
        { customerId: 'A', time: '2024-01-05', amount: 10 },
        { customerId: 'A', time: '2024-03-11', amount: 15 },
        { customerId: 'B', time: '2024-01-20', amount: 20 },
        { customerId: 'B', time: '2024-02-20', amount: 20 },
      ],
      { observationEnd: '2024-03-31' },
    );
    expect(cohortSurvivors(table, { cohort: '2024-01' })).toEqual([2, 2, 1]);
  });

  it('netPromoterScore: 20 ± 27.57', () => {
    const s = netPromoterScore([10, 9, 9, 8, 7, 6, 3, 0, 10, 9]);
    expect(s.nps).toBeCloseTo(20, 12);
    expect(s.standardError).toBeCloseTo(27.57, 2);
  });

  it('loyaltyMetrics: tenure 40, feedback rate 1/3, mean gap 15', () => {
    const [a] = loyaltyMetrics(
      [
        { customerId: 'A', time: '2024-01-01', amount: 20 },
        { customerId: 'A', time: '2024-01-11', amount: 35 },
        { customerId: 'A', time: '2024-01-31', amount: 15 },
      ],
      [
        { customerId: 'A', time: '2024-01-12', type: 'review' },
        { customerId: 'A', time: '2024-01-20', type: 'referral' },
      ],
      { observationEnd: '2024-02-10' },
    );
    expect([a!.tenureDays, a!.feedbackRate, a!.meanInterPurchaseDays]).toEqual([40, 1 / 3, 15]);
  });

  it('populationLoyalty: repeat rate 0.5, January keeps 1 of 2', () => {
    const p = populationLoyalty(
      [
        { customerId: 'A', time: '2024-01-03', amount: 10 },
        { customerId: 'A', time: '2024-02-03', amount: 10 },
        { customerId: 'B', time: '2024-01-09', amount: 10 },
      ],
      { observationEnd: '2024-02-29' },
    );
    expect(p.overall.repeatPurchaseRate).toBe(0.5);
    expect(p.overall.periods).toEqual([{ period: '2024-01', active: 2, retained: 1, retentionRate: 0.5, churnRate: 0.5 }]);
  });

  it('validateSubscriptions: the still-active end is null and the reversed contract an issue at [2, "end"]', () => {
    const { valid, issues } = validateSubscriptions([
      { customerId: 'C1', start: '2023-01-01', end: '2024-03-31', plan: 'annual' },
      { customerId: 'C2', start: '2023-06-01', end: null },
      { customerId: 'C3', start: '2024-02-01', end: '2024-01-01' },
    ]);
    expect(valid[1]!.end).toBeNull();
    expect(issues[0]!.path).toEqual([2, 'end']);
  });
});
