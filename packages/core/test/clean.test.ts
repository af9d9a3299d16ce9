import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cleanTransactions, isCrmError, summarizeCustomers, validateTransactions, type Transaction } from '@crm/core';
import { cdnowRawRows, cdnowTransactions } from './cdnow.ts';

const tx = (id: string | undefined, customerId: string, day: string, amount: number): Transaction =>
  Object.freeze(id === undefined ? { customerId, time: new Date(`${day}T00:00:00Z`), amount } : { id, customerId, time: new Date(`${day}T00:00:00Z`), amount });

describe('cleanTransactions(transactions, options)', () => {
  const data = Object.freeze([
    tx('o1', 'A', '2024-01-01', 50),
    tx('o1', 'A', '2024-01-01', 50), // duplicate id
    tx(undefined, 'B', '2024-01-02', 10),
    tx(undefined, 'B', '2024-01-02', 10), // duplicate content
    tx('r1', 'A', '2024-01-05', -20), // return of o1
    tx('o2', 'C', '2024-01-03', 15),
    tx('r2', 'C', '2024-01-06', -15), // full return
    tx('r3', 'D', '2024-01-06', -5), // no earlier order
    tx('o3', 'D', '2024-01-07', 0),
  ]);

  it('by default removes only rows repeating an order id with identical content, and keeps returns and id-less rows', () => {
    const { transactions, removed, counts, rows } = cleanTransactions(data);
    expect(removed).toEqual([{ index: 1, reason: 'duplicate', detail: "same id 'o1', customer, time and amount as row 0" }]);
    expect(transactions).toHaveLength(8);
    expect(rows).toEqual([0, 2, 3, 4, 5, 6, 7, 8]);
    expect(counts.duplicate).toBe(1);
  });

  it("duplicates: 'content' (opt-in) ignores ids and 'none' keeps everything", () => {
    expect(cleanTransactions(data, { duplicates: 'content' }).removed.map((r) => r.index)).toEqual([1, 3]);
    expect(cleanTransactions([tx('a', 'A', '2024-01-01', 1), tx('b', 'A', '2024-01-01', 1)], { duplicates: 'content' }).transactions).toHaveLength(1);
    expect(cleanTransactions(data, { duplicates: 'none' }).transactions).toHaveLength(9);
  });

  it("returns: 'drop' removes negative amounts; zeroAmounts: 'drop' removes zeros", () => {
    const { removed } = cleanTransactions(data, { returns: 'drop', zeroAmounts: 'drop' });
    expect(removed.map((r) => [r.index, r.reason])).toEqual([
      [1, 'duplicate'], [4, 'return'], [6, 'return'], [7, 'return'], [8, 'zero_amount'],
    ]);
  });

  it("returns: 'net' subtracts a return from its order, removes full returns and unmatched returns", () => {
    const { transactions, removed, adjusted, counts } = cleanTransactions(data, { returns: 'net' });
    expect(adjusted).toEqual([{ index: 0, from: 50, to: 30, detail: 'netted against the return at row 4' }]);
    expect(transactions.find((t) => t.id === 'o1')!.amount).toBe(30);
    expect(counts).toEqual({ duplicate: 1, return: 0, netted_return: 2, fully_returned: 1, unmatched_return: 1, zero_amount: 0 });
    expect(removed.find((r) => r.index === 5)!.reason).toBe('fully_returned');
    expect(data[0]!.amount).toBe(50); // input untouched
  });

  it('amountFromItems fills a zero amount from priced line items', () => {
    const t: Transaction = { customerId: 'A', time: new Date(0), amount: 0, items: [{ productId: 'p', quantity: 2, unitPrice: 1.5 }, { productId: 'q', quantity: 1, unitPrice: 4 }] };
    expect(cleanTransactions([t], { amountFromItems: true }).transactions[0]!.amount).toBe(7);
  });

  it('rejects unknown option values with a CrmError naming the option', () => {
    try {
      cleanTransactions(data, { returns: 'ignore' as never });
      expect.unreachable();
    } catch (e) {
      expect(isCrmError(e) && [e.code, e.path]).toEqual(['invalid_argument', ['options', 'returns']]);
    }
  });
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return isCrmError(e) ? [e.code, e.path] : e;
  }
  return 'no error';
}

