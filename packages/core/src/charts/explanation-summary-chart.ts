import { CrmError } from '../errors.ts';
import { axis, scales, xLabelStep, type Box } from './axes.ts';
import { barChart } from './bars.ts';
import { createChart, readChartOptions, resolveOptions, TITLE_BAND, type AxisChartOptions, type Chart } from './chart.ts';
import { formatValue } from './format.ts';
import { colorBar, colorBarWidth } from './legend.ts';
import { CATEGORICAL, diverging, GRID, INK, MUTED } from './palette.ts';
import { el, fitChars, text, textWidth, tip, truncate } from './svg.ts';
import { labels, list, numbers } from './validate.ts';

/**
 * Explanations of many rows as the summary draws them: plain numbers, such as a churn model's
 * `explain(X).contributions` with the rows of X.
 *
 * @example
 * ```ts
 * import type { ExplanationSummaryData } from '@crm/core/charts';
 * const data: ExplanationSummaryData = {
 *   contributions: [[0.2, -0.01], [-0.1, 0.03], [0.05, 0.0]],
 *   featureNames: ['tenure', 'tickets'],
 *   values: [[2, 0], [40, 3], [12, 1]],
 * };
 * ```
 */
export interface ExplanationSummaryData {
  /** One array per row, one contribution per feature. */
  readonly contributions: readonly ArrayLike<number>[];
  /** Feature names (default `feature_0`, `feature_1`, …). */
  readonly featureNames?: readonly string[] | undefined;
  /** The rows' feature values, to colour the beeswarm's dots (NaN for missing: drawn grey). */
  readonly values?: readonly ArrayLike<number>[] | undefined;
}

/**
 * Options of {@link explanationSummaryChart}.
 *
 * @example
 * ```ts
 * import type { ExplanationSummaryOptions } from '@crm/core/charts';
 * const options: ExplanationSummaryOptions = { kind: 'beeswarm', maxFeatures: 12 };
 * ```
 */
export interface ExplanationSummaryOptions extends AxisChartOptions {
  /** `'bar'` (default): mean |contribution| per feature; `'beeswarm'`: one dot per row and feature. */
  readonly kind?: 'bar' | 'beeswarm' | undefined;
  /** Features drawn, by mean |contribution| (default 20). */
  readonly maxFeatures?: number | undefined;
  /** Most dots per feature in a beeswarm (default 1,000); more rows are thinned evenly, as the description says. */
  readonly maxPoints?: number | undefined;
}

const DEFAULT_MAX_FEATURES = 20;
const DEFAULT_MAX_POINTS = 1000;
const DOT_R = 2.2;
const BOTTOM = 50;

/**
 * Summary of explanations over many customers (shap's summary plot): which features move the
 * model most. `'bar'` ranks features by mean |contribution|; `'beeswarm'` shows each row's
 * contribution as a dot on the feature's line, coloured by the feature's value (low purple, high
 * orange, within the 5th–95th percentile), so the direction of an effect is visible too.
 *
 * @throws {CrmError} `invalid_input` for an empty, ragged or non-finite contribution matrix, or
 * names/values that do not match it; `invalid_argument` for bad options.
 * @example
 * ```ts
 * import { explanationSummaryChart } from '@crm/core/charts';
 * const data = {
 *   contributions: [[0.2, -0.01], [-0.1, 0.03], [0.05, 0.0]],
 *   featureNames: ['tenure', 'tickets'],
 *   values: [[2, 0], [40, 3], [12, 1]],
 * };
 * const bars = explanationSummaryChart(data);
 * const swarm = explanationSummaryChart(data, { kind: 'beeswarm' });
 * ```
 * @see Lundberg et al. (2020), https://doi.org/10.1038/s42256-019-0138-9
 */
