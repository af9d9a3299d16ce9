// The numerical core of CoxPh: the partial likelihood with its gradient and information matrix
// (Efron or Breslow ties), Newton–Raphson with step halving, and the statistics computed from the
// sorted data (baseline hazard, concordance, the scaled-Schoenfeld test). Internal to @crm/churn.
import { CrmError, portableExp, portableLog } from '@crm/core';

/** The training data sorted by time, covariates centred on their column means. */
export interface SortedData {
  readonly n: number;
  readonly p: number;
  /** Row-major n × p, sorted by time, each column minus its mean. */
  readonly x: Float64Array;
  readonly time: Float64Array;
  readonly event: Uint8Array;
  /** Start of each group of equal times in the sorted order; the last entry is n. */
  readonly groupStart: Int32Array;
  readonly means: Float64Array;
}

/** Sorts by time (stable) and centres the columns. O(n log n + n·p). */
export function sortData(X: Float64Array, n: number, p: number, time: Float64Array, event: Uint8Array): SortedData {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (time[a] as number) - (time[b] as number) || a - b);
  const means = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) means[j] += X[i * p + j] as number;
  for (let j = 0; j < p; j++) means[j] = (means[j] as number) / n;
  const x = new Float64Array(n * p);
  const t = new Float64Array(n);
  const e = new Uint8Array(n);
  const starts: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    for (let j = 0; j < p; j++) x[k * p + j] = (X[i * p + j] as number) - (means[j] as number);
    t[k] = time[i] as number;
    e[k] = event[i] as number;
    if (k === 0 || t[k] !== t[k - 1]) starts.push(k);
  }
  starts.push(n);
  return { n, p, x, time: t, event: e, groupStart: Int32Array.from(starts), means };
}

/** Linear predictors η = x·β of the sorted rows, and the shift max η that keeps exp(η − shift) ≤ 1. */
function linearPredictors(d: SortedData, beta: ArrayLike<number>, eta: Float64Array): number {
  const { n, p, x } = d;
  let shift = -Infinity;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const off = i * p;
    for (let j = 0; j < p; j++) s += (x[off + j] as number) * (beta[j] as number);
    eta[i] = s;
    if (s > shift) shift = s;
  }
  return shift;
}

/** Scratch space and results of one evaluation, reused across Newton iterations. */
export class CoxWork {
  readonly eta: Float64Array;
  readonly risk: Float64Array;
  readonly grad: Float64Array;
  /** Information matrix −∂²ℓ/∂β² (full, symmetric), without any penalty. */
  readonly info: Float64Array;
  readonly s1: Float64Array;
  readonly s2: Float64Array;
  readonly d1: Float64Array;
  readonly d2: Float64Array;
  readonly xd: Float64Array;
  readonly mean: Float64Array;
  readonly m: Float64Array;
  readonly group: Float64Array;
  constructor(n: number, p: number) {
    this.eta = new Float64Array(n);
    this.risk = new Float64Array(n);
    this.grad = new Float64Array(p);
    this.info = new Float64Array(p * p);
    this.s1 = new Float64Array(p);
    this.s2 = new Float64Array(p * p);
    this.d1 = new Float64Array(p);
    this.d2 = new Float64Array(p * p);
    this.xd = new Float64Array(p);
    this.mean = new Float64Array(p);
    this.m = new Float64Array(p);
    this.group = new Float64Array(p * p);
  }
}

/** What the scaled-Schoenfeld test accumulates beside the information: Σ g·U, Σ g·I, Σ g²·I. */
export interface ZphSums {
  /** g(t) of each group of equal times (only event groups are read). */
  readonly g: Float64Array;
  readonly u: Float64Array;
  readonly i12: Float64Array;
  readonly i22: Float64Array;
}

/**
 * The partial log-likelihood ℓ(β) (unpenalised) and, with `derivatives`, its gradient and
 * information matrix into `w`. Walks the groups of equal times from the last to the first, adding
 * each group to the risk-set sums S0, S1, S2; at a group with d events, Breslow uses the full risk
 * set d times and Efron removes k/d of the events' own sums for k = 0 … d−1. The risks are
 * exp(η − max η), which leaves ℓ and its derivatives unchanged and cannot overflow.
 * O(n·p²) with derivatives, O(n·p) without.
 */
