import { describe, expect, it } from 'vitest';
import {
  booleanOption,
  checkCost,
  enumOption,
  finiteResult,
  finiteResults,
  freezeModel,
  isCrmError,
  numberOption,
  readNumber,
  readNumberArray,
  readOptions,
  toBinaryLabels,
  toDenseMatrix,
  type CrmError,
} from '@crm/core';
import { crmError } from '../../../test/crm-error.ts';


describe('readOptions: misspelled options are errors, never ignored', () => {
  it('returns the known keys and treats undefined as {}', () => {
    expect({ ...readOptions({ period: 'week' }, ['period', 'observationEnd'], 'f') }).toEqual({ period: 'week' });
    expect({ ...readOptions(undefined, ['a'], 'f') }).toEqual({});
  });
  it('rejects an unknown key with its path and the nearest known key', () => {
    const e = crmError(() => readOptions({ perod: 'week' }, ['period', 'observationEnd'], 'summarizeCustomers'));
    expect(e.code).toBe('invalid_argument');
    expect(e.path).toEqual(['options', 'perod']);
    expect(e.message).toContain("did you mean 'period'");
  });
  it('rejects non-objects', () => {
    for (const bad of [null, 1, 'x', [], true]) expect(crmError(() => readOptions(bad, ['a'], 'f')).path).toEqual(['options']);
  });
  it('does not read inherited keys and copies values once', () => {
    const proto = { margin: 5 };
    const o = readOptions(Object.create(proto) as object, ['margin'], 'f');
    expect(o.margin).toBeUndefined();
    let calls = 0;
    const getter = readOptions({ get margin() { return ++calls; } }, ['margin'], 'f');
    expect([getter.margin, getter.margin, calls]).toEqual([1, 1, 1]);
  });
  it('typed readers reject NaN, Infinity, strings and out-of-range values', () => {
    const bag = (v: unknown) => readOptions({ x: v }, ['x'], 'f');
    for (const bad of [NaN, Infinity, -Infinity, '0.5', 1.5, -0.1]) {
      expect(crmError(() => numberOption(bag(bad), 'x', 0, { min: 0, max: 1 })).path).toEqual(['options', 'x']);
    }
    expect(numberOption(bag(0.5), 'x', 0, { min: 0, max: 1 })).toBe(0.5);
    expect(crmError(() => numberOption(bag(0), 'x', 1, { min: 0, minExclusive: true })).code).toBe('invalid_argument');
    expect(crmError(() => numberOption(bag(2.5), 'x', 1, { integer: true })).code).toBe('invalid_argument');
    expect(enumOption(bag('a'), 'x', 'b', ['a', 'b'])).toBe('a');
    expect(crmError(() => enumOption(bag('c'), 'x', 'b', ['a', 'b'])).code).toBe('invalid_argument');
    expect(booleanOption(bag(false), 'x', true)).toBe(false);
    expect(crmError(() => booleanOption(bag('false'), 'x', true)).code).toBe('invalid_argument');
  });
});

describe('freezeModel: fitted models cannot change', () => {
  it('freezes the instance, its prototype link and nested plain data', () => {
    class M {
      readonly params: { r: number; list: number[] };
      constructor() {
        this.params = { r: 1, list: [1, 2] };
        freezeModel(this);
      }
    }
    const m = new M();
    expect(Object.isFrozen(m) && Object.isFrozen(m.params) && Object.isFrozen(m.params.list)).toBe(true);
    expect(() => Object.setPrototypeOf(m, {})).toThrow(TypeError);
    expect(() => {
      (m as { params: unknown }).params = {};
    }).toThrow(TypeError);
  });
});

describe('finiteResult: no silent NaN or Infinity', () => {
  it('passes finite values and throws non_finite_result otherwise', () => {
    expect(finiteResult(-0, 'x')).toBe(-0);
    for (const bad of [NaN, Infinity, -Infinity]) {
      const e = crmError(() => finiteResult(bad, 'the distance', ['X', 3]));
      expect([e.code, e.path]).toEqual(['non_finite_result', ['X', 3]]);
    }
    expect(crmError(() => finiteResults([1, NaN], 'p', ['p'])).path).toEqual(['p', 1]);
  });
});

