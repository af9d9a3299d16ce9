import { CrmError, enumOption, finiteResult, numberOption, readOptions, type OptionBag, type PurchaseHistory } from '@crm/core';
import { checkArray, checkHistory } from './history.ts';

/**
 * A customer as RFM scoring reads it: a `PurchaseHistory` (from @crm/core) plus `monetary`. R is the time
 * since the last purchase (T − recency, in the summary's unit), F is `frequency`, M is
 * `monetary`. To score on total spend instead of mean repeat spend, pass
 * `{ ...summary, monetary: summary.totalSpend }`. `totalSpend`, when present, is used as the
 * customer's revenue in {@link rfmSegmentTable}.
 *
 * @example
 * ```ts
 * import type { RfmInput } from '@crm/scoring';
 * const c: RfmInput = { frequency: 2, recency: 30.43, T: 38.86, monetary: 22.35 };
 * ```
 */
export interface RfmInput extends PurchaseHistory {
  /** The M value: mean repeat spend in a `CustomerSummary`, or whatever spend measure you pass. */
  readonly monetary: number;
  /** Revenue of the customer (e.g. `CustomerSummary.totalSpend`); optional. */
  readonly totalSpend?: number | undefined;
}

/**
 * Options of {@link rfmScores}.
 *
 * @example
 * ```ts
 * import type { RfmOptions } from '@crm/scoring';
 * const options: RfmOptions = { bins: 5, ties: 'order', weights: { r: 0.5, f: 0.3, m: 0.2 } };
 * ```
 */
export interface RfmOptions {
  /** Number of score levels n, 2–9 (scores run 1..n; codes stay one digit per letter). Default 5. */
  readonly bins?: number | undefined;
  /**
   * How equal values are ranked for quantile scores. `'order'` (default): by position in the
   * input, so every score level holds ⌊N/n⌋ or ⌈N/n⌉ customers (never an empty or shifted bin)
   * and equal values may get adjacent scores (pandas `rank(method='first')`, the usual recipe).
   * `'shared'`: equal values share the score of their average rank, so bins can be uneven or empty.
   */
  readonly ties?: 'order' | 'shared' | undefined;
  /**
   * Fixed cut points instead of quantiles: n − 1 increasing numbers per dimension. A value v
   * falls in bin 1 + (number of breaks < v), so bins are (−∞, b₁], (b₁, b₂], …; for recency
   * (time since the last purchase) the score is then reversed, so recent buyers score high.
   */
  readonly breaks?:
    | {
        /** Cut points of the time since the last purchase (T − recency). */
        readonly recency?: readonly number[] | undefined;
        /** Cut points of `frequency`. */
        readonly frequency?: readonly number[] | undefined;
        /** Cut points of `monetary`. */
        readonly monetary?: readonly number[] | undefined;
      }
    | undefined;
  /** Weights α, β, γ of the weighted score α·R + β·F + γ·M. Default 1/3 each (the mean score). */
  readonly weights?:
    | {
        /** α, the weight of R. */
        readonly r: number;
        /** β, the weight of F. */
        readonly f: number;
        /** γ, the weight of M. */
        readonly m: number;
      }
    | undefined;
}

/**
 * A customer's RFM scores.
 *
 * @example
 * ```ts
 * import type { RfmScore } from '@crm/scoring';
 * const s: RfmScore = { r: 5, f: 4, m: 5, code: '545', score: 14 / 3 };
 * ```
 */
export interface RfmScore {
  /** Recency score 1..n: n for the most recent buyers. */
  readonly r: number;
  /** Frequency score 1..n. */
  readonly f: number;
  /** Monetary score 1..n. */
  readonly m: number;
  /** The cell code, one digit per score: `'545'`. */
  readonly code: string;
  /** The weighted score α·R + β·F + γ·M. */
  readonly score: number;
}

const DEFAULT_BINS = 5;
const MAX_BINS = 9;

/** Quantile scores 1..bins of `values` (higher value → higher score), ties per `ties`. */
function quantileScores(values: Float64Array, bins: number, ties: 'order' | 'shared'): Int32Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (values[i] as number) - (values[j] as number) || i - j);
  const out = new Int32Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    if (ties === 'shared') while (end < n && values[order[end] as number] === values[order[start] as number]) end++;
    // 'shared': the group's average 0-based rank; 'order': the rank itself.
    const rank = (start + end - 1) / 2;
    const score = Math.min(bins, Math.floor((rank * bins) / n) + 1);
    for (let k = start; k < end; k++) out[order[k] as number] = score;
    start = end;
  }
  return out;
}

function breakScores(values: Float64Array, breaks: readonly number[]): Int32Array {
  return Int32Array.from(values, (v) => {
    let s = 1;
    for (const b of breaks) if (v > b) s++;
    return s;
  });
}

