import { chiSquareSurvival, CrmError, numberOption, readOptions } from '@crm/core';
import type { FitReport } from './fit.ts';

/**
 * A fitted maximum-likelihood model as the comparisons read it: its `kind`, its learned `params`
 * (one number per free parameter) and its fit `report` (log-likelihood and number of observations).
 * Every purchase and spend model of this package is one.
 *
 * @example
 * ```ts
 * import type { FittedModel } from '@crm/scoring';
 * const m: FittedModel = {
 *   kind: 'crm.scoring.bg-nbd', params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
 *   report: { converged: true, iterations: 20, logLikelihood: -9582.43, message: 'ok', method: 'bfgs', observations: 2357, standardErrors: null },
 * };
 * ```
 */
export interface FittedModel {
  readonly kind: string;
  readonly params: object;
  readonly report: FitReport;
}

/**
 * One row of {@link compareModels}.
 *
 * @example
 * ```ts
 * import type { ModelComparisonRow } from '@crm/scoring';
 * const row: ModelComparisonRow = { name: 'BG/NBD', kind: 'crm.scoring.bg-nbd', converged: true, logLikelihood: -9582.43, parameters: 4, observations: 2357, aic: 19172.86, bic: 19195.92 };
 * ```
 */
export interface ModelComparisonRow {
  /** The name the model was given (its key in the input). */
  readonly name: string;
  readonly kind: string;
  /** Whether the fit converged: criteria of a fit that did not are not comparable. */
  readonly converged: boolean;
  /** Maximized log-likelihood (penalty excluded). */
  readonly logLikelihood: number;
  /** Number of free parameters k. */
  readonly parameters: number;
  /** Number of observations n (customers, or the sum of their weights). */
  readonly observations: number;
  /** Akaike's information criterion, 2k − 2ℓ (lower is better). */
  readonly aic: number;
  /** Schwarz's Bayesian information criterion, k ln n − 2ℓ (lower is better). */
  readonly bic: number;
}

/**
 * {@link compareModels}' result: one row per model in the given order, and the names of the
 * models with the lowest AIC and BIC among those that converged.
 *
 * @example
 * ```ts
 * import type { ModelComparison } from '@crm/scoring';
 * const c: ModelComparison = { rows: [], bestAic: null, bestBic: null };
 * ```
 */
export interface ModelComparison {
  readonly rows: ModelComparisonRow[];
  /** Name of the converged model with the lowest AIC (`null` when none converged). */
  readonly bestAic: string | null;
  /** Name of the converged model with the lowest BIC (`null` when none converged). */
  readonly bestBic: string | null;
}

/** Relative difference in observation counts beyond which two fits are not of the same data. */
const SAME_DATA_TOLERANCE = 1e-9;

function readModel(m: unknown, path: (string | number)[], where: string): { kind: string; ll: number; k: number; n: number; converged: boolean } {
  const bad = (what: string): never => {
    throw new CrmError('invalid_argument', `${where}: ${path.join('.')} ${what}`, path);
  };
  if (m === null || typeof m !== 'object') return bad('must be a fitted model with kind, params and report');
  const { kind, params, report } = m as { kind?: unknown; params?: unknown; report?: unknown };
  if (typeof kind !== 'string') return bad('has no kind: pass a fitted model');
  if (params === null || typeof params !== 'object') return bad('has no params');
  const k = Object.values(params as Record<string, unknown>).filter((v) => typeof v === 'number').length;
  if (k === 0) return bad('has no numeric params');
  if (report === null || typeof report !== 'object') return bad('has no fit report: only maximum-likelihood fits can be compared');
  const { logLikelihood: ll, observations: n, converged } = report as { logLikelihood?: unknown; observations?: unknown; converged?: unknown };
  if (typeof ll !== 'number' || !Number.isFinite(ll)) return bad(`has no finite report.logLikelihood (got ${String(ll)})`);
  if (typeof n !== 'number' || !Number.isFinite(n) || !(n > 0)) return bad(`has no report.observations > 0 (got ${String(n)})`);
  return { kind, ll, k, n, converged: converged === true };
}

/**
 * Information criteria of fitted models on the same data: log-likelihood ℓ, number of free
 * parameters k, AIC = 2k − 2ℓ and BIC = k ln n − 2ℓ with n the number of observations, lower
 * being better. BIC charges more per parameter once n > 7 and is the usual choice between
 * purchase models on thousands of customers; a difference under about 2 is no evidence either
 * way. Penalized fits (`penalizer > 0`) are not maximum-likelihood fits: compare unpenalized ones.
 *
 * @param models Fitted models by name, e.g. `{ 'BG/NBD': bg, 'Pareto/NBD': pnbd }`.
 * @throws {CrmError} `invalid_argument` when no model is given, a model has no fit report, or the
 * models were fitted on different numbers of observations (not the same data).
 * @example
 * ```ts
 * import { BgNbd, compareModels, ModifiedBgNbd } from '@crm/scoring';
 * const customers = [
 *   { frequency: 2, recency: 30.43, T: 38.86 }, { frequency: 0, recency: 0, T: 38.86 },
 *   { frequency: 1, recency: 1.71, T: 38.86 }, { frequency: 6, recency: 35, T: 38 },
 *   { frequency: 0, recency: 0, T: 30 }, { frequency: 3, recency: 10, T: 36 },
 * ];
 * const c = compareModels({ 'BG/NBD': BgNbd.fit(customers), 'MBG/NBD': ModifiedBgNbd.fit(customers) });
 * c.rows.map((r) => r.parameters); // [4, 4]
 * c.bestBic;                       // the name with the lowest BIC
 * ```
 */
