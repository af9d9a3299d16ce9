import { CrmError } from '../errors.ts';
import { readChartOptions, resolveOptions, type ChartOptions, type Chart } from './chart.ts';
import { frequencyRecencyGrid, readFrequencyRecency } from './frequency-recency-grid.ts';

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
  const m = readFrequencyRecency(data, 'probabilityAliveChart');
  m.values.forEach((row, i) =>
    row.forEach((v, j) => {
      if (v < 0 || v > 1) throw new CrmError('invalid_input', `values[${i}][${j}] is ${v}; probabilities lie in [0, 1]`, ['values', i, j]);
    }),
  );
  const r = resolveOptions(o, 600, 480, 'Probability a customer is alive, by frequency and recency');
  return frequencyRecencyGrid(r, m, o.periodLabel, {
    colorDomain: [0, 1],
    legendLabel: 'P(alive)',
    format: (v) => v.toFixed(2),
    describe: (v) => `P(alive) ${v.toFixed(3)}`,
    summary: `P(alive) for ${m.frequency.length} frequencies and ${m.recency.length} recencies.`,
  });
}
