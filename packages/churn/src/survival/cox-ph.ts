import {
  checkCost,
  chiSquareSurvival,
  CrmError,
  enumOption,
  finiteResult,
  finiteResults,
  freezeModel,
  normalQuantile,
  numberOption,
  ownValue,
  portableExp,
  readModelJson,
  readNumber,
  readNumberArray,
  readObject,
  readOptions,
  toDenseMatrix,
} from '@crm/core';
import type { Rows } from '../internal/checks.ts';
import { readBoolean, readJsonOptions } from '../internal/checks.ts';
import { readSurvival, type SurvivalData } from './survival-data.ts';
import { choleskyPivots, evaluate, inverseFromFactor, newton, PIVOT_TOLERANCE, solveFactor, sortData, type ZphSums } from './cox-fit.ts';
import { baselineHazard, concordance, kmTransform } from './cox-statistics.ts';

/**
 * Options of {@link CoxPh.fit}.
 *
 * @example
 * ```ts
 * import type { CoxPhOptions } from '@crm/churn';
 * const options: CoxPhOptions = { ties: 'efron', featureNames: ['monthlyCharges', 'twoYearContract'] };
 * ```
 */
export interface CoxPhOptions {
  /** How tied event times enter the partial likelihood: `'efron'` (default, as R's `coxph`) or `'breslow'`. */
  readonly ties?: 'efron' | 'breslow';
  /**
   * L2 penalty λ ≥ 0 (default 0): the fit maximises ℓ(β) − (λ/2)·‖β‖², on the covariates as given
   * (not standardised). This is R's `ridge(…, theta = λ, scale = FALSE)`; R's default `scale = TRUE`
   * penalises the coefficients of standardised columns instead. With λ > 0 collinear columns are allowed.
   */
  readonly l2?: number;
  /** Level of the confidence intervals of coefficients and hazard ratios (default 0.95). */
  readonly confidenceLevel?: number;
  /** One name per column of X (default `x0`, `x1`, …). */
  readonly featureNames?: readonly string[];
  /** Most Newton iterations (default 50, at most 10,000; a regular fit needs fewer than 10). */
  readonly maxIterations?: number;
  /**
   * Stop when the Newton decrement GᵀH⁻¹G (twice the rise of the log-likelihood the next step
   * promises) is below this (default 1e-10): the coefficients are then within about 1e-5 standard
   * errors of the maximum, and in practice far closer, as Newton converges quadratically.
   */
  readonly tolerance?: number;
  /** Most entries of the p × p information matrix held in memory (default 25,000,000, about 5,000 covariates). */
  readonly maxHessianEntries?: number;
}

/**
 * Options as the fitted model echoes them, defaults filled in.
 *
 * @example
 * ```ts
 * import { CoxPh } from '@crm/churn';
 * CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] }).options.ties; // 'efron'
 * ```
 */
export interface CoxPhResolvedOptions {
  /** See {@link CoxPhOptions.ties}. */
  readonly ties: 'efron' | 'breslow';
  /** See {@link CoxPhOptions.l2}. */
  readonly l2: number;
  /** See {@link CoxPhOptions.confidenceLevel}. */
  readonly confidenceLevel: number;
  /** The names given, or `null` (the model then names the columns `x0`, `x1`, …). */
  readonly featureNames: readonly string[] | null;
  /** See {@link CoxPhOptions.maxIterations}. */
  readonly maxIterations: number;
  /** See {@link CoxPhOptions.tolerance}. */
  readonly tolerance: number;
  /** See {@link CoxPhOptions.maxHessianEntries}. */
  readonly maxHessianEntries: number;
}

/**
 * One covariate of a fitted {@link CoxPh}: as a row of R's `summary(coxph)`.
 *
 * @example
 * ```ts
 * import { CoxPh, type CoxCoefficient } from '@crm/churn';
 * const row: CoxCoefficient = CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] }).summary[0]!;
 * ```
 */
export interface CoxCoefficient {
  /** The covariate's name. */
  readonly feature: string;
  /** β: the change of the log hazard per unit of the covariate. */
  readonly coefficient: number;
  /** Standard error of β, from the inverse information matrix (R's `se(coef)`). */
  readonly standardError: number;
  /** exp(β): the factor on the hazard per unit of the covariate (Infinity only when exp(β) overflows: see `report.warning`). */
  readonly hazardRatio: number;
  /** Lower end of the confidence interval of the hazard ratio, exp(β − z·se) (Infinity when it overflows). */
  readonly lower: number;
  /** Upper end of the confidence interval of the hazard ratio, exp(β + z·se): Infinity when it overflows, as for a possibly infinite coefficient. */
  readonly upper: number;
  /** Wald z = β / se. */
  readonly z: number;
  /** Two-sided p-value of z. */
  readonly p: number;
}

/**
 * A chi-square test.
 *
 * @example
 * ```ts
 * import type { ChiSquareTest } from '@crm/churn';
 * const t: ChiSquareTest = { statistic: 3.84, df: 1, p: 0.05 };
 * ```
 */
export interface ChiSquareTest {
  /** The statistic. */
  readonly statistic: number;
  /** Degrees of freedom. */
  readonly df: number;
  /** P(χ²_df > statistic). */
  readonly p: number;
}

/**
 * Harrell's concordance of a {@link CoxPh}, with its pair counts, as R's `concordance(fit)`.
 *
 * @example
 * ```ts
 * import { CoxPh } from '@crm/churn';
 * const c = CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] }).concordance;
 * c.value; // (concordant + tiedRisk / 2) / (concordant + discordant + tiedRisk)
 * ```
 */