function checkBreaks(value: unknown, bins: number, name: string): readonly number[] | undefined {
  if (value === undefined) return undefined;
  const path = ['options', 'breaks', name];
  if (!Array.isArray(value) || value.length !== bins - 1) {
    throw new CrmError('invalid_argument', `breaks.${name} must hold ${bins - 1} increasing numbers for ${bins} bins`, path);
  }
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || (i > 0 && v <= (value[i - 1] as number))) {
      throw new CrmError('invalid_argument', `breaks.${name} must be finite and strictly increasing (position ${i})`, [...path, i]);
    }
  }
  return value as number[];
}

/** Reads a nested options object (`weights`, `breaks`): its keys and values report paths `['options', name, key]`. */
function nestedOptions<K extends string>(value: unknown, known: readonly K[], name: string): OptionBag<K> {
  return readOptions(value, known, `rfmScores options.${name}`, ['options', name]);
}

/**
 * R, F and M scores 1..n for each customer, by quantiles of the customers given (rank-based,
 * see `ties`) or by fixed `breaks`; recency is reversed so the most recent buyers score n. Adds
 * the cell code (`'545'`) and the weighted score α·R + β·F + γ·M. O(N log N).
 *
 * @throws {CrmError} `invalid_input` for empty input or non-finite values, `invalid_summary` for
 * inconsistent histories (recency > T, …), `invalid_argument` for bad, unknown or misspelled
 * options (also inside `weights` and `breaks`); `non_finite_result` when weights so large that
 * the weighted score overflows; each with its path.
 * @example
 * ```ts
 * import { rfmScores } from '@crm/scoring';
 * const scores = rfmScores([
 *   { frequency: 5, recency: 36, T: 38, monetary: 40 },
 *   { frequency: 0, recency: 0, T: 30, monetary: 0 },
 *   { frequency: 2, recency: 10, T: 20, monetary: 25 },
 * ], { bins: 3 });
 * scores[0].code; // '333'
 * ```
 */
export function rfmScores(customers: readonly RfmInput[], options?: RfmOptions): RfmScore[] {
  const o = readOptions(options, ['bins', 'ties', 'breaks', 'weights'], 'rfmScores');
  const bins = numberOption(o, 'bins', DEFAULT_BINS, { min: 2, max: MAX_BINS, integer: true });
  const ties = enumOption(o, 'ties', 'order', ['order', 'shared'] as const);
  const w = nestedOptions(o.weights, ['r', 'f', 'm'], 'weights');
  if (o.weights !== undefined) {
    for (const k of ['r', 'f', 'm'] as const) {
      if (w[k] === undefined) throw new CrmError('invalid_argument', `weights.${k} is required when weights are given`, ['options', 'weights', k]);
    }
  }
  const weights = {
    r: numberOption(w, 'r', 1 / 3),
    f: numberOption(w, 'f', 1 / 3),
    m: numberOption(w, 'm', 1 / 3),
  };
  const breaks = nestedOptions(o.breaks, ['recency', 'frequency', 'monetary'], 'breaks');
  const rows = checkArray(customers, 'customers');
  const n = rows.length;
  const since = new Float64Array(n);
  const freq = new Float64Array(n);
  const money = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const { x, tx, T } = checkHistory(rows[i], [i]);
    const m: unknown = (rows[i] as RfmInput).monetary;
    if (typeof m !== 'number' || !Number.isFinite(m)) {
      throw new CrmError('invalid_input', `monetary must be a finite number, got ${String(m)} at [${i}]`, [i, 'monetary']);
    }
    since[i] = T - tx;
    freq[i] = x;
    money[i] = m;
  }
  const rBreaks = checkBreaks(breaks.recency, bins, 'recency');
  const fBreaks = checkBreaks(breaks.frequency, bins, 'frequency');
  const mBreaks = checkBreaks(breaks.monetary, bins, 'monetary');
  // Recency: a longer time since the last purchase is worse, so rank the negated value.
  const negSince = since.map((v) => -v);
  const R = rBreaks ? breakScores(since, rBreaks).map((s) => bins + 1 - s) : quantileScores(negSince, bins, ties);
  const F = fBreaks ? breakScores(freq, fBreaks) : quantileScores(freq, bins, ties);
  const M = mBreaks ? breakScores(money, mBreaks) : quantileScores(money, bins, ties);
  const out = new Array<RfmScore>(n);
  for (let i = 0; i < n; i++) {
    const r = R[i] as number;
    const f = F[i] as number;
    const m = M[i] as number;
    const score = weights.r * r + weights.f * f + weights.m * m;
    out[i] = { r, f, m, code: `${r}${f}${m}`, score: Number.isFinite(score) ? score : finiteResult(score, 'the weighted RFM score', ['options', 'weights']) };
  }
  return out;
}
