import { CrmError, finiteResult, numberOption, readOptions } from '@crm/core';
import { checkHistory, type WeightedHistory } from './history.ts';

/**
 * A fitted model that gives P(X(t) = n), the probability that a new customer makes exactly n
 * repeat purchases in t periods: {@link BgNbd}, {@link ModifiedBgNbd}, {@link ParetoNbd} and
 * {@link BgBb} are such models.
 *
 * @example
 * ```ts
 * import { BgNbd, type PurchaseCountModel } from '@crm/scoring';
 * const model: PurchaseCountModel = BgNbd.fit([
 *   { frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 },
 *   { frequency: 1, recency: 1.71, T: 38.86 }, { frequency: 6, recency: 35, T: 38 },
 * ]);
 * model.probabilityOfPurchases(39, 0);
 * ```
 */
export interface PurchaseCountModel {
  /** Model identifier, e.g. `'crm.scoring.bg-nbd'`. */
  readonly kind: string;
  /** P(X(t) = n) for a customer just acquired. */
  probabilityOfPurchases(t: number, n: number): number;
}

/**
 * Options of {@link periodTransactions}.
 *
 * @example
 * ```ts
 * import type { PeriodTransactionsOptions } from '@crm/scoring';
 * const options: PeriodTransactionsOptions = { maxFrequency: 7 };
 * ```
 */
export interface PeriodTransactionsOptions {
  /** Number of repeat purchases from which customers are pooled into one last "k+" bin (whole number 1–100, default 7). */
  readonly maxFrequency?: number | undefined;
}

/**
 * Actual and expected numbers of customers by repeat purchases in the calibration period; the
 * last bin (`frequency[k] = k`) holds every customer with k or more.
 *
 * @example
 * ```ts
 * import type { PeriodTransactions } from '@crm/scoring';
 * const p: PeriodTransactions = { frequency: [0, 1, 2], labels: ['0', '1', '2+'], actual: [10, 5, 3], expected: [9.6, 5.5, 2.9] };
 * ```
 */
export interface PeriodTransactions {
  /** Repeat purchases 0, 1, …, k (the last bin is k or more). */
  readonly frequency: number[];
  /** `'0'`, `'1'`, …, `'k+'`. */
  readonly labels: string[];
  /** Customers observed with that many repeat purchases. */
  readonly actual: number[];
  /** Customers the model expects with that many, Σᵢ P(X(Tᵢ) = n) over the customers' ages Tᵢ. */
  readonly expected: number[];
}

/** Default of {@link PeriodTransactionsOptions.maxFrequency}, as lifetimes' `plot_period_transactions`. */
const DEFAULT_MAX_FREQUENCY = 7;
/** Largest `maxFrequency`: beyond it the probabilities are too small to plot. */
const LARGEST_MAX_FREQUENCY = 100;

/**
 * The first check of a purchase model's fit (Fader, Hardie & Lee 2005, Figure 1; lifetimes'
 * `plot_period_transactions`): how many customers made 0, 1, …, k+ repeat purchases in the
 * calibration period, beside how many the model expects, Σᵢ P(X(Tᵢ) = n) summed over the
 * customers' own ages Tᵢ. Where lifetimes simulates a new cohort, this is the expectation itself,
 * so the numbers do not change from run to run. The k+ bin expects every customer not in a lower
 * bin. A history's `weight` counts it as that many customers.
 *
 * O(distinct T × k) probability evaluations (each O(k)); customers of the same age share them.
 *
 * @throws {CrmError} `invalid_input` when `customers` is empty or not an array, `invalid_summary`
 * for a bad history (with its path), `invalid_argument` for the model or an option.
 * @example
 * ```ts
 * import { BgNbd, periodTransactions } from '@crm/scoring';
 * const customers = [
 *   { frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 },
 *   { frequency: 1, recency: 1.71, T: 38.86 }, { frequency: 6, recency: 35, T: 38 },
 *   { frequency: 0, recency: 0, T: 30 },
 * ];
 * const model = BgNbd.fit(customers);
 * const p = periodTransactions(model, customers, { maxFrequency: 3 });
 * p.labels;                // ['0', '1', '2', '3+']
 * p.actual;                // [2, 1, 1, 1]
 * p.expected.length;       // 4, summing to 5 customers
 * ```
 * @see Fader, Hardie & Lee (2005), https://doi.org/10.1287/mksc.1040.0098
 */
export function periodTransactions(
  model: PurchaseCountModel,
  customers: readonly WeightedHistory[],
  options?: PeriodTransactionsOptions,
): PeriodTransactions {
  const o = readOptions(options, ['maxFrequency'], 'periodTransactions');
  const k = numberOption(o, 'maxFrequency', DEFAULT_MAX_FREQUENCY, { min: 1, max: LARGEST_MAX_FREQUENCY, integer: true });
  if (model === null || typeof model !== 'object' || typeof model.probabilityOfPurchases !== 'function') {
    throw new CrmError('invalid_argument', 'periodTransactions: model must be a fitted purchase model with probabilityOfPurchases(t, n) (BgNbd, ModifiedBgNbd, ParetoNbd, BgBb)', ['model']);
  }
  if (!Array.isArray(customers) || customers.length === 0) {
    throw new CrmError('invalid_input', 'periodTransactions: customers must be a non-empty array of purchase histories', ['customers']);
  }
  const actual = new Array<number>(k + 1).fill(0);
  const ages = new Map<number, number>();
  let total = 0;
  customers.forEach((c, i) => {
    const { x, T, w } = checkHistory(c, ['customers', i]);
    actual[Math.min(x, k)]! += w;
    ages.set(T, (ages.get(T) ?? 0) + w);
    total += w;
  });
  const expected = new Array<number>(k + 1).fill(0);
  for (const [T, count] of ages) {
    for (let n = 0; n < k; n++) expected[n]! += count * model.probabilityOfPurchases(T, n);
  }
  let below = 0;
  for (let n = 0; n < k; n++) below += finiteResult(expected[n]!, `the expected number of customers with ${n} repeat purchases`, ['model']);
  // The remainder; rounding can leave it a hair below 0 when the tail is empty.
  expected[k] = Math.max(0, total - below);
  const frequency = Array.from({ length: k + 1 }, (_, n) => n);
  return { frequency, labels: frequency.map((n) => (n === k ? `${n}+` : String(n))), actual, expected };
}
