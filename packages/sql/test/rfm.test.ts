// RFM scores and segments in SQL, run on DuckDB and PostgreSQL and compared with @crm/scoring's
// rfmScores / rfmSegments on the same CDNOW summaries. rfmScores breaks 'order' ties by input
// position, rfmScoresSql by a column (the customer id by default): the reference is therefore
// rfmScores on the summaries sorted by customer id. Scores, codes and segments must be equal; the
// weighted score must be the same double (same operations in the same order), so it is compared
// with toBe, no tolerance.
import { isCrmError, type CustomerSummary } from '@crm/core';
import { RF_SEGMENTS, R_FM_SEGMENTS, rfmScores, rfmSegments, type RfmOptions, type RfmSegmentMap } from '@crm/scoring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECT_NAMES } from '../src/dialect.ts';
import { rfmScoresSql, rfmSegmentsSql, type RfmSqlOptions } from '../src/index.ts';
import { duckdb, postgres, type Engine, type Row } from './engines.ts';
import { byCustomer, cdnowSummaries, loadSummaries, num } from './scores-fixtures.ts';

const summaries = cdnowSummaries();
// The order rfmScoresSql breaks ties in: the customer id as text, compared by code unit (bytewise
// for these ASCII ids, the order of DuckDB and of the C.UTF-8 test cluster).
const sorted: CustomerSummary[] = [...summaries].sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));

// CDNOW has 2357 customers, a prime: no rank·bins ever equals a multiple of n there, so bin edges
// hit exactly (where ⌊rank·bins/n⌋ jumps) are tried on subsets whose size every bin count divides:
// 1680 = 2⁴·3·5·7 (bins 2–8) and 2160 = 2⁴·3³·5 (bins 9).
const SUBSET_SIZES = [1680, 2160] as const;
const subset = (n: number): CustomerSummary[] => sorted.slice(0, n);

const engines: Engine[] = [];
let skipped = '';

beforeAll(async () => {
  engines.push(await duckdb());
  const pg = await postgres();
  if (typeof pg === 'string') skipped = pg;
  else engines.push(pg);
  for (const e of engines) {
    await loadSummaries(e, 'summaries', summaries);
    for (const n of SUBSET_SIZES) await loadSummaries(e, `summaries_${n}`, subset(n));
    // The same data under names that need quoting, one holding the quote character.
    await e.exec(
      `CREATE TABLE "we""ird sums" AS SELECT "customerId" AS "client ""id""", "frequency" AS "f.q", "recency" AS "select", "T" AS "t", "monetary" AS "€" FROM summaries`,
    );
  }
});

afterAll(async () => {
  for (const e of engines) await e.close();
});

it('PostgreSQL runs in CI (outside it, the reason it is skipped is stated)', () => {
  if (skipped) console.warn(skipped);
  expect(engines.map((e) => e.dialect)).toEqual(skipped && !process.env.CI ? ['duckdb'] : ['duckdb', 'postgres']);
});

/** rfmScoresSql on an engine, keyed by customer id. */
async function sqlScores(e: Engine, options: RfmSqlOptions, source: Parameters<typeof rfmScoresSql>[0] = { table: 'summaries' }): Promise<Map<string, Row>> {
  return byCustomer(await e.run(rfmScoresSql(source, { ...options, dialect: e.dialect })));
}

function expectSame(got: Map<string, Row>, options: RfmOptions, label: string, rows: readonly CustomerSummary[] = sorted): void {
  const want = rfmScores(rows, options);
  expect(got.size, label).toBe(rows.length);
  let differences = 0;
  rows.forEach((c, i) => {
    const g = got.get(c.customerId)!;
    const w = want[i]!;
    if (num(g.r) !== w.r || num(g.f) !== w.f || num(g.m) !== w.m || g.code !== w.code || g.score !== w.score) {
      if (differences++ < 5) console.error(label, c, g, w);
    }
  });
  expect(differences, label).toBe(0);
}

