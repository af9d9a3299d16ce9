import { CrmError } from '../errors.ts';
import { axis, drawAxes, scales, yAxisWidth, type Box } from './axes.ts';
import { AXIS_KEYS, createChart, readChartOptions, resolveOptions, TITLE_BAND, type AxisChartOptions, type Chart } from './chart.ts';
import { formatValue } from './format.ts';
import { legend } from './legend.ts';
import { CATEGORICAL, INK } from './palette.ts';
import { el, text, tip } from './svg.ts';
import { labels as readLabels, numbers, sameLength } from './validate.ts';

/**
 * Customers by number of repeat purchases, observed and expected (`periodTransactions` of
 * `@crm/scoring` returns this shape).
 *
 * @example
 * ```ts
 * import type { PeriodTransactionsData } from '@crm/core/charts';
 * const data: PeriodTransactionsData = { labels: ['0', '1', '2+'], actual: [1411, 439, 507], expected: [1408, 460, 489] };
 * ```
 */
export interface PeriodTransactionsData {
  /** Bin names ('0', '1', …, 'k+'); default 0, 1, …. */
  readonly labels?: readonly string[] | undefined;
  /** Customers observed in each bin (≥ 0). */
  readonly actual: ArrayLike<number>;
  /** Customers the model expects in each bin (≥ 0). */
  readonly expected: ArrayLike<number>;
}

const BOTTOM = 52;
const RIGHT = 16;

/**
 * Actual against expected numbers of customers with 0, 1, …, k+ repeat purchases in the
 * calibration period, as pairs of columns (Fader, Hardie & Lee 2005, Figure 1; lifetimes'
 * `plot_period_transactions`). The first check of a purchase model: columns of equal height mean
 * the model reproduces how purchases spread over customers.
 *
 * @throws {CrmError} `invalid_input` when counts are negative, not finite or of different lengths.
 * @example
 * ```ts
 * import { periodTransactionsChart } from '@crm/core/charts';
 * const chart = periodTransactionsChart({
 *   labels: ['0', '1', '2', '3+'], actual: [1411, 439, 214, 293], expected: [1408, 460, 192, 297],
 * });
 * String(chart).startsWith('<svg'); // true
 * ```
 * @see Fader, Hardie & Lee (2005), https://doi.org/10.1287/mksc.1040.0098
 */
export function periodTransactionsChart(data: PeriodTransactionsData, options?: AxisChartOptions): Chart {
  const o = readChartOptions(options, 'periodTransactionsChart', AXIS_KEYS);
  if (data === null || typeof data !== 'object') throw new CrmError('invalid_input', 'periodTransactionsChart: data must be { actual, expected }', []);
  const actual = numbers(data.actual, ['actual'], 'actual');
  const expected = numbers(data.expected, ['expected'], 'expected');
  sameLength(actual, expected, ['expected'], 'actual/expected');
  [actual, expected].forEach((xs, s) =>
    xs.forEach((v, i) => {
      if (v < 0) throw new CrmError('invalid_input', `${s === 0 ? 'actual' : 'expected'}[${i}] is ${v}; numbers of customers are ≥ 0`, [s === 0 ? 'actual' : 'expected', i]);
    }),
  );
  const names = readLabels(data.labels, actual.length, ['labels'], (i) => String(i));
  const r = resolveOptions(o, 640, 400, 'Customers by number of repeat purchases');
  const ya = axis(0, Math.max(...actual, ...expected), o.yLabel ?? 'Customers', Math.max(2, Math.round(r.height / 60)));
  const xa = { domain: [0, 1] as [number, number], ticks: [], labels: [], label: o.xLabel ?? 'Repeat purchases in the calibration period' };
  const left = yAxisWidth(ya) + 12;
  const box: Box = { x: left, y: TITLE_BAND + 12, w: r.width - left - RIGHT, h: r.height - TITLE_BAND - 12 - BOTTOM };
  if (box.w < 20 * actual.length || box.h < 40) {
    throw new CrmError('invalid_argument', `chart of ${r.width}×${r.height} px is too small for ${actual.length} bins; make it larger`, ['options']);
  }
  const { sy } = scales(box, xa, ya);
  const band = box.w / actual.length;
  const col = Math.min(28, band * 0.36);
  const colors = [CATEGORICAL[0] ?? INK, CATEGORICAL[1] ?? INK];
  let marks = '';
  actual.forEach((a, i) => {
    const cx = box.x + band * i + band / 2;
    [a, expected[i] ?? 0].forEach((v, s) => {
      const y = sy(v);
      const who = s === 0 ? 'actual' : 'expected';
      marks += el('rect', { class: `crm-bar crm-${who}`, x: cx - col - 1 + s * (col + 2), y, width: col, height: Math.max(0.5, sy(0) - y), fill: colors[s] }, tip(`${names[i]} repeat purchases, ${who}: ${formatValue(v)}`));
    });
    marks += text(cx, box.y + box.h + 16, names[i] ?? '', { 'text-anchor': 'middle', 'font-size': 11 });
  });
  const body =
    drawAxes(box, xa, ya) +
    `<g class="crm-marks">${marks}</g>` +
    legend([{ label: 'Actual', color: colors[0] as string, shape: 'square' }, { label: 'Expected', color: colors[1] as string, shape: 'square' }], box, 'top-right');
  const total = actual.reduce((s, v) => s + v, 0);
  return createChart(r, `Customers by repeat purchases, actual vs expected, ${actual.length} bins, ${formatValue(total)} customers.`, body);
}
