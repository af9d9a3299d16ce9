import {
  booleanOption,
  checkCost,
  cholesky,
  choleskySolve,
  CrmError,
  finiteResults,
  freezeModel,
  numberOption,
  ownValue,
  readModelJson,
  readNumber,
  readNumberArray,
  readObject,
  readOptions,
  toDenseMatrix,
} from '@crm/core';
import type { Classifier } from './classifier.ts';
import type { Explanation } from './explanation.ts';
import {
  checkClassWeight,
  readBoolean,
  readJsonOptions,
  sigmoid,
  thresholdProba,
  trainingData,
  unboundedOption,
  type ClassWeight,
  type Labels,
  type Rows,
} from './internal/checks.ts';

/**
 * Options of {@link LogisticRegression.fit}.
 *
 * @example
 * ```ts
 * import type { LogisticRegressionOptions } from '@crm/churn';
 * const options: LogisticRegressionOptions = { C: 0.5, classWeight: 'balanced' };
 * ```
 */
export interface LogisticRegressionOptions {
  /**
   * Inverse strength of the L2 penalty, as scikit-learn's `C` (default 1): the fit minimises
   * Σᵢ wᵢ·logloss(i) + ‖β‖² / (2C). The intercept is not penalised. Use `Infinity` for no penalty.
   */
  readonly C?: number;
  /** Weights of the classes (`'balanced'` or `{ 0: w0, 1: w1 }`); default none (all 1). */
  readonly classWeight?: ClassWeight | undefined;
  /** Fit an intercept (default true). */
  readonly fitIntercept?: boolean;
  /** Most Newton iterations (default 100, at most 10,000; Newton usually needs fewer than 10). */
  readonly maxIterations?: number;
  /** Stop when the largest gradient component, divided by the total row weight, is below this (default 1e-10; Newton's
   * quadratic convergence makes the last digits nearly free). */
  readonly tolerance?: number;
  /**
   * Most entries of the (p+1)×(p+1) Newton matrix, which is held in memory (default 25,000,000,
   * 200 MB, about 5,000 features). More features stop with `limit_exceeded` before anything is
   * allocated; raise it when memory allows, or reduce the features.
   */
  readonly maxHessianEntries?: number;
}

/**
 * Options as the fitted model echoes them, defaults filled in.
 *
 * @example
 * ```ts
 * import { LogisticRegression } from '@crm/churn';
 * LogisticRegression.fit([[0], [1], [2], [3]], [0, 1, 0, 1]).options; // { C: 1, classWeight: null, fitIntercept: true, … }
 * ```
 */
export interface LogisticRegressionResolvedOptions {
  /** See {@link LogisticRegressionOptions.C}. */
  readonly C: number;
  /** `null` when the classes are not weighted. */
  readonly classWeight: ClassWeight | null;
  /** See {@link LogisticRegressionOptions.fitIntercept}. */
  readonly fitIntercept: boolean;
  /** See {@link LogisticRegressionOptions.maxIterations}. */
  readonly maxIterations: number;
  /** See {@link LogisticRegressionOptions.tolerance}. */
  readonly tolerance: number;
  /** See {@link LogisticRegressionOptions.maxHessianEntries}. */
  readonly maxHessianEntries: number;
}

/**
 * How the solver ended.
 *
 * @example
 * ```ts
 * import { LogisticRegression } from '@crm/churn';
 * const { converged, iterations } = LogisticRegression.fit([[0], [1], [2], [3]], [0, 1, 0, 1]).report;
 * ```
 */
export interface LogisticRegressionReport {
  /** True when the gradient fell below the tolerance. */
  readonly converged: boolean;
  /** Newton iterations taken. */
  readonly iterations: number;
  /** Penalised negative log-likelihood at the solution. */
  readonly objective: number;
  /** Largest absolute gradient component at the solution, divided by the total row weight. */
  readonly gradientNorm: number;
  /** Why the fit may be unreliable (empty when it converged). */
  readonly warning: string;
}

/**
 * JSON form of a {@link LogisticRegression}.
 *
 * @example
 * ```ts
 * import { LogisticRegression, type LogisticRegressionJson } from '@crm/churn';
 * const json: LogisticRegressionJson = LogisticRegression.fit([[0], [1], [2], [3]], [0, 1, 0, 1]).toJSON();
 * ```
 */
