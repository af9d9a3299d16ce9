import { describe, expect, it } from 'vitest';
import { loyaltyMetrics, netPromoterScore, populationLoyalty } from '@crm/scoring';
import { crmCode } from '../../../test/crm-error.ts';

const deepFreeze = <T extends object[]>(rows: T): T => Object.freeze(rows.map((r) => Object.freeze(r))) as unknown as T;

describe('netPromoterScore(scores): worked examples by hand', () => {
  it('5 promoters, 2 passives, 3 detractors of 10: NPS 20, SE 100·√((0.5 + 0.3 − 0.2²)/10) = 27.568…', () => {
    const s = netPromoterScore(Object.freeze([10, 9, 9, 8, 7, 6, 3, 0, 10, 9]));
    expect(s).toMatchObject({ n: 10, promoters: 5, passives: 2, detractors: 3 });
    expect(s.nps).toBeCloseTo(20, 12);
    // √0.076 = 0.275680975041804… (by hand: 0.2757² = 0.07601)
    expect(s.standardError).toBeCloseTo(27.5680975041804, 10);
  });

  it('boundaries: 9 promotes, 8 and 7 are passive, 6 detracts; all promoters give 100 ± 0; all detractors −100', () => {
    expect(netPromoterScore([9, 8, 7, 6])).toMatchObject({ promoters: 1, passives: 2, detractors: 1, nps: 0 });
    // 1 promoter, 1 detractor of 4: p₊ = p₋ = 0.25 → SE = 100·√(0.5/4) = 35.355…
    expect(netPromoterScore([9, 8, 7, 6]).standardError).toBeCloseTo(35.35533905932738, 10);
    expect(netPromoterScore([10, 9])).toEqual({ n: 2, promoters: 2, passives: 0, detractors: 0, nps: 100, standardError: 0 });
    expect(netPromoterScore(new Float64Array([0, 6])).nps).toBe(-100);
  });

  it('refuses answers outside the 0–10 integer scale and empty input', () => {
    expect(crmCode(() => netPromoterScore([10, 11]))).toEqual(['invalid_input', [1]]);
    expect(crmCode(() => netPromoterScore([7.5]))).toEqual(['invalid_input', [0]]);
    expect(crmCode(() => netPromoterScore([NaN]))).toEqual(['invalid_input', [0]]);
    expect(crmCode(() => netPromoterScore([]))).toEqual(['invalid_input', ['scores']]);
  });
});

describe('loyaltyMetrics(transactions, interactions, options): per customer, by hand', () => {
  const orders = deepFreeze([
    { customerId: 'A', time: '2024-01-01', amount: 20 },
    { customerId: 'A', time: '2024-01-31', amount: 15 },
    { customerId: 'A', time: '2024-01-11', amount: 35 }, // out of order on purpose
    { customerId: 'B', time: '2024-01-05T09:00Z', amount: 5 },
    { customerId: 'B', time: '2024-01-05T15:00Z', amount: 5 },
    { customerId: 'B', time: '2024-03-01', amount: 5 }, // after the end
  ]);
  const touches = deepFreeze([
    { customerId: 'A', time: '2024-01-12', type: 'review' },
    { customerId: 'A', time: '2024-01-20', type: 'referral' },
    { customerId: 'A', time: '2024-01-21', type: 'campaign' }, // neither
    { customerId: 'B', time: '2024-01-06', type: 'survey' },
    { customerId: 'B', time: '2024-01-07', type: 'complaint' },
    { customerId: 'B', time: '2024-03-02', type: 'referral' }, // after the end
    { customerId: 'C', time: '2024-01-15', type: 'referral' }, // no order
  ]);

  it('A: tenure 40 days, 3 orders, gaps 10 and 20 (mean and median 15), 1 feedback and 1 referral per 3 orders', () => {
    const [a, b, c] = loyaltyMetrics(orders, touches, { observationEnd: '2024-02-10' });
    expect(a).toEqual({
      customerId: 'A',
      orders: 3,
      tenureDays: 40,
      repeatPurchaser: true,
      feedback: 1,
      feedbackRate: 1 / 3,
      referrals: 1,
      recommendationRate: 1 / 3,
      meanInterPurchaseDays: 15,
      medianInterPurchaseDays: 15,
    });
    // B: two orders six hours apart (gap 0.25 days), tenure from 09:00 on 5 Jan to 10 Feb = 35.625 days.
    expect(b).toMatchObject({ orders: 2, tenureDays: 35.625, repeatPurchaser: true, feedback: 2, feedbackRate: 1, referrals: 0, recommendationRate: 0, meanInterPurchaseDays: 0.25, medianInterPurchaseDays: 0.25 });
    // C only referred: kept, with null rates rather than NaN.
    expect(c).toEqual({ customerId: 'C', orders: 0, tenureDays: null, repeatPurchaser: false, feedback: 0, feedbackRate: null, referrals: 1, recommendationRate: null, meanInterPurchaseDays: null, medianInterPurchaseDays: null });
  });

  it('the interaction types are options: campaign as feedback, survey ignored', () => {
    const [a, b] = loyaltyMetrics(orders, touches, { observationEnd: '2024-02-10', feedbackTypes: ['campaign'], referralTypes: ['referral'] });
    expect(a!.feedback).toBe(1);
    expect(b!.feedback).toBe(0);
    expect(crmCode(() => loyaltyMetrics(orders, touches, { feedbackTypes: ['referral'] }))).toEqual(['invalid_argument', ['options', 'referralTypes']]);
    expect(crmCode(() => loyaltyMetrics(orders, touches, { feedbackTypes: 'survey' as never }))).toEqual(['invalid_argument', ['options', 'feedbackTypes']]);
  });

  it('median of an even number of gaps is the mean of the middle two', () => {
    const t = ['2024-01-01', '2024-01-02', '2024-01-05', '2024-01-15', '2024-01-16'].map((time) => ({ customerId: 'X', time, amount: 1 }));
    // gaps 1, 3, 10, 1 → sorted 1, 1, 3, 10 → median 2, mean 15/4
    const [x] = loyaltyMetrics(t, []);
    expect(x!.medianInterPurchaseDays).toBe(2);
    expect(x!.meanInterPurchaseDays).toBe(3.75);
    expect(x!.tenureDays).toBe(15); // default end: the last transaction
  });

  it('refuses bad rows with a path', () => {
    expect(crmCode(() => loyaltyMetrics([{ customerId: 'A', time: 'x', amount: 1 }], []))).toEqual(['invalid_input', [0, 'time']]);
    expect(crmCode(() => loyaltyMetrics([], [{ customerId: 'A', time: '2024-01-01', type: 3 as never }]))).toEqual(['invalid_input', [0, 'type']]);
    expect(crmCode(() => loyaltyMetrics([], [{ time: '2024-01-01', type: 'survey' } as never]))).toEqual(['invalid_input', [0, 'customerId']]);
  });
});

