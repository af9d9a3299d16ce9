import { CrmError, type CrmPath } from '../errors.ts';
import { axis, drawAxes, scales, yAxisWidth, type Box } from './axes.ts';
import { AXIS_KEYS, createChart, readChartOptions, resolveOptions, TITLE_BAND, type AxisChartOptions, type Chart } from './chart.ts';
import { legend, type LegendItem } from './legend.ts';
import { CATEGORICAL, DASHES, INK } from './palette.ts';
import { el, escapeXml, num, tip } from './svg.ts';
import { list, numbers } from './validate.ts';

/**
 * One survival curve as plain arrays — the `table` of a Kaplan–Meier model fits as it is
 * (`{ label, ...km.table }`): the curve's value from each time on, optionally its band and the
 * number censored at each time.
 *
 * @example
 * ```ts
 * import type { SurvivalCurve } from '@crm/core/charts';
 * const curve: SurvivalCurve = { label: 'Month-to-month', time: [1, 2, 3], survival: [0.9, 0.85, 0.8], lower: [0.88, 0.83, 0.78], upper: [0.92, 0.87, 0.82] };
 * ```
 */
export interface SurvivalCurve {
  /** Name in the legend. */
  readonly label?: string | undefined;
  /** Times, non-decreasing, ≥ 0; the curve is 1 before the first. */
  readonly time: ArrayLike<number>;
  /** Survival probability from each time on, in [0, 1]. */
  readonly survival: ArrayLike<number>;
  /** Lower end of the band at each time, in [0, 1]; `null` where undefined (not drawn). */
  readonly lower?: ArrayLike<number | null> | undefined;
  /** Upper end of the band at each time, in [0, 1]; `null` where undefined (not drawn). */
  readonly upper?: ArrayLike<number | null> | undefined;
  /** Subjects censored at each time: a tick is drawn on the curve where it is above 0. */
  readonly censored?: ArrayLike<number> | undefined;
}

/**
 * Options of {@link survivalChart}.
 *
 * @example
 * ```ts
 * import type { SurvivalChartOptions } from '@crm/core/charts';
 * const options: SurvivalChartOptions = { bands: false, censorTicks: true, xLabel: 'Tenure (months)' };
 * ```
 */
export interface SurvivalChartOptions extends AxisChartOptions {
  /** Draw the confidence bands of the curves that have `lower` and `upper` (default true). */
  readonly bands?: boolean | undefined;
  /** Mark censored times with a tick on the curve, for curves that have `censored` (default true). */
  readonly censorTicks?: boolean | undefined;
}

interface Checked {
  readonly label: string;
  readonly time: number[];
  readonly survival: number[];
  readonly lower: (number | null)[] | undefined;
  readonly upper: (number | null)[] | undefined;
  readonly censored: number[] | undefined;
}

/** Points closer than this in pixels to the last drawn one are merged (curves of a million times). */
const MIN_STEP_PX = 0.75;
/** Half the height of a censoring tick, px. */
const TICK = 4;
const RIGHT = 24;
const BOTTOM = 52;
const BAND_OPACITY = 0.18;

function unitValues(values: ArrayLike<number | null> | undefined, n: number, path: CrmPath, what: string, nullable: boolean): (number | null)[] | undefined {
  if (values === undefined) return undefined;
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new CrmError('invalid_input', `${what} must be an array of numbers`, path);
  }
  if (values.length !== n) throw new CrmError('invalid_input', `${what} has ${values.length} values for ${n} times; give one per time`, path);
  const out = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null && nullable) {
      out[i] = null;
      continue;
    }
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new CrmError('invalid_input', `${what}[${i}] is ${String(v)}; survival probabilities are numbers in [0, 1]${nullable ? ' (or null)' : ''}`, [...path, i]);
    }
    out[i] = v;
  }
  return out;
}

