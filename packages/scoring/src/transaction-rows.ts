/** Reading transaction and interaction rows for the cohort and loyalty functions; internal. */
import { CrmError, toEpochMs, type TransactionInput } from '@crm/core';

/** Numeric times before 1971 are unit mistakes (yyyymmdd, Unix seconds), as everywhere in @crm; internal. */
export const EARLIEST_NUMERIC_TIME = 31_536_000_000;

/** Epoch ms of a time field, or a CrmError at `[row, 'time']`; internal. */
export function timeOf(value: unknown, row: number, what: string): number {
  const ms = toEpochMs(value);
  if (ms === undefined || (typeof value === 'number' && ms < EARLIEST_NUMERIC_TIME)) {
    throw new CrmError('invalid_input', `${what}[${row}].time ${JSON.stringify(value) ?? String(value)} is not a valid date from 1971 on: validate the rows first`, [row, 'time']);
  }
  return ms;
}

/** A customer id as a string (7 and '7' are one customer), or a CrmError; internal. */
export function idOf(value: unknown, row: number, what: string): string {
  if ((typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  throw new CrmError('invalid_input', `${what}[${row}].customerId is missing: validate the rows first`, [row, 'customerId']);
}

/** The rows of an array argument, each an object, or a CrmError; internal. */
export function rowAt(rows: readonly unknown[], i: number, what: string): Record<string, unknown> {
  const r = rows[i];
  if (r === null || typeof r !== 'object') throw new CrmError('invalid_input', `${what}[${i}] is not an object: validate the rows first`, [i]);
  return r as Record<string, unknown>;
}

/** Per customer, the epoch-ms times of their transactions up to `end`, sorted; internal. */
export function purchaseTimes(transactions: readonly TransactionInput[], end: number): { times: Map<string, number[]>; last: number } {
  if (!Array.isArray(transactions)) {
    throw new CrmError('invalid_argument', 'transactions must be an array of { customerId, time, amount }', ['transactions']);
  }
  const times = new Map<string, number[]>();
  let last = -Infinity;
  for (let i = 0; i < transactions.length; i++) {
    const t = rowAt(transactions, i, 'transactions');
    const ms = timeOf(t['time'], i, 'transactions');
    const id = idOf(t['customerId'], i, 'transactions');
    const amount = t['amount'];
    if (typeof amount !== 'number' || !Number.isFinite(amount)) {
      throw new CrmError('invalid_input', `transactions[${i}].amount is ${String(amount)}: validate the rows first`, [i, 'amount']);
    }
    if (ms > end) continue;
    if (ms > last) last = ms;
    const list = times.get(id);
    if (list === undefined) times.set(id, [ms]);
    else list.push(ms);
  }
  for (const list of times.values()) list.sort((a, b) => a - b);
  return { times, last };
}

/** The `observationEnd` option as epoch ms (Infinity when not given), or a CrmError; internal. */
export function endOption(value: unknown): number {
  if (value === undefined) return Infinity;
  const e = toEpochMs(value);
  if (e === undefined || (typeof value === 'number' && e < EARLIEST_NUMERIC_TIME)) {
    throw new CrmError('invalid_argument', 'options.observationEnd must be a Date, an ISO 8601 string or epoch milliseconds from 1971 on', ['options', 'observationEnd']);
  }
  return e;
}
