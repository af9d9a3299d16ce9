import { CrmError, readOptions, type CrmPath } from '@crm/core';
import type { TimeType } from './dialect.ts';
import { relation } from './columns-source.ts';
import { checkIdentifier, finiteSql, type SqlQuery, type SqlWriter } from './query.ts';

/**
 * Where transactions live: a table (or view) or a subquery, with the names of its three columns.
 * A table name with dots is schema-qualified (`'sales.orders'`); pass the parts as an array when a
 * name itself holds a dot (`['my.schema', 'orders']`). A subquery is your own SQL text (without
 * bound parameters) or a query built by @crm/sql.
 *
 * When `schema` is given (the column types, as {@link describeSql} and {@link readSchema} return
 * them), unknown columns and wrong column types are reported before any SQL is written.
 *
 * @example
 * ```ts
 * import type { TransactionSource } from '@crm/sql';
 * const source: TransactionSource = {
 *   table: 'sales.orders',
 *   columns: { customerId: 'client', time: 'ordered_at', amount: 'total' },
 *   timeType: 'timestamptz',
 * };
 * ```
 */
export interface TransactionSource {
  /** Table or view name, schema-qualified with dots or as an array of name parts. */
  readonly table?: string | readonly string[] | undefined;
  /** A subquery instead of a table. */
  readonly query?: string | SqlQuery | undefined;
  /** Column names (defaults `customer_id`, `time`, `amount`). */
  readonly columns?:
    | {
        /** Customer id column (any type; compared as text, so 7 and '7' are one customer). */
        readonly customerId?: string | undefined;
        /** Time column (see `timeType`). */
        readonly time?: string | undefined;
        /** Amount column (any numeric type). */
        readonly amount?: string | undefined;
      }
    | undefined;
  /** How the time column is stored (default `'timestamp'`, or what `schema` says). */
  readonly timeType?: TimeType | undefined;
  /** Column name → SQL type of the source, to check names and types before writing SQL. */
  readonly schema?: Readonly<Record<string, string>> | undefined;
}

/** A checked source, ready to write. Internal. */
export interface ReadSource {
  /** Writes the FROM item (table reference or subquery). */
  readonly from: (w: SqlWriter) => string;
  readonly customerId: string;
  readonly time: string;
  readonly amount: string;
  readonly timeType: TimeType;
}

const TIME_TYPES: readonly TimeType[] = ['timestamp', 'timestamptz', 'date', 'epochMs'];
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|INT|INT2|INT4|INT8|INT64|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|REAL|FLOAT|FLOAT4|FLOAT8|FLOAT64|DOUBLE|DOUBLE PRECISION|DECIMAL|NUMERIC|NUMBER|BIGNUMERIC)\b/;

/** Which {@link TimeType} an engine's type name denotes, or undefined when it is not a time type. */
export function timeTypeOf(sqlType: string): TimeType | undefined {
  const t = sqlType.trim().toUpperCase();
  if (t === 'DATE') return 'date';
  if (/^(TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE|TIMESTAMP_TZ|TIMESTAMP_LTZ)\b/.test(t)) return 'timestamptz';
  if (/^(TIMESTAMP|DATETIME|TIMESTAMP_NTZ|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS)\b/.test(t)) return 'timestamp';
  if (NUMERIC.test(t)) return 'epochMs';
  return undefined;
}

/** Checks a {@link TransactionSource}; internal. */
export function readSource(value: unknown, path: CrmPath = ['source']): ReadSource {
  const o = readOptions(value, ['table', 'query', 'columns', 'timeType', 'schema'], 'transaction source', path);
  const c = readOptions(o.columns, ['customerId', 'time', 'amount'], 'source columns', [...path, 'columns']);
  const customerId = checkIdentifier(c.customerId ?? 'customer_id', [...path, 'columns', 'customerId']);
  const time = checkIdentifier(c.time ?? 'time', [...path, 'columns', 'time']);
  const amount = checkIdentifier(c.amount ?? 'amount', [...path, 'columns', 'amount']);
  let timeType: TimeType | undefined;
  if (o.timeType !== undefined) {
    if (!TIME_TYPES.includes(o.timeType as TimeType)) {
      throw new CrmError('invalid_argument', `timeType must be one of ${TIME_TYPES.map((t) => `'${t}'`).join(', ')}, got ${JSON.stringify(o.timeType)}`, [...path, 'timeType']);
    }
    timeType = o.timeType as TimeType;
  }
  if (o.schema !== undefined) {
    const schema = readSchemaOption(o.schema, [...path, 'schema']);
    const typeOf = (name: string, field: string): string => {
      const t = schema.get(name);
      if (t === undefined) {
        const known = [...schema.keys()].map((k) => JSON.stringify(k)).join(', ');
        throw new CrmError('invalid_input', `column ${JSON.stringify(name)} is not in the source (columns: ${known})`, [...path, 'columns', field]);
      }
      return t;
    };
    typeOf(customerId, 'customerId');
    const tt = typeOf(time, 'time');
    const at = typeOf(amount, 'amount');
    const found = timeTypeOf(tt);
    if (found === undefined) {
      throw new CrmError('invalid_input', `column ${JSON.stringify(time)} has type ${tt}, not a timestamp, date or number of epoch milliseconds`, [...path, 'columns', 'time']);
    }
    if (timeType === undefined) timeType = found;
    else if (timeType !== found && !(timeType === 'timestamptz' && found === 'timestamp')) {
      throw new CrmError('invalid_input', `timeType is '${timeType}' but column ${JSON.stringify(time)} has type ${tt}`, [...path, 'timeType']);
    }
    if (!NUMERIC.test(at.trim().toUpperCase())) {
      throw new CrmError('invalid_input', `column ${JSON.stringify(amount)} has type ${at}, not a number`, [...path, 'columns', 'amount']);
    }
  }
  return {
    from: relation(o.table, o.query, path),
    customerId,
    time,
    amount,
    timeType: timeType ?? 'timestamp',
  };
}

