import { CrmError } from '../errors.ts';
import { readChartOptions, resolveOptions, type ChartOptions, type Chart } from './chart.ts';
import { formatValue } from './format.ts';
import { gridChart } from './grid.ts';
import { labels, matrix } from './validate.ts';

/**
 * Mean feature values per segment: `values[s][f]` is the mean of feature `f` in segment `s`.
 *
 * @example
 * ```ts
 * import type { SegmentProfilesData } from '@crm/core/charts';
 * const data: SegmentProfilesData = {
 *   segments: ['Champions', 'At risk'],
 *   features: ['recency (days)', 'orders', 'spend'],
 *   values: [[12, 9.5, 640], [210, 3.1, 150]],
 * };
 * ```
 */
export interface SegmentProfilesData {
  /** Segment names, one per row. */
  readonly segments: readonly string[];
  /** Feature names, one per column. */
  readonly features: readonly string[];
  /** Mean value of each feature in each segment. */
  readonly values: readonly ArrayLike<number>[];
}

/**
 * Options of {@link segmentProfilesChart}.
 *
 * @example
 * ```ts
 * import type { SegmentProfilesOptions } from '@crm/core/charts';
 * const options: SegmentProfilesOptions = { standardize: false };
 * ```
 */
export interface SegmentProfilesOptions extends ChartOptions {
  /**
   * Colour each column by how far a segment sits from the mean of the segments, in standard
   * deviations (default `true`), so features on different scales compare; cells always show raw values.
   * With `false`, colour follows the raw values on one shared scale.
   */
  readonly standardize?: boolean | undefined;
}

function columnZ(values: readonly (readonly number[])[]): number[][] {
  const rows = values.length;
  const cols = values[0]?.length ?? 0;
  const out = values.map((row) => row.slice());
  for (let j = 0; j < cols; j++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += values[i]?.[j] ?? 0;
    mean /= rows;
    let ss = 0;
    for (let i = 0; i < rows; i++) ss += ((values[i]?.[j] ?? 0) - mean) ** 2;
    const sd = Math.sqrt(ss / rows);
    for (let i = 0; i < rows; i++) (out[i] as number[])[j] = sd > 0 ? ((values[i]?.[j] ?? 0) - mean) / sd : 0;
  }
  return out;
}

/**
 * Segment profiles: a segments × features table of means, coloured by how each segment differs
 * from the others on each feature. Use it to name segments ("recent big spenders").
 *
 * @throws {CrmError} `invalid_input` when the table is ragged, non-finite, or labels do not match its size.
 * @example
 * ```ts
 * import { segmentProfilesChart } from '@crm/core/charts';
 * const chart = segmentProfilesChart({
 *   segments: ['Champions', 'Loyal', 'At risk'],
 *   features: ['days since last order', 'orders', 'spend'],
 *   values: [[14, 11.2, 820], [60, 5.4, 310], [240, 2.1, 95]],
 * });
 * ```
 */
export function segmentProfilesChart(data: SegmentProfilesData, options?: SegmentProfilesOptions): Chart {
  const o = readChartOptions(options, 'segmentProfilesChart', ['standardize']);
  const values = matrix(data?.values, ['values'], 'values');
  const segments = labels(data.segments, values.length, ['segments'], (i) => `segment ${i + 1}`);
  const features = labels(data.features, values[0]?.length ?? 0, ['features'], (j) => `feature ${j + 1}`);
  const standardize = o.standardize ?? true;
  if (typeof standardize !== 'boolean') throw new CrmError('invalid_argument', 'options.standardize must be a boolean', ['options', 'standardize']);
  // Room for the rows plus the feature names: up to three wrapped lines, or vertical when a word is long.
  const longestWord = Math.max(...features.flatMap((f) => f.split(/\s+/).map((w) => w.length)));
  const labelBand = longestWord > 12 ? Math.min(120, Math.max(...features.map((f) => Math.min(f.length, 28) * 6.6))) : 48;
  const r = resolveOptions(o, 640, Math.max(260, 100 + 34 * values.length + labelBand), 'Segment profiles');
  const z = standardize ? columnZ(values) : undefined;
  return gridChart(r, {
    values,
    colorValues: z,
    rowLabels: segments,
    colLabels: features,
    xLabel: '',
    yLabel: '',
    scheme: standardize ? 'diverging' : 'sequential',
    legendLabel: standardize ? 'SD from mean' : 'mean value',
    annotate: 'auto',
    tooltip: (i, j) => `${segments[i]}: ${features[j]} = ${formatValue(values[i]?.[j] ?? 0)}${z ? ` (${formatValue(z[i]?.[j] ?? 0)} SD)` : ''}`,
    summary: `Means of ${features.length} features in ${segments.length} segments: ${segments.join(', ')}.`,
  });
}
