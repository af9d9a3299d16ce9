import { CrmError } from '@crm/core';

/**
 * A group label of a survival comparison: a segment name or number (contract type, cohort).
 *
 * @example
 * ```ts
 * import type { GroupLabel } from '@crm/churn';
 * const label: GroupLabel = 'Month-to-month';
 * ```
 */
export type GroupLabel = string | number;

/** Group labels read once: the distinct labels, sorted, and each subject's group index. */
export interface CheckedGroups {
  readonly labels: GroupLabel[];
  readonly index: Int32Array;
}

/**
 * Reads one label per subject: all strings or all finite numbers. The distinct labels are sorted
 * (numbers ascending, strings by UTF-16 code units, so the order is the same in every engine and
 * locale), and the groups are reported in that order.
 */
export function readGroups(groups: ArrayLike<GroupLabel>, n: number): CheckedGroups {
  if (groups === null || typeof groups !== 'object' || typeof groups.length !== 'number') {
    throw new CrmError('invalid_argument', 'groups must be an array with one label (string or number) per subject', ['groups']);
  }
  if (groups.length !== n) {
    throw new CrmError('invalid_input', `groups has ${groups.length} labels for ${n} subjects: give one label per subject`, ['groups']);
  }
  const first = groups[0];
  const numeric = typeof first === 'number';
  const seen = new Map<GroupLabel, number>();
  for (let i = 0; i < n; i++) {
    const g = groups[i];
    const ok = numeric ? typeof g === 'number' && Number.isFinite(g) : typeof g === 'string';
    if (!ok) {
      throw new CrmError(
        'invalid_input',
        `groups[${i}] is ${typeof g === 'string' ? JSON.stringify(g) : String(g)}: labels must be all strings or all finite numbers (the first is a ${typeof first})`,
        ['groups', i],
      );
    }
    // Map keys compare by SameValueZero, so −0 and 0 are one group (stored as 0).
    if (!seen.has(g as GroupLabel)) seen.set(numeric ? (g as number) + 0 : (g as string), seen.size);
  }
  const labels = [...seen.keys()].sort((a, b) => (numeric ? (a as number) - (b as number) : a < b ? -1 : a > b ? 1 : 0));
  const rank = new Map<GroupLabel, number>();
  labels.forEach((label, r) => rank.set(label, r));
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = rank.get(numeric ? (groups[i] as number) + 0 : (groups[i] as string)) as number;
  return { labels, index };
}
