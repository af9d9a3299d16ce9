import { CrmError, type CrmPath, type PurchaseHistory } from '@crm/core';

/**
 * A purchase history with an optional `weight`: the number of customers who share this exact
 * (frequency, recency, T) pattern. Fits accept it wherever the likelihood is a sum over
 * customers, so grouped data (like the donations table of Fader, Hardie & Shang 2010) fit
 * directly and large data can be compressed.
 *
 * @example
 * ```ts
 * import type { WeightedHistory } from '@crm/scoring';
 * const pattern: WeightedHistory = { frequency: 2, recency: 4, T: 6, weight: 155 };
 * ```
 */
export interface WeightedHistory extends PurchaseHistory {
  /** Customers with this pattern (default 1). Any finite number ≥ 0. */
  readonly weight?: number | undefined;
}

/** Histories as columns, identical patterns merged (weights summed); internal. */
export interface HistoryColumns {
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly w: Float64Array;
  /** Sum of weights. */
  readonly total: number;
  /** Sum of weight × frequency. */
  readonly repeatPurchases: number;
  /** Largest T. */
  readonly maxT: number;
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}

function finiteField(row: Readonly<Record<string, unknown>>, key: string, path: CrmPath): number {
  const v = row[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new CrmError('invalid_input', `${key} must be a finite number, got ${describe(v)} at ${formatAt(path)}`, [...path, key]);
  }
  return v;
}

function formatAt(path: CrmPath): string {
  return path.length === 0 ? 'the top level' : `[${path.join('][')}]`;
}

/**
 * Checks one purchase history and returns its fields. `discrete` asks for whole-number
 * recency and T (opportunities, as in BG/BB).
 */
export function checkHistory(
  value: unknown,
  path: CrmPath,
  discrete = false,
): { x: number; tx: number; T: number; w: number } {
  if (value === null || typeof value !== 'object') {
    throw new CrmError('invalid_input', `expected a purchase history { frequency, recency, T } at ${formatAt(path)}`, path);
  }
  const row = value as Readonly<Record<string, unknown>>;
  const x = finiteField(row, 'frequency', path);
  const tx = finiteField(row, 'recency', path);
  const T = finiteField(row, 'T', path);
  if (x < 0 || !Number.isInteger(x)) {
    throw new CrmError(
      'invalid_summary',
      `frequency must be a whole number ≥ 0 (repeat purchase periods), got ${x} at ${formatAt(path)}`,
      [...path, 'frequency'],
    );
  }
  if (tx < 0 || T < 0) {
    const key = tx < 0 ? 'recency' : 'T';
    throw new CrmError('invalid_summary', `${key} must be ≥ 0, got ${tx < 0 ? tx : T} at ${formatAt(path)}`, [...path, key]);
  }
  if (tx > T) {
    throw new CrmError(
      'invalid_summary',
      `recency (${tx}) exceeds T (${T}) at ${formatAt(path)}: recency is the time from the first to the last purchase and cannot exceed the customer's age T`,
      [...path, 'recency'],
    );
  }
  if (x === 0 && tx !== 0) {
    throw new CrmError(
      'invalid_summary',
      `recency is ${tx} but frequency is 0 at ${formatAt(path)}: a customer without repeat purchases has recency 0`,
      [...path, 'recency'],
    );
  }
  if (discrete) {
    if (!Number.isInteger(tx) || !Number.isInteger(T)) {
      const key = Number.isInteger(tx) ? 'T' : 'recency';
      throw new CrmError('invalid_summary', `${key} must be a whole number of opportunities at ${formatAt(path)}`, [...path, key]);
    }
    if (x > tx) {
      throw new CrmError(
        'invalid_summary',
        `frequency (${x}) exceeds recency (${tx}) at ${formatAt(path)}: with discrete opportunities there is at most one transaction per opportunity`,
        [...path, 'frequency'],
      );
    }
  }
  let w = 1;
  if (row.weight !== undefined) {
    w = finiteField(row, 'weight', path);
    if (w < 0) throw new CrmError('invalid_input', `weight must be ≥ 0, got ${w} at ${formatAt(path)}`, [...path, 'weight']);
  }
  return { x, tx, T, w };
}

/** Checks that `value` is a non-empty array; returns it. */
export function checkArray(value: unknown, name: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new CrmError('invalid_argument', `${name} must be an array, got ${describe(value)}`, [name]);
  if (value.length === 0) throw new CrmError('invalid_input', `${name} is empty: pass at least one customer`, [name]);
  return value;
}

/**
 * Validates histories and merges identical patterns. O(n). `weights` (checked by the caller, one
 * per row) multiply the rows' own weights, as a customer bootstrap does.
 */
