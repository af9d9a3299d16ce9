/** Reading transaction and interaction rows for the cohort and loyalty functions; internal. */
import { CrmError, groupByCustomer, toEpochMs, type Transactions } from '@crm/core';

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
export function purchaseTimes(transactions: Transactions, end: number): { times: Map<string, number[]>; last: number } {
  const g = groupByCustomer(transactions, { observationEnd: end === Infinity ? undefined : end });
  const times = new Map<string, number[]>();
  let last = -Infinity;
  for (let c = 0; c < g.ids.length; c++) {
    const list = Array.from(g.time.subarray(g.start[c]!, g.start[c + 1]!));
    times.set(g.ids[c]!, list);
    last = Math.max(last, list[list.length - 1]!);
  }
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