export interface LogisticRegressionJson {
  /** Always `'crm.churn.logistic-regression'`. */
  readonly kind: 'crm.churn.logistic-regression';
  /** Format version: 2 (with the feature means); 1 for a model loaded from format-1 JSON, which cannot explain. */
  readonly version: 1 | 2;
  /** The fit options (`C: null` for no penalty). */
  readonly options: Omit<LogisticRegressionResolvedOptions, 'C'> & {
    /** Inverse penalty strength; `null` for no penalty (JSON has no Infinity). */
    readonly C: number | null;
  };
  /** One coefficient per feature. */
  readonly coefficients: number[];
  /** The intercept (0 when not fitted). */
  readonly intercept: number;
  /** Mean of each feature over the training rows (format 2 on; absent in format 1). */
  readonly featureMeans?: number[];
  /** The solver report. */
  readonly report: LogisticRegressionReport;
}

const KIND = 'crm.churn.logistic-regression';
/** Format 2 adds the training means `explain` needs; format 1 still loads and predicts. */
const VERSION = 2;
const OPTION_KEYS = ['C', 'classWeight', 'fitIntercept', 'maxIterations', 'tolerance', 'maxHessianEntries'] as const;
/** Default of `maxHessianEntries`: 200 MB of doubles. */
const DEFAULT_MAX_HESSIAN_ENTRIES = 25_000_000;
/** Largest maxIterations accepted. */
const MAX_ITERATIONS = 10_000;
/** Smallest Armijo step before a Newton iteration gives up (the objective cannot decrease further). */
const MIN_STEP = 1e-10;
/** Relative rounding noise of the summed objective (a few hundred ulps for n in the millions). */
const OBJECTIVE_NOISE = 1e-13;

function resolveOptions(options: unknown): LogisticRegressionResolvedOptions {
  const o = readOptions(options, OPTION_KEYS, 'LogisticRegression.fit');
  return {
    // JSON has no Infinity: `C: null` in a model's JSON means no penalty.
    C: unboundedOption(o, 'C', 1, { min: 0, minExclusive: true }),
    classWeight: checkClassWeight(o.classWeight) ?? null,
    fitIntercept: booleanOption(o, 'fitIntercept', true),
    // Newton needs fewer than 10 iterations when it converges; the cap keeps a typo such as 1e9
    // on separable data (where the coefficients grow every step) from running for hours.
    maxIterations: numberOption(o, 'maxIterations', 100, { min: 1, max: MAX_ITERATIONS, integer: true }),
    tolerance: numberOption(o, 'tolerance', 1e-10, { min: 0, minExclusive: true }),
    maxHessianEntries: numberOption(o, 'maxHessianEntries', DEFAULT_MAX_HESSIAN_ENTRIES, { min: 1 }),
  };
}

/**
 * L2-penalised logistic regression fitted by Newton's method (IRLS) with a backtracking line
 * search: each iteration solves the (p+1)×(p+1) Newton system by Cholesky, O(n·p²) per iteration,
 * and converges in a handful of iterations where first-order solvers need hundreds. The objective
 * is scikit-learn's (`LogisticRegression(C=…)`, lbfgs), so the same `C` gives the same model.
 *
 * @example
 * ```ts
 * import { LogisticRegression } from '@crm/churn';
 * const X = [[1, 0], [2, 1], [3, 0], [4, 1], [5, 1], [6, 0]];
 * const y = [0, 0, 1, 0, 1, 1];
 * const model = LogisticRegression.fit(X, y, { C: 1 });
 * model.coefficients;          // one weight per column
 * model.report.converged;      // true
 * model.predictProba([[3.5, 1]]); // Float64Array [p]
 * ```
 * @throws {CrmError} `invalid_input` for an empty, ragged or non-finite X; `invalid_labels` for bad
 * or one-class labels; `invalid_argument` for bad options; `degenerate_data` when the Newton system
 * cannot be solved (perfectly collinear columns with `C: Infinity`); `limit_exceeded` at
 * `['options', 'maxHessianEntries']` when (p+1)² exceeds it; `non_finite_result` when the data are
 * too extreme for double precision.
 */
