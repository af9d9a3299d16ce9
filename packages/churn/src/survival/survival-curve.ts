import { normalQuantile, portableExp, portableLog } from '@crm/core';
import type { EventCounts } from './event-table.ts';

/**
 * How a pointwise confidence band of a survival curve is built from Greenwood's variance, as R's
 * `survfit(conf.type = …)`: `'log-log'` (on log(−log S), always inside [0, 1]), `'log'` (on log S,
 * R's default, upper end cut at 1) or `'plain'` (S ± z·se, cut to [0, 1]).
 *
 * @example
 * ```ts
 * import type { ConfidenceType } from '@crm/churn';
 * const type: ConfidenceType = 'log-log';
 * ```
 */
export type ConfidenceType = 'log-log' | 'log' | 'plain';

/** The Kaplan–Meier curve at each distinct time. */
export interface CurveColumns {
  readonly atRisk: Float64Array;
  readonly survival: Float64Array;
  /** Greenwood σ of −log S (R's `survfit()$std.err`); Infinity where S = 0. */
  readonly sigma: Float64Array;
}

/**
 * Kaplan–Meier estimate and Greenwood σ at each distinct time, O(times), arithmetic only.
 * σ² = Σ d/(n(n − d)) is the Greenwood variance of −log S, and se(S) = S·σ (R's
 * `summary(survfit)$std.err`). Where S = 0 (everyone left at risk had the event) σ is infinite.
 */
export function curveColumns(counts: EventCounts, n: number): CurveColumns {
  const m = counts.time.length;
  const atRisk = new Float64Array(m);
  const survival = new Float64Array(m);
  const sigma = new Float64Array(m);
  let risk = n;
  let s = 1;
  let greenwood = 0;
  for (let k = 0; k < m; k++) {
    const d = counts.events[k] as number;
    atRisk[k] = risk;
    if (d > 0) {
      s *= (risk - d) / risk; // as R: (n − d)/n rounds once, 1 − d/n twice
      greenwood = d === risk ? Infinity : greenwood + d / (risk * (risk - d));
    }
    survival[k] = s;
    sigma[k] = Math.sqrt(greenwood);
    risk -= d + (counts.censored[k] as number);
  }
  return { atRisk, survival, sigma };
}

/**
 * The pointwise band at each time (R's `survfit_confint`, `conf.lower = "usual"`), NaN where it is
 * undefined (S = 0, R's NA). Where S = 1 (before the first event) the log-log band is [1, 1], the
 * limit of the band as σ → 0 (R gives NA there). O(times).
 */
export function bandColumns(curve: CurveColumns, level: number, type: ConfidenceType): { readonly lower: Float64Array; readonly upper: Float64Array } {
  const m = curve.survival.length;
  const z = normalQuantile(1 - (1 - level) / 2);
  const lower = new Float64Array(m);
  const upper = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const s = curve.survival[k] as number;
    const sigma = curve.sigma[k] as number;
    if (s === 0) {
      lower[k] = NaN;
      upper[k] = NaN;
    } else if (type === 'plain') {
      const half = z * sigma * s;
      lower[k] = Math.max(s - half, 0);
      upper[k] = Math.min(s + half, 1);
    } else if (type === 'log') {
      const logS = portableLog(s);
      lower[k] = portableExp(logS - z * sigma);
      upper[k] = Math.min(portableExp(logS + z * sigma), 1);
    } else if (s === 1) {
      lower[k] = 1;
      upper[k] = 1;
    } else {
      const logS = portableLog(s);
      const c = portableLog(-logS);
      const half = (z * sigma) / logS;
      lower[k] = portableExp(-portableExp(c - half));
      upper[k] = portableExp(-portableExp(c + half));
    }
  }
  return { lower, upper };
}

/** R's default tolerance of `quantile.survfit`: √(double epsilon). */
export const QUANTILE_TOLERANCE = 1.4901161193847656e-8;

/**
 * The time at which a curve (given as its values at `time`) first falls to 1 − p, by R's
 * `quantile.survfit` rule: the smallest time where 1 − curve ≥ p; where the curve equals 1 − p
 * (within √ε) on a flat stretch, the midpoint of that stretch (up to the last observed time if the
 * curve stays there to the end). `null` when the curve never gets that low. Missing values (null,
 * NaN) are skipped, as R's NA. O(times).
 */
