import { CrmError, finiteResult, type CrmPath, type PurchaseHistory } from '@crm/core';
import { fitLogParameters, penalizerOption, readPenalizerOptions, type FitReport } from './fit.ts';
import { fitMember, initMember, memberFromJSON, memberToJSON, type FamilySpec } from './family.ts';
import { checkHistory, checkHorizon, checkTimes, distinctSlots, readHistories, requireRepeatPurchases, startingScales, type WeightedHistory } from './history.ts';
import type { PurchaseModel } from './roles.ts';
import { predictMany } from './many.ts';
import { checkCount, checkCountCost, type PurchaseCountOptions } from './counts.ts';
import { digamma, lnAddExp, logBeta, logGamma, lnHyp2f1, logHyp2f1Shifted, lnSubExp } from './special.ts';

/**
 * Pareto/NBD parameters: purchase rates λ ~ Gamma(`r`, `alpha`) and dropout rates
 * μ ~ Gamma(`s`, `beta`); `alpha` and `beta` are in the time unit of the data.
 *
 * @example
 * ```ts
 * import type { ParetoNbdParams } from '@crm/scoring';
 * const published: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }; // FHL 2005, CDNOW, weeks
 * ```
 */
export interface ParetoNbdParams {
  /** Shape of the gamma distribution of purchase rates. */
  readonly r: number;
  /** Rate (scale) of the gamma distribution of purchase rates, in the data's time unit. */
  readonly alpha: number;
  /** Shape of the gamma distribution of dropout rates. */
  readonly s: number;
  /** Rate (scale) of the gamma distribution of dropout rates, in the data's time unit. */
  readonly beta: number;
}

/**
 * Options of {@link ParetoNbd.fit}.
 *
 * @example
 * ```ts
 * import type { ParetoNbdOptions } from '@crm/scoring';
 * const options: ParetoNbdOptions = { penalizer: 0 };
 * ```
 */
export interface ParetoNbdOptions {
  /**
   * L2 penalty λ·(r² + (α/maxT)² + s² + (β/maxT)²) on the mean negative log-likelihood, with α and
   * β in units of the longest customer age; 0 to 1e6, default 0.
   */
  readonly penalizer?: number | undefined;
}

/**
 * The plain-data form of a fitted {@link ParetoNbd}.
 *
 * @example
 * ```ts
 * import type { ParetoNbdJson } from '@crm/scoring';
 * const read = (json: ParetoNbdJson) => json.params.s;
 * ```
 */
export interface ParetoNbdJson {
  /** Model identifier. */
  readonly kind: 'crm.scoring.pareto-nbd';
  /** Format version of this JSON. */
  readonly version: 1;
  /** The options of the fit. */
  readonly options: Required<ParetoNbdOptions>;
  /** The fitted parameters. */
  readonly params: ParetoNbdParams;
  /** How the fit went. */
  readonly report: FitReport;
}

const KIND = 'crm.scoring.pareto-nbd';
const NAMES: readonly string[] = ['r', 'alpha', 's', 'beta'];

/**
 * ln A₀ of Fader, Hardie & Lee's Pareto/NBD note (2005, eq. 19–20): the integral over the
 * unobserved dropout time between tₓ and T, as a difference of two ₂F₁ terms in log space.
 * The parameter with the larger rate scale goes first so that the series argument stays below 1.
 */
function logA0(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): number {
  if (tx === T) return Number.NEGATIVE_INFINITY;
  const big = alpha >= beta ? alpha : beta;
  const b = alpha >= beta ? s + 1 : r + x;
  const d = Math.abs(alpha - beta);
  const rsx = r + s + x;
  const first = logHyp2f1Shifted(rsx, b, d / (big + tx)) - rsx * Math.log(big + tx);
  const second = logHyp2f1Shifted(rsx, b, d / (big + T)) - rsx * Math.log(big + T);
  return lnSubExp(first, second);
}

/** Per-customer log-likelihood (FHL 2005 note, eq. 22). */
function logLikelihoodOne(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number, lgRx: number): number {
  const a1 = lgRx + r * Math.log(alpha) + s * Math.log(beta);
  const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const died = Math.log(s) - Math.log(r + s + x) + logA0(r, alpha, s, beta, x, tx, T);
  return a1 + lnAddExp(alive, died);
}

