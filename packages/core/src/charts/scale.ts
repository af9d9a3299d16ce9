// Linear scales and "nice" ticks (1, 2, 5 × 10^k steps, as d3-scale and R's pretty() choose).

/** A linear map from a data domain to a pixel range; a zero-width domain maps to the range's middle. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  if (span === 0) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** The step of nice ticks covering [lo, hi] with about `count` intervals. */
export function tickStep(lo: number, hi: number, count: number): number {
  const raw = (hi - lo) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / power;
  return (f >= 7.5 ? 10 : f >= 3.5 ? 5 : f >= 1.5 ? 2 : 1) * power;
}

/** Nice ticks inside [lo, hi]. */
export function ticks(lo: number, hi: number, count: number): number[] {
  const step = tickStep(lo, hi, count);
  const out: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  for (let i = first; i <= last && out.length < 100; i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}

/** [lo, hi] widened outward to nice tick values; a single value gets a unit-wide domain around it. */
export function niceDomain(lo: number, hi: number, count: number): [number, number] {
  if (lo === hi) {
    // A tenth of the value either side, or a unit where a tenth is lost to rounding (5e-324 · 0.1 is 0).
    let pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    if (!(lo - pad < hi + pad)) pad = 1;
    lo -= pad;
    hi += pad;
  }
  const step = tickStep(lo, hi, count);
  return [Number((Math.floor(lo / step + 1e-9) * step).toPrecision(12)), Number((Math.ceil(hi / step - 1e-9) * step).toPrecision(12))];
}

/** Smallest and largest of some finite numbers; [0, 1] when there are none. */
export function extent(lists: readonly (readonly number[])[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const list of lists) {
    for (const v of list) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}
