import { CrmError } from '../errors.ts';
import { readChartOptions, createChart, resolveOptions, TITLE_BAND, type Chart, type ChartOptions } from './chart.ts';
import { formatValue } from './format.ts';
import { INK, MUTED, inkOn, sequential } from './palette.ts';
import { el, fitChars, num, text, tip, truncate } from './svg.ts';

/**
 * A binary decision tree as parallel arrays over its nodes (the `tree` of a @crm DecisionTree's
 * JSON has this shape): node 0 is the root, a row whose feature value is ≤ the threshold goes left
 * (`<` when `strict`), leaves have feature −1 and children −1.
 *
 * @example
 * ```ts
 * import type { TreeChartData } from '@crm/core/charts';
 * const data: TreeChartData = {
 *   feature: [0, -1, -1], threshold: [12.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1],
 *   value: [0.27, 0.48, 0.1], count: [1000, 400, 600], featureNames: ['tenure'],
 * };
 * ```
 */
export interface TreeChartData {
  /** Feature tested at each node; −1 at a leaf. */
  readonly feature: readonly number[];
  /** Split threshold at each node (ignored at leaves). */
  readonly threshold: readonly number[];
  /** Left child (the "yes" branch); −1 at a leaf. */
  readonly left: readonly number[];
  /** Right child (the "no" branch); −1 at a leaf. */
  readonly right: readonly number[];
  /** Value at each node: a probability of class 1, or any score (a margin); leaves are coloured by it. */
  readonly value: readonly number[];
  /** Rows (or weight) reaching each node, shown as `n = …` when given. */
  readonly count?: readonly number[] | undefined;
  /** Names of the features (default `x0`, `x1`, …). */
  readonly featureNames?: readonly string[] | undefined;
  /** True when a value strictly below the threshold goes left (XGBoost); default false (≤, scikit-learn and @crm). */
  readonly strict?: boolean | undefined;
}

/**
 * Options of {@link treeChart}.
 *
 * @example
 * ```ts
 * import type { TreeChartOptions } from '@crm/core/charts';
 * const options: TreeChartOptions = { maxDepth: 3, valueLabel: 'P(churn)' };
 * ```
 */
export interface TreeChartOptions extends ChartOptions {
  /** Deepest level drawn, the root being 0 (default 4); deeper subtrees are drawn as one "…" box. */
  readonly maxDepth?: number | undefined;
  /** Name of the node value (default "P(class 1)"). */
  readonly valueLabel?: string | undefined;
}

const DEFAULT_MAX_DEPTH = 4;
/** Most leaves drawn side by side; a wider tree asks for a smaller maxDepth. */
const MAX_DRAWN_LEAVES = 64;
const BOX_H = 38;

interface Checked {
  readonly n: number;
  readonly depth: Int32Array;
  readonly names: (f: number) => string;
}

function checkTree(d: TreeChartData): Checked {
  const arrays = ['feature', 'threshold', 'left', 'right', 'value'] as const;
  for (const key of arrays) {
    if (!Array.isArray(d?.[key]) || d[key].length === 0) throw new CrmError('invalid_input', `${key} must be a non-empty array`, [key]);
  }
  const n = d.feature.length;
  for (const key of [...arrays, 'count'] as const) {
    const a = d[key];
    if (a === undefined) continue;
    if (!Array.isArray(a) || a.length !== n) throw new CrmError('invalid_input', `${key} must hold ${n} values, one per node`, [key]);
    for (let i = 0; i < n; i++) {
      if (typeof a[i] !== 'number' || !Number.isFinite(a[i])) throw new CrmError('invalid_input', `${key}[${i}] is ${String(a[i])}: expected a finite number`, [key, i]);
    }
  }
  const names = d.featureNames;
  if (names !== undefined && (!Array.isArray(names) || names.some((s) => typeof s !== 'string'))) {
    throw new CrmError('invalid_input', 'featureNames must be an array of strings', ['featureNames']);
  }
  const depth = new Int32Array(n).fill(-1);
  depth[0] = 0;
  const stack = [0];
  while (stack.length > 0) {
    const i = stack.pop() as number;
    const f = d.feature[i] as number;
    if (f < 0) continue;
    if (!Number.isInteger(f) || (names !== undefined && f >= names.length)) {
      throw new CrmError('invalid_input', `feature[${i}] is ${f}: expected a feature index${names ? ` below ${names.length}` : ''}`, ['feature', i]);
    }
    for (const side of ['left', 'right'] as const) {
      const c = d[side][i] as number;
      if (!Number.isInteger(c) || c < 1 || c >= n || depth[c] !== -1) {
        throw new CrmError('invalid_input', `${side}[${i}] is ${c}: every child must be a node index reached once from the root`, [side, i]);
      }
      depth[c] = (depth[i] as number) + 1;
      stack.push(c);
    }
  }
  return { n, depth, names: (f) => (names ? (names[f] as string) : `x${f}`) };
}

