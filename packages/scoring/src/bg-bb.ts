import {
  CrmError,
  finiteResult,
  numberOption,
  ownValue,
  readNumber,
  readObject,
  readOptions,
  type CrmPath,
  type PurchaseHistory,
} from '@crm/core';
import { checkCount } from './counts.ts';
import { fitLogParameters, penalizerOption, readPenalizerOption, type FitReport } from './fit.ts';
import { fitMember, initMember, memberFromJSON, memberToJSON, type FamilySpec } from './family.ts';
import { checkArray, checkHistory, checkTimes, readHistories, requireRepeatPurchases, type WeightedHistory } from './history.ts';
import type { PurchaseModel } from './roles.ts';
import { predictMany } from './many.ts';
import { digamma, logBeta, logGamma } from './special.ts';

/**
 * BG/BB parameters: at each opportunity an active customer transacts with probability
 * p ~ Beta(`alpha`, `beta`) and drops out with probability θ ~ Beta(`gamma`, `delta`).
 *
 * @example
 * ```ts
 * import type { BgBbParams } from '@crm/scoring';
 * const donations: BgBbParams = { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }; // FHS 2010
 * ```
 */
export interface BgBbParams {
  /** First shape of the beta distribution of the transaction probability. */
  readonly alpha: number;
  /** Second shape of the beta distribution of the transaction probability. */
  readonly beta: number;
  /** First shape of the beta distribution of the dropout probability. */
  readonly gamma: number;
  /** Second shape of the beta distribution of the dropout probability. */
  readonly delta: number;
}

/**
 * Options of {@link BgBb.fit}.
 *
 * @example
 * ```ts
 * import type { BgBbOptions } from '@crm/scoring';
 * const options: BgBbOptions = { penalizer: 0 };
 * ```
 */
export interface BgBbOptions {
  /** L2 penalty λ·(α² + β² + γ² + δ²) on the mean negative log-likelihood, 0 to 1e6. Default 0. */
  readonly penalizer?: number | undefined;
  /**
   * Most opportunities a history (T), or a `t` of `probabilityOfPurchases`, may span: the
   * likelihood of a history sums T − recency + 1 terms, so the cost of the fit and of every
   * prediction grows with it. Default 100,000 (far beyond yearly, monthly or weekly data);
   * larger values are refused with `limit_exceeded` naming this option. Kept with the model.
   */
  readonly maxOpportunities?: number | undefined;
}

/** Default of {@link BgBbOptions.maxOpportunities}. */
const DEFAULT_MAX_OPPORTUNITIES = 100_000;

/**
 * The plain-data form of a fitted {@link BgBb}.
 *
 * @example
 * ```ts
 * import type { BgBbJson } from '@crm/scoring';
 * const read = (json: BgBbJson) => json.params.delta;
 * ```
 */
export interface BgBbJson {
  /** Model identifier. */
  readonly kind: 'crm.scoring.bg-bb';
  /** Format version of this JSON. */
  readonly version: 1;
  /** The options of the fit. */
  readonly options: Required<BgBbOptions>;
  /** The fitted parameters. */
  readonly params: BgBbParams;
  /** How the fit went. */
  readonly report: FitReport;
}

const KIND = 'crm.scoring.bg-bb';
const NAMES: readonly string[] = ['alpha', 'beta', 'gamma', 'delta'];
/** Below this |γ − 1| the expected-transactions formula uses its γ → 1 limit. */
const GAMMA_ONE = 1e-10;

/**
 * BG/BB purchase model for discrete opportunities (Fader, Hardie & Shang 2010): at each
 * opportunity (a yearly fund-raiser, a weekly issue, a flight season) an active customer
 * transacts with a constant probability and may drop out. Histories use the
 * `PurchaseHistory` (from @crm/core) fields with whole numbers: `frequency` = transactions x (one at most per
 * opportunity, not counting the first), `recency` = opportunity of the last one tₓ, `T` = number
 * of opportunities n. Grouped patterns fit directly with `weight`. Fits by maximum likelihood
 * (BFGS on log-parameters, analytic gradient) in O(patterns · n · iterations).
 *
 * @example
 * ```ts
 * import { BgBb } from '@crm/scoring';
 * const model = BgBb.fit([
 *   { frequency: 0, recency: 0, T: 6, weight: 3464 }, { frequency: 1, recency: 1, T: 6, weight: 1091 },
 *   { frequency: 3, recency: 5, T: 6, weight: 225 }, { frequency: 6, recency: 6, T: 6, weight: 1203 },
 * ]);
 * model.expectedPurchases(5, { frequency: 3, recency: 5, T: 6 }); // in the next 5 opportunities
 * ```
 * @throws {CrmError} `invalid_summary` for fractional recency or T, frequency > recency or the
 * other summary faults of {@link BgNbd.fit}; `degenerate_data` without repeat transactions;
 * `invalid_argument` for a bad or unknown option; `limit_exceeded` for a history longer than
 * `maxOpportunities`.
 * @see https://doi.org/10.1287/mksc.1100.0580
 */
