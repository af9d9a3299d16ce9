import { finiteResult, type PurchaseHistory } from '@crm/core';
import { penalizerOption, readPenalizerOptions, type FitReport } from './fit.ts';
import { checkHistory, checkHorizon, checkTimes, type WeightedHistory } from './history.ts';
import { fitMember, initMember, memberFromJSON, memberToJSON, type FamilySpec } from './family.ts';
import type { PurchaseModel } from './roles.ts';
import { BG_FAMILY_NAMES, bgFamilyConditionalPmf, bgFamilyExpected, bgFamilyLogLikelihood, bgNbdPmf, fitBgFamily } from './bg-family.ts';
import { predictMany } from './many.ts';
import { checkCount, checkCountCost, type PurchaseCountOptions } from './counts.ts';

/**
 * BG/NBD parameters: purchase rates λ ~ Gamma(shape `r`, rate `alpha`) while alive; after each
 * purchase the customer drops out with probability p ~ Beta(`a`, `b`). `alpha` is in the time
 * unit of the data (its reciprocal scales the purchase rate).
 *
 * @example
 * ```ts
 * import type { BgNbdParams } from '@crm/scoring';
 * const published: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }; // FHL 2005, CDNOW, weeks
 * ```
 */
export interface BgNbdParams {
  /** Shape of the gamma distribution of purchase rates. */
  readonly r: number;
  /** Rate (scale) of the gamma distribution of purchase rates, in the data's time unit. */
  readonly alpha: number;
  /** First shape of the beta distribution of the dropout probability. */
  readonly a: number;
  /** Second shape of the beta distribution of the dropout probability. */
  readonly b: number;
}

/**
 * Options of {@link BgNbd.fit}.
 *
 * @example
 * ```ts
 * import type { BgNbdOptions } from '@crm/scoring';
 * const options: BgNbdOptions = { penalizer: 0.01 };
 * ```
 */
export interface BgNbdOptions {
  /**
   * L2 penalty λ·(r² + (α/maxT)² + a² + b²) added to the mean negative log-likelihood (α is taken
   * in units of the longest customer age, so the penalty does not depend on the time unit).
   * 0 to 1e6, default 0 (plain maximum likelihood). Raise it (0.001–0.1) when a fit does not converge.
   */
  readonly penalizer?: number | undefined;
}

/**
 * The plain-data form of a fitted {@link BgNbd} (`model.toJSON()`).
 *
 * @example
 * ```ts
 * import type { BgNbdJson } from '@crm/scoring';
 * const read = (json: BgNbdJson) => json.params.r;
 * ```
 */
export interface BgNbdJson {
  /** Model identifier. */
  readonly kind: 'crm.scoring.bg-nbd';
  /** Format version of this JSON. */
  readonly version: 1;
  /** The options of the fit. */
  readonly options: Required<BgNbdOptions>;
  /** The fitted parameters. */
  readonly params: BgNbdParams;
  /** How the fit went. */
  readonly report: FitReport;
}

const KIND = 'crm.scoring.bg-nbd';
/** Whether this is the modified (MBG/NBD) likelihood and mean. */
const MODIFIED = false;

/**
 * BG/NBD purchase model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"):
 * Poisson purchasing while alive, a geometric chance of dropping out after each purchase.
 * Fits by maximum likelihood (BFGS on log-parameters with the analytic gradient, numerically
 * stable log-likelihood in the form of Hardie's note 027) in O(patterns · iterations); identical
 * (frequency, recency, T) rows are merged first, and rows may carry a `weight`.
 *
 * Times (recency, T, and every `t` passed to predictions) are in the unit of your summaries;
 * the model never assumes one.
 *
 * @example
 * ```ts
 * import { BgNbd } from '@crm/scoring';
 * const summaries = [
 *   { frequency: 2, recency: 30.43, T: 38.86 },
 *   { frequency: 1, recency: 1.71, T: 38.86 },
 *   { frequency: 0, recency: 0, T: 38.86 },
 *   { frequency: 5, recency: 20, T: 30 },
 * ];
 * const model = BgNbd.fit(summaries);
 * model.params;                              // { r, alpha, a, b }
 * model.expectedPurchases(52, summaries[0]); // purchases in the next 52 periods
 * model.probabilityAlive(summaries[0]);
 * ```
 * @throws {CrmError} `invalid_summary` when recency > T or frequency is negative or fractional
 * (with the row's path), `invalid_input` for NaN or empty input, `degenerate_data` when no one
 * made a repeat purchase, `invalid_argument` for an unknown, misspelled or out-of-range option.
 * @see https://doi.org/10.1287/mksc.1040.0098
 */
