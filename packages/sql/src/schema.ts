import { CrmError, readOptions } from '@crm/core';
import { dialectSpec, DIALECT_NAMES, type Dialect } from './dialect.ts';
import { SqlWriter, type SqlQuery } from './query.ts';
import { readSource, type TransactionSource } from './source.ts';
import { checkColumns, Issues, readRows, readValue } from './values.ts';

/**
 * Options of {@link describeSql}.
 *
 * @example
 * ```ts
 * import type { DescribeSqlOptions } from '@crm/sql';
 * const options: DescribeSqlOptions = { dialect: 'postgres' };
 * ```
 */
export interface DescribeSqlOptions {
  /** SQL dialect (default `'duckdb'`); `duckdb` and `postgres` are supported. */
  readonly dialect?: Dialect | undefined;
}

/**
 * A query whose rows are the columns of a transaction source, as (`name`, `type`): run it, pass its
 * rows to {@link readSchema}, and give the result as the source's `schema`, so that unknown columns,
 * an amount that is not a number or a time that is not a time are reported (as `CrmError`s with a
 * path) before any summary SQL runs, and the `timeType` is inferred from the time column.
 *
 * - DuckDB: `DESCRIBE SELECT * FROM …`, for tables, views and subqueries alike (bound parameters of
 *   a built subquery are kept).
 * - PostgreSQL, table or view: `information_schema.columns`, with the schema and table names bound
 *   as parameters; an unqualified name is looked up along the search path.
 * - PostgreSQL, subquery: there is no catalogue entry, so only the source's three columns are
 *   described (with `pg_typeof`, which works on an empty result); a column the subquery lacks makes
 *   PostgreSQL itself fail the query (`column s.… does not exist`).
 * - Spark, BigQuery and Snowflake are refused: describe the table with the warehouse's own tools.
 *
 * @throws {CrmError} `invalid_argument` for a bad source or option, or a dialect without describe support.
 * @example
 * ```ts
 * import { describeSql } from '@crm/sql';
 * const q = describeSql({ table: 'sales.orders' }, { dialect: 'postgres' });
 * q.columns; // → ['name', 'type']
 * q.params;  // → ['orders', 'sales']
 * ```
 */
export function describeSql(source: TransactionSource, options?: DescribeSqlOptions): SqlQuery {
  const o = readOptions(options, ['dialect'], 'describeSql');
  const d = dialectSpec(o.dialect);
  // The schema a source may already carry is not what is being asked for: describe without it.
  const bare = source !== null && typeof source === 'object' && !Array.isArray(source) ? { ...source, schema: undefined } : source;
  const s = readSource(bare);
  if (d.describe === undefined) {
    const supported = DIALECT_NAMES.filter((n) => dialectSpec(n).describe !== undefined).map((n) => `'${n}'`).join(' and ');
    throw new CrmError('invalid_argument', `describeSql supports ${supported}; for ${d.name}, list the columns with the warehouse's own DESCRIBE and pass them as the source's schema`, ['options', 'dialect']);
  }
  const table = (source as TransactionSource).table;
  const parts = table === undefined ? undefined : typeof table === 'string' ? table.split('.') : [...table];
  if (parts !== undefined && parts.length > 3) {
    throw new CrmError('invalid_argument', `table has ${parts.length} name parts; at most catalog.schema.table is understood`, ['source', 'table']);
  }
  const w = new SqlWriter(d);
  const text = d.describe(w, { parts, from: s.from(w), columns: [...new Set([s.customerId, s.time, s.amount])] });
  return w.finish(text, ['name', 'type']);
}

/**
 * Reads the rows of a {@link describeSql} query (columns `name` and `type`; extra columns are
 * ignored) into the `schema` of a {@link TransactionSource}: column name → the engine's type name.
 *
 * @throws {CrmError} `invalid_input` at `[row, column]` for a missing or NULL name or type, or a
 * column named twice; `invalid_input` for no rows (the table does not exist or is not visible).
 * @example
 * ```ts
 * import { readSchema } from '@crm/sql';
 * const schema = readSchema([{ name: 'customer_id', type: 'VARCHAR' }, { name: 'ts', type: 'TIMESTAMP' }, { name: 'amount', type: 'DOUBLE' }]);
 * schema.amount; // → 'DOUBLE'
 * ```
 */
export function readSchema(rows: unknown): Record<string, string> {
  const list = readRows(rows);
  if (list.length === 0) {
    throw new CrmError('invalid_input', 'the description has no columns: the table does not exist, or the user cannot see it (check its name, schema and search_path)', ['rows']);
  }
  checkColumns(list, ['name', 'type'], 'a column description');
  const issues = new Issues();
  const entries: [string, string][] = [];
  const seen = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const name = readValue(issues, list[i] as object, i, 'name', 'text');
    const type = readValue(issues, list[i] as object, i, 'type', 'text');
    if (seen.has(name)) issues.add('invalid_input', `column ${JSON.stringify(name)} is described twice (row ${i}): a source's column names must be unique`, [i, 'name']);
    seen.add(name);
    entries.push([name, type]);
  }
  issues.throwIfAny();
  // fromEntries defines own properties, so a column named "__proto__" stays a column.
  return Object.fromEntries(entries);
}
