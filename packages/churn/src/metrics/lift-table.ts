import { CrmError, numberOption, readOptions } from '@crm/core';
import { labelsAndScores } from '../internal/checks.ts';
import { descendingOrder } from '../internal/order.ts';

/**
 * One group (decile by default) of a {@link liftTable}, customers ranked by churn score.
 *
 * @example
 * ```ts
 * import { liftTable, type LiftRow } from '@crm/churn';
 * const [top]: LiftRow[] = liftTable([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1], { groups: 2 });
 * top.gain; // 0.5
 * ```
 */
export interface LiftRow {
  /** 1 for the highest-scored group. */
  readonly group: number;
  /** Customers in the group. */
  readonly count: number;
  /** Churners in the group. */
  readonly positives: number;
  /** Churn rate in the group. */
  readonly rate: number;
  /** Group churn rate ÷ overall churn rate. */
  readonly lift: number;
  /** Customers in this and all higher groups. */
  readonly cumulativeCount: number;
  /** Churners in this and all higher groups. */
  readonly cumulativePositives: number;
  /** Share of all churners captured by contacting this and all higher groups (the gains curve). */
  readonly gain: number;
  /** Churn rate of this and all higher groups ÷ overall churn rate. */
  readonly cumulativeLift: number;
  /** Lowest score in the group. */
  readonly minScore: number;
  /** Highest score in the group. */
  readonly maxScore: number;
}

/**
 * Lift and gains table: customers sorted by score (highest first) and cut into `groups` groups of
 * equal size (the first `n mod groups` groups get one customer more); tied scores are kept in row
 * order, so the cut is deterministic. Read it as "calling the top 20% reaches `gain` of the
 * churners, `cumulativeLift` times better than calling at random". O(n log n).
 *
 * @param options `groups`: number of groups (default 10, deciles; at most n).
 * @throws {CrmError} `invalid_labels`, `invalid_input` for bad labels or scores;
 * `invalid_argument` for a bad number of groups or an unknown option.
 * @example
 * ```ts
 * import { liftTable } from '@crm/churn';
 * const rows = liftTable([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1], { groups: 2 });
 * rows[0].gain; rows[0].lift; // 0.5, 1
 * ```
 */
export function liftTable(
  y: ArrayLike<number | boolean>,
  scores: ArrayLike<number>,
  options: { readonly groups?: number } = {},
): LiftRow[] {
  const d = labelsAndScores(y, scores, { allowOneClass: false, unit: false });
  const n = d.y.length;
  const groups = numberOption(readOptions(options, ['groups'], 'liftTable'), 'groups', 10, { min: 1, integer: true });
  if (groups > n) {
    throw new CrmError('invalid_argument', `groups must be an integer from 1 to n (${n}), got ${String(groups)}`, ['options', 'groups']);
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += d.y[i] as number;
  const baseRate = total / n;
  const order = descendingOrder(d.p);
  const rows: LiftRow[] = [];
  const size = Math.floor(n / groups);
  const extra = n % groups;
  let start = 0;
  let cumCount = 0;
  let cumPos = 0;
  for (let g = 0; g < groups; g++) {
    const count = size + (g < extra ? 1 : 0);
    let positives = 0;
    for (let k = start; k < start + count; k++) positives += d.y[order[k] as number] as number;
    cumCount += count;
    cumPos += positives;
    const rate = positives / count;
    rows.push({
      group: g + 1,
      count,
      positives,
      rate,
      lift: rate / baseRate,
      cumulativeCount: cumCount,
      cumulativePositives: cumPos,
      gain: cumPos / total,
      cumulativeLift: cumPos / cumCount / baseRate,
      minScore: d.p[order[start + count - 1] as number] as number,
      maxScore: d.p[order[start] as number] as number,
    });
    start += count;
  }
  return rows;
}
