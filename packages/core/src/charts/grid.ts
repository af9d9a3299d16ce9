import { CrmError } from '../errors.ts';
import { fit } from './axes.ts';
import { createChart, TITLE_BAND, type Chart, type Resolved } from './chart.ts';
import { formatValue } from './format.ts';
import { colorBar, colorBarWidth } from './legend.ts';
import { diverging, inkOn, sequential } from './palette.ts';
import { extent } from './scale.ts';
import { el, escapeXml, fitChars, num, text, textWidth, tip, truncate } from './svg.ts';

/** Everything a heatmap needs (rows top to bottom unless `rowsBottomUp`). */
export interface GridSpec {
  readonly values: readonly (readonly number[])[];
  /** Values that set the colour, when not `values` themselves (z-scores of profiles). */
  readonly colorValues?: readonly (readonly number[])[] | undefined;
  readonly rowLabels: readonly string[];
  readonly colLabels: readonly string[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly scheme: 'sequential' | 'diverging';
  readonly colorDomain?: readonly [number, number] | undefined;
  readonly legendLabel: string;
  readonly annotate: boolean | 'auto';
  readonly format?: ((v: number) => string) | undefined;
  readonly rowsBottomUp?: boolean | undefined;
  /** Hexagonal cells, odd rows shifted right by half a cell (a hexagonal SOM grid). */
  readonly hexagonal?: boolean | undefined;
  /** Cells without a value (censored): drawn blank with a slash, never coloured as a value. */
  readonly missing?: ((row: number, col: number) => boolean) | undefined;
  /** Cells to outline with a dashed border (partly observed). */
  readonly flagged?: ((row: number, col: number) => boolean) | undefined;
  readonly tooltip: (row: number, col: number) => string;
  readonly summary: string;
}

/** Colour of the outline and slash of a cell without a value. */
const MISSING_INK = '#b0b0b0';
/** Colour of the dashed outline of a flagged cell. */
const INK_FLAG = '#333333';

const LABEL_FONT = 11;
const MIN_LABEL_PX = 80;
const MAX_COL_LABEL_CHARS = 28;
/** Length in pixels of a vertical column label before it is shortened. */
const MAX_ROTATED_LABEL = 120;
/** Column labels wrap onto at most this many lines before they turn vertical. */
const MAX_WRAP_LINES = 3;
/** Fewer visible column labels than this and they wrap or turn vertical instead of being thinned out. */
const MIN_VISIBLE_COL_LABELS = 4;

/** `label` split at spaces into lines at most `width` px wide; undefined when a word alone is wider. */
function wrap(label: string, width: number, fontSize: number): string[] | undefined {
  const lines: string[] = [];
  for (const word of label.split(/\s+/).filter(Boolean)) {
    if (textWidth(word, fontSize) > width) return undefined;
    const last = lines[lines.length - 1];
    if (last !== undefined && textWidth(`${last} ${word}`, fontSize) <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.length > 0 ? lines : [''];
}

/**
 * A pointy-top hexagon centred at (cx, cy) filling a cell of w × h: its flat sides span the middle
 * two thirds of the height, and its tips reach into the rows above and below, where they interlock.
 */
function hexagon(cx: number, cy: number, w: number, h: number): string {
  const hw = w / 2;
  const tip = (h * 2) / 3;
  const side = h / 3;
  return [
    [cx, cy - tip],
    [cx + hw, cy - side],
    [cx + hw, cy + side],
    [cx, cy + tip],
    [cx - hw, cy + side],
    [cx - hw, cy - side],
  ]
    .map(([x, y]) => `${num(x ?? 0)},${num(y ?? 0)}`)
    .join(' ');
}

/** Every `step`-th label index so that labels `space` px apart never overlap. */
function labelStep(_count: number, space: number, need: number): number {
  return Math.max(1, Math.ceil(need / Math.max(space, 1e-9)));
}

/** A heatmap with row and column labels, optional cell annotations and a colour bar. */
export function gridChart(r: Resolved, spec: GridSpec): Chart {
  const rows = spec.values.length;
  const cols = spec.values[0]?.length ?? 0;
  const fmt = spec.format ?? formatValue;
  const colorValues = spec.colorValues ?? spec.values;
  let [lo, hi] = spec.colorDomain ?? extent(colorValues);
  if (spec.scheme === 'diverging') {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    [lo, hi] = [-m, m];
  }
  const color = spec.scheme === 'diverging' ? (v: number) => diverging(v / hi) : (v: number) => sequential(hi === lo ? 0.5 : (v - lo) / (hi - lo));
  const barColor = spec.scheme === 'diverging' ? (t: number) => diverging(2 * t - 1) : sequential;

  // Row labels may take up to 40% of the width before they are shortened.
  const rowRoom = Math.max(MIN_LABEL_PX, 0.4 * r.width);
  const rowLabels = spec.rowLabels.map((l) => truncate(l, fitChars(l, LABEL_FONT, rowRoom)));
  const colLabels = spec.colLabels.map((l) => truncate(l, MAX_COL_LABEL_CHARS));
  const rowLabelW = Math.max(...rowLabels.map((l) => textWidth(l, LABEL_FONT)), 8);
  const colLabelW = Math.max(...colLabels.map((l) => textWidth(l, LABEL_FONT)), 8);
  const left = 12 + (spec.yLabel ? 22 : 0) + rowLabelW + 8;
  const right = colorBarWidth(lo, hi, spec.legendLabel) + 24;
  const top = TITLE_BAND + 10;
  const plotW = r.width - left - right;
  // On a hexagonal grid odd rows are shifted by half a cell, so the grid is half a cell wider.
  const cw = plotW / (Math.max(1, cols) + (spec.hexagonal && rows > 1 ? 0.5 : 0));
  // Column labels that do not fit side by side are thinned out (every 2nd, 5th, …) while enough
  // remain to read the axis; otherwise they turn vertical.
  const thinStep = labelStep(cols, cw, colLabelW + 8);
  const crowded = thinStep > 1 && Math.ceil(cols / thinStep) < MIN_VISIBLE_COL_LABELS;
  // A few long labels read best wrapped onto up to three lines under their column; only when a
  // word does not fit the column do they turn vertical.
  const wrapped = crowded ? colLabels.map((l) => wrap(l, cw - 6, LABEL_FONT)) : undefined;
  const wrap3 = wrapped !== undefined && wrapped.every((lines) => lines !== undefined && lines.length <= MAX_WRAP_LINES);
  const rotate = crowded && !wrap3;
  const lineCount = wrap3 ? Math.max(...(wrapped ?? []).map((lines) => lines?.length ?? 1)) : 1;
  const colBand = rotate ? Math.min(colLabelW, MAX_ROTATED_LABEL) + 12 : 6 + 14 * lineCount;
  const bottom = colBand + (spec.xLabel ? 24 : 4);
  const plotH = r.height - top - bottom;
  if (plotW < 40 || plotH < 40) {
    throw new CrmError('invalid_argument', `chart of ${r.width}×${r.height} px is too small for ${rows}×${cols} cells and their labels; make it larger`, ['options']);
  }
  const ch = plotH / Math.max(1, rows);
  const rowStep = labelStep(rows, ch, 13);
  const colStep = rotate ? labelStep(cols, cw, 13) : thinStep;
  const annotate = spec.annotate === 'auto' ? ch >= 15 && cw >= Math.max(...spec.values.flat().map((v) => textWidth(fmt(v), 11))) + 6 : spec.annotate;

  let cells = '';
  for (let i = 0; i < rows; i++) {
    const y = top + (spec.rowsBottomUp ? rows - 1 - i : i) * ch;
    for (let j = 0; j < cols; j++) {
      const x = left + j * cw;
      const v = spec.values[i]?.[j] ?? 0;
      const fill = color(colorValues[i]?.[j] ?? 0);
      const shift = spec.hexagonal && i % 2 === 1 ? cw / 2 : 0;
      const cx = x + shift + cw / 2;
      const cy = y + ch / 2;
      if (spec.missing?.(i, j) === true) {
        cells += el('rect', { class: 'crm-cell crm-missing', x: x + 0.5, y: y + 0.5, width: cw - 1, height: ch - 1, fill: '#ffffff', stroke: MISSING_INK, 'stroke-width': 0.75 }, tip(spec.tooltip(i, j)));
        cells += el('line', { class: 'crm-missing', x1: x + 0.5, y1: y + ch - 0.5, x2: x + cw - 0.5, y2: y + 0.5, stroke: MISSING_INK, 'stroke-width': 0.75, 'pointer-events': 'none' });
        continue;
      }
      cells += spec.hexagonal
        ? el('polygon', { class: 'crm-cell', points: hexagon(cx, cy, cw, ch), fill, stroke: '#ffffff', 'stroke-width': 0.5 }, tip(spec.tooltip(i, j)))
        : el('rect', { class: 'crm-cell', x, y, width: cw + 0.4, height: ch + 0.4, fill }, tip(spec.tooltip(i, j)));
      if (spec.flagged?.(i, j) === true) {
        cells += el('rect', { class: 'crm-flagged', x: x + 1, y: y + 1, width: cw - 2, height: ch - 2, fill: 'none', stroke: INK_FLAG, 'stroke-width': 1.25, 'stroke-dasharray': '3 2', 'pointer-events': 'none' });
      }
      if (annotate) {
        cells += text(cx, cy + 4, fmt(v), { 'text-anchor': 'middle', 'font-size': 11, fill: inkOn(fill), 'pointer-events': 'none' });
      }
    }
  }
  let labels = '';
  for (let i = 0; i < rows; i += rowStep) {
    const y = top + (spec.rowsBottomUp ? rows - 1 - i : i) * ch + ch / 2 + 4;
    labels += text(left - 6, y, rowLabels[i] ?? '', { 'text-anchor': 'end', 'font-size': LABEL_FONT });
  }
  for (let j = 0; j < cols; j += colStep) {
    const x = left + j * cw + cw / 2;
    const y = top + plotH + 14;
    const lines = wrap3 ? wrapped?.[j] : undefined;
    labels += lines
      ? el('text', { x, y, 'text-anchor': 'middle', 'font-size': LABEL_FONT }, lines.map((line, k) => el('tspan', { x, dy: k === 0 ? 0 : 14 }, escapeXml(line))).join(''))
      : rotate
      ? text(x + 4, y - 6, truncate(colLabels[j] ?? '', fitChars(colLabels[j] ?? '', LABEL_FONT, MAX_ROTATED_LABEL)), { 'text-anchor': 'end', 'font-size': LABEL_FONT, transform: `rotate(-90 ${Math.round(x + 4)} ${Math.round(y - 6)})` })
      : text(x, y, colLabels[j] ?? '', { 'text-anchor': 'middle', 'font-size': LABEL_FONT });
  }
  if (spec.xLabel) labels += text(left + plotW / 2, top + plotH + colBand + 16, fit(spec.xLabel, 12, plotW + left - 10), { 'text-anchor': 'middle', 'font-size': 12 });
  if (spec.yLabel) {
    const cx = 20;
    const cy = top + plotH / 2;
    labels += text(cx, cy, fit(spec.yLabel, 12, plotH + 30), { 'text-anchor': 'middle', 'font-size': 12, transform: `rotate(-90 ${cx} ${Math.round(cy)})` });
  }
  const bar = colorBar(left + plotW + 16, top, Math.min(plotH, 220), lo, hi, barColor, spec.legendLabel);
  return createChart(r, spec.summary, `<g class="crm-cells">${cells}</g><g class="crm-labels">${labels}</g>${bar}`);
}
