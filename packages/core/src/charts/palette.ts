// Colour-blind-safe colours. Categorical: Okabe & Ito (2008). Sequential: ColorBrewer YlGnBu;
// diverging: ColorBrewer PuOr (both marked colour-blind safe by Brewer).

/** Series colours, in the order they are used (yellow last: it is weak on white). */
export const CATEGORICAL: readonly string[] = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'];

/** Dash patterns that tell series apart without colour, in step with {@link CATEGORICAL}. */
export const DASHES: readonly (string | undefined)[] = [undefined, '6 3', '2 2', '8 3 2 3', '1 3', '10 4', '4 2 1 2', '3 5'];

/** Ink for axes, labels and reference lines. */
export const INK = '#333333';
/** Grid lines. */
export const GRID = '#e5e5e5';
/** A neutral grey for baselines. */
export const MUTED = '#888888';

const YLGNBU: readonly string[] = ['#ffffd9', '#edf8b1', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#253494', '#081d58'];
const PUOR: readonly string[] = ['#542788', '#8073ac', '#b2abd2', '#d8daeb', '#f7f7f7', '#fee0b6', '#fdb863', '#e08214', '#b35806'];

function rgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function hex(c: readonly number[]): string {
  return `#${c.map((x) => Math.round(x).toString(16).padStart(2, '0')).join('')}`;
}

function ramp(stops: readonly string[], t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u));
  const a = rgb(stops[i] ?? '#000000');
  const b = rgb(stops[i + 1] ?? '#000000');
  const f = u - i;
  return hex([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]);
}

/** Sequential colour for t in [0, 1] (light = low, dark = high). */
export function sequential(t: number): string {
  return ramp(YLGNBU, t);
}

/** Diverging colour for t in [-1, 1] (purple = low, white = 0, orange = high). */
export function diverging(t: number): string {
  return ramp(PUOR, (t + 1) / 2);
}

/** Dark or white text, whichever reads better on `fill` (relative luminance, WCAG). */
export function inkOn(fill: string): string {
  const lin = rgb(fill).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  });
  const lum = 0.2126 * (lin[0] ?? 0) + 0.7152 * (lin[1] ?? 0) + 0.0722 * (lin[2] ?? 0);
  return lum > 0.22 ? '#1a1a1a' : '#ffffff';
}
