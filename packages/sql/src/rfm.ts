import { CrmError, enumOption, numberOption, readOptions, type CrmPath, type OptionBag } from '@crm/core';
import { dialectSpec, type Dialect } from './dialect.ts';
import { readColumnsSource, type CustomerSummarySource } from './columns-source.ts';
import { finiteSql, SqlWriter, checkIdentifier, numberLiteral, type SqlQuery } from './query.ts';

/**
 * Options of {@link rfmScoresSql}: those of `rfmScores` from @crm/scoring (`bins`, `ties`,
 * `breaks`, `weights`, same meaning and defaults) plus `orderBy` and `dialect`.
 *
 * @example
 * ```ts
 * import type { RfmSqlOptions } from '@crm/sql';
 * const options: RfmSqlOptions = { bins: 5, ties: 'shared', weights: { r: 0.5, f: 0.3, m: 0.2 }, dialect: 'postgres' };
 * ```
 */
export interface RfmSqlOptions {
  /** Number of score levels n, 2–9 (scores run 1..n). Default 5. */
  readonly bins?: number | undefined;
  /**
   * How equal values are ranked for quantile scores. `'order'` (default): by `orderBy`, so every
   * level holds ⌊N/n⌋ or ⌈N/n⌉ customers; `'shared'`: equal values share the score of their
   * average rank.
   */
  readonly ties?: 'order' | 'shared' | undefined;
  /** Fixed cut points instead of quantiles: n − 1 increasing numbers per dimension (as `rfmScores`). */
  readonly breaks?:
    | {
        /** Cut points of the time since the last purchase (T − recency). */
        readonly recency?: readonly number[] | undefined;
        /** Cut points of `frequency`. */
        readonly frequency?: readonly number[] | undefined;
        /** Cut points of `monetary`. */
        readonly monetary?: readonly number[] | undefined;
      }
    | undefined;
  /** Weights α, β, γ of the weighted score α·R + β·F + γ·M. Default 1/3 each. */
  readonly weights?:
    | {
        /** α, the weight of R. */
        readonly r: number;
        /** β, the weight of F. */
        readonly f: number;
        /** γ, the weight of M. */
        readonly m: number;
      }
    | undefined;
  /**
   * The column that breaks `'order'` ties (default: the customer id column). `rfmScores` breaks
   * them by input position; SQL rows have no position, so the result equals `rfmScores` on the
   * summaries sorted by this column (in the engine's order for its type: the collation for text).
   * It should be unique, or tied rows may swap scores between runs.
   */
  readonly orderBy?: string | undefined;
  /** SQL dialect (default `'duckdb'`). */
  readonly dialect?: Dialect | undefined;
}

const DEFAULT_BINS = 5;
const MAX_BINS = 9;
const SUMMARY_ROLES = ['customerId', 'frequency', 'recency', 'T', 'monetary'] as const;
const RFM_COLUMNS: readonly string[] = ['customerId', 'r', 'f', 'm', 'code', 'score'];

function checkBreaks(value: unknown, bins: number, name: string): readonly number[] | undefined {
  if (value === undefined) return undefined;
  const path = ['options', 'breaks', name];
  if (!Array.isArray(value) || value.length !== bins - 1) {
    throw new CrmError('invalid_argument', `breaks.${name} must hold ${bins - 1} increasing numbers for ${bins} bins`, path);
  }
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || (i > 0 && v <= (out[i - 1] as number))) {
      throw new CrmError('invalid_argument', `breaks.${name} must be finite and strictly increasing (position ${i})`, [...path, i]);
    }
    out.push(v);
  }
  return out;
}

function nested<K extends string>(value: unknown, known: readonly K[], name: string): OptionBag<K> {
  return readOptions(value, known, `rfmScoresSql options.${name}`, ['options', name]);
}

/**
 * The score 1..bins of a 0-based rank `num / den` among `n` (den = n, or 2n for a half-integer
 * average rank): min(bins, ⌊rank·bins/n⌋ + 1) = the largest s with (s − 1)·den ≤ num·bins. Written
 * as integer comparisons, so no engine's division (integer truncation, decimal scale, float
 * rounding) can move a customer across a bin edge.
 */
function quantileCase(num: string, den: string, bins: number): string {
  const whens: string[] = [];
  for (let s = bins; s >= 2; s--) whens.push(`WHEN ${num} * ${bins} >= ${s - 1} * ${den} THEN ${s}`);
  return `CASE ${whens.join(' ')} ELSE 1 END`;
}