export function compareModels(models: Readonly<Record<string, FittedModel>>): ModelComparison {
  if (models === null || typeof models !== 'object' || Array.isArray(models)) {
    throw new CrmError('invalid_argument', 'compareModels: models must be an object of fitted models by name, e.g. { "BG/NBD": bg }', ['models']);
  }
  const names = Object.keys(models);
  if (names.length === 0) throw new CrmError('invalid_argument', 'compareModels: pass at least one fitted model', ['models']);
  const rows: ModelComparisonRow[] = [];
  let n0 = Number.NaN;
  for (const name of names) {
    const m = readModel(Object.getOwnPropertyDescriptor(models, name)?.value, ['models', name], 'compareModels');
    if (Number.isNaN(n0)) n0 = m.n;
    else if (Math.abs(m.n - n0) > SAME_DATA_TOLERANCE * n0) {
      throw new CrmError('invalid_argument', `compareModels: '${name}' was fitted on ${m.n} observations, '${names[0]}' on ${n0}: information criteria compare fits of the same data only`, ['models', name]);
    }
    rows.push({
      name,
      kind: m.kind,
      converged: m.converged,
      logLikelihood: m.ll,
      parameters: m.k,
      observations: m.n,
      aic: 2 * m.k - 2 * m.ll,
      bic: m.k * Math.log(m.n) - 2 * m.ll,
    });
  }
  const best = (key: 'aic' | 'bic'): string | null => {
    let out: ModelComparisonRow | null = null;
    for (const r of rows) if (r.converged && (out === null || r[key] < out[key])) out = r;
    return out === null ? null : out.name;
  };
  return { rows, bestAic: best('aic'), bestBic: best('bic') };
}

/**
 * Options of {@link likelihoodRatioTest}.
 *
 * @example
 * ```ts
 * import type { LikelihoodRatioOptions } from '@crm/scoring';
 * const options: LikelihoodRatioOptions = { df: 2 };
 * ```
 */
export interface LikelihoodRatioOptions {
  /** Degrees of freedom: parameters the restricted model fixes (default: the difference in numbers of parameters). */
  readonly df?: number | undefined;
}

/**
 * A likelihood-ratio test's result.
 *
 * @example
 * ```ts
 * import type { LikelihoodRatioTest } from '@crm/scoring';
 * const t: LikelihoodRatioTest = { statistic: 6.2, df: 2, pValue: 0.045 };
 * ```
 */
export interface LikelihoodRatioTest {
  /** 2(ℓ_full − ℓ_restricted), ≥ 0. */
  readonly statistic: number;
  /** Degrees of freedom of the χ² reference distribution. */
  readonly df: number;
  /** P(χ²_df ≥ statistic): small values favour the full model. */
  readonly pValue: number;
}

/** Absolute slack (in log-likelihood units) for a full model ending a hair below a nested one. */
const NESTED_SLACK = 1e-6;

/**
 * Likelihood-ratio test of a restricted model against a full model it is nested in (the full
 * model with some parameters fixed, e.g. without covariates against with them): statistic
 * 2(ℓ_full − ℓ_restricted), referred to χ² with df = the number of fixed parameters. Only valid for
 * nested fits of the same data by maximum likelihood (no penalty) with the fixed values inside the
 * parameter space; BG/NBD, MBG/NBD and Pareto/NBD are not nested in each other (use
 * {@link compareModels} for them).
 *
 * @throws {CrmError} `invalid_argument` when a model has no fit report, the fits are of different
 * data, df is not a whole number ≥ 1, or the full model fits worse than the restricted one (not
 * nested, or not converged).
 * @example
 * ```ts
 * import { likelihoodRatioTest } from '@crm/scoring';
 * const report = (logLikelihood: number) => ({ converged: true, iterations: 1, logLikelihood, message: 'ok', method: 'bfgs', observations: 500, standardErrors: null });
 * const restricted = { kind: 'crm.scoring.bg-nbd', params: { r: 1, alpha: 1, a: 1, b: 1 }, report: report(-1000) };
 * const full = { kind: 'crm.scoring.bg-nbd', params: { r: 1, alpha: 1, a: 1, b: 1, g1: 0.2, g2: 0.1 }, report: report(-995) };
 * const t = likelihoodRatioTest(restricted, full);
 * t.statistic; // 10
 * t.df;        // 2
 * t.pValue;    // ≈ 0.0067
 * ```
 */
export function likelihoodRatioTest(restricted: FittedModel, full: FittedModel, options?: LikelihoodRatioOptions): LikelihoodRatioTest {
  const o = readOptions(options, ['df'], 'likelihoodRatioTest');
  const r = readModel(restricted, ['restricted'], 'likelihoodRatioTest');
  const f = readModel(full, ['full'], 'likelihoodRatioTest');
  if (Math.abs(r.n - f.n) > SAME_DATA_TOLERANCE * f.n) {
    throw new CrmError('invalid_argument', `likelihoodRatioTest: the models were fitted on ${r.n} and ${f.n} observations; the test compares fits of the same data`, ['full']);
  }
  const df = numberOption(o, 'df', f.k - r.k, { min: 1, integer: true });
  if (!(df >= 1)) {
    throw new CrmError('invalid_argument', `likelihoodRatioTest: the full model has ${f.k} parameters and the restricted ${r.k}; the full model must have more (or pass options.df)`, ['options', 'df']);
  }
  const diff = f.ll - r.ll;
  if (diff < -NESTED_SLACK * Math.max(1, Math.abs(f.ll))) {
    throw new CrmError('invalid_argument', `likelihoodRatioTest: the full model's log-likelihood (${f.ll}) is below the restricted model's (${r.ll}); a model cannot fit worse than one nested in it, so they are not nested or a fit did not converge`, ['full']);
  }
  const statistic = Math.max(0, 2 * diff);
  return { statistic, df, pValue: chiSquareSurvival(statistic, df) };
}
