import { CrmError, freezeModel, isCrmError, ownValue, readModelJson, type CrmPath } from '@crm/core';
import {
  intervalText,
  readDefinition,
  ruleLabels,
  type BandSettings,
  type RuleSegmentsDefinition,
  type SegmentRuleSettings,
} from './rule-definition.ts';
import { combineColumns, type SegmentLabels } from './segment-labels.ts';

/**
 * Why a rule could not give a record a label:
 * - `not_an_object`: the record (or an object on the field's path) is not an object;
 * - `missing`: the field is absent, `null`, `undefined` or a blank string, and the rule has no `missing` label;
 * - `not_a_number`: a band rule's field holds something other than a number (a numeric string included: convert it first);
 * - `non_finite`: the field holds NaN or ±Infinity;
 * - `not_an_integer`: an `integer` band rule's field holds a fraction;
 * - `out_of_range`: the value lies below the lowest band or above the highest;
 * - `not_a_category`: a map rule's field holds an object, array or other non-scalar;
 * - `unmapped`: a map rule's value is not in the map and the rule has no `otherwise` label.
 *
 * @example
 * ```ts
 * import type { RuleSegmentIssueCode } from '@crm/segment';
 * const code: RuleSegmentIssueCode = 'unmapped';
 * ```
 */
export type RuleSegmentIssueCode =
  | 'not_an_object'
  | 'missing'
  | 'not_a_number'
  | 'non_finite'
  | 'not_an_integer'
  | 'out_of_range'
  | 'not_a_category'
  | 'unmapped';

/**
 * One value a rule could not label: the record's index, the path to the value (record index
 * first, then the field), the rule, a stable code and a message a person can act on.
 *
 * @example
 * ```ts
 * import type { RuleSegmentIssue } from '@crm/segment';
 * const issue: RuleSegmentIssue = { row: 3, path: [3, 'city'], rule: 'region', code: 'unmapped', message: "city 'Brest' is not in the map of rule 'region'" };
 * ```
 */
export interface RuleSegmentIssue {
  /** Index of the record in the input. */
  readonly row: number;
  /** Path to the value: the record's index, then the field (`[3, 'attributes', 'city']`). */
  readonly path: CrmPath;
  /** Key of the rule, `null` when the record itself is not an object. */
  readonly rule: string | null;
  /** Why the value could not be labelled. */
  readonly code: RuleSegmentIssueCode;
  /** What is wrong and what to do, for a person. */
  readonly message: string;
}

/**
 * What {@link RuleSegments.apply} returns: the label of every record under every rule, the
 * combined segment (a {@link SegmentLabels}, so `labels` go straight into `profileSegments`), and
 * every issue. A record with an issue under any rule has no combined segment (code −1) and the
 * issue says why; nothing is assigned by guess.
 *
 * @example
 * ```ts
 * import { RuleSegments, type RuleSegmentResult } from '@crm/segment';
 * const rules = RuleSegments.define({ rules: [{ key: 'size', type: 'bands', field: 'n', bands: [{ label: 'small', max: 10 }, { label: 'large', min: 10 }] }] });
 * const r: RuleSegmentResult = rules.apply([{ n: 3 }, { n: 12 }, { n: 'x' }]);
 * r.byRule[0];          // ['small', 'large', null]
 * r.issues[0].code;     // 'not_a_number'
 * ```
 */
export interface RuleSegmentResult extends SegmentLabels {
  /** The rule keys, in definition order. */
  readonly keys: readonly string[];
  /** `byRule[r][i]`: the label rule `keys[r]` gives record i, `null` when it could not. */
  readonly byRule: readonly (readonly (string | null)[])[];
  /** Every value a rule could not label, by record, then by rule. */
  readonly issues: readonly RuleSegmentIssue[];
}

/**
 * JSON form of {@link RuleSegments}.
 *
 * @example
 * ```ts
 * import { RuleSegments, type RuleSegmentsJson } from '@crm/segment';
 * const json: RuleSegmentsJson = RuleSegments.define({ rules: [{ key: 'r', type: 'map', field: 'city', map: { Paris: 'North' } }] }).toJSON();
 * json.kind; // 'crm.segment.rule-segments'
 * ```
 */
