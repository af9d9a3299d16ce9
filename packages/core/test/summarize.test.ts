import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calibrationHoldout, churnLabels, cleanTransactions, isCrmError, summarizeCustomers, validateTransactions } from '@crm/core';
import { cdnowRawRows, cdnowTransactions } from './cdnow.ts';

// lifetimes' summary of the same transactions: ID,x,t_x,T,zbar with recency, T and zbar rounded to 2 dp.
function referenceSummary(): Map<string, { x: number; tx: number; T: number; zbar: number }> {
  const text = readFileSync(new URL('./fixtures/cdnow_customers_summary_with_transactions.csv', import.meta.url), 'utf8');
  const rows = text.trim().split('\n').slice(1);
  return new Map(
    rows.map((line) => {
      const [id, x, tx, T, zbar] = line.split(',').map(Number);
      return [String(id), { x: x!, tx: tx!, T: T!, zbar: zbar! }];
    }),
  );
}

// The file rounds to 2 decimals: a rounded value is within 0.005 of the exact one (+ float slack).
const ROUNDING_2DP = 0.005 + 1e-9;

describe('summarizeCustomers(transactions, { observationEnd, period })', () => {
  it('rebuilds the CDNOW calibration summary of lifetimes: frequency exact, the rest within its rounding', () => {
    const summaries = summarizeCustomers(Object.freeze(cdnowTransactions()), { observationEnd: '1997-09-30', period: 'week' });
    const reference = referenceSummary();
    expect(summaries).toHaveLength(2357);
    expect(reference.size).toBe(2357);
    let frequencyMismatches = 0;
    for (const s of summaries) {
      const ref = reference.get(s.customerId);
      expect(ref, s.customerId).toBeDefined();
      if (s.frequency !== ref!.x) frequencyMismatches++;
      expect(Math.abs(s.recency - ref!.tx)).toBeLessThanOrEqual(ROUNDING_2DP);
      expect(Math.abs(s.T - ref!.T)).toBeLessThanOrEqual(ROUNDING_2DP);
      expect(Math.abs(s.monetary - ref!.zbar)).toBeLessThanOrEqual(ROUNDING_2DP);
    }
    expect(frequencyMismatches).toBe(0);
    // REFERENCE.md §1: sum of calibration repeat frequency 2,457; 1,411 customers without repeats.
    expect(summaries.reduce((a, s) => a + s.frequency, 0)).toBe(2457);
    expect(summaries.filter((s) => s.frequency === 0)).toHaveLength(1411);
  });

  it("the README pipeline (validate, clean with default de-duplication, summarize) keeps lifetimes' mean repeat spend for every customer", () => {
    const { valid } = validateTransactions(cdnowRawRows(), { fields: { customerId: 'id_sample', time: 'date', amount: 'dollars' } });
    const { transactions } = cleanTransactions(valid, { returns: 'net' });
    const reference = referenceSummary();
    const summaries = summarizeCustomers(transactions, { observationEnd: '1997-09-30', period: 'week' });
    expect(summaries).toHaveLength(2357);
    const off = summaries.filter((s) => Math.abs(s.monetary - reference.get(String(Number(s.customerId)))!.zbar) > ROUNDING_2DP);
    expect(off.map((s) => s.customerId)).toEqual([]);
  });

  it('merges same-day purchases into one period and excludes the first purchase from monetary', () => {
    const [s] = summarizeCustomers(
      [
        { customerId: 'A', time: '2024-01-01T09:00:00Z', amount: 10 },
        { customerId: 'A', time: '2024-01-01T18:00:00Z', amount: 5 },
        { customerId: 'A', time: '2024-01-08', amount: 20 },
        { customerId: 'A', time: '2024-01-08T12:00Z', amount: 4 },
        { customerId: 'A', time: '2024-01-15', amount: 30 },
      ],
      { observationEnd: '2024-01-29', period: 'week' },
    );
    expect(s).toMatchObject({ customerId: 'A', frequency: 2, recency: 2, T: 4, monetary: 27, orders: 5, totalSpend: 69 });
    expect(s!.daysSinceLastPurchase).toBe(14);
    expect(s!.firstPurchase).toBe('2024-01-01T09:00:00.000Z');
    expect(s!.lastPurchase).toBe('2024-01-15T00:00:00.000Z');
  });

  it('measures months as calendar months for period "month"', () => {
    const [s] = summarizeCustomers(
      [
        { customerId: 1, time: '2024-01-31', amount: 10 },
        { customerId: 1, time: '2024-02-01', amount: 10 },
        { customerId: 1, time: '2024-02-20', amount: 10 },
      ],
      { observationEnd: '2024-06-01', period: 'month' },
    );
    expect(s).toMatchObject({ customerId: '1', frequency: 1, recency: 1, T: 5, monetary: 20 });
  });

  it('leaves out transactions after observationEnd and treats ids 7 and "7" as one customer', () => {
    const out = summarizeCustomers(
      [
        { customerId: 7, time: '2024-01-01', amount: 1 },
        { customerId: '7', time: '2024-01-02', amount: 2 },
        { customerId: 8, time: '2024-03-01', amount: 3 },
      ],
      { observationEnd: '2024-02-01' },
    );
    expect(out.map((s) => [s.customerId, s.orders])).toEqual([['7', 2]]);
  });

  it('throws CrmError with a path for an unreadable row and for bad options', () => {
    const bad = [{ customerId: 'A', time: 'yesterday', amount: 1 }];
    try {
      summarizeCustomers(bad, { observationEnd: '2024-01-01' });
      expect.unreachable();
    } catch (e) {
      expect(isCrmError(e) && [e.code, e.path]).toEqual(['invalid_input', [0, 'time']]);
    }
    expect(() => summarizeCustomers([], { observationEnd: 'soon' })).toThrow(/observationEnd/);
    expect(() => summarizeCustomers([], { observationEnd: 0, period: -1 })).toThrow(/period/);
  });
});

