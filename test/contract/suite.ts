import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_BUDGET_MS,
  HOSTILE_JSON,
  RUNS,
  SEED,
  errorProblem,
  hostileArgs,
  mutableParts,
  nonFinite,
  sameBits,
  snapshot,
  timed,
  type FunctionContract,
  type ModelContract,
} from './harness.ts';
import { contracts, modules } from './registry.ts';

const TRACE = process.env['CRM_CONTRACT_TRACE'] === '1';

type ModelClass = {
  fit: (...args: unknown[]) => object;
  fromJSON: (json: unknown) => object;
};

/** Calls `run`, then states what is wrong with the outcome, if anything. */
function judge(run: () => unknown, input: unknown, infiniteKeys: readonly string[] | undefined, budgetMs: number, lnZero = false): string | undefined {
  const before = snapshot(input);
  const r = timed(run);
  if (snapshot(input) !== before) return 'mutated its input';
  if (r.ms > budgetMs) return `took ${Math.round(r.ms)} ms, over the ${budgetMs} ms budget`;
  if (r.threw) return errorProblem(r.error);
  const bad = nonFinite(r.value, infiniteKeys, lnZero);
  return bad === undefined ? undefined : `returned a non-finite number: ${bad}`;
}

function assertHostile(
  cases: fc.Arbitrary<{ args: unknown[]; what: string }>,
  run: (args: unknown[]) => unknown,
  c: { infiniteKeys?: readonly string[]; budgetMs?: number; lnZero?: boolean },
): void {
  const budget = c.budgetMs ?? DEFAULT_BUDGET_MS;
  const result = fc.check(
    fc.property(cases, ({ args, what }) => {
      // CRM_CONTRACT_TRACE=1 names each case before it runs, to find a call that never returns.
      if (TRACE) process.stderr.write(`contract case: ${what}\n`);
      const t0 = performance.now();
      const problem = judge(() => run(args), args, c.infiniteKeys, budget, c.lnZero);
      if (TRACE) process.stderr.write(`  ${Math.round(performance.now() - t0)} ms\n`);
      if (problem !== undefined) throw new Error(`${what}: ${problem}`);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  if (result.failed) {
    // The case says what was changed where; the full input is in the counterexample.
    const error = result.errorInstance as Error | undefined;
    throw new Error(`${error?.message ?? 'failed'} (case ${result.numRuns} of seed ${SEED}; CRM_CONTRACT_TRACE=1 lists every case)`);
  }
}

function methodOutputs(model: object, methods: ModelContract['methods']): unknown[] {
  return Object.entries(methods).map(([name, args]) => (model as Record<string, (...a: unknown[]) => unknown>)[name]!(...args()));
}

function checkFunction(name: string, exported: unknown, c: FunctionContract): void {
  const call = c.call ?? (exported as (...args: unknown[]) => unknown);
  const budget = c.budgetMs ?? DEFAULT_BUDGET_MS;
  it(`${name}: a valid call returns finite output without mutating its input`, () => {
    const args = c.args();
    const r = timed(() => call(...args));
    if (r.threw) throw r.error;
    expect(judge(() => call(...args), args, c.infiniteKeys, budget)).toBeUndefined();
  });
  if (c.optionsArg !== undefined) {
    const at = c.optionsArg;
    it(`${name}: a misspelled option is an invalid_argument error at ['options', key]`, () => {
      const args = c.args();
      args[at] = { ...(args[at] as object), notAnOption: 1 };
      const r = timed(() => call(...args));
      expect(r.threw, 'the unknown option was ignored').toBe(true);
      expect((r.error as { code?: string }).code).toBe('invalid_argument');
      expect((r.error as { path?: unknown }).path).toEqual(['options', 'notAnOption']);
    });
  }
  it(`${name}: hostile input gives finite output or a CrmError with a code and a path, in time, without mutation`, () => {
    assertHostile(hostileArgs(c.args()), (args) => call(...args), c);
  });
}

function checkModel(name: string, exported: ModelClass, c: ModelContract): void {
  const cls: ModelClass = c.factory === undefined ? exported : { fit: (...args) => (exported as unknown as Record<string, (...a: unknown[]) => object>)[c.factory!]!(...args), fromJSON: (json) => exported.fromJSON(json) };
  const fitted = (): object => cls.fit(...c.fitArgs());
  it(`${name}: fit on valid data predicts finite values without mutating its input`, () => {
    const args = c.fitArgs();
    expect(judge(() => methodOutputs(cls.fit(...args), c.methods), args, c.infiniteKeys, c.budgetMs ?? DEFAULT_BUDGET_MS)).toBeUndefined();
  });
  it(`${name}: a fitted model is frozen: no property can be reassigned, added or re-prototyped`, () => {
    const model = fitted();
    expect(mutableParts(model)).toEqual([]);
    const before = JSON.stringify(model);
    for (const key of Reflect.ownKeys(model)) {
      expect(() => {
        (model as Record<string | symbol, unknown>)[key] = { changed: true };
      }, `model.${String(key)} could be reassigned`).toThrow(TypeError);
    }
    expect(() => Object.setPrototypeOf(model, {})).toThrow(TypeError);
    expect(() => Object.defineProperty(model, 'extra', { value: 1 })).toThrow(TypeError);
    expect(JSON.stringify(model)).toBe(before);
  });
  it(`${name}: toJSON → JSON text → fromJSON is bit-identical, in predictions and in JSON`, () => {
    const model = fitted();
    const text = JSON.stringify(model);
    const loaded = cls.fromJSON(JSON.parse(text));
    expect(JSON.stringify(loaded)).toBe(text);
    expect(sameBits(methodOutputs(loaded, c.methods), methodOutputs(model, c.methods))).toBe(true);
    expect(mutableParts(loaded)).toEqual([]);
  });
  if (c.optionsArg !== undefined) {
    const at = c.optionsArg;
    it(`${name}.${c.factory ?? 'fit'}: a misspelled option is an invalid_argument error at ['options', key]`, () => {
      const args = c.fitArgs();
      args[at] = { ...(args[at] as object), notAnOption: 1 };
      const r = timed(() => cls.fit(...args));
      expect(r.threw, 'the unknown option was ignored').toBe(true);
      expect((r.error as { code?: string }).code).toBe('invalid_argument');
      expect((r.error as { path?: unknown }).path).toEqual(['options', 'notAnOption']);
    });
  }
  it(`${name}.${c.factory ?? 'fit'}: hostile data or options give a model with finite predictions or a CrmError`, () => {
    assertHostile(hostileArgs(c.fitArgs()), (args) => methodOutputs(cls.fit(...args), c.methods), c);
  });
  const model = (() => {
    let m: object | undefined;
    return () => (m ??= fitted());
  })();
  for (const [method, args] of Object.entries(c.methods)) {
    if (args().length === 0) continue;
    it(`${name}#${method}: hostile arguments give finite output or a CrmError`, () => {
      const m = model() as Record<string, (...a: unknown[]) => unknown>;
      assertHostile(hostileArgs(args()), (a) => m[method]!(...a), c);
    });
  }
  it(`${name}.fromJSON: hostile JSON is rejected with a CrmError or loads a frozen model with finite predictions`, () => {
    const json = JSON.parse(JSON.stringify(model())) as unknown;
    assertHostile(
      hostileArgs([json], HOSTILE_JSON),
      ([j]) => {
        const loaded = cls.fromJSON(j);
        const parts = mutableParts(loaded);
        if (parts.length > 0) throw new Error(`a model loaded from JSON is not frozen: ${parts.join('; ')}`);
        return methodOutputs(loaded, c.methods);
      },
      c,
    );
  });
}

export function runContracts(id: string): void {
  const entries = contracts[id] ?? {};
  describe(`${id}: the contract`, () => {
    for (const [name, c] of Object.entries(entries)) {
      const exported = (modules[id] as Record<string, unknown>)[name];
      if (c.kind === 'function') checkFunction(name, exported, c);
      else if (c.kind === 'model') checkModel(name, exported as ModelClass, c);
      else if (c.kind === 'constant') {
        it(`${name}: a constant is deeply frozen`, () => {
          if (exported !== null && typeof exported === 'object') expect(mutableParts(exported)).toEqual([]);
        });
      } else {
        it(`${name}: exempt (${c.reason})`, () => {
          expect(c.reason.length).toBeGreaterThan(10);
        });
      }
    }
  });
}
