import type { Customer, Interaction, LineItem, Product, Subscription, Transaction } from '../types.ts';
import { field, IssueSink, readDate, readId, readNumber, readText } from './fields.ts';
import type { StandardSchemaV1 } from './standard-schema.ts';

/**
 * Source column of each entity field, for rows whose columns have other names.
 *
 * @example
 * ```ts
 * import type { FieldNames, Transaction } from '@crm/core';
 * const fields: FieldNames<Transaction> = { customerId: 'ID', time: 'date', amount: 'dollars' };
 * ```
 */
export type FieldNames<T> = { readonly [K in keyof T]?: string };

/**
 * The resolved column of each field; internal. `null` means the field is not read at all (its
 * default column was mapped to another field, see `resolveColumns`).
 */
export type ColumnMap<T> = { readonly [K in keyof T]?: string | null };

/** Reads one entity from an unknown row; undefined (with issues in the sink) when invalid. */
export type EntityParser<T> = (value: unknown, sink: IssueSink, names: ColumnMap<T>) => T | undefined;

const name = <T>(names: ColumnMap<T>, key: keyof T & string): string | null => (names[key] === undefined ? key : names[key]!);

/** The column fields of each entity, as `options.fields` may map them. */
export const ENTITY_FIELDS = {
  Transaction: ['id', 'customerId', 'time', 'amount', 'items'],
  LineItem: ['productId', 'quantity', 'unitPrice'],
  Customer: ['id', 'name', 'email', 'signupTime', 'segment', 'country'],
  Product: ['id', 'name', 'category', 'price'],
  Interaction: ['id', 'customerId', 'time', 'channel', 'type', 'outcome', 'score'],
  Subscription: ['id', 'customerId', 'start', 'end', 'plan', 'amount'],
} as const;

/**
 * Resolves a column map as a rename: a column mapped to a field is read only as that field, so a
 * field whose default column was claimed by another field (`{ customerId: 'id' }` takes the `id`
 * column from the order id) is not read at all rather than read twice.
 */
export function resolveColumns<T>(fields: FieldNames<T>, all: readonly (keyof T & string)[]): ColumnMap<T> {
  const claimed = new Set<string>();
  for (const f of all) if (fields[f] !== undefined) claimed.add(fields[f]!);
  const out: { [K in keyof T]?: string | null } = {};
  for (const f of all) {
    if (fields[f] !== undefined) out[f] = fields[f];
    else if (claimed.has(f)) out[f] = null;
  }
  return out;
}

/** The fields of `obj` whose value is not undefined, so optional fields are absent rather than undefined. */
function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** Reads the fields of one row by entity field name, through the caller's column names. */
function rowReader<T>(row: Readonly<Record<string, unknown>>, names: ColumnMap<T>, sink: IssueSink, prefix: readonly (string | number)[] = []) {
  type Key = keyof T & string;
  const at = (key: Key): unknown => {
    const column = name(names, key);
    return column === null ? undefined : field(row, column);
  };
  return {
    id: (key: Key, required: boolean) => readId(at(key), [...prefix, key], sink, required),
    text: (key: Key, required: boolean) => readText(at(key), [...prefix, key], sink, required),
    date: (key: Key, required: boolean) => readDate(at(key), [...prefix, key], sink, required),
    number: (key: Key, required: boolean, range?: Parameters<typeof readNumber>[4]) => readNumber(at(key), [...prefix, key], sink, required, range),
    raw: at,
  };
}

function asRecord(value: unknown, sink: IssueSink, path: readonly (string | number)[]): Readonly<Record<string, unknown>> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return sink.add(path, 'not_an_object', `${path.length ? path.join('.') : 'the row'} must be an object with named fields`);
  }
  return value as Record<string, unknown>;
}

function parseLineItemAt(value: unknown, sink: IssueSink, names: ColumnMap<LineItem>, at: readonly (string | number)[]): LineItem | undefined {
  const row = asRecord(value, sink, at);
  if (!row) return undefined;
  const before = sink.issues.length;
  const f = rowReader(row, names, sink, at);
  const productId = f.id('productId', true);
  const quantity = f.number('quantity', true, { nonZero: true });
  const unitPrice = f.number('unitPrice', false, { min: 0 });
  if (sink.issues.length > before) return undefined;
  return compact({ productId: productId!, quantity: quantity!, unitPrice });
}

/** Reads a {@link LineItem}. */
export const parseLineItem: EntityParser<LineItem> = (value, sink, names) => parseLineItemAt(value, sink, names, []);

