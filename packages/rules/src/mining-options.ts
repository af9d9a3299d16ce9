import { CrmError, enumOption, numberOption, readOptions } from '@crm/core';
import type { ItemsetTarget, MiningOptions, ResolvedMiningOptions } from './types.ts';

const DEFAULT_MIN_SUPPORT = 0.5;
const DEFAULT_MAX_ITEMSETS = 1_000_000;
/**
 * minSupport × N within this relative distance of an integer is taken as that integer, so that
 * binary floating point (0.07 × 100 = 7.000000000000001) cannot raise the count threshold by one.
 */
const INTEGER_SNAP = 1e-9;
const TARGETS: readonly ItemsetTarget[] = ['all', 'closed', 'maximal'];

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

const OPTION_KEYS = ['minSupport', 'minCount', 'maxLength', 'minLength', 'maxItemsets', 'target'] as const;

/**
 * Checks mining options with core's one options reader (an unknown or misspelled key such as
 * `minSuport` is an error, never silently ignored) and fills in defaults.
 */
export function resolveMiningOptions(options: MiningOptions | undefined, n: number, where: string): ResolvedMiningOptions {
  const o = readOptions(options, OPTION_KEYS, where);
  if (o.minSupport !== undefined && o.minCount !== undefined) {
    throw new CrmError('invalid_argument', 'give either minSupport (a fraction) or minCount (a number of baskets), not both', ['options']);
  }
  const count = o.minCount === undefined ? undefined : numberOption(o, 'minCount', 1, { min: 1, integer: true });
  if (o.minSupport !== undefined && (typeof o.minSupport !== 'number' || !(o.minSupport > 0 && o.minSupport <= 1))) {
    throw new CrmError(
      'invalid_argument',
      `minSupport must be a fraction in (0, 1], got ${String(o.minSupport)}; for an absolute number of baskets use minCount`,
      ['options', 'minSupport'],
    );
  }
  const minSupport = count === undefined ? numberOption(o, 'minSupport', DEFAULT_MIN_SUPPORT, { min: 0, max: 1, minExclusive: true }) : null;
  const minCount = count ?? minCountFor(minSupport as number, n);
  const maxLength = numberOption(o, 'maxLength', Infinity, { min: 1, integer: true });
  const minLength = numberOption(o, 'minLength', 1, { min: 1, integer: true });
  if (minLength > maxLength) {
    throw new CrmError('invalid_argument', `minLength (${minLength}) exceeds maxLength (${maxLength})`, ['options', 'minLength']);
  }
  const maxItemsets = numberOption(o, 'maxItemsets', DEFAULT_MAX_ITEMSETS, { min: 1, integer: true });
  const target = enumOption(o, 'target', 'all', TARGETS);
  return { minSupport, minCount, maxLength, minLength, maxItemsets, target };
}
