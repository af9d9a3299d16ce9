import { describe, expect, it } from 'vitest';
import { KaplanMeier, kaplanMeierByGroup, logRankTest, survivalFromContracts, survivalFromTransactions } from '@crm/churn';
import { normalQuantile, validateSubscriptions } from '@crm/core';
import { expectCrmError } from './helpers.ts';

// A hand-worked example. Durations 1, 3, 3+, 4, 6+, 8 (+ = censored):
//   t  at risk  events  censored  S                      Σ d/(n(n−d))
//   1  6        1       0         5/6                    1/30
//   3  5        1       1         5/6 · 4/5 = 2/3        1/30 + 1/20 = 1/12
//   4  3        1       0         2/3 · 2/3 = 4/9        1/12 + 1/6 = 1/4
//   6  2        0       1         4/9                    1/4
//   8  1        1       0         0                      ∞ (se undefined)
// se(S) = S·√Σ: 5/6·√(1/30), 2/3·√(1/12) = 1/(3√3), 4/9·1/2 = 2/9, 2/9, —.
const hand = Object.freeze({ durations: Object.freeze([1, 3, 3, 4, 6, 8]), events: Object.freeze([1, 1, 0, 1, 0, 1]) });
/** Exact fractions computed in double precision differ from the product form by a few ulps. */
const ULPS = 1e-15;

describe('KaplanMeier: hand-worked example', () => {
  const km = KaplanMeier.fit(hand);
  it('table: times, at risk, events, censored, survival and Greenwood standard errors', () => {
    const t = km.table;
    expect(t.time).toEqual([1, 3, 4, 6, 8]);
    expect(t.atRisk).toEqual([6, 5, 3, 2, 1]);
    expect(t.events).toEqual([1, 1, 1, 0, 1]);
    expect(t.censored).toEqual([0, 1, 0, 1, 0]);
    [5 / 6, 2 / 3, 4 / 9, 4 / 9, 0].forEach((s, i) => expect(Math.abs((t.survival[i] as number) - s)).toBeLessThan(ULPS));
    const se = [(5 / 6) * Math.sqrt(1 / 30), 1 / (3 * Math.sqrt(3)), 2 / 9, 2 / 9];
    se.forEach((v, i) => expect(Math.abs((t.standardError[i] as number) - v)).toBeLessThan(ULPS));
    expect(t.standardError[4]).toBeNull();
    expect(t.lower[4]).toBeNull();
    expect(t.upper[4]).toBeNull();
    expect(km.n).toBe(6);
    expect(km.events).toBe(4);
  });
  it('plain band at t = 4 is 4/9 ± z·2/9; log band exp(log S ± z·σ) with σ = 1/2', () => {
    const z = normalQuantile(0.975);
    const plain = KaplanMeier.fit(hand, { confidenceType: 'plain' }).table;
    expect(Math.abs((plain.lower[2] as number) - (4 / 9 - (z * 2) / 9))).toBeLessThan(ULPS);
    expect(Math.abs((plain.upper[2] as number) - (4 / 9 + (z * 2) / 9))).toBeLessThan(ULPS);
    const log = KaplanMeier.fit(hand, { confidenceType: 'log' }).table;
    expect(Math.abs((log.lower[2] as number) - (4 / 9) * Math.exp(-z / 2))).toBeLessThan(ULPS);
    expect(log.upper[2]).toBe(Math.min(1, (4 / 9) * Math.exp(z / 2)));
    // log-log: exp(−exp(log(−log S) ∓ zσ/log S)); the band stays inside (0, 1).
    const ll = km.table;
    const c = Math.log(-Math.log(4 / 9));
    const half = (z * 0.5) / Math.log(4 / 9);
    expect(Math.abs((ll.lower[2] as number) - Math.exp(-Math.exp(c - half)))).toBeLessThan(1e-14);
    expect(Math.abs((ll.upper[2] as number) - Math.exp(-Math.exp(c + half)))).toBeLessThan(1e-14);
  });
  it('survival(t) is the right-continuous step function, vectorised over times', () => {
    expect(km.survival(0.5)).toBe(1);
    expect(km.survival(1)).toBe(km.table.survival[0]);
    expect(km.survival(5)).toBe(km.table.survival[2]);
    expect(km.survival(100)).toBe(0);
    expect(Array.from(km.survival([-1, 3, 3.999, 8]))).toEqual([1, km.table.survival[1], km.table.survival[1], 0]);
  });
  it('median and quantiles follow quantile.survfit: first time S ≤ 1 − p, the middle of a flat stretch at exactly 1 − p', () => {
    expect(km.median().time).toBe(4); // S falls from 2/3 to 4/9 at t = 4
    expect(km.quantile(1).time).toBe(8);
    expect(km.quantile(0).time).toBe(0);
    const even = KaplanMeier.fit({ durations: [1, 2, 3, 4], events: [1, 1, 1, 1] });
    expect(even.median().time).toBe(2.5); // S = 0.5 on [2, 3)
    expect(even.quantile(0.25).time).toBe(1.5);
    // A curve that ends at exactly 1 − p: the middle of the last event time and the last observed time.
    const flatEnd = KaplanMeier.fit({ durations: [1, 2, 5], events: [1, 0, 0] });
    // 1 − S equals 1/3 only up to rounding: the √ε tolerance of the rule absorbs it, as in R
    // (quantile(survfit(Surv(c(1, 2, 5), c(1, 0, 0)) ~ 1), 1/3) is 3, the median NA).
    expect(flatEnd.quantile(1 / 3).time).toBe(3); // (1 + 5) / 2
    expect(flatEnd.median().time).toBeNull(); // never reaches 0.5
  });
  it('the doc examples hold', () => {
    expect(KaplanMeier.fit({ durations: [1, 2, 3, 4, 5], events: [1, 1, 1, 1, 1] }).median().time).toBe(3);
    expect(Array.from(KaplanMeier.fit({ durations: [1, 2, 3, 4], events: [1, 1, 1, 1] }).survival([0, 1, 4]))).toEqual([1, 0.75, 0]);
    const curves = kaplanMeierByGroup(
      { durations: [2, 5, 7, 1, 3, 9], events: [1, 1, 0, 1, 1, 1] },
      ['monthly', 'yearly', 'yearly', 'monthly', 'monthly', 'yearly'],
    );
    expect(curves.map((c) => [c.group, c.model.median().time])).toEqual([['monthly', 2], ['yearly', 9]]);
  });
});

