// Unconstrained minimisation for the maximum-likelihood fits: BFGS with a strong-Wolfe line
// search, and Nelder–Mead as a derivative-free fallback. The models optimise over
// log-parameters, so "unconstrained" is all they need.

/**
 * An objective with its gradient: returns f(x) and writes ∇f(x) into `grad`. A non-finite
 * return value marks x as outside the feasible region; the line search then steps back.
 */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Settings of {@link minimize}. */
export interface MinimizeOptions {
  /** Stop when the largest gradient component is below this. */
  readonly gradientTolerance: number;
  /** Iteration cap for BFGS (Nelder–Mead gets 200 per dimension on top). */
  readonly maxIterations: number;
}

/** What {@link minimize} found. */
export interface MinimizeResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** Largest absolute gradient component at `x`. */
  readonly gradientNorm: number;
  /** Why the search stopped, in words. */
  readonly message: string;
  readonly method: 'bfgs' | 'bfgs+nelder-mead';
}

const C1 = 1e-4;
const C2 = 0.9;
const MAX_LINE_SEARCH_STEPS = 40;
/** Zoom steps: the bracket shrinks at least 10× per 2 steps, so 12 reach 1e-6 of it. */
const MAX_ZOOM_STEPS = 12;
/** The first step in log-parameter space is at most this long. */
const MAX_FIRST_STEP = 1;
/** A stalled search counts as converged when the gradient is within this factor of the tolerance. */
const PRECISION_SLACK = 100;

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i] as number);
    if (a > m || Number.isNaN(a)) m = a;
  }
  return m;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

interface LinePoint {
  step: number;
  f: number;
  d: number;
  g?: Float64Array;
}

/**
 * Minimises `objective` from `start`: BFGS (inverse-Hessian update, strong-Wolfe line search);
 * when BFGS stalls before the gradient tolerance, Nelder–Mead restarts from the best point and
 * BFGS polishes its result. Never returns a non-finite point: the best finite point seen is kept.
 */
export function minimize(objective: Objective, start: ArrayLike<number>, options: MinimizeOptions): MinimizeResult {
  const first = bfgs(objective, Float64Array.from(start), options);
  if (first.converged) return first;
  const simplex = nelderMead(objective, first.x, 200 * start.length);
  const second = bfgs(objective, simplex, options);
  const best = second.value <= first.value ? second : first;
  return { ...best, iterations: first.iterations + second.iterations, method: 'bfgs+nelder-mead' };
}

function bfgs(objective: Objective, x0: Float64Array, options: MinimizeOptions): MinimizeResult {
  const n = x0.length;
  let x = x0.slice();
  let g = new Float64Array(n);
  let f = objective(x, g);
  if (!Number.isFinite(f) || !Number.isFinite(maxAbs(g))) {
    return { x, value: f, converged: false, iterations: 0, gradientNorm: Number.POSITIVE_INFINITY, message: 'the objective is not finite at the starting point', method: 'bfgs' };
  }
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
  const p = new Float64Array(n);
  const xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  let iterations = 0;
  let message = 'reached the iteration limit';
  let converged = false;
  for (; iterations < options.maxIterations; iterations++) {
    const gnorm = maxAbs(g);
    if (gnorm < options.gradientTolerance) {
      converged = true;
      message = 'gradient below tolerance';
      break;
    }
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= (H[i * n + j] as number) * (g[j] as number);
      p[i] = v;
    }
    let d0 = dot(p, g);
    if (!(d0 < 0)) {
      // Not a descent direction (H lost positive definiteness): restart from steepest descent.
      H.fill(0);
      for (let i = 0; i < n; i++) {
        H[i * n + i] = 1;
        p[i] = -(g[i] as number);
      }
      d0 = dot(p, g);
    }
    let initial = 1;
    if (iterations === 0) initial = Math.min(1, MAX_FIRST_STEP / maxAbs(p));
    const found = lineSearch(objective, x, f, d0, p, initial, xNew, gNew);
    if (found === undefined) {
      // Near the optimum f differences fall below its rounding noise before the gradient meets a
      // tight tolerance; a gradient within 100× of it is the precision the likelihood allows.
      converged = gnorm < PRECISION_SLACK * options.gradientTolerance;
      message = converged
        ? `reached the numerical precision of the likelihood (largest gradient component ${gnorm.toExponential(2)})`
        : `the line search found no acceptable step (largest gradient component ${gnorm.toExponential(2)})`;
      break;
    }
    for (let i = 0; i < n; i++) {
      s[i] = (xNew[i] as number) - (x[i] as number);
      y[i] = (gNew[i] as number) - (g[i] as number);
    }
    const fPrev = f;
    [x, g, gNew] = [xNew.slice(), gNew, g];
    f = found;
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (iterations === 0) {
        const scale = sy / dot(y, y);
        for (let i = 0; i < n; i++) H[i * n + i] = scale;
      }
      updateInverseHessian(H, s, y, sy, Hy);
    }
    if (fPrev - f <= 1e-15 * Math.max(1, Math.abs(f)) && maxAbs(s) < 1e-14) {
      message = 'no further progress possible in double precision';
      iterations++;
      converged = maxAbs(g) < PRECISION_SLACK * options.gradientTolerance;
      break;
    }
  }
  return { x, value: f, converged, iterations, gradientNorm: maxAbs(g), message, method: 'bfgs' };
}

