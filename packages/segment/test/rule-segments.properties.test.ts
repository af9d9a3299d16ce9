import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isCrmError } from '@crm/core';
import { RuleSegments, crossSegments, type Band, type RuleSegmentsDefinition } from '@crm/segment';

// Containment written from the definition of a band, independently of the package.
interface B {
  label: string;
  min: number | null;
  max: number | null;
  minInclusive: boolean;
  maxInclusive: boolean;
}
const holds = (b: B, x: number): boolean =>
  (b.min === null || x > b.min || (x === b.min && b.minInclusive)) && (b.max === null || x < b.max || (x === b.max && b.maxInclusive));
const toBand = (b: B): Band => ({
  label: b.label,
  ...(b.min === null ? {} : { min: b.min, minInclusive: b.minInclusive }),
  ...(b.max === null ? {} : { max: b.max, maxInclusive: b.maxInclusive }),
});
const define = (bands: readonly B[], integer = false): RuleSegments =>
  RuleSegments.define({ rules: [{ key: 'k', type: 'bands', field: 'x', integer, bands: bands.map(toBand) }] });
const labelOf = (rules: RuleSegments, x: number): string | null => rules.apply([{ x }]).segments[0] as string | null;

/** Any finite double, the awkward ones (±0, subnormals, the largest) included. */
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

/**
 * Bands that tile the whole line: sorted distinct cut points, each owned by the band below or the
 * band above it, the bands listed in a shuffled order.
 */
const tiling = fc
  .record({
    cuts: fc.uniqueArray(fc.oneof(finite, fc.integer({ min: -5, max: 5 })), { maxLength: 6, comparator: (a, b) => a === b }),
    owners: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    order: fc.array(fc.nat(), { minLength: 7, maxLength: 7 }),
  })
  .map(({ cuts, owners, order }) => {
    const c = [...cuts].map((v) => (v === 0 ? 0 : v)).sort((a, b) => a - b);
    const unique = c.filter((v, i) => i === 0 || v !== c[i - 1]);
    const bands: B[] = [];
    for (let i = 0; i <= unique.length; i++) {
      const lower = i === 0 ? null : (unique[i - 1] as number);
      const upper = i === unique.length ? null : (unique[i] as number);
      bands.push({
        label: `b${i}`,
        min: lower,
        max: upper,
        // owners[j] true: cut j belongs to the band below it.
        minInclusive: lower !== null && !(owners[i - 1] as boolean),
        maxInclusive: upper !== null && (owners[i] as boolean),
      });
    }
    const shuffled = bands.map((b, i) => ({ b, key: order[i] as number })).sort((a, b) => a.key - b.key).map((e) => e.b);
    return { bands: shuffled, cuts: unique };
  });