export interface RuleSegmentsJson {
  /** Always `'crm.segment.rule-segments'`. */
  readonly kind: 'crm.segment.rule-segments';
  /** Format version, 1. */
  readonly version: 1;
  /** Between the labels of a combined segment name. */
  readonly separator: string;
  /** The rules, every setting explicit. */
  readonly rules: readonly SegmentRuleSettings[];
}

const KIND = 'crm.segment.rule-segments';

/** A rule prepared for lookups (kept private: Maps and typed arrays cannot be frozen). */
interface Compiled {
  readonly path: readonly string[];
  readonly labels: readonly string[];
  readonly missing: number;
  /** Band rules: bands ordered by lower edge, and the label index of each. */
  readonly bands?: readonly BandSettings[];
  readonly bandLabel?: Int32Array;
  readonly integer?: boolean;
  /** Map rules: value → label index, and the label index of unmapped values (−1: report). */
  readonly lookup?: ReadonlyMap<string, number>;
  readonly otherwise?: number;
}

const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

const show = (v: unknown): string => {
  const s =
    typeof v === 'string' ? JSON.stringify(v)
    : typeof v === 'function' ? 'a function'
    : v !== null && typeof v === 'object' ? (Array.isArray(v) ? 'an array' : 'an object')
    : String(v);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
};

/**
 * Rule-based segments: declarative bands over numeric fields (annual income → purchase-power
 * class A/B/C, age → life stage) and maps over categorical fields (city → region), applied to
 * records of any shape. The other segmentation of CRM practice beside clustering: segments a
 * business defines rather than finds.
 *
 * Nothing is guessed. Overlapping bands, gaps between bands and empty bands are refused when the
 * rules are defined (`invalid_segment_map`, listing each one); a value no rule covers (out of
 * range, not in a map, missing, not a number, NaN) is reported per record with its path when the
 * rules are applied, and that record gets no segment. `missing` and `otherwise` labels assign such
 * values only where the definition asks for it.
 *
 * Rules are data: frozen once defined, saved with `toJSON`, restored with `fromJSON` (checked like
 * any definition; map keys such as `__proto__` are ordinary values, never properties). Applying
 * costs O(n · (rules + log bands)).
 *
 * @example
 * ```ts
 * import { RuleSegments, profileSegments } from '@crm/segment';
 * const rules = RuleSegments.define({
 *   rules: [
 *     { key: 'power', type: 'bands', field: 'income', bands: [
 *       { label: 'C', max: 40 }, { label: 'B', min: 40, max: 70 }, { label: 'A', min: 70 },
 *     ] },
 *     { key: 'stage', type: 'bands', field: 'age', integer: true, bands: [
 *       { label: 'young', min: 18, max: 34, maxInclusive: true }, { label: 'adult', min: 35, max: 59, maxInclusive: true }, { label: 'senior', min: 60 },
 *     ] },
 *   ],
 * });
 * const customers = [{ income: 30, age: 22 }, { income: 85, age: 41 }, { income: 55, age: 67 }, { income: 72, age: 40 }];
 * const result = rules.apply(customers);
 * result.segments; // ['C / young', 'A / adult', 'B / senior', 'A / adult']
 * result.legend;   // ['C / young', 'B / senior', 'A / adult']
 * profileSegments(customers, result.labels).segments.map((s) => result.legend[s.label]); // ['C / young', 'B / senior', 'A / adult']
 * ```
 * @throws {CrmError} `invalid_segment_map` for overlapping, empty or gapped bands;
 * `invalid_argument` for anything else wrong in a definition (with its path).
 */
export class RuleSegments {
  /** Model kind. */
  readonly kind: 'crm.segment.rule-segments' = KIND;
  /** The rules, defaults filled in, in definition order. */
  readonly rules: readonly SegmentRuleSettings[];
  /** Between the labels of a combined segment name. */
  readonly separator: string;
  /** The rule keys, in definition order. */
  readonly keys: readonly string[];
  readonly #compiled: readonly Compiled[];

