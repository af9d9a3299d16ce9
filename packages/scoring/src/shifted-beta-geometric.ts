import { CrmError, finiteResult } from '@crm/core';
import { checkCount } from './counts.ts';
import { fitLogParameters, penalizerOption, readPenalizerOptions, type FitReport } from './fit.ts';
import { fitMember, initMember, memberFromJSON, memberToJSON, type FamilySpec } from './family.ts';
import { digamma, logBeta, lnHyp2f1 } from './special.ts';

/**
 * sBG parameters: each customer's per-period churn probability θ ~ Beta(`alpha`, `beta`).
 *
 * @example
 * ```ts
 * import type { ShiftedBetaGeometricParams } from '@crm/scoring';
 * const regular: ShiftedBetaGeometricParams = { alpha: 0.704, beta: 1.182 }; // Fader & Hardie 2007
 * ```
 */
export interface ShiftedBetaGeometricParams {
  /** First shape of the beta distribution of the churn probability. */
  readonly alpha: number;
  /** Second shape of the beta distribution of the churn probability. */
  readonly beta: number;
}

/**
 * Options of {@link ShiftedBetaGeometric.fit}.
 *
 * @example
 * ```ts
 * import type { ShiftedBetaGeometricOptions } from '@crm/scoring';
 * const options: ShiftedBetaGeometricOptions = { penalizer: 0 };
 * ```
 */
export interface ShiftedBetaGeometricOptions {
  /** L2 penalty λ·(α² + β²) on the mean negative log-likelihood, 0 to 1e6. Default 0. */
  readonly penalizer?: number | undefined;
}

/**
 * The plain-data form of a fitted {@link ShiftedBetaGeometric}.
 *
 * @example
 * ```ts
 * import type { ShiftedBetaGeometricJson } from '@crm/scoring';
 * const read = (json: ShiftedBetaGeometricJson) => json.params.alpha;
 * ```
 */
export interface ShiftedBetaGeometricJson {
  /** Model identifier. */
  readonly kind: 'crm.scoring.shifted-beta-geometric';
  /** Format version of this JSON. */
  readonly version: 1;
  /** The options of the fit. */
  readonly options: Required<ShiftedBetaGeometricOptions>;
  /** The fitted parameters. */
  readonly params: ShiftedBetaGeometricParams;
  /** How the fit went. */
  readonly report: FitReport;
}

const KIND = 'crm.scoring.shifted-beta-geometric';
const NAMES: readonly string[] = ['alpha', 'beta'];

function checkSurvivors(value: unknown): number[] {
  if (!Array.isArray(value)) throw new CrmError('invalid_argument', 'survivors must be an array of numbers', ['survivors']);
  if (value.length < 2) {
    throw new CrmError('invalid_input', 'survivors needs the cohort size and at least one later period', ['survivors']);
  }
  const out: number[] = [];
  for (let t = 0; t < value.length; t++) {
    const v: unknown = value[t];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new CrmError('invalid_input', `survivors[${t}] must be a finite number ≥ 0, got ${String(v)}`, ['survivors', t]);
    }
    if (t > 0 && v > (out[t - 1] as number)) {
      throw new CrmError(
        'invalid_input',
        `survivors[${t}] (${v}) exceeds survivors[${t - 1}] (${out[t - 1]}): a cohort can only shrink`,
        ['survivors', t],
      );
    }
    out.push(v);
  }
  if (!((out[0] as number) > 0)) throw new CrmError('invalid_input', 'survivors[0], the cohort size, must be positive', ['survivors', 0]);
  return out;
}

/**
 * Maximum-likelihood fit of sBG to a cohort's survivors (Fader & Hardie 2007), with the analytic
 * gradient; returns (α, β) and the report. Row weights do not apply to a table of counts.
 */
