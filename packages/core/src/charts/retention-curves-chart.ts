import { CrmError } from '../errors.ts';
import { enumOption } from '../options.ts';
import { AXIS_KEYS, readChartOptions, resolveOptions, type Chart } from './chart.ts';
import type { CohortChartOptions } from './cohort-heatmap-chart.ts';
import { COHORT_METRICS, METRIC_LABEL, readCohorts, type CohortChartData } from './cohort-data.ts';
import { xyChart, type XYSeries } from './xy.ts';

/**
 * Retention curves: one line per acquisition cohort, the share of the cohort active (or revenue
 * retention, active customers, revenue) against periods since acquisition. A line stops at the
 * last complete period: censored cells have no value, and partly observed ones (status
 * `'partial'`, lower bounds) are left out so a curve never dips only because observation ended.
 * Takes the table of `cohortRetention` (@crm/scoring) as it is.
 *
 * @throws {CrmError} `invalid_input` when there are no cohorts, a value is neither a finite number
 * nor null, or no cohort has an observed period; `invalid_argument` for a bad option.
 * @example
 * ```ts
 * import { retentionCurvesChart } from '@crm/core/charts';
 * const chart = retentionCurvesChart(
 *   {
 *     cohorts: [
 *       { label: '2024-01', retention: [1, 0.42, 0.35, 0.31] },
 *       { label: '2024-02', retention: [1, 0.38, 0.33, null] },
 *     ],
 *   },
 *   { xLabel: 'Months since first purchase' },
 * );
 * ```
 */
export function retentionCurvesChart(data: CohortChartData, options?: CohortChartOptions): Chart {
  const o = readChartOptions(options, 'retentionCurvesChart', [...AXIS_KEYS, 'metric']);
  const metric = enumOption(o as Record<string, unknown>, 'metric', 'retention', COHORT_METRICS);
  const cohorts = readCohorts(data, metric);
  const series: XYSeries[] = [];
  for (const c of cohorts) {
    const x: number[] = [];
    const y: number[] = [];
    for (let k = 0; k < c.values.length; k++) {
      const v = c.values[k];
      if (v === null || v === undefined || c.partial[k]) break;
      x.push(k);
      y.push(v);
    }
    if (x.length > 0) series.push({ label: c.label, x, y });
  }
  if (series.length === 0) throw new CrmError('invalid_input', 'no cohort has a completely observed period: nothing to draw', ['cohorts']);
  const what = METRIC_LABEL[metric];
  const r = resolveOptions(o, 640, 400, `Retention curves: ${what.split(' (')[0]!.toLowerCase()} by cohort`);
  return xyChart(r, {
    series,
    xLabel: o.xLabel ?? 'Periods since acquisition',
    yLabel: o.yLabel ?? what,
    yInclude: 0,
    ...(metric === 'retention' ? { yDomain: [0, 1] as const } : {}),
    markers: series.every((s) => s.x.length <= 30),
    integerX: true,
    legendAt: 'top-right',
    summary: `${what} of ${series.length} cohorts over periods since acquisition; lines stop at each cohort's last complete period.`,
  });
}