export function readHistories(customers: unknown, discrete = false, weights?: Float64Array): HistoryColumns {
  const rows = checkArray(customers, 'customers');
  const index = new Map<string, number>();
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const w: number[] = [];
  let total = 0;
  let repeatPurchases = 0;
  let maxT = 0;
  for (let i = 0; i < rows.length; i++) {
    const h = checkHistory(rows[i], [i], discrete);
    if (weights !== undefined) h.w *= weights[i] as number;
    if (h.w === 0) continue;
    total += h.w;
    repeatPurchases += h.w * h.x;
    if (h.T > maxT) maxT = h.T;
    const key = `${h.x},${h.tx},${h.T}`;
    const at = index.get(key);
    if (at !== undefined) {
      w[at] = (w[at] as number) + h.w;
    } else {
      index.set(key, x.length);
      x.push(h.x);
      tx.push(h.tx);
      T.push(h.T);
      w.push(h.w);
    }
  }
  if (!(total > 0)) throw new CrmError('invalid_input', 'the weights of the customers sum to 0: nothing to fit', ['customers']);
  // Patterns in one canonical order (frequency, recency, T) and sums taken in that order, so a fit
  // does not depend on the order of the rows: the full summaries, the same rows shuffled, and the
  // distinct patterns with counts (as a database computes them) give the same fit, bit for bit.
  const order = Array.from(x, (_, i) => i).sort((i, j) => x[i]! - x[j]! || tx[i]! - tx[j]! || T[i]! - T[j]!);
  const cols = {
    x: Float64Array.from(order, (i) => x[i]!),
    tx: Float64Array.from(order, (i) => tx[i]!),
    T: Float64Array.from(order, (i) => T[i]!),
    w: Float64Array.from(order, (i) => w[i]!),
  };
  total = 0;
  repeatPurchases = 0;
  for (let i = 0; i < order.length; i++) {
    total += cols.w[i]!;
    repeatPurchases += cols.w[i]! * cols.x[i]!;
  }
  return { ...cols, total, repeatPurchases, maxT };
}

/** Checks a prediction horizon t ≥ 0. */
export function checkHorizon(t: unknown, name = 't'): number {
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
    throw new CrmError('invalid_argument', `${name} must be a finite number ≥ 0, got ${describe(t)}`, [name]);
  }
  return t;
}

/** Throws `degenerate_data` when nobody made a repeat purchase. */
export function requireRepeatPurchases(data: HistoryColumns, model: string): void {
  if (data.repeatPurchases === 0) {
    throw new CrmError(
      'degenerate_data',
      `${model} cannot be fitted: no customer made a repeat purchase, so the purchase rate and dropout cannot be told apart`,
      ['customers'],
    );
  }
}

/**
 * Checks the `times` of a `cumulativePurchases` call: an array of finite numbers ≥ 0 in
 * non-decreasing order (`whole` asks for whole numbers, as BG/BB's opportunities are).
 */
export function checkTimes(times: unknown, whole = false): readonly number[] {
  if (!Array.isArray(times)) throw new CrmError('invalid_argument', `times must be an array of numbers, got ${describe(times)}`, ['times']);
  for (let i = 0; i < times.length; i++) {
    const t: unknown = times[i];
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || (whole && !Number.isInteger(t))) {
      throw new CrmError('invalid_argument', `times[${i}] must be a finite ${whole ? 'whole ' : ''}number ≥ 0, got ${describe(t)}`, ['times', i]);
    }
    if (i > 0 && t < (times[i - 1] as number)) {
      throw new CrmError('invalid_argument', `times must not decrease: times[${i}] = ${t} < times[${i - 1}]`, ['times', i]);
    }
  }
  return times as readonly number[];
}

/**
 * The distinct values of `values` in increasing order and, for each entry, the index of its value
 * among them: a likelihood computes terms that depend on the frequency alone once per distinct
 * frequency.
 */
export function distinctSlots(values: ArrayLike<number>): { distinct: number[]; slot: Int32Array } {
  const distinct = Array.from(new Set(Array.from(values))).sort((p, q) => p - q);
  const slotOf = new Map(distinct.map((v, i) => [v, i]));
  return { distinct, slot: Int32Array.from(values, (v) => slotOf.get(v) as number) };
}

/**
 * Starting rate for a purchase model's α: the (weighted) mean age over the mean number of repeat
 * purchases, kept away from 0 and ∞; and the mean age itself.
 */
export function startingScales(data: HistoryColumns): { alpha: number; meanT: number } {
  const meanX = data.repeatPurchases / data.total;
  let sumT = 0;
  for (let i = 0; i < data.T.length; i++) sumT += (data.w[i] as number) * (data.T[i] as number);
  const meanT = sumT / data.total;
  return { alpha: Math.max(meanT / Math.max(meanX, 1e-3), 1e-6), meanT };
}
