import { CrmError, type CrmPath } from './errors.ts';
import { finiteResult } from './finite.ts';
import { freezeModel } from './freeze.ts';
import { ownValue, readModelJson, readNumber, readObject } from './json.ts';
import { readOptions } from './options.ts';

/**
 * How one numeric column becomes one feature.
 *
 * @example
 * ```ts
 * import type { NumericColumn } from '@crm/core';
 * const tenure: NumericColumn = { name: 'tenure', type: 'numeric', scale: 'standard', impute: 'median' };
 * ```
 */
export interface NumericColumn {
  readonly name: string;
  readonly type: 'numeric';
  /** `'standard'`: (x − mean) / sd with the population sd; `'minmax'`: to [0, 1] on the training range; `'none'` (default). A constant column gets scale 1, as in scikit-learn. */
  readonly scale?: 'none' | 'standard' | 'minmax';
  /** Missing values (absent, null, '', NaN): `'error'` (default), the training `'mean'` or `'median'`, or a constant. */
  readonly impute?: 'error' | 'mean' | 'median' | number;
}

/**
 * How one categorical column becomes one-hot features, one per level seen in training (levels
 * sorted, all kept, as scikit-learn's `OneHotEncoder`).
 *
 * @example
 * ```ts
 * import type { CategoricalColumn } from '@crm/core';
 * const contract: CategoricalColumn = { name: 'Contract', type: 'categorical', unseen: 'ignore' };
 * ```
 */
export interface CategoricalColumn {
  readonly name: string;
  readonly type: 'categorical';
  /** A level not seen in training: `'error'` (default) or `'ignore'` (all its one-hot features 0). */
  readonly unseen?: 'error' | 'ignore';
  /** Missing values: `'error'` (default), the training `'mode'`, or a constant level. */
  readonly impute?: 'error' | 'mode' | { readonly value: string };
}

/**
 * One column of a {@link FeatureSpec}.
 *
 * @example
 * ```ts
 * import type { ColumnSpec } from '@crm/core';
 * const columns: ColumnSpec[] = [{ name: 'tenure', type: 'numeric' }, { name: 'Contract', type: 'categorical' }];
 * ```
 */
export type ColumnSpec = NumericColumn | CategoricalColumn;

/**
 * The columns to turn into features, in order.
 *
 * @example
 * ```ts
 * import type { FeatureSpec } from '@crm/core';
 * const spec: FeatureSpec = { columns: [{ name: 'frequency', type: 'numeric', scale: 'standard' }] };
 * ```
 */
export interface FeatureSpec {
  readonly columns: readonly ColumnSpec[];
}

/**
 * What the transformer learned for a numeric column: the feature is (x − center) / scale.
 *
 * @example
 * ```ts
 * import type { FittedNumericColumn } from '@crm/core';
 * const tenure: FittedNumericColumn = { name: 'tenure', type: 'numeric', center: 32.4, scale: 24.5, fill: null };
 * ```
 */
export interface FittedNumericColumn {
  readonly name: string;
  readonly type: 'numeric';
  /** Value subtracted before dividing by `scale`. */
  readonly center: number;
  /** Divisor. */
  readonly scale: number;
  /** Value used for a missing entry, or null to reject it. */
  readonly fill: number | null;
}

/**
 * What the transformer learned for a categorical column: one feature per level.
 *
 * @example
 * ```ts
 * import type { FittedCategoricalColumn } from '@crm/core';
 * const contract: FittedCategoricalColumn = { name: 'Contract', type: 'categorical', levels: ['Month-to-month', 'One year', 'Two year'], unseen: 'ignore', fill: null };
 * ```
 */
export interface FittedCategoricalColumn {
  readonly name: string;
  readonly type: 'categorical';
  /** Levels in feature order (sorted). */
  readonly levels: readonly string[];
  readonly unseen: 'error' | 'ignore';
  /** Level used for a missing entry, or null to reject it. */
  readonly fill: string | null;
}

/**
 * A fitted column, numeric or categorical (tell them apart by `type`).
 *
 * @example
 * ```ts
 * import { FeatureTransformer, type FittedColumn } from '@crm/core';
 * const columns: readonly FittedColumn[] = FeatureTransformer.fit([{ x: 1 }], { columns: [{ name: 'x', type: 'numeric' }] }).columns;
 * ```
 */
