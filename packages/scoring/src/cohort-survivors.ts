import { CrmError, enumOption, numberOption, readOptions } from '@crm/core';
import type { CohortTable } from './cohort-retention.ts';

/**
 * Options of {@link cohortSurvivors}.
 *
 * @example
 * ```ts
 * import type { CohortSurvivorsOptions } from '@crm/scoring';
 * const options: CohortSurvivorsOptions = { cohort: '1997-01', definition: 'at-or-after' };
 * ```
 */
export interface CohortSurvivorsOptions {
  /** The cohort's `label`, or `'pooled'` (default) for the sum of the cohorts observed long enough. */
  readonly cohort?: string | undefined;
  /**
   * What "survived to period k" means:
   * - `'at-or-after'` (default): the customer buys in period k or later before the observation end,
   *   i.e. churn is dated after the last observed purchase. Non-increasing by construction; the last
   *   periods before the observation end understate survival (a customer who will return after it
   *   counts as gone), so prefer cohorts observed well beyond the periods you fit.
   * - `'active'`: the customer buys in period k. Only a contractual reading (every active customer
   *   buys every period); a count that rises again is an error.
   */
  readonly definition?: 'at-or-after' | 'active' | undefined;
  /**
   * Periods after period 0 to return (the result has `periods + 1` entries), all of them complete.
   * Default: every complete period of a single cohort; for `'pooled'`, the longest span that the
   * cohorts holding at least half of the customers were observed for.
   */
  readonly periods?: number | undefined;
}

interface Row {
  readonly label: string;
  readonly customers: number;
  readonly counts: readonly number[];
  /** Complete periods from 0 on. */
  readonly complete: number;
}

function readTable(table: unknown, definition: 'at-or-after' | 'active'): Row[] {
  const t = table as CohortTable | null;
  if (t === null || typeof t !== 'object' || t.kind !== 'crm.scoring.cohort-table' || !Array.isArray(t.cohorts)) {
    throw new CrmError('invalid_argument', 'cohortSurvivors expects the table of cohortRetention (kind crm.scoring.cohort-table)', ['table']);
  }
  const key = definition === 'active' ? 'active' : 'survivors';
  const out: Row[] = [];
  for (let r = 0; r < t.cohorts.length; r++) {
    // Read by index so holes and nulls are reported, not skipped.
    const row = t.cohorts[r] as CohortTable['cohorts'][number] | undefined;
    const path = ['table', 'cohorts', r];
    if (row === null || typeof row !== 'object' || !Array.isArray(row.status) || !Array.isArray(row[key]) || typeof row.label !== 'string') {
      throw new CrmError('invalid_argument', `table.cohorts[${r}] is not a cohort row (label, ${key}, status)`, path);
    }
    const counts: number[] = [];
    let complete = 0;
    while (complete < row.status.length && row.status[complete] === 'complete') {
      const v: unknown = row[key][complete];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new CrmError('invalid_argument', `table.cohorts[${r}].${key}[${complete}] must be a count ≥ 0, got ${String(v)}`, [...path, key, complete]);
      }
      counts.push(v);
      complete++;
    }
    out.push({ label: row.label, customers: typeof row.customers === 'number' && Number.isFinite(row.customers) ? row.customers : (counts[0] ?? 0), counts, complete });
  }
  return out;
}

/** Checks that `s` can only shrink, as a contractual survivor curve must. */
function checkShrinking(s: readonly number[], label: string, definition: string): void {
  for (let k = 1; k < s.length; k++) {
    if (s[k]! > s[k - 1]!) {
      throw new CrmError(
        'invalid_input',
        `cohort ${label}: ${s[k]} customers active in period ${k} but ${s[k - 1]} in period ${k - 1} under definition '${definition}': ` +
          "survivors must be non-increasing; use definition 'at-or-after' (active in period k or later) for non-contractual data",
        ['options', 'definition'],
      );
    }
  }
}