/** 1 + the number of breaks below the value. */
function breakSum(x: string, breaks: readonly number[], double: string): string {
  return `(1${breaks.map((b) => ` + CASE WHEN ${x} > CAST(${numberLiteral(b)} AS ${double}) THEN 1 ELSE 0 END`).join('')})`;
}

/**
 * RFM scores in SQL, equal to `rfmScores` from @crm/scoring: R, F and M scores 1..n by quantiles of
 * all valid customers (`ties: 'order' | 'shared'`) or by fixed `breaks`, recency reversed (the time
 * since the last purchase, T − recency, ranked so recent buyers score n), the cell code (`'545'`)
 * and the weighted score α·R + β·F + γ·M, computed in the same order of operations as TypeScript
 * so it is the same double. Result columns: `customerId`, `r`, `f`, `m`, `code`, `score`.
 *
 * With `ties: 'order'` equal values are ranked by `orderBy` (default the customer id), so the
 * result equals `rfmScores` on the summaries sorted by that column. A row whose frequency,
 * recency, T or monetary is NULL or not finite (which `rfmScores` refuses) is not ranked and gets
 * NULL scores, so it stays visible; quantiles are over the other rows. Cost in the engine: three
 * window sorts of the summaries.
 *
 * @throws {CrmError} `invalid_argument` for a bad source, unknown or misspelled options, bins
 * outside 2–9, breaks that are not n − 1 increasing finite numbers, or missing weights;
 * `non_finite_result` when the weights are so large that a weighted score overflows.
 * @example
 * ```ts
 * import { rfmScoresSql } from '@crm/sql';
 * const q = rfmScoresSql({ table: 'customer_summaries' }, { bins: 5, ties: 'order' });
 * q.columns; // → ['customerId', 'r', 'f', 'm', 'code', 'score']
 * ```
 */
export function rfmScoresSql(summaries: CustomerSummarySource, options?: RfmSqlOptions): SqlQuery {
  const o = readOptions(options, ['bins', 'ties', 'breaks', 'weights', 'orderBy', 'dialect'], 'rfmScoresSql');
  const d = dialectSpec(o.dialect);
  const bins = numberOption(o, 'bins', DEFAULT_BINS, { min: 2, max: MAX_BINS, integer: true });
  const ties = enumOption(o, 'ties', 'order', ['order', 'shared'] as const);
  const wo = nested(o.weights, ['r', 'f', 'm'], 'weights');
  if (o.weights !== undefined) {
    for (const k of ['r', 'f', 'm'] as const) {
      if (wo[k] === undefined) throw new CrmError('invalid_argument', `weights.${k} is required when weights are given`, ['options', 'weights', k]);
    }
  }
  const weights = { r: numberOption(wo, 'r', 1 / 3), f: numberOption(wo, 'f', 1 / 3), m: numberOption(wo, 'm', 1 / 3) };
  checkWeightedScores(weights, bins);
  const bo = nested(o.breaks, ['recency', 'frequency', 'monetary'], 'breaks');
  const rBreaks = checkBreaks(bo.recency, bins, 'recency');
  const fBreaks = checkBreaks(bo.frequency, bins, 'frequency');
  const mBreaks = checkBreaks(bo.monetary, bins, 'monetary');
  const s = readColumnsSource(summaries, SUMMARY_ROLES, 'summary source', ['summaries']);
  const orderBy = o.orderBy === undefined ? s.columns.customerId : checkIdentifier(o.orderBy, ['options', 'orderBy']);

  const w = new SqlWriter(d);
  const q = (n: string): string => d.quote(n);
  const dbl = d.double;
  const col = (n: string): string => `CAST(src.${q(n)} AS ${dbl})`;
  const since = `${col(s.columns.T)} - ${col(s.columns.recency)}`;
  const base =
    `SELECT src.${q(s.columns.customerId)} AS cid, src.${q(orderBy)} AS ord, ${since} AS since, ` +
    `${col(s.columns.frequency)} AS freq, ${col(s.columns.monetary)} AS money, ` +
    `CASE WHEN ${finiteSql(`(${since})`)} AND ${finiteSql(col(s.columns.frequency))} AND ${finiteSql(col(s.columns.monetary))} THEN 1 ELSE 0 END AS ok ` +
    `FROM ${s.from(w)} AS src`;

  // Ranks first (each window computed once), then scores: by breaks, or by the rank among the
  // valid rows (partitioned by ok).
  const rank = (v: string, desc: boolean): string => {
    const dir = desc ? ' DESC' : '';
    if (ties === 'order') return `ROW_NUMBER() OVER (PARTITION BY ok ORDER BY ${v}${dir}, ord) - 1`;
    // The average 0-based rank of a tie group, doubled to stay whole: 2·(values before) + size − 1.
    return `2 * (RANK() OVER (PARTITION BY ok ORDER BY ${v}${dir}) - 1) + COUNT(*) OVER (PARTITION BY ok, ${v}) - 1`;
  };
  const den = ties === 'order' ? 'n' : '2 * n';
  const ranks = [
    rBreaks ? [] : [`${rank('since', true)} AS rk_r`],
    fBreaks ? [] : [`${rank('freq', false)} AS rk_f`],
    mBreaks ? [] : [`${rank('money', false)} AS rk_m`],
  ].flat();
  const ranked = `SELECT cid, ok, since, freq, money, COUNT(*) OVER (PARTITION BY ok) AS n${ranks.map((x) => `, ${x}`).join('')} FROM (${base}) AS b`;
  const r = rBreaks ? `${bins + 1} - ${breakSum('since', rBreaks, dbl)}` : quantileCase('rk_r', den, bins);
  const f = fBreaks ? breakSum('freq', fBreaks, dbl) : quantileCase('rk_f', den, bins);
  const m = mBreaks ? breakSum('money', mBreaks, dbl) : quantileCase('rk_m', den, bins);
  const scored = `SELECT cid, ok, ${r} AS r, ${f} AS f, ${m} AS m FROM (${ranked}) AS k`;

  const lit = (x: number): string => `CAST(${numberLiteral(x)} AS ${dbl})`;
  const asDouble = (x: string): string => `CAST(${x} AS ${dbl})`;
  const valid = (x: string): string => `CASE WHEN ok = 1 THEN ${x} END`;
  // ((α·R + β·F) + γ·M), the order of the TypeScript sum, so the double is the same.
  const score = `((${lit(weights.r)} * ${asDouble('r')} + ${lit(weights.f)} * ${asDouble('f')}) + ${lit(weights.m)} * ${asDouble('m')})`;
  const text =
    `SELECT cid AS ${q('customerId')}, ${valid('r')} AS ${q('r')}, ${valid('f')} AS ${q('f')}, ${valid('m')} AS ${q('m')}, ` +
    `${valid(`CAST(100 * r + 10 * f + m AS ${d.text})`)} AS ${q('code')}, ${valid(score)} AS ${q('score')} ` +
    `FROM (${scored}) AS s`;
  return w.finish(text, RFM_COLUMNS);
}

