import { readOptions } from '@crm/core';
import { dialectSpec, type Dialect } from './dialect.ts';
import { readColumnsSource } from './columns-source.ts';
import { SqlWriter, type SqlQuery } from './query.ts';

/**
 * A table or subquery of per-customer summaries, such as the result of
 * {@link summarizeCustomersSql} (pass the query itself to do everything in one statement), with
 * the names of its columns (defaults: the names `summarizeCustomersSql` gives).
 *
 * @example
 * ```ts
 * import type { SummarySource } from '@crm/sql';
 * const source: SummarySource = { table: 'customer_summaries', columns: { T: 't_weeks' } };
 * ```
 */
export interface SummarySource {
  /** Table or view name, schema-qualified with dots or as an array of name parts. */
  readonly table?: string | readonly string[] | undefined;
  /** A subquery instead of a table (for example a {@link summarizeCustomersSql} query). */
  readonly query?: string | SqlQuery | undefined;
  /** Column names, when they differ from `summarizeCustomersSql`'s. */
  readonly columns?:
    | {
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

/**
 * Options of the compressed-statistics builders.
 *
 * @example
 * ```ts
 * import type { PatternSqlOptions } from '@crm/sql';
 * const options: PatternSqlOptions = { dialect: 'postgres' };
 * ```
 */
export interface PatternSqlOptions {
  /** SQL dialect (default `'duckdb'`). */
  readonly dialect?: Dialect | undefined;
}

function readSummarySource(value: unknown): { from: (w: SqlWriter) => string; frequency: string; recency: string; T: string; monetary: string } {
  const s = readColumnsSource(value, ['frequency', 'recency', 'T', 'monetary'] as const, 'summary source', ['summaries']);
  return { from: s.from, ...s.columns };
}

/**
 * The compressed sufficient statistics of BG/NBD, Pareto/NBD, MBG/NBD and BG/BB: every distinct
 * (frequency, recency, T) of a summary table with the number of customers who share it, as
 * `weight`. Pass the rows (through `readPatterns`) to the models' `fit`: the fit equals the fit on
 * the full summaries, from a table a few thousand rows long whatever the number of customers.
 * Rows come sorted by frequency, recency and T.
 *
 * @throws {CrmError} `invalid_argument` for a bad source, option or dialect.
 * @example
 * ```ts
 * import { purchasePatternsSql, summarizeCustomersSql } from '@crm/sql';
 * const summaries = summarizeCustomersSql({ table: 'orders' }, { observationEnd: '1997-09-30', period: 'week' });
 * const q = purchasePatternsSql({ query: summaries });
 * q.columns; // → ['frequency', 'recency', 'T', 'weight']
 * ```
 */
export function purchasePatternsSql(summaries: SummarySource, options?: PatternSqlOptions): SqlQuery {
  const o = readOptions(options, ['dialect'], 'purchasePatternsSql');
  const d = dialectSpec(o.dialect);
  const s = readSummarySource(summaries);
  const w = new SqlWriter(d);
  const q = (n: string): string => d.quote(n);
  const f = `CAST(s.${q(s.frequency)} AS ${d.bigint})`;
  const r = `CAST(s.${q(s.recency)} AS ${d.double})`;
  const t = `CAST(s.${q(s.T)} AS ${d.double})`;
  const text =
    `SELECT ${f} AS ${q('frequency')}, ${r} AS ${q('recency')}, ${t} AS ${q('T')}, CAST(COUNT(*) AS ${d.bigint}) AS ${q('weight')} ` +
    `FROM ${s.from(w)} AS s GROUP BY ${f}, ${r}, ${t} ORDER BY 1, 2, 3`;
  return w.finish(text, ['frequency', 'recency', 'T', 'weight']);
}

/**
 * The compressed sufficient statistics of Gamma-Gamma: every distinct (frequency, monetary) of the
 * repeat buyers (frequency > 0) of a summary table, with the number of customers who share it as
 * `weight`. Pass the rows (through `readSpendGroups`) to `GammaGamma.fit`. Rows come sorted by
 * frequency and monetary.
 *
 * @throws {CrmError} `invalid_argument` for a bad source, option or dialect.
 * @example
 * ```ts
 * import { spendGroupsSql } from '@crm/sql';
 * const q = spendGroupsSql({ table: 'customer_summaries' }, { dialect: 'postgres' });
 * q.columns; // → ['frequency', 'monetary', 'weight']
 * ```
 */
export function spendGroupsSql(summaries: SummarySource, options?: PatternSqlOptions): SqlQuery {
  const o = readOptions(options, ['dialect'], 'spendGroupsSql');
  const d = dialectSpec(o.dialect);
  const s = readSummarySource(summaries);
  const w = new SqlWriter(d);
  const q = (n: string): string => d.quote(n);
  const f = `CAST(s.${q(s.frequency)} AS ${d.bigint})`;
  const m = `CAST(s.${q(s.monetary)} AS ${d.double})`;
  const text =
    `SELECT ${f} AS ${q('frequency')}, ${m} AS ${q('monetary')}, CAST(COUNT(*) AS ${d.bigint}) AS ${q('weight')} ` +
    `FROM ${s.from(w)} AS s WHERE s.${q(s.frequency)} > 0 GROUP BY ${f}, ${m} ORDER BY 1, 2`;
  return w.finish(text, ['frequency', 'monetary', 'weight']);
}
