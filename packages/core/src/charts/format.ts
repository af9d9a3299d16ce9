// Number formatting for tick labels, cell annotations and tooltips. Locale-free on purpose:
// the same chart must be byte-identical in Node, Deno and every browser.

function group(intText: string): string {
  return intText.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Decimals needed to show ticks `step` apart without repeating a label. */
function decimalsFor(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 2;
  return Math.min(6, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
}

/** A tick label for `value` on an axis whose ticks are `step` apart (1.5k, 2M above 10 000). */
export function formatTick(value: number, step: number): string {
  if (value === 0 || !Number.isFinite(value)) return '0';
  const a = Math.abs(value);
  if (a >= 1e6) return `${trimZeros((value / 1e6).toFixed(decimalsFor(step / 1e6)))}M`;
  if (a >= 1e4) return `${trimZeros((value / 1e3).toFixed(decimalsFor(step / 1e3)))}k`;
  const s = value.toFixed(decimalsFor(step));
  const [i = '', f] = s.split('.');
  return f === undefined ? group(i) : `${group(i)}.${f}`;
}

/** A value for a label or tooltip: integers with thousands separators, others with 3 significant figures or 2 decimals. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return (value < 0 ? '-' : '') + group(String(Math.abs(value)));
  const a = Math.abs(value);
  if (a >= 1000) return (value < 0 ? '-' : '') + group(Math.abs(value).toFixed(0));
  if (a >= 100) return value.toFixed(0);
  if (a >= 10) return value.toFixed(1);
  if (a >= 0.01) return value.toFixed(2);
  return trimZeros(value.toPrecision(2));
}