/** Reads a {@link Transaction}; `items` must hold line items with the canonical field names. */
export const parseTransaction: EntityParser<Transaction> = (value, sink, names) => {
  const row = asRecord(value, sink, []);
  if (!row) return undefined;
  const before = sink.issues.length;
  const f = rowReader(row, names, sink);
  const id = f.id('id', false);
  const customerId = f.id('customerId', true);
  const time = f.date('time', true);
  const amount = f.number('amount', true);
  const rawItems = f.raw('items');
  let items: LineItem[] | undefined;
  if (rawItems !== undefined && rawItems !== null) {
    if (!Array.isArray(rawItems)) {
      sink.add(['items'], 'not_an_array', 'items must be an array of line items { productId, quantity, unitPrice }');
    } else {
      items = rawItems.map((item, j) => parseLineItemAt(item, sink, {}, ['items', j])!);
    }
  }
  if (sink.issues.length > before) return undefined;
  return compact({ id, customerId: customerId!, time: time!, amount: amount!, items });
};

const CUSTOMER_FIELDS = ['id', 'name', 'email', 'signupTime', 'segment', 'country', 'attributes'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Reads a {@link Customer}; columns other than the known fields are kept in `attributes`. */
export const parseCustomer: EntityParser<Customer> = (value, sink, names) => {
  const row = asRecord(value, sink, []);
  if (!row) return undefined;
  const before = sink.issues.length;
  const f = rowReader(row, names, sink);
  const id = f.id('id', true);
  const customerName = f.text('name', false);
  const email = f.text('email', false);
  if (email !== undefined && !EMAIL.test(email)) sink.add(['email'], 'invalid_format', `email ${JSON.stringify(email)} is not an email address`);
  const signupTime = f.date('signupTime', false);
  const segment = f.text('segment', false);
  const country = f.text('country', false);
  const known = new Set<string | null>(CUSTOMER_FIELDS.map((f) => name(names, f)));
  const attributes: Record<string, string | number | boolean | null> = {};
  let hasAttributes = false;
  for (const key of Object.keys(row)) {
    if (known.has(key)) continue;
    const v = row[key];
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) {
      Object.defineProperty(attributes, key, { value: v, enumerable: true, writable: true, configurable: true });
      hasAttributes = true;
    }
  }
  if (sink.issues.length > before) return undefined;
  return compact({ id: id!, name: customerName, email, signupTime, segment, country, attributes: hasAttributes ? attributes : undefined });
};

/** Reads a {@link Product}. */
export const parseProduct: EntityParser<Product> = (value, sink, names) => {
  const row = asRecord(value, sink, []);
  if (!row) return undefined;
  const before = sink.issues.length;
  const f = rowReader(row, names, sink);
  const id = f.id('id', true);
  const productName = f.text('name', false);
  const category = f.text('category', false);
  const price = f.number('price', false, { min: 0 });
  if (sink.issues.length > before) return undefined;
  return compact({ id: id!, name: productName, category, price });
};

/** Reads an {@link Interaction}. */
export const parseInteraction: EntityParser<Interaction> = (value, sink, names) => {
  const row = asRecord(value, sink, []);
  if (!row) return undefined;
  const before = sink.issues.length;
  const f = rowReader(row, names, sink);
  const id = f.id('id', false);
  const customerId = f.id('customerId', true);
  const time = f.date('time', true);
  const channel = f.text('channel', true);
  const type = f.text('type', true);
  const outcome = f.text('outcome', false);
  const score = f.number('score', false);
  if (sink.issues.length > before) return undefined;
  return compact({ id, customerId: customerId!, time: time!, channel: channel!, type: type!, outcome, score });
};

/** Reads a {@link Subscription}; a blank `end` means still active (`null`), an end before the start is an issue. */
export const parseSubscription: EntityParser<Subscription> = (value, sink, names) => {
  const row = asRecord(value, sink, []);
  if (!row) return undefined;
  const before = sink.issues.length;
  const f = rowReader(row, names, sink);
  const id = f.id('id', false);
  const customerId = f.id('customerId', true);
  const start = f.date('start', true);
  const end = f.date('end', false);
  const plan = f.text('plan', false);
  const amount = f.number('amount', false, { min: 0 });
  if (start !== undefined && end !== undefined && end.getTime() < start.getTime()) {
    sink.add(['end'], 'out_of_range', `end (${end.toISOString()}) is before start (${start.toISOString()}): a contract cannot end before it begins`);
  }
  if (sink.issues.length > before) return undefined;
  return { ...compact({ id, customerId: customerId!, start: start!, plan, amount }), end: end ?? null } as Subscription;
};

