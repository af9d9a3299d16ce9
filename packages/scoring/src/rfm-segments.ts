import { CrmError, finiteResult, freezeModel } from '@crm/core';
import { checkArray } from './history.ts';
import type { RfmInput, RfmScore } from './rfm-scores.ts';

/**
 * A named-segment map over RFM score cells. `axes` says what a cell is:
 * - `'rf'`: (R, F), two digits, e.g. `'54'`;
 * - `'r-fm'`: (R, ⌊(F + M)/2⌋), R against the average of F and M truncated to a whole score
 *   (as integer division does in SQL), e.g. `'53'`;
 * - `'rfm'`: (R, F, M), three digits, e.g. `'545'`.
 *
 * Each segment lists cell patterns: one token per axis, a digit or a bracket of digits and
 * ranges (`'[1-2][3-4]'`, `'5[45]'`, the regex form of the usual pandas recipe). A valid map covers
 * every cell of the 1..`bins` grid exactly once.
 *
 * @example
 * ```ts
 * import type { RfmSegmentMap } from '@crm/scoring';
 * const map: RfmSegmentMap = {
 *   bins: 2, axes: 'rf',
 *   segments: [{ name: 'active', cells: ['2[1-2]'] }, { name: 'lapsed', cells: ['1[1-2]'] }],
 * };
 * ```
 */
export interface RfmSegmentMap {
  /** Score levels n the map is written for (cells use digits 1..n). */
  readonly bins: number;
  /** What the digits of a cell are. */
  readonly axes: 'rf' | 'r-fm' | 'rfm';
  /** Segments in display order, each with its cell patterns. */
  readonly segments: readonly {
    /** Segment name, as `rfmSegments` returns it. */
    readonly name: string;
    /** Cell patterns of the segment, e.g. `['[1-2][3-4]', '15']`. */
    readonly cells: readonly string[];
  }[];
}

/**
 * The 10-segment R×F map of the common pandas recipe (REFERENCE §10, map A): Hibernating, At
 * Risk, Can't Lose Them, About to Sleep, Need Attention, Loyal Customers, Promising, New
 * Customers, Potential Loyalists, Champions, on 5-level R and F scores. M is not used.
 *
 * @example
 * ```ts
 * import { RF_SEGMENTS, rfmScores, rfmSegments } from '@crm/scoring';
 * const customers = Array.from({ length: 10 }, (_, i) => ({ frequency: i, recency: i, T: 10, monetary: 10 + i }));
 * rfmSegments(rfmScores(customers), RF_SEGMENTS);
 * ```
 */
export const RF_SEGMENTS: RfmSegmentMap = /* @__PURE__ */ freezeModel({
  bins: 5,
  axes: 'rf',
  segments: [
    { name: 'Champions', cells: ['5[4-5]'] },
    { name: 'Loyal Customers', cells: ['[3-4][4-5]'] },
    { name: 'Potential Loyalists', cells: ['[4-5][2-3]'] },
    { name: 'New Customers', cells: ['51'] },
    { name: 'Promising', cells: ['41'] },
    { name: 'Need Attention', cells: ['33'] },
    { name: 'About to Sleep', cells: ['3[1-2]'] },
    { name: "Can't Lose Them", cells: ['[1-2]5'] },
    { name: 'At Risk', cells: ['[1-2][3-4]'] },
    { name: 'Hibernating', cells: ['[1-2][1-2]'] },
  ],
});

/**
 * The 11-segment map of R against the average of F and M (REFERENCE §10, map B, the "Putler"
 * table). Its published ranges are rectangles on a 0–5 chart, with score s covering [s − 1, s];
 * read that way they tile the 5×5 grid except where "Can't Lose Them" (R 0–1, FM 4–5) lies inside
 * "At Risk" (R 0–2, FM 2–5): the more specific "Can't Lose Them" keeps that cell. (Read
 * top-down with first match on integer scores instead, "Can't Lose Them", "Lost", "Recent
 * Customers" and "Promising" would never be reached.)
 *
 * @example
 * ```ts
 * import { R_FM_SEGMENTS, rfmScores, rfmSegments } from '@crm/scoring';
 * const customers = Array.from({ length: 10 }, (_, i) => ({ frequency: i, recency: i, T: 10, monetary: 10 + i }));
 * rfmSegments(rfmScores(customers), R_FM_SEGMENTS);
 * ```
 */
