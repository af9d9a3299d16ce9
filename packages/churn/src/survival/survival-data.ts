import { CrmError, toBinaryLabels } from '@crm/core';

/**
 * Times to an event with their censoring, as survival models read them: `durations[i]` is how long
 * customer i was observed (tenure in months, days since the first order, …) and `events[i]` is 1
 * (or `true`) when the event (churn) happened at that time, 0 (or `false`) when the customer was
 * still there when observation ended (right-censored).
 *
 * @example
 * ```ts
 * import type { SurvivalData } from '@crm/churn';
 * const telco: SurvivalData = { durations: [1, 34, 2, 45], events: [0, 0, 1, 0] };
 * ```
 */
export interface SurvivalData {
  /** Observed time of each subject: finite and ≥ 0. */
  readonly durations: ArrayLike<number>;
  /** 1 / `true` when the event happened at that time, 0 / `false` when censored. */
  readonly events: ArrayLike<number | boolean>;
}

/** Checked survival data: copies the model code owns. */
export interface CheckedSurvival {
  readonly time: Float64Array;
  readonly event: Uint8Array;
}

/**
 * Checks durations and events: same length, at least one subject, finite durations ≥ 0, 0/1 or
 * boolean events. A sample without any event is allowed (every curve stays at 1), one without
 * subjects is not. Errors carry the path `[name, i]` of the offending value.
 */
export function readSurvival(
  durations: ArrayLike<number>,
  events: ArrayLike<number | boolean>,
  names: { readonly durations: string; readonly events: string } = { durations: 'durations', events: 'events' },
): CheckedSurvival {
  if (durations === null || typeof durations !== 'object' || typeof durations.length !== 'number') {
    throw new CrmError('invalid_argument', `${names.durations} must be an array of numbers`, [names.durations]);
  }
  const n = durations.length;
  if (n === 0) throw new CrmError('invalid_input', `${names.durations} is empty: pass at least one subject`, [names.durations]);
  const event = toBinaryLabels(events, n, { name: names.events, allowOneClass: true });
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = durations[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new CrmError('invalid_input', `${names.durations}[${i}] is ${String(v)}: durations must be finite numbers ≥ 0`, [names.durations, i]);
    }
    time[i] = v;
  }
  return { time, event };
}
