import type { CheckedSurvival } from './survival-data.ts';

/** Distinct observed times with the events and censorings at each, increasing in time. */
export interface EventCounts {
  readonly time: Float64Array;
  readonly events: Float64Array;
  readonly censored: Float64Array;
}

/**
 * Counts events and censorings at each distinct time in O(n log n): the event times and the
 * censored times are sorted apart (two native numeric sorts, no index permutation) and merged.
 * Times are compared exactly (R's `timefix` would also merge times within about 1e-8 relative of
 * each other; integer and day-resolution times are unaffected). −0 is counted as 0.
 */
export function eventCounts(data: CheckedSurvival): EventCounts {
  const n = data.time.length;
  let nEvents = 0;
  for (let i = 0; i < n; i++) nEvents += data.event[i] as number;
  const ev = new Float64Array(nEvents);
  const ce = new Float64Array(n - nEvents);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    const t = (data.time[i] as number) + 0; // −0 + 0 = +0
    if (data.event[i] === 1) ev[a++] = t;
    else ce[b++] = t;
  }
  ev.sort();
  ce.sort();
  const time = new Float64Array(n);
  const events = new Float64Array(n);
  const censored = new Float64Array(n);
  let k = -1;
  let i = 0;
  let j = 0;
  while (i < ev.length || j < ce.length) {
    const te = i < ev.length ? (ev[i] as number) : Infinity;
    const tc = j < ce.length ? (ce[j] as number) : Infinity;
    const t = te <= tc ? te : tc;
    if (k < 0 || time[k] !== t) {
      k++;
      time[k] = t;
    }
    if (te === t) {
      events[k] = (events[k] as number) + 1;
      i++;
    } else {
      censored[k] = (censored[k] as number) + 1;
      j++;
    }
  }
  return { time: time.slice(0, k + 1), events: events.slice(0, k + 1), censored: censored.slice(0, k + 1) };
}
