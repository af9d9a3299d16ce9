import { describe, expect, it } from 'vitest';
import { LogisticRegression, reasonCodes, type Explanation } from '@crm/churn';
import { expectCrmError, frozenRows } from './helpers.ts';

const explanation: Explanation = {
  scale: 'log-odds',
  base: -1,
  contributions: [Float64Array.of(0.5, -0.2, 0.9, 0), Float64Array.of(-0.1, -0.3, 0.1, 0.1)],
  output: Float64Array.of(0.2, -1.2),
};
const X = frozenRows([[94, 2, 1, 7], [3, 0, Number.NaN, 1]]);
const names = ['daysSinceLastPurchase', 'tickets', 'monthToMonth', 'orders'];

describe('reasonCodes(explanation, X, options)', () => {
  it('ranks the features that raise the output, largest first, with name and value; ties keep column order', () => {
    const r = reasonCodes(explanation, X, { featureNames: names });
    expect(r[0]).toEqual([
      { feature: 2, name: 'monthToMonth', value: 1, contribution: 0.9 },
      { feature: 0, name: 'daysSinceLastPurchase', value: 94, contribution: 0.5 },
    ]);
    // A missing value is reported as null; equal contributions in column order.
    expect(r[1]?.map((c) => [c.feature, c.value])).toEqual([[2, null], [3, 1]]);
  });

  it("direction 'decreasing' and 'both', top, and default names", () => {
    expect(reasonCodes(explanation, X, { direction: 'decreasing' })[0]).toEqual([{ feature: 1, name: 'feature_1', value: 2, contribution: -0.2 }]);
    expect(reasonCodes(explanation, X, { direction: 'both', top: 2 })[1]?.map((c) => c.feature)).toEqual([1, 0]);
    expect(reasonCodes(explanation, X, { direction: 'both', top: Infinity })[0]?.map((c) => c.feature)).toEqual([2, 0, 1]);
    expect(reasonCodes(explanation, X, { top: 1 })[0]?.map((c) => c.feature)).toEqual([2]);
  });

  it('works on a model explanation: the reasons are the largest positive β·(x − mean)', () => {
    const Xtr = [[1, 0], [2, 3], [3, 1], [4, 4], [5, 2], [6, 5], [2, 2], [5, 5]];
    const model = LogisticRegression.fit(Xtr, [1, 1, 0, 1, 0, 0, 1, 0]);
    const rows = [[1, 4], [6, 0]];
    const e = model.explain(rows);
    const r = reasonCodes(e, rows, { featureNames: ['tenure', 'tickets'], direction: 'both', top: 2 });
    r.forEach((reasons, i) => {
      const sorted = Array.from(e.contributions[i] as Float64Array).map((c, j) => ({ j, c })).filter((x) => x.c !== 0).sort((a, b) => Math.abs(b.c) - Math.abs(a.c));
      expect(reasons.map((x) => x.feature)).toEqual(sorted.map((x) => x.j));
      expect(reasons.map((x) => x.value)).toEqual(sorted.map((x) => (rows[i] as number[])[x.j]));
    });
  });

  it('rejects a malformed explanation, mismatched X and bad options with CrmError and the path', () => {
    expectCrmError(() => reasonCodes(null as never, X), 'invalid_argument', ['explanation']);
    expectCrmError(() => reasonCodes({ ...explanation, contributions: [Float64Array.of(1, Number.NaN, 0, 0)] }, [[1, 2, 3, 4]]), 'invalid_argument', ['explanation', 'contributions', 0, 1]);
    expectCrmError(() => reasonCodes({ ...explanation, contributions: [Float64Array.of(1), Float64Array.of(1, 2)] }, [[1], [1, 2]]), 'invalid_argument', ['explanation', 'contributions', 1]);
    expectCrmError(() => reasonCodes(explanation, X.slice(0, 1)), 'invalid_input', ['X']);
    expectCrmError(() => reasonCodes(explanation, [[1, 2, 3], [1, 2, 3, 4]]), 'invalid_input', ['X', 0]);
    expectCrmError(() => reasonCodes(explanation, [[1, 2, 3, 4], [1, 2, '3', 4]] as never), 'invalid_input', ['X', 1, 2]);
    expectCrmError(() => reasonCodes(explanation, X, { featureNames: ['a'] }), 'invalid_argument', ['options', 'featureNames']);
    expectCrmError(() => reasonCodes(explanation, X, { top: 0 }), 'invalid_argument', ['options', 'top']);
    expectCrmError(() => reasonCodes(explanation, X, { direction: 'up' as never }), 'invalid_argument', ['options', 'direction']);
    expectCrmError(() => reasonCodes(explanation, X, { tpo: 2 } as never), 'invalid_argument');
  });
});
