import { AXIS_KEYS, readChartOptions, resolveOptions, type AxisChartOptions, type Chart } from './chart.ts';
import { readSeries, xyChart } from './xy.ts';

/**
 * Purchases over time: a model's expectation or what was observed.
 *
 * @example
 * ```ts
 * import type { PurchasesSeries } from '@crm/core/charts';
 * const s: PurchasesSeries = { label: 'BG/NBD expected', t: [0, 13, 26, 39], purchases: [0, 420, 780, 1100] };
 * ```
 */
export interface PurchasesSeries {
  /** Name in the legend ("actual", "BG/NBD expected", …). */
  readonly label?: string | undefined;
  /** Times, increasing, in the model's period (weeks, days). */
  readonly t: ArrayLike<number>;
  /** Cumulative (or per-period) purchases at each time. */
  readonly purchases: ArrayLike<number>;
}

/**
 * Expected purchases over time from a CLV model (BG/NBD, Pareto/NBD, …), usually beside the
 * observed purchases, calibration and holdout periods alike (the check Fader, Hardie & Lee 2005
 * show in their Figure 3).
 *
 * @throws {CrmError} `invalid_input` when values are not finite or arrays differ in length.
 * @example
 * ```ts
 * import { expectedPurchasesChart } from '@crm/core/charts';
 * const weeks = [0, 13, 26, 39, 52, 65, 78];
 * const chart = expectedPurchasesChart(
 *   [
 *     { label: 'actual', t: weeks, purchases: [0, 900, 1700, 2300, 2900, 3400, 3900] },
 *     { label: 'BG/NBD', t: weeks, purchases: [0, 880, 1690, 2330, 2880, 3380, 3850] },
 *   ],
 *   { xLabel: 'Weeks since start' },
 * );
 * ```
 * @see Fader, Hardie & Lee (2005), https://doi.org/10.1287/mksc.1040.0098
 */
export function expectedPurchasesChart(data: PurchasesSeries | readonly PurchasesSeries[], options?: AxisChartOptions): Chart {
  const o = readChartOptions(options, 'expectedPurchasesChart', AXIS_KEYS);
  const series = readSeries(data, 't', 'purchases', 'purchase series');
  const r = resolveOptions(o, 640, 400, 'Purchases over time');
  return xyChart(r, {
    series,
    xLabel: o.xLabel ?? 'Time (periods)',
    yLabel: o.yLabel ?? 'Cumulative purchases',
    yInclude: 0,
    markers: series.every((s) => s.x.length <= 30),
    legendAt: 'top-left',
    summary: `Purchases over time: ${series.map((s) => s.label || 'series').join(', ')}.`,
  });
}