export type FittedColumn = FittedNumericColumn | FittedCategoricalColumn;

/**
 * Serialized {@link FeatureTransformer}.
 *
 * @example
 * ```ts
 * import { FeatureTransformer, type FeatureTransformerJson } from '@crm/core';
 * const json: FeatureTransformerJson = FeatureTransformer.fit([{ x: 1 }], { columns: [{ name: 'x', type: 'numeric' }] }).toJSON();
 * ```
 */
export interface FeatureTransformerJson {
  readonly kind: 'crm.core.feature-transformer';
  readonly version: 1;
  readonly columns: readonly FittedColumn[];
}

/**
 * A record as feature matrices read it: any object with named fields (a plain row, a
 * `CustomerSummary`, a `CalibrationHoldoutRow`). Only own properties named in the spec are read.
 *
 * @example
 * ```ts
 * import type { FeatureRecord } from '@crm/core';
 * const row: FeatureRecord = { tenure: 12, Contract: 'One year' };
 * ```
 */
export type FeatureRecord = object;

const KIND = 'crm.core.feature-transformer';
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const isMissing = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v)) || (typeof v === 'string' && v.trim() === '');

function numberAt(records: readonly FeatureRecord[], i: number, name: string): number | undefined {
  const row = records[i];
  if (row === null || typeof row !== 'object') {
    throw new CrmError('invalid_input', `records[${i}] is not an object`, [i]);
  }
  const v = ownValue(row as Readonly<Record<string, unknown>>, name);
  if (isMissing(v)) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && NUMERIC.test(v.trim())) {
    const n = Number(v.trim());
    if (Number.isFinite(n)) return n;
    throw new CrmError(
      'invalid_input',
      `records[${i}].${name} is ${JSON.stringify(v)}, beyond double precision (about ±1.8e308): rescale the column or treat it as missing`,
      [i, name],
    );
  }
  throw new CrmError('invalid_input', `records[${i}].${name} is ${JSON.stringify(v)}, not a number`, [i, name]);
}

function levelAt(records: readonly FeatureRecord[], i: number, name: string): string | undefined {
  const row = records[i];
  if (row === null || typeof row !== 'object') {
    throw new CrmError('invalid_input', `records[${i}] is not an object`, [i]);
  }
  const v = ownValue(row as Readonly<Record<string, unknown>>, name);
  if (isMissing(v)) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new CrmError('invalid_input', `records[${i}].${name} is not a category (string, number or boolean)`, [i, name]);
}

const missingError = (i: number, name: string): CrmError =>
  new CrmError('invalid_input', `records[${i}].${name} is missing: set impute on column '${name}' or clean the data`, [i, name]);

function fitNumeric(records: readonly FeatureRecord[], spec: NumericColumn): FittedNumericColumn {
  const values: number[] = [];
  let missing = 0;
  for (let i = 0; i < records.length; i++) {
    const v = numberAt(records, i, spec.name);
    if (v === undefined) missing++;
    else values.push(v);
  }
  const impute = spec.impute ?? 'error';
  let fill: number | null = null;
  if (typeof impute === 'number') fill = impute;
  else if (impute !== 'error') {
    if (values.length === 0) {
      throw new CrmError('degenerate_data', `column '${spec.name}' has no values to compute its ${impute} from`, [spec.name]);
    }
    fill = impute === 'mean' ? meanAndSd(values).mean : median(values);
  }
  if (missing > 0 && fill === null) {
    for (let i = 0; i < records.length; i++) if (numberAt(records, i, spec.name) === undefined) throw missingError(i, spec.name);
  }
  for (let k = 0; k < missing; k++) values.push(fill!);
  const scaling = spec.scale ?? 'none';
  if (scaling === 'none') return { name: spec.name, type: 'numeric', center: 0, scale: 1, fill };
  if (scaling === 'minmax') {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const range = finiteResult(hi - lo, `the min-max range of column '${spec.name}'`, ['records']);
    return { name: spec.name, type: 'numeric', center: lo, scale: range > 0 ? range : 1, fill };
  }
  const { mean, sd } = meanAndSd(values);
  return { name: spec.name, type: 'numeric', center: mean, scale: sd > 0 ? sd : 1, fill };
}