export function curveQuantile(time: ArrayLike<number>, curve: ArrayLike<number | null>, p: number, tol: number = QUANTILE_TOLERANCE): number | null {
  if (p === 0) return 0;
  const points = keptPoints(time, curve);
  const { yMax } = points;
  if (yMax < p) return null;
  const x1 = points.first(p, tol);
  const x2 = points.first(p, -tol);
  const inRange = (shift: number): boolean => p >= shift && p <= yMax + shift;
  const i1 = inRange(tol) ? x1 : undefined;
  const i2 = inRange(-tol) ? x2 : undefined;
  if (!points.lastIsMissing && Math.abs(p - points.yLast) < tol) {
    const xmax = time.length > 0 ? (time[time.length - 1] as number) : 0;
    return i1 === undefined ? null : (i1 + xmax) / 2;
  }
  if (i1 === undefined || i2 === undefined) return null;
  return (i1 + i2) / 2;
}

/**
 * R's findq on x = (0, time), y = (0, 1 − curve): duplicated y values (NA included) are dropped,
 * keeping the first time of each value; approx() then skips the missing values and, with method
 * "constant" and f = 1, picks the point with the smallest y + shift ≥ p. `first(p, shift)` gives
 * its time.
 */
interface KeptPoints {
  readonly yMax: number;
  readonly yLast: number;
  readonly lastIsMissing: boolean;
  readonly first: (p: number, shift: number) => number | undefined;
}

const missing = (c: number | null | undefined): boolean => c === null || c === undefined || Number.isNaN(c);

function keptPoints(time: ArrayLike<number>, curve: ArrayLike<number | null>): KeptPoints {
  const m = time.length;
  // A survival curve never rises, so its y values are non-decreasing and duplicates are adjacent:
  // one pass and no copies. Bands can (rarely) rise; they take the general path below.
  let prev = 0;
  let monotone = true;
  for (let k = 0; k < m && monotone; k++) {
    const c = curve[k];
    if (missing(c)) continue;
    const y = 1 - (c as number);
    if (y < prev) monotone = false;
    else prev = y;
  }
  if (monotone) {
    let yMax = 0;
    let lastKept = -1;
    let firstMissing = -1;
    for (let k = 0; k < m; k++) {
      const c = curve[k];
      if (missing(c)) {
        if (firstMissing < 0) firstMissing = k;
        continue;
      }
      const y = 1 - (c as number);
      if (y > yMax) {
        yMax = y;
        lastKept = k;
      }
    }
    return {
      yMax,
      yLast: yMax,
      lastIsMissing: firstMissing > lastKept,
      first: (p, shift) => {
        if (0 + shift >= p) return 0;
        for (let k = 0; k < m; k++) {
          const c = curve[k];
          if (!missing(c) && 1 - (c as number) + shift >= p) return time[k] as number;
        }
        return undefined;
      },
    };
  }
  const xs: number[] = [0];
  const ys: number[] = [0];
  const seen = new Set<number>([0]);
  let lastIsMissing = false;
  let sawMissing = false;
  for (let k = 0; k < m; k++) {
    const c = curve[k];
    if (missing(c)) {
      if (!sawMissing) lastIsMissing = true;
      sawMissing = true;
      continue;
    }
    const y = 1 - (c as number);
    if (seen.has(y)) continue;
    seen.add(y);
    xs.push(time[k] as number);
    ys.push(y);
    lastIsMissing = false;
  }
  let yMax = -Infinity;
  for (const y of ys) if (y > yMax) yMax = y;
  return {
    yMax,
    yLast: ys[ys.length - 1] as number,
    lastIsMissing,
    first: (p, shift) => {
      let best: number | undefined;
      for (let j = 0; j < ys.length; j++) {
        const y = ys[j] as number;
        if (y + shift >= p && (best === undefined || y < (ys[best] as number))) best = j;
      }
      return best === undefined ? undefined : (xs[best] as number);
    },
  };
}