/**
 * ln ₂F₁(r+s+x, b; r+s+x+1; |α−β|/(max(α,β)+t)) and its derivatives in its a, b and z, one entry
 * per distinct (x, t) of the data: many customers share a frequency and an age, so each series
 * is summed once per evaluation.
 */
interface SeriesCache {
  readonly lnF: Float64Array;
  readonly dA: Float64Array;
  readonly dB: Float64Array;
  readonly dZ: Float64Array;
}

/**
 * Per-customer log-likelihood and its gradient in (r, α, s, β), adding w·∂ℓ into `g`.
 * `dgRx` is ψ(r + x) − ψ(r). Derivatives of ln A₀ come from those of the two ₂F₁ series.
 */
function addLogLikelihoodGradient(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  tx: number,
  T: number,
  lgRx: number,
  dgRx: number,
  w: number,
  g: Float64Array,
  cache: SeriesCache,
  k1: number,
  k2: number,
): number {
  const lnAlpha = Math.log(alpha);
  const lnBeta = Math.log(beta);
  const lnAT = Math.log(alpha + T);
  const lnBT = Math.log(beta + T);
  const rsx = r + s + x;
  const a1 = lgRx + r * lnAlpha + s * lnBeta;
  const alive = -(r + x) * lnAT - s * lnBT;
  // d(alive) and d(died) in (r, α, s, β).
  let dr = -lnAT;
  let da = -(r + x) / (alpha + T);
  let ds = -lnBT;
  let db = -s / (beta + T);
  let ll = a1 + alive;
  if (tx < T) {
    const alphaBig = alpha >= beta;
    const big = alphaBig ? alpha : beta;
    const d = Math.abs(alpha - beta);
    const { lnF, dA, dB, dZ } = cache;
    const u1 = (lnF[k1] as number) - rsx * Math.log(big + tx);
    const u2 = (lnF[k2] as number) - rsx * Math.log(big + T);
    if (Number.isNaN(u1) || Number.isNaN(u2)) return Number.NaN;
    const lnA0 = lnSubExp(u1, u2);
    const died = Math.log(s) - Math.log(rsx) + lnA0;
    ll = a1 + lnAddExp(alive, died);
    // ∂ln A₀ = (∂u₁ − ρ∂u₂)/(1 − ρ), ρ = e^(u₂ − u₁) < 1.
    const rho = Math.exp(u2 - u1);
    const c1 = 1 / (1 - rho);
    const c2 = rho / (1 - rho);
    const dRsx = c1 * ((dA[k1] as number) - Math.log(big + tx)) - c2 * ((dA[k2] as number) - Math.log(big + T));
    const dShape = c1 * (dB[k1] as number) - c2 * (dB[k2] as number);
    // z = d/(big + t): derivative in the larger scale parameter and in the smaller one.
    const dzBig1 = (big - d + tx) / ((big + tx) * (big + tx));
    const dzBig2 = (big - d + T) / ((big + T) * (big + T));
    const dBig = c1 * ((dZ[k1] as number) * dzBig1 - rsx / (big + tx)) - c2 * ((dZ[k2] as number) * dzBig2 - rsx / (big + T));
    const dSmall = -c1 * ((dZ[k1] as number) / (big + tx)) + c2 * ((dZ[k2] as number) / (big + T));
    let diedR = -1 / rsx + dRsx;
    let diedS = 1 / s - 1 / rsx + dRsx;
    if (alphaBig) diedS += dShape;
    else diedR += dShape;
    const diedA = alphaBig ? dBig : dSmall;
    const diedB = alphaBig ? dSmall : dBig;
    // ∂ logAddExp(alive, died) = (1 − π)∂alive + π∂died, π = e^died/(e^alive + e^died).
    const pi = 1 / (1 + Math.exp(alive - died));
    dr = (1 - pi) * dr + pi * diedR;
    da = (1 - pi) * da + pi * diedA;
    ds = (1 - pi) * ds + pi * diedS;
    db = (1 - pi) * db + pi * diedB;
  }
  g[0] = (g[0] as number) + w * (dgRx + lnAlpha + dr);
  g[1] = (g[1] as number) + w * (r / alpha + da);
  g[2] = (g[2] as number) + w * (lnBeta + ds);
  g[3] = (g[3] as number) + w * (s / beta + db);
  return ll;
}