export interface CoxConcordance {
  /** The concordance, or `null` when no pair is comparable. */
  readonly value: number | null;
  /** Comparable pairs where the shorter time has the higher risk. */
  readonly concordant: number;
  /** Comparable pairs where the shorter time has the lower risk. */
  readonly discordant: number;
  /** Comparable pairs with equal risk (they count one half). */
  readonly tiedRisk: number;
  /** Pairs of events at the same time with different risks (not comparable). */
  readonly tiedTime: number;
  /** Pairs of events at the same time with equal risks (not comparable). */
  readonly tiedBoth: number;
}

/**
 * The proportional-hazards check of a {@link CoxPh}: the score tests of the scaled Schoenfeld
 * residuals against g(t) = 1 − KM(t−), as R's `cox.zph(fit, transform = "km", terms = FALSE)`.
 * A small p says the covariate's effect changes over time.
 *
 * @example
 * ```ts
 * import { CoxPh } from '@crm/churn';
 * const zph = CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] }).proportionalHazards;
 * zph?.global.p;
 * ```
 */
export interface CoxProportionalHazards {
  /** Always `'km'`. */
  readonly transform: 'km';
  /** One test (1 df) per covariate. */
  readonly covariates: readonly (ChiSquareTest & { readonly feature: string })[];
  /** The joint test of all covariates (p df). */
  readonly global: ChiSquareTest;
}

/**
 * How the solver ended.
 *
 * @example
 * ```ts
 * import { CoxPh } from '@crm/churn';
 * const { converged, iterations, reason } = CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] }).report;
 * ```
 */
export interface CoxPhReport {
  /** True when the Newton decrement fell below the tolerance. */
  readonly converged: boolean;
  /** Newton iterations taken. */
  readonly iterations: number;
  /** `'tolerance'` (converged), `'maxIterations'`, or `'noImprovement'` (no step could raise the likelihood in floating point). */
  readonly reason: 'tolerance' | 'maxIterations' | 'noImprovement';
  /** The Newton decrement GᵀH⁻¹G that met the tolerance (before the one Newton step taken after it), or the last one. */
  readonly decrement: number;
  /** What may make the fit unreliable (possibly infinite coefficients, collinear columns with l2, no convergence); empty when nothing. */
  readonly warning: string;
}

/**
 * JSON form of a {@link CoxPh}.
 *
 * @example
 * ```ts
 * import { CoxPh, type CoxPhJson } from '@crm/churn';
 * const json: CoxPhJson = CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] }).toJSON();
 * ```
 */
export interface CoxPhJson {
  /** Always `'crm.churn.cox-ph'`. */
  readonly kind: 'crm.churn.cox-ph';
  /** Format version, 1. */
  readonly version: 1;
  /** The fit options. */
  readonly options: CoxPhResolvedOptions;
  /** The covariate names. */
  readonly featureNames: string[];
  /** β, one per covariate. */
  readonly coefficients: number[];
  /** The covariance matrix of β (rows). */
  readonly covariance: number[][];
  /** The reference covariate vector of the baseline (see {@link CoxPh.reference}). */
  readonly reference: number[];
  /** Distinct training times and the cumulative baseline hazard at the reference there. */
  readonly baseline: { readonly times: number[]; readonly cumulativeHazard: number[] };
  /** The last training time with an event. */
  readonly lastEventTime: number;
  /** Training rows and events. */
  readonly nObservations: number;
  readonly nEvents: number;
  /** Partial log-likelihoods. */
  readonly logLikelihood: number;
  readonly logLikelihoodNull: number;
  /** Wald and score statistics (the likelihood-ratio statistic follows from the log-likelihoods). */
  readonly waldStatistic: number;
  readonly scoreStatistic: number;
  /** Concordance pair counts. */
  readonly concordance: Omit<CoxConcordance, 'value'>;
  /** Chi-squares of the proportional-hazards check (per covariate, then global), or null. */
  readonly proportionalHazards: { readonly covariates: number[]; readonly global: number } | null;
  /** The solver report. */
  readonly report: CoxPhReport;
}

const KIND = 'crm.churn.cox-ph';
const OPTION_KEYS = ['ties', 'l2', 'confidenceLevel', 'featureNames', 'maxIterations', 'tolerance', 'maxHessianEntries'] as const;
const DEFAULT_MAX_HESSIAN_ENTRIES = 25_000_000;
const MAX_ITERATIONS = 10_000;
/** Survival within this of 0.5 counts as exactly 0.5 for the median (R's `quantile.survfit` tolerance, √ε). */
const MEDIAN_TOLERANCE = 1.4901161193847656e-8;
/**
 * A coefficient is flagged as possibly infinite when it is above 1 in size and the next Newton
 * step would still move it by more than this fraction: at a regular maximum the next step is
 * below 1e-5 standard errors, while on a monotone likelihood every step moves β by about 1.
 */
const INFINITE_STEP = 1e-3;

function resolveOptions(options: unknown): CoxPhResolvedOptions {
  const o = readOptions(options, OPTION_KEYS, 'CoxPh.fit');
  return {
    ties: enumOption(o, 'ties', 'efron', ['efron', 'breslow'] as const),
    l2: numberOption(o, 'l2', 0, { min: 0 }),
    confidenceLevel: numberOption(o, 'confidenceLevel', 0.95, { min: 0, max: 1, minExclusive: true, maxExclusive: true }),
    featureNames: readFeatureNames(o.featureNames),
    maxIterations: numberOption(o, 'maxIterations', 50, { min: 1, max: MAX_ITERATIONS, integer: true }),
    tolerance: numberOption(o, 'tolerance', 1e-10, { min: 0, minExclusive: true }),
    maxHessianEntries: numberOption(o, 'maxHessianEntries', DEFAULT_MAX_HESSIAN_ENTRIES, { min: 1 }),
  };
}

