/**
 * The contract every public export of @crm keeps, written once and applied to all (in the
 * spirit of scikit-learn's check_estimator): hostile input gives finite output or a CrmError
 * with a code and a path, within a time budget, without touching the input; fitted models are
 * frozen, round-trip through JSON bit for bit, and reject out-of-range JSON.
 */
import fc from 'fast-check';

/** A function export: a valid call, and how to call it. */
export interface FunctionContract {
  readonly kind: 'function';
  /** Valid arguments; built fresh for every call. */
  readonly args: () => unknown[];
  /** How to call the export (defaults to the export itself). */
  readonly call?: (...args: unknown[]) => unknown;
  /** Output keys that may legitimately hold ±Infinity (documented, e.g. a rule's conviction at confidence 1). */
  readonly infiniteKeys?: readonly string[];
  /** Per-call time budget in ms (default {@link DEFAULT_BUDGET_MS}). */
  readonly budgetMs?: number;
  /** A log-space result where −Infinity stands for ln 0 (documented); NaN and +Infinity stay errors. */
  readonly lnZero?: boolean;
  /** Index of the argument that is an options object, when there is one. */
  readonly optionsArg?: number;
}

/** A model class export: how to fit it and what to ask of it. */
export interface ModelContract {
  readonly kind: 'model';
  /** Valid arguments of the static `fit`. */
  readonly fitArgs: () => unknown[];
  /**
   * The static method that makes the model (default `fit`): `define` for models made from a
   * definition rather than learned from data. The contract is the same.
   */
  readonly factory?: string;
  /** Index of the options argument of `fit` (omitted when fit has none). */
  readonly optionsArg?: number;
  /** Valid arguments of each prediction method, keyed by method name. */
  readonly methods: Readonly<Record<string, () => unknown[]>>;
  readonly infiniteKeys?: readonly string[];
  readonly budgetMs?: number;
}

/** A constant export: must be deeply frozen. */
export interface ConstantContract {
  readonly kind: 'constant';
}

/** An export the contract does not apply to, with the reason stated. */
export interface ExemptContract {
  readonly kind: 'exempt';
  readonly reason: string;
}

export type Contract = FunctionContract | ModelContract | ConstantContract | ExemptContract;

export const DEFAULT_BUDGET_MS = 2000;
/** Hostile cases tried per function, per model fit, per method, per fromJSON. */
export const RUNS = Number(process.env['CRM_CONTRACT_RUNS'] ?? 100);
/** Fixed so a failure reproduces; CRM_CONTRACT_SEED explores others. */
export const SEED = Number(process.env['CRM_CONTRACT_SEED'] ?? 20261202);

/** Scalars that break code which assumes clean numbers, strings or dates. */
export const HOSTILE_SCALARS: readonly unknown[] = [
  NaN, Infinity, -Infinity, 1e308, -1e308, -0, 0, -1, 5e-324, 1e154, 2 ** 53 + 2, 0.5, 1e20, -8.64e15 - 1,
  '', '1', 'abc', '1e999', 'NaN', '2020-13-45', '__proto__', null, undefined, true, false, {}, [], [1, 'x'],
  new Date(Number.NaN),
];

/** Values a JSON document can hold in place of any value. */
export const HOSTILE_JSON: readonly unknown[] = [
  -1, 0, -0, 1e308, -1e308, 5e-324, 1e15, 2 ** 31, 0.5, 2, 1e-300, null, true, 'x', '', [], {}, [null], [1e308],
];

type Path = readonly (string | number)[];

/** True for plain containers the contract descends into (not class instances, Dates, functions). */
function isContainer(v: unknown): v is Record<string | number, unknown> {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Every path to a value inside `root` (containers and leaves), up to `limit`. */
export function paths(root: unknown, limit = 4000): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, p: Path): void => {
    if (out.length >= limit) return;
    out.push(p);
    if (!isContainer(v) || ArrayBuffer.isView(v)) {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        const ta = v as unknown as ArrayLike<number>;
        for (let i = 0; i < ta.length && out.length < limit; i++) out.push([...p, i]);
      }
      return;
    }
    for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...p, Array.isArray(v) ? Number(k) : k]);
  };
  walk(root, []);
  return out;
}

function getAt(root: unknown, p: Path): unknown {
  let v = root;
  for (const k of p) v = (v as Record<string | number, unknown>)[k];
  return v;
}

