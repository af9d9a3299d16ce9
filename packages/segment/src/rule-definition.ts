import { CrmError, ownValue, readOptions, type CrmPath } from '@crm/core';
import { DEFAULT_SEPARATOR } from './segment-labels.ts';

/**
 * One band of a {@link BandRule}: the values from `min` to `max`. A bound left out (or `null`) is
 * open: no `min` reaches down to −∞, no `max` up to +∞. Edges default to `[min, max)` — the lower
 * edge inside, the upper edge outside, as `numpy.digitize` — and either can be set explicitly.
 *
 * @example
 * ```ts
 * import type { Band } from '@crm/segment';
 * const middle: Band = { label: 'B', min: 40, max: 70 };                     // 40 ≤ income < 70
 * const top: Band = { label: 'A', min: 70, minInclusive: true };             // 70 ≤ income
 * const teen: Band = { label: 'teen', min: 13, max: 19, maxInclusive: true }; // 13 ≤ age ≤ 19
 * ```
 */
export interface Band {
  /** Segment label of the band (non-empty). Two bands may share a label. */
  readonly label: string;
  /** Lower bound, a finite number; omitted or `null` for no lower bound. */
  readonly min?: number | null | undefined;
  /** Upper bound, a finite number; omitted or `null` for no upper bound. */
  readonly max?: number | null | undefined;
  /** Whether `min` itself is in the band (default `true`; only with a `min`). */
  readonly minInclusive?: boolean | undefined;
  /** Whether `max` itself is in the band (default `false`; only with a `max`). */
  readonly maxInclusive?: boolean | undefined;
}

/**
 * Bands over a numeric field: annual income → purchase-power class, age → life stage. The bands
 * must neither overlap nor leave gaps between them ({@link RuleSegments.define} says where they do);
 * values below the lowest bound or above the highest are reported per record, never guessed.
 *
 * @example
 * ```ts
 * import type { BandRule } from '@crm/segment';
 * const power: BandRule = {
 *   key: 'power', type: 'bands', field: 'income',
 *   bands: [{ label: 'C', max: 40 }, { label: 'B', min: 40, max: 70 }, { label: 'A', min: 70 }],
 * };
 * ```
 */
export interface BandRule {
  /** Name of the segmentation (`'power'`), unique within a definition. */
  readonly key: string;
  /** Says this is a band rule. */
  readonly type: 'bands';
  /** The record's field: a name, or a path into nested objects (`['attributes', 'income']`). */
  readonly field: string | readonly string[];
  /** The bands, in the order their labels should be listed. */
  readonly bands: readonly Band[];
  /**
   * The field holds whole numbers (age in years, number of orders): gaps are judged on integers
   * only, so `[18, 24]` and `[25, 34]` leave none, and a non-integer value is reported. Default false.
   */
  readonly integer?: boolean | undefined;
  /** Label for records without a value (absent, `null` or blank); by default (or `null`) they are reported. */
  readonly missing?: string | null | undefined;
}

/**
 * A map over a categorical field: city → region. Values are matched exactly (a number or boolean
 * by its string form, `1` → `'1'`); a value the map does not hold is reported per record unless
 * `otherwise` names a label for all such values.
 *
 * @example
 * ```ts
 * import type { MapRule } from '@crm/segment';
 * const region: MapRule = {
 *   key: 'region', type: 'map', field: 'city',
 *   map: { Paris: 'North', Lille: 'North', Marseille: 'South', Nice: 'South' },
 *   otherwise: 'Other',
 * };
 * ```
 */
export interface MapRule {
  /** Name of the segmentation (`'region'`), unique within a definition. */
  readonly key: string;
  /** Says this is a map rule. */
  readonly type: 'map';
  /** The record's field: a name, or a path into nested objects (`['attributes', 'city']`). */
  readonly field: string | readonly string[];
  /** Value → label. Keys are read as own properties only (a `__proto__` key is an ordinary value). */
  readonly map: Readonly<Record<string, string>>;
  /** Label for values the map does not hold; by default (or `null`) they are reported. */
  readonly otherwise?: string | null | undefined;
  /** Label for records without a value (absent, `null` or blank); by default (or `null`) they are reported. */
  readonly missing?: string | null | undefined;
}

/**
 * One rule of a {@link RuleSegmentsDefinition}.
 *
 * @example
 * ```ts
 * import type { SegmentRule } from '@crm/segment';
 * const rules: SegmentRule[] = [
 *   { key: 'stage', type: 'bands', field: 'age', integer: true, bands: [{ label: 'young', max: 30 }, { label: 'older', min: 30 }] },
 *   { key: 'region', type: 'map', field: 'city', map: { Paris: 'North', Nice: 'South' } },
 * ];
 * ```
 */
