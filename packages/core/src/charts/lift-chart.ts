import { CrmError } from '../errors.ts';
import { AXIS_KEYS, readChartOptions, resolveOptions, type AxisChartOptions, type Chart } from './chart.ts';
import { readSeries, xyChart } from './xy.ts';

/**
 * One lift curve: among the top `fraction` of customers ranked by the model, how many times the
 * average rate of positives they hold.
 *
 * @example
 * ```ts
 * import type { LiftSeries } from '@crm/core/charts';
 * const s: LiftSeries = { label: 'forest', fraction: [0.1, 0.5, 1], lift: [3, 1.7, 1] };
 * ```
 */
export interface LiftSeries {
  /** Name in the legend. */
  readonly label?: string | undefined;
  /** Share of customers targeted, each in (0, 1]. */
  readonly fraction: ArrayLike<number>;
  /** Lift at that share (1 = no better than random), non-negative. */
  readonly lift: ArrayLike<number>;
}

/**
 * Cumulative lift chart: how much richer in positives the customers the model ranks first are
 * than a random pick (lift 1, the grey line).
 *
 * @throws {CrmError} `invalid_input` when a fraction is outside (0, 1], a lift is negative, or arrays differ in length.
 * @example
 * ```ts
 * import { liftChart } from '@crm/core/charts';
 * const chart = liftChart({ label: 'forest', fraction: [0.1, 0.2, 0.3, 0.5, 1], lift: [3.0, 2.6, 2.3, 1.76, 1] });
 * ```
 * @see Berry & Linoff, "Data Mining Techniques" (3rd ed., 2011), ch. 5 (cumulative gains and lift)
 */
export function liftChart(data: LiftSeries | readonly LiftSeries[], options?: AxisChartOptions): Chart {
  const o = readChartOptions(options, 'liftChart', AXIS_KEYS);
  const series = readSeries(data, 'fraction', 'lift', 'lift curves');
  series.forEach((s, i) => {
    const bad = s.x.findIndex((v) => !(v > 0 && v <= 1));
    if (bad >= 0) throw new CrmError('invalid_input', `fraction[${bad}] of series ${i} is ${s.x[bad]}; it must lie in (0, 1]`, [i, 'fraction', bad]);
    const neg = s.y.findIndex((v) => v < 0);
    if (neg >= 0) throw new CrmError('invalid_input', `lift[${neg}] of series ${i} is ${s.y[neg]}; lift cannot be negative`, [i, 'lift', neg]);
  });
  const r = resolveOptions(o, 560, 420, 'Cumulative lift');
  return xyChart(r, {
    series,
    xLabel: o.xLabel ?? 'Share of customers contacted',
    yLabel: o.yLabel ?? 'Lift over random',
    xDomain: [0, 1],
    yInclude: 0,
    reference: { label: 'random (lift 1)', x: [0, 1], y: [1, 1] },
    markers: series.every((s) => s.x.length <= 21),
    legendAt: 'top-right',
    summary: `Cumulative lift of ${series.map((s) => s.label || 'a model').join(', ')}.`,
  });
}
