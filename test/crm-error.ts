import { isCrmError, type CrmError } from '@crm/core';

/**
 * The CrmError that `fn` throws. Anything else it throws is rethrown and a normal return fails,
 * so a test that expects a CrmError cannot pass by accident.
 */
export function crmError(fn: () => unknown): CrmError {
  try {
    fn();
  } catch (e) {
    if (isCrmError(e)) return e;
    throw e;
  }
  throw new Error('expected a CrmError, but the call returned');
}

/** The code and path of the CrmError that `fn` throws, as `[code, path]` (see {@link crmError}). */
export function crmCode(fn: () => unknown): [string, readonly (string | number)[]] {
  const e = crmError(fn);
  return [e.code, e.path];
}