/**
 * Turns a cohort table into the `survivors` input of `ShiftedBetaGeometric.fit`: the customers of
 * one cohort (or of several pooled) still alive at the start of each complete period, period 0
 * being the cohort size. Only complete cells are used; partial and censored ones never are.
 *
 * sBG is a contractual model: a customer is alive until they cancel, and survivors can only
 * shrink. Transaction data only show purchases, so "alive at k" must be defined: by default a
 * customer survived to k when they bought in period k or later (`'at-or-after'`), which dates
 * churn after the last observed purchase and is non-increasing by construction; `'active'` takes
 * the customers buying in period k themselves and refuses a count that rises.
 *
 * `'pooled'` sums the cohorts observed for at least `periods` complete periods, so every count
 * comes from the same customers (a cohort seen for fewer periods would otherwise drop out part
 * way and fake churn). O(cohorts × periods).
 *
 * @throws {CrmError} `invalid_argument` for a table that is not from `cohortRetention`, an unknown
 * cohort label or a bad option; `invalid_input` when fewer than two complete periods are available
 * or `'active'` counts rise.
 * @example
 * ```ts
 * import { cohortRetention, cohortSurvivors } from '@crm/scoring';
 * const table = cohortRetention(
 *   [
 *     { customerId: 'A', time: '2024-01-05', amount: 10 },
 *     { customerId: 'A', time: '2024-03-11', amount: 15 },
 *     { customerId: 'B', time: '2024-01-20', amount: 20 },
 *     { customerId: 'B', time: '2024-02-20', amount: 20 },
 *   ],
 *   { observationEnd: '2024-03-31' },
 * );
 * cohortSurvivors(table, { cohort: '2024-01' }); // [2, 2, 1]
 * ```
 */
export function cohortSurvivors(table: CohortTable, options?: CohortSurvivorsOptions): number[] {
  const o = readOptions(options, ['cohort', 'definition', 'periods'], 'cohortSurvivors');
  const definition = enumOption(o, 'definition', 'at-or-after', ['at-or-after', 'active'] as const);
  const cohort = o.cohort === undefined ? 'pooled' : o.cohort;
  if (typeof cohort !== 'string') throw new CrmError('invalid_argument', 'options.cohort must be a cohort label or \'pooled\'', ['options', 'cohort']);
  const periodsGiven = o.periods === undefined ? undefined : numberOption(o, 'periods', 1, { min: 1, integer: true });
  const rows = readTable(table, definition);
  let survivors: number[];
  let label: string;
  if (cohort === 'pooled') {
    label = 'pooled';
    const periods = periodsGiven ?? pooledSpan(rows);
    const chosen = rows.filter((r) => r.complete > periods);
    if (chosen.length === 0) {
      throw new CrmError('invalid_input', `no cohort has ${periods + 1} complete periods: lower options.periods or observe longer`, ['options', 'periods']);
    }
    survivors = new Array<number>(periods + 1).fill(0);
    for (const r of chosen) for (let k = 0; k <= periods; k++) survivors[k]! += r.counts[k]!;
  } else {
    const row = rows.find((r) => r.label === cohort);
    if (row === undefined) {
      throw new CrmError('invalid_argument', `no cohort labelled ${JSON.stringify(cohort)}; labels: ${rows.slice(0, 5).map((r) => r.label).join(', ')}${rows.length > 5 ? ', …' : ''}`, ['options', 'cohort']);
    }
    label = cohort;
    const periods = periodsGiven ?? row.complete - 1;
    if (periods < 1 || row.complete <= periods) {
      throw new CrmError(
        'invalid_input',
        `cohort ${cohort} has ${row.complete} complete period(s); sBG needs period 0 and at least one later period${periodsGiven === undefined ? '' : ` (asked for ${periods})`}`,
        ['options', periodsGiven === undefined ? 'cohort' : 'periods'],
      );
    }
    survivors = row.counts.slice(0, periods + 1);
  }
  checkShrinking(survivors, label, definition);
  return survivors;
}

/** The longest span observed completely by the cohorts that hold at least half the customers. */
function pooledSpan(rows: readonly Row[]): number {
  const total = rows.reduce((s, r) => s + r.customers, 0);
  const byLength = [...rows].sort((a, b) => b.complete - a.complete);
  let held = 0;
  for (const r of byLength) {
    held += r.customers;
    if (held * 2 >= total) {
      if (r.complete < 2) {
        throw new CrmError('invalid_input', 'the cohorts holding half the customers have fewer than two complete periods: give options.periods', ['options', 'periods']);
      }
      return r.complete - 1;
    }
  }
  return 1;
}
