import { AXIS_KEYS, readChartOptions, resolveOptions, type AxisChartOptions, type Chart } from './chart.ts';
import { CrmError } from '../errors.ts';
import { checkUnit, withScore } from './unit.ts';
import { readSeries, xyChart } from './xy.ts';

/**
 * One precision–recall curve.
 *
 * @example
 * ```ts
 * import type { PrecisionRecallSeries } from '@crm/core/charts';
 * const s: PrecisionRecallSeries = { label: 'forest', recall: [0, 0.5, 1], precision: [1, 0.7, 0.27] };
 * ```
 */
export interface PrecisionRecallSeries {
  /** Name in the legend. */
  readonly label?: string | undefined;
  /** Recall values, each in [0, 1]. */
  readonly recall: ArrayLike<number>;
  /** Precision values, each in [0, 1], one per `recall`. */
  readonly precision: ArrayLike<number>;
  /** Average precision, shown in the legend when given. */
  readonly averagePrecision?: number | undefined;
}

/**
 * Options of {@link precisionRecallChart}.
 *
 * @example
 * ```ts
 * import type { PrecisionRecallOptions } from '@crm/core/charts';
 * const options: PrecisionRecallOptions = { baseline: 0.265 }; // share of churners
 * ```
 */
export interface PrecisionRecallOptions extends AxisChartOptions {
  /** Share of positives in the data: the precision of a random ranking, drawn as a reference line. */
  readonly baseline?: number | undefined;
}

/**
 * Precision–recall curves of one or more classifiers. With rare churners this shows more than
 * ROC: how many of the customers you would contact really leave, at each share of leavers found.
 *
 * @throws {CrmError} `invalid_input` when a value is outside [0, 1] or arrays differ in length.
 * @example
 * ```ts
 * import { precisionRecallChart } from '@crm/core/charts';
 * const chart = precisionRecallChart(
 *   { label: 'forest', recall: [0, 0.4, 0.8, 1], precision: [1, 0.72, 0.5, 0.27], averagePrecision: 0.64 },
 *   { baseline: 0.27 },
 * );
 * ```
 * @see Saito & Rehmsmeier (2015), https://doi.org/10.1371/journal.pone.0118432
 */
export function precisionRecallChart(data: PrecisionRecallSeries | readonly PrecisionRecallSeries[], options?: PrecisionRecallOptions): Chart {
  const o = readChartOptions(options, 'precisionRecallChart', [...AXIS_KEYS, 'baseline']);
  const raw = (Array.isArray(data) ? data : [data]) as readonly PrecisionRecallSeries[];
  const series = readSeries(raw, 'recall', 'precision', 'precision–recall curves').map((s, i) => ({ ...s, label: withScore(s.label, 'AP', raw[i]?.averagePrecision) }));
  checkUnit(series, 'recall', 'precision');
  const baseline = o.baseline;
  if (baseline !== undefined && !(typeof baseline === 'number' && baseline >= 0 && baseline <= 1)) {
    throw new CrmError('invalid_argument', `options.baseline must be the share of positives in [0, 1], got ${String(baseline)}`, ['options', 'baseline']);
  }
  const r = resolveOptions(o, 560, 460, 'Precision–recall curve');
  return xyChart(r, {
    series,
    xLabel: o.xLabel ?? 'Recall',
    yLabel: o.yLabel ?? 'Precision',
    xDomain: [0, 1],
    yDomain: [0, 1],
    reference: baseline === undefined ? undefined : { label: `random (${baseline.toFixed(2)})`, x: [0, 1], y: [baseline, baseline] },
    markers: false,
    legendAt: 'bottom-left',
    summary: `Precision against recall for ${series.map((s) => s.label || 'a model').join(', ')}.`,
  });
}
