import type { DateInput } from './types.ts';

/** Milliseconds in one day. */
export const MS_PER_DAY = 86_400_000;

// The largest |epoch ms| a Date can hold (ECMA-262 §21.4.1.1): ±100,000,000 days.
const MAX_EPOCH_MS = 8.64e15;

// ISO 8601 extended (`1997-01-01`, `1997-01-01T10:20`, `…:30.5Z`, `…+02:00`) or basic date (`19970101`).
const ISO_EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const ISO_BASIC_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * Reads a {@link DateInput} as epoch milliseconds (UTC), or `undefined` when it is not an
 * unambiguous point in time. Accepted: a valid `Date`; a number of epoch ms within the range of `Date`; an ISO 8601
 * string, extended (`'1997-01-01'`, `'1997-01-01T10:00:00Z'`, with an optional offset) or the
 * basic date form (`'19970101'`). Strings without a zone are UTC. Impossible calendar dates
 * (`'1997-02-30'`) are rejected rather than rolled over. O(1).
 *
 * @example
 * ```ts
 * import { toEpochMs } from '@crm/core';
 * toEpochMs('1997-01-01');    // 852076800000
 * toEpochMs('19970101');      // 852076800000
 * toEpochMs('01/02/1997');    // undefined: day and month order is ambiguous
 * ```
 */
export function toEpochMs(value: DateInput | unknown): number | undefined {
  if (typeof value === 'number') return Math.abs(value) <= MAX_EPOCH_MS ? value : undefined;
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isFinite(t) ? t : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  let m = ISO_EXTENDED.exec(s);
  if (m) {
    const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
    const t = utc(+m[1]!, +m[2]!, +m[3]!, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, ms);
    if (t === undefined) return undefined;
    const zone = m[8];
    if (!zone || zone === 'Z') return t;
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    return t - sign * offsetMin * 60_000;
  }
  m = ISO_BASIC_DATE.exec(s);
  if (m) return utc(+m[1]!, +m[2]!, +m[3]!, 0, 0, 0, 0);
  return undefined;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(t);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return t;
}

/**
 * Numeric times before 1971-01-01T00:00Z (this many epoch ms) are not taken as epoch milliseconds.
 * The numbers a file or CSV parser most often hands over instead, yyyymmdd dates (19970101) and
 * Unix seconds (852076800), all fall there, and read as epoch ms they silently become January 1970.
 * A genuine date that early can still be given as a `Date` or an ISO 8601 string.
 */
export const EARLIEST_NUMERIC_TIME = 31_536_000_000;

/** 2100-01-01T00:00Z in Unix seconds. */
const LATEST_UNIX_SECONDS = 4_102_444_800;

/**
 * Why the number `value` is not read as epoch milliseconds (a sentence naming the likely mistake),
 * or `undefined` when it is a plausible epoch-ms time: within the range of `Date` and not before 1971.
 */
export function numericTimeProblem(value: number): string | undefined {
  if (!Number.isFinite(value) || Math.abs(value) > MAX_EPOCH_MS) {
    return `${String(value)} is outside the range of dates (±8.64e15 epoch ms)`;
  }
  if (value >= EARLIEST_NUMERIC_TIME) return undefined;
  const digits = String(value);
  if (Number.isInteger(value) && /^\d{8}$/.test(digits) && toEpochMs(digits) !== undefined) {
    return `${digits} looks like a yyyymmdd date, which as epoch milliseconds would be ${new Date(value).toISOString()}; pass it as the string '${digits}' or an ISO 8601 date`;
  }
  // Unix seconds of 1973 to 2100: the range where reading seconds as milliseconds is the likely slip.
  if (value >= 1e8 && value < LATEST_UNIX_SECONDS) {
    return `${digits} looks like Unix seconds (${new Date(value * 1000).toISOString()}), which as epoch milliseconds would be ${new Date(value).toISOString()}; multiply by 1000`;
  }
  return `${digits} as epoch milliseconds is ${new Date(value).toISOString()}, before 1971, which is almost always a unit mistake or a placeholder; pass a Date or an ISO 8601 string for a date that early`;
}

/** The UTC day number (days since 1970-01-01) of epoch milliseconds. */
export function utcDay(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}

/** The UTC calendar month number (months since 1970-01) of epoch milliseconds. */
export function utcMonth(ms: number): number {
  const d = new Date(ms);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}