describe('properties of rule segments', () => {
  it('bands without gaps or overlaps assign every finite value to exactly one band, the one that holds it', () => {
    fc.assert(
      fc.property(tiling, fc.array(finite, { maxLength: 20 }), ({ bands, cuts }, values) => {
        const rules = define(bands);
        for (const x of [...values, ...cuts, -Number.MAX_VALUE, Number.MAX_VALUE]) {
          const holding = bands.filter((b) => holds(b, x));
          expect(holding).toHaveLength(1);
          expect(labelOf(rules, x)).toBe(holding[0]!.label);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('define accepts arbitrary bands exactly when no value falls in two bands or between bands, and apply agrees', () => {
    const bound = fc.option(fc.integer({ min: 0, max: 8 }).map((v) => v / 2), { nil: null });
    const band = fc.record({ min: bound, max: bound, minInclusive: fc.boolean(), maxInclusive: fc.boolean() });
    fc.assert(
      fc.property(fc.array(band, { minLength: 1, maxLength: 4 }), fc.boolean(), (raw, integer) => {
        const bands: B[] = raw.map((b, i) => ({ ...b, label: `b${i}`, minInclusive: b.min !== null && b.minInclusive, maxInclusive: b.max !== null && b.maxInclusive }));
        // Every gap or overlap of intervals with these ends shows at an end or between two ends.
        const ends = [...new Set(bands.flatMap((b) => [b.min, b.max]).filter((v): v is number => v !== null))].sort((a, b) => a - b);
        const probes = integer
          ? Array.from({ length: 11 }, (_, i) => i - 1)
          : [-1, 5, ...ends, ...ends.slice(1).map((v, i) => (v + (ends[i] as number)) / 2)];
        const inside = (x: number): boolean => bands.some((b) => holds({ ...b, max: null }, x)) && bands.some((b) => holds({ ...b, min: null }, x));
        const emptyBand = bands.some((b) => !probesOf(b, integer, ends).some((x) => holds(b, x)));
        const witness = emptyBand || probes.some((x) => { const k = bands.filter((b) => holds(b, x)).length; return k > 1 || (k === 0 && inside(x)); });
        let rules: RuleSegments | undefined;
        try {
          rules = define(bands, integer);
        } catch (e) {
          if (!isCrmError(e) || e.code !== 'invalid_segment_map') throw e;
        }
        expect(rules === undefined, `bands ${JSON.stringify(bands)}, integer ${integer}`).toBe(witness);
        if (rules === undefined) return;
        for (const x of probes) {
          const holding = bands.filter((b) => holds(b, x));
          expect(labelOf(rules, x)).toBe(holding.length === 1 ? holding[0]!.label : null);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('JSON round trip is identical: the same JSON text and the same result for any records', () => {
    const key = fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '1', '0'));
    const label = fc.string({ minLength: 1, maxLength: 4 }).filter((s) => !s.includes(' / '));
    const mapRule = fc.record({
      map: fc.dictionary(key.filter((k) => k.trim() !== ''), label, { minKeys: 1, maxKeys: 6 }),
      otherwise: fc.option(label, { nil: undefined }),
      missing: fc.option(label, { nil: undefined }),
    });
    const value = fc.oneof(finite, key, fc.constant(null), fc.constant(undefined), fc.boolean(), fc.constant(Number.NaN));
    fc.assert(
      fc.property(tiling, mapRule, fc.array(fc.tuple(value, value), { maxLength: 15 }), ({ bands }, m, rows) => {
        let rules: RuleSegments;
        const definition = {
          rules: [
            { key: 'band', type: 'bands', field: 'x', bands: bands.map(toBand), integer: false },
            { key: 'map', type: 'map', field: ['a', 'y'], map: JSON.parse(JSON.stringify(m.map)) as Record<string, string>, otherwise: m.otherwise, missing: m.missing },
          ],
        } as RuleSegmentsDefinition;
        try {
          rules = RuleSegments.define(definition);
        } catch (e) {
          // A random label may hold the separator of another rule's labels: that is refused, never guessed.
          if (isCrmError(e) && e.code === 'invalid_argument') return;
          throw e;
        }
        const text = JSON.stringify(rules);
        const loaded = RuleSegments.fromJSON(JSON.parse(text));
        expect(JSON.stringify(loaded)).toBe(text);
        const records = rows.map(([x, y]) => ({ x, a: { y } }));
        expect(loaded.apply(records)).toEqual(rules.apply(records));
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('crossSegments counts every record once: segment counts plus unassigned make n', () => {
    const side = fc.array(fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.constant(null), fc.integer({ min: -1, max: 2 })), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(side, side, (a, b) => {
        const numbersOrNames = (s: (string | number | null)[]): (string | number | null)[] => (s.some((v) => typeof v === 'number') ? s.map((v) => (typeof v === 'string' ? null : v)) : s);
        const x = crossSegments(numbersOrNames(a), numbersOrNames(b));
        expect(x.counts.reduce((p, q) => p + q, 0) + x.unassigned).toBe(8);
        x.labels.forEach((code, i) => expect(code < 0 ? null : x.legend[code]).toBe(x.segments[i]));
      }),
    );
  });
});

/** Points that show whether a band holds any value (any integer, for an integer rule). */
function probesOf(b: B, integer: boolean, ends: readonly number[]): number[] {
  if (integer) return Array.from({ length: 11 }, (_, i) => i - 1);
  return [-1, 5, ...ends, ...ends.slice(1).map((v, i) => (v + (ends[i] as number)) / 2), ...(b.min !== null && b.max !== null ? [(b.min + b.max) / 2] : [])];
}