describe('populationLoyalty(transactions, options): repeat rate, period retention and churn, per segment', () => {
  // A: 3 Jan, 3 Feb, 10 Mar · B: 9 Jan, 1 Mar · C: 14 Feb, 20 Feb · D: 5 Mar (2024 is a leap year).
  const rows = deepFreeze([
    { customerId: 'A', time: '2024-01-03', amount: 10 },
    { customerId: 'A', time: '2024-02-03', amount: 10 },
    { customerId: 'A', time: '2024-03-10', amount: 10 },
    { customerId: 'B', time: '2024-01-09', amount: 10 },
    { customerId: 'B', time: '2024-03-01', amount: 10 },
    { customerId: 'C', time: '2024-02-14', amount: 10 },
    { customerId: 'C', time: '2024-02-20', amount: 10 },
    { customerId: 'D', time: '2024-03-05', amount: 10 },
  ]);

  it('population: 3 of 4 repeat; January keeps A of {A, B}, February keeps A of {A, C}; March is the last complete month', () => {
    const p = populationLoyalty(rows, { observationEnd: '2024-03-31' });
    expect(p.overall.customers).toBe(4);
    expect(p.overall.repeatPurchaseRate).toBe(0.75);
    // A: 67 days over 2 gaps = 33.5; B: 52; C: 6 → mean 30.5
    expect(p.overall.meanInterPurchaseDays).toBeCloseTo(30.5, 12);
    expect(p.overall.periods).toEqual([
      { period: '2024-01', active: 2, retained: 1, retentionRate: 0.5, churnRate: 0.5 },
      { period: '2024-02', active: 2, retained: 1, retentionRate: 0.5, churnRate: 0.5 },
    ]);
    expect(p.segments).toEqual([]);
  });

  it('a partly observed next month is not reported as churn (end 15 March: February is the last pair)', () => {
    const p = populationLoyalty(rows, { observationEnd: '2024-03-15' });
    expect(p.overall.periods.map((x) => x.period)).toEqual(['2024-01']);
  });

  it('segments: gold {A, B}, silver {C}, and D without a segment under null; empty months give null rates', () => {
    const p = populationLoyalty(rows, { observationEnd: '2024-03-31', segments: { A: 'gold', B: 'gold', C: 'silver' } });
    const [gold, silver, none] = p.segments;
    expect(gold).toMatchObject({ segment: 'gold', customers: 2, repeatCustomers: 2, repeatPurchaseRate: 1 });
    expect(gold!.periods.map((x) => x.retentionRate)).toEqual([0.5, 1]);
    expect(silver!.segment).toBe('silver');
    expect(silver!.periods).toEqual([
      { period: '2024-01', active: 0, retained: 0, retentionRate: null, churnRate: null },
      { period: '2024-02', active: 1, retained: 0, retentionRate: 0, churnRate: 1 },
    ]);
    expect(none).toMatchObject({ segment: null, customers: 1, repeatCustomers: 0, repeatPurchaseRate: 0, meanInterPurchaseDays: null });
  });

  it('weeks and days follow the same rule', () => {
    const w = populationLoyalty(
      [
        { customerId: 'A', time: '2024-01-01', amount: 1 }, // Monday, week of 1 Jan
        { customerId: 'A', time: '2024-01-08', amount: 1 }, // next week
        { customerId: 'B', time: '2024-01-07', amount: 1 }, // Sunday, week of 1 Jan
      ],
      { period: 'week', observationEnd: '2024-01-14' },
    );
    expect(w.overall.periods).toEqual([{ period: '2024-01-01', active: 2, retained: 1, retentionRate: 0.5, churnRate: 0.5 }]);
  });

  it('refuses bad options and rows', () => {
    expect(crmCode(() => populationLoyalty(rows, { period: 'year' as never }))).toEqual(['invalid_argument', ['options', 'period']]);
    expect(crmCode(() => populationLoyalty(rows, { segments: { A: 1 } as never }))).toEqual(['invalid_argument', ['options', 'segments', 'A']]);
    expect(crmCode(() => populationLoyalty([]))).toEqual(['invalid_input', ['transactions']]);
    expect(crmCode(() => populationLoyalty([{ customerId: 'A', time: '2024-01-01', amount: Infinity }]))).toEqual(['invalid_input', [0, 'amount']]);
  });
});
