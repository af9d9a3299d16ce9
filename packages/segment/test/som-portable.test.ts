import { afterEach, describe, expect, it, vi } from 'vitest';
import { Som } from '@crm/segment';

// Math's transcendental functions are not specified to the last bit and differ between engines;
// a seeded fit that avoids them gives the same doubles in Node, Deno and browsers.
const ENGINE_DEPENDENT = ['log', 'log1p', 'log2', 'log10', 'exp', 'expm1', 'pow', 'sin', 'cos', 'tan', 'tanh', 'sinh', 'cosh', 'atan', 'atan2', 'asin', 'acos', 'cbrt', 'hypot'] as const;
function forbidEngineDependentMath(): void {
  for (const name of ENGINE_DEPENDENT) {
    vi.spyOn(Math, name).mockImplementation(() => {
      throw new Error(`Math.${name} is engine-dependent`);
    });
  }
}

describe('Som.fit(X, options) is the same in every engine', () => {
  afterEach(() => vi.restoreAllMocks());
  const X = Array.from({ length: 60 }, (_, i) => [Math.sin(i) * 3, (i % 7) - 3, i / 10]);
  for (const variant of [
    { training: 'online', neighbourhood: 'gaussian', topology: 'hexagonal' },
    { training: 'batch', neighbourhood: 'gaussian', topology: 'rectangular' },
    { training: 'batch', neighbourhood: 'bubble', topology: 'rectangular' },
  ] as const) {
    it(`fits and predicts without engine-dependent Math functions (${variant.training}, ${variant.neighbourhood}, ${variant.topology})`, () => {
      forbidEngineDependentMath();
      const som = Som.fit(X, { ...variant, rows: 3, cols: 4, epochs: 5, seed: 9 });
      expect(som.predict(X)).toHaveLength(X.length);
    });
  }
});
