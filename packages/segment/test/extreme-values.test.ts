import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isCrmError } from '@crm/core';
import {
  Agglomerative,
  Dbscan,
  KMeans,
  Som,
  calinskiHarabasz,
  chooseK,
  daviesBouldin,
  inertia,
  profileSegments,
  silhouette,
  type Linkage,
} from '@crm/segment';

// For any finite input every segment call returns finite numbers or throws a CrmError with a code;
// it never returns NaN or ±Infinity and never throws a raw TypeError or RangeError.

/** Finite values at the edges of double precision, mixed with ordinary ones. */
const edge = fc.constantFrom(0, -0, 1, -1, 2.5, 1e-300, -1e-300, 5e-324, 1e154, -1e154, 1e200, -1e200, 1e308, -1e308, 1.7976931348623157e308);
const extremeMatrix = fc
  .record({ n: fc.integer({ min: 3, max: 9 }), d: fc.integer({ min: 1, max: 3 }), values: fc.array(fc.oneof(edge, fc.double({ noNaN: true, noDefaultInfinity: true })), { minLength: 27, maxLength: 27 }) })
  .map(({ n, d, values }) => Array.from({ length: n }, (_, i) => values.slice(i * d, i * d + d)));

/** All numbers anywhere in a result. */
function numbers(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) numbers(v, out);
  return out;
}

/** Runs `fn`; a CrmError is a fine answer, anything it returns must be finite. */
function finiteOrCrmError(fn: () => unknown): void {
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    if (isCrmError(e)) return;
    throw e;
  }
  for (const v of numbers(result)) expect(Number.isFinite(v), `returned ${String(v)}`).toBe(true);
}

const LINKAGES: readonly Linkage[] = ['ward', 'complete', 'average', 'single'];

describe('segment calls on extreme finite values return finite output or a CrmError', () => {
  it('models: fit, predict, JSON and every reported quantity', () => {
    fc.assert(
      fc.property(extremeMatrix, fc.integer({ min: 1, max: 3 }), (X, k) => {
        finiteOrCrmError(() => {
          const m = KMeans.fit(X, { k, restarts: 2 });
          return [m.toJSON(), m.predict(X), KMeans.fromJSON(JSON.parse(JSON.stringify(m))).predict(X)];
        });
        for (const linkage of LINKAGES) {
          finiteOrCrmError(() => {
            const t = Agglomerative.fit(X, { linkage });
            return [t.toJSON(), t.labels({ k: Math.min(k, X.length) })];
          });
        }
        finiteOrCrmError(() => {
          const db = Dbscan.fit(X, { eps: 1e300, minSamples: 2 });
          return [db.toJSON(), db.predict(X)];
        });
        finiteOrCrmError(() => {
          const som = Som.fit(X, { rows: 2, cols: 2, epochs: 3, training: k === 2 ? 'online' : 'batch' });
          return [som.toJSON(), som.predict(X), som.uMatrix(), som.quantizationError(X), som.topographicError(X)];
        });
      }),
      { numRuns: 150, seed: 10 },
    );
  });

  it('metrics, chooseK and profileSegments', () => {
    fc.assert(
      fc.property(extremeMatrix, (X) => {
        const labels = X.map((_, i) => i % 2);
        finiteOrCrmError(() => silhouette(X, labels));
        finiteOrCrmError(() => daviesBouldin(X, labels));
        finiteOrCrmError(() => calinskiHarabasz(X, labels));
        finiteOrCrmError(() => inertia(X, labels));
        finiteOrCrmError(() => profileSegments(X, labels));
        finiteOrCrmError(() => chooseK(X, { kRange: [2, 2], restarts: 1 }));
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('Som.fromJSON with extreme weights never predicts through NaN or Infinity', () => {
    const json = Som.fit([[0, 0], [0, 1], [5, 5], [5, 6]], { rows: 1, cols: 2, epochs: 2 }).toJSON();
    fc.assert(
      fc.property(fc.array(edge, { minLength: 4, maxLength: 4 }), fc.array(edge, { minLength: 2, maxLength: 2 }), (w, x) => {
        const som = Som.fromJSON({ ...json, weights: [w.slice(0, 2), w.slice(2)] });
        finiteOrCrmError(() => [som.predict([x]), som.quantizationError([x]), som.topographicError([x]), som.uMatrix()]);
      }),
      { numRuns: 200, seed: 12 },
    );
  });
});