export type SegmentRule = BandRule | MapRule;

/**
 * What {@link RuleSegments.define} reads: the rules, each giving every record one label, and the
 * separator of combined labels (`'A / young'`).
 *
 * @example
 * ```ts
 * import type { RuleSegmentsDefinition } from '@crm/segment';
 * const definition: RuleSegmentsDefinition = {
 *   rules: [{ key: 'power', type: 'bands', field: 'income', bands: [{ label: 'low', max: 50 }, { label: 'high', min: 50 }] }],
 *   separator: ' · ',
 * };
 * ```
 */
export interface RuleSegmentsDefinition {
  /** The rules, at least one; the combined label lists their labels in this order. */
  readonly rules: readonly SegmentRule[];
  /** Between the labels of a combined label (default `' / '`); no label may contain it. */
  readonly separator?: string | undefined;
}

/**
 * A band as a defined {@link RuleSegments} holds it: open bounds are `null` (with their edge
 * flag `false`), every flag is explicit.
 *
 * @example
 * ```ts
 * import { RuleSegments, type BandSettings } from '@crm/segment';
 * const rules = RuleSegments.define({ rules: [{ key: 'k', type: 'bands', field: 'x', bands: [{ label: 'low', max: 1 }, { label: 'high', min: 1 }] }] });
 * const low = (rules.rules[0] as { bands: readonly BandSettings[] }).bands[0];
 * // { label: 'low', min: null, max: 1, minInclusive: false, maxInclusive: false }
 * ```
 */
export interface BandSettings {
  /** Segment label of the band. */
  readonly label: string;
  /** Lower bound, `null` for none. */
  readonly min: number | null;
  /** Upper bound, `null` for none. */
  readonly max: number | null;
  /** Whether `min` itself is in the band (`false` without a `min`). */
  readonly minInclusive: boolean;
  /** Whether `max` itself is in the band (`false` without a `max`). */
  readonly maxInclusive: boolean;
}

/**
 * A band rule as a defined {@link RuleSegments} holds it, defaults filled in (`missing: null`
 * when missing values are reported).
 *
 * @example
 * ```ts
 * import { RuleSegments, type BandRuleSettings } from '@crm/segment';
 * const rule = RuleSegments.define({ rules: [{ key: 'k', type: 'bands', field: 'x', bands: [{ label: 'all' }] }] }).rules[0] as BandRuleSettings;
 * rule.integer; // false
 * ```
 */
export interface BandRuleSettings {
  /** Name of the segmentation. */
  readonly key: string;
  /** Says this is a band rule. */
  readonly type: 'bands';
  /** The record's field, as defined. */
  readonly field: string | readonly string[];
  /** The bands, in definition order. */
  readonly bands: readonly BandSettings[];
  /** Whether the field holds whole numbers. */
  readonly integer: boolean;
  /** Label for missing values, `null` to report them. */
  readonly missing: string | null;
}

/**
 * A map rule as a defined {@link RuleSegments} holds it, defaults filled in (`null` where
 * values are reported). `map` is an object without a prototype.
 *
 * @example
 * ```ts
 * import { RuleSegments, type MapRuleSettings } from '@crm/segment';
 * const rule = RuleSegments.define({ rules: [{ key: 'r', type: 'map', field: 'city', map: { Paris: 'North' } }] }).rules[0] as MapRuleSettings;
 * rule.otherwise; // null
 * ```
 */
export interface MapRuleSettings {
  /** Name of the segmentation. */
  readonly key: string;
  /** Says this is a map rule. */
  readonly type: 'map';
  /** The record's field, as defined. */
  readonly field: string | readonly string[];
  /** Value → label, without a prototype. */
  readonly map: Readonly<Record<string, string>>;
  /** Label for values the map does not hold, `null` to report them. */
  readonly otherwise: string | null;
  /** Label for missing values, `null` to report them. */
  readonly missing: string | null;
}

/**
 * A rule as a defined {@link RuleSegments} holds it and saves it in JSON.
 *
 * @example
 * ```ts
 * import { RuleSegments, type SegmentRuleSettings } from '@crm/segment';
 * const [rule]: readonly SegmentRuleSettings[] = RuleSegments.define({ rules: [{ key: 'r', type: 'map', field: 'city', map: { Paris: 'North' } }] }).rules;
 * rule.type; // 'map'
 * ```
 */
