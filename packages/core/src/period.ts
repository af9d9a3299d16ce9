import { CrmError } from './errors.ts';
import { toEpochMs, utcDay, utcMonth } from './dates.ts';
import type { DateInput } from './types.ts';

/**
 * The time unit of a summary: `'day'`, `'week'` (7 days), `'month'` (calendar months), or a
 * number of days (`14` for fortnights).
 *
 * @example
 * ```ts
 * import type { Period } from '@crm/core';
 * const periods: Period[] = ['day', 'week', 'month', 14];
 * ```
 */
export type Period = 'day' | 'week' | 'month' | number;

/** How a period turns epoch ms into a tick count; internal. */
export interface PeriodClock {
  /** Integer tick of a time: UTC day, or calendar month for `'month'`. Purchases in one tick merge. */
  readonly tick: (ms: number) => number;
  /** Ticks per period (7 for weeks, 1 for days and months). */
  readonly ticksPerPeriod: number;
}

/** Checks a {@link Period} and returns its clock. */
export function periodClock(period: Period | undefined, path: readonly string[] = ['period']): PeriodClock {
  if (period === undefined || period === 'day') return { tick: utcDay, ticksPerPeriod: 1 };
  if (period === 'week') return { tick: utcDay, ticksPerPeriod: 7 };
  if (period === 'month') return { tick: utcMonth, ticksPerPeriod: 1 };
  if (typeof period === 'number' && Number.isFinite(period) && period > 0) return { tick: utcDay, ticksPerPeriod: period };
  throw new CrmError(
    'invalid_argument',
    `period must be 'day', 'week', 'month' or a positive number of days, got ${JSON.stringify(period)}`,
    path,
  );
}

/** Reads a required date option as epoch ms. */
export function dateOption(value: DateInput | undefined, name: string): number {
  const t = toEpochMs(value);
  if (t === undefined) {
    throw new CrmError(
      'invalid_argument',
      `${name} must be a Date, an ISO 8601 string or epoch milliseconds, got ${JSON.stringify(value) ?? String(value)}`,
      [name],
    );
  }
  return t;
}
