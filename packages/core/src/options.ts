import { CrmError, type CrmPath } from './errors.ts';

/**
 * An options object read by {@link readOptions}: only the known keys, copied once from the
 * caller's own enumerable properties onto an object without a prototype.
 *
 * @example
 * ```ts
 * import { readOptions, type OptionBag } from '@crm/core';
 * const o: OptionBag<'seed'> = readOptions({ seed: 7 }, ['seed'], 'KMeans.fit');
 * ```
 */
export type OptionBag<K extends string> = { readonly [P in K]?: unknown };

/**
 * The one options reader of @crm: every public function and `fit` reads its options object
 * through it, so an unknown or misspelled key is an error instead of being silently ignored.
 *
 * Values are copied once from the caller's own properties (inherited keys, getters called
 * twice or `__proto__` tricks cannot change what the function sees later). `undefined` means
 * "use the default". The cost is O(number of keys).
 *
 * @param options What the caller passed; `undefined` is the same as `{}`.
 * @param known Every option name the function accepts.
 * @param where The public name of the call, for messages (`'summarizeCustomers'`).
 * @param at Where the object sits, for error paths (default `['options']`; a nested object such as a
 *   column spec passes its own path, `['spec', 'columns', 2]`).
 * @throws {CrmError} `invalid_argument` at `at` (default `['options']`) when options is not a plain object,
 *   at `[...at, key]` for an unknown key, naming the nearest known key.
 * @example
 * ```ts
 * import { readOptions, isCrmError } from '@crm/core';
 * readOptions({ period: 'week' }, ['period', 'observationEnd'], 'summarizeCustomers'); // { period: 'week' }
 * try {
 *   readOptions({ perod: 'week' }, ['period', 'observationEnd'], 'summarizeCustomers');
 * } catch (e) {
 *   if (isCrmError(e)) console.log(e.message); // "summarizeCustomers: unknown option 'perod' (did you mean 'period'?); …"
 * }
 * ```
 */
export function readOptions<K extends string>(
  options: unknown,
  known: readonly K[],
  where: string,
  at: CrmPath = ['options'],
): OptionBag<K> {
  if (!Array.isArray(known) || !allStrings(known) || typeof where !== 'string' || !Array.isArray(at)) {
    throw new CrmError('invalid_argument', 'readOptions(options, known, where, at): known must be an array of names, where a string and at a path', ['known']);
  }
  const out = Object.create(null) as Record<string | symbol, unknown>;
  // The typed readers report errors at [...at, key], so nested option objects need no re-pathing.
  Object.defineProperty(out, BAG_PATH, { value: at });
  if (options === undefined) return out as OptionBag<K>;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new CrmError('invalid_argument', `${where}: ${pathText(at)} must be an object, got ${describe(options)}`, at);
  }
  for (const key of Object.keys(options)) {
    if (!(known as readonly string[]).includes(key)) {
      const near = nearest(key, known);
      throw new CrmError(
        'invalid_argument',
        `${where}: unknown option '${key}'${near === undefined ? '' : ` (did you mean '${near}'?)`}; ` +
          `known options: ${known.length === 0 ? 'none' : known.map((k) => `'${k}'`).join(', ')}`,
        [...at, key],
      );
    }
    out[key] = (options as Record<string, unknown>)[key];
  }
  return out as OptionBag<K>;
}

/**
 * Bounds for {@link numberOption}.
 *
 * @example
 * ```ts
 * import type { NumberRange } from '@crm/core';
 * const probability: NumberRange = { min: 0, max: 1 };
 * ```
 */
export interface NumberRange {
  /** Smallest allowed value (inclusive unless `minExclusive`). */
  readonly min?: number;
  /** Largest allowed value (inclusive unless `maxExclusive`). */
  readonly max?: number;
  /** `min` itself is not allowed. */
  readonly minExclusive?: boolean;
  /** `max` itself is not allowed. */
  readonly maxExclusive?: boolean;
  /** Only integers are allowed. */
  readonly integer?: boolean;
}

/**
 * Reads a finite number option within `range`; `undefined` gives `fallback`.
 * NaN, ±Infinity, strings and values out of range are errors, never clamped.
 *
 * @throws {CrmError} `invalid_argument` at `[...at, key]` (`['options', key]` for a top-level bag).
 * @example
 * ```ts
 * import { numberOption, readOptions } from '@crm/core';
 * const o = readOptions({ margin: 0.3 }, ['margin'], 'customerLifetimeValue');
 * numberOption(o, 'margin', 1, { min: 0, max: 1, minExclusive: true }); // 0.3
 * ```
 */
