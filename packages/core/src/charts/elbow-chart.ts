import { AXIS_KEYS, readChartOptions, resolveOptions, type AxisChartOptions, type Chart } from './chart.ts';
import { checkK, chosen } from './choose-k.ts';
import { readSeries, xyChart } from './xy.ts';

/**
 * Within-cluster sum of squares for each number of clusters tried.
 *
 * @example
 * ```ts
 * import type { ElbowData } from '@crm/core/charts';
 * const data: ElbowData = { k: [1, 2, 3, 4], inertia: [400, 180, 120, 100] };
 * ```
 */
export interface ElbowData {
  /** Numbers of clusters, whole numbers ≥ 1. */
  readonly k: ArrayLike<number>;
  /** Within-cluster sum of squares (k-means inertia) for each k. */
  readonly inertia: ArrayLike<number>;
}

/**
 * Options of {@link elbowChart} and {@link silhouetteChart}.
 *
 * @example
 * ```ts
 * import type { ChooseKOptions } from '@crm/core/charts';
 * const options: ChooseKOptions = { chosenK: 5 };
 * ```
 */
export interface ChooseKOptions extends AxisChartOptions {
  /** The k you picked, marked with a vertical line. */
  readonly chosenK?: number | undefined;
}

/**
 * Elbow chart: k-means inertia against the number of clusters. The bend ("elbow") where adding
 * clusters stops paying off is a candidate k; read it with the silhouette chart.
 *
 * @throws {CrmError} `invalid_input` when k is not a whole number ≥ 1, values are not finite or lengths differ.
 * @example
 * ```ts
 * import { elbowChart } from '@crm/core/charts';
 * const chart = elbowChart({ k: [2, 3, 4, 5, 6, 7], inertia: [181000, 106000, 73700, 44400, 37200, 30200] }, { chosenK: 5 });
 * ```
 * @see Thorndike (1953), "Who belongs in the family?", https://doi.org/10.1007/BF02289263
 */
export function elbowChart(data: ElbowData, options?: ChooseKOptions): Chart {
  const o = readChartOptions(options, 'elbowChart', [...AXIS_KEYS, 'chosenK']);
  const [series] = readSeries({ label: 'inertia', ...data }, 'k', 'inertia', 'elbow data');
  checkK(series);
  const r = resolveOptions(o, 560, 380, 'Elbow: inertia by number of clusters');
  return xyChart(r, {
    series: [series],
    xLabel: o.xLabel ?? 'Number of clusters k',
    yLabel: o.yLabel ?? 'Within-cluster sum of squares',
    yInclude: 0,
    markers: true,
    integerX: true,
    highlightX: chosen(o.chosenK, series),
    legendAt: 'top-right',
    summary: `Inertia for k from ${Math.min(...series.x)} to ${Math.max(...series.x)}.`,
  });
}