function fitShiftedBetaGeometric(survivors: unknown, penalizer: number, weights: Float64Array | undefined): { theta: number[]; report: FitReport } {
  if (weights !== undefined) {
    // A cohort table holds counts, not customers: a bootstrap resamples the counts and refits them.
    throw new CrmError('invalid_argument', 'a cohort of survivors cannot be reweighted per row: refit resampled survivors instead', ['weights']);
  }
  const s = checkSurvivors(survivors);
  const k = s.length - 1;
  if (s[k] === s[0]) {
    throw new CrmError('degenerate_data', 'no customer churned: the churn distribution cannot be estimated', ['survivors']);
  }
  const logLikelihood = (theta: Float64Array, grad: Float64Array | undefined): number => {
    const a = theta[0] as number;
    const b = theta[1] as number;
    const lnB = logBeta(a, b);
    const dab = grad ? digamma(a + b) : 0;
    const da = grad ? digamma(a) : 0;
    const db = grad ? digamma(b) : 0;
    let ll = 0;
    let ga = 0;
    let gb = 0;
    for (let t = 1; t <= k; t++) {
      const churned = (s[t - 1] as number) - (s[t] as number);
      if (churned === 0) continue;
      // P(T = t) = B(α + 1, β + t − 1)/B(α, β).
      ll += churned * (logBeta(a + 1, b + t - 1) - lnB);
      if (grad) {
        const d = digamma(a + b + t);
        ga += churned * (digamma(a + 1) - d - da + dab);
        gb += churned * (digamma(b + t - 1) - d - db + dab);
      }
    }
    const alive = s[k] as number;
    if (alive > 0) {
      // S(k) = B(α, β + k)/B(α, β).
      ll += alive * (logBeta(a, b + k) - lnB);
      if (grad) {
        const d = digamma(a + b + k);
        ga += alive * (dab - d);
        gb += alive * (digamma(b + k) - d - db + dab);
      }
    }
    if (grad) {
      grad[0] = ga * a;
      grad[1] = gb * b;
    }
    return ll;
  };
  return fitLogParameters({
    names: NAMES,
    start: [1, 1],
    logLikelihood,
    analyticGradient: true,
    observations: s[0] as number,
    penalizer,
    penaltyScale: [1, 1],
  });
}

/**
 * Shifted-beta-geometric (sBG) cohort retention model (Fader & Hardie 2007, "How to project
 * customer retention"): in a contractual setting each customer renews every period with their
 * own probability 1 − θ, θ ~ Beta(α, β) across customers, so the cohort's retention rate rises
 * over time as the churn-prone leave. Fits by maximum likelihood to the number of customers
 * still active at the start of each period (analytic gradient).
 *
 * @example
 * ```ts
 * import { ShiftedBetaGeometric } from '@crm/scoring';
 * // Fader & Hardie (2007) Table 1, "regular" cohort, years 0–7 (percent still active).
 * const model = ShiftedBetaGeometric.fit([100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1]);
 * model.params;          // { alpha ≈ 0.704, beta ≈ 1.182 }
 * model.survival(12);    // projected share still active after 12 years
 * model.retentionRate(8);
 * ```
 * @throws {CrmError} `invalid_input` for fewer than two periods, negative, non-finite or
 * increasing counts; `invalid_argument` for a bad or unknown option.
 * @see https://doi.org/10.1002/dir.20074
 */
export class ShiftedBetaGeometric {
  /** Always `'crm.scoring.shifted-beta-geometric'`. */
  readonly kind: 'crm.scoring.shifted-beta-geometric' = KIND;
  /** Maximum-likelihood estimates. */
  declare readonly params: ShiftedBetaGeometricParams;
  /** How the fit went (standard errors are meaningful when survivors are counts, not percents). */
  declare readonly report: FitReport;
  /** The options used, defaults filled in. */
  declare readonly options: Required<ShiftedBetaGeometricOptions>;

  private constructor(theta: ArrayLike<number>, report: FitReport, options: Required<ShiftedBetaGeometricOptions>) {
    initMember(this, ShiftedBetaGeometric.#spec, theta, report, options);
  }

  static #spec(): FamilySpec<ShiftedBetaGeometric, Required<ShiftedBetaGeometricOptions>> {
    return {
      kind: KIND,
      names: NAMES,
      make: (theta, report, options) => new ShiftedBetaGeometric(theta, report, options),
      fit: (survivors, options, weights) => fitShiftedBetaGeometric(survivors, options.penalizer, weights),
      readOptions: readPenalizerOptions,
    };
  }


