import { CrmError } from '@crm/core';

/**
 * Net Promoter Score of a set of 0–10 survey answers, with its standard error.
 *
 * @example
 * ```ts
 * import type { NetPromoterScore } from '@crm/scoring';
 * const show = (s: NetPromoterScore) => `${s.nps.toFixed(0)} ± ${(1.96 * s.standardError).toFixed(0)}`;
 * ```
 */
export interface NetPromoterScore {
  /** Number of answers. */
  readonly n: number;
  /** Answers of 9 or 10. */
  readonly promoters: number;
  /** Answers of 7 or 8. */
  readonly passives: number;
  /** Answers of 0 to 6. */
  readonly detractors: number;
  /** NPS = 100 · (promoters − detractors) / n, from −100 to 100. */
  readonly nps: number;
  /**
   * Standard error of the NPS, 100 · √((p₊ + p₋ − (p₊ − p₋)²) / n) with p₊, p₋ the promoter and
   * detractor shares (the multinomial variance of a difference of two shares).
   */
  readonly standardError: number;
}

/**
 * Net Promoter Score (Reichheld 2003) of likelihood-to-recommend answers on the 0–10 scale:
 * promoters answer 9–10, passives 7–8, detractors 0–6, and NPS = 100 · (share of promoters −
 * share of detractors), in −100..100, with its standard error
 * 100 · √((p₊ + p₋ − (p₊ − p₋)²) / n). Give the `score` of survey interactions (see
 * `Interaction.score` in @crm/core). O(n).
 *
 * @throws {CrmError} `invalid_input` when there is no answer or an answer is not an integer from 0
 * to 10 (path `[index]`): other scales must be mapped to 0–10 first, not guessed.
 * @example
 * ```ts
 * import { netPromoterScore } from '@crm/scoring';
 * const s = netPromoterScore([10, 9, 9, 8, 7, 6, 3, 0, 10, 9]);
 * s.nps;           // 20  (5 promoters, 3 detractors of 10)
 * s.standardError; // 27.57 = 100 · √((0.5 + 0.3 − 0.2²) / 10)
 * ```
 * @see Reichheld (2003), "The One Number You Need to Grow", Harvard Business Review 81(12)
 */
export function netPromoterScore(scores: ArrayLike<number>): NetPromoterScore {
  if (scores === null || typeof scores !== 'object' || typeof scores.length !== 'number') {
    throw new CrmError('invalid_argument', 'netPromoterScore expects an array of 0–10 answers', ['scores']);
  }
  const n = scores.length;
  if (n === 0) throw new CrmError('invalid_input', 'netPromoterScore needs at least one answer', ['scores']);
  let promoters = 0;
  let detractors = 0;
  for (let i = 0; i < n; i++) {
    const v = scores[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 10) {
      throw new CrmError('invalid_input', `scores[${i}] is ${String(v)}; NPS answers are integers from 0 to 10 (map other scales to 0–10 first)`, [i]);
    }
    if (v >= 9) promoters++;
    else if (v <= 6) detractors++;
  }
  const pro = promoters / n;
  const det = detractors / n;
  const diff = pro - det;
  // p₊ + p₋ ≥ (p₊ − p₋)² always; max(0, …) only guards the last bit of rounding.
  const variance = Math.max(0, pro + det - diff * diff) / n;
  return { n, promoters, passives: n - promoters - detractors, detractors, nps: 100 * diff, standardError: 100 * Math.sqrt(variance) };
}
