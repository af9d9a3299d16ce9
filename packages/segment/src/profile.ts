import { CrmError, numberOption, readOptions, toDenseMatrix, type DenseMatrix } from '@crm/core';
import { distanceScale, encodeLabels, readLabels, rejectConstantColumns } from './checks.ts';

/**
 * Words for the high and low side of one feature in segment descriptions.
 *
 * @example
 * ```ts
 * import type { FeatureWords } from '@crm/segment';
 * const recency: FeatureWords = { high: 'lapsed', low: 'recent' };
 * ```
 */
export interface FeatureWords {
  /** Said when the segment is above average, e.g. `'big spenders'`. */
  readonly high: string;
  /** Said when the segment is below average, e.g. `'small baskets'`. */
  readonly low: string;
}

/**
 * Options of {@link profileSegments}.
 *
 * @example
 * ```ts
 * import type { ProfileOptions } from '@crm/segment';
 * const options: ProfileOptions = {
 *   featureNames: ['recency', 'orders', 'spend'],
 *   words: { recency: { high: 'lapsed', low: 'recent' } },
 *   threshold: 0.5,
 *   maxTerms: 3,
 * };
 * ```
 */
export interface ProfileOptions {
  /**
   * Names of the features: the columns of a matrix (default `x0`, `x1`, …), or the numeric fields
   * to read from records (default: every field of the first record holding a number).
   */
  readonly featureNames?: readonly string[];
  /** Words per feature for descriptions (default `high <name>` / `low <name>`). */
  readonly words?: Readonly<Record<string, FeatureWords>>;
  /** A feature enters a description when the segment mean is at least this many standard deviations from the overall mean (default 0.5). */
  readonly threshold?: number;
  /** Most features named in one description (default 3). */
  readonly maxTerms?: number;
}

/**
 * Profile of one segment.
 *
 * @example
 * ```ts
 * import { profileSegments, type SegmentProfile } from '@crm/segment';
 * const [low]: readonly SegmentProfile[] = profileSegments([[1, 10], [2, 12], [9, 80], [8, 90]], [0, 0, 1, 1]).segments;
 * low.share;       // 0.5
 * low.description; // 'low x1, low x0'
 * ```
 */
export interface SegmentProfile {
  /** The segment's label as given (-1 is noise for DBSCAN). */
  readonly label: number;
  /** Number of customers. */
  readonly size: number;
  /** Share of all customers, 0 … 1. */
  readonly share: number;
  /** Mean of each feature. */
  readonly mean: Readonly<Record<string, number>>;
  /** Median of each feature. */
  readonly median: Readonly<Record<string, number>>;
  /** (segment mean − overall mean) / overall standard deviation, per feature. */
  readonly difference: Readonly<Record<string, number>>;
  /** The most distinctive features in words, most distinctive first: "high spend, recent, frequent". */
  readonly description: string;
}

/**
 * Result of {@link profileSegments}.
 *
 * @example
 * ```ts
 * import { profileSegments, type SegmentProfiles } from '@crm/segment';
 * const p: SegmentProfiles = profileSegments([[1, 10], [2, 12], [9, 80], [8, 90]], [0, 0, 1, 1], { featureNames: ['orders', 'spend'] });
 * p.overall.mean; // { orders: 5, spend: 48 }
 * ```
 */
export interface SegmentProfiles {
  /** Feature names, in column order. */
  readonly features: readonly string[];
  /** All customers together. */
  readonly overall: {
    /** Number of customers. */
    readonly size: number;
    /** Mean of each feature. */
    readonly mean: Readonly<Record<string, number>>;
    /** Median of each feature. */
    readonly median: Readonly<Record<string, number>>;
    /** Standard deviation of each feature (population, divisor n). */
    readonly sd: Readonly<Record<string, number>>;
  };
  /** One profile per segment, by increasing label. */
  readonly segments: readonly SegmentProfile[];
}

const DEFAULT_THRESHOLD = 0.5;
const DEFAULT_MAX_TERMS = 3;
const AVERAGE = 'close to the average customer';

