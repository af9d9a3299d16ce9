import { checkCost, cholesky, choleskySolve, chiSquareSurvival, CrmError, numberOption, portableExp, portableLog, readOptions } from '@crm/core';
import { readData } from './kaplan-meier.ts';
import { readGroups, type GroupLabel } from './survival-groups.ts';
import type { SurvivalData } from './survival-data.ts';

/**
 * Options of {@link logRankTest}.
 *
 * @example
 * ```ts
 * import type { LogRankOptions } from '@crm/churn';
 * const peto: LogRankOptions = { rho: 1 };
 * ```
 */
export interface LogRankOptions {
  /**
   * Fleming–Harrington weight exponent ρ ≥ 0 (default 0): each event time is weighted by
   * S(t−)^ρ, the pooled Kaplan–Meier estimate just before it, as R's `survdiff(rho = …)`. 0 is the
   * log-rank (Mantel–Haenszel) test; 1 the Peto & Peto modification of the Gehan–Wilcoxon test,
   * which weighs early differences more.
   */
  readonly rho?: number;
  /** Most groups (default 1,000): the test solves a (groups − 1)² system. */
  readonly maxGroups?: number;
  /**
   * Most variance updates, distinct event times × groups² (default 1e9, some seconds): the
   * covariance of k groups gains k² terms at every event time.
   */
  readonly maxWork?: number;
}

/**
 * Result of {@link logRankTest}, in the order of `groups`.
 *
 * @example
 * ```ts
 * import { logRankTest, type LogRankResult } from '@crm/churn';
 * const r: LogRankResult = logRankTest({ durations: [1, 2, 3, 4, 5, 6], events: [1, 1, 1, 1, 0, 1] }, [0, 0, 0, 1, 1, 1]);
 * r.pValue; // a number in [0, 1]
 * ```
 */
export interface LogRankResult {
  /** The group labels, sorted (numbers ascending, strings by code units). */
  readonly groups: readonly GroupLabel[];
  /** Subjects per group. */
  readonly n: readonly number[];
  /** (Weighted) events observed per group. */
  readonly observed: readonly number[];
  /** (Weighted) events expected per group if every group had the pooled hazard. */
  readonly expected: readonly number[];
  /** Variance–covariance matrix of observed − expected (R's `survdiff()$var`), rows by group. */
  readonly variance: readonly (readonly number[])[];
  /** The chi-square statistic (O − E)ᵀ V⁻¹ (O − E) over the groups with expected events, one left out. */
  readonly statistic: number;
  /** Degrees of freedom: groups with expected events − 1. */
  readonly df: number;
  /** P(χ²_df > statistic): small values say the survival curves differ. */
  readonly pValue: number;
  /** The weight exponent used. */
  readonly rho: number;
}

/**
 * The log-rank test of k ≥ 2 survival curves (Mantel 1966; Peto & Peto 1972), as R's
 * `survdiff(Surv(time, event) ~ group, rho = 0)`: at each distinct event time the events of each
 * group are compared with those expected if all groups shared the pooled hazard, and the summed
 * differences are tested against their variance with a chi-square on k − 1 degrees of freedom.
 * Groups without expected events (every subject censored before the first event) are left out of
 * the statistic, as R does. O(n log n + event times · k² + k³), bounded by `maxWork`.
 *
 * @param groups One label per subject: all strings or all finite numbers, at least two distinct.
 * @throws {CrmError} as {@link KaplanMeier.fit} for the data; `invalid_input` for bad labels or
 * a single group; `degenerate_data` when fewer than two groups have expected events or the
 * variance is singular (no event time with two groups at risk); `limit_exceeded` at
 * `['options', 'maxGroups']` or `['options', 'maxWork']`.
 * @example
 * ```ts
 * import { logRankTest } from '@crm/churn';
 * const test = logRankTest(
 *   { durations: [6, 6, 6, 7, 10, 13, 16, 22, 1, 1, 2, 2, 3, 4, 4, 5], events: [1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
 *   ['drug', 'drug', 'drug', 'drug', 'drug', 'drug', 'drug', 'drug', 'placebo', 'placebo', 'placebo', 'placebo', 'placebo', 'placebo', 'placebo', 'placebo'],
 * );
 * test.statistic; // chi-square on test.df = 1 degree of freedom
 * test.pValue;    // < 0.01
 * ```
 * @see R `survival::survdiff`; Harrington & Fleming (1982), https://doi.org/10.1093/biomet/69.3.553
 */