function readSchemaOption(value: unknown, path: CrmPath): Map<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CrmError('invalid_argument', 'schema must be an object of column name → SQL type', path);
  }
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new CrmError('invalid_argument', `schema[${JSON.stringify(k)}] must be a type name`, [...path, k]);
    out.set(k, v);
  }
  return out;
}

/**
 * Writes the clean-rows CTE body of a source: `customer_id` (in the source's type: grouping on it
 * is cheaper than on text; results cast it to text at the end), `ms` (epoch ms, double) and
 * `amount` (double), leaving out rows with a NULL id, time or amount and non-finite amounts or
 * times (they are counted by the `excluded` query). Internal.
 */
export function cleanRows(w: SqlWriter, s: ReadSource): string {
  const { id, ms, amount } = rawColumns(w, s);
  return `SELECT ${id} AS customer_id, ${ms} AS ms, ${amount} AS amount FROM ${s.from(w)} AS src WHERE ${validWhere(w, s)}`;
}

function rawColumns(w: SqlWriter, s: ReadSource): { id: string; ms: string; amount: string } {
  const q = (n: string): string => `src.${w.d.quote(n)}`;
  return {
    id: q(s.customerId),
    ms: w.d.epochMs(q(s.time), s.timeType),
    amount: `CAST(${q(s.amount)} AS ${w.d.double})`,
  };
}


function validWhere(w: SqlWriter, s: ReadSource): string {
  const { ms, amount } = rawColumns(w, s);
  return `src.${w.d.quote(s.customerId)} IS NOT NULL AND ${finiteSql(ms)} AND ${finiteSql(amount)}`;
}

/** The `excluded` query of a source: how many rows were left out, and why. Internal. */
export function excludedRows(w: SqlWriter, s: ReadSource): string {
  const { ms, amount } = rawColumns(w, s);
  const q = (n: string): string => `src.${w.d.quote(n)}`;
  const count = (cond: string): string => `COALESCE(SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END), 0)`;
  const big = w.d.bigint;
  return (
    `SELECT CAST(COUNT(*) AS ${big}) AS ${w.d.quote('rows')}, ` +
    `CAST(${count(`NOT (${validWhere(w, s)}) OR ${q(s.customerId)} IS NULL OR ${q(s.time)} IS NULL OR ${q(s.amount)} IS NULL`)} AS ${big}) AS ${w.d.quote('excluded')}, ` +
    `CAST(${count(`${q(s.customerId)} IS NULL`)} AS ${big}) AS ${w.d.quote('nullCustomerId')}, ` +
    `CAST(${count(`${q(s.time)} IS NULL`)} AS ${big}) AS ${w.d.quote('nullTime')}, ` +
    `CAST(${count(`${q(s.amount)} IS NULL`)} AS ${big}) AS ${w.d.quote('nullAmount')}, ` +
    `CAST(${count(`${q(s.time)} IS NOT NULL AND NOT (${finiteSql(ms)})`)} AS ${big}) AS ${w.d.quote('nonFiniteTime')}, ` +
    `CAST(${count(`${q(s.amount)} IS NOT NULL AND NOT (${finiteSql(amount)})`)} AS ${big}) AS ${w.d.quote('nonFiniteAmount')} ` +
    `FROM ${s.from(w)} AS src`
  );
}

/** Result columns of every `excluded` query. */
export const EXCLUDED_COLUMNS: readonly string[] = ['rows', 'excluded', 'nullCustomerId', 'nullTime', 'nullAmount', 'nonFiniteTime', 'nonFiniteAmount'];

