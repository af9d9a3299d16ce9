import { CrmError } from '../errors.ts';
import { readOptions } from '../options.ts';
import { el, escapeXml, fitChars, hashId, num, text, textWidth, truncate } from './svg.ts';
import { INK } from './palette.ts';

/**
 * The key a Deno Jupyter kernel looks up to render a value: a cell whose last expression is a
 * {@link Chart} shows the picture.
 *
 * @example
 * ```ts
 * import { JUPYTER_DISPLAY, segmentSizesChart } from '@crm/core/charts';
 * const bundle = segmentSizesChart([{ label: 'Champions', count: 120 }])[JUPYTER_DISPLAY]();
 * Object.keys(bundle); // ['image/svg+xml']
 * ```
 */
export const JUPYTER_DISPLAY: unique symbol = /* @__PURE__ */ Symbol.for('Jupyter.display');

/**
 * What a chart gives a Jupyter kernel: its SVG under the `image/svg+xml` MIME type.
 *
 * @example
 * ```ts
 * import type { JupyterBundle } from '@crm/core/charts';
 * const bundle: JupyterBundle = { 'image/svg+xml': '<svg xmlns="http://www.w3.org/2000/svg"/>' };
 * ```
 */
export interface JupyterBundle {
  /** The chart as a standalone SVG document. */
  readonly 'image/svg+xml': string;
}

/**
 * A rendered chart: an SVG string with its size and title. `String(chart)` is the SVG, so it can
 * be written to a file or put into HTML as is; in a Deno notebook the chart displays itself.
 *
 * @example
 * ```ts
 * import { rocChart } from '@crm/core/charts';
 * const chart = rocChart([{ label: 'forest', fpr: [0, 0.1, 1], tpr: [0, 0.8, 1] }]);
 * chart.width;            // 560
 * String(chart).slice(0, 4); // '<svg'
 * ```
 */
export interface Chart {
  /** The standalone SVG document (UTF-8 text, `xmlns` set, `role="img"`, a `<title>` and `<desc>`). */
  readonly svg: string;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** The chart's title (also its accessible name). */
  readonly title: string;
  /** The SVG. */
  toString(): string;
  /** The SVG as a Jupyter MIME bundle, for Deno notebooks. */
  [JUPYTER_DISPLAY](): JupyterBundle;
}

/**
 * Options every chart takes. Sizes are in pixels; the SVG scales (it has a `viewBox`).
 *
 * @example
 * ```ts
 * import { segmentSizesChart, type ChartOptions } from '@crm/core/charts';
 * const options: ChartOptions = { width: 480, height: 300, title: 'Customers per segment' };
 * segmentSizesChart([{ label: 'Loyal', count: 80 }], options);
 * ```
 */
export interface ChartOptions {
  /** Width in pixels, 160 to 4000 (default depends on the chart: 520 to 640). */
  readonly width?: number | undefined;
  /** Height in pixels, 120 to 4000 (default depends on the chart: 380 to 480, or growing with the number of bars, rows or leaves). */
  readonly height?: number | undefined;
  /** Title drawn at the top and used as the accessible name. */
  readonly title?: string | undefined;
  /** Longer text description for screen readers (`<desc>`); a summary of the data by default. */
  readonly description?: string | undefined;
}

/**
 * Options of charts with x and y axes.
 *
 * @example
 * ```ts
 * import { elbowChart, type AxisChartOptions } from '@crm/core/charts';
 * const options: AxisChartOptions = { xLabel: 'clusters', yLabel: 'within-cluster sum of squares' };
 * elbowChart({ k: [1, 2, 3], inertia: [90, 40, 30] }, options);
 * ```
 */
export interface AxisChartOptions extends ChartOptions {
  /** Label of the horizontal axis. */
  readonly xLabel?: string | undefined;
  /** Label of the vertical axis. */
  readonly yLabel?: string | undefined;
}

/** Checked size and texts of a chart. */
export interface Resolved {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly description: string | undefined;
}