function readFeatureNames(v: unknown): readonly string[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.length === 0) {
    throw new CrmError('invalid_argument', 'option featureNames must be a non-empty array of strings, one per column of X', ['options', 'featureNames']);
  }
  const names: string[] = [];
  for (let i = 0; i < v.length; i++) {
    const name: unknown = v[i];
    if (typeof name !== 'string' || name === '') {
      throw new CrmError('invalid_argument', `option featureNames[${i}] must be a non-empty string`, ['options', 'featureNames', i]);
    }
    if (names.includes(name)) throw new CrmError('invalid_argument', `option featureNames holds '${name}' twice`, ['options', 'featureNames', i]);
    names.push(name);
  }
  return names;
}

/** p-value of a chi-square statistic; a statistic beyond double range has p = 0. */
function chiSquareP(statistic: number, df: number): number {
  return Number.isFinite(statistic) ? chiSquareSurvival(Math.max(0, statistic), df) : 0;
}

/** The learned state a CoxPh is built from (what its JSON holds). */
interface CoxState {
  readonly options: CoxPhResolvedOptions;
  readonly featureNames: readonly string[];
  readonly coefficients: readonly number[];
  readonly covariance: readonly (readonly number[])[];
  readonly reference: readonly number[];
  readonly times: readonly number[];
  readonly cumulativeHazard: readonly number[];
  readonly lastEventTime: number;
  readonly nObservations: number;
  readonly nEvents: number;
  readonly logLikelihood: number;
  readonly logLikelihoodNull: number;
  readonly waldStatistic: number;
  readonly scoreStatistic: number;
  readonly concordance: Omit<CoxConcordance, 'value'>;
  readonly proportionalHazards: { readonly covariates: readonly number[]; readonly global: number } | null;
  readonly report: CoxPhReport;
}

/**
 * Cox proportional hazards model for time to churn with censoring: the hazard of customer x at
 * time t is h₀(t)·exp(β·x), with h₀ left free. Fitted by Newton–Raphson on the partial likelihood
 * (Efron's or Breslow's handling of tied times) with step halving, as R's `coxph`, in
 * O(n log n + iterations · n·p²). The model reports what R's `summary(coxph)` does (coefficients,
 * standard errors, hazard ratios with confidence intervals, z and p; the likelihood-ratio, Wald and
 * score tests; Harrell's concordance), the baseline cumulative hazard, and the proportional-hazards
 * check of R's `cox.zph`; it predicts risks, survival curves, and expected and median times.
 *
 * Survival models are not classifiers: there is no `predictProba`; ask for `survival(X, [t])`.
 *
 * @example
 * ```ts
 * import { CoxPh } from '@crm/churn';
 * // Monthly charge (in tens) and a two-year contract flag; tenure in months, churned or not.
 * const X = [[7, 0], [2, 1], [8, 0], [5, 0], [9, 0], [3, 1], [6, 0], [4, 1], [6, 1], [3, 0]];
 * const telco = { durations: [2, 60, 5, 30, 1, 72, 12, 8, 20, 40], events: [1, 0, 1, 1, 1, 0, 1, 1, 1, 0] };
 * const model = CoxPh.fit(X, telco, { featureNames: ['charge', 'twoYear'] });
 * model.summary[0]?.hazardRatio;            // ≈ 3.09: the hazard triples per 10 of monthly charge
 * model.concordance.value;                  // ≈ 0.881 (Harrell's C)
 * model.survival([[7, 0]], [12, 24]);       // [Float64Array [S(12), S(24)]]
 * model.medianTime([[7, 0], [2, 1]]);       // [8, null]: the second never falls to 0.5
 * ```
 * @throws {CrmError} `invalid_input` for an empty, ragged or non-finite X, bad durations or events,
 * or lengths that differ; `degenerate_data` when there is no event, a column is constant, or (without
 * l2) a column is collinear with others; `invalid_argument` for bad options; `limit_exceeded` at
 * `['options', 'maxHessianEntries']`; `non_finite_result` when the data are too extreme for double precision.
 * @see R survival's `coxph`, `cox.zph`, `concordance`, `basehaz`, `survfit.coxph` (Therneau & Grambsch 2000).
 */
export class CoxPh {
  /** Always `'crm.churn.cox-ph'`. */
  readonly kind: 'crm.churn.cox-ph' = KIND;
  /** The fit options with defaults filled in. */
  readonly options: CoxPhResolvedOptions;
  /** The covariate names (the option's, or `x0`, `x1`, …). */
  readonly featureNames: readonly string[];
  /** β, one per covariate. */
  readonly coefficients: readonly number[];
  /** Covariance matrix of β: the inverse of the (penalised) information matrix, as R's `vcov`. */
  readonly covariance: readonly (readonly number[])[];
  /** The table of R's `summary(coxph)`, one row per covariate. */
  readonly summary: readonly CoxCoefficient[];
  /**
   * The reference covariate vector of `predictLinear`, `predictRisk` and `baselineHazard(true)`: the
   * column means, except 0 for columns holding only 0 and 1, as R's `coxph` (`fit$means`).
   */
  readonly reference: readonly number[];
  /** Partial log-likelihood at β (without the penalty). */
  readonly logLikelihood: number;
  /** Partial log-likelihood at β = 0. */
  readonly logLikelihoodNull: number;
  /** Likelihood-ratio, Wald and score tests of β = 0 (p df each), as R's `summary(coxph)`. */
  readonly tests: { readonly likelihoodRatio: ChiSquareTest; readonly wald: ChiSquareTest; readonly score: ChiSquareTest };
  /** Harrell's concordance on the training data. */
  readonly concordance: CoxConcordance;
  /** The proportional-hazards check, or `null` when it cannot be computed (events at one time only). */
  readonly proportionalHazards: CoxProportionalHazards | null;
  /** How the solver ended. */
  readonly report: CoxPhReport;
  /** Training rows. */
  readonly nObservations: number;
  /** Training events. */
  readonly nEvents: number;
  /** The last training time with an event: the horizon of {@link CoxPh.expectedTime}. */
  readonly lastEventTime: number;
  /** Number of covariates. */
  readonly nFeatures: number;
  /** The learned state, for predictions and JSON. */
  readonly #state: CoxState;

