import { CrmError } from '../errors.ts';
import { axis, xLabelStep, type Box } from './axes.ts';
import { readChartOptions, createChart, resolveOptions, TITLE_BAND, type Chart, type ChartOptions } from './chart.ts';
import { formatValue } from './format.ts';
import { CATEGORICAL, GRID, INK } from './palette.ts';
import { linear } from './scale.ts';
import { el, num, text, textWidth, tip, truncate } from './svg.ts';
import { list } from './validate.ts';

/**
 * A hierarchical clustering as a linkage matrix (SciPy's format): merge `i` joins clusters
 * `merges[i][0]` and `merges[i][1]` at height `merges[i][2]` into a new cluster `n + i`, where the
 * `n = merges.length + 1` observations are clusters `0 … n − 1`.
 *
 * @example
 * ```ts
 * import type { DendrogramData } from '@crm/core/charts';
 * const data: DendrogramData = { merges: [[0, 1, 0.5], [2, 3, 1.2]], labels: ['A', 'B', 'C'] };
 * ```
 */
export interface DendrogramData {
  /** `n − 1` merges `[left, right, height]` (a fourth entry, the size, is ignored). */
  readonly merges: readonly (readonly number[])[];
  /** Names of the `n` observations (default their indices). */
  readonly labels?: readonly string[] | undefined;
}

/**
 * Options of {@link dendrogramChart}.
 *
 * @example
 * ```ts
 * import type { DendrogramOptions } from '@crm/core/charts';
 * const options: DendrogramOptions = { maxLeaves: 20, cutHeight: 1.5 };
 * ```
 */
export interface DendrogramOptions extends ChartOptions {
  /** Show only the last merges so that at most this many leaves remain (default 30); a collapsed leaf shows its size "(12)". */
  readonly maxLeaves?: number | undefined;
  /** Draw a cut at this height and colour the clusters below it. */
  readonly cutHeight?: number | undefined;
  /** Axis label of the merge height (default "Merge height"). */
  readonly heightLabel?: string | undefined;
}

const DEFAULT_MAX_LEAVES = 30;

interface Tree {
  readonly n: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly height: Float64Array;
  readonly size: Int32Array;
}

function readTree(merges: readonly (readonly number[])[]): Tree {
  const m = merges.length;
  const n = m + 1;
  const left = new Int32Array(m);
  const right = new Int32Array(m);
  const height = new Float64Array(m);
  const size = new Int32Array(n + m).fill(1, 0, n);
  const used = new Uint8Array(n + m);
  merges.forEach((row, i) => {
    const [a, b, h] = Array.isArray(row) ? row : [];
    for (const [v, k] of [[a, 0], [b, 1]] as const) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n + i || used[v]) {
        throw new CrmError('invalid_input', `merges[${i}][${k}] is ${String(v)}; merge ${i} may join observations 0…${n - 1} or earlier merges ${n}…${n + i - 1}, each once`, ['merges', i, k]);
      }
      used[v] = 1;
    }
    if (typeof h !== 'number' || !Number.isFinite(h) || h < 0) {
      throw new CrmError('invalid_input', `merges[${i}][2] (height) is ${String(h)}; it must be a non-negative number`, ['merges', i, 2]);
    }
    left[i] = a as number;
    right[i] = b as number;
    height[i] = h;
    size[n + i] = (size[a as number] ?? 0) + (size[b as number] ?? 0);
  });
  return { n, left, right, height, size };
}

/**
 * Dendrogram of a hierarchical (agglomerative) clustering, leaves on the left and merge height
 * growing to the right. Large trees are truncated to their last merges; a cut height colours the
 * clusters it makes.
 *
 * @throws {CrmError} `invalid_input` when the linkage is not a valid binary tree; `invalid_argument` for bad options.
 * @example
 * ```ts
 * import { dendrogramChart } from '@crm/core/charts';
 * const chart = dendrogramChart(
 *   { merges: [[0, 1, 0.4], [2, 3, 0.7], [4, 5, 2.5]], labels: ['Ann', 'Bo', 'Cy', 'Di'] },
 *   { cutHeight: 1 },
 * );
 * ```
 * @see Müllner (2011), "Modern hierarchical, agglomerative clustering algorithms", https://arxiv.org/abs/1109.2378
 */