function copyContainer(v: unknown): Record<string | number, unknown> {
  if (Array.isArray(v)) return v.slice() as unknown as Record<number, unknown>;
  if (ArrayBuffer.isView(v)) return (v as unknown as Float64Array).slice() as unknown as Record<number, unknown>;
  return Object.assign(Object.create(Object.getPrototypeOf(v) as object) as object, v) as Record<string, unknown>;
}

/** A copy of `root` with the value at `p` replaced (`edit` returns the new value, or `DELETE`). */
export const DELETE: unique symbol = Symbol('delete');
export function replaceAt(root: unknown, p: Path, edit: (old: unknown) => unknown): unknown {
  if (p.length === 0) return edit(root);
  const [head, ...rest] = p as [string | number, ...(string | number)[]];
  const copy = copyContainer(root);
  const next = replaceAt(copy[head], rest, edit);
  if (next === DELETE) {
    if (ArrayBuffer.isView(copy)) return (copy as unknown as Float64Array).filter((_, i) => i !== head);
    if (Array.isArray(copy)) (copy as unknown[]).splice(head as number, 1);
    else delete copy[head];
  } else {
    copy[head] = next;
  }
  return copy;
}

/** Structural damage to a container: holes, ragged length, emptiness, missing keys. */
function structuralEdits(v: unknown): ((old: unknown) => unknown)[] {
  if (Array.isArray(v)) {
    return [
      () => [],
      (old) => new Array((old as unknown[]).length), // holes
      (old) => (old as unknown[]).slice(0, -1),
      (old) => [...(old as unknown[]), (old as unknown[])[0]],
      (old) => { const a = (old as unknown[]).slice(); delete a[0]; return a; },
    ];
  }
  if (isContainer(v) && !ArrayBuffer.isView(v)) {
    return [() => ({}), () => DELETE, () => JSON.parse('{"__proto__":{"polluted":1}}') as unknown];
  }
  return [() => DELETE];
}

/** fast-check arbitrary of hostile variants of `args` (one edit each). */
export function hostileArgs(args: readonly unknown[], scalars: readonly unknown[] = HOSTILE_SCALARS): fc.Arbitrary<{ args: unknown[]; what: string }> {
  const all = paths(args).filter((p) => p.length > 0);
  return fc.tuple(fc.nat({ max: all.length - 1 }), fc.nat({ max: scalars.length - 1 }), fc.nat({ max: 6 }), fc.boolean()).map(
    ([pi, si, ei, structural]) => {
      const p = all[pi] as Path;
      const old = getAt(args, p);
      const edits = structuralEdits(old);
      if (structural && edits.length > 0) {
        const edit = edits[ei % edits.length] as (o: unknown) => unknown;
        return { args: replaceAt(args, p, edit) as unknown[], what: `structural edit ${ei % edits.length} at ${fmt(p)}` };
      }
      const s = scalars[si];
      return { args: replaceAt(args, p, () => s) as unknown[], what: `${describe(s)} at ${fmt(p)}` };
    },
  );
}

export function fmt(p: Path): string {
  return p.length === 0 ? '(root)' : p.map((k) => `[${JSON.stringify(k)}]`).join('');
}

export function describe(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (v instanceof Date) return `Date(${v.getTime()})`;
  if (Array.isArray(v)) return `[${v.length === 0 ? '' : '…'}]`;
  if (typeof v === 'string') return JSON.stringify(v);
  return v === null ? 'null' : typeof v === 'object' ? '{…}' : String(v);
}

/** Problems with a thrown value: it must be a CrmError with a code and a path array. */
export function errorProblem(e: unknown): string | undefined {
  const err = e as { name?: unknown; code?: unknown; path?: unknown; message?: unknown };
  if (err === null || typeof err !== 'object' || err.name !== 'CrmError') {
    return `threw ${err !== null && typeof err === 'object' ? `${String(err.name)}: ${String(err.message)}` : String(e)} instead of a CrmError`;
  }
  if (typeof err.code !== 'string' || err.code === '') return 'CrmError without a code';
  if (!Array.isArray(err.path)) return 'CrmError without a path array';
  if (typeof err.message !== 'string' || err.message.length < 10) return 'CrmError without a useful message';
  return undefined;
}

