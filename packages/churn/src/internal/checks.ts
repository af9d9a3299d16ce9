import { CrmError, numberOption, toBinaryLabels, toDenseMatrix, type DenseMatrix, type NumberRange, type OptionBag } from '@crm/core';
import { portableExp } from '@crm/core';

/**
 * Rows of numbers as models accept them: `number[][]`, `Float64Array[]`, any `ArrayLike<number>[]`.
 *
 * @example
 * ```ts
 * import type { Rows } from '@crm/churn';
 * const X: Rows = [[0.5, 1], new Float64Array([2, 0])];
 * ```
 */
export type Rows = readonly ArrayLike<number>[];

/**
 * Binary labels as models and metrics accept them: 0/1 numbers or booleans (1 / `true` = churned).
 *
 * @example
 * ```ts
 * import type { Labels } from '@crm/churn';
 * const y: Labels = [0, 1, true, false];
 * ```
 */
export type Labels = ArrayLike<number | boolean>;

/** Checks scores or probabilities: an array of finite numbers of length `n` (when given). */
export function toScores(p: ArrayLike<number>, n: number | undefined, name: string, unit: boolean): Float64Array {
  if (p === null || typeof p !== 'object' || typeof p.length !== 'number') {
    throw new CrmError('invalid_argument', `${name} must be an array of numbers`, [name]);
  }
  if (n !== undefined && p.length !== n) {
    throw new CrmError('invalid_input', `${name} has ${p.length} values but y has ${n} labels`, [name]);
  }
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new CrmError('invalid_input', `${name}[${i}] is ${String(v)}: scores must be finite numbers`, [name, i]);
    }
    if (unit && (v < 0 || v > 1)) {
      throw new CrmError('invalid_input', `${name}[${i}] is ${v}: probabilities must lie in [0, 1]`, [name, i]);
    }
    out[i] = v;
  }
  return out;
}

/** Labels and scores of one evaluation, checked together. */
export function labelsAndScores(
  y: Labels,
  p: ArrayLike<number>,
  options: { readonly allowOneClass: boolean; readonly unit: boolean; readonly name?: string },
): { readonly y: Uint8Array; readonly p: Float64Array } {
  const labels = toBinaryLabels(y, undefined, { allowOneClass: options.allowOneClass });
  if (labels.length === 0) throw new CrmError('invalid_input', 'y is empty: pass at least one label', ['y']);
  return { y: labels, p: toScores(p, labels.length, options.name ?? 'p', options.unit) };
}

/** Training data checked: matrix, labels and optional per-class weights turned into row weights. */
export function trainingData(
  X: Rows,
  y: Labels,
  classWeight: ClassWeight | undefined,
): { readonly m: DenseMatrix; readonly y: Uint8Array; readonly w: Float64Array } {
  const m = toDenseMatrix(X, { name: 'X', minRows: 2 });
  const labels = toBinaryLabels(y, m.rows);
  return { m, y: labels, w: rowWeights(labels, classWeight) };
}

/**
 * Weights of the two classes: `'balanced'` gives each class the weight n / (2 · n_class), as
 * scikit-learn's `class_weight='balanced'`; an object gives them as `{ 0: w0, 1: w1 }`.
 *
 * @example
 * ```ts
 * import type { ClassWeight } from '@crm/churn';
 * const balanced: ClassWeight = 'balanced';
 * const churnersTwice: ClassWeight = { 0: 1, 1: 2 };
 * ```
 */
export type ClassWeight = 'balanced' | ClassWeights;

/**
 * Explicit weights of the two classes.
 *
 * @example
 * ```ts
 * import type { ClassWeights } from '@crm/churn';
 * const w: ClassWeights = { 0: 1, 1: 3 };
 * ```
 */
export interface ClassWeights {
  /** Weight of a row of class 0 (stayed). */
  readonly 0: number;
  /** Weight of a row of class 1 (churned). */
  readonly 1: number;
}

/**
 * Checks a class-weight option and returns it in canonical form; `null` (how model JSON writes
 * "no weights") reads as none.
 */