/** Refuses weights whose weighted score overflows for some cell, as `rfmScores` would for a customer in it. */
function checkWeightedScores(weights: { r: number; f: number; m: number }, bins: number): void {
  for (let r = 1; r <= bins; r++) {
    for (let f = 1; f <= bins; f++) {
      for (let m = 1; m <= bins; m++) {
        if (!Number.isFinite(weights.r * r + weights.f * f + weights.m * m)) {
          throw new CrmError(
            'non_finite_result',
            `the weighted RFM score of cell ${r}${f}${m} is not finite: the weights are too large for double precision; rescale them`,
            ['options', 'weights'],
          );
        }
      }
    }
  }
}

/**
 * A named-segment map over RFM score cells, as plain data: the format of `RfmSegmentMap` in
 * @crm/scoring (`RF_SEGMENTS` and `R_FM_SEGMENTS` are such maps). `axes` says what a cell is:
 * `'rf'` (R, F), `'r-fm'` (R, ⌊(F + M)/2⌋) or `'rfm'` (R, F, M); each segment lists cell patterns,
 * one token per axis, a digit or a bracket of digits and ranges (`'[1-2][3-4]'`). A valid map
 * covers every cell of the 1..`bins` grid exactly once.
 *
 * @example
 * ```ts
 * import type { SegmentMapData } from '@crm/sql';
 * const map: SegmentMapData = {
 *   bins: 2, axes: 'rf',
 *   segments: [{ name: 'active', cells: ['2[1-2]'] }, { name: 'lapsed', cells: ['1[1-2]'] }],
 * };
 * ```
 */
export interface SegmentMapData {
  /** Score levels n the map is written for (cells use digits 1..n). */
  readonly bins: number;
  /** What the digits of a cell are. */
  readonly axes: 'rf' | 'r-fm' | 'rfm';
  /** Segments in display order, each with its cell patterns. */
  readonly segments: readonly {
    /** Segment name. */
    readonly name: string;
    /** Cell patterns of the segment. */
    readonly cells: readonly string[];
  }[];
}

