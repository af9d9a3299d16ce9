import { AXIS_KEYS, readChartOptions, resolveOptions, type Chart } from './chart.ts';
import { checkK, chosen } from './choose-k.ts';
import type { ChooseKOptions } from './elbow-chart.ts';
import { CrmError } from '../errors.ts';
import { readSeries, xyChart } from './xy.ts';

/**
 * Mean silhouette width for each number of clusters tried.
 *
 * @example
 * ```ts
 * import type { SilhouetteData } from '@crm/core/charts';
 * const data: SilhouetteData = { k: [2, 3, 4], silhouette: [0.29, 0.38, 0.41] };
 * ```
 */
export interface SilhouetteData {
  /** Numbers of clusters, whole numbers ≥ 2. */
  readonly k: ArrayLike<number>;
  /** Mean silhouette coefficient for each k, in [-1, 1]. */
  readonly silhouette: ArrayLike<number>;
}

/**
 * Silhouette-by-k chart: how well separated the clusters are for each k (higher is better;
 * above 0.5 is a clear structure, below 0.25 little structure).
 *
 * @throws {CrmError} `invalid_input` when a silhouette is outside [-1, 1], k is not whole, or lengths differ.
 * @example
 * ```ts
 * import { silhouetteChart } from '@crm/core/charts';
 * const chart = silhouetteChart({ k: [2, 3, 4, 5, 6], silhouette: [0.30, 0.47, 0.49, 0.55, 0.54] }, { chosenK: 5 });
 * ```
 * @see Rousseeuw (1987), https://doi.org/10.1016/0377-0427(87)90125-7
 */
export function silhouetteChart(data: SilhouetteData, options?: ChooseKOptions): Chart {
  const o = readChartOptions(options, 'silhouetteChart', [...AXIS_KEYS, 'chosenK']);
  const [series] = readSeries({ label: 'silhouette', ...data }, 'k', 'silhouette', 'silhouette data');
  checkK(series);
  const bad = series.y.findIndex((v) => v < -1 || v > 1);
  if (bad >= 0) throw new CrmError('invalid_input', `silhouette[${bad}] is ${series.y[bad]}; silhouettes lie in [-1, 1]`, ['silhouette', bad]);
  const r = resolveOptions(o, 560, 380, 'Mean silhouette by number of clusters');
  return xyChart(r, {
    series: [series],
    xLabel: o.xLabel ?? 'Number of clusters k',
    yLabel: o.yLabel ?? 'Mean silhouette width',
    yInclude: 0,
    markers: true,
    integerX: true,
    highlightX: chosen(o.chosenK, series),
    legendAt: 'bottom-right',
    summary: `Mean silhouette for k from ${Math.min(...series.x)} to ${Math.max(...series.x)}.`,
  });
}