describe('rfmScoresSql(summaries, options) equals rfmScores on the summaries sorted by the orderBy column', () => {
  it('for bins 2–9 and both tie rules, on every engine', async () => {
    for (const e of engines) {
      for (let bins = 2; bins <= 9; bins++) {
        for (const ties of ['order', 'shared'] as const) {
          expectSame(await sqlScores(e, { bins, ties }), { bins, ties }, `${e.dialect} bins ${bins} ties ${ties}`);
        }
      }
    }
  });

  it('at bin edges hit exactly (subsets of 1680 and 2160 customers), for bins 2–9 and both tie rules', async () => {
    for (const e of engines) {
      for (const n of SUBSET_SIZES) {
        for (let bins = 2; bins <= 9; bins++) {
          if (n % bins !== 0) continue;
          for (const ties of ['order', 'shared'] as const) {
            const got = await sqlScores(e, { bins, ties }, { table: `summaries_${n}` });
            expectSame(got, { bins, ties }, `${e.dialect} n ${n} bins ${bins} ties ${ties}`, subset(n));
          }
        }
      }
    }
  });

  it('the tie rules give different scores on CDNOW (so the comparison above tells them apart)', () => {
    const order = rfmScores(sorted, { bins: 5, ties: 'order' });
    const shared = rfmScores(sorted, { bins: 5, ties: 'shared' });
    expect(order.filter((s, i) => s.code !== shared[i]!.code).length).toBeGreaterThan(100);
    // and 'order' depends on the order of equal rows: the input order gives other codes than the id order
    const unsorted = rfmScores(summaries, { bins: 5 });
    const byId = new Map(sorted.map((c, i) => [c.customerId, order[i]!.code]));
    expect(summaries.filter((c, i) => unsorted[i]!.code !== byId.get(c.customerId)).length).toBeGreaterThan(0);
  });

  it('with fixed breaks (all or some dimensions) and weights', async () => {
    const cases: RfmOptions[] = [
      { bins: 4, breaks: { recency: [4, 20, 52], frequency: [0, 1, 3], monetary: [10, 30, 60] } },
      { bins: 3, ties: 'shared', breaks: { frequency: [0.5, 2] }, weights: { r: 0.5, f: 0.3, m: 0.2 } },
      { bins: 5, weights: { r: 0.1, f: 1e-7, m: 3.3 } },
      { bins: 9, ties: 'shared', weights: { r: -1.5, f: 0.7, m: 1 / 7 } },
      // breaks at values the data holds exactly: v > b, not v ≥ b
      { bins: 2, breaks: { recency: [0], frequency: [1], monetary: [0] } },
    ];
    for (const e of engines) {
      for (const options of cases) expectSame(await sqlScores(e, options as RfmSqlOptions), options, `${e.dialect} ${JSON.stringify(options)}`);
    }
  });

  it('with another orderBy column: equals rfmScores on the rows sorted by it', async () => {
    // Order by monetary then id through a view with a unique sort key.
    const key = (c: CustomerSummary): string => `${String(c.frequency).padStart(4, '0')}-${c.customerId.padStart(5, '0')}`;
    const reordered = [...summaries].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    for (const e of engines) {
      const pad = (x: string, n: number): string => (e.dialect === 'duckdb' ? `lpad(CAST(${x} AS VARCHAR), ${n}, '0')` : `lpad(CAST(${x} AS TEXT), ${n}, '0')`);
      const view = `SELECT *, ${pad('"frequency"', 4)} || '-' || ${pad('"customerId"', 5)} AS sort_key FROM summaries`;
      const got = byCustomer(await e.run(rfmScoresSql({ query: view }, { orderBy: 'sort_key', dialect: e.dialect })));
      const want = rfmScores(reordered);
      reordered.forEach((c, i) => expect(got.get(c.customerId)!.code, `${e.dialect} ${c.customerId}`).toBe(want[i]!.code));
    }
  });

  it('reads renamed columns and quotes names holding quotes, dots and reserved words', async () => {
    const source = { table: 'we"ird sums', columns: { customerId: 'client "id"', frequency: 'f.q', recency: 'select', T: 't', monetary: '€' } };
    for (const e of engines) expectSame(await sqlScores(e, { bins: 5 }, source), { bins: 5 }, `${e.dialect} quoted names`);
  });

  it('gives NULL scores to rows rfmScores would refuse, and ranks the others among themselves', async () => {
    const e = engines[0]!;
    await e.exec(`CREATE TABLE with_bad AS SELECT * FROM summaries UNION ALL SELECT 'zz-null', 1, NULL, 10, 5 UNION ALL SELECT 'zz-nan', 1, 1, 10, CAST('NaN' AS DOUBLE)`);
    const got = byCustomer(await e.run(rfmScoresSql({ table: 'with_bad' }, { bins: 5 })));
    expect(got.get('zz-null')).toEqual({ customerId: 'zz-null', r: null, f: null, m: null, code: null, score: null });
    expect(got.get('zz-nan')!.code).toBeNull();
    got.delete('zz-null');
    got.delete('zz-nan');
    expectSame(got, { bins: 5 }, 'valid rows of with_bad');
  });
});

