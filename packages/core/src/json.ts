import { CrmError, type CrmPath } from './errors.ts';
import { numberOption, type NumberRange } from './options.ts';

/**
 * Checks that untrusted JSON is a serialized @crm model of the given `kind` and `version` and
 * returns it as a record. Only own properties are ever read, so `__proto__` keys in the input
 * cannot pollute prototypes; model loaders build fresh objects from the values they check.
 *
 * @throws {CrmError} `invalid_json` naming what is wrong and where.
 * @example
 * ```ts
 * import { readModelJson } from '@crm/core';
 * const json = readModelJson(JSON.parse('{"kind":"crm.demo","version":1}'), 'crm.demo', 1);
 * ```
 */
export function readModelJson(json: unknown, kind: string, version: number): Readonly<Record<string, unknown>> {
  const obj = readObject(json, []);
  const gotKind = ownValue(obj, 'kind');
  if (gotKind !== kind) {
    throw new CrmError('invalid_json', `expected a model of kind '${kind}', got ${JSON.stringify(gotKind) ?? 'none'}`, ['kind']);
  }
  const gotVersion = ownValue(obj, 'version');
  if (gotVersion !== version) {
    throw new CrmError(
      'invalid_json',
      `${kind} JSON has format version ${JSON.stringify(gotVersion) ?? 'none'}; this release reads version ${version}`,
      ['version'],
    );
  }
  return obj;
}

/**
 * Reads a plain object (not an array, not null) at `path`.
 *
 * @throws {CrmError} `invalid_json` when the value is not a plain object.
 * @example
 * ```ts
 * import { readObject } from '@crm/core';
 * readObject({ a: 1 }, ['params']); // { a: 1 }
 * ```
 */
export function readObject(value: unknown, path: CrmPath): Readonly<Record<string, unknown>> {
  checkPath(path);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CrmError('invalid_json', `expected an object at ${formatPath(path)}`, path);
  }
  return value as Record<string, unknown>;
}

/**
 * Reads the own property `key` of `obj` (never an inherited one).
 *
 * @example
 * ```ts
 * import { ownValue } from '@crm/core';
 * ownValue({ a: 1 }, 'a');        // 1
 * ownValue({}, 'toString');       // undefined
 * ownValue(null as never, 'a');   // undefined: not an object
 * ```
 */
export function ownValue(obj: Readonly<Record<string, unknown>>, key: string): unknown {
  if (obj === null || typeof obj !== 'object') return undefined;
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/**
 * Reads a finite number at `obj[key]`, optionally within `range` (model JSON must not carry
 * parameters its predictions cannot use, such as a negative rate or a probability above 1).
 *
 * @throws {CrmError} `invalid_json` when missing, not a finite number, or out of range.
 * @example
 * ```ts
 * import { readNumber } from '@crm/core';
 * readNumber({ r: 0.24 }, 'r', ['params']); // 0.24
 * ```
 */
export function readNumber(
  obj: Readonly<Record<string, unknown>>,
  key: string,
  path: CrmPath = [],
  range?: NumberRange,
): number {
  checkPath(path);
  const v = ownValue(obj, key);
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new CrmError('invalid_json', `expected a finite number at ${formatPath([...path, key])}`, [...path, key]);
  }
  if (range !== undefined) {
    try {
      numberOption({ [key]: v }, key, v, range);
    } catch (e) {
      const message = (e as Error).message.replace(/^option /, '');
      throw new CrmError('invalid_json', `${formatPath([...path, key])}: ${message}`, [...path, key]);
    }
  }
  return v;
}

/**
 * Reads an array of finite numbers at `obj[key]`, optionally of a fixed length.
 *
 * @throws {CrmError} `invalid_json` when missing, of the wrong length, or holding a non-number.
 * @example
 * ```ts
 * import { readNumberArray } from '@crm/core';
 * readNumberArray({ w: [1, 2] }, 'w', [], 2); // [1, 2]
 * ```
 */
export function readNumberArray(
  obj: Readonly<Record<string, unknown>>,
  key: string,
  path: CrmPath = [],
  length?: number,
): number[] {
  checkPath(path);
  const v = ownValue(obj, key);
  const at = [...path, key];
  if (!Array.isArray(v)) throw new CrmError('invalid_json', `expected an array of numbers at ${formatPath(at)}`, at);
  if (length !== undefined && v.length !== length) {
    throw new CrmError('invalid_json', `expected ${length} numbers at ${formatPath(at)}, got ${v.length}`, at);
  }
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new CrmError('invalid_json', `expected a finite number at ${formatPath([...at, i])}`, [...at, i]);
    }
    out[i] = x;
  }
  return out;
}

/** A path handed to a reader must be an array; anything else is a programming error reported as such. */
function checkPath(path: CrmPath): CrmPath {
  if (!Array.isArray(path)) throw new CrmError('invalid_argument', 'path must be an array of keys and indices', ['path']);
  return path;
}

function formatPath(path: CrmPath): string {
  return path.length === 0 ? 'the top level' : path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}