/**
 * A Standard Schema v1 schema of one entity: `schema['~standard'].validate(value)` returns
 * `{ value }` with the coerced entity, or `{ issues }`.
 *
 * @example
 * ```ts
 * import { productSchema, type EntitySchema, type Product } from '@crm/core';
 * const schema: EntitySchema<Product> = productSchema;
 * schema.entity; // 'Product'
 * ```
 */
export interface EntitySchema<T> extends StandardSchemaV1<unknown, T> {
  /** Entity name, for messages. */
  readonly entity: string;
}

// @__NO_SIDE_EFFECTS__
function schemaOf<T>(entity: string, parse: EntityParser<T>): EntitySchema<T> {
  return {
    entity,
    '~standard': {
      version: 1,
      vendor: 'crm',
      validate(value: unknown): StandardSchemaV1.Result<T> {
        const sink = new IssueSink();
        const out = parse(value, sink, {});
        if (out === undefined || sink.issues.length > 0) {
          return { issues: sink.issues.map((i) => ({ message: i.message, path: i.path })) };
        }
        return { value: out };
      },
    },
  };
}

/**
 * Standard Schema of a {@link Transaction}: `customerId` (string or number), `time` (Date, ISO 8601
 * or epoch ms), `amount` (number or numeric string), optional `id` and `items`.
 *
 * @example
 * ```ts
 * import { transactionSchema } from '@crm/core';
 * const r = transactionSchema['~standard'].validate({ customerId: 4, time: '19970101', amount: '29.33' });
 * // { value: { customerId: '4', time: Date(1997-01-01), amount: 29.33 } }
 * ```
 */
export const transactionSchema: EntitySchema<Transaction> = /* @__PURE__ */ schemaOf('Transaction', parseTransaction);

/**
 * Standard Schema of a {@link LineItem}: `productId`, `quantity` (non-zero), optional `unitPrice` (≥ 0).
 *
 * @example
 * ```ts
 * import { lineItemSchema } from '@crm/core';
 * lineItemSchema['~standard'].validate({ productId: 'SKU-1', quantity: '2' }); // { value: { productId: 'SKU-1', quantity: 2 } }
 * ```
 */
export const lineItemSchema: EntitySchema<LineItem> = /* @__PURE__ */ schemaOf('LineItem', parseLineItem);

/**
 * Standard Schema of a {@link Customer}: `id`, optional `name`, `email`, `signupTime`, `segment`,
 * `country`; other columns are kept in `attributes`.
 *
 * @example
 * ```ts
 * import { customerSchema } from '@crm/core';
 * customerSchema['~standard'].validate({ id: 'C1', email: 'not-an-email' }); // { issues: [{ path: ['email'], … }] }
 * ```
 */
export const customerSchema: EntitySchema<Customer> = /* @__PURE__ */ schemaOf('Customer', parseCustomer);

/**
 * Standard Schema of a {@link Product}: `id`, optional `name`, `category`, `price` (≥ 0).
 *
 * @example
 * ```ts
 * import { productSchema } from '@crm/core';
 * productSchema['~standard'].validate({ id: 'SKU-1', price: '1.09' }); // { value: { id: 'SKU-1', price: 1.09 } }
 * ```
 */
export const productSchema: EntitySchema<Product> = /* @__PURE__ */ schemaOf('Product', parseProduct);

/**
 * Standard Schema of an {@link Interaction}: `customerId`, `time`, `channel`, `type`, optional `id`,
 * `outcome` and `score` (a finite number or numeric string, such as a survey answer).
 *
 * @example
 * ```ts
 * import { interactionSchema } from '@crm/core';
 * interactionSchema['~standard'].validate({ customerId: 'C1', time: '2024-03-01', channel: 'email', type: 'campaign' });
 * ```
 */
export const interactionSchema: EntitySchema<Interaction> = /* @__PURE__ */ schemaOf('Interaction', parseInteraction);

/**
 * Standard Schema of a {@link Subscription}: `customerId`, `start`, optional `end` (blank or absent:
 * still active, `null`; never before `start`), `id`, `plan` and `amount` (≥ 0).
 *
 * @example
 * ```ts
 * import { subscriptionSchema } from '@crm/core';
 * subscriptionSchema['~standard'].validate({ customerId: 'C1', start: '2024-01-01', end: '' });
 * // { value: { customerId: 'C1', start: Date(2024-01-01), end: null } }
 * ```
 */
export const subscriptionSchema: EntitySchema<Subscription> = /* @__PURE__ */ schemaOf('Subscription', parseSubscription);
