import {
  CrmError,
  checkCost,
  createRng,
  enumOption,
  finiteResult,
  freezeModel,
  numberOption,
  ownValue,
  readModelJson,
  readNumber,
  readNumberArray,
  readObject,
  readOptions,
  toDenseMatrix,
  type NumberRange,
} from '@crm/core';
import { portableExp, portablePow } from '@crm/core';
import type { Clusterer } from './clusterer.ts';
import { distanceScale, maxAbs, scaleInPlace, scaleWithModel, squaredDistance, toRows, trainingMatrix } from './checks.ts';

/**
 * Options of {@link Som.fit}.
 *
 * @example
 * ```ts
 * import type { SomOptions } from '@crm/segment';
 * const options: SomOptions = { rows: 6, cols: 8, topology: 'hexagonal', neighbourhood: 'gaussian', training: 'batch', epochs: 50, seed: 1 };
 * ```
 */
export interface SomOptions {
  /** Grid rows (default 5). */
  readonly rows?: number;
  /** Grid columns (default 5). */
  readonly cols?: number;
  /** `'rectangular'` (8 neighbours per unit, default) or `'hexagonal'` (6 neighbours; odd rows shifted right by half a unit). */
  readonly topology?: 'rectangular' | 'hexagonal';
  /** `'gaussian'` (weight exp(−δ²/2σ²) at grid distance δ, default) or `'bubble'` (weight 1 within the radius, else 0). */
  readonly neighbourhood?: 'gaussian' | 'bubble';
  /** `'batch'` (Kohonen's batch map, default: deterministic given the start) or `'online'` (one row at a time, in a seeded random order). */
  readonly training?: 'batch' | 'online';
  /** Passes over the data (default 50). */
  readonly epochs?: number;
  /** Learning rate at the start of online training (default 0.5); decays exponentially to `finalLearningRate`. Unused by batch training. */
  readonly learningRate?: number;
  /** Learning rate at the end of online training (default 0.01). */
  readonly finalLearningRate?: number;
  /** Neighbourhood radius σ at the start, in grid units (default max(rows, cols) / 2, at least 1); decays exponentially to `finalRadius`. */
  readonly radius?: number;
  /** Neighbourhood radius at the end (default 0.5, or `radius` when that is smaller). */
  readonly finalRadius?: number;
  /** Seed of the initial weights (rows drawn from X) and of the online order (default 0). */
  readonly seed?: number;
  /**
   * Most distance and neighbourhood evaluations training may do, epochs · units · (2n + units · (d + 1))
   * for batch training and epochs · units · n · (d + 2) for online training (default 1e9, some tens
   * of seconds on a slow machine). A larger grid or more epochs are refused with `limit_exceeded`
   * before anything is allocated; raise this to allow it. A limit, not a hyper-parameter: it is not
   * echoed in `options` or saved in JSON.
   */
  readonly maxDistances?: number;
}

/**
 * The hyper-parameters a fitted {@link Som} echoes back and saves: {@link SomOptions} without the
 * cost limit, defaults filled in.
 *
 * @example
 * ```ts
 * import { Som, type SomSettings } from '@crm/segment';
 * const settings: SomSettings = Som.fit([[0, 0], [0, 1], [5, 5]], { rows: 1, cols: 2 }).options;
 * settings.epochs; // 50
 * ```
 */
export type SomSettings = Required<Omit<SomOptions, 'maxDistances'>>;

/**
 * JSON form of a fitted {@link Som}.
 *
 * @example
 * ```ts
 * import { Som, type SomJson } from '@crm/segment';
 * const json: SomJson = Som.fit([[0, 0], [0, 1], [5, 5]], { rows: 1, cols: 2 }).toJSON();
 * json.history; // quantization error per epoch
 * ```
 */