  private constructor(state: CoxState) {
    this.#state = state;
    const p = state.coefficients.length;
    this.options = Object.freeze({ ...state.options, featureNames: state.options.featureNames && Object.freeze(state.options.featureNames.slice()) });
    this.featureNames = state.featureNames.slice();
    this.coefficients = state.coefficients.slice();
    this.covariance = state.covariance.map((r) => r.slice());
    this.reference = state.reference.slice();
    this.logLikelihood = state.logLikelihood;
    this.logLikelihoodNull = state.logLikelihoodNull;
    this.nObservations = state.nObservations;
    this.nEvents = state.nEvents;
    this.lastEventTime = state.lastEventTime;
    this.nFeatures = p;
    this.report = { ...state.report };
    const z = normalQuantile(0.5 + state.options.confidenceLevel / 2);
    this.summary = state.coefficients.map((b, j) => {
      const se = Math.sqrt(state.covariance[j]?.[j] as number);
      const zj = finiteResult(b / se, `the z statistic of ${state.featureNames[j] as string}`, ['coefficients', j]);
      return {
        feature: state.featureNames[j] as string,
        coefficient: b,
        standardError: se,
        // exp overflows only for a coefficient the report flags as possibly infinite: Infinity is then the truth.
        hazardRatio: portableExp(b),
        lower: portableExp(b - z * se),
        upper: portableExp(b + z * se),
        z: zj,
        p: chiSquareP(zj * zj, 1),
      };
    });
    const lr = Math.max(0, 2 * (state.logLikelihood - state.logLikelihoodNull));
    this.tests = {
      likelihoodRatio: { statistic: lr, df: p, p: chiSquareP(lr, p) },
      wald: { statistic: state.waldStatistic, df: p, p: chiSquareP(state.waldStatistic, p) },
      score: { statistic: state.scoreStatistic, df: p, p: chiSquareP(state.scoreStatistic, p) },
    };
    const c = state.concordance;
    const comparable = c.concordant + c.discordant + c.tiedRisk;
    this.concordance = { value: comparable > 0 ? (c.concordant + c.tiedRisk / 2) / comparable : null, ...c };
    const ph = state.proportionalHazards;
    this.proportionalHazards =
      ph === null
        ? null
        : {
            transform: 'km',
            covariates: ph.covariates.map((chi, j) => ({ feature: state.featureNames[j] as string, statistic: chi, df: 1, p: chiSquareP(chi, 1) })),
            global: { statistic: ph.global, df: p, p: chiSquareP(ph.global, p) },
          };
    freezeModel(this);
  }

  /**
   * Fits the model to covariate rows `X` and their survival data. O(n log n + iterations · n·p²).
   *
   * @example
   * ```ts
   * import { CoxPh } from '@crm/churn';
   * const m = CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] }, { ties: 'breslow' });
   * ```
   */
  static fit(X: Rows, data: SurvivalData, options?: CoxPhOptions): CoxPh {
    const opts = resolveOptions(options);
    const m = toDenseMatrix(X, { name: 'X', minRows: 2 });
    if (data === null || typeof data !== 'object') {
      throw new CrmError('invalid_argument', 'data must be { durations, events }: the time each customer was observed and whether they churned then', ['data']);
    }
    const { time, event } = readSurvival(data.durations, data.events);
    if (time.length !== m.rows) {
      throw new CrmError('invalid_input', `durations has ${time.length} values but X has ${m.rows} rows`, ['durations']);
    }
    const { rows: n, cols: p } = m;
    if (opts.featureNames !== null && opts.featureNames.length !== p) {
      throw new CrmError('invalid_argument', `option featureNames has ${opts.featureNames.length} names but X has ${p} columns`, ['options', 'featureNames']);
    }
    const names = opts.featureNames ?? Array.from({ length: p }, (_, j) => `x${j}`);
    checkCost(p * p, opts.maxHessianEntries, 'maxHessianEntries', `a Cox model on ${p} covariates`, 'information matrix entries');
    let nEvents = 0;
    let lastEventTime = 0;
    for (let i = 0; i < n; i++) {
      if (event[i] === 1) {
        nEvents++;
        if ((time[i] as number) > lastEventTime) lastEventTime = time[i] as number;
      }
    }
    if (nEvents === 0) {
      throw new CrmError('degenerate_data', 'there is no event (every customer is censored): a Cox model needs churned customers to learn from', ['events']);
    }
    rejectConstantColumns(m.data, n, p, names);
    const reference = referenceVector(m.data, n, p);
    const d = sortData(m.data, n, p, time, event);
    const efron = opts.ties === 'efron';
    // The sums of the proportional-hazards check ride along every information evaluation, so the
    // last one (at β̂) costs nothing extra.
    const zph: ZphSums = { g: kmTransform(d), u: new Float64Array(p), i12: new Float64Array(p * p), i22: new Float64Array(p * p) };
    const { result, work } = newton(d, efron, opts.l2, opts.maxIterations, opts.tolerance, (j) => names[j] as string, zph);
    const beta = result.beta;
    finiteResults(beta, 'the fitted coefficients', ['X']);
    finiteResult(result.logLikelihood, 'the partial log-likelihood', ['X']);

    // Covariance: the inverse of the penalised information at β̂ (as R's fit$var).
    const H = work.info.slice();
    for (let j = 0; j < p; j++) H[j * p + j] = (H[j * p + j] as number) + opts.l2;
    const factor = choleskyPivots(H, p, 0);
    if ('column' in factor) {
      throw new CrmError('degenerate_data', `the information matrix is singular at the solution (column ${factor.column}, ${names[factor.column] as string}); set options.l2 > 0`, ['X', '*', factor.column]);
    }
    const V = finiteResults(inverseFromFactor(factor.L, p), 'the covariance of the coefficients', ['X']);
    let wald = 0;
    for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) wald += (beta[j] as number) * (H[j * p + k] as number) * (beta[k] as number);

