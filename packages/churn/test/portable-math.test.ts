import { afterEach, describe, expect, it, vi } from 'vitest';
import { NeuralNetwork, RandomForest } from '@crm/churn';

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

const X = Array.from({ length: 80 }, (_, i) => [(i * 37) % 11, (i * 13) % 7, i % 3]);
const y = X.map((r) => ((r[0] as number) + (r[1] as number) > 8 ? 1 : 0));

describe('seeded churn models are the same in every engine', () => {
  afterEach(() => vi.restoreAllMocks());
  for (const activation of ['relu', 'tanh'] as const) {
    it(`NeuralNetwork.fit (${activation}) and predictProba use no engine-dependent Math function`, () => {
      forbidEngineDependentMath();
      const net = NeuralNetwork.fit(X, y, { hidden: [5, 3], activation, maxEpochs: 20, seed: 4 });
      expect(net.predictProba(X)).toHaveLength(X.length);
    });
  }
  it('RandomForest.fit with the entropy criterion uses no engine-dependent Math function', () => {
    forbidEngineDependentMath();
    const forest = RandomForest.fit(X, y, { trees: 5, criterion: 'entropy', maxFeatures: 2, seed: 4 });
    expect(forest.predictProba(X)).toHaveLength(X.length);
  });
});