export function evaluate(d: SortedData, beta: ArrayLike<number>, efron: boolean, w: CoxWork, derivatives: boolean, zph?: ZphSums): number {
  const { n, p, x, event, groupStart } = d;
  const { eta, risk, grad, info, s1, s2, d1, d2, xd, mean, m, group } = w;
  const shift = linearPredictors(d, beta, eta);
  for (let i = 0; i < n; i++) risk[i] = portableExp((eta[i] as number) - shift);
  let ll = 0;
  let s0 = 0;
  if (derivatives) {
    grad.fill(0);
    info.fill(0);
    s1.fill(0);
    s2.fill(0);
    if (zph) {
      zph.u.fill(0);
      zph.i12.fill(0);
      zph.i22.fill(0);
    }
  }
  for (let g = groupStart.length - 2; g >= 0; g--) {
    const start = groupStart[g] as number;
    const end = groupStart[g + 1] as number;
    let d0 = 0;
    let deaths = 0;
    let etaDeaths = 0;
    // Efron needs the events' own sums D1, D2 apart from the risk set's only when events are tied;
    // a single row goes straight into S1, S2. Rows of the events are added to D2 once and D2 to S2
    // once per group, so an event row costs one p²/2 pass, as a censored row does.
    const split = derivatives && end - start > 1;
    if (split) {
      d1.fill(0);
      d2.fill(0);
    }
    if (derivatives) xd.fill(0);
    for (let i = start; i < end; i++) {
      const r = risk[i] as number;
      s0 += r;
      const dead = event[i] === 1;
      if (dead) {
        d0 += r;
        deaths++;
        etaDeaths += (eta[i] as number) - shift;
      }
      if (!derivatives) continue;
      const off = i * p;
      const into1 = dead && split ? d1 : s1;
      const into2 = dead && split ? d2 : s2;
      for (let j = 0; j < p; j++) {
        const xj = x[off + j] as number;
        const rx = r * xj;
        into1[j] += rx;
        if (dead) xd[j] += xj;
        const row = j * p;
        for (let k = j; k < p; k++) into2[row + k] += rx * (x[off + k] as number);
      }
    }
    if (split && deaths > 0) {
      for (let j = 0; j < p; j++) {
        s1[j] += d1[j] as number;
        const row = j * p;
        for (let k = j; k < p; k++) s2[row + k] += d2[row + k] as number;
      }
    }
    if (deaths === 0) continue;
    ll += etaDeaths;
    const ties = efron ? deaths : 1;
    // Efron's k-th term: the risk set without k/d of the events; Breslow: the full set, d times.
    let a = 0; // Σ_k weight / s0_k
    let b = 0; // Σ_k weight · f_k / s0_k
    if (derivatives) {
      group.fill(0);
      mean.fill(0);
    }
    for (let k = 0; k < ties; k++) {
      const f = efron ? k / deaths : 0;
      const weight = efron ? 1 : deaths;
      const denom = s0 - f * d0;
      ll -= weight * portableLog(denom);
      if (!derivatives) continue;
      a += weight / denom;
      b += (weight * f) / denom;
      for (let j = 0; j < p; j++) {
        const mj = (f === 0 ? (s1[j] as number) : (s1[j] as number) - f * (d1[j] as number)) / denom;
        m[j] = mj;
        mean[j] += weight * mj;
      }
      // −Σ weight·m mᵀ, upper triangle.
      for (let j = 0; j < p; j++) {
        const wm = weight * (m[j] as number);
        const row = j * p;
        for (let k2 = j; k2 < p; k2++) group[row + k2] -= wm * (m[k2] as number);
      }
    }
    if (!derivatives) continue;
    for (let j = 0; j < p; j++) {
      const row = j * p;
      for (let k = j; k < p; k++) group[row + k] += a * (s2[row + k] as number) - (b === 0 ? 0 : b * (d2[row + k] as number));
    }
    for (let j = 0; j < p; j++) {
      const uj = (xd[j] as number) - (mean[j] as number);
      grad[j] += uj;
      const row = j * p;
      for (let k = j; k < p; k++) info[row + k] += group[row + k] as number;
    }
    if (zph) {
      const tg = zph.g[g] as number;
      for (let j = 0; j < p; j++) {
        zph.u[j] += tg * ((xd[j] as number) - (mean[j] as number));
        const row = j * p;
        for (let k = j; k < p; k++) {
          const c = group[row + k] as number;
          zph.i12[row + k] += tg * c;
          zph.i22[row + k] += tg * tg * c;
        }
      }
    }
  }
  if (derivatives) {
    symmetrize(info, p);
    if (zph) {
      symmetrize(zph.i12, p);
      symmetrize(zph.i22, p);
    }
  }
  return ll;
}

