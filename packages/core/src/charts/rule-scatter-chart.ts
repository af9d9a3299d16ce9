import { CrmError } from '../errors.ts';
import { axis, drawAxes, scales, yAxisWidth, type Axis, type Box } from './axes.ts';
import { readChartOptions, createChart, resolveOptions, TITLE_BAND, type Chart, type ChartOptions } from './chart.ts';
import { formatValue } from './format.ts';
import { colorBar, colorBarWidth } from './legend.ts';
import { sequential } from './palette.ts';
import { el, tip } from './svg.ts';
import { list } from './validate.ts';

/**
 * One association rule as the scatter reads it.
 *
 * @example
 * ```ts
 * import type { RulePoint } from '@crm/core/charts';
 * const rule: RulePoint = { label: '{root vegetables, yogurt} → {whole milk}', support: 0.0145, confidence: 0.563, lift: 2.2 };
 * ```
 */
export interface RulePoint {
  /** The rule as text ("{a, b} → {c}"), shown as the point's tooltip. */
  readonly label?: string | undefined;
  /** Share of baskets holding antecedent and consequent, in [0, 1]. */
  readonly support: number;
  /** P(consequent | antecedent), in [0, 1]. */
  readonly confidence: number;
  /** Confidence over the consequent's support (1 = independent), non-negative. */
  readonly lift: number;
}

/**
 * Options of {@link ruleScatterChart}.
 *
 * @example
 * ```ts
 * import type { RuleScatterOptions } from '@crm/core/charts';
 * const options: RuleScatterOptions = { maxRules: 500 };
 * ```
 */
export interface RuleScatterOptions extends ChartOptions {
  /** Draw at most this many rules, those with the highest lift (default 2000). */
  readonly maxRules?: number | undefined;
  /**
   * Scale of the support axis. `'auto'` (default) is logarithmic when the largest support is at
   * least 8 times the smallest (rules pile up near the minimum support
   * otherwise), linear else.
   */
  readonly supportScale?: 'auto' | 'linear' | 'log' | undefined;
}

/** Support spread from which `supportScale: 'auto'` turns logarithmic. */
const LOG_SUPPORT_RATIO = 8;

/** A log10 axis over [lo, hi] (both > 0) with ticks at 1, 2 and 5 × 10^k. */
function logAxis(lo: number, hi: number, label: string): Axis {
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const values: number[] = [];
  for (let k = a; k <= b; k++) for (const m of [1, 2, 5]) values.push(Number((m * 10 ** k).toPrecision(12)));
  const pad = 0.04 * (Math.log10(hi) - Math.log10(lo) || 1);
  const domain: [number, number] = [Math.log10(lo) - pad, Math.log10(hi) + pad];
  const inside = values.filter((v) => Math.log10(v) >= domain[0] && Math.log10(v) <= domain[1]);
  const shown = inside.length >= 2 ? inside : [lo, hi];
  return {
    domain,
    ticks: shown.map((v) => Math.log10(v)),
    labels: shown.map((v) => formatValue(v)),
    label,
  };
}

const DEFAULT_MAX_RULES = 2000;
/** The lightest colours of the sequential ramp vanish on white; points use the darker part. */
const COLOR_FLOOR = 0.25;

/**
 * Association rules as a scatter of support against confidence, coloured by lift (Hahsler's
 * arulesViz default). Rules high and to the right are frequent and reliable; dark ones are the
 * least explained by item popularity.
 *
 * @throws {CrmError} `invalid_input` when the list is empty or a measure is outside its range.
 * @example
 * ```ts
 * import { ruleScatterChart } from '@crm/core/charts';
 * const chart = ruleScatterChart([
 *   { label: '{citrus fruit, root vegetables} → {other vegetables}', support: 0.0104, confidence: 0.586, lift: 3.03 },
 *   { label: '{yogurt, whipped/sour cream} → {whole milk}', support: 0.0109, confidence: 0.524, lift: 2.05 },
 *   { label: '{curd, yogurt} → {whole milk}', support: 0.0101, confidence: 0.582, lift: 2.28 },
 * ]);
 * ```
 * @see Hahsler & Chelluboina (2011), "Visualizing association rules: introduction to the R-extension package arulesViz"
 */