export class LogisticRegression implements Classifier {
  /** Always `'crm.churn.logistic-regression'`. */
  readonly kind: 'crm.churn.logistic-regression' = KIND;
  /** The classes, `[0, 1]`; probabilities are those of class 1. */
  readonly classes: readonly [0, 1] = [0, 1];
  /** The fit options with defaults filled in. */
  readonly options: LogisticRegressionResolvedOptions;
  /** One coefficient per feature (log-odds change per unit). */
  readonly coefficients: readonly number[];
  /** The intercept. */
  readonly intercept: number;
  /** How the solver ended. */
  readonly report: LogisticRegressionReport;
  /** Number of features. */
  readonly nFeatures: number;
  /**
   * Mean of each feature over the training rows (unweighted): the reference point of
   * {@link LogisticRegression.explain}. `null` for a model loaded from format-1 JSON.
   */
  readonly featureMeans: readonly number[] | null;

  private constructor(
    options: LogisticRegressionResolvedOptions,
    coefficients: readonly number[],
    intercept: number,
    report: LogisticRegressionReport,
    featureMeans: readonly number[] | null,
  ) {
    this.options = Object.freeze({ ...options });
    this.coefficients = Object.freeze(coefficients.slice());
    this.intercept = intercept;
    this.featureMeans = featureMeans === null ? null : Object.freeze(featureMeans.slice());
    this.report = Object.freeze({ ...report });
    this.nFeatures = coefficients.length;
    freezeModel(this);
  }

  /**
   * Fits the model to rows `X` and 0/1 (or boolean) labels `y`. O(n·p²) per Newton iteration.
   *
   * @example
   * ```ts
   * import { LogisticRegression } from '@crm/churn';
   * const m = LogisticRegression.fit([[0], [1], [2], [3]], [0, 1, 0, 1], { C: 10 });
   * ```
   */
  static fit(X: Rows, y: Labels, options?: LogisticRegressionOptions): LogisticRegression {
    const opts = resolveOptions(options);
    const { m, y: labels, w } = trainingData(X, y, opts.classWeight ?? undefined);
    const dim = m.cols + (opts.fitIntercept ? 1 : 0);
    checkCost(dim * dim, opts.maxHessianEntries, 'maxHessianEntries', `logistic regression on ${m.cols} features`, 'Newton matrix entries');
    const fit = newton(m.data, m.rows, m.cols, labels, w, opts);
    finiteResults(fit.beta, 'the fitted coefficients', ['X']);
    finiteResults([fit.intercept, fit.report.objective], 'the fitted intercept and objective', ['X']);
    return new LogisticRegression(opts, fit.beta, fit.intercept, fit.report, columnMeans(m.data, m.rows, m.cols));
  }

  /**
   * Restores a model from {@link LogisticRegression.toJSON} output, checking every value.
   *
   * @throws {CrmError} `invalid_json` for foreign, tampered or incomplete JSON.
   * @example
   * ```ts
   * import { LogisticRegression } from '@crm/churn';
   * const m = LogisticRegression.fit([[0], [1], [2], [3]], [0, 1, 0, 1]);
   * const copy = LogisticRegression.fromJSON(JSON.parse(JSON.stringify(m)));
   * ```
   */
  static fromJSON(json: unknown): LogisticRegression {
    const version = json !== null && typeof json === 'object' && ownValue(json as Record<string, unknown>, 'version') === 1 ? 1 : VERSION;
    const obj = readModelJson(json, KIND, version);
    const options = readJsonOptions(obj, resolveOptions);
    const coefficients = readNumberArray(obj, 'coefficients');
    if (coefficients.length === 0) throw new CrmError('invalid_json', 'coefficients is empty', ['coefficients']);
    const intercept = readNumber(obj, 'intercept');
    const r = readObject(obj['report'], ['report']);
    const warning = r['warning'];
    if (typeof warning !== 'string') throw new CrmError('invalid_json', 'expected a string at report.warning', ['report', 'warning']);
    const report: LogisticRegressionReport = {
      converged: readBoolean(r, 'converged', ['report']),
      iterations: readNumber(r, 'iterations', ['report'], { min: 0, integer: true }),
      objective: readNumber(r, 'objective', ['report'], { min: 0 }),
      gradientNorm: readNumber(r, 'gradientNorm', ['report'], { min: 0 }),
      warning,
    };
    const means = version >= 2 ? readNumberArray(obj, 'featureMeans', [], coefficients.length) : null;
    return new LogisticRegression(options, coefficients, intercept, report, means);
  }

