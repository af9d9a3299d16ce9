import { CrmError, ownValue, readOptions, type CrmPath } from '@crm/core';
import { DEFAULT_SEPARATOR, combineColumns, type SegmentLabels } from './segment-labels.ts';

/**
 * One side of {@link crossSegments}: a name or number per record (`null` for a record without a
 * segment), such as `rfmSegments` names or cluster labels (a typed array of labels too); or a labelled segmentation (`labels`
 * as codes into `legend`, −1 for none), such as the result of {@link RuleSegments.apply} or of an
 * earlier `crossSegments`.
 *
 * @example
 * ```ts
 * import type { SegmentInput } from '@crm/segment';
 * const rfm: SegmentInput = ['Champions', 'At Risk', null];
 * const clusters: SegmentInput = [0, 2, 1];
 * const coded: SegmentInput = { labels: [0, 1, -1], legend: ['A', 'B'] };
 * ```
 */
export type SegmentInput =
  | readonly (string | number | null)[]
  | Int32Array
  | Float64Array
  | { readonly labels: ArrayLike<number>; readonly legend: readonly string[] };

/**
 * Options of {@link crossSegments}.
 *
 * @example
 * ```ts
 * import type { CrossSegmentsOptions } from '@crm/segment';
 * const options: CrossSegmentsOptions = { separator: ' × ' };
 * ```
 */
export interface CrossSegmentsOptions {
  /** Between the two names of a crossed segment (default `' / '`). */
  readonly separator?: string;
}

/**
 * Crosses two segmentations of the same records: RFM segments with rule segments, clusters with
 * life stages, or any two of them (chain the calls for more). Each record's segment is the pair of
 * its two segments; only pairs that occur are listed. The legend follows each side's own order
 * (a legend's order, numbers ascending, names sorted by code unit), first side first. A record
 * without a segment on either side has none crossed (code −1, counted in `unassigned`). The result
 * is a {@link SegmentLabels}: its `labels` go straight into `profileSegments`. O(n + k log k).
 *
 * @throws {CrmError} `invalid_labels` when the sides differ in length or hold something other
 * than names, integers or `null` (with the path of the entry); `invalid_argument` for a bad
 * separator or two pairs that would print the same name.
 * @example
 * ```ts
 * import { crossSegments } from '@crm/segment';
 * const rfm = ['Champions', 'At Risk', 'Champions', 'At Risk'];
 * const clusters = [1, 0, 1, 1];
 * const crossed = crossSegments(rfm, clusters);
 * crossed.legend; // ['At Risk / 0', 'At Risk / 1', 'Champions / 1']
 * crossed.labels; // [2, 0, 2, 1]
 * crossed.counts; // [1, 1, 2]
 * ```
 */
export function crossSegments(a: SegmentInput, b: SegmentInput, options?: CrossSegmentsOptions): SegmentLabels {
  const o = readOptions(options, ['separator'], 'crossSegments');
  const separator = o.separator === undefined ? DEFAULT_SEPARATOR : o.separator;
  if (typeof separator !== 'string' || separator === '') {
    throw new CrmError('invalid_argument', 'crossSegments: separator must be a non-empty string', ['options', 'separator']);
  }
  const left = readSide(a, 'a');
  const right = readSide(b, 'b');
  if (left.codes.length !== right.codes.length) {
    throw new CrmError('invalid_labels', `a has ${left.codes.length} entries but b has ${right.codes.length}: both must describe the same records`, ['b']);
  }
  return combineColumns([left.codes, right.codes], [left.names, right.names], separator, left.codes.length, ['options', 'separator']);
}

/** One side as codes (−1 = none) into an ordered list of names. */
function readSide(side: unknown, name: 'a' | 'b'): { codes: Int32Array; names: string[] } {
  if (Array.isArray(side)) return readValues(side, name);
  if (side instanceof Int32Array || side instanceof Float64Array) return readValues(Array.from(side), name);
  if (side !== null && typeof side === 'object' && !ArrayBuffer.isView(side)) return readCoded(side as Record<string, unknown>, name);
  throw new CrmError('invalid_labels', `${name} must be an array of segment names or labels, or { labels, legend }`, [name]);
}

function readValues(values: readonly unknown[], name: string): { codes: Int32Array; names: string[] } {
  const numbers = new Set<number>();
  const strings = new Set<string>();
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v: unknown = values[i];
    if (v === null) continue;
    if (typeof v === 'number' && Number.isInteger(v)) numbers.add(v === 0 ? 0 : v);
    else if (typeof v === 'string' && v !== '') strings.add(v);
    else throw new CrmError('invalid_labels', `${name}[${i}] is ${describe(v)}: a segment is a non-empty name, an integer label, or null for none`, [name, i]);
  }
  const sortedNumbers = [...numbers].sort((x, y) => x - y);
  const sortedStrings = [...strings].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const names = [...sortedNumbers.map(String), ...sortedStrings];
  if (new Set(names).size !== names.length) {
    const twin = sortedStrings.find((s) => numbers.has(Number(s)) && String(Number(s)) === s);
    throw new CrmError('invalid_labels', `${name} holds both the number ${twin} and the string '${twin}': use one kind of label`, [name]);
  }
  const index = new Map<string | number, number>();
  sortedNumbers.forEach((v, k) => index.set(v, k));
  sortedStrings.forEach((v, k) => index.set(v, sortedNumbers.length + k));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as string | number | null;
    codes[i] = v === null ? -1 : (index.get(v === 0 ? 0 : v) as number);
  }
  return { codes, names };
}

function readCoded(side: Readonly<Record<string, unknown>>, name: string): { codes: Int32Array; names: string[] } {
  const legend = ownValue(side, 'legend');
  const labels = ownValue(side, 'labels');
  const at = (...rest: (string | number)[]): CrmPath => [name, ...rest];
  if (!Array.isArray(legend)) throw new CrmError('invalid_labels', `${name}.legend must be an array of segment names`, at('legend'));
  const names: string[] = [];
  const seen = new Set<string>();
  for (let k = 0; k < legend.length; k++) {
    const v: unknown = legend[k];
    if (typeof v !== 'string' || v === '' || seen.has(v)) {
      throw new CrmError('invalid_labels', `${name}.legend[${k}] must be a non-empty name that appears once`, at('legend', k));
    }
    seen.add(v);
    names.push(v);
  }
  if (labels === null || typeof labels !== 'object' || typeof (labels as ArrayLike<number>).length !== 'number') {
    throw new CrmError('invalid_labels', `${name}.labels must be an array of codes into ${name}.legend`, at('labels'));
  }
  const list = labels as ArrayLike<unknown>;
  const codes = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -1 || v >= names.length) {
      throw new CrmError('invalid_labels', `${name}.labels[${i}] is ${describe(v)}: codes index ${name}.legend (0 … ${names.length - 1}), −1 for none`, at('labels', i));
    }
    codes[i] = v;
  }
  return { codes, names };
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v === null || typeof v !== 'object') return String(v);
  return Array.isArray(v) ? 'an array' : 'an object';
}