    // Baseline at the reference vector: risks exp((x − ref)·β) = exp(η + (x̄ − ref)·β).
    let offset = 0;
    for (let j = 0; j < p; j++) offset += ((d.means[j] as number) - (reference[j] as number)) * (beta[j] as number);
    // work.eta holds η at the last evaluation, which may have been a rejected trial: recompute.
    evaluate(d, beta, efron, work, false);
    let shift = -Infinity;
    for (let i = 0; i < n; i++) shift = Math.max(shift, work.eta[i] as number);
    const base = baselineHazard(d, work.risk, efron, finiteResult(portableExp(shift + offset), 'the risk scale of the baseline hazard', ['X']));
    finiteResults(base.hazard, 'the baseline cumulative hazard', ['durations']);

    const counts = concordance(d, work.eta);
    const ph = zphTests(zph, work.info, p, opts.l2);
    const report = reportOf(result, names);
    return new CoxPh({
      options: opts,
      featureNames: names,
      coefficients: Array.from(beta),
      covariance: Array.from({ length: p }, (_, j) => Array.from(V.subarray(j * p, (j + 1) * p))),
      reference: Array.from(reference),
      times: Array.from(base.times),
      cumulativeHazard: Array.from(base.hazard),
      lastEventTime,
      nObservations: n,
      nEvents,
      logLikelihood: result.logLikelihood,
      logLikelihoodNull: result.logLikelihoodNull,
      waldStatistic: finiteResult(wald, 'the Wald statistic', ['X']),
      scoreStatistic: result.score,
      concordance: counts,
      proportionalHazards: ph,
      report,
    });
  }

  /**
   * Restores a model from {@link CoxPh.toJSON} output, checking every value.
   *
   * @throws {CrmError} `invalid_json` for foreign, tampered or incomplete JSON.
   * @example
   * ```ts
   * import { CoxPh } from '@crm/churn';
   * const m = CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] });
   * const copy = CoxPh.fromJSON(JSON.parse(JSON.stringify(m)));
   * ```
   */
  static fromJSON(json: unknown): CoxPh {
    const obj = readModelJson(json, KIND, 1);
    const options = readJsonOptions(obj, resolveOptions);
    const coefficients = readNumberArray(obj, 'coefficients');
    const p = coefficients.length;
    if (p === 0) throw new CrmError('invalid_json', 'coefficients is empty', ['coefficients']);
    if (p * p > options.maxHessianEntries) throw new CrmError('invalid_json', `${p} coefficients exceed options.maxHessianEntries`, ['coefficients']);
    const featureNames = readStrings(obj, 'featureNames', p);
    if (options.featureNames !== null && options.featureNames.some((f, j) => f !== featureNames[j])) {
      throw new CrmError('invalid_json', 'featureNames differs from options.featureNames', ['featureNames']);
    }
    const rawCov = ownValue(obj, 'covariance');
    if (!Array.isArray(rawCov) || rawCov.length !== p) {
      throw new CrmError('invalid_json', `expected ${p} rows at covariance`, ['covariance']);
    }
    const covariance = Array.from({ length: p }, (_, j) => readNumberArray({ [j]: rawCov[j] as unknown }, String(j), ['covariance'], p));
    for (let j = 0; j < p; j++) {
      if (!((covariance[j]?.[j] as number) > 0)) throw new CrmError('invalid_json', `covariance[${j}][${j}] must be a variance > 0`, ['covariance', j, j]);
      for (let k = 0; k < j; k++) {
        if (covariance[j]?.[k] !== covariance[k]?.[j]) throw new CrmError('invalid_json', 'covariance must be symmetric', ['covariance', j, k]);
      }
    }
    const reference = readNumberArray(obj, 'reference', [], p);
    const b = readObject(ownValue(obj, 'baseline'), ['baseline']);
    const times = readNumberArray(b, 'times', ['baseline']);
    const cumulativeHazard = readNumberArray(b, 'cumulativeHazard', ['baseline'], times.length);
    if (times.length === 0) throw new CrmError('invalid_json', 'baseline.times is empty', ['baseline', 'times']);
    for (let k = 0; k < times.length; k++) {
      const t = times[k] as number;
      const h = cumulativeHazard[k] as number;
      if (!(t >= 0) || (k > 0 && !(t > (times[k - 1] as number)))) {
        throw new CrmError('invalid_json', 'baseline.times must be increasing times ≥ 0', ['baseline', 'times', k]);
      }
      if (!(h >= 0) || (k > 0 && !(h >= (cumulativeHazard[k - 1] as number)))) {
        throw new CrmError('invalid_json', 'baseline.cumulativeHazard must be non-decreasing and ≥ 0', ['baseline', 'cumulativeHazard', k]);
      }
    }
    const nObservations = readNumber(obj, 'nObservations', [], { min: 2, integer: true });
    const lastEventTime = readNumber(obj, 'lastEventTime', [], { min: times[0] as number, max: times[times.length - 1] as number });
    const c = readObject(ownValue(obj, 'concordance'), ['concordance']);
    const count = (key: string): number => readNumber(c, key, ['concordance'], { min: 0, integer: true });
    const rawPh = ownValue(obj, 'proportionalHazards');
    let proportionalHazards: CoxState['proportionalHazards'] = null;
    if (rawPh !== null) {
      const ph = readObject(rawPh, ['proportionalHazards']);
      const covariates = readNumberArray(ph, 'covariates', ['proportionalHazards'], p);
      covariates.forEach((v, j) => {
        if (v < 0) throw new CrmError('invalid_json', 'a chi-square must be ≥ 0', ['proportionalHazards', 'covariates', j]);
      });
      proportionalHazards = { covariates, global: readNumber(ph, 'global', ['proportionalHazards'], { min: 0 }) };
    }
    const r = readObject(ownValue(obj, 'report'), ['report']);
    const warning = ownValue(r, 'warning');
    if (typeof warning !== 'string') throw new CrmError('invalid_json', 'expected a string at report.warning', ['report', 'warning']);
    const reason = ownValue(r, 'reason');
    if (reason !== 'tolerance' && reason !== 'maxIterations' && reason !== 'noImprovement') {
      throw new CrmError('invalid_json', "report.reason must be 'tolerance', 'maxIterations' or 'noImprovement'", ['report', 'reason']);
    }
    return new CoxPh({
      options,
      featureNames,
      coefficients,
      covariance,
      reference,
      times,
      cumulativeHazard,
      lastEventTime,
      nObservations,
      nEvents: readNumber(obj, 'nEvents', [], { min: 1, max: nObservations, integer: true }),
      logLikelihood: readNumber(obj, 'logLikelihood', [], { max: 0 }),
      logLikelihoodNull: readNumber(obj, 'logLikelihoodNull', [], { max: 0 }),
      waldStatistic: readNumber(obj, 'waldStatistic', [], { min: 0 }),
      scoreStatistic: readNumber(obj, 'scoreStatistic', [], { min: 0 }),
      concordance: {
        concordant: count('concordant'),
        discordant: count('discordant'),
        tiedRisk: count('tiedRisk'),
        tiedTime: count('tiedTime'),
        tiedBoth: count('tiedBoth'),
      },
      proportionalHazards,
      report: {
        converged: readBoolean(r, 'converged', ['report']),
        iterations: readNumber(r, 'iterations', ['report'], { min: 0, integer: true }),
        reason,
        decrement: readNumber(r, 'decrement', ['report'], { min: 0 }),
        warning,
      },
    });
  }

  /**
   * Linear predictor (x − reference)·β of each row, as R's `predict(fit, type = "lp")`.
   *
   * @throws {CrmError} `invalid_input` for a ragged, non-finite or wrongly sized X; `non_finite_result` on overflow.
   * @example
   * ```ts
   * import { CoxPh } from '@crm/churn';
   * const m = CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] });
   * m.predictLinear([[1], [0]]); // Float64Array [β·(1 − ref), β·(0 − ref)], ref = the mean 7/6
   * ```
   */
  predictLinear(X: Rows): Float64Array {
    const m = toDenseMatrix(X, { cols: this.nFeatures });
    const out = new Float64Array(m.rows);
    const beta = this.#state.coefficients;
    const ref = this.#state.reference;
    for (let i = 0; i < m.rows; i++) {
      let s = 0;
      for (let j = 0; j < m.cols; j++) s += (beta[j] as number) * ((m.data[i * m.cols + j] as number) - (ref[j] as number));
      out[i] = s;
    }
    return finiteResults(out, 'the linear predictor (x − reference)·β', ['X']);
  }

  /**
   * Partial hazard exp((x − reference)·β) of each row: the factor on the baseline hazard, as R's
   * `predict(fit, type = "risk")`. Rank customers by it: a higher risk churns sooner.
   *
   * @throws {CrmError} `invalid_input` for a bad X; `non_finite_result` when the risk overflows.
   * @example
   * ```ts
   * import { CoxPh } from '@crm/churn';
   * const m = CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] });
   * m.predictRisk([[1], [0]]);
   * ```
   */
  predictRisk(X: Rows): Float64Array {
    const out = this.predictLinear(X);
    for (let i = 0; i < out.length; i++) out[i] = portableExp(out[i] as number);
    return finiteResults(out, 'the risk exp((x − reference)·β)', ['X']);
  }

  /**
   * Baseline cumulative hazard H₀ at every distinct training time: by default at covariates 0, as
   * R's `basehaz(fit, centered = FALSE)`; with `centered = true` at the reference vector, as
   * `basehaz(fit)`. The increments are Breslow's d / Σ risk, with Efron's correction for tied
   * events when the model uses Efron ties (as R's `survfit.coxph`). A customer's cumulative hazard is
   * H₀(t)·exp(β·x) (or H₀ centred times `predictRisk`).
   *
   * @throws {CrmError} `non_finite_result` when exp(−β·reference) overflows (covariates far from 0): use `centered = true`.
   * @example
   * ```ts
   * import { CoxPh } from '@crm/churn';
   * const m = CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] });
   * const { times, cumulativeHazard } = m.baselineHazard();
   * ```
   */
  baselineHazard(centered = false): { times: number[]; cumulativeHazard: number[] } {
    if (typeof centered !== 'boolean') throw new CrmError('invalid_argument', 'centered must be true or false', ['centered']);
    const s = this.#state;
    let shift = 0;
    if (!centered) for (let j = 0; j < this.nFeatures; j++) shift -= (s.coefficients[j] as number) * (s.reference[j] as number);
    const factor = portableExp(shift);
    const cumulativeHazard = s.cumulativeHazard.map((h) => h * factor);
    finiteResults(cumulativeHazard, 'the baseline cumulative hazard at covariates 0', ['centered']);
    return { times: s.times.slice(), cumulativeHazard };
  }

  /**
   * Survival curves: for each row, S(t | x) = exp(−H₀(t)·risk(x)) at each of `times` (a step
   * function of the training times; 1 before the first; the last value beyond the last), as R's
   * `survfit(fit, newdata)`. O(rows · times · log(distinct times)).
   *
   * @throws {CrmError} `invalid_input` for a bad X; `invalid_argument` when times is not an array of finite numbers ≥ 0.
   * @example
   * ```ts
   * import { CoxPh } from '@crm/churn';
   * const m = CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] });
   * m.survival([[1], [0]], [1, 3, 6]); // [Float64Array(3), Float64Array(3)]
   * ```
   */
  survival(X: Rows, times: ArrayLike<number>): Float64Array[] {
    const ts = checkTimes(times);
    const risk = this.predictRisk(X);
    const s = this.#state;
    const H = ts.map((t) => {
      const k = lastAtOrBefore(s.times, t);
      return k < 0 ? 0 : (s.cumulativeHazard[k] as number);
    });
    return Array.from(risk, (r) => {
      const out = new Float64Array(H.length);
      for (let k = 0; k < H.length; k++) out[k] = portableExp(-(H[k] as number) * r);
      return out;
    });
  }

  /**
   * Expected time to churn of each row, restricted to the last training event time τ
   * ({@link CoxPh.lastEventTime}): ∫₀^τ S(t | x) dt, R's `rmean` with `rmean = τ`. Beyond τ the
   * model knows nothing, so an unrestricted mean would be a guess; a customer who stays past τ
   * contributes τ.
   *
   * @example
   * ```ts
   * import { CoxPh } from '@crm/churn';
   * const m = CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] });
   * m.expectedTime([[1], [0]]); // Float64Array [≤ τ, ≤ τ]
   * ```
   */
  expectedTime(X: Rows): Float64Array {
    const risk = this.predictRisk(X);
    const s = this.#state;
    const tau = s.lastEventTime;
    const out = new Float64Array(risk.length);
    for (let i = 0; i < risk.length; i++) {
      const r = risk[i] as number;
      let area = Math.min(s.times[0] as number, tau);
      for (let k = 0; k < s.times.length && (s.times[k] as number) < tau; k++) {
        const next = Math.min(k + 1 < s.times.length ? (s.times[k + 1] as number) : tau, tau);
        area += portableExp(-(s.cumulativeHazard[k] as number) * r) * (next - (s.times[k] as number));
      }
      out[i] = area;
    }
    return finiteResults(out, 'the restricted mean time', ['X']);
  }

  /**
   * Median time to churn of each row: the first training time where S(t | x) ≤ 0.5 (the midpoint
   * to the next time when S is 0.5 exactly over an interval), as R's `quantile(survfit(…), 0.5)`;
   * `null` when the curve stays above 0.5 over the whole follow-up.
   *
   * @example
   * ```ts
   * import { CoxPh } from '@crm/churn';
   * const m = CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] });
   * m.medianTime([[1], [0]]); // [number | null, number | null]
   * ```
   */
  medianTime(X: Rows): (number | null)[] {
    const risk = this.predictRisk(X);
    const s = this.#state;
    return Array.from(risk, (r) => {
      const surv = (k: number): number => portableExp(-(s.cumulativeHazard[k] as number) * r);
      for (let k = 0; k < s.times.length; k++) {
        const v = surv(k);
        if (v > 0.5 + MEDIAN_TOLERANCE) continue;
        if (Math.abs(v - 0.5) < MEDIAN_TOLERANCE) {
          for (let k2 = k + 1; k2 < s.times.length; k2++) {
            if (surv(k2) < 0.5 - MEDIAN_TOLERANCE) return ((s.times[k] as number) + (s.times[k2] as number)) / 2;
          }
        }
        return s.times[k] as number;
      }
      return null;
    });
  }

  /**
   * Plain JSON data for storage; {@link CoxPh.fromJSON} restores the model.
   *
   * @example
   * ```ts
   * import { CoxPh } from '@crm/churn';
   * JSON.stringify(CoxPh.fit([[2], [0], [1], [3], [0], [1]], { durations: [2, 5, 3, 1, 4, 6], events: [1, 1, 0, 1, 1, 0] }));
   * ```
   */
  toJSON(): CoxPhJson {
    const s = this.#state;
    return {
      kind: KIND,
      version: 1,
      options: { ...s.options, featureNames: s.options.featureNames && s.options.featureNames.slice() },
      featureNames: s.featureNames.slice(),
      coefficients: s.coefficients.slice(),
      covariance: s.covariance.map((r) => r.slice()),
      reference: s.reference.slice(),
      baseline: { times: s.times.slice(), cumulativeHazard: s.cumulativeHazard.slice() },
      lastEventTime: s.lastEventTime,
      nObservations: s.nObservations,
      nEvents: s.nEvents,
      logLikelihood: s.logLikelihood,
      logLikelihoodNull: s.logLikelihoodNull,
      waldStatistic: s.waldStatistic,
      scoreStatistic: s.scoreStatistic,
      concordance: { ...s.concordance },
      proportionalHazards: s.proportionalHazards && { covariates: s.proportionalHazards.covariates.slice(), global: s.proportionalHazards.global },
      report: { ...s.report },
    };
  }
}