function readCurves(data: unknown): Checked[] {
  const items = list((Array.isArray(data) ? data : [data]) as readonly SurvivalCurve[], [], 'survival curves');
  return items.map((c, i) => {
    if (c === null || typeof c !== 'object') throw new CrmError('invalid_input', `survival curves[${i}] must be an object with time and survival`, [i]);
    const time = numbers(c.time, [i, 'time'], `curves[${i}].time`);
    for (let k = 0; k < time.length; k++) {
      if ((time[k] as number) < 0 || (k > 0 && (time[k] as number) < (time[k - 1] as number))) {
        throw new CrmError('invalid_input', `curves[${i}].time[${k}] is ${time[k]}: times must be ≥ 0 and non-decreasing`, [i, 'time', k]);
      }
    }
    const survival = unitValues(c.survival, time.length, [i, 'survival'], `curves[${i}].survival`, false) as number[];
    const lower = unitValues(c.lower, time.length, [i, 'lower'], `curves[${i}].lower`, true);
    const upper = unitValues(c.upper, time.length, [i, 'upper'], `curves[${i}].upper`, true);
    let censored: number[] | undefined;
    if (c.censored !== undefined) {
      censored = numbers(c.censored, [i, 'censored'], `curves[${i}].censored`);
      if (censored.length !== time.length) throw new CrmError('invalid_input', `curves[${i}].censored has ${censored.length} values for ${time.length} times`, [i, 'censored']);
    }
    const label = c.label === undefined ? (items.length === 1 ? '' : `group ${i + 1}`) : String(c.label);
    return { label, time, survival, lower, upper, censored };
  });
}

/** Pixel points of a step function that is 1 (or `start`) before times[0] and values[k] on [times[k], times[k+1]). */
function stepPoints(x0: number, start: number, time: readonly number[], values: readonly number[], xEnd: number): [number, number][] {
  const pts: [number, number][] = [[x0, start]];
  let prev = start;
  for (let k = 0; k < time.length; k++) {
    const t = time[k] as number;
    pts.push([t, prev], [t, values[k] as number]);
    prev = values[k] as number;
  }
  pts.push([xEnd, prev]);
  return pts;
}

/** Drops points within MIN_STEP_PX of the last kept one (the last point always stays). */
function thin(pts: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i] as [number, number];
    const last = out[out.length - 1];
    if (last && i < pts.length - 1 && Math.abs(p[0] - last[0]) < MIN_STEP_PX && Math.abs(p[1] - last[1]) < MIN_STEP_PX) continue;
    out.push(p);
  }
  return out;
}

