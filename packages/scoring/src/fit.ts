import { cholesky, choleskySolve, CrmError, numberOption, ownValue, readNumber, readObject, readOptions, type CrmPath } from '@crm/core';
import { minimize, type Objective } from './optimize.ts';

/**
 * How a maximum-likelihood fit went. Every fitted model carries one as `model.report`.
 *
 * @example
 * ```ts
 * import type { FitReport } from '@crm/scoring';
 * const report: FitReport = {
 *   converged: true, iterations: 21, logLikelihood: -9582.43, message: 'gradient below tolerance',
 *   method: 'bfgs', observations: 2357, standardErrors: { r: 0.0126 },
 * };
 * ```
 */
export interface FitReport {
  /** True when the optimizer met its gradient tolerance. */
  readonly converged: boolean;
  /** Optimizer iterations used. */
  readonly iterations: number;
  /** Log-likelihood at the estimate, summed over (weighted) observations, penalty excluded. */
  readonly logLikelihood: number;
  /** Why the optimizer stopped, in words (the reason when `converged` is false). */
  readonly message: string;
  /** `'bfgs'`, or `'bfgs+nelder-mead'` when BFGS stalled and Nelder–Mead restarted it. */
  readonly method: string;
  /** Number of observations (sum of weights) the likelihood was summed over. */
  readonly observations: number;
  /**
   * Asymptotic standard errors of the parameters, from the inverse of the observed information
   * (the Hessian of the negative log-likelihood at the estimate, by forward differences of the gradient);
   * `null` when that Hessian is not positive definite (e.g. not converged, or at a boundary).
   */
  readonly standardErrors: Readonly<Record<string, number>> | null;
  /**
   * Asymptotic covariance matrix of the estimate in the optimizer's coordinates (u = ln θ for
   * each positive parameter), rows and columns in the order of the parameter names: the inverse
   * of the same observed information as `standardErrors`, so `standardErrors[name]² ≈
   * θ²·covariance[i][i]`. `null` when that Hessian is not positive definite. Always present on a
   * fitted model and written by `toJSON`; JSON written before it existed loads with `null`.
   */
  readonly covariance?: readonly (readonly number[])[] | null;
}

/** The fit harness' input: a model's objective in log-parameters. */
export interface LogLikelihoodProblem {
  /** Parameter names, in the order of the vectors below. */
  readonly names: readonly string[];
  /** Starting values (natural scale, positive). */
  readonly start: readonly number[];
  /**
   * Sum of weighted log-likelihoods at natural parameters θ = exp(u); writes d/du into `grad`
   * when `grad` is given. Returns a non-finite value where the likelihood cannot be evaluated.
   */
  readonly logLikelihood: (theta: Float64Array, grad: Float64Array | undefined) => number;
  /** Whether `logLikelihood` fills `grad` (otherwise central differences are used). */
  readonly analyticGradient: boolean;
  /** Total weight (number of customers) the log-likelihood is summed over. */
  readonly observations: number;
  /** L2 penalty weight (see each model's `penalizer` option). */
  readonly penalizer: number;
  /** Scales dividing each parameter inside the penalty, so it does not depend on the time unit. */
  readonly penaltyScale: readonly number[];
}

/** Optimizer tolerance on the mean negative log-likelihood's gradient in log-parameters. */
const GRADIENT_TOLERANCE = 1e-9;
/** Looser tolerance when the gradient itself is a central difference (error about 1e-10). */
const NUMERIC_GRADIENT_TOLERANCE = 1e-7;
const MAX_ITERATIONS = 500;
/** |ln θ| beyond this is outside the model's meaningful range (θ < 1e-13 or > 4e14). */
export const MAX_LOG_PARAMETER = 30;
/** An estimate with |ln θ| beyond this has run off towards 0 or ∞ rather than converged. */
const BOUNDARY_LOG_PARAMETER = 25;
/** Step of the central differences for gradients, ≈ ε^(1/3). */
const GRADIENT_STEP = 6e-6;
/** Step (in ln θ) of the forward differences of the gradient that give the Hessian. */
const HESSIAN_STEP = 1e-5;