  /**
   * Fits the model to a cohort: `survivors[t]` is the number (or percent) of the cohort still
   * active at the start of period t, `survivors[0]` the cohort size. Those who left between t − 1
   * and t churned at t; those still active at the end are censored.
   *
   * @example
   * ```ts
   * import { ShiftedBetaGeometric } from '@crm/scoring';
   * const model = ShiftedBetaGeometric.fit([1000, 869, 743, 653, 593, 551, 517, 491]);
   * model.params; // ≈ { alpha: 0.668, beta: 3.806 }
   * ```
   */
  static fit(survivors: readonly number[], options?: ShiftedBetaGeometricOptions): ShiftedBetaGeometric {
    return fitMember(ShiftedBetaGeometric.#spec(), survivors, { penalizer: penalizerOption(options, 'ShiftedBetaGeometric.fit') });
  }

  /**
   * Restores a model from {@link ShiftedBetaGeometric.toJSON} output, checking every field.
   *
   * @throws {CrmError} `invalid_json` for anything but a valid sBG model.
   * @example
   * ```ts
   * import { ShiftedBetaGeometric } from '@crm/scoring';
   * const model = ShiftedBetaGeometric.fromJSON({
   *   kind: 'crm.scoring.shifted-beta-geometric', version: 1, options: { penalizer: 0 },
   *   params: { alpha: 0.704, beta: 1.182 },
   *   report: { converged: true, iterations: 0, logLikelihood: -1680.3, message: 'published', method: 'bfgs', observations: 1000, standardErrors: null },
   * });
   * ```
   */
  static fromJSON(json: unknown): ShiftedBetaGeometric {
    return memberFromJSON(ShiftedBetaGeometric.#spec(), json);
  }

  /**
   * S(t) = B(α, β + t)/B(α, β): share of the cohort still active after `t` periods (S(0) = 1).
   *
   * @example
   * ```ts
   * import { ShiftedBetaGeometric } from '@crm/scoring';
   * const model = ShiftedBetaGeometric.fit([100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1]);
   * model.survival(1); // ≈ 0.627
   * ```
   */
  survival(t: number): number {
    checkCount(t, 't');
    const { alpha, beta } = this.params;
    return Math.exp(logBeta(alpha, beta + t) - logBeta(alpha, beta));
  }

  /**
   * P(T = t) = B(α + 1, β + t − 1)/B(α, β): share of the cohort that churns in period t ≥ 1.
   *
   * @example
   * ```ts
   * import { ShiftedBetaGeometric } from '@crm/scoring';
   * const model = ShiftedBetaGeometric.fit([100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1]);
   * model.churnProbability(1); // = 1 − survival(1)
   * ```
   */
  churnProbability(t: number): number {
    checkCount(t, 't');
    if (t === 0) return 0;
    const { alpha, beta } = this.params;
    return Math.exp(logBeta(alpha + 1, beta + t - 1) - logBeta(alpha, beta));
  }

  /**
   * r(t) = (β + t − 1)/(α + β + t − 1): share of those active in period t − 1 who renew for
   * period t ≥ 1. Rises with t.
   *
   * @example
   * ```ts
   * import { ShiftedBetaGeometric } from '@crm/scoring';
   * const model = ShiftedBetaGeometric.fit([100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1]);
   * model.retentionRate(1) < model.retentionRate(8); // true
   * ```
   */
  retentionRate(t: number): number {
    checkCount(t, 't');
    if (t === 0) throw new CrmError('invalid_argument', 'retentionRate(t) needs t ≥ 1', ['t']);
    const { alpha, beta } = this.params;
    return (beta + t - 1) / (alpha + beta + t - 1);
  }

  /**
   * Discounted expected residual lifetime (Fader & Hardie 2010): the expected number of future
   * payments, each discounted by (1 + d) per period, of a customer who has just made their
   * `renewals`-th renewal and pays now: DERL = ₂F₁(1, β + n; α + β + n; 1/(1 + d)) with n =
   * `renewals` (for n = 0, a new customer: the "DEL"). Multiply by the margin per period for a
   * retention-based CLV that accounts for heterogeneity.
   *
   * @throws {CrmError} `invalid_argument` unless discountRate > 0 (without discounting the sum
   * may diverge) and renewals is a whole number ≥ 0; `non_finite_result` when the sum overflows
   * double precision (a discount rate near 0 with extreme parameters).
   * @example
   * ```ts
   * import { ShiftedBetaGeometric } from '@crm/scoring';
   * const model = ShiftedBetaGeometric.fit([100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1]);
   * model.discountedExpectedLifetime(0.1);    // a new customer
   * model.discountedExpectedLifetime(0.1, 4); // after 4 renewals: longer, since survivors are loyal
   * ```
   * @see https://doi.org/10.1287/mksc.1090.0502
   */
  discountedExpectedLifetime(discountRate: number, renewals = 0): number {
    if (typeof discountRate !== 'number' || !Number.isFinite(discountRate) || !(discountRate > 0)) {
      throw new CrmError('invalid_argument', `discountRate must be a finite number > 0, got ${String(discountRate)}`, ['discountRate']);
    }
    checkCount(renewals, 'renewals');
    const { alpha, beta } = this.params;
    const n = renewals;
    // Σ_{t≥0} P(alive t more periods | n renewals)/(1+d)^t; P = B(α, β+n+t)/B(α, β+n).
    return finiteResult(
      Math.exp(lnHyp2f1(1, beta + n, alpha + beta + n, 1 / (1 + discountRate))),
      'the discounted expected lifetime',
      ['discountRate'],
    );
  }

  /**
   * Plain data for `JSON.stringify`; {@link ShiftedBetaGeometric.fromJSON} restores an identical model.
   *
   * @example
   * ```ts
   * import { ShiftedBetaGeometric } from '@crm/scoring';
   * const model = ShiftedBetaGeometric.fit([100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1]);
   * JSON.stringify(model.toJSON());
   * ```
   */
  toJSON(): ShiftedBetaGeometricJson {
    return memberToJSON(this) as ShiftedBetaGeometricJson;
  }
}