export type SegmentRuleSettings = BandRuleSettings | MapRuleSettings;

/** How many gaps or overlaps an error message lists before "…". */
const LISTED = 10;

const BAND_RULE_KEYS = ['key', 'type', 'field', 'bands', 'integer', 'missing'] as const;
const MAP_RULE_KEYS = ['key', 'type', 'field', 'map', 'otherwise', 'missing'] as const;
const BAND_KEYS = ['label', 'min', 'max', 'minInclusive', 'maxInclusive'] as const;

/**
 * Reads and checks a definition into its settings. `at` is where the definition sits
 * (`['definition']` for a call, `[]` for JSON); every error is `invalid_argument` at its path,
 * except gaps and overlaps of bands, which are `invalid_segment_map`.
 */
export function readDefinition(definition: unknown, at: CrmPath, where: string): { rules: SegmentRuleSettings[]; separator: string } {
  const d = readOptions(definition, ['rules', 'separator'], where, at);
  const separator = d.separator === undefined ? DEFAULT_SEPARATOR : d.separator;
  if (typeof separator !== 'string' || separator === '') {
    throw new CrmError('invalid_argument', `${where}: separator must be a non-empty string`, [...at, 'separator']);
  }
  const raw = d.rules;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new CrmError('invalid_argument', `${where}: rules must be a non-empty array of band and map rules`, [...at, 'rules']);
  }
  const keys = new Set<string>();
  const rules: SegmentRuleSettings[] = [];
  for (let r = 0; r < raw.length; r++) {
    const path: CrmPath = [...at, 'rules', r];
    const item: unknown = raw[r];
    const type = item !== null && typeof item === 'object' ? ownValue(item as Record<string, unknown>, 'type') : undefined;
    if (type !== 'bands' && type !== 'map') {
      throw new CrmError('invalid_argument', `${where}: rules[${r}].type must be 'bands' or 'map'`, [...path, 'type']);
    }
    const o = readOptions(item, type === 'bands' ? BAND_RULE_KEYS : MAP_RULE_KEYS, `${where} (${type} rule)`, path);
    const key = o.key;
    if (typeof key !== 'string' || key === '') throw new CrmError('invalid_argument', `${where}: rules[${r}].key must be a non-empty string`, [...path, 'key']);
    if (keys.has(key)) throw new CrmError('invalid_argument', `${where}: two rules have the key '${key}': keys name the segmentations and must differ`, [...path, 'key']);
    keys.add(key);
    const field = readField(o.field, [...path, 'field'], where);
    const missing = readOptionalLabel(o.missing, [...path, 'missing'], where);
    if (type === 'bands') {
      const integer = o.integer === undefined ? false : o.integer;
      if (typeof integer !== 'boolean') throw new CrmError('invalid_argument', `${where}: rules[${r}].integer must be true or false`, [...path, 'integer']);
      const bands = readBands(o.bands, [...path, 'bands'], where);
      checkTiling(bands, integer, key, [...path, 'bands']);
      rules.push({ key, type, field, bands, integer, missing });
    } else {
      const map = readMap(o.map, [...path, 'map'], where);
      const otherwise = readOptionalLabel(o.otherwise, [...path, 'otherwise'], where);
      rules.push({ key, type, field, map, otherwise, missing });
    }
  }
  if (rules.length > 1) checkSeparator(rules, separator, at);
  return { rules, separator };
}

function readField(value: unknown, path: CrmPath, where: string): string | string[] {
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value) && value.length > 0) {
    const out: string[] = [];
    for (let i = 0; i < value.length; i++) {
      const part: unknown = value[i];
      if (typeof part !== 'string' || part === '') break;
      out.push(part);
    }
    if (out.length === value.length) return out;
  }
  throw new CrmError('invalid_argument', `${where}: field must be a field name or a non-empty array of names (a path into nested objects)`, path);
}

function readLabel(value: unknown, path: CrmPath, where: string): string {
  if (typeof value !== 'string' || value === '') throw new CrmError('invalid_argument', `${where}: a label must be a non-empty string`, path);
  return value;
}

function readOptionalLabel(value: unknown, path: CrmPath, where: string): string | null {
  return value === undefined || value === null ? null : readLabel(value, path, where);
}

function readBound(value: unknown, path: CrmPath, where: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CrmError('invalid_argument', `${where}: a bound must be a finite number, or left out (null) for an open band`, path);
  }
  // -0 would come back from JSON as 0; they bound the same values.
  return value === 0 ? 0 : value;
}

