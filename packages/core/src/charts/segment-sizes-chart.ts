import { CrmError } from '../errors.ts';
import { barChart } from './bars.ts';
import { readChartOptions, resolveOptions, type ChartOptions, type Chart } from './chart.ts';
import { formatValue } from './format.ts';
import { list } from './validate.ts';

/**
 * One segment and how many customers it holds.
 *
 * @example
 * ```ts
 * import type { SegmentSize } from '@crm/core/charts';
 * const s: SegmentSize = { label: 'Champions', count: 412 };
 * ```
 */
export interface SegmentSize {
  /** Segment name. */
  readonly label: string;
  /** Customers in it (non-negative). */
  readonly count: number;
}

/**
 * Segment sizes as horizontal bars with counts and shares, in the order given (sort first if
 * you want largest first).
 *
 * @throws {CrmError} `invalid_input` when the list is empty or a count is negative or not finite.
 * @example
 * ```ts
 * import { segmentSizesChart } from '@crm/core/charts';
 * const chart = segmentSizesChart([
 *   { label: 'Champions', count: 412 },
 *   { label: 'Loyal', count: 655 },
 *   { label: 'At risk', count: 530 },
 *   { label: 'Lost', count: 760 },
 * ]);
 * ```
 */
export function segmentSizesChart(data: readonly SegmentSize[], options?: ChartOptions): Chart {
  const o = readChartOptions(options, 'segmentSizesChart', []);
  const items = list(data, [], 'segments');
  const counts = items.map((s, i) => {
    const c = s?.count;
    if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) {
      throw new CrmError('invalid_input', `segments[${i}].count is ${String(c)}; it must be a non-negative number`, [i, 'count']);
    }
    return c;
  });
  const names = items.map((s, i) => (s.label === undefined ? `segment ${i + 1}` : String(s.label)));
  const total = counts.reduce((a, b) => a + b, 0);
  const share = (i: number): string => (total > 0 ? `${(((counts[i] ?? 0) / total) * 100).toFixed(1)}%` : '0%');
  const r = resolveOptions(o, 600, Math.max(200, 100 + 30 * items.length), 'Customers per segment');
  return barChart(r, {
    labels: names,
    values: counts,
    valueText: (i) => `${formatValue(counts[i] ?? 0)} (${share(i)})`,
    tooltip: (i) => `${names[i]}: ${formatValue(counts[i] ?? 0)} customers, ${share(i)}`,
    xLabel: 'Customers',
    color: '#0072B2',
    summary: `${formatValue(total)} customers in ${items.length} segments.`,
  });
}
