import { CrmError } from '@crm/core';

/**
 * A unit of time for CLV horizons and discount rates: `'day'`, `'week'` (7 days), `'month'`
 * (365.25/12 = 30.4375 days, the mean calendar month), `'year'` (365.25 days), or a number of
 * days. Stated explicitly wherever it matters: @crm has no default time unit.
 *
 * @example
 * ```ts
 * import type { TimeUnit } from '@crm/scoring';
 * const units: TimeUnit[] = ['week', 'month', 30]; // 30: lifetimes' 30-day month
 * ```
 */
export type TimeUnit = 'day' | 'week' | 'month' | 'year' | number;

const DAYS: Readonly<Record<string, number>> = { day: 1, week: 7, month: 365.25 / 12, year: 365.25 };

/** Length of a {@link TimeUnit} in days. */
export function unitInDays(unit: unknown, name: string): number {
  if (typeof unit === 'string' && Object.prototype.hasOwnProperty.call(DAYS, unit)) return DAYS[unit] as number;
  if (typeof unit === 'number' && Number.isFinite(unit) && unit > 0) return unit;
  throw new CrmError(
    'invalid_argument',
    `${name} must be 'day', 'week', 'month', 'year' or a positive number of days, got ${JSON.stringify(unit) ?? String(unit)}`,
    ['options', name],
  );
}