function readEdge(value: unknown, bound: number | null, fallback: boolean, path: CrmPath, where: string): boolean {
  if (value === undefined) return bound === null ? false : fallback;
  if (typeof value !== 'boolean') throw new CrmError('invalid_argument', `${where}: an edge flag must be true or false`, path);
  if (bound === null && value) {
    throw new CrmError('invalid_argument', `${where}: an open end cannot be inclusive: set the bound, or leave the flag out`, path);
  }
  return value;
}

function readBands(value: unknown, path: CrmPath, where: string): BandSettings[] {
  if (!Array.isArray(value) || value.length === 0) throw new CrmError('invalid_argument', `${where}: bands must be a non-empty array`, path);
  const out: BandSettings[] = [];
  for (let b = 0; b < value.length; b++) {
    const at: CrmPath = [...path, b];
    const o = readOptions(value[b], BAND_KEYS, `${where} (band)`, at);
    const label = readLabel(o.label, [...at, 'label'], where);
    const min = readBound(o.min, [...at, 'min'], where);
    const max = readBound(o.max, [...at, 'max'], where);
    const minInclusive = readEdge(o.minInclusive, min, true, [...at, 'minInclusive'], where);
    const maxInclusive = readEdge(o.maxInclusive, max, false, [...at, 'maxInclusive'], where);
    out.push({ label, min, max, minInclusive, maxInclusive });
  }
  return out;
}

