import { CrmError, type PurchaseHistory } from '@crm/core';
import { checkHistory } from './history.ts';
import type { PurchaseModel } from './roles.ts';

/**
 * One customer of a calibration/holdout split as the holdout diagnostics read it: the calibration
 * history plus the purchases of the holdout period and its length (the fields of `@crm/core`'s
 * `calibrationHoldout` rows, which can be passed as they are).
 *
 * @example
 * ```ts
 * import type { HoldoutHistory } from '@crm/scoring';
 * const row: HoldoutHistory = { frequency: 2, recency: 30.43, T: 38.86, frequencyHoldout: 1, durationHoldout: 39 };
 * ```
 */
export interface HoldoutHistory extends PurchaseHistory {
  /** Customers sharing this row (default 1). */
  readonly weight?: number | undefined;
  /** Purchase periods in the holdout period (whole number ≥ 0). */
  readonly frequencyHoldout: number;
  /** Length of the holdout period, in the model's time unit (> 0). */
  readonly durationHoldout: number;
}

/** The model's prediction and the actual holdout purchases of each row, checked; internal. */
export function holdoutPredictions(
  model: PurchaseModel,
  rows: readonly HoldoutHistory[],
  where: string,
): { x: Int32Array; w: Float64Array; predicted: Float64Array; actual: Float64Array } {
  if (model === null || typeof model !== 'object' || typeof model.expectedPurchases !== 'function') {
    throw new CrmError('invalid_argument', `${where}: model must be a fitted purchase model with expectedPurchases(t, customer)`, ['model']);
  }
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new CrmError('invalid_input', `${where}: rows must be a non-empty array of calibration/holdout rows (calibrationHoldout's output)`, ['rows']);
  }
  const n = rows.length;
  const x = new Int32Array(n);
  const predicted = new Float64Array(n);
  const actual = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i] as HoldoutHistory;
    const h = checkHistory(row, ['rows', i]);
    const f = row.frequencyHoldout;
    if (typeof f !== 'number' || !Number.isInteger(f) || f < 0) {
      throw new CrmError('invalid_input', `${where}: rows[${i}].frequencyHoldout must be a whole number ≥ 0, got ${String(f)}`, ['rows', i, 'frequencyHoldout']);
    }
    const d = row.durationHoldout;
    if (typeof d !== 'number' || !Number.isFinite(d) || !(d > 0)) {
      throw new CrmError('invalid_input', `${where}: rows[${i}].durationHoldout must be a finite number > 0, got ${String(d)}`, ['rows', i, 'durationHoldout']);
    }
    x[i] = h.x;
    w[i] = h.w;
    actual[i] = f;
    predicted[i] = model.expectedPurchases(d, { frequency: h.x, recency: h.tx, T: h.T });
  }
  return { x, w, predicted, actual };
}
