import { CrmError, type CrmPath } from '../errors.ts';

/** A non-empty array, or a CrmError naming `path`. */
export function list<T>(value: readonly T[] | undefined, path: CrmPath, what: string): readonly T[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new CrmError('invalid_input', `${what} must be a non-empty array`, path);
  }
  // Holes and null entries would otherwise surface later as a TypeError on their fields.
  for (let i = 0; i < value.length; i++) {
    if (value[i] === undefined || value[i] === null) {
      throw new CrmError('invalid_input', `${what}[${i}] is missing (a hole, null or undefined)`, [...path, i]);
    }
  }
  return value;
}

/** Finite numbers copied out of an array-like (so typed arrays work), or a CrmError at the bad entry. */
export function numbers(values: ArrayLike<number> | undefined, path: CrmPath, what: string, minLength = 1): number[] {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new CrmError('invalid_input', `${what} must be an array of numbers`, path);
  }
  if (values.length < minLength) {
    throw new CrmError('invalid_input', `${what} needs at least ${minLength} value(s), got ${values.length}`, path);
  }
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new CrmError('invalid_input', `${what}[${i}] is ${String(v)}; charts need finite numbers`, [...path, i]);
    }
    out[i] = v;
  }
  return out;
}

/** Two arrays of equal length, or a CrmError. */
export function sameLength(a: readonly number[], b: readonly number[], path: CrmPath, what: string): void {
  if (a.length !== b.length) {
    throw new CrmError('invalid_input', `${what}: lengths differ (${a.length} and ${b.length}); give one value per point`, path);
  }
}

/** A rectangular matrix of finite numbers with at least one cell. */
export function matrix(values: readonly ArrayLike<number>[] | undefined, path: CrmPath, what: string): number[][] {
  const rows = list(values as readonly ArrayLike<number>[], path, what);
  const out = rows.map((row, i) => numbers(row, [...path, i], `${what}[${i}]`));
  const cols = out[0]?.length ?? 0;
  out.forEach((row, i) => {
    if (row.length !== cols) {
      throw new CrmError('invalid_input', `${what} is ragged: row ${i} has ${row.length} values, row 0 has ${cols}`, [...path, i]);
    }
  });
  return out;
}

/** Labels for `n` things: the given ones (as strings), or `fallback(i)`. */
export function labels(given: readonly unknown[] | undefined, n: number, path: CrmPath, fallback: (i: number) => string): string[] {
  if (given === undefined) return Array.from({ length: n }, (_, i) => fallback(i));
  if (!Array.isArray(given) || given.length !== n) {
    throw new CrmError('invalid_input', `expected ${n} labels, got ${Array.isArray(given) ? given.length : String(given)}`, path);
  }
  return given.map((g) => String(g));
}