function readMap(value: unknown, path: CrmPath, where: string): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CrmError('invalid_argument', `${where}: map must be an object of value → label`, path);
  }
  // A prototype-free copy: a key such as '__proto__' or 'constructor' is an ordinary value here.
  const out = Object.create(null) as Record<string, string>;
  const keys = Object.keys(value);
  if (keys.length === 0) throw new CrmError('invalid_argument', `${where}: map must hold at least one value`, path);
  for (const k of keys) {
    if (k.trim() === '') {
      throw new CrmError('invalid_argument', `${where}: map key ${JSON.stringify(k)} can never match, a blank value counts as missing: use the rule's 'missing' label`, [...path, k]);
    }
    Object.defineProperty(out, k, { value: readLabel(ownValue(value as Record<string, unknown>, k), [...path, k], where), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The distinct labels of a rule in the order they should be listed: definition order, then otherwise, then missing. */
export function ruleLabels(rule: SegmentRuleSettings): string[] {
  const labels = rule.type === 'bands' ? rule.bands.map((b) => b.label) : Object.keys(rule.map).map((k) => rule.map[k] as string);
  if (rule.type === 'map' && rule.otherwise !== null) labels.push(rule.otherwise);
  if (rule.missing !== null) labels.push(rule.missing);
  return [...new Set(labels)];
}

function checkSeparator(rules: readonly SegmentRuleSettings[], separator: string, at: CrmPath): void {
  rules.forEach((rule, r) => {
    for (const label of ruleLabels(rule)) {
      if (label.includes(separator)) {
        throw new CrmError(
          'invalid_argument',
          `label ${JSON.stringify(label)} of rule '${rule.key}' contains the separator ${JSON.stringify(separator)}: combined labels would be ambiguous; choose another separator`,
          [...at, 'rules', r],
        );
      }
    }
  });
}

/** An edge of a band: the bound, and whether the bound itself belongs to the band. */
interface Edge {
  readonly value: number | null;
  readonly inclusive: boolean;
}

/** Ordering of lower edges: open (−∞) first, then by value, an inclusive edge before an exclusive one at the same value. */
function compareLower(a: Edge, b: Edge): number {
  if (a.value === null || b.value === null) return a.value === b.value ? 0 : a.value === null ? -1 : 1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return a.inclusive === b.inclusive ? 0 : a.inclusive ? -1 : 1;
}

/** Ordering of upper edges: by value, an exclusive edge before an inclusive one, open (+∞) last. */
function compareUpper(a: Edge, b: Edge): number {
  if (a.value === null || b.value === null) return a.value === b.value ? 0 : a.value === null ? 1 : -1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return a.inclusive === b.inclusive ? 0 : a.inclusive ? 1 : -1;
}

const lowerOf = (b: BandSettings): Edge => ({ value: b.min, inclusive: b.minInclusive });
const upperOf = (b: BandSettings): Edge => ({ value: b.max, inclusive: b.maxInclusive });

/** The smallest integer a lower edge admits, or null for −∞. */
function firstInteger(e: Edge): number | null {
  if (e.value === null) return null;
  const c = Math.ceil(e.value);
  return c === e.value && !e.inclusive ? c + 1 : c;
}

/** The largest integer an upper edge admits, or null for +∞. */
function lastInteger(e: Edge): number | null {
  if (e.value === null) return null;
  const f = Math.floor(e.value);
  return f === e.value && !e.inclusive ? f - 1 : f;
}

/** True when the band holds no value (no integer, for an integer rule). */
function isEmpty(b: BandSettings, integer: boolean): boolean {
  if (integer) {
    const lo = firstInteger(lowerOf(b));
    const hi = lastInteger(upperOf(b));
    return lo !== null && hi !== null && lo > hi;
  }
  if (b.min === null || b.max === null) return false;
  return b.min > b.max || (b.min === b.max && !(b.minInclusive && b.maxInclusive));
}

/** `[40, 70)`, `(−∞, 40)`, `[70, +∞)`. */
export function intervalText(lower: Edge, upper: Edge): string {
  const lo = lower.value === null ? '(−∞' : `${lower.inclusive ? '[' : '('}${lower.value}`;
  const hi = upper.value === null ? '+∞)' : `${upper.value}${upper.inclusive ? ']' : ')'}`;
  return `${lo}, ${hi}`;
}

/** The values strictly between the reach of the earlier bands and the next lower edge, when there are any. */
function gapBetween(reach: Edge, next: Edge, integer: boolean): string | undefined {
  if (reach.value === null || next.value === null) return undefined;
  if (integer) {
    const a = (lastInteger(reach) as number) + 1;
    const b = (firstInteger(next) as number) - 1;
    if (a > b) return undefined;
    return a === b ? `the integer ${a} falls` : `the integers ${a} to ${b} fall`;
  }
  if (reach.value < next.value || (reach.value === next.value && !reach.inclusive && !next.inclusive)) {
    return `values in ${intervalText({ value: reach.value, inclusive: !reach.inclusive }, { value: next.value, inclusive: !next.inclusive })} fall`;
  }
  return undefined;
}

/** True when a value (an integer, for an integer rule) is both within `reach` and at or above `next`. */
function overlaps(reach: Edge, next: Edge, integer: boolean): boolean {
  if (reach.value === null || next.value === null) return true;
  if (integer) return (lastInteger(reach) as number) >= (firstInteger(next) as number);
  return reach.value > next.value || (reach.value === next.value && reach.inclusive && next.inclusive);
}

/**
 * Checks that the bands of one rule neither overlap nor leave a gap between them (values below
 * the lowest edge and above the highest are out of range, reported when records are applied).
 * A sweep over the bands ordered by lower edge, tracking how far the bands so far reach: O(b log b).
 *
 * @throws {CrmError} `invalid_segment_map` listing every empty band, gap and overlap.
 */
function checkTiling(bands: readonly BandSettings[], integer: boolean, key: string, path: CrmPath): void {
  const problems: string[] = [];
  const described = (b: number): string => `'${(bands[b] as BandSettings).label}' ${intervalText(lowerOf(bands[b] as BandSettings), upperOf(bands[b] as BandSettings))}`;
  const order: number[] = [];
  bands.forEach((b, i) => {
    if (isEmpty(b, integer)) problems.push(`band ${described(i)} holds no ${integer ? 'integer' : 'value'}`);
    else order.push(i);
  });
  order.sort((a, b) => compareLower(lowerOf(bands[a] as BandSettings), lowerOf(bands[b] as BandSettings)) || a - b);
  let reachBand = -1;
  for (const i of order) {
    const band = bands[i] as BandSettings;
    if (reachBand >= 0) {
      const reach = upperOf(bands[reachBand] as BandSettings);
      const next = lowerOf(band);
      if (overlaps(reach, next, integer)) {
        problems.push(`bands ${described(reachBand)} and ${described(i)} overlap`);
      } else {
        const gap = gapBetween(reach, next, integer);
        if (gap !== undefined) problems.push(`${gap} in no band (between ${described(reachBand)} and ${described(i)})`);
      }
    }
    if (reachBand < 0 || compareUpper(upperOf(band), upperOf(bands[reachBand] as BandSettings)) > 0) reachBand = i;
  }
  if (problems.length > 0) {
    const listed = problems.slice(0, LISTED).join('; ') + (problems.length > LISTED ? `; … (${problems.length} in all)` : '');
    throw new CrmError(
      'invalid_segment_map',
      `the bands of rule '${key}' must not overlap or leave gaps: ${listed}. ` +
        'Move a bound, or set minInclusive / maxInclusive so that each shared bound belongs to exactly one band',
      path,
    );
  }
}
