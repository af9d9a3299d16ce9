import { CrmError } from '@crm/core';
import type { ItemsetTarget, MiningOptions, ResolvedMiningOptions } from './types.ts';

const DEFAULT_MIN_SUPPORT = 0.5;
const DEFAULT_MAX_ITEMSETS = 1_000_000;
/**
 * minSupport × N within this relative distance of an integer is taken as that integer, so that
 * binary floating point (0.07 × 100 = 7.000000000000001) cannot raise the count threshold by one.
 */
const INTEGER_SNAP = 1e-9;
const TARGETS: readonly ItemsetTarget[] = ['all', 'closed', 'maximal'];

function readInteger(options: Readonly<Record<string, unknown>>, key: string, min: number, what: string): number | undefined {
  const v = Object.prototype.hasOwnProperty.call(options, key) ? options[key] : undefined;
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new CrmError('invalid_argument', `${key} must be an integer ≥ ${min} (${what}), got ${String(v)}`, ['options', key]);
  }
  return v;
}

/**
 * The count threshold for a support fraction: ceil(minSupport × N), robust to rounding noise.
 *
 * @example
 * minCountFor(0.01, 9835); // 99
 * minCountFor(0.07, 100);  // 7, although 0.07 * 100 === 7.000000000000001
 */
export function minCountFor(minSupport: number, n: number): number {
  const exact = minSupport * n;
  const nearest = Math.round(exact);
  const count = Math.abs(exact - nearest) <= INTEGER_SNAP * Math.max(1, exact) ? nearest : Math.ceil(exact);
  return Math.max(1, count);
}

/** Checks mining options and fills in defaults. */
export function resolveMiningOptions(options: MiningOptions | undefined, n: number): ResolvedMiningOptions {
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new CrmError('invalid_argument', 'options must be an object such as { minSupport: 0.01 }', ['options']);
  }
  const o = options as Readonly<Record<string, unknown>>;
  const own = (k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
  const support = own('minSupport');
  const count = readInteger(o, 'minCount', 1, 'a number of baskets');
  if (support !== undefined && count !== undefined) {
    throw new CrmError('invalid_argument', 'give either minSupport (a fraction) or minCount (a number of baskets), not both', ['options']);
  }
  if (support !== undefined && (typeof support !== 'number' || !(support > 0 && support <= 1))) {
    throw new CrmError(
      'invalid_argument',
      `minSupport must be a fraction in (0, 1], got ${String(support)}; for an absolute number of baskets use minCount`,
      ['options', 'minSupport'],
    );
  }
  const minSupport = count === undefined ? ((support as number | undefined) ?? DEFAULT_MIN_SUPPORT) : null;
  const minCount = count ?? minCountFor(minSupport as number, n);
  const maxLength = readInteger(o, 'maxLength', 1, 'items per itemset') ?? Infinity;
  const minLength = readInteger(o, 'minLength', 1, 'items per itemset') ?? 1;
  if (minLength > maxLength) {
    throw new CrmError('invalid_argument', `minLength (${minLength}) exceeds maxLength (${maxLength})`, ['options', 'minLength']);
  }
  const maxItemsets = readInteger(o, 'maxItemsets', 1, 'itemsets') ?? DEFAULT_MAX_ITEMSETS;
  const target = own('target') ?? 'all';
  if (!TARGETS.includes(target as ItemsetTarget)) {
    throw new CrmError('invalid_argument', `target must be one of ${TARGETS.join(', ')}, got ${String(target)}`, ['options', 'target']);
  }
  return { minSupport, minCount, maxLength, minLength, maxItemsets, target: target as ItemsetTarget };
}