describe('checkCost: work that can explode is refused early', () => {
  it('names the option that raises the limit', () => {
    expect(() => checkCost(10, 10, 'maxPairs', 'w', 'pairs')).not.toThrow();
    for (const cost of [11, Infinity, NaN]) {
      const e = crmError(() => checkCost(cost, 10, 'maxPairs', 'w', 'pairs'));
      expect([e.code, e.path]).toEqual(['limit_exceeded', ['options', 'maxPairs']]);
      expect(e.message).toContain('options.maxPairs');
    }
  });
});

describe('readNumber with a range: fromJSON rejects parameters out of range', () => {
  it('throws invalid_json at the parameter', () => {
    expect(readNumber({ r: 0.5 }, 'r', ['params'], { min: 0, minExclusive: true })).toBe(0.5);
    const e = crmError(() => readNumber({ r: -1 }, 'r', ['params'], { min: 0, minExclusive: true }));
    expect([e.code, e.path]).toEqual(['invalid_json', ['params', 'r']]);
  });
});

describe('readNumberArray, toDenseMatrix and toBinaryLabels under hostile input', () => {
  it('readNumberArray rejects a hole in a sparse array as invalid_json at its index', () => {
    const e = crmError(() => readNumberArray({ w: [1, , 3] }, 'w', ['params'])); // eslint-disable-line no-sparse-arrays
    expect(isCrmError(e) && [e.code, e.path]).toEqual(['invalid_json', ['params', 'w', 1]]);
  });

  it('toDenseMatrix and toBinaryLabels read their options through the shared reader', () => {
    const bad: [() => unknown, readonly (string | number)[]][] = [
      [() => toDenseMatrix([[1]], { colls: 1 } as never), ['options', 'colls']],
      [() => toDenseMatrix([[1]], { minRows: 1.5 }), ['options', 'minRows']],
      [() => toDenseMatrix([[1]], { cols: Number.NaN }), ['options', 'cols']],
      [() => toBinaryLabels([0, 1], 2, { allowOneclass: true } as never), ['options', 'allowOneclass']],
      [() => toBinaryLabels([1, 1], 2, { allowOneClass: 'yes' } as never), ['options', 'allowOneClass']],
    ];
    for (const [call, path] of bad) {
      const e = crmError(call);
      expect(isCrmError(e) && [e.code, e.path]).toEqual(['invalid_argument', path]);
    }
    expect(toBinaryLabels([1, 1], 2, { allowOneClass: true })).toEqual(new Uint8Array([1, 1]));
  });

  it('toDenseMatrix rejects a hole in a row as invalid_input at [X, row, col]', () => {
    const e = crmError(() => toDenseMatrix([[1, 2], [3, , ]] as never)); // eslint-disable-line no-sparse-arrays
    expect(isCrmError(e) && [e.code, e.path]).toEqual(['invalid_input', ['X', 1, 1]]);
  });
});

describe('freezeModel: parts frozen shallowly by their maker are frozen all the way down', () => {
  it('descends into already-frozen objects', () => {
    const report = Object.freeze({ standardErrors: { r: 0.1 } });
    const model = freezeModel({ report });
    expect(Object.isFrozen(model.report.standardErrors)).toBe(true);
  });
  it('handles cycles', () => {
    const a: { self?: unknown } = {};
    a.self = a;
    expect(Object.isFrozen(freezeModel(a))).toBe(true);
  });
});

describe('readOptions(…, at): a nested options object reports its own paths', () => {
  it('unknown keys and bad values inside options.weights are errors at ["options", "weights", key]', () => {
    const bag = readOptions({ r: 'x' }, ['r', 'f'], 'rfmScores options.weights', ['options', 'weights']);
    const e = crmError(() => numberOption(bag, 'r', 1));
    expect([e.code, e.path, e.message.startsWith('option weights.r ')]).toEqual(['invalid_argument', ['options', 'weights', 'r'], true]);
    expect(crmError(() => readOptions({ q: 1 }, ['r'], 'w', ['options', 'weights'])).path).toEqual(['options', 'weights', 'q']);
    expect(crmError(() => enumOption(readOptions({ m: 'z' }, ['m'], 'w', ['spec', 0]), 'm', 'a', ['a'])).path).toEqual(['spec', 0, 'm']);
  });
});
