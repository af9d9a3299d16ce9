import { numberOption, readOptions } from '@crm/core';
import { holdoutPredictions, type HoldoutHistory } from './holdout-history.ts';
import type { PurchaseModel } from './roles.ts';

/**
 * Options of {@link holdoutPurchases}.
 *
 * @example
 * ```ts
 * import type { HoldoutPurchasesOptions } from '@crm/scoring';
 * const options: HoldoutPurchasesOptions = { maxFrequency: 7 };
 * ```
 */
export interface HoldoutPurchasesOptions {
  /** Calibration frequency from which customers are pooled into one "k+" group (whole number 1–1000, default 7). */
  readonly maxFrequency?: number | undefined;
}

/**
 * Mean holdout purchases, actual and predicted, of the customers grouped by their calibration
 * frequency (groups without customers are left out; the last group pools k or more).
 *
 * @example
 * ```ts
 * import type { HoldoutPurchases } from '@crm/scoring';
 * const h: HoldoutPurchases = { frequency: [0, 1], labels: ['0', '1+'], customers: [10, 4], actual: [0.2, 1.5], predicted: [0.25, 1.4] };
 * ```
 */
export interface HoldoutPurchases {
  /** Calibration frequency of each group (the last may be the pooled k+). */
  readonly frequency: number[];
  /** `'0'`, `'1'`, …, `'k+'`. */
  readonly labels: string[];
  /** Customers in each group (sum of weights). */
  readonly customers: number[];
  /** Mean purchases the group made in the holdout period. */
  readonly actual: number[];
  /** Mean purchases the model predicts for the group over the holdout period. */
  readonly predicted: number[];
}

/** Default of {@link HoldoutPurchasesOptions.maxFrequency}, lifetimes' `n = 7` groups. */
const DEFAULT_MAX_FREQUENCY = 7;

/**
 * Calibration-period frequency against holdout purchases (Fader, Hardie & Lee 2005, Figure 4;
 * lifetimes' `plot_calibration_purchases_vs_holdout_purchases`): customers grouped by repeat
 * purchases in the calibration period, and per group the mean number of purchases they made in
 * the holdout period beside the mean the model predicted from their calibration history over the
 * holdout's length. A model that tracks the groups out of sample is one to trust for targeting.
 *
 * O(customers) predictions.
 *
 * @throws {CrmError} `invalid_input` for an empty `rows` or a bad holdout field, `invalid_summary`
 * for a bad history (with its path), `invalid_argument` for the model or an option.
 * @example
 * ```ts
 * import { BgNbd, holdoutPurchases } from '@crm/scoring';
 * const rows = [
 *   { frequency: 2, recency: 30.43, T: 38.86, frequencyHoldout: 1, durationHoldout: 39 },
 *   { frequency: 0, recency: 0, T: 38.86, frequencyHoldout: 0, durationHoldout: 39 },
 *   { frequency: 1, recency: 1.71, T: 38.86, frequencyHoldout: 0, durationHoldout: 39 },
 *   { frequency: 6, recency: 35, T: 38, frequencyHoldout: 4, durationHoldout: 39 },
 * ];
 * const model = BgNbd.fit(rows);
 * const h = holdoutPurchases(model, rows, { maxFrequency: 2 });
 * h.labels;    // ['0', '1', '2+']
 * h.actual;    // [0, 0, 2.5]
 * ```
 * @see Fader, Hardie & Lee (2005), https://doi.org/10.1287/mksc.1040.0098
 */
export function holdoutPurchases(model: PurchaseModel, rows: readonly HoldoutHistory[], options?: HoldoutPurchasesOptions): HoldoutPurchases {
  const o = readOptions(options, ['maxFrequency'], 'holdoutPurchases');
  const k = numberOption(o, 'maxFrequency', DEFAULT_MAX_FREQUENCY, { min: 1, max: 1000, integer: true });
  const { x, w, predicted, actual } = holdoutPredictions(model, rows, 'holdoutPurchases');
  const count = new Float64Array(k + 1);
  const sumActual = new Float64Array(k + 1);
  const sumPredicted = new Float64Array(k + 1);
  for (let i = 0; i < x.length; i++) {
    const g = Math.min(x[i] as number, k);
    const wi = w[i] as number;
    count[g]! += wi;
    sumActual[g]! += wi * (actual[i] as number);
    sumPredicted[g]! += wi * (predicted[i] as number);
  }
  const out: HoldoutPurchases = { frequency: [], labels: [], customers: [], actual: [], predicted: [] };
  for (let g = 0; g <= k; g++) {
    const c = count[g] as number;
    if (c === 0) continue;
    out.frequency.push(g);
    out.labels.push(g === k ? `${g}+` : String(g));
    out.customers.push(c);
    out.actual.push((sumActual[g] as number) / c);
    out.predicted.push((sumPredicted[g] as number) / c);
  }
  return out;
}