  private constructor(rules: SegmentRuleSettings[], separator: string) {
    this.rules = rules;
    this.separator = separator;
    this.keys = rules.map((r) => r.key);
    this.#compiled = rules.map(compile);
    freezeModel(this);
  }

  /**
   * Checks a definition and makes frozen rules of it. O(bands · log bands + map entries).
   *
   * @throws {CrmError} `invalid_segment_map` at `['definition', 'rules', r, 'bands']` listing every
   * overlap, gap and empty band of a rule; `invalid_argument` at the path of anything else wrong
   * (an unknown key anywhere included, with the nearest known key suggested).
   * @example
   * ```ts
   * import { isCrmError } from '@crm/core';
   * import { RuleSegments } from '@crm/segment';
   * try {
   *   RuleSegments.define({ rules: [{ key: 'power', type: 'bands', field: 'income', bands: [{ label: 'C', max: 40 }, { label: 'B', min: 45 }] }] });
   * } catch (e) {
   *   if (isCrmError(e)) console.log(e.code, e.message);
   *   // invalid_segment_map the bands of rule 'power' must not overlap or leave gaps: values in [40, 45) fall in no band …
   * }
   * ```
   */
  static define(definition: RuleSegmentsDefinition): RuleSegments {
    const { rules, separator } = readDefinition(definition, ['definition'], 'RuleSegments.define');
    return new RuleSegments(rules, separator);
  }

  /**
   * Restores rules saved with {@link RuleSegments.toJSON}, checking every field as
   * {@link RuleSegments.define} does. Safe on untrusted JSON: only own properties are read, and map
   * keys become entries of a prototype-free object.
   *
   * @throws {CrmError} `invalid_json` for anything that is not a valid version-1 definition.
   * @example
   * ```ts
   * import { RuleSegments } from '@crm/segment';
   * const rules = RuleSegments.define({ rules: [{ key: 'region', type: 'map', field: 'city', map: { Paris: 'North', Nice: 'South' } }] });
   * RuleSegments.fromJSON(JSON.parse(JSON.stringify(rules))).apply([{ city: 'Nice' }]).segments; // ['South']
   * ```
   */
  static fromJSON(json: unknown): RuleSegments {
    const obj = readModelJson(json, KIND, 1);
    const body = Object.create(null) as Record<string, unknown>;
    body['rules'] = ownValue(obj, 'rules');
    body['separator'] = ownValue(obj, 'separator');
    for (const key of Object.keys(obj)) {
      if (key !== 'kind' && key !== 'version' && key !== 'rules' && key !== 'separator') {
        throw new CrmError('invalid_json', `unexpected field '${key}' in ${KIND} JSON`, [key]);
      }
    }
    if (typeof body['separator'] !== 'string') throw new CrmError('invalid_json', 'separator must be a string', ['separator']);
    try {
      const { rules, separator } = readDefinition({ ...body }, [], 'RuleSegments.fromJSON');
      checkSettingsForm(obj, rules);
      return new RuleSegments(rules, separator);
    } catch (e) {
      if (isCrmError(e) && e.code !== 'invalid_json') throw new CrmError('invalid_json', e.message, e.path);
      throw e;
    }
  }

