import { CrmError, finiteResult, readOptions } from '@crm/core';
import { holdoutPredictions, type HoldoutHistory } from './holdout-history.ts';
import type { PurchaseModel } from './roles.ts';

/**
 * How well a purchase model predicted the holdout period.
 *
 * @example
 * ```ts
 * import type { HoldoutAccuracy } from '@crm/scoring';
 * const a: HoldoutAccuracy = { customers: 3, mae: 0.4, rmse: 0.5, totalPredicted: 2.8, totalActual: 3, aggregateError: -0.2, relativeAggregateError: -0.0667 };
 * ```
 */
export interface HoldoutAccuracy {
  /** Number of customers (rows, or the sum of their weights). */
  readonly customers: number;
  /** Mean absolute error of the per-customer predicted holdout purchases. */
  readonly mae: number;
  /** Root mean squared error of the per-customer predicted holdout purchases. */
  readonly rmse: number;
  /** Σ predicted holdout purchases. */
  readonly totalPredicted: number;
  /** Σ actual holdout purchases. */
  readonly totalActual: number;
  /** totalPredicted − totalActual: the error of the forecast for the whole cohort (positive: overpredicted). */
  readonly aggregateError: number;
  /** aggregateError / totalActual (`null` when nobody bought in the holdout period). */
  readonly relativeAggregateError: number | null;
}

/**
 * Holdout accuracy of a purchase model from calibration/holdout rows: each customer's expected
 * purchases over the holdout length given their calibration history, against what they bought.
 * Per customer: mean absolute error and root mean squared error; for the cohort: total predicted
 * against total actual (the aggregate error a demand forecast cares about). Compare models on the
 * same rows: lower is better.
 *
 * O(customers) predictions.
 *
 * @throws {CrmError} `invalid_input` for an empty `rows` or a bad holdout field, `invalid_summary`
 * for a bad history (with its path), `invalid_argument` for the model or an unknown option.
 * @example
 * ```ts
 * import { BgNbd, holdoutAccuracy } from '@crm/scoring';
 * const rows = [
 *   { frequency: 2, recency: 30.43, T: 38.86, frequencyHoldout: 1, durationHoldout: 39 },
 *   { frequency: 0, recency: 0, T: 38.86, frequencyHoldout: 0, durationHoldout: 39 },
 *   { frequency: 1, recency: 1.71, T: 38.86, frequencyHoldout: 0, durationHoldout: 39 },
 *   { frequency: 6, recency: 35, T: 38, frequencyHoldout: 4, durationHoldout: 39 },
 * ];
 * const a = holdoutAccuracy(BgNbd.fit(rows), rows);
 * a.totalActual; // 5
 * a.mae;         // mean |predicted − actual| per customer
 * ```
 */
export function holdoutAccuracy(model: PurchaseModel, rows: readonly HoldoutHistory[], options?: Record<string, never>): HoldoutAccuracy {
  readOptions(options, [], 'holdoutAccuracy');
  const { w, predicted, actual } = holdoutPredictions(model, rows, 'holdoutAccuracy');
  const n = predicted.length;
  let abs = 0;
  let sq = 0;
  let totalPredicted = 0;
  let totalActual = 0;
  let customers = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i] as number;
    const p = predicted[i] as number;
    const a = actual[i] as number;
    abs += wi * Math.abs(p - a);
    sq += wi * (p - a) * (p - a);
    totalPredicted += wi * p;
    totalActual += wi * a;
    customers += wi;
  }
  if (!(customers > 0)) throw new CrmError('invalid_input', 'holdoutAccuracy: the weights of the rows sum to 0', ['rows']);
  finiteResult(sq, 'the squared holdout errors', ['rows']);
  const aggregateError = totalPredicted - totalActual;
  return {
    customers,
    mae: abs / customers,
    rmse: Math.sqrt(sq / customers),
    totalPredicted,
    totalActual,
    aggregateError,
    relativeAggregateError: totalActual > 0 ? aggregateError / totalActual : null,
  };
}
