import { CrmError } from '../errors.ts';
import { formatValue } from './format.ts';
import type { XYSeries } from './xy.ts';

/** Checks the `chosenK` option against the k values of a series. */
export function chosen(k: unknown, series: XYSeries): { x: number; label: string } | undefined {
  if (k === undefined) return undefined;
  if (typeof k !== 'number' || !series.x.includes(k)) {
    throw new CrmError('invalid_argument', `options.chosenK (${String(k)}) must be one of the k values given`, ['options', 'chosenK']);
  }
  return { x: k, label: `k = ${formatValue(k)}` };
}

/** Checks that k values are whole numbers ≥ 1. */
export function checkK(series: XYSeries): void {
  const bad = series.x.findIndex((v) => !Number.isInteger(v) || v < 1);
  if (bad >= 0) throw new CrmError('invalid_input', `k[${bad}] is ${series.x[bad]}; numbers of clusters are whole numbers ≥ 1`, ['k', bad]);
}
