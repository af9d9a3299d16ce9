import { CrmError } from './errors.ts';
import type { Transaction } from './types.ts';

/**
 * Options of {@link cleanTransactions}.
 *
 * @example
 * ```ts
 * import type { CleanOptions } from '@crm/core';
 * const options: CleanOptions = { duplicates: 'auto', returns: 'net', zeroAmounts: 'drop' };
 * ```
 */
export interface CleanOptions {
  /**
   * What counts as a duplicate (the first occurrence is kept):
   * - `'auto'` (default): same `id` for rows that have one; same customer, time and amount for rows without;
   * - `'id'`: same `id` only (rows without an id are never duplicates);
   * - `'content'`: same customer, time and amount, ids ignored;
   * - `'none'`: keep every row.
   */
  readonly duplicates?: 'auto' | 'id' | 'content' | 'none';
  /**
   * Negative amounts (returns, refunds):
   * - `'keep'` (default): keep them as they are;
   * - `'drop'`: remove them;
   * - `'net'`: subtract each from the order it returns (the order with the same `id`, otherwise the
   *   customer's latest earlier order) and remove it; an order netted to zero or below is removed as
   *   fully returned; a return with no earlier order is removed as unmatched.
   */
  readonly returns?: 'keep' | 'drop' | 'net';
  /** Transactions of amount 0 (default `'keep'`). */
  readonly zeroAmounts?: 'keep' | 'drop';
  /** A transaction with line items but amount 0: replace the amount by Σ quantity × unit price when every item has a price (default `false`). */
  readonly amountFromItems?: boolean;
}

/**
 * Why {@link cleanTransactions} removed a row.
 *
 * @example
 * ```ts
 * import type { RemovalReason } from '@crm/core';
 * const reason: RemovalReason = 'duplicate';
 * ```
 */
export type RemovalReason = 'duplicate' | 'return' | 'netted_return' | 'fully_returned' | 'unmatched_return' | 'zero_amount';

/**
 * A row removed by {@link cleanTransactions}: its index in the input, why, and a sentence saying so.
 *
 * @example
 * ```ts
 * import type { RemovedTransaction } from '@crm/core';
 * const r: RemovedTransaction = { index: 3, reason: 'duplicate', detail: 'same id as row 1' };
 * ```
 */
export interface RemovedTransaction {
  readonly index: number;
  readonly reason: RemovalReason;
  readonly detail: string;
}

/**
 * A row whose amount {@link cleanTransactions} changed.
 *
 * @example
 * ```ts
 * import type { AdjustedTransaction } from '@crm/core';
 * const a: AdjustedTransaction = { index: 0, from: 50, to: 30, detail: 'netted against return at row 4' };
 * ```
 */
export interface AdjustedTransaction {
  readonly index: number;
  readonly from: number;
  readonly to: number;
  readonly detail: string;
}

/**
 * Result of {@link cleanTransactions}.
 *
 * @example
 * ```ts
 * import { cleanTransactions } from '@crm/core';
 * const { transactions, removed, adjusted, counts } = cleanTransactions([]);
 * ```
 */
export interface CleanResult {
  /** The kept transactions, in input order (adjusted ones are new objects). */
  readonly transactions: Transaction[];
  /** Input index of each kept transaction. */
  readonly rows: number[];
  /** Every removed row with its reason. */
  readonly removed: RemovedTransaction[];
  /** Every row whose amount changed. */
  readonly adjusted: AdjustedTransaction[];
  /** Number of removed rows per reason. */
  readonly counts: Readonly<Record<RemovalReason, number>>;
}

const DUPLICATES = ['auto', 'id', 'content', 'none'] as const;
const RETURNS = ['keep', 'drop', 'net'] as const;
const ZEROS = ['keep', 'drop'] as const;

function choice<T extends string>(value: T | undefined, allowed: readonly T[], fallback: T, name: string): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new CrmError('invalid_argument', `options.${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`, ['options', name]);
  }
  return value;
}

/**
 * Cleans validated transactions: removes duplicates, handles returns and negative amounts, and
 * zero amounts, saying for every removed or changed row what happened and why. The input is not
 * mutated. O(n log n) (returns are matched after a sort by time).
 *
 * @throws {CrmError} `invalid_argument` for a bad option or a non-array input.
 * @example
 * ```ts
 * import { cleanTransactions } from '@crm/core';
 * const t = (id: string, day: string, amount: number) => ({ id, customerId: 'A', time: new Date(day), amount });
 * const { transactions, removed, adjusted } = cleanTransactions(
 *   [t('o1', '2024-01-01', 50), t('o1', '2024-01-01', 50), t('r1', '2024-01-05', -20)],
 *   { returns: 'net' },
 * );
 * transactions.map((x) => x.amount); // [30]
 * removed.map((r) => r.reason);      // ['duplicate', 'netted_return']
 * adjusted[0];                       // { index: 0, from: 50, to: 30, detail: 'netted against the return at row 2' }
 * ```
 */