export interface SomJson {
  /** Always `'crm.segment.som'`. */
  readonly kind: 'crm.segment.som';
  /** Format version, 1. */
  readonly version: 1;
  /** The options the model was fitted with, defaults filled in. */
  readonly options: SomSettings;
  /** Weight vector of each unit, unit `r · cols + c` at grid row r, column c. */
  readonly weights: number[][];
  /** Best-matching unit of each training row. */
  readonly labels: number[];
  /** Quantization error on the training rows after each epoch. */
  readonly history: number[];
}

const KIND = 'crm.segment.som';
const DEFAULT_SIZE = 5;
const DEFAULT_EPOCHS = 50;
const DEFAULT_LEARNING_RATE = 0.5;
const DEFAULT_FINAL_LEARNING_RATE = 0.01;
/** At σ = 0.5 adjacent units still share weight e⁻² ≈ 0.14: the map stays ordered while units specialise. */
const DEFAULT_FINAL_RADIUS = 0.5;
/**
 * Smallest radius accepted: at σ = 0.001 adjacent units already get weight exp(−500000) = 0, so a
 * smaller σ changes nothing, while σ² below ~1e-324 would underflow to 0 and turn the Gaussian
 * weight of a unit's own position into 0/0.
 */
const MIN_RADIUS = 1e-3;
/** Default limit on training work (see {@link SomOptions.maxDistances}). */
const DEFAULT_MAX_DISTANCES = 1e9;
const OPTION_KEYS = [
  'rows',
  'cols',
  'topology',
  'neighbourhood',
  'training',
  'epochs',
  'learningRate',
  'finalLearningRate',
  'radius',
  'finalRadius',
  'seed',
  'maxDistances',
] as const;
const TOPOLOGIES: readonly ('rectangular' | 'hexagonal')[] = ['rectangular', 'hexagonal'];
const NEIGHBOURHOODS: readonly ('gaussian' | 'bubble')[] = ['gaussian', 'bubble'];
const TRAININGS: readonly ('batch' | 'online')[] = ['batch', 'online'];
const POSITIVE_INTEGER: NumberRange = { min: 1, integer: true };
const LEARNING_RATE: NumberRange = { min: 0, minExclusive: true, max: 1 };
const RADIUS: NumberRange = { min: MIN_RADIUS };
/** Grid distances of adjacent units: 1 (and √2 diagonally on a rectangular grid), with room for rounding. */
const ADJACENT_RECTANGULAR = Math.SQRT2 + 1e-9;
const ADJACENT_HEXAGONAL = 1 + 1e-9;

/**
 * Self-organising map (Kohonen 1982): a grid of units, each with a weight vector in data space,
 * trained so that neighbouring units describe similar customers. Rectangular or hexagonal grids,
 * Gaussian or bubble neighbourhoods, exponentially decaying learning rate and radius, batch or
 * online training, seeded. Each unit is a cluster: `predict` gives the best-matching unit (BMU).
 *
 * Cost per epoch O(n · units · d) plus O(units² · d) for batch training, bounded by `maxDistances`
 * (default 1e9) before anything is allocated. Scale the columns first: distances mix them as given.
 * Rows of any finite magnitude are handled: data beyond 2^±400 is trained on an exactly rescaled
 * copy (a power of two) and the weights are reported in the units of X.
 *
 * @example
 * ```ts
 * import { Som } from '@crm/segment';
 * const X = [[0.1, 0.2], [0.2, 0.1], [0.9, 0.8], [0.8, 0.9], [0.5, 0.5]];
 * const som = Som.fit(X, { rows: 2, cols: 2, seed: 1 });
 * som.predict([[0.15, 0.15]]);        // its best-matching unit
 * som.uMatrix();                      // 2 × 2 mean distances to neighbouring units
 * som.quantizationError(X);           // mean distance of rows to their BMU
 * ```
 * @throws {CrmError} `invalid_input` for empty, ragged or non-finite X; `degenerate_data` for a
 * constant column; `invalid_argument` for bad options (radii below 0.001 grid units included);
 * `limit_exceeded` (at `['options', 'maxDistances']`) when training would exceed `maxDistances`;
 * `non_finite_result` when a reported distance itself exceeds the largest double.
 * @see https://doi.org/10.1007/BF00337288
 */
