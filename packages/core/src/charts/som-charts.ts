import { CrmError } from '../errors.ts';
import { readChartOptions, resolveOptions, type ChartOptions, type Chart } from './chart.ts';
import { formatValue } from './format.ts';
import { gridChart } from './grid.ts';
import { matrix } from './validate.ts';

/**
 * A SOM's unified distance matrix: `distances[row][col]` is the mean distance of that node's
 * weight vector to its grid neighbours.
 *
 * @example
 * ```ts
 * import type { UMatrixData } from '@crm/core/charts';
 * const data: UMatrixData = { distances: [[0.2, 0.9], [0.3, 1.1]] };
 * ```
 */
export interface UMatrixData {
  /** One row per SOM grid row, one value per node, non-negative. */
  readonly distances: readonly ArrayLike<number>[];
}

/**
 * How many customers map to each SOM node: `counts[row][col]`.
 *
 * @example
 * ```ts
 * import type { HitMapData } from '@crm/core/charts';
 * const data: HitMapData = { counts: [[12, 0], [3, 40]] };
 * ```
 */
export interface HitMapData {
  /** One row per SOM grid row, one count per node, non-negative. */
  readonly counts: readonly ArrayLike<number>[];
}

function nonNegative(values: readonly (readonly number[])[], name: string): void {
  values.forEach((row, i) =>
    row.forEach((v, j) => {
      if (v < 0) throw new CrmError('invalid_input', `${name}[${i}][${j}] is ${v}; it cannot be negative`, [name, i, j]);
    }),
  );
}

/**
 * Options of {@link somUMatrixChart} and {@link somHitMapChart}.
 *
 * @example
 * ```ts
 * import type { SomChartOptions } from '@crm/core/charts';
 * const options: SomChartOptions = { hexagonal: true };
 * ```
 */
export interface SomChartOptions extends ChartOptions {
  /** Draw hexagonal units with odd rows shifted right by half a unit, as a hexagonal SOM lays them out (default false: squares). */
  readonly hexagonal?: boolean | undefined;
}

function hexagonalOption(options: SomChartOptions | undefined): boolean {
  const h = options?.hexagonal ?? false;
  if (typeof h !== 'boolean') throw new CrmError('invalid_argument', 'options.hexagonal must be a boolean', ['options', 'hexagonal']);
  return h;
}

/**
 * SOM U-matrix: dark cells are far from their neighbours (borders between clusters), light
 * cells lie inside a cluster.
 *
 * @throws {CrmError} `invalid_input` when the grid is empty, ragged, negative or non-finite.
 * @example
 * ```ts
 * import { somUMatrixChart } from '@crm/core/charts';
 * const chart = somUMatrixChart({ distances: [[0.2, 0.3, 1.2], [0.25, 0.9, 1.0], [1.1, 0.3, 0.2]] });
 * const hex = somUMatrixChart({ distances: [[0.2, 0.3], [0.25, 0.9]] }, { hexagonal: true });
 * ```
 * @see Ultsch & Siemon (1990), "Kohonen's self organizing feature maps for exploratory data analysis"
 */
export function somUMatrixChart(data: UMatrixData, options?: SomChartOptions): Chart {
  const o = readChartOptions(options, 'somUMatrixChart', ['hexagonal']);
  const values = matrix(data?.distances, ['distances'], 'distances');
  nonNegative(values, 'distances');
  const rows = values.length;
  const cols = values[0]?.length ?? 0;
  const r = resolveOptions(o, 520, 460, 'SOM U-matrix (distance to neighbours)');
  return gridChart(r, {
    values,
    rowLabels: values.map((_, i) => String(i)),
    colLabels: (values[0] ?? []).map((_, j) => String(j)),
    xLabel: 'SOM column',
    yLabel: 'SOM row',
    scheme: 'sequential',
    legendLabel: 'mean distance',
    annotate: false,
    hexagonal: hexagonalOption(o),
    tooltip: (i, j) => `node (${i}, ${j}): mean distance ${formatValue(values[i]?.[j] ?? 0)}`,
    summary: `U-matrix of a ${rows} by ${cols} self-organizing map.`,
  });
}

/**
 * SOM hit map: customers per node. Empty nodes sit between clusters; crowded ones are the
 * common customer types.
 *
 * @throws {CrmError} `invalid_input` when the grid is empty, ragged, negative or non-finite.
 * @example
 * ```ts
 * import { somHitMapChart } from '@crm/core/charts';
 * const chart = somHitMapChart({ counts: [[12, 0, 3], [8, 25, 1], [0, 4, 30]] });
 * ```
 * @see Kohonen (2001), "Self-Organizing Maps", 3rd ed., Springer
 */
export function somHitMapChart(data: HitMapData, options?: SomChartOptions): Chart {
  const o = readChartOptions(options, 'somHitMapChart', ['hexagonal']);
  const values = matrix(data?.counts, ['counts'], 'counts');
  nonNegative(values, 'counts');
  const total = values.flat().reduce((a, b) => a + b, 0);
  const r = resolveOptions(o, 520, 460, 'SOM hit map (customers per node)');
  return gridChart(r, {
    values,
    rowLabels: values.map((_, i) => String(i)),
    colLabels: (values[0] ?? []).map((_, j) => String(j)),
    xLabel: 'SOM column',
    yLabel: 'SOM row',
    scheme: 'sequential',
    colorDomain: [0, Math.max(...values.flat(), 1)],
    legendLabel: 'customers',
    annotate: 'auto',
    hexagonal: hexagonalOption(o),
    tooltip: (i, j) => `node (${i}, ${j}): ${formatValue(values[i]?.[j] ?? 0)} customers`,
    summary: `${formatValue(total)} customers over a ${values.length} by ${values[0]?.length} map.`,
  });
}