export function cleanTransactions(transactions: readonly Transaction[], options: CleanOptions = {}): CleanResult {
  if (!Array.isArray(transactions)) {
    throw new CrmError('invalid_argument', 'cleanTransactions expects an array of transactions', ['transactions']);
  }
  if (options === null || typeof options !== 'object') {
    throw new CrmError('invalid_argument', 'options must be an object', ['options']);
  }
  const duplicates = choice(options.duplicates, DUPLICATES, 'auto', 'duplicates');
  const returns = choice(options.returns, RETURNS, 'keep', 'returns');
  const zeros = choice(options.zeroAmounts, ZEROS, 'keep', 'zeroAmounts');
  const n = transactions.length;
  const removed: RemovedTransaction[] = [];
  const adjusted: AdjustedTransaction[] = [];
  const alive = new Uint8Array(n).fill(1);
  const amount = new Float64Array(n);
  const remove = (index: number, reason: RemovalReason, detail: string): void => {
    alive[index] = 0;
    removed.push({ index, reason, detail });
  };

  for (let i = 0; i < n; i++) {
    const t: Transaction = transactions[i]!;
    amount[i] = t.amount;
    if (options.amountFromItems && t.amount === 0 && t.items && t.items.length > 0 && t.items.every((it) => it.unitPrice !== undefined)) {
      amount[i] = t.items.reduce((s, it) => s + it.quantity * it.unitPrice!, 0);
    }
  }

  if (duplicates !== 'none') {
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const t = transactions[i]!;
      const useId = duplicates === 'id' || (duplicates === 'auto' && t.id !== undefined);
      if (useId && t.id === undefined) continue;
      const key = useId ? `id\u0000${t.id}` : `c\u0000${t.customerId}\u0000${t.time.getTime()}\u0000${t.amount}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else remove(i, 'duplicate', useId ? `same id '${t.id}' as row ${first}` : `same customer, time and amount as row ${first}`);
    }
  }

  if (returns === 'drop') {
    for (let i = 0; i < n; i++) if (alive[i] && amount[i]! < 0) remove(i, 'return', `negative amount ${amount[i]}`);
  } else if (returns === 'net') {
    netReturns(transactions, alive, amount, remove, adjusted);
  }

  if (zeros === 'drop') {
    for (let i = 0; i < n; i++) if (alive[i] && amount[i] === 0) remove(i, 'zero_amount', 'amount is 0');
  }

  const kept: Transaction[] = [];
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!alive[i]) continue;
    const t = transactions[i]!;
    kept.push(amount[i] === t.amount ? t : { ...t, amount: amount[i]! });
    rows.push(i);
  }
  const counts: Record<RemovalReason, number> = {
    duplicate: 0, return: 0, netted_return: 0, fully_returned: 0, unmatched_return: 0, zero_amount: 0,
  };
  for (const r of removed) counts[r.reason]++;
  removed.sort((a, b) => a.index - b.index);
  return { transactions: kept, rows, removed, adjusted, counts };
}

function netReturns(
  transactions: readonly Transaction[],
  alive: Uint8Array,
  amount: Float64Array,
  remove: (index: number, reason: RemovalReason, detail: string) => void,
  adjusted: AdjustedTransaction[],
): void {
  const order = Array.from({ length: transactions.length }, (_, i) => i)
    .filter((i) => alive[i])
    .sort((a, b) => transactions[a]!.time.getTime() - transactions[b]!.time.getTime() || a - b);
  const lastOrder = new Map<string, number>();
  const byId = new Map<string, number>();
  const original = new Map<number, number>();
  for (const i of order) {
    const t = transactions[i]!;
    if (amount[i]! >= 0) {
      if (amount[i]! > 0) {
        lastOrder.set(t.customerId, i);
        if (t.id !== undefined) byId.set(t.id, i);
      }
      continue;
    }
    const target = (t.id !== undefined ? byId.get(t.id) : undefined) ?? lastOrder.get(t.customerId);
    if (target === undefined || !alive[target] || transactions[target]!.customerId !== t.customerId) {
      remove(i, 'unmatched_return', `return of ${-amount[i]!} with no earlier order of customer '${t.customerId}'`);
      continue;
    }
    if (!original.has(target)) original.set(target, amount[target]!);
    amount[target] = amount[target]! + amount[i]!;
    remove(i, 'netted_return', `netted against the order at row ${target}`);
    if (amount[target]! <= 0) {
      remove(target, 'fully_returned', `order fully returned (net ${amount[target]})`);
      original.delete(target);
      if (lastOrder.get(t.customerId) === target) lastOrder.delete(t.customerId);
    } else {
      const prior = adjusted.findIndex((a) => a.index === target);
      const entry = { index: target, from: original.get(target)!, to: amount[target]!, detail: `netted against the return at row ${i}` };
      if (prior >= 0) adjusted[prior] = entry;
      else adjusted.push(entry);
    }
  }
  adjusted.sort((a, b) => a.index - b.index);
}