/**
 * Mean and population standard deviation by two passes (stable for large offsets). When a sum or a
 * square overflows (values near 1e154 and beyond), the same passes run on the values divided by
 * their largest magnitude, so both results stay finite (|mean| and sd never exceed it).
 */
function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  if (Number.isFinite(mean) && Number.isFinite(ss)) return { mean, sd: Math.sqrt(ss / n) };
  let big = 0;
  for (const v of values) if (Math.abs(v) > big) big = Math.abs(v);
  let scaledSum = 0;
  for (const v of values) scaledSum += v / big;
  const scaledMean = scaledSum / n;
  let scaledSs = 0;
  for (const v of values) scaledSs += (v / big - scaledMean) * (v / big - scaledMean);
  return { mean: scaledMean * big, sd: Math.sqrt(scaledSs / n) * big };
}

function fitCategorical(records: readonly FeatureRecord[], spec: CategoricalColumn): FittedCategoricalColumn {
  const counts = new Map<string, number>();
  let missingRow = -1;
  for (let i = 0; i < records.length; i++) {
    const v = levelAt(records, i, spec.name);
    if (v === undefined) {
      if (missingRow < 0) missingRow = i;
    } else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const impute = spec.impute ?? 'error';
  let fill: string | null = null;
  if (impute === 'mode') {
    let best = -1;
    for (const [level, c] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (c > best) {
        best = c;
        fill = level;
      }
    }
    if (fill === null) throw new CrmError('degenerate_data', `column '${spec.name}' has no values to take the mode of`, [spec.name]);
  } else if (typeof impute === 'object' && impute !== null) {
    fill = String(impute.value);
  }
  if (missingRow >= 0) {
    if (fill === null) throw missingError(missingRow, spec.name);
    counts.set(fill, (counts.get(fill) ?? 0) + 1);
  }
  const levels = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { name: spec.name, type: 'categorical', levels, unseen: spec.unseen ?? 'error', fill };
}

function median(values: readonly number[]): number {
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : s[mid - 1]! / 2 + s[mid]! / 2;
}

const NUMERIC_KEYS = ['name', 'type', 'scale', 'impute'] as const;
const CATEGORICAL_KEYS = ['name', 'type', 'unseen', 'impute'] as const;

/** Reads a spec through the shared options reader (unknown keys anywhere are errors) into a fresh copy. */
function readSpec(spec: unknown): ColumnSpec[] {
  const where = 'FeatureTransformer.fit';
  const s = readOptions(spec, ['columns'], where, ['spec']);
  const columns = s.columns;
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new CrmError('invalid_argument', 'spec must be { columns: [...] } with at least one column', ['spec']);
  }
  const names = new Set<string>();
  const out: ColumnSpec[] = [];
  for (let j = 0; j < columns.length; j++) {
    const at: CrmPath = ['spec', 'columns', j];
    const raw: unknown = columns[j];
    const type = raw !== null && typeof raw === 'object' ? ownValue(raw as Record<string, unknown>, 'type') : undefined;
    if (type !== 'numeric' && type !== 'categorical') {
      throw new CrmError('invalid_argument', `spec.columns[${j}]: type must be 'numeric' or 'categorical'`, [...at, 'type']);
    }
    const c = readOptions(raw, type === 'numeric' ? NUMERIC_KEYS : CATEGORICAL_KEYS, `${where} (${type} column)`, at);
    const name = c.name;
    if (typeof name !== 'string' || name === '') throw new CrmError('invalid_argument', `spec.columns[${j}] needs a name`, [...at, 'name']);
    if (names.has(name)) throw new CrmError('invalid_argument', `column '${name}' appears twice in spec.columns`, [...at, 'name']);
    names.add(name);
    if (type === 'numeric') {
      const scale = c.scale;
      if (scale !== undefined && scale !== 'none' && scale !== 'standard' && scale !== 'minmax') {
        throw new CrmError('invalid_argument', `column '${name}': scale must be 'none', 'standard' or 'minmax'`, [...at, 'scale']);
      }
      const imp = c.impute;
      if (imp !== undefined && !(typeof imp === 'number' && Number.isFinite(imp)) && imp !== 'error' && imp !== 'mean' && imp !== 'median') {
        throw new CrmError('invalid_argument', `column '${name}': impute must be 'error', 'mean', 'median' or a finite number`, [...at, 'impute']);
      }
      out.push({ name, type, scale, impute: imp });
      continue;
    }
    const unseen = c.unseen;
    if (unseen !== undefined && unseen !== 'error' && unseen !== 'ignore') {
      throw new CrmError('invalid_argument', `column '${name}': unseen must be 'error' or 'ignore'`, [...at, 'unseen']);
    }
    const imp = c.impute;
    let impute: CategoricalColumn['impute'];
    if (imp === undefined || imp === 'error' || imp === 'mode') impute = imp;
    else if (imp !== null && typeof imp === 'object' && !Array.isArray(imp)) {
      const value = readOptions(imp, ['value'], `${where} (impute of column '${name}')`, [...at, 'impute']).value;
      if (typeof value !== 'string') {
        throw new CrmError('invalid_argument', `column '${name}': impute.value must be a string level`, [...at, 'impute', 'value']);
      }
      impute = { value };
    } else {
      throw new CrmError('invalid_argument', `column '${name}': impute must be 'error', 'mode' or { value: string }`, [...at, 'impute']);
    }
    out.push({ name, type, unseen, impute });
  }
  return out;
}

