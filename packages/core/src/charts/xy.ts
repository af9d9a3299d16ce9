import { CrmError } from '../errors.ts';
import { axis, drawAxes, scales, yAxisWidth, type Box } from './axes.ts';
import { createChart, TITLE_BAND, type Chart, type Resolved } from './chart.ts';
import { formatValue } from './format.ts';
import { legend, type Corner, type LegendItem } from './legend.ts';
import { CATEGORICAL, DASHES, INK, MUTED } from './palette.ts';
import { extent } from './scale.ts';
import { el, escapeXml, num, text, tip } from './svg.ts';
import { list, numbers, sameLength } from './validate.ts';

/** One line of an x/y chart, checked. */
export interface XYSeries {
  readonly label: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
}

/** Everything an x/y line chart needs. */
export interface XYSpec {
  readonly series: readonly XYSeries[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xDomain?: readonly [number, number] | undefined;
  readonly yDomain?: readonly [number, number] | undefined;
  /** Includes this y value in the domain (0 for bars, 1 for lift). */
  readonly yInclude?: number | undefined;
  /** A grey dashed reference line (chance diagonal, lift 1, perfect calibration). */
  readonly reference?: { readonly label: string; readonly x: readonly number[]; readonly y: readonly number[] } | undefined;
  readonly markers: boolean;
  readonly integerX?: boolean | undefined;
  /** Vertical markers at these x (the chosen number of clusters, purchases), labelled at the first. */
  readonly highlightX?: { readonly x: number | readonly number[]; readonly label: string } | undefined;
  readonly legendAt: Corner;
  readonly summary: string;
}

/** Reads `{ label, [xKey], [yKey] }` series from user data (one object or a list). */
export function readSeries<K extends string, L extends string>(
  data: unknown,
  xKey: K,
  yKey: L,
  what: string,
): XYSeries[] {
  const items = list((Array.isArray(data) ? data : [data]) as readonly Record<string, unknown>[], [], what);
  return items.map((item, i) => {
    if (item === null || typeof item !== 'object') {
      throw new CrmError('invalid_input', `${what}[${i}] must be an object with ${xKey} and ${yKey} arrays`, [i]);
    }
    const x = numbers(item[xKey] as ArrayLike<number>, [i, xKey], `${what}[${i}].${xKey}`);
    const y = numbers(item[yKey] as ArrayLike<number>, [i, yKey], `${what}[${i}].${yKey}`);
    sameLength(x, y, [i], `${what}[${i}] ${xKey}/${yKey}`);
    const label = item['label'] === undefined ? (items.length === 1 ? '' : `series ${i + 1}`) : String(item['label']);
    return { label, x, y };
  });
}

const RIGHT = 24;
const BOTTOM = 52;
/** Points closer than this in pixels to the last drawn one are skipped (curves of thousands of thresholds). */
const MIN_STEP_PX = 0.75;

function linePath(xs: readonly number[], ys: readonly number[], sx: (v: number) => number, sy: (v: number) => number): string {
  let d = '';
  let lastX = NaN;
  let lastY = NaN;
  const n = xs.length;
  for (let i = 0; i < n; i++) {
    const px = sx(xs[i] ?? 0);
    const py = sy(ys[i] ?? 0);
    if (i > 0 && i < n - 1 && Math.abs(px - lastX) < MIN_STEP_PX && Math.abs(py - lastY) < MIN_STEP_PX) continue;
    d += `${d ? 'L' : 'M'}${num(px)},${num(py)}`;
    lastX = px;
    lastY = py;
  }
  return d;
}

/** A line chart of one or more series with axes, legend and an optional reference line. */
export function xyChart(r: Resolved, spec: XYSpec): Chart {
  const xs = spec.series.map((s) => s.x);
  const ys = spec.series.map((s) => s.y);
  if (spec.reference) {
    xs.push(spec.reference.x);
    ys.push(spec.reference.y);
  }
  const [x0, x1] = spec.xDomain ?? extent(xs);
  let [y0, y1] = spec.yDomain ?? extent(ys);
  if (spec.yInclude !== undefined) {
    y0 = Math.min(y0, spec.yInclude);
    y1 = Math.max(y1, spec.yInclude);
  }
  const fixedX = spec.xDomain !== undefined;
  const fixedY = spec.yDomain !== undefined;
  const xCount = Math.max(2, Math.round(r.width / 90));
  const yCount = Math.max(2, Math.round(r.height / 60));
  const xa = axis(x0, x1, spec.xLabel, xCount, !fixedX, spec.integerX);
  const ya = axis(y0, y1, spec.yLabel, yCount, !fixedY);
  const left = yAxisWidth(ya) + 12;
  const box: Box = { x: left, y: TITLE_BAND + 12, w: r.width - left - RIGHT, h: r.height - TITLE_BAND - 12 - BOTTOM };
  if (box.w < 40 || box.h < 40) {
    throw new CrmError('invalid_argument', `chart of ${r.width}×${r.height} px is too small for its axes; make it larger`, ['options']);
  }
  const { sx, sy } = scales(box, xa, ya);
  let body = drawAxes(box, xa, ya);
  const items: LegendItem[] = [];
  let marks = '';
  if (spec.reference) {
    marks += el('path', { class: 'crm-reference', d: linePath(spec.reference.x, spec.reference.y, sx, sy), fill: 'none', stroke: MUTED, 'stroke-width': 1.5, 'stroke-dasharray': '5 4' });
  }
  spec.series.forEach((s, i) => {
    const color = CATEGORICAL[i % CATEGORICAL.length] ?? INK;
    const dash = DASHES[i % DASHES.length];
    const line = el('path', { class: 'crm-line', d: linePath(s.x, s.y, sx, sy), fill: 'none', stroke: color, 'stroke-width': 2.25, 'stroke-dasharray': dash, 'stroke-linejoin': 'round' }, tip(s.label));
    let points = '';
    if (spec.markers) {
      s.x.forEach((xv, j) => {
        const yv = s.y[j] ?? 0;
        points += el('circle', { class: 'crm-point', cx: sx(xv), cy: sy(yv), r: 3.5, fill: color, stroke: '#ffffff', 'stroke-width': 1 }, tip(`${s.label ? `${s.label}: ` : ''}${formatValue(xv)}, ${formatValue(yv)}`));
      });
    }
    marks += `<g class="crm-series" data-label="${escapeXml(s.label)}">${line}${points}</g>`;
    if (s.label) items.push({ label: s.label, color, dash });
  });
  const h = spec.highlightX;
  if (h) {
    [h.x].flat().forEach((x, i) => {
      const px = sx(x);
      marks += el('line', { class: 'crm-highlight', x1: px, x2: px, y1: box.y, y2: box.y + box.h, stroke: '#D55E00', 'stroke-width': 1.5, 'stroke-dasharray': '3 3' });
      if (i === 0) marks += text(px + 4, box.y + 12, h.label, { 'font-size': 11, fill: '#D55E00' });
    });
  }
  body += `<g class="crm-marks">${marks}</g>`;
  if (spec.reference) items.push({ label: spec.reference.label, color: MUTED, dash: '5 4' });
  if (items.length > 1 || (items.length === 1 && spec.reference)) body += legend(items, box, spec.legendAt);
  return createChart(r, spec.summary, body);
}