function updateInverseHessian(H: Float64Array, s: Float64Array, y: Float64Array, sy: number, Hy: Float64Array): void {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let j = 0; j < n; j++) v += (H[i * n + j] as number) * (y[j] as number);
    Hy[i] = v;
  }
  const yHy = dot(y, Hy);
  const rho = 1 / sy;
  const k = (1 + yHy * rho) * rho;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      H[i * n + j] =
        (H[i * n + j] as number) +
        k * (s[i] as number) * (s[j] as number) -
        rho * ((Hy[i] as number) * (s[j] as number) + (s[i] as number) * (Hy[j] as number));
    }
  }
}

/**
 * Strong-Wolfe line search (Nocedal & Wright 2006, Algorithms 3.5–3.6) along p from x.
 * Writes the accepted point and its gradient into xOut/gOut and returns f there.
 */
function lineSearch(
  objective: Objective,
  x: Float64Array,
  f0: number,
  d0: number,
  p: Float64Array,
  initial: number,
  xOut: Float64Array,
  gOut: Float64Array,
): number | undefined {
  const n = x.length;
  const evaluate = (step: number): LinePoint => {
    for (let i = 0; i < n; i++) xOut[i] = (x[i] as number) + step * (p[i] as number);
    const f = objective(xOut, gOut);
    const d = Number.isFinite(f) ? dot(gOut, p) : Number.NaN;
    return { step, f, d, g: gOut.slice() };
  };
  let prev: LinePoint = { step: 0, f: f0, d: d0 };
  let step = initial;
  let best: LinePoint | undefined;
  for (let k = 0; k < MAX_LINE_SEARCH_STEPS; k++) {
    const cur = evaluate(step);
    if (!Number.isFinite(cur.f) || !Number.isFinite(cur.d) || cur.f > f0 + C1 * step * d0 || (k > 0 && cur.f >= prev.f)) {
      best = zoom(evaluate, f0, d0, prev, cur);
      break;
    }
    if (Math.abs(cur.d) <= -C2 * d0) {
      best = cur;
      break;
    }
    if (cur.d >= 0) {
      best = zoom(evaluate, f0, d0, cur, prev);
      break;
    }
    prev = cur;
    step *= 2;
  }
  if (best === undefined || best.step === 0 || best.g === undefined) return undefined;
  // Zoom may have probed elsewhere last: put the accepted point and its gradient in place.
  for (let i = 0; i < n; i++) xOut[i] = (x[i] as number) + best.step * (p[i] as number);
  gOut.set(best.g);
  return best.f;
}