/** Reads an array of `length` strings at obj[key] of model JSON. */
function readStrings(obj: Readonly<Record<string, unknown>>, key: string, length: number): string[] {
  const v = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  if (!Array.isArray(v) || v.length !== length) throw new CrmError('invalid_json', `expected ${length} strings at ${key}`, [key]);
  const out: string[] = [];
  for (let i = 0; i < length; i++) {
    const s: unknown = v[i];
    if (typeof s !== 'string') throw new CrmError('invalid_json', `expected a string at ${key}[${i}]`, [key, i]);
    out.push(s);
  }
  return out;
}

/** Checks prediction times: finite numbers ≥ 0. */
function checkTimes(times: ArrayLike<number>): number[] {
  if (times === null || typeof times !== 'object' || typeof times.length !== 'number') {
    throw new CrmError('invalid_argument', 'times must be an array of numbers', ['times']);
  }
  const out: number[] = [];
  for (let k = 0; k < times.length; k++) {
    const t = times[k];
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
      throw new CrmError('invalid_argument', `times[${k}] is ${String(t)}: times must be finite numbers ≥ 0`, ['times', k]);
    }
    out.push(t);
  }
  return out;
}

/** Index of the last of the increasing `times` that is ≤ t, or −1. */
function lastAtOrBefore(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** A constant column has no effect in a model without intercept and makes the information singular. */
function rejectConstantColumns(X: Float64Array, n: number, p: number, names: readonly string[]): void {
  for (let j = 0; j < p; j++) {
    const first = X[j] as number;
    let constant = true;
    for (let i = 1; i < n && constant; i++) if (X[i * p + j] !== first) constant = false;
    if (constant) {
      throw new CrmError(
        'degenerate_data',
        `column ${j} of X (${names[j] as string}) is ${first} in every row: a Cox model has no intercept, so a constant column has no effect and no coefficient; drop it`,
        ['X', '*', j],
      );
    }
  }
}

/** Column means, 0 for 0/1 columns (R's coxph `means`). */
function referenceVector(X: Float64Array, n: number, p: number): Float64Array {
  const ref = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let sum = 0;
    let binary = true;
    for (let i = 0; i < n; i++) {
      const v = X[i * p + j] as number;
      sum += v;
      if (v !== 0 && v !== 1) binary = false;
    }
    ref[j] = binary ? 0 : sum / n;
  }
  return ref;
}