/**
 * Turns records into a numeric feature matrix the same way at training and at prediction time:
 * numeric passthrough, standard or min-max scaling, one-hot encoding with a rule for unseen levels,
 * and missing-value imputation, all learned by `fit` on the training records and kept as plain,
 * JSON-serializable data. Fitting is O(n · columns) (O(n log n) for a median).
 *
 * @example
 * ```ts
 * import { FeatureTransformer } from '@crm/core';
 * const train = [
 *   { tenure: 1, Contract: 'Month-to-month' },
 *   { tenure: 30, Contract: 'Two year' },
 * ];
 * const tf = FeatureTransformer.fit(train, {
 *   columns: [
 *     { name: 'tenure', type: 'numeric', scale: 'standard' },
 *     { name: 'Contract', type: 'categorical', unseen: 'ignore' },
 *   ],
 * });
 * tf.featureNames;          // ['tenure', 'Contract=Month-to-month', 'Contract=Two year']
 * tf.transform(train);      // [[-1, 1, 0], [1, 0, 1]]
 * FeatureTransformer.fromJSON(JSON.parse(JSON.stringify(tf))).transform(train); // the same
 * ```
 */
export class FeatureTransformer {
  /** The fitted columns, in feature order. */
  readonly columns: readonly FittedColumn[];
  /** One name per output feature: the column name, or `column=level` for one-hot features. */
  readonly featureNames: readonly string[];

  private constructor(columns: readonly FittedColumn[]) {
    this.columns = Object.freeze(columns.map((c) => Object.freeze(c.type === 'categorical' ? { ...c, levels: Object.freeze([...c.levels]) } : { ...c })));
    this.featureNames = Object.freeze(
      columns.flatMap((c) => (c.type === 'numeric' ? [c.name] : c.levels.map((level) => `${c.name}=${level}`))),
    );
    freezeModel(this);
  }

  /**
   * Learns the transform from training records.
   *
   * @throws {CrmError} `invalid_argument` for a bad spec (an unknown key in the spec or in a column
   * spec included) or non-array records; `invalid_input` for an empty input, a non-numeric value in a
   * numeric column (a string beyond double precision such as `'1e999'` included) or a missing value
   * without imputation (path `[row, column]`); `non_finite_result` when a min-max range overflows.
   */
  static fit(records: readonly FeatureRecord[], spec: FeatureSpec): FeatureTransformer {
    const columns = readSpec(spec);
    if (!Array.isArray(records)) throw new CrmError('invalid_argument', 'records must be an array of objects', ['records']);
    if (records.length === 0) throw new CrmError('invalid_input', 'records is empty: fit needs at least one record', ['records']);
    return new FeatureTransformer(columns.map((c) => (c.type === 'numeric' ? fitNumeric(records, c) : fitCategorical(records, c))));
  }

