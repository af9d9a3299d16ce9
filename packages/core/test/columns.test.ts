import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calibrationHoldout, churnLabels, summarizeCustomers, toEpochMs, type TransactionColumns } from '@crm/core';
import { cdnowTransactions } from './cdnow.ts';
import { crmError } from '../../../test/crm-error.ts';

const crmCode = (fn: () => unknown) => {
  const e = crmError(fn);
  return { code: e.code, path: e.path };
};

const rows = cdnowTransactions();

/** The same transactions as columns: epoch ms and amounts in typed arrays, ids as strings. */
function asColumns(r: readonly { customerId: string | number; time: string | number; amount: number }[]): TransactionColumns {
  return {
    customerId: r.map((t) => t.customerId),
    time: Float64Array.from(r, (t) => toEpochMs(t.time)!),
    amount: Float64Array.from(r, (t) => t.amount),
  };
}

describe('transactions as columns', () => {
  const columns = asColumns(rows);

  it('summarizeCustomers gives the summaries of the same rows as records (CDNOW sample, every period)', () => {
    for (const period of ['day', 'week', 'month', 7] as const) {
      const options = { observationEnd: '1997-09-30', period };
      expect(summarizeCustomers(columns, options)).toEqual(summarizeCustomers(rows, options));
    }
  });

  it('calibrationHoldout and churnLabels give the results of the same rows as records', () => {
    const split = { calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', period: 'week' } as const;
    expect(calibrationHoldout(columns, split)).toEqual(calibrationHoldout(rows, split));
    const labels = { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30', activeSince: '1997-04-01' };
    expect(churnLabels(columns, labels)).toEqual(churnLabels(rows, labels));
  });

  it('gives the same customers for integer ids in a typed array (dense or sparse) as for the same ids as strings', () => {
    const options = { observationEnd: '1997-09-30' };
    const numeric = { ...columns, customerId: Int32Array.from(rows, (t) => Number(t.customerId)) };
    expect(summarizeCustomers(numeric, options)).toEqual(summarizeCustomers(columns, options));
    // Ids far beyond the row count take the hash map instead of a table of one slot per id.
    const sparse = { ...columns, customerId: Float64Array.from(rows, (t) => Number(t.customerId) * 1e9) };
    const viaMap = summarizeCustomers(sparse, options);
    expect(viaMap.map((s) => s.customerId)).toEqual(summarizeCustomers(columns, options).map((s) => String(Number(s.customerId) * 1e9)));
    expect(viaMap.map((s) => s.frequency)).toEqual(summarizeCustomers(columns, options).map((s) => s.frequency));
  });

  it('accepts plain arrays, ISO strings, Dates and numeric ids (7 and "7" are one customer)', () => {
    const mixed: TransactionColumns = {
      customerId: [7, '7', 'B', 7],
      time: ['1997-01-01', new Date('1997-01-05T00:00:00Z'), Date.UTC(1997, 0, 2), '1997-02-01'],
      amount: [10, 20, 5, 30],
    };
    const s = summarizeCustomers(mixed, { observationEnd: '1997-03-01' });
    expect(s.map((c) => [c.customerId, c.orders, c.frequency, c.totalSpend])).toEqual([
      ['7', 3, 2, 60],
      ['B', 1, 0, 5],
    ]);
  });

  it('matches the records path on random transactions in any order (fast-check)', () => {
    const tx = fc.record({
      customerId: fc.oneof(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 1, max: 4 })),
      time: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2021, 11, 31) }),
      amount: fc.double({ min: -100, max: 1000, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(tx, { minLength: 1, maxLength: 60 }), (r) => {
        const options = { observationEnd: '2021-06-30', period: 'week' } as const;
        expect(summarizeCustomers(asColumns(r), options)).toEqual(summarizeCustomers(r, options));
      }),
      { numRuns: 200 },
    );
  });

  it('does not modify the columns it reads', () => {
    const copy = { customerId: [...columns.customerId as string[]], time: Float64Array.from(columns.time as Float64Array), amount: Float64Array.from(columns.amount) };
    summarizeCustomers(columns, { observationEnd: '1997-09-30' });
    expect(columns.customerId).toEqual(copy.customerId);
    expect(columns.time).toEqual(copy.time);
    expect(columns.amount).toEqual(copy.amount);
  });

  it('reports a bad value with the path [column, row]', () => {
    const base = { customerId: ['a', 'b'], time: [Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 2)], amount: [1, 2] };
    const end = { observationEnd: '2021-01-01' };
    expect(crmCode(() => summarizeCustomers({ ...base, amount: [1, Number.NaN] }, end))).toEqual({ code: 'invalid_input', path: ['amount', 1] });
    expect(crmCode(() => summarizeCustomers({ ...base, time: [Date.UTC(2020, 0, 1), 19970101] }, end))).toEqual({ code: 'invalid_input', path: ['time', 1] });
    expect(crmCode(() => summarizeCustomers({ ...base, time: ['2020-01-01', 'soon'] }, end))).toEqual({ code: 'invalid_input', path: ['time', 1] });
    expect(crmCode(() => summarizeCustomers({ ...base, customerId: ['a', null as never] }, end))).toEqual({ code: 'invalid_input', path: ['customerId', 1] });
    expect(crmCode(() => summarizeCustomers({ ...base, customerId: Float64Array.from([1, Number.NaN]) }, end))).toEqual({ code: 'invalid_input', path: ['customerId', 1] });
    expect(crmCode(() => summarizeCustomers({ ...base, customerId: Int32Array.from([1, -3]), amount: [1, Infinity] }, end))).toEqual({ code: 'invalid_input', path: ['amount', 1] });
    expect(crmCode(() => summarizeCustomers({ ...base, amount: [1] }, end))).toEqual({ code: 'invalid_input', path: ['transactions', 'amount'] });
    expect(crmCode(() => summarizeCustomers({ ...base, time: 5 as never }, end))).toEqual({ code: 'invalid_argument', path: ['transactions', 'time'] });
    expect(crmCode(() => summarizeCustomers('a,b' as never, end))).toEqual({ code: 'invalid_argument', path: ['transactions'] });
    expect(crmCode(() => summarizeCustomers(new Float64Array(3) as never, end))).toEqual({ code: 'invalid_argument', path: ['transactions'] });
  });
});
