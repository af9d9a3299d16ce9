/**
 * Every code a {@link CrmError} can carry. Codes are stable: match on them, not on messages.
 *
 * - `invalid_argument`: a call was wrong (not an array, bad options, unknown option value).
 * - `invalid_input`: data handed to a numerical routine is unusable (empty, ragged, non-finite).
 * - `invalid_summary`: a customer summary is inconsistent (recency > T, negative frequency, …).
 * - `invalid_labels`: classification labels are not 0/1 or boolean, or hold one class only.
 * - `invalid_json`: `fromJSON` was given something that is not a model of the expected kind and version.
 * - `not_converged`: an iterative fit did not reach its tolerance and the caller asked for strictness.
 * - `degenerate_data`: the data cannot identify the model (no repeat buyers, constant column, k > n).
 * - `limit_exceeded`: a safety cap (such as `maxItemsets`) was reached, or work would exceed its cost limit;
 *   the message names the option that raises it.
 * - `non_finite_result`: every input was finite but a result overflowed double precision (NaN or ±Infinity);
 *   the message says what to rescale.
 * - `invalid_segment_map`: a user segment map leaves cells uncovered or covers one twice.
 *
 * @example
 * ```ts
 * import type { CrmErrorCode } from '@crm/core';
 * const code: CrmErrorCode = 'invalid_input';
 * ```
 */
export type CrmErrorCode =
  | 'invalid_argument'
  | 'invalid_input'
  | 'invalid_summary'
  | 'invalid_labels'
  | 'invalid_json'
  | 'not_converged'
  | 'degenerate_data'
  | 'limit_exceeded'
  | 'non_finite_result'
  | 'invalid_segment_map';

/**
 * The path to an offending value, outermost first: row indices and field names.
 *
 * @example
 * ```ts
 * import type { CrmPath } from '@crm/core';
 * const path: CrmPath = [17, 'amount']; // row 17, field amount
 * ```
 */
export type CrmPath = readonly (string | number)[];

/**
 * The one error class of @crm. It carries a stable `code`, a message a person can act on,
 * and, where a value is at fault, the `path` to it (`[17, 'amount']`).
 *
 * Library code tells CrmErrors apart by `name === 'CrmError'` or {@link isCrmError}, never by
 * `instanceof`, because a dual ESM/CJS install can hold two copies of the class.
 *
 * @example
 * ```ts
 * import { CrmError, isCrmError } from '@crm/core';
 * try {
 *   throw new CrmError('invalid_input', 'X is empty: pass at least one row', ['X']);
 * } catch (e) {
 *   if (isCrmError(e)) console.log(e.code, e.path); // "invalid_input" ["X"]
 * }
 * ```
 */
export class CrmError extends Error {
  override readonly name: 'CrmError' = 'CrmError';
  /** Stable machine-readable reason. */
  readonly code: CrmErrorCode;
  /** Path to the offending value, outermost first; empty when the whole call is at fault. */
  readonly path: CrmPath;

  constructor(code: CrmErrorCode, message: string, path: CrmPath = []) {
    super(message);
    this.code = code;
    this.path = path;
  }
}

/**
 * True when `value` is a {@link CrmError} from any copy of @crm/core.
 *
 * @example
 * ```ts
 * import { CrmError, isCrmError } from '@crm/core';
 * isCrmError(new CrmError('invalid_input', 'empty')); // true
 * isCrmError(new Error('x'));                         // false
 * ```
 */
export function isCrmError(value: unknown): value is CrmError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'CrmError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}
