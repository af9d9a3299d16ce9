import { CrmError } from '../errors.ts';

/**
 * One cohort as the cohort charts read it: the plain data of a row of `cohortRetention`
 * (@crm/scoring), or any object of the same shape.
 *
 * @example
 * ```ts
 * import type { CohortSeries } from '@crm/core/charts';
 * const row: CohortSeries = { label: '1997-01', retention: [1, 0.16, 0.12, null], status: ['complete', 'complete', 'partial', 'censored'] };
 * ```
 */
export interface CohortSeries {
  /** The cohort's name (`'1997-01'`). */
  readonly label: string;
  /** Share of the cohort active in each period since acquisition; `null` where censored. */
  readonly retention?: readonly (number | null)[] | undefined;
  /** Revenue in each period over revenue in period 0; `null` where censored or undefined. */
  readonly revenueRetention?: readonly (number | null)[] | undefined;
  /** Customers active in each period; `null` where censored. */
  readonly active?: readonly (number | null)[] | undefined;
  /** Revenue in each period; `null` where censored. */
  readonly revenue?: readonly (number | null)[] | undefined;
  /** `'complete'`, `'partial'` or `'censored'` per period; without it, `null` cells count as censored. */
  readonly status?: readonly string[] | undefined;
}

/**
 * A cohort table as the cohort charts read it: the value of `cohortRetention` (@crm/scoring).
 *
 * @example
 * ```ts
 * import type { CohortChartData } from '@crm/core/charts';
 * const data: CohortChartData = { cohorts: [{ label: '2024-01', retention: [1, 0.4, 0.3] }, { label: '2024-02', retention: [1, 0.5, null] }] };
 * ```
 */
export interface CohortChartData {
  /** Cohorts, oldest first. */
  readonly cohorts: readonly CohortSeries[];
}

/**
 * Which cohort measure a chart draws.
 *
 * @example
 * ```ts
 * import type { CohortMetric } from '@crm/core/charts';
 * const metric: CohortMetric = 'revenueRetention';
 * ```
 */
export type CohortMetric = 'retention' | 'revenueRetention' | 'active' | 'revenue';

/** The measures a cohort chart can draw, in the order of {@link CohortMetric}. */
export const COHORT_METRICS: readonly CohortMetric[] = ['retention', 'revenueRetention', 'active', 'revenue'];

/** Axis and legend name of each measure. */
export const METRIC_LABEL: Readonly<Record<CohortMetric, string>> = {
  retention: 'Retention (share of the cohort active)',
  revenueRetention: 'Revenue retention (vs period 0)',
  active: 'Active customers',
  revenue: 'Revenue',
};

/** A checked cohort: its label, one value or `null` per period, and which periods are partial. */
export interface CheckedCohort {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly partial: readonly boolean[];
}

/** Reads the cohorts of a chart's data: finite numbers or `null`, `null` (or status 'censored') for unobserved cells. */
export function readCohorts(data: CohortChartData | undefined, metric: CohortMetric): CheckedCohort[] {
  const cohorts = data?.cohorts;
  if (!Array.isArray(cohorts) || cohorts.length === 0) {
    throw new CrmError('invalid_input', 'cohort data must have a non-empty cohorts array (the table of cohortRetention)', ['cohorts']);
  }
  const out: CheckedCohort[] = [];
  // An index loop, so holes in the array are reported rather than skipped.
  for (let i = 0; i < cohorts.length; i++) {
    const c = cohorts[i] as CohortSeries | undefined;
    if (c === null || c === undefined || typeof c !== 'object') throw new CrmError('invalid_input', `cohorts[${i}] must be an object with a label and ${metric}`, ['cohorts', i]);
    const raw: unknown = c[metric];
    if (!Array.isArray(raw) || raw.length === 0) {
      throw new CrmError('invalid_input', `cohorts[${i}].${metric} must be a non-empty array of numbers or null`, ['cohorts', i, metric]);
    }
    const status: unknown = c.status;
    if (status !== undefined && (!Array.isArray(status) || status.length !== raw.length)) {
      throw new CrmError('invalid_input', `cohorts[${i}].status must have one entry per period (${raw.length})`, ['cohorts', i, 'status']);
    }
    const values: (number | null)[] = [];
    const partial: boolean[] = [];
    for (let k = 0; k < raw.length; k++) {
      const v: unknown = raw[k];
      const s: unknown = (status as unknown[] | undefined)?.[k];
      if (v === null || s === 'censored') {
        values.push(null);
        partial.push(false);
        continue;
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new CrmError('invalid_input', `cohorts[${i}].${metric}[${k}] is ${String(v)}; give a finite number, or null for a censored cell`, ['cohorts', i, metric, k]);
      }
      values.push(v);
      partial.push(s === 'partial');
    }
    out.push({ label: String(c.label ?? `cohort ${i + 1}`), values, partial });
  }
  return out;
}
