import { CrmError } from '../errors.ts';
import { AXIS_KEYS, readChartOptions, resolveOptions, type AxisChartOptions, type Chart } from './chart.ts';
import { xyChart } from './xy.ts';
import { numbers, sameLength } from './validate.ts';

/**
 * One customer's P(alive) by period since their first purchase, and when they bought
 * (`aliveHistory` of `@crm/scoring` returns this shape).
 *
 * @example
 * ```ts
 * import type { AliveHistoryData } from '@crm/core/charts';
 * const data: AliveHistoryData = { period: [0, 1, 2, 3], probabilityAlive: [1, 1, 0.9, 0.8], purchased: [true, false, true, false] };
 * ```
 */
export interface AliveHistoryData {
  /** Periods since the first purchase (increasing). */
  readonly period: ArrayLike<number>;
  /** P(alive) at the end of each period, in [0, 1]. */
  readonly probabilityAlive: ArrayLike<number>;
  /** Whether the customer bought in each period (marked by a dashed line); optional. */
  readonly purchased?: readonly boolean[] | undefined;
}

/**
 * A customer's P(alive) through their history (lifetimes' `plot_history_alive`): the line falls
 * while the customer is silent and jumps back at each purchase (dashed lines, labelled at the first). How fast it falls
 * after the last purchase is when the model stops counting on the customer.
 *
 * @throws {CrmError} `invalid_input` when values are not finite, outside [0, 1] or of different lengths.
 * @example
 * ```ts
 * import { aliveHistoryChart } from '@crm/core/charts';
 * const chart = aliveHistoryChart({
 *   period: [0, 1, 2, 3, 4, 5], probabilityAlive: [1, 1, 0.95, 0.97, 0.9, 0.84],
 *   purchased: [true, false, true, false, false, false],
 * }, { xLabel: 'Weeks since first purchase' });
 * ```
 */
export function aliveHistoryChart(data: AliveHistoryData, options?: AxisChartOptions): Chart {
  const o = readChartOptions(options, 'aliveHistoryChart', AXIS_KEYS);
  if (data === null || typeof data !== 'object') throw new CrmError('invalid_input', 'aliveHistoryChart: data must be { period, probabilityAlive }', []);
  const x = numbers(data.period, ['period'], 'period');
  const p = numbers(data.probabilityAlive, ['probabilityAlive'], 'probabilityAlive');
  sameLength(x, p, ['probabilityAlive'], 'period/probabilityAlive');
  p.forEach((v, i) => {
    if (v < 0 || v > 1) throw new CrmError('invalid_input', `probabilityAlive[${i}] is ${v}; probabilities lie in [0, 1]`, ['probabilityAlive', i]);
  });
  const bought = data.purchased;
  if (bought !== undefined && (!Array.isArray(bought) || bought.length !== x.length || bought.some((b) => typeof b !== 'boolean'))) {
    throw new CrmError('invalid_input', `purchased must be ${x.length} booleans, one per period`, ['purchased']);
  }
  const r = resolveOptions(o, 720, 360, 'History of P(alive)');
  return xyChart(r, {
    series: [{ label: 'P(alive)', x, y: p }],
    xLabel: o.xLabel ?? 'Periods since the first purchase',
    yLabel: o.yLabel ?? 'P(alive)',
    yDomain: [0, 1],
    markers: false,
    highlightX: bought ? { x: x.filter((_, i) => bought[i] === true), label: 'purchases' } : undefined,
    legendAt: 'bottom-left',
    summary: `P(alive) over ${x.length} periods${bought ? `, ${bought.filter(Boolean).length} periods with purchases` : ''}.`,
  });
}
