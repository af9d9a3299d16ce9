import { describe, expect, it } from 'vitest';
import { cleanTransactions, isCrmError, type Transaction } from '@crm/core';

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

  it('by default removes duplicates by id, or by customer+time+amount without id, and keeps returns', () => {
    const { transactions, removed, counts, rows } = cleanTransactions(data);
    expect(removed).toEqual([
      { index: 1, reason: 'duplicate', detail: "same id 'o1' as row 0" },
      { index: 3, reason: 'duplicate', detail: 'same customer, time and amount as row 2' },
    ]);
    expect(transactions).toHaveLength(7);
    expect(rows).toEqual([0, 2, 4, 5, 6, 7, 8]);
    expect(counts.duplicate).toBe(2);
  });

  it("duplicates: 'content' ignores ids and 'none' keeps everything", () => {
    expect(cleanTransactions(data, { duplicates: 'content' }).removed.map((r) => r.index)).toEqual([1, 3]);
    expect(cleanTransactions([tx('a', 'A', '2024-01-01', 1), tx('b', 'A', '2024-01-01', 1)], { duplicates: 'content' }).transactions).toHaveLength(1);
    expect(cleanTransactions(data, { duplicates: 'none' }).transactions).toHaveLength(9);
  });

  it("returns: 'drop' removes negative amounts; zeroAmounts: 'drop' removes zeros", () => {
    const { removed } = cleanTransactions(data, { returns: 'drop', zeroAmounts: 'drop' });
    expect(removed.map((r) => [r.index, r.reason])).toEqual([
      [1, 'duplicate'], [3, 'duplicate'], [4, 'return'], [6, 'return'], [7, 'return'], [8, 'zero_amount'],
    ]);
  });

  it("returns: 'net' subtracts a return from its order, removes full returns and unmatched returns", () => {
    const { transactions, removed, adjusted, counts } = cleanTransactions(data, { returns: 'net' });
    expect(adjusted).toEqual([{ index: 0, from: 50, to: 30, detail: 'netted against the return at row 4' }]);
    expect(transactions.find((t) => t.id === 'o1')!.amount).toBe(30);
    expect(counts).toEqual({ duplicate: 2, return: 0, netted_return: 2, fully_returned: 1, unmatched_return: 1, zero_amount: 0 });
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