export function ruleScatterChart(data: readonly RulePoint[], options?: RuleScatterOptions): Chart {
  const o = readChartOptions(options, 'ruleScatterChart', ['maxRules', 'supportScale']);
  const rules = list(data, [], 'rules').map((rule, i) => {
    for (const key of ['support', 'confidence', 'lift'] as const) {
      const v = rule?.[key];
      const ok = typeof v === 'number' && Number.isFinite(v) && v >= 0 && (key === 'lift' || v <= 1);
      if (!ok) throw new CrmError('invalid_input', `rules[${i}].${key} is ${String(v)}; ${key === 'lift' ? 'lift is non-negative' : `${key} lies in [0, 1]`}`, [i, key]);
    }
    return { label: rule.label === undefined ? `rule ${i + 1}` : String(rule.label), support: rule.support, confidence: rule.confidence, lift: rule.lift };
  });
  const max = o.maxRules ?? DEFAULT_MAX_RULES;
  if (!Number.isInteger(max) || max < 1) throw new CrmError('invalid_argument', `options.maxRules must be a whole number ≥ 1, got ${String(max)}`, ['options', 'maxRules']);
  // Drawn from low to high lift so the strongest rules sit on top.
  const shown = rules.slice().sort((a, b) => b.lift - a.lift).slice(0, max).reverse();
  const lifts = shown.map((p) => p.lift);
  const lo = Math.min(...lifts);
  const hi = Math.max(...lifts);
  const r = resolveOptions(o, 640, 440, 'Association rules: support, confidence and lift');
  const sLo = Math.min(...shown.map((p) => p.support));
  const sHi = Math.max(...shown.map((p) => p.support));
  const scale = o.supportScale ?? 'auto';
  if (scale !== 'auto' && scale !== 'linear' && scale !== 'log') {
    throw new CrmError('invalid_argument', `options.supportScale must be 'auto', 'linear' or 'log', got ${String(scale)}`, ['options', 'supportScale']);
  }
  if (scale === 'log' && !(sLo > 0)) throw new CrmError('invalid_input', 'a logarithmic support axis needs every support above 0', ['options', 'supportScale']);
  const log = scale === 'log' || (scale === 'auto' && sLo > 0 && sHi / sLo >= LOG_SUPPORT_RATIO);
  const xOf = (support: number): number => (log ? Math.log10(support) : support);
  const xa = log ? logAxis(sLo, sHi, 'Support (log scale)') : axis(sLo, sHi, 'Support', Math.max(2, Math.round(r.width / 100)));
  const ya = axis(Math.min(...shown.map((p) => p.confidence)), Math.max(...shown.map((p) => p.confidence)), 'Confidence', Math.max(2, Math.round(r.height / 60)));
  const left = yAxisWidth(ya) + 12;
  const right = colorBarWidth(lo, hi, 'lift') + 28;
  const box: Box = { x: left, y: TITLE_BAND + 12, w: r.width - left - right, h: r.height - TITLE_BAND - 12 - 52 };
  if (box.w < 40 || box.h < 40) throw new CrmError('invalid_argument', `chart of ${r.width}×${r.height} px is too small; make it larger`, ['options']);
  const { sx, sy } = scales(box, xa, ya);
  const color = (lift: number): string => sequential(COLOR_FLOOR + (1 - COLOR_FLOOR) * (hi === lo ? 1 : (lift - lo) / (hi - lo)));
  let points = '';
  for (const p of shown) {
    points += el('circle', { class: 'crm-point', cx: sx(xOf(p.support)), cy: sy(p.confidence), r: 4.5, fill: color(p.lift), 'fill-opacity': 0.85, stroke: '#ffffff', 'stroke-width': 0.6 }, tip(`${p.label}: support ${formatValue(p.support)}, confidence ${formatValue(p.confidence)}, lift ${formatValue(p.lift)}`));
  }
  const bar = colorBar(box.x + box.w + 16, box.y, Math.min(box.h, 200), lo, hi, (t) => sequential(COLOR_FLOOR + (1 - COLOR_FLOOR) * t), 'lift');
  const summary = `${shown.length} rules${shown.length < rules.length ? ` (the ${shown.length} with highest lift of ${rules.length})` : ''}; lift from ${formatValue(lo)} to ${formatValue(hi)}.`;
  return createChart(r, summary, `${drawAxes(box, xa, ya)}<g class="crm-marks">${points}</g>${bar}`);
}