function zoom(
  evaluate: (step: number) => LinePoint,
  f0: number,
  d0: number,
  lo: LinePoint,
  hi: LinePoint,
): LinePoint | undefined {
  for (let k = 0; k < MAX_ZOOM_STEPS; k++) {
    let step: number;
    if (Number.isFinite(hi.f) && Number.isFinite(hi.d) && Number.isFinite(lo.d)) {
      step = cubicMinimizer(lo, hi);
      const a = Math.min(lo.step, hi.step);
      const b = Math.max(lo.step, hi.step);
      const margin = 0.1 * (b - a);
      if (!(step > a + margin && step < b - margin)) step = 0.5 * (lo.step + hi.step);
    } else {
      // Infeasible or non-finite end: shrink towards the good end.
      step = lo.step + 0.25 * (hi.step - lo.step);
    }
    const cur = evaluate(step);
    if (!Number.isFinite(cur.f) || !Number.isFinite(cur.d) || cur.f > f0 + C1 * step * d0 || cur.f >= lo.f) {
      hi = cur;
    } else {
      if (Math.abs(cur.d) <= -C2 * d0) return cur;
      if (cur.d * (hi.step - lo.step) >= 0) hi = lo;
      lo = cur;
    }
    if (Math.abs(hi.step - lo.step) < 1e-16 * Math.max(1, Math.abs(lo.step))) break;
  }
  // Accept a point that decreases f sufficiently even if curvature was not met.
  return lo.step > 0 && lo.f <= f0 + C1 * lo.step * d0 ? lo : undefined;
}

function cubicMinimizer(a: LinePoint, b: LinePoint): number {
  const d1 = a.d + b.d - (3 * (a.f - b.f)) / (a.step - b.step);
  const disc = d1 * d1 - a.d * b.d;
  if (disc < 0) return Number.NaN;
  const d2 = Math.sign(b.step - a.step) * Math.sqrt(disc);
  return b.step - ((b.step - a.step) * (b.d + d2 - d1)) / (b.d - a.d + 2 * d2);
}

/** Nelder–Mead (standard coefficients) from x0 with unit initial steps; returns the best vertex. */
function nelderMead(objective: Objective, x0: Float64Array, maxIterations: number): Float64Array {
  const n = x0.length;
  const scratch = new Float64Array(n);
  const f = (x: Float64Array): number => {
    const v = objective(x, scratch);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const points: Float64Array[] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const v = x0.slice();
    v[i] = (v[i] as number) + 0.5;
    points.push(v);
  }
  const values = points.map(f);
  const order = (): void => {
    const idx = points.map((_, i) => i).sort((i, j) => (values[i] as number) - (values[j] as number));
    const p = idx.map((i) => points[i] as Float64Array);
    const v = idx.map((i) => values[i] as number);
    for (let i = 0; i <= n; i++) {
      points[i] = p[i] as Float64Array;
      values[i] = v[i] as number;
    }
  };
  const centroid = new Float64Array(n);
  const along = (t: number): Float64Array => {
    const worst = points[n] as Float64Array;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = (centroid[i] as number) + t * ((worst[i] as number) - (centroid[i] as number));
    return out;
  };
  for (let it = 0; it < maxIterations; it++) {
    order();
    if ((values[n] as number) - (values[0] as number) <= 1e-12 * (Math.abs(values[0] as number) + 1e-12)) break;
    centroid.fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i] = (centroid[i] as number) + ((points[k] as Float64Array)[i] as number) / n;
    const xr = along(-1);
    const fr = f(xr);
    if (fr < (values[0] as number)) {
      const xe = along(-2);
      const fe = f(xe);
      if (fe < fr) {
        points[n] = xe;
        values[n] = fe;
      } else {
        points[n] = xr;
        values[n] = fr;
      }
    } else if (fr < (values[n - 1] as number)) {
      points[n] = xr;
      values[n] = fr;
    } else {
      const xc = fr < (values[n] as number) ? along(-0.5) : along(0.5);
      const fc = f(xc);
      if (fc < Math.min(fr, values[n] as number)) {
        points[n] = xc;
        values[n] = fc;
      } else {
        const bestPoint = points[0] as Float64Array;
        for (let k = 1; k <= n; k++) {
          const pk = points[k] as Float64Array;
          for (let i = 0; i < n; i++) pk[i] = (bestPoint[i] as number) + 0.5 * ((pk[i] as number) - (bestPoint[i] as number));
          values[k] = f(pk);
        }
      }
    }
  }
  order();
  return points[0] as Float64Array;
}
