import { CrmError, type CrmPath } from '@crm/core';

/**
 * Reading driver values: what `@duckdb/node-api` (`getRowObjectsJS()` and `getRowObjects()`), `pg`
 * and `@duckdb/duckdb-wasm` (Arrow rows) hand back for a column, turned into numbers, epoch
 * milliseconds or text. Values are recognised by their documented fields, never by their class, so
 * any copy or version of a driver works. Internal.
 */

/** One problem found while reading rows. */
interface Issue {
  readonly code: 'invalid_input' | 'invalid_summary';
  readonly message: string;
  readonly path: CrmPath;
}

/** Problems shown by name in the error message beyond the first. */
const LISTED_ISSUES = 5;

/**
 * Collects every problem of a result (validation reports them all, not the first) and throws one
 * `CrmError` carrying the first problem's code and path, with the others summarised in the message.
 */
export class Issues {
  private readonly list: Issue[] = [];

  add(code: Issue['code'], message: string, path: CrmPath): void {
    this.list.push({ code, message, path });
  }

  get count(): number {
    return this.list.length;
  }

  throwIfAny(): void {
    const [first, ...rest] = this.list;
    if (first === undefined) return;
    let message = first.message;
    if (rest.length > 0) {
      const shown = rest.slice(0, LISTED_ISSUES).map((i) => i.message);
      const more = rest.length > LISTED_ISSUES ? `; and ${rest.length - LISTED_ISSUES} more` : '';
      message += ` (${rest.length} more problem${rest.length === 1 ? '' : 's'}: ${shown.join('; ')}${more})`;
    }
    throw new CrmError(first.code, message, first.path);
  }
}

/** Signals a value that could not be read; the caller turns it into an issue with its path. */
class Unreadable {
  constructor(readonly message: string) {}
}

