/**
 * UTC calendar periods as integer indices, computed with arithmetic only (no `Date` per row, so a
 * scan of millions of transactions stays cheap); internal.
 *
 * - day: days since 1970-01-01;
 * - week: ISO weeks (Monday to Sunday) since the week of 1969-12-29, the Monday before 1970-01-01;
 * - month: calendar months since 1970-01.
 */

/** A calendar unit of cohorts and periods. */
export type CalendarUnit = 'day' | 'week' | 'month';

/** Milliseconds in one day. */
export const MS_PER_DAY = 86_400_000;

/** 1970-01-01 was a Thursday: day −3 is the Monday that starts week 0. */
const WEEK_OFFSET = 3;

/** Calendar month index (months since 1970-01) of a UTC day number (Hinnant's civil_from_days). */
export function monthOfDay(day: number): number {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return (y - 1970) * 12 + (m - 1);
}

/** The index of the `unit` period holding UTC day `day`. */
export function periodOfDay(day: number, unit: CalendarUnit): number {
  if (unit === 'day') return day;
  if (unit === 'week') return Math.floor((day + WEEK_OFFSET) / 7);
  return monthOfDay(day);
}

/** The first UTC day of period `index` of `unit`. */
export function firstDayOf(index: number, unit: CalendarUnit): number {
  if (unit === 'day') return index;
  if (unit === 'week') return index * 7 - WEEK_OFFSET;
  const y = 1970 + Math.floor(index / 12);
  const m = index - (y - 1970) * 12;
  return Date.UTC(y, m, 1) / MS_PER_DAY;
}

/** A period's label: `'1997-01'` for a month, the ISO date of its first day for a day or a week. */
export function periodLabel(index: number, unit: CalendarUnit): string {
  const iso = new Date(firstDayOf(index, unit) * MS_PER_DAY).toISOString();
  return unit === 'month' ? iso.slice(0, 7) : iso.slice(0, 10);
}
