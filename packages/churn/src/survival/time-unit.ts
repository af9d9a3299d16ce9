import { CrmError, toEpochMs, type OptionBag } from '@crm/core';

/**
 * The unit durations are counted in: `'day'`, `'week'` (7 days), `'month'` (an average month,
 * 365.25 / 12 = 30.4375 days), `'year'` (365.25 days), or a number of days (`14`).
 *
 * @example
 * ```ts
 * import type { DurationUnit } from '@crm/churn';
 * const units: DurationUnit[] = ['day', 'week', 'month', 'year', 14];
 * ```
 */
export type DurationUnit = 'day' | 'week' | 'month' | 'year' | number;

const DAY_MS = 86_400_000;
/** Longest numeric unit, a century: anything longer is almost surely a unit mistake. */
const MAX_UNIT_DAYS = 36_525;

/** Milliseconds per unit. */
export function unitMs(o: OptionBag<string>, key: string): number {
  const v = Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined;
  if (v === undefined || v === 'day') return DAY_MS;
  if (v === 'week') return 7 * DAY_MS;
  if (v === 'month') return (365.25 / 12) * DAY_MS;
  if (v === 'year') return 365.25 * DAY_MS;
  if (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= MAX_UNIT_DAYS) return v * DAY_MS;
  throw new CrmError(
    'invalid_argument',
    `option ${key} must be 'day', 'week', 'month', 'year' or a number of days in (0, ${MAX_UNIT_DAYS}], got ${JSON.stringify(v) ?? String(v)}`,
    ['options', key],
  );
}

/** A required date option as epoch ms. */
export function dateValue(value: unknown, path: readonly (string | number)[], what: string): number {
  const t = toEpochMs(value as never);
  if (t === undefined || !Number.isFinite(t)) {
    throw new CrmError(
      path[0] === 'options' ? 'invalid_argument' : 'invalid_input',
      `${what} must be a Date, an ISO 8601 string or epoch milliseconds, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
      path,
    );
  }
  return t;
}
