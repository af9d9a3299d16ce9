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

/** The Kaplan–Meier curve and its band at each distinct time. */
export interface CurveColumns {
  readonly atRisk: number[];
  readonly survival: number[];
  readonly standardError: (number | null)[];
  readonly lower: (number | null)[];
  readonly upper: (number | null)[];
}

/**
 * Kaplan–Meier estimate, Greenwood standard error and band at each distinct time, O(times).
 * σ² = Σ d/(n(n − d)) is the Greenwood variance of −log S (R's `survfit()$std.err` is σ), and
 * se(S) = S·σ (R's `summary(survfit)$std.err`). Where S = 0 (everyone left at risk had the event)
 * σ is infinite, and se and band are undefined (`null`, R's NA). Where S = 1 (before the first
 * event) the log-log band is [1, 1], the limit of the band as σ → 0 (R gives NA there).
 */
export function curveColumns(counts: EventCounts, n: number, level: number, type: ConfidenceType): CurveColumns {
  const m = counts.time.length;
  const z = normalQuantile(1 - (1 - level) / 2);
  const atRisk = new Array<number>(m);
  const survival = new Array<number>(m);
  const standardError = new Array<number | null>(m);
  const lower = new Array<number | null>(m);
  const upper = new Array<number | null>(m);
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
    const sigma = Math.sqrt(greenwood);
    standardError[k] = s === 0 ? null : s * sigma;
    const [lo, hi] = band(s, sigma, z, type);
    lower[k] = lo;
    upper[k] = hi;
    risk -= d + (counts.censored[k] as number);
  }
  return { atRisk, survival, standardError, lower, upper };
}

/** The band at one point (R's `survfit_confint`, `conf.lower = "usual"`). */
function band(s: number, sigma: number, z: number, type: ConfidenceType): [number | null, number | null] {
  if (s === 0) return [null, null];
  if (type === 'plain') {
    const half = z * sigma * s;
    return [Math.max(s - half, 0), Math.min(s + half, 1)];
  }
  if (type === 'log') {
    const logS = portableLog(s);
    return [portableExp(logS - z * sigma), Math.min(portableExp(logS + z * sigma), 1)];
  }
  if (s === 1) return [1, 1];
  const logS = portableLog(s);
  const c = portableLog(-logS);
  const half = (z * sigma) / logS;
  return [portableExp(-portableExp(c - half)), portableExp(-portableExp(c + half))];
}

/** R's default tolerance of `quantile.survfit`: √(double epsilon). */
export const QUANTILE_TOLERANCE = 1.4901161193847656e-8;

/**
 * The time at which a curve (given as its values at `time`) first falls to 1 − p, by R's
 * `quantile.survfit` rule: the smallest time where 1 − curve ≥ p; where the curve equals 1 − p
 * (within √ε) on a flat stretch, the midpoint of that stretch (up to the last observed time if the
 * curve stays there to the end). `null` when the curve never gets that low. O(times).
 */
export function curveQuantile(time: ArrayLike<number>, curve: ArrayLike<number | null>, p: number, tol: number = QUANTILE_TOLERANCE): number | null {
  // R's findq on x = (0, time), y = (0, 1 − curve): duplicated y values (NA included) are dropped,
  // keeping the first time of each value; approx() then skips the missing values and, with
  // method "constant" and f = 1, picks the point with the smallest y + shift ≥ p.
  const m = time.length;
  const xs: number[] = [0];
  const ys: number[] = [0];
  const seen = new Set<number>([0]);
  let lastIsMissing = false;
  let sawMissing = false;
  for (let k = 0; k < m; k++) {
    const c = curve[k];
    if (c === null || c === undefined) {
      if (!sawMissing) lastIsMissing = true;
      sawMissing = true;
      continue;
    }
    const y = 1 - c;
    if (seen.has(y)) continue;
    seen.add(y);
    xs.push(time[k] as number);
    ys.push(y);
    lastIsMissing = false;
  }
  if (p === 0) return 0;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const y of ys) {
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  if (yMax < p) return null;
  const pick = (shift: number): number | undefined => {
    if (p < yMin + shift || p > yMax + shift) return undefined;
    let best: number | undefined;
    for (let j = 0; j < ys.length; j++) {
      const y = ys[j] as number;
      if (y + shift >= p && (best === undefined || y < (ys[best] as number))) best = j;
    }
    return best;
  };
  const i1 = pick(tol);
  const i2 = pick(-tol);
  const yLast = ys[ys.length - 1] as number;
  if (!lastIsMissing && Math.abs(p - yLast) < tol) {
    const xmax = m > 0 ? (time[m - 1] as number) : 0;
    return i1 === undefined ? null : ((xs[i1] as number) + xmax) / 2;
  }
  if (i1 === undefined || i2 === undefined) return null;
  return ((xs[i1] as number) + (xs[i2] as number)) / 2;
}
