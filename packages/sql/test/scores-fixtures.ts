// CDNOW customer summaries computed by @crm/core in TypeScript and loaded into the engines as a
// table, for the RFM and score-table tests.
import { summarizeCustomers, type CustomerSummary } from '@crm/core';
import { cdnowTransactions } from '../../core/test/cdnow.ts';
import type { Engine } from './engines.ts';

const iso = (s: string): string => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;

/** CDNOW summaries in weeks, observed to the end of the sample (many ties in every field). */
export function cdnowSummaries(): CustomerSummary[] {
  return summarizeCustomers(
    cdnowTransactions().map((t) => ({ ...t, time: iso(t.time) })),
    { observationEnd: '1998-06-30', period: 'week' },
  );
}

/** Column types of a summary table, as `summarizeCustomersSql` gives them. */
export function summaryColumns(e: Engine): Record<string, string> {
  const text = e.dialect === 'duckdb' ? 'VARCHAR' : 'TEXT';
  const dbl = e.dialect === 'duckdb' ? 'DOUBLE' : 'DOUBLE PRECISION';
  return { '"customerId"': text, '"frequency"': 'BIGINT', '"recency"': dbl, '"T"': dbl, '"monetary"': dbl };
}

/** Loads summaries as a table with `summarizeCustomersSql`'s column names and types. */
export async function loadSummaries(e: Engine, table: string, rows: readonly CustomerSummary[]): Promise<void> {
  await e.load(
    table,
    summaryColumns(e),
    rows.map((s) => [s.customerId, e.dialect === 'duckdb' ? BigInt(s.frequency) : s.frequency, s.recency, s.T, s.monetary]),
  );
}

/** A driver value (number, bigint, numeric string) as a number. */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' || typeof v === 'string') return Number(v);
  throw new Error(`not a number: ${String(v)}`);
}

/** Rows keyed by customerId. */
export function byCustomer<T extends Record<string, unknown>>(rows: readonly T[]): Map<string, T> {
  return new Map(rows.map((r) => [String(r['customerId']), r]));
}