export class BgBb implements PurchaseModel {
  /** Always `'crm.scoring.bg-bb'`. */
  readonly kind: 'crm.scoring.bg-bb' = KIND;
  /** Maximum-likelihood estimates. */
  declare readonly params: BgBbParams;
  /** How the fit went. */
  declare readonly report: FitReport;
  /** The options used, defaults filled in. */
  declare readonly options: Required<BgBbOptions>;

  private constructor(theta: ArrayLike<number>, report: FitReport, options: Required<BgBbOptions>) {
    initMember(this, BgBb.#spec, theta, report, options);
  }

  static #spec(): FamilySpec<BgBb, Required<BgBbOptions>> {
    return {
      kind: KIND,
      names: NAMES,
      make: (theta, report, options) => new BgBb(theta, report, options),
      fit: fitBgBb,
      readOptions: readBgBbOptions,
    };
  }


  /**
   * Fits the model to (weighted) opportunity patterns by maximum likelihood.
   *
   * @example
   * ```ts
   * import { BgBb } from '@crm/scoring';
   * const model = BgBb.fit([
   *   { frequency: 0, recency: 0, T: 6, weight: 3464 }, { frequency: 2, recency: 4, T: 6, weight: 155 },
   *   { frequency: 5, recency: 6, T: 6, weight: 728 }, { frequency: 6, recency: 6, T: 6, weight: 1203 },
   * ]);
   * model.params;
   * ```
   */
  static fit(customers: readonly WeightedHistory[], options?: BgBbOptions): BgBb {
    const o = readOptions(options, ['penalizer', 'maxOpportunities'], 'BgBb.fit');
    const penalizer = penalizerOption({ penalizer: o.penalizer }, 'BgBb.fit');
    const maxOpportunities = numberOption(o, 'maxOpportunities', DEFAULT_MAX_OPPORTUNITIES, { min: 1, integer: true });
    return fitMember(BgBb.#spec(), customers, { penalizer, maxOpportunities });
  }

  /**
   * Restores a model from {@link BgBb.toJSON} output, checking every field.
   *
   * @throws {CrmError} `invalid_json` for anything but a valid BG/BB model.
   * @example
   * ```ts
   * import { BgBb } from '@crm/scoring';
   * const model = BgBb.fromJSON({
   *   kind: 'crm.scoring.bg-bb', version: 1, options: { penalizer: 0 },
   *   params: { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 },
   *   report: { converged: true, iterations: 0, logLikelihood: -33225.6, message: 'published', method: 'bfgs', observations: 11104, standardErrors: null },
   * });
   * ```
   */
  static fromJSON(json: unknown): BgBb {
    return memberFromJSON(BgBb.#spec(), json);
  }

  /**
   * Log-likelihood of one history (FHS 2010 eq. 5).
   *
   * @example
   * ```ts
   * import { BgBb } from '@crm/scoring';
   * const model = BgBb.fromJSON({
   *   kind: 'crm.scoring.bg-bb', version: 1, options: { penalizer: 0 },
   *   params: { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 },
   *   report: { converged: true, iterations: 0, logLikelihood: -33225.6, message: 'published', method: 'bfgs', observations: 11104, standardErrors: null },
   * });
   * Math.exp(model.logLikelihood({ frequency: 6, recency: 6, T: 6 })); // P(6 of 6)
   * ```
   */
  logLikelihood(customer: PurchaseHistory): number {
    const { x, tx, T } = this.#history(customer);
    return bgBbLogLikelihood(this.params, x, tx, T);
  }

  /** Checks a history, including its span against `maxOpportunities`. */
  #history(customer: PurchaseHistory): { x: number; tx: number; T: number } {
    const h = checkHistory(customer, ['customer'], true);
    checkOpportunities(h.T, this.options.maxOpportunities, ['customer', 'T']);
    return h;
  }

  /**
   * Expected transactions in the next `t` opportunities (a whole number): for a new customer
   * (FHS 2010 eq. 8) or after the history (eq. 13).
   *
   * @throws {CrmError} `invalid_argument` unless t is a whole number ≥ 0.
   * @example
   * ```ts
   * import { BgBb } from '@crm/scoring';
   * const model = BgBb.fromJSON({
   *   kind: 'crm.scoring.bg-bb', version: 1, options: { penalizer: 0 },
   *   params: { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 },
   *   report: { converged: true, iterations: 0, logLikelihood: -33225.6, message: 'published', method: 'bfgs', observations: 11104, standardErrors: null },
   * });
   * model.expectedPurchases(5, { frequency: 6, recency: 6, T: 6 });
   * ```
   */
  expectedPurchases(t: number, customer?: PurchaseHistory): number {
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0) {
      throw new CrmError('invalid_argument', `t must be a whole number of opportunities ≥ 0, got ${String(t)}`, ['t']);
    }
    if (t === 0) return 0;
    return this.cumulativePurchases([t], customer)[0] as number;
  }

