import { CrmError, freezeModel, readModelJson } from '@crm/core';
import { MAX_LOG_PARAMETER, readFitReport, readParams, reportToJSON, type FitReport } from './fit.ts';

/**
 * The key of a fitted model's family descriptor (`model[FAMILY]`): what generic code over the
 * maximum-likelihood models (prediction intervals, bootstraps) needs to read a model's parameter
 * vector, make the same model at other parameters, and refit it. Internal to the package: not
 * exported from its index. `Symbol.for`, so two copies of the package (ESM and CJS) agree on it.
 */
export const FAMILY: unique symbol = /* @__PURE__ */ Symbol.for('@crm/scoring.family');

/**
 * A fitted model of the family, seen through its parameter vector in the optimizer's
 * coordinates: u = ln θ for each positive parameter (the coordinates of `report.covariance`);
 * parameters that may take any sign (covariate coefficients) would enter as they are.
 */
export interface FamilyDescriptor<M> {
  /** Parameter names, in the order of the vector and of `report.covariance`. */
  readonly names: readonly string[];
  /** The fitted vector u (a fresh array on every call). */
  vector(): Float64Array;
  /**
   * The same model (options included) at the parameters of `u`; its report is the fit's, marked as
   * derived ({@link isDerivedReport}: message {@link DERIVED_MESSAGE}, no iterations, standard
   * errors and covariance null).
   *
   * @throws {CrmError} `invalid_argument` at `['u']` unless `u` has one finite entry per name,
   * each within the range the fit searches (|u| ≤ 30 on the log scale).
   */
  withVector(u: ArrayLike<number>): M;
  /**
   * The model refitted with the same options to `data` (what the model's `fit` takes), each
   * row's weight multiplied by `weights[i]` when given (a customer bootstrap passes the number of
   * times each customer was drawn; 0 leaves a customer out).
   *
   * @throws {CrmError} as the model's `fit`; `invalid_argument` at `['weights']` unless `weights`
   * has one finite entry ≥ 0 per row.
   */
  refit(data: unknown, weights?: ArrayLike<number>): M;
}

/** Message of the report of a model made by {@link FamilyDescriptor.withVector}. */
export const DERIVED_MESSAGE = 'derived: parameters set from a vector, not fitted';

/** Whether a report belongs to a model made by {@link FamilyDescriptor.withVector}. */
export function isDerivedReport(report: FitReport): boolean {
  return report.message === DERIVED_MESSAGE;
}

/** What every model of the family holds, as the shared code reads it. */
export interface FamilyMember<O> {
  readonly kind: string;
  readonly params: object;
  readonly report: FitReport;
  readonly options: O;
}

/**
 * What one model of the family supplies to the shared code: its identity, its parameter names,
 * how to build it (its private constructor), fit it and read its options. The rest (freezing,
 * JSON written and read, the descriptor) is the same for every model and lives here, so a model
 * variant is its likelihood, its predictions and this table.
 */
export interface FamilySpec<M, O> {
  /** The model's `kind` in JSON. */
  readonly kind: string;
  /** Parameter names, in the order of the fitted vector. */
  readonly names: readonly string[];
  /** The model at natural parameters `theta` (in the order of `names`). */
  readonly make: (theta: ArrayLike<number>, report: FitReport, options: O) => M;
  /** Fits θ to the data, each row's weight multiplied by `weights[i]` when given. */
  readonly fit: (data: unknown, options: O, weights: Float64Array | undefined) => { theta: number[]; report: FitReport };
  /** Reads the options from model JSON. */
  readonly readOptions: (json: Readonly<Record<string, unknown>>) => O;
  /**
   * How many leading parameters are positive and enter the vector as ln θ (default: all). The
   * rest (covariate coefficients, any sign) enter as they are; `make` receives natural values.
   */
  readonly positive?: number;
  /** The model's natural parameter values in the order of `names` (default: `params[name]`). */
  readonly values?: (model: M) => ArrayLike<number>;
}

/** Named parameters from a vector in the order of `names` (the order the params object keeps). */
export function paramsOf(names: readonly string[], theta: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < names.length; i++) out[names[i] as string] = theta[i] as number;
  return out;
}

/**
 * A model constructor's body: sets `params`, `report` and `options` (the model's `kind` is its
 * own field), puts the descriptor at `model[FAMILY]` (a getter, not enumerable, so neither JSON nor
 * a spread sees it) and freezes the model with everything it holds.
 */