export class Som implements Clusterer {
  /** Model kind. */
  readonly kind: 'crm.segment.som' = KIND;
  /** Options used, defaults filled in. */
  readonly options: SomSettings;
  /** Weight vector of each unit; unit `r · cols + c` sits at grid row r, column c. */
  readonly weights: readonly (readonly number[])[];
  /** Best-matching unit of each training row. */
  readonly labels: readonly number[];
  /** Quantization error on the training rows after each epoch (it falls as the map trains). */
  readonly history: readonly number[];
  /** Number of units, rows × cols. */
  readonly clusterCount: number;
  readonly #w: Float64Array;
  readonly #d: number;
  readonly #pos: Float64Array;

  private constructor(options: SomSettings, weights: Float64Array, d: number, labels: number[], history: number[]) {
    this.options = { ...options };
    this.clusterCount = options.rows * options.cols;
    this.#w = weights;
    this.#d = d;
    this.#pos = gridPositions(options.rows, options.cols, options.topology);
    this.weights = toRows(weights, this.clusterCount, d);
    this.labels = labels;
    this.history = history;
    freezeModel(this);
  }

  /**
   * Trains a map on the rows of `X`.
   *
   * @example
   * ```ts
   * import { Som } from '@crm/segment';
   * const som = Som.fit([[0, 0], [0, 1], [5, 5], [5, 6]], { rows: 1, cols: 2, topology: 'hexagonal', training: 'online', seed: 3 });
   * som.labels; // BMU of each row
   * ```
   */
  static fit(X: readonly ArrayLike<number>[], options?: SomOptions): Som {
    const o = readOptions(options, OPTION_KEYS, 'Som.fit');
    const rows = numberOption(o, 'rows', DEFAULT_SIZE, POSITIVE_INTEGER);
    const cols = numberOption(o, 'cols', DEFAULT_SIZE, POSITIVE_INTEGER);
    const radius = numberOption(o, 'radius', Math.max(1, Math.max(rows, cols) / 2), RADIUS);
    const learningRate = numberOption(o, 'learningRate', DEFAULT_LEARNING_RATE, LEARNING_RATE);
    const opts: SomSettings = {
      rows,
      cols,
      topology: enumOption(o, 'topology', 'rectangular', TOPOLOGIES),
      neighbourhood: enumOption(o, 'neighbourhood', 'gaussian', NEIGHBOURHOODS),
      training: enumOption(o, 'training', 'batch', TRAININGS),
      epochs: numberOption(o, 'epochs', DEFAULT_EPOCHS, POSITIVE_INTEGER),
      learningRate,
      finalLearningRate: numberOption(o, 'finalLearningRate', Math.min(DEFAULT_FINAL_LEARNING_RATE, learningRate), LEARNING_RATE),
      radius,
      finalRadius: numberOption(o, 'finalRadius', Math.min(DEFAULT_FINAL_RADIUS, radius), RADIUS),
      seed: numberOption(o, 'seed', 0),
    };
    const maxDistances = numberOption(o, 'maxDistances', DEFAULT_MAX_DISTANCES, { min: 0 });
    if (opts.finalLearningRate > opts.learningRate) {
      throw new CrmError('invalid_argument', 'finalLearningRate must not exceed learningRate: the rate decays', ['options', 'finalLearningRate']);
    }
    if (opts.finalRadius > opts.radius) {
      throw new CrmError('invalid_argument', 'finalRadius must not exceed radius: the radius decays', ['options', 'finalRadius']);
    }
    const { data, rows: n, cols: d } = trainingMatrix(X, 1);
    checkCost(
      trainingCost(opts, n, d),
      maxDistances,
      'maxDistances',
      `Som.fit of a ${rows} × ${cols} map over ${opts.epochs} epoch(s) of ${n} rows`,
      'distance and neighbourhood evaluations',
    );
    // Training is linear in the data, so an exactly rescaled copy trains the same map, scaled.
    const scale = distanceScale(maxAbs(data));
    scaleInPlace(data, scale);
    const units = rows * cols;
    const pos = gridPositions(rows, cols, opts.topology);
    const rng = createRng(opts.seed);
    const initRng = rng.split();
    const orderRng = rng.split();
    // Start from rows of X (distinct rows while there are enough).
    const start = units <= n ? initRng.sample(Array.from({ length: n }, (_, i) => i), units) : initRng.sample(Array.from({ length: n }, (_, i) => i), units, true);
    const w = new Float64Array(units * d);
    start.forEach((row, u) => w.set(data.subarray(row * d, row * d + d), u * d));
    const history: number[] = [];
    const bmus = new Int32Array(n);
    const decay = (from: number, to: number, fraction: number): number => from * portablePow(to / from, fraction);
    const kernel = opts.neighbourhood === 'gaussian' ? gaussian : bubble;
    if (opts.training === 'batch') {
      const sums = new Float64Array(units * d);
      const counts = new Float64Array(units);
      for (let e = 0; e < opts.epochs; e++) {
        const sigma = decay(opts.radius, opts.finalRadius, opts.epochs === 1 ? 1 : e / (opts.epochs - 1));
        sums.fill(0);
        counts.fill(0);
        for (let i = 0; i < n; i++) {
          const b = bestUnit(data, i, w, units, d);
          counts[b]++;
          for (let t = 0; t < d; t++) sums[b * d + t] += data[i * d + t] as number;
        }
        for (let j = 0; j < units; j++) {
          let den = 0;
          for (let b = 0; b < units; b++) den += kernel(gridDistance2(pos, b, j), sigma) * (counts[b] as number);
          if (den === 0) continue; // no data within reach: the unit keeps its weights
          for (let t = 0; t < d; t++) {
            let num = 0;
            for (let b = 0; b < units; b++) {
              if ((counts[b] as number) === 0) continue;
              num += kernel(gridDistance2(pos, b, j), sigma) * (sums[b * d + t] as number);
            }
            w[j * d + t] = num / den;
          }
        }
        history.push(assign(data, n, w, units, d, bmus));
      }
    } else {
      const total = opts.epochs * n;
      let step = 0;
      const order = Array.from({ length: n }, (_, i) => i);
      for (let e = 0; e < opts.epochs; e++) {
        for (const i of orderRng.shuffle(order)) {
          const fraction = total === 1 ? 1 : step / (total - 1);
          const lr = decay(opts.learningRate, opts.finalLearningRate, fraction);
          const sigma = decay(opts.radius, opts.finalRadius, fraction);
          const b = bestUnit(data, i, w, units, d);
          for (let j = 0; j < units; j++) {
            const h = kernel(gridDistance2(pos, b, j), sigma);
            if (h === 0) continue;
            const rate = lr * h;
            for (let t = 0; t < d; t++) w[j * d + t] += rate * ((data[i * d + t] as number) - (w[j * d + t] as number));
          }
          step++;
        }
        history.push(assign(data, n, w, units, d, bmus));
      }
    }
    const errors = history.map((q, e) => finiteResult(q / scale, `the quantization error after epoch ${e + 1}`, ['X']));
    return new Som(opts, scaleInPlace(w, 1 / scale), d, Array.from(bmus), errors);
  }

