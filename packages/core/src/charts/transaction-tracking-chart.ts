import { CrmError } from '../errors.ts';
import { AXIS_KEYS, readChartOptions, resolveOptions, type AxisChartOptions, type Chart } from './chart.ts';
import { xyChart } from './xy.ts';
import { numbers, sameLength } from './validate.ts';

/**
 * Cumulative repeat transactions of a cohort by period, actual and expected
 * (`transactionTracking` of `@crm/scoring` returns this shape).
 *
 * @example
 * ```ts
 * import type { TransactionTrackingData } from '@crm/core/charts';
 * const data: TransactionTrackingData = { period: [0, 1, 2], actual: [0, 3, 9], expected: [0.5, 3.4, 8.2], calibrationEnd: 1 };
 * ```
 */
export interface TransactionTrackingData {
  /** Period indices (increasing). */
  readonly period: ArrayLike<number>;
  /** Cumulative repeat transactions observed by the end of each period. */
  readonly actual: ArrayLike<number>;
  /** Cumulative repeat transactions the model expects by then. */
  readonly expected: ArrayLike<number>;
  /** Period where the calibration ends, marked by a vertical line (`null` or absent: none). */
  readonly calibrationEnd?: number | null | undefined;
}

/**
 * Options of {@link transactionTrackingChart}.
 *
 * @example
 * ```ts
 * import type { TransactionTrackingChartOptions } from '@crm/core/charts';
 * const options: TransactionTrackingChartOptions = { incremental: true, xLabel: 'Week' };
 * ```
 */
export interface TransactionTrackingChartOptions extends AxisChartOptions {
  /** Draw transactions per period (differences of the cumulative counts) instead of the cumulative counts (default false). */
  readonly incremental?: boolean | undefined;
}

/**
 * Tracking of repeat transactions over calendar time, actual against expected, with the end of
 * the calibration period marked (Fader, Hardie & Lee 2005, Figures 2 and 3; lifetimes'
 * `plot_cumulative_transactions` and `plot_incremental_transactions`). Cumulative by default; with
 * `incremental: true` per period, where seasonality and trends the model cannot know show up.
 *
 * @throws {CrmError} `invalid_input` when values are not finite or arrays differ in length,
 * `invalid_argument` for a bad option.
 * @example
 * ```ts
 * import { transactionTrackingChart } from '@crm/core/charts';
 * const data = { period: [0, 1, 2, 3, 4], actual: [0, 4, 9, 13, 16], expected: [1, 4.5, 8.5, 12, 15.8], calibrationEnd: 2 };
 * const cumulative = transactionTrackingChart(data);
 * const weekly = transactionTrackingChart(data, { incremental: true });
 * ```
 * @see Fader, Hardie & Lee (2005), https://doi.org/10.1287/mksc.1040.0098
 */
export function transactionTrackingChart(data: TransactionTrackingData, options?: TransactionTrackingChartOptions): Chart {
  const o = readChartOptions(options, 'transactionTrackingChart', [...AXIS_KEYS, 'incremental']);
  if (o.incremental !== undefined && typeof o.incremental !== 'boolean') {
    throw new CrmError('invalid_argument', 'transactionTrackingChart: options.incremental must be a boolean', ['options', 'incremental']);
  }
  if (data === null || typeof data !== 'object') throw new CrmError('invalid_input', 'transactionTrackingChart: data must be { period, actual, expected }', []);
  const x = numbers(data.period, ['period'], 'period');
  let actual = numbers(data.actual, ['actual'], 'actual');
  let expected = numbers(data.expected, ['expected'], 'expected');
  sameLength(x, actual, ['actual'], 'period/actual');
  sameLength(x, expected, ['expected'], 'period/expected');
  const end = data.calibrationEnd;
  if (end !== undefined && end !== null && (typeof end !== 'number' || !Number.isFinite(end))) {
    throw new CrmError('invalid_input', `calibrationEnd must be a finite number or null, got ${String(end)}`, ['calibrationEnd']);
  }
  const incremental = o.incremental === true;
  if (incremental) {
    const diff = (xs: number[]): number[] => xs.map((v, k) => (k === 0 ? v : v - (xs[k - 1] as number)));
    actual = diff(actual);
    expected = diff(expected);
  }
  const what = incremental ? 'Repeat transactions per period' : 'Cumulative repeat transactions';
  const r = resolveOptions(o, 720, 400, incremental ? 'Tracking incremental transactions' : 'Tracking cumulative transactions');
  return xyChart(r, {
    series: [
      { label: 'Actual', x, y: actual },
      { label: 'Expected', x, y: expected },
    ],
    xLabel: o.xLabel ?? 'Period',
    yLabel: o.yLabel ?? what,
    yInclude: 0,
    markers: x.length <= 30,
    integerX: true,
    highlightX: typeof end === 'number' ? { x: end, label: 'calibration end' } : undefined,
    legendAt: incremental ? 'top-right' : 'top-left',
    summary: `${what}, actual and expected, over ${x.length} periods${typeof end === 'number' ? `, calibration ending at period ${end}` : ''}.`,
  });
}