function pathOf(pts: readonly [number, number][], close = false): string {
  return pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${num(p[0])},${num(p[1])}`).join('') + (close ? 'Z' : '');
}

/**
 * Survival curves (Kaplan–Meier or any step curve): one step line per group with its pointwise
 * confidence band shaded, and ticks where subjects were censored, as R's `plot(survfit(…),
 * conf.int = TRUE, mark.time = TRUE)`. Takes plain arrays, so a `KaplanMeier` model's `table`
 * (or its JSON) draws directly. Curves of many times are thinned to what the pixels can show.
 *
 * @param data One curve or a list of curves (one per group).
 * @throws {CrmError} `invalid_input` for times that are negative or decrease, probabilities
 * outside [0, 1], or arrays of different lengths; `invalid_argument` for bad options.
 * @example
 * ```ts
 * import { survivalChart } from '@crm/core/charts';
 * const chart = survivalChart(
 *   [
 *     { label: 'Month-to-month', time: [1, 2, 3, 6], survival: [0.9, 0.84, 0.8, 0.7], lower: [0.89, 0.83, 0.78, 0.68], upper: [0.91, 0.85, 0.82, 0.72], censored: [3, 0, 2, 9] },
 *     { label: 'Two year', time: [1, 6], survival: [1, 0.99], censored: [5, 40] },
 *   ],
 *   { xLabel: 'Tenure (months)' },
 * );
 * chart.svg; // '<svg …' with two step curves, one band and the censoring ticks
 * ```
 * @see Kaplan & Meier (1958), https://doi.org/10.1080/01621459.1958.10501452
 */
export function survivalChart(data: SurvivalCurve | readonly SurvivalCurve[], options?: SurvivalChartOptions): Chart {
  const o = readChartOptions(options, 'survivalChart', [...AXIS_KEYS, 'bands', 'censorTicks']);
  for (const key of ['bands', 'censorTicks'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') throw new CrmError('invalid_argument', `options.${key} must be true or false`, ['options', key]);
  }
  const curves = readCurves(data);
  const r = resolveOptions(o, 640, 420, 'Survival curves');
  let xMax = 0;
  for (const c of curves) xMax = Math.max(xMax, c.time[c.time.length - 1] as number);
  if (xMax === 0) xMax = 1;
  const xa = axis(0, xMax, o.xLabel ?? 'Time', Math.max(2, Math.round(r.width / 90)), true);
  const ya = axis(0, 1, o.yLabel ?? 'Survival probability', Math.max(2, Math.round(r.height / 60)), false);
  const left = yAxisWidth(ya) + 12;
  const box: Box = { x: left, y: TITLE_BAND + 12, w: r.width - left - RIGHT, h: r.height - TITLE_BAND - 12 - BOTTOM };
  if (box.w < 40 || box.h < 40) throw new CrmError('invalid_argument', `chart of ${r.width}×${r.height} px is too small for its axes; make it larger`, ['options']);
  const { sx, sy } = scales(box, xa, ya);
  const px = (pts: [number, number][]): [number, number][] => pts.map(([x, y]) => [sx(x), sy(y)]);
  const end = xa.domain[1];
  let bands = '';
  let lines = '';
  const items: LegendItem[] = [];
  curves.forEach((c, i) => {
    const color = CATEGORICAL[i % CATEGORICAL.length] ?? INK;
    const dash = DASHES[i % DASHES.length];
    if (o.bands !== false && c.lower && c.upper) bands += bandPaths(c, color, px, end);
    const line = el('path', { class: 'crm-line', d: pathOf(thin(px(stepPoints(0, 1, c.time, c.survival, c.time[c.time.length - 1] as number)))), fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-dasharray': dash, 'stroke-linejoin': 'miter' }, tip(c.label));
    let ticks = '';
    if (o.censorTicks !== false && c.censored) {
      let d = '';
      let lastPx = NaN;
      for (let k = 0; k < c.time.length; k++) {
        if (!((c.censored[k] as number) > 0)) continue;
        const x = sx(c.time[k] as number);
        if (Math.abs(x - lastPx) < MIN_STEP_PX) continue;
        lastPx = x;
        const y = sy(c.survival[k] as number);
        d += `M${num(x)},${num(y - TICK)}L${num(x)},${num(y + TICK)}`;
      }
      if (d) ticks = el('path', { class: 'crm-censor', d, stroke: color, 'stroke-width': 1.25, fill: 'none' });
    }
    lines += `<g class="crm-series" data-label="${escapeXml(c.label)}">${line}${ticks}</g>`;
    if (c.label) items.push({ label: c.label, color, dash });
  });
  let body = drawAxes(box, xa, ya);
  body += `<g class="crm-marks">${bands}${lines}</g>`;
  if (items.length > 1) body += legend(items, box, 'bottom-left');
  const summary = `Survival curves${curves.some((c) => c.label) ? ` of ${curves.map((c) => c.label || 'a group').join(', ')}` : ''}: the share still without the event over time.`;
  return createChart(r, summary, body);
}

/** One shaded polygon per run of times where both band ends are defined. */
function bandPaths(c: Checked, color: string, px: (pts: [number, number][]) => [number, number][], end: number): string {
  const lower = c.lower as (number | null)[];
  const upper = c.upper as (number | null)[];
  let out = '';
  const n = c.time.length;
  for (let k = 0; k < n; ) {
    if (lower[k] === null || upper[k] === null) {
      k++;
      continue;
    }
    let e = k;
    while (e + 1 < n && lower[e + 1] !== null && upper[e + 1] !== null) e++;
    const times = c.time.slice(k, e + 1);
    const stop = e + 1 < n ? (c.time[e + 1] as number) : Math.min(end, c.time[n - 1] as number);
    const up = stepPoints(times[0] as number, upper[k] as number, times, upper.slice(k, e + 1) as number[], stop);
    const lo = stepPoints(times[0] as number, lower[k] as number, times, lower.slice(k, e + 1) as number[], stop);
    out += el('path', { class: 'crm-band', d: pathOf(thin(px([...up, ...lo.reverse()])), true), fill: color, 'fill-opacity': BAND_OPACITY, stroke: 'none' });
    k = e + 1;
  }
  return out;
}