/** First non-finite number in `out` (outside `infiniteKeys`), as a path, or undefined. */
export function nonFinite(out: unknown, infiniteKeys: readonly string[] = [], lnZero = false): string | undefined {
  const seen = new Set<object>();
  let budget = 200_000;
  const walk = (v: unknown, p: Path): string | undefined => {
    if (--budget < 0) return undefined;
    if (typeof v === 'number') {
      if (Number.isFinite(v) || (lnZero && v === Number.NEGATIVE_INFINITY)) return undefined;
      const key = p[p.length - 1];
      const parentKey = p.length >= 2 ? p[p.length - 2] : undefined;
      if (!Number.isNaN(v) && (infiniteKeys.includes(String(key)) || infiniteKeys.includes(String(parentKey)))) return undefined;
      return `${String(v)} at ${fmt(p)}`;
    }
    if (v instanceof Date) return Number.isFinite(v.getTime()) ? undefined : `Invalid Date at ${fmt(p)}`;
    if (v === null || typeof v !== 'object' || seen.has(v)) return undefined;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if (v instanceof DataView || v instanceof BigInt64Array || v instanceof BigUint64Array) return undefined;
      const a = v as unknown as ArrayLike<number>;
      for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return `${String(a[i])} at ${fmt([...p, i])}`;
      return undefined;
    }
    if (v instanceof Map) {
      for (const [k, x] of v) { const r = walk(x, [...p, String(k)]); if (r) return r; }
      return undefined;
    }
    for (const k of Object.keys(v)) {
      const r = walk((v as Record<string, unknown>)[k], [...p, k]);
      if (r !== undefined) return r;
    }
    return undefined;
  };
  return walk(out, []);
}

/** A snapshot of everything reachable from `v`, to prove a call did not mutate its input. */
export function snapshot(v: unknown): string {
  const seen = new Map<object, number>();
  const enc = (x: unknown): unknown => {
    if (typeof x === 'number') return Object.is(x, -0) ? '-0' : Number.isNaN(x) ? 'NaN' : x === Infinity ? 'Inf' : x === -Infinity ? '-Inf' : x;
    if (typeof x === 'bigint' || typeof x === 'symbol' || typeof x === 'function') return String(x);
    if (x === undefined) return '(undefined)';
    if (x === null || typeof x !== 'object') return x;
    if (seen.has(x)) return `(ref ${seen.get(x)})`;
    seen.set(x, seen.size);
    if (x instanceof Date) return `Date(${x.getTime()})`;
    if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>, (n) => enc(n));
    if (Array.isArray(x)) return Array.from({ length: x.length }, (_, i) => (i in x ? enc(x[i]) : '(hole)'));
    const o: Record<string, unknown> = {};
    for (const k of Reflect.ownKeys(x)) {
      const d = Object.getOwnPropertyDescriptor(x, k);
      o[String(k)] = d && 'value' in d ? enc(d.value) : '(accessor)';
    }
    return o;
  };
  return JSON.stringify(enc(v));
}

/** Every value reachable from a model's own properties that is not frozen, or is a typed array. */
export function mutableParts(model: object): string[] {
  const problems: string[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, p: Path): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if ((v as unknown as ArrayLike<number>).length > 0) problems.push(`typed array at ${fmt(p)} can be written`);
      return;
    }
    if (v instanceof Map || v instanceof Set) {
      problems.push(`${v.constructor.name} at ${fmt(p)} can be changed`);
      return;
    }
    if (!Object.isFrozen(v)) problems.push(`${fmt(p)} is not frozen`);
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k);
      if (d && 'value' in d) walk(d.value, [...p, String(k)]);
    }
  };
  walk(model, []);
  // Getters on the class must not hand out the model's own mutable buffers.
  for (let proto = Object.getPrototypeOf(model) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const k of Reflect.ownKeys(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, k);
      if (!d?.get) continue;
      const a = d.get.call(model) as unknown;
      const b = d.get.call(model) as unknown;
      if (a !== null && typeof a === 'object' && a === b && !Object.isFrozen(a)) problems.push(`getter ${String(k)} returns a shared mutable object`);
      if (ArrayBuffer.isView(a) && a === b && (a as unknown as ArrayLike<number>).length > 0) problems.push(`getter ${String(k)} returns a shared typed array`);
    }
  }
  return problems;
}

/** Bitwise equality of two outputs (numbers by Object.is, -0 and NaN included). */
export function sameBits(a: unknown, b: unknown): boolean {
  return snapshot(a) === snapshot(b);
}

/** Runs `fn`, timing it. */
export function timed<T>(fn: () => T): { ms: number; value?: T; error?: unknown; threw: boolean } {
  const t0 = performance.now();
  try {
    const value = fn();
    return { ms: performance.now() - t0, value, threw: false };
  } catch (error) {
    return { ms: performance.now() - t0, error, threw: true };
  }
}
