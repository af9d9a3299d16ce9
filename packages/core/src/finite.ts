import { CrmError, type CrmPath } from './errors.ts';

/**
 * The one finite-number guard for computed results: returns `x` when it is finite and
 * otherwise throws, so no @crm function hands back NaN or ±Infinity silently.
 *
 * Use it where a result can overflow or lose meaning even though every input was finite
 * (a sum of squares of 1e200, a likelihood at extreme parameters).
 *
 * @param what What was computed, said so a person can act (`'the squared distance between rows 3 and 7'`).
 * @param path Where the input that caused it sits.
 * @throws {CrmError} `non_finite_result` naming what overflowed.
 * @example
 * ```ts
 * import { finiteResult, isCrmError } from '@crm/core';
 * finiteResult(2 * 3, 'the product'); // 6
 * try {
 *   finiteResult(1e200 * 1e200, 'the squared distance', ['X', 0]);
 * } catch (e) {
 *   if (isCrmError(e)) console.log(e.code); // "non_finite_result"
 * }
 * ```
 */
export function finiteResult(x: number, what: string, path: CrmPath = []): number {
  if (Number.isFinite(x)) return x;
  throw new CrmError(
    'non_finite_result',
    `${what} is ${String(x)}: the input is too large or too extreme for double precision; rescale it (for example, to thousands or to z-scores) or check it for outliers`,
    path,
  );
}

/**
 * Checks every value of a computed array with {@link finiteResult}; the path of the first
 * offending value ends with its index.
 *
 * @throws {CrmError} `non_finite_result` at `[...path, index]`.
 * @example
 * ```ts
 * import { finiteResults } from '@crm/core';
 * finiteResults([0.2, 0.7], 'the predicted probabilities'); // [0.2, 0.7]
 * ```
 */
export function finiteResults<T extends ArrayLike<number>>(xs: T, what: string, path: CrmPath = []): T {
  if (xs === null || typeof xs !== 'object' || typeof xs.length !== 'number') {
    throw new CrmError('invalid_argument', `${what} must be an array of numbers`, path);
  }
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i])) finiteResult(xs[i] as number, `${what} (value ${i})`, [...path, i]);
  }
  return xs;
}