export function numberOption<K extends string>(options: OptionBag<K>, key: K, fallback: number, range: NumberRange = {}): number {
  const v = bagValue(options, key);
  if (range === null || typeof range !== 'object') throw new CrmError('invalid_argument', 'range must be an object', ['range']);
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || !inRange(v, range)) {
    throw new CrmError('invalid_argument', `option ${optionName(keyPath(options, key))} must be ${rangeText(range)}, got ${describe(v)}`, keyPath(options, key));
  }
  return v;
}

/**
 * Reads an option that must be one of a few strings; `undefined` gives `fallback`.
 *
 * @throws {CrmError} `invalid_argument` at `[...at, key]` (`['options', key]` for a top-level bag).
 * @example
 * ```ts
 * import { enumOption, readOptions } from '@crm/core';
 * const o = readOptions({ method: 'exact' }, ['method'], 'silhouette');
 * enumOption(o, 'method', 'auto', ['auto', 'exact', 'sample'] as const); // 'exact'
 * ```
 */
export function enumOption<K extends string, T extends string>(
  options: OptionBag<K>,
  key: K,
  fallback: T,
  allowed: readonly T[],
): T {
  const v = bagValue(options, key);
  if (!Array.isArray(allowed)) throw new CrmError('invalid_argument', 'allowed must be an array of strings', ['allowed']);
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new CrmError(
      'invalid_argument',
      `option ${optionName(keyPath(options, key))} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(v)}`,
      keyPath(options, key),
    );
  }
  return v as T;
}

/**
 * Reads a boolean option; `undefined` gives `fallback`. Truthy non-booleans (`'false'`, `1`) are errors.
 *
 * @throws {CrmError} `invalid_argument` at `[...at, key]` (`['options', key]` for a top-level bag).
 * @example
 * ```ts
 * import { booleanOption, readOptions } from '@crm/core';
 * booleanOption(readOptions({ shuffle: false }, ['shuffle'], 'trainTestSplit'), 'shuffle', true); // false
 * ```
 */
export function booleanOption<K extends string>(options: OptionBag<K>, key: K, fallback: boolean): boolean {
  const v = bagValue(options, key);
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') {
    throw new CrmError('invalid_argument', `option ${optionName(keyPath(options, key))} must be true or false, got ${describe(v)}`, keyPath(options, key));
  }
  return v;
}

/** Every index holds a string (holes included, which `every` would skip). */
function allStrings(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== 'string') return false;
  return true;
}

/** Where readOptions read a bag (a non-enumerable key, so spreading a bag does not copy it). */
const BAG_PATH: unique symbol = /* @__PURE__ */ Symbol('crm.options.path');

/** The path of `key` in a bag: `[...at, key]` for a bag from readOptions, `['options', key]` otherwise. */
function keyPath(options: object, key: string): CrmPath {
  const at = (options as { [BAG_PATH]?: CrmPath })[BAG_PATH];
  return [...(at ?? ['options']), key];
}

/** The option's own value; a bag that is not an object is a programming error reported as such. */
function bagValue(options: object, key: string): unknown {
  if (options === null || typeof options !== 'object') {
    throw new CrmError('invalid_argument', `options must be an object read by readOptions, got ${describe(options)}`, ['options']);
  }
  return Object.prototype.hasOwnProperty.call(options, key) ? (options as Record<string, unknown>)[key] : undefined;
}

function inRange(v: number, r: NumberRange): boolean {
  if (r.integer === true && !Number.isInteger(v)) return false;
  if (r.min !== undefined && (r.minExclusive === true ? !(v > r.min) : !(v >= r.min))) return false;
  if (r.max !== undefined && (r.maxExclusive === true ? !(v < r.max) : !(v <= r.max))) return false;
  return true;
}

function rangeText(r: NumberRange): string {
  const parts = [r.integer === true ? 'an integer' : 'a finite number'];
  if (r.min !== undefined) parts.push(`${r.minExclusive === true ? '>' : '≥'} ${r.min}`);
  if (r.max !== undefined) parts.push(`${r.min !== undefined ? 'and ' : ''}${r.maxExclusive === true ? '<' : '≤'} ${r.max}`);
  return parts.join(' ');
}

/** `['spec', 'columns', 2]` → `spec.columns[2]`. */
/** `margin` for ['options', 'margin'], `weights.r` for ['options', 'weights', 'r']. */
function optionName(path: CrmPath): string {
  return pathText(path[0] === 'options' ? path.slice(1) : path);
}

function pathText(at: CrmPath): string {
  return at.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || 'options';
}

/** A short, safe description of a value for an error message. */
function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v == null) return String(v);
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** The known key within edit distance 2 of `key`, if exactly one is nearest. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return best;
}

/** Levenshtein distance, giving up (returning `cap`) once it must reach `cap`. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const d = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin >= cap) return cap;
    prev = cur;
  }
  return Math.min(prev[b.length] as number, cap);
}
