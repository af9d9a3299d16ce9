import { describe, expect, it } from 'vitest';
import { RuleSegments, profileSegments, type BandRule, type MapRule, type RuleSegmentsDefinition } from '@crm/segment';
import { crmCode } from './helpers.ts';
import { crmError } from '../../../test/crm-error.ts';

const power = (): BandRule => ({
  key: 'power',
  type: 'bands',
  field: 'income',
  bands: [{ label: 'C', max: 40 }, { label: 'B', min: 40, max: 70 }, { label: 'A', min: 70 }],
});
const region = (): MapRule => ({
  key: 'region',
  type: 'map',
  field: 'city',
  map: { Paris: 'North', Lille: 'North', Marseille: 'South', Nice: 'South' },
});


const bands = (list: unknown[], extra: object = {}): RuleSegmentsDefinition =>
  ({ rules: [{ key: 'k', type: 'bands', field: 'x', bands: list, ...extra }] }) as unknown as RuleSegmentsDefinition;

describe('RuleSegments.define(definition) checks bands when they are defined', () => {
  it('accepts bands that tile the line, whatever their order, and fills in the defaults', () => {
    const rules = RuleSegments.define({ rules: [{ ...power(), bands: [{ label: 'A', min: 70 }, { label: 'C', max: 40 }, { label: 'B', min: 40, max: 70 }] }] });
    expect(rules.rules[0]).toEqual({
      key: 'power',
      type: 'bands',
      field: 'income',
      integer: false,
      missing: null,
      bands: [
        { label: 'A', min: 70, max: null, minInclusive: true, maxInclusive: false },
        { label: 'C', min: null, max: 40, minInclusive: false, maxInclusive: false },
        { label: 'B', min: 40, max: 70, minInclusive: true, maxInclusive: false },
      ],
    });
    expect(rules.separator).toBe(' / ');
    expect(rules.keys).toEqual(['power']);
  });

  it('reports a gap between two bands with the values that fall in it', () => {
    const e = crmError(() => RuleSegments.define(bands([{ label: 'C', max: 40 }, { label: 'B', min: 45 }])));
    expect(e.code).toBe('invalid_segment_map');
    expect(e.path).toEqual(['definition', 'rules', 0, 'bands']);
    expect(e.message).toContain('values in [40, 45) fall in no band');
  });

  it('reports a shared bound that neither band holds, and one that both hold', () => {
    const gap = crmError(() => RuleSegments.define(bands([{ label: 'C', max: 40 }, { label: 'B', min: 40, minInclusive: false }])));
    expect(gap.code).toBe('invalid_segment_map');
    expect(gap.message).toContain('values in [40, 40] fall in no band');
    const overlap = crmError(() => RuleSegments.define(bands([{ label: 'C', max: 40, maxInclusive: true }, { label: 'B', min: 40 }])));
    expect(overlap.code).toBe('invalid_segment_map');
    expect(overlap.message).toContain("bands 'C' (−∞, 40] and 'B' [40, +∞) overlap");
    // One inclusive side is right either way.
    expect(crmCode(() => RuleSegments.define(bands([{ label: 'C', max: 40, maxInclusive: true }, { label: 'B', min: 40, minInclusive: false }])))).toBeUndefined();
  });

  it('finds an overlap with a band that is not the previous one, and no false gap under a wide band', () => {
    const e = crmError(() => RuleSegments.define(bands([{ label: 'wide', min: 0, max: 100 }, { label: 'inner', min: 10, max: 20 }, { label: 'top', min: 100 }, { label: 'bottom', max: 0 }])));
    expect(e.message).toContain("'wide' [0, 100) and 'inner' [10, 20) overlap");
    expect(e.message).not.toContain('no band');
  });

  it('lists every problem, empty bands included, and two open ends on one side overlap', () => {
    const e = crmError(() =>
      RuleSegments.define(bands([{ label: 'a', max: 10 }, { label: 'b', max: 5 }, { label: 'e', min: 20, max: 20 }, { label: 'r', min: 30, max: 25 }, { label: 'c', min: 12 }])),
    );
    expect(e.message).toContain("band 'e' [20, 20) holds no value");
    expect(e.message).toContain("band 'r' [30, 25) holds no value");
    expect(e.message).toContain("bands 'a' (−∞, 10) and 'b' (−∞, 5) overlap");
    expect(e.message).toContain('values in [10, 12) fall in no band');
    // A single point is a band when both edges hold it.
    expect(crmCode(() => RuleSegments.define(bands([{ label: 'lo', max: 5 }, { label: 'five', min: 5, max: 5, maxInclusive: true }, { label: 'hi', min: 5, minInclusive: false }])))).toBeUndefined();
  });

  it('judges gaps on integers for an integer rule: 18–24 and 25–34 leave none, 18–24 and 26–34 leave 25', () => {
    const years = (a: number, b: number, c: number, d: number): RuleSegmentsDefinition =>
      bands([{ label: 'x', min: a, max: b, maxInclusive: true }, { label: 'y', min: c, max: d, maxInclusive: true }], { integer: true });
    expect(crmCode(() => RuleSegments.define(years(18, 24, 25, 34)))).toBeUndefined();
    expect(crmError(() => RuleSegments.define(years(18, 24, 26, 34))).message).toContain('the integer 25 falls in no band');
    expect(crmError(() => RuleSegments.define(years(18, 24, 27, 34))).message).toContain('the integers 25 to 26 fall in no band');
    expect(crmError(() => RuleSegments.define(years(18, 24, 24, 34))).message).toContain('overlap');
    // Without `integer`, the same bands leave the reals between 24 and 25 uncovered.
    expect(crmError(() => RuleSegments.define(bands([{ label: 'x', min: 18, max: 24, maxInclusive: true }, { label: 'y', min: 25 }]))).message).toContain('values in (24, 25) fall in no band');
    expect(crmError(() => RuleSegments.define(bands([{ label: 'x', min: 1.2, max: 1.8 }, { label: 'y', min: 1.8 }], { integer: true }))).message).toContain(
      "band 'x' [1.2, 1.8) holds no integer",
    );
  });

  it('rejects malformed definitions with invalid_argument at the path, unknown keys included', () => {
    const cases: [unknown, (string | number)[]][] = [
      [undefined, ['definition', 'rules']],
      [{ rules: [] }, ['definition', 'rules']],
      [{ rules: [power()], seperator: '-' }, ['definition', 'seperator']],
      [{ rules: [power()], separator: '' }, ['definition', 'separator']],
      [{ rules: [{ ...power(), type: 'band' }] }, ['definition', 'rules', 0, 'type']],
      [{ rules: [{ ...power(), fields: 'x' }] }, ['definition', 'rules', 0, 'fields']],
      [{ rules: [{ ...power(), field: '' }] }, ['definition', 'rules', 0, 'field']],
      [{ rules: [{ ...power(), field: ['a', 3] }] }, ['definition', 'rules', 0, 'field']],
      [{ rules: [{ ...power(), key: '' }] }, ['definition', 'rules', 0, 'key']],
      [{ rules: [power(), power()] }, ['definition', 'rules', 1, 'key']],
      [{ rules: [{ ...power(), bands: [] }] }, ['definition', 'rules', 0, 'bands']],
      [{ rules: [{ ...power(), bands: [{ label: 'x', mx: 3 }] }] }, ['definition', 'rules', 0, 'bands', 0, 'mx']],
      [{ rules: [{ ...power(), bands: [{ label: '', max: 3 }] }] }, ['definition', 'rules', 0, 'bands', 0, 'label']],
      [{ rules: [{ ...power(), bands: [{ label: 'x', max: NaN }] }] }, ['definition', 'rules', 0, 'bands', 0, 'max']],
      [{ rules: [{ ...power(), bands: [{ label: 'x', max: Infinity }] }] }, ['definition', 'rules', 0, 'bands', 0, 'max']],
      [{ rules: [{ ...power(), bands: [{ label: 'x', minInclusive: true }] }] }, ['definition', 'rules', 0, 'bands', 0, 'minInclusive']],
      [{ rules: [{ ...power(), bands: [{ label: 'x', max: 1, maxInclusive: 1 }] }] }, ['definition', 'rules', 0, 'bands', 0, 'maxInclusive']],
      [{ rules: [{ ...power(), integer: 'yes' }] }, ['definition', 'rules', 0, 'integer']],
      [{ rules: [{ ...power(), otherwise: 'x' }] }, ['definition', 'rules', 0, 'otherwise']],
      [{ rules: [{ ...region(), map: {} }] }, ['definition', 'rules', 0, 'map']],
      [{ rules: [{ ...region(), map: ['North'] }] }, ['definition', 'rules', 0, 'map']],
      [{ rules: [{ ...region(), map: { Paris: 3 } }] }, ['definition', 'rules', 0, 'map', 'Paris']],
      [{ rules: [{ ...region(), map: { ' ': 'North' } }] }, ['definition', 'rules', 0, 'map', ' ']],
      [{ rules: [{ ...region(), missing: '' }] }, ['definition', 'rules', 0, 'missing']],
      [{ rules: [{ ...region(), map: { Paris: 'North / East' } }, power()] }, ['definition', 'rules', 0]],
    ];
    for (const [definition, path] of cases) {
      const e = crmError(() => RuleSegments.define(definition as RuleSegmentsDefinition));
      expect(e.code, JSON.stringify(definition)).toBe('invalid_argument');
      expect(e.path, JSON.stringify(definition)).toEqual(path);
    }
    expect(crmError(() => RuleSegments.define({ rules: [power()], seperator: '-' } as unknown as RuleSegmentsDefinition)).message).toContain("did you mean 'separator'?");
    // A label with the separator is fine with one rule (nothing is combined), or with another separator.
    expect(crmCode(() => RuleSegments.define({ rules: [{ ...region(), map: { Paris: 'North / East' } }] }))).toBeUndefined();
    expect(crmCode(() => RuleSegments.define({ rules: [{ ...region(), map: { Paris: 'North / East' } }, power()], separator: ' | ' }))).toBeUndefined();
  });

  it('copies the definition: changing it afterwards changes nothing, and the rules are frozen', () => {
    const definition = { rules: [power(), region()] } as { rules: { bands?: { label: string; max?: number }[]; map?: Record<string, string> }[] };
    const rules = RuleSegments.define(definition as unknown as RuleSegmentsDefinition);
    definition.rules[0]!.bands![0]!.max = 1000;
    definition.rules[1]!.map!['Brest'] = 'West';
    expect(rules.apply([{ income: 45, city: 'Brest' }]).byRule).toEqual([['B'], [null]]);
    expect(Object.isFrozen(rules)).toBe(true);
    expect(Object.isFrozen(rules.rules[0])).toBe(true);
    expect(Object.isFrozen((rules.rules[1] as { map: object }).map)).toBe(true);
    expect(() => {
      (rules as unknown as { separator: string }).separator = '-';
    }).toThrow(TypeError);
  });
});