const MIN_WIDTH = 160;
const MIN_HEIGHT = 120;
const MAX_SIZE = 4000;

function size(value: unknown, fallback: number, min: number, key: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_SIZE) {
    throw new CrmError('invalid_argument', `options.${key} must be a number of pixels from ${min} to ${MAX_SIZE}, got ${String(value)}`, ['options', key]);
  }
  return value;
}

const COMMON_KEYS = ['width', 'height', 'title', 'description'] as const;
/** Keys of {@link AxisChartOptions} beyond the common ones. */
export const AXIS_KEYS: readonly string[] = ['xLabel', 'yLabel'];
/** Options that are texts drawn on the chart, checked to be strings. */
const TEXT_KEYS = ['title', 'description', 'xLabel', 'yLabel', 'heightLabel', 'measure', 'periodLabel'];

/**
 * Reads a chart's options through the shared options reader: the common keys plus `extra`; an
 * unknown or misspelled key is an error, and texts must be strings. Returns a copy.
 */
export function readChartOptions<T extends ChartOptions>(options: T | undefined, where: string, extra: readonly string[] = []): T {
  const o = readOptions(options, [...COMMON_KEYS, ...extra], where) as Record<string, unknown>;
  for (const key of TEXT_KEYS) {
    if (o[key] !== undefined && typeof o[key] !== 'string') {
      throw new CrmError('invalid_argument', `options.${key} must be a string`, ['options', key]);
    }
  }
  return o as T;
}

/** Validates the common options (already read by {@link readChartOptions}) against a chart's defaults. */
export function resolveOptions(o: ChartOptions, width: number, height: number, title: string): Resolved {
  return {
    width: size(o.width, width, MIN_WIDTH, 'width'),
    height: size(o.height, height, MIN_HEIGHT, 'height'),
    title: o.title ?? title,
    description: o.description,
  };
}

const TITLE_FONT = 15;
const MIN_TITLE_FONT = 11;
/** Bold type runs about 12% wider than regular type. */
const BOLD_WIDTH = 1.12;

/** The drawn title: smaller type when it is too wide for the chart, then shortened (the full title stays in `<title>`). */
function titleText(title: string, width: number): string {
  const room = width - 16;
  const wide = (size: number): number => textWidth(title, size) * BOLD_WIDTH;
  let size = TITLE_FONT;
  while (size > MIN_TITLE_FONT && wide(size) > room) size -= 0.5;
  const shown = wide(size) > room ? truncate(title, fitChars(title, size * BOLD_WIDTH, room)) : title;
  return text(width / 2, 22, shown, { 'text-anchor': 'middle', 'font-size': size, 'font-weight': 600 });
}

/** Height of the title band at the top of every chart. */
export const TITLE_BAND = 34;

/** Wraps a chart body into a standalone, accessible SVG document and the {@link Chart} object. */
export function createChart(r: Resolved, summary: string, body: string): Chart {
  const id = `crm-${hashId(r.title + summary + body)}`;
  const svg =
    el(
      'svg',
      {
        xmlns: 'http://www.w3.org/2000/svg',
        width: r.width,
        height: r.height,
        viewBox: `0 0 ${num(r.width)} ${num(r.height)}`,
        role: 'img',
        'aria-labelledby': `${id}-title ${id}-desc`,
        'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
        'font-size': 12,
        fill: INK,
      },
      `<title id="${id}-title">${escapeXml(r.title)}</title>` +
        `<desc id="${id}-desc">${escapeXml(r.description ?? summary)}</desc>` +
        el('rect', { width: '100%', height: '100%', fill: '#ffffff' }) +
        titleText(r.title, r.width) +
        body,
    ) + '\n';
  return {
    svg,
    width: r.width,
    height: r.height,
    title: r.title,
    toString: () => svg,
    [JUPYTER_DISPLAY]: () => ({ 'image/svg+xml': svg }),
  };
}