/** The solver report, with the warnings a user must see. */
function reportOf(result: ReturnType<typeof newton>['result'], names: readonly string[]): CoxPhReport {
  const warnings: string[] = [];
  if (!result.converged) {
    warnings.push(
      result.reason === 'maxIterations'
        ? `Newton's method stopped after ${result.iterations} iterations with decrement ${result.decrement.toExponential(2)}: raise maxIterations, or set l2 > 0`
        : `no step could raise the likelihood at decrement ${result.decrement.toExponential(2)}: the covariates may be badly scaled`,
    );
  }
  const infinite: string[] = [];
  for (let j = 0; j < result.beta.length; j++) {
    const b = Math.abs(result.beta[j] as number);
    if (b > 1 && Math.abs(result.nextStep[j] as number) > INFINITE_STEP * b) infinite.push(names[j] as string);
  }
  if (infinite.length > 0) {
    warnings.push(`the likelihood still rises along ${infinite.join(', ')}: their coefficients may be infinite (a covariate that separates churners in time); set l2 > 0 or drop them`);
  }
  if (result.collinear !== undefined) {
    warnings.push(`column ${result.collinear} (${names[result.collinear] as string}) is collinear with the columns before it: only the l2 penalty identifies its coefficient`);
  }
  return { converged: result.converged, iterations: result.iterations, reason: result.reason, decrement: result.decrement, warning: warnings.join('; ') };
}

