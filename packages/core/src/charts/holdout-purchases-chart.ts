import { CrmError } from '../errors.ts';
import { AXIS_KEYS, readChartOptions, resolveOptions, type AxisChartOptions, type Chart } from './chart.ts';
import { xyChart } from './xy.ts';
import { numbers, sameLength } from './validate.ts';

/**
 * Mean holdout purchases by calibration frequency, actual and predicted (`holdoutPurchases` of
 * `@crm/scoring` returns this shape).
 *
 * @example
 * ```ts
 * import type { HoldoutPurchasesData } from '@crm/core/charts';
 * const data: HoldoutPurchasesData = { frequency: [0, 1, 2], actual: [0.24, 0.7, 1.4], predicted: [0.23, 0.67, 1.3] };
 * ```
 */
export interface HoldoutPurchasesData {
  /** Calibration-period repeat purchases of each group (increasing). */
  readonly frequency: ArrayLike<number>;
  /** Mean purchases the group made in the holdout period. */
  readonly actual: ArrayLike<number>;
  /** Mean purchases the model predicted for the group. */
  readonly predicted: ArrayLike<number>;
}

/**
 * Calibration-period purchases against holdout purchases (Fader, Hardie & Lee 2005, Figure 4;
 * lifetimes' `plot_calibration_purchases_vs_holdout_purchases`): for customers grouped by their
 * repeat purchases in the calibration period, the mean purchases they made in the holdout period
 * beside the model's prediction. Where the lines part, the model misjudges that group.
 *
 * @throws {CrmError} `invalid_input` when values are not finite or arrays differ in length.
 * @example
 * ```ts
 * import { holdoutPurchasesChart } from '@crm/core/charts';
 * const chart = holdoutPurchasesChart({ frequency: [0, 1, 2, 3], actual: [0.24, 0.7, 1.4, 2.1], predicted: [0.23, 0.67, 1.3, 2.2] });
 * String(chart).includes('Predicted'); // true
 * ```
 * @see Fader, Hardie & Lee (2005), https://doi.org/10.1287/mksc.1040.0098
 */
export function holdoutPurchasesChart(data: HoldoutPurchasesData, options?: AxisChartOptions): Chart {
  const o = readChartOptions(options, 'holdoutPurchasesChart', AXIS_KEYS);
  if (data === null || typeof data !== 'object') throw new CrmError('invalid_input', 'holdoutPurchasesChart: data must be { frequency, actual, predicted }', []);
  const x = numbers(data.frequency, ['frequency'], 'frequency');
  const actual = numbers(data.actual, ['actual'], 'actual');
  const predicted = numbers(data.predicted, ['predicted'], 'predicted');
  sameLength(x, actual, ['actual'], 'frequency/actual');
  sameLength(x, predicted, ['predicted'], 'frequency/predicted');
  const r = resolveOptions(o, 640, 400, 'Holdout purchases by calibration purchases');
  return xyChart(r, {
    series: [
      { label: 'Actual', x, y: actual },
      { label: 'Predicted', x, y: predicted },
    ],
    xLabel: o.xLabel ?? 'Repeat purchases in the calibration period',
    yLabel: o.yLabel ?? 'Mean purchases in the holdout period',
    yInclude: 0,
    markers: true,
    integerX: true,
    legendAt: 'top-left',
    summary: `Mean holdout purchases, actual and predicted, for ${x.length} calibration-frequency groups.`,
  });
}