export const R_FM_SEGMENTS: RfmSegmentMap = /* @__PURE__ */ freezeModel({
  bins: 5,
  axes: 'r-fm',
  segments: [
    { name: 'Champions', cells: ['55'] },
    { name: 'Loyal Customers', cells: ['54', '[3-4][4-5]'] },
    { name: 'Potential Loyalist', cells: ['[4-5][2-3]'] },
    { name: 'Recent Customers', cells: ['51'] },
    { name: 'Promising', cells: ['41'] },
    { name: 'Customers Needing Attention', cells: ['33'] },
    { name: 'About To Sleep', cells: ['3[1-2]'] },
    { name: 'At Risk', cells: ['2[3-5]', '1[3-4]'] },
    { name: "Can't Lose Them", cells: ['15'] },
    { name: 'Hibernating', cells: ['22'] },
    { name: 'Lost', cells: ['21', '1[1-2]'] },
  ],
});

const AXES_LENGTH: Readonly<Record<string, number>> = { rf: 2, 'r-fm': 2, rfm: 3 };
/** How many gaps or overlaps an error message lists before "…". */
const LISTED = 20;

/** Parses one cell pattern into the digit sets of its tokens. */
function parsePattern(pattern: string, bins: number, dims: number, path: (string | number)[]): number[][] {
  const tokens: number[][] = [];
  let i = 0;
  const bad = (why: string): never => {
    throw new CrmError('invalid_segment_map', `cell pattern ${JSON.stringify(pattern)} ${why}`, path);
  };
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (ch === '[') {
      const close = pattern.indexOf(']', i);
      if (close < 0) bad('has an unclosed "["');
      const body = pattern.slice(i + 1, close);
      const set = new Set<number>();
      for (let k = 0; k < body.length; k++) {
        const d = Number(body[k]);
        if (body[k + 1] === '-') {
          const e = Number(body[k + 2]);
          if (!Number.isInteger(d) || !Number.isInteger(e) || e < d) bad(`has a bad range in "[${body}]"`);
          for (let v = d; v <= e; v++) set.add(v);
          k += 2;
        } else {
          if (!/^[0-9]$/.test(body[k] as string)) bad(`has "${body[k]}" inside brackets`);
          set.add(d);
        }
      }
      tokens.push([...set]);
      i = close + 1;
    } else if (/^[0-9]$/.test(ch)) {
      tokens.push([Number(ch)]);
      i++;
    } else {
      bad(`has "${ch}": use digits and [a-b] ranges`);
    }
  }
  if (tokens.length !== dims) bad(`has ${tokens.length} positions; this map's cells have ${dims}`);
  for (const t of tokens) for (const v of t) if (v < 1 || v > bins) bad(`uses score ${v}, outside 1..${bins}`);
  return tokens;
}

function expand(tokens: number[][]): string[] {
  let codes = [''];
  for (const t of tokens) codes = codes.flatMap((c) => t.map((v) => c + String(v)));
  return codes;
}

/**
 * Checks a segment map and returns its cell → segment lookup: every cell of the grid must be
 * covered by exactly one segment. O(cells).
 *
 * @throws {CrmError} `invalid_segment_map` naming the uncovered cells (gaps) and the cells
 * claimed by several segments (overlaps), or a malformed pattern.
 * @example
 * ```ts
 * import { isCrmError } from '@crm/core';
 * import { validateSegmentMap } from '@crm/scoring';
 * validateSegmentMap({ bins: 2, axes: 'rf', segments: [{ name: 'all', cells: ['[1-2][1-2]'] }] }); // fine
 * try {
 *   validateSegmentMap({ bins: 2, axes: 'rf', segments: [{ name: 'top', cells: ['22'] }] });
 * } catch (e) {
 *   // "the segment map must cover every cell exactly once; cells covered by no segment: 11, 12, 21"
 *   if (isCrmError(e)) console.log(e.code, e.message); // invalid_segment_map …
 * }
 * ```
 */
