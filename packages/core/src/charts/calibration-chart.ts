import { AXIS_KEYS, readChartOptions, resolveOptions, type AxisChartOptions, type Chart } from './chart.ts';
import { checkUnit } from './unit.ts';
import { readSeries, xyChart } from './xy.ts';

/**
 * One reliability curve: in each bin of predicted probability, the mean prediction and the
 * observed share of positives (as scikit-learn's `calibration_curve` returns them).
 *
 * @example
 * ```ts
 * import type { CalibrationSeries } from '@crm/core/charts';
 * const s: CalibrationSeries = { label: 'logistic', predicted: [0.1, 0.5, 0.9], observed: [0.12, 0.46, 0.85] };
 * ```
 */
export interface CalibrationSeries {
  /** Name in the legend. */
  readonly label?: string | undefined;
  /** Mean predicted probability per bin, each in [0, 1]. */
  readonly predicted: ArrayLike<number>;
  /** Observed share of positives per bin, each in [0, 1]. */
  readonly observed: ArrayLike<number>;
}

/**
 * Calibration (reliability) curve: do predicted probabilities mean what they say? Points on the
 * diagonal are perfectly calibrated; below it the model is over-confident.
 *
 * @throws {CrmError} `invalid_input` when a value is outside [0, 1] or arrays differ in length.
 * @example
 * ```ts
 * import { calibrationChart } from '@crm/core/charts';
 * const chart = calibrationChart({ label: 'forest', predicted: [0.05, 0.3, 0.55, 0.8], observed: [0.04, 0.26, 0.6, 0.71] });
 * ```
 * @see Niculescu-Mizil & Caruana (2005), "Predicting good probabilities with supervised learning", https://doi.org/10.1145/1102351.1102430
 */
export function calibrationChart(data: CalibrationSeries | readonly CalibrationSeries[], options?: AxisChartOptions): Chart {
  const o = readChartOptions(options, 'calibrationChart', AXIS_KEYS);
  const series = readSeries(data, 'predicted', 'observed', 'calibration curves');
  checkUnit(series, 'predicted', 'observed');
  const r = resolveOptions(o, 520, 460, 'Calibration');
  return xyChart(r, {
    series,
    xLabel: o.xLabel ?? 'Mean predicted probability',
    yLabel: o.yLabel ?? 'Observed share of positives',
    xDomain: [0, 1],
    yDomain: [0, 1],
    reference: { label: 'perfectly calibrated', x: [0, 1], y: [0, 1] },
    markers: true,
    legendAt: 'top-left',
    summary: `Observed against predicted probability for ${series.map((s) => s.label || 'a model').join(', ')}.`,
  });
}