  /**
   * Log-odds β·x + b of each row.
   *
   * @throws {CrmError} `invalid_input` for a ragged, non-finite or wrongly sized X;
   * `non_finite_result` when β·x overflows (inputs near 1e308).
   * @example
   * ```ts
   * import { LogisticRegression } from '@crm/churn';
   * LogisticRegression.fit([[0], [1], [2], [3]], [0, 0, 1, 1]).decisionFunction([[1.5]]); // Float64Array [≈0]
   * ```
   */
  decisionFunction(X: Rows): Float64Array {
    const m = toDenseMatrix(X, { cols: this.nFeatures });
    const out = new Float64Array(m.rows);
    const beta = this.coefficients;
    for (let i = 0; i < m.rows; i++) {
      let z = this.intercept;
      const off = i * m.cols;
      for (let j = 0; j < m.cols; j++) z += (beta[j] as number) * (m.data[off + j] as number);
      out[i] = z;
    }
    // Coefficients times extreme inputs (or extreme coefficients from JSON) can overflow.
    return finiteResults(out, 'the log-odds β·x + b', ['X']);
  }

  /**
   * Exact per-row explanation of the log-odds: the linear SHAP values φⱼ = βⱼ·(xⱼ − μⱼ) with μ the
   * training means (features taken as independent, as shap's `LinearExplainer`), and the base
   * b + Σ βⱼ·μⱼ, the log-odds at the mean row, so `base + Σ φ = decisionFunction(x)`. O(rows · p).
   *
   * @throws {CrmError} `invalid_input` when X is ragged, non-finite or has the wrong number of
   * columns (with the path); `invalid_argument` for a model loaded from format-1 JSON (refit it).
   * @example
   * ```ts
   * import { LogisticRegression } from '@crm/churn';
   * const model = LogisticRegression.fit([[0, 1], [1, 0], [2, 1], [3, 0]], [0, 0, 1, 1]);
   * const e = model.explain([[3, 1]]);
   * e.scale;            // 'log-odds'
   * e.contributions[0]; // Float64Array [β₀·(3 − 1.5), β₁·(1 − 0.5)]
   * ```
   */
  explain(X: Rows): Explanation {
    const means = this.featureMeans;
    if (means === null) {
      throw new CrmError(
        'invalid_argument',
        'this LogisticRegression was loaded from format-1 JSON, which does not record the training means explain is relative to: refit the model (LogisticRegression.fit) and save it again',
      );
    }
    const m = toDenseMatrix(X, { cols: this.nFeatures });
    const output = this.decisionFunction(X);
    const beta = this.coefficients;
    const p = m.cols;
    let base = this.intercept;
    for (let j = 0; j < p; j++) base += (beta[j] as number) * (means[j] as number);
    const contributions: Float64Array[] = [];
    for (let i = 0; i < m.rows; i++) {
      const phi = new Float64Array(p);
      const off = i * p;
      for (let j = 0; j < p; j++) phi[j] = (beta[j] as number) * ((m.data[off + j] as number) - (means[j] as number));
      contributions.push(finiteResults(phi, 'the contributions β·(x − mean)', ['X', i]));
    }
    return { scale: 'log-odds', base: finiteResults([base], 'the base b + β·mean', [])[0] as number, contributions, output };
  }

  /**
   * Probability of class 1 for each row.
   *
   * @throws {CrmError} `invalid_input` when X is ragged, non-finite or has the wrong number of columns.
   * @example
   * ```ts
   * import { LogisticRegression } from '@crm/churn';
   * LogisticRegression.fit([[0], [1], [2], [3]], [0, 0, 1, 1]).predictProba([[3]]); // Float64Array [> 0.5]
   * ```
   */
  predictProba(X: Rows): Float64Array {
    const z = this.decisionFunction(X);
    for (let i = 0; i < z.length; i++) z[i] = sigmoid(z[i] as number);
    return z;
  }

  /**
   * Labels at a threshold on the probability (default 0.5).
   *
   * @example
   * ```ts
   * import { LogisticRegression } from '@crm/churn';
   * LogisticRegression.fit([[0], [1], [2], [3]], [0, 0, 1, 1]).predict([[0], [3]]); // Uint8Array [0, 1]
   * ```
   */
  predict(X: Rows, threshold = 0.5): Uint8Array {
    return thresholdProba(this.predictProba(X), threshold);
  }

