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