export class BgNbd implements PurchaseModel {
  /** Always `'crm.scoring.bg-nbd'`. */
  readonly kind: 'crm.scoring.bg-nbd' = KIND;
  /** Maximum-likelihood estimates. */
  declare readonly params: BgNbdParams;
  /** How the fit went: convergence, log-likelihood, standard errors. */
  declare readonly report: FitReport;
  /** The options used, defaults filled in. */
  declare readonly options: Required<BgNbdOptions>;

  private constructor(theta: ArrayLike<number>, report: FitReport, options: Required<BgNbdOptions>) {
    initMember(this, BgNbd.#spec, theta, report, options);
  }

  static #spec(): FamilySpec<BgNbd, Required<BgNbdOptions>> {
    return {
      kind: KIND,
      names: BG_FAMILY_NAMES,
      make: (theta, report, options) => new BgNbd(theta, report, options),
      fit: (customers, options, weights) => fitBgFamily(customers, MODIFIED, options.penalizer, weights),
      readOptions: readPenalizerOptions,
    };
  }


  /**
   * Fits the model to customer histories (e.g. `summarizeCustomers` output) by maximum likelihood.
   *
   * @example
   * ```ts
   * import { BgNbd } from '@crm/scoring';
   * const model = BgNbd.fit([
   *   { frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86, weight: 3 },
   *   { frequency: 1, recency: 1.71, T: 38.86 }, { frequency: 6, recency: 35, T: 38 },
   * ], { penalizer: 0 });
   * model.report.converged;
   * ```
   */
  static fit(customers: readonly WeightedHistory[], options?: BgNbdOptions): BgNbd {
    return fitMember(BgNbd.#spec(), customers, { penalizer: penalizerOption(options, 'BgNbd.fit') });
  }

  /**
   * Restores a model from {@link BgNbd.toJSON} output, checking every field.
   *
   * @throws {CrmError} `invalid_json` for anything but a valid BG/NBD model of this format version.
   * @example
   * ```ts
   * import { BgNbd } from '@crm/scoring';
   * const model = BgNbd.fit([
   *   { frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 },
   *   { frequency: 1, recency: 1.71, T: 38.86 }, { frequency: 6, recency: 35, T: 38 },
   * ]);
   * const copy = BgNbd.fromJSON(JSON.parse(JSON.stringify(model)));
   * ```
   */
  static fromJSON(json: unknown): BgNbd {
    return memberFromJSON(BgNbd.#spec(), json);
  }

  /**
   * Expected purchases in the next `t` periods: for a new customer (FHL 2005 eq. 9) or, given a
   * history, from T to T + t (eq. 10).
   *
   * @throws {CrmError} `invalid_argument` for a negative t, or when a ≤ 1 − b or a = 1 (no closed-form
   * mean); `non_finite_result` when t is so long (or the parameters so extreme) that the mean
   * overflows double precision.
   * @example
   * ```ts
   * import { BgNbd } from '@crm/scoring';
   * const model = BgNbd.fromJSON({
   *   kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.4, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.expectedPurchases(39, { frequency: 2, recency: 30.43, T: 38.86 }); // ≈ 1.226
   * ```
   */
  expectedPurchases(t: number, customer?: PurchaseHistory): number {
    checkHorizon(t);
    if (t === 0) return 0;
    return bgFamilyExpected(this.params, MODIFIED, [t], customer, (c) => this.probabilityAlive(c), () => ['t'])[0] as number;
  }

  /**
   * Expected cumulative purchases at each of several non-decreasing horizons, for a new customer
   * or given a history: the same numbers as {@link BgNbd.expectedPurchases} at each time, in
   * O(times) (the hypergeometric function is continued from one time to the next rather than
   * summed afresh), which is what `customerLifetimeValue` uses.
   *
   * @throws {CrmError} `invalid_argument` for times that are negative, non-finite or decreasing,
   * and as {@link BgNbd.expectedPurchases}.
   * @example
   * ```ts
   * import { BgNbd } from '@crm/scoring';
   * const model = BgNbd.fromJSON({
   *   kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
   *   report: { converged: true, iterations: 0, logLikelihood: 0, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.cumulativePurchases([13, 26, 39], { frequency: 2, recency: 30.43, T: 38.86 }); // non-decreasing
   * ```
   */
  cumulativePurchases(times: readonly number[], customer?: PurchaseHistory): number[] {
    return bgFamilyExpected(this.params, MODIFIED, checkTimes(times), customer, (c) => this.probabilityAlive(c), (i) => ['times', i]);
  }

  /**
   * Probability that the customer is still alive at T (FHL 2005 eq. 12). Exactly 1 when
   * frequency is 0: a known property of BG/NBD (dropout happens only after a purchase); use
   * {@link ModifiedBgNbd} if one-time buyers should be able to have left.
   *
   * @example
   * ```ts
   * import { BgNbd } from '@crm/scoring';
   * const model = BgNbd.fromJSON({
   *   kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.4, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.probabilityAlive({ frequency: 2, recency: 30.43, T: 38.86 }); // ≈ 0.73
   * ```
   */
  probabilityAlive(customer: PurchaseHistory): number {
    const { x, tx, T } = checkHistory(customer, ['customer']);
    if (x === 0) return 1;
    const { r, alpha, a, b } = this.params;
    const lnD = Math.log(a / (b + x - 1)) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
    return lnD > 0 ? Math.exp(-lnD) / (1 + Math.exp(-lnD)) : 1 / (1 + Math.exp(lnD));
  }

  /**
   * P(X(t) = n): probability that a new customer makes exactly `n` purchases in `t` periods
   * (FHL 2005 eq. 8).
   *
   * Cost O(n) (about n + 1 terms), bounded by `options.maxTerms`.
   *
   * @throws {CrmError} `invalid_argument` when t < 0, n is not a whole number ≥ 0 or an option is
   * unknown; `limit_exceeded` at `['options', 'maxTerms']` when n needs more terms than it allows;
   * `non_finite_result` if the probability cannot be computed in double precision.
   * @example
   * ```ts
   * import { BgNbd } from '@crm/scoring';
   * const model = BgNbd.fromJSON({
   *   kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.4, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.probabilityOfPurchases(39, 0); // ≈ 0.5738
   * ```
   */
  probabilityOfPurchases(t: number, n: number, options?: PurchaseCountOptions): number {
    checkHorizon(t);
    checkCount(n);
    checkCountCost(options, n, 'BgNbd.probabilityOfPurchases');
    const { r, alpha, a, b } = this.params;
    if (t === 0) return n === 0 ? 1 : 0;
    return finiteResult(bgNbdPmf(r, alpha, a, b, t, n), 'the probability', ['t']);
  }

  /**
   * Log-likelihood of one history at the fitted parameters (the terms `report.logLikelihood`
   * sums), computed in log-sum-exp form so that hundreds of purchases do not overflow.
   *
   * @example
   * ```ts
   * import { BgNbd } from '@crm/scoring';
   * const model = BgNbd.fromJSON({
   *   kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.25, alpha: 4, a: 0.8, b: 2.5 },
   *   report: { converged: true, iterations: 0, logLikelihood: 0, message: 'given', method: 'bfgs', observations: 1, standardErrors: null },
   * });
   * model.logLikelihood({ frequency: 200, recency: 38, T: 40 }); // 100.7957, no overflow
   * ```
   */
  logLikelihood(customer: PurchaseHistory): number {
    const { x, tx, T } = checkHistory(customer, ['customer']);
    return bgFamilyLogLikelihood(this.params, x, tx, T, false);
  }

  /**
   * P(X(t) = n | history): probability that a customer with history (x, tₓ, T) makes exactly `n`
   * purchases in (T, T + t], lifetimes' `conditional_probability_of_n_purchases_up_to_time`.
   * A customer who has left makes none; one still alive has, given the history, purchase rate
   * λ ~ Gamma(r + x, α + T) and dropout probability p ~ Beta(a, b + x) and from T on purchases
   * like a new customer, so P = [n = 0]·(1 − P(alive)) + P(alive)·P₈(X(t) = n) with P₈ FHL 2005
   * eq. 8 at (r + x, α + T, a, b + x) (Fader, Hardie & Lee 2005; the conditional pmf in the form of
   * Fader & Hardie's notes). Summed over n it is 1, and Σ n·P is {@link BgNbd.expectedPurchases}.
   *
   * Cost O(n) (about n + 1 terms), bounded by `options.maxTerms`.
   *
   * @throws {CrmError} `invalid_argument` when t < 0, n is not a whole number ≥ 0 or an option is
   * unknown; `invalid_summary` / `invalid_input` for a bad history (path `['customer', …]`);
   * `limit_exceeded` at `['options', 'maxTerms']` when n needs more terms than it allows.
   * @example
   * ```ts
   * import { BgNbd } from '@crm/scoring';
   * const model = BgNbd.fromJSON({
   *   kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.4, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * const customer = { frequency: 2, recency: 30.43, T: 38.86 };
   * model.conditionalProbabilityOfPurchases(39, 0, customer); // no purchase in the next 39 weeks
   * model.conditionalProbabilityOfPurchases(39, 2, customer); // exactly two
   * ```
   */
  conditionalProbabilityOfPurchases(t: number, n: number, customer: PurchaseHistory, options?: PurchaseCountOptions): number {
    checkHorizon(t);
    checkCount(n);
    checkCountCost(options, n, 'BgNbd.conditionalProbabilityOfPurchases');
    return this.#conditionalPmf(t, n, customer);
  }

  #conditionalPmf(t: number, n: number, customer: PurchaseHistory): number {
    const { x, T } = checkHistory(customer, ['customer']);
    const alive = this.probabilityAlive(customer);
    if (t === 0) return n === 0 ? 1 : 0;
    return finiteResult(bgFamilyConditionalPmf(this.params, MODIFIED, t, n, x, T, alive), 'the probability', ['customer']);
  }

  /**
   * {@link BgNbd.expectedPurchases} given each customer's history, for many customers at once:
   * the same numbers bit for bit, at the same cost per customer, in a `Float64Array`.
   *
   * @throws {CrmError} as {@link BgNbd.expectedPurchases}, with the customer's path
   * `['customers', i, …]`; `invalid_argument` when `customers` is not an array.
   * @example
   * ```ts
   * import { BgNbd } from '@crm/scoring';
   * const model = BgNbd.fromJSON({
   *   kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.4, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.expectedPurchasesMany(39, [{ frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 }]);
   * ```
   */
  expectedPurchasesMany(t: number, customers: readonly PurchaseHistory[]): Float64Array {
    checkHorizon(t);
    return predictMany(customers, (c: PurchaseHistory) => this.expectedPurchases(t, c));
  }

  /**
   * {@link BgNbd.probabilityAlive} of many customers at once, bit for bit the single results.
   *
   * @throws {CrmError} as {@link BgNbd.probabilityAlive}, with the path `['customers', i, …]`.
   * @example
   * ```ts
   * import { BgNbd } from '@crm/scoring';
   * const model = BgNbd.fromJSON({
   *   kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.4, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.probabilityAliveMany([{ frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 1, recency: 1.71, T: 38.86 }]);
   * ```
   */
  probabilityAliveMany(customers: readonly PurchaseHistory[]): Float64Array {
    return predictMany(customers, (c: PurchaseHistory) => this.probabilityAlive(c));
  }

  /**
   * {@link BgNbd.conditionalProbabilityOfPurchases} of many customers at once (options read once),
   * bit for bit the single results.
   *
   * @throws {CrmError} as {@link BgNbd.conditionalProbabilityOfPurchases}, with the path
   * `['customers', i, …]` for a bad history.
   * @example
   * ```ts
   * import { BgNbd } from '@crm/scoring';
   * const model = BgNbd.fromJSON({
   *   kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.4, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.conditionalProbabilityOfPurchasesMany(39, 1, [{ frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 }]);
   * ```
   */
  conditionalProbabilityOfPurchasesMany(t: number, n: number, customers: readonly PurchaseHistory[], options?: PurchaseCountOptions): Float64Array {
    checkHorizon(t);
    checkCount(n);
    checkCountCost(options, n, 'BgNbd.conditionalProbabilityOfPurchasesMany');
    return predictMany(customers, (c: PurchaseHistory) => this.#conditionalPmf(t, n, c));
  }

  /**
   * {@link BgNbd.logLikelihood} of many customers at once, bit for bit the single results.
   *
   * @throws {CrmError} as {@link BgNbd.logLikelihood}, with the path `['customers', i, …]`.
   * @example
   * ```ts
   * import { BgNbd } from '@crm/scoring';
   * const model = BgNbd.fromJSON({
   *   kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.4, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.logLikelihoodMany([{ frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 }]);
   * ```
   */
  logLikelihoodMany(customers: readonly PurchaseHistory[]): Float64Array {
    return predictMany(customers, (c: PurchaseHistory) => this.logLikelihood(c));
  }

  /**
   * Plain data for `JSON.stringify`; {@link BgNbd.fromJSON} restores an identical model.
   *
   * @example
   * ```ts
   * import { BgNbd } from '@crm/scoring';
   * const model = BgNbd.fit([
   *   { frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 },
   *   { frequency: 1, recency: 1.71, T: 38.86 }, { frequency: 6, recency: 35, T: 38 },
   * ]);
   * JSON.stringify(model.toJSON());
   * ```
   */
  toJSON(): BgNbdJson {
    return memberToJSON(this) as BgNbdJson;
  }
}
