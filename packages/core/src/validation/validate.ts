import { CrmError } from '../errors.ts';
import type { Customer, Interaction, LineItem, Product, Subscription, Transaction } from '../types.ts';
import { readOptions } from '../options.ts';
import {
  ENTITY_FIELDS,
  parseCustomer,
  parseInteraction,
  parseLineItem,
  parseProduct,
  parseSubscription,
  parseTransaction,
  resolveColumns,
  type ColumnMap,
  type EntityParser,
  type FieldNames,
} from './entities.ts';
import { IssueSink, type ValidationIssueCode } from './fields.ts';

/**
 * One problem in one row: the row's index in the input, the path to the value (row index first),
 * a stable code and a message a person can act on.
 *
 * @example
 * ```ts
 * import type { ValidationIssue } from '@crm/core';
 * const issue: ValidationIssue = { row: 17, path: [17, 'amount'], code: 'not_a_number', message: 'amount must be a finite number, got "n/a"' };
 * ```
 */
export interface ValidationIssue {
  readonly row: number;
  readonly path: readonly (string | number)[];
  readonly code: ValidationIssueCode;
  readonly message: string;
}

/**
 * What validation returns: the valid rows, coerced to entities, with their input indices, and every
 * issue of the invalid ones. Every input row is either in `valid` (its index in `rows`) or has at
 * least one issue.
 *
 * @example
 * ```ts
 * import { validateTransactions } from '@crm/core';
 * const { valid, rows, issues } = validateTransactions([{ customerId: 'A', time: '2024-01-01', amount: '9.5' }]);
 * ```
 */
export interface ValidationResult<T> {
  /** The valid rows as entities, in input order. */
  readonly valid: T[];
  /** Input index of each valid row (`valid[i]` came from `rows[i]` of the input). */
  readonly rows: number[];
  /** Every issue found, in input order. */
  readonly issues: ValidationIssue[];
  /** Number of input rows with at least one issue. */
  readonly invalidCount: number;
}

/**
 * Options of the `validate…` functions.
 *
 * @example
 * ```ts
 * import type { ValidateOptions, Transaction } from '@crm/core';
 * const options: ValidateOptions<Transaction> = { fields: { customerId: 'customer_id', time: 'order_date', amount: 'total' } };
 * ```
 */
export interface ValidateOptions<T> {
  /**
   * Source column of each field when it differs from the field name (`{ customerId: 'ID' }`). The map
   * renames: a column mapped to a field is read as that field only, so `{ customerId: 'id' }` reads
   * the `id` column as the customer and no column as the order id (map `id` too if the rows have an
   * order-id column). Two fields cannot share one column, and an unknown field name is an error.
   */
  readonly fields?: FieldNames<T>;
}

function validateRows<T>(
  what: string,
  rows: readonly unknown[],
  parse: EntityParser<T>,
  known: readonly (keyof T & string)[],
  options: ValidateOptions<T> | undefined,
): ValidationResult<T> {
  const fields = checkFields(what, known, options);
  if (!Array.isArray(rows)) {
    throw new CrmError('invalid_argument', `${what} expects an array of rows, got ${rows === null ? 'null' : typeof rows}`, ['rows']);
  }
  const valid: T[] = [];
  const indices: number[] = [];
  const issues: ValidationIssue[] = [];
  let invalidCount = 0;
  for (let i = 0; i < rows.length; i++) {
    const sink = new IssueSink();
    const out = parse(rows[i], sink, fields);
    if (out !== undefined && sink.issues.length === 0) {
      valid.push(out);
      indices.push(i);
      continue;
    }
    invalidCount++;
    for (const issue of sink.issues) {
      issues.push({ row: i, path: [i, ...issue.path], code: issue.code, message: `row ${i}: ${issue.message}` });
    }
  }
  return { valid, rows: indices, issues, invalidCount };
}

function checkFields<T>(what: string, known: readonly (keyof T & string)[], options: ValidateOptions<T> | undefined): ColumnMap<T> {
  const o = readOptions(options, ['fields'], what);
  const fields = readOptions(o.fields, known, `${what} fields`, ['options', 'fields']) as FieldNames<T>;
  const byColumn = new Map<string, string>();
  for (const key of known) {
    const column: unknown = fields[key];
    if (column === undefined) continue;
    if (typeof column !== 'string' || column === '') {
      throw new CrmError('invalid_argument', `options.fields.${key} must be a column name (non-empty string)`, ['options', 'fields', key]);
    }
    const other = byColumn.get(column);
    if (other !== undefined) {
      throw new CrmError(
        'invalid_argument',
        `options.fields maps both ${other} and ${key} to column '${column}': one column can feed one field only`,
        ['options', 'fields', key],
      );
    }
    byColumn.set(column, key);
  }
  return resolveColumns(fields, known);
}

