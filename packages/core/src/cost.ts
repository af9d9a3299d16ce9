import { CrmError } from './errors.ts';

/**
 * The one cost guard: refuses work whose size would explode before any of it is done,
 * with a `limit_exceeded` error that names the option raising the limit. Functions whose
 * cost grows faster than their input (pairwise distances, horizons, candidate counts) call it
 * with their estimate first, so a small number in a call can never hang or abort the process.
 *
 * @param cost The estimated size of the work, in `unit`.
 * @param limit The allowed size (the option's value or its default).
 * @param option The option that raises the limit (`'maxPairs'`), as the user spells it.
 * @param what The work, for the message (`'exact silhouette over 100000 rows'`).
 * @param unit What `cost` counts (`'distance evaluations'`).
 * @throws {CrmError} `limit_exceeded` at `['options', option]` when `cost > limit` or cost is not finite.
 * @example
 * ```ts
 * import { checkCost, isCrmError } from '@crm/core';
 * checkCost(1e6, 1e8, 'maxPairs', 'exact silhouette', 'distance evaluations'); // fine
 * try {
 *   checkCost(1e10, 1e8, 'maxPairs', 'exact silhouette over 100000 rows', 'distance evaluations');
 * } catch (e) {
 *   if (isCrmError(e)) console.log(e.code, e.path); // "limit_exceeded" ["options", "maxPairs"]
 * }
 * ```
 */
export function checkCost(cost: number, limit: number, option: string, what: string, unit: string): void {
  if (cost <= limit) return;
  throw new CrmError(
    'limit_exceeded',
    `${what} needs about ${formatCount(cost)} ${unit}, more than the limit of ${formatCount(limit)}; ` +
      `raise options.${option} to allow it (or reduce the input)`,
    ['options', option],
  );
}

function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return n >= 1e6 ? n.toExponential(2) : String(Math.round(n));
}
