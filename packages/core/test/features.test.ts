import { describe, expect, it } from 'vitest';
import { FeatureTransformer, isCrmError } from '@crm/core';

const records = Object.freeze([
  Object.freeze({ tenure: 1, charges: '10', contract: 'Month', paperless: true }),
  Object.freeze({ tenure: 3, charges: ' ', contract: 'Two year', paperless: false }),
  Object.freeze({ tenure: 5, charges: '30', contract: 'Month', paperless: true }),
  Object.freeze({ tenure: 7, charges: 20, contract: 'One year', paperless: false }),
]);

function code(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return isCrmError(e) ? [e.code, e.path] : e;
  }
  return 'no error';
}

describe('FeatureTransformer.fit(records, spec)', () => {
  it('standard-scales with the population sd, imputes, and one-hot encodes sorted levels', () => {
    const tf = FeatureTransformer.fit(records, {
      columns: [
        { name: 'tenure', type: 'numeric', scale: 'standard' },
        { name: 'charges', type: 'numeric', scale: 'minmax', impute: 'median' },
        { name: 'contract', type: 'categorical' },
        { name: 'paperless', type: 'numeric' },
      ],
    });
    expect(tf.featureNames).toEqual(['tenure', 'charges', 'contract=Month', 'contract=One year', 'contract=Two year', 'paperless']);
    // tenure: mean 4, population sd sqrt(5); charges: median of 10, 30, 20 is 20 → range [10, 30].
    const sd = Math.sqrt(5);
    const X = tf.transform(records);
    expect(X[0]).toEqual([-3 / sd, 0, 1, 0, 0, 1]);
    expect(X[1]).toEqual([-1 / sd, 0.5, 0, 0, 1, 0]);
    expect(X[2]).toEqual([1 / sd, 1, 1, 0, 0, 1]);
    expect(X[3]).toEqual([3 / sd, 0.5, 0, 1, 0, 0]);
  });

  it('gives a constant column scale 1 (as scikit-learn) instead of dividing by zero', () => {
    const tf = FeatureTransformer.fit([{ x: 2 }, { x: 2 }], { columns: [{ name: 'x', type: 'numeric', scale: 'standard' }] });
    expect(tf.transform([{ x: 2 }, { x: 5 }])).toEqual([[0], [3]]);
  });

  it('handles unseen levels by the column rule and missing values by impute', () => {
    const spec = { columns: [{ name: 'c', type: 'categorical' as const, unseen: 'ignore' as const, impute: 'mode' as const }] };
    const tf = FeatureTransformer.fit([{ c: 'b' }, { c: 'a' }, { c: 'b' }, {}], spec);
    expect(tf.featureNames).toEqual(['c=a', 'c=b']);
    expect(tf.transform([{ c: 'z' }, { c: null }])).toEqual([[0, 0], [0, 1]]);
    const strict = FeatureTransformer.fit([{ c: 'a' }], { columns: [{ name: 'c', type: 'categorical' }] });
    expect(code(() => strict.transform([{ c: 'z' }]))).toEqual(['invalid_input', [0, 'c']]);
  });

  it('rejects missing values without imputation, non-numbers, bad specs and empty input with CrmError', () => {
    const numeric = { columns: [{ name: 'charges', type: 'numeric' as const }] };
    expect(code(() => FeatureTransformer.fit(records, numeric))).toEqual(['invalid_input', [1, 'charges']]);
    expect(code(() => FeatureTransformer.fit([{ x: 'abc' }], { columns: [{ name: 'x', type: 'numeric' }] }))).toEqual(['invalid_input', [0, 'x']]);
    expect(code(() => FeatureTransformer.fit(records, { columns: [] }))).toEqual(['invalid_argument', ['spec']]);
    expect(code(() => FeatureTransformer.fit(records, { columns: [{ name: 'x', type: 'text' as never }] }))).toEqual([
      'invalid_argument',
      ['spec', 'columns', 0, 'type'],
    ]);
    expect(code(() => FeatureTransformer.fit([], numeric))).toEqual(['invalid_input', ['records']]);
  });

  it('round-trips through JSON with identical output and rejects tampered JSON', () => {
    const tf = FeatureTransformer.fit(records, {
      columns: [
        { name: 'tenure', type: 'numeric', scale: 'standard' },
        { name: 'contract', type: 'categorical', unseen: 'ignore' },
      ],
    });
    const json = JSON.parse(JSON.stringify(tf));
    expect(FeatureTransformer.fromJSON(json).transform(records)).toEqual(tf.transform(records));
    expect(code(() => FeatureTransformer.fromJSON({ ...json, kind: 'crm.other' }))).toEqual(['invalid_json', ['kind']]);
    const tampered = structuredClone(json);
    tampered.columns[0].scale = 'big';
    expect(code(() => FeatureTransformer.fromJSON(tampered))).toEqual(['invalid_json', ['columns', 0, 'scale']]);
    expect(code(() => FeatureTransformer.fromJSON(JSON.parse('{"__proto__":{"x":1},"kind":"crm.core.feature-transformer","version":2}')))).toEqual([
      'invalid_json',
      ['version'],
    ]);
  });

  it('is immutable', () => {
    const tf = FeatureTransformer.fit([{ x: 1 }], { columns: [{ name: 'x', type: 'numeric' }] });
    expect(Object.isFrozen(tf) && Object.isFrozen(tf.columns) && Object.isFrozen(tf.columns[0])).toBe(true);
  });

  it('the spec and every column spec reject unknown keys, so a misspelled option cannot be ignored', () => {
    expect(code(() => FeatureTransformer.fit(records, { columns: [{ name: 'tenure', type: 'numeric', scael: 'standard' }] } as never))).toEqual([
      'invalid_argument',
      ['spec', 'columns', 0, 'scael'],
    ]);
    // unseen is a categorical option: on a numeric column it is unknown, not ignored.
    expect(code(() => FeatureTransformer.fit(records, { columns: [{ name: 'tenure', type: 'numeric', unseen: 'ignore' }] } as never))).toEqual([
      'invalid_argument',
      ['spec', 'columns', 0, 'unseen'],
    ]);
    expect(code(() => FeatureTransformer.fit(records, { columns: [{ name: 'contract', type: 'categorical', impute: { valeu: 'Month' } }] } as never))).toEqual([
      'invalid_argument',
      ['spec', 'columns', 0, 'impute', 'valeu'],
    ]);
    expect(code(() => FeatureTransformer.fit(records, { colums: [] } as never))).toEqual(['invalid_argument', ['spec', 'colums']]);
  });

  it("a numeric string beyond double precision ('1e999') is invalid_input, never Infinity", () => {
    const spec = { columns: [{ name: 'x', type: 'numeric' as const }] };
    expect(code(() => FeatureTransformer.fit([{ x: '1' }, { x: '1e999' }], spec))).toEqual(['invalid_input', [1, 'x']]);
    const tf = FeatureTransformer.fit([{ x: '1' }], spec);
    expect(code(() => tf.transform([{ x: '-1e999' }]))).toEqual(['invalid_input', [0, 'x']]);
  });

  it('standard scaling of values near 1e308 gives finite features, the same as scaling the values down first', () => {
    const spec = { columns: [{ name: 'x', type: 'numeric' as const, scale: 'standard' as const, impute: 'mean' as const }] };
    const huge: { x?: number }[] = [{ x: 1e308 }, { x: -1e308 }, { x: 5e307 }, {}];
    const small = huge.map((r) => (r.x === undefined ? {} : { x: r.x / 1e300 }));
    const X = FeatureTransformer.fit(huge, spec).transform(huge).flat();
    const reference = FeatureTransformer.fit(small, spec).transform(small).flat();
    expect(X.every(Number.isFinite)).toBe(true);
    // Standardized values do not depend on the unit; 1e-12 allows the rounding of the rescaling.
    X.forEach((v, i) => expect(v).toBeCloseTo(reference[i]!, 12));
  });

  it('a min-max range or a scaled value that overflows is non_finite_result, never Infinity or NaN', () => {
    const minmax = { columns: [{ name: 'x', type: 'numeric' as const, scale: 'minmax' as const }] };
    expect(code(() => FeatureTransformer.fit([{ x: 1.7e308 }, { x: -1.7e308 }], minmax))).toEqual(['non_finite_result', ['records']]);
    const tf = FeatureTransformer.fromJSON({ kind: 'crm.core.feature-transformer', version: 1, columns: [{ name: 'x', type: 'numeric', center: 0, scale: 1e-300, fill: null }] });
    expect(code(() => tf.transform([{ x: 1e10 }]))).toEqual(['non_finite_result', [0, 'x']]);
  });

  it('fromJSON rejects arrays with holes as invalid_json at load time, not TypeError at transform time', () => {
    const good = FeatureTransformer.fit(records, { columns: [{ name: 'contract', type: 'categorical' }] }).toJSON();
    const holeyLevels = { ...good, columns: [{ ...good.columns[0], levels: [, 'Month'] }] }; // eslint-disable-line no-sparse-arrays
    expect(code(() => FeatureTransformer.fromJSON(holeyLevels))).toEqual(['invalid_json', ['columns', 0, 'levels']]);
    const holeyColumns = { ...good, columns: [, good.columns[0]] }; // eslint-disable-line no-sparse-arrays
    expect(code(() => FeatureTransformer.fromJSON(holeyColumns))).toEqual(['invalid_json', ['columns', 0]]);
  });
});
