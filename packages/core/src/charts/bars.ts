import { CrmError } from '../errors.ts';
import { axis, scales, xLabelStep, type Box } from './axes.ts';
import { createChart, TITLE_BAND, type Chart, type Resolved } from './chart.ts';
import { GRID, INK } from './palette.ts';
import { el, fitChars, text, textWidth, tip, truncate } from './svg.ts';

/** Everything a horizontal bar chart needs. */
export interface BarSpec {
  readonly labels: readonly string[];
  readonly values: readonly number[];
  /** Half-widths of error whiskers (a standard deviation), one per bar. */
  readonly errors?: readonly number[] | undefined;
  readonly valueText: (i: number) => string;
  readonly tooltip: (i: number) => string;
  readonly xLabel: string;
  readonly color: string;
  readonly summary: string;
}

const MIN_LABEL_PX = 80;
const BOTTOM = 50;

/** Horizontal bars, one per label, top to bottom in the given order, with value labels. */
export function barChart(r: Resolved, spec: BarSpec): Chart {
  const n = spec.values.length;
  // Labels may take up to 40% of the width before they are shortened.
  const room = Math.max(MIN_LABEL_PX, 0.4 * r.width);
  const labels = spec.labels.map((l) => truncate(l, fitChars(l, 12, room)));
  const left = 14 + Math.max(...labels.map((l) => textWidth(l, 12)), 10);
  const right = 14 + Math.max(...spec.values.map((_, i) => textWidth(spec.valueText(i), 11)));
  const lows = spec.values.map((v, i) => v - (spec.errors?.[i] ?? 0));
  const highs = spec.values.map((v, i) => v + (spec.errors?.[i] ?? 0));
  const xa = axis(Math.min(0, ...lows), Math.max(0, ...highs), spec.xLabel, Math.max(2, Math.round(r.width / 110)));
  const box: Box = { x: left, y: TITLE_BAND + 10, w: r.width - left - right, h: r.height - TITLE_BAND - 10 - BOTTOM };
  if (box.w < 40 || box.h < n * 4) {
    throw new CrmError('invalid_argument', `chart of ${r.width}×${r.height} px is too small for ${n} bars; make it larger`, ['options']);
  }
  const { sx } = scales(box, xa, { domain: [0, 1], ticks: [], labels: [], label: '' });
  const band = box.h / n;
  const barH = Math.min(26, band * 0.72);
  let out = '';
  const labelEvery = xLabelStep(xa, sx);
  xa.ticks.forEach((t, i) => {
    const px = sx(t);
    out += el('line', { x1: px, x2: px, y1: box.y, y2: box.y + box.h, stroke: GRID });
    if (i % labelEvery === 0) out += text(px, box.y + box.h + 16, xa.labels[i] ?? '', { 'text-anchor': 'middle', 'font-size': 11 });
  });
  if (spec.xLabel) out += text(box.x + box.w / 2, box.y + box.h + 38, spec.xLabel, { 'text-anchor': 'middle' });
  const zero = sx(0);
  let bars = '';
  spec.values.forEach((v, i) => {
    const cy = box.y + band * i + band / 2;
    const x0 = Math.min(zero, sx(v));
    bars += el('rect', { class: 'crm-bar', x: x0, y: cy - barH / 2, width: Math.max(0.5, Math.abs(sx(v) - zero)), height: barH, fill: spec.color }, tip(spec.tooltip(i)));
    const e = spec.errors?.[i];
    let end = Math.max(zero, sx(v));
    if (e !== undefined && e > 0) {
      const a = sx(v - e);
      const b = sx(v + e);
      bars += el('path', { class: 'crm-error', d: `M${a.toFixed(1)},${cy.toFixed(1)}H${b.toFixed(1)}M${a.toFixed(1)},${(cy - 5).toFixed(1)}V${(cy + 5).toFixed(1)}M${b.toFixed(1)},${(cy - 5).toFixed(1)}V${(cy + 5).toFixed(1)}`, stroke: INK, 'stroke-width': 1.2 });
      end = Math.max(end, b);
    }
    bars += text(left - 8, cy + 4, labels[i] ?? '', { 'text-anchor': 'end', 'font-size': 12 });
    bars += text(end + 5, cy + 4, spec.valueText(i), { 'font-size': 11 });
  });
  out += el('line', { x1: zero, x2: zero, y1: box.y, y2: box.y + box.h, stroke: INK });
  return createChart(r, spec.summary, `<g class="crm-axes">${out}</g><g class="crm-marks">${bars}</g>`);
}
