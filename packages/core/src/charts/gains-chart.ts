import { AXIS_KEYS, readChartOptions, resolveOptions, type AxisChartOptions, type Chart } from './chart.ts';
import { checkUnit, fromOrigin } from './unit.ts';
import { readSeries, xyChart } from './xy.ts';

/**
 * One cumulative gains curve: after contacting the top `fraction` of customers ranked by the
 * model, the share `gain` of all positives (churners, buyers) reached.
 *
 * @example
 * ```ts
 * import type { GainsSeries } from '@crm/core/charts';
 * const s: GainsSeries = { label: 'forest', fraction: [0.1, 0.2, 0.5, 1], gain: [0.3, 0.52, 0.85, 1] };
 * ```
 */
export interface GainsSeries {
  /** Name in the legend. */
  readonly label?: string | undefined;
  /** Share of customers targeted, increasing, each in [0, 1] (a (0, 0) point is added if missing). */
  readonly fraction: ArrayLike<number>;
  /** Share of all positives among them, each in [0, 1]. */
  readonly gain: ArrayLike<number>;
}

/**
 * Cumulative gains chart: how much of the target a campaign reaches when it contacts the
 * customers the model ranks highest first, against random targeting (the diagonal).
 *
 * @throws {CrmError} `invalid_input` when a value is outside [0, 1] or arrays differ in length.
 * @example
 * ```ts
 * import { gainsChart } from '@crm/core/charts';
 * const deciles = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
 * const chart = gainsChart({ label: 'forest', fraction: deciles, gain: [0.3, 0.52, 0.68, 0.8, 0.88, 0.93, 0.96, 0.98, 0.99, 1] });
 * ```
 * @see Berry & Linoff, "Data Mining Techniques" (3rd ed., 2011), ch. 5 (cumulative gains and lift)
 */
export function gainsChart(data: GainsSeries | readonly GainsSeries[], options?: AxisChartOptions): Chart {
  const o = readChartOptions(options, 'gainsChart', AXIS_KEYS);
  const series = readSeries(data, 'fraction', 'gain', 'gains curves').map(fromOrigin);
  checkUnit(series, 'fraction', 'gain');
  const r = resolveOptions(o, 560, 460, 'Cumulative gains');
  return xyChart(r, {
    series,
    xLabel: o.xLabel ?? 'Share of customers contacted',
    yLabel: o.yLabel ?? 'Share of positives reached',
    xDomain: [0, 1],
    yDomain: [0, 1],
    reference: { label: 'random targeting', x: [0, 1], y: [0, 1] },
    markers: series.every((s) => s.x.length <= 21),
    legendAt: 'bottom-right',
    summary: `Cumulative gains of ${series.map((s) => s.label || 'a model').join(', ')} against random targeting.`,
  });
}
