import { CrmError, readOptions, type DateInput } from '@crm/core';
import { dateValue, unitMs, type DurationUnit } from './time-unit.ts';

/**
 * A contract or subscription: when it started and when it ended (`null` or absent while still
 * active). `@crm/core`'s `Subscription` (rows checked by `validateSubscriptions`) is one.
 *
 * @example
 * ```ts
 * import type { ContractPeriod } from '@crm/churn';
 * const active: ContractPeriod = { start: '2023-05-01', end: null };
 * ```
 */
export interface ContractPeriod {
  readonly start: DateInput;
  readonly end?: DateInput | null | undefined;
}

/**
 * Options of {@link survivalFromContracts}.
 *
 * @example
 * ```ts
 * import type { SurvivalFromContractsOptions } from '@crm/churn';
 * const options: SurvivalFromContractsOptions = { observationEnd: '2024-12-31', unit: 'month' };
 * ```
 */
export interface SurvivalFromContractsOptions {
  /** End of observation: active contracts, and ends after it, are censored here. Required. */
  readonly observationEnd: DateInput;
  /** Unit of the durations (default `'day'`). */
  readonly unit?: DurationUnit;
}

/**
 * Survival data for contractual customers (subscriptions, contracts), where churn is the end of
 * the contract, in the order of `contracts`:
 *
 * - an `end` on or before `observationEnd` is an event (1) at end − start;
 * - a contract without `end` (`null` or absent), or ending after `observationEnd` (a cancellation
 *   not yet effective), is censored (0) at observationEnd − start.
 *
 * `@crm/core`'s `Subscription` rows (from `validateSubscriptions`) fit as they are, and so do plain
 * `{ start, end }` records; only `start` and `end` are read. A start after the observation end or
 * an end before the start is an error, not dropped. O(n).
 *
 * @throws {CrmError} `invalid_argument` for missing or bad options; `invalid_input` at `[row, field]`
 * for a bad date, an end before the start, or a start after the observation end.
 * @example
 * ```ts
 * import { survivalFromContracts } from '@crm/churn';
 * survivalFromContracts(
 *   [{ start: '2024-01-01', end: '2024-01-31' }, { start: '2024-01-01', end: null }],
 *   { observationEnd: '2024-03-01', unit: 'day' },
 * ); // { durations: [30, 60], events: [1, 0] }
 * ```
 */
export function survivalFromContracts(
  contracts: readonly ContractPeriod[],
  options: SurvivalFromContractsOptions,
): { readonly durations: readonly number[]; readonly events: readonly (0 | 1)[] } {
  if (options === undefined) throw new CrmError('invalid_argument', 'survivalFromContracts: options { observationEnd } are required', ['options']);
  const o = readOptions(options, ['observationEnd', 'unit'], 'survivalFromContracts');
  const end = dateValue(o.observationEnd, ['options', 'observationEnd'], 'option observationEnd');
  const unit = unitMs(o, 'unit');
  if (!Array.isArray(contracts)) throw new CrmError('invalid_argument', 'contracts must be an array of { start, end }', ['contracts']);
  const durations: number[] = [];
  const events: (0 | 1)[] = [];
  for (let i = 0; i < contracts.length; i++) {
    const c = contracts[i] as ContractPeriod;
    if (c === null || typeof c !== 'object') throw new CrmError('invalid_input', `contracts[${i}] is not an object { start, end }`, [i]);
    const start = dateValue(c.start, [i, 'start'], `contracts[${i}].start`);
    if (start > end) throw new CrmError('invalid_input', `contracts[${i}] starts after the observation end`, [i, 'start']);
    const rawEnd = Object.prototype.hasOwnProperty.call(c, 'end') ? c.end : undefined;
    const stop = rawEnd === null || rawEnd === undefined ? undefined : dateValue(rawEnd, [i, 'end'], `contracts[${i}].end`);
    if (stop !== undefined && stop < start) throw new CrmError('invalid_input', `contracts[${i}] ends before it starts`, [i, 'end']);
    const churned = stop !== undefined && stop <= end;
    durations.push(((churned ? (stop as number) : end) - start) / unit);
    events.push(churned ? 1 : 0);
  }
  return Object.freeze({ durations: Object.freeze(durations), events: Object.freeze(events) });
}