  /**
   * Expected transactions in each of several non-decreasing numbers of future opportunities:
   * the numbers of {@link BgBb.expectedPurchases} at each, with the history's likelihood
   * computed once, so O(T − recency + times).
   *
   * @throws {CrmError} `invalid_argument` unless times are whole numbers ≥ 0 in non-decreasing order.
   * @example
   * ```ts
   * import { BgBb } from '@crm/scoring';
   * const model = BgBb.fromJSON({
   *   kind: 'crm.scoring.bg-bb', version: 1, options: { penalizer: 0 },
   *   params: { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 },
   *   report: { converged: true, iterations: 0, logLikelihood: -33225.6, message: 'published', method: 'bfgs', observations: 11104, standardErrors: null },
   * });
   * model.cumulativePurchases([1, 2, 5], { frequency: 6, recency: 6, T: 6 }); // non-decreasing
   * ```
   */
  cumulativePurchases(times: readonly number[], customer?: PurchaseHistory): number[] {
    const ts = checkTimes(times, true);
    const { alpha, beta, gamma, delta } = this.params;
    let lnP: number;
    let T = 0;
    if (customer === undefined) {
      lnP = Math.log(alpha / (alpha + beta));
    } else {
      const h = this.#history(customer);
      T = h.T;
      lnP = logBeta(alpha + h.x + 1, beta + T - h.x) - logBeta(alpha, beta) - bgBbLogLikelihood(this.params, h.x, h.tx, T);
    }
    return ts.map((t, i) => (t === 0 ? 0 : finiteResult(Math.exp(lnP) * transactionsWhileAlive(gamma, delta, T, T + t), 'the expected transactions', ['times', i])));
  }

  /**
   * Probability that the customer is alive at opportunity T + `ahead` (FHS 2010 eq. 11);
   * `ahead` = 1 gives "P(alive) in the next period" as in the paper's Table 6.
   *
   * @example
   * ```ts
   * import { BgBb } from '@crm/scoring';
   * const model = BgBb.fromJSON({
   *   kind: 'crm.scoring.bg-bb', version: 1, options: { penalizer: 0 },
   *   params: { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 },
   *   report: { converged: true, iterations: 0, logLikelihood: -33225.6, message: 'published', method: 'bfgs', observations: 11104, standardErrors: null },
   * });
   * model.probabilityAlive({ frequency: 2, recency: 4, T: 6 }, 1); // ≈ 0.59
   * ```
   */
  probabilityAlive(customer: PurchaseHistory, ahead = 0): number {
    checkCount(ahead, 'ahead');
    const { x, tx, T } = this.#history(customer);
    const { alpha, beta, gamma, delta } = this.params;
    const lnAlive =
      logBeta(alpha + x, beta + T - x) - logBeta(alpha, beta) + logBeta(gamma, delta + T + ahead) - logBeta(gamma, delta);
    return Math.min(1, Math.exp(lnAlive - bgBbLogLikelihood(this.params, x, tx, T)));
  }