export function checkClassWeight(value: unknown): ClassWeight | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'balanced') return value;
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).every((k) => k === '0' || k === '1')) {
    const w0 = (value as Record<string, unknown>)[0];
    const w1 = (value as Record<string, unknown>)[1];
    if (typeof w0 === 'number' && typeof w1 === 'number' && w0 > 0 && w1 > 0 && Number.isFinite(w0) && Number.isFinite(w1)) {
      return { 0: w0, 1: w1 };
    }
  }
  throw new CrmError(
    'invalid_argument',
    `classWeight must be 'balanced' or { 0: w0, 1: w1 } with positive finite weights, got ${JSON.stringify(value)}`,
    ['options', 'classWeight'],
  );
}

/** Per-row weights from per-class weights (all 1 when none are given). */
export function rowWeights(y: Uint8Array, classWeight: ClassWeight | undefined): Float64Array {
  const w = new Float64Array(y.length);
  let w0 = 1;
  let w1 = 1;
  if (classWeight === 'balanced') {
    let ones = 0;
    for (let i = 0; i < y.length; i++) ones += y[i] as number;
    w1 = y.length / (2 * ones);
    w0 = y.length / (2 * (y.length - ones));
  } else if (classWeight !== undefined) {
    w0 = classWeight[0];
    w1 = classWeight[1];
  }
  for (let i = 0; i < y.length; i++) w[i] = y[i] === 1 ? w1 : w0;
  return w;
}

/**
 * Reads a number option that may also be `Infinity` (meaning "no limit", such as a tree's
 * `maxDepth` or logistic regression's `C`); `null` (how model JSON writes Infinity) reads as
 * Infinity too. Anything else goes through core's one `numberOption` reader.
 */
export function unboundedOption<K extends string>(options: OptionBag<K>, key: K, fallback: number, range: NumberRange): number {
  const v = options[key];
  if (v === Infinity || v === null) return Infinity;
  return numberOption(options, key, fallback, range);
}

/** Checks a prediction threshold. */
export function checkThreshold(threshold: number): number {
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
    throw new CrmError('invalid_argument', `threshold must be a number in [0, 1], got ${String(threshold)}`, ['threshold']);
  }
  return threshold;
}

/** Labels from probabilities: 1 where p ≥ threshold. */
export function thresholdProba(p: ArrayLike<number>, threshold: number): Uint8Array {
  const t = checkThreshold(threshold);
  const out = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = (p[i] as number) >= t ? 1 : 0;
  return out;
}

/** Logistic function, safe for large |z|; the same double in every engine (portableExp). */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + portableExp(-z));
  const e = portableExp(z);
  return e / (1 + e);
}

/** Runs an options resolver on the options of model JSON, turning its errors into `invalid_json`. */
export function readJsonOptions<T>(json: Readonly<Record<string, unknown>>, resolve: (options: unknown) => T): T {
  const raw = Object.prototype.hasOwnProperty.call(json, 'options') ? json['options'] : undefined;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CrmError('invalid_json', 'expected an object at options', ['options']);
  }
  try {
    return resolve(raw);
  } catch (e) {
    const err = e as { message?: string; path?: readonly (string | number)[] };
    throw new CrmError('invalid_json', `options in the JSON are invalid: ${err.message ?? String(e)}`, err.path ?? ['options']);
  }
}

/** Reads a boolean at `obj[key]` of model JSON. */
export function readBoolean(obj: Readonly<Record<string, unknown>>, key: string, path: readonly (string | number)[]): boolean {
  const v = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  if (typeof v !== 'boolean') throw new CrmError('invalid_json', `expected a boolean at ${[...path, key].join('.')}`, [...path, key]);
  return v;
}

/** Reads an array of integers in [min, max] at `obj[key]` of model JSON. */
export function readIntArray(
  obj: Readonly<Record<string, unknown>>,
  key: string,
  path: readonly (string | number)[],
  length: number,
  min: number,
  max: number,
): Int32Array {
  const v = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  const at = [...path, key];
  if (!Array.isArray(v) || v.length !== length) {
    throw new CrmError('invalid_json', `expected ${length} integers at ${at.join('.')}`, at);
  }
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) {
      throw new CrmError('invalid_json', `expected an integer in [${min}, ${max}] at ${at.join('.')}[${i}]`, [...at, i]);
    }
    out[i] = x;
  }
  return out;
}

/** A JSON value of a class-weight option: `null` when none. */
export function classWeightToJson(w: ClassWeight | undefined): ClassWeight | null {
  return w === undefined ? null : w;
}
