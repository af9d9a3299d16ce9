import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isCrmError } from '@crm/core';
import { RF_SEGMENTS, R_FM_SEGMENTS, rfmScores, rfmSegmentTable, rfmSegments, validateSegmentMap, type RfmScore } from '@crm/scoring';
import { cdnowSummary } from './helpers.ts';

const cdnow = Object.freeze(cdnowSummary().map((c) => Object.freeze(c)));
const score = (r: number, f: number, m: number): RfmScore => ({ r, f, m, code: `${r}${f}${m}`, score: (r + f + m) / 3 });

describe('rfmScores', () => {
  it("'order' ties give equal-size bins even when 60% of CDNOW customers share frequency 0", () => {
    const scores = rfmScores(cdnow);
    for (const k of ['r', 'f', 'm'] as const) {
      const counts = [0, 0, 0, 0, 0];
      for (const s of scores) counts[s[k] - 1]!++;
      // 2,357 = 5·471 + 2: every bin holds 471 or 472 customers.
      for (const c of counts) expect(c === 471 || c === 472).toBe(true);
    }
  });

  it("'shared' ties give equal values equal scores, and higher values never lower scores", () => {
    const scores = rfmScores(cdnow, { ties: 'shared' });
    const byFrequency = new Map<number, number>();
    cdnow.forEach((c, i) => {
      const f = (scores[i] as RfmScore).f;
      if (byFrequency.has(c.frequency)) expect(byFrequency.get(c.frequency)).toBe(f);
      byFrequency.set(c.frequency, f);
    });
    const sorted = [...byFrequency].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]![1]).toBeGreaterThanOrEqual(sorted[i - 1]![1]);
  });

  it('reverses recency: the most recent buyer scores n, the longest-lapsed 1', () => {
    const rows = [
      { frequency: 3, recency: 30, T: 31, monetary: 10 }, // 1 period since last purchase
      { frequency: 1, recency: 2, T: 40, monetary: 10 }, // 38 periods
      { frequency: 2, recency: 10, T: 20, monetary: 10 }, // 10 periods
    ];
    const s = rfmScores(rows, { bins: 3 });
    expect(s.map((x) => x.r)).toEqual([3, 1, 2]);
  });

  it('uses fixed breaks as (−∞, b₁], (b₁, b₂], … and reverses recency', () => {
    const rows = [0, 1, 2, 3, 4, 5].map((k) => ({ frequency: k, recency: k, T: 5, monetary: 10 * k + 1 }));
    const s = rfmScores(rows, { bins: 3, breaks: { recency: [1, 3], frequency: [1, 3], monetary: [11, 31] } });
    expect(s.map((x) => x.f)).toEqual([1, 1, 2, 2, 3, 3]);
    expect(s.map((x) => x.m)).toEqual([1, 1, 2, 2, 3, 3]);
    // time since last purchase: 5, 4, 3, 2, 1, 0 → bins 3, 3, 2, 2, 1, 1 → reversed 1, 1, 2, 2, 3, 3
    expect(s.map((x) => x.r)).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('gives the code and the weighted score α·R + β·F + γ·M', () => {
    const rows = cdnow.slice(0, 50);
    const s = rfmScores(rows, { weights: { r: 0.5, f: 0.3, m: 0.2 } });
    for (const x of s) {
      expect(x.code).toBe(`${x.r}${x.f}${x.m}`);
      expect(x.score).toBeCloseTo(0.5 * x.r + 0.3 * x.f + 0.2 * x.m, 12);
    }
  });

  it('keeps scores in 1..n with near-equal bins for any input (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ frequency: fc.nat(20), gap: fc.nat(50), m: fc.double({ min: -100, max: 1000, noNaN: true }) }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 2, max: 9 }),
        (raw, bins) => {
          const rows = raw.map((x) => ({ frequency: x.frequency, recency: x.frequency === 0 ? 0 : x.frequency, T: x.frequency + x.gap, monetary: x.m }));
          const s = rfmScores(rows, { bins });
          for (const k of ['r', 'f', 'm'] as const) {
            const counts = new Array<number>(bins).fill(0);
            for (const x of s) {
              expect(x[k] >= 1 && x[k] <= bins).toBe(true);
              counts[x[k] - 1]!++;
            }
            expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects bad input and options with CrmErrors and paths', () => {
    const cases: [unknown, unknown, string, unknown[]][] = [
      [[], undefined, 'invalid_input', ['customers']],
      [[{ frequency: 1, recency: 5, T: 4, monetary: 1 }], undefined, 'invalid_summary', [0, 'recency']],
      [[{ frequency: 1, recency: 1, T: 4, monetary: Number.NaN }], undefined, 'invalid_input', [0, 'monetary']],
      [cdnow, { bins: 12 }, 'invalid_argument', ['options', 'bins']],
      [cdnow, { breaks: { frequency: [3, 1, 5, 7] } }, 'invalid_argument', ['options', 'breaks', 'frequency', 1]],
      [cdnow, { ties: 'random' }, 'invalid_argument', ['options', 'ties']],
    ];
    for (const [rows, options, code, path] of cases) {
      try {
        rfmScores(rows as never, options as never);
        expect.unreachable();
      } catch (e) {
        expect(isCrmError(e) && e.code).toBe(code);
        expect(isCrmError(e) && e.path).toEqual(path);
      }
    }
  });
});

describe('segment maps', () => {
  it('the built-in maps cover all 25 cells exactly once', () => {
    expect(validateSegmentMap(RF_SEGMENTS).size).toBe(25);
    expect(validateSegmentMap(R_FM_SEGMENTS).size).toBe(25);
  });

  it('RF_SEGMENTS follows REFERENCE §10 map A cell by cell', () => {
    // segment → (R range, F range) from the table.
    const table: [string, [number, number], [number, number]][] = [
      ['Hibernating', [1, 2], [1, 2]],
      ['At Risk', [1, 2], [3, 4]],
      ["Can't Lose Them", [1, 2], [5, 5]],
      ['About to Sleep', [3, 3], [1, 2]],
      ['Need Attention', [3, 3], [3, 3]],
      ['Loyal Customers', [3, 4], [4, 5]],
      ['Promising', [4, 4], [1, 1]],
      ['New Customers', [5, 5], [1, 1]],
      ['Potential Loyalists', [4, 5], [2, 3]],
      ['Champions', [5, 5], [4, 5]],
    ];
    for (const [name, [r0, r1], [f0, f1]] of table) {
      for (let r = r0; r <= r1; r++) for (let f = f0; f <= f1; f++) expect(rfmSegments([score(r, f, 3)], RF_SEGMENTS)).toEqual([name]);
    }
  });

  it('R_FM_SEGMENTS uses all 11 segments and truncates (F + M)/2', () => {
    const names = new Set<string>();
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) names.add(rfmSegments([score(r, f, m)], R_FM_SEGMENTS)[0] as string);
    expect(names.size).toBe(11);
    // (5 + 4)/2 = 4.5 → 4: with R = 5 that is Loyal, not Champions.
    expect(rfmSegments([score(5, 5, 4)], R_FM_SEGMENTS)).toEqual(['Loyal Customers']);
    expect(rfmSegments([score(5, 5, 5)], R_FM_SEGMENTS)).toEqual(['Champions']);
    expect(rfmSegments([score(1, 5, 5)], R_FM_SEGMENTS)).toEqual(["Can't Lose Them"]);
  });

  it('names the gaps and overlaps of a user map', () => {
    try {
      validateSegmentMap({ bins: 3, axes: 'rf', segments: [{ name: 'a', cells: ['[1-2][1-3]'] }, { name: 'b', cells: ['2[2-3]', '31'] }] });
      expect.unreachable();
    } catch (e) {
      expect(isCrmError(e) && e.code).toBe('invalid_segment_map');
      expect((e as Error).message).toContain('covered by no segment: 32, 33');
      expect((e as Error).message).toContain('22 (a / b), 23 (a / b)');
    }
    expect(() => validateSegmentMap({ bins: 5, axes: 'rf', segments: [{ name: 'a', cells: ['[1-6][1-5]'] }] })).toThrow(/outside 1..5/);
    expect(() => validateSegmentMap({ bins: 5, axes: 'rfm', segments: [{ name: 'a', cells: ['[1-5][1-5]'] }] })).toThrow(/3/);
  });

  it('accepts 3-digit maps and scores off the scale are rejected', () => {
    const map = { bins: 2, axes: 'rfm' as const, segments: [{ name: 'best', cells: ['222'] }, { name: 'rest', cells: ['1[1-2][1-2]', '21[1-2]', '221'] }] };
    expect(rfmSegments([score(2, 2, 2), score(2, 2, 1)], map)).toEqual(['best', 'rest']);
    expect(() => rfmSegments([score(3, 1, 1)], map)).toThrow(/outside/);
  });

  it('segment table: counts, shares and revenue shares add up on CDNOW, with totalSpend as revenue when present', () => {
    const rows = cdnow.map((c) => ({ ...c, totalSpend: c.monetary * c.frequency + 10 }));
    const scores = rfmScores(rows);
    const table = rfmSegmentTable(rows, scores, RF_SEGMENTS);
    expect(table.map((r) => r.segment)).toEqual(RF_SEGMENTS.segments.map((s) => s.name));
    expect(table.reduce((s, r) => s + r.count, 0)).toBe(cdnow.length);
    expect(table.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1, 12);
    expect(table.reduce((s, r) => s + r.revenueShare, 0)).toBeCloseTo(1, 12);
    const total = rows.reduce((s, c) => s + c.totalSpend, 0);
    expect(table.reduce((s, r) => s + r.revenue, 0)).toBeCloseTo(total, 6);
    for (const r of table) if (r.count > 0) expect(r.meanR! >= 1 && r.meanR! <= 5).toBe(true);
  });
});
