import { finiteResult, type PurchaseHistory } from '@crm/core';
import { penalizerOption, readPenalizerOptions, type FitReport } from './fit.ts';
import { checkHistory, checkHorizon, checkTimes, type WeightedHistory } from './history.ts';
import { fitMember, initMember, memberFromJSON, memberToJSON, type FamilySpec } from './family.ts';
import type { PurchaseModel } from './roles.ts';
import { BG_FAMILY_NAMES, bgFamilyConditionalPmf, bgFamilyExpected, bgFamilyLogLikelihood, fitBgFamily } from './bg-family.ts';
import { predictMany } from './many.ts';
import { checkCount, checkCountCost, negativeBinomialTail, type PurchaseCountOptions } from './counts.ts';
import { logBeta, logGamma } from './special.ts';
import type { BgNbdOptions, BgNbdParams } from './bg-nbd.ts';

/**
 * MBG/NBD parameters: purchase rates λ ~ Gamma(shape `r`, rate `alpha`) while alive; at the first
 * purchase and after each repeat purchase the customer drops out with probability
 * p ~ Beta(`a`, `b`). `alpha` is in the time unit of the data. The fields are those of
 * {@link BgNbdParams}.
 *
 * @example
 * ```ts
 * import type { ModifiedBgNbdParams } from '@crm/scoring';
 * const btydplus: ModifiedBgNbdParams = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 }; // CDNOW, weeks
 * ```
 */
export interface ModifiedBgNbdParams extends BgNbdParams {}

/**
 * Options of {@link ModifiedBgNbd.fit}: those of {@link BgNbdOptions | BG/NBD} (the same penalty).
 *
 * @example
 * ```ts
 * import type { ModifiedBgNbdOptions } from '@crm/scoring';
 * const options: ModifiedBgNbdOptions = { penalizer: 0.01 };
 * ```
 */
export interface ModifiedBgNbdOptions extends BgNbdOptions {}

/**
 * The plain-data form of a fitted {@link ModifiedBgNbd} (`model.toJSON()`).
 *
 * @example
 * ```ts
 * import type { ModifiedBgNbdJson } from '@crm/scoring';
 * const read = (json: ModifiedBgNbdJson) => json.params.r;
 * ```
 */
export interface ModifiedBgNbdJson {
  /** Model identifier. */
  readonly kind: 'crm.scoring.modified-bg-nbd';
  /** Format version of this JSON. */
  readonly version: 1;
  /** The options of the fit. */
  readonly options: Required<ModifiedBgNbdOptions>;
  /** The fitted parameters. */
  readonly params: ModifiedBgNbdParams;
  /** How the fit went. */
  readonly report: FitReport;
}

const KIND = 'crm.scoring.modified-bg-nbd';
/** Whether this is the modified (MBG/NBD) likelihood and mean. */
const MODIFIED = true;

/**
 * MBG/NBD purchase model (Batislam, Denizel & Filiztekin 2007; Hoppe & Wagner 2007): BG/NBD
 * with a chance of dropping out right after the first purchase too, so customers without repeat
 * purchases can be inactive (P(alive) < 1), which BG/NBD cannot express. Fits by maximum
 * likelihood (BFGS on log-parameters, analytic gradient; identical rows merged; optional
 * `weight` per row). Times are in the unit of your summaries.
 *
 * @example
 * ```ts
 * import { ModifiedBgNbd } from '@crm/scoring';
 * const summaries = [
 *   { frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 1, recency: 1.71, T: 38.86 },
 *   { frequency: 0, recency: 0, T: 38.86 }, { frequency: 5, recency: 20, T: 30 },
 * ];
 * const model = ModifiedBgNbd.fit(summaries);
 * model.expectedPurchases(52, summaries[0]);
 * model.probabilityAlive(summaries[2]); // < 1, unlike BG/NBD
 * ```
 * @throws {CrmError} `invalid_summary`, `invalid_input` or `degenerate_data` as {@link BgNbd.fit}.
 * @see https://doi.org/10.1016/j.ijresmar.2006.12.005
 */
export class ModifiedBgNbd implements PurchaseModel {
  /** Always `'crm.scoring.modified-bg-nbd'`. */
  readonly kind: 'crm.scoring.modified-bg-nbd' = KIND;
  /** Maximum-likelihood estimates. */
  declare readonly params: ModifiedBgNbdParams;
  /** How the fit went: convergence, log-likelihood, standard errors. */
  declare readonly report: FitReport;
  /** The options used, defaults filled in. */
  declare readonly options: Required<ModifiedBgNbdOptions>;

