import { expect } from 'vitest';
import { isCrmError } from '@crm/core';

/** Asserts that `f` throws a CrmError with `code` (and, when given, `path`). */
export function expectCrmError(f: () => unknown, code: string, path?: readonly (string | number)[]): void {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected a CrmError').toBeDefined();
  expect(isCrmError(thrown), String(thrown)).toBe(true);
  expect((thrown as { code: string }).code).toBe(code);
  if (path) expect((thrown as { path: unknown }).path).toEqual(path);
}

/** Deep-freezes rows so any mutation by the code under test throws. */
export function frozenRows(X: readonly (readonly number[])[]): readonly (readonly number[])[] {
  return Object.freeze(X.map((r) => Object.freeze(r.slice())));
}