/** Copies the upper triangle of a p × p matrix onto the lower. */
export function symmetrize(A: Float64Array, p: number): void {
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) A[j * p + k] = A[k * p + j] as number;
}

/**
 * Cholesky factor of a symmetric p × p matrix with a relative pivot test: returns the factor, or
 * the index of the first column whose pivot falls below `tolerance` times its diagonal entry
 * (that column is, to rounding, a linear combination of the columns before it).
 */
export function choleskyPivots(A: Float64Array, p: number, tolerance: number): { L: Float64Array } | { column: number } {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j] as number;
      for (let k = 0; k < j; k++) s -= (L[i * p + k] as number) * (L[j * p + k] as number);
      if (i === j) {
        const diag = A[i * p + i] as number;
        if (!(s > tolerance * diag) || !(diag > 0) || !Number.isFinite(s)) return { column: i };
        L[i * p + i] = Math.sqrt(s);
      } else {
        L[i * p + j] = s / (L[j * p + j] as number);
      }
    }
  }
  return { L };
}

/** Solves L Lᵀ x = b in place of `x`. */
export function solveFactor(L: Float64Array, p: number, b: ArrayLike<number>, x: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (L[i * p + k] as number) * (x[k] as number);
    x[i] = s / (L[i * p + i] as number);
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let k = i + 1; k < p; k++) s -= (L[k * p + i] as number) * (x[k] as number);
    x[i] = s / (L[i * p + i] as number);
  }
}

/** The inverse of L Lᵀ, column by column. O(p³). */
export function inverseFromFactor(L: Float64Array, p: number): Float64Array {
  const inv = new Float64Array(p * p);
  const e = new Float64Array(p);
  const col = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    e.fill(0);
    e[j] = 1;
    solveFactor(L, p, e, col);
    for (let i = 0; i < p; i++) inv[i * p + j] = col[i] as number;
  }
  // Exactly symmetric, so the covariance a model reports does not depend on the solve order.
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) inv[i * p + j] = inv[j * p + i] as number;
  return inv;
}

/** Pivot threshold relative to the diagonal, as R's toler.chol (about 1.8e-12) scaled for safety. */
export const PIVOT_TOLERANCE = 1e-10;

/** The solver's result. */
export interface NewtonResult {
  readonly beta: Float64Array;
  readonly logLikelihood: number;
  readonly logLikelihoodNull: number;
  /** The score test statistic U(0)ᵀ I(0)⁻¹ U(0). */
  readonly score: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly reason: 'tolerance' | 'maxIterations' | 'noImprovement';
  /** Newton decrement GᵀH⁻¹G before the last step (penalised gradient and information). */
  readonly decrement: number;
  /** The Newton step that would follow (for the infinite-coefficient check). */
  readonly nextStep: Float64Array;
  /** Columns whose information is (to rounding) a combination of other columns', when l2 > 0 allowed the fit. */
  readonly collinear: number | undefined;
}

/** Relative rounding noise of the summed log-likelihood (a few hundred ulps for n in the millions). */
const OBJECTIVE_NOISE = 1e-13;
/** Most step halvings before a Newton iteration gives up. */
const MAX_HALVINGS = 60;