/**
 * Maximum-likelihood fit of Pareto/NBD (FHL 2005 note, eq. 22) to the histories (their weights
 * times `weights[i]` when given), with the analytic gradient; returns (r, α, s, β) and the report.
 */
function fitParetoNbd(customers: unknown, penalizer: number, weights: Float64Array | undefined): { theta: number[]; report: FitReport } {
  const data = readHistories(customers, false, weights);
  requireRepeatPurchases(data, 'Pareto/NBD');
  const { x, tx, T, w } = data;
  const m = x.length;
  const { distinct, slot } = distinctSlots(x);
  const lgR = new Float64Array(distinct.length);
  const dgR = new Float64Array(distinct.length);
  const g = new Float64Array(4);
  // Distinct (x, t) pairs over t ∈ {tₓ, T} of the customers whose tₓ < T.
  const keyOf = new Map<string, number>();
  const keyX: number[] = [];
  const keyT: number[] = [];
  const key = (xv: number, t: number): number => {
    const id = `${xv},${t}`;
    let k = keyOf.get(id);
    if (k === undefined) {
      k = keyX.length;
      keyOf.set(id, k);
      keyX.push(xv);
      keyT.push(t);
    }
    return k;
  };
  const k1 = new Int32Array(m).fill(-1);
  const k2 = new Int32Array(m).fill(-1);
  for (let i = 0; i < m; i++) {
    if ((tx[i] as number) < (T[i] as number)) {
      k1[i] = key(x[i] as number, tx[i] as number);
      k2[i] = key(x[i] as number, T[i] as number);
    }
  }
  const K = keyX.length;
  const cache: SeriesCache = { lnF: new Float64Array(K), dA: new Float64Array(K), dB: new Float64Array(K), dZ: new Float64Array(K) };
  const d3 = new Float64Array(3);
  const logLikelihood = (theta: Float64Array, grad: Float64Array | undefined): number => {
    const r = theta[0] as number;
    const alpha = theta[1] as number;
    const s = theta[2] as number;
    const beta = theta[3] as number;
    const lgr = logGamma(r);
    const dgr = digamma(r);
    for (let j = 0; j < distinct.length; j++) {
      lgR[j] = logGamma(r + (distinct[j] as number)) - lgr;
      dgR[j] = digamma(r + (distinct[j] as number)) - dgr;
    }
    let ll = 0;
    if (grad === undefined) {
      for (let i = 0; i < m; i++) {
        ll +=
          (w[i] as number) *
          logLikelihoodOne(r, alpha, s, beta, x[i] as number, tx[i] as number, T[i] as number, lgR[slot[i] as number] as number);
      }
      return ll;
    }
    const alphaBig = alpha >= beta;
    const big = alphaBig ? alpha : beta;
    const d = Math.abs(alpha - beta);
    for (let k = 0; k < K; k++) {
      const xv = keyX[k] as number;
      const v = logHyp2f1Shifted(r + s + xv, alphaBig ? s + 1 : r + xv, d / (big + (keyT[k] as number)), d3);
      if (Number.isNaN(v)) return Number.NaN;
      cache.lnF[k] = v;
      cache.dA[k] = d3[0] as number;
      cache.dB[k] = d3[1] as number;
      cache.dZ[k] = d3[2] as number;
    }
    g.fill(0);
    for (let i = 0; i < m; i++) {
      const j = slot[i] as number;
      const wi = w[i] as number;
      ll += wi * addLogLikelihoodGradient(r, alpha, s, beta, x[i] as number, tx[i] as number, T[i] as number, lgR[j] as number, dgR[j] as number, wi, g, cache, k1[i] as number, k2[i] as number);
    }
    for (let i = 0; i < 4; i++) grad[i] = (g[i] as number) * (theta[i] as number);
    return ll;
  };
  const { alpha: alphaStart, meanT } = startingScales(data);
  return fitLogParameters({
    names: NAMES,
    // r = s = 1; α from the observed repeat rate, β so that the mean lifetime is the mean age.
    start: [1, alphaStart, 1, Math.max(meanT, 1e-6)],
    logLikelihood,
    analyticGradient: true,
    observations: data.total,
    penalizer,
    penaltyScale: [1, data.maxT > 0 ? data.maxT : 1, 1, data.maxT > 0 ? data.maxT : 1],
  });
}

