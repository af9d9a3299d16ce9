import { readChartOptions, resolveOptions, type ChartOptions, type Chart } from './chart.ts';
import { formatValue } from './format.ts';
import { frequencyRecencyGrid, readFrequencyRecency } from './frequency-recency-grid.ts';

/**
 * A value for each frequency (rows) and recency (columns): expected purchases, P(alive), CLV
 * (`frequencyRecencyMatrix` of `@crm/scoring` returns the frequency and recency axes and the
 * matrices).
 *
 * @example
 * ```ts
 * import type { PurchaseMatrixData } from '@crm/core/charts';
 * const data: PurchaseMatrixData = { frequency: [0, 1], recency: [0, 10], values: [[0.05, 0.05], [0.02, 0.4]] };
 * ```
 */
export interface PurchaseMatrixData {
  /** Repeat-purchase counts, one per row. */
  readonly frequency: ArrayLike<number>;
  /** Recency values (time from the first to the last purchase), one per column. */
  readonly recency: ArrayLike<number>;
  /** Any finite values: one row per frequency, one value per recency. */
  readonly values: readonly ArrayLike<number>[];
}

/**
 * Options of {@link purchaseMatrixChart}.
 *
 * @example
 * ```ts
 * import type { PurchaseMatrixOptions } from '@crm/core/charts';
 * const options: PurchaseMatrixOptions = { valueLabel: 'Expected purchases next week', periodLabel: 'weeks' };
 * ```
 */
export interface PurchaseMatrixOptions extends ChartOptions {
  /** What the values are, shown on the colour bar (default "Expected purchases"). */
  readonly valueLabel?: string | undefined;
  /** Unit of recency shown in the axis label ("weeks", "days"). */
  readonly periodLabel?: string | undefined;
}

/**
 * A frequency/recency heat map of any model output (Fader, Hardie & Lee 2005, Figure 5; lifetimes'
 * `plot_frequency_recency_matrix`): the expected purchases in the next period, P(alive) or CLV for
 * each frequency (rows, low at the bottom) and recency (columns). Unlike
 * `probabilityAliveChart`, which checks that its values are probabilities, the colour scale spans
 * whatever finite values are given, so expected purchases above 1 draw too. The best customers sit
 * at the top right (many purchases, the last one recent).
 *
 * @throws {CrmError} `invalid_input` when sizes do not match or a value is not finite.
 * @example
 * ```ts
 * import { purchaseMatrixChart } from '@crm/core/charts';
 * const frequency = [0, 1, 2, 3];
 * const recency = [0, 10, 20, 30];
 * const values = frequency.map((f) => recency.map((r) => (f === 0 ? 0.05 : f * (r / 30) ** 4)));
 * const chart = purchaseMatrixChart({ frequency, recency, values }, { valueLabel: 'Expected purchases next week' });
 * ```
 * @see Fader, Hardie & Lee (2005), https://doi.org/10.1287/mksc.1040.0098
 */
export function purchaseMatrixChart(data: PurchaseMatrixData, options?: PurchaseMatrixOptions): Chart {
  const o = readChartOptions(options, 'purchaseMatrixChart', ['valueLabel', 'periodLabel']);
  const m = readFrequencyRecency(data, 'purchaseMatrixChart');
  const valueLabel = o.valueLabel ?? 'Expected purchases';
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of m.values) for (const v of row) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const r = resolveOptions(o, 640, 480, `${valueLabel}, by frequency and recency`);
  return frequencyRecencyGrid(r, m, o.periodLabel, {
    colorDomain: lo === hi ? [lo - 1, hi + 1] : [lo, hi],
    legendLabel: valueLabel,
    format: (v) => formatValue(v),
    describe: (v) => `${valueLabel} ${formatValue(v)}`,
    summary: `${valueLabel} for ${m.frequency.length} frequencies and ${m.recency.length} recencies, from ${formatValue(lo)} to ${formatValue(hi)}.`,
  });
}
