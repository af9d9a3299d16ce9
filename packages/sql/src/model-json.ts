import { CrmError, isCrmError, ownValue, readObject, type CrmPath } from '@crm/core';

/**
 * A fitted model as the compilers take it: the model object itself (anything with `toJSON()`,
 * such as a `LogisticRegression` of @crm/churn) or its JSON, parsed or as it came from `toJSON()`.
 * @crm/sql reads the JSON as plain data, so compiling a model never loads the model's code.
 *
 * @example
 * ```ts
 * import type { ModelInput, LogisticRegressionJsonLike } from '@crm/sql';
 * const json: LogisticRegressionJsonLike = { kind: 'crm.churn.logistic-regression', version: 1, coefficients: [0.5], intercept: -1 };
 * const input: ModelInput<LogisticRegressionJsonLike> = json;
 * ```
 */
export type ModelInput<Json> = Json | { toJSON(): Json };

/** The JSON of a model input: `toJSON()` of an object that has one, else the value itself. Internal. */
export function modelJson(value: unknown, path: CrmPath): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      try {
        return (toJSON as () => unknown).call(value);
      } catch (e) {
        if (isCrmError(e)) throw e;
        throw new CrmError('invalid_json', `toJSON() of the model failed: ${(e as Error)?.message ?? String(e)}`, path);
      }
    }
  }
  return value;
}

/** Checks `kind` and `version` (one of `versions`) of model JSON at `path`; returns the object. Internal. */
export function readKind(json: unknown, kinds: readonly string[], versions: number | readonly number[], path: CrmPath): Readonly<Record<string, unknown>> {
  const accepted: readonly number[] = typeof versions === 'number' ? [versions] : versions;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new CrmError('invalid_json', `expected model JSON (an object with kind ${kinds.map((k) => `'${k}'`).join(' or ')})`, path);
  }
  const obj = readObject(json, path);
  const kind = ownValue(obj, 'kind');
  if (typeof kind !== 'string' || !kinds.includes(kind)) {
    throw new CrmError(
      'invalid_json',
      `expected a model of kind ${kinds.map((k) => `'${k}'`).join(' or ')}, got ${JSON.stringify(kind) ?? 'none'}`,
      [...path, 'kind'],
    );
  }
  const v = ownValue(obj, 'version');
  if (typeof v !== 'number' || !accepted.includes(v)) {
    throw new CrmError('invalid_json', `${kind} JSON has format version ${JSON.stringify(v) ?? 'none'}; this release compiles version ${accepted.join(' or ')}`, [
      ...path,
      'version',
    ]);
  }
  return obj;
}

/** Reads an array of integers in [min, max] of a given length. Internal. */
export function readIntArray(obj: Readonly<Record<string, unknown>>, key: string, path: CrmPath, length: number, min: number, max: number): Int32Array {
  const v = ownValue(obj, key);
  const at = [...path, key];
  if (!Array.isArray(v) || v.length !== length) {
    throw new CrmError('invalid_json', `expected ${length} integers at ${at.join('.')}`, at);
  }
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) {
      throw new CrmError('invalid_json', `expected an integer in [${min}, ${max}] at ${at.join('.')}[${i}], got ${JSON.stringify(x) ?? String(x)}`, [...at, i]);
    }
    out[i] = x;
  }
  return out;
}

/** Runs a reader whose errors are relative to the model JSON and moves them under `path`. Internal. */
export function underPath<T>(path: CrmPath, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (isCrmError(e) && path.length > 0) throw new CrmError(e.code, e.message, [...path, ...e.path]);
    throw e;
  }
}
