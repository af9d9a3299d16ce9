import { CrmError, type CrmPath } from '@crm/core';
import type { Dialect, DialectSpec } from './dialect.ts';

/**
 * A value bound to a query parameter. Dates and strings a user gives always travel as parameters,
 * never inside the SQL text.
 *
 * @example
 * ```ts
 * import type { SqlParam } from '@crm/sql';
 * const params: SqlParam[] = ['1997-09-30', 7, null];
 * ```
 */
export type SqlParam = string | number | boolean | null;

/**
 * A SQL statement for one dialect with its bound parameters, in the dialect's placeholder style
 * (`$1` for DuckDB and PostgreSQL, `?` for Spark, BigQuery and Snowflake). Run it with your driver:
 * `connection.run(q.text, q.params)` (`@duckdb/node-api`), `client.query(q.text, q.params)` (`pg`).
 * Builders accept a query as the source of another query, so statements compose.
 *
 * @example
 * ```ts
 * import { summarizeCustomersSql } from '@crm/sql';
 * const q = summarizeCustomersSql({ table: 'orders' }, { observationEnd: '1997-09-30' });
 * q.dialect; // → 'duckdb'
 * q.params;  // → [875577600000]
 * ```
 */
export interface SqlQuery {
  /** The dialect the text is written in. */
  readonly dialect: Dialect;
  /** The SQL text, with placeholders for the parameters. */
  readonly text: string;
  /** The values of the placeholders, in order. */
  readonly params: readonly SqlParam[];
  /** Names of the result columns, in order. */
  readonly columns: readonly string[];
}

// Marks a parameter inside text under construction; renumbered when the query is finished.
const MARK = '\u0001';
const COMPOSE: unique symbol = Symbol('crm.sql.compose');

/** Internal form of a finished query, kept for composition: marked text and the parameter values. */
interface Composable {
  readonly marked: string;
  readonly values: readonly SqlParam[];
}

/** Builds one statement: parameters are collected as they are used and numbered at the end. Internal. */
export class SqlWriter {
  readonly d: DialectSpec;
  private readonly values: SqlParam[] = [];

  constructor(d: DialectSpec) {
    this.d = d;
  }

  /** A bound parameter cast to a type, ready to splice into marked text. */
  param(value: SqlParam, type: 'double' | 'bigint' | 'text'): string {
    this.values.push(value);
    return `CAST(${MARK}${this.values.length - 1}${MARK} AS ${this.d[type]})`;
  }

  /** A quoted identifier; names with control characters are refused. */
  ident(name: unknown, path: CrmPath): string {
    return this.d.quote(checkIdentifier(name, path));
  }

  /** Embeds a finished query (its parameters move into this statement). */
  embed(query: SqlQuery, path: CrmPath): string {
    if (query.dialect !== this.d.name) {
      throw new CrmError('invalid_argument', `the query is written for ${query.dialect}, not ${this.d.name}: build it with the same dialect`, path);
    }
    const inner = (query as unknown as { [COMPOSE]?: Composable })[COMPOSE];
    if (inner === undefined) {
      if (query.params.length > 0) {
        throw new CrmError('invalid_argument', 'a query with bound parameters can be used as a source only when an @crm/sql builder made it', path);
      }
      return rawText(query.text, path);
    }
    const offset = this.values.length;
    this.values.push(...inner.values);
    return inner.marked.replace(/\u0001(\d+)\u0001/g, (_, i: string) => `${MARK}${Number(i) + offset}${MARK}`);
  }

  /** Finishes the statement: numbers the placeholders in text order; `extra` fields join the frozen query. */
  finish(marked: string, columns: readonly string[], extra: Readonly<Record<string, unknown>> = {}): SqlQuery {
    const params: SqlParam[] = [];
    const numberOf = new Map<number, number>();
    const dollar = this.d.placeholder(1) === '$1';
    const text = marked.replace(/\u0001(\d+)\u0001/g, (_, i: string) => {
      const index = Number(i);
      if (dollar) {
        let n = numberOf.get(index);
        if (n === undefined) {
          params.push(this.values[index]!);
          n = params.length;
          numberOf.set(index, n);
        }
        return this.d.placeholder(n);
      }
      params.push(this.values[index]!);
      return this.d.placeholder(params.length);
    });
    const query: SqlQuery = { dialect: this.d.name, text, params: Object.freeze(params), columns: Object.freeze([...columns]), ...extra };
    Object.defineProperty(query, COMPOSE, { value: Object.freeze({ marked, values: Object.freeze([...this.values]) }) });
    return Object.freeze(query);
  }
}

/** Checks one identifier: a non-empty string without control characters. */
export function checkIdentifier(name: unknown, path: CrmPath): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new CrmError('invalid_argument', `an identifier must be a non-empty string, got ${JSON.stringify(name) ?? String(name)}`, path);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw new CrmError('invalid_argument', `identifier ${JSON.stringify(name)} contains a control character`, path);
  }
  if (name.length > 255) {
    throw new CrmError('invalid_argument', `identifier is ${name.length} characters long; engines allow at most 63–255`, path);
  }
  return name;
}

/** User SQL text used as a subquery: no control characters, no statement separator at the end. */
function rawText(text: unknown, path: CrmPath): string {
  if (typeof text !== 'string' || text.trim().length === 0) {
    throw new CrmError('invalid_argument', 'a source query must be non-empty SQL text', path);
  }
  if (text.includes(MARK) || text.includes('\u0000')) {
    throw new CrmError('invalid_argument', 'a source query contains a control character', path);
  }
  return text.trim().replace(/;\s*$/, '');
}

/** User SQL text or a finished query, as a parenthesised subquery. Internal. */
export function subquery(w: SqlWriter, query: unknown, path: CrmPath): string {
  if (typeof query === 'string') return `(${rawText(query, path)})`;
  if (query !== null && typeof query === 'object' && typeof (query as SqlQuery).text === 'string' && Array.isArray((query as SqlQuery).params)) {
    return `(${w.embed(query as SqlQuery, path)})`;
  }
  throw new CrmError('invalid_argument', 'query must be SQL text or a query built by @crm/sql', path);
}

/**
 * A finite number as a SQL literal that every dialect reads back as the same double: the shortest
 * round-trip digits in exponent form (DuckDB, Spark, BigQuery and Snowflake read it as a double;
 * PostgreSQL as an exact numeric, converted with correct rounding). Numbers are validated first, so
 * a literal can never carry SQL. Internal.
 */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new CrmError('non_finite_result', `cannot write ${value} as a SQL number`);
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 31) return value < 0 ? `(${value})` : String(value);
  const s = value.toExponential();
  return value < 0 ? `(${s})` : s;
}

/** True in SQL for a finite double: `BETWEEN` the extremes is false for NULL, NaN (which sorts above every number in these engines) and ±Infinity. Internal. */
export function finiteSql(x: string): string {
  return `${x} BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308`;
}
