import { CrmError } from '../errors.ts';
import { AXIS_KEYS, readChartOptions, resolveOptions, type AxisChartOptions, type Chart } from './chart.ts';
import { COHORT_METRICS, METRIC_LABEL, readCohorts, type CohortChartData, type CohortMetric } from './cohort-data.ts';
import { formatValue } from './format.ts';
import { gridChart } from './grid.ts';
import { enumOption } from '../options.ts';

/**
 * Options of {@link cohortHeatmapChart} and `retentionCurvesChart`.
 *
 * @example
 * ```ts
 * import type { CohortChartOptions } from '@crm/core/charts';
 * const options: CohortChartOptions = { metric: 'revenueRetention', xLabel: 'Months since first purchase' };
 * ```
 */
export interface CohortChartOptions extends AxisChartOptions {
  /** The measure drawn: `'retention'` (default), `'revenueRetention'`, `'active'` or `'revenue'`. */
  readonly metric?: CohortMetric | undefined;
}

const isRate = (m: CohortMetric): boolean => m === 'retention' || m === 'revenueRetention';
const percent = (v: number): string => `${(100 * v).toFixed(v < 0.1 ? 1 : 0)}%`;

/**
 * Cohort heatmap: one row per acquisition cohort (oldest on top), one column per period since
 * acquisition, each cell coloured by the cohort's retention (or revenue retention, active
 * customers, revenue). Censored cells (`null`, or status `'censored'`) are drawn blank with a
 * slash, never as 0; partly observed cells (status `'partial'`) get a dashed outline, since
 * their values are lower bounds. Takes the table of `cohortRetention` (@crm/scoring) as it is.
 *
 * @throws {CrmError} `invalid_input` when there are no cohorts, a value is neither a finite number
 * nor null, or rows differ in length; `invalid_argument` for a bad option.
 * @example
 * ```ts
 * import { cohortHeatmapChart } from '@crm/core/charts';
 * const chart = cohortHeatmapChart({
 *   cohorts: [
 *     { label: '2024-01', retention: [1, 0.42, 0.35], status: ['complete', 'complete', 'partial'] },
 *     { label: '2024-02', retention: [1, 0.38, null], status: ['complete', 'partial', 'censored'] },
 *     { label: '2024-03', retention: [1, null, null], status: ['partial', 'censored', 'censored'] },
 *   ],
 * });
 * ```
 */
export function cohortHeatmapChart(data: CohortChartData, options?: CohortChartOptions): Chart {
  const o = readChartOptions(options, 'cohortHeatmapChart', [...AXIS_KEYS, 'metric']);
  const metric = enumOption(o as Record<string, unknown>, 'metric', 'retention', COHORT_METRICS);
  const cohorts = readCohorts(data, metric);
  const width = cohorts[0]!.values.length;
  cohorts.forEach((c, i) => {
    if (c.values.length !== width) {
      throw new CrmError('invalid_input', `cohorts[${i}] has ${c.values.length} periods, cohorts[0] has ${width}: give every cohort the table's periods`, ['cohorts', i, metric]);
    }
  });
  const observed = cohorts.flatMap((c) => c.values.filter((v): v is number => v !== null));
  if (observed.length === 0) throw new CrmError('invalid_input', 'every cell is censored: nothing to draw', ['cohorts']);
  let lo = Math.min(...observed);
  let hi = Math.max(...observed);
  if (isRate(metric)) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 1);
  }
  const what = METRIC_LABEL[metric];
  const r = resolveOptions(o, 640, Math.min(4000, Math.max(320, 120 + 26 * cohorts.length)), `Cohorts: ${what.split(' (')[0]!.toLowerCase()} by period since acquisition`);
  const fmt = isRate(metric) ? percent : formatValue;
  const colLabels = Array.from({ length: width }, (_, k) => String(k));
  return gridChart(r, {
    values: cohorts.map((c) => c.values.map((v) => v ?? 0)),
    rowLabels: cohorts.map((c) => c.label),
    colLabels,
    xLabel: o.xLabel ?? 'Periods since acquisition',
    yLabel: o.yLabel ?? 'Acquisition cohort',
    scheme: 'sequential',
    colorDomain: [lo, hi],
    legendLabel: what.split(' (')[0]!,
    annotate: 'auto',
    format: fmt,
    missing: (i, j) => cohorts[i]!.values[j] === null,
    flagged: (i, j) => cohorts[i]!.partial[j] === true,
    tooltip: (i, j) => {
      const v = cohorts[i]!.values[j];
      const c = cohorts[i]!;
      return v === null ? `${c.label}, period ${j}: not observed (censored)` : `${c.label}, period ${j}: ${fmt(v)}${c.partial[j] ? ' (partly observed, a lower bound)' : ''}`;
    },
    summary: `${what} of ${cohorts.length} cohorts over ${width} periods since acquisition; ${cohorts.flatMap((c) => c.values).filter((v) => v === null).length} censored cells left blank.`,
  });
}