/** Fits by maximum likelihood over u = ln θ and returns θ with its {@link FitReport}. */
export function fitLogParameters(problem: LogLikelihoodProblem): { theta: number[]; report: FitReport } {
  const k = problem.names.length;
  const theta = new Float64Array(k);
  const inner = new Float64Array(k);
  const n = problem.observations;
  // Mean negative log-likelihood plus penalty: O(1) in size whatever the data, so one tolerance fits all.
  const meanObjective = (u: Float64Array, grad: Float64Array | undefined): number => {
    for (let i = 0; i < k; i++) {
      const ui = u[i] as number;
      if (!(Math.abs(ui) <= MAX_LOG_PARAMETER)) return Number.POSITIVE_INFINITY;
      theta[i] = Math.exp(ui);
    }
    const ll = problem.logLikelihood(theta, grad === undefined ? undefined : inner);
    if (!Number.isFinite(ll)) return Number.POSITIVE_INFINITY;
    let penalty = 0;
    for (let i = 0; i < k; i++) {
      const scaled = (theta[i] as number) / (problem.penaltyScale[i] as number);
      penalty += scaled * scaled;
      if (grad !== undefined) grad[i] = -(inner[i] as number) / n + 2 * problem.penalizer * scaled * scaled;
    }
    return -ll / n + problem.penalizer * penalty;
  };
  const objective: Objective = problem.analyticGradient
    ? meanObjective
    : (u, grad) => {
        const f = meanObjective(u, undefined);
        if (Number.isFinite(f)) centralGradient((v) => meanObjective(v, undefined), u, grad);
        return f;
      };
  const start = problem.start.map((v) => Math.log(v));
  const result = minimize(objective, start, {
    gradientTolerance: problem.analyticGradient ? GRADIENT_TOLERANCE : NUMERIC_GRADIENT_TOLERANCE,
    maxIterations: MAX_ITERATIONS,
  });
  const u = result.x;
  const estimate = Array.from(u, (v) => Math.exp(v));
  if (!estimate.every((v) => Number.isFinite(v) && v > 0) || !Number.isFinite(result.value)) {
    throw new CrmError(
      'degenerate_data',
      'the likelihood cannot be evaluated anywhere near the starting values: check the data for extreme values',
    );
  }
  theta.set(estimate);
  const logLikelihood = problem.logLikelihood(theta, undefined);
  const edge = u.findIndex((v) => Math.abs(v) > BOUNDARY_LOG_PARAMETER);
  const converged = result.converged && edge < 0;
  const message =
    edge >= 0
      ? `${problem.names[edge]} ran to the edge of its range (${estimate[edge]}): the data do not identify the model; try a penalizer`
      : result.message;
  const report: FitReport = {
    converged,
    iterations: result.iterations,
    logLikelihood,
    message,
    method: result.method,
    observations: n,
    ...(converged ? observedInformationInverse(objective, u, n, problem.names) : NO_INVERSE),
  };
  return { theta: estimate, report };
}

function centralGradient(f: (u: Float64Array) => number, u: Float64Array, grad: Float64Array): void {
  const v = u.slice();
  for (let i = 0; i < u.length; i++) {
    const ui = u[i] as number;
    v[i] = ui + GRADIENT_STEP;
    const up = f(v);
    v[i] = ui - GRADIENT_STEP;
    const down = f(v);
    v[i] = ui;
    grad[i] = (up - down) / (2 * GRADIENT_STEP);
  }
}

const NO_INVERSE: { standardErrors: null; covariance: null } = { standardErrors: null, covariance: null };

/**
 * Standard errors and covariance from the observed information. The Hessian in u = ln θ comes
 * from forward differences of the gradient; in θ it is D⁻¹(H_u − diag(g_u))D⁻¹ with D = diag(θ).
 * Its inverse C_θ gives the standard errors √C_θ[i,i]; the covariance in u is D⁻¹C_θD⁻¹ (the
 * delta method backwards, exact for this change of variables), symmetrized against rounding.
 */
