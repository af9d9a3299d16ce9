import { describe, expect, it } from 'vitest';
import { interactionSchema, subscriptionSchema, validateInteractions, validateSubscriptions } from '@crm/core';

describe('validateInteractions(rows): the optional numeric score (a survey answer)', () => {
  it('reads numbers and numeric strings, keeps a missing score absent', () => {
    const { valid, issues } = validateInteractions([
      { customerId: 'C1', time: '2024-03-01', channel: 'web', type: 'survey', score: 9 },
      { customerId: 'C2', time: '2024-03-01', channel: 'web', type: 'survey', score: ' 6 ' },
      { customerId: 'C3', time: '2024-03-01', channel: 'email', type: 'campaign' },
    ]);
    expect(issues).toEqual([]);
    expect(valid.map((i) => i.score)).toEqual([9, 6, undefined]);
    expect('score' in valid[2]!).toBe(false);
  });

  it('reports a non-finite or non-numeric score as an issue at [row, "score"] and does not drop the row silently', () => {
    const rows = [
      { customerId: 'C1', time: '2024-03-01', channel: 'web', type: 'survey', score: 'ten' },
      { customerId: 'C2', time: '2024-03-01', channel: 'web', type: 'survey', score: Infinity },
      { customerId: 'C3', time: '2024-03-01', channel: 'web', type: 'survey', score: NaN },
    ];
    const r = validateInteractions(rows);
    expect(r.valid).toEqual([]);
    expect(r.invalidCount).toBe(3);
    expect(r.issues.map((i) => [i.path, i.code])).toEqual([
      [[0, 'score'], 'not_a_number'],
      [[1, 'score'], 'not_a_number'],
      [[2, 'score'], 'not_a_number'],
    ]);
  });

  it('maps a score column by name and follows Standard Schema', () => {
    const r = validateInteractions([{ customerId: 'C1', time: '2024-03-01', channel: 'web', type: 'nps', answer: '10' }], { fields: { score: 'answer' } });
    expect(r.valid[0]!.score).toBe(10);
    const bad = interactionSchema['~standard'].validate({ customerId: 'C1', time: '2024-03-01', channel: 'web', type: 'nps', score: {} });
    expect('issues' in bad && bad.issues?.map((i) => i.path)).toEqual([['score']]);
  });
});

describe('validateSubscriptions(rows, options): contracts with a start and an end or still active', () => {
  it('reads ends, blank ends as still active (null), plans and amounts', () => {
    const { valid, rows, issues } = validateSubscriptions([
      { id: 'S1', customerId: 'C1', start: '2023-01-01', end: '2024-03-31', plan: 'annual', amount: '120' },
      { customerId: 7, start: '2023-06-01', end: null },
      { customerId: 'C3', start: '2023-06-01', end: '' },
      { customerId: 'C4', start: '2023-06-01' },
      { customerId: 'C5', start: '2023-06-01', end: '2023-06-01' },
    ]);
    expect(issues).toEqual([]);
    expect(rows).toEqual([0, 1, 2, 3, 4]);
    expect(valid[0]).toEqual({ id: 'S1', customerId: 'C1', start: new Date('2023-01-01T00:00:00Z'), end: new Date('2024-03-31T00:00:00Z'), plan: 'annual', amount: 120 });
    expect(valid.slice(1, 4).map((s) => s.end)).toEqual([null, null, null]);
    expect(valid[1]!.customerId).toBe('7');
    expect(valid[4]!.end).toEqual(new Date('2023-06-01T00:00:00Z')); // a same-day cancellation is a valid zero-length contract
  });

  it('reports every problem of a row with its path: end before start, bad dates, negative amounts, missing fields', () => {
    const r = validateSubscriptions([
      { customerId: 'C1', start: '2024-02-01', end: '2024-01-31' },
      { customerId: 'C2', start: '2024-13-01', end: 'soon', amount: -5 },
      { start: '2024-01-01' },
      'not a row',
    ]);
    expect(r.valid).toEqual([]);
    expect(r.invalidCount).toBe(4);
    expect(r.issues.map((i) => [i.path, i.code])).toEqual([
      [[0, 'end'], 'out_of_range'],
      [[1, 'start'], 'not_a_date'],
      [[1, 'end'], 'not_a_date'],
      [[1, 'amount'], 'out_of_range'],
      [[2, 'customerId'], 'missing'],
      [[3], 'not_an_object'],
    ]);
    expect(r.issues[0]!.message).toMatch(/before start/);
  });

  it('renames columns and refuses unknown options and fields', () => {
    const r = validateSubscriptions([{ cust: 'C1', from: '2024-01-01', to: '2024-02-01' }], { fields: { customerId: 'cust', start: 'from', end: 'to' } });
    expect(r.valid[0]!.end).toEqual(new Date('2024-02-01T00:00:00Z'));
    expect(() => validateSubscriptions([], { fields: { stop: 'x' } } as never)).toThrow(/unknown option 'stop'/);
    expect(() => validateSubscriptions([], { field: {} } as never)).toThrow(/unknown option 'field'/);
  });

  it('subscriptionSchema follows Standard Schema v1', () => {
    const std = subscriptionSchema['~standard'];
    expect(std.version).toBe(1);
    expect(std.validate({ customerId: 'C1', start: '2024-01-01', end: '' })).toEqual({ value: { customerId: 'C1', start: new Date('2024-01-01T00:00:00Z'), end: null } });
    const bad = std.validate({ customerId: 'C1', start: '2024-02-01', end: '2024-01-01' });
    expect('issues' in bad && bad.issues?.map((i) => i.path)).toEqual([['end']]);
  });
});