describe('RuleSegments#apply(records) labels what it can and reports the rest with paths', () => {
  it('puts a value on an edge in the band that holds the edge: [40, 70) by default, explicit edges as set', () => {
    const rules = RuleSegments.define({ rules: [power()] });
    expect(rules.apply([39.999, 40, 69.999, 70, -1e300, 1e300].map((income) => ({ income }))).segments).toEqual(['C', 'B', 'B', 'A', 'C', 'A']);
    const right = RuleSegments.define({
      rules: [{ key: 'power', type: 'bands', field: 'income', bands: [
        { label: 'C', max: 40, maxInclusive: true },
        { label: 'B', min: 40, minInclusive: false, max: 70, maxInclusive: true },
        { label: 'A', min: 70, minInclusive: false },
      ] }],
    });
    expect(right.apply([40, 40.001, 70, 70.001].map((income) => ({ income }))).segments).toEqual(['C', 'B', 'B', 'A']);
    expect(rules.apply([{ income: -0 }]).segments).toEqual(['C']);
  });

  it('reports every value it cannot label, with the code and the path, and gives that record no segment', () => {
    const rules = RuleSegments.define({
      rules: [
        { key: 'stage', type: 'bands', field: 'age', integer: true, bands: [{ label: 'young', min: 18, max: 34, maxInclusive: true }, { label: 'older', min: 35, max: 120 }] },
        region(),
      ],
    });
    const records = [
      { age: 30, city: 'Paris' },
      { age: 17, city: 'Nice' },
      { age: 30.5, city: 'Nice' },
      { age: '30', city: 'Nice' },
      { age: NaN, city: 'Nice' },
      { age: Infinity, city: 'Nice' },
      { city: 'Nice' },
      { age: null, city: 'Nice' },
      { age: 40, city: 'Brest' },
      { age: 40, city: { name: 'Paris' } },
      { age: 40, city: '  ' },
      null,
      { age: 120, city: 'Lille' },
      { age: 50, city: 'Lille' },
    ];
    const r = rules.apply(records as object[]);
    expect(r.issues.map((i) => [i.row, i.code, i.rule, i.path])).toEqual([
      [1, 'out_of_range', 'stage', [1, 'age']],
      [2, 'not_an_integer', 'stage', [2, 'age']],
      [3, 'not_a_number', 'stage', [3, 'age']],
      [4, 'non_finite', 'stage', [4, 'age']],
      [5, 'non_finite', 'stage', [5, 'age']],
      [6, 'missing', 'stage', [6, 'age']],
      [7, 'missing', 'stage', [7, 'age']],
      [8, 'unmapped', 'region', [8, 'city']],
      [9, 'not_a_category', 'region', [9, 'city']],
      [10, 'missing', 'region', [10, 'city']],
      [11, 'not_an_object', null, [11]],
      [12, 'out_of_range', 'stage', [12, 'age']],
    ]);
    expect(r.issues[0]!.message).toBe("records[1].age is 17, outside the bands of rule 'stage', which cover [18, 120)");
    expect(r.issues[7]!.message).toContain('"Brest"');
    expect(r.segments).toEqual(['young / North', null, null, null, null, null, null, null, null, null, null, null, null, 'older / North']);
    expect(r.labels).toEqual([0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1]);
    // Each rule still labels what it can.
    expect(r.byRule[1]).toEqual(['North', 'South', 'South', 'South', 'South', 'South', 'South', 'South', null, null, null, null, 'North', 'North']);
    expect(r.unassigned).toBe(12);
    expect(r.counts).toEqual([1, 1]);
  });

  it('assigns missing and unmapped values only to the labels the definition names for them', () => {
    const rules = RuleSegments.define({
      rules: [
        { ...region(), otherwise: 'Other', missing: 'Unknown' },
        { ...power(), missing: 'Unknown' },
      ],
    });
    const r = rules.apply([{ city: 'Brest', income: 50 }, { income: 80 }, { city: 'Nice' }, { city: 'Nice', income: 'n/a' }]);
    expect(r.segments).toEqual(['Other / B', 'Unknown / A', 'South / Unknown', null]);
    expect(r.issues.map((i) => i.code)).toEqual(['not_a_number']);
    // Order of labels: the map's, then otherwise, then missing.
    expect(r.legend).toEqual(['South / Unknown', 'Other / B', 'Unknown / A']);
  });

  it('reads nested fields by path and matches numbers and booleans of a category by their string form', () => {
    const rules = RuleSegments.define({
      rules: [
        { key: 'power', type: 'bands', field: ['attributes', 'income'], bands: [{ label: 'low', max: 50 }, { label: 'high', min: 50 }] },
        { key: 'senior', type: 'map', field: ['attributes', 'senior'], map: { '1': 'senior', '0': 'not senior', true: 'senior', false: 'not senior' } },
      ],
    });
    const r = rules.apply([
      { id: 'C1', attributes: { income: 80, senior: 1 } },
      { id: 'C2', attributes: { income: 20, senior: false } },
      { id: 'C3' },
      { id: 'C4', attributes: 5 },
    ]);
    expect(r.segments).toEqual(['high / senior', 'low / not senior', null, null]);
    expect(r.issues.map((i) => [i.code, i.path])).toEqual([
      ['missing', [2, 'attributes', 'income']],
      ['missing', [2, 'attributes', 'senior']],
      ['not_an_object', [3, 'attributes', 'income']],
      ['not_an_object', [3, 'attributes', 'senior']],
    ]);
  });

  it('treats map keys such as __proto__ and constructor as plain values, and never reads inherited fields', () => {
    const map = JSON.parse('{"__proto__": "odd", "constructor": "odd", "Paris": "North"}') as Record<string, string>;
    const rules = RuleSegments.define({ rules: [{ key: 'region', type: 'map', field: 'city', map }] });
    const inherited = Object.create({ city: 'Paris' }) as object;
    const r = rules.apply([{ city: '__proto__' }, { city: 'constructor' }, { city: 'toString' }, { city: 'hasOwnProperty' }, inherited]);
    expect(r.segments).toEqual(['odd', 'odd', null, null, null]);
    expect(r.issues.map((i) => i.code)).toEqual(['unmapped', 'unmapped', 'missing']);
    expect(({} as Record<string, unknown>)['odd']).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    const loaded = RuleSegments.fromJSON(JSON.parse(JSON.stringify(rules)));
    expect(loaded.apply([{ city: '__proto__' }]).segments).toEqual(['odd']);
    expect(JSON.stringify(loaded)).toBe(JSON.stringify(rules));
    expect(JSON.stringify(rules)).toContain('"__proto__":"odd"');
  });

  it('does not touch its input and rejects a non-array', () => {
    const rules = RuleSegments.define({ rules: [power(), region()] });
    const records = Object.freeze([Object.freeze({ income: 50, city: 'Nice' }), Object.freeze({ income: 'x' })]);
    expect(rules.apply(records).segments).toEqual(['B / South', null]);
    expect(crmError(() => rules.apply({} as never)).path).toEqual(['records']);
    expect(rules.apply([]).legend).toEqual([]);
  });
});