/**
 * Describes segments so a marketer can act on them: size and share, mean and median of every
 * feature, how far each segment's mean lies from the overall mean in standard deviations, and a
 * short description from the most distinctive features ("high spend, recent, frequent").
 * Works on a matrix with feature names or directly on records (`{ recency: 12, spend: 300 }`).
 * O(n · d · log n) for the medians. Values of any finite magnitude are summarised without overflow.
 *
 * @throws {CrmError} `invalid_input` for missing or non-finite values (with their path) or
 * duplicate feature names; `degenerate_data` for a constant feature; `invalid_labels` when labels
 * do not match the rows.
 * @example
 * ```ts
 * import { profileSegments } from '@crm/segment';
 * const customers = [
 *   { recency: 5, orders: 12, spend: 900 }, { recency: 8, orders: 10, spend: 700 },
 *   { recency: 200, orders: 1, spend: 30 }, { recency: 250, orders: 2, spend: 45 },
 * ];
 * const { segments } = profileSegments(customers, [0, 0, 1, 1], {
 *   words: { recency: { high: 'lapsed', low: 'recent' }, orders: { high: 'frequent', low: 'rare' }, spend: { high: 'high spend', low: 'low spend' } },
 * });
 * segments[0].description; // "recent, frequent, high spend" (most distinctive first)
 * segments[0].share;       // 0.5
 * ```
 */
export function profileSegments(
  data: readonly ArrayLike<number>[] | readonly Readonly<Record<string, unknown>>[],
  labels: ArrayLike<number>,
  options?: ProfileOptions,
): SegmentProfiles {
  const o = readOptions(options, ['featureNames', 'words', 'threshold', 'maxTerms'], 'profileSegments');
  const threshold = numberOption(o, 'threshold', DEFAULT_THRESHOLD, { min: 0 });
  const maxTerms = numberOption(o, 'maxTerms', DEFAULT_MAX_TERMS, { min: 0, integer: true });
  const { m, names } = toMatrix(data, o.featureNames);
  rejectConstantColumns(m, 'data');
  const words = readWords(o.words, names);
  const raw = readLabels(labels, m.rows);
  const { codes, k, values } = encodeLabels(raw);
  const { data: x, rows: n, cols: d } = m;
  // Sums and squares of values near the largest double overflow: each column of the copy is
  // multiplied by an exact power of two (1 for ordinary data) and the statistics are scaled back.
  const scale = columnScales(x, n, d);

  const overallMean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) overallMean[j] += x[i * d + j] as number;
  for (let j = 0; j < d; j++) overallMean[j] /= n;
  const sd = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const t = (x[i * d + j] as number) - (overallMean[j] as number);
      sd[j] += t * t;
    }
  }
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt((sd[j] as number) / n);
  const unscaled = (v: Float64Array | number[], j: number): number => (v[j] as number) / (scale[j] as number);

  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) members[codes[i] as number]!.push(i);
  const record = (f: (j: number) => number): Record<string, number> => Object.fromEntries(names.map((name, j) => [name, f(j)]));

  const segments: SegmentProfile[] = [];
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => (values[a] as number) - (values[b] as number));
  for (const c of order) {
    const rows = members[c] as number[];
    const mean = new Float64Array(d);
    for (const i of rows) for (let j = 0; j < d; j++) mean[j] += x[i * d + j] as number;
    for (let j = 0; j < d; j++) mean[j] /= rows.length;
    const diff = Array.from(mean, (v, j) => (v - (overallMean[j] as number)) / (sd[j] as number));
    segments.push({
      label: values[c] as number,
      size: rows.length,
      share: rows.length / n,
      mean: record((j) => unscaled(mean, j)),
      median: record((j) => median(x, d, rows, j) / (scale[j] as number)),
      difference: record((j) => diff[j] as number),
      description: describe(diff, names, words, threshold, maxTerms),
    });
  }
  const all = Array.from({ length: n }, (_, i) => i);
  return {
    features: names,
    overall: {
      size: n,
      mean: record((j) => unscaled(overallMean, j)),
      median: record((j) => median(x, d, all, j) / (scale[j] as number)),
      sd: record((j) => unscaled(sd, j)),
    },
    segments,
  };
}

/** Multiplies each column of x in place by the power of two that keeps its sums and squares finite; returns the factors. */
function columnScales(x: Float64Array, n: number, d: number): Float64Array {
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let top = 0;
    for (let i = 0; i < n; i++) top = Math.max(top, Math.abs(x[i * d + j] as number));
    const s = distanceScale(top);
    scale[j] = s;
    if (s !== 1) for (let i = 0; i < n; i++) x[i * d + j] = (x[i * d + j] as number) * s;
  }
  return scale;
}

