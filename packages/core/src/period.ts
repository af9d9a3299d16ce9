import { CrmError } from './errors.ts';
import { numericTimeProblem, toEpochMs, utcDay, utcMonth } from './dates.ts';

/**
 * The time unit of a summary: `'day'`, `'week'` (7 days), `'month'` (calendar months), or a
 * number of days from 1 to 36,525 (`14` for fortnights, `365.25` for years).
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

/**
 * Shortest numeric period: times are counted in whole UTC days, so a shorter period could not be
 * measured (and 5e-324 would turn every recency into Infinity).
 */
export const MIN_PERIOD_DAYS = 1;
/**
 * Longest numeric period, a century: anything longer is almost surely a unit mistake (a week given
 * in seconds, 604800, or in milliseconds) and would squash every recency and T towards 0.
 */
export const MAX_PERIOD_DAYS = 36_525;

/** Checks a {@link Period} and returns its clock. */
export function periodClock(period: unknown, path: readonly string[] = ['options', 'period']): PeriodClock {
  if (period === undefined || period === 'day') return { tick: utcDay, ticksPerPeriod: 1 };
  if (period === 'week') return { tick: utcDay, ticksPerPeriod: 7 };
  if (period === 'month') return { tick: utcMonth, ticksPerPeriod: 1 };
  if (typeof period === 'number' && period >= MIN_PERIOD_DAYS && period <= MAX_PERIOD_DAYS) return { tick: utcDay, ticksPerPeriod: period };
  throw new CrmError(
    'invalid_argument',
    `period must be 'day', 'week', 'month' or a number of days from ${MIN_PERIOD_DAYS} to ${MAX_PERIOD_DAYS}, got ${JSON.stringify(period) ?? String(period)}`,
    path,
  );
}

/** Reads a required date option as epoch ms; numbers follow the rule of `numericTimeProblem`. */
export function dateOption(value: unknown, name: string): number {
  const t = toEpochMs(value);
  const problem = typeof value === 'number' ? numericTimeProblem(value) : undefined;
  if (t === undefined || problem !== undefined) {
    throw new CrmError(
      'invalid_argument',
      problem !== undefined
        ? `options.${name}: ${problem}`
        : `options.${name} must be a Date, an ISO 8601 string or epoch milliseconds, got ${JSON.stringify(value) ?? String(value)}`,
      ['options', name],
    );
  }
  return t;
}
