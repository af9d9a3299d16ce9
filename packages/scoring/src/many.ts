import { CrmError, isCrmError } from '@crm/core';

/**
 * Applies a single-customer prediction to every customer of an array, in order, into a
 * `Float64Array`: the batch forms of the models' predictions (`expectedPurchasesMany`,
 * `probabilityAliveMany`, …) are this loop around the single form, so a batch result equals the
 * single results bit for bit and costs the same per customer (no per-customer array or object
 * is allocated). An error about one customer is re-raised with the path `['customers', i, …]`
 * (the single form says `['customer', …]`); other errors name the customer in their message.
 * A missing entry (`undefined`, `null`, a hole) is an error, never read as a new customer. An
 * empty array gives an empty result.
 *
 * @throws {CrmError} `invalid_argument` at `['customers']` when `customers` is not an array;
 * whatever the single form throws, re-pathed as above.
 */
export function predictMany<C>(customers: unknown, predict: (customer: C) => number): Float64Array {
  if (!Array.isArray(customers)) {
    throw new CrmError('invalid_argument', `customers must be an array of customers, got ${customers === null ? 'null' : typeof customers}`, ['customers']);
  }
  const rows = customers as readonly (C | null | undefined)[];
  const out = new Float64Array(rows.length);
  let i = 0;
  try {
    for (; i < rows.length; i++) {
      const row = rows[i];
      // The single forms read a missing customer as a new one; in a batch it is a hole or a mistake.
      if (row === undefined || row === null) {
        throw new CrmError('invalid_input', `customers[${i}] is ${String(row)}: pass a customer history for every entry`, ['customers', i]);
      }
      out[i] = predict(row);
    }
  } catch (error) {
    throw repath(error, i);
  }
  return out;
}

/** The error of customer i, its path moved from `['customer', …]` to `['customers', i, …]`. */
function repath(error: unknown, i: number): unknown {
  if (!isCrmError(error) || error.path[0] === 'customers') return error;
  if (error.path[0] === 'customer') {
    const message = error.message.includes('[customer]') ? error.message.replace('[customer]', `[customers][${i}]`) : `customers[${i}]: ${error.message}`;
    return new CrmError(error.code, message, ['customers', i, ...error.path.slice(1)]);
  }
  return new CrmError(error.code, `customers[${i}]: ${error.message}`, error.path);
}