export function initMember<M extends FamilyMember<O>, O>(model: M, spec: () => FamilySpec<M, O>, theta: ArrayLike<number>, report: FitReport, options: O): void {
  const s = spec();
  Object.assign(model, { params: paramsOf(s.names, theta), report: { ...report }, options: { ...options } });
  Object.defineProperty(model, FAMILY, { get: () => describeMember(model, s) });
  freezeModel(model);
}

/**
 * A model whose descriptor generic code reads: every model of the family (BgNbd, ModifiedBgNbd,
 * ParetoNbd, BgBb, GammaGamma, ShiftedBetaGeometric) is one, though its class does not say so.
 */
export interface Described<M> {
  readonly [FAMILY]: FamilyDescriptor<M>;
}

/** The descriptor of a model of the family, or undefined for any other value. */
export function familyOf<M>(model: M): FamilyDescriptor<M> | undefined {
  if (model === null || typeof model !== 'object') return undefined;
  return (model as unknown as Partial<Described<M>>)[FAMILY];
}

/** Fits a model of the family: the model's `fit` is this with its options read. */
export function fitMember<M, O>(spec: FamilySpec<M, O>, data: unknown, options: O, weights?: Float64Array): M {
  const { theta, report } = spec.fit(data, options, weights);
  return spec.make(theta, report, options);
}

/** Restores a model of the family from its JSON, checking every field. */
export function memberFromJSON<M, O>(spec: FamilySpec<M, O>, json: unknown): M {
  const obj = readModelJson(json, spec.kind, 1);
  const p = readParams(obj, spec.names);
  return spec.make(
    spec.names.map((n) => p[n] as number),
    readFitReport(obj, spec.names),
    spec.readOptions(obj),
  );
}

/** The plain-data form every model of the family writes. */
export function memberToJSON<O>(model: FamilyMember<O>): { kind: string; version: 1; options: O; params: object; report: FitReport } {
  return { kind: model.kind, version: 1, options: { ...model.options }, params: { ...model.params }, report: reportToJSON(model.report) };
}

/** The descriptor of a fitted model (`model[FAMILY]`), frozen. */
export function describeMember<M, O>(model: M & FamilyMember<O>, spec: FamilySpec<M, O>): FamilyDescriptor<M> {
  const { names } = spec;
  const k = names.length;
  const positive = spec.positive ?? k;
  const params = model.params as Readonly<Record<string, number>>;
  return Object.freeze({
    names,
    vector: (): Float64Array => {
      const values = spec.values === undefined ? names.map((n) => params[n] as number) : spec.values(model);
      return Float64Array.from({ length: k }, (_, i) => (i < positive ? Math.log(values[i] as number) : (values[i] as number)));
    },
    withVector: (u: ArrayLike<number>): M => {
      const theta = new Float64Array(k);
      if (u === null || typeof u !== 'object' || u.length !== k) {
        throw new CrmError('invalid_argument', `u must hold ${k} numbers (${names.join(', ')})`, ['u']);
      }
      for (let i = 0; i < k; i++) {
        const v = u[i];
        // Coefficients are bounded like log-parameters: beyond e^±30 no prediction means anything.
        if (typeof v !== 'number' || !(Math.abs(v) <= MAX_LOG_PARAMETER)) {
          throw new CrmError('invalid_argument', `u[${i}] (${names[i]}) must be a finite number in [−${MAX_LOG_PARAMETER}, ${MAX_LOG_PARAMETER}], got ${String(v)}`, ['u', i]);
        }
        theta[i] = i < positive ? Math.exp(v) : v;
      }
      const report: FitReport = { ...model.report, iterations: 0, message: DERIVED_MESSAGE, standardErrors: null, covariance: null };
      return spec.make(theta, report, model.options);
    },
    refit: (data: unknown, weights?: ArrayLike<number>): M => fitMember(spec, data, model.options, weights === undefined ? undefined : readWeights(data, weights)),
  });
}

/** Checks bootstrap weights against the data: one finite number ≥ 0 per row. */
function readWeights(data: unknown, weights: ArrayLike<number>): Float64Array {
  const n = Array.isArray(data) ? data.length : -1;
  if (weights === null || typeof weights !== 'object' || weights.length !== n) {
    throw new CrmError('invalid_argument', `weights must hold one number per row (${n})`, ['weights']);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new CrmError('invalid_argument', `weights[${i}] must be a finite number ≥ 0, got ${String(w)}`, ['weights', i]);
    }
    out[i] = w;
  }
  return out;
}