/**
 * A decision tree drawn top down: each split as a box with its rule (`tenure ≤ 12.5`), the
 * "yes" branch to the left, each leaf as a box coloured by its value (light = low, dark = high)
 * with the value and, when counts are given, the rows reaching it. Subtrees below `maxDepth`
 * are folded into one "…" box showing their share of rows.
 *
 * @throws {CrmError} `invalid_input` when the arrays are not one tree; `invalid_argument` for bad
 * options or a tree too wide for the chart.
 * @example
 * ```ts
 * import { treeChart } from '@crm/core/charts';
 * const chart = treeChart(
 *   { feature: [0, -1, 1, -1, -1], threshold: [12.5, 0, 70, 0, 0], left: [1, -1, 3, -1, -1], right: [2, -1, 4, -1, -1],
 *     value: [0.27, 0.48, 0.17, 0.1, 0.3], count: [1000, 300, 700, 500, 200], featureNames: ['tenure', 'monthly charges'] },
 *   { valueLabel: 'P(churn)' },
 * );
 * String(chart).startsWith('<svg'); // true
 * ```
 */
export function treeChart(data: TreeChartData, options?: TreeChartOptions): Chart {
  const o = readChartOptions(options, 'treeChart', ['maxDepth', 'valueLabel']);
  const maxDepth = o.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (typeof maxDepth !== 'number' || !Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > 12) {
    throw new CrmError('invalid_argument', `options.maxDepth must be a whole number from 0 to 12, got ${String(maxDepth)}`, ['options', 'maxDepth']);
  }
  if (o.valueLabel !== undefined && typeof o.valueLabel !== 'string') throw new CrmError('invalid_argument', 'options.valueLabel must be a string', ['options', 'valueLabel']);
  const valueLabel = o.valueLabel ?? 'P(class 1)';
  const { depth, names } = checkTree(data);
  const { feature, threshold, left, right, value, count } = data;
  const isSplit = (i: number): boolean => (feature[i] as number) >= 0;
  const drawnAsLeaf = (i: number): boolean => !isSplit(i) || (depth[i] as number) >= maxDepth;

  // Leaves of the drawn tree, left to right, give the horizontal slots; a split sits above the middle of its slots.
  const slot = new Map<number, number>();
  const order: number[] = [];
  let leaves = 0;
  let deepest = 0;
  const stack = [0];
  while (stack.length > 0) {
    const i = stack.pop() as number;
    order.push(i);
    deepest = Math.max(deepest, depth[i] as number);
    if (drawnAsLeaf(i)) slot.set(i, leaves++);
    else stack.push(right[i] as number, left[i] as number);
  }
  if (leaves > MAX_DRAWN_LEAVES) {
    throw new CrmError('invalid_argument', `the tree has ${leaves} leaves down to depth ${maxDepth}, more than ${MAX_DRAWN_LEAVES} can be drawn; lower options.maxDepth`, ['options', 'maxDepth']);
  }
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k] as number;
    if (!slot.has(i)) slot.set(i, ((slot.get(left[i] as number) as number) + (slot.get(right[i] as number) as number)) / 2);
  }

  const r = resolveOptions(o, Math.max(560, leaves * 96 + 40), Math.max(300, TITLE_BAND + 40 + (deepest + 1) * 86), 'Decision tree');
  const top = TITLE_BAND + 18;
  const levelH = (r.height - top - 30 - BOX_H) / Math.max(1, deepest);
  const colW = (r.width - 20) / leaves;
  const boxW = Math.min(150, colW - 6);
  if (boxW < 40) throw new CrmError('invalid_argument', `chart of ${r.width} px is too narrow for ${leaves} leaves; make it wider or lower options.maxDepth`, ['options', 'width']);
  const cx = (i: number): number => 10 + colW * ((slot.get(i) as number) + 0.5);
  const cy = (i: number): number => top + (depth[i] as number) * levelH;

  let lo = Infinity;
  let hi = -Infinity;
  for (const v of value) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  // Probabilities keep their absolute colours; other scores are spread over their own range.
  const probability = lo >= 0 && hi <= 1;
  const shade = (v: number): number => (probability ? v : hi > lo ? (v - lo) / (hi - lo) : 0.5);
  const rootCount = count?.[0];
  const le = data.strict === true ? '<' : '≤';

  let edges = '';
  let boxes = '';
  const fit = (s: string, size: number): string => truncate(s, fitChars(s, size, boxW - 8));
  for (const i of order) {
    const x = cx(i);
    const y = cy(i);
    const v = value[i] as number;
    const n = count?.[i];
    const share = n !== undefined && rootCount !== undefined && rootCount > 0 ? ` (${formatValue(Math.round((1000 * n) / rootCount) / 10)}%)` : '';
    const lines: string[] = [];
    let fill = '#f4f4f4';
    if (!drawnAsLeaf(i)) {
      lines.push(`${names(feature[i] as number)} ${le} ${formatValue(threshold[i] as number)}`);
      lines.push(`${valueLabel} ${formatValue(v)}`);
      for (const [c, label] of [[left[i] as number, 'yes'], [right[i] as number, 'no']] as const) {
        edges += el('path', { class: 'crm-edge', d: `M${num(x)},${num(y + BOX_H)}L${num(cx(c))},${num(cy(c))}`, fill: 'none', stroke: MUTED, 'stroke-width': 1.3 });
        const mx = (x + cx(c)) / 2;
        const my = (y + BOX_H + cy(c)) / 2;
        edges += text(mx + (label === 'yes' ? -4 : 4), my, label, { 'text-anchor': label === 'yes' ? 'end' : 'start', 'font-size': 10, fill: MUTED });
      }
    } else {
      fill = sequential(shade(v));
      lines.push(isSplit(i) ? `… ${valueLabel} ${formatValue(v)}` : `${valueLabel} ${formatValue(v)}`);
      if (n !== undefined) lines.push(`n = ${formatValue(n)}${share}`);
    }
    const ink = inkOn(fill);
    const label = lines.map((l, k) => text(x, y + 15 + 14 * k, fit(l, 11), { 'text-anchor': 'middle', 'font-size': 11, fill: ink })).join('');
    const detail = `${lines.join(', ')}${n !== undefined && isSplit(i) ? `, n = ${formatValue(n)}` : ''}`;
    boxes += el(
      'g',
      { class: drawnAsLeaf(i) ? 'crm-leaf' : 'crm-split' },
      el('rect', { x: x - boxW / 2, y, width: boxW, height: BOX_H, rx: 4, fill, stroke: INK, 'stroke-width': 0.8 }, tip(detail)) + label,
    );
  }
  const summary = `Decision tree of ${data.feature.length} nodes drawn to depth ${deepest}, ${leaves} boxes at the bottom; leaves coloured by ${valueLabel}.`;
  return createChart(r, summary, `<g class="crm-marks">${edges}${boxes}</g>`);
}