/**
 * A table or subquery of RFM scores, such as the result of {@link rfmScoresSql} (pass the query
 * itself to segment in one statement), with the names of its columns (defaults `customerId`, `r`,
 * `f`, `m`, the names `rfmScoresSql` gives).
 *
 * @example
 * ```ts
 * import type { RfmScoreSource } from '@crm/sql';
 * const source: RfmScoreSource = { table: 'rfm', columns: { customerId: 'client' } };
 * ```
 */
export interface RfmScoreSource {
  /** Table or view name, schema-qualified with dots or as an array of name parts. */
  readonly table?: string | readonly string[] | undefined;
  /** A subquery instead of a table (SQL text without parameters, or a query built by @crm/sql). */
  readonly query?: string | SqlQuery | undefined;
  /** Column names, when they differ from `rfmScoresSql`'s. */
  readonly columns?:
    | {
        /** Customer id (default `customerId`). */
        readonly customerId?: string | undefined;
        /** R score (default `r`). */
        readonly r?: string | undefined;
        /** F score (default `f`). */
        readonly f?: string | undefined;
        /** M score (default `m`). */
        readonly m?: string | undefined;
      }
    | undefined;
}

/**
 * Options of {@link rfmSegmentsSql}.
 *
 * @example
 * ```ts
 * import type { RfmSegmentsSqlOptions } from '@crm/sql';
 * const options: RfmSegmentsSqlOptions = { dialect: 'snowflake' };
 * ```
 */
export interface RfmSegmentsSqlOptions {
  /** SQL dialect (default `'duckdb'`). */
  readonly dialect?: Dialect | undefined;
}

const AXES_LENGTH: Readonly<Record<string, number>> = { rf: 2, 'r-fm': 2, rfm: 3 };
/** How many gaps or overlaps an error message lists before "…". */
const LISTED = 20;

