import { numericTimeProblem, toEpochMs } from '../dates.ts';

/**
 * Why a field or row failed validation.
 *
 * - `missing`: a required field is absent, null or an empty string;
 * - `not_an_object`: the row (or a line item) is not an object;
 * - `not_a_string`, `not_a_number`, `not_a_date`, `not_an_array`: the value has the wrong type and
 *   cannot be coerced unambiguously;
 * - `ambiguous_date`: a number given as a time that reads as a date before 1971 in epoch milliseconds,
 *   which is what yyyymmdd numbers (`19970101`), Unix seconds (`852076800`) and zero placeholders
 *   become; the message names the likely unit. Give such dates as ISO strings or `Date`s;
 * - `out_of_range`: a number outside its allowed range (a negative price or quantity of zero);
 * - `invalid_format`: a string of the right type in the wrong shape (an email without `@`).
 *
 * @example
 * ```ts
 * import type { ValidationIssueCode } from '@crm/core';
 * const code: ValidationIssueCode = 'not_a_date';
 * ```
 */
export type ValidationIssueCode =
  | 'missing'
  | 'not_an_object'
  | 'not_a_string'
  | 'not_a_number'
  | 'not_a_date'
  | 'ambiguous_date'
  | 'not_an_array'
  | 'out_of_range'
  | 'invalid_format';

/** A problem found in one field, path relative to the row. */
export interface FieldIssue {
  readonly path: readonly (string | number)[];
  readonly code: ValidationIssueCode;
  readonly message: string;
}

/** Collects the issues of one row. */
export class IssueSink {
  readonly issues: FieldIssue[] = [];
  add(path: readonly (string | number)[], code: ValidationIssueCode, message: string): undefined {
    this.issues.push({ path, code, message });
    return undefined;
  }
}

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

const show = (v: unknown): string => {
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
};

/** An identifier: a non-empty string, or a finite number turned into its decimal string. */
export function readId(v: unknown, path: readonly (string | number)[], sink: IssueSink, required: boolean): string | undefined {
  if (isBlank(v)) return required ? sink.add(path, 'missing', `${path.join('.')} is required`) : undefined;
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return sink.add(path, 'not_a_string', `${path.join('.')} must be a string or number id, got ${show(v)}`);
}

/** Free text: a string (numbers and booleans are turned into their string form). */
export function readText(v: unknown, path: readonly (string | number)[], sink: IssueSink, required: boolean): string | undefined {
  if (isBlank(v)) return required ? sink.add(path, 'missing', `${path.join('.')} is required`) : undefined;
  if (typeof v === 'string') return v.trim();
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return String(v);
  return sink.add(path, 'not_a_string', `${path.join('.')} must be text, got ${show(v)}`);
}

/** A finite number, or a string holding exactly one decimal number (`'29.33'`, `' -1e3 '`). */
export function readNumber(
  v: unknown,
  path: readonly (string | number)[],
  sink: IssueSink,
  required: boolean,
  range?: { readonly min?: number; readonly nonZero?: boolean },
): number | undefined {
  if (isBlank(v)) return required ? sink.add(path, 'missing', `${path.join('.')} is required`) : undefined;
  let n: number | undefined;
  if (typeof v === 'number') n = Number.isFinite(v) ? v : undefined;
  else if (typeof v === 'string' && NUMERIC.test(v.trim())) n = Number(v.trim());
  if (n === undefined || !Number.isFinite(n)) {
    return sink.add(path, 'not_a_number', `${path.join('.')} must be a finite number, got ${show(v)}`);
  }
  if (range?.min !== undefined && n < range.min) {
    return sink.add(path, 'out_of_range', `${path.join('.')} must be at least ${range.min}, got ${n}`);
  }
  if (range?.nonZero && n === 0) return sink.add(path, 'out_of_range', `${path.join('.')} must not be 0`);
  return n;
}

/** A point in time: Date, epoch ms from 1971 on, or ISO 8601 (see `toEpochMs`). */
export function readDate(v: unknown, path: readonly (string | number)[], sink: IssueSink, required: boolean): Date | undefined {
  if (isBlank(v)) return required ? sink.add(path, 'missing', `${path.join('.')} is required`) : undefined;
  const t = toEpochMs(v);
  if (t === undefined) {
    return sink.add(
      path,
      'not_a_date',
      `${path.join('.')} must be an ISO 8601 date (1997-01-01, 19970101, 1997-01-01T10:00Z), epoch ms or a Date, got ${show(v)}`,
    );
  }
  const problem = typeof v === 'number' ? numericTimeProblem(v) : undefined;
  if (problem !== undefined) return sink.add(path, 'ambiguous_date', `${path.join('.')} ${problem}`);
  return new Date(t);
}

/** The own property `key` of a row, or undefined. */
export function field(row: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(row, key) ? row[key] : undefined;
}