function observedInformationInverse(
  objective: Objective,
  u: Float64Array,
  n: number,
  names: readonly string[],
): { standardErrors: Record<string, number> | null; covariance: number[][] | null } {
  const k = u.length;
  const H = new Float64Array(k * k);
  const gUp = new Float64Array(k);
  const g0 = new Float64Array(k);
  objective(u, g0);
  const v = u.slice();
  for (let j = 0; j < k; j++) {
    // Forward differences: one gradient per parameter; the O(h) error (≈1e-5 relative) is far
    // below what standard errors are used for.
    v[j] = (u[j] as number) + HESSIAN_STEP;
    const a = objective(v, gUp);
    v[j] = u[j] as number;
    if (!Number.isFinite(a)) return NO_INVERSE;
    for (let i = 0; i < k; i++) H[i * k + j] = ((gUp[i] as number) - (g0[i] as number)) / HESSIAN_STEP;
  }
  const theta = Array.from(u, (x) => Math.exp(x));
  const Ht = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let h = 0.5 * ((H[i * k + j] as number) + (H[j * k + i] as number));
      if (i === j) h -= g0[i] as number;
      // Back to the total negative log-likelihood (the objective is its mean) on the natural scale.
      Ht[i * k + j] = (h * n) / ((theta[i] as number) * (theta[j] as number));
    }
  }
  const inverse = invertPositiveDefinite(Ht, k);
  if (inverse === undefined) return NO_INVERSE;
  const out: Record<string, number> = {};
  for (let i = 0; i < k; i++) out[names[i] as string] = Math.sqrt(inverse[i * k + i] as number);
  const covariance: number[][] = [];
  for (let i = 0; i < k; i++) {
    const row: number[] = [];
    for (let j = 0; j < k; j++) {
      const c = 0.5 * ((inverse[i * k + j] as number) + (inverse[j * k + i] as number));
      row.push(c / ((theta[i] as number) * (theta[j] as number)));
    }
    covariance.push(row);
  }
  return { standardErrors: out, covariance };
}

/** Inverse of a symmetric positive-definite k×k matrix by Cholesky; undefined when not SPD. */
function invertPositiveDefinite(A: Float64Array, k: number): Float64Array | undefined {
  const L = cholesky(A, k);
  if (L === undefined) return undefined;
  const inv = new Float64Array(k * k);
  const unit = new Float64Array(k);
  const col = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    unit.fill(0);
    unit[c] = 1;
    choleskySolve(L, k, unit, col);
    for (let i = 0; i < k; i++) inv[i * k + c] = col[i] as number;
  }
  for (let i = 0; i < k; i++) if (!((inv[i * k + i] as number) > 0) || !Number.isFinite(inv[i * k + i] as number)) return undefined;
  return inv;
}

/** Reads a {@link FitReport} back from JSON, checking every field. */
export function readFitReport(json: Readonly<Record<string, unknown>>, names: readonly string[]): FitReport {
  const path: CrmPath = ['report'];
  const obj = readObject(ownValue(json, 'report'), path);
  const converged = ownValue(obj, 'converged');
  if (typeof converged !== 'boolean') throw new CrmError('invalid_json', 'expected a boolean at report.converged', [...path, 'converged']);
  const message = ownValue(obj, 'message');
  if (typeof message !== 'string') throw new CrmError('invalid_json', 'expected a string at report.message', [...path, 'message']);
  const method = ownValue(obj, 'method');
  if (method !== 'bfgs' && method !== 'bfgs+nelder-mead') {
    throw new CrmError('invalid_json', "expected 'bfgs' or 'bfgs+nelder-mead' at report.method", [...path, 'method']);
  }
  const iterations = readNumber(obj, 'iterations', path);
  const observations = readNumber(obj, 'observations', path);
  const se = ownValue(obj, 'standardErrors');
  let standardErrors: Record<string, number> | null = null;
  if (se !== null) {
    const seObj = readObject(se, [...path, 'standardErrors']);
    standardErrors = {};
    for (const name of names) standardErrors[name] = readNumber(seObj, name, [...path, 'standardErrors']);
  }
  const covariance = readCovariance(ownValue(obj, 'covariance'), names.length, [...path, 'covariance']);
  return { converged, iterations, logLikelihood: readNumber(obj, 'logLikelihood', path), message, method, observations, standardErrors, covariance };
}