/** The rows of a result: an array, or any iterable of rows (an Arrow table, a generator). */
export function readRows(rows: unknown, name = 'rows'): readonly unknown[] {
  if (Array.isArray(rows)) return rows;
  if (rows !== null && typeof rows === 'object' && typeof (rows as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return Array.from(rows as Iterable<unknown>);
  }
  throw new CrmError('invalid_argument', `${name} must be an array of row objects (as the driver returns them), got ${describe(rows)}`, [name]);
}

function isPlain(o: object): boolean {
  const proto = Object.getPrototypeOf(o) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The value of `column` in a row object, or `MISSING` when the row has no such column. Plain
 * objects (pg, `getRowObjectsJS()`) are read by own property only; other row objects (Arrow's
 * struct rows) by the `in` operator, which their proxies answer from the schema.
 */
export const MISSING: unique symbol = Symbol('missing');
export function field(row: object, column: string): unknown {
  if (Object.prototype.hasOwnProperty.call(row, column)) return (row as Record<string, unknown>)[column];
  if (isPlain(row) || !(column in row)) return MISSING;
  return (row as Record<string, unknown>)[column];
}

/**
 * Checks that every row is an object with every required column; throws once, naming every
 * missing column, since a missing column is a query mistake rather than a data problem.
 */
export function checkColumns(rows: readonly unknown[], required: readonly string[], what: string): void {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new CrmError('invalid_input', `row ${i} is ${describe(row)}, not a row object: ask the driver for rows as objects (pg's default, getRowObjectsJS() in @duckdb/node-api, toArray() of an Arrow table)`, [i]);
    }
    const missing = required.filter((c) => field(row, c) === MISSING);
    if (missing.length > 0) {
      throw new CrmError(
        'invalid_input',
        `row ${i} has no column${missing.length > 1 ? 's' : ''} ${missing.map((c) => JSON.stringify(c)).join(', ')}: ${what} needs ${required.map((c) => JSON.stringify(c)).join(', ')} (names are case-sensitive; quote them in SQL)`,
        [i, missing[0]!],
      );
    }
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'NULL';
  if (v === undefined) return 'undefined';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'an invalid Date' : `the Date ${v.toISOString()}`;
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER_TEXT = /^[+-]?\d+$/;
/** The widest DuckDB DECIMAL, in digits. */
const MAX_DECIMAL_WIDTH = 38;
/** The largest epoch millisecond a JavaScript Date holds (±100 000 000 days). */
const MAX_DATE_MS = 8.64e15;

/** A decimal value of `@duckdb/node-api` (`getRowObjects()`): an unscaled bigint `value` and a `scale`. */
function duckDecimalText(v: { value: bigint; scale: number }): string {
  const negative = v.value < 0n;
  const digits = (negative ? -v.value : v.value).toString();
  if (v.scale === 0) return `${negative ? '-' : ''}${digits}`;
  const padded = digits.padStart(v.scale + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -v.scale)}.${padded.slice(-v.scale)}`;
}

const BEYOND_2_53 =
  'is beyond ±2^53, where doubles skip integers: it cannot be read without rounding (compute it smaller in SQL, or cast it to DOUBLE yourself if rounding is acceptable)';

function fromText(text: string, integer: boolean): number {
  const t = text.trim();
  if (!DECIMAL_TEXT.test(t)) {
    throw new Unreadable(/^[+-]?(nan|inf|infinity)$/i.test(t) ? `is ${JSON.stringify(text)}, not a finite number` : `is the text ${describe(text)}, not a number`);
  }
  const x = Number(t);
  if (!Number.isFinite(x)) throw new Unreadable(`is ${JSON.stringify(text)}, beyond the range of a double`);
  if (INTEGER_TEXT.test(t) && !Number.isSafeInteger(x)) throw new Unreadable(`(${t}) ${BEYOND_2_53}`);
  return fromNumber(x, integer);
}

function fromNumber(x: number, integer: boolean): number {
  if (!Number.isFinite(x)) throw new Unreadable(`is ${x}, not a finite number`);
  if (integer) {
    if (!Number.isInteger(x)) throw new Unreadable(`is ${x}, not a whole number`);
    if (!Number.isSafeInteger(x)) throw new Unreadable(`(${x}) ${BEYOND_2_53}`);
  }
  return x;
}

/**
 * A number from any driver: a JavaScript number, a bigint (BIGINT, HUGEINT), a decimal string
 * (pg's BIGINT and NUMERIC), a `@duckdb/node-api` decimal object. Integers beyond ±2^53 are refused,
 * never rounded; so are Arrow decimals, which do not carry their scale.
 */
function toNumber(v: unknown, integer: boolean): number {
  if (typeof v === 'number') return fromNumber(v, integer);
  if (typeof v === 'bigint') {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw new Unreadable(`(${v}) ${BEYOND_2_53}`);
    return Number(v);
  }
  if (typeof v === 'string') return fromText(v, integer);
  if (v !== null && typeof v === 'object') {
    const o = v as { value?: unknown; scale?: unknown; width?: unknown };
    // DuckDB decimals have a width of 1 to 38 digits and a scale of 0 to width.
    if (typeof o.value === 'bigint' && typeof o.scale === 'number' && typeof o.width === 'number' && Number.isInteger(o.scale) && o.scale >= 0 && o.scale <= MAX_DECIMAL_WIDTH) {
      return fromText(duckDecimalText(o as { value: bigint; scale: number }), integer);
    }
    if (ArrayBuffer.isView(v)) {
      throw new Unreadable(
        'is an Arrow big number (a DECIMAL or HUGEINT from @duckdb/duckdb-wasm), which does not carry its scale: cast the column to DOUBLE or BIGINT in SQL, or open the database with { query: { castDecimalToDouble: true } }',
      );
    }
  }
  throw new Unreadable(`is ${describe(v)}, not a number`);
}

/** Epoch milliseconds from a time value: a number of epoch ms, a Date, or a DuckDB timestamp/date object. */
function toEpochMs(v: unknown): number {
  let ms: number;
  if (v instanceof Date || Object.prototype.toString.call(v) === '[object Date]') {
    ms = (v as Date).getTime();
    if (Number.isNaN(ms)) throw new Unreadable('is an invalid Date');
  } else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) && !('value' in v)) {
    const o = v as { micros?: unknown; millis?: unknown; seconds?: unknown; nanos?: unknown; days?: unknown };
    const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));
    const within = (x: bigint): bigint => {
      if (x > BigInt(MAX_DATE_MS) || x < -BigInt(MAX_DATE_MS)) throw new Unreadable('is a timestamp outside the range of a JavaScript Date (an infinite timestamp?)');
      return x;
    };
    if (typeof o.micros === 'bigint') ms = Number(within(floorDiv(o.micros, 1000n)));
    else if (typeof o.millis === 'bigint') ms = Number(within(o.millis));
    else if (typeof o.seconds === 'bigint') ms = Number(within(floorDiv(o.seconds * 1000n, 1n)));
    else if (typeof o.nanos === 'bigint') ms = Number(within(floorDiv(o.nanos, 1_000_000n)));
    else if (typeof o.days === 'number' && Number.isInteger(o.days)) ms = o.days * 86_400_000;
    else throw new Unreadable(`is ${describe(v)}, not a time`);
  } else {
    try {
      ms = toNumber(v, false);
    } catch (e) {
      if (e instanceof Unreadable && typeof v === 'string') {
        throw new Unreadable(`is the text ${describe(v)}: times are read as epoch milliseconds (as the @crm/sql builders return them), a Date, or a DuckDB timestamp`);
      }
      throw e;
    }
  }
  if (!(Math.abs(ms) <= MAX_DATE_MS)) throw new Unreadable(`(${ms}) is outside the range of a JavaScript Date`);
  return ms;
}

function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'bigint') return String(v);
  throw new Unreadable(`is ${describe(v)}, not text`);
}

/** How to read one column. */
export type ColumnKind = 'number' | 'integer' | 'time' | 'text';

/**
 * Reads `column` of a row as `kind`; on a problem records it (with the path `[index, column]`) and
 * returns NaN (or '' for text), which the caller never hands out because the issues throw first.
 */
export function readValue(issues: Issues, row: object, index: number, column: string, kind: 'text'): string;
export function readValue(issues: Issues, row: object, index: number, column: string, kind: Exclude<ColumnKind, 'text'>): number;
export function readValue(issues: Issues, row: object, index: number, column: string, kind: ColumnKind): number | string {
  const v = field(row, column);
  const fail = kind === 'text' ? '' : Number.NaN;
  if (v === null || v === undefined || v === MISSING) {
    issues.add('invalid_input', `${column} is NULL at row ${index}: a value is required here`, [index, column]);
    return fail;
  }
  try {
    if (kind === 'text') return toText(v);
    if (kind === 'time') return toEpochMs(v);
    return toNumber(v, kind === 'integer');
  } catch (e) {
    if (!(e instanceof Unreadable)) throw e;
    issues.add('invalid_input', `${column} at row ${index} ${e.message}`, [index, column]);
    return fail;
  }
}