describe('RuleSegments JSON', () => {
  const rules = (): RuleSegments =>
    RuleSegments.define({ rules: [power(), { ...region(), otherwise: 'Other' }, { key: 'stage', type: 'bands', field: 'age', integer: true, missing: '?', bands: [{ label: 'y', max: 35 }, { label: 'o', min: 35 }] }], separator: ' | ' });

  it('round-trips through JSON text to the same JSON and the same labels', () => {
    const text = JSON.stringify(rules());
    const loaded = RuleSegments.fromJSON(JSON.parse(text));
    expect(JSON.stringify(loaded)).toBe(text);
    const records = [{ income: 40, city: 'Lyon', age: 20 }, { income: 90, city: 'Nice' }, { income: 10, city: 'Paris', age: 70 }];
    expect(loaded.apply(records)).toEqual(rules().apply(records));
    expect(Object.isFrozen(loaded.rules[1])).toBe(true);
  });

  it('rejects anything toJSON did not write with invalid_json at the path', () => {
    const json = (): Record<string, unknown> => JSON.parse(JSON.stringify(rules())) as Record<string, unknown>;
    const edit = (f: (j: any) => void): unknown => {
      const j = json();
      f(j);
      return j;
    };
    const cases: [unknown, (string | number)[]][] = [
      [edit((j) => { j.kind = 'crm.segment.kmeans'; }), ['kind']],
      [edit((j) => { j.version = 2; }), ['version']],
      [edit((j) => { j.extra = 1; }), ['extra']],
      [edit((j) => { delete j.separator; }), ['separator']],
      [edit((j) => { j.rules[0].bands[0].max = 50; }), ['rules', 0, 'bands']],
      [edit((j) => { j.rules[0].bands[0].min = 'x'; }), ['rules', 0, 'bands', 0, 'min']],
      [edit((j) => { delete j.rules[0].bands[0].minInclusive; }), ['rules', 0, 'bands', 0, 'minInclusive']],
      [edit((j) => { j.rules[0].bands[0].minInclusive = true; }), ['rules', 0, 'bands', 0, 'minInclusive']],
      [edit((j) => { delete j.rules[0].integer; }), ['rules', 0, 'integer']],
      [edit((j) => { delete j.rules[1].otherwise; }), ['rules', 1, 'otherwise']],
      [edit((j) => { j.rules[1].map = JSON.parse('{"__proto__": {"polluted": 1}}'); }), ['rules', 1, 'map', '__proto__']],
      [edit((j) => { j.rules[1].map.Paris = null; }), ['rules', 1, 'map', 'Paris']],
      [edit((j) => { j.rules[2].key = 'power'; }), ['rules', 2, 'key']],
      [edit((j) => { j.rules[2] = JSON.parse('{"__proto__": {"polluted": 1}}'); }), ['rules', 2, 'type']],
      [edit((j) => { j.rules = {}; }), ['rules']],
    ];
    for (const [bad, path] of cases) {
      const e = crmError(() => RuleSegments.fromJSON(bad));
      expect(e.code, JSON.stringify(bad)).toBe('invalid_json');
      expect(e.path, JSON.stringify(bad)).toEqual(path);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('rule segments with profileSegments', () => {
  it('apply(…).labels are profileSegments labels; the legend names the profiles', () => {
    const customers = [
      { income: 20, age: 22, score: 80 }, { income: 30, age: 25, score: 70 }, { income: 90, age: 45, score: 20 },
      { income: 95, age: 50, score: 10 }, { income: 55, age: 66, score: 50 }, { income: 60, age: 70, score: 40 },
    ];
    const rules = RuleSegments.define({
      rules: [power(), { key: 'stage', type: 'bands', field: 'age', integer: true, bands: [{ label: 'young', max: 34, maxInclusive: true }, { label: 'adult', min: 35, max: 59, maxInclusive: true }, { label: 'senior', min: 60 }] }],
    });
    const r = rules.apply(customers);
    const profiles = profileSegments(customers, r.labels, { featureNames: ['income', 'score'] });
    expect(profiles.segments.map((s) => [r.legend[s.label], s.size, s.mean['income']])).toEqual([
      ['C / young', 2, 25],
      ['B / senior', 2, 57.5],
      ['A / adult', 2, 92.5],
    ]);
  });
});