describe('rfmSegmentsSql(scores, map) equals rfmSegments', () => {
  // A 3-axis map on 3 bins: R 3 any F, M → 'top'; the rest split by M.
  const RFM_MAP: RfmSegmentMap = {
    bins: 3,
    axes: 'rfm',
    segments: [
      { name: 'top', cells: ['3[1-3][1-3]'] },
      { name: "big 'spender'", cells: ['[1-2][1-3]3'] },
      { name: 'rest', cells: ['[1-2][1-3][1-2]'] },
    ],
  };
  const maps: [string, RfmSegmentMap, RfmOptions][] = [
    ['RF_SEGMENTS', RF_SEGMENTS, { bins: 5 }],
    ['R_FM_SEGMENTS', R_FM_SEGMENTS, { bins: 5, ties: 'shared' }],
    ['a 3-axis map', RFM_MAP, { bins: 3 }],
  ];
  it('for RF_SEGMENTS, R_FM_SEGMENTS and a 3-axis map, composed on rfmScoresSql, on every engine', async () => {
    for (const e of engines) {
      for (const [label, map, options] of maps) {
        const scores = rfmScoresSql({ table: 'summaries' }, { ...(options as RfmSqlOptions), dialect: e.dialect });
        const q = rfmSegmentsSql({ query: scores }, map, { dialect: e.dialect });
        expect(q.text.includes('Champions')).toBe(false); // names travel as parameters
        const got = byCustomer(await e.run(q));
        const want = rfmSegments(rfmScores(sorted, options), map);
        sorted.forEach((c, i) => expect(got.get(c.customerId)!.segment, `${e.dialect} ${label} ${c.customerId}`).toBe(want[i]));
        // every segment is reached somewhere, so a wrong cell mapping would show
        expect(new Set(want).size, label).toBeGreaterThanOrEqual(Math.min(3, map.segments.length));
      }
    }
  });

  it('gives NULL for scores off the map scale or fractional, rather than a wrong segment', async () => {
    const e = engines[0]!;
    const rows = await e.run(
      rfmSegmentsSql({ query: "SELECT * FROM (VALUES ('a', 5, 5, 1), ('b', 6, 5, 1), ('c', 4.5, 5, 1), ('d', NULL, 1, 1)) AS v(\"customerId\", r, f, m)" }, RF_SEGMENTS),
    );
    expect(rows.map((r) => [r.customerId, r.segment])).toEqual([['a', 'Champions'], ['b', null], ['c', null], ['d', null]]);
  });
});

