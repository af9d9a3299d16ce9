import { INK } from './palette.ts';
import { el, fitChars, text, textWidth, truncate } from './svg.ts';
import type { Box } from './axes.ts';
import { formatValue } from './format.ts';

/** One legend entry: a line sample (with dash), a dot, or a filled square. */
export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly dash?: string | undefined;
  readonly shape?: 'line' | 'dot' | 'square' | undefined;
}

/** Where a legend sits inside the plot area. */
export type Corner = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

const ROW = 18;
const MAX_LABEL_CHARS = 40;

/** A boxed legend in a corner of the plot area. */
export function legend(items: readonly LegendItem[], box: Box, corner: Corner): string {
  if (items.length === 0) return '';
  // A legend takes at most 60% of the plot's width; longer labels are shortened.
  const room = Math.max(40, box.w * 0.6 - 40);
  const labels = items.map((i) => {
    const short = truncate(i.label, MAX_LABEL_CHARS);
    return truncate(short, fitChars(short, 11, room));
  });
  const w = Math.max(...labels.map((l) => textWidth(l, 11))) + 40;
  const h = items.length * ROW + 8;
  const x = corner.endsWith('left') ? box.x + 8 : box.x + box.w - w - 8;
  const y = corner.startsWith('top') ? box.y + 8 : box.y + box.h - h - 8;
  let out = el('rect', { x, y, width: w, height: h, fill: '#ffffff', 'fill-opacity': 0.9, stroke: '#cccccc', rx: 3 });
  items.forEach((item, i) => {
    const cy = y + 4 + ROW * i + ROW / 2;
    const shape = item.shape ?? 'line';
    if (shape === 'line') {
      out += el('line', { x1: x + 8, x2: x + 28, y1: cy, y2: cy, stroke: item.color, 'stroke-width': 2.5, 'stroke-dasharray': item.dash });
    } else if (shape === 'dot') {
      out += el('circle', { cx: x + 18, cy, r: 4.5, fill: item.color });
    } else {
      out += el('rect', { x: x + 12, y: cy - 6, width: 12, height: 12, fill: item.color });
    }
    out += text(x + 34, cy + 4, labels[i] ?? '', { 'font-size': 11 });
  });
  return `<g class="crm-legend">${out}</g>`;
}

/** A vertical colour bar from `lo` to `hi` with its label, drawn at (x, y). */
export function colorBar(x: number, y: number, h: number, lo: number, hi: number, color: (t: number) => string, text0: string): string {
  let label = text0;
  const STEPS = 32;
  let out = '';
  for (let i = 0; i < STEPS; i++) {
    const t = (i + 0.5) / STEPS;
    out += el('rect', { x, y: y + h - ((i + 1) * h) / STEPS, width: 12, height: h / STEPS + 0.5, fill: color(t) });
  }
  out += el('rect', { x, y, width: 12, height: h, fill: 'none', stroke: '#999999' });
  out += text(x + 16, y + 10, formatValue(hi), { 'font-size': 11 });
  out += text(x + 16, y + h, formatValue(lo), { 'font-size': 11 });
  if (label) {
    // A rotated label longer than the bar would run off the chart: shorten it to the bar's height.
    label = truncate(label, Math.max(4, Math.floor(h / (11 * 0.6))));
    const cx = x + 16 + Math.max(textWidth(formatValue(hi), 11), textWidth(formatValue(lo), 11)) + 14;
    const cy = y + h / 2;
    out += text(cx, cy, label, { 'text-anchor': 'middle', 'font-size': 11, fill: INK, transform: `rotate(-90 ${Math.round(cx)} ${Math.round(cy)})` });
  }
  return `<g class="crm-colorbar">${out}</g>`;
}

/** Horizontal space a {@link colorBar} takes including its labels. */
export function colorBarWidth(lo: number, hi: number, label: string): number {
  return 16 + Math.max(textWidth(formatValue(hi), 11), textWidth(formatValue(lo), 11)) + (label ? 24 : 6);
}