  /**
   * Plain JSON data for storage; {@link LogisticRegression.fromJSON} restores the model.
   *
   * @example
   * ```ts
   * import { LogisticRegression } from '@crm/churn';
   * JSON.stringify(LogisticRegression.fit([[0], [1], [2], [3]], [0, 0, 1, 1]));
   * ```
   */
  toJSON(): LogisticRegressionJson {
    return {
      kind: KIND,
      version: this.featureMeans === null ? 1 : VERSION,
      options: { ...this.options, C: this.options.C === Infinity ? null : this.options.C },
      coefficients: this.coefficients.slice(),
      intercept: this.intercept,
      ...(this.featureMeans === null ? {} : { featureMeans: this.featureMeans.slice() }),
      report: { ...this.report },
    };
  }
}

interface NewtonResult {
  readonly beta: number[];
  readonly intercept: number;
  readonly report: LogisticRegressionReport;
}

/** Newton–Raphson on the penalised log-likelihood; the intercept is the last unknown. */
function newton(
  X: Float64Array,
  n: number,
  p: number,
  y: Uint8Array,
  w: Float64Array,
  opts: LogisticRegressionResolvedOptions,
): NewtonResult {
  const dim = opts.fitIntercept ? p + 1 : p;
  const lambda = opts.C === Infinity ? 0 : 1 / opts.C;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += w[i] as number;
  const theta = new Float64Array(dim);
  if (opts.fitIntercept) {
    // Start at the weighted base rate: one Newton step less, and no overflow on rare classes.
    let pos = 0;
    for (let i = 0; i < n; i++) pos += (w[i] as number) * (y[i] as number);
    theta[p] = Math.log(pos / (totalWeight - pos));
  }
  const z = new Float64Array(n);
  const grad = new Float64Array(dim);
  const hess = new Float64Array(dim * dim);
  const step = new Float64Array(dim);
  const trial = new Float64Array(dim);

  // Rows in compressed sparse form: one-hot designs are mostly zeros, and every pass below
  // (linear predictor, gradient, Hessian) only needs the non-zero entries.
  const rowStart = new Int32Array(n + 1);
  let nnz = 0;
  for (let i = 0; i < n * p; i++) if (X[i] !== 0) nnz++;
  const colIdx = new Int32Array(nnz);
  const vals = new Float64Array(nnz);
  nnz = 0;
  for (let i = 0; i < n; i++) {
    rowStart[i] = nnz;
    const off = i * p;
    for (let j = 0; j < p; j++) {
      const v = X[off + j] as number;
      if (v !== 0) {
        colIdx[nnz] = j;
        vals[nnz++] = v;
      }
    }
  }
  rowStart[n] = nnz;
  const linear = (t: Float64Array, out: Float64Array): void => {
    const b = opts.fitIntercept ? (t[p] as number) : 0;
    for (let i = 0; i < n; i++) {
      let s = b;
      const end = rowStart[i + 1] as number;
      for (let e = rowStart[i] as number; e < end; e++) s += (t[colIdx[e] as number] as number) * (vals[e] as number);
      out[i] = s;
    }
  };
  const objective = (t: Float64Array, zz: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const v = zz[i] as number;
      // log(1 + e^v) − y·v, computed without overflow.
      const softplus = v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
      f += (w[i] as number) * (softplus - (y[i] as number) * v);
    }
    let pen = 0;
    for (let j = 0; j < p; j++) pen += (t[j] as number) * (t[j] as number);
    return f + 0.5 * lambda * pen;
  };

  linear(theta, z);
  let f = objective(theta, z);
  let iterations = 0;
  let gradNorm = Infinity;
  let converged = false;
  let warning = '';
  let singular = false;
  const zTrial = new Float64Array(n);
  for (;;) {
    // Gradient and Hessian (upper triangle), skipping zero features: one-hot designs are sparse.
    grad.fill(0);
    hess.fill(0);
    for (let i = 0; i < n; i++) {
      const q = sigmoid(z[i] as number);
      const wi = w[i] as number;
      const r = wi * (q - (y[i] as number));
      const h = wi * q * (1 - q);
      const start = rowStart[i] as number;
      const end = rowStart[i + 1] as number;
      for (let e = start; e < end; e++) {
        const j = colIdx[e] as number;
        const xj = vals[e] as number;
        grad[j] += r * xj;
        const hx = h * xj;
        const row = j * dim;
        // Column indices within a row are increasing, so this fills the upper triangle.
        for (let f2 = e; f2 < end; f2++) hess[row + (colIdx[f2] as number)] += hx * (vals[f2] as number);
        if (opts.fitIntercept) hess[row + p] += hx;
      }
      if (opts.fitIntercept) {
        grad[p] += r;
        hess[p * dim + p] += h;
      }
    }
    gradNorm = 0;
    for (let j = 0; j < dim; j++) {
      if (j < p) {
        grad[j] += lambda * (theta[j] as number);
        hess[j * dim + j] += lambda;
      }
      gradNorm = Math.max(gradNorm, Math.abs(grad[j] as number));
    }
    gradNorm /= totalWeight;
    if (gradNorm < opts.tolerance) {
      converged = true;
      break;
    }
    if (iterations >= opts.maxIterations) {
      warning = `Newton's method stopped after ${iterations} iterations with gradient ${gradNorm.toExponential(2)} (tolerance ${opts.tolerance}); the data may be separable: lower C or raise maxIterations`;
      break;
    }
    iterations++;
    for (let j = 0; j < dim; j++) for (let k = 0; k < j; k++) hess[j * dim + k] = hess[k * dim + j] as number;
    if (solveSymmetric(hess, grad, dim, step) > 0) singular = true;
    // Backtracking (Armijo) line search along the Newton direction.
    let slope = 0;
    for (let j = 0; j < dim; j++) slope += (grad[j] as number) * (step[j] as number);
    // Near the optimum the predicted decrease (slope / 2) is below the rounding noise of the
    // objective, which then cannot judge a step: take the full Newton step, as its local
    // quadratic convergence warrants.
    const belowNoise = slope / 2 <= OBJECTIVE_NOISE * Math.abs(f);
    let t = 1;
    let accepted = false;
    while (t >= MIN_STEP) {
      for (let j = 0; j < dim; j++) trial[j] = (theta[j] as number) - t * (step[j] as number);
      linear(trial, zTrial);
      const fTrial = objective(trial, zTrial);
      if (fTrial <= f - 1e-4 * t * slope || (belowNoise && t === 1)) {
        theta.set(trial);
        z.set(zTrial);
        f = fTrial;
        accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) {
      // No decrease is possible in floating point: we are at the optimum up to rounding.
      converged = gradNorm < Math.sqrt(opts.tolerance);
      if (!converged) warning = `line search failed at gradient ${gradNorm.toExponential(2)}; the data may be separable: lower C`;
      break;
    }
  }
  if (singular && warning === '') {
    warning =
      'the Newton system was singular (constant or collinear columns without a penalty): a tiny ridge was added, so the coefficients of those columns are not identified; use a finite C or drop the columns';
  }
  if (lambda === 0 && separates(z, y)) {
    // Without a penalty the likelihood of separable classes has no maximum: the gradient fades
    // while the coefficients grow without bound, so a small gradient is not convergence.
    converged = false;
    warning = 'the classes are perfectly separable, so the unpenalised coefficients are infinite: use a finite C';
  }
  return {
    beta: Array.from(theta.subarray(0, p)),
    intercept: opts.fitIntercept ? (theta[p] as number) : 0,
    report: { converged, iterations, objective: f, gradientNorm: gradNorm, warning },
  };
}