function toMatrix(data: unknown, featureNames: unknown): { m: DenseMatrix; names: string[] } {
  if (!Array.isArray(data)) throw new CrmError('invalid_argument', 'data must be an array of rows or of records', ['data']);
  if (data.length === 0) throw new CrmError('invalid_input', 'data is empty: pass at least one customer', ['data']);
  let names: string[] | undefined;
  if (featureNames !== undefined) {
    if (!Array.isArray(featureNames) || featureNames.length === 0 || !featureNames.every((f) => typeof f === 'string')) {
      throw new CrmError('invalid_argument', 'featureNames must be a non-empty array of strings', ['options', 'featureNames']);
    }
    names = [...(featureNames as string[])];
    if (new Set(names).size !== names.length) throw new CrmError('invalid_input', 'featureNames holds a name twice', ['options', 'featureNames']);
  }
  const first: unknown = data[0];
  const isRow = Array.isArray(first) || ArrayBuffer.isView(first);
  if (isRow) {
    const m = toDenseMatrix(data as ArrayLike<number>[], { name: 'data' });
    if (names !== undefined && names.length !== m.cols) {
      throw new CrmError('invalid_argument', `featureNames has ${names.length} names but data has ${m.cols} columns`, ['options', 'featureNames']);
    }
    return { m, names: names ?? Array.from({ length: m.cols }, (_, j) => `x${j}`) };
  }
  if (first === null || typeof first !== 'object') throw new CrmError('invalid_input', 'data[0] is neither a row of numbers nor a record', ['data', 0]);
  if (names === undefined) {
    names = Object.keys(first).filter((key) => typeof (first as Record<string, unknown>)[key] === 'number');
    if (names.length === 0) throw new CrmError('invalid_input', 'data[0] has no numeric field to profile: pass featureNames', ['data', 0]);
  }
  const d = names.length;
  const out = new Float64Array(data.length * d);
  for (let i = 0; i < data.length; i++) {
    const rec: unknown = data[i];
    if (rec === null || typeof rec !== 'object') throw new CrmError('invalid_input', `data[${i}] is not a record`, ['data', i]);
    for (let j = 0; j < d; j++) {
      const name = names[j] as string;
      const v = Object.prototype.hasOwnProperty.call(rec, name) ? (rec as Record<string, unknown>)[name] : undefined;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new CrmError('invalid_input', `data[${i}].${name} is ${String(v)}: every profiled feature needs a finite number`, ['data', i, name]);
      }
      out[i * d + j] = v;
    }
  }
  return { m: { data: out, rows: data.length, cols: d }, names };
}

function readWords(value: unknown, names: readonly string[]): Map<string, FeatureWords> {
  const out = new Map<string, FeatureWords>();
  if (value === undefined) return out;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CrmError('invalid_argument', 'words must be an object of { high, low } per feature', ['options', 'words']);
  }
  for (const key of Object.keys(value)) {
    if (!names.includes(key)) throw new CrmError('invalid_argument', `words names an unknown feature '${key}'`, ['options', 'words', key]);
    const w = (value as Record<string, unknown>)[key] as { high?: unknown; low?: unknown } | null;
    if (w === null || typeof w !== 'object' || typeof w.high !== 'string' || typeof w.low !== 'string') {
      throw new CrmError('invalid_argument', `words.${key} must be { high: string, low: string }`, ['options', 'words', key]);
    }
    out.set(key, { high: w.high, low: w.low });
  }
  return out;
}

function median(x: Float64Array, d: number, rows: readonly number[], j: number): number {
  const v = Float64Array.from(rows, (i) => x[i * d + j] as number).sort();
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

function describe(diff: readonly number[], names: readonly string[], words: ReadonlyMap<string, FeatureWords>, threshold: number, maxTerms: number): string {
  const terms = diff
    .map((z, j) => ({ z, j }))
    .filter(({ z }) => Math.abs(z) >= threshold && z !== 0)
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || a.j - b.j)
    .slice(0, maxTerms)
    .map(({ z, j }) => {
      const name = names[j] as string;
      const w = words.get(name);
      return z > 0 ? (w?.high ?? `high ${name}`) : (w?.low ?? `low ${name}`);
    });
  return terms.length === 0 ? AVERAGE : terms.join(', ');
}
