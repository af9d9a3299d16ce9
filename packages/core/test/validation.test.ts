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

describe('validateTransactions reports plausible date mistakes instead of guessing', () => {
  it('CDNOW dates handed over as yyyymmdd numbers (as a typing CSV parser does) are ambiguous_date issues, not January 1970', () => {
    const raw = cdnowRawRows().map((r) => ({ id: r.id_sample, date: Number(r.date), dollars: r.dollars }));
    const { valid, issues } = validateTransactions(raw, { fields: { customerId: 'id', time: 'date', amount: 'dollars' } });
    expect(valid).toEqual([]);
    expect(issues).toHaveLength(6919);
    expect(issues.every((i) => i.code === 'ambiguous_date' && i.path[1] === 'time')).toBe(true);
    expect(issues[0]!.message).toMatch(/19970101 looks like a yyyymmdd date/);
  });

  it('Unix seconds and other numbers before 1971 are ambiguous_date issues; epoch ms and ISO strings of the same day are valid', () => {
    const { valid, issues } = validateTransactions([
      { customerId: 'A', time: 852076800, amount: 1 }, // 1997-01-01 in Unix seconds
      { customerId: 'A', time: 0, amount: 1 }, // a placeholder
      { customerId: 'A', time: -86_400_000, amount: 1 }, // 1969-12-31 as a number
      { customerId: 'A', time: 852076800000, amount: 1 },
      { customerId: 'A', time: '1969-12-31', amount: 1 }, // an explicit early date is the user's statement
    ]);
    expect(issues.map((i) => [i.row, i.code])).toEqual([[0, 'ambiguous_date'], [1, 'ambiguous_date'], [2, 'ambiguous_date']]);
    expect(issues[0]!.message).toMatch(/Unix seconds \(1997-01-01T00:00:00.000Z\).*multiply by 1000/);
    expect(valid.map((t) => t.time.toISOString())).toEqual(['1997-01-01T00:00:00.000Z', '1969-12-31T00:00:00.000Z']);
  });

  it('the column map renames: a column mapped to one field is not also read as the field of its name', () => {
    const { valid } = validateTransactions([{ id: 'C1', time: '2024-01-01', amount: 1 }], { fields: { customerId: 'id' } });
    expect(valid).toEqual([{ customerId: 'C1', time: new Date('2024-01-01T00:00:00Z'), amount: 1 }]);
    const both = validateTransactions([{ id: 'C1', order: 'O9', time: '2024-01-01', amount: 1 }], { fields: { customerId: 'id', id: 'order' } });
    expect(both.valid[0]).toEqual({ id: 'O9', customerId: 'C1', time: new Date('2024-01-01T00:00:00Z'), amount: 1 });
  });

  it('one column mapped to two fields is an invalid_argument error', () => {
    try {
      validateTransactions([], { fields: { customerId: 'id', id: 'id' } });
      expect.unreachable();
    } catch (e) {
      expect(isCrmError(e) && [e.code, e.path]).toEqual(['invalid_argument', ['options', 'fields', 'customerId']]);
    }
  });

  it('misspelled options and unknown field names are errors in every validate function', () => {
    const calls: [string, () => unknown, readonly (string | number)[]][] = [
      ['validateTransactions', () => validateTransactions([], { field: {} } as never), ['options', 'field']],
      ['validateTransactions', () => validateTransactions([], { fields: { custmerId: 'ID' } } as never), ['options', 'fields', 'custmerId']],
      ['validateCustomers', () => validateCustomers([], { fields: { emial: 'mail' } } as never), ['options', 'fields', 'emial']],
      ['validateProducts', () => validateProducts([], { fieldz: {} } as never), ['options', 'fieldz']],
      ['validateInteractions', () => validateInteractions([], { fields: { chanel: 'c' } } as never), ['options', 'fields', 'chanel']],
      ['validateLineItems', () => validateLineItems([], { fields: { qty: 'q' } } as never), ['options', 'fields', 'qty']],
    ];
    for (const [name, call, path] of calls) {
      try {
        call();
        expect.unreachable(name);
      } catch (e) {
        expect(isCrmError(e) && [e.code, e.path]).toEqual(['invalid_argument', path]);
      }
    }
  });
});