/** Unweighted mean of each column of a row-major matrix. */
function columnMeans(X: Float64Array, n: number, p: number): number[] {
  const sum = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const off = i * p;
    for (let j = 0; j < p; j++) sum[j] += X[off + j] as number;
  }
  return Array.from(sum, (s) => s / n);
}

/** True when every row is on its own class's side of the decision boundary. */
function separates(z: Float64Array, y: Uint8Array): boolean {
  for (let i = 0; i < z.length; i++) if ((y[i] === 1 ? z[i] : -(z[i] as number)) as number <= 0) return false;
  return true;
}

/**
 * Solves A x = b for symmetric positive definite A by Cholesky, with a growing ridge if needed;
 * returns the ridge used (0 when A was positive definite).
 */
function solveSymmetric(A: Float64Array, b: Float64Array, dim: number, x: Float64Array): number {
  let trace = 0;
  for (let j = 0; j < dim; j++) trace += A[j * dim + j] as number;
  for (let ridge = 0, attempt = 0; attempt < 8; attempt++, ridge = ((trace / dim) * 1e-12) * 100 ** attempt) {
    const L = cholesky(A, dim, ridge);
    if (L) {
      choleskySolve(L, dim, b, x);
      return ridge;
    }
  }
  throw new CrmError(
    'degenerate_data',
    'the Newton system is singular: some columns are constant or collinear and C is Infinity; use a finite C or drop the columns',
  );
}