/**
 * Pareto/NBD purchase model (Schmittlein, Morrison & Colombo 1987; estimation as in Fader,
 * Hardie & Lee 2005): Poisson purchasing with an exponential lifetime, both rates gamma
 * distributed across customers. The likelihood needs the Gauss hypergeometric function, computed
 * in log space by {@link logHyp2f1}. Fits by maximum likelihood (BFGS on log-parameters with the
 * analytic gradient, differentiating the ₂F₁ series term by term; identical rows merged;
 * optional `weight` per row).
 *
 * Unlike BG/NBD, a customer without repeat purchases can have left: P(alive) < 1.
 *
 * @example
 * ```ts
 * import { ParetoNbd } from '@crm/scoring';
 * const summaries = [
 *   { frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 1, recency: 1.71, T: 38.86 },
 *   { frequency: 0, recency: 0, T: 38.86 }, { frequency: 5, recency: 20, T: 30 },
 * ];
 * const model = ParetoNbd.fit(summaries);
 * model.expectedPurchases(52, summaries[0]);
 * model.probabilityAlive(summaries[2]);
 * ```
 * @throws {CrmError} `invalid_summary`, `invalid_input` or `degenerate_data` as {@link BgNbd.fit}.
 * @see https://www.brucehardie.com/notes/008/
 */
export class ParetoNbd implements PurchaseModel {
  /** Always `'crm.scoring.pareto-nbd'`. */
  readonly kind: 'crm.scoring.pareto-nbd' = KIND;
  /** Maximum-likelihood estimates. */
  declare readonly params: ParetoNbdParams;
  /** How the fit went. */
  declare readonly report: FitReport;
  /** The options used, defaults filled in. */
  declare readonly options: Required<ParetoNbdOptions>;

  private constructor(theta: ArrayLike<number>, report: FitReport, options: Required<ParetoNbdOptions>) {
    initMember(this, ParetoNbd.#spec, theta, report, options);
  }

  static #spec(): FamilySpec<ParetoNbd, Required<ParetoNbdOptions>> {
    return {
      kind: KIND,
      names: NAMES,
      make: (theta, report, options) => new ParetoNbd(theta, report, options),
      fit: (customers, options, weights) => fitParetoNbd(customers, options.penalizer, weights),
      readOptions: readPenalizerOptions,
    };
  }