  /**
   * P(X(t) = n): probability that a new customer transacts in exactly `n` of the first `t`
   * opportunities (FHS 2010 eq. 7).
   *
   * @example
   * ```ts
   * import { BgBb } from '@crm/scoring';
   * const model = BgBb.fromJSON({
   *   kind: 'crm.scoring.bg-bb', version: 1, options: { penalizer: 0 },
   *   params: { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 },
   *   report: { converged: true, iterations: 0, logLikelihood: -33225.6, message: 'published', method: 'bfgs', observations: 11104, standardErrors: null },
   * });
   * model.probabilityOfPurchases(6, 0) * 11104; // ≈ 3455.76 donors with no repeat donation
   * ```
   */
  probabilityOfPurchases(t: number, n: number): number {
    checkCount(t, 't');
    checkCount(n);
    checkOpportunities(t, this.options.maxOpportunities, ['t']);
    if (n > t) return 0;
    const { alpha, beta, gamma, delta } = this.params;
    const lnB0 = logBeta(alpha, beta);
    const lnB1 = logBeta(gamma, delta);
    const lnChoose = (a: number, b: number): number => logGamma(a + 1) - logGamma(b + 1) - logGamma(a - b + 1);
    let p = Math.exp(lnChoose(t, n) + logBeta(alpha + n, beta + t - n) - lnB0 + logBeta(gamma, delta + t) - lnB1);
    for (let i = n; i < t; i++) {
      p += Math.exp(lnChoose(i, n) + logBeta(alpha + n, beta + i - n) - lnB0 + logBeta(gamma + 1, delta + i) - lnB1);
    }
    return finiteResult(Math.min(1, p), 'the probability', ['t']);
  }

  /**
   * {@link BgBb.expectedPurchases} given each customer's history, for many customers at once:
   * the same numbers bit for bit, at the same cost per customer, in a `Float64Array`.
   *
   * @throws {CrmError} as {@link BgBb.expectedPurchases}, with the customer's path
   * `['customers', i, …]`; `invalid_argument` when `customers` is not an array.
   * @example
   * ```ts
   * import { BgBb } from '@crm/scoring';
   * const model = BgBb.fromJSON({
   *   kind: 'crm.scoring.bg-bb', version: 1, options: { penalizer: 0 },
   *   params: { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 },
   *   report: { converged: true, iterations: 0, logLikelihood: -33225.6, message: 'published', method: 'bfgs', observations: 11104, standardErrors: null },
   * });
   * model.expectedPurchasesMany(5, [{ frequency: 6, recency: 6, T: 6 }, { frequency: 2, recency: 4, T: 6 }]);
   * ```
   */
  expectedPurchasesMany(t: number, customers: readonly PurchaseHistory[]): Float64Array {
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0) {
      throw new CrmError('invalid_argument', `t must be a whole number of opportunities ≥ 0, got ${String(t)}`, ['t']);
    }
    return predictMany(customers, (c: PurchaseHistory) => this.expectedPurchases(t, c));
  }

  /**
   * {@link BgBb.probabilityAlive} (at T + `ahead`) of many customers at once, bit for bit the
   * single results.
   *
   * @throws {CrmError} as {@link BgBb.probabilityAlive}, with the path `['customers', i, …]`.
   * @example
   * ```ts
   * import { BgBb } from '@crm/scoring';
   * const model = BgBb.fromJSON({
   *   kind: 'crm.scoring.bg-bb', version: 1, options: { penalizer: 0 },
   *   params: { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 },
   *   report: { converged: true, iterations: 0, logLikelihood: -33225.6, message: 'published', method: 'bfgs', observations: 11104, standardErrors: null },
   * });
   * model.probabilityAliveMany([{ frequency: 6, recency: 6, T: 6 }, { frequency: 2, recency: 4, T: 6 }], 1);
   * ```
   */
  probabilityAliveMany(customers: readonly PurchaseHistory[], ahead = 0): Float64Array {
    checkCount(ahead, 'ahead');
    return predictMany(customers, (c: PurchaseHistory) => this.probabilityAlive(c, ahead));
  }

  /**
   * {@link BgBb.logLikelihood} of many customers at once, bit for bit the single results.
   *
   * @throws {CrmError} as {@link BgBb.logLikelihood}, with the path `['customers', i, …]`.
   * @example
   * ```ts
   * import { BgBb } from '@crm/scoring';
   * const model = BgBb.fromJSON({
   *   kind: 'crm.scoring.bg-bb', version: 1, options: { penalizer: 0 },
   *   params: { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 },
   *   report: { converged: true, iterations: 0, logLikelihood: -33225.6, message: 'published', method: 'bfgs', observations: 11104, standardErrors: null },
   * });
   * model.logLikelihoodMany([{ frequency: 6, recency: 6, T: 6 }, { frequency: 0, recency: 0, T: 6 }]);
   * ```
   */
  logLikelihoodMany(customers: readonly PurchaseHistory[]): Float64Array {
    return predictMany(customers, (c: PurchaseHistory) => this.logLikelihood(c));
  }

  /**
   * Plain data for `JSON.stringify`; {@link BgBb.fromJSON} restores an identical model.
   *
   * @example
   * ```ts
   * import { BgBb } from '@crm/scoring';
   * const model = BgBb.fit([
   *   { frequency: 0, recency: 0, T: 6, weight: 3464 }, { frequency: 2, recency: 4, T: 6, weight: 155 },
   *   { frequency: 5, recency: 6, T: 6, weight: 728 }, { frequency: 6, recency: 6, T: 6, weight: 1203 },
   * ]);
   * JSON.stringify(model.toJSON());
   * ```
   */
  toJSON(): BgBbJson {
    return memberToJSON(this) as BgBbJson;
  }
}