  /**
   * Restores a map saved with {@link Som.toJSON}, checking every field.
   *
   * @throws {CrmError} `invalid_json` for anything that is not a version-1 SOM.
   * @example
   * ```ts
   * import { Som } from '@crm/segment';
   * const som = Som.fit([[0, 0], [0, 1], [5, 5], [5, 6]], { rows: 1, cols: 2 });
   * Som.fromJSON(JSON.parse(JSON.stringify(som))).predict([[5, 5]]); // same as som.predict
   * ```
   */
  static fromJSON(json: unknown): Som {
    const obj = readModelJson(json, KIND, 1);
    const o = readObject(ownValue(obj, 'options'), ['options']);
    const num = (key: string, range?: NumberRange): number => readNumber(o, key, ['options'], range);
    const rows = num('rows', POSITIVE_INTEGER);
    const cols = num('cols', POSITIVE_INTEGER);
    const epochs = num('epochs', POSITIVE_INTEGER);
    const learningRate = num('learningRate', LEARNING_RATE);
    const finalLearningRate = num('finalLearningRate', { ...LEARNING_RATE, max: learningRate });
    const radius = num('radius', RADIUS);
    const finalRadius = num('finalRadius', { ...RADIUS, max: radius });
    const seed = num('seed');
    const pick = <T extends string>(key: string, allowed: readonly T[]): T => {
      const v = ownValue(o, key);
      if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
        throw new CrmError('invalid_json', `options.${key} must be one of ${allowed.join(', ')}`, ['options', key]);
      }
      return v as T;
    };
    const options: SomSettings = {
      rows,
      cols,
      topology: pick('topology', TOPOLOGIES),
      neighbourhood: pick('neighbourhood', NEIGHBOURHOODS),
      training: pick('training', TRAININGS),
      epochs,
      learningRate,
      finalLearningRate,
      radius,
      finalRadius,
      seed,
    };
    const units = rows * cols;
    const raw = ownValue(obj, 'weights');
    if (!Array.isArray(raw) || raw.length !== units) throw new CrmError('invalid_json', `weights must hold ${units} rows`, ['weights']);
    let d = -1;
    const w: number[][] = [];
    for (let u = 0; u < units; u++) {
      const row = readNumberArray(raw as unknown as Record<string, unknown>, String(u), ['weights'], d < 0 ? undefined : d);
      if (row.length === 0) throw new CrmError('invalid_json', 'weights must have at least one column', ['weights', u]);
      d = row.length;
      w.push(row);
    }
    const flat = new Float64Array(units * d);
    w.forEach((r, u) => flat.set(r, u * d));
    const labels = readNumberArray(obj, 'labels');
    labels.forEach((l, i) => {
      if (!Number.isInteger(l) || l < 0 || l >= units) throw new CrmError('invalid_json', `labels[${i}] must be a unit index`, ['labels', i]);
    });
    const history = readNumberArray(obj, 'history', [], epochs);
    history.forEach((q, e) => {
      if (q < 0) throw new CrmError('invalid_json', `history[${e}] must be ≥ 0: it is a mean distance`, ['history', e]);
    });
    return new Som(options, flat, d, labels, history);
  }

  /**
   * Best-matching unit (index `r · cols + c`) of each row: the unit with the nearest weights (ties
   * to the lower index). O(n · units · d).
   *
   * @throws {CrmError} `invalid_input` when X is empty, ragged, non-finite or has the wrong number of columns.
   * @example
   * ```ts
   * import { Som } from '@crm/segment';
   * const som = Som.fit([[0, 0], [0, 1], [5, 5], [5, 6]], { rows: 1, cols: 2 });
   * som.predict([[0, 0], [5, 5]]); // two different units
   * ```
   */
  predict(X: readonly ArrayLike<number>[]): number[] {
    const m = toDenseMatrix(X, { cols: this.#d });
    const { model: w } = scaleWithModel(m.data, this.#w);
    const out = new Array<number>(m.rows);
    for (let i = 0; i < m.rows; i++) out[i] = bestUnit(m.data, i, w, this.clusterCount, this.#d);
    return out;
  }

  /**
   * Grid position `[row, col]` of each row's best-matching unit.
   *
   * @example
   * ```ts
   * import { Som } from '@crm/segment';
   * const som = Som.fit([[0, 0], [0, 1], [5, 5], [5, 6]], { rows: 2, cols: 2 });
   * som.coordinates([[0, 0]]); // [[0, 0]]: grid row 0, column 0
   * ```
   */
  coordinates(X: readonly ArrayLike<number>[]): [number, number][] {
    const cols = this.options.cols;
    return this.predict(X).map((u) => [Math.floor(u / cols), u % cols]);
  }

  /**
   * Unified distance matrix: for each unit, the mean Euclidean distance between its weights and
   * those of its adjacent units (8 on a rectangular grid, 6 on a hexagonal one). High values mark
   * borders between groups of customers. Not normalised. O(units · d): only the adjacent units are visited.
   *
   * @example
   * ```ts
   * import { Som } from '@crm/segment';
   * const som = Som.fit([[0, 0], [0, 1], [5, 5], [5, 6]], { rows: 2, cols: 2 });
   * som.uMatrix(); // [[u00, u01], [u10, u11]]
   * ```
   */
  uMatrix(): number[][] {
    const { rows, cols } = this.options;
    const limit = this.options.topology === 'hexagonal' ? ADJACENT_HEXAGONAL : ADJACENT_RECTANGULAR;
    const scale = distanceScale(maxAbs(this.#w));
    const w = scale === 1 ? this.#w : scaleInPlace(Float64Array.from(this.#w), scale);
    const out: number[][] = [];
    for (let r = 0; r < rows; r++) {
      const line: number[] = [];
      for (let c = 0; c < cols; c++) {
        const u = r * cols + c;
        let sum = 0;
        let count = 0;
        // Adjacent units lie in the rows next to r and at most two columns away (half a unit of
        // hexagonal shift included); scanning them in increasing index keeps the sum's order.
        for (let rr = Math.max(0, r - 1); rr <= Math.min(rows - 1, r + 1); rr++) {
          for (let cc = Math.max(0, c - 2); cc <= Math.min(cols - 1, c + 2); cc++) {
            const v = rr * cols + cc;
            if (v === u || gridDistance2(this.#pos, u, v) > limit * limit) continue;
            sum += Math.sqrt(squaredDistance(w, u, w, v, this.#d));
            count++;
          }
        }
        line.push(finiteResult((count === 0 ? 0 : sum / count) / scale, `the U-matrix value of unit ${u}`, ['weights', u]));
      }
      out.push(line);
    }
    return out;
  }

  /**
   * Quantization error: mean Euclidean distance of the rows of `X` to the weights of their
   * best-matching unit. Lower means the map represents the data more closely. O(n · units · d).
   *
   * @example
   * ```ts
   * import { Som } from '@crm/segment';
   * const X = [[0, 0], [0, 1], [5, 5], [5, 6]];
   * Som.fit(X, { rows: 1, cols: 2, finalRadius: 0.1 }).quantizationError(X); // ≈ 0.5: each unit sits between its two rows
   * ```
   */
  quantizationError(X: readonly ArrayLike<number>[]): number {
    const m = toDenseMatrix(X, { cols: this.#d });
    const { scale, model: w } = scaleWithModel(m.data, this.#w);
    const error = assign(m.data, m.rows, w, this.clusterCount, this.#d, new Int32Array(m.rows)) / scale;
    return finiteResult(error, 'the quantization error', ['X']);
  }

  /**
   * Topographic error: share of rows of `X` whose best and second-best units are not adjacent on
   * the grid (a measure of how well the map preserves neighbourhoods; 0 for a one-unit map).
   * O(n · units · d).
   *
   * @example
   * ```ts
   * import { Som } from '@crm/segment';
   * const X = [[0, 0], [0, 1], [5, 5], [5, 6]];
   * Som.fit(X, { rows: 2, cols: 2 }).topographicError(X); // between 0 and 1
   * ```
   */
  topographicError(X: readonly ArrayLike<number>[]): number {
    const m = toDenseMatrix(X, { cols: this.#d });
    const units = this.clusterCount;
    if (units === 1) return 0;
    const { model: w } = scaleWithModel(m.data, this.#w);
    const limit = this.options.topology === 'hexagonal' ? ADJACENT_HEXAGONAL : ADJACENT_RECTANGULAR;
    let errors = 0;
    for (let i = 0; i < m.rows; i++) {
      let first = -1;
      let second = -1;
      let d1 = Infinity;
      let d2 = Infinity;
      for (let u = 0; u < units; u++) {
        const s = squaredDistance(m.data, i, w, u, this.#d);
        if (s < d1) {
          second = first;
          d2 = d1;
          first = u;
          d1 = s;
        } else if (s < d2) {
          second = u;
          d2 = s;
        }
      }
      if (gridDistance2(this.#pos, first, second) > limit * limit) errors++;
    }
    return errors / m.rows;
  }

  /**
   * Plain JSON data for {@link Som.fromJSON}.
   *
   * @example
   * ```ts
   * import { Som } from '@crm/segment';
   * Som.fit([[0, 0], [0, 1], [5, 5]], { rows: 1, cols: 2 }).toJSON().weights.length; // 2
   * ```
   */
  toJSON(): SomJson {
    return {
      kind: KIND,
      version: 1,
      options: { ...this.options },
      weights: this.weights.map((r) => [...r]),
      labels: [...this.labels],
      history: [...this.history],
    };
  }
}

/** Distance and neighbourhood evaluations of a training run (see {@link SomOptions.maxDistances}). */
function trainingCost(o: SomSettings, n: number, d: number): number {
  const units = o.rows * o.cols;
  const perEpoch = o.training === 'batch' ? units * (2 * n + units * (d + 1)) : units * n * (d + 2);
  return o.epochs * perEpoch;
}

/** Grid coordinates of each unit (hexagonal: odd rows shifted by ½, rows √3/2 apart, so neighbours are 1 apart). */
function gridPositions(rows: number, cols: number, topology: 'rectangular' | 'hexagonal'): Float64Array {
  const pos = new Float64Array(rows * cols * 2);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const u = r * cols + c;
      if (topology === 'hexagonal') {
        pos[2 * u] = c + (r % 2 === 1 ? 0.5 : 0);
        pos[2 * u + 1] = (r * Math.sqrt(3)) / 2;
      } else {
        pos[2 * u] = c;
        pos[2 * u + 1] = r;
      }
    }
  }
  return pos;
}

function gridDistance2(pos: Float64Array, a: number, b: number): number {
  const dx = (pos[2 * a] as number) - (pos[2 * b] as number);
  const dy = (pos[2 * a + 1] as number) - (pos[2 * b + 1] as number);
  return dx * dx + dy * dy;
}

function gaussian(distance2: number, sigma: number): number {
  return portableExp(-distance2 / (2 * sigma * sigma));
}

function bubble(distance2: number, sigma: number): number {
  return distance2 <= sigma * sigma ? 1 : 0;
}

function bestUnit(x: Float64Array, i: number, w: Float64Array, units: number, d: number): number {
  let best = 0;
  let bestDist = Infinity;
  for (let u = 0; u < units; u++) {
    const s = squaredDistance(x, i, w, u, d);
    if (s < bestDist) {
      bestDist = s;
      best = u;
    }
  }
  return best;
}

/** Writes each row's BMU into `out` and returns the quantization error. */
function assign(x: Float64Array, n: number, w: Float64Array, units: number, d: number, out: Int32Array): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const b = bestUnit(x, i, w, units, d);
    out[i] = b;
    total += Math.sqrt(squaredDistance(x, i, w, b, d));
  }
  return total / n;
}
