/**
 * A point in time as @crm accepts it: a `Date`, an ISO 8601 string (`'1997-01-01'`,
 * `'1997-01-01T10:00:00Z'`) or epoch milliseconds. Strings without a zone are read as UTC. A number
 * that would be a date before 1971 is refused (validation reports it as `ambiguous_date`): yyyymmdd
 * numbers and Unix seconds land there, so give genuinely early dates as a `Date` or a string.
 *
 * @example
 * ```ts
 * import type { DateInput } from '@crm/core';
 * const times: DateInput[] = [new Date(0), '1997-01-01', 852076800000];
 * ```
 */
export type DateInput = Date | string | number;

/**
 * A customer record.
 *
 * @example
 * ```ts
 * import type { Customer } from '@crm/core';
 * const c: Customer = { id: 'C042', name: 'Ada', email: 'ada@example.com', signupTime: new Date('2024-01-05') };
 * ```
 */
export interface Customer {
  readonly id: string;
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly signupTime?: Date | undefined;
  readonly segment?: string | undefined;
  readonly country?: string | undefined;
  /** Any further attributes, kept as given. */
  readonly attributes?: Readonly<Record<string, string | number | boolean | null>> | undefined;
}

/**
 * A product in the catalogue.
 *
 * @example
 * ```ts
 * import type { Product } from '@crm/core';
 * const p: Product = { id: 'SKU-1', name: 'whole milk', category: 'dairy', price: 1.09 };
 * ```
 */
export interface Product {
  readonly id: string;
  readonly name?: string | undefined;
  readonly category?: string | undefined;
  readonly price?: number | undefined;
}

/**
 * One line of an order: a product, a quantity and a unit price.
 *
 * @example
 * ```ts
 * import type { LineItem } from '@crm/core';
 * const line: LineItem = { productId: 'SKU-1', quantity: 2, unitPrice: 1.09 };
 * ```
 */
export interface LineItem {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice?: number | undefined;
}

/**
 * An order (transaction): who bought, when, and for how much; optionally what.
 * A negative `amount` is a return or refund.
 *
 * @example
 * ```ts
 * import type { Transaction } from '@crm/core';
 * const t: Transaction = { id: 'T1', customerId: 'C042', time: new Date('1997-01-01'), amount: 29.33 };
 * ```
 */
export interface Transaction {
  /** Order id, when the source has one (used to find duplicates). */
  readonly id?: string | undefined;
  readonly customerId: string;
  readonly time: Date;
  /** Order value in the data's currency; negative for returns. */
  readonly amount: number;
  readonly items?: readonly LineItem[] | undefined;
}

/**
 * A transaction as summaries accept it: like {@link Transaction} but the time may be any
 * {@link DateInput}, so validated and raw-but-clean data both work.
 *
 * @example
 * ```ts
 * import type { TransactionInput } from '@crm/core';
 * const t: TransactionInput = { customerId: 'C042', time: '1997-01-01', amount: 29.33 };
 * ```
 */
export interface TransactionInput {
  readonly id?: string | undefined;
  readonly customerId: string | number;
  readonly time: DateInput;
  readonly amount: number;
  readonly items?: readonly LineItem[] | undefined;
}

/**
 * A touchpoint: an email opened, a call to support, a visit, a survey answered.
 *
 * @example
 * ```ts
 * import type { Interaction } from '@crm/core';
 * const i: Interaction = { customerId: 'C042', time: new Date('2024-03-01'), channel: 'email', type: 'campaign', outcome: 'opened' };
 * const answer: Interaction = { customerId: 'C042', time: new Date('2024-03-02'), channel: 'web', type: 'survey', score: 9 };
 * ```
 */
export interface Interaction {
  readonly id?: string | undefined;
  readonly customerId: string;
  readonly time: Date;
  readonly channel: string;
  readonly type: string;
  readonly outcome?: string | undefined;
  /** A numeric answer, such as a 0–10 likelihood-to-recommend survey score (finite). */
  readonly score?: number | undefined;
}

/**
 * A contract or subscription: a customer's plan from `start` until `end`, or still running
 * (`end: null`). The data survival models read in a contractual setting (time to cancellation,
 * censored while active).
 *
 * @example
 * ```ts
 * import type { Subscription } from '@crm/core';
 * const s: Subscription = { customerId: 'C042', start: new Date('2023-01-01'), end: null, plan: 'annual', amount: 120 };
 * ```
 */
export interface Subscription {
  /** Contract id, when the source has one. */
  readonly id?: string | undefined;
  readonly customerId: string;
  /** When the contract began. */
  readonly start: Date;
  /** When it ended (cancellation or expiry, on or after `start`); `null` while still active. */
  readonly end: Date | null;
  /** Plan or contract type (`'month-to-month'`, `'annual'`). */
  readonly plan?: string | undefined;
  /** Recurring amount in the data's currency (≥ 0). */
  readonly amount?: number | undefined;
}

/**
 * The purchase history the probabilistic CLV models read (Fader, Hardie & Lee 2005 notation),
 * all times in one stated period (days, weeks, …):
 * - `frequency` (x): number of *repeat* purchase periods, purchases in the same period merged;
 * - `recency` (tₓ): time from the first to the last purchase (not time since the last purchase);
 * - `T`: time from the first purchase to the end of observation.
 *
 * @example
 * ```ts
 * import type { PurchaseHistory } from '@crm/core';
 * const h: PurchaseHistory = { frequency: 2, recency: 30.43, T: 38.86 };
 * ```
 */
export interface PurchaseHistory {
  readonly frequency: number;
  readonly recency: number;
  readonly T: number;
}

/**
 * Per-customer summary of transactions, in two views side by side.
 *
 * Probabilistic-CLV view ({@link PurchaseHistory}, in `period` units): `frequency`, `recency`, `T`,
 * and `monetary` = mean value of the repeat purchases (first purchase excluded, same-period
 * purchases summed; 0 when `frequency` is 0).
 *
 * Marketing RFM view: `daysSinceLastPurchase`, `orders` (number of transactions), `totalSpend`,
 * `firstPurchase` and `lastPurchase` (ISO 8601, UTC).
 *
 * @example
 * ```ts
 * import { summarizeCustomers } from '@crm/core';
 * const [s] = summarizeCustomers(
 *   [{ customerId: 'A', time: '2024-01-01', amount: 10 }, { customerId: 'A', time: '2024-01-15', amount: 20 }],
 *   { observationEnd: '2024-01-29', period: 'week' },
 * );
 * s.frequency; s.recency; s.T; s.monetary; // 1, 2, 4, 20
 * ```
 */
export interface CustomerSummary extends PurchaseHistory {
  readonly customerId: string;
  readonly monetary: number;
  readonly daysSinceLastPurchase: number;
  readonly orders: number;
  readonly totalSpend: number;
  readonly firstPurchase: string;
  readonly lastPurchase: string;
}