describe('calibrationHoldout(transactions, options)', () => {
  it('splits CDNOW at 1997-09-30: calibration equals the plain summary; holdout counts the later purchases', () => {
    const tx = cdnowTransactions();
    const rows = calibrationHoldout(tx, { calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', period: 'week' });
    const plain = summarizeCustomers(tx, { observationEnd: '1997-09-30', period: 'week' });
    expect(rows).toHaveLength(2357);
    expect(rows.map(({ frequencyHoldout, monetaryHoldout, durationHoldout, ...s }) => s)).toEqual(plain);
    // 1997-09-30 → 1998-06-30 is 273 days = 39 weeks.
    expect(rows[0]!.durationHoldout).toBe(39);
    const holdoutTx = tx.filter((t) => t.time > '19970930');
    const distinct = new Set(holdoutTx.map((t) => `${t.customerId}|${t.time}`));
    expect(rows.reduce((a, r) => a + r.frequencyHoldout, 0)).toBe(distinct.size);
  });

  it('rejects an observationEnd before calibrationEnd', () => {
    expect(() => calibrationHoldout([], { calibrationEnd: '2024-02-01', observationEnd: '2024-01-01' })).toThrow(/after calibrationEnd/);
  });
});

describe('churnLabels(transactions, options)', () => {
  it('labels 1 the customers active in calibration with no purchase in the holdout window', () => {
    const labels = churnLabels(
      [
        { customerId: 'A', time: '2024-01-01', amount: 1 },
        { customerId: 'A', time: '2024-03-01', amount: 1 },
        { customerId: 'B', time: '2024-01-05', amount: 1 },
        { customerId: 'C', time: '2024-02-15', amount: 1 },
        { customerId: 'D', time: '2023-06-01', amount: 1 },
        { customerId: 'B', time: '2024-09-01', amount: 1 },
      ],
      { calibrationEnd: '2024-01-31', holdoutEnd: '2024-06-30', activeSince: '2023-12-01' },
    );
    // C starts after calibration; D is not active since 2023-12-01; B's purchase is after the window.
    expect(labels).toEqual([
      { customerId: 'A', churned: 0 },
      { customerId: 'B', churned: 1 },
    ]);
  });
});

function failure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return isCrmError(e) ? [e.code, e.path] : e;
  }
  return 'no error';
}

