import { CrmError, enumOption, freezeModel, numberOption, ownValue, readModelJson, readNumberArray, readOptions } from '@crm/core';
import { readJsonOptions } from '../internal/checks.ts';
import { eventCounts, type EventCounts } from './event-table.ts';
import { bandColumns, curveColumns, curveQuantile, type ConfidenceType, type CurveColumns } from './survival-curve.ts';
import { readSurvival, type CheckedSurvival, type SurvivalData } from './survival-data.ts';

/**
 * Options of {@link KaplanMeier.fit}.
 *
 * @example
 * ```ts
 * import type { KaplanMeierOptions } from '@crm/churn';
 * const options: KaplanMeierOptions = { confidenceLevel: 0.9, confidenceType: 'plain' };
 * ```
 */
export interface KaplanMeierOptions {
  /** Level of the pointwise bands and of the quantiles' intervals, in (0, 1) (default 0.95). */
  readonly confidenceLevel?: number;
  /**
   * How the band is built from Greenwood's variance (default `'log-log'`, which stays inside
   * [0, 1]; R's `survfit` defaults to `'log'`, lifelines to `'log-log'`).
   */
  readonly confidenceType?: ConfidenceType;
}

/**
 * Options as the fitted model echoes them, defaults filled in.
 *
 * @example
 * ```ts
 * import { KaplanMeier } from '@crm/churn';
 * KaplanMeier.fit({ durations: [1, 2, 3], events: [1, 0, 1] }).options; // { confidenceLevel: 0.95, confidenceType: 'log-log' }
 * ```
 */
export interface KaplanMeierResolvedOptions {
  /** See {@link KaplanMeierOptions.confidenceLevel}. */
  readonly confidenceLevel: number;
  /** See {@link KaplanMeierOptions.confidenceType}. */
  readonly confidenceType: ConfidenceType;
}

/**
 * The Kaplan–Meier table as columns, one entry per distinct observed time (event or censoring
 * times alike, as R's `survfit` object lists them), increasing in time.
 *
 * @example
 * ```ts
 * import { KaplanMeier } from '@crm/churn';
 * const { time, atRisk, survival } = KaplanMeier.fit({ durations: [1, 2, 2, 3], events: [1, 1, 0, 0] }).table;
 * // time [1, 2, 3], atRisk [4, 3, 1], survival [0.75, 0.5, 0.5]
 * ```
 */
export interface KaplanMeierTable {
  /** The distinct observed times. */
  readonly time: readonly number[];
  /** Subjects still observed just before each time (durations ≥ time). */
  readonly atRisk: readonly number[];
  /** Events at each time. */
  readonly events: readonly number[];
  /** Subjects censored at each time (still there when last seen). */
  readonly censored: readonly number[];
  /** Kaplan–Meier estimate S(t) = Π (1 − events / at risk) over times ≤ t. */
  readonly survival: readonly number[];
  /** Greenwood standard error of S(t) (R's `summary(survfit)$std.err`); `null` where S = 0. */
  readonly standardError: readonly (number | null)[];
  /** Lower end of the pointwise band; `null` where it is undefined (S = 0). */
  readonly lower: readonly (number | null)[];
  /** Upper end of the pointwise band; `null` where it is undefined (S = 0). */
  readonly upper: readonly (number | null)[];
}

/**
 * A quantile of the survival time with its confidence interval.
 *
 * @example
 * ```ts
 * import { KaplanMeier, type SurvivalQuantile } from '@crm/churn';
 * const median: SurvivalQuantile = KaplanMeier.fit({ durations: [1, 2, 3, 4], events: [1, 1, 1, 1] }).median();
 * median.time; // 2.5: S = 0.5 from t = 2 to t = 3, so the middle of that stretch
 * ```
 */
export interface SurvivalQuantile {
  /** p: the share of subjects expected to have had the event (0.5 for the median). */
  readonly probability: number;
  /** The time at which the curve falls to 1 − p; `null` when it never gets that low. */
  readonly time: number | null;
  /** The same time read from the lower band; `null` when the band never gets that low. */
  readonly lower: number | null;
  /** The same time read from the upper band; `null` (not reached: unbounded above) when the band stays above 1 − p. */
  readonly upper: number | null;
}

/**
 * JSON form of a {@link KaplanMeier}: the counts at each distinct time, from which every value is
 * recomputed on loading.
 *
 * @example
 * ```ts
 * import { KaplanMeier, type KaplanMeierJson } from '@crm/churn';
 * const json: KaplanMeierJson = KaplanMeier.fit({ durations: [1, 2, 3], events: [1, 0, 1] }).toJSON();
 * ```
 */