  /**
   * Fits the model to customer histories by maximum likelihood.
   *
   * Cost: each evaluation of the likelihood and its gradient sums one ₂F₁ per distinct
   * (frequency, recency) and (frequency, T) pair, each in at most a few thousand terms or 289
   * quadrature nodes whatever the parameters; the optimizer stops after 500 BFGS iterations
   * (twice at most, around one Nelder–Mead restart of at most 800 steps). When the likelihood rises towards the edge of the parameter space
   * (constant purchase or dropout rates, r, α or s, β → ∞) the fit still ends, with
   * `report.converged` false and a message saying so.
   *
   * @example
   * ```ts
   * import { ParetoNbd } from '@crm/scoring';
   * const model = ParetoNbd.fit([
   *   { frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86, weight: 3 },
   *   { frequency: 1, recency: 1.71, T: 38.86 }, { frequency: 6, recency: 35, T: 38 },
   * ]);
   * model.report.converged;
   * ```
   */
  static fit(customers: readonly WeightedHistory[], options?: ParetoNbdOptions): ParetoNbd {
    return fitMember(ParetoNbd.#spec(), customers, { penalizer: penalizerOption(options, 'ParetoNbd.fit') });
  }

  /**
   * Restores a model from {@link ParetoNbd.toJSON} output, checking every field.
   *
   * @throws {CrmError} `invalid_json` for anything but a valid Pareto/NBD model.
   * @example
   * ```ts
   * import { ParetoNbd } from '@crm/scoring';
   * const model = ParetoNbd.fromJSON({
   *   kind: 'crm.scoring.pareto-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9595, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * ```
   */
  static fromJSON(json: unknown): ParetoNbd {
    return memberFromJSON(ParetoNbd.#spec(), json);
  }

  /**
   * Expected purchases in the next `t` periods, for a new customer or conditional on a history
   * (Schmittlein et al. 1987; FHL 2005 note eq. 27).
   *
   * @throws {CrmError} `invalid_argument` for a negative t; `non_finite_result` when the mean
   * overflows double precision (extreme parameters).
   * @example
   * ```ts
   * import { ParetoNbd } from '@crm/scoring';
   * const model = ParetoNbd.fromJSON({
   *   kind: 'crm.scoring.pareto-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9595, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.expectedPurchases(52, { frequency: 26, recency: 30.86, T: 31 }); // ≈ 25.45
   * ```
   */
  expectedPurchases(t: number, customer?: PurchaseHistory): number {
    checkHorizon(t);
    if (t === 0) return 0;
    if (customer === undefined) return this.#newCustomerMean(t, ['t']);
    const { x, T } = checkHistory(customer, ['customer']);
    return this.#conditionalMean(x, T, t, this.probabilityAlive(customer), ['t']);
  }

  /**
   * Expected cumulative purchases at each of several non-decreasing horizons: the numbers of
   * {@link ParetoNbd.expectedPurchases} at each time, with P(alive) computed once, so O(times).
   *
   * @throws {CrmError} `invalid_argument` for times that are negative, non-finite or decreasing.
   * @example
   * ```ts
   * import { ParetoNbd } from '@crm/scoring';
   * const model = ParetoNbd.fromJSON({
   *   kind: 'crm.scoring.pareto-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9595, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.cumulativePurchases([13, 26, 39], { frequency: 2, recency: 30.43, T: 38.86 }); // non-decreasing
   * ```
   */
  cumulativePurchases(times: readonly number[], customer?: PurchaseHistory): number[] {
    const ts = checkTimes(times);
    if (customer === undefined) return ts.map((t, i) => (t === 0 ? 0 : this.#newCustomerMean(t, () => ['times', i])));
    const { x, T } = checkHistory(customer, ['customer']);
    const alive = this.probabilityAlive(customer);
    return ts.map((t, i) => (t === 0 ? 0 : this.#conditionalMean(x, T, t, alive, () => ['times', i])));
  }

  #newCustomerMean(t: number, path: CrmPath | (() => CrmPath)): number {
    const { r, alpha, s, beta } = this.params;
    return finite(((r * beta) / alpha) * survivalIntegral(s, beta, t), path);
  }

  #conditionalMean(x: number, T: number, t: number, alive: number, path: CrmPath | (() => CrmPath)): number {
    const { r, alpha, s, beta } = this.params;
    // (r + x)(β + T)/(α + T) in a form that cannot overflow an intermediate product.
    const rate = (r + x) * ((beta + T) / (alpha + T));
    return finite(rate * survivalIntegral(s, beta + T, t) * alive, path);
  }

  /**
   * Probability that the customer is still alive at T (Schmittlein et al. 1987, eq. 11).
   *
   * @throws {CrmError} `invalid_argument` when the hypergeometric series of the likelihood cannot
   * be summed for this customer at these parameters.
   * @example
   * ```ts
   * import { ParetoNbd } from '@crm/scoring';
   * const model = ParetoNbd.fromJSON({
   *   kind: 'crm.scoring.pareto-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9595, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.probabilityAlive({ frequency: 26, recency: 30.86, T: 31 }); // ≈ 0.9979
   * ```
   */
  probabilityAlive(customer: PurchaseHistory): number {
    const { x, tx, T } = checkHistory(customer, ['customer']);
    const { r, alpha, s, beta } = this.params;
    const lnA0 = logA0(r, alpha, s, beta, x, tx, T);
    if (Number.isNaN(lnA0)) {
      throw new CrmError('invalid_argument', 'the hypergeometric series does not converge for this customer at these parameters', ['customer']);
    }
    const lnRatio = Math.log(s) - Math.log(r + s + x) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T) + lnA0;
    return lnRatio > 0 ? Math.exp(-lnRatio) / (1 + Math.exp(-lnRatio)) : 1 / (1 + Math.exp(lnRatio));
  }

  /**
   * P(X(t) = n): probability that a new customer makes exactly `n` purchases in `t` periods
   * (Fader, Hardie & Lee 2006, "Deriving an expression for P(X(t) = x) under the Pareto/NBD
   * model"): alive throughout, or dropped out at some τ < t after n purchases.
   *
   * Cost O(n) (about n + 1 terms, each a hypergeometric series), bounded by `options.maxTerms`.
   *
   * @throws {CrmError} `invalid_argument` when t < 0, n is not a whole number ≥ 0 or an option is
   * unknown; `limit_exceeded` at `['options', 'maxTerms']` when n needs more terms than it allows;
   * `non_finite_result` if the probability cannot be computed in double precision.
   * @example
   * ```ts
   * import { ParetoNbd } from '@crm/scoring';
   * const model = ParetoNbd.fromJSON({
   *   kind: 'crm.scoring.pareto-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9595, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.probabilityOfPurchases(39, 0); // share of new customers with no repeat purchase in 39 weeks
   * ```
   */
  probabilityOfPurchases(t: number, n: number, options?: PurchaseCountOptions): number {
    checkHorizon(t);
    checkCount(n);
    checkCountCost(options, n, 'ParetoNbd.probabilityOfPurchases');
    if (t === 0) return n === 0 ? 1 : 0;
    const { r, alpha, s, beta } = this.params;
    return finiteResult(Math.min(1, paretoNbdPmf(r, alpha, s, beta, t, n)), 'the probability', ['t']);
  }

  /**
   * Log-likelihood of one history at the fitted parameters (Fader, Hardie & Lee's Pareto/NBD
   * note, eq. 22): the terms `report.logLikelihood` sums, in log-sum-exp form so that hundreds
   * of purchases do not overflow.
   *
   * @throws {CrmError} `invalid_summary` / `invalid_input` for a bad history; `invalid_argument`
   * when the hypergeometric series cannot be summed for this customer at these parameters.
   * @example
   * ```ts
   * import { ParetoNbd } from '@crm/scoring';
   * const model = ParetoNbd.fromJSON({
   *   kind: 'crm.scoring.pareto-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9595, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.logLikelihood({ frequency: 2, recency: 30.43, T: 38.86 });
   * ```
   */
  logLikelihood(customer: PurchaseHistory): number {
    const { x, tx, T } = checkHistory(customer, ['customer']);
    const { r, alpha, s, beta } = this.params;
    const ll = logLikelihoodOne(r, alpha, s, beta, x, tx, T, logGamma(r + x) - logGamma(r));
    if (Number.isNaN(ll)) {
      throw new CrmError('invalid_argument', 'the hypergeometric series does not converge for this customer at these parameters', ['customer']);
    }
    return finiteResult(ll, 'the log-likelihood', ['customer']);
  }

  /**
   * P(X(t) = n | history): probability that a customer with history (x, tₓ, T) makes exactly `n`
   * purchases in (T, T + t], lifetimes' `conditional_probability_of_n_purchases_up_to_time`.
   * A customer who has left makes none; one still alive at T has, given the history, purchase rate
   * λ ~ Gamma(r + x, α + T) and dropout rate μ ~ Gamma(s, β + T) (the alive part of the likelihood,
   * λˣe^(−(λ+μ)T), updates the two gammas independently) and, the exponential lifetime being
   * memoryless, purchases from T on like a new customer, so
   * P = [n = 0]·(1 − P(alive)) + P(alive)·P₀(X(t) = n), with P₀ the new-customer pmf of Fader, Hardie
   * & Lee (2006, "Deriving an expression for P(X(t) = x) under the Pareto/NBD model") at
   * (r + x, α + T, s, β + T). This is the quantity of Jerath, Fader & Hardie's conditional pmf
   * (Bruce Hardie's note 028, eq. 16, lifetimes' `conditional_probability_of_n_purchases_up_to_time`),
   * reached through the posterior rather than by integrating the two cases separately. Summed over
   * n it is 1, and Σ n·P is {@link ParetoNbd.expectedPurchases}.
   *
   * Cost O(n) (about n + 1 terms, each a hypergeometric series), bounded by `options.maxTerms`.
   *
   * @throws {CrmError} `invalid_argument` when t < 0, n is not a whole number ≥ 0 or an option is
   * unknown; `invalid_summary` / `invalid_input` for a bad history (path `['customer', …]`);
   * `limit_exceeded` at `['options', 'maxTerms']` when n needs more terms than it allows;
   * `invalid_argument` at `['params']` when a hypergeometric series cannot be summed.
   * @example
   * ```ts
   * import { ParetoNbd } from '@crm/scoring';
   * const model = ParetoNbd.fromJSON({
   *   kind: 'crm.scoring.pareto-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9595, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * const customer = { frequency: 2, recency: 30.43, T: 38.86 };
   * model.conditionalProbabilityOfPurchases(39, 0, customer); // no purchase in the next 39 weeks
   * model.conditionalProbabilityOfPurchases(39, 2, customer); // exactly two
   * ```
   */
  conditionalProbabilityOfPurchases(t: number, n: number, customer: PurchaseHistory, options?: PurchaseCountOptions): number {
    checkHorizon(t);
    checkCount(n);
    checkCountCost(options, n, 'ParetoNbd.conditionalProbabilityOfPurchases');
    return this.#conditionalPmf(t, n, customer);
  }

  #conditionalPmf(t: number, n: number, customer: PurchaseHistory): number {
    const { x, T } = checkHistory(customer, ['customer']);
    const alive = this.probabilityAlive(customer);
    if (t === 0) return n === 0 ? 1 : 0;
    return finiteResult(paretoNbdConditionalPmf(this.params, t, n, x, T, alive), 'the probability', ['customer']);
  }

  /**
   * {@link ParetoNbd.expectedPurchases} given each customer's history, for many customers at once:
   * the same numbers bit for bit, at the same cost per customer, in a `Float64Array`.
   *
   * @throws {CrmError} as {@link ParetoNbd.expectedPurchases}, with the customer's path
   * `['customers', i, …]`; `invalid_argument` when `customers` is not an array.
   * @example
   * ```ts
   * import { ParetoNbd } from '@crm/scoring';
   * const model = ParetoNbd.fromJSON({
   *   kind: 'crm.scoring.pareto-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9595, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.expectedPurchasesMany(39, [{ frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 }]);
   * ```
   */
  expectedPurchasesMany(t: number, customers: readonly PurchaseHistory[]): Float64Array {
    checkHorizon(t);
    return predictMany(customers, (c: PurchaseHistory) => this.expectedPurchases(t, c));
  }

  /**
   * {@link ParetoNbd.probabilityAlive} of many customers at once, bit for bit the single results.
   *
   * @throws {CrmError} as {@link ParetoNbd.probabilityAlive}, with the path `['customers', i, …]`.
   * @example
   * ```ts
   * import { ParetoNbd } from '@crm/scoring';
   * const model = ParetoNbd.fromJSON({
   *   kind: 'crm.scoring.pareto-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9595, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.probabilityAliveMany([{ frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 1, recency: 1.71, T: 38.86 }]);
   * ```
   */
  probabilityAliveMany(customers: readonly PurchaseHistory[]): Float64Array {
    return predictMany(customers, (c: PurchaseHistory) => this.probabilityAlive(c));
  }

  /**
   * {@link ParetoNbd.conditionalProbabilityOfPurchases} of many customers at once (options read once),
   * bit for bit the single results.
   *
   * @throws {CrmError} as {@link ParetoNbd.conditionalProbabilityOfPurchases}, with the path
   * `['customers', i, …]` for a bad history.
   * @example
   * ```ts
   * import { ParetoNbd } from '@crm/scoring';
   * const model = ParetoNbd.fromJSON({
   *   kind: 'crm.scoring.pareto-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9595, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.conditionalProbabilityOfPurchasesMany(39, 1, [{ frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 }]);
   * ```
   */
  conditionalProbabilityOfPurchasesMany(t: number, n: number, customers: readonly PurchaseHistory[], options?: PurchaseCountOptions): Float64Array {
    checkHorizon(t);
    checkCount(n);
    checkCountCost(options, n, 'ParetoNbd.conditionalProbabilityOfPurchasesMany');
    return predictMany(customers, (c: PurchaseHistory) => this.#conditionalPmf(t, n, c));
  }

  /**
   * {@link ParetoNbd.logLikelihood} of many customers at once, bit for bit the single results.
   *
   * @throws {CrmError} as {@link ParetoNbd.logLikelihood}, with the path `['customers', i, …]`.
   * @example
   * ```ts
   * import { ParetoNbd } from '@crm/scoring';
   * const model = ParetoNbd.fromJSON({
   *   kind: 'crm.scoring.pareto-nbd', version: 1, options: { penalizer: 0 },
   *   params: { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 },
   *   report: { converged: true, iterations: 0, logLikelihood: -9595, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
   * });
   * model.logLikelihoodMany([{ frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 }]);
   * ```
   */
  logLikelihoodMany(customers: readonly PurchaseHistory[]): Float64Array {
    return predictMany(customers, (c: PurchaseHistory) => this.logLikelihood(c));
  }

  /**
   * Plain data for `JSON.stringify`; {@link ParetoNbd.fromJSON} restores an identical model.
   *
   * @example
   * ```ts
   * import { ParetoNbd } from '@crm/scoring';
   * const model = ParetoNbd.fit([
   *   { frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 },
   *   { frequency: 1, recency: 1.71, T: 38.86 }, { frequency: 6, recency: 35, T: 38 },
   * ]);
   * JSON.stringify(model.toJSON());
   * ```
   */
  toJSON(): ParetoNbdJson {
    return memberToJSON(this) as ParetoNbdJson;
  }
}

/**
 * P(X(t) = n) of a Pareto/NBD customer alive at the start of the t periods, with purchase rate
 * λ ~ Gamma(r, α) and dropout rate μ ~ Gamma(s, β) (Fader, Hardie & Lee 2006, "Deriving an
 * expression for P(X(t) = x) under the Pareto/NBD model"), before clamping to 1. t > 0.
 *
 * @throws {CrmError} `invalid_argument` at `['params']` when a hypergeometric series cannot be summed.
 */
function paretoNbdPmf(r: number, alpha: number, s: number, beta: number, t: number, n: number): number {
  const lnPoisGamma = logGamma(r + n) - logGamma(r) - logGamma(n + 1);
  const alive = lnPoisGamma + r * Math.log(alpha / (alpha + t)) + n * Math.log(t / (alpha + t)) + s * Math.log(beta / (beta + t));
  // Dropped out before t: α^r β^s B(r+n, s+1)/B(r, s)·(B₁ − Σᵢ₌₀ⁿ Γ(r+s+i)/Γ(r+s)·tⁱ/i!·B₂ᵢ).
  const alphaBig = alpha >= beta;
  const big = alphaBig ? alpha : beta;
  const b = alphaBig ? s + 1 : r + n;
  const d = Math.abs(alpha - beta);
  const c = r + s + n + 1;
  const lnB1 = lnHyp2f1(r + s, b, c, d / big) - (r + s) * Math.log(big);
  let rest = 0;
  for (let i = 0; i <= n; i++) {
    const lnB2 =
      logGamma(r + s + i) - logGamma(r + s) + i * Math.log(t) - logGamma(i + 1) +
      lnHyp2f1(r + s + i, b, c, d / (big + t)) - (r + s + i) * Math.log(big + t);
    rest += Math.exp(lnB2 - lnB1);
  }
  if (Number.isNaN(lnB1) || Number.isNaN(rest)) {
    throw new CrmError('invalid_argument', 'the hypergeometric series does not converge at these parameters', ['params']);
  }
  const lnFront = r * Math.log(alpha) + s * Math.log(beta) + logBeta(r + n, s + 1) - logBeta(r, s) + lnB1;
  // B₁ exceeds the sum exactly; rounding can only make the difference slightly negative.
  const dropped = Math.exp(lnFront) * Math.max(0, 1 - rest);
  return Math.exp(alive) + dropped;
}

/**
 * P(X(t) = n | x, tₓ, T) of Pareto/NBD given P(alive at T) = `alive`:
 * [n = 0](1 − alive) + alive·P₀(X(t) = n; r + x, α + T, s, β + T), clamped to [0, 1]. t > 0.
 */
function paretoNbdConditionalPmf(
  params: ParetoNbdParams,
  t: number,
  n: number,
  x: number,
  T: number,
  alive: number,
): number {
  const { r, alpha, s, beta } = params;
  const p = alive * Math.min(1, paretoNbdPmf(r + x, alpha + T, s, beta + T, t, n));
  return Math.min(1, Math.max(0, n === 0 ? 1 - alive + p : p));
}

/** The expected purchases when finite; otherwise the `non_finite_result` error (its path made only then). */
function finite(v: number, path: CrmPath | (() => CrmPath)): number {
  return Number.isFinite(v) ? v : finiteResult(v, 'the expected purchases', typeof path === 'function' ? path() : path);
}

/**
 * ∫₀ᵗ (β/(β+u))^s·s/β … in closed form: (1 − (β/(β+t))^(s−1))/(s − 1), with the s → 1 limit
 * ln((β+t)/β) handled by expm1 so it stays exact near s = 1.
 */
function survivalIntegral(s: number, beta: number, t: number): number {
  const lnRatio = -Math.log1p(t / beta);
  const e = s - 1;
  return Math.abs(e) < 1e-12 ? -lnRatio : -Math.expm1(e * lnRatio) / e;
}
