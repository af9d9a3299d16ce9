import type { PurchaseHistory } from '@crm/core';

/**
 * The role of a fitted purchase (transaction-count) model: {@link BgNbd}, {@link ParetoNbd},
 * {@link ModifiedBgNbd} and {@link BgBb} implement it, so {@link customerLifetimeValue} takes any
 * of them. Times are in the unit of the summaries the model was fitted on. Code tells models
 * apart by `kind`, never by `instanceof`.
 *
 * @example
 * ```ts
 * import { BgNbd, type PurchaseModel } from '@crm/scoring';
 * const model: PurchaseModel = BgNbd.fit([
 *   { frequency: 2, recency: 30.43, T: 38.86 },
 *   { frequency: 1, recency: 1.71, T: 38.86 },
 *   { frequency: 0, recency: 0, T: 38.86 },
 *   { frequency: 5, recency: 20, T: 30 },
 * ]);
 * model.expectedPurchases(52);                                             // a new customer
 * model.expectedPurchases(52, { frequency: 2, recency: 30.43, T: 38.86 }); // given a history
 * ```
 */
export interface PurchaseModel {
  /** Model identifier, e.g. `'crm.scoring.bg-nbd'`. */
  readonly kind: string;
  /**
   * Expected number of purchases in the next `t` periods: for a customer just acquired when
   * `customer` is omitted, otherwise conditional on the customer's history (from T to T + t).
   */
  expectedPurchases(t: number, customer?: PurchaseHistory): number;
  /** Probability that the customer is still active at the end of the observation (time T). */
  probabilityAlive(customer: PurchaseHistory): number;
  /**
   * Optional: `expectedPurchases` at each of several non-decreasing times in one pass. Models
   * that have it (all of this package's) let {@link customerLifetimeValue} run in O(horizon) per
   * customer; without it, CLV calls `expectedPurchases` once per period.
   */
  cumulativePurchases?(times: readonly number[], customer?: PurchaseHistory): number[];
}

/**
 * A repeat buyer's spend: the number of repeat transactions and their mean value.
 *
 * @example
 * ```ts
 * import type { SpendHistory } from '@crm/scoring';
 * const s: SpendHistory = { frequency: 2, monetary: 22.35 };
 * ```
 */
export interface SpendHistory {
  /** Number of repeat transactions whose mean is `monetary`. */
  readonly frequency: number;
  /** Mean value of those transactions (ignored when `frequency` is 0). */
  readonly monetary: number;
}

/**
 * The role of a fitted spend model ({@link GammaGamma}): the expected value of a customer's
 * future transactions.
 *
 * @example
 * ```ts
 * import { GammaGamma, type SpendModel } from '@crm/scoring';
 * const model: SpendModel = GammaGamma.fit([
 *   { frequency: 2, monetary: 22.35 }, { frequency: 1, monetary: 11.77 },
 *   { frequency: 3, monetary: 41.2 }, { frequency: 1, monetary: 29.99 }, { frequency: 5, monetary: 18.5 },
 * ]);
 * model.expectedSpend();                                  // a new customer: the population mean
 * model.expectedSpend({ frequency: 2, monetary: 22.35 }); // shrunk towards it
 * ```
 */
export interface SpendModel {
  /** Model identifier, e.g. `'crm.scoring.gamma-gamma'`. */
  readonly kind: string;
  /** Expected mean transaction value: of a new customer when omitted, else given the history. */
  expectedSpend(customer?: SpendHistory): number;
}