function parsePattern(pattern: string, bins: number, dims: number, path: CrmPath): number[][] {
  const tokens: number[][] = [];
  const bad = (why: string): never => {
    throw new CrmError('invalid_segment_map', `cell pattern ${JSON.stringify(pattern)} ${why}`, path);
  };
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i] as string;
    if (ch === '[') {
      const close = pattern.indexOf(']', i);
      if (close < 0) bad('has an unclosed "["');
      const body = pattern.slice(i + 1, close);
      const set = new Set<number>();
      for (let k = 0; k < body.length; k++) {
        const c = body[k] as string;
        if (!/^[0-9]$/.test(c)) bad(`has "${c}" inside brackets`);
        if (body[k + 1] === '-') {
          const e = body[k + 2];
          if (e === undefined || !/^[0-9]$/.test(e) || Number(e) < Number(c)) bad(`has a bad range in "[${body}]"`);
          for (let v = Number(c); v <= Number(e); v++) set.add(v);
          k += 2;
        } else set.add(Number(c));
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

function expand(tokens: readonly (readonly number[])[]): string[] {
  let codes = [''];
  for (const t of tokens) codes = codes.flatMap((c) => t.map((v) => c + String(v)));
  return codes;
}

/**
 * Checks a segment map as `validateSegmentMap` of @crm/scoring does (every cell covered exactly
 * once, well-formed patterns) and returns the segments in map order with the cells of each. Internal.
 */
function checkSegmentMap(map: unknown): { bins: number; axes: SegmentMapData['axes']; segments: { name: string; cells: string[] }[] } {
  if (map === null || typeof map !== 'object') throw new CrmError('invalid_segment_map', 'a segment map must be an object', ['map']);
  const m = map as Record<string, unknown>;
  const bins = m.bins;
  if (typeof bins !== 'number' || !Number.isInteger(bins) || bins < 2 || bins > MAX_BINS) {
    throw new CrmError('invalid_segment_map', `map.bins must be a whole number from 2 to 9, got ${String(bins)}`, ['map', 'bins']);
  }
  const axes = m.axes;
  const dims = typeof axes === 'string' && Object.hasOwn(AXES_LENGTH, axes) ? (AXES_LENGTH[axes] as number) : undefined;
  if (dims === undefined) throw new CrmError('invalid_segment_map', `map.axes must be 'rf', 'r-fm' or 'rfm'`, ['map', 'axes']);
  const segments = m.segments;
  if (!Array.isArray(segments) || segments.length === 0) {
    throw new CrmError('invalid_segment_map', 'map.segments must be a non-empty array', ['map', 'segments']);
  }
  const owners = new Map<string, string[]>();
  const out: { name: string; cells: string[] }[] = [];
  for (let s = 0; s < segments.length; s++) {
    const segment = segments[s] as { name?: unknown; cells?: unknown } | null | undefined;
    if (segment === null || typeof segment !== 'object' || typeof segment.name !== 'string' || !Array.isArray(segment.cells)) {
      throw new CrmError('invalid_segment_map', 'each segment needs a name and an array of cells', ['map', 'segments', s]);
    }
    const name = segment.name;
    const cells: string[] = [];
    const patterns = segment.cells as unknown[];
    for (let c = 0; c < patterns.length; c++) {
      const pattern = patterns[c];
      const path = ['map', 'segments', s, 'cells', c];
      if (typeof pattern !== 'string') throw new CrmError('invalid_segment_map', 'cell patterns are strings', path);
      for (const code of expand(parsePattern(pattern, bins, dims, path))) {
        cells.push(code);
        const list = owners.get(code);
        if (list) {
          if (!list.includes(name)) list.push(name);
        } else owners.set(code, [name]);
      }
    }
    out.push({ name, cells });
  }
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
  return { bins, axes: axes as SegmentMapData['axes'], segments: out };
}

/** The (R, F, M) codes 100R + 10F + M of every full cell a map cell stands for. */
function fullCodes(cell: string, axes: SegmentMapData['axes'], bins: number): number[] {
  const r = Number(cell[0]);
  if (axes === 'rfm') return [100 * r + 10 * Number(cell[1]) + Number(cell[2])];
  const out: number[] = [];
  for (let f = 1; f <= bins; f++) {
    for (let m = 1; m <= bins; m++) {
      const second = axes === 'rf' ? f : Math.trunc((f + m) / 2);
      if (second === Number(cell[1])) out.push(100 * r + 10 * f + m);
    }
  }
  return out;
}

/**
 * The segment of each scored customer under a segment map, in SQL, equal to `rfmSegments` of
 * @crm/scoring: result columns `customerId` and `segment`. The map (the format of `RfmSegmentMap`,
 * e.g. `RF_SEGMENTS`) is checked first as `validateSegmentMap` checks it; each cell becomes the
 * whole (R, F, M) codes it covers, so `'r-fm'` maps need no division in SQL; segment names travel
 * as bound parameters. A score that is NULL, fractional or off the map's 1..bins scale (which
 * `rfmSegments` refuses) gives a NULL segment.
 *
 * @throws {CrmError} `invalid_segment_map` for a map that is malformed or does not cover every
 * cell exactly once; `invalid_argument` for a bad source or option.
 * @example
 * ```ts
 * import { rfmScoresSql, rfmSegmentsSql } from '@crm/sql';
 * const scores = rfmScoresSql({ table: 'customer_summaries' });
 * const q = rfmSegmentsSql({ query: scores }, {
 *   bins: 5, axes: 'rf',
 *   segments: [{ name: 'active', cells: ['[3-5][1-5]'] }, { name: 'lapsed', cells: ['[1-2][1-5]'] }],
 * });
 * q.columns; // → ['customerId', 'segment']
 * ```
 */
export function rfmSegmentsSql(scores: RfmScoreSource, map: SegmentMapData, options?: RfmSegmentsSqlOptions): SqlQuery {
  const o = readOptions(options, ['dialect'], 'rfmSegmentsSql');
  const d = dialectSpec(o.dialect);
  const checked = checkSegmentMap(map);
  const s = readColumnsSource(scores, ['customerId', 'r', 'f', 'm'] as const, 'RFM score source', ['scores']);
  const w = new SqlWriter(d);
  const q = (n: string): string => d.quote(n);
  const code = `(100 * src.${q(s.columns.r)} + 10 * src.${q(s.columns.f)} + src.${q(s.columns.m)})`;
  // Whole scores on the map's scale only: a fractional score could otherwise alias another cell's code.
  const inScale = (['r', 'f', 'm'] as const)
    .map((k) => `src.${q(s.columns[k])} BETWEEN 1 AND ${checked.bins} AND src.${q(s.columns[k])} = FLOOR(src.${q(s.columns[k])})`)
    .join(' AND ');
  const whens: string[] = [];
  for (const segment of checked.segments) {
    const codes = [...new Set(segment.cells.flatMap((c) => fullCodes(c, checked.axes, checked.bins)))].sort((a, b) => a - b);
    if (codes.length > 0) whens.push(`WHEN ${code} IN (${codes.join(', ')}) THEN ${w.param(segment.name, 'text')}`);
  }
  const text = `SELECT src.${q(s.columns.customerId)} AS ${q('customerId')}, CASE WHEN ${inScale} THEN CASE ${whens.join(' ')} END END AS ${q('segment')} FROM ${s.from(w)} AS src`;
  return w.finish(text, ['customerId', 'segment']);
}