export function explanationSummaryChart(data: ExplanationSummaryData, options?: ExplanationSummaryOptions): Chart {
  const o = readChartOptions(options, 'explanationSummaryChart', ['xLabel', 'yLabel', 'kind', 'maxFeatures', 'maxPoints']);
  if (data === null || typeof data !== 'object') throw new CrmError('invalid_input', 'data must be an object with contributions', []);
  const rows = list(data.contributions, ['contributions'], 'contributions').map((r, i) => numbers(r, ['contributions', i], `contributions[${i}]`));
  const p = (rows[0] as number[]).length;
  rows.forEach((r, i) => {
    if (r.length !== p) throw new CrmError('invalid_input', `contributions is ragged: row ${i} has ${r.length} values, row 0 has ${p}`, ['contributions', i]);
  });
  const names = labels(data.featureNames, p, ['featureNames'], (j) => `feature_${j}`);
  const kind = o.kind ?? 'bar';
  if (kind !== 'bar' && kind !== 'beeswarm') throw new CrmError('invalid_argument', `options.kind must be 'bar' or 'beeswarm', got ${String(kind)}`, ['options', 'kind']);
  const maxFeatures = o.maxFeatures ?? DEFAULT_MAX_FEATURES;
  if (!Number.isInteger(maxFeatures) || maxFeatures < 1) throw new CrmError('invalid_argument', `options.maxFeatures must be a whole number ≥ 1, got ${String(maxFeatures)}`, ['options', 'maxFeatures']);
  const maxPoints = o.maxPoints ?? DEFAULT_MAX_POINTS;
  if (!Number.isInteger(maxPoints) || maxPoints < 1) throw new CrmError('invalid_argument', `options.maxPoints must be a whole number ≥ 1, got ${String(maxPoints)}`, ['options', 'maxPoints']);

  const n = rows.length;
  const meanAbs = names.map((_, j) => rows.reduce((s, r) => s + Math.abs(r[j] as number), 0) / n);
  const order = meanAbs.map((_, j) => j).sort((a, b) => (meanAbs[b] as number) - (meanAbs[a] as number) || a - b).slice(0, maxFeatures);
  const lead = names[order[0] as number] as string;

  if (kind === 'bar') {
    const r = resolveOptions(o, 640, Math.max(200, 100 + 26 * order.length), 'Feature contributions');
    return barChart(r, {
      labels: order.map((j) => names[j] as string),
      values: order.map((j) => meanAbs[j] as number),
      errors: undefined,
      valueText: (i) => formatValue(meanAbs[order[i] as number] as number),
      tooltip: (i) => `${names[order[i] as number]}: mean |contribution| ${formatValue(meanAbs[order[i] as number] as number)}`,
      xLabel: o.xLabel ?? 'mean |contribution|',
      color: CATEGORICAL[0] as string,
      summary: `Mean absolute contribution of the ${order.length} leading of ${p} features over ${n} rows, led by ${lead}.`,
    });
  }

  const values = data.values === undefined ? undefined : featureValues(data.values, n, p);
  const stride = Math.ceil(n / maxPoints);
  const picked: number[] = [];
  for (let i = 0; i < n; i += stride) picked.push(i);
  let lo = 0;
  let hi = 0;
  for (const j of order) for (const i of picked) {
    lo = Math.min(lo, rows[i]?.[j] as number);
    hi = Math.max(hi, rows[i]?.[j] as number);
  }
  const r = resolveOptions(o, 680, Math.max(220, 100 + 30 * order.length), 'Feature contributions');
  const room = Math.max(80, 0.35 * r.width);
  const shownNames = order.map((j) => truncate(names[j] as string, fitChars(names[j] as string, 12, room)));
  const left = 14 + Math.max(...shownNames.map((l) => textWidth(l, 12)), 10);
  const right = 16 + (values ? colorBarWidth(0, 1, 'feature value') : 0);
  const xa = axis(lo, hi, o.xLabel ?? 'contribution to the output', Math.max(2, Math.round(r.width / 110)));
  const box: Box = { x: left, y: TITLE_BAND + 10, w: r.width - left - right, h: r.height - TITLE_BAND - 10 - BOTTOM };
  if (box.w < 60 || box.h < order.length * 8) {
    throw new CrmError('invalid_argument', `chart of ${r.width}×${r.height} px is too small for ${order.length} features; make it larger`, ['options']);
  }
  const { sx } = scales(box, xa, { domain: [0, 1], ticks: [], labels: [], label: '' });
  const band = box.h / order.length;
  let axes = '';
  const labelEvery = xLabelStep(xa, sx);
  xa.ticks.forEach((t, i) => {
    const px = sx(t);
    axes += el('line', { x1: px, x2: px, y1: box.y, y2: box.y + box.h, stroke: GRID });
    if (i % labelEvery === 0) axes += text(px, box.y + box.h + 16, xa.labels[i] ?? '', { 'text-anchor': 'middle', 'font-size': 11 });
  });
  axes += text(box.x + box.w / 2, box.y + box.h + 38, xa.label, { 'text-anchor': 'middle' });
  axes += el('line', { x1: sx(0), x2: sx(0), y1: box.y, y2: box.y + box.h, stroke: INK });

  let marks = '';
  const cell = 2 * DOT_R + 0.4;
  const maxStack = Math.max(1, Math.floor((band * 0.8) / 2 / cell));
  order.forEach((j, k) => {
    const cy = box.y + band * k + band / 2;
    marks += text(left - 8, cy + 4, shownNames[k] ?? '', { 'text-anchor': 'end', 'font-size': 12 });
    const scale = values ? colourScale(picked.map((i) => values[i]?.[j] as number)) : undefined;
    // Dots sorted by position and stacked up and down from the line within pixel bins: a
    // deterministic swarm, no random jitter.
    const dots = picked.map((i) => ({ i, x: sx(rows[i]?.[j] as number) })).sort((a, b) => a.x - b.x || a.i - b.i);
    const inBin = new Map<number, number>();
    for (const d of dots) {
      const bin = Math.round(d.x / cell);
      const c = inBin.get(bin) ?? 0;
      inBin.set(bin, c + 1);
      const level = Math.min(maxStack, Math.ceil(c / 2));
      const dy = (c % 2 === 1 ? -1 : 1) * level * cell;
      const v = values?.[d.i]?.[j];
      const fill = scale === undefined || v === undefined ? (CATEGORICAL[0] as string) : Number.isNaN(v) ? MUTED : diverging(2 * scale(v) - 1);
      const phi = rows[d.i]?.[j] as number;
      marks += el('circle', { class: 'crm-point', cx: d.x, cy: cy + dy, r: DOT_R, fill }, tip(`row ${d.i}: ${names[j]}${v === undefined ? '' : ` = ${Number.isNaN(v) ? 'missing' : formatValue(v)}`}, contribution ${formatValue(phi)}`));
    }
  });
  if (values) marks += colorBar(box.x + box.w + 16, box.y + 10, Math.min(160, box.h - 20), 0, 1, (t) => diverging(2 * t - 1), 'feature value');
  const thinned = stride > 1 ? ` (every ${stride}th of ${n} rows drawn)` : '';
  const summary = `Contribution of each of the ${order.length} leading of ${p} features for ${picked.length} rows${thinned}, led by ${lead}.`;
  return createChart(r, summary, `<g class="crm-axes">${axes}</g><g class="crm-marks">${marks}</g>`);
}