/**
 * Asymmetry a covariance read from JSON may carry, relative to √(cᵢᵢcⱼⱼ): the fit writes an exactly
 * symmetric matrix; this leaves room for one written by other software through a decimal round trip.
 */
const SYMMETRY_TOLERANCE = 1e-9;

/**
 * Reads `report.covariance`: absent (JSON written before it existed) or null gives null; otherwise
 * a k×k array of finite numbers, symmetric within rounding and positive definite (a matrix that
 * parameter draws can be taken from).
 */
function readCovariance(value: unknown, k: number, path: CrmPath): number[][] | null {
  if (value === undefined || value === null) return null;
  const bad = (why: string, at: CrmPath = path): never => {
    throw new CrmError('invalid_json', `report.covariance ${why}`, at);
  };
  if (!Array.isArray(value) || value.length !== k) bad(`must be an array of ${k} rows (one per parameter) or null`);
  const rows = value as unknown[];
  const out: number[][] = [];
  const flat = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    const row: unknown = rows[i];
    if (!Array.isArray(row) || row.length !== k) bad(`row ${i} must be an array of ${k} numbers`, [...path, i]);
    const copy: number[] = [];
    for (let j = 0; j < k; j++) {
      const v: unknown = (row as unknown[])[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) bad(`[${i}][${j}] must be a finite number`, [...path, i, j]);
      copy.push(v as number);
      flat[i * k + j] = v as number;
    }
    out.push(copy);
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < i; j++) {
      const scale = Math.sqrt(Math.abs((out[i]![i] as number) * (out[j]![j] as number)));
      if (!(Math.abs((out[i]![j] as number) - (out[j]![i] as number)) <= SYMMETRY_TOLERANCE * scale)) {
        bad(`is not symmetric at [${i}][${j}]`, [...path, i, j]);
      }
    }
  }
  if (cholesky(flat, k) === undefined) bad('is not positive definite');
  return out;
}

/**
 * The range every fitted parameter lies in: the fit searches |ln θ| ≤ 30 (θ in about
 * [9.4e-14, 1.1e13]), so [1e-14, 1e14] holds every fitted value with room for rounding, and
 * `fromJSON` rejects anything outside it (a parameter of 1e300 or 1e-300 is not a model).
 */
export const PARAMETER_RANGE: { readonly min: number; readonly max: number } = { min: 1e-14, max: 1e14 };

/** Reads named parameters from `json.params`, each within {@link PARAMETER_RANGE}. */
export function readParams(json: Readonly<Record<string, unknown>>, names: readonly string[]): Record<string, number> {
  const obj = readObject(ownValue(json, 'params'), ['params']);
  const out: Record<string, number> = {};
  for (const name of names) out[name] = readNumber(obj, name, ['params'], PARAMETER_RANGE);
  return out;
}

/** Largest penalizer: beyond it the penalty swamps any likelihood and the fit means nothing. */
const MAX_PENALIZER = 1e6;

/** Reads the `penalizer` option (0 … 1e6) from `json.options`. */
export function readPenalizerOption(json: Readonly<Record<string, unknown>>): number {
  const obj = readObject(ownValue(json, 'options'), ['options']);
  return readNumber(obj, 'penalizer', ['options'], { min: 0, max: MAX_PENALIZER });
}

/** Reads the options `{ penalizer }` of model JSON (every model of the family but BG/BB has no other). */
export function readPenalizerOptions(json: Readonly<Record<string, unknown>>): { penalizer: number } {
  return { penalizer: readPenalizerOption(json) };
}

/** Reads the fit options `{ penalizer }` (default 0) through the shared options reader. */
export function penalizerOption(options: unknown, where: string): number {
  const bag = readOptions(options, ['penalizer'], where);
  return numberOption(bag, 'penalizer', 0, { min: 0, max: MAX_PENALIZER });
}

/** A copy of a {@link FitReport} as plain, unfrozen data for a model's `toJSON`. */
export function reportToJSON(report: FitReport): FitReport {
  const { standardErrors, covariance } = report;
  return {
    ...report,
    standardErrors: standardErrors === null ? null : { ...standardErrors },
    covariance: covariance == null ? null : covariance.map((row) => [...row]),
  };
}
