import { describe, expect, it } from 'vitest';
import { NeuralNetwork, logLoss } from '@crm/churn';
import { expectCrmError, frozenRows } from './helpers.ts';

const XOR = frozenRows([[0, 0], [0, 1], [1, 0], [1, 1]]);
const XOR_Y = Object.freeze([0, 1, 1, 0]);

describe('NeuralNetwork', () => {
  it('learns XOR, which no linear model can, with either activation', () => {
    for (const activation of ['relu', 'tanh'] as const) {
      const net = NeuralNetwork.fit(XOR, XOR_Y, { hidden: [8], activation, learningRate: 0.05, maxEpochs: 2000, l2: 0, seed: 3, tolerance: 0 , patience: 5000 });
      expect(Array.from(net.predict(XOR))).toEqual([0, 1, 1, 0]);
    }
  });

  it('trains two hidden layers and lowers the training loss', () => {
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 200; i++) {
      const a = Math.sin(i) * 2;
      const b = Math.cos(i * 1.3) * 2;
      X.push([a, b]);
      y.push(a * a + b * b < 2 ? 1 : 0); // a disc: not linearly separable
    }
    const net = NeuralNetwork.fit(X, y, { hidden: [16, 8], learningRate: 0.01, maxEpochs: 300, seed: 1 });
    expect(net.layers).toEqual([2, 16, 8, 1]);
    const curve = net.report.lossCurve;
    expect(curve[curve.length - 1]).toBeLessThan((curve[0] as number) / 2);
    expect(logLoss(y, net.predictProba(X))).toBeLessThan(0.3);
  });

  it('same seed, same network; early stopping keeps a validation curve', () => {
    const X = Array.from({ length: 100 }, (_, i) => [i / 100, ((i * 37) % 100) / 100]);
    const y = X.map(([a, b]) => ((a as number) + (b as number) > 1 ? 1 : 0));
    const a = NeuralNetwork.fit(X, y, { seed: 4, maxEpochs: 30, earlyStopping: true, validationFraction: 0.2 });
    const b = NeuralNetwork.fit(X, y, { seed: 4, maxEpochs: 30, earlyStopping: true, validationFraction: 0.2 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.report.validationCurve.length).toBe(a.report.epochs);
    expect(JSON.stringify(NeuralNetwork.fit(X, y, { seed: 5, maxEpochs: 30 }))).not.toBe(JSON.stringify(a));
  });

  it('stops when the loss stops improving and says so', () => {
    const net = NeuralNetwork.fit(XOR, XOR_Y, { maxEpochs: 5000, tolerance: 1, patience: 2 });
    expect(net.report.converged).toBe(true);
    // The first epoch sets the best loss; stopping comes with the (patience + 1)-th stall in a row.
    expect(net.report.epochs).toBe(4);
    expect(NeuralNetwork.fit(XOR, XOR_Y, { maxEpochs: 3 }).report.converged).toBe(false);
  });

  it('rejects bad options and input with CrmError', () => {
    expectCrmError(() => NeuralNetwork.fit(XOR, XOR_Y, { hidden: [] }), 'invalid_argument', ['options', 'hidden']);
    expectCrmError(() => NeuralNetwork.fit(XOR, XOR_Y, { hidden: [4, 4, 4] }), 'invalid_argument', ['options', 'hidden']);
    expectCrmError(() => NeuralNetwork.fit(XOR, XOR_Y, { activation: 'sigmoid' as never }), 'invalid_argument', ['options', 'activation']);
    expectCrmError(() => NeuralNetwork.fit(XOR, XOR_Y, { learningRate: -1 }), 'invalid_argument', ['options', 'learningRate']);
    expectCrmError(() => NeuralNetwork.fit([[0, Number.NaN], [1, 1]], [0, 1]), 'invalid_input', ['X', 0, 1]);
    expectCrmError(() => NeuralNetwork.fit(XOR, [0, 1, 1, 'x' as never]), 'invalid_labels', ['y', 3]);
  });
});