  /**
   * Labels every record under every rule and combines the labels into one segment per record.
   * The input is not touched. O(n · (rules + log bands)).
   *
   * @throws {CrmError} `invalid_argument` when `records` is not an array. Problems of single
   * records are not thrown: they are in `issues`, with paths.
   * @example
   * ```ts
   * import { RuleSegments } from '@crm/segment';
   * const rules = RuleSegments.define({ rules: [{ key: 'region', type: 'map', field: 'city', map: { Paris: 'North', Lille: 'North', Nice: 'South' } }] });
   * const r = rules.apply([{ city: 'Paris' }, { city: 'Brest' }, {}, { city: 'Nice' }]);
   * r.segments;                      // ['North', null, null, 'South']
   * r.issues.map((i) => i.code);     // ['unmapped', 'missing']
   * r.issues.map((i) => i.path);     // [[1, 'city'], [2, 'city']]
   * r.counts;                        // [1, 1]
   * r.unassigned;                    // 2
   * ```
   */
  apply(records: readonly object[]): RuleSegmentResult {
    if (!Array.isArray(records)) throw new CrmError('invalid_argument', 'records must be an array of objects', ['records']);
    const n = records.length;
    const compiled = this.#compiled;
    const columns = compiled.map(() => new Int32Array(n).fill(-1));
    const issues: RuleSegmentIssue[] = [];
    for (let i = 0; i < n; i++) {
      const record: unknown = records[i];
      if (record === null || typeof record !== 'object') {
        issues.push({ row: i, path: [i], rule: null, code: 'not_an_object', message: `records[${i}] is ${show(record)}, not a record` });
        continue;
      }
      for (let r = 0; r < compiled.length; r++) {
        const c = compiled[r] as Compiled;
        const key = this.keys[r] as string;
        const found = labelOf(c, record, i, key);
        if (typeof found === 'number') (columns[r] as Int32Array)[i] = found;
        else issues.push(found);
      }
    }
    const names = compiled.map((c) => c.labels);
    const combined = combineColumns(columns, names, this.separator, n, ['separator']);
    const byRule = columns.map((column, r) => Array.from(column, (v) => (v < 0 ? null : ((names[r] as readonly string[])[v] as string))));
    return { keys: [...this.keys], byRule, issues, ...combined };
  }

  /**
   * Plain JSON data for {@link RuleSegments.fromJSON}.
   *
   * @example
   * ```ts
   * import { RuleSegments } from '@crm/segment';
   * RuleSegments.define({ rules: [{ key: 'k', type: 'bands', field: 'x', bands: [{ label: 'all' }] }] }).toJSON().rules[0];
   * // { key: 'k', type: 'bands', field: 'x', bands: [{ label: 'all', min: null, max: null, minInclusive: false, maxInclusive: false }], integer: false, missing: null }
   * ```
   */
  toJSON(): RuleSegmentsJson {
    return { kind: KIND, version: 1, separator: this.separator, rules: this.rules };
  }
}

/**
 * JSON holds settings, not a definition: every field present, open bounds with their edge flags
 * false. A JSON document that only reads as a definition (a field left out, an open bound marked
 * inclusive) is not one `toJSON` wrote, and is refused so round trips stay exact.
 */
function checkSettingsForm(obj: Readonly<Record<string, unknown>>, rules: readonly SegmentRuleSettings[]): void {
  const raw = ownValue(obj, 'rules') as readonly unknown[];
  rules.forEach((rule, r) => {
    const item = raw[r] as Record<string, unknown>;
    const fields = rule.type === 'bands' ? ['key', 'type', 'field', 'bands', 'integer', 'missing'] : ['key', 'type', 'field', 'map', 'otherwise', 'missing'];
    for (const f of fields) {
      if (!Object.prototype.hasOwnProperty.call(item, f)) throw new CrmError('invalid_json', `rules[${r}].${f} is required in JSON`, ['rules', r, f]);
    }
    if (rule.type !== 'bands') return;
    const bands = ownValue(item, 'bands') as readonly Record<string, unknown>[];
    bands.forEach((band, b) => {
      for (const f of ['label', 'min', 'max', 'minInclusive', 'maxInclusive']) {
        if (!Object.prototype.hasOwnProperty.call(band, f)) throw new CrmError('invalid_json', `rules[${r}].bands[${b}].${f} is required in JSON`, ['rules', r, 'bands', b, f]);
      }
    });
  });
}

function compile(rule: SegmentRuleSettings): Compiled {
  const labels = ruleLabels(rule);
  const index = new Map(labels.map((l, k) => [l, k]));
  const path = typeof rule.field === 'string' ? [rule.field] : [...rule.field];
  const missing = rule.missing === null ? -1 : (index.get(rule.missing) as number);
  if (rule.type === 'bands') {
    const bands = [...rule.bands].sort((a, b) => lowerBefore(a, b));
    return { path, labels, missing, bands, bandLabel: Int32Array.from(bands, (b) => index.get(b.label) as number), integer: rule.integer };
  }
  const lookup = new Map<string, number>();
  for (const k of Object.keys(rule.map)) lookup.set(k, index.get(rule.map[k] as string) as number);
  return { path, labels, missing, lookup, otherwise: rule.otherwise === null ? -1 : (index.get(rule.otherwise) as number) };
}

