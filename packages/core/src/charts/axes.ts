import { formatTick } from './format.ts';
import { GRID, INK } from './palette.ts';
import { linear, niceDomain, tickStep, ticks } from './scale.ts';
import { el, fitChars, num, text, textWidth, truncate } from './svg.ts';

/** The plot area inside a chart, in pixels. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** One linear axis: its domain, ticks, tick labels and the map to pixels. */
export interface Axis {
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  readonly labels: readonly string[];
  readonly label: string;
}

/** A linear axis over [lo, hi]; `nice` widens the domain to round ticks, `integer` keeps ticks whole. */
export function axis(lo: number, hi: number, label: string, count: number, nice = true, integer = false): Axis {
  const domain: [number, number] = nice ? niceDomain(lo, hi, count) : lo === hi ? [lo - 1, hi + 1] : [lo, hi];
  let step = tickStep(domain[0], domain[1], count);
  if (integer) step = Math.max(1, Math.round(step));
  const t = integer ? ticks(domain[0], domain[1], (domain[1] - domain[0]) / step) : ticks(domain[0], domain[1], count);
  return { domain, ticks: t, labels: t.map((v) => formatTick(v, step)), label };
}

/** Space the y axis needs on the left: tick labels plus the rotated axis label. */
export function yAxisWidth(y: Axis): number {
  return Math.max(...y.labels.map((l) => textWidth(l, 11)), 10) + 10 + (y.label ? 22 : 0);
}

/** Pixel maps of two axes in a box. */
export function scales(box: Box, x: Axis, y: Axis): { sx: (v: number) => number; sy: (v: number) => number } {
  return {
    sx: linear(x.domain[0], x.domain[1], box.x, box.x + box.w),
    sy: linear(y.domain[0], y.domain[1], box.y + box.h, box.y),
  };
}

/** `label` shortened with an ellipsis to fit `width` pixels. */
export function fit(label: string, fontSize: number, width: number): string {
  return truncate(label, fitChars(label, fontSize, width));
}

/** Every how many ticks an x-axis label is drawn so that neighbouring labels keep 8 px apart. */
export function xLabelStep(axisDef: Axis, sx: (v: number) => number): number {
  const [a, b] = axisDef.ticks;
  if (a === undefined || b === undefined) return 1;
  const spacing = Math.abs(sx(b) - sx(a));
  const widest = Math.max(...axisDef.labels.map((l) => textWidth(l, 11)));
  return Math.max(1, Math.ceil((widest + 8) / Math.max(spacing, 1e-9)));
}

/** Grid lines, axis lines, tick labels and axis labels of an x/y plot. */
export function drawAxes(box: Box, x: Axis, y: Axis): string {
  const { sx, sy } = scales(box, x, y);
  let out = '';
  const step = xLabelStep(x, sx);
  x.ticks.forEach((t, i) => {
    const px = sx(t);
    out += el('line', { x1: px, x2: px, y1: box.y, y2: box.y + box.h, stroke: GRID });
    if (i % step === 0) out += text(px, box.y + box.h + 16, x.labels[i] ?? '', { 'text-anchor': 'middle', 'font-size': 11 });
  });
  y.ticks.forEach((t, i) => {
    const py = sy(t);
    out += el('line', { x1: box.x, x2: box.x + box.w, y1: py, y2: py, stroke: GRID });
    out += text(box.x - 6, py + 4, y.labels[i] ?? '', { 'text-anchor': 'end', 'font-size': 11 });
  });
  out += el('path', { d: `M${num(box.x)},${num(box.y)}V${num(box.y + box.h)}H${num(box.x + box.w)}`, fill: 'none', stroke: INK });
  if (x.label) out += text(box.x + box.w / 2, box.y + box.h + 38, fit(x.label, 12, box.w + 40), { 'text-anchor': 'middle', 'font-size': 12 });
  if (y.label) {
    const cx = box.x - yAxisWidth(y) + 12;
    const cy = box.y + box.h / 2;
    out += text(cx, cy, fit(y.label, 12, box.h + 30), { 'text-anchor': 'middle', 'font-size': 12, transform: `rotate(-90 ${Math.round(cx)} ${Math.round(cy)})` });
  }
  return `<g class="crm-axes">${out}</g>`;
}