/**
 * Maximum-likelihood fit of BG/BB (FHS 2010 eq. 5) to the opportunity patterns (their weights
 * times `weights[i]` when given), with the analytic gradient; returns (α, β, γ, δ) and the report.
 */
function fitBgBb(customers: unknown, options: Required<BgBbOptions>, weights: Float64Array | undefined): { theta: number[]; report: FitReport } {
  const rows = checkArray(customers, 'customers');
  for (let i = 0; i < rows.length; i++) {
    const T: unknown = (rows[i] as { T?: unknown } | null)?.T;
    if (typeof T === 'number') checkOpportunities(T, options.maxOpportunities, [i, 'T']);
  }
  const data = readHistories(rows, true, weights);
  requireRepeatPurchases(data, 'BG/BB');
  const { x, tx, T, w } = data;
  const m = x.length;
  let maxTerms = 1;
  for (let i = 0; i < m; i++) maxTerms = Math.max(maxTerms, (T[i] as number) - (tx[i] as number) + 1);
  const lnTerms = new Float64Array(maxTerms);
  const dTerms = new Float64Array(maxTerms * 4);
  const logLikelihood = (theta: Float64Array, grad: Float64Array | undefined): number => {
    const [al, be, ga, de] = theta as unknown as [number, number, number, number];
    const lnB0 = logBeta(al, be);
    const lnB1 = logBeta(ga, de);
    // d/dθ of −ln B(α,β) − ln B(γ,δ).
    const d0a = grad ? digamma(al + be) - digamma(al) : 0;
    const d0b = grad ? digamma(al + be) - digamma(be) : 0;
    const d0g = grad ? digamma(ga + de) - digamma(ga) : 0;
    const d0d = grad ? digamma(ga + de) - digamma(de) : 0;
    let ll = 0;
    const g = [0, 0, 0, 0];
    for (let i = 0; i < m; i++) {
      const xi = x[i] as number;
      const ti = tx[i] as number;
      const n = T[i] as number;
      // Term 0: alive through all n opportunities; term 1 + j: dropped out after opportunity tₓ + j.
      const count = n - ti + 1;
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < count; k++) {
        const kb = k === 0 ? n - xi : ti - xi + k - 1;
        const gShift = k === 0 ? 0 : 1;
        const md = k === 0 ? n : ti + k - 1;
        const v = logBeta(al + xi, be + kb) - lnB0 + logBeta(ga + gShift, de + md) - lnB1;
        lnTerms[k] = v;
        if (v > max) max = v;
        if (grad) {
          const abx = digamma(al + be + xi + kb);
          const gdm = digamma(ga + de + gShift + md);
          dTerms[k * 4] = digamma(al + xi) - abx + d0a;
          dTerms[k * 4 + 1] = digamma(be + kb) - abx + d0b;
          dTerms[k * 4 + 2] = digamma(ga + gShift) - gdm + d0g;
          dTerms[k * 4 + 3] = digamma(de + md) - gdm + d0d;
        }
      }
      let sum = 0;
      for (let k = 0; k < count; k++) sum += Math.exp((lnTerms[k] as number) - max);
      const wi = w[i] as number;
      ll += wi * (max + Math.log(sum));
      if (grad) {
        for (let k = 0; k < count; k++) {
          const share = (wi * Math.exp((lnTerms[k] as number) - max)) / sum;
          for (let c = 0; c < 4; c++) g[c] = (g[c] as number) + share * (dTerms[k * 4 + c] as number);
        }
      }
    }
    if (grad) for (let c = 0; c < 4; c++) grad[c] = (g[c] as number) * (theta[c] as number);
    return ll;
  };
  return fitLogParameters({
    names: NAMES,
    start: [1, 1, 1, 1],
    logLikelihood,
    analyticGradient: true,
    observations: data.total,
    penalizer: options.penalizer,
    penaltyScale: [1, 1, 1, 1],
  });
}

