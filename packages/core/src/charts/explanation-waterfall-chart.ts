import { CrmError } from '../errors.ts';
import { axis, scales, xLabelStep, type Box } from './axes.ts';
import { createChart, readChartOptions, resolveOptions, TITLE_BAND, type AxisChartOptions, type Chart } from './chart.ts';
import { formatValue } from './format.ts';
import { CATEGORICAL, GRID, INK, MUTED } from './palette.ts';
import { el, fitChars, text, textWidth, tip, truncate } from './svg.ts';
import { labels, numbers } from './validate.ts';

/**
 * One row's explanation as the waterfall draws it: plain numbers, such as one row of a churn
 * model's `explain(X)` (`base`, `contributions[i]`, `output[i]`) with the row's feature values.
 *
 * @example
 * ```ts
 * import type { ExplanationWaterfallData } from '@crm/core/charts';
 * const data: ExplanationWaterfallData = {
 *   base: 0.27,
 *   contributions: [0.21, 0.12, -0.05],
 *   featureNames: ['daysSinceLastPurchase', 'contractMonthToMonth', 'orders'],
 *   values: [94, 1, 7],
 * };
 * ```
 */
export interface ExplanationWaterfallData {
  /** The model's expected output (the explanation's base value). */
  readonly base: number;
  /** One contribution per feature; base + Σ contributions is the row's output. */
  readonly contributions: ArrayLike<number>;
  /** Feature names (default `feature_0`, `feature_1`, …). */
  readonly featureNames?: readonly string[] | undefined;
  /** The row's value of each feature, shown beside its name (`null` or NaN for missing). */
  readonly values?: ArrayLike<number | null> | undefined;
}

/**
 * Options of {@link explanationWaterfallChart}.
 *
 * @example
 * ```ts
 * import type { ExplanationWaterfallOptions } from '@crm/core/charts';
 * const options: ExplanationWaterfallOptions = { maxFeatures: 8, xLabel: 'probability of churn' };
 * ```
 */
export interface ExplanationWaterfallOptions extends AxisChartOptions {
  /** Features drawn one by one, largest |contribution| first (default 10); the rest share one bar. */
  readonly maxFeatures?: number | undefined;
}

const DEFAULT_MAX_FEATURES = 10;
/** Raises the output (a churn risk driver): vermillion; lowers it: blue (Okabe & Ito). */
const UP = CATEGORICAL[3] as string;
const DOWN = CATEGORICAL[0] as string;
const BOTTOM = 50;

/**
 * Waterfall of one customer's explanation: from the base value (the average prediction) each
 * feature's contribution moves the output left or right, largest first, to the customer's own
 * output (shap's waterfall plot). Features past `maxFeatures` are summed into one bar, so the
 * bars always end at base + Σ contributions.
 *
 * @throws {CrmError} `invalid_input` for a non-finite base or contribution, or names/values of
 * the wrong length; `invalid_argument` for bad options.
 * @example
 * ```ts
 * import { explanationWaterfallChart } from '@crm/core/charts';
 * const chart = explanationWaterfallChart(
 *   { base: 0.27, contributions: [0.21, 0.12, -0.05], featureNames: ['days since purchase', 'month-to-month', 'orders'], values: [94, 1, 7] },
 *   { xLabel: 'probability of churn' },
 * );
 * ```
 * @see Lundberg et al. (2020), "From local explanations to global understanding with explainable AI for trees", https://doi.org/10.1038/s42256-019-0138-9
 */
