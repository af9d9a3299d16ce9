import { checkCost, CrmError, numberOption, readOptions } from '@crm/core';
import type { PurchaseModel } from './roles.ts';

/**
 * Options of {@link frequencyRecencyMatrix}.
 *
 * @example
 * ```ts
 * import type { FrequencyRecencyMatrixOptions } from '@crm/scoring';
 * const options: FrequencyRecencyMatrixOptions = { maxFrequency: 20, age: 38, horizon: 1 };
 * ```
 */
export interface FrequencyRecencyMatrixOptions {
  /** Largest frequency (rows 0 … maxFrequency; whole number ≥ 0). Required. */
  readonly maxFrequency: number;
  /** Age T of every customer of the grid; recency runs over 0, 1, …, ⌊age⌋ (> 0). Required. */
  readonly age: number;
  /** Horizon of the expected purchases (default 1 period, as lifetimes' `plot_frequency_recency_matrix`). */
  readonly horizon?: number | undefined;
  /** Most cells allowed (default 1,000,000). */
  readonly maxCells?: number | undefined;
}

/**
 * Expected purchases and P(alive) on a frequency × recency grid, one row per frequency.
 *
 * @example
 * ```ts
 * import type { FrequencyRecencyMatrix } from '@crm/scoring';
 * const m: FrequencyRecencyMatrix = { frequency: [0, 1], recency: [0, 1], age: 1, horizon: 1, expected: [[0.1, 0.1], [0.05, 0.3]], probabilityAlive: [[1, 1], [0.4, 0.9]] };
 * ```
 */
export interface FrequencyRecencyMatrix {
  /** Frequencies 0 … maxFrequency (rows). */
  readonly frequency: number[];
  /** Recencies 0 … ⌊age⌋ (columns). */
  readonly recency: number[];
  /** The age T the grid is evaluated at. */
  readonly age: number;
  /** The horizon of `expected`. */
  readonly horizon: number;
  /** `expected[i][j]`: purchases in the next `horizon` periods of a customer with frequency i and recency j. */
  readonly expected: number[][];
  /** `probabilityAlive[i][j]`: P(alive) of the same customer. */
  readonly probabilityAlive: number[][];
}

const DEFAULT_MAX_CELLS = 1_000_000;

/**
 * The frequency/recency matrices of a purchase model (Fader, Hardie & Lee 2005, Figure 5; lifetimes'
 * `plot_frequency_recency_matrix` and `plot_probability_alive_matrix`): for every frequency
 * 0 … maxFrequency and recency 0 … ⌊age⌋ of a customer of age `age`, the expected purchases in the
 * next `horizon` periods and P(alive). Row 0 (no repeat purchase) has recency 0 as its only
 * possible history, so all its cells hold that value (lifetimes evaluates impossible histories
 * there). Draw with `purchaseMatrixChart` of `@crm/core/charts`, which takes any finite values.
 *
 * O(cells) predictions, bounded by `maxCells`.
 *
 * @throws {CrmError} `invalid_argument` for a missing or bad option or model; `limit_exceeded` at
 * `['options', 'maxCells']`.
 * @example
 * ```ts
 * import { BgNbd, frequencyRecencyMatrix } from '@crm/scoring';
 * const model = BgNbd.fromJSON({
 *   kind: 'crm.scoring.bg-nbd', version: 1, options: { penalizer: 0 },
 *   params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
 *   report: { converged: true, iterations: 0, logLikelihood: 0, message: 'published', method: 'bfgs', observations: 2357, standardErrors: null },
 * });
 * const m = frequencyRecencyMatrix(model, { maxFrequency: 10, age: 38 });
 * m.expected.length;        // 11 frequencies
 * m.expected[10]!.length;   // 39 recencies
 * m.probabilityAlive[10]![38]; // a frequent buyer who bought lately: close to 1
 * ```
 */
export function frequencyRecencyMatrix(model: PurchaseModel, options: FrequencyRecencyMatrixOptions): FrequencyRecencyMatrix {
  const o = readOptions(options, ['maxFrequency', 'age', 'horizon', 'maxCells'], 'frequencyRecencyMatrix');
  for (const key of ['maxFrequency', 'age'] as const) {
    if (o[key] === undefined) throw new CrmError('invalid_argument', `frequencyRecencyMatrix: options.${key} is required`, ['options', key]);
  }
  const maxFrequency = numberOption(o, 'maxFrequency', 0, { min: 0, integer: true });
  const age = numberOption(o, 'age', 1, { min: 0, minExclusive: true });
  const horizon = numberOption(o, 'horizon', 1, { min: 0, minExclusive: true });
  const maxCells = numberOption(o, 'maxCells', DEFAULT_MAX_CELLS, { min: 1 });
  const rows = maxFrequency + 1;
  const cols = Math.floor(age) + 1;
  checkCost(rows * cols, maxCells, 'maxCells', 'frequencyRecencyMatrix', 'cells');
  if (model === null || typeof model !== 'object' || typeof model.expectedPurchases !== 'function' || typeof model.probabilityAlive !== 'function') {
    throw new CrmError('invalid_argument', 'frequencyRecencyMatrix: model must be a fitted purchase model with expectedPurchases and probabilityAlive', ['model']);
  }
  const frequency = Array.from({ length: rows }, (_, i) => i);
  const recency = Array.from({ length: cols }, (_, j) => j);
  const expected: number[][] = [];
  const probabilityAlive: number[][] = [];
  for (const f of frequency) {
    if (f === 0) {
      const history = { frequency: 0, recency: 0, T: age };
      expected.push(new Array<number>(cols).fill(model.expectedPurchases(horizon, history)));
      probabilityAlive.push(new Array<number>(cols).fill(model.probabilityAlive(history)));
      continue;
    }
    const e: number[] = [];
    const p: number[] = [];
    for (const r of recency) {
      const history = { frequency: f, recency: r, T: age };
      e.push(model.expectedPurchases(horizon, history));
      p.push(model.probabilityAlive(history));
    }
    expected.push(e);
    probabilityAlive.push(p);
  }
  return { frequency, recency, age, horizon, expected, probabilityAlive };
}