describe('bad input is a CrmError before any SQL is written', () => {
  const code = (f: () => unknown): [string, unknown] => {
    try {
      f();
    } catch (e) {
      if (isCrmError(e)) return [e.code, e.path];
      throw e;
    }
    return ['no error', []];
  };
  it('unknown or misspelled option keys, also nested', () => {
    expect(code(() => rfmScoresSql({ table: 's' }, { bin: 5 } as never))).toEqual(['invalid_argument', ['options', 'bin']]);
    expect(code(() => rfmScoresSql({ table: 's' }, { weights: { r: 1, f: 1, m: 1, x: 1 } } as never))).toEqual(['invalid_argument', ['options', 'weights', 'x']]);
    expect(code(() => rfmScoresSql({ table: 's' }, { breaks: { recent: [1] } } as never))).toEqual(['invalid_argument', ['options', 'breaks', 'recent']]);
    expect(code(() => rfmScoresSql({ table: 's', columns: { id: 'x' } } as never))).toEqual(['invalid_argument', ['summaries', 'columns', 'id']]);
    expect(code(() => rfmSegmentsSql({ table: 's' }, RF_SEGMENTS, { dialetc: 'duckdb' } as never))).toEqual(['invalid_argument', ['options', 'dialetc']]);
  });
  it('bins 10 (or 1, or 2.5), bad ties, breaks of the wrong length or not increasing, partial weights', () => {
    for (const bins of [10, 1, 2.5]) expect(code(() => rfmScoresSql({ table: 's' }, { bins }))[0]).toBe('invalid_argument');
    expect(code(() => rfmScoresSql({ table: 's' }, { ties: 'first' as never }))).toEqual(['invalid_argument', ['options', 'ties']]);
    expect(code(() => rfmScoresSql({ table: 's' }, { bins: 3, breaks: { frequency: [1] } }))).toEqual(['invalid_argument', ['options', 'breaks', 'frequency']]);
    expect(code(() => rfmScoresSql({ table: 's' }, { bins: 3, breaks: { frequency: [2, 1] } }))).toEqual(['invalid_argument', ['options', 'breaks', 'frequency', 1]]);
    expect(code(() => rfmScoresSql({ table: 's' }, { weights: { r: 1, f: 1 } as never }))).toEqual(['invalid_argument', ['options', 'weights', 'm']]);
    expect(code(() => rfmScoresSql({ table: 's' }, { weights: { r: 1e308, f: 1e308, m: 1 } }))).toEqual(['non_finite_result', ['options', 'weights']]);
    expect(code(() => rfmScoresSql({ table: 's' }, { dialect: 'mysql' as never }))).toEqual(['invalid_argument', ['options', 'dialect']]);
  });
  it('segment maps that are not one: the same verdict as validateSegmentMap', () => {
    const bad: unknown[] = [
      null,
      [],
      { bins: 10, axes: 'rf', segments: [{ name: 'a', cells: ['11'] }] },
      { bins: 2, axes: 'fr', segments: [{ name: 'a', cells: ['[1-2][1-2]'] }] },
      { bins: 2, axes: 'rf', segments: [] },
      { bins: 2, axes: 'rf', segments: [{ name: 'a', cells: ['22'] }] }, // gaps
      { bins: 2, axes: 'rf', segments: [{ name: 'a', cells: ['[1-2][1-2]'] }, { name: 'b', cells: ['11'] }] }, // overlap
      { bins: 2, axes: 'rf', segments: [{ name: 'a', cells: ['[1-2][1-2'] }] },
      { bins: 2, axes: 'rf', segments: [{ name: 'a', cells: ['[2-1][1-2]'] }] },
      { bins: 2, axes: 'rf', segments: [{ name: 'a', cells: ['[1-2][1-2]3'] }] },
      { bins: 2, axes: 'rf', segments: [{ name: 'a', cells: ["1'; DROP TABLE x; --"] }] },
      { bins: 2, axes: 'rf', segments: [{ name: 7, cells: ['[1-2][1-2]'] }] },
      { bins: 2, axes: 'rf', segments: [{ name: 'a', cells: [12] }] },
    ];
    for (const map of bad) {
      const mine = code(() => rfmSegmentsSql({ table: 's' }, map as never));
      const theirs = code(() => rfmSegments([], map as never));
      expect(mine[0], JSON.stringify(map)).toBe('invalid_segment_map');
      expect(mine, JSON.stringify(map)).toEqual(theirs);
    }
  });
  it('identifiers: control characters are refused; quotes are quoted, never injected', () => {
    expect(code(() => rfmScoresSql({ table: 's', columns: { monetary: 'a\u0000b' } }))[0]).toBe('invalid_argument');
    expect(code(() => rfmScoresSql({ table: 's' }, { orderBy: '' }))).toEqual(['invalid_argument', ['options', 'orderBy']]);
    const q = rfmScoresSql({ table: 'x"; DROP TABLE y; --', columns: { customerId: 'a"b' } }, { dialect: 'postgres' });
    expect(q.text).toContain('"x""; DROP TABLE y; --"');
    expect(q.text).toContain('"a""b"');
  });
});

describe('text for every dialect', () => {
  it('rfmScoresSql and rfmSegmentsSql write all five dialects with their quoting and placeholders', () => {
    for (const dialect of DIALECT_NAMES) {
      const scores = rfmScoresSql({ table: ['sales', 'summ`aries'] }, { dialect, ties: 'shared', breaks: { monetary: [10, 20, 30, 40] } });
      const seg = rfmSegmentsSql({ query: scores }, RF_SEGMENTS, { dialect });
      expect(scores.params).toEqual([]);
      expect(seg.params).toEqual(RF_SEGMENTS.segments.map((s) => s.name));
      expect(seg.text).toContain(dialect === 'spark' || dialect === 'bigquery' ? '`' : '"customerId"');
      expect(seg.text).toContain(dialect === 'duckdb' || dialect === 'postgres' ? '$10' : '?');
      expect(seg.text).not.toContain('$10'.repeat(dialect === 'duckdb' || dialect === 'postgres' ? 2 : 1));
    }
  });
});
