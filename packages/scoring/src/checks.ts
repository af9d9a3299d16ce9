import { CrmError } from '@crm/core';

/** Checks a finite number (and a rule); internal. */
export function checkFinite(value: unknown, path: readonly (string | number)[], ok: (v: number) => boolean = () => true, rule = 'a finite number'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new CrmError('invalid_argument', `${path.join('.')} must be ${rule}, got ${String(value)}`, path);
  }
  return value;
}
