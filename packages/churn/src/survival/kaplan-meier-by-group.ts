import { readOptions } from '@crm/core';
import { KaplanMeier, readData, type KaplanMeierOptions } from './kaplan-meier.ts';
import { readGroups, type GroupLabel } from './survival-groups.ts';
import type { SurvivalData } from './survival-data.ts';

/**
 * One segment's Kaplan–Meier curve.
 *
 * @example
 * ```ts
 * import { kaplanMeierByGroup, type KaplanMeierGroup } from '@crm/churn';
 * const groups: readonly KaplanMeierGroup[] = kaplanMeierByGroup({ durations: [1, 2, 3, 4], events: [1, 0, 1, 1] }, ['a', 'a', 'b', 'b']);
 * groups[0]?.group; // 'a'
 * ```
 */
export interface KaplanMeierGroup {
  /** The group's label. */
  readonly group: GroupLabel;
  /** The group's curve. */
  readonly model: KaplanMeier;
}

/**
 * One Kaplan–Meier curve per group label (contract type, acquisition channel, RFM segment), as
 * R's `survfit(Surv(time, event) ~ group)`. Groups come in sorted order (numbers ascending,
 * strings by code units); every curve is fitted with the same options. O(n log n).
 *
 * @param groups One label per subject: all strings or all finite numbers.
 * @throws {CrmError} as {@link KaplanMeier.fit}; `invalid_input` at `['groups', i]` for a
 * missing or mixed-type label or a length that differs from the durations.
 * @example
 * ```ts
 * import { kaplanMeierByGroup } from '@crm/churn';
 * const curves = kaplanMeierByGroup(
 *   { durations: [2, 5, 7, 1, 3, 9], events: [1, 1, 0, 1, 1, 1] },
 *   ['monthly', 'yearly', 'yearly', 'monthly', 'monthly', 'yearly'],
 * );
 * curves.map((c) => [c.group, c.model.median().time]); // [['monthly', 2], ['yearly', 9]]
 * ```
 */
export function kaplanMeierByGroup(data: SurvivalData, groups: ArrayLike<GroupLabel>, options?: KaplanMeierOptions): readonly KaplanMeierGroup[] {
  readOptions(options, ['confidenceLevel', 'confidenceType'], 'kaplanMeierByGroup');
  const checked = readData(data);
  const g = readGroups(groups, checked.time.length);
  const k = g.labels.length;
  const counts = new Int32Array(k);
  for (let i = 0; i < g.index.length; i++) counts[g.index[i] as number]++;
  const durations = Array.from(counts, (c) => new Float64Array(c));
  const events = Array.from(counts, (c) => new Uint8Array(c));
  const fill = new Int32Array(k);
  for (let i = 0; i < g.index.length; i++) {
    const j = g.index[i] as number;
    const at = fill[j]++ as number;
    (durations[j] as Float64Array)[at] = checked.time[i] as number;
    (events[j] as Uint8Array)[at] = checked.event[i] as number;
  }
  return Object.freeze(
    g.labels.map((group, j) => Object.freeze({ group, model: KaplanMeier.fit({ durations: durations[j] as Float64Array, events: events[j] as Uint8Array }, options) })),
  );
}