describe('KaplanMeier: shape of the model', () => {
  it('a sample without events stays at 1, with bands [1, 1] and no quantiles', () => {
    const km = KaplanMeier.fit({ durations: [3, 1, 2], events: [false, false, false] });
    expect(km.table.survival).toEqual([1, 1, 1]);
    expect(km.table.lower).toEqual([1, 1, 1]);
    expect(km.median()).toEqual({ probability: 0.5, time: null, lower: null, upper: null });
  });
  it('ties of events and censorings at one time: both counted there, the censored still at risk', () => {
    const km = KaplanMeier.fit({ durations: [2, 2, 2, 5], events: [1, 0, 1, 1] });
    expect(km.table.time).toEqual([2, 5]);
    expect(km.table.atRisk).toEqual([4, 1]);
    expect(km.table.events).toEqual([2, 1]);
    expect(km.table.censored).toEqual([1, 0]);
    expect(km.table.survival).toEqual([0.5, 0]);
  });
  it('is frozen and round-trips through JSON with identical predictions', () => {
    const km = KaplanMeier.fit(hand, { confidenceLevel: 0.9, confidenceType: 'plain' });
    expect(Object.isFrozen(km)).toBe(true);
    expect(Object.isFrozen(km.table.survival)).toBe(true);
    const copy = KaplanMeier.fromJSON(JSON.parse(JSON.stringify(km)));
    expect(copy.table).toEqual(km.table);
    expect(copy.options).toEqual({ confidenceLevel: 0.9, confidenceType: 'plain' });
    expect(copy.median()).toEqual(km.median());
  });
  it('does not mutate or keep its input', () => {
    const durations = new Float64Array([3, 1, 2]);
    const km = KaplanMeier.fit({ durations, events: [1, 1, 0] });
    expect(Array.from(durations)).toEqual([3, 1, 2]);
    durations[0] = 100;
    expect(km.table.time).toEqual([1, 2, 3]);
  });
  it('bad input and options are CrmErrors with paths', () => {
    expectCrmError(() => KaplanMeier.fit({ durations: [], events: [] }), 'invalid_input', ['durations']);
    expectCrmError(() => KaplanMeier.fit({ durations: [1, -2], events: [1, 1] }), 'invalid_input', ['durations', 1]);
    expectCrmError(() => KaplanMeier.fit({ durations: [1, NaN], events: [1, 1] }), 'invalid_input', ['durations', 1]);
    expectCrmError(() => KaplanMeier.fit({ durations: [1, 2], events: [1, 2] }), 'invalid_labels');
    expectCrmError(() => KaplanMeier.fit(hand, { confidenceLevel: 1 }), 'invalid_argument', ['options', 'confidenceLevel']);
    expectCrmError(() => KaplanMeier.fit(hand, { confidenceType: 'logit' as never }), 'invalid_argument', ['options', 'confidenceType']);
    expectCrmError(() => KaplanMeier.fit(hand, { conf: 0.9 } as never), 'invalid_argument', ['options', 'conf']);
    const km = KaplanMeier.fit(hand);
    expectCrmError(() => km.survival(NaN), 'invalid_input', ['t']);
    expectCrmError(() => km.survival([1, Infinity]), 'invalid_input', ['times', 1]);
    expectCrmError(() => km.quantile(1.5), 'invalid_argument', ['p']);
  });
  it('fromJSON rejects tampered counts and times', () => {
    const json = KaplanMeier.fit(hand).toJSON();
    expectCrmError(() => KaplanMeier.fromJSON({ ...json, kind: 'crm.churn.cox-ph' }), 'invalid_json', ['kind']);
    expectCrmError(() => KaplanMeier.fromJSON({ ...json, time: [1, 1, 4, 6, 8] }), 'invalid_json', ['time', 1]);
    expectCrmError(() => KaplanMeier.fromJSON({ ...json, events: [1, 0.5, 1, 0, 1] }), 'invalid_json', ['events', 1]);
    expectCrmError(() => KaplanMeier.fromJSON({ ...json, censored: [0, 1, 0, 1] }), 'invalid_json', ['censored']);
    expectCrmError(() => KaplanMeier.fromJSON({ ...json, events: [0, 1, 1, 0, 1], censored: [0, 1, 0, 1, 0] }), 'invalid_json', ['events', 0]);
    expectCrmError(() => KaplanMeier.fromJSON({ ...json, options: { confidenceLevel: 2, confidenceType: 'log' } }), 'invalid_json');
  });
});

