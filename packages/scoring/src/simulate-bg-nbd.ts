import { checkCost, CrmError, createRng, numberOption, readOptions, type PurchaseHistory, type Rng } from '@crm/core';
import { portableLog, portablePow } from '@crm/core';
import type { BgNbdParams } from './bg-nbd.ts';

/**
 * Options of {@link simulateBgNbd}.
 *
 * @example
 * ```ts
 * import type { SimulateBgNbdOptions } from '@crm/scoring';
 * const options: SimulateBgNbdOptions = { customers: 1000, T: 39, seed: 7 };
 * ```
 */
export interface SimulateBgNbdOptions {
  /** Number of customers to simulate. */
  readonly customers: number;
  /** Observation length T after each customer's first purchase: one number for all, or one per customer. */
  readonly T: number | readonly number[];
  /** Seed of the generator (`createRng` of @crm/core): the same seed gives the same customers. */
  readonly seed: number;
  /**
   * Most simulated events (customers plus purchases) before the call refuses with
   * `limit_exceeded`; default 10,000,000. The number of purchases is random and unbounded in
   * the parameters (a huge rate with a tiny dropout probability), so it is counted as it goes.
   */
  readonly maxEvents?: number | undefined;
}

/** Default of {@link SimulateBgNbdOptions.maxEvents}. */
const DEFAULT_MAX_EVENTS = 10_000_000;

/** Gamma(shape, 1) variate: Marsaglia & Tsang (2000), with the U^(1/shape) boost below 1. */
function gamma(rng: Rng, shape: number): number {
  if (shape < 1) {
    let u = rng.uniform();
    while (u === 0) u = rng.uniform();
    return gamma(rng, shape + 1) * portablePow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = rng.uniform();
    if (portableLog(u) < 0.5 * x * x + d - d * v + d * portableLog(v)) return d * v;
  }
}

/**
 * Simulates purchase histories from the BG/NBD process with the given parameters: each
 * customer draws λ ~ Gamma(r, α) and p ~ Beta(a, b), buys at time 0, then at Poisson(λ)
 * times, dropping out with probability p after each repeat purchase, observed for T periods.
 * Useful to check a fit recovers its parameters, and for benchmarks. O(customers + purchases)
 * time and O(customers) memory, bounded by `maxEvents`.
 *
 * @throws {CrmError} `invalid_argument` for non-positive parameters, a bad count, T or seed, or an
 * unknown option; `limit_exceeded` at `['options', 'maxEvents']` when customers plus simulated
 * purchases exceed it (checked before allocating and while simulating).
 * @example
 * ```ts
 * import { BgNbd, simulateBgNbd } from '@crm/scoring';
 * const data = simulateBgNbd({ r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 }, { customers: 5000, T: 39, seed: 1 });
 * BgNbd.fit(data).params; // close to the parameters above
 * ```
 */
export function simulateBgNbd(params: BgNbdParams, options: SimulateBgNbdOptions): PurchaseHistory[] {
  for (const k of ['r', 'alpha', 'a', 'b'] as const) {
    const v: unknown = params?.[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new CrmError('invalid_argument', `params.${k} must be a positive number`, ['params', k]);
    }
  }
  if (options === null || options === undefined) {
    throw new CrmError('invalid_argument', 'options { customers, T, seed } are required', ['options']);
  }
  const o = readOptions(options, ['customers', 'T', 'seed', 'maxEvents'], 'simulateBgNbd');
  if (o.customers === undefined) throw new CrmError('invalid_argument', 'customers must be a whole number ≥ 0', ['options', 'customers']);
  const n = numberOption(o, 'customers', 0, { min: 0, integer: true });
  const maxEvents = numberOption(o, 'maxEvents', DEFAULT_MAX_EVENTS, { min: 1 });
  checkCost(n, maxEvents, 'maxEvents', `simulateBgNbd of ${n} customers`, 'simulated events');
  const Ts = o.T;
  const tOf = (i: number): number => {
    const t: unknown = typeof Ts === 'number' ? Ts : Array.isArray(Ts) ? Ts[i] : undefined;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
      throw new CrmError('invalid_argument', `T must be a finite number ≥ 0 (or an array of one per customer)`, ['options', 'T']);
    }
    return t;
  };
  if (o.seed === undefined) throw new CrmError('invalid_argument', 'seed is required (a finite number)', ['options', 'seed']);
  const rng = createRng(numberOption(o, 'seed', 0));
  let events = n;
  const { r, alpha, a, b } = params;
  const out = new Array<PurchaseHistory>(n);
  for (let i = 0; i < n; i++) {
    const T = tOf(i);
    const lambda = gamma(rng, r) / alpha;
    const ga = gamma(rng, a);
    const p = ga / (ga + gamma(rng, b));
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -portableLog(1 - rng.uniform()) / lambda;
      if (!(t <= T)) break;
      x++;
      tx = t;
      if (++events > maxEvents) checkCost(events, maxEvents, 'maxEvents', `simulateBgNbd of ${n} customers`, 'simulated events');
      if (rng.uniform() < p) break;
    }
    out[i] = { frequency: x, recency: tx, T };
  }
  return out;
}