export function dendrogramChart(data: DendrogramData, options?: DendrogramOptions): Chart {
  const o = readChartOptions(options, 'dendrogramChart', ['maxLeaves', 'cutHeight', 'heightLabel']);
  const merges = list(data?.merges, ['merges'], 'merges');
  const tree = readTree(merges);
  const { n, left: L, right: R, height: H, size } = tree;
  const names = data.labels;
  if (names !== undefined && (!Array.isArray(names) || names.length !== n)) {
    throw new CrmError('invalid_input', `labels must hold ${n} names (one per observation), got ${Array.isArray(names) ? names.length : String(names)}`, ['labels']);
  }
  const maxLeaves = o.maxLeaves ?? DEFAULT_MAX_LEAVES;
  if (!Number.isInteger(maxLeaves) || maxLeaves < 2) throw new CrmError('invalid_argument', `options.maxLeaves must be a whole number ≥ 2, got ${String(maxLeaves)}`, ['options', 'maxLeaves']);
  const cut = o.cutHeight;
  if (cut !== undefined && !(typeof cut === 'number' && Number.isFinite(cut) && cut >= 0)) {
    throw new CrmError('invalid_argument', `options.cutHeight must be a non-negative number, got ${String(cut)}`, ['options', 'cutHeight']);
  }
  const p = Math.min(maxLeaves, n);
  // Merges below this index are folded into leaves (SciPy's truncate_mode='lastp').
  const firstShown = n - p;
  const isLeaf = (id: number): boolean => id < n + firstShown;
  const h = (id: number): number => (id < n ? 0 : (H[id - n] ?? 0));

  const leaves: number[] = [];
  const stack = [2 * n - 2];
  while (stack.length) {
    const id = stack.pop() as number;
    if (isLeaf(id)) leaves.push(id);
    else stack.push(R[id - n] ?? 0, L[id - n] ?? 0);
  }
  const leafLabel = (id: number): string => (id < n ? truncate(names ? String(names[id]) : String(id), 28) : `(${size[id]})`);
  const labels = leaves.map(leafLabel);

  const r = resolveOptions(o, 600, Math.max(260, 110 + 18 * leaves.length), 'Dendrogram');
  const top = TITLE_BAND + 12;
  const labelW = Math.max(...labels.map((l) => textWidth(l, 11)), 10) + 12;
  const xa = axis(0, Math.max(h(2 * n - 2), cut ?? 0, 1e-9), o.heightLabel ?? 'Merge height', Math.max(2, Math.round(r.width / 110)));
  const box: Box = { x: labelW + 8, y: top, w: r.width - labelW - 8 - 28, h: r.height - top - 52 };
  if (box.w < 40 || box.h < leaves.length * 4) throw new CrmError('invalid_argument', `chart of ${r.width}×${r.height} px is too small for ${leaves.length} leaves; make it larger`, ['options']);
  const sx = linear(xa.domain[0], xa.domain[1], box.x, box.x + box.w);
  const band = box.h / leaves.length;
  const y = new Map<number, number>();
  leaves.forEach((id, i) => y.set(id, box.y + band * i + band / 2));

  // Clusters under the cut: every subtree whose root is at or below the cut and whose parent is above it.
  const colorOf = new Map<number, string>();
  let clusters = 0;
  const paint = (id: number, color: string | undefined): void => {
    let c = color;
    if (c === undefined && cut !== undefined && h(id) <= cut) c = CATEGORICAL[clusters++ % CATEGORICAL.length];
    if (c !== undefined) colorOf.set(id, c);
    if (!isLeaf(id)) {
      paint(L[id - n] ?? 0, c);
      paint(R[id - n] ?? 0, c);
    }
  };
  paint(2 * n - 2, undefined);

  let links = '';
  const yOf = (id: number): number => {
    const known = y.get(id);
    if (known !== undefined) return known;
    const v = (yOf(L[id - n] ?? 0) + yOf(R[id - n] ?? 0)) / 2;
    y.set(id, v);
    return v;
  };
  for (let i = firstShown; i < n - 1; i++) {
    const id = n + i;
    const x = sx(h(id));
    for (const child of [L[i] ?? 0, R[i] ?? 0]) {
      links += el('path', { class: 'crm-link', d: `M${num(sx(h(child)))},${num(yOf(child))}H${num(x)}`, fill: 'none', stroke: colorOf.get(child) ?? INK, 'stroke-width': 1.6 });
    }
    links += el('path', { class: 'crm-link', d: `M${num(x)},${num(yOf(L[i] ?? 0))}V${num(yOf(R[i] ?? 0))}`, fill: 'none', stroke: colorOf.get(id) ?? INK, 'stroke-width': 1.6 }, tip(`merge at ${formatValue(h(id))} of ${size[id]} observations`));
  }
  let axisText = '';
  const labelEvery = xLabelStep(xa, sx);
  xa.ticks.forEach((t, i) => {
    const px = sx(t);
    axisText += el('line', { x1: px, x2: px, y1: box.y, y2: box.y + box.h, stroke: GRID });
    if (i % labelEvery === 0) axisText += text(px, box.y + box.h + 16, xa.labels[i] ?? '', { 'text-anchor': 'middle', 'font-size': 11 });
  });
  axisText += el('line', { x1: box.x, x2: box.x + box.w, y1: box.y + box.h, y2: box.y + box.h, stroke: INK });
  axisText += text(box.x + box.w / 2, box.y + box.h + 38, xa.label, { 'text-anchor': 'middle' });
  let leafText = '';
  leaves.forEach((id, i) => {
    leafText += text(box.x - 6, (y.get(id) ?? 0) + 4, labels[i] ?? '', { class: 'crm-leaf', 'text-anchor': 'end', 'font-size': 11, fill: colorOf.get(id) ?? INK });
  });
  let cutLine = '';
  if (cut !== undefined) {
    cutLine = el('line', { class: 'crm-cut', x1: sx(cut), x2: sx(cut), y1: box.y - 4, y2: box.y + box.h, stroke: '#D55E00', 'stroke-dasharray': '4 3', 'stroke-width': 1.5 });
    cutLine += text(sx(cut) + 4, box.y + 8, `cut ${formatValue(cut)}: ${clusters} clusters`, { 'font-size': 11, fill: '#D55E00' });
  }
  const summary = `Dendrogram of ${n} observations${p < n ? `, showing the last ${p - 1} merges` : ''}${cut !== undefined ? `, cut into ${clusters} clusters at ${formatValue(cut)}` : ''}.`;
  return createChart(r, summary, `<g class="crm-axes">${axisText}</g><g class="crm-marks">${links}${leafText}</g>${cutLine}`);
}