function featureValues(given: readonly ArrayLike<number>[], n: number, p: number): (readonly number[])[] {
  if (!Array.isArray(given) || given.length !== n) throw new CrmError('invalid_input', `values must have ${n} rows, one per row of contributions`, ['values']);
  return given.map((row: ArrayLike<number>, i: number) => {
    if (row === null || typeof row !== 'object' || row.length !== p) throw new CrmError('invalid_input', `values[${i}] must hold ${p} numbers`, ['values', i]);
    const out: number[] = [];
    for (let j = 0; j < p; j++) {
      const v = row[j];
      if (typeof v !== 'number' || v === Infinity || v === -Infinity) throw new CrmError('invalid_input', `values[${i}][${j}] is ${String(v)}; it must be a number (NaN for missing)`, ['values', i, j]);
      out.push(v);
    }
    return out;
  });
}

/** Maps a value to [0, 1] between the 5th and 95th percentiles of the feature's observed values (as shap does). */
function colourScale(vs: readonly number[]): (v: number) => number {
  const sorted = vs.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return () => 0.5;
  const q = (f: number): number => sorted[Math.min(sorted.length - 1, Math.floor(f * (sorted.length - 1)))] as number;
  let lo = q(0.05);
  let hi = q(0.95);
  if (!(hi > lo)) {
    lo = sorted[0] as number;
    hi = sorted[sorted.length - 1] as number;
  }
  if (!(hi > lo)) return () => 0.5;
  return (v) => Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
}
