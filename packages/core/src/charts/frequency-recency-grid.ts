import { CrmError } from '../errors.ts';
import type { Chart, Resolved } from './chart.ts';
import { formatValue } from './format.ts';
import { gridChart } from './grid.ts';
import { matrix, numbers } from './validate.ts';

/** A frequency × recency matrix as the charts read it; internal. */
export interface FrequencyRecencyInput {
  readonly frequency: number[];
  readonly recency: number[];
  readonly values: number[][];
}

/** Reads `{ frequency, recency, values }`: one row of values per frequency, one value per recency; internal. */
export function readFrequencyRecency(data: unknown, where: string): FrequencyRecencyInput {
  if (data === null || typeof data !== 'object') throw new CrmError('invalid_input', `${where}: data must be { frequency, recency, values }`, []);
  const d = data as { frequency?: ArrayLike<number>; recency?: ArrayLike<number>; values?: readonly ArrayLike<number>[] };
  const frequency = numbers(d.frequency, ['frequency'], 'frequency');
  const recency = numbers(d.recency, ['recency'], 'recency');
  const values = matrix(d.values, ['values'], 'values');
  if (values.length !== frequency.length || values.some((row) => row.length !== recency.length)) {
    throw new CrmError('invalid_input', `values must be ${frequency.length} rows (one per frequency) of ${recency.length} values (one per recency), got ${values.length}×${values[0]?.length}`, ['values']);
  }
  return { frequency, recency, values };
}

/** How the cells of a frequency × recency grid read; internal. */
export interface FrequencyRecencyCells {
  readonly colorDomain: readonly [number, number];
  readonly legendLabel: string;
  readonly format: (v: number) => string;
  /** The value as the tooltip names it ("P(alive) 0.734"). */
  readonly describe: (v: number) => string;
  readonly summary: string;
}

/** The heat map of a frequency × recency matrix, frequencies bottom-up; internal. */
export function frequencyRecencyGrid(r: Resolved, m: FrequencyRecencyInput, period: string | undefined, cells: FrequencyRecencyCells): Chart {
  const { frequency, recency, values } = m;
  return gridChart(r, {
    values,
    rowLabels: frequency.map((f) => formatValue(f)),
    colLabels: recency.map((t) => formatValue(t)),
    xLabel: `Recency (time from first to last purchase${period ? `, ${period}` : ''})`,
    yLabel: 'Frequency (repeat purchases)',
    scheme: 'sequential',
    colorDomain: cells.colorDomain,
    legendLabel: cells.legendLabel,
    annotate: 'auto',
    format: cells.format,
    rowsBottomUp: true,
    tooltip: (i, j) => `frequency ${formatValue(frequency[i] ?? 0)}, recency ${formatValue(recency[j] ?? 0)}: ${cells.describe(values[i]?.[j] ?? 0)}`,
    summary: cells.summary,
  });
}