/**
 * Validates transaction rows of unknown shape (parsed JSON, CSV rows of strings) and coerces
 * what is unambiguous: numeric strings to numbers, ISO 8601 dates (`1997-01-01`, `19970101`,
 * `1997-01-01T10:00Z`) and epoch ms to `Date`, number ids to strings. A number given as a time that
 * would be a date before 1971 in epoch ms (a yyyymmdd number such as 19970101, Unix seconds, a 0
 * placeholder) is an `ambiguous_date` issue, not a guess. Never throws for bad rows and never drops
 * one silently: each row is valid or has issues. O(n).
 *
 * The `fields` map renames columns (see {@link ValidateOptions}): with `{ customerId: 'id' }` the
 * `id` column is the customer and no order id is read, so cleaning cannot mistake customers for orders.
 *
 * @throws {CrmError} `invalid_argument` only for a wrong call (rows not an array, an unknown option or
 * field name, two fields mapped to one column).
 * @example
 * ```ts
 * import { validateTransactions } from '@crm/core';
 * const { valid, issues } = validateTransactions(
 *   [
 *     { ID: '00004', date: '19970101', dollars: '29.33' },
 *     { ID: '00004', date: '1997-13-01', dollars: 'n/a' },
 *   ],
 *   { fields: { customerId: 'ID', time: 'date', amount: 'dollars' } },
 * );
 * valid.length;     // 1
 * issues[0].path;   // [1, 'time']  (and [1, 'amount'] next)
 * ```
 */
export function validateTransactions(rows: readonly unknown[], options?: ValidateOptions<Transaction>): ValidationResult<Transaction> {
  return validateRows('validateTransactions', rows, parseTransaction, ENTITY_FIELDS.Transaction, options);
}

/**
 * Validates customer rows; columns other than the known fields are kept in `attributes`. See
 * {@link validateTransactions} for the coercion rules.
 *
 * @throws {CrmError} `invalid_argument` only for a wrong call.
 * @example
 * ```ts
 * import { validateCustomers } from '@crm/core';
 * const { valid } = validateCustomers([{ id: 'C1', email: 'ada@example.com', plan: 'gold' }]);
 * valid[0].attributes; // { plan: 'gold' }
 * ```
 */
export function validateCustomers(rows: readonly unknown[], options?: ValidateOptions<Customer>): ValidationResult<Customer> {
  return validateRows('validateCustomers', rows, parseCustomer, ENTITY_FIELDS.Customer, options);
}

/**
 * Validates product rows (id, name, category, price ≥ 0).
 *
 * @throws {CrmError} `invalid_argument` only for a wrong call.
 * @example
 * ```ts
 * import { validateProducts } from '@crm/core';
 * validateProducts([{ id: 'SKU-1', price: '-1' }]).issues[0].code; // 'out_of_range'
 * ```
 */
export function validateProducts(rows: readonly unknown[], options?: ValidateOptions<Product>): ValidationResult<Product> {
  return validateRows('validateProducts', rows, parseProduct, ENTITY_FIELDS.Product, options);
}

/**
 * Validates interaction (touchpoint) rows: customer, time, channel, type, outcome and an optional
 * numeric `score` (a survey answer; a non-number is a `not_a_number` issue, never dropped).
 *
 * @throws {CrmError} `invalid_argument` only for a wrong call.
 * @example
 * ```ts
 * import { validateInteractions } from '@crm/core';
 * validateInteractions([{ customerId: 'C1', time: '2024-03-01', channel: 'email', type: 'campaign', outcome: 'opened' }]).valid.length; // 1
 * ```
 */
export function validateInteractions(rows: readonly unknown[], options?: ValidateOptions<Interaction>): ValidationResult<Interaction> {
  return validateRows('validateInteractions', rows, parseInteraction, ENTITY_FIELDS.Interaction, options);
}

/**
 * Validates line-item rows (productId, non-zero quantity, unit price ≥ 0).
 *
 * @throws {CrmError} `invalid_argument` only for a wrong call.
 * @example
 * ```ts
 * import { validateLineItems } from '@crm/core';
 * validateLineItems([{ productId: 'SKU-1', quantity: '2', unitPrice: '1.09' }]).valid; // [{ productId: 'SKU-1', quantity: 2, unitPrice: 1.09 }]
 * ```
 */
export function validateLineItems(rows: readonly unknown[], options?: ValidateOptions<LineItem>): ValidationResult<LineItem> {
  return validateRows('validateLineItems', rows, parseLineItem, ENTITY_FIELDS.LineItem, options);
}

/**
 * Validates contract or subscription rows (customer, start, end or still active, plan, amount ≥ 0),
 * the contractual data of survival analysis. A blank or absent `end` means the contract is still
 * active and reads as `null`; an `end` before `start` is an `out_of_range` issue at `[row, 'end']`.
 * See {@link validateTransactions} for the coercion rules.
 *
 * @throws {CrmError} `invalid_argument` only for a wrong call.
 * @example
 * ```ts
 * import { validateSubscriptions } from '@crm/core';
 * const { valid, issues } = validateSubscriptions([
 *   { customerId: 'C1', start: '2023-01-01', end: '2024-03-31', plan: 'annual' },
 *   { customerId: 'C2', start: '2023-06-01', end: null },
 *   { customerId: 'C3', start: '2024-02-01', end: '2024-01-01' },
 * ]);
 * valid[1].end;   // null (still active)
 * issues[0].path; // [2, 'end']
 * ```
 */
export function validateSubscriptions(rows: readonly unknown[], options?: ValidateOptions<Subscription>): ValidationResult<Subscription> {
  return validateRows('validateSubscriptions', rows, parseSubscription, ENTITY_FIELDS.Subscription, options);
}