export interface KaplanMeierJson {
  /** Always `'crm.churn.kaplan-meier'`. */
  readonly kind: 'crm.churn.kaplan-meier';
  /** Format version, 1. */
  readonly version: 1;
  /** The fit options. */
  readonly options: KaplanMeierResolvedOptions;
  /** The distinct observed times, increasing. */
  readonly time: number[];
  /** Events at each time. */
  readonly events: number[];
  /** Censorings at each time. */
  readonly censored: number[];
}

const KIND = 'crm.churn.kaplan-meier';
const OPTION_KEYS = ['confidenceLevel', 'confidenceType'] as const;
const CONFIDENCE_TYPES: readonly ConfidenceType[] = ['log-log', 'log', 'plain'];

function resolveOptions(options: unknown, where = 'KaplanMeier.fit'): KaplanMeierResolvedOptions {
  const o = readOptions(options, OPTION_KEYS, where);
  return {
    confidenceLevel: numberOption(o, 'confidenceLevel', 0.95, { min: 0, max: 1, minExclusive: true, maxExclusive: true }),
    confidenceType: enumOption(o, 'confidenceType', 'log-log', CONFIDENCE_TYPES),
  };
}

/**
 * Kaplan–Meier estimate of the survival function (Kaplan & Meier 1958) for right-censored
 * durations — time to churn with customers still active counted as censored — with Greenwood's
 * variance, pointwise confidence bands (log-log, log or plain, as R's `survfit`), the survival
 * probability at any time, and median and other quantile survival times with their confidence
 * intervals (R's `quantile.survfit` rule). Fitting costs O(n log n) (two numeric sorts); the
 * model keeps one row per distinct time. Equal to R `survival` 3.5 on the Telco data to 1e-12.
 * For one curve per segment see {@link kaplanMeierByGroup}.
 *
 * @example
 * ```ts
 * import { KaplanMeier } from '@crm/churn';
 * const km = KaplanMeier.fit({ durations: [1, 3, 3, 4, 6, 8], events: [1, 1, 0, 1, 0, 1] });
 * km.table.time;      // [1, 3, 4, 6, 8]
 * km.table.survival;  // [0.8333…, 0.6666…, 0.4444…, 0.4444…, 0]
 * km.survival(5);     // 0.4444… (the step function at t = 5)
 * km.median().time;   // 4
 * ```
 * @throws {CrmError} `invalid_input` for empty, non-finite or negative durations; `invalid_labels`
 * for events that are not 0/1 or boolean; `invalid_argument` for bad options.
 * @see Kaplan & Meier (1958), https://doi.org/10.1080/01621459.1958.10501452
 */
export class KaplanMeier {
  /** Always `'crm.churn.kaplan-meier'`. */
  readonly kind: 'crm.churn.kaplan-meier' = KIND;
  /** The fit options with defaults filled in. */
  readonly options: KaplanMeierResolvedOptions;
  /** Number of subjects. */
  readonly n: number;
  /** Number of events. */
  readonly events: number;
  // The columns live in private typed arrays; the band (exp and log per time) and the plain-array
  // table are built on first use and kept. None of it is reachable as a property, so the model
  // stays frozen; freezeModel walking a million-element array would also cost seconds.
  readonly #counts: EventCounts;
  readonly #curve: CurveColumns;
  #band: { readonly lower: Float64Array; readonly upper: Float64Array } | undefined;
  #table: KaplanMeierTable | undefined;

  private constructor(options: KaplanMeierResolvedOptions, counts: EventCounts) {
    let n = 0;
    let events = 0;
    for (let k = 0; k < counts.time.length; k++) {
      n += (counts.events[k] as number) + (counts.censored[k] as number);
      events += counts.events[k] as number;
    }
    this.options = { ...options };
    this.n = n;
    this.events = events;
    this.#counts = counts;
    this.#curve = curveColumns(counts, n);
    freezeModel(this);
  }

