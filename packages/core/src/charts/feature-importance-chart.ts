import { CrmError } from '../errors.ts';
import { barChart } from './bars.ts';
import { readChartOptions, resolveOptions, type ChartOptions, type Chart } from './chart.ts';
import { formatValue } from './format.ts';
import { list } from './validate.ts';

/**
 * The importance of one feature, with its spread when it was measured repeatedly.
 *
 * @example
 * ```ts
 * import type { FeatureImportanceItem } from '@crm/core/charts';
 * const item: FeatureImportanceItem = { feature: 'tenure', importance: 0.061, std: 0.004 };
 * ```
 */
export interface FeatureImportanceItem {
  /** Feature name. */
  readonly feature: string;
  /** Importance (impurity decrease, permutation score drop, |coefficient|…). */
  readonly importance: number;
  /** Standard deviation over repeats, drawn as a whisker of ± one SD. */
  readonly std?: number | undefined;
}

/**
 * Options of {@link featureImportanceChart}.
 *
 * @example
 * ```ts
 * import type { FeatureImportanceOptions } from '@crm/core/charts';
 * const options: FeatureImportanceOptions = { maxFeatures: 10, measure: 'drop in ROC AUC' };
 * ```
 */
export interface FeatureImportanceOptions extends ChartOptions {
  /** Show only the most important features (default 20). */
  readonly maxFeatures?: number | undefined;
  /** What the importance measures, for the axis label (default "Importance"). */
  readonly measure?: string | undefined;
}

const DEFAULT_MAX_FEATURES = 20;

/**
 * Feature importance bars, largest first, with ± one standard deviation whiskers when given
 * (permutation importance repeats).
 *
 * @throws {CrmError} `invalid_input` when the list is empty or an importance is not finite.
 * @example
 * ```ts
 * import { featureImportanceChart } from '@crm/core/charts';
 * const chart = featureImportanceChart(
 *   [
 *     { feature: 'tenure', importance: 0.061, std: 0.004 },
 *     { feature: 'Contract=Month-to-month', importance: 0.043, std: 0.003 },
 *     { feature: 'MonthlyCharges', importance: 0.012, std: 0.002 },
 *   ],
 *   { measure: 'drop in ROC AUC when shuffled' },
 * );
 * ```
 * @see Breiman (2001), "Random forests", https://doi.org/10.1023/A:1010933404324 (permutation importance)
 */
export function featureImportanceChart(data: readonly FeatureImportanceItem[], options?: FeatureImportanceOptions): Chart {
  const o = readChartOptions(options, 'featureImportanceChart', ['maxFeatures', 'measure']);
  const items = list(data, [], 'features').map((f, i) => {
    const v = f?.importance;
    const sd = f?.std;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new CrmError('invalid_input', `features[${i}].importance is ${String(v)}; it must be a finite number`, [i, 'importance']);
    if (sd !== undefined && !(typeof sd === 'number' && Number.isFinite(sd) && sd >= 0)) {
      throw new CrmError('invalid_input', `features[${i}].std is ${String(sd)}; it must be a non-negative number`, [i, 'std']);
    }
    return { feature: String(f.feature), importance: v, std: sd };
  });
  const max = o.maxFeatures ?? DEFAULT_MAX_FEATURES;
  if (!Number.isInteger(max) || max < 1) throw new CrmError('invalid_argument', `options.maxFeatures must be a whole number ≥ 1, got ${String(max)}`, ['options', 'maxFeatures']);
  const shown = items.slice().sort((a, b) => b.importance - a.importance).slice(0, max);
  const hasStd = shown.some((f) => f.std !== undefined);
  const r = resolveOptions(o, 640, Math.max(200, 100 + 26 * shown.length), 'Feature importance');
  return barChart(r, {
    labels: shown.map((f) => f.feature),
    values: shown.map((f) => f.importance),
    errors: hasStd ? shown.map((f) => f.std ?? 0) : undefined,
    valueText: (i) => formatValue(shown[i]?.importance ?? 0),
    tooltip: (i) => `${shown[i]?.feature}: ${formatValue(shown[i]?.importance ?? 0)}${shown[i]?.std !== undefined ? ` ± ${formatValue(shown[i]?.std ?? 0)}` : ''}`,
    xLabel: o.measure ?? 'Importance',
    color: '#009E73',
    summary: `The ${shown.length} most important of ${items.length} features, led by ${shown[0]?.feature}.`,
  });
}
