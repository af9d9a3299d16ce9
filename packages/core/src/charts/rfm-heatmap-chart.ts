import { readChartOptions, resolveOptions, type ChartOptions, type Chart } from './chart.ts';
import { formatValue } from './format.ts';
import { gridChart } from './grid.ts';
import { labels, matrix } from './validate.ts';

/**
 * An R × F grid: `values[r][f]` is the count (or total value) of customers with recency score
 * `r + 1` and frequency score `f + 1`.
 *
 * @example
 * ```ts
 * import type { RfmHeatmapData } from '@crm/core/charts';
 * const data: RfmHeatmapData = { values: [[30, 5], [12, 40]], valueLabel: 'customers' };
 * ```
 */
export interface RfmHeatmapData {
  /** One row per recency score (score 1 first), one column per frequency score. */
  readonly values: readonly ArrayLike<number>[];
  /** What a cell counts or sums ("customers", "revenue"). Default "customers". */
  readonly valueLabel?: string | undefined;
  /** Row labels; default `R1`, `R2`, … */
  readonly recencyLabels?: readonly string[] | undefined;
  /** Column labels; default `F1`, `F2`, … */
  readonly frequencyLabels?: readonly string[] | undefined;
}

/**
 * RFM heatmap: customers (or their value) by recency score (rows, best on top) and frequency
 * score (columns). The top-right corner holds recent frequent buyers ("champions"); the bottom
 * left, lapsed one-off buyers.
 *
 * @throws {CrmError} `invalid_input` when the grid is empty, ragged or holds non-finite values.
 * @example
 * ```ts
 * import { rfmHeatmapChart } from '@crm/core/charts';
 * const chart = rfmHeatmapChart({
 *   values: [
 *     [220, 60, 10],
 *     [150, 90, 40],
 *     [80, 110, 160],
 *   ],
 * });
 * ```
 * @see Hughes (1994), "Strategic Database Marketing" (RFM scoring)
 */
export function rfmHeatmapChart(data: RfmHeatmapData, options?: ChartOptions): Chart {
  const o = readChartOptions(options, 'rfmHeatmapChart', []);
  const values = matrix(data?.values, ['values'], 'values');
  const rowLabels = labels(data.recencyLabels, values.length, ['recencyLabels'], (i) => `R${i + 1}`);
  const colLabels = labels(data.frequencyLabels, values[0]?.length ?? 0, ['frequencyLabels'], (j) => `F${j + 1}`);
  const what = data.valueLabel ?? 'customers';
  const r = resolveOptions(o, 560, 440, `RFM grid: ${what} by recency and frequency score`);
  const total = values.flat().reduce((a, b) => a + b, 0);
  return gridChart(r, {
    values,
    rowLabels,
    colLabels,
    xLabel: 'Frequency score (higher = more orders)',
    yLabel: 'Recency score (higher = more recent)',
    scheme: 'sequential',
    legendLabel: what,
    annotate: 'auto',
    rowsBottomUp: true,
    tooltip: (i, j) => `${rowLabels[i]}, ${colLabels[j]}: ${formatValue(values[i]?.[j] ?? 0)} ${what}`,
    summary: `${what} in a ${values.length} by ${values[0]?.length} grid of recency and frequency scores; total ${formatValue(total)}.`,
  });
}