export function validateSegmentMap(map: RfmSegmentMap): ReadonlyMap<string, string> {
  if (map === null || typeof map !== 'object') throw new CrmError('invalid_segment_map', 'a segment map must be an object', ['map']);
  const bins = map.bins;
  if (typeof bins !== 'number' || !Number.isInteger(bins) || bins < 2 || bins > 9) {
    throw new CrmError('invalid_segment_map', `map.bins must be a whole number from 2 to 9, got ${String(bins)}`, ['map', 'bins']);
  }
  const dims = AXES_LENGTH[map.axes as string];
  if (dims === undefined) throw new CrmError('invalid_segment_map', `map.axes must be 'rf', 'r-fm' or 'rfm'`, ['map', 'axes']);
  if (!Array.isArray(map.segments) || map.segments.length === 0) {
    throw new CrmError('invalid_segment_map', 'map.segments must be a non-empty array', ['map', 'segments']);
  }
  const owners = new Map<string, string[]>();
  map.segments.forEach((segment, s) => {
    if (segment === null || typeof segment !== 'object' || typeof segment.name !== 'string' || !Array.isArray(segment.cells)) {
      throw new CrmError('invalid_segment_map', 'each segment needs a name and an array of cells', ['map', 'segments', s]);
    }
    (segment.cells as readonly unknown[]).forEach((pattern: unknown, c: number) => {
      const path = ['map', 'segments', s, 'cells', c];
      if (typeof pattern !== 'string') throw new CrmError('invalid_segment_map', 'cell patterns are strings', path);
      for (const code of expand(parsePattern(pattern, bins, dims, path))) {
        const list = owners.get(code);
        if (list) {
          if (!list.includes(segment.name)) list.push(segment.name);
        } else owners.set(code, [segment.name]);
      }
    });
  });
  const all = expand(Array.from({ length: dims }, () => Array.from({ length: bins }, (_, i) => i + 1)));
  const gaps = all.filter((c) => !owners.has(c));
  const overlaps = all.filter((c) => (owners.get(c)?.length ?? 0) > 1);
  if (gaps.length > 0 || overlaps.length > 0) {
    const list = (cells: string[], f: (c: string) => string): string =>
      cells.slice(0, LISTED).map(f).join(', ') + (cells.length > LISTED ? `, … (${cells.length} in all)` : '');
    const parts: string[] = [];
    if (gaps.length > 0) parts.push(`cells covered by no segment: ${list(gaps, (c) => c)}`);
    if (overlaps.length > 0) parts.push(`cells covered twice: ${list(overlaps, (c) => `${c} (${(owners.get(c) as string[]).join(' / ')})`)}`);
    throw new CrmError('invalid_segment_map', `the segment map must cover every cell exactly once; ${parts.join('; ')}`, ['map']);
  }
  const lookup = new Map<string, string>();
  for (const [code, names] of owners) lookup.set(code, names[0] as string);
  return lookup;
}

function cellOf(score: RfmScore, axes: RfmSegmentMap['axes'], bins: number, i: number): string {
  for (const k of ['r', 'f', 'm'] as const) {
    const v: unknown = score?.[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > bins) {
      throw new CrmError('invalid_input', `score ${k} = ${String(v)} at [${i}] is outside the map's 1..${bins} scale`, [i, k]);
    }
  }
  if (axes === 'rf') return `${score.r}${score.f}`;
  if (axes === 'rfm') return `${score.r}${score.f}${score.m}`;
  return `${score.r}${Math.trunc((score.f + score.m) / 2)}`;
}

/**
 * The segment name of each scored customer under `map` (validated first). O(N + cells).
 *
 * @throws {CrmError} `invalid_segment_map` for an invalid map, `invalid_input` for scores off
 * the map's scale.
 * @example
 * ```ts
 * import { RF_SEGMENTS, rfmSegments } from '@crm/scoring';
 * rfmSegments([{ r: 5, f: 5, m: 1, code: '551', score: 11 / 3 }], RF_SEGMENTS); // ['Champions']
 * ```
 */
export function rfmSegments(scores: readonly RfmScore[], map: RfmSegmentMap): string[] {
  const lookup = validateSegmentMap(map);
  const rows = checkArray(scores, 'scores') as readonly RfmScore[];
  return rows.map((s, i) => lookup.get(cellOf(s, map.axes, map.bins, i)) as string);
}