describe('cleanTransactions never loses data silently', () => {
  it("CDNOW with the customer column named 'id': validation reads no order id, so default cleaning keeps all 6,919 orders", () => {
    // The export has no order id; its customer column is `id` (as in docs/core.md).
    const raw = cdnowRawRows().map((r) => ({ id: r.id_sample, date: r.date, dollars: r.dollars }));
    const { valid, issues } = validateTransactions(raw, { fields: { customerId: 'id', time: 'date', amount: 'dollars' } });
    expect(issues).toEqual([]);
    expect(valid.every((t) => t.id === undefined)).toBe(true);
    const { transactions, removed } = cleanTransactions(valid);
    expect(removed).toEqual([]);
    expect(transactions).toHaveLength(6919);
  });

  it('a column read both as customer and as order id is an error naming the fix, not 4,562 silent removals', () => {
    const rows = cdnowTransactions().map((t) => ({ ...t, id: t.customerId }));
    const e = (() => {
      try {
        cleanTransactions(rows);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(isCrmError(e) && [e.code, e.path]).toEqual(['invalid_input', [1, 'id']]);
    expect((e as Error).message).toMatch(/not an order id/);
    expect(cleanTransactions(rows, { duplicates: 'none' }).transactions).toHaveLength(6919);
  });

  it('default cleaning keeps the genuine same-day, same-amount repeat orders of CDNOW; content de-duplication is opt-in and reports each', () => {
    const tx = cdnowTransactions();
    // Rows identical in customer, day and amount to an earlier row, counted from the raw data.
    const seen = new Set<string>();
    let identical = 0;
    for (const t of tx) {
      const key = `${t.customerId}|${t.time}|${t.amount}`;
      if (seen.has(key)) identical++;
      seen.add(key);
    }
    expect(identical).toBe(21); // the count the issue reports for CDNOW
    expect(cleanTransactions(tx).transactions).toHaveLength(tx.length);
    const opted = cleanTransactions(tx, { duplicates: 'content' });
    expect(opted.counts.duplicate).toBe(identical);
    expect(opted.removed.every((r) => r.reason === 'duplicate' && /same customer, time, amount/.test(r.detail))).toBe(true);
  });

  it('returns may share the id of the order they return without being duplicates or conflicts', () => {
    const rows = [tx('o1', 'A', '2024-01-01', 50), tx('o1', 'A', '2024-01-03', -20), tx('o1', 'A', '2024-01-04', -10)];
    const { transactions, adjusted } = cleanTransactions(rows, { returns: 'net' });
    expect(transactions.map((t) => t.amount)).toEqual([20]);
    expect(adjusted[0]!.to).toBe(20);
  });

  it('accepts ISO-string and epoch-ms times, as validateTransactions does, and returns the rows it was given', () => {
    const rows = Object.freeze([
      Object.freeze({ id: 'o1', customerId: 'A', time: '2024-01-01', amount: 50 }),
      Object.freeze({ id: 'o1', customerId: 'A', time: '2024-01-01T00:00:00Z', amount: 50 }),
      Object.freeze({ id: 'r1', customerId: 'A', time: Date.UTC(2024, 0, 5), amount: -20 }),
    ]);
    const { transactions, removed } = cleanTransactions(rows, { returns: 'net' });
    expect(removed.map((r) => r.reason)).toEqual(['duplicate', 'netted_return']);
    expect(transactions).toEqual([{ id: 'o1', customerId: 'A', time: '2024-01-01', amount: 30 }]);
  });

  it('throws CrmError with a path for NaN amounts, unreadable times and missing customers, never passing them through', () => {
    expect(thrown(() => cleanTransactions([{ customerId: 'A', time: new Date(0), amount: Number.NaN }]))).toEqual(['invalid_input', [0, 'amount']]);
    expect(thrown(() => cleanTransactions([{ customerId: 'A', time: '2024-01-01', amount: 1 }, { customerId: 'A', time: 'yesterday', amount: 1 }] as never))).toEqual(['invalid_input', [1, 'time']]);
    expect(thrown(() => cleanTransactions([{ customerId: 'A', time: 19970101, amount: 1 }]))).toEqual(['invalid_input', [0, 'time']]);
    expect(thrown(() => cleanTransactions([{ time: '2024-01-01', amount: 1 }] as never))).toEqual(['invalid_input', [0, 'customerId']]);
    expect(thrown(() => cleanTransactions([null] as never))).toEqual(['invalid_input', [0]]);
  });

  it('rejects a misspelled option instead of ignoring it', () => {
    expect(thrown(() => cleanTransactions([], { duplicate: 'none' } as never))).toEqual(['invalid_argument', ['options', 'duplicate']]);
    expect(thrown(() => cleanTransactions([], { duplicates: 'auto' } as never))).toEqual(['invalid_argument', ['options', 'duplicates']]);
    expect(thrown(() => cleanTransactions([], { amountFromItems: 'yes' } as never))).toEqual(['invalid_argument', ['options', 'amountFromItems']]);
  });
});

describe('cleanTransactions and summarizeCustomers on hostile rows', () => {
  const hostileValue = fc.oneof(
    fc.constantFrom(undefined, null, Number.NaN, Infinity, -Infinity, 1e308, -0, 0, 19970101, 852076800, 1e16, '', '1e999', 'x'),
    fc.constantFrom('2024-01-01', '2024-01-02T10:00:00Z', 1_704_067_200_000, new Date('2024-01-03T00:00:00Z')),
    fc.double(),
    fc.string({ maxLength: 3 }),
  );
  const row = fc.oneof(
    fc.record({ id: fc.option(fc.constantFrom('o1', 'o2', 7), { nil: undefined }), customerId: hostileValue, time: hostileValue, amount: hostileValue }),
    fc.constantFrom(null, 'row', 3),
  );

  it('property: either a result with finite amounts and every input row accounted for, or a CrmError with a path; inputs untouched', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), (rows) => {
        const frozen = Object.freeze(rows.map((r) => (r !== null && typeof r === 'object' ? Object.freeze({ ...r }) : r)));
        const snapshot = JSON.stringify(frozen);
        try {
          const out = cleanTransactions(frozen as never, { returns: 'net' });
          expect(out.rows.length + out.removed.length).toBe(frozen.length);
          for (const t of out.transactions) expect(Number.isFinite(t.amount)).toBe(true);
        } catch (e) {
          expect(isCrmError(e) && e.path.length > 0).toBe(true);
        }
        try {
          for (const s of summarizeCustomers(frozen as never, { observationEnd: '2030-01-01' })) {
            for (const v of [s.frequency, s.recency, s.T, s.monetary, s.totalSpend, s.daysSinceLastPurchase]) expect(Number.isFinite(v)).toBe(true);
          }
        } catch (e) {
          expect(isCrmError(e) && e.path.length > 0).toBe(true);
        }
        expect(JSON.stringify(frozen)).toBe(snapshot);
      }),
      { numRuns: 300 },
    );
  });
});