describe('kaplanMeierByGroup', () => {
  it('sorts numeric labels numerically and fits each group alone', () => {
    const groups = kaplanMeierByGroup({ durations: [1, 2, 3, 4, 5, 6], events: [1, 1, 1, 1, 1, 1] }, [10, 9, 10, 9, 10, 9]);
    expect(groups.map((g) => g.group)).toEqual([9, 10]);
    expect(groups[0]?.model.table.time).toEqual([2, 4, 6]);
    expect(Object.isFrozen(groups)).toBe(true);
  });
  it('rejects mixed, missing or misaligned labels', () => {
    const data = { durations: [1, 2, 3], events: [1, 1, 1] };
    expectCrmError(() => kaplanMeierByGroup(data, ['a', 1, 'b'] as never), 'invalid_input', ['groups', 1]);
    expectCrmError(() => kaplanMeierByGroup(data, ['a', 'b']), 'invalid_input', ['groups']);
    expectCrmError(() => kaplanMeierByGroup(data, [1, NaN, 2]), 'invalid_input', ['groups', 1]);
  });
});

describe('logRankTest', () => {
  // Two groups of two, hand-worked (R survdiff gives the same): times 1 (A event), 2 (B event),
  // 3 (A event), 4 (B event). At t=1: n=4, nA=2, E_A = 1/2, V = 1·3/3·(1/2)(1/2) = 1/4.
  // t=2: n=3, nA=1, E_A = 1/3, V = 2/2·(1/3)(2/3) = 2/9. t=3: n=2, nA=1, E_A = 1/2, V = 1/4.
  // t=4: n=1, nA=0, E_A = 0. O_A = 2, E_A = 4/3, V = 13/18, χ² = (2/3)² / (13/18) = 8/13.
  it('equals the hand-worked statistic 8/13 on four subjects', () => {
    const r = logRankTest({ durations: [1, 2, 3, 4], events: [1, 1, 1, 1] }, ['A', 'B', 'A', 'B']);
    expect(r.observed).toEqual([2, 2]);
    expect(Math.abs((r.expected[0] as number) - 4 / 3)).toBeLessThan(ULPS * 4);
    expect(Math.abs((r.variance[0]?.[0] as number) - 13 / 18)).toBeLessThan(ULPS * 4);
    expect(Math.abs(r.statistic - 8 / 13)).toBeLessThan(1e-14);
    expect(r.df).toBe(1);
    // R: survdiff(...)$chisq = 0.6153846, pchisq(8/13, 1, lower.tail = FALSE) = 0.4327676 (printed to 7 digits).
    expect(Math.abs(r.pValue - 0.4327676)).toBeLessThan(5e-8);
  });
  it('the doc example separates drug and placebo', () => {
    const r = logRankTest(
      { durations: [6, 6, 6, 7, 10, 13, 16, 22, 1, 1, 2, 2, 3, 4, 4, 5], events: [1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
      ['drug', 'drug', 'drug', 'drug', 'drug', 'drug', 'drug', 'drug', 'placebo', 'placebo', 'placebo', 'placebo', 'placebo', 'placebo', 'placebo', 'placebo'],
    );
    // R survdiff on the same data: chisq 16.62889, p 4.545348e-05 (printed to 7 digits).
    expect(r.df).toBe(1);
    expect(Math.abs(r.statistic - 16.62889)).toBeLessThan(5e-6);
    expect(Math.abs(r.pValue / 4.545348e-5 - 1)).toBeLessThan(1e-6);
  });
  it('needs two groups with expected events and a non-singular variance', () => {
    expectCrmError(() => logRankTest({ durations: [1, 2], events: [1, 1] }, ['a', 'a']), 'invalid_input', ['groups']);
    // Group b is censored before the only event: no expected events there.
    expectCrmError(() => logRankTest({ durations: [5, 1], events: [1, 0] }, ['a', 'b']), 'degenerate_data', ['groups']);
    expectCrmError(() => logRankTest({ durations: [1, 2, 3], events: [1, 1, 1] }, ['a', 'b', 'c'], { maxGroups: 2 }), 'limit_exceeded', ['options', 'maxGroups']);
    expectCrmError(() => logRankTest({ durations: [1, 2], events: [1, 1] }, ['a', 'b'], { rho: -1 }), 'invalid_argument', ['options', 'rho']);
    // 3 event times × 3² groups = 27 variance updates.
    expectCrmError(() => logRankTest({ durations: [1, 2, 3], events: [1, 1, 1] }, ['a', 'b', 'c'], { maxWork: 26 }), 'limit_exceeded', ['options', 'maxWork']);
    expect(logRankTest({ durations: [1, 2, 3], events: [1, 1, 1] }, ['a', 'b', 'c'], { maxWork: 27 }).df).toBe(2);
  });
});

describe('survivalFromTransactions', () => {
  const day = (iso: string): string => `${iso}T00:00:00Z`;
  it('event = the first gap longer than the window, at the last purchase + window; others censored at the observation end', () => {
    const s = survivalFromTransactions(
      [
        { customerId: 'A', time: day('2024-01-01') },
        { customerId: 'A', time: day('2024-01-20') },
        { customerId: 'B', time: day('2024-02-10') },
        { customerId: 'C', time: day('2024-03-20') },
        // D lapses in February (gap of 40 days > 30) and comes back: the first lapse counts.
        { customerId: 7, time: day('2024-01-01') },
        { customerId: '7', time: day('2024-02-10') },
        // After the observation end: left out, so E is censored with only its first purchase.
        { customerId: 'E', time: day('2024-03-25') },
        { customerId: 'E', time: day('2024-05-01') },
      ],
      { churnWindow: 30, observationEnd: '2024-04-01', unit: 'day' },
    );
    expect(s.customerIds).toEqual(['A', 'B', 'C', '7', 'E']);
    expect(s.durations).toEqual([49, 30, 12, 30, 7]);
    expect(s.events).toEqual([1, 1, 0, 1, 0]);
    expect(s.lastPurchase[0]).toBe(Date.parse('2024-01-20T00:00:00Z'));
  });
  it('a gap of exactly the window is not churn; a window ending exactly at the observation end is', () => {
    const s = survivalFromTransactions(
      [
        { customerId: 'A', time: '2024-01-01' },
        { customerId: 'A', time: '2024-01-31' },
        { customerId: 'B', time: '2024-03-02' },
      ],
      { churnWindow: 30, observationEnd: '2024-04-01' },
    );
    expect(s.events).toEqual([1, 1]);
    expect(s.durations).toEqual([60, 30]);
  });
  it('units: weeks and average months', () => {
    const s = survivalFromTransactions([{ customerId: 'A', time: '2024-01-01' }], { churnWindow: 2, observationEnd: '2024-01-29', unit: 'week' });
    expect(s.durations).toEqual([2]);
    expect(s.events).toEqual([1]);
    const m = survivalFromTransactions([{ customerId: 'A', time: '2024-01-01' }], { churnWindow: 12, observationEnd: '2024-07-01', unit: 'month' });
    expect(m.events).toEqual([0]);
    expect(Math.abs((m.durations[0] as number) - 182 / 30.4375)).toBeLessThan(1e-12);
  });
  it('bad rows and options are CrmErrors', () => {
    expectCrmError(() => survivalFromTransactions([{ customerId: 'A', time: 'yesterday' }], { churnWindow: 3, observationEnd: '2024-01-01' }), 'invalid_input', [0, 'time']);
    expectCrmError(() => survivalFromTransactions([{ customerId: null as never, time: '2024-01-01' }], { churnWindow: 3, observationEnd: '2024-01-01' }), 'invalid_input', [0, 'customerId']);
    expectCrmError(() => survivalFromTransactions([], { churnWindow: 0, observationEnd: '2024-01-01' }), 'invalid_argument', ['options', 'churnWindow']);
    expectCrmError(() => survivalFromTransactions([], { observationEnd: '2024-01-01' } as never), 'invalid_argument', ['options', 'churnWindow']);
    expectCrmError(() => survivalFromTransactions([], { churnWindow: 3, observationEnd: 'soon' }), 'invalid_argument', ['options', 'observationEnd']);
    expectCrmError(() => survivalFromTransactions([], { churnWindow: 3, observationEnd: '2024-01-01', unit: 'fortnight' as never }), 'invalid_argument', ['options', 'unit']);
  });
});

describe('survivalFromContracts', () => {
  it('an end by the observation end is an event; no end, or a later end, is censored at the observation end', () => {
    const s = survivalFromContracts(
      [
        { start: '2024-01-01', end: '2024-01-31' },
        { start: '2024-01-01', end: null },
        { start: '2024-01-01' },
        { start: '2024-02-01', end: '2024-06-01' },
        { start: '2024-02-01', end: '2024-03-01' },
      ],
      { observationEnd: '2024-03-01', unit: 'day' },
    );
    expect(s.durations).toEqual([30, 60, 60, 29, 29]);
    expect(s.events).toEqual([1, 0, 0, 0, 1]);
  });
  it("reads @crm/core's validated Subscription rows as they are", () => {
    const { valid } = validateSubscriptions([
      { customerId: 'C1', start: '2024-01-01', end: '2024-01-31', plan: 'monthly' },
      { customerId: 'C2', start: '2024-02-01', end: null },
    ]);
    const s = survivalFromContracts(valid, { observationEnd: '2024-03-01', unit: 'day' });
    expect(s.durations).toEqual([30, 29]);
    expect(s.events).toEqual([1, 0]);
  });
  it('rejects a start after the observation end and an end before the start', () => {
    expectCrmError(() => survivalFromContracts([{ start: '2025-01-01' }], { observationEnd: '2024-03-01' }), 'invalid_input', [0, 'start']);
    expectCrmError(() => survivalFromContracts([{ start: '2024-01-02', end: '2024-01-01' }], { observationEnd: '2024-03-01' }), 'invalid_input', [0, 'end']);
    expectCrmError(() => survivalFromContracts([{ start: '2024-01-02', end: 'later' }], { observationEnd: '2024-03-01' }), 'invalid_input', [0, 'end']);
  });
});

describe('curveQuantile (R findq) on a curve that rises', () => {
  it('drops repeated values anywhere (not only adjacent) and picks the smallest 1 − curve at or above p', async () => {
    const { curveQuantile } = await import('../src/survival/survival-curve.ts');
    // 1 − curve = 0.1, 0.05, 0.1 (a repeat, dropped), 0.6: the rise at t = 2 makes the general path run.
    // R: survival:::findq(c(0, 1, 2, 3, 4), c(0, 0.1, 0.05, 0.1, 0.6), 0.5, sqrt(.Machine$double.eps)) is 4.
    expect(curveQuantile([1, 2, 3, 4], [0.9, 0.95, 0.9, 0.4], 0.5)).toBe(4);
    expect(curveQuantile([1, 2, 3, 4], [0.9, 0.95, 0.9, 0.4], 0.07)).toBe(1);
    expect(curveQuantile([1, 2, 3, 4], [0.9, null, 0.9, 0.4], 0.7)).toBeNull();
    // The monotone fast path and the general path agree where both apply.
    expect(curveQuantile([1, 2, 3], [0.8, 0.5, 0.2], 0.5)).toBe(2.5);
    expect(curveQuantile([1, 2, 3, 4], [0.8, 0.5, 0.2, 0.9], 0.5)).toBe(2.5);
  });
});