export function logRankTest(data: SurvivalData, groups: ArrayLike<GroupLabel>, options?: LogRankOptions): LogRankResult {
  const o = readOptions(options, ['rho', 'maxGroups', 'maxWork'], 'logRankTest');
  const rho = numberOption(o, 'rho', 0, { min: 0 });
  const maxGroups = numberOption(o, 'maxGroups', 1000, { min: 2, integer: true });
  const maxWork = numberOption(o, 'maxWork', 1e9, { min: 1 });
  const checked = readData(data);
  const n = checked.time.length;
  const g = readGroups(groups, n);
  const k = g.labels.length;
  if (k < 2) throw new CrmError('invalid_input', `there is only one group (${JSON.stringify(g.labels[0])}): the log-rank test compares two or more`, ['groups']);
  checkCost(k, maxGroups, 'maxGroups', `a log-rank test of ${k} groups`, 'groups');

  // Subjects by time, events before censorings at a tie (both are at risk at that time).
  const order = Array.from({ length: n }, (_, i) => i);
  const time = checked.time;
  order.sort((a, b) => (time[a] as number) - (time[b] as number) || a - b);
  let eventTimes = 0;
  for (let e = 0, last = NaN; e < n; e++) {
    const i = order[e] as number;
    if (checked.event[i] === 1 && time[i] !== last) {
      eventTimes++;
      last = time[i] as number;
    }
  }
  checkCost(eventTimes * k * k, maxWork, 'maxWork', `a log-rank test of ${k} groups over ${eventTimes} event times`, 'variance updates');
  const atRisk = new Float64Array(k);
  const size = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    atRisk[g.index[i] as number]++;
    size[g.index[i] as number]++;
  }
  const observed = new Float64Array(k);
  const expected = new Float64Array(k);
  const variance = new Float64Array(k * k);
  const deaths = new Float64Array(k);
  let total = n;
  let km = 1;
  for (let start = 0; start < n; ) {
    const t = time[order[start] as number] as number;
    let end = start;
    let d = 0;
    deaths.fill(0);
    while (end < n && time[order[end] as number] === t) {
      const i = order[end] as number;
      if (checked.event[i] === 1) {
        deaths[g.index[i] as number]++;
        d++;
      }
      end++;
    }
    if (d > 0) {
      const w = rho === 0 ? 1 : portableExp(rho * portableLog(km));
      for (let j = 0; j < k; j++) {
        const share = (atRisk[j] as number) / total;
        observed[j] = (observed[j] as number) + w * (deaths[j] as number);
        expected[j] = (expected[j] as number) + w * d * share;
      }
      if (total > 1) {
        const f = (w * w * d * (total - d)) / (total - 1);
        for (let j = 0; j < k; j++) {
          const sj = (atRisk[j] as number) / total;
          if (sj === 0) continue;
          for (let h = 0; h < k; h++) {
            const sh = (atRisk[h] as number) / total;
            variance[j * k + h] = (variance[j * k + h] as number) + f * sj * ((j === h ? 1 : 0) - sh);
          }
        }
      }
      km *= (total - d) / total;
    }
    for (let e = start; e < end; e++) atRisk[g.index[order[e] as number] as number]--;
    total -= end - start;
    start = end;
  }

  // As R: only groups with expected events count; the first of them is left out.
  const kept: number[] = [];
  for (let j = 0; j < k; j++) if ((expected[j] as number) > 0) kept.push(j);
  if (kept.length < 2) {
    throw new CrmError('degenerate_data', `only ${kept.length} group(s) have expected events: the test needs two groups at risk at some event time`, ['groups']);
  }
  const dim = kept.length - 1;
  const V = new Float64Array(dim * dim);
  const diff = new Float64Array(dim);
  for (let a = 0; a < dim; a++) {
    const ja = kept[a + 1] as number;
    diff[a] = (observed[ja] as number) - (expected[ja] as number);
    for (let b = 0; b < dim; b++) V[a * dim + b] = variance[ja * k + (kept[b + 1] as number)] as number;
  }
  const L = cholesky(V, dim);
  if (L === undefined) {
    throw new CrmError('degenerate_data', 'the variance of observed − expected is singular (no event time with two of the groups at risk): the groups cannot be compared', ['groups']);
  }
  const x = choleskySolve(L, dim, diff);
  let statistic = 0;
  for (let a = 0; a < dim; a++) statistic += (x[a] as number) * (diff[a] as number);
  statistic = Math.max(statistic, 0);
  const matrix: number[][] = [];
  for (let j = 0; j < k; j++) matrix.push(Array.from(variance.subarray(j * k, (j + 1) * k)));
  return Object.freeze({
    groups: Object.freeze(g.labels.slice()),
    n: Object.freeze(size),
    observed: Object.freeze(Array.from(observed)),
    expected: Object.freeze(Array.from(expected)),
    variance: Object.freeze(matrix.map((row) => Object.freeze(row))),
    statistic,
    df: dim,
    pValue: chiSquareSurvival(statistic, dim),
    rho,
  });
}