  private constructor(theta: ArrayLike<number>, report: FitReport, options: Required<ModifiedBgNbdOptions>) {
    initMember(this, ModifiedBgNbd.#spec, theta, report, options);
  }

  static #spec(): FamilySpec<ModifiedBgNbd, Required<ModifiedBgNbdOptions>> {
    return {
      kind: KIND,
      names: BG_FAMILY_NAMES,
      make: (theta, report, options) => new ModifiedBgNbd(theta, report, options),
      fit: (customers, options, weights) => fitBgFamily(customers, MODIFIED, options.penalizer, weights),
      readOptions: readPenalizerOptions,
    };
  }


  /**
   * Fits the model to customer histories (e.g. `summarizeCustomers` output) by maximum likelihood.
   *
   * @example
   * ```ts
   * import { ModifiedBgNbd } from '@crm/scoring';
   * const model = ModifiedBgNbd.fit([
   *   { frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86, weight: 3 },
   *   { frequency: 1, recency: 1.71, T: 38.86 }, { frequency: 6, recency: 35, T: 38 },
   * ], { penalizer: 0 });
   * model.report.converged;
   * ```
   */
  static fit(customers: readonly WeightedHistory[], options?: ModifiedBgNbdOptions): ModifiedBgNbd {
    return fitMember(ModifiedBgNbd.#spec(), customers, { penalizer: penalizerOption(options, 'ModifiedBgNbd.fit') });
  }

  /**
   * Restores a model from {@link ModifiedBgNbd.toJSON} output, checking every field.
   *
   * @throws {CrmError} `invalid_json` for anything but a valid MBG/NBD model of this format version.
   * @example
   * ```ts
   * import { ModifiedBgNbd } from '@crm/scoring';
   * const model = ModifiedBgNbd.fit([
   *   { frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 },
   *   { frequency: 1, recency: 1.71, T: 38.86 }, { frequency: 6, recency: 35, T: 38 },
   * ]);
   * const copy = ModifiedBgNbd.fromJSON(JSON.parse(JSON.stringify(model)));
   * ```
   */
  static fromJSON(json: unknown): ModifiedBgNbd {
    return memberFromJSON(ModifiedBgNbd.#spec(), json);
  }

  /**
   * Expected purchases in the next `t` periods: for a new customer or, given a history, from T
   * to T + t (Batislam et al. 2007, eqs. 8 and 10).
   *
   * @throws {CrmError} `invalid_argument` for a negative t, or at a = 1 (no closed form);
   * `non_finite_result` when the mean overflows double precision.
   * @example
   * ```ts
   * import { ModifiedBgNbd } from '@crm/scoring';
   * const model = ModifiedBgNbd.fromJSON({
   *   kind: 'crm.scoring.modified-bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.1, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.expectedPurchases(39, { frequency: 2, recency: 30.43, T: 38.86 }); // ≈ 1.26
   * ```
   */
  expectedPurchases(t: number, customer?: PurchaseHistory): number {
    checkHorizon(t);
    if (t === 0) return 0;
    return bgFamilyExpected(this.params, MODIFIED, [t], customer, (c) => this.probabilityAlive(c), () => ['t'])[0] as number;
  }

  /**
   * Expected cumulative purchases at each of several non-decreasing horizons, for a new customer
   * or given a history: the same numbers as {@link ModifiedBgNbd.expectedPurchases} at each time, in
   * O(times) (the hypergeometric function is continued from one time to the next rather than
   * summed afresh), which is what `customerLifetimeValue` uses.
   *
   * @throws {CrmError} `invalid_argument` for times that are negative, non-finite or decreasing,
   * and as {@link ModifiedBgNbd.expectedPurchases}.
   * @example
   * ```ts
   * import { ModifiedBgNbd } from '@crm/scoring';
   * const model = ModifiedBgNbd.fromJSON({
   *   kind: 'crm.scoring.modified-bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
   *   report: { converged: true, iterations: 0, logLikelihood: 0, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.cumulativePurchases([13, 26, 39], { frequency: 2, recency: 30.43, T: 38.86 }); // non-decreasing
   * ```
   */
  cumulativePurchases(times: readonly number[], customer?: PurchaseHistory): number[] {
    return bgFamilyExpected(this.params, MODIFIED, checkTimes(times), customer, (c) => this.probabilityAlive(c), (i) => ['times', i]);
  }

  /**
   * Probability that the customer is still alive at T: 1/(1 + a/(b+x)·((α+T)/(α+tₓ))^(r+x)),
   * below 1 even without repeat purchases.
   *
   * @example
   * ```ts
   * import { ModifiedBgNbd } from '@crm/scoring';
   * const model = ModifiedBgNbd.fromJSON({
   *   kind: 'crm.scoring.modified-bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.1, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.probabilityAlive({ frequency: 0, recency: 0, T: 38.86 }); // ≈ 0.39
   * ```
   */
  probabilityAlive(customer: PurchaseHistory): number {
    const { x, tx, T } = checkHistory(customer, ['customer']);
    const { r, alpha, a, b } = this.params;
    const lnD = Math.log(a / (b + x)) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
    return lnD > 0 ? Math.exp(-lnD) / (1 + Math.exp(-lnD)) : 1 / (1 + Math.exp(lnD));
  }

  /**
   * P(X(t) = n) for a new customer: alive after n purchases, or dropped out right after the
   * n-th (n = 0: right after the first purchase) with at least n purchases by t.
   *
   * Cost O(n) (about n + 1 terms), bounded by `options.maxTerms`.
   *
   * @throws {CrmError} `invalid_argument` when t < 0, n is not a whole number ≥ 0 or an option is
   * unknown; `limit_exceeded` at `['options', 'maxTerms']` when n needs more terms than it allows;
   * `non_finite_result` if the probability cannot be computed in double precision.
   * @example
   * ```ts
   * import { ModifiedBgNbd } from '@crm/scoring';
   * const model = ModifiedBgNbd.fromJSON({
   *   kind: 'crm.scoring.modified-bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.1, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.probabilityOfPurchases(39, 0);
   * ```
   */
  probabilityOfPurchases(t: number, n: number, options?: PurchaseCountOptions): number {
    checkHorizon(t);
    checkCount(n);
    checkCountCost(options, n, 'ModifiedBgNbd.probabilityOfPurchases');
    const { r, alpha, a, b } = this.params;
    if (t === 0) return n === 0 ? 1 : 0;
    const lnB = logBeta(a, b);
    const lnP = Math.log(alpha / (alpha + t));
    const lnQ = Math.log(t / (alpha + t));
    const lnNbd = (j: number): number => logGamma(r + j) - logGamma(r) - logGamma(j + 1) + r * lnP + j * lnQ;
    const alive = Math.exp(logBeta(a, b + n + 1) - lnB + lnNbd(n));
    const dropped = Math.exp(logBeta(a + 1, b + n) - lnB) * (n === 0 ? 1 : negativeBinomialTail(lnNbd, r, lnQ, n));
    return finiteResult(Math.min(1, Math.max(0, alive + dropped)), 'the probability', ['t']);
  }

  /**
   * Log-likelihood of one history at the fitted parameters (the terms `report.logLikelihood`
   * sums), computed in log-sum-exp form so that hundreds of purchases do not overflow.
   *
   * @example
   * ```ts
   * import { ModifiedBgNbd } from '@crm/scoring';
   * const model = ModifiedBgNbd.fromJSON({
   *   kind: 'crm.scoring.modified-bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.1, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.logLikelihood({ frequency: 2, recency: 30.43, T: 38.86 });
   * ```
   */
  logLikelihood(customer: PurchaseHistory): number {
    const { x, tx, T } = checkHistory(customer, ['customer']);
    return bgFamilyLogLikelihood(this.params, x, tx, T, true);
  }

  /**
   * P(X(t) = n | history): probability that a customer with history (x, tₓ, T) makes exactly `n`
   * purchases in (T, T + t], lifetimes' `conditional_probability_of_n_purchases_up_to_time`.
   * A customer who has left makes none; one still alive has, given the history, purchase rate
   * λ ~ Gamma(r + x, α + T) and dropout probability p ~ Beta(a, b + x + 1) (it survived x + 1
   * chances to drop out: right after the first purchase and after each repeat) and from T on drops
   * out only after purchases, so P = [n = 0]·(1 − P(alive)) + P(alive)·P₈(X(t) = n) with P₈ the
   * BG/NBD pmf (FHL 2005 eq. 8) at (r + x, α + T, a, b + x + 1) (Batislam, Denizel & Filiztekin
   * 2007 for the model; derived as Fader & Hardie derive the BG/NBD conditional pmf). Summed over n it is 1, and Σ n·P is {@link ModifiedBgNbd.expectedPurchases}.
   *
   * Cost O(n) (about n + 1 terms), bounded by `options.maxTerms`.
   *
   * @throws {CrmError} `invalid_argument` when t < 0, n is not a whole number ≥ 0 or an option is
   * unknown; `invalid_summary` / `invalid_input` for a bad history (path `['customer', …]`);
   * `limit_exceeded` at `['options', 'maxTerms']` when n needs more terms than it allows.
   * @example
   * ```ts
   * import { ModifiedBgNbd } from '@crm/scoring';
   * const model = ModifiedBgNbd.fromJSON({
   *   kind: 'crm.scoring.modified-bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.1, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * const customer = { frequency: 2, recency: 30.43, T: 38.86 };
   * model.conditionalProbabilityOfPurchases(39, 0, customer); // no purchase in the next 39 weeks
   * model.conditionalProbabilityOfPurchases(39, 2, customer); // exactly two
   * ```
   */
  conditionalProbabilityOfPurchases(t: number, n: number, customer: PurchaseHistory, options?: PurchaseCountOptions): number {
    checkHorizon(t);
    checkCount(n);
    checkCountCost(options, n, 'ModifiedBgNbd.conditionalProbabilityOfPurchases');
    return this.#conditionalPmf(t, n, customer);
  }

  #conditionalPmf(t: number, n: number, customer: PurchaseHistory): number {
    const { x, T } = checkHistory(customer, ['customer']);
    const alive = this.probabilityAlive(customer);
    if (t === 0) return n === 0 ? 1 : 0;
    return finiteResult(bgFamilyConditionalPmf(this.params, MODIFIED, t, n, x, T, alive), 'the probability', ['customer']);
  }

  /**
   * {@link ModifiedBgNbd.expectedPurchases} given each customer's history, for many customers at once:
   * the same numbers bit for bit, at the same cost per customer, in a `Float64Array`.
   *
   * @throws {CrmError} as {@link ModifiedBgNbd.expectedPurchases}, with the customer's path
   * `['customers', i, …]`; `invalid_argument` when `customers` is not an array.
   * @example
   * ```ts
   * import { ModifiedBgNbd } from '@crm/scoring';
   * const model = ModifiedBgNbd.fromJSON({
   *   kind: 'crm.scoring.modified-bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.1, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.expectedPurchasesMany(39, [{ frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 }]);
   * ```
   */
  expectedPurchasesMany(t: number, customers: readonly PurchaseHistory[]): Float64Array {
    checkHorizon(t);
    return predictMany(customers, (c: PurchaseHistory) => this.expectedPurchases(t, c));
  }

  /**
   * {@link ModifiedBgNbd.probabilityAlive} of many customers at once, bit for bit the single results.
   *
   * @throws {CrmError} as {@link ModifiedBgNbd.probabilityAlive}, with the path `['customers', i, …]`.
   * @example
   * ```ts
   * import { ModifiedBgNbd } from '@crm/scoring';
   * const model = ModifiedBgNbd.fromJSON({
   *   kind: 'crm.scoring.modified-bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.1, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.probabilityAliveMany([{ frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 1, recency: 1.71, T: 38.86 }]);
   * ```
   */
  probabilityAliveMany(customers: readonly PurchaseHistory[]): Float64Array {
    return predictMany(customers, (c: PurchaseHistory) => this.probabilityAlive(c));
  }

  /**
   * {@link ModifiedBgNbd.conditionalProbabilityOfPurchases} of many customers at once (options read once),
   * bit for bit the single results.
   *
   * @throws {CrmError} as {@link ModifiedBgNbd.conditionalProbabilityOfPurchases}, with the path
   * `['customers', i, …]` for a bad history.
   * @example
   * ```ts
   * import { ModifiedBgNbd } from '@crm/scoring';
   * const model = ModifiedBgNbd.fromJSON({
   *   kind: 'crm.scoring.modified-bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.1, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.conditionalProbabilityOfPurchasesMany(39, 1, [{ frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 }]);
   * ```
   */
  conditionalProbabilityOfPurchasesMany(t: number, n: number, customers: readonly PurchaseHistory[], options?: PurchaseCountOptions): Float64Array {
    checkHorizon(t);
    checkCount(n);
    checkCountCost(options, n, 'ModifiedBgNbd.conditionalProbabilityOfPurchasesMany');
    return predictMany(customers, (c: PurchaseHistory) => this.#conditionalPmf(t, n, c));
  }

  /**
   * {@link ModifiedBgNbd.logLikelihood} of many customers at once, bit for bit the single results.
   *
   * @throws {CrmError} as {@link ModifiedBgNbd.logLikelihood}, with the path `['customers', i, …]`.
   * @example
   * ```ts
   * import { ModifiedBgNbd } from '@crm/scoring';
   * const model = ModifiedBgNbd.fromJSON({
   *   kind: 'crm.scoring.modified-bg-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9582.1, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.logLikelihoodMany([{ frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 }]);
   * ```
   */
  logLikelihoodMany(customers: readonly PurchaseHistory[]): Float64Array {
    return predictMany(customers, (c: PurchaseHistory) => this.logLikelihood(c));
  }

  /**
   * Plain data for `JSON.stringify`; {@link ModifiedBgNbd.fromJSON} restores an identical model.
   *
   * @example
   * ```ts
   * import { ModifiedBgNbd } from '@crm/scoring';
   * const model = ModifiedBgNbd.fit([
   *   { frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 },
   *   { frequency: 1, recency: 1.71, T: 38.86 }, { frequency: 6, recency: 35, T: 38 },
   * ]);
   * JSON.stringify(model.toJSON());
   * ```
   */
  toJSON(): ModifiedBgNbdJson {
    return memberToJSON(this) as ModifiedBgNbdJson;
  }
}