/** Newton–Raphson on ℓ(β) − (l2/2)·‖β‖² from β = 0, with step halving when the objective falls (as R's coxph). */
export function newton(
  d: SortedData,
  efron: boolean,
  l2: number,
  maxIterations: number,
  tolerance: number,
  columnName: (j: number) => string,
  zph?: ZphSums,
): { result: NewtonResult; work: CoxWork } {
  const { n, p } = d;
  const w = new CoxWork(n, p);
  const beta = new Float64Array(p);
  const trial = new Float64Array(p);
  const step = new Float64Array(p);
  const G = new Float64Array(p);
  const H = new Float64Array(p * p);
  let ll = evaluate(d, beta, efron, w, true, zph);
  const llNull = ll;
  if (!Number.isFinite(ll)) throw new CrmError('non_finite_result', 'the partial log-likelihood at β = 0 is not finite: rescale the durations', ['durations']);
  // Identifiability at β = 0: a column whose information is a combination of the others' cannot be estimated.
  let collinear: number | undefined;
  const first = choleskyPivots(w.info, p, PIVOT_TOLERANCE);
  if ('column' in first) {
    collinear = first.column;
    if (l2 === 0) {
      throw new CrmError(
        'degenerate_data',
        `column ${first.column} of X (${columnName(first.column)}) is, within the risk sets, a linear combination of the columns before it ` +
          '(or carries no information, e.g. it only varies among customers censored before the first event): its coefficient is not identified; drop it or set options.l2 > 0',
        ['X', '*', first.column],
      );
    }
  }
  // The score test U(0)ᵀ I(0)⁻¹ U(0) is the first Newton decrement (with l2, I includes the penalty).
  let score = 0;
  const objective = (logLik: number, b: Float64Array): number => {
    let pen = 0;
    for (let j = 0; j < p; j++) pen += (b[j] as number) * (b[j] as number);
    return logLik - 0.5 * l2 * pen;
  };
  let f = objective(ll, beta);
  let iterations = 0;
  let converged = false;
  let reason: NewtonResult['reason'] = 'maxIterations';
  let decrement = Infinity;
  for (;;) {
    for (let j = 0; j < p; j++) {
      G[j] = (w.grad[j] as number) - l2 * (beta[j] as number);
      for (let k = 0; k < p; k++) H[j * p + k] = (w.info[j * p + k] as number) + (j === k ? l2 : 0);
    }
    const factor = choleskyPivots(H, p, 0);
    if ('column' in factor) {
      throw new CrmError(
        'degenerate_data',
        `the information matrix became singular at iteration ${iterations} (column ${factor.column}, ${columnName(factor.column)}): the coefficients may be infinite (a covariate separates events from non-events); set options.l2 > 0`,
        ['X', '*', factor.column],
      );
    }
    solveFactor(factor.L, p, G, step);
    decrement = 0;
    for (let j = 0; j < p; j++) decrement += (G[j] as number) * (step[j] as number);
    if (!(decrement >= 0) || !Number.isFinite(decrement)) {
      throw new CrmError('non_finite_result', 'the Newton step is not finite: rescale the covariates (for example, to z-scores)', ['X']);
    }
    if (iterations === 0) score = decrement;
    if (decrement <= tolerance) {
      converged = true;
      reason = 'tolerance';
      // One more Newton step costs one evaluation and, by quadratic convergence, takes the error
      // from about √decrement to about decrement: kept unless it lowers the objective.
      for (let j = 0; j < p; j++) trial[j] = (beta[j] as number) + (step[j] as number);
      const fTrial = objective(evaluate(d, trial, efron, w, false), trial);
      if (Number.isFinite(fTrial) && fTrial >= f - OBJECTIVE_NOISE * Math.abs(f)) {
        beta.set(trial);
        ll = evaluate(d, beta, efron, w, true, zph);
      }
      break;
    }
    if (iterations >= maxIterations) break;
    iterations++;
    // Near the optimum the predicted rise (decrement / 2) is below the rounding noise of ℓ, which
    // then cannot judge a step: take the full Newton step, as its quadratic convergence warrants.
    const belowNoise = decrement / 2 <= OBJECTIVE_NOISE * Math.abs(f);
    let t = 1;
    let accepted = false;
    for (let h = 0; h < MAX_HALVINGS; h++, t /= 2) {
      for (let j = 0; j < p; j++) trial[j] = (beta[j] as number) + t * (step[j] as number);
      const fTrial = objective(evaluate(d, trial, efron, w, false), trial);
      if (Number.isFinite(fTrial) && (fTrial >= f + 1e-4 * t * decrement || (belowNoise && h === 0))) {
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      // No rise is possible in floating point: the maximum up to rounding.
      converged = decrement <= Math.sqrt(tolerance);
      reason = 'noImprovement';
      break;
    }
    beta.set(trial);
    ll = evaluate(d, beta, efron, w, true, zph);
    f = objective(ll, beta);
  }
  return {
    result: { beta, logLikelihood: ll, logLikelihoodNull: llNull, score, iterations, converged, reason, decrement, nextStep: step.slice(), collinear },
    work: w,
  };
}