  /**
   * Restores a transformer from {@link FeatureTransformer.toJSON} output, checking every value.
   *
   * @throws {CrmError} `invalid_json` for anything that is not a valid serialized transformer.
   */
  static fromJSON(json: unknown): FeatureTransformer {
    const obj = readModelJson(json, KIND, 1);
    const cols = ownValue(obj, 'columns');
    if (!Array.isArray(cols) || cols.length === 0) throw new CrmError('invalid_json', 'expected a non-empty columns array', ['columns']);
    const names = new Set<string>();
    // Index every slot: a hole in a JSON-like array must fail here, not at transform time.
    const fitted = Array.from({ length: cols.length }, (_, j): FittedColumn => {
      const raw: unknown = cols[j];
      const path = ['columns', j];
      const c = readObject(raw, path);
      const name = ownValue(c, 'name');
      if (typeof name !== 'string' || name === '' || names.has(name)) {
        throw new CrmError('invalid_json', `columns[${j}].name must be a unique non-empty string`, [...path, 'name']);
      }
      names.add(name);
      const type = ownValue(c, 'type');
      if (type === 'numeric') {
        const fill = ownValue(c, 'fill');
        if (fill !== null && (typeof fill !== 'number' || !Number.isFinite(fill))) {
          throw new CrmError('invalid_json', `columns[${j}].fill must be a number or null`, [...path, 'fill']);
        }
        const scale = readNumber(c, 'scale', path);
        if (scale === 0) throw new CrmError('invalid_json', `columns[${j}].scale must not be 0`, [...path, 'scale']);
        return { name, type, center: readNumber(c, 'center', path), scale, fill };
      }
      if (type === 'categorical') {
        const levels = ownValue(c, 'levels');
        if (!Array.isArray(levels) || !Array.from({ length: levels.length }, (_, k) => levels[k]).every((l) => typeof l === 'string') || new Set(levels).size !== levels.length) {
          throw new CrmError('invalid_json', `columns[${j}].levels must be distinct strings, without holes`, [...path, 'levels']);
        }
        const unseen = ownValue(c, 'unseen');
        if (unseen !== 'error' && unseen !== 'ignore') throw new CrmError('invalid_json', `columns[${j}].unseen must be 'error' or 'ignore'`, [...path, 'unseen']);
        const fill = ownValue(c, 'fill');
        if (fill !== null && typeof fill !== 'string') throw new CrmError('invalid_json', `columns[${j}].fill must be a string or null`, [...path, 'fill']);
        return { name, type, levels: levels as string[], unseen, fill };
      }
      throw new CrmError('invalid_json', `columns[${j}].type must be 'numeric' or 'categorical'`, [...path, 'type']);
    });
    return new FeatureTransformer(fitted);
  }

  /**
   * Applies the fitted transform. The input is not touched. O(n · features).
   *
   * @throws {CrmError} `invalid_input` for a missing value without imputation, a non-numeric value
   * in a numeric column, or an unseen level of a column with `unseen: 'error'` (path `[row, column]`);
   * `non_finite_result` when a scaled value overflows (path `[row, column]`).
   */
  transform(records: readonly FeatureRecord[]): number[][] {
    if (!Array.isArray(records)) throw new CrmError('invalid_argument', 'records must be an array of objects', ['records']);
    const width = this.featureNames.length;
    const out: number[][] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const row = new Array<number>(width).fill(0);
      let k = 0;
      for (const c of this.columns) {
        if (c.type === 'numeric') {
          let v = numberAt(records, i, c.name);
          if (v === undefined) {
            if (c.fill === null) throw missingError(i, c.name);
            v = c.fill;
          }
          let x = (v - c.center) / c.scale;
          // v − center can overflow where v/scale − center/scale does not.
          if (!Number.isFinite(x)) x = finiteResult(v / c.scale - c.center / c.scale, `feature '${c.name}' of records[${i}]`, [i, c.name]);
          row[k++] = x;
          continue;
        }
        let level = levelAt(records, i, c.name);
        if (level === undefined) {
          if (c.fill === null) throw missingError(i, c.name);
          level = c.fill;
        }
        const at = c.levels.indexOf(level);
        if (at >= 0) row[k + at] = 1;
        else if (c.unseen === 'error') {
          throw new CrmError(
            'invalid_input',
            `records[${i}].${c.name} is '${level}', a level not seen in training: set unseen: 'ignore' to encode it as all zeros`,
            [i, c.name],
          );
        }
        k += c.levels.length;
      }
      out[i] = row;
    }
    return out;
  }

  /** Plain data: `kind`, format `version` and the fitted columns. */
  toJSON(): FeatureTransformerJson {
    return { kind: KIND, version: 1, columns: this.columns };
  }
}