  /**
   * One row per distinct observed time, as frozen columns of plain numbers (built on first access:
   * O(times)).
   *
   * @example
   * ```ts
   * import { KaplanMeier } from '@crm/churn';
   * KaplanMeier.fit({ durations: [1, 2, 2, 3], events: [1, 1, 0, 0] }).table.atRisk; // [4, 3, 1]
   * ```
   */
  get table(): KaplanMeierTable {
    if (this.#table !== undefined) return this.#table;
    const c = this.#curve;
    const b = this.#bands();
    const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);
    const m = c.survival.length;
    const plain = (from: Float64Array): number[] => {
      const out = new Array<number>(m);
      for (let k = 0; k < m; k++) out[k] = from[k] as number;
      return out;
    };
    const standardError = new Array<number | null>(m);
    const lower = new Array<number | null>(m);
    const upper = new Array<number | null>(m);
    for (let k = 0; k < m; k++) {
      const s = c.survival[k] as number;
      standardError[k] = s === 0 ? null : s * (c.sigma[k] as number);
      lower[k] = orNull(b.lower[k] as number);
      upper[k] = orNull(b.upper[k] as number);
    }
    this.#table = Object.freeze({
      time: Object.freeze(plain(this.#counts.time)),
      atRisk: Object.freeze(plain(c.atRisk)),
      events: Object.freeze(plain(this.#counts.events)),
      censored: Object.freeze(plain(this.#counts.censored)),
      survival: Object.freeze(plain(c.survival)),
      standardError: Object.freeze(standardError),
      lower: Object.freeze(lower),
      upper: Object.freeze(upper),
    });
    return this.#table;
  }

  #bands(): { readonly lower: Float64Array; readonly upper: Float64Array } {
    return (this.#band ??= bandColumns(this.#curve, this.options.confidenceLevel, this.options.confidenceType));
  }

  /**
   * Estimates the survival curve from durations and events (1 / `true` = the event happened at
   * that time, 0 / `false` = censored). O(n log n).
   *
   * @example
   * ```ts
   * import { KaplanMeier } from '@crm/churn';
   * const km = KaplanMeier.fit({ durations: [5, 8, 12, 12, 20], events: [1, 0, 1, 1, 0] }, { confidenceType: 'plain' });
   * ```
   */
  static fit(data: SurvivalData, options?: KaplanMeierOptions): KaplanMeier {
    const opts = resolveOptions(options);
    const checked = readData(data);
    return new KaplanMeier(opts, eventCounts(checked));
  }

  /**
   * Restores a model from {@link KaplanMeier.toJSON} output, checking every value: times finite,
   * ≥ 0 and increasing; counts whole numbers ≥ 0 with at least one subject at each time.
   *
   * @throws {CrmError} `invalid_json` for foreign, tampered or incomplete JSON.
   * @example
   * ```ts
   * import { KaplanMeier } from '@crm/churn';
   * const km = KaplanMeier.fit({ durations: [1, 2, 3], events: [1, 0, 1] });
   * const copy = KaplanMeier.fromJSON(JSON.parse(JSON.stringify(km)));
   * ```
   */
  static fromJSON(json: unknown): KaplanMeier {
    const obj = readModelJson(json, KIND, 1);
    const options = readJsonOptions(obj, (o) => resolveOptions(o, 'KaplanMeier.fromJSON'));
    const time = readNumberArray(obj, 'time');
    const events = readNumberArray(obj, 'events', [], time.length);
    const censored = readNumberArray(obj, 'censored', [], time.length);
    if (time.length === 0) throw new CrmError('invalid_json', 'time is empty: a curve has at least one time', ['time']);
    let total = 0;
    for (let k = 0; k < time.length; k++) {
      const t = time[k] as number;
      if (t < 0 || (k > 0 && !(t > (time[k - 1] as number)))) {
        throw new CrmError('invalid_json', `time[${k}] = ${t}: times must be ≥ 0 and strictly increasing`, ['time', k]);
      }
      for (const [name, v] of [['events', events[k]], ['censored', censored[k]]] as const) {
        if (!Number.isInteger(v) || (v as number) < 0) throw new CrmError('invalid_json', `${name}[${k}] = ${String(v)} must be a whole number ≥ 0`, [name, k]);
      }
      const here = (events[k] as number) + (censored[k] as number);
      if (here === 0) throw new CrmError('invalid_json', `time[${k}] has no events and no censorings`, ['events', k]);
      total += here;
    }
    if (!Number.isSafeInteger(total)) throw new CrmError('invalid_json', `the counts add up to ${total} subjects, more than can be counted exactly`, ['events']);
    return new KaplanMeier(options, { time: Float64Array.from(time, (t) => t + 0), events: Float64Array.from(events), censored: Float64Array.from(censored) });
  }

  /**
   * The estimated survival probability S(t) at a time or at each of several times: the
   * right-continuous step function (1 before the first event; after the last observed time, its
   * last value, which is only an estimate up to that time). O(log m) per time.
   *
   * @throws {CrmError} `invalid_input` for a non-finite time.
   * @example
   * ```ts
   * import { KaplanMeier } from '@crm/churn';
   * const km = KaplanMeier.fit({ durations: [1, 2, 3, 4], events: [1, 1, 1, 1] });
   * km.survival(2.5);       // 0.5
   * km.survival([0, 1, 4]); // Float64Array [1, 0.75, 0]
   * ```
   */
  survival(t: number): number;
  survival(times: ArrayLike<number>): Float64Array;
  survival(times: number | ArrayLike<number>): number | Float64Array {
    const s = this.#curve.survival;
    const time = this.#counts.time;
    if (typeof times === 'number') return stepAt(time, s, checkTime(times, ['t']), 1);
    if (times === null || typeof times !== 'object' || typeof times.length !== 'number') {
      throw new CrmError('invalid_argument', 'survival(times): times must be a number or an array of numbers', ['times']);
    }
    const out = new Float64Array(times.length);
    for (let i = 0; i < times.length; i++) out[i] = stepAt(time, s, checkTime(times[i], ['times', i]), 1);
    return out;
  }

  /**
   * The p-quantile of the survival time — when the curve falls to 1 − p — with its confidence
   * interval read from the band, by R's `quantile.survfit` rule: the first time the curve is at or
   * below 1 − p; where it equals 1 − p on a flat stretch, the middle of that stretch. `null` where
   * the curve (or the band) never gets that low. O(m).
   *
   * @param p In [0, 1]: 0.5 is the median, 0.25 the time by which a quarter have churned.
   * @throws {CrmError} `invalid_argument` for p outside [0, 1].
   * @example
   * ```ts
   * import { KaplanMeier } from '@crm/churn';
   * KaplanMeier.fit({ durations: [1, 2, 3, 4], events: [1, 1, 1, 1] }).quantile(0.25).time; // 1.5
   * ```
   */
  quantile(p: number): SurvivalQuantile {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new CrmError('invalid_argument', `quantile(p): p must be a number in [0, 1], got ${String(p)}`, ['p']);
    }
    const time = this.#counts.time;
    const band = this.#bands();
    return {
      probability: p,
      time: curveQuantile(time, this.#curve.survival, p),
      lower: curveQuantile(time, band.lower, p),
      upper: curveQuantile(time, band.upper, p),
    };
  }

  /**
   * The median survival time with its confidence interval: `quantile(0.5)`.
   *
   * @example
   * ```ts
   * import { KaplanMeier } from '@crm/churn';
   * KaplanMeier.fit({ durations: [1, 2, 3, 4, 5], events: [1, 1, 1, 1, 1] }).median().time; // 3
   * ```
   */
  median(): SurvivalQuantile {
    return this.quantile(0.5);
  }

  /**
   * Plain JSON data for storage; {@link KaplanMeier.fromJSON} restores the model.
   *
   * @example
   * ```ts
   * import { KaplanMeier } from '@crm/churn';
   * JSON.stringify(KaplanMeier.fit({ durations: [1, 2, 3], events: [1, 0, 1] }));
   * ```
   */
  toJSON(): KaplanMeierJson {
    return {
      kind: KIND,
      version: 1,
      options: { ...this.options },
      time: Array.from(this.#counts.time),
      events: Array.from(this.#counts.events),
      censored: Array.from(this.#counts.censored),
    };
  }
}

/** Reads `{ durations, events }` (own properties only). */
export function readData(data: SurvivalData): CheckedSurvival {
  if (data === null || typeof data !== 'object') {
    throw new CrmError('invalid_argument', 'data must be an object { durations, events }', ['data']);
  }
  return readSurvival(ownValue(data as never, 'durations') as ArrayLike<number>, ownValue(data as never, 'events') as ArrayLike<number>);
}

function checkTime(t: unknown, path: readonly (string | number)[]): number {
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw new CrmError('invalid_input', `time ${String(t)} must be a finite number`, path);
  }
  return t;
}

/** The value of a right-continuous step function at t: values[k] for the last time[k] ≤ t, `before` if none. */
function stepAt(time: ArrayLike<number>, values: ArrayLike<number>, t: number, before: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((time[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? before : (values[lo - 1] as number);
}
