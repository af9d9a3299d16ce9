import { CrmError, readOptions, type CrmPath } from '@crm/core';
import { checkIdentifier, subquery, type SqlQuery, type SqlWriter } from './query.ts';

/**
 * A table or subquery of per-customer summaries for scoring, such as the result of
 * `summarizeCustomersSql` (pass the query itself to score in one statement), with the names of its
 * columns. The defaults are the names `summarizeCustomersSql` gives: `customerId`, `frequency`,
 * `recency`, `T`, `monetary`. A table name with dots is schema-qualified; pass the parts as an
 * array when a name itself holds a dot.
 *
 * @example
 * ```ts
 * import type { CustomerSummarySource } from '@crm/sql';
 * const source: CustomerSummarySource = { table: 'crm.summaries', columns: { customerId: 'client', T: 't_weeks' } };
 * ```
 */
export interface CustomerSummarySource {
  /** Table or view name, schema-qualified with dots or as an array of name parts. */
  readonly table?: string | readonly string[] | undefined;
  /** A subquery instead of a table (SQL text without parameters, or a query built by @crm/sql). */
  readonly query?: string | SqlQuery | undefined;
  /** Column names, when they differ from `summarizeCustomersSql`'s. */
  readonly columns?:
    | {
        /** Customer id (default `customerId`). */
        readonly customerId?: string | undefined;
        /** Repeat purchase periods (default `frequency`). */
        readonly frequency?: string | undefined;
        /** First to last purchase (default `recency`). */
        readonly recency?: string | undefined;
        /** First purchase to the end of observation (default `T`). */
        readonly T?: string | undefined;
        /** Mean repeat purchase value (default `monetary`). */
        readonly monetary?: string | undefined;
      }
    | undefined;
}

/** A checked table-or-subquery source with named columns. Internal. */
export interface ColumnsSource<K extends string> {
  /** Writes the FROM item (table reference or parenthesised subquery). */
  readonly from: (w: SqlWriter) => string;
  /** The checked column name of each role. */
  readonly columns: { readonly [P in K]: string };
}

/** Reads a `{ table | query, columns }` source whose column roles default to their own names. Internal. */
export function readColumnsSource<K extends string>(value: unknown, roles: readonly K[], what: string, path: CrmPath): ColumnsSource<K> {
  const o = readOptions(value, ['table', 'query', 'columns'], what, path);
  const c = readOptions(o.columns, roles, `${what} columns`, [...path, 'columns']);
  const columns = {} as { [P in K]: string };
  for (const role of roles) columns[role] = checkIdentifier(c[role] ?? role, [...path, 'columns', role]);
  return { from: relation(o.table, o.query, path), columns };
}

/**
 * The FROM item of a table name (dots separate schema parts; an array gives the parts) or a
 * subquery: exactly one of the two. Checked now, written later. Internal.
 */
export function relation(table: unknown, query: unknown, path: CrmPath): (w: SqlWriter) => string {
  if ((table === undefined) === (query === undefined)) {
    throw new CrmError('invalid_argument', 'a source names exactly one of table or query', path);
  }
  if (query !== undefined) {
    if (typeof query !== 'string' && (query === null || typeof query !== 'object')) {
      throw new CrmError('invalid_argument', 'query must be SQL text or a query built by @crm/sql', [...path, 'query']);
    }
    return (w) => subquery(w, query, [...path, 'query']);
  }
  const parts = tableParts(table, [...path, 'table']);
  return (w) => parts.map((p) => w.d.quote(p)).join('.');
}

/** A table name as checked name parts (`'a.b'` or `['a', 'b']`). Internal. */
export function tableParts(table: unknown, path: CrmPath): string[] {
  let parts: string[];
  if (typeof table === 'string') parts = table.split('.');
  else if (Array.isArray(table) && table.length > 0) parts = [...(table as unknown[])] as string[];
  else throw new CrmError('invalid_argument', 'table must be a name or a non-empty array of name parts', path);
  parts.forEach((p, i) => checkIdentifier(p, typeof table === 'string' ? path : [...path, i]));
  return parts;
}