/** Bands of a valid rule do not overlap, so ordering by lower edge orders them on the line. */
function lowerBefore(a: BandSettings, b: BandSettings): number {
  if (a.min === null || b.min === null) return a.min === b.min ? 0 : a.min === null ? -1 : 1;
  if (a.min !== b.min) return a.min - b.min;
  return a.minInclusive === b.minInclusive ? 0 : a.minInclusive ? -1 : 1;
}

const aboveLower = (b: BandSettings, x: number): boolean => b.min === null || x > b.min || (x === b.min && b.minInclusive);
const belowUpper = (b: BandSettings, x: number): boolean => b.max === null || x < b.max || (x === b.max && b.maxInclusive);

/** The label index a rule gives one record, or the issue that keeps it from giving one. */
function labelOf(c: Compiled, record: object, i: number, key: string): number | RuleSegmentIssue {
  const path: CrmPath = [i, ...c.path];
  const field = c.path.join('.');
  const issue = (code: RuleSegmentIssueCode, message: string): RuleSegmentIssue => ({ row: i, path, rule: key, code, message });
  let v: unknown = record;
  for (let p = 0; p < c.path.length; p++) {
    if (v === null || typeof v !== 'object') {
      if (isBlank(v) && c.missing >= 0) return c.missing;
      return isBlank(v)
        ? issue('missing', `records[${i}].${c.path.slice(0, p).join('.')} is missing, so rule '${key}' cannot read ${field}`)
        : issue('not_an_object', `records[${i}].${c.path.slice(0, p).join('.')} is ${show(v)}, not an object holding ${field}`);
    }
    v = ownValue(v as Record<string, unknown>, c.path[p] as string);
  }
  if (isBlank(v)) {
    return c.missing >= 0 ? c.missing : issue('missing', `records[${i}].${field} is missing: rule '${key}' needs it (or give the rule a 'missing' label)`);
  }
  if (c.bands !== undefined) {
    if (typeof v !== 'number') return issue('not_a_number', `records[${i}].${field} is ${show(v)}, not a number: rule '${key}' bands numbers (convert strings first)`);
    if (!Number.isFinite(v)) return issue('non_finite', `records[${i}].${field} is ${String(v)}: rule '${key}' bands finite numbers only`);
    if (c.integer === true && !Number.isInteger(v)) return issue('not_an_integer', `records[${i}].${field} is ${v}, not a whole number as rule '${key}' requires`);
    // The last band whose lower edge admits v is the only one that can hold it.
    const bands = c.bands;
    let lo = 0;
    let hi = bands.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (aboveLower(bands[mid] as BandSettings, v)) lo = mid + 1;
      else hi = mid;
    }
    const band = bands[lo - 1];
    if (band !== undefined && belowUpper(band, v)) return (c.bandLabel as Int32Array)[lo - 1] as number;
    const first = bands[0] as BandSettings;
    const last = bands[bands.length - 1] as BandSettings;
    const covered = intervalText({ value: first.min, inclusive: first.minInclusive }, { value: last.max, inclusive: last.maxInclusive });
    return issue('out_of_range', `records[${i}].${field} is ${v}, outside the bands of rule '${key}', which cover ${covered}`);
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return issue('non_finite', `records[${i}].${field} is ${String(v)}, not a category`);
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
    return issue('not_a_category', `records[${i}].${field} is ${show(v)}: rule '${key}' maps strings, numbers or booleans`);
  }
  const found = (c.lookup as ReadonlyMap<string, number>).get(String(v));
  if (found !== undefined) return found;
  if ((c.otherwise as number) >= 0) return c.otherwise as number;
  return issue('unmapped', `records[${i}].${field} is ${show(v)}, which the map of rule '${key}' does not hold (add it, or give the rule an 'otherwise' label)`);
}