/**
 * One row of {@link rfmSegmentTable}.
 *
 * @example
 * ```ts
 * import type { RfmSegmentRow } from '@crm/scoring';
 * const row: RfmSegmentRow = { segment: 'Champions', count: 120, share: 0.05, meanR: 5, meanF: 4.6, meanM: 4.1, revenue: 9000, revenueShare: 0.3 };
 * ```
 */
export interface RfmSegmentRow {
  /** Segment name. */
  readonly segment: string;
  /** Customers in the segment. */
  readonly count: number;
  /** count / all customers. */
  readonly share: number;
  /** Mean R score (`null` for an empty segment). */
  readonly meanR: number | null;
  /** Mean F score (`null` for an empty segment). */
  readonly meanF: number | null;
  /** Mean M score (`null` for an empty segment). */
  readonly meanM: number | null;
  /** Revenue of the segment's customers: `totalSpend` when given, else monetary × frequency. */
  readonly revenue: number;
  /** revenue / all revenue (0 when all revenue is 0). */
  readonly revenueShare: number;
}

/**
 * A segment table: for every segment of `map` (in map order, empty ones included) the count,
 * share, mean R/F/M scores and share of revenue. A customer's revenue is `totalSpend` when the
 * record has it (as `summarizeCustomers` output does), otherwise `monetary × frequency` (repeat
 * revenue). O(N).
 *
 * @throws {CrmError} `invalid_argument` when `customers` and `scores` differ in length,
 * `non_finite_result` when the revenues sum beyond double precision, plus the errors of
 * {@link rfmSegments}.
 * @example
 * ```ts
 * import { RF_SEGMENTS, rfmScores, rfmSegmentTable } from '@crm/scoring';
 * const customers = Array.from({ length: 20 }, (_, i) => ({ frequency: i % 7, recency: i % 7, T: 10, monetary: 10 + i }));
 * rfmSegmentTable(customers, rfmScores(customers), RF_SEGMENTS);
 * ```
 */
export function rfmSegmentTable(customers: readonly RfmInput[], scores: readonly RfmScore[], map: RfmSegmentMap): RfmSegmentRow[] {
  const names = rfmSegments(scores, map);
  const rows = checkArray(customers, 'customers') as readonly RfmInput[];
  if (rows.length !== names.length) {
    throw new CrmError('invalid_argument', `customers (${rows.length}) and scores (${names.length}) must be the same length`, ['scores']);
  }
  const acc = new Map<string, { count: number; r: number; f: number; m: number; revenue: number }>();
  for (const s of map.segments) if (!acc.has(s.name)) acc.set(s.name, { count: 0, r: 0, f: 0, m: 0, revenue: 0 });
  let totalRevenue = 0;
  rows.forEach((c, i) => {
    if (c === null || typeof c !== 'object') throw new CrmError('invalid_input', `customers[${i}] is not a customer record`, ['customers', i]);
    const a = acc.get(names[i] as string) as { count: number; r: number; f: number; m: number; revenue: number };
    const s = scores[i] as RfmScore;
    const revenue = typeof c.totalSpend === 'number' && Number.isFinite(c.totalSpend) ? c.totalSpend : c.monetary * c.frequency;
    if (!Number.isFinite(revenue)) throw new CrmError('invalid_input', `revenue of customer [${i}] is not finite`, [i, 'monetary']);
    a.count++;
    a.r += s.r;
    a.f += s.f;
    a.m += s.m;
    a.revenue += revenue;
    totalRevenue += revenue;
  });
  finiteResult(totalRevenue, 'the total revenue', ['customers']);
  return [...acc].map(([segment, a]) => ({
    segment,
    count: a.count,
    share: a.count / rows.length,
    meanR: a.count > 0 ? a.r / a.count : null,
    meanF: a.count > 0 ? a.f / a.count : null,
    meanM: a.count > 0 ? a.m / a.count : null,
    revenue: a.revenue,
    revenueShare: totalRevenue !== 0 ? a.revenue / totalRevenue : 0,
  }));
}
