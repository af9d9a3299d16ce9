// Statistics of a fitted Cox model computed from the sorted training data: the baseline cumulative
// hazard, Harrell's concordance, and the time transform of the scaled-Schoenfeld test. Internal.
import type { SortedData } from './cox-fit.ts';

/**
 * Cumulative baseline hazard at every distinct time for risks `risk` (exp of the linear
 * predictor, any common scale: the result is divided by it through `scale`). At a time with d
 * events and risk-set sum S0 (event risks D0) the increment is d / S0 (Breslow) or, with Efron's
 * correction for ties, Σ_{k<d} 1 / (S0 − (k/d)·D0), as R's `survfit.coxph` (ctype 1 / 2). O(n).
 */
export function baselineHazard(d: SortedData, risk: Float64Array, efron: boolean, scale: number): { times: Float64Array; hazard: Float64Array } {
  const { groupStart, time, event } = d;
  const groups = groupStart.length - 1;
  const s0 = new Float64Array(groups);
  const d0 = new Float64Array(groups);
  const deaths = new Int32Array(groups);
  let sum = 0;
  for (let g = groups - 1; g >= 0; g--) {
    for (let i = groupStart[g] as number; i < (groupStart[g + 1] as number); i++) {
      const r = risk[i] as number;
      sum += r;
      if (event[i] === 1) {
        d0[g] += r;
        deaths[g] += 1;
      }
    }
    s0[g] = sum;
  }
  const times = new Float64Array(groups);
  const hazard = new Float64Array(groups);
  let h = 0;
  for (let g = 0; g < groups; g++) {
    times[g] = time[groupStart[g] as number] as number;
    const dg = deaths[g] as number;
    if (dg > 0) {
      if (efron) {
        for (let k = 0; k < dg; k++) h += 1 / ((s0[g] as number) - (k / dg) * (d0[g] as number)) / scale;
      } else {
        h += dg / (s0[g] as number) / scale;
      }
    }
    hazard[g] = h;
  }
  return { times, hazard };
}

/** Pair counts of Harrell's concordance. */
export interface ConcordanceCounts {
  readonly concordant: number;
  readonly discordant: number;
  readonly tiedRisk: number;
  readonly tiedTime: number;
  readonly tiedBoth: number;
}

/**
 * Harrell's concordance of the linear predictors `lp` (in sorted order) with the times, counted as
 * R's `concordance()`: a pair is comparable when the shorter time is an event; a censored time
 * equal to an event time counts as longer (the customer was still there); two events at the same
 * time are tied on time (`tiedTime`, or `tiedBoth` when their predictors are equal too). A
 * comparable pair is concordant when the shorter time has the higher risk. O(n log n) with a
 * Fenwick tree over the ranks of the predictors.
 */
export function concordance(d: SortedData, lp: Float64Array): ConcordanceCounts {
  const { n, groupStart, event } = d;
  // Ranks of the distinct predictor values (equal doubles share a rank).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (lp[a] as number) - (lp[b] as number));
  const rank = new Int32Array(n);
  let distinct = 0;
  for (let k = 0; k < n; k++) {
    if (k > 0 && lp[order[k] as number] !== lp[order[k - 1] as number]) distinct++;
    rank[order[k] as number] = distinct;
  }
  const size = distinct + 1;
  const tree = new Float64Array(size + 1);
  const add = (r: number): void => {
    for (let i = r + 1; i <= size; i += i & -i) tree[i] += 1;
  };
  /** Number of inserted predictors with rank < r. */
  const below = (r: number): number => {
    let s = 0;
    for (let i = r; i > 0; i -= i & -i) s += tree[i] as number;
    return s;
  };
  let inserted = 0;
  let concordant = 0;
  let discordant = 0;
  let tiedRisk = 0;
  let tiedTime = 0;
  let tiedBoth = 0;
  for (let g = groupStart.length - 2; g >= 0; g--) {
    const start = groupStart[g] as number;
    const end = groupStart[g + 1] as number;
    // Censored at this time: later than the events at this time.
    for (let i = start; i < end; i++) {
      if (event[i] === 0) {
        add(rank[i] as number);
        inserted++;
      }
    }
    let eventsHere = 0;
    for (let i = start; i < end; i++) {
      if (event[i] !== 1) continue;
      eventsHere++;
      const r = rank[i] as number;
      const lower = below(r);
      const notAbove = below(r + 1);
      concordant += lower;
      tiedRisk += notAbove - lower;
      discordant += inserted - notAbove;
    }
    if (eventsHere > 1) {
      // Pairs of events at the same time: tied on time, and on both when the predictors agree.
      const ranks: number[] = [];
      for (let i = start; i < end; i++) if (event[i] === 1) ranks.push(rank[i] as number);
      ranks.sort((a, b) => a - b);
      let both = 0;
      for (let k = 0, run = 1; k < ranks.length; k++, run++) {
        if (k + 1 === ranks.length || ranks[k + 1] !== ranks[k]) {
          both += (run * (run - 1)) / 2;
          run = 0;
        }
      }
      tiedBoth += both;
      tiedTime += (eventsHere * (eventsHere - 1)) / 2 - both;
    }
    for (let i = start; i < end; i++) {
      if (event[i] === 1) {
        add(rank[i] as number);
        inserted++;
      }
    }
  }
  return { concordant, discordant, tiedRisk, tiedTime, tiedBoth };
}

/**
 * g(t) of the scaled-Schoenfeld test with R's `transform = "km"`: 1 − S(t−), the Kaplan–Meier
 * estimate of the time just before t, centred on its mean over the events; one value per group of
 * equal times.
 */
export function kmTransform(d: SortedData): Float64Array {
  const { n, groupStart, event } = d;
  const groups = groupStart.length - 1;
  const g = new Float64Array(groups);
  let surv = 1;
  let atRisk = n;
  let sum = 0;
  let events = 0;
  for (let k = 0; k < groups; k++) {
    const start = groupStart[k] as number;
    const end = groupStart[k + 1] as number;
    g[k] = 1 - surv;
    let deaths = 0;
    for (let i = start; i < end; i++) deaths += event[i] as number;
    sum += deaths * (g[k] as number);
    events += deaths;
    surv *= 1 - deaths / atRisk;
    atRisk -= end - start;
  }
  const mean = sum / events;
  for (let k = 0; k < groups; k++) g[k] = (g[k] as number) - mean;
  return g;
}