export function explanationWaterfallChart(data: ExplanationWaterfallData, options?: ExplanationWaterfallOptions): Chart {
  const o = readChartOptions(options, 'explanationWaterfallChart', ['xLabel', 'yLabel', 'maxFeatures']);
  if (data === null || typeof data !== 'object') throw new CrmError('invalid_input', 'data must be an object with base and contributions', []);
  const base = data.base;
  if (typeof base !== 'number' || !Number.isFinite(base)) throw new CrmError('invalid_input', `base is ${String(base)}; it must be a finite number`, ['base']);
  const phi = numbers(data.contributions, ['contributions'], 'contributions');
  const p = phi.length;
  const names = labels(data.featureNames, p, ['featureNames'], (j) => `feature_${j}`);
  const values = featureValues(data.values, p);
  const max = o.maxFeatures ?? DEFAULT_MAX_FEATURES;
  if (!Number.isInteger(max) || max < 1) throw new CrmError('invalid_argument', `options.maxFeatures must be a whole number ≥ 1, got ${String(max)}`, ['options', 'maxFeatures']);

  // Largest |φ| first; the rest (when more than one) become one "other features" bar.
  const order = phi.map((_, j) => j).sort((a, b) => Math.abs(phi[b] as number) - Math.abs(phi[a] as number) || a - b);
  const shown = order.length > max ? order.slice(0, max - 1) : order;
  const rest = order.slice(shown.length);
  const steps = shown.map((j) => ({ label: describe(names[j] as string, values[j]), value: phi[j] as number }));
  if (rest.length > 0) steps.push({ label: `${rest.length} other features`, value: rest.reduce((s, j) => s + (phi[j] as number), 0) });
  // Drawn bottom-up as shap does: the smallest step sits just above the base, the largest next to the output.
  const rows = steps.slice().reverse();
  let output = base;
  for (const s of rows) output += s.value;

  const r = resolveOptions(o, 640, Math.max(240, 134 + 28 * rows.length), 'Why this prediction');
  const room = Math.max(80, 0.42 * r.width);
  const shownLabels = rows.map((s) => truncate(s.label, fitChars(s.label, 12, room)));
  const left = 14 + Math.max(...shownLabels.map((l) => textWidth(l, 12)), 10);
  const valueTexts = rows.map((s) => signed(s.value));
  const right = 14 + Math.max(...valueTexts.map((t) => textWidth(t, 11)), 30);
  const ends: number[] = [base];
  let run = base;
  for (const s of rows) {
    run += s.value;
    ends.push(run);
  }
  const xa = axis(Math.min(...ends), Math.max(...ends), o.xLabel ?? 'model output', Math.max(2, Math.round(r.width / 110)));
  const box: Box = { x: left, y: TITLE_BAND + 40, w: r.width - left - right, h: r.height - TITLE_BAND - 40 - BOTTOM };
  if (box.w < 40 || box.h < rows.length * 6) {
    throw new CrmError('invalid_argument', `chart of ${r.width}×${r.height} px is too small for ${rows.length} bars; make it larger`, ['options']);
  }
  const { sx } = scales(box, xa, { domain: [0, 1], ticks: [], labels: [], label: '' });
  const band = box.h / rows.length;
  const barH = Math.min(22, band * 0.7);

  let axes = '';
  const labelEvery = xLabelStep(xa, sx);
  xa.ticks.forEach((t, i) => {
    const px = sx(t);
    axes += el('line', { x1: px, x2: px, y1: box.y, y2: box.y + box.h, stroke: GRID });
    if (i % labelEvery === 0) axes += text(px, box.y + box.h + 16, xa.labels[i] ?? '', { 'text-anchor': 'middle', 'font-size': 11 });
  });
  axes += text(box.x + box.w / 2, box.y + box.h + 38, xa.label, { 'text-anchor': 'middle' });

  let marks = '';
  // Base and output as dashed reference lines, labelled above the plot.
  const bx = sx(base);
  const ox = sx(output);
  marks += el('line', { class: 'crm-base', x1: bx, x2: bx, y1: box.y, y2: box.y + box.h, stroke: MUTED, 'stroke-dasharray': '4 3' });
  marks += el('line', { class: 'crm-output', x1: ox, x2: ox, y1: box.y - 8, y2: box.y + box.h, stroke: INK, 'stroke-dasharray': '2 2' });
  const outText = `output ${formatValue(output)}`;
  const baseText = `base ${formatValue(base)}`;
  marks += text(ox, box.y - 12, outText, { 'text-anchor': 'middle', 'font-size': 12, 'font-weight': 600 });
  // The base label sits above the plot too, one line higher when it would touch the output's.
  const apart = Math.abs(ox - bx) > (textWidth(outText, 12) * 1.12 + textWidth(baseText, 11)) / 2 + 8;
  marks += el('line', { x1: bx, x2: bx, y1: box.y - (apart ? 8 : 22), y2: box.y, stroke: MUTED, 'stroke-dasharray': '4 3' });
  marks += text(bx, box.y - (apart ? 12 : 26), baseText, { 'text-anchor': 'middle', 'font-size': 11, fill: MUTED });
  run = base;
  rows.forEach((s, k) => {
    // Row k from the bottom: the first step starts at the base.
    const cy = box.y + box.h - band * k - band / 2;
    const from = sx(run);
    run += s.value;
    const to = sx(run);
    const color = s.value >= 0 ? UP : DOWN;
    marks += el('rect', { class: 'crm-bar', x: Math.min(from, to), y: cy - barH / 2, width: Math.max(0.5, Math.abs(to - from)), height: barH, fill: color }, tip(`${s.label}: ${signed(s.value)}`));
    if (k + 1 < rows.length) marks += el('line', { x1: to, x2: to, y1: cy - barH / 2, y2: cy - band + barH / 2, stroke: MUTED, 'stroke-width': 0.8 });
    marks += text(left - 8, cy + 4, shownLabels[k] ?? '', { 'text-anchor': 'end', 'font-size': 12 });
    marks += text(Math.max(from, to) + 5, cy + 4, valueTexts[k] ?? '', { 'font-size': 11, fill: color });
  });
  const top = steps[0];
  const summary = `From the base ${formatValue(base)} to the output ${formatValue(output)} over ${p} features${top ? `; the largest contribution is ${top.label} (${signed(top.value)})` : ''}.`;
  return createChart(r, summary, `<g class="crm-axes">${axes}</g><g class="crm-marks">${marks}</g>`);
}

function featureValues(given: ArrayLike<number | null> | undefined, p: number): (number | null | undefined)[] {
  if (given === undefined) return new Array<undefined>(p).fill(undefined);
  if (given === null || typeof given !== 'object' || given.length !== p) {
    throw new CrmError('invalid_input', `values must hold ${p} numbers (null for missing), one per contribution`, ['values']);
  }
  const out: (number | null)[] = [];
  for (let j = 0; j < p; j++) {
    const v = given[j];
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) out.push(null);
    else if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
    else throw new CrmError('invalid_input', `values[${j}] is ${String(v)}; it must be a finite number, or null for missing`, ['values', j]);
  }
  return out;
}

function describe(name: string, value: number | null | undefined): string {
  if (value === undefined) return name;
  return `${name} = ${value === null ? 'missing' : formatValue(value)}`;
}

function signed(v: number): string {
  return `${v >= 0 ? '+' : '−'}${formatValue(Math.abs(v))}`;
}
