import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  customerSchema,
  isCrmError,
  summarizeCustomers,
  transactionSchema,
  validateCustomers,
  validateInteractions,
  validateLineItems,
  validateProducts,
  validateTransactions,
} from '@crm/core';
import { cdnowRawRows, cdnowTransactions } from './cdnow.ts';

describe('validateTransactions(rows, options)', () => {
  it('coerces CSV strings of the whole CDNOW file and summarizes them like the typed rows', () => {
    const raw = Object.freeze(cdnowRawRows().map((r) => Object.freeze(r)));
    const { valid, issues, rows } = validateTransactions(raw, { fields: { customerId: 'id_sample', time: 'date', amount: 'dollars' } });
    expect(issues).toEqual([]);
    expect(valid).toHaveLength(6919);
    expect(rows[6918]).toBe(6918);
    expect(valid[0]).toEqual({ customerId: '0001', time: new Date('1997-01-01T00:00:00Z'), amount: 29.33 });
    const fromValid = summarizeCustomers(valid, { observationEnd: '1997-09-30', period: 'week' });
    const fromTyped = summarizeCustomers(cdnowTransactions(), { observationEnd: '1997-09-30', period: 'week' });
    expect(fromValid.map((s) => [s.frequency, s.recency, s.T, s.monetary])).toEqual(
      fromTyped.map((s) => [s.frequency, s.recency, s.T, s.monetary]),
    );
  });

  it('reports every problem of a row with row index, path, code and message', () => {
    const { valid, issues, invalidCount } = validateTransactions([
      { customerId: 'A', time: '2024-01-01', amount: 5 },
      { customerId: '', time: '2024-02-30', amount: 'n/a' },
      'not a row',
      { customerId: 'B', time: 1700000000000, amount: '-3.5', items: [{ productId: 'p', quantity: 0 }] },
      { customerId: 'C', time: new Date(Number.NaN), amount: Infinity },
    ]);
    expect(valid).toHaveLength(1);
    expect(invalidCount).toBe(4);
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      [[1, 'customerId'], 'missing'],
      [[1, 'time'], 'not_a_date'],
      [[1, 'amount'], 'not_a_number'],
      [[2], 'not_an_object'],
      [[3, 'items', 0, 'quantity'], 'out_of_range'],
      [[4, 'time'], 'not_a_date'],
      [[4, 'amount'], 'not_a_number'],
    ]);
    for (const issue of issues) expect(issue.message).toMatch(/^row \d+: /);
  });

  it('accepts ISO 8601 with offsets and rejects ambiguous day/month strings', () => {
    const { valid, issues } = validateTransactions([
      { customerId: 1, time: '2024-03-01T10:00:00+02:00', amount: 1 },
      { customerId: 1, time: '03/01/2024', amount: 1 },
    ]);
    expect(valid[0]!.time.toISOString()).toBe('2024-03-01T08:00:00.000Z');
    expect(issues[0]!.path).toEqual([1, 'time']);
  });

  it('throws CrmError only for a wrong call', () => {
    for (const call of [() => validateTransactions('rows' as never), () => validateTransactions([], { fields: { amount: 3 as never } })]) {
      try {
        call();
        expect.unreachable();
      } catch (e) {
        expect(isCrmError(e) && e.code).toBe('invalid_argument');
      }
    }
  });

  it('property: random junk never throws; every row is valid or has an issue; counts add up', () => {
    const junk = fc.oneof(
      fc.anything(),
      fc.record(
        {
          customerId: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.double()),
          time: fc.oneof(fc.string(), fc.date({ noInvalidDate: false }), fc.double(), fc.constantFrom('2024-01-01', '19970101')),
          amount: fc.oneof(fc.string(), fc.double(), fc.constantFrom('12.5', ' 3 ', '-1e2')),
          items: fc.oneof(fc.constant(undefined), fc.anything(), fc.array(fc.record({ productId: fc.string(), quantity: fc.double() }))),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(fc.array(junk, { maxLength: 30 }), (rows) => {
        const result = validateTransactions(rows);
        const bad = new Set(result.issues.map((i) => i.row));
        expect(result.valid.length + bad.size).toBe(rows.length);
        expect(result.invalidCount).toBe(bad.size);
        for (const r of result.rows) expect(bad.has(r)).toBe(false);
        for (const t of result.valid) {
          expect(Number.isFinite(t.amount) && Number.isFinite(t.time.getTime())).toBe(true);
        }
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });
});

describe('validateCustomers / validateProducts / validateInteractions / validateLineItems', () => {
  it('keeps unknown customer columns as attributes and checks emails', () => {
    const { valid, issues } = validateCustomers([
      { id: 'C1', email: 'ada@example.com', plan: 'gold', visits: 3, signupTime: '2024-01-05' },
      { id: 'C2', email: 'nope' },
    ]);
    expect(valid).toEqual([{ id: 'C1', email: 'ada@example.com', signupTime: new Date('2024-01-05T00:00:00Z'), attributes: { plan: 'gold', visits: 3 } }]);
    expect(issues.map((i) => [i.path, i.code])).toEqual([[[1, 'email'], 'invalid_format']]);
  });

  it('does not let a "__proto__" column pollute prototypes', () => {
    const row = JSON.parse('{"id":"C1","__proto__":"polluted"}');
    const { valid } = validateCustomers([row]);
    const attributes = valid[0]!.attributes!;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(attributes, '__proto__')).toBe(true);
    expect(Object.keys({})).toEqual([]);
  });

  it('checks products, interactions and line items', () => {
    expect(validateProducts([{ id: 'p', price: '-1' }]).issues[0]!.code).toBe('out_of_range');
    expect(validateInteractions([{ customerId: 'C', time: '2024-01-01', channel: 'email' }]).issues[0]!.path).toEqual([0, 'type']);
    expect(validateLineItems([{ productId: 'p', quantity: '2', unitPrice: '1.5' }]).valid).toEqual([{ productId: 'p', quantity: 2, unitPrice: 1.5 }]);
  });
});

describe('Standard Schema v1', () => {
  it('transactionSchema and customerSchema follow the interface', () => {
    const std = transactionSchema['~standard'];
    expect(std.version).toBe(1);
    expect(std.vendor).toBe('crm');
    expect(std.validate({ customerId: 4, time: '19970101', amount: '29.33' })).toEqual({
      value: { customerId: '4', time: new Date('1997-01-01T00:00:00Z'), amount: 29.33 },
    });
    const failed = customerSchema['~standard'].validate({ email: 'x' });
    expect('issues' in failed && failed.issues?.map((i) => i.path)).toEqual([['id'], ['email']]);
  });
});
