import { numericTimeProblem, toEpochMs } from './dates.ts';
import { CrmError } from './errors.ts';
import { finiteResult } from './finite.ts';
import { booleanOption, enumOption, readOptions } from './options.ts';
import type { Transaction, TransactionInput } from './types.ts';

/**
 * Options of {@link cleanTransactions}.
 *
 * @example
 * ```ts
 * import type { CleanOptions } from '@crm/core';
 * const options: CleanOptions = { duplicates: 'id', returns: 'net', zeroAmounts: 'drop' };
 * ```
 */
export interface CleanOptions {
  /**
   * What counts as a duplicate (the first occurrence is kept, every removal is reported):
   * - `'id'` (default): a row repeating an earlier row's order `id` with the same customer, time,
   *   amount and items (the same order loaded twice). Two orders (amount ≥ 0) sharing an id but
   *   differing in content are an error, not a guess: the column is then not an order id (a customer
   *   id read as one) or the rows are lines of one order. Returns may share their order's id.
   *   Rows without an id are never duplicates.
   * - `'content'` (opt-in): same customer, time to the millisecond, amount and items, ids ignored.
   *   With dates but no time of day, genuine repeat orders look identical (CDNOW holds 21 same-day
   *   orders of the same amount by the same customer), so only use it when times are exact.
   * - `'none'`: keep every row.
   */
  readonly duplicates?: 'id' | 'content' | 'none';
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
 * Result of {@link cleanTransactions}; `T` is the type of the rows given (validated
 * {@link Transaction}s by default).
 *
 * @example
 * ```ts
 * import { cleanTransactions } from '@crm/core';
 * const { transactions, removed, adjusted, counts } = cleanTransactions([]);
 * ```
 */
export interface CleanResult<T extends TransactionInput = Transaction> {
  /** The kept transactions, in input order: the given objects, except adjusted ones, which are copies with the new amount. */
  readonly transactions: T[];
  /** Input index of each kept transaction. */
  readonly rows: number[];
  /** Every removed row with its reason. */
  readonly removed: RemovedTransaction[];
  /** Every row whose amount changed. */
  readonly adjusted: AdjustedTransaction[];
  /** Number of removed rows per reason. */
  readonly counts: Readonly<Record<RemovalReason, number>>;
}

const DUPLICATES = ['id', 'content', 'none'] as const;
const RETURNS = ['keep', 'drop', 'net'] as const;
const ZEROS = ['keep', 'drop'] as const;
const KNOWN = ['duplicates', 'returns', 'zeroAmounts', 'amountFromItems'] as const;

/** The checked fields of one row: customer key, time in epoch ms, order id (or undefined) and content key. */
interface Row {
  readonly customer: string;
  readonly ms: number;
  readonly id: string | undefined;
  readonly content: string;
}

const needValidation = 'validate the rows first (validateTransactions)';

function readRow(t: unknown, i: number): { row: Row; amount: number; items: readonly unknown[] | undefined } {
  if (t === null || typeof t !== 'object') {
    throw new CrmError('invalid_input', `transactions[${i}] is not a transaction object: ${needValidation}`, [i]);
  }
  const r = t as Readonly<Record<string, unknown>>;
  const customerId = ownField(r, 'customerId');
  if (!(typeof customerId === 'string' && customerId !== '') && !(typeof customerId === 'number' && Number.isFinite(customerId))) {
    throw new CrmError('invalid_input', `transactions[${i}].customerId is missing or not an id: ${needValidation}`, [i, 'customerId']);
  }
  const time = ownField(r, 'time');
  const ms = toEpochMs(time);
  const problem = typeof time === 'number' ? numericTimeProblem(time) : undefined;
  if (ms === undefined || problem !== undefined) {
    throw new CrmError(
      'invalid_input',
      `transactions[${i}].time ${problem ?? 'is not a Date, an ISO 8601 string or epoch milliseconds'}: ${needValidation}`,
      [i, 'time'],
    );
  }
  const amount = ownField(r, 'amount');
  if (typeof amount !== 'number' || !Number.isFinite(amount)) {
    throw new CrmError('invalid_input', `transactions[${i}].amount is ${String(amount)}, not a finite number: ${needValidation}`, [i, 'amount']);
  }
  const rawId = ownField(r, 'id');
  if (rawId != null && typeof rawId !== 'string' && !(typeof rawId === 'number' && Number.isFinite(rawId))) {
    throw new CrmError('invalid_input', `transactions[${i}].id must be a string or number order id: ${needValidation}`, [i, 'id']);
  }
  const rawItems = ownField(r, 'items');
  if (rawItems != null && !Array.isArray(rawItems)) {
    throw new CrmError('invalid_input', `transactions[${i}].items must be an array of line items: ${needValidation}`, [i, 'items']);
  }
  const items = rawItems == null ? undefined : (rawItems as readonly unknown[]);
  const customer = String(customerId);
  const content = `${customer}\u0000${ms}\u0000${amount}\u0000${items === undefined ? '' : JSON.stringify(items)}`;
  return { row: { customer, ms, id: rawId == null ? undefined : String(rawId), content }, amount, items };
}

function ownField(r: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(r, key) ? r[key] : undefined;
}

/** Σ quantity × unit price of priced line items, or undefined when an item has no price. */
function itemsTotal(items: readonly unknown[], i: number): number | undefined {
  let total = 0;
  for (let j = 0; j < items.length; j++) {
    const it = items[j] as { readonly quantity?: unknown; readonly unitPrice?: unknown } | null | undefined;
    if (it === null || typeof it !== 'object' || it.unitPrice === undefined) return undefined;
    const { quantity, unitPrice } = it;
    if (typeof quantity !== 'number' || !Number.isFinite(quantity) || typeof unitPrice !== 'number' || !Number.isFinite(unitPrice)) {
      throw new CrmError('invalid_input', `transactions[${i}].items[${j}] needs a finite quantity and unitPrice: ${needValidation}`, [i, 'items', j]);
    }
    total += quantity * unitPrice;
  }
  return finiteResult(total, `the amount of transactions[${i}] from its line items`, [i, 'items']);
}

/**
 * Cleans transactions: removes duplicates, handles returns and negative amounts, and zero amounts,
 * saying for every removed or changed row what happened and why; nothing else is removed. Accepts
 * validated {@link Transaction}s or any rows with a `customerId`, a time (`Date`, ISO 8601 string or
 * epoch ms from 1971 on) and a finite `amount`, and gives back rows of the type it was given. The
 * input is not mutated. O(n log n) (returns are matched after a sort by time).
 *
 * @throws {CrmError} `invalid_argument` for a bad or unknown option or a non-array input;
 * `invalid_input` for a row without a valid customer, time or finite amount (path `[row, field]`),
 * or, with `duplicates: 'id'`, two rows sharing an order id but not their content (path `[row, 'id']`).
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
export function cleanTransactions<T extends TransactionInput = Transaction>(transactions: readonly T[], options?: CleanOptions): CleanResult<T> {
  const o = readOptions(options, KNOWN, 'cleanTransactions');
  const duplicates = enumOption(o, 'duplicates', 'id', DUPLICATES);
  const returns = enumOption(o, 'returns', 'keep', RETURNS);
  const zeros = enumOption(o, 'zeroAmounts', 'keep', ZEROS);
  const fromItems = booleanOption(o, 'amountFromItems', false);
  if (!Array.isArray(transactions)) {
    throw new CrmError('invalid_argument', 'cleanTransactions expects an array of transactions', ['transactions']);
  }
  const n = transactions.length;
  const removed: RemovedTransaction[] = [];
  const adjusted: AdjustedTransaction[] = [];
  const alive = new Uint8Array(n).fill(1);
  const amount = new Float64Array(n);
  const rows: Row[] = new Array(n);
  const remove = (index: number, reason: RemovalReason, detail: string): void => {
    alive[index] = 0;
    removed.push({ index, reason, detail });
  };

  for (let i = 0; i < n; i++) {
    const r = readRow(transactions[i], i);
    rows[i] = r.row;
    amount[i] = r.amount;
    if (fromItems && r.amount === 0 && r.items !== undefined && r.items.length > 0) {
      amount[i] = itemsTotal(r.items, i) ?? 0;
    }
  }

  if (duplicates === 'id') {
    const copies = new Map<string, number>();
    const orders = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const { id, content } = rows[i]!;
      if (id === undefined) continue;
      const key = `${id}\u0000${content}`;
      const copyOf = copies.get(key);
      if (copyOf !== undefined) {
        remove(i, 'duplicate', `same id '${id}', customer, time and amount as row ${copyOf}`);
        continue;
      }
      copies.set(key, i);
      // Returns may carry the id of the order they return, and one order may be refunded in parts.
      if (amount[i]! < 0) continue;
      const first = orders.get(id);
      if (first === undefined) {
        orders.set(id, i);
        continue;
      }
      throw new CrmError(
        'invalid_input',
        `rows ${first} and ${i} share order id '${id}' but not their customer, time, amount or items, so they are not one order loaded twice. ` +
          `If this column is not an order id (a customer id, for instance), do not read it as one (validateTransactions with fields: { customerId: 'id' } reads no order id); ` +
          `if the rows are lines of one order, combine them into one transaction with items; or pass duplicates: 'none' to keep every row`,
        [i, 'id'],
      );
    }
  } else if (duplicates === 'content') {
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const { content } = rows[i]!;
      const first = seen.get(content);
      if (first === undefined) seen.set(content, i);
      else remove(i, 'duplicate', `same customer, time, amount and items as row ${first}`);
    }
  }

  if (returns === 'drop') {
    for (let i = 0; i < n; i++) if (alive[i] && amount[i]! < 0) remove(i, 'return', `negative amount ${amount[i]}`);
  } else if (returns === 'net') {
    netReturns(rows, alive, amount, remove, adjusted);
  }

  if (zeros === 'drop') {
    for (let i = 0; i < n; i++) if (alive[i] && amount[i] === 0) remove(i, 'zero_amount', 'amount is 0');
  }

  const kept: T[] = [];
  const keptRows: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!alive[i]) continue;
    const t = transactions[i]!;
    kept.push(amount[i] === t.amount ? t : { ...t, amount: amount[i]! });
    keptRows.push(i);
  }
  const counts: Record<RemovalReason, number> = {
    duplicate: 0, return: 0, netted_return: 0, fully_returned: 0, unmatched_return: 0, zero_amount: 0,
  };
  for (const r of removed) counts[r.reason]++;
  removed.sort((a, b) => a.index - b.index);
  return { transactions: kept, rows: keptRows, removed, adjusted, counts };
}

function netReturns(
  rows: readonly Row[],
  alive: Uint8Array,
  amount: Float64Array,
  remove: (index: number, reason: RemovalReason, detail: string) => void,
  adjusted: AdjustedTransaction[],
): void {
  const order = Array.from({ length: rows.length }, (_, i) => i)
    .filter((i) => alive[i])
    .sort((a, b) => rows[a]!.ms - rows[b]!.ms || a - b);
  const lastOrder = new Map<string, number>();
  const byId = new Map<string, number>();
  const original = new Map<number, number>();
  for (const i of order) {
    const t = rows[i]!;
    if (amount[i]! >= 0) {
      if (amount[i]! > 0) {
        lastOrder.set(t.customer, i);
        if (t.id !== undefined) byId.set(t.id, i);
      }
      continue;
    }
    const target = (t.id !== undefined ? byId.get(t.id) : undefined) ?? lastOrder.get(t.customer);
    if (target === undefined || !alive[target] || rows[target]!.customer !== t.customer) {
      remove(i, 'unmatched_return', `return of ${-amount[i]!} with no earlier order of customer '${t.customer}'`);
      continue;
    }
    if (!original.has(target)) original.set(target, amount[target]!);
    amount[target] = amount[target]! + amount[i]!;
    remove(i, 'netted_return', `netted against the order at row ${target}`);
    if (amount[target]! <= 0) {
      remove(target, 'fully_returned', `order fully returned (net ${amount[target]})`);
      original.delete(target);
      if (lastOrder.get(t.customer) === target) lastOrder.delete(t.customer);
    } else {
      const prior = adjusted.findIndex((a) => a.index === target);
      const entry = { index: target, from: original.get(target)!, to: amount[target]!, detail: `netted against the return at row ${i}` };
      if (prior >= 0) adjusted[prior] = entry;
      else adjusted.push(entry);
    }
  }
  adjusted.sort((a, b) => a.index - b.index);
}
