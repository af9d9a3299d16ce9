import { CrmError } from '../errors.ts';
import { readChartOptions, resolveOptions, type ChartOptions, type Chart } from './chart.ts';
import { formatValue } from './format.ts';
import { gridChart } from './grid.ts';
import { matrix, numbers } from './validate.ts';

/**
 * P(alive) on a grid of purchase histories: `values[i][j]` is the probability that a customer
 * with `frequency[i]` repeat purchases and recency `recency[j]` is still active.
 *
 * @example
 * ```ts
 * import type { ProbabilityAliveData } from '@crm/core/charts';
 * const data: ProbabilityAliveData = { frequency: [0, 1], recency: [0, 10], values: [[1, 1], [0.3, 0.9]] };
 * ```
 */
export interface ProbabilityAliveData {
  /** Repeat-purchase counts, one per row. */
  readonly frequency: ArrayLike<number>;
  /** Recency values (time of last purchase since the first), one per column. */
  readonly recency: ArrayLike<number>;
  /** Probabilities in [0, 1]: one row per frequency, one value per recency. */
  readonly values: readonly ArrayLike<number>[];
}

/**
 * Options of {@link probabilityAliveChart}.
 *
 * @example
 * ```ts
 * import type { ProbabilityAliveOptions } from '@crm/core/charts';
 * const options: ProbabilityAliveOptions = { periodLabel: 'weeks' };
 * ```
 */
export interface ProbabilityAliveOptions extends ChartOptions {
  /** Unit of recency shown in the axis label ("weeks", "days"). */
  readonly periodLabel?: string | undefined;
}

/**
 * P(alive) matrix of a purchase model (BG/NBD, Pareto/NBD): for each frequency (rows, low at the
 * bottom) and recency (columns), the probability the customer is still active at the end of the
 * observation. Frequent buyers who have not bought lately are the ones to worry about.
 *
 * @throws {CrmError} `invalid_input` when sizes do not match or a value is outside [0, 1].
 * @example
 * ```ts
 * import { probabilityAliveChart } from '@crm/core/charts';
 * const frequency = [0, 1, 2, 3];
 * const recency = [0, 10, 20, 30];
 * const values = frequency.map((f) => recency.map((r) => (f === 0 ? 1 : Math.min(1, 0.2 + r / 30 * 0.8))));
 * const chart = probabilityAliveChart({ frequency, recency, values });
 * ```
 * @see Fader, Hardie & Lee (2005), https://doi.org/10.1287/mksc.1040.0098 (eq. 13)
 */
export function probabilityAliveChart(data: ProbabilityAliveData, options?: ProbabilityAliveOptions): Chart {
  const o = readChartOptions(options, 'probabilityAliveChart', ['periodLabel']);
  const frequency = numbers(data?.frequency, ['frequency'], 'frequency');
  const recency = numbers(data.recency, ['recency'], 'recency');
  const values = matrix(data.values, ['values'], 'values');
  if (values.length !== frequency.length || (values[0]?.length ?? 0) !== recency.length) {
    throw new CrmError('invalid_input', `values must be ${frequency.length} rows (one per frequency) of ${recency.length} values (one per recency), got ${values.length}×${values[0]?.length}`, ['values']);
  }
  values.forEach((row, i) =>
    row.forEach((v, j) => {
      if (v < 0 || v > 1) throw new CrmError('invalid_input', `values[${i}][${j}] is ${v}; probabilities lie in [0, 1]`, ['values', i, j]);
    }),
  );
  const period = o.periodLabel;
  const r = resolveOptions(o, 600, 480, 'Probability a customer is alive, by frequency and recency');
  return gridChart(r, {
    values,
    rowLabels: frequency.map((f) => formatValue(f)),
    colLabels: recency.map((t) => formatValue(t)),
    xLabel: `Recency (time from first to last purchase${period ? `, ${period}` : ''})`,
    yLabel: 'Frequency (repeat purchases)',
    scheme: 'sequential',
    colorDomain: [0, 1],
    legendLabel: 'P(alive)',
    annotate: 'auto',
    format: (v) => v.toFixed(2),
    rowsBottomUp: true,
    tooltip: (i, j) => `frequency ${formatValue(frequency[i] ?? 0)}, recency ${formatValue(recency[j] ?? 0)}: P(alive) ${(values[i]?.[j] ?? 0).toFixed(3)}`,
    summary: `P(alive) for ${frequency.length} frequencies and ${recency.length} recencies.`,
  });
}