describe('summaries keep their promises under bad input', () => {
  const end = '2024-02-01';
  it("summarizeCustomers(tx, { observationEnd, perod: 'week' }) throws instead of silently summarizing in days", () => {
    expect(failure(() => summarizeCustomers([], { observationEnd: end, perod: 'week' } as never))).toEqual(['invalid_argument', ['options', 'perod']]);
    expect(failure(() => calibrationHoldout([], { calibrationEnd: end, observationEnd: '2024-03-01', perod: 'week' } as never))).toEqual(['invalid_argument', ['options', 'perod']]);
    expect(failure(() => churnLabels([], { calibrationEnd: end, holdoutEnd: '2024-03-01', activeSinse: end } as never))).toEqual(['invalid_argument', ['options', 'activeSinse']]);
    expect(failure(() => summarizeCustomers([], undefined as never))).toEqual(['invalid_argument', ['options']]);
  });

  it('a period shorter than a day (5e-324) or longer than a century is an invalid_argument, never Infinity', () => {
    const tx = [{ customerId: 'A', time: '2024-01-01', amount: 1 }, { customerId: 'A', time: '2024-01-10', amount: 1 }];
    for (const period of [5e-324, 0.5, 36_526, 604_800, 1e308]) {
      expect(failure(() => summarizeCustomers(tx, { observationEnd: end, period }))).toEqual(['invalid_argument', ['options', 'period']]);
    }
    expect(summarizeCustomers(tx, { observationEnd: end, period: 365.25 })[0]!.recency).toBe(9 / 365.25);
  });

  it('spend that overflows double precision is non_finite_result at the row that overflowed, not Infinity', () => {
    const tx = [
      { customerId: 'A', time: '2024-01-01', amount: 1e308 },
      { customerId: 'A', time: '2024-01-05', amount: 1e308 },
    ];
    expect(failure(() => summarizeCustomers(tx, { observationEnd: end }))).toEqual(['non_finite_result', [1, 'amount']]);
    const holdout = [...tx.slice(0, 1), { customerId: 'A', time: '2024-02-05', amount: 1e308 }, { customerId: 'A', time: '2024-02-06', amount: 1e308 }];
    expect(failure(() => calibrationHoldout(holdout, { calibrationEnd: end, observationEnd: '2024-03-01' }))).toEqual(['non_finite_result', [2, 'amount']]);
  });

  it('numeric times outside the Date range or before 1971 are invalid_input with a path, never RangeError', () => {
    for (const time of [1e16, -1e16, 19970101, 852076800]) {
      const tx = [{ customerId: 'A', time: '2024-01-01', amount: 1 }, { customerId: 'B', time, amount: 1 }];
      expect(failure(() => summarizeCustomers(tx, { observationEnd: end }))).toEqual(['invalid_input', [1, 'time']]);
      expect(failure(() => calibrationHoldout(tx, { calibrationEnd: end, observationEnd: '2024-03-01' }))).toEqual(['invalid_input', [1, 'time']]);
      expect(failure(() => churnLabels(tx, { calibrationEnd: end, holdoutEnd: '2024-03-01' }))).toEqual(['invalid_input', [1, 'time']]);
    }
    expect(failure(() => summarizeCustomers([], { observationEnd: 1e16 }))).toEqual(['invalid_argument', ['options', 'observationEnd']]);
    expect(failure(() => summarizeCustomers([null] as never, { observationEnd: end }))).toEqual(['invalid_input', [0]]);
  });
});