/**
 * Score tests of the scaled Schoenfeld residuals against g(t) (R's `cox.zph`, `transform = "km"`,
 * one term per column): with U₂ = Σ g(t)·(x − x̄(t)) over the events and the information blocks
 * I₁₁ = Σ I(t), I₁₂ = Σ g·I(t), I₂₂ = Σ g²·I(t) at β̂, the test of column j is U₂ⱼ² / Sⱼⱼ and the
 * global test U₂ᵀ S⁻¹ U₂, where S = I₂₂ − I₁₂ I₁₁⁻¹ I₁₂ (the Schur complement: the score test of the
 * interaction with time given β). The penalty is added to both diagonal blocks, as R does. Null
 * when S is singular (all events at one time, so g is constant).
 */
function zphTests(sums: ZphSums, info: Float64Array, p: number, l2: number): CoxState['proportionalHazards'] {
  const I11 = info.slice();
  const I22 = sums.i22.slice();
  for (let j = 0; j < p; j++) {
    I11[j * p + j] = (I11[j * p + j] as number) + l2;
    I22[j * p + j] = (I22[j * p + j] as number) + l2;
  }
  const f11 = choleskyPivots(I11, p, 0);
  if ('column' in f11) return null;
  // S = I22 − I12ᵀ I11⁻¹ I12, column by column.
  const S = new Float64Array(p * p);
  const col = new Float64Array(p);
  const rhs = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    for (let j = 0; j < p; j++) rhs[j] = sums.i12[j * p + k] as number;
    solveFactor(f11.L, p, rhs, col);
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let m = 0; m < p; m++) s += (sums.i12[m * p + j] as number) * (col[m] as number);
      S[j * p + k] = (I22[j * p + k] as number) - s;
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) S[j * p + k] = S[k * p + j] = ((S[j * p + k] as number) + (S[k * p + j] as number)) / 2;
  const covariates: number[] = [];
  for (let j = 0; j < p; j++) {
    const sjj = S[j * p + j] as number;
    if (!(sjj > PIVOT_TOLERANCE * (I22[j * p + j] as number)) || !(sjj > 0)) return null;
    covariates.push(((sums.u[j] as number) * (sums.u[j] as number)) / sjj);
  }
  const fS = choleskyPivots(S, p, PIVOT_TOLERANCE);
  if ('column' in fS) return null;
  solveFactor(fS.L, p, sums.u, col);
  let global = 0;
  for (let j = 0; j < p; j++) global += (sums.u[j] as number) * (col[j] as number);
  if (!covariates.every(Number.isFinite) || !Number.isFinite(global)) return null;
  return { covariates, global: Math.max(0, global) };
}
