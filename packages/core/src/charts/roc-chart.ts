import { AXIS_KEYS, readChartOptions, resolveOptions, type AxisChartOptions, type Chart } from './chart.ts';
import { checkUnit, fromOrigin, withScore } from './unit.ts';
import { readSeries, xyChart } from './xy.ts';

/**
 * One ROC curve: false- and true-positive rates at decreasing thresholds, as scikit-learn's
 * `roc_curve` returns them.
 *
 * @example
 * ```ts
 * import type { RocSeries } from '@crm/core/charts';
 * const forest: RocSeries = { label: 'forest', fpr: [0, 0.2, 1], tpr: [0, 0.7, 1], auc: 0.75 };
 * ```
 */
export interface RocSeries {
  /** Name in the legend. */
  readonly label?: string | undefined;
  /** False-positive rates, each in [0, 1]. */
  readonly fpr: ArrayLike<number>;
  /** True-positive rates, each in [0, 1], one per `fpr`. */
  readonly tpr: ArrayLike<number>;
  /** Area under the curve, shown in the legend when given. */
  readonly auc?: number | undefined;
}

/**
 * ROC curves (true-positive rate against false-positive rate) of one or more classifiers, with
 * the chance diagonal. Use it to compare how well models rank churners above stayers at every
 * threshold.
 *
 * @param data One curve or a list of curves.
 * @throws {CrmError} `invalid_input` when a rate is outside [0, 1], not finite, or the arrays differ in length.
 * @example
 * ```ts
 * import { rocChart } from '@crm/core/charts';
 * const chart = rocChart([
 *   { label: 'forest', fpr: [0, 0.1, 0.3, 1], tpr: [0, 0.6, 0.85, 1], auc: 0.86 },
 *   { label: 'logistic', fpr: [0, 0.2, 0.5, 1], tpr: [0, 0.55, 0.8, 1], auc: 0.78 },
 * ]);
 * chart.svg; // '<svg …' with two curves and the diagonal
 * ```
 * @see Fawcett (2006), "An introduction to ROC analysis", https://doi.org/10.1016/j.patrec.2005.10.010
 */
export function rocChart(data: RocSeries | readonly RocSeries[], options?: AxisChartOptions): Chart {
  const o = readChartOptions(options, 'rocChart', AXIS_KEYS);
  const raw = (Array.isArray(data) ? data : [data]) as readonly RocSeries[];
  const series = readSeries(raw, 'fpr', 'tpr', 'ROC curves').map((s, i) => fromOrigin({ ...s, label: withScore(s.label, 'AUC', raw[i]?.auc) }));
  checkUnit(series, 'fpr', 'tpr');
  const r = resolveOptions(o, 560, 460, 'ROC curve');
  return xyChart(r, {
    series,
    xLabel: o.xLabel ?? 'False-positive rate',
    yLabel: o.yLabel ?? 'True-positive rate',
    xDomain: [0, 1],
    yDomain: [0, 1],
    reference: { label: 'chance', x: [0, 1], y: [0, 1] },
    markers: false,
    legendAt: 'bottom-right',
    summary: `ROC curves of ${series.map((s) => s.label || 'a model').join(', ')}.`,
  });
}