/**
 * Σ over opportunities n₀+1 … n₁ of P(still alive), up to the factor p: δ/(γ−1)·Γ(γ+δ)/Γ(1+δ)·
 * [Γ(1+δ+n₀)/Γ(γ+δ+n₀) − Γ(1+δ+n₁)/Γ(γ+δ+n₁)], with the γ → 1 limit taken explicitly.
 */
function transactionsWhileAlive(gamma: number, delta: number, n0: number, n1: number): number {
  const f = (n: number): number => logGamma(1 + delta + n) - logGamma(gamma + delta + n) + logGamma(gamma + delta) - logGamma(1 + delta);
  const f0 = f(n0);
  if (Math.abs(gamma - 1) < GAMMA_ONE) return delta * Math.exp(f0) * (digamma(1 + delta + n1) - digamma(1 + delta + n0));
  return ((delta / (gamma - 1)) * Math.exp(f0) * -Math.expm1(f(n1) - f0));
}

/** Refuses a span of opportunities beyond `maxOpportunities` before any work is done. */
function checkOpportunities(T: number, max: number, path: CrmPath): void {
  if (T > max) {
    throw new CrmError(
      'limit_exceeded',
      `${path.join('.')} spans ${T} opportunities, more than maxOpportunities (${max}); each costs a term of the BG/BB likelihood: ` +
        'raise options.maxOpportunities of BgBb.fit to allow it',
      path,
    );
  }
}

/** Reads the options of BG/BB model JSON. */
function readBgBbOptions(json: Readonly<Record<string, unknown>>): Required<BgBbOptions> {
  return { penalizer: readPenalizerOption(json), maxOpportunities: readMaxOpportunities(json) };
}

/** Reads `options.maxOpportunities` from model JSON (absent in JSON written before it existed: the default). */
function readMaxOpportunities(json: Readonly<Record<string, unknown>>): number {
  const obj = readObject(ownValue(json, 'options'), ['options']);
  if (ownValue(obj, 'maxOpportunities') === undefined) return DEFAULT_MAX_OPPORTUNITIES;
  return readNumber(obj, 'maxOpportunities', ['options'], { min: 1, integer: true, max: Number.MAX_SAFE_INTEGER });
}

/**
 * One history's log-likelihood (FHS 2010 eq. 5): alive through all T opportunities, or dropped
 * out after opportunity tₓ + i, i = 0 … T − tₓ − 1; a streaming log-sum-exp, so O(T − tₓ) time and
 * O(1) memory.
 */
function bgBbLogLikelihood(params: BgBbParams, x: number, tx: number, T: number): number {
  const { alpha, beta, gamma, delta } = params;
  const lnB0 = logBeta(alpha, beta);
  const lnB1 = logBeta(gamma, delta);
  let max = logBeta(alpha + x, beta + T - x) - lnB0 + logBeta(gamma, delta + T) - lnB1;
  let sum = 1;
  for (let i = 0; i < T - tx; i++) {
    const v = logBeta(alpha + x, beta + tx - x + i) - lnB0 + logBeta(gamma + 1, delta + tx + i) - lnB1;
    if (v > max) {
      sum = sum * Math.exp(max - v) + 1;
      max = v;
    } else {
      sum += Math.exp(v - max);
    }
  }
  return max + Math.log(sum);
}
